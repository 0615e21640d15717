import { useState } from 'react';
import { api, query } from '../lib/api.js';
import { Badge, ErrorBox, Field, Form, Notice, Page, Pager, Panel, Table, useAsync } from '../components.jsx';
import { formatMs, formatTime } from '../lib/format.js';
import { joinVertex, splitVertex, VERTEX } from '../lib/vertex.js';

const PROVIDERS = ['openai', 'azure', 'anthropic', 'bedrock', 'gemini', 'deepseek', 'groq', 'mistral', 'xai',
  'openrouter', 'together', 'siliconflow', 'ollama', 'vllm'];

// A form-only choice, saved as provider gemini with config project/location (see lib/vertex.js).
const CHOICES = [...PROVIDERS.slice(0, PROVIDERS.indexOf('gemini') + 1), VERTEX,
  ...PROVIDERS.slice(PROVIDERS.indexOf('gemini') + 1)];
const LABELS = { [VERTEX]: 'Gemini (Vertex AI)' };

const EMPTY = { name: '', provider: 'openai', baseUrl: '', apiKey: '', models: '', groups: 'default', priority: 0,
  weight: 1, enabled: true, modelMapping: '', config: '', tags: '', project: '', location: '' };

function toForm(c) {
  const { provider, project, location, config } = splitVertex(c.provider, c.config);
  return { ...EMPTY, ...c, provider, project, location, apiKey: '', models: c.models.join(', '),
    groups: c.groups.join(', '), tags: (c.tags || []).join(', '),
    modelMapping: Object.keys(c.modelMapping || {}).length ? JSON.stringify(c.modelMapping) : '',
    config: Object.keys(config).length ? JSON.stringify(config) : '' };
}

const list = (text) => text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);

function jsonOrNull(text, field) {
  if (!text.trim()) return null;
  try {
    return JSON.parse(text);
  } catch {
    throw Object.assign(new Error(`${field}: not valid JSON`), { code: 'invalid_request' });
  }
}

/**
 * Upstream channels: list (filtered by a tag), create, edit, test, fetch the upstream's models, switch on and off
 * (one, the selected, or every channel with the tag filtered by).
 */
