import { useMemo, useState } from 'react';
import { api, query } from '../lib/api.js';
import { Chart, ErrorBox, Field, Page, StatCard, Table, useAsync } from '../components.jsx';
import { formatDollarsShort, formatMicros, formatNumber, localInputToIso, timeline } from '../lib/format.js';

const RANGES = { '24h': 1, '7d': 7, '30d': 30, '90d': 90 };

/** Usage from the hourly rollups, per day, hour, model, key (and, for admins, user and channel). */
export function Stats({ session }) {
  const isAdmin = session.role === 'admin';
  const groupings = isAdmin ? ['day', 'hour', 'model', 'user', 'key', 'channel'] : ['day', 'hour', 'model', 'key'];
  const [groupBy, setGroupBy] = useState('day');
  const [range, setRange] = useState('7d');
  const [userId, setUserId] = useState('');
  const [to, setTo] = useState('');
  const params = useMemo(() => {
    const end = to ? new Date(localInputToIso(to)) : new Date();
    const from = new Date(end.getTime() - RANGES[range] * 86_400_000);
    return { groupBy, from: from.toISOString(), to: to ? end.toISOString() : '', userId: isAdmin ? userId : '' };
  }, [groupBy, range, userId, to, isAdmin]);
  const stats = useAsync((signal) => api.get('/api/stats' + query(params), { signal }), [params]);
  const timeSeries = groupBy === 'day' || groupBy === 'hour';
  const chart = useMemo(() => {
    if (!stats.data || !timeSeries) return [[], []];
    const step = groupBy === 'day' ? 86_400_000 : 3_600_000;
    return timeline(stats.data.items, stats.data.from, stats.data.to, step,
      (i) => Date.parse(groupBy === 'day' ? i.key + 'T00:00:00Z' : i.key), [(i) => i.costMicros / 1e6]);
  }, [stats.data, groupBy, timeSeries]);
  const total = stats.data?.total;
  return (
    <Page name="stats" title="Usage" ready={!!stats.data}>
      <div className="filters">
        <Field label="Group by">
          <select name="groupBy" value={groupBy} onChange={(e) => setGroupBy(e.target.value)}>
            {groupings.map((g) => <option key={g}>{g}</option>)}
          </select>
        </Field>
        <Field label="Range">
          <select name="range" value={range} onChange={(e) => setRange(e.target.value)}>
            {Object.keys(RANGES).map((r) => <option key={r}>{r}</option>)}
          </select>
        </Field>
        <Field label="Ending (UTC)" hint="Empty: now"><input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} /></Field>
        {isAdmin && <Field label="User id"><input name="userId" value={userId} onChange={(e) => setUserId(e.target.value)} placeholder="all" /></Field>}
      </div>
      <ErrorBox error={stats.error} />
      <div className="stats">
        <StatCard label="Spend" value={formatMicros(total?.costMicros)} />
        <StatCard label="Requests" value={formatNumber(total?.requests)} sub={`${formatNumber(total?.errors)} errors`} />
        <StatCard label="Input tokens" value={formatNumber(total?.inputTokens)} sub={`${formatNumber(total?.cacheReadTokens)} cached`} />
        <StatCard label="Output tokens" value={formatNumber(total?.outputTokens)} sub={`${formatNumber(total?.reasoningTokens)} reasoning`} />
      </div>
      {timeSeries && (
        <div className="charts">
          <Chart key={groupBy} title={`Spend per ${groupBy} ($)`} data={chart} yFormat={formatDollarsShort}
            series={[{ label: 'spend $', stroke: '#16a34a', fill: 'rgba(22,163,74,0.12)' }]} />
        </div>
      )}
      <Table testId="stats" rowKey={(r) => r.key} rows={stats.data?.items} empty="No usage in this range." columns={[
        { key: 'key', title: groupBy, render: (r) => (r.label ? `${r.label} (#${r.key})` : r.key || '—') },
        { key: 'requests', title: 'Requests', className: 'num', render: (r) => formatNumber(r.requests) },
        { key: 'errors', title: 'Errors', className: 'num', render: (r) => formatNumber(r.errors) },
        { key: 'in', title: 'Input', className: 'num', render: (r) => formatNumber(r.inputTokens) },
        { key: 'cached', title: 'Cached', className: 'num', render: (r) => formatNumber(r.cacheReadTokens) },
        { key: 'out', title: 'Output', className: 'num', render: (r) => formatNumber(r.outputTokens) },
        { key: 'cost', title: 'Spend', className: 'num', render: (r) => formatMicros(r.costMicros) },
      ]} />
    </Page>
  );
}
