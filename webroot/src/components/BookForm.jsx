import { useState } from 'react';
import { ApiError } from '../api.js';

const FIELDS = [
  { name: 'title', label: 'Title', required: true },
  { name: 'author', label: 'Author' },
  { name: 'category', label: 'Category' },
  { name: 'pages', label: 'Pages', type: 'number', required: true },
  { name: 'price', label: 'Price', type: 'number', required: true },
  { name: 'publishedDate', label: 'Published', type: 'date' },
  { name: 'isbn', label: 'ISBN-13', placeholder: '978-0-306-40615-7' },
  { name: 'description', label: 'Description', multiline: true },
];

function initialValues(book) {
  return Object.fromEntries(FIELDS.map(({ name }) => [name, book?.[name] ?? '']));
}

/** The form sends what was typed; the server validates and its field errors are shown beside the fields. */
function toRequest(values) {
  const asNumber = (text) => (text === '' ? null : Number(text));
  return {
    title: values.title,
    author: values.author,
    category: values.category,
    pages: asNumber(values.pages),
    price: asNumber(values.price),
    publishedDate: values.publishedDate || null,
    description: values.description,
    isbn: values.isbn.trim() || null,
  };
}

export default function BookForm({ book, onSave, onCancel }) {
  const [values, setValues] = useState(() => initialValues(book));
  const [errors, setErrors] = useState({});
  const [formError, setFormError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function submit(event) {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setFormError(null);
    try {
      await onSave(toRequest(values));
      if (!book) setValues(initialValues(null));
    } catch (error) {
      const fieldErrors = error instanceof ApiError ? error.fieldErrors() : {};
      setErrors(fieldErrors);
      setFormError(Object.keys(fieldErrors).length > 0 ? 'Please correct the fields marked in red.' : error.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="book-form" onSubmit={submit} noValidate>
      <h2>{book ? `Edit “${book.title}”` : 'Add a book'}</h2>
      {FIELDS.map(({ name, label, type, multiline, required, placeholder }) => (
        <label key={name} className={errors[name] ? 'invalid' : ''}>
          <span>{label}{required && ' *'}</span>
          {multiline ? (
            <textarea name={name} rows={3} value={values[name]}
                      onChange={(e) => setValues({ ...values, [name]: e.target.value })} />
          ) : (
            <input name={name} type={type || 'text'} value={values[name]} placeholder={placeholder}
                   onChange={(e) => setValues({ ...values, [name]: e.target.value })} />
          )}
          {errors[name] && <small className="field-error" data-field={name}>{errors[name]}</small>}
        </label>
      ))}
      {formError && <p className="form-error" role="alert">{formError}</p>}
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy}>{book ? 'Save changes' : 'Add book'}</button>
        {book && <button type="button" onClick={onCancel}>Cancel</button>}
      </div>
    </form>
  );
}
