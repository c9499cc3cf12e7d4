import { useState } from 'react';

/** Asked once per browser session where the server does not hand out a token (anywhere but its own machine). */
export default function TokenForm({ onToken }) {
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
        ? 'This token is not accepted. Check it and try again.'
        : failure.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="token-form" onSubmit={submit}>
      <h2>Sign in to make changes</h2>
      <p>Reading is open to everyone. To add, edit or delete books, paste a command token
        (an operator makes one with <code>./run.sh token</code>).</p>
      <label>
        <span>Command token</span>
        <input name="token" type="password" autoComplete="off" value={token}
               onChange={(event) => setToken(event.target.value)} required />
      </label>
      {error && <p className="form-error" role="alert">{error}</p>}
      <button type="submit" disabled={busy || token.trim() === ''}>Use token</button>
    </form>
  );
}
