import { useState } from 'react';

export default function BookList({ books, formatPrice, onEdit, onDelete }) {
  if (books.length === 0) {
    return <p className="empty">No books yet. Add one with the form.</p>;
  }
  return (
    <table className="books">
      <thead>
        <tr>
          <th>Title</th><th>Author</th><th>Category</th>
          <th className="num">Pages</th><th className="num">Price</th><th>Published</th><th>ISBN</th><th />
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
  const [confirming, setConfirming] = useState(false);
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
            <span>Delete?</span>
            <button type="button" className="danger" onClick={() => onDelete(book)}>Yes, delete</button>
            <button type="button" onClick={() => setConfirming(false)}>No</button>
          </>
        ) : (
          <>
            <button type="button" onClick={() => onEdit(book)}>Edit</button>
            <button type="button" onClick={() => setConfirming(true)}>Delete</button>
          </>
        )}
      </td>
    </tr>
  );
}
