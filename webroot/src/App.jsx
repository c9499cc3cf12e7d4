import { useCallback, useEffect, useRef, useState } from 'react';
import {
  createBook, deleteBook, hasCommandToken, listBooks, listCategories, priceFormatter, readSideLag, updateBook,
  rememberCommandToken,
} from './api.js';
import { useBookChanges } from './hooks/useBookChanges.js';
import { useHashRoute } from './hooks/useHashRoute.js';
import { LANGUAGES, useI18n } from './i18n.jsx';
import BookDetails from './components/BookDetails.jsx';
import BookForm from './components/BookForm.jsx';
import BookList from './components/BookList.jsx';
import Filters from './components/Filters.jsx';
import Pager from './components/Pager.jsx';
import PipelinePanel from './components/PipelinePanel.jsx';
import SearchBar from './components/SearchBar.jsx';
import TokenForm from './components/TokenForm.jsx';

const PAGE_SIZE = 20;
/** Live changes reload the list at most this often, whatever their rate (the last change always gets one). */
const RELOAD_EVERY_MILLIS = 500;
const PIPELINE_ENTRIES = 8;
const STATUS_EVERY_MILLIS = 2000;

export default function App() {
  const { t, language, setLanguage } = useI18n();
  const [route, navigate] = useHashRoute();
  const price = (name) => (/^\d+$/.test(route.params.get(name) || '') ? route.params.get(name) : '');
  const query = {
    q: route.params.get('q') || '',
    sort: route.params.get('sort') || '-bid',
    category: route.params.get('category') || '',
    minPrice: price('minPrice'),
    maxPrice: price('maxPrice'),
    limit: PAGE_SIZE,
    after: route.params.get('after') || '',
    before: route.params.get('before') || '',
    page: Math.max(1, Number(route.params.get('page')) || 1),
  };
  const queryKey = `${query.q}|${query.sort}|${query.category}|${query.minPrice}|${query.maxPrice}|${query.after}|${query.before}`;
  // The list's state is the URL: a new search, filter, order or page is a new history entry; typing in
  // the search or price boxes replaces the current one.
  const setQuery = (change, options) => {
    const next = { ...query, ...change };
    const params = new URLSearchParams();
    if (next.q) params.set('q', next.q);
    if (next.sort !== '-bid') params.set('sort', next.sort);
    if (next.category) params.set('category', next.category);
    if (next.minPrice) params.set('minPrice', next.minPrice);
    if (next.maxPrice) params.set('maxPrice', next.maxPrice);
    if (next.after) params.set('after', next.after);
    else if (next.before) params.set('before', next.before);
    if (next.page > 1) params.set('page', String(next.page));
    navigate(`#/?${params}`, options);
  };
  /** Another search, filter or order starts again from the first page. */
  const newList = (change, options) => setQuery({ ...change, after: '', before: '', page: 1 }, options);
  const [changes, setChanges] = useState(0);
  const [pipeline, setPipeline] = useState([]);
  const [lag, setLag] = useState(null);

  useEffect(() => {
    const poll = () => readSideLag().then(setLag, () => setLag(null));
    poll();
    const timer = setInterval(poll, STATUS_EVERY_MILLIS);
    return () => clearInterval(timer);
  }, []);
  const [page, setPage] = useState({ items: [], total: 0, totalCapped: false, previous: null, next: null });
  const [categories, setCategories] = useState([]);
  const [editing, setEditing] = useState(null);
  const [notice, setNotice] = useState(null);
  const [canCommand, setCanCommand] = useState(null);

  const [formatPrice, setFormatPrice] = useState(() => String);

  useEffect(() => { hasCommandToken().then(setCanCommand, () => setCanCommand(false)); }, []);
  useEffect(() => { priceFormatter().then((format) => setFormatPrice(() => format), () => {}); }, []);

  // Each load is numbered; an answer older than the one on screen is dropped, so a slow response to an
  // earlier request never replaces a newer list.
  const requested = useRef(0);
  const shown = useRef(0);
  const load = useCallback(async (token) => {
    const mine = ++requested.current;
    try {
      const answer = await listBooks(query, token);
      if (mine > shown.current) {
        shown.current = mine;
        setPage(answer);
      }
    } catch (error) {
      setNotice({ kind: 'error', text: error.message });
    }
  }, [queryKey]); // the query's content, not the object made anew at each render

  const loadCategories = useCallback(() => listCategories().then((body) => setCategories(body.categories), () => {}), []);
  useEffect(() => { load(); }, [load]);
  useEffect(() => { loadCategories(); }, [loadCategories]);
  const reloadSoon = useThrottled(() => { load(); loadCategories(); }, RELOAD_EVERY_MILLIS);
  const live = useBookChanges(() => {
    setChanges((count) => count + 1);
    reloadSoon();
  });

  // A command is done once the command side accepts it, so the form is free for the next one at once (the
  // live stream may show the book before the read below returns: what the user types next must stay).
  async function run(action, message) {
    const started = performance.now();
    let token;
    try {
      ({ token } = await action());
    } catch (error) {
      if (error.status === 401) {
        setCanCommand(false);
        setEditing(null);
        setNotice({ kind: 'error', text: t('tokenNotAccepted') });
      }
      throw error;
    }
    const accepted = performance.now();
    setNotice({ kind: 'ok', text: message });
    showOnceVisible(token, message, accepted - started, accepted);
  }

  // The list is read with the command's consistency token, so it always shows the change; the pipeline
  // panel records how long that took.
  async function showOnceVisible(token, message, acceptedMs, accepted) {
    await load(token);
    loadCategories();
    const entry = { id: token, what: message, acceptedMs, visibleMs: performance.now() - accepted };
    setPipeline((entries) => [entry, ...entries].slice(0, PIPELINE_ENTRIES));
  }

  async function signIn(token) {
    await rememberCommandToken(token);
    setCanCommand(true);
    setNotice({ kind: 'ok', text: t('tokenAccepted') });
  }

  // The edit form closes once its save is accepted, unless another edit was opened meanwhile (the list may
  // show the saved book, and offer its Edit button, before the answer arrives).
  const save = (book, baseVersion) => {
    if (!editing) return run(() => createBook(book), t('added_', { title: book.title }));
    const saved = editing;
    return run(() => updateBook(saved.bid, book, baseVersion), t('saved', { title: book.title }))
      .then(() => setEditing((current) => (current === saved ? null : current)));
  };

  /** Deletes a book; true once the command side accepted it. */
  const remove = (book) => run(() => deleteBook(book.bid, book.version), t('deleted', { title: book.title }))
    .then(() => true, (error) => {
      if (error.status !== 401) setNotice({ kind: 'error', text: error.message });
      return false;
    });

  return (
    <main>
      <header>
        <h1>cqrs-books</h1>
        <span className={live ? 'live on' : 'live'} title={t('liveTitle')}>{live ? t('live') : t('offline')}</span>
        <select className="language" aria-label={t('language')} value={language} onChange={(e) => setLanguage(e.target.value)}>
          {LANGUAGES.map(([code, name]) => <option key={code} value={code} lang={code}>{name}</option>)}
        </select>
      </header>
      {notice && <p className={`notice ${notice.kind}`} role="status">{notice.text}</p>}
      <div className="layout">
        <section className="catalogue">
          {route.bid !== null ? (
            <BookDetails bid={route.bid} formatPrice={formatPrice} changed={changes} />
          ) : (
            <>
              <SearchBar query={query} onChange={(change) => newList(change, { replace: 'q' in change })} />
              <Filters query={query} categories={categories} onChange={newList} />
              <BookList books={page.items} formatPrice={formatPrice} onEdit={canCommand ? setEditing : null}
                        onDelete={canCommand ? remove : null} />
              <Pager page={page} number={query.page} limit={query.limit}
                     onFirst={() => newList({})}
                     onPrevious={(before) => setQuery({ before, after: '', page: query.page - 1 })}
                     onNext={(after) => setQuery({ after, before: '', page: query.page + 1 })} />
            </>
          )}
        </section>
        <aside>
          {canCommand === true && (
            <BookForm key={editing ? `edit-${editing.bid}-${editing.version}` : 'new'}
                      book={editing} onSave={save} onCancel={() => setEditing(null)} />
          )}
          {canCommand === false && <TokenForm onToken={signIn} />}
          <PipelinePanel entries={pipeline} lag={lag} />
        </aside>
      </div>
    </main>
  );
}

/**
 * {@code action} at most once per {@code millis}: the first call runs at once, calls within the period are
 * joined into one run at its end, so the last call is never lost.
 */
function useThrottled(action, millis) {
  const latest = useRef(action);
  const last = useRef(0);
  const timer = useRef(null);
  latest.current = action;
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(() => {
    if (timer.current) return;
    const wait = last.current + millis - Date.now();
    const run = () => {
      timer.current = null;
      last.current = Date.now();
      latest.current();
    };
    if (wait <= 0) run();
    else timer.current = setTimeout(run, wait);
  }, [millis]);
}
