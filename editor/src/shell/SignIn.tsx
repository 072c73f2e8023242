import { useId, useState, type FormEvent } from 'react';
import { errorMessage } from '../api/errors';
import { useSession } from './session';
import './SignIn.css';

export function SignIn() {
  const { signIn } = useSession();
  const [key, setKey] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const id = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(key.trim());
    } catch (cause) {
      setError(errorMessage(cause));
      setBusy(false);
    }
  };

  return (
    <main className="signin">
      <form className="signin__card card" onSubmit={submit}>
        <div className="signin__brand">
          <span className="brand-mark" aria-hidden="true" />
          <h1>Batchgraph</h1>
        </div>
        <p className="muted">
          Sign in with your API key. Your administrator can create one for you.
        </p>
        <div className="field">
          <label htmlFor={id} className="field__label">
            API key
          </label>
          <input
            id={id}
            className="input"
            type="password"
            autoComplete="current-password"
            value={key}
            onChange={(event) => setKey(event.target.value)}
            required
            autoFocus
          />
        </div>
        {error && (
          <p className="field__error" role="alert">
            {error}
          </p>
        )}
        <button
          type="submit"
          className="button button--primary"
          disabled={busy || key.trim() === ''}
        >
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
