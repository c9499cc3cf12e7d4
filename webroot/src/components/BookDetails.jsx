import { useEffect, useState } from 'react';
import { getBook } from '../api.js';

const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A book's own page: every field, the dates and the version; `changed` counts live changes to reload on. */
export default function BookDetails({ bid, formatPrice, changed }) {
  const [state, setState] = useState({ loading: true });

  useEffect(() => {
    let current = true;
    getBook(bid).then(
      (book) => current && setState({ book }),
      (error) => current && setState({ error }),
    );
    return () => { current = false; };
  }, [bid, changed]);

  if (state.loading) return <p className="book-details">Loading…</p>;
  if (state.error) {
    return (
      <section className="book-details">
        <p role="alert">{state.error.status === 404
          ? `Book ${bid} does not exist (it may have been deleted).`
          : `Book ${bid} could not be read: ${state.error.message}`}</p>
        <a href="#/">Back to the list</a>
      </section>
    );
  }
  const { book } = state;
  return (
    <section className="book-details" aria-labelledby="book-title">
      <h2 id="book-title">{book.title}</h2>
      <dl>
        <dt>Author</dt><dd>{book.author || '—'}</dd>
        <dt>Category</dt><dd>{book.category || '—'}</dd>
        <dt>Pages</dt><dd>{book.pages}</dd>
        <dt>Price</dt><dd>{formatPrice(book.price)}</dd>
        <dt>Published</dt><dd>{book.publishedDate || '—'}</dd>
        <dt>ISBN</dt><dd className="isbn">{book.isbn || '—'}</dd>
        <dt>Version</dt><dd className="version">{book.version}</dd>
        <dt>Added</dt><dd>{DATE_TIME.format(new Date(book.createdAt))}</dd>
        <dt>Last changed</dt><dd>{DATE_TIME.format(new Date(book.updatedAt))}</dd>
      </dl>
      <p className="description">{book.description || 'No description.'}</p>
      <a href="#/">Back to the list</a>
    </section>
  );
}
