import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/**
 * Loads with `load(signal)` on mount and whenever `deps` change; `reload()` loads again.
 * Returns {data, error, loading, reload}.
 */
export function useAsync(load, deps) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    load(controller.signal)
      .then((data) => !controller.signal.aborted && setState({ data, error: null, loading: false }))
      .catch((error) => !controller.signal.aborted && error.name !== 'AbortError'
        && setState({ data: null, error, loading: false }));
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

/** One page: its title, actions, and `ready` once its data is shown (the browser tests time pages by it). */
export function Page({ name, title, actions, ready = true, children }) {
  return (
    <main className="page" data-page={name} data-ready={ready ? 'true' : 'false'}>
      <header className="page-head">
        <h1>{title}</h1>
        <div className="actions">{actions}</div>
      </header>
      {children}
    </main>
  );
}

export function ErrorBox({ error }) {
  if (!error) return null;
  return (
    <div className="error" role="alert">
      <strong>{error.code || 'error'}</strong>: {error.message}
    </div>
  );
}

export function Notice({ children, kind = 'info' }) {
  return <div className={`notice ${kind}`} role="status">{children}</div>;
}

/** columns: [{key, title, render?(row), className?}]; onRowClick(row) makes rows open something. */
export function Table({ columns, rows, empty = 'Nothing here yet.', rowKey = (r) => r.id, testId, onRowClick }) {
  return (
    <div className={`table-wrap${onRowClick ? ' clickable' : ''}`}>
      <table data-testid={testId}>
        <thead>
          <tr>{columns.map((c) => <th key={c.key} className={c.className}>{c.title}</th>)}</tr>
        </thead>
        <tbody>
          {rows && rows.length > 0 ? rows.map((r, i) => (
            <tr key={rowKey(r, i)} onClick={onRowClick ? () => onRowClick(r) : undefined}>
              {columns.map((c) => (
                <td key={c.key} className={c.className}>{c.render ? c.render(r) : String(r[c.key] ?? '—')}</td>
              ))}
            </tr>
          )) : (
            <tr><td colSpan={columns.length} className="empty">{rows ? empty : 'Loading…'}</td></tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

/** capped: the API stopped counting at `total` (there are more), so the last page is not known. */
export function Pager({ page, size, total, capped = false, onPage }) {
  const pages = Math.max(1, Math.ceil(total / size));
  return (
    <div className="pager">
      <button type="button" disabled={page <= 0} onClick={() => onPage(page - 1)}>‹ Previous</button>
      <span data-testid="pager">{capped
        ? `Page ${page + 1} of ${pages.toLocaleString('en-US')}+ · more than ${total.toLocaleString('en-US')}`
        : `Page ${page + 1} of ${pages} · ${total.toLocaleString('en-US')} in all`}</span>
      <button type="button" disabled={page + 1 >= pages} onClick={() => onPage(page + 1)}>Next ›</button>
    </div>
  );
}

export function Field({ label, children, hint }) {
  return (
    <label className="field">
      <span>{label}</span>
      {children}
      {hint && <small>{hint}</small>}
    </label>
  );
}

/** A form that shows its own pending state and error; `onSubmit` returns a promise. */
export function Form({ onSubmit, submitLabel = 'Save', children, className = '', testId }) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState(null);
  async function submit(e) {
    e.preventDefault();
    setPending(true);
    setError(null);
    try {
      await onSubmit();
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  }
  return (
    <form className={`form ${className}`} onSubmit={submit} data-testid={testId}>
      {children}
      <ErrorBox error={error} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={pending}>{pending ? 'Working…' : submitLabel}</button>
      </div>
    </form>
  );
}

export function Panel({ title, onClose, children }) {
  return (
    <section className="panel">
      <header>
        <h2>{title}</h2>
        {onClose && <button type="button" className="link" onClick={onClose}>Close</button>}
      </header>
      {children}
    </section>
  );
}

/** target: a selector for the node holding `text`, selected for a manual copy where the clipboard is refused. */
export function CopyButton({ text, label = 'Copy', target = '[data-secret]', testId }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // No clipboard permission (plain http): select the text for a manual copy instead.
      const range = document.createRange();
      const node = document.querySelector(target);
      if (node) {
        range.selectNodeContents(node);
        window.getSelection().removeAllRanges();
        window.getSelection().addRange(range);
      }
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  }
  return <button type="button" onClick={copy} data-testid={testId}>{copied ? 'Copied' : label}</button>;
}

/** A secret shown once (a new key or codes): with a copy button and a warning that it will not be shown again. */
export function ShownOnce({ title, secret, onDone }) {
  return (
    <div className="shown-once" role="dialog" aria-label={title}>
      <h3>{title}</h3>
      <p>Copy it now: it is shown only this once and cannot be read back later.</p>
      <pre data-secret data-testid="secret">{secret}</pre>
      <div className="form-actions">
        <CopyButton text={secret} />
        <button type="button" onClick={onDone}>Done</button>
      </div>
    </div>
  );
}

/**
 * A uPlot chart. series: [{label, stroke}] ; data: [xs(seconds), ...ys]. Resizes with its container.
 */
export function Chart({ title, series, data, height = 180, yFormat, testId }) {
  const host = useRef(null);
  const plot = useRef(null);
  useLayoutEffect(() => {
    const el = host.current;
    const opts = {
      width: Math.max(200, el.clientWidth),
      height,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      axes: [{}, { size: 70, values: yFormat ? (u, vals) => vals.map(yFormat) : undefined }],
      series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.stroke, width: 1.5, fill: s.fill,
        value: yFormat ? (u, v) => (v == null ? '—' : yFormat(v)) : undefined }))],
    };
    plot.current = new uPlot(opts, data, el);
    const observer = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(200, el.clientWidth), height }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // Series are fixed per chart; data updates go through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [height]);
  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <div ref={host} />
    </figure>
  );
}

export function StatCard({ label, value, sub, testId }) {
  return (
    <div className="stat" data-testid={testId}>
      <span className="stat-label">{label}</span>
      <span className="stat-value">{value}</span>
      {sub && <span className="stat-sub">{sub}</span>}
    </div>
  );
}

export function Badge({ on, yes = 'enabled', no = 'disabled' }) {
  return <span className={`badge ${on ? 'on' : 'off'}`}>{on ? yes : no}</span>;
}
