import { useEffect, useRef, useState } from 'react';
import { api } from '../lib/api.js';
import { streamSse } from '../lib/sse.js';
import { ErrorBox, Field, Notice, Page } from '../components.jsx';
import { formatMs, formatNumber } from '../lib/format.js';

const KEY = 'tollgate.playground.key';

/** The relay's own error JSON ({"error": {"message", "code"|"type"}}) as an error the UI shows. */
function relayError(status, body) {
  let parsed = null;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = null;
  }
  const e = parsed?.error || {};
  return { code: e.code || e.type || `http_${status}`, message: e.message || `the relay answered ${status}` };
}

/**
 * Chats with any model the key may use, through the relay (OpenAI dialect, streamed), as a customer's SDK would.
 * The key stays in this browser tab's session storage only.
 */
export function Playground() {
  const [relayUrl, setRelayUrl] = useState('');
  const [key, setKey] = useState(() => sessionStorage.getItem(KEY) || '');
  const [models, setModels] = useState([]);
  const [model, setModel] = useState('');
  const [system, setSystem] = useState('');
  const [input, setInput] = useState('');
  const [messages, setMessages] = useState([]);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [last, setLast] = useState(null);
  const abort = useRef(null);

  useEffect(() => {
    api.get('/api/settings').then((s) => setRelayUrl(s.relayUrl)).catch(setError);
  }, []);
  useEffect(() => {
    sessionStorage.setItem(KEY, key);
  }, [key]);

  async function loadModels() {
    setError(null);
    try {
      const r = await fetch(`${relayUrl}/v1/models`, { headers: { Authorization: `Bearer ${key}` } });
      const text = await r.text();
      if (!r.ok) throw relayError(r.status, text);
      const ids = (JSON.parse(text).data || []).map((m) => m.id).sort();
      setModels(ids);
      if (!model && ids.length) setModel(ids[0]);
    } catch (e) {
      setError(e.message ? e : { code: 'network_error', message: `the relay at ${relayUrl} cannot be reached` });
    }
  }

  async function send(e) {
    e.preventDefault();
    if (!input.trim() || busy) return;
    const history = [...messages, { role: 'user', content: input }];
    setMessages([...history, { role: 'assistant', content: '' }]);
    setInput('');
    setBusy(true);
    setError(null);
    const controller = new AbortController();
    abort.current = controller;
    const started = performance.now();
    let ttft = null;
    let usage = null;
    let requestId = null;
    let text = '';
    try {
      await streamSse(`${relayUrl}/v1/chat/completions`, {
        method: 'POST',
        signal: controller.signal,
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          model,
          stream: true,
          stream_options: { include_usage: true },
          messages: [...(system.trim() ? [{ role: 'system', content: system }] : []), ...history],
        }),
        onOpen: (response) => { requestId = response.headers.get('x-request-id'); },
        onEvent: ({ data }) => {
          if (data === '[DONE]') return;
          const chunk = JSON.parse(data);
          if (chunk.usage) usage = chunk.usage;
          const delta = chunk.choices?.[0]?.delta?.content;
          if (delta) {
            if (ttft === null) ttft = performance.now() - started;
            text += delta;
            setMessages([...history, { role: 'assistant', content: text }]);
          }
        },
      });
      setLast({ ms: Math.round(performance.now() - started), ttft: ttft === null ? null : Math.round(ttft), usage, requestId });
    } catch (err) {
      if (err.name !== 'AbortError') {
        setError(err.status ? relayError(err.status, err.body)
          : { code: 'network_error', message: `the relay at ${relayUrl} cannot be reached (${err.message})` });
      }
      setMessages(history.concat(text ? [{ role: 'assistant', content: text }] : []));
    } finally {
      setBusy(false);
      abort.current = null;
    }
  }

  return (
    <Page name="playground" title="Playground" ready={!!relayUrl}>
      <div className="filters">
        <Field label="Relay" hint="Set in Settings"><input value={relayUrl} readOnly className="mono" /></Field>
        <Field label="API key" hint="A Tollgate key (tg-…); kept in this tab only">
          <input name="playgroundKey" type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} />
        </Field>
        <div className="form-actions"><button type="button" onClick={loadModels} disabled={!key}>Load models</button></div>
        <Field label="Model">
          <input name="model" list="playground-models" value={model} onChange={(e) => setModel(e.target.value)} />
          <datalist id="playground-models">{models.map((m) => <option key={m} value={m} />)}</datalist>
        </Field>
      </div>
      <Field label="System prompt"><textarea name="system" rows={2} value={system} onChange={(e) => setSystem(e.target.value)} /></Field>
      <div className="chat" data-testid="chat">
        {messages.length === 0 && <p className="muted">Send a message to start. Calls are billed to the key's owner.</p>}
        {messages.map((m, i) => (
          <div key={i} className={`msg ${m.role}`} data-testid={`msg-${m.role}`}>
            <span className="role">{m.role}</span>
            <div className="content">{m.content || (busy && i === messages.length - 1 ? '…' : '')}</div>
          </div>
        ))}
      </div>
      <ErrorBox error={error} />
      {last && (
        <Notice>
          <span data-testid="playground-result">Answered in {formatMs(last.ms)} (first token after {formatMs(last.ttft)})
            {last.usage && ` · ${formatNumber(last.usage.prompt_tokens)} in, ${formatNumber(last.usage.completion_tokens)} out`}
            {last.requestId && <> · request <code>{last.requestId}</code></>}</span>
        </Notice>
      )}
      <form className="composer" onSubmit={send}>
        <textarea name="message" rows={3} value={input} onChange={(e) => setInput(e.target.value)} placeholder="Message"
          onKeyDown={(e) => { if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) send(e); }} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy || !key || !model}>Send</button>
          {busy && <button type="button" onClick={() => abort.current?.abort()}>Stop</button>}
          <button type="button" onClick={() => { setMessages([]); setLast(null); }} disabled={busy}>Clear</button>
        </div>
      </form>
    </Page>
  );
}
