import { useEffect, useState } from 'react';
import { api, clearSession, saveSession, session } from '../lib/api.js';
import { ErrorBox, Field, Form, Notice, Page, ShownOnce, useAsync } from '../components.jsx';
import { formatTime } from '../lib/format.js';

/** Gateway settings (admin only): self-registration and the relay URL clients and the playground use. */
export function Settings() {
  const settings = useAsync((signal) => api.get('/api/settings', { signal }), []);
  const [f, setF] = useState(null);
  const [saved, setSaved] = useState(null);
  useEffect(() => {
    if (settings.data) setF(settings.data);
  }, [settings.data]);
  async function save() {
    const answer = await api.put('/api/settings', {
      registrationEnabled: f.registrationEnabled, registrationGroup: f.registrationGroup, relayUrl: f.relayUrl,
    });
    setF(answer);
    setSaved(answer);
  }
  return (
    <Page name="settings" title="Settings" ready={!!f}>
      <ErrorBox error={settings.error} />
      {saved && <Notice kind="ok">Saved (version {saved.version}).</Notice>}
      {f && (
        <Form onSubmit={save} testId="settings-form">
          <label className="check">
            <input type="checkbox" name="registrationEnabled" checked={f.registrationEnabled}
              onChange={(e) => setF({ ...f, registrationEnabled: e.target.checked })} />
            Anyone may sign up for a customer account
          </label>
          <Field label="Group of new sign-ups"><input name="registrationGroup" value={f.registrationGroup} onChange={(e) => setF({ ...f, registrationGroup: e.target.value })} /></Field>
          <Field label="Relay URL" hint="Where clients and the playground reach the relay (its /v1 lives under it)">
            <input name="relayUrl" value={f.relayUrl} onChange={(e) => setF({ ...f, relayUrl: e.target.value })} />
          </Field>
          <p className="muted">Last changed {formatTime(f.updatedAt)}.</p>
        </Form>
      )}
      <TotpPanel />
      <SessionsPanel />
    </Page>
  );
}

/** Ends every session of the signed-in account, on every admin instance, this one included. */
function SessionsPanel() {
  const [error, setError] = useState(null);
  const [lagging, setLagging] = useState(false);
  async function signOutEverywhere() {
    setError(null);
    try {
      await api.post('/api/auth/logout-all');
      signInAgain();
    } catch (e) {
      // 503: ended on this server already (this page's token too); it keeps sending it to the others.
      if (e.code === 'ledger_unavailable') setLagging(true);
      else setError(e);
    }
  }
  function signInAgain() {
    clearSession();
    window.location.reload();
  }
  return (
    <section className="card" data-testid="sessions">
      <h2>Sessions</h2>
      <ErrorBox error={error} />
      {lagging ? (
        <Notice kind="warn">
          <span data-testid="sessions-lagging">Signed out on this server. The ledger has not confirmed it yet, so other
          admin servers may accept this account's sessions for a while; this server keeps sending it until the ledger
          does.</span>{' '}
          <button type="button" onClick={signInAgain}>Sign in again</button>
        </Notice>
      ) : (
        <>
          <p className="muted">Signs this account out in every browser and script that uses one of its session tokens.</p>
          <button type="button" onClick={signOutEverywhere}>Sign out everywhere</button>
        </>
      )}
    </section>
  );
}

/** Two-step sign-in for the signed-in account: set up (secret shown once), then enable or disable with a code. */
function TotpPanel() {
  const status = useAsync((signal) => api.get('/api/auth/totp', { signal }), []);
  const [setup, setSetup] = useState(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState(null);
  async function call(path, body) {
    setError(null);
    try {
      const answer = await api.post(path, body);
      // Switching TOTP on or off ends every earlier session, this one too: go on with the token it answers.
      if (answer?.token) saveSession({ ...session(), token: answer.token });
      setCode('');
      status.reload();
      return answer;
    } catch (e) {
      setError(e);
      return null;
    }
  }
  const s = status.data;
  return (
    <section className="card" data-testid="totp">
      <h2>Authenticator (TOTP) sign-in</h2>
      <ErrorBox error={status.error || error} />
      {setup && <ShownOnce title="Add this secret to your authenticator app" secret={`${setup.secret}\n${setup.otpauthUri}`}
        onDone={() => setSetup(null)} />}
      {s && <p className="muted">{s.enabled ? 'On: sign-in asks for a code.' : s.pending ? 'Set up, not on yet: confirm with a code.' : 'Off.'}</p>}
      {s && !s.enabled && (
        <button type="button" onClick={async () => setSetup(await call('/api/auth/totp/setup', {}))}>
          {s.pending ? 'New secret' : 'Set up'}
        </button>
      )}
      {s && (s.enabled || s.pending) && (
        <div className="form-actions">
          <input name="totpCode" inputMode="numeric" maxLength={6} placeholder="6-digit code" value={code}
            onChange={(e) => setCode(e.target.value.trim())} />
          <button type="button" className="primary"
            onClick={() => call(s.enabled ? '/api/auth/totp/disable' : '/api/auth/totp/enable', { code })}>
            {s.enabled ? 'Turn off' : 'Turn on'}
          </button>
        </div>
      )}
    </section>
  );
}
