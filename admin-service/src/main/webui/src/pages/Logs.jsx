import { useState } from 'react';
import { api, query } from '../lib/api.js';
import { CopyButton, ErrorBox, Field, Notice, Page, Pager, Panel, Table, useAsync } from '../components.jsx';
import { formatMicros, formatMs, formatNumber, formatTime, localInputToIso, prettyBody } from '../lib/format.js';
import { requestIdFromInput } from '../lib/requestId.js';

const STATUSES = ['', 'success', 'cancelled', 'upstream_error', 'rejected'];
const NO_FILTERS = { userId: '', keyId: '', model: '', channelId: '', status: '', from: '', to: '' };

/** The request log, newest first, with filters and paging; a customer's is their own (the API pins it). */
export function Logs({ session }) {
  const isAdmin = session.role === 'admin';
  const [draft, setDraft] = useState(NO_FILTERS);
  const [filters, setFilters] = useState(NO_FILTERS);
  const [page, setPage] = useState(0);
  const [size, setSize] = useState(50);
  const [open, setOpen] = useState(null);
  const [search, setSearch] = useState('');
  const [searchError, setSearchError] = useState(null);
  const [searches, setSearches] = useState(0);
  const logs = useAsync((signal) => api.get('/api/logs' + query({
    ...filters, from: localInputToIso(filters.from), to: localInputToIso(filters.to), page, size,
  }), { signal }), [filters, page, size]);
  const set = (k) => (e) => setDraft({ ...draft, [k]: e.target.value });

  function apply(e) {
    e.preventDefault();
    setPage(0);
    setFilters(draft);
  }

  // The id a client got in x-request-id opens that request directly: no date range to guess, one indexed lookup.
  function find(e) {
    e.preventDefault();
    const id = requestIdFromInput(search);
    if (!id) {
      setSearchError({ code: 'invalid', message: 'a request id is 1 to 40 visible characters, as in the x-request-id header' });
      return;
    }
    setSearchError(null);
    setOpen(id);
    setSearches((n) => n + 1); // the same id again looks again: it may not have been logged yet the first time

  }

  return (
    <Page name="logs" title="Request logs" ready={!!logs.data}>
      <form className="filters log-search" onSubmit={find} data-testid="log-search">
        <Field label="Request id" hint="the x-request-id header of an answer">
          <input name="requestId" className="mono" value={search} placeholder="019…"
            onChange={(e) => setSearch(e.target.value)} />
        </Field>
        <div className="form-actions">
          <button type="submit">Find</button>
        </div>
      </form>
      <ErrorBox error={searchError} />
      <form className="filters" onSubmit={apply} data-testid="log-filters">
        {isAdmin && <Field label="User id"><input name="userId" value={draft.userId} onChange={set('userId')} /></Field>}
        <Field label="Key id"><input name="keyId" value={draft.keyId} onChange={set('keyId')} /></Field>
        <Field label="Model"><input name="model" value={draft.model} onChange={set('model')} /></Field>
        {isAdmin && <Field label="Channel id"><input name="channelId" value={draft.channelId} onChange={set('channelId')} /></Field>}
        <Field label="Status">
          <select name="status" value={draft.status} onChange={set('status')}>
            {STATUSES.map((s) => <option key={s} value={s}>{s || 'any'}</option>)}
          </select>
        </Field>
        <Field label="From (UTC)"><input name="from" type="datetime-local" value={draft.from} onChange={set('from')} /></Field>
        <Field label="To (UTC)"><input name="to" type="datetime-local" value={draft.to} onChange={set('to')} /></Field>
        <Field label="Per page">
          <select name="size" value={size} onChange={(e) => { setPage(0); setSize(Number(e.target.value)); }}>
            {[20, 50, 100, 200].map((n) => <option key={n}>{n}</option>)}
          </select>
        </Field>
        <div className="form-actions">
          <button type="submit" className="primary">Apply</button>
          <button type="button" onClick={() => { setDraft(NO_FILTERS); setFilters(NO_FILTERS); setPage(0); }}>Clear</button>
        </div>
      </form>
      <ErrorBox error={logs.error} />
      {open && <LogDetail key={`${open}#${searches}`} requestId={open} isAdmin={isAdmin} onClose={() => setOpen(null)} />}
      <Table testId="logs" rowKey={(r) => r.requestId} rows={logs.data?.items} empty="No requests match."
        onRowClick={(r) => setOpen(r.requestId)} columns={[
        { key: 'at', title: 'Finished', render: (r) => formatTime(r.at) },
        { key: 'requestId', title: 'Request id', className: 'mono small' },
        ...(isAdmin ? [{ key: 'userId', title: 'User' }] : []),
        { key: 'keyId', title: 'Key' },
        { key: 'model', title: 'Model', render: (r) => (r.modelServed && r.modelServed !== r.model ? `${r.model} → ${r.modelServed}` : r.model) },
        ...(isAdmin ? [{ key: 'channelId', title: 'Channel' }] : []),
        { key: 'status', title: 'Status', render: (r) => <span className={`status ${r.status}`}>{r.status}{r.httpStatus ? ` ${r.httpStatus}` : ''}</span> },
        { key: 'tokens', title: 'In / cached / out', className: 'num', render: (r) => `${formatNumber(r.inputTokens)} / ${formatNumber(r.cacheReadTokens)} / ${formatNumber(r.outputTokens)}` },
        { key: 'latency', title: 'Latency', className: 'num', render: (r) => formatMs(r.latencyMs) },
        { key: 'ttft', title: 'TTFT', className: 'num', render: (r) => formatMs(r.ttftMs) },
        { key: 'cost', title: 'Cost', className: 'num', render: (r) => `${formatMicros(r.costMicros)}${r.estimated ? ' (est.)' : ''}` },
        { key: 'captured', title: 'Bodies', render: (r) => (r.captured ? 'captured' : '') },
      ]} />
      {logs.data && <Pager page={page} size={logs.data.size} total={logs.data.total} capped={logs.data.totalCapped}
        onPage={setPage} />}
    </Page>
  );
}

