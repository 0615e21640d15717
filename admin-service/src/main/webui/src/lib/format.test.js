import { describe, expect, it } from 'vitest';
import { formatDollarsShort, formatMicros, formatPercent, parseDollars, prettyBody, timeline } from './format.js';

describe('money in the UI', () => {
  it('shows integer micros as dollars without rounding', () => {
    expect(formatMicros(1)).toBe('$0.000001');
    expect(formatMicros(1_500_000)).toBe('$1.50');
    expect(formatMicros(-2_000_000)).toBe('-$2.00');
    expect(formatMicros(1_234_567_890_123)).toBe('$1,234,567.890123');
    expect(formatMicros(null)).toBe('—');
  });

  it('reads typed dollars into micros exactly, and refuses what is not an amount', () => {
    expect(parseDollars('12.5')).toBe(12_500_000);
    expect(parseDollars('$0.000001')).toBe(1);
    expect(parseDollars('1,000')).toBe(1_000_000_000);
    expect(parseDollars('-3')).toBe(-3_000_000);
    expect(parseDollars('0.0000001')).toBeNull();
    expect(parseDollars('ten')).toBeNull();
    expect(parseDollars('')).toBeNull();
  });

  it('shows small error rates with more digits', () => {
    expect(formatPercent(0.1)).toBe('10.0%');
    expect(formatPercent(0.004)).toBe('0.40%');
    expect(formatPercent(0)).toBe('0.0%');
  });
});

describe('chart helpers', () => {
  it('fills the days without usage with zeros', () => {
    const items = [{ key: '2030-01-02', costMicros: 1_500_000 }];
    const [xs, cost] = timeline(items, '2030-01-01T00:00:00Z', '2030-01-04T00:00:00Z', 86_400_000,
      (i) => Date.parse(i.key + 'T00:00:00Z'), [(i) => i.costMicros / 1e6]);
    expect(xs).toEqual([1893456000, 1893542400, 1893628800]);
    expect(cost).toEqual([0, 1.5, 0]);
  });

  it('labels small dollar amounts with two significant digits', () => {
    expect(formatDollarsShort(0.0000123)).toBe('$0.000012');
    expect(formatDollarsShort(12.345)).toBe('$12.35');
    expect(formatDollarsShort(0)).toBe('$0');
  });
});

describe('captured bodies', () => {
  it('indents JSON bodies and keeps their text', () => {
    expect(prettyBody('{"model":"m","messages":[{"role":"user","content":"Grüße"}]}'))
      .toBe('{\n  "model": "m",\n  "messages": [\n    {\n      "role": "user",\n      "content": "Grüße"\n    }\n  ]\n}');
  });

  it('shows a body cut short by the capture cap as it was kept', () => {
    expect(prettyBody('{"choices":[{"message":{"content":"Hal')).toBe('{"choices":[{"message":{"content":"Hal');
    expect(prettyBody(null)).toBe('');
  });
});
