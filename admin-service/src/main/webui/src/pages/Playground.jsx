import { useEffect, useRef, useState } from 'react';
import { api } from '../lib/api.js';
import { streamSse } from '../lib/sse.js';
import { ErrorBox, Field, Notice, Page } from '../components.jsx';
import { formatMs, formatNumber } from '../lib/format.js';
import { DIALECTS, dialectError as relayError, mergeUsage } from '../lib/dialects.js';

const KEY = 'tollgate.playground.key';

/**
 * Chats with any model the key may use, through the relay, streamed, in the dialect chosen (OpenAI, Anthropic or
 * Gemini), as a customer's SDK would.
 * The key stays in this browser tab's session storage only.
 */
export function Playground() {
  // null until the settings load; an empty relayUrl means the UI's own origin (an ingress or CloudFront sending
  // /v1 and /v1beta to the relays), so the page calls its own origin.
  const [setting, setSetting] = useState(null);
  const relayUrl = setting === null ? '' : (setting || window.location.origin);
  const [key, setKey] = useState(() => sessionStorage.getItem(KEY) || '');
  const [models, setModels] = useState([]);
  const [model, setModel] = useState('');
  const [dialect, setDialect] = useState('openai');
  const [system, setSystem] = useState('');
  const [input, setInput] = useState('');
  const [messages, setMessages] = useState([]);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [last, setLast] = useState(null);
  const abort = useRef(null);

  useEffect(() => {
    api.get('/api/settings').then((s) => setSetting(s.relayUrl || '')).catch(setError);
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
      const d = DIALECTS[dialect];
      await streamSse(d.url(relayUrl, model), {
        method: 'POST',
        signal: controller.signal,
        headers: { ...d.headers(key), 'Content-Type': 'application/json' },
        body: JSON.stringify(d.body(model, system, history)),
        onOpen: (response) => { requestId = response.headers.get('x-request-id'); },
        onEvent: (event) => {
          const read = d.read(event);
          // An error after the stream started (the upstream failed mid-answer) arrives as an event.
          if (read.error) throw Object.assign(new Error('stream error'), { status: 200, body: { error: read.error } });
          usage = mergeUsage(usage, read.usage);
          if (read.text) {
            if (ttft === null) ttft = performance.now() - started;
            text += read.text;
            setMessages([...history, { role: 'assistant', content: text }]);
          }
        },
      });
      setLast({ ms: Math.round(performance.now() - started), ttft: ttft === null ? null : Math.round(ttft), usage, requestId,
        dialect });
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
    <Page name="playground" title="Playground" ready={setting !== null}>
      <div className="filters">
        <Field label="Relay" hint="Set in Settings"><input value={relayUrl} readOnly className="mono" /></Field>
        <Field label="API key" hint="A Tollgate key (tg-…); kept in this tab only">
          <input name="playgroundKey" type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} />
        </Field>
        <div className="form-actions"><button type="button" onClick={loadModels} disabled={!key}>Load models</button></div>
        <Field label="Dialect" hint="The API the playground speaks to the relay">
          <select name="dialect" value={dialect} onChange={(e) => setDialect(e.target.value)} disabled={busy}>
            {Object.entries(DIALECTS).map(([id, d]) => <option key={id} value={id}>{d.label}</option>)}
          </select>
        </Field>
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
            {last.usage && ` · ${formatNumber(last.usage.input)} in, ${formatNumber(last.usage.output)} out`}
            {` · ${DIALECTS[last.dialect].label}`}
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
