import { useState } from 'react';
import { api, query } from '../lib/api.js';
import { ErrorBox, Field, Form, Notice, Page, Pager, Panel, Table, useAsync } from '../components.jsx';
import { formatTime } from '../lib/format.js';

const multiplier = (bp) => `${(bp / 10_000).toFixed(bp % 100 === 0 ? 2 : 4)}×`;

/** User groups (admin only): price multiplier and rate limits over all the group's users. */
export function Groups() {
  const [page, setPage] = useState(0);
  const [editing, setEditing] = useState(null);
  const [message, setMessage] = useState(null);
  const groups = useAsync((signal) => api.get('/api/groups' + query({ page, size: 50 }), { signal }), [page]);
  return (
    <Page name="groups" title="Groups" ready={!!groups.data} actions={
      <button type="button" className="primary" onClick={() => setEditing({ name: '', multiplierBp: 10000, rpmLimit: '', tpmLimit: '', isNew: true })}>New group</button>
    }>
      <ErrorBox error={groups.error} />
      {message && <Notice>{message}</Notice>}
      {editing && <GroupForm initial={editing} onClose={() => setEditing(null)}
        onSaved={(g) => { setEditing(null); setMessage(`Saved group ${g.name}`); groups.reload(); }} />}
      <Table rowKey={(g) => g.name} rows={groups.data?.items} columns={[
        { key: 'name', title: 'Name' },
        { key: 'multiplier', title: 'Multiplier', className: 'num', render: (g) => multiplier(g.multiplierBp) },
        { key: 'rpm', title: 'RPM limit', className: 'num', render: (g) => g.rpmLimit ?? '∞' },
        { key: 'tpm', title: 'TPM limit', className: 'num', render: (g) => g.tpmLimit ?? '∞' },
        { key: 'updated', title: 'Updated', render: (g) => formatTime(g.updatedAt) },
        { key: 'actions', title: '', render: (g) => <button type="button" onClick={() => setEditing({ ...g, rpmLimit: g.rpmLimit ?? '', tpmLimit: g.tpmLimit ?? '' })}>Edit</button> },
      ]} />
      {groups.data && <Pager page={page} size={groups.data.size} total={groups.data.total} onPage={setPage} />}
    </Page>
  );
}

function GroupForm({ initial, onClose, onSaved }) {
  const [f, setF] = useState(initial);
  const set = (k) => (e) => setF({ ...f, [k]: e.target.value });
  async function save() {
    const body = { multiplierBp: Number(f.multiplierBp) };
    if (f.rpmLimit !== '') body.rpmLimit = Number(f.rpmLimit);
    if (f.tpmLimit !== '') body.tpmLimit = Number(f.tpmLimit);
    onSaved(await api.put(`/api/groups/${encodeURIComponent(f.name)}`, body));
  }
  return (
    <Panel title={initial.isNew ? 'New group' : `Edit group ${initial.name}`} onClose={onClose}>
      <Form onSubmit={save} className="grid">
        <Field label="Name"><input name="name" value={f.name} onChange={set('name')} required disabled={!initial.isNew} /></Field>
        <Field label="Multiplier (basis points)" hint="10000 = 1×, 8000 = 0.8×"><input name="multiplierBp" type="number" min="0" value={f.multiplierBp} onChange={set('multiplierBp')} required /></Field>
        <Field label="Requests per minute" hint="Empty: no limit"><input name="rpmLimit" type="number" min="1" value={f.rpmLimit} onChange={set('rpmLimit')} /></Field>
        <Field label="Tokens per minute" hint="Empty: no limit"><input name="tpmLimit" type="number" min="1" value={f.tpmLimit} onChange={set('tpmLimit')} /></Field>
      </Form>
    </Panel>
  );
}
