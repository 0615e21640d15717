import { useState } from 'react';
import { api, query } from '../lib/api.js';
import { ErrorBox, Field, Page, Pager, Panel, Table, useAsync } from '../components.jsx';
import { formatTime, localInputToIso } from '../lib/format.js';

const NO_FILTERS = { actor: '', type: '', target: '', from: '', to: '' };

/**
 * The audit trail (admin only): every write anyone asked of the ledger, newest first, with who, what, on which
 * target, whether it was applied, and the command itself (secrets already redacted by the ledger).
 */
export function Audit() {
  const [draft, setDraft] = useState(NO_FILTERS);
  const [filters, setFilters] = useState(NO_FILTERS);
  const [page, setPage] = useState(0);
  const [open, setOpen] = useState(null);
  const entries = useAsync((signal) => api.get('/api/audit' + query({
    ...filters, from: localInputToIso(filters.from), to: localInputToIso(filters.to), page, size: 50,
  }), { signal }), [filters, page]);
  const set = (k) => (e) => setDraft({ ...draft, [k]: e.target.value });

  function apply(e) {
    e.preventDefault();
    setPage(0);
    setFilters(draft);
  }

  return (
    <Page name="audit" title="Audit trail" ready={!!entries.data}>
      <form className="filters" onSubmit={apply} data-testid="audit-filters">
        <Field label="Actor" hint="e.g. user:1"><input name="actor" value={draft.actor} onChange={set('actor')} /></Field>
        <Field label="Action" hint="e.g. key.create"><input name="type" value={draft.type} onChange={set('type')} /></Field>
        <Field label="Target" hint="e.g. key:7"><input name="target" value={draft.target} onChange={set('target')} /></Field>
        <Field label="From (UTC)"><input name="from" type="datetime-local" value={draft.from} onChange={set('from')} /></Field>
        <Field label="To (UTC)"><input name="to" type="datetime-local" value={draft.to} onChange={set('to')} /></Field>
        <div className="form-actions">
          <button type="submit" className="primary">Apply</button>
          <button type="button" onClick={() => { setDraft(NO_FILTERS); setFilters(NO_FILTERS); setPage(0); }}>Clear</button>
        </div>
      </form>
      <ErrorBox error={entries.error} />
      {open && (
        <Panel title={`${open.type} by ${open.actor}`} onClose={() => setOpen(null)}>
          <p>{formatTime(open.at)} · {open.ok ? 'applied' : `refused (${open.code})`} · command {open.commandId}</p>
          <pre className="body-block mono" data-testid="audit-body">{JSON.stringify(open.body ?? {}, null, 2)}</pre>
        </Panel>
      )}
      <Table testId="audit" rowKey={(a) => a.id} rows={entries.data?.items} empty="No actions match."
        onRowClick={(a) => setOpen(a)} columns={[
        { key: 'at', title: 'When', render: (a) => formatTime(a.at) },
        { key: 'actor', title: 'Who', className: 'mono small' },
        { key: 'type', title: 'Action', className: 'mono small' },
        { key: 'target', title: 'Target', className: 'mono small', render: (a) => a.target ?? '' },
        { key: 'ok', title: 'Result', render: (a) => (a.ok ? 'applied' : `refused: ${a.code}`) },
      ]} />
      {entries.data && <Pager page={page} size={entries.data.size} total={entries.data.total} onPage={setPage} />}
    </Page>
  );
}
