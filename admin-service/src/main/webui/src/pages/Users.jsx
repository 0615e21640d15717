import { useState } from 'react';
import { api, query } from '../lib/api.js';
import { Badge, ErrorBox, Field, Form, Notice, Page, Pager, Panel, Table, useAsync } from '../components.jsx';
import { formatMicros, formatTime, parseDollars } from '../lib/format.js';

/** Users (admin only): create, top up, switch on and off, see their journal. */
export function Users() {
  const [page, setPage] = useState(0);
  const [creating, setCreating] = useState(false);
  const [topUp, setTopUp] = useState(null);
  const [journalOf, setJournalOf] = useState(null);
  const [message, setMessage] = useState(null);
  const [error, setError] = useState(null);
  const users = useAsync((signal) => api.get('/api/users' + query({ page, size: 50 }), { signal }), [page]);

  async function toggle(u) {
    setError(null);
    try {
      await api.patch(`/api/users/${u.id}`, { enabled: !u.enabled });
      users.reload();
    } catch (e) {
      setError(e);
    }
  }

  async function endSessions(u) {
    setError(null);
    setMessage(null);
    try {
      await api.post(`/api/users/${u.id}/sessions/revoke`);
      setMessage(`Signed ${u.username} out everywhere`);
    } catch (e) {
      // A 503 says the others may lag: the message tells, and the server keeps sending it.
      setError(e);
    }
  }

  return (
    <Page name="users" title="Users" ready={!!users.data} actions={
      <button type="button" className="primary" onClick={() => setCreating(true)}>New user</button>
    }>
      <ErrorBox error={users.error || error} />
      {message && <Notice>{message}</Notice>}
      {creating && <UserForm onClose={() => setCreating(false)}
        onCreated={(u) => { setCreating(false); setMessage(`Created ${u.username} (#${u.id})`); users.reload(); }} />}
      {topUp && <TopUpForm user={topUp} onClose={() => setTopUp(null)}
        onDone={(entry) => { setTopUp(null); setMessage(`Credited ${formatMicros(entry.amountMicros)}; balance ${formatMicros(entry.balanceAfterMicros)}`); users.reload(); }} />}
      {journalOf && <Journal user={journalOf} onClose={() => setJournalOf(null)} />}
      <Table testId="users" rows={users.data?.items} columns={[
        { key: 'id', title: '#' },
        { key: 'username', title: 'Username' },
        { key: 'role', title: 'Role' },
        { key: 'group', title: 'Group' },
        { key: 'balance', title: 'Balance', className: 'num', render: (u) => formatMicros(u.balanceMicros) },
        { key: 'limits', title: 'RPM / TPM', render: (u) => `${u.rpmLimit ?? '∞'} / ${u.tpmLimit ?? '∞'}` },
        { key: 'enabled', title: 'State', render: (u) => <Badge on={u.enabled} /> },
        { key: 'created', title: 'Created', render: (u) => formatTime(u.createdAt) },
        { key: 'actions', title: '', render: (u) => <span className="row-actions">
          <button type="button" onClick={() => setTopUp(u)}>Top up</button>
          <button type="button" onClick={() => setJournalOf(u)}>Journal</button>
          <button type="button" onClick={() => toggle(u)}>{u.enabled ? 'Disable' : 'Enable'}</button>
          <button type="button" title="End every session of this user" onClick={() => endSessions(u)}>End sessions</button>
        </span> },
      ]} />
      {users.data && <Pager page={page} size={users.data.size} total={users.data.total} onPage={setPage} />}
    </Page>
  );
}

function UserForm({ onClose, onCreated }) {
  const [f, setF] = useState({ username: '', password: '', group: 'default', role: 'customer' });
  const set = (k) => (e) => setF({ ...f, [k]: e.target.value });
  return (
    <Panel title="New user" onClose={onClose}>
      <Form onSubmit={async () => onCreated(await api.post('/api/users', f))} submitLabel="Create user" testId="user-form" className="grid">
        <Field label="Username"><input name="username" value={f.username} onChange={set('username')} required /></Field>
        <Field label="Password" hint="At least 8 characters"><input name="password" type="password" autoComplete="new-password" value={f.password} onChange={set('password')} required minLength={8} /></Field>
        <Field label="Group"><input name="group" value={f.group} onChange={set('group')} /></Field>
        <Field label="Role">
          <select name="role" value={f.role} onChange={set('role')}><option>customer</option><option>admin</option></select>
        </Field>
      </Form>
    </Panel>
  );
}

function TopUpForm({ user, onClose, onDone }) {
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  async function submit() {
    const micros = parseDollars(amount);
    if (micros === null || micros === 0) throw Object.assign(new Error('amount: a dollar amount, e.g. 10 or 0.50'), { code: 'invalid_request' });
    onDone(await api.post(`/api/users/${user.id}/topups`, { amountMicros: micros, note: note || undefined }));
  }
  return (
    <Panel title={`Top up ${user.username} (balance ${formatMicros(user.balanceMicros)})`} onClose={onClose}>
      <Form onSubmit={submit} submitLabel="Credit" testId="topup-form" className="grid">
        <Field label="Amount ($)" hint="Negative for a correction"><input name="amount" value={amount} onChange={(e) => setAmount(e.target.value)} required /></Field>
        <Field label="Note"><input name="note" value={note} onChange={(e) => setNote(e.target.value)} /></Field>
      </Form>
    </Panel>
  );
}

function Journal({ user, onClose }) {
  const [page, setPage] = useState(0);
  const journal = useAsync((signal) => api.get(`/api/users/${user.id}/journal` + query({ page, size: 20 }), { signal }), [user.id, page]);
  return (
    <Panel title={`Journal of ${user.username}`} onClose={onClose}>
      <ErrorBox error={journal.error} />
      <Table rows={journal.data?.items} columns={[
        { key: 'at', title: 'When', render: (e) => formatTime(e.at) },
        { key: 'kind', title: 'Kind' },
        { key: 'amount', title: 'Amount', className: 'num', render: (e) => formatMicros(e.amountMicros) },
        { key: 'after', title: 'Balance after', className: 'num', render: (e) => formatMicros(e.balanceAfterMicros) },
        { key: 'note', title: 'Note' },
      ]} />
      {journal.data && <Pager page={page} size={journal.data.size} total={journal.data.total} onPage={setPage} />}
    </Panel>
  );
}
