// The JSON API, with errors turned into readable messages (the server's {"error": {code, message, details}}); a 401
// (the server asks for an access token: none, or the session ended) sends the page to the login page.
import { redirectToLogin } from './login-redirect.js';

const SESSION_PATH = '/api/session'; // the login's own endpoint: its 401 is a wrong token, shown on the login page

export class APIError extends Error {
  constructor(status, code, message, details, retryAfter) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter ?? null; // seconds, from a 503's or 429's Retry-After
  }
}

async function check(response, path) {
  if (response.ok) return response;
  if (response.status === 401 && !path.startsWith(SESSION_PATH)) redirectToLogin();
  let code = `http_${response.status}`;
  let message = `${response.status} ${response.statusText}`;
  let details;
  try {
    const body = await response.json();
    if (body && body.error) {
      code = body.error.code || code;
      message = body.error.message || message;
      details = body.error.details;
    }
  } catch (_) {
    // not JSON: keep the status line
  }
  throw new APIError(response.status, code, message, details, response.headers.get('Retry-After'));
}

async function request(path, options = {}) {
  let response;
  try {
    response = await fetch(path, options);
  } catch (error) {
    throw new APIError(0, 'network', `cannot reach the server (${error.message})`);
  }
  return check(response, path);
}

export async function getJSON(path, params) {
  const query = params ? '?' + new URLSearchParams(params).toString() : '';
  return (await request(path + query)).json();
}

/// The address of a float32 answer (for a worker that fetches it itself).
export function floatsURL(path, params) {
  return path + '?' + new URLSearchParams({ ...params, format: 'f32' }).toString();
}

export async function getFloats(path, params) {
  const buffer = await (await request(floatsURL(path, params))).arrayBuffer();
  return new Float32Array(buffer);
}

export async function postJSON(path, body) {
  return (await request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })).json();
}

/// POST with the parameters in the query and no body (a job over a GET's query).
export async function postQuery(path, params) {
  const query = params ? '?' + new URLSearchParams(params).toString() : '';
  return (await request(path + query, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' }, // the server takes only JSON POSTs (415 otherwise)
    body: '',
  })).json();
}

export async function deleteJSON(path) {
  return (await request(path, { method: 'DELETE' })).json();
}

/// POSTs `body` as JSON and hands each line of the streamed JSON-lines answer to `onLine` as it arrives (parsed);
/// `signal` (an AbortSignal) closes the connection, which stops the work on the server.
export async function postJSONLines(path, body, onLine, signal) {
  const response = await request(path, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal,
  });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let pending = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    pending += decoder.decode(value, { stream: true });
    let newline;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line.trim()) onLine(JSON.parse(line));
    }
  }
  if (pending.trim()) onLine(JSON.parse(pending));
}

let modelsPromise = null;

export const api = {
  models: () => getJSON('/api/models'),
  /// GET /api/models once per page (a failed answer is asked again next time).
  modelsOnce() {
    if (!modelsPromise) modelsPromise = api.models().catch((error) => { modelsPromise = null; throw error; });
    return modelsPromise;
  },
  health: () => getJSON('/api/health'),
  // the Generate page: POST /api/generate streams {event: start | token | done | error} lines
  generate: (body, onLine, signal) => postJSONLines('/api/generate', body, onLine, signal),
  createRunFromIds: (request) => postJSON('/api/runs', request),
  generationAttribution: (id, method) => getJSON(`/api/runs/${id}/generation-attribution`, { method }),
  // the login (pages/login/, the header's Sign out): {tokens_required, signed_in}; the session cookie is HttpOnly
  session: () => getJSON(SESSION_PATH),
  signIn: (token) => postJSON(SESSION_PATH, { token }),
  signOut: () => deleteJSON(SESSION_PATH),
  createRun: (model, prompt) => postJSON('/api/runs', { model, prompt, options: { top_k: 10 } }),
  run: (id) => getJSON(`/api/runs/${id}`),
  graph: (id, threshold, renormalize) =>
    getJSON(`/api/runs/${id}/graph`, { threshold: String(threshold), renormalize: String(renormalize) }),
  edgeHeads: (id, layer, target, source, threshold, renormalize) =>
    getJSON(`/api/runs/${id}/contributions`, {
      layer, target, source, threshold: String(threshold), renormalize: String(renormalize),
    }),
  contributionMap: (id, layer, head) => getJSON(`/api/runs/${id}/contributions`, { layer, head }),
  attention: (id, layer, head) => getFloats(`/api/runs/${id}/attention`, { layer, head }),
  attentionURL: (id, layer, head) => floatsURL(`/api/runs/${id}/attention`, { layer, head }),
  lens: (id, layer, point, token, k = 15) => getJSON(`/api/runs/${id}/lens`, { layer, point, token, k }),
  /// The whole grid, or with {from, to} the columns from…to (inclusive).
  lensGrid: (id, point, range) => getJSON(`/api/runs/${id}/lens-grid`,
    range ? { point, from: String(range.from), to: String(range.to) } : { point }),
  // the Teaching view: one token's walk through the model, and the full next-token logits after it
  walk: (id, token) => getJSON(`/api/runs/${id}/walk`, { token }),
  logits: (id, token) => getFloats(`/api/runs/${id}/logits`, { token }),
  promoted: (id, params) => getJSON(`/api/runs/${id}/promoted`, params),
  neurons: (id, layer, token, k = 20) => getJSON(`/api/runs/${id}/neurons`, { layer, token, k }),
  metrics: (id, clusters) => getJSON(`/api/runs/${id}/metrics`, { clusters }),
  rollout: (id, row, heads) => getJSON(`/api/runs/${id}/rollout`, { row, heads }),
  flow: (id) => getJSON(`/api/runs/${id}/flow`),
  anomalies: (id, params) => getJSON(`/api/runs/${id}/anomalies`, Object.keys(params).length ? params : undefined),
  ablation: (id) => getJSON(`/api/runs/${id}/ablation`),
  // attributions (the Attributions tab): one method's scores, or a job for long integrated-gradients runs
  attributions: (id, params) => getJSON(`/api/runs/${id}/attributions`, params),
  createAttributionJob: (id, params) => postQuery(`/api/runs/${id}/attributions/jobs`, params),
  attributionJob: (job) => getJSON(`/api/attribution-jobs/${encodeURIComponent(job)}`),
  cancelAttributionJob: (job) => deleteJSON(`/api/attribution-jobs/${encodeURIComponent(job)}`),
  // the graph diff of two runs (its page): {a, b, threshold, renormalize, top}
  graphDiff: (params) => getJSON('/api/graph-diff', params),
  // comparisons and reports (the Compare and Reports pages)
  compare: (body) => postJSON('/api/compare', body),
  createReport: (body) => postJSON('/api/reports', body),
  report: (id) => getJSON(`/api/reports/${encodeURIComponent(id)}`),
  cancelReport: (id) => deleteJSON(`/api/reports/${encodeURIComponent(id)}`),
  reportHTML: (id) => `/api/reports/${encodeURIComponent(id)}/html`,
  // checkpoint series (the Compare page's Checkpoints mode): the configured series, and a series as a job
  checkpointSeriesList: () => getJSON('/api/checkpoint-series'),
  createCheckpointSeries: (body) => postJSON('/api/checkpoint-series', body),
  checkpointSeries: (id) => getJSON(`/api/checkpoint-series/${encodeURIComponent(id)}`),
  cancelCheckpointSeries: (id) => deleteJSON(`/api/checkpoint-series/${encodeURIComponent(id)}`),
  checkpointSeriesHTML: (id) => `/api/checkpoint-series/${encodeURIComponent(id)}/html`,
};
