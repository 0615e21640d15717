import { describe, expect, it } from 'vitest';
import { DIALECTS, dialectError, mergeUsage } from './dialects.js';

const HISTORY = [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }, { role: 'user', content: 'Again' }];

/** Reads recorded events of a stream as the playground does: the text and the merged token counts. */
function replay(dialect, events) {
  let text = '';
  let usage = null;
  for (const e of events) {
    const read = DIALECTS[dialect].read(e);
    if (read.error) throw Object.assign(new Error('stream error'), read.error);
    text += read.text || '';
    usage = mergeUsage(usage, read.usage);
  }
  return { text, usage };
}

describe('OpenAI chat completions', () => {
  it('streams with usage to /v1/chat/completions with a bearer key and the system prompt first', () => {
    const d = DIALECTS.openai;
    expect(d.url('http://relay:8080', 'gpt-4o')).toBe('http://relay:8080/v1/chat/completions');
    expect(d.headers('tg-k')).toEqual({ Authorization: 'Bearer tg-k' });
    const body = d.body('gpt-4o', 'Be brief', HISTORY);
    expect(body.stream).toBe(true);
    expect(body.stream_options).toEqual({ include_usage: true });
    expect(body.messages[0]).toEqual({ role: 'system', content: 'Be brief' });
    expect(d.body('gpt-4o', ' ', HISTORY).messages).toEqual(HISTORY);
  });

  it('reads deltas and the final usage chunk, and ignores [DONE]', () => {
    expect(replay('openai', [
      { data: '{"choices":[{"delta":{"role":"assistant"}}]}' },
      { data: '{"choices":[{"delta":{"content":"tok0 "}}]}' },
      { data: '{"choices":[{"delta":{"content":"tok1"}}]}' },
      { data: '{"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":2}}' },
      { data: '[DONE]' },
    ])).toEqual({ text: 'tok0 tok1', usage: { input: 12, output: 2 } });
  });
});

describe('Anthropic messages', () => {
  it('sends the key in x-api-key with anthropic-version, max_tokens and a top-level system', () => {
    const d = DIALECTS.anthropic;
    expect(d.url('http://relay:8080', 'claude-sonnet-4')).toBe('http://relay:8080/v1/messages');
    expect(d.headers('tg-k')).toEqual({ 'x-api-key': 'tg-k', 'anthropic-version': '2023-06-01' });
    const body = d.body('claude-sonnet-4', 'Be brief', HISTORY);
    expect(body).toMatchObject({ model: 'claude-sonnet-4', stream: true, system: 'Be brief', messages: HISTORY });
    expect(body.max_tokens).toBeGreaterThan(0);
    expect(d.body('m', '', HISTORY)).not.toHaveProperty('system');
  });

  it('reads text deltas, input tokens from message_start and output tokens from message_delta', () => {
    expect(replay('anthropic', [
      { event: 'message_start', data: '{"type":"message_start","message":{"usage":{"input_tokens":9,"output_tokens":1}}}' },
      { event: 'content_block_start', data: '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}' },
      { event: 'ping', data: '{"type":"ping"}' },
      { event: 'content_block_delta', data: '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"tok0 "}}' },
      { event: 'content_block_delta', data: '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"tok1"}}' },
      { event: 'content_block_stop', data: '{"type":"content_block_stop","index":0}' },
      { event: 'message_delta', data: '{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":2}}' },
      { event: 'message_stop', data: '{"type":"message_stop"}' },
    ])).toEqual({ text: 'tok0 tok1', usage: { input: 9, output: 2 } });
  });

  it('turns an error event mid-stream into an error', () => {
    expect(() => replay('anthropic', [
      { event: 'error', data: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}' },
    ])).toThrow();
  });
});

describe('Gemini generateContent', () => {
  it('streams as SSE from the model path with x-goog-api-key, model turns and a system instruction', () => {
    const d = DIALECTS.gemini;
    expect(d.url('http://relay:8080', 'gemini-2.5-flash'))
      .toBe('http://relay:8080/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(d.headers('tg-k')).toEqual({ 'x-goog-api-key': 'tg-k' });
    expect(d.body('gemini-2.5-flash', 'Be brief', HISTORY)).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'Hi' }] },
        { role: 'model', parts: [{ text: 'Hello' }] },
        { role: 'user', parts: [{ text: 'Again' }] },
      ],
      systemInstruction: { parts: [{ text: 'Be brief' }] },
    });
  });

  it('reads candidate parts without thoughts and the usage metadata', () => {
    expect(replay('gemini', [
      { data: '{"candidates":[{"content":{"role":"model","parts":[{"text":"thinking","thought":true},{"text":"tok0 "}]}}]}' },
      { data: '{"candidates":[{"content":{"role":"model","parts":[{"text":"tok1"}]},"finishReason":"STOP"}],'
        + '"usageMetadata":{"promptTokenCount":7,"candidatesTokenCount":2,"totalTokenCount":9}}' },
    ])).toEqual({ text: 'tok0 tok1', usage: { input: 7, output: 2 } });
  });
});

describe('relay errors in every dialect', () => {
  it('takes the code each dialect names', () => {
    expect(dialectError(401, '{"error":{"message":"bad key","type":"invalid_request_error","code":"invalid_api_key"}}'))
      .toEqual({ code: 'invalid_api_key', message: 'bad key' });
    expect(dialectError(401, '{"type":"error","error":{"type":"authentication_error","message":"bad key"}}'))
      .toEqual({ code: 'authentication_error', message: 'bad key' });
    expect(dialectError(400, '{"error":{"code":400,"message":"API key not valid","status":"INVALID_ARGUMENT"}}'))
      .toEqual({ code: 'INVALID_ARGUMENT', message: 'API key not valid' });
    expect(dialectError(502, 'Bad gateway')).toEqual({ code: 'http_502', message: 'the relay answered 502' });
  });
});
