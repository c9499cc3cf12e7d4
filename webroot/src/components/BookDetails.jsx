import { useEffect, useState } from 'react';
import { getBook } from '../api.js';
import { useI18n } from '../i18n.jsx';

const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A book's own page: every field, the dates and the version; `changed` counts live changes to reload on. */
export default function BookDetails({ bid, formatPrice, changed }) {
  const { t } = useI18n();
  const [state, setState] = useState({ loading: true });

  useEffect(() => {
    let current = true;
    getBook(bid).then(
      (book) => current && setState({ book }),
      (error) => current && setState({ error }),
    );
    return () => { current = false; };
  }, [bid, changed]);

  if (state.loading) return <p className="book-details">{t('loading')}</p>;
  if (state.error) {
    return (
      <section className="book-details">
        <p role="alert">{state.error.status === 404
          ? t('noSuchBook', { bid })
          : t('unreadableBook', { bid, error: state.error.message })}</p>
        <a href="#/">{t('backToList')}</a>
      </section>
    );
  }
  const { book } = state;
  return (
    <section className="book-details" aria-labelledby="book-title">
      <h2 id="book-title">{book.title}</h2>
      <dl>
        <dt>{t('author')}</dt><dd>{book.author || '—'}</dd>
        <dt>{t('category')}</dt><dd>{book.category || '—'}</dd>
        <dt>{t('pages')}</dt><dd>{book.pages}</dd>
        <dt>{t('price')}</dt><dd>{formatPrice(book.price)}</dd>
        <dt>{t('published')}</dt><dd>{book.publishedDate || '—'}</dd>
        <dt>{t('isbn')}</dt><dd className="isbn">{book.isbn || '—'}</dd>
        <dt>{t('version')}</dt><dd className="version">{book.version}</dd>
        <dt>{t('added')}</dt><dd>{DATE_TIME.format(new Date(book.createdAt))}</dd>
        <dt>{t('lastChanged')}</dt><dd>{DATE_TIME.format(new Date(book.updatedAt))}</dd>
      </dl>
      <p className="description">{book.description || t('noDescription')}</p>
      <a href="#/">{t('backToList')}</a>
    </section>
  );
}