export function Channels() {
  const [page, setPage] = useState(0);
  const [tag, setTag] = useState('');
  const [tagDraft, setTagDraft] = useState('');
  const [editing, setEditing] = useState(null);
  const [selected, setSelected] = useState(new Set());
  const [message, setMessage] = useState(null);
  const [error, setError] = useState(null);
  const channels = useAsync((signal) => api.get('/api/channels' + query({ page, size: 50, tag }), { signal }), [page, tag]);

  function filterByTag(t) {
    setPage(0);
    setTagDraft(t);
    setTag(t);
  }

  async function batch(enabled, byTag = false) {
    setError(null);
    try {
      const r = await api.post('/api/channels/batch', byTag ? { tag, enabled } : { ids: [...selected], enabled });
      const failed = r.items.filter((i) => !i.ok);
      setMessage(`${r.items.length - failed.length} channel(s) ${enabled ? 'enabled' : 'disabled'}`
        + (failed.length ? `; failed: ${failed.map((f) => `#${f.id} (${f.error})`).join(', ')}` : ''));
      setSelected(new Set());
      channels.reload();
    } catch (e) {
      setError(e);
    }
  }

  async function test(c) {
    setError(null);
    setMessage(`Testing ${c.name}…`);
    try {
      const r = await api.post(`/api/channels/${c.id}/test`);
      setMessage(`${c.name}: ${r.ok ? 'OK' : 'FAILED'} (HTTP ${r.status}) in ${formatMs(r.latencyMs)}`
        + (r.message ? ` — ${r.message}` : ''));
    } catch (e) {
      setMessage(null);
      setError(e);
    }
  }

  async function toggle(c) {
    setError(null);
    try {
      await api.patch(`/api/channels/${c.id}`, { enabled: !c.enabled });
      channels.reload();
    } catch (e) {
      setError(e);
    }
  }

  const toggleSelected = (id) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id); else next.add(id);
    setSelected(next);
  };

  return (
    <Page name="channels" title="Channels" ready={!!channels.data} actions={<>
      <button type="button" disabled={!selected.size} onClick={() => batch(true)}>Enable selected</button>
      <button type="button" disabled={!selected.size} onClick={() => batch(false)}>Disable selected</button>
      {tag && <button type="button" onClick={() => batch(true, true)}>Enable all tagged {tag}</button>}
      {tag && <button type="button" onClick={() => batch(false, true)}>Disable all tagged {tag}</button>}
      <button type="button" className="primary" onClick={() => setEditing({ ...EMPTY })}>New channel</button>
    </>}>
      <form className="filters" data-testid="channel-filters" onSubmit={(e) => { e.preventDefault(); filterByTag(tagDraft.trim()); }}>
        <Field label="Tag"><input name="tag" value={tagDraft} onChange={(e) => setTagDraft(e.target.value)} placeholder="any" /></Field>
        <div className="form-actions">
          <button type="submit">Filter</button>
          {tag && <button type="button" onClick={() => filterByTag('')}>Clear</button>}
        </div>
      </form>
      <ErrorBox error={channels.error || error} />
      {message && <Notice>{message}</Notice>}
      {editing && <ChannelForm initial={editing} onClose={() => setEditing(null)}
        onSaved={(c) => { setEditing(null); setMessage(`Saved channel ${c.name} (#${c.id})`); channels.reload(); }} />}
      <Table testId="channels" rows={channels.data?.items} columns={[
        { key: 'sel', title: '', render: (c) => <input type="checkbox" aria-label={`select ${c.name}`} checked={selected.has(c.id)} onChange={() => toggleSelected(c.id)} /> },
        { key: 'id', title: '#' },
        { key: 'name', title: 'Name' },
        { key: 'provider', title: 'Provider', render: (c) => LABELS[splitVertex(c.provider, c.config).provider] || c.provider },
        { key: 'baseUrl', title: 'Base URL', className: 'mono' },
        { key: 'models', title: 'Models', render: (c) => c.models.join(', ') },
        { key: 'groups', title: 'Groups', render: (c) => c.groups.join(', ') },
        { key: 'tags', title: 'Tags', render: (c) => <span className="chips">{(c.tags || []).map((t) => (
          <button type="button" key={t} className="chip" title={`Only channels tagged ${t}`} onClick={() => filterByTag(t)}>{t}</button>
        ))}</span> },
        { key: 'priority', title: 'Priority', className: 'num' },
        { key: 'weight', title: 'Weight', className: 'num' },
        { key: 'enabled', title: 'State', render: (c) => <>
          <Badge on={c.enabled} />{c.autoDisabled && <span className="badge warn" title={c.disabledReason}>auto-disabled</span>}
        </> },
        { key: 'key', title: 'Key', render: (c) => (c.hasApiKey ? 'set' : 'none') },
        { key: 'updated', title: 'Updated', render: (c) => formatTime(c.updatedAt) },
        { key: 'actions', title: '', render: (c) => <span className="row-actions">
          <button type="button" onClick={() => setEditing(toForm(c))}>Edit</button>
          <button type="button" onClick={() => test(c)}>Test</button>
          <button type="button" onClick={() => toggle(c)}>{c.enabled ? 'Disable' : 'Enable'}</button>
        </span> },
      ]} />
      {channels.data && <Pager page={page} size={channels.data.size} total={channels.data.total} onPage={setPage} />}
    </Page>
  );
}

