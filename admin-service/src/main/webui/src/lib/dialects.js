// The three dialects the relay speaks, as the playground calls them streamed: where to send, which headers carry
// the key, the body, and what each SSE event adds (text, token counts). Pure, so they are unit-tested without a relay.

/** A Tollgate key in each dialect's own header, as that dialect's SDK sends it. */
export const DIALECTS = {
  openai: {
    label: 'OpenAI chat completions',
    url: (relay) => `${relay}/v1/chat/completions`,
    headers: (key) => ({ Authorization: `Bearer ${key}` }),
    body: (model, system, history) => ({
      model,
      stream: true,
      stream_options: { include_usage: true },
      messages: [...(system.trim() ? [{ role: 'system', content: system }] : []), ...history],
    }),
    read: ({ data }) => {
      if (data === '[DONE]') return {};
      const chunk = JSON.parse(data);
      if (chunk.error) return { error: chunk.error };
      return {
        text: chunk.choices?.[0]?.delta?.content || '',
        usage: chunk.usage ? { input: chunk.usage.prompt_tokens, output: chunk.usage.completion_tokens } : undefined,
      };
    },
  },
  anthropic: {
    label: 'Anthropic messages',
    url: (relay) => `${relay}/v1/messages`,
    headers: (key) => ({ 'x-api-key': key, 'anthropic-version': '2023-06-01' }),
    body: (model, system, history) => ({
      model,
      // Anthropic requires a ceiling on the answer; the playground's is generous for a chat.
      max_tokens: 1024,
      stream: true,
      ...(system.trim() ? { system } : {}),
      messages: history,
    }),
    read: ({ event, data }) => {
      const e = JSON.parse(data);
      const type = e.type || event;
      if (type === 'error') return { error: e.error || e };
      if (type === 'message_start') return { usage: { input: e.message?.usage?.input_tokens } };
      if (type === 'content_block_delta' && e.delta?.type === 'text_delta') return { text: e.delta.text };
      if (type === 'message_delta' && e.usage) return { usage: { output: e.usage.output_tokens } };
      return {};
    },
  },
  gemini: {
    label: 'Gemini generateContent',
    url: (relay, model) => `${relay}/v1beta/models/${encodeURIComponent(model)}:streamGenerateContent?alt=sse`,
    headers: (key) => ({ 'x-goog-api-key': key }),
    body: (model, system, history) => ({
      contents: history.map((m) => ({ role: m.role === 'assistant' ? 'model' : 'user', parts: [{ text: m.content }] })),
      ...(system.trim() ? { systemInstruction: { parts: [{ text: system }] } } : {}),
    }),
    read: ({ data }) => {
      const chunk = JSON.parse(data);
      if (chunk.error) return { error: chunk.error };
      const parts = chunk.candidates?.[0]?.content?.parts || [];
      const u = chunk.usageMetadata;
      return {
        // Thought summaries are not part of the answer.
        text: parts.filter((p) => !p.thought).map((p) => p.text || '').join(''),
        usage: u ? { input: u.promptTokenCount, output: u.candidatesTokenCount } : undefined,
      };
    },
  },
};

/** Token counts seen so far, merged with what an event adds (Anthropic sends input and output in two events). */
export function mergeUsage(usage, add) {
  if (!add) return usage;
  const merged = { ...(usage || {}) };
  for (const [k, v] of Object.entries(add)) {
    if (v !== undefined && v !== null) merged[k] = v;
  }
  return merged;
}

/**
 * The relay's error JSON in any dialect as {code, message}: OpenAI {"error": {"message", "code", "type"}},
 * Anthropic {"type": "error", "error": {"type", "message"}}, Google {"error": {"code": 400, "message", "status"}}.
 */
export function dialectError(status, body) {
  let parsed = null;
  try {
    parsed = typeof body === 'string' ? JSON.parse(body) : body;
  } catch {
    parsed = null;
  }
  const e = parsed?.error || {};
  const code = typeof e.code === 'string' ? e.code : e.status || e.type;
  return { code: code || `http_${status}`, message: e.message || `the relay answered ${status}` };
}
