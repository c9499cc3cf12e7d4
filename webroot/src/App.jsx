import { useCallback, useEffect, useRef, useState } from 'react';
import {
  createBook, deleteBook, hasCommandToken, listBooks, priceFormatter, updateBook, rememberCommandToken,
} from './api.js';
import { useBookChanges } from './hooks/useBookChanges.js';
import BookForm from './components/BookForm.jsx';
import BookList from './components/BookList.jsx';
import Pager from './components/Pager.jsx';
import SearchBar from './components/SearchBar.jsx';
import TokenForm from './components/TokenForm.jsx';

const PAGE_SIZE = 20;
/** Live changes reload the list at most this often, whatever their rate (the last change always gets one). */
const RELOAD_EVERY_MILLIS = 500;

export default function App() {
  const [query, setQuery] = useState({ q: '', sort: '-bid', limit: PAGE_SIZE, offset: 0 });
  const [page, setPage] = useState({ items: [], total: 0 });
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
  }, [query]);

  useEffect(() => { load(); }, [load]);
  const reloadSoon = useThrottled(load, RELOAD_EVERY_MILLIS);
  const live = useBookChanges(() => reloadSoon());

  // After a command, the list is read with its consistency token, so it always shows the change.
  async function run(action, message) {
    try {
      const { token } = await action();
      setNotice({ kind: 'ok', text: message });
      await load(token);
    } catch (error) {
      if (error.status === 401) {
        setCanCommand(false);
        setEditing(null);
        setNotice({ kind: 'error', text: 'Your command token was not accepted; enter a valid one.' });
      }
      throw error;
    }
  }

  async function signIn(token) {
    await rememberCommandToken(token);
    setCanCommand(true);
    setNotice({ kind: 'ok', text: 'Token accepted; you can change the catalogue.' });
  }

  const save = (book, baseVersion) => (editing
    ? run(() => updateBook(editing.bid, book, baseVersion), `Saved “${book.title}”.`).then(() => setEditing(null))
    : run(() => createBook(book), `Added “${book.title}”.`));

  const remove = (book) => run(() => deleteBook(book.bid, book.version), `Deleted “${book.title}”.`)
    .catch((error) => error.status === 401 || setNotice({ kind: 'error', text: error.message }));

  return (
    <main>
      <header>
        <h1>cqrs-books</h1>
        <span className={live ? 'live on' : 'live'} title="live updates">{live ? '● live' : '○ offline'}</span>
      </header>
      {notice && <p className={`notice ${notice.kind}`} role="status">{notice.text}</p>}
      <div className="layout">
        <section className="catalogue">
          <SearchBar query={query} onChange={(change) => setQuery({ ...query, ...change, offset: 0 })} />
          <BookList books={page.items} formatPrice={formatPrice} onEdit={canCommand ? setEditing : null} onDelete={canCommand ? remove : null} />
          <Pager total={page.total} limit={query.limit} offset={query.offset}
                 onPage={(offset) => setQuery({ ...query, offset })} />
        </section>
        <aside>
          {canCommand === true && (
            <BookForm key={editing ? `edit-${editing.bid}-${editing.version}` : 'new'}
                      book={editing} onSave={save} onCancel={() => setEditing(null)} />
          )}
          {canCommand === false && <TokenForm onToken={signIn} />}
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
