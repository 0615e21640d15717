import { describe, expect, it } from 'vitest';
import { requestIdFromInput } from './requestId.js';

describe('request id search', () => {
  const id = '019ac3f2-7c1e-7a4b-9d2e-3f5a6b7c8d9e';

  it('takes the id as pasted, with the spaces around it dropped', () => {
    expect(requestIdFromInput(id)).toBe(id);
    expect(requestIdFromInput(`  ${id}\n`)).toBe(id);
  });

  it('takes the id out of a copied header line or quotes', () => {
    expect(requestIdFromInput(`x-request-id: ${id}`)).toBe(id);
    expect(requestIdFromInput(`X-Request-Id:${id}`)).toBe(id);
    expect(requestIdFromInput(`request-id: req_011CSHoEeqs5C35K2UUqR7Fy`)).toBe('req_011CSHoEeqs5C35K2UUqR7Fy');
    expect(requestIdFromInput(`"${id}"`)).toBe(id);
  });

  it('refuses what no request in the log can have as its id', () => {
    expect(requestIdFromInput('')).toBeNull();
    expect(requestIdFromInput('   ')).toBeNull();
    expect(requestIdFromInput(null)).toBeNull();
    expect(requestIdFromInput('two words')).toBeNull();
    expect(requestIdFromInput('x'.repeat(41))).toBeNull();
    expect(requestIdFromInput('x'.repeat(40))).toBe('x'.repeat(40));
    expect(requestIdFromInput('naïve')).toBeNull();
  });
});