/** One request with its fields and, when its key captured them, its request and answer bodies. */
function LogDetail({ requestId, isAdmin, onClose }) {
  const detail = useAsync((signal) => api.get(`/api/logs/${encodeURIComponent(requestId)}`, { signal }), [requestId]);
  const d = detail.data;
  return (
    <Panel title="Request" onClose={onClose}>
      <div data-testid="log-detail" data-ready={d ? 'true' : 'false'}>
        <p className="request-id">
          <code data-testid="log-request-id" data-request-id>{requestId}</code>{' '}
          <CopyButton text={requestId} label="Copy id" target="[data-request-id]" testId="copy-request-id" />
        </p>
        <ErrorBox error={detail.error?.status === 404
          ? { code: 'not_found', message: isAdmin ? 'no request with this id is logged (yet: logging can lag a few seconds)'
            : 'none of your requests has this id (logging can lag a few seconds)' }
          : detail.error} />
        {!d && !detail.error && <p className="muted">Loading…</p>}
        {d && (
          <>
            <dl className="detail-fields">
              {[
                ['Finished', formatTime(d.at)],
                ...(isAdmin ? [['User', d.userId]] : []),
                ['Key', d.keyId],
                ['Model', d.modelServed && d.modelServed !== d.model ? `${d.model} → ${d.modelServed}` : d.model],
                ...(isAdmin ? [['Channel', d.channelId ?? '—']] : []),
                ['Status', `${d.status}${d.httpStatus ? ` ${d.httpStatus}` : ''}${d.errorClass ? ` (${d.errorClass})` : ''}`],
                ['Input / cached / cache write', `${formatNumber(d.inputTokens)} / ${formatNumber(d.cacheReadTokens)} / ${formatNumber(d.cacheWriteTokens)}`],
                ['Output (reasoning)', `${formatNumber(d.outputTokens)} (${formatNumber(d.reasoningTokens)})`],
                ['Latency / TTFT', `${formatMs(d.latencyMs)} / ${formatMs(d.ttftMs)}`],
                ['Cost', `${formatMicros(d.costMicros)}${d.estimated ? ' (estimated)' : ''}`],
              ].map(([label, value]) => (
                <div key={label}><dt>{label}</dt><dd>{value}</dd></div>
              ))}
            </dl>
            {d.captured ? (
              <>
                <Body title="Request" body={d.request} testId="log-request-body" />
                {d.response ? (
                  <Body title={d.response.streamed ? 'Answer (a stream, shown reassembled)' : 'Answer'}
                    body={d.response} testId="log-response-body" />
                ) : <p className="muted">No answer came back from the upstream.</p>}
              </>
            ) : (
              <Notice>The bodies of this request were not kept: its key does not capture them (Keys → Capture bodies).</Notice>
            )}
          </>
        )}
      </div>
    </Panel>
  );
}

function Body({ title, body, testId }) {
  return (
    <>
      <h3>{title}{body.truncated && <span className="badge off" data-testid={`${testId}-truncated`}>truncated</span>}</h3>
      <pre className="body-block mono" data-testid={testId}>{prettyBody(body.body)}</pre>
    </>
  );
}
