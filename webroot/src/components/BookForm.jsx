import { useId, useState } from 'react';
import { ApiError, bookAfter } from '../api.js';

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

/** The form's value of a stored book's field, as the inputs show it. */
const shown = (book, name) => String(book?.[name] ?? '');

export default function BookForm({ book, onSave, onCancel }) {
  const [values, setValues] = useState(() => initialValues(book));
  // The version this edit is based on: the book's, or theirs once the user chose to overwrite a conflict.
  const [baseVersion, setBaseVersion] = useState(book?.version);
  const [errors, setErrors] = useState({});
  const [formError, setFormError] = useState(null);
  const [conflict, setConflict] = useState(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  async function submit(event) {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setFormError(null);
    setConflict(null);
    try {
      await onSave(toRequest(values), baseVersion);
      if (!book) setValues(initialValues(null));
    } catch (error) {
      if (error.status === 412 && book) {
        await showConflict();
        return;
      }
      const fieldErrors = error instanceof ApiError ? error.fieldErrors() : {};
      const named = Object.keys(fieldErrors).filter((name) => FIELDS.some((field) => field.name === name));
      setErrors(fieldErrors);
      setFormError(named.length > 0 ? 'Please correct the fields marked in red.' : error.message);
    } finally {
      setBusy(false);
    }
  }

  /** Someone else changed the book since it was opened: show their values beside the user's. */
  async function showConflict() {
    try {
      const theirs = await bookAfter(book.bid, baseVersion);
      setConflict({ theirs });
    } catch (error) {
      setFormError(`The book was changed by someone else, and it could not be read again: ${error.message}`);
    }
  }

  function useTheirs() {
    setValues(initialValues(conflict.theirs));
    setBaseVersion(conflict.theirs.version);
    setConflict(null);
  }

  function keepMine() {
    setBaseVersion(conflict.theirs.version);
    setConflict(null);
    setFormError(`Your changes are kept; saving now replaces version ${conflict.theirs.version}.`);
  }

  return (
    <form className="book-form" onSubmit={submit} noValidate>
      <h2>{book ? `Edit “${book.title}”` : 'Add a book'}</h2>
      {conflict && <Conflict theirs={conflict.theirs} values={values} onTheirs={useTheirs} onMine={keepMine}
                             onClose={onCancel} />}
      {FIELDS.map(({ name, label, type, multiline, required, placeholder }) => {
        const invalid = Boolean(errors[name]);
        const aria = { 'aria-invalid': invalid || undefined, 'aria-describedby': invalid ? `${id}-${name}-error` : undefined };
        return (
          <label key={name} className={invalid ? 'invalid' : ''}>
            <span>{label}{required && ' *'}</span>
            {multiline ? (
              <textarea name={name} rows={3} value={values[name]} {...aria}
                        onChange={(e) => setValues({ ...values, [name]: e.target.value })} />
            ) : (
              <input name={name} type={type || 'text'} value={values[name]} placeholder={placeholder} {...aria}
                     onChange={(e) => setValues({ ...values, [name]: e.target.value })} />
            )}
            {invalid && <small className="field-error" id={`${id}-${name}-error`} data-field={name}>{errors[name]}</small>}
          </label>
        );
      })}
      {formError && <p className="form-error" role="alert">{formError}</p>}
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy || Boolean(conflict)}>{book ? 'Save changes' : 'Add book'}</button>
        {book && <button type="button" onClick={onCancel}>Cancel</button>}
      </div>
    </form>
  );
}

/** Their values (now stored) beside the user's, for the fields that differ, and the two ways on. */
function Conflict({ theirs, values, onTheirs, onMine, onClose }) {
  if (!theirs) {
    return (
      <div className="conflict" role="alert">
        <p>Someone else deleted this book while you were editing it.</p>
        <button type="button" onClick={onClose}>Close the form</button>
      </div>
    );
  }
  const differing = FIELDS.filter(({ name }) => shown(theirs, name) !== String(values[name] ?? ''));
  return (
    <div className="conflict" role="alert">
      <p>Someone else changed this book (it is now at version {theirs.version}). Their values and yours:</p>
      <table>
        <thead><tr><th>Field</th><th>Theirs</th><th>Yours</th></tr></thead>
        <tbody>
          {differing.map(({ name, label }) => (
            <tr key={name} data-field={name}>
              <th scope="row">{label}</th><td className="theirs">{shown(theirs, name)}</td><td className="yours">{values[name]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="buttons">
        <button type="button" onClick={onTheirs}>Use their version</button>
        <button type="button" className="danger" onClick={onMine}>Keep mine and overwrite</button>
      </div>
    </div>
  );
}
