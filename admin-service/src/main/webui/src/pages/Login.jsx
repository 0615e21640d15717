import { useEffect, useState } from 'react';
import { api, saveSession } from '../lib/api.js';
import { ErrorBox } from '../components.jsx';

/** Sign in, or sign up when registration is on. */
export function Login({ onSignedIn }) {
  const [mode, setMode] = useState('login');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [error, setError] = useState(null);
  const [pending, setPending] = useState(false);
  const [registration, setRegistration] = useState(false);

  useEffect(() => {
    api.get('/api/auth/options').then((o) => setRegistration(!!o?.registrationEnabled)).catch(() => {});
  }, []);

  async function submit(e) {
    e.preventDefault();
    setPending(true);
    setError(null);
    try {
      const path = mode === 'login' ? '/api/auth/login' : '/api/auth/register';
      // The code is sent only when typed: accounts without TOTP never need it.
      const answer = await api.post(path, mode === 'login' && totp ? { username, password, totp } : { username, password });
      saveSession({ token: answer.token, role: answer.role, userId: answer.userId, username });
      onSignedIn({ token: answer.token, role: answer.role, userId: answer.userId, username });
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  }

  return (
    <main className="login" data-page="login" data-ready="true">
      <form className="form card" onSubmit={submit}>
        <h1>Tollgate</h1>
        <p className="muted">{mode === 'login' ? 'Sign in to the gateway.' : 'Create a customer account.'}</p>
        <label className="field">
          <span>Username</span>
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)}
            required autoFocus />
        </label>
        <label className="field">
          <span>Password</span>
          <input name="password" type="password" autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
            value={password} onChange={(e) => setPassword(e.target.value)} required
            minLength={mode === 'login' ? undefined : 8} />
        </label>
        {mode === 'login' && (
          <label className="field">
            <span>Authenticator code</span>
            <input name="totp" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" maxLength={6}
              placeholder="only if TOTP is on" value={totp} onChange={(e) => setTotp(e.target.value.trim())} />
          </label>
        )}
        <ErrorBox error={error} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={pending}>
            {mode === 'login' ? 'Sign in' : 'Create account'}
          </button>
          {registration && (
            <button type="button" className="link" onClick={() => setMode(mode === 'login' ? 'register' : 'login')}>
              {mode === 'login' ? 'No account? Sign up' : 'Have an account? Sign in'}
            </button>
          )}
        </div>
      </form>
    </main>
  );
}
