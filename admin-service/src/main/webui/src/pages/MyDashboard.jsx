import { useMemo } from 'react';
import { api } from '../lib/api.js';
import { Chart, ErrorBox, Page, StatCard, Table, useAsync } from '../components.jsx';
import { formatDollarsShort, formatMicros, formatMs, formatNumber, formatTime, timeline } from '../lib/format.js';

/** A customer's own dashboard: balance, the last 7 days' usage from the rollups, and the latest requests. */
export function MyDashboard() {
  const me = useAsync((signal) => api.get('/api/me', { signal }), []);
  const stats = useAsync((signal) => api.get('/api/stats?groupBy=day', { signal }), []);
  const logs = useAsync((signal) => api.get('/api/logs?size=10', { signal }), []);
  const chart = useMemo(() => {
    if (!stats.data) return [[], []];
    return timeline(stats.data.items, stats.data.from, stats.data.to, 86_400_000,
      (i) => Date.parse(i.key + 'T00:00:00Z'), [(i) => i.costMicros / 1e6]);
  }, [stats.data]);
  const total = stats.data?.total;
  return (
    <Page name="my-dashboard" title="Dashboard" ready={!!me.data && !!stats.data && !!logs.data}>
      <ErrorBox error={me.error || stats.error || logs.error} />
      <div className="stats">
        <StatCard label="Balance" value={formatMicros(me.data?.balanceMicros)} testId="balance" sub={me.data?.group && `group ${me.data.group}`} />
        <StatCard label="Spent, 7 days" value={formatMicros(total?.costMicros)} />
        <StatCard label="Requests, 7 days" value={formatNumber(total?.requests)} sub={`${formatNumber(total?.errors)} errors`} />
        <StatCard label="Tokens, 7 days" value={formatNumber((total?.inputTokens || 0) + (total?.outputTokens || 0) + (total?.cacheReadTokens || 0))} />
      </div>
      <div className="charts">
        <Chart title="Spend per day ($)" data={chart} yFormat={formatDollarsShort}
          series={[{ label: 'spend $', stroke: '#16a34a', fill: 'rgba(22,163,74,0.12)' }]} />
      </div>
      <h2>Latest requests</h2>
      <Table rowKey={(r) => r.requestId} rows={logs.data?.items} columns={[
        { key: 'at', title: 'When', render: (r) => formatTime(r.at) },
        { key: 'model', title: 'Model' },
        { key: 'status', title: 'Status' },
        { key: 'tokens', title: 'Tokens in / out', className: 'num', render: (r) => `${formatNumber(r.inputTokens)} / ${formatNumber(r.outputTokens)}` },
        { key: 'latency', title: 'Latency', className: 'num', render: (r) => formatMs(r.latencyMs) },
        { key: 'cost', title: 'Cost', className: 'num', render: (r) => formatMicros(r.costMicros) },
      ]} />
      <p><a href="#/logs">All requests</a> · <a href="#/keys">Keys</a> · <a href="#/redeem">Redeem a code</a></p>
    </Page>
  );
}
