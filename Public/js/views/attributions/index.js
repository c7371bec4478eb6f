// The attributions view (#view-attributions): why the model predicts a token, per prompt token, by six gradient and
// perturbation methods (GET /api/runs/{id}/attributions, docs/analyses.md §6), fetched in parallel (the server caches
// each): the tokens coloured by one method's scores, every method side by side in a sortable table, the completeness
// gap of integrated gradients, the gradient-flow map and the attention × gradient map. Integrated gradients with many
// steps runs as a job with progress and a cancel button (loader.js). The target comes from the form or from a click
// on a prediction under Next tokens (host.openAttribution). A run-page view (see pages/run/views.js).
import { api } from '../../core/api.js';
import { el } from '../../core/dom.js';
import { downloadCSV, downloadJSON, downloadPNG } from '../../core/download.js';
import { requestGuard } from '../../core/request-guard.js';
import { errorBox } from '../../components/error-box.js';
import { FINAL_STATUSES, createJobProgress } from '../../components/job-progress.js';
import { spinner } from '../../components/spinner.js';
import { attributionCSVRows, attributionJSON, scoreScale, sortedRows, tableRows, targetText, nextSort } from './attribution-data.js';
import { createControls } from './controls.js';
import { createLoader, jobCounts } from './loader.js';
import { createMaps } from './maps.js';
import { METHODS, attributionParams, methodInfo, methodQuery, needsJob } from './methods.js';
import { renderCaption, renderGap, renderTable, renderTokens } from './render.js';
import { tokensPNG } from './token-png.js';

export const name = 'attributions';
export { url } from './url-state.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function build(view) {
  const { host } = view;
  view.controls = createControls(host.run.tokens, { change: () => apply(view), submit: () => apply(view) });
  view.busy = spinner(view.controls.element.lastChild);
  view.progress = createJobProgress('attr', { noun: 'Integrated gradients job', cancelTitle: 'stop the job between passes',
    onCancel: () => cancelJob(view), counts: jobCounts,
    describe: (job) => `${jobCounts(job).done}/${jobCounts(job).total} passes · ${job.status}` });
  view.errorElement = el('div', 'error', { id: 'attr-error', role: 'alert', hidden: '' });
  view.error = errorBox(view.errorElement, (parameter) => view.controls.fieldsFor(parameter));
  view.caption = el('p', 'attr-caption', { id: 'attr-caption' });
  view.tokens = el('div', 'attr-tokens', { id: 'attr-tokens', 'aria-label': 'the prompt\'s tokens coloured by their scores' });
  view.legend = el('div', 'diverging-legend', { id: 'attr-legend' });
  view.gap = el('div', 'attr-gap', { id: 'attr-gap', 'aria-live': 'polite' });
  const tablePart = el('div', 'attr-table-part');
  const wrap = el('div', 'attr-table-wrap');
  view.table = el('table', 'table attr-table', { id: 'attr-table' });
  wrap.append(view.table);
  tablePart.append(el('h4', null, null, 'Every method per token'),
    el('p', 'muted small', null, 'Each column coloured on its own scale (blue positive, red negative); click a header to sort.'), wrap);
  const mapsPart = el('div', 'attr-maps-part');
  const area = el('div', 'attr-area');
  area.append(tablePart, mapsPart);
  view.root.replaceChildren(view.controls.element, view.progress.element, view.errorElement, view.caption, view.tokens,
    view.legend, view.gap, area);
  view.maps = createMaps(mapsPart, host.run.model.layers, {
    point: (point) => setState(view, { attrFlowPoint: point }),
    layer: (layer) => setState(view, { attrLayer: layer }),
    baseName: () => host.baseName(), showError: host.showError,
  });
}

function wireExports(view) {
  const { host } = view;
  const { fields } = view.controls;
  const file = (ext) => `${host.baseName()}-attributions.${ext}`;
  fields.csv.addEventListener('click', () => downloadCSV(file('csv'),
    attributionCSVRows(sortedRows(tableRows(host.run.tokens, dataOf(view)), host.state.attrSort, host.state.attrOrder))));
  fields.json.addEventListener('click', () => downloadJSON(file('json'), attributionJSON(host.runId, view.params, dataOf(view)), 1));
  fields.png.addEventListener('click', () => {
    const data = view.results[host.state.attrMethod]?.data;
    if (!data) return;
    const info = methodInfo(host.state.attrMethod);
    const lines = [`${info.label} · ${host.run.model.name}`, targetText(data.target, data.tokens)];
    downloadPNG(`${host.baseName()}-attributions-${info.key}.png`,
      tokensPNG(host.run.tokens, data.scores, scoreScale(data.scores), lines), host.showError);
  });
}

export function mount(root, host) {
  const view = { root, host, results: {}, key: null, params: null, guard: requestGuard(), jobs: new Map(), mapsKey: null };
  view.loader = createLoader(api, sleep);
  build(view);
  wireExports(view);
  return view;
}

function dataOf(view) {
  return Object.fromEntries(METHODS.map((m) => [m.key, view.results[m.key]?.data]).filter(([, d]) => d));
}

/// The form's values into the state (the last position stays "none": it follows the prompt).
function apply(view) {
  const read = view.controls.read();
  if (read.invalid) return;
  const values = read.values;
  if (values.attrPosition === view.host.run.tokens.length - 1) values.attrPosition = null;
  setState(view, values);
}

function setState(view, changes) {
  Object.assign(view.host.state, changes);
  view.host.writeURL();
  update(view).catch(view.host.showError);
}