function ChannelForm({ initial, onClose, onSaved }) {
  const [f, setF] = useState(initial);
  const [models, setModels] = useState(null);
  const [modelsError, setModelsError] = useState(null);
  const set = (k) => (e) => setF({ ...f, [k]: e.target.type === 'checkbox' ? e.target.checked : e.target.value });
  const editing = !!initial.id;
  const vertex = f.provider === VERTEX;

  async function save() {
    const { provider, config } = joinVertex(f.provider, f.project, f.location, jsonOrNull(f.config, 'config'));
    const body = {
      name: f.name, provider, baseUrl: f.baseUrl, models: list(f.models), groups: list(f.groups),
      priority: Number(f.priority), weight: Number(f.weight), enabled: f.enabled,
      modelMapping: jsonOrNull(f.modelMapping, 'modelMapping'), config,
      tags: list(f.tags.toLowerCase()),
    };
    if (f.apiKey) body.apiKey = f.apiKey;
    if (!editing) {
      if (!body.modelMapping) delete body.modelMapping;
      if (!body.config) delete body.config;
    }
    const saved = editing ? await api.patch(`/api/channels/${initial.id}`, body) : await api.post('/api/channels', body);
    onSaved(saved);
  }

  async function fetchModels() {
    setModelsError(null);
    try {
      const r = await api.get(`/api/channels/${initial.id}/upstream-models`);
      setModels(r.models || []);
    } catch (e) {
      setModelsError(e);
    }
  }

  return (
    <Panel title={editing ? `Edit channel #${initial.id}` : 'New channel'} onClose={onClose}>
      <Form onSubmit={save} submitLabel={editing ? 'Save changes' : 'Create channel'} testId="channel-form" className="grid">
        <Field label="Name"><input name="name" value={f.name} onChange={set('name')} required /></Field>
        <Field label="Provider">
          <select name="provider" value={f.provider} onChange={set('provider')}>
            {CHOICES.map((p) => <option key={p} value={p}>{LABELS[p] || p}</option>)}
          </select>
        </Field>
        {vertex && (
          <>
            <Field label="Project" hint="Google Cloud project id; blank: the key's project_id">
              <input name="project" value={f.project} onChange={set('project')} />
            </Field>
            <Field label="Location" hint="e.g. us-central1; blank: global">
              <input name="location" value={f.location} onChange={set('location')} />
            </Field>
          </>
        )}
        <Field label="Base URL" hint={vertex ? "Blank: Google's Vertex AI endpoint for the location (set one for a private endpoint)"
          : "The provider's root as its SDK takes it, e.g. https://api.openai.com/v1"}>
          <input name="baseUrl" value={f.baseUrl} onChange={set('baseUrl')} required={!vertex} />
        </Field>
        {vertex ? (
          <Field label="Service account key (JSON)" hint={(editing ? 'Write-only: leave empty to keep the stored key. '
            : 'Stored encrypted; never shown again. ') + 'The whole JSON key file, or a Vertex express-mode API key'}>
            <textarea name="apiKey" rows={4} autoComplete="off" spellCheck={false} value={f.apiKey}
              onChange={set('apiKey')} />
          </Field>
        ) : (
          <Field label="API key" hint={editing ? 'Write-only: leave empty to keep the stored key' : 'Stored encrypted; never shown again'}>
            <input name="apiKey" type="password" autoComplete="off" value={f.apiKey} onChange={set('apiKey')} />
          </Field>
        )}
        <Field label="Models" hint="Comma-separated names customers may ask for">
          <input name="models" value={f.models} onChange={set('models')} required />
        </Field>
        <Field label="Groups"><input name="groups" value={f.groups} onChange={set('groups')} /></Field>
        <Field label="Tags" hint="Comma-separated labels (a-z, 0-9, - _ . :) to filter and switch channels by">
          <input name="tags" value={f.tags} onChange={set('tags')} />
        </Field>
        <Field label="Priority" hint="Higher is tried first"><input name="priority" type="number" value={f.priority} onChange={set('priority')} /></Field>
        <Field label="Weight"><input name="weight" type="number" min="0" value={f.weight} onChange={set('weight')} /></Field>
        <Field label="Model mapping (JSON)" hint='{"asked": "upstream name"}'>
          <input name="modelMapping" value={f.modelMapping} onChange={set('modelMapping')} />
        </Field>
        <Field label="Config (JSON)" hint="Provider-specific, e.g. Bedrock region"><input name="config" value={f.config} onChange={set('config')} /></Field>
        <label className="check"><input type="checkbox" checked={f.enabled} onChange={set('enabled')} /> Enabled</label>
      </Form>
      {editing && (
        <div className="upstream-models">
          <button type="button" onClick={fetchModels}>Fetch upstream models</button>
          <ErrorBox error={modelsError} />
          {models && (
            <div>
              <p className="muted">{models.length} model(s) upstream. Click to add one:</p>
              <div className="chips">
                {models.map((m) => (
                  <button type="button" key={m} className="chip"
                    onClick={() => setF({ ...f, models: [...new Set([...list(f.models), m])].join(', ') })}>{m}</button>
                ))}
              </div>
            </div>
          )}
        </div>
      )}
    </Panel>
  );
}
