import { useCallback, useEffect, useState } from 'react';

/**
 * The view's state in the URL's fragment, so back/forward and shared links work: `#/books/42` is a book's
 * page, `#/?q=dune&sort=title&category=SF&after=...&page=2` the list with its search, filters, order and page.
 */
function parse(hash) {
  const path = hash.replace(/^#/, '') || '/';
  const book = path.match(/^\/books\/(\d+)$/);
  if (book) return { bid: Number(book[1]), params: new URLSearchParams() };
  const query = path.indexOf('?');
  return { bid: null, params: new URLSearchParams(query >= 0 ? path.slice(query + 1) : '') };
}

export function useHashRoute() {
  const [route, setRoute] = useState(() => parse(window.location.hash));
  useEffect(() => {
    const changed = () => setRoute(parse(window.location.hash));
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  /** Goes to {@code hash}; {@code replace} changes the current history entry instead (e.g. while typing). */
  const navigate = useCallback((hash, { replace = false } = {}) => {
    if (replace) {
      window.history.replaceState(null, '', hash);
      setRoute(parse(hash));
    } else {
      window.location.hash = hash;
    }
  }, []);
  return [route, navigate];
}
