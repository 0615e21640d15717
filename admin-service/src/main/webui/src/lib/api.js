// The admin API as the UI uses it: the session token from sign-in on every call, errors as the API's own
// {"error": {"code", "message"}} turned into ApiError, and a retried write keeping its Idempotency-Key.

const SESSION = 'tollgate.session';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function session() {
  try {
    return JSON.parse(sessionStorage.getItem(SESSION)) || null;
  } catch {
    return null;
  }
}

export function saveSession(s) {
  sessionStorage.setItem(SESSION, JSON.stringify(s));
}

export function clearSession() {
  sessionStorage.removeItem(SESSION);
}

const listeners = new Set();
/** Called with no argument when the server says the session is gone (401). */
export function onSignedOut(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export async function request(method, path, body, options = {}) {
  const headers = { Accept: 'application/json' };
  const s = session();
  if (s?.token) headers.Authorization = `Bearer ${s.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['Idempotency-Key'] = options.idempotencyKey || crypto.randomUUID();
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: options.signal,
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network_error', 'the admin service cannot be reached');
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    const error = json?.error || {};
    if (response.status === 401 && s?.token) {
      clearSession();
      listeners.forEach((fn) => fn());
    }
    throw new ApiError(response.status, error.code || 'http_' + response.status,
      error.message || `${method} ${path} failed with ${response.status}`);
  }
  return json;
}

export const api = {
  get: (path, options) => request('GET', path, undefined, options),
  post: (path, body, options) => request('POST', path, body ?? {}, options),
  put: (path, body, options) => request('PUT', path, body, options),
  patch: (path, body, options) => request('PATCH', path, body, options),
  del: (path, options) => request('DELETE', path, undefined, options),
};

/** A query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? '?' + s : '';
}
