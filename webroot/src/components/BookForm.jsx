import { useId, useState } from 'react';
import { ApiError, bookAfter } from '../api.js';
import { useI18n } from '../i18n.jsx';

/** Each field with the message key of its label. */
const FIELDS = [
  { name: 'title', label: 'title', required: true },
  { name: 'author', label: 'author' },
  { name: 'category', label: 'category' },
  { name: 'pages', label: 'pages', type: 'number', required: true },
  { name: 'price', label: 'price', type: 'number', required: true },
  { name: 'publishedDate', label: 'published', type: 'date' },
  { name: 'isbn', label: 'isbn13', placeholder: '978-0-306-40615-7' },
  { name: 'description', label: 'description', multiline: true },
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
  const { t } = useI18n();
  const [values, setValues] = useState(() => initialValues(book));
  // The version this edit is based on: the book's, or theirs once the user chose to overwrite a conflict.
  const [baseVersion, setBaseVersion] = useState(book?.version);
  const [errors, setErrors] = useState({});
  const [formError, setFormError] = useState(null);
  const [conflict, setConflict] = useState(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  // While its command is in flight the form is read-only (focus stays where it is): the live stream can show
  // the new book before the command's answer arrives, and what is typed then would be cleared by that answer.
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
      setFormError(named.length > 0 ? t('correctFields') : error.message);
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
      setFormError(t('changedUnreadable', { error: error.message }));
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
    setFormError(t('keptMine', { version: conflict.theirs.version }));
  }

  return (
    <form className="book-form" onSubmit={submit} noValidate>
      <h2>{book ? t('editBook', { title: book.title }) : t('addBook')}</h2>
      {conflict && <Conflict theirs={conflict.theirs} values={values} onTheirs={useTheirs} onMine={keepMine}
                             onClose={onCancel} />}
      {FIELDS.map(({ name, label, type, multiline, required, placeholder }) => {
        const invalid = Boolean(errors[name]);
        const aria = { 'aria-invalid': invalid || undefined, 'aria-describedby': invalid ? `${id}-${name}-error` : undefined };
        return (
          <label key={name} className={invalid ? 'invalid' : ''}>
            <span>{t(label)}{required && ' *'}</span>
            {multiline ? (
              <textarea name={name} rows={3} value={values[name]} readOnly={busy} {...aria}
                        onChange={(e) => setValues({ ...values, [name]: e.target.value })} />
            ) : (
              <input name={name} type={type || 'text'} value={values[name]} placeholder={placeholder} readOnly={busy}
                     {...aria} onChange={(e) => setValues({ ...values, [name]: e.target.value })} />
            )}
            {invalid && <small className="field-error" id={`${id}-${name}-error`} data-field={name}>{errors[name]}</small>}
          </label>
        );
      })}
      {formError && <p className="form-error" role="alert">{formError}</p>}
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy || Boolean(conflict)}>{book ? t('saveChanges') : t('add')}</button>
        {book && <button type="button" onClick={onCancel}>{t('cancel')}</button>}
      </div>
    </form>
  );
}

/** Their values (now stored) beside the user's, for the fields that differ, and the two ways on. */
function Conflict({ theirs, values, onTheirs, onMine, onClose }) {
  const { t } = useI18n();
  if (!theirs) {
    return (
      <div className="conflict" role="alert">
        <p>{t('deletedMeanwhile')}</p>
        <button type="button" onClick={onClose}>{t('closeForm')}</button>
      </div>
    );
  }
  const differing = FIELDS.filter(({ name }) => shown(theirs, name) !== String(values[name] ?? ''));
  return (
    <div className="conflict" role="alert">
      <p>{t('changedMeanwhile', { version: theirs.version })}</p>
      <table>
        <thead><tr><th>{t('field')}</th><th>{t('theirs')}</th><th>{t('yours')}</th></tr></thead>
        <tbody>
          {differing.map(({ name, label }) => (
            <tr key={name} data-field={name}>
              <th scope="row">{t(label)}</th><td className="theirs">{shown(theirs, name)}</td><td className="yours">{values[name]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="buttons">
        <button type="button" onClick={onTheirs}>{t('useTheirs')}</button>
        <button type="button" className="danger" onClick={onMine}>{t('keepMine')}</button>
      </div>
    </div>
  );
}
