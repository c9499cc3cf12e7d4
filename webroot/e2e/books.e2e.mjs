// Browser test of the UI in headless Debian Chromium (playwright-core, no browser download).
// BASE_URL points at a running query side; run by system-tests' BrowserTest, or by hand:
//   BASE_URL=http://localhost:8080 COMMAND_TOKEN=$(../run.sh token) npm run e2e
import { mkdir, readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';

const BASE_URL = process.env.BASE_URL || 'http://localhost:8080';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const COMMAND_TOKEN = process.env.COMMAND_TOKEN || '';
const TIMEOUT = 15_000;

const results = [];
// Screenshots of the main states, for a reviewer to look at.
const SHOTS = new URL('../target/screenshots/', import.meta.url).pathname;
await mkdir(SHOTS, { recursive: true });
const shot = (page, name) => page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });

/** Presses Tab until the focused element satisfies {@code test} (run in the page with {@code arg}); fails after {@code max}. */
async function tabTo(page, test, arg, max = 400) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(test, arg)) return;
  }
  throw new Error(`Tab never reached the element (${max} presses)`);
}
const AXE = await readFile(new URL('../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');

/** axe-core's WCAG 2.1 A/AA violations on the page as it is now (run through the debugger, so the CSP allows it). */
async function accessibilityViolations(page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const { violations } = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
}

/**
 * What the query API itself answers for some titles (a search for each, and the newest books), so a
 * failure tells a server that lost a book from a page that did not show one it had.
 */
async function apiView(titles) {
  const describe = (body) => (body.items || []).map((b) => `${b.bid}:${b.title}@v${b.version}`).join(', ') || 'nothing';
  const lines = [];
  try {
    for (const wanted of titles) {
      const response = await fetch(`${BASE_URL}/api/books?limit=5&q=${encodeURIComponent(wanted)}`);
      lines.push(`API search "${wanted}": ${response.status} ${describe(await response.json())}`);
    }
    const newest = await fetch(`${BASE_URL}/api/books?limit=8`);
    lines.push(`API newest books: ${describe(await newest.json())}`);
  } catch (error) {
    lines.push(`the API could not be asked: ${error.message}`);
  }
  return lines.join('\n');
}

/** What a page saw go wrong lately: API answers of 400 or more, failed requests, console errors. */
const troubles = new Map();
function watchTroubles(page, name) {
  const seen = [];
  troubles.set(page, { name, seen });
  const note = (text) => {
    seen.push(`${new Date().toISOString().slice(11, 23)} ${text}`);
    if (seen.length > 12) seen.shift();
  };
  page.on('response', (response) => {
    if (response.status() >= 400) note(`${response.request().method()} ${response.url()} answered ${response.status()}`);
  });
  page.on('requestfailed', (request) => {
    if (!request.url().includes('/api/books/changes')) note(`${request.method()} ${request.url()} failed: ${request.failure()?.errorText}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') note(`console: ${message.text()}`);
  });
}

/**
 * What each browser shows and saw go wrong, and what both services report about themselves, so a failure
 * tells a server that lost or delayed a change from a page that did not show it.
 */
async function diagnosis() {
  const lines = [];
  for (const [page, { name, seen }] of troubles) {
    if (page.isClosed()) continue;
    const text = async (selector) => (await page.locator(selector).allTextContents().catch(() => [])).join(' | ');
    const titles = (await page.locator('td.title').allTextContents().catch(() => [])).slice(0, 6);
    lines.push(`${name} at ${page.url()}: notice "${await text('.notice')}", form error "${await text('.form-error')}", `
      + `first titles: ${titles.join(' | ') || 'none'}`);
    seen.forEach((trouble) => lines.push(`  ${trouble}`));
  }
  const state = async (url) => {
    try {
      return JSON.stringify(await (await fetch(url)).json());
    } catch (error) {
      return `unreadable: ${error.message}`;
    }
  };
  lines.push(`query side /status: ${await state(`${BASE_URL}/status`)}`);
  try {
    const { commandUrl } = await (await fetch(`${BASE_URL}/api/config`)).json();
    lines.push(`command side /status: ${await state(`${commandUrl}/status`)}`);
  } catch (error) {
    lines.push(`the command side's address is unreadable: ${error.message}`);
  }
  return lines.join('\n');
}

/**
 * Runs {@code wait}; when it fails, the error also says what the API answers for {@code titles} (what each
 * page shows is in every failure's {@link diagnosis}).
 */
async function explained(wait, titles) {
  try {
    await wait();
  } catch (error) {
    error.message = `${error.message}\n${await apiView(titles)}`;
    throw error;
  }
}

/**
 * A route handler that holds the answers to {@code method} requests back 1.5 s (the request itself reaches the
 * server at once), so the live stream shows a command's effect before the page has its answer;
 * {@code answered} says when the page got it.
 */
function heldAnswers(method) {
  const held = {
    answered: false,
    route: async (route) => {
      if (route.request().method() !== method) return route.continue();
      const response = await route.fetch();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.fulfill({ response });
      held.answered = true;
    },
  };
  return held;
}

async function check(name, body) {
  try {
    await body();
    results.push([name, true]);
    console.log(`ok   ${name}`);
  } catch (error) {
    results.push([name, false]);
    const message = `${error.message}\n${await diagnosis()}`;
    console.log(`FAIL ${name} (at ${new Date().toISOString().slice(11, 23)} UTC)\n     ${message.split('\n').join('\n     ')}`);
  }
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});

try {
  const writer = await (await browser.newContext()).newPage();
  const watcher = await (await browser.newContext()).newPage();
  watchTroubles(writer, 'writer');
  watchTroubles(watcher, 'watcher');
  for (const page of [writer, watcher]) {
    page.setDefaultTimeout(TIMEOUT);
    await page.goto(BASE_URL);
    await page.locator('.live.on').waitFor();
  }

  const title = `Playwright <b>Book</b> ${Date.now()}`;
  // A valid ISBN-13 of this run's own (ISBNs are unique): 978, nine digits of the clock, the check digit.
  const isbnDigits = `978${String(Date.now()).slice(-9)}`;
  const check13 = (10 - ([...isbnDigits].reduce((sum, d, i) => sum + Number(d) * (i % 2 ? 3 : 1), 0) % 10)) % 10;
  const isbn = `${isbnDigits}${check13}`;
  const hyphenated = `${isbn.slice(0, 3)}-${isbn.slice(3, 12)}-${isbn.slice(12)}`;
  const row = (page, text) => page.locator('tr', { has: page.locator('td.title', { hasText: text }) });

  await check('a book added in the form appears in the list', async () => {
    await writer.fill('input[name=title]', title);
    await writer.fill('input[name=author]', 'Headless Author');
    await writer.fill('input[name=pages]', '321');
    await writer.fill('input[name=price]', '4500');
    await writer.fill('input[name=publishedDate]', '2021-03-04');
    await writer.fill('input[name=isbn]', hyphenated);
    await writer.click('button[type=submit]');
    await row(writer, title).waitFor();
    const cells = await row(writer, title).locator('td').allTextContents();
    // KRW (query.currency) in the browser's locale: no decimals, grouped, with its sign.
    const price = await writer.evaluate(() => new Intl.NumberFormat(navigator.languages, { style: 'currency', currency: 'KRW' }).format(4500));
    if (!price.includes('4,500') && !price.includes('4.500')) throw new Error(`the browser formats 4500 KRW as ${price}`);
    if (!cells.includes('321') || !cells.includes(price) || !cells.includes('2021-03-04') || !cells.includes(isbn)) {
      throw new Error(`unexpected row: ${cells.join(' | ')}`);
    }
    await shot(writer, 'list');
  });

  await check('markup in a title is shown as text, not interpreted', async () => {
    const html = await row(writer, title).locator('td.title').innerHTML();
    if (!html.includes('&lt;b&gt;')) throw new Error(`title rendered as ${html}`);
  });

  await check('a second browser sees the new book appear live', async () => {
    await row(watcher, title).waitFor();
  });

  await check('the pipeline panel shows how long the writer\'s book took to appear, and the read side\'s lag', async () => {
    const entry = writer.locator('.pipeline li', { hasText: title });
    await entry.waitFor();
    const visibleMs = Number(await entry.getAttribute('data-visible-ms'));
    if (!(visibleMs >= 0 && visibleMs < TIMEOUT)) throw new Error(`visible after ${visibleMs} ms`);
    if (!/^\d+ ms \+ \d+ ms$/.test(await entry.locator('.times').textContent())) throw new Error('no times shown');
    const lag = await writer.locator('.pipeline .lag').textContent();
    if (!/^Read side: \d+ events? behind\.$/.test(lag)) throw new Error(`the lag reads: ${lag}`);
  });

  await check('an invalid price shows the server\'s error beside the field', async () => {
    await writer.fill('input[name=title]', 'Bad price');
    await writer.fill('input[name=pages]', '10');
    await writer.fill('input[name=price]', '-5');
    await writer.click('button[type=submit]');
    const error = writer.locator('.field-error[data-field=price]');
    await error.waitFor();
    const text = await error.textContent();
    if (!text.includes('between 0 and 100000000')) throw new Error(`price error was: ${text}`);
    if (await row(writer, 'Bad price').count() !== 0) throw new Error('the invalid book was listed');
  });

  await check('a wrong ISBN check digit, or an ISBN another book has, is shown beside the field', async () => {
    await writer.fill('input[name=title]', 'Bad ISBN');
    await writer.fill('input[name=pages]', '10');
    await writer.fill('input[name=price]', '5');
    await writer.fill('input[name=isbn]', `${isbnDigits}${(check13 + 1) % 10}`);
    await writer.click('button[type=submit]');
    const error = writer.locator('.field-error[data-field=isbn]');
    await error.waitFor();
    if (!(await error.textContent()).includes('check digit')) throw new Error(`isbn error was: ${await error.textContent()}`);
    await writer.fill('input[name=isbn]', isbn);
    await writer.click('button[type=submit]');
    await writer.locator('.field-error[data-field=isbn]', { hasText: 'another book has this ISBN' }).waitFor();
    if (await row(writer, 'Bad ISBN').count() !== 0) throw new Error('a book with a bad ISBN was listed');
    await writer.fill('input[name=isbn]', '');
    await writer.fill('input[name=title]', '');
  });

  await check('a book can be edited and the list follows in both browsers', async () => {
    await row(writer, title).getByRole('button', { name: 'Edit' }).click();
    await writer.fill('input[name=title]', `${title} (edited)`);
    await writer.click('button[type=submit]');
    await row(writer, `${title} (edited)`).waitFor();
    await row(watcher, `${title} (edited)`).waitFor();
  });

  await check('an edit opened while the last save is still unanswered stays open when the answer comes', async () => {
    const racing = `Save race ${Date.now()}`;
    await writer.evaluate(async (bookTitle) => {
      const config = await (await fetch('/api/config')).json();
      await fetch(`${config.commandUrl}/api/books`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${config.commandToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ title: bookTitle, pages: 1, price: 1 }),
      });
    }, racing);
    await row(writer, racing).waitFor();
    // The save's answer is held back: the list shows the saved book first, and the user opens another edit.
    const holdSave = heldAnswers('PUT');
    await writer.route('**/api/books/*', holdSave.route);
    try {
      await row(writer, racing).getByRole('button', { name: 'Edit' }).click();
      await writer.fill('.book-form input[name=title]', `${racing} (saved)`);
      await writer.click('.book-form button[type=submit]');
      await row(writer, `${racing} (saved)`).waitFor();
      if (holdSave.answered) throw new Error('the save was answered before its book showed: nothing was raced');
      await row(writer, `${title} (edited)`).getByRole('button', { name: 'Edit' }).click();
      for (let waited = 0; !holdSave.answered; waited += 100) {
        if (waited > TIMEOUT) throw new Error('the held save was never answered');
        await writer.waitForTimeout(100);
      }
      await writer.waitForTimeout(300); // the answer handled by the page
      const heading = await writer.locator('.book-form h2').textContent();
      if (!heading.includes(`${title} (edited)`)) throw new Error(`once the save was answered the form shows "${heading}"`);
      await writer.getByRole('button', { name: 'Cancel' }).click();
    } finally {
      await writer.unroute('**/api/books/*', holdSave.route);
    }
  });

  await check('an edit that crosses someone else\'s shows both versions, and overwrites only when asked', async () => {
    const edited = `${title} (edited)`;
    await row(writer, edited).getByRole('button', { name: 'Edit' }).click();
    await row(watcher, edited).getByRole('button', { name: 'Edit' }).click();
    await watcher.fill('.book-form input[name=title]', `${title} (theirs)`);
    await watcher.click('.book-form button[type=submit]');
    await row(writer, `${title} (theirs)`).waitFor();
    await writer.fill('.book-form input[name=title]', `${title} (mine)`);
    await writer.click('.book-form button[type=submit]');
    const conflict = writer.locator('.conflict');
    await conflict.waitFor();
    await shot(writer, 'conflict');
    const theirs = await conflict.locator('tr[data-field=title] td.theirs').textContent();
    const mine = await conflict.locator('tr[data-field=title] td.yours').textContent();
    if (theirs !== `${title} (theirs)` || mine !== `${title} (mine)`) throw new Error(`conflict showed ${theirs} / ${mine}`);
    if (await row(writer, `${title} (mine)`).count() !== 0) throw new Error('the stale edit was saved');
    await conflict.getByRole('button', { name: 'Keep mine and overwrite' }).click();
    await writer.click('.book-form button[type=submit]');
    await row(writer, `${title} (mine)`).waitFor();
    await row(watcher, `${title} (mine)`).waitFor();
  });

  await check('a field error marks its field for assistive technology', async () => {
    await writer.fill('.book-form input[name=title]', 'Marked');
    await writer.fill('.book-form input[name=pages]', '0');
    await writer.fill('.book-form input[name=price]', '1');
    await writer.click('.book-form button[type=submit]');
    const pages = writer.locator('.book-form input[name=pages]');
    await writer.locator('.field-error[data-field=pages]').waitFor();
    if (await pages.getAttribute('aria-invalid') !== 'true') throw new Error('pages is not aria-invalid');
    const describedBy = await pages.getAttribute('aria-describedby');
    const message = await writer.locator(`[id="${describedBy}"]`).textContent();
    if (!message.includes('between 1 and 100000')) throw new Error(`pages is described by: ${message}`);
    await writer.fill('.book-form input[name=title]', '');
    await writer.fill('.book-form input[name=pages]', '');
    await writer.fill('.book-form input[name=price]', '');
  });

  await check('what is typed right after a book appears is kept: the form waits for the command\'s answer, and is cleared then', async () => {
    // The create's answer is held back, so the live stream shows the book before the answer clears the form;
    // so is the list read that waits on the consistency token, which used to clear it even later. What is
    // typed once the book shows must survive both.
    const holdCreate = heldAnswers('POST');
    const holdTokenReads = async (route) => {
      if (route.request().headers()['x-consistency-token']) await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
    };
    await writer.route('**/api/books', holdCreate.route);
    await writer.route('**/api/books?*', holdTokenReads);
    try {
      const added = `Typed after ${Date.now()}`;
      await writer.fill('.book-form input[name=title]', added);
      await writer.fill('.book-form input[name=pages]', '10');
      await writer.fill('.book-form input[name=price]', '100');
      await writer.click('.book-form button[type=submit]');
      await row(writer, added).waitFor();
      if (holdCreate.answered) throw new Error('the create was answered before its book showed: nothing was raced');
      await writer.fill('.book-form input[name=title]', 'The next book');
      // The pipeline panel records the book once the held read has returned.
      await writer.locator('.pipeline li', { hasText: added }).waitFor();
      const typed = await writer.inputValue('.book-form input[name=title]');
      if (typed !== 'The next book') throw new Error(`the title typed next became "${typed}"`);
      await writer.fill('.book-form input[name=title]', '');
    } finally {
      await writer.unroute('**/api/books', holdCreate.route);
      await writer.unroute('**/api/books?*', holdTokenReads);
    }
  });

  // The watcher loses its stream (the browser goes offline) while books are added; when it is back, the
  // browser reconnects with Last-Event-ID. BrowserTest runs the server with a replay window of 3 changes.
  const addBook = async (page, bookTitle) => {
    await page.fill('input[name=title]', bookTitle);
    await page.fill('input[name=pages]', '10');
    await page.fill('input[name=price]', '100');
    await page.click('.book-form button[type=submit]');
    await row(page, bookTitle).waitFor();
  };
  const missWhileOffline = async (count, label) => {
    await watcher.context().setOffline(true);
    const missed = [];
    try {
      await watcher.locator('.live.on').waitFor({ state: 'detached' });
      for (let i = 1; i <= count; i++) {
        missed.push(`${label} ${i} ${Date.now()}`);
        await explained(() => addBook(writer, missed[missed.length - 1]), missed);
      }
      for (const missedTitle of missed) {
        if (await row(watcher, missedTitle).count() !== 0) throw new Error('the offline browser already shows a new book');
      }
    } finally {
      // Back online whatever happened, so one failure here does not fail every later check of the watcher.
      await watcher.context().setOffline(false);
    }
    await watcher.locator('.live.on').waitFor({ timeout: 30_000 });
    for (const missedTitle of missed) await explained(() => row(watcher, missedTitle).waitFor(), missed);
  };

  await check('a browser that lost its stream is sent what it missed when it reconnects', async () => {
    await missWhileOffline(2, 'Missed while offline');
  });

  await check('a browser further behind than the replay window is told to reload, and shows every book', async () => {
    await missWhileOffline(5, 'Missed beyond the window');
  });

  await check('a book has a page of its own, at a link that survives a reload, and back returns to the list', async () => {
    await row(writer, `${title} (mine)`).locator('td.title a').click();
    await writer.locator('.book-details').waitFor();
    if (!/#\/books\/\d+$/.test(writer.url())) throw new Error(`the page is at ${writer.url()}`);
    await writer.reload();
    const details = writer.locator('.book-details');
    await details.locator('h2', { hasText: `${title} (mine)` }).waitFor();
    if (await details.locator('.isbn').textContent() !== isbn) throw new Error('the ISBN is not on the book\'s page');
    if (Number(await details.locator('.version').textContent()) < 3) throw new Error('the version is not the latest');
    await writer.goBack();
    await row(writer, `${title} (mine)`).waitFor();
  });

  await check('the search is in the URL: a reload keeps it, back undoes it', async () => {
    await writer.locator('.search select').selectOption('title');
    await writer.fill('.search input[type=search]', 'Missed while offline');
    await writer.waitForFunction(() => new URLSearchParams(window.location.hash.split('?')[1]).get('q') === 'Missed while offline');
    await writer.reload();
    if (await writer.locator('.search input[type=search]').inputValue() !== 'Missed while offline') {
      throw new Error('the search was lost on reload');
    }
    await explained(() => writer.locator('td.title', { hasText: 'Missed while offline' }).nth(1).waitFor(), ['Missed while offline']);
    const titles = await writer.locator('td.title').allTextContents();
    if (titles.length !== 2 || !titles.every((t) => t.startsWith('Missed while offline'))) {
      throw new Error(`the search shows ${titles.join(' | ')}`);
    }
    await writer.goBack();
    await writer.waitForFunction(() => !window.location.hash.includes('sort=title'));
    await writer.goto(BASE_URL);
    await row(writer, `${title} (mine)`).waitFor();
  });

  await check('axe-core finds no WCAG 2.1 AA violation on the list, the form, its field errors and a book\'s page', async () => {
    const found = [];
    const audit = async (view) => (await accessibilityViolations(writer)).forEach((v) => found.push(`${view}: ${v}`));
    await audit('list and form');
    await writer.fill('.book-form input[name=title]', '');
    await writer.click('.book-form button[type=submit]');
    await writer.locator('.field-error[data-field=title]').waitFor();
    await audit('field errors');
    await shot(writer, 'field-errors');
    await row(writer, `${title} (mine)`).locator('td.title a').click();
    await writer.locator('.book-details h2').waitFor();
    await audit('book page');
    await shot(writer, 'book-page');
    await writer.goBack();
    await row(writer, `${title} (mine)`).waitFor();
    if (found.length > 0) throw new Error(found.join('\n'));
  });

  await check('a book is deleted only after confirmation, and a double click sends one command', async () => {
    const edited = `${title} (mine)`;
    const deletes = [];
    const count = (request) => request.method() === 'DELETE' && deletes.push(request.url());
    writer.on('request', count);
    await row(writer, edited).getByRole('button', { name: 'Delete' }).click();
    await row(writer, edited).getByRole('button', { name: 'Yes, delete' }).dblclick();
    await row(writer, edited).waitFor({ state: 'detached' });
    await row(watcher, edited).waitFor({ state: 'detached' });
    writer.off('request', count);
    if (deletes.length !== 1) throw new Error(`${deletes.length} DELETE requests were sent`);
    if (await writer.locator('.notice.error').count() !== 0) throw new Error(await writer.locator('.notice').textContent());
  });
  const stamp = Date.now();
  const category = `Filter-${stamp}`;
  const paged = (i) => `Paged ${stamp} ${String(i).padStart(2, '0')}`;
  await check('a category (listed with its count) and a price range narrow the list, and live in the URL', async () => {
    await writer.evaluate(async ({ count, category, stamp }) => {
      const config = await (await fetch('/api/config')).json();
      for (let i = 0; i < count; i++) {
        const response = await fetch(`${config.commandUrl}/api/books`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${config.commandToken}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ title: `Paged ${stamp} ${String(i).padStart(2, '0')}`, category, pages: 10 + i, price: 100 + i }),
        });
        if (response.status !== 201) throw new Error(`create answered ${response.status}`);
      }
    }, { count: 25, category, stamp });
    const option = writer.locator('.filters select option', { hasText: `${category} (25)` });
    await option.waitFor({ state: 'attached' });
    await writer.locator('.filters select').selectOption(category);
    await writer.locator('.pager', { hasText: '1–20 of 25' }).waitFor();
    await writer.fill('.filters input[aria-label="Lowest price"]', '110');
    await writer.fill('.filters input[aria-label="Highest price"]', '114');
    await writer.locator('.pager', { hasText: '1–5 of 5' }).waitFor();
    const titles = await writer.locator('td.title').allTextContents();
    const expected = [14, 13, 12, 11, 10].map(paged);
    if (titles.join('|') !== expected.join('|')) throw new Error(`the filtered list shows ${titles.join(' | ')}`);
    await shot(writer, 'filtered');
    await writer.reload();
    await writer.locator('.pager', { hasText: '1–5 of 5' }).waitFor();
    if (await writer.locator('.filters select').inputValue() !== category) throw new Error('the category was lost on reload');
    if (await writer.locator('.filters input[aria-label="Lowest price"]').inputValue() !== '110') throw new Error('the price was lost');
  });

  await check('pages go forward and back by cursor, with the position shown, and back/forward follow', async () => {
    await writer.goto(`${BASE_URL}/#/?sort=price&category=${category}`);
    await writer.locator('.pager', { hasText: '1–20 of 25' }).waitFor();
    if (await writer.locator('td.title').first().textContent() !== paged(0)) throw new Error('page 1 does not start at the cheapest');
    await writer.getByRole('button', { name: 'Next ›' }).click();
    await writer.locator('.pager', { hasText: '21–25 of 25' }).waitFor();
    const second = await writer.locator('td.title').allTextContents();
    if (second.join('|') !== [20, 21, 22, 23, 24].map(paged).join('|')) throw new Error(`page 2 shows ${second.join(' | ')}`);
    if (!writer.url().includes('after=')) throw new Error(`page 2 is at ${writer.url()}`);
    if (!(await writer.getByRole('button', { name: 'Next ›' }).isDisabled())) throw new Error('next is offered on the last page');
    await shot(writer, 'page-2');
    await writer.getByRole('button', { name: '‹ Previous' }).click();
    await writer.locator('.pager', { hasText: '1–20 of 25' }).waitFor();
    if (await writer.locator('td.title').first().textContent() !== paged(0)) throw new Error('previous did not return to page 1');
    await writer.goBack();
    await writer.locator('.pager', { hasText: '21–25 of 25' }).waitFor();
    await writer.goBack();
    await writer.locator('.pager', { hasText: '1–20 of 25' }).waitFor();
  });

  await check('a conflict can also be resolved by taking the other person\'s version', async () => {
    const target = paged(3);
    await writer.goto(`${BASE_URL}/#/?q=${encodeURIComponent(target)}`);
    await row(writer, target).getByRole('button', { name: 'Edit' }).click();
    await writer.evaluate(async (bid) => {
      const config = await (await fetch('/api/config')).json();
      const book = await (await fetch(`/api/books/${bid}`)).json();
      await fetch(`${config.commandUrl}/api/books/${bid}`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${config.commandToken}`, 'Content-Type': 'application/json', 'If-Match': `"${book.version}"` },
        body: JSON.stringify({ title: `${book.title} (theirs)`, category: book.category, pages: book.pages, price: book.price }),
      });
    }, Number(await row(writer, target).getAttribute('data-bid')));
    await writer.fill('.book-form input[name=title]', `${target} (mine)`);
    await writer.click('.book-form button[type=submit]');
    const conflict = writer.locator('.conflict');
    await conflict.getByRole('button', { name: 'Use their version' }).click();
    if (await writer.locator('.book-form input[name=title]').inputValue() !== `${target} (theirs)`) {
      throw new Error('the form does not hold their version');
    }
    await writer.locator('.conflict').waitFor({ state: 'detached' });
    await writer.getByRole('button', { name: 'Cancel' }).click();
  });

  await check('keyboard only: a book is added, edited and deleted without the mouse', async () => {
    const typed = `Keyboard ${stamp}`;
    await writer.goto(`${BASE_URL}/#/?q=${encodeURIComponent(typed)}`);
    await writer.locator('.book-form').waitFor();
    await tabTo(writer, () => document.activeElement?.matches('.book-form input[name=title]'));
    await writer.keyboard.type(typed);
    await tabTo(writer, () => document.activeElement?.matches('.book-form input[name=pages]'));
    await writer.keyboard.type('77');
    await tabTo(writer, () => document.activeElement?.matches('.book-form input[name=price]'));
    await writer.keyboard.type('7700');
    await writer.keyboard.press('Enter');
    await row(writer, typed).waitFor();

    const focusedIn = (text, label) => tabTo(writer, ([t, l]) => {
      const element = document.activeElement;
      return element?.tagName === 'BUTTON' && element.textContent === l
        && element.closest('tr')?.querySelector('td.title')?.textContent === t;
    }, [text, label]);
    await focusedIn(typed, 'Edit');
    await writer.keyboard.press('Enter');
    await tabTo(writer, () => document.activeElement?.matches('.book-form input[name=title]'));
    await writer.keyboard.press('ControlOrMeta+A');
    await writer.keyboard.type(`${typed} (keys)`);
    await writer.keyboard.press('Enter');
    await row(writer, `${typed} (keys)`).waitFor();

    await focusedIn(`${typed} (keys)`, 'Delete');
    await writer.keyboard.press('Enter');
    await focusedIn(`${typed} (keys)`, 'Yes, delete');
    await writer.keyboard.press('Enter');
    await row(writer, `${typed} (keys)`).waitFor({ state: 'detached' });
    await writer.goto(BASE_URL);
  });

  await check('a burst of changes reloads the list a few times a second, not once per change', async () => {
    const lists = [];
    const counting = (request) => {
      if (new URL(request.url()).pathname === '/api/books') lists.push(Date.now());
    };
    watcher.on('request', counting);
    const burst = 40;
    await writer.evaluate(async (count) => {
      const config = await (await fetch('/api/config')).json();
      for (let i = 0; i < count; i++) {
        await fetch(`${config.commandUrl}/api/books`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${config.commandToken}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ title: `Burst ${i}`, pages: 1, price: 1 }),
        });
      }
    }, burst);
    await row(watcher, `Burst ${burst - 1}`).waitFor();
    await watcher.waitForTimeout(1500);
    watcher.off('request', counting);
    const seconds = (lists[lists.length - 1] - lists[0]) / 1000;
    if (lists.length > 2 * seconds + 3 || lists.length >= burst) {
      throw new Error(`${lists.length} list reloads in ${seconds.toFixed(1)} s for ${burst} changes`);
    }
  });

  await check('the UI speaks Korean when asked or when the browser does, remembers it, and switches back', async () => {
    await writer.locator('select.language').selectOption('ko');
    await writer.locator('.book-form h2', { hasText: '책 추가' }).waitFor();
    if (await writer.evaluate(() => document.documentElement.lang) !== 'ko') throw new Error('<html lang> is not ko');
    await writer.reload();
    await writer.locator('table.books th', { hasText: '제목' }).waitFor();
    await writer.locator('select.language').selectOption('en');
    await writer.locator('.book-form h2', { hasText: 'Add a book' }).waitFor();
    const korean = await (await browser.newContext({ locale: 'ko-KR' })).newPage();
    await korean.goto(BASE_URL);
    await korean.locator('table.books th', { hasText: '제목' }).waitFor({ timeout: TIMEOUT });
    await korean.context().close();
  });

  // A browser that is not on the server's machine is not handed a token: here the page sees /api/config
  // without it (the answer is rewritten in the browser), and must ask for one before offering commands.
  const remote = await (await browser.newContext()).newPage();
  remote.setDefaultTimeout(TIMEOUT);
  watchTroubles(remote, 'remote');
  await remote.route('**/api/config', async (route) => {
    const response = await route.fetch();
    const { commandToken, ...rest } = await response.json();
    await route.fulfill({ response, json: rest });
  });
  await remote.goto(BASE_URL);

  await check('without a handed-out token the UI asks for one and refuses a wrong one', async () => {
    await remote.locator('.token-form').waitFor();
    if (await remote.locator('.book-form').count() !== 0) throw new Error('the book form was offered without a token');
    if (await remote.getByRole('button', { name: 'Edit' }).count() !== 0) throw new Error('edit offered without a token');
    await remote.fill('input[name=token]', 'not-a-valid-token');
    await remote.click('.token-form button[type=submit]');
    await remote.locator('.token-form .form-error').waitFor();
  });

  await check('a valid token is accepted once and commands work', async () => {
    if (!COMMAND_TOKEN) throw new Error('COMMAND_TOKEN is not set');
    await remote.fill('input[name=token]', COMMAND_TOKEN);
    await remote.click('.token-form button[type=submit]');
    await remote.locator('.book-form').waitFor();
    const signedIn = `Signed-in book ${Date.now()}`;
    await remote.fill('input[name=title]', signedIn);
    await remote.fill('input[name=pages]', '12');
    await remote.fill('input[name=price]', '34');
    await remote.click('.book-form button[type=submit]');
    await row(remote, signedIn).waitFor();
    await remote.reload();
    await remote.locator('.book-form').waitFor(); // kept for the browser session
  });
} finally {
  await browser.close();
}

const passed = results.filter(([, ok]) => ok).length;
const failed = results.length - passed;
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
