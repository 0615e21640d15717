import { useEffect, useState } from 'react';
import { api } from '../lib/api.js';
import { ErrorBox, Field, Form, Notice, Page, useAsync } from '../components.jsx';
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
    </Page>
  );
}