/// The state's position and layer kept inside the run.
function clampState(state, run) {
  const n = run.tokens.length;
  if (state.attrPosition !== null && !(state.attrPosition >= 0 && state.attrPosition < n)) state.attrPosition = null;
  if (state.attrLayer !== 'sum' && !(state.attrLayer >= 0 && state.attrLayer < run.model.layers)) state.attrLayer = 'sum';
}

export async function update(view) {
  const { host } = view;
  const { state, run } = host;
  clampState(state, run);
  const params = attributionParams(state, run.tokens.length);
  view.controls.sync(state, params.position);
  const key = `${host.runId}|${JSON.stringify(params)}`;
  if (key === view.key) return render(view);
  await load(view, key, params);
}

/// Every method for new parameters: plain GETs awaited, jobs left to finish in the background (they draw
/// themselves), the previous parameters' jobs cancelled.
async function load(view, key, params) {
  const current = view.guard.next();
  for (const id of view.jobs.values()) view.loader.cancel(id).catch(() => {});
  view.jobs.clear();
  view.key = key;
  view.params = params;
  view.results = {};
  view.errors = [];
  view.error.clear();
  view.progress.element.hidden = true;
  const n = view.host.run.tokens.length;
  const waits = [];
  for (const m of METHODS) {
    const useJob = needsJob(m.key, params.steps, n);
    view.results[m.key] = { status: useJob && view.loader.jobsAvailable !== false ? 'job' : 'loading' };
    const done = fetchMethod(view, m.key, methodQuery(m.key, params), useJob, current);
    if (!useJob) waits.push(done);
  }
  render(view);
  view.busy.start('computing attributions');
  try {
    await Promise.all(waits);
  } finally {
    if (current()) view.busy.stop();
  }
}

async function fetchMethod(view, method, query, useJob, current) {
  const entry = view.results[method];
  try {
    const answer = await view.loader.load(view.host.runId, query, { useJob, isCurrent: current,
      onJob: (job) => { if (current()) showJob(view, method, job); } });
    if (!current() || answer.status === 'stale') return;
    if (answer.status === 'done') Object.assign(entry, { status: 'done', data: answer.data });
    else entry.status = 'cancelled';
  } catch (error) {
    if (!current()) return;
    Object.assign(entry, { status: 'error', error });
    showErrors(view, method, error);
  }
  render(view);
  if (entry.data) view.host.markTarget?.(entry.data.target.token.id, entry.data.target.position);
}

/// A method's error next to the form (the first one; the others in their column's header).
function showErrors(view, method, error) {
  view.errors.push({ method, error });
  const same = view.errors.filter((e) => e.error.message === view.errors[0].error.message).map((e) => methodInfo(e.method).short);
  const first = view.errors[0].error;
  view.error.show({ status: first.status, code: first.code, details: first.details, retryAfter: first.retryAfter,
    message: `${same.join(', ')}: ${first.message}` });
}

function showJob(view, method, job) {
  Object.assign(view.results[method], { job });
  if (FINAL_STATUSES.has(job.status)) view.jobs.delete(method); else view.jobs.set(method, job.id);
  view.progress.element.hidden = false;
  view.progress.show(job);
  if (!FINAL_STATUSES.has(job.status)) render(view);
}

async function cancelJob(view) {
  const [method, id] = [...view.jobs.entries()][0] || [];
  if (!id) return;
  view.progress.cancelButton.disabled = true;
  try {
    const job = await view.loader.cancel(id);
    showJob(view, method, job);
  } catch (error) {
    view.progress.showError(error.message);
    view.progress.cancelButton.disabled = false;
  }
}

function render(view) {
  const { state, run } = view.host;
  const tokens = run.tokens;
  renderCaption(view.caption, view.results, tokens);
  renderTokens(view.tokens, view.legend, tokens, view.results[state.attrMethod], state.attrMethod);
  renderGap(view.gap, view.results.ig, (steps) => setState(view, { attrSteps: steps }));
  renderTable(view.table, tokens, view.results, state, (key) => sortBy(view, key));
  const flow = view.results['gradient-flow']?.data, ag = view.results['attention-gradient']?.data;
  const flowStatus = view.results['gradient-flow']?.status, agStatus = view.results['attention-gradient']?.status;
  const mapsKey = `${view.key}|${state.attrFlowPoint}|${state.attrLayer}|${flowStatus}|${agStatus}`;
  if (mapsKey !== view.mapsKey) {
    view.mapsKey = mapsKey;
    view.maps.update(state, tokens.map((t) => t.display), flow, ag, { flow: pendingText(flowStatus), ag: pendingText(agStatus) });
  }
  const settled = METHODS.every((m) => ['done', 'error', 'cancelled'].includes(view.results[m.key]?.status));
  view.root.dataset.ready = String(settled);
}

/// What an empty map says: computing, failed (the error is above) or cancelled.
function pendingText(status) {
  if (status === 'error') return 'failed: the error is shown above';
  if (status === 'cancelled') return 'cancelled';
  return 'computing…';
}

function sortBy(view, key) {
  const { state } = view.host;
  const { sort, order } = nextSort(state.attrSort, state.attrOrder, key);
  Object.assign(state, { attrSort: sort, attrOrder: order });
  view.host.writeURL();
  renderTable(view.table, view.host.run.tokens, view.results, state, (k) => sortBy(view, k));
  view.table.querySelector(`thead button[data-key="${key}"]`)?.focus();
}

export function destroy(view) {
  view.guard.cancel();
  for (const id of view.jobs.values()) view.loader.cancel(id).catch(() => {});
  view.jobs.clear();
  view.busy.stop();
  view.maps.destroy();
  view.host.markTarget?.(null);
  view.root.replaceChildren();
}
