import { useState } from 'react';
import { api, query } from '../lib/api.js';
import { ErrorBox, Field, Form, Notice, Page, Pager, Panel, Table, useAsync } from '../components.jsx';
import { formatMicros, formatPerMTok, formatTime, parseDollars } from '../lib/format.js';

const FIELDS = [
  ['inputMicrosPerMTok', 'Input $/M tokens'],
  ['outputMicrosPerMTok', 'Output $/M tokens'],
  ['cachedInputMicrosPerMTok', 'Cached input $/M tokens'],
  ['cacheWriteMicrosPerMTok', 'Cache write $/M tokens'],
  ['reasoningMicrosPerMTok', 'Reasoning $/M tokens (empty: as output)'],
  ['perRequestMicros', '$ per request'],
  ['perImageMicros', '$ per image'],
  ['perAudioSecondMicros', '$ per audio second'],
];

/** Model prices (latest version of each); customers may read them, only an admin sets one (a new version). */
export function Prices({ session }) {
  const isAdmin = session.role === 'admin';
  const [page, setPage] = useState(0);
  const [editing, setEditing] = useState(null);
  const [message, setMessage] = useState(null);
  const prices = useAsync((signal) => api.get('/api/prices' + query({ page, size: 50 }), { signal }), [page]);
  return (
    <Page name="prices" title="Prices" ready={!!prices.data} actions={isAdmin &&
      <button type="button" className="primary" onClick={() => setEditing({ model: '', isNew: true })}>New price</button>}>
      <ErrorBox error={prices.error} />
      {message && <Notice>{message}</Notice>}
      {editing && <PriceForm initial={editing} onClose={() => setEditing(null)}
        onSaved={(p) => { setEditing(null); setMessage(`Price of ${p.model} is now version ${p.version}`); prices.reload(); }} />}
      <Table rowKey={(p) => p.model} rows={prices.data?.items} columns={[
        { key: 'model', title: 'Model', className: 'mono' },
        { key: 'version', title: 'Version', className: 'num' },
        { key: 'in', title: 'Input /M', className: 'num', render: (p) => formatPerMTok(p.inputMicrosPerMTok) },
        { key: 'out', title: 'Output /M', className: 'num', render: (p) => formatPerMTok(p.outputMicrosPerMTok) },
        { key: 'cached', title: 'Cached /M', className: 'num', render: (p) => formatPerMTok(p.cachedInputMicrosPerMTok) },
        { key: 'write', title: 'Cache write /M', className: 'num', render: (p) => formatPerMTok(p.cacheWriteMicrosPerMTok) },
        { key: 'req', title: 'Per request', className: 'num', render: (p) => formatPerMTok(p.perRequestMicros) },
        { key: 'created', title: 'Since', render: (p) => formatTime(p.createdAt) },
        ...(isAdmin ? [{ key: 'actions', title: '', render: (p) => <button type="button" onClick={() => setEditing(p)}>New version</button> }] : []),
      ]} />
      {prices.data && <Pager page={page} size={prices.data.size} total={prices.data.total} onPage={setPage} />}
    </Page>
  );
}

function PriceForm({ initial, onClose, onSaved }) {
  const [model, setModel] = useState(initial.model);
  const [values, setValues] = useState(Object.fromEntries(FIELDS.map(([k]) => [k,
    initial[k] ? formatMicros(initial[k]).replace('$', '') : ''])));
  const [reserve, setReserve] = useState(initial.outputReserveTokens ?? '');
  async function save() {
    const body = {};
    for (const [k, label] of FIELDS) {
      if (values[k] === '') continue;
      const micros = parseDollars(values[k]);
      if (micros === null || micros < 0) throw Object.assign(new Error(`${label}: a dollar amount`), { code: 'invalid_request' });
      body[k] = micros;
    }
    if (reserve !== '') body.outputReserveTokens = Number(reserve);
    onSaved(await api.put(`/api/prices/${encodeURIComponent(model)}`, body));
  }
  return (
    <Panel title={initial.isNew ? 'New price' : `New price version for ${initial.model}`} onClose={onClose}>
      <Form onSubmit={save} className="grid" testId="price-form">
        <Field label="Model" hint="* is the default price for unpriced models"><input name="model" value={model} onChange={(e) => setModel(e.target.value)} required disabled={!initial.isNew} /></Field>
        {FIELDS.map(([k, label]) => (
          <Field key={k} label={label}><input name={k} value={values[k]} onChange={(e) => setValues({ ...values, [k]: e.target.value })} /></Field>
        ))}
        <Field label="Output reserve (tokens)" hint="Admission's estimate when max_tokens is absent"><input name="outputReserveTokens" type="number" min="0" value={reserve} onChange={(e) => setReserve(e.target.value)} /></Field>
      </Form>
    </Panel>
  );
}
