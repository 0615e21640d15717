// Money is integer micro-dollars everywhere in Tollgate; only the display turns it into dollars.

const MICROS = 1_000_000n;

/** "$12.345678" trimmed of trailing zeros (at least 2 decimals), from integer micros (number or bigint). */
export function formatMicros(micros) {
  if (micros === null || micros === undefined) return '—';
  let m = BigInt(micros);
  const negative = m < 0n;
  if (negative) m = -m;
  const whole = m / MICROS;
  let frac = (m % MICROS).toString().padStart(6, '0').replace(/0+$/, '');
  if (frac.length < 2) frac = frac.padEnd(2, '0');
  const wholeText = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}$${wholeText}.${frac}`;
}

/** Dollars typed by a person ("12.5", "$3", "0.000001") to integer micros; null when it is not an amount. */
export function parseDollars(text) {
  const t = String(text ?? '').trim().replace(/^\$/, '').replace(/,/g, '');
  const match = /^(-)?(\d+)(?:\.(\d{0,6}))?$/.exec(t);
  if (!match) return null;
  const micros = BigInt(match[2]) * MICROS + BigInt((match[3] || '').padEnd(6, '0'));
  const value = match[1] ? -micros : micros;
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return Number(value);
}

/** Micros per million tokens shown as dollars per million tokens. */
export function formatPerMTok(micros) {
  return micros ? formatMicros(micros) : '—';
}

export function formatNumber(n, digits = 0) {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  return Number(n).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function formatPercent(ratio) {
  if (ratio === null || ratio === undefined) return '—';
  return `${(ratio * 100).toFixed(ratio > 0 && ratio < 0.01 ? 2 : 1)}%`;
}

export function formatMs(ms) {
  if (ms === null || ms === undefined) return '—';
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${formatNumber(ms)} ms`;
}

export function formatTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace(/Z$/, ' UTC');
}

/** A datetime-local input's value (taken as UTC) to an ISO instant, or '' when empty. */
export function localInputToIso(value) {
  return value ? new Date(value + 'Z').toISOString() : '';
}

/** Dollars on a chart axis: cents for amounts of a dollar or more, two significant digits below. */
export function formatDollarsShort(v) {
  if (v === null || v === undefined) return '—';
  if (v === 0) return '$0';
  return Math.abs(v) >= 1 ? `$${v.toFixed(2)}` : `$${Number(v.toPrecision(2))}`;
}

/**
 * A chart series with every step of [fromIso, toIso) present (0 where the rollups have no row), so one busy day
 * still draws as a line. keyTime(item) gives an item's time in ms; fields picks the values.
 */
export function timeline(items, fromIso, toIso, stepMs, keyTime, fields) {
  const byTime = new Map(items.map((i) => [keyTime(i), i]));
  const start = Math.floor(Date.parse(fromIso) / stepMs) * stepMs;
  const end = Date.parse(toIso);
  const xs = [];
  const ys = fields.map(() => []);
  for (let t = start; t < end; t += stepMs) {
    xs.push(t / 1000);
    const item = byTime.get(t);
    fields.forEach((f, i) => ys[i].push(item ? f(item) : 0));
  }
  return [xs, ...ys];
}

/**
 * A captured body for reading: JSON indented by two spaces; a body that is not JSON (cut short by the capture cap,
 * or not JSON at all) exactly as it was kept.
 */
export function prettyBody(text) {
  if (text === null || text === undefined) return '';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
