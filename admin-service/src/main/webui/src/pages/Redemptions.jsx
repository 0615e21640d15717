import { useState } from 'react';
import { api, query } from '../lib/api.js';
import { ErrorBox, Field, Form, Notice, Page, Pager, Panel, ShownOnce, Table, useAsync } from '../components.jsx';
import { formatMicros, formatTime, parseDollars } from '../lib/format.js';

/** Redemption code batches (admin only): create a batch (its codes are shown once), see which codes were used. */
export function Redemptions() {
  const [page, setPage] = useState(0);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState(null);
  const [codesOf, setCodesOf] = useState(null);
  const batches = useAsync((signal) => api.get('/api/redemptions' + query({ page, size: 50 }), { signal }), [page]);
  return (
    <Page name="redemptions" title="Redemption codes" ready={!!batches.data} actions={
      <button type="button" className="primary" onClick={() => { setCreating(true); setCreated(null); }}>New batch</button>}>
      <ErrorBox error={batches.error} />
      {created && <ShownOnce title={`${created.count} codes of ${formatMicros(created.amountMicros)} in ${created.name}`}
        secret={created.codes.join('\n')} onDone={() => setCreated(null)} />}
      {creating && <BatchForm onClose={() => setCreating(false)}
        onCreated={(b) => { setCreating(false); setCreated(b); batches.reload(); }} />}
      {codesOf && <Codes batch={codesOf} onClose={() => setCodesOf(null)} />}
      <Table rowKey={(b) => b.name} rows={batches.data?.items} columns={[
        { key: 'name', title: 'Batch' },
        { key: 'amount', title: 'Each', className: 'num', render: (b) => formatMicros(b.amountMicros) },
        { key: 'used', title: 'Redeemed', className: 'num', render: (b) => `${b.redeemed} / ${b.total}` },
        { key: 'expires', title: 'Expires', render: (b) => (b.expiresAt ? formatTime(b.expiresAt) : 'never') },
        { key: 'actions', title: '', render: (b) => <button type="button" onClick={() => setCodesOf(b)}>Codes</button> },
      ]} />
      {batches.data && <Pager page={page} size={batches.data.size} total={batches.data.total} onPage={setPage} />}
    </Page>
  );
}

function BatchForm({ onClose, onCreated }) {
  const [f, setF] = useState({ name: '', amount: '', count: 10, expiresAt: '' });
  const set = (k) => (e) => setF({ ...f, [k]: e.target.value });
  async function create() {
    const micros = parseDollars(f.amount);
    if (micros === null || micros <= 0) throw Object.assign(new Error('amount: a positive dollar amount'), { code: 'invalid_request' });
    const body = { name: f.name, amountMicros: micros, count: Number(f.count) };
    if (f.expiresAt) body.expiresAt = new Date(f.expiresAt + 'Z').toISOString();
    onCreated(await api.post('/api/redemptions', body));
  }
  return (
    <Panel title="New batch of codes" onClose={onClose}>
      <Form onSubmit={create} submitLabel="Create codes" className="grid">
        <Field label="Batch name"><input name="name" value={f.name} onChange={set('name')} required /></Field>
        <Field label="Amount each ($)"><input name="amount" value={f.amount} onChange={set('amount')} required /></Field>
        <Field label="How many"><input name="count" type="number" min="1" max="10000" value={f.count} onChange={set('count')} required /></Field>
        <Field label="Expires (UTC)"><input name="expiresAt" type="datetime-local" value={f.expiresAt} onChange={set('expiresAt')} /></Field>
      </Form>
    </Panel>
  );
}

function Codes({ batch, onClose }) {
  const [page, setPage] = useState(0);
  const codes = useAsync((signal) => api.get(`/api/redemptions/${encodeURIComponent(batch.name)}/codes` + query({ page, size: 50 }), { signal }), [batch.name, page]);
  return (
    <Panel title={`Codes of ${batch.name}`} onClose={onClose}>
      <ErrorBox error={codes.error} />
      <Table rowKey={(c) => c.prefix} rows={codes.data?.items} columns={[
        { key: 'prefix', title: 'Code', className: 'mono', render: (c) => `${c.prefix}…` },
        { key: 'by', title: 'Redeemed by', render: (c) => c.redeemedBy ?? '—' },
        { key: 'at', title: 'At', render: (c) => (c.redeemedAt ? formatTime(c.redeemedAt) : '—') },
      ]} />
      {codes.data && <Pager page={page} size={codes.data.size} total={codes.data.total} onPage={setPage} />}
    </Panel>
  );
}

/** A customer redeems a code for credit. */
export function Redeem() {
  const [code, setCode] = useState('');
  const [done, setDone] = useState(null);
  return (
    <Page name="redeem" title="Redeem a code">
      {done && <Notice kind="ok">Credited {formatMicros(done.amountMicros)}. Your balance is now {formatMicros(done.balanceAfterMicros)}.</Notice>}
      <Form onSubmit={async () => { setDone(await api.post('/api/redemptions/redeem', { code: code.trim() })); setCode(''); }} submitLabel="Redeem">
        <Field label="Code"><input name="code" value={code} onChange={(e) => setCode(e.target.value)} required autoComplete="off" /></Field>
      </Form>
    </Page>
  );
}
