import { useState } from 'react';
import { api, query } from '../lib/api.js';
import { Badge, ErrorBox, Field, Form, Page, Pager, Panel, ShownOnce, Table, useAsync } from '../components.jsx';
import { formatMicros, formatTime, parseDollars } from '../lib/format.js';

/** API keys: an admin sees everyone's (filter by user), a customer their own. A new key is shown once. */
export function Keys({ session }) {
  const isAdmin = session.role === 'admin';
  const [page, setPage] = useState(0);
  const [userId, setUserId] = useState('');
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState(null);
  const [error, setError] = useState(null);
  const keys = useAsync((signal) => api.get('/api/keys' + query({ page, size: 50, userId: isAdmin ? userId : '' }), { signal }),
    [page, userId]);

  async function patch(k, body) {
    setError(null);
    try {
      await api.patch(`/api/keys/${k.id}`, body);
      keys.reload();
    } catch (e) {
      setError(e);
    }
  }

  /** A new key with the same settings, shown once; the old one keeps working for the grace period. */
  async function rotate(k) {
    const hours = window.prompt(`Rotate key ${k.name} (${k.prefix}…)? The old key keeps working for how many hours `
      + '(0 = stops at once, at most 720)?', '24');
    if (hours === null) return;
    const graceHours = Number(hours);
    if (!Number.isFinite(graceHours) || graceHours < 0 || graceHours > 720) {
      setError(Object.assign(new Error('grace: 0 to 720 hours'), { code: 'invalid_request' }));
      return;
    }
    setError(null);
    try {
      setCreated(await api.post(`/api/keys/${k.id}/rotate`, { graceSeconds: Math.round(graceHours * 3600) }));
      keys.reload();
    } catch (e) {
      setError(e);
    }
  }

  async function remove(k) {
    if (!window.confirm(`Delete key ${k.name} (${k.prefix}…)? Calls with it stop at once.`)) return;
    setError(null);
    try {
      await api.del(`/api/keys/${k.id}`);
      keys.reload();
    } catch (e) {
      setError(e);
    }
  }

  return (
    <Page name="keys" title="API keys" ready={!!keys.data} actions={
      <button type="button" className="primary" onClick={() => { setCreating(true); setCreated(null); }}>New key</button>
    }>
      <ErrorBox error={keys.error || error} />
      {created && <ShownOnce title={created.rotatedFrom ? `Key ${created.name} rotated: its replacement` : `Key ${created.name} created`}
        secret={created.key} onDone={() => setCreated(null)} />}
      {creating && <KeyForm isAdmin={isAdmin} onClose={() => setCreating(false)}
        onCreated={(k) => { setCreating(false); setCreated(k); keys.reload(); }} />}
      {isAdmin && (
        <div className="filters">
          <Field label="User id"><input name="filterUserId" value={userId} onChange={(e) => { setPage(0); setUserId(e.target.value); }} placeholder="all" /></Field>
        </div>
      )}
      <Table testId="keys" rows={keys.data?.items} columns={[
        { key: 'id', title: '#' },
        { key: 'name', title: 'Name' },
        { key: 'prefix', title: 'Key', className: 'mono', render: (k) => `${k.prefix}…` },
        ...(isAdmin ? [{ key: 'userId', title: 'User' }] : []),
        { key: 'group', title: 'Group', render: (k) => k.group || '(user\'s)' },
        { key: 'quota', title: 'Used / quota', className: 'num', render: (k) => `${formatMicros(k.usedMicros)} / ${k.quotaMicros == null ? '∞' : formatMicros(k.quotaMicros)}` },
        { key: 'models', title: 'Models', render: (k) => (k.models?.length ? k.models.join(', ') : 'all') },
        { key: 'expires', title: 'Expires', render: (k) => (k.expiresAt ? formatTime(k.expiresAt) : 'never')
          + (k.rotatedTo ? ` (rotated to #${k.rotatedTo})` : '') + (k.rotatedFrom ? ` (replaces #${k.rotatedFrom})` : '') },
        { key: 'capture', title: 'Capture bodies', render: (k) => (
          // Switches at once: the relay keeps (or stops keeping) the key's request and answer bodies in the log.
          <input type="checkbox" name="captureBodies" className="check-cell" checked={!!k.captureBodies}
            title="Keep this key's request and answer bodies in the request log"
            onChange={() => patch(k, { captureBodies: !k.captureBodies })} />
        ) },
        { key: 'enabled', title: 'State', render: (k) => <Badge on={k.enabled} /> },
        { key: 'actions', title: '', render: (k) => <span className="row-actions">
          <button type="button" onClick={() => patch(k, { enabled: !k.enabled })}>{k.enabled ? 'Disable' : 'Enable'}</button>
          {!k.rotatedTo && <button type="button" onClick={() => rotate(k)}>Rotate</button>}
          <button type="button" onClick={() => remove(k)}>Delete</button>
        </span> },
      ]} />
      {keys.data && <Pager page={page} size={keys.data.size} total={keys.data.total} onPage={setPage} />}
    </Page>
  );
}

function KeyForm({ isAdmin, onClose, onCreated }) {
  const [f, setF] = useState({ userId: '', name: '', quota: '', models: '', expiresAt: '', captureBodies: false });
  const set = (k) => (e) => setF({ ...f, [k]: e.target.value });
  async function create() {
    const body = { name: f.name, captureBodies: f.captureBodies };
    if (isAdmin && f.userId) body.userId = Number(f.userId);
    if (f.quota) {
      const micros = parseDollars(f.quota);
      if (micros === null || micros <= 0) throw Object.assign(new Error('quota: a positive dollar amount'), { code: 'invalid_request' });
      body.quotaMicros = micros;
    }
    if (f.models.trim()) body.models = f.models.split(/[\s,]+/).filter(Boolean);
    if (f.expiresAt) body.expiresAt = new Date(f.expiresAt + 'Z').toISOString();
    onCreated(await api.post('/api/keys', body));
  }
  return (
    <Panel title="New key" onClose={onClose}>
      <Form onSubmit={create} submitLabel="Create key" testId="key-form" className="grid">
        {isAdmin && <Field label="User id" hint="Empty: your own"><input name="userId" value={f.userId} onChange={set('userId')} /></Field>}
        <Field label="Name"><input name="name" value={f.name} onChange={set('name')} required /></Field>
        <Field label="Quota ($)" hint="Empty: no limit beyond the balance"><input name="quota" value={f.quota} onChange={set('quota')} /></Field>
        <Field label="Models" hint="Empty: every model"><input name="models" value={f.models} onChange={set('models')} /></Field>
        <Field label="Expires (UTC)"><input name="expiresAt" type="datetime-local" value={f.expiresAt} onChange={set('expiresAt')} /></Field>
        <label className="check">
          <input name="captureBodies" type="checkbox" checked={f.captureBodies}
            onChange={(e) => setF({ ...f, captureBodies: e.target.checked })} />
          Capture bodies: keep each request's and answer's body (capped) in the request log
        </label>
      </Form>
    </Panel>
  );
}
