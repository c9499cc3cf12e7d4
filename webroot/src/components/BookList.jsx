import { useState } from 'react';
import { useI18n } from '../i18n.jsx';

export default function BookList({ books, formatPrice, onEdit, onDelete }) {
  const { t } = useI18n();
  if (books.length === 0) {
    return <p className="empty">{t('empty')}</p>;
  }
  return (
    <table className="books">
      <thead>
        <tr>
          <th>{t('title')}</th><th>{t('author')}</th><th>{t('category')}</th>
          <th className="num">{t('pages')}</th><th className="num">{t('price')}</th><th>{t('published')}</th>
          <th>{t('isbn')}</th><th />
        </tr>
      </thead>
      <tbody>
        {books.map((book) => (
          <BookRow key={book.bid} book={book} formatPrice={formatPrice} onEdit={onEdit} onDelete={onDelete} />
        ))}
      </tbody>
    </table>
  );
}

function BookRow({ book, formatPrice, onEdit, onDelete }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  // Once confirmed, the answer is given: a second click sends no second command. On success the row stays
  // so until the list shows the deletion; on failure it can be answered again.
  const [deleting, setDeleting] = useState(false);
  async function confirmDelete() {
    setDeleting(true);
    if (!(await onDelete(book))) setDeleting(false);
  }
  return (
    <tr data-bid={book.bid}>
      <td className="title"><a href={`#/books/${book.bid}`}>{book.title}</a></td>
      <td>{book.author}</td>
      <td>{book.category}</td>
      <td className="num">{book.pages}</td>
      <td className="num price">{formatPrice(book.price)}</td>
      <td>{book.publishedDate || ''}</td>
      <td className="isbn">{book.isbn || ''}</td>
      <td className="actions">
        {!onEdit ? null : confirming ? (
          <>
            <span>{t('confirmDelete')}</span>
            {/* Focus moves to the confirmation, so a keyboard user answers it next. */}
            <button type="button" className="danger" autoFocus disabled={deleting} onClick={confirmDelete}>{t('yesDelete')}</button>
            <button type="button" disabled={deleting} onClick={() => setConfirming(false)}>{t('no')}</button>
          </>
        ) : (
          <>
            <button type="button" onClick={() => onEdit(book)}>{t('edit')}</button>
            <button type="button" onClick={() => setConfirming(true)}>{t('delete')}</button>
          </>
        )}
      </td>
    </tr>
  );
}
