// Every call to the two HTTP APIs lives here. Queries go to the query side (this origin);
// commands go to the command side, whose URL the query side tells us, with a bearer token: the one the
// query side hands to a browser on the same machine, or the one the user typed (kept for this session).

const TOKEN_HEADER = 'X-Consistency-Token';
const STORED_TOKEN = 'cqrs-books.commandToken';

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error || `request failed (${status})`);
    this.status = status;
    this.details = body?.details || [];
  }

  fieldErrors() {
    return Object.fromEntries(this.details.map((d) => [d.field, d.message]));
  }
}

let configPromise;

function clientConfig() {
  configPromise ??= request('/api/config').then(({ body }) => body);
  return configPromise;
}

async function commandToken() {
  return (await clientConfig()).commandToken || sessionStorage.getItem(STORED_TOKEN);
}

/** Formats a price (whole units of the configured currency) for the reader's locale. */
export async function priceFormatter() {
  const { currency } = await clientConfig();
  const format = new Intl.NumberFormat(navigator.languages, { style: 'currency', currency });
  return (price) => format.format(price);
}

/** Whether commands can be sent without asking the user for a token first. */
export async function hasCommandToken() {
  return Boolean(await commandToken());
}

/** Checks a token with the command side and keeps it for this browser session; throws if it is refused. */
export async function rememberCommandToken(token) {
  const { commandUrl } = await clientConfig();
  await request(`${commandUrl}/api/token`, { headers: { Authorization: `Bearer ${token.trim()}` } });
  sessionStorage.setItem(STORED_TOKEN, token.trim());
}

async function request(url, options = {}) {
  let response;
  try {
    response = await fetch(url, options);
  } catch {
    throw new ApiError(0, { error: 'the server cannot be reached' });
  }
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  if (!response.ok) {
    throw new ApiError(response.status, body);
  }
  return { body, token: response.headers.get(TOKEN_HEADER) };
}

function withToken(token) {
  return token ? { headers: { [TOKEN_HEADER]: token } } : {};
}

/** Lists books; with a consistency token, waits until the read model has applied that command. */
export async function listBooks({ q, sort, limit, category, minPrice, maxPrice, after, before }, token) {
  const params = new URLSearchParams({ sort, limit: String(limit) });
  // A search is words; text without a letter or digit (a lone "-") searches for nothing yet.
  if (/[\p{L}\p{N}]/u.test(q)) params.set('q', q);
  if (category) params.set('category', category);
  if (minPrice !== '') params.set('minPrice', minPrice);
  if (maxPrice !== '') params.set('maxPrice', maxPrice);
  if (after) params.set('after', after);
  else if (before) params.set('before', before);
  const { body } = await request(`/api/books?${params}`, withToken(token));
  return body;
}

/** Every category with its number of books, as the read side's projection counts them. */
export async function listCategories() {
  const { body } = await request('/api/categories');
  return body;
}

/** Events the read side has still to apply (its consumers' lag, from /status). */
export async function readSideLag() {
  const { body } = await request('/status');
  return body.lag.total;
}

/** One book as the read model holds it; fails with status 404 when there is none. */
export async function getBook(bid) {
  const { body } = await request(`/api/books/${bid}`);
  return body;
}

/**
 * The book as the read model holds it once it has moved past {@code version} (someone else changed it):
 * the consistency token "bid.version+1" makes the query wait for that. Null when it was deleted.
 */
export async function bookAfter(bid, version) {
  try {
    const { body } = await request(`/api/books/${bid}`, withToken(`${bid}.${version + 1}`));
    return body;
  } catch (error) {
    if (error.status === 404) return null;
    throw error;
  }
}

async function command(path, method, { book, version } = {}) {
  const headers = { Authorization: `Bearer ${await commandToken()}` };
  if (book) headers['Content-Type'] = 'application/json';
  if (version) headers['If-Match'] = `"${version}"`;
  const { commandUrl } = await clientConfig();
  try {
    return await request(`${commandUrl}${path}`, {
      method,
      headers,
      body: book ? JSON.stringify(book) : undefined,
    });
  } catch (error) {
    // An expired or revoked token: forget it, so the user is asked for a new one.
    if (error.status === 401) sessionStorage.removeItem(STORED_TOKEN);
    throw error;
  }
}

export const createBook = (book) => command('/api/books', 'POST', { book });
export const updateBook = (bid, book, version) => command(`/api/books/${bid}`, 'PUT', { book, version });
export const deleteBook = (bid, version) => command(`/api/books/${bid}`, 'DELETE', { version });
