import { useEffect, useMemo, useState } from 'react';
import { api, session } from '../lib/api.js';
import { streamSse } from '../lib/sse.js';
import { Chart, ErrorBox, Notice, Page, StatCard, Table } from '../components.jsx';
import { formatDollarsShort, formatMicros, formatMs, formatNumber, formatPercent } from '../lib/format.js';

const RETRY_MS = 2000;

/** Follows /api/live/stream (a snapshot about every second), reconnecting after a failure. */
function useLiveStream() {
  const [snapshot, setSnapshot] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    const controller = new AbortController();
    let timer;
    async function connect() {
      try {
        await streamSse('/api/live/stream', {
          headers: { Authorization: `Bearer ${session()?.token}` },
          signal: controller.signal,
          onEvent: (e) => {
            setSnapshot(JSON.parse(e.data));
            setError(null);
          },
        });
      } catch (e) {
        if (controller.signal.aborted) return;
        setError({ code: e.status ? 'http_' + e.status : 'stream', message: 'live stream interrupted; reconnecting' });
      }
      if (!controller.signal.aborted) timer = setTimeout(connect, RETRY_MS);
    }
    connect();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, []);
  return { snapshot, error };
}

const seconds = (points) => points.map((p) => Date.parse(p.t) / 1000);

export function LiveDashboard() {
  const { snapshot, error } = useLiveStream();
  const [windowName, setWindowName] = useState('minute');
  const [channelNames, setChannelNames] = useState({});
  useEffect(() => {
    api.get('/api/channels?size=200').then((p) => setChannelNames(Object.fromEntries(p.items.map((c) => [String(c.id), c.name]))))
      .catch(() => {});
  }, []);

  const perSecond = useMemo(() => {
    const pts = snapshot?.perSecond || [];
    return {
      traffic: [seconds(pts), pts.map((p) => p.requests), pts.map((p) => p.errors)],
      latency: [seconds(pts), pts.map((p) => p.latencyP50Ms), pts.map((p) => p.latencyP99Ms), pts.map((p) => p.ttftP99Ms)],
      tokens: [seconds(pts), pts.map((p) => p.tokens)],
    };
  }, [snapshot]);
  const perMinute = useMemo(() => {
    const pts = snapshot?.perMinute || [];
    return {
      spend: [seconds(pts), pts.map((p) => p.costMicros / 1e6)],
      traffic: [seconds(pts), pts.map((p) => p.requests), pts.map((p) => p.errors)],
    };
  }, [snapshot]);

  const w = snapshot?.[windowName];
  const t = w?.total;
  const keyedColumns = (what) => [
    { key: 'key', title: what, render: (r) => (what === 'Channel' ? `${channelNames[r.key] || 'channel'} #${r.key}` : r.key) },
    { key: 'requests', title: 'Requests', className: 'num', render: (r) => formatNumber(r.stats.requests) },
    { key: 'rps', title: 'Req/s', className: 'num', render: (r) => formatNumber(r.stats.requestsPerSecond, 2) },
    { key: 'tps', title: 'Tokens/s', className: 'num', render: (r) => formatNumber(r.stats.tokensPerSecond, 1) },
    { key: 'err', title: 'Errors', className: 'num', render: (r) => formatPercent(r.stats.errorRate) },
    { key: 'p50', title: 'p50', className: 'num', render: (r) => formatMs(r.stats.latencyP50Ms) },
    { key: 'p99', title: 'p99', className: 'num', render: (r) => formatMs(r.stats.latencyP99Ms) },
    { key: 'ttft', title: 'TTFT p50 / p99', className: 'num', render: (r) => `${formatMs(r.stats.ttftP50Ms)} / ${formatMs(r.stats.ttftP99Ms)}` },
    { key: 'spend', title: 'Spend', className: 'num', render: (r) => formatMicros(r.stats.costMicros) },
  ];

  return (
    <Page name="live" title="Live" ready={!!snapshot} actions={
      <div className="segmented" role="group" aria-label="window">
        <button type="button" className={windowName === 'minute' ? 'active' : ''} onClick={() => setWindowName('minute')}>Last minute</button>
        <button type="button" className={windowName === 'hour' ? 'active' : ''} onClick={() => setWindowName('hour')}>Last hour</button>
      </div>
    }>
      <ErrorBox error={error} />
      {snapshot && !snapshot.following && <Notice kind="warn">Not reading the usage topic right now: numbers may be stale.</Notice>}
      <div className="stats" data-testid="live-totals">
        <StatCard label="Requests" value={formatNumber(t?.requests)} sub={`${formatNumber(t?.requestsPerSecond, 2)} /s`} testId="live-requests" />
        <StatCard label="Tokens/s" value={formatNumber(t?.tokensPerSecond, 1)} sub={`${formatNumber(t?.tokens)} tokens`} />
        <StatCard label="Error rate" value={formatPercent(t?.errorRate)} sub={`${formatNumber(t?.errors)} errors · ${formatNumber(t?.rejected)} rejected`} />
        <StatCard label="Latency p50 / p99" value={`${formatMs(t?.latencyP50Ms)} / ${formatMs(t?.latencyP99Ms)}`} />
        <StatCard label="TTFT p50 / p99" value={`${formatMs(t?.ttftP50Ms)} / ${formatMs(t?.ttftP99Ms)}`} />
        <StatCard label="Spend per minute" value={formatMicros(t?.spendPerMinuteMicros)} sub={`${formatMicros(t?.costMicros)} in the window`} testId="live-spend" />
      </div>
      <div className="charts">
        <Chart title="Requests and errors per second" testId="chart-traffic" data={perSecond.traffic}
          series={[{ label: 'requests', stroke: '#2563eb', fill: 'rgba(37,99,235,0.1)' }, { label: 'errors', stroke: '#dc2626' }]} />
        <Chart title="Latency per second (ms)" data={perSecond.latency}
          series={[{ label: 'p50', stroke: '#059669' }, { label: 'p99', stroke: '#d97706' }, { label: 'TTFT p99', stroke: '#7c3aed' }]} />
        <Chart title="Tokens per second" data={perSecond.tokens} series={[{ label: 'tokens', stroke: '#0891b2', fill: 'rgba(8,145,178,0.1)' }]} />
        <Chart title="Spend per minute, last hour ($)" testId="chart-spend" data={perMinute.spend}
          yFormat={formatDollarsShort} series={[{ label: 'spend', stroke: '#16a34a', fill: 'rgba(22,163,74,0.12)' }]} />
      </div>
      <h2>By channel</h2>
      <Table testId="live-by-channel" columns={keyedColumns('Channel')} rows={w?.byChannel} rowKey={(r) => r.key} empty="No traffic in this window." />
      <h2>By model</h2>
      <Table testId="live-by-model" columns={keyedColumns('Model')} rows={w?.byModel} rowKey={(r) => r.key} empty="No traffic in this window." />
      {w && <p className="muted">Window: {w.seconds} s, {w.coveredSeconds} s of it watched by this admin instance. Spend is computed
        with the contracts cost formula from each request's price version; the ledger's charge is authoritative.</p>}
    </Page>
  );
}
