import { useState } from 'react';
import { useI18n } from '../i18n.jsx';

/** Asked once per browser session where the server does not hand out a token (anywhere but its own machine). */
export default function TokenForm({ onToken }) {
  const { t } = useI18n();
  const [token, setToken] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function submit(event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onToken(token);
    } catch (failure) {
      setError(failure.status === 401 || failure.status === 403
        ? t('tokenRefused')
        : failure.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="token-form" onSubmit={submit}>
      <h2>{t('signIn')}</h2>
      <p>{t('signInHelp')}</p>
      <label>
        <span>{t('commandToken')}</span>
        <input name="token" type="password" autoComplete="off" value={token}
               onChange={(event) => setToken(event.target.value)} required />
      </label>
      {error && <p className="form-error" role="alert">{error}</p>}
      <button type="submit" disabled={busy || token.trim() === ''}>{t('useToken')}</button>
    </form>
  );
}
