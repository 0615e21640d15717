import { describe, expect, it } from 'vitest';
import { joinVertex, splitVertex, VERTEX } from './vertex.js';

describe('the Vertex AI channel choice', () => {
  it('saves as provider gemini with project and location in the config', () => {
    expect(joinVertex(VERTEX, ' my-proj ', 'us-central1', { timeoutSeconds: 30 })).toEqual({
      provider: 'gemini', config: { timeoutSeconds: 30, project: 'my-proj', location: 'us-central1' },
    });
  });

  it('marks the config as Vertex when neither project nor location is given', () => {
    expect(joinVertex(VERTEX, '', '', null)).toEqual({ provider: 'gemini', config: { vertex: true } });
  });

  it('leaves other providers as they are', () => {
    expect(joinVertex('gemini', 'p', 'l', null)).toEqual({ provider: 'gemini', config: null });
  });

  it('shows a stored Vertex channel as the Vertex choice, its project and location in their own fields', () => {
    expect(splitVertex('gemini', { project: 'p1', location: 'europe-west4', headers: { a: 'b' } })).toEqual({
      provider: VERTEX, project: 'p1', location: 'europe-west4', config: { headers: { a: 'b' } },
    });
    expect(splitVertex('gemini', { vertex: true })).toEqual({ provider: VERTEX, project: '', location: '', config: {} });
  });

  it('shows an AI Studio channel as plain gemini', () => {
    expect(splitVertex('gemini', {})).toEqual({ provider: 'gemini', project: '', location: '', config: {} });
  });
});
