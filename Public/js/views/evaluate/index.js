// The evaluate view (#view-evaluate): which explainer to trust for the run's prediction (docs/analyses.md §7). The
// form posts a job (POST /api/explanations with the run's model and prompt); while it runs, the job's progress (its
// stage and passes) with Cancel; once done, the deletion and insertion curves of every method over the random
// orders' band, a table of each method's figures, the agreement matrix, the tokens coloured by the consensus and the
// verdict, with JSON, CSV, SVG, PNG and the server's HTML report. The job id is in the URL (eval_job), so a reload
// shows the job again while the server has it. A run-page view (see pages/run/views.js).
import { el, button } from '../../core/dom.js';
import { download, downloadCSV, downloadJSON, downloadPNG } from '../../core/download.js';
import { num } from '../../core/format.js';
import { requestGuard } from '../../core/request-guard.js';
import { errorBox } from '../../components/error-box.js';
import { createJobProgress } from '../../components/job-progress.js';
import { curveChart, curveLegend } from './chart.js';
import { KINDS, curveScales, curveSeries, nearestStep, valuesAt } from './curve-data.js';
import { curvesDrawing, drawingPNG, drawingSVGText } from './curves-export.js';
import { evaluationCSVRows, jobCounts, jobText, methodRows, randomRow, targetText } from './evaluation-data.js';
import { createControls } from './controls.js';
import { explanationsAPI } from './explanations-api.js';
import { FINAL, createJobs } from './jobs.js';
import { explanationBody } from './parameters.js';
import { renderCaption, renderConsensus, renderMatrix, renderTable, renderVerdict } from './render.js';
import { MATRICES } from './url-state.js';

export const name = 'evaluate';
export { url } from './url-state.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const CHART_HEIGHT = 300;

function section(title, note, ...content) {
  const box = el('section', 'eval-part');
  box.append(el('h4', null, null, title));
  if (note) box.append(el('p', 'muted small', null, note));
  box.append(...content);
  return box;
}

function buildResult(view) {
  const r = {};
  r.root = el('div', 'eval-result', { id: 'eval-result', hidden: '' });
  r.json = button('JSON', { id: 'export-eval-json', title: 'the explanation object of the job as JSON' });
  r.csv = button('CSV', { id: 'export-eval-csv', title: 'a row per method with every figure, then the random orders\' means' });
  r.svg = button('SVG', { id: 'export-eval-svg', title: 'both curves with their legend as SVG' });
  r.png = button('PNG', { id: 'export-eval-png', title: 'both curves with their legend as PNG' });
  r.html = el('a', 'link-button', { id: 'eval-html', target: '_blank', rel: 'noopener',
    title: 'the server\'s standalone HTML report of this evaluation (GET /api/explanations/{id}/html)' }, 'HTML report');
  const bar = el('div', 'toolbar eval-exports');
  bar.append(el('span', 'muted small', null, 'Export:'), r.json, r.csv, r.svg, r.png, r.html);
  r.caption = el('p', 'eval-caption', { id: 'eval-caption' });
  r.verdict = el('div', 'note eval-verdict', { id: 'eval-verdict', role: 'status' });
  r.charts = el('div', 'eval-charts', { id: 'eval-charts' });
  r.legend = el('div', 'eval-legend-box');
  r.table = el('table', 'table eval-table', { id: 'eval-table' });
  const wrap = el('div', 'eval-table-wrap');
  wrap.append(r.table);
  r.matrix = el('table', 'eval-matrix', { id: 'eval-matrix' });
  r.matrixCaption = el('p', 'muted small', { id: 'eval-matrix-caption' });
  r.matrixButtons = Object.fromEntries(MATRICES.map((kind) => [kind, button(kind === 'overlap' ? 'top-k overlap' : 'Spearman ρ',
    { id: `eval-matrix-${kind}`, 'aria-pressed': 'false' }, 'eval-toggle')]));
  const toggle = el('div', 'toolbar eval-matrix-toggle', { role: 'group', 'aria-label': 'agreement measure' });
  toggle.append(...Object.values(r.matrixButtons));
  r.consensus = el('div', 'eval-tokens', { id: 'eval-consensus', 'aria-label': 'the prompt\'s tokens coloured by the consensus' });
  r.consensusLegend = el('div', 'diverging-legend', { id: 'eval-consensus-legend' });
  r.disagreeing = el('p', 'eval-disagreeing', { id: 'eval-disagreeing' });
  const lower = el('div', 'eval-lower');
  lower.append(section('Agreement between the methods', null, toggle, r.matrix, r.matrixCaption),
    section('Consensus', 'The tokens coloured by the consensus ranking of the methods.', r.consensus, r.consensusLegend,
      r.disagreeing));
  r.root.append(bar, r.caption, r.verdict,
    section('Deletion and insertion curves', 'f after k of the n positions are replaced by the baseline row (deletion) or ' +
      'restored from the all-baseline input (insertion), in each method\'s order, most important first; grey: the random ' +
      'orders (band min–max at every step, dashed their mean). A faithful ranking makes the deletion curve fall fast ' +
      '(low area) and the insertion curve rise fast (high area). Hover a chart for the values at a step.', r.charts, r.legend),
    section('Per method', 'Areas by the trapezoid rule over k/n, each against the random orders; comprehensiveness and ' +
      'sufficiency at the top ceil(p·n/100) positions; stability as Spearman ρ with the scores on noisy copies of the ' +
      'embeddings and on the variant. Bold: the best area.', wrap),
    lower);
  return r;
}

function build(view) {
  const { host } = view;
  view.controls = createControls(host.run.tokens, { submit: () => startJob(view).catch(host.showError) });
  view.errorElement = el('div', 'error', { id: 'eval-error', role: 'alert', hidden: '' });
  view.error = errorBox(view.errorElement, (parameter) => view.controls.fieldsFor(parameter));
  view.progress = createJobProgress('eval', { noun: 'Evaluation', cancelTitle: 'stop the evaluation before its next pass',
    onCancel: () => cancelJob(view), counts: jobCounts, describe: jobText });
  view.empty = el('p', 'empty-state', { id: 'eval-empty' }, 'Evaluate runs the chosen explainers on this prediction and ' +
    'measures which of them to believe: deletion and insertion curves of each one\'s ranking against 8 seeded random ' +
    'orders, comprehensiveness and sufficiency, how far the explainers agree, and how stable each one is under small ' +
    'noise and on a variant prompt. It runs on the server as a job with progress and Cancel; IG steps and noisy ' +
    'copies multiply its passes.');
  view.result = buildResult(view);
  view.root.replaceChildren(view.controls.element, view.errorElement, view.progress.element, view.empty, view.result.root);
}

function wireExports(view) {
  const { host } = view, r = view.result;
  const file = (suffix) => `${host.baseName()}-evaluation${suffix}`;
  r.json.addEventListener('click', () => view.explanation && downloadJSON(file('.json'), view.explanation, 1));
  r.csv.addEventListener('click', () => view.explanation && downloadCSV(file('.csv'), evaluationCSVRows(view.explanation)));
  r.svg.addEventListener('click', () => view.explanation
    && download(file('-curves.svg'), drawingSVGText(drawing(view)), 'image/svg+xml'));
  r.png.addEventListener('click', () => view.explanation
    && downloadPNG(file('-curves.png'), drawingPNG(drawing(view)), host.showError));
  for (const [kind, b] of Object.entries(r.matrixButtons)) {
    b.addEventListener('click', () => {
      host.state.evalMatrix = kind;
      host.writeURL();
      drawMatrix(view);
    });
  }
}

/// Both charts, the target and the legend as one drawing (the exports).
function drawing(view) {
  const e = view.explanation;
  return curvesDrawing(view.charts.map((c) => c.svg), `${e.model} · ${targetText(e)}`, methodRows(e), randomRow(e));
}

export function mount(root, host) {
  const view = { root, host, guard: requestGuard(), jobs: createJobs(explanationsAPI, sleep), job: null, jobId: null,
    explanation: null, shown: null, charts: [], chartWidth: 0, settingsKey: null };
  build(view);
  wireExports(view);
  root.dataset.state = 'idle';
  return view;
}

const SETTINGS = ['evalMethods', 'evalTarget', 'evalContrast', 'evalObjective', 'evalPosition', 'evalSteps', 'evalBaseline',
  'evalNoiseSamples', 'evalSigma', 'evalVariant'];

export async function update(view) {
  const { state, run } = view.host;
  const n = run.tokens.length;
  if (state.evalPosition !== null && !(state.evalPosition >= 0 && state.evalPosition < n)) state.evalPosition = null;
  // the form shows the state's settings when they change (a permalink, Back), not over what is being typed
  const key = JSON.stringify(SETTINGS.map((k) => state[k]));
  if (key !== view.settingsKey) {
    view.settingsKey = key;
    view.controls.sync(state, state.evalPosition ?? n - 1);
  }
  if (state.evalJob !== view.jobId) return openJob(view, state.evalJob);
  if (view.explanation && chartWidth(view) !== view.chartWidth) drawCharts(view);
}

/// Shows the job of an id (from the URL): its progress, polled while it runs, or its result; a job the server
/// does not know leaves the form. Answers once the first answer is drawn.
async function openJob(view, id) {
  const current = view.guard.next();
  view.jobId = id;
  view.job = null;
  hideResult(view);
  view.error.clear();
  if (!id) {
    view.progress.element.hidden = true;
    view.empty.hidden = false;
    view.root.dataset.state = 'idle';
    view.controls.setRunning(false);
    return;
  }
  view.empty.hidden = true;
  view.root.dataset.state = 'loading';
  let job;
  try {
    job = await view.jobs.find(id);
  } catch (error) {
    if (current()) showFailure(view, error);
    return;
  }
  if (!current()) return;
  if (!job) return showMissing(view, id);
  follow(view, job, current); // in the background: the page does not wait for a running job
}

/// Polls a job until it ends (or another job takes over), drawing each answer.
async function follow(view, job, current) {
  try {
    await view.jobs.follow(job, { isCurrent: current, onJob: (j) => { if (current()) showJob(view, j); } });
  } catch (error) {
    if (!current()) return;
    if (error.status === 404) showMissing(view, job.id);
    else showFailure(view, error);
  }
}

function showFailure(view, error) {
  view.error.show(error);
  view.root.dataset.state = 'error';
}

/// The server no longer has the job (it keeps them in memory): said in the panel, the job dropped from the URL.
function showMissing(view, id) {
  view.progress.element.hidden = false;
  view.progress.showMissing(id, `The server no longer has the evaluation ${id} (jobs live in its memory: a restart ` +
    'forgets them). The form above has its settings: press Evaluate to run it again.');
  view.empty.hidden = true;
  view.controls.setRunning(false);
  view.jobId = null;
  view.job = null;
  view.host.state.evalJob = null;
  view.host.writeURL();
  view.root.dataset.state = 'missing';
}

function showJob(view, job) {
  view.job = job;
  view.progress.element.hidden = false;
  view.progress.show(job);
  view.empty.hidden = true;
  view.controls.setRunning(!FINAL.has(job.status));
  if (job.status === 'done' && job.explanation) {
    if (view.shown !== job.id) showResult(view, job);
  } else {
    hideResult(view);
  }
  view.root.dataset.state = job.status;
}

/// The form's settings into the state and a new job for them (a running one is cancelled first).
async function startJob(view) {
  const { host } = view;
  const read = view.controls.read();
  if (read.problem) {
    view.error.show({ message: read.problem.message, details: { parameter: read.problem.parameter } });
    return;
  }
  view.error.clear();
  const values = read.values;
  if (values.evalPosition === host.run.tokens.length - 1) values.evalPosition = null;
  Object.assign(host.state, values);
  view.settingsKey = JSON.stringify(SETTINGS.map((k) => host.state[k]));
  const running = view.job && !FINAL.has(view.job.status) ? view.job.id : null;
  const current = view.guard.next();
  if (running) view.jobs.cancel(running).catch(() => {});
  const start = view.controls.fields.start;
  start.disabled = true;
  let job;
  try {
    job = await view.jobs.start(explanationBody(host.state, host.run), current);
  } catch (error) {
    if (current()) showFailure(view, error);
    return;
  } finally {
    start.disabled = false;
  }
  if (!current()) {
    if (!FINAL.has(job.status)) view.jobs.cancel(job.id).catch(() => {});
    return;
  }
  host.state.evalJob = job.id;
  view.jobId = job.id;
  host.writeURL();
  await follow(view, job, current);
}

async function cancelJob(view) {
  const job = view.job;
  if (!job || FINAL.has(job.status)) return;
  view.progress.cancelButton.disabled = true;
  try {
    const answer = await view.jobs.cancel(job.id);
    view.guard.cancel(); // no poll may draw an older state after this
    showJob(view, answer);
  } catch (error) {
    view.progress.showError(error.message);
    view.progress.cancelButton.disabled = false;
  }
}

function hideResult(view) {
  view.result.root.hidden = true;
  view.explanation = null;
  view.shown = null;
  view.root.dataset.ready = 'false';
}

function showResult(view, job) {
  const e = job.explanation, r = view.result;
  view.explanation = e;
  view.shown = job.id;
  r.root.hidden = false;
  renderCaption(r.caption, e);
  renderVerdict(r.verdict, e);
  drawCharts(view);
  renderTable(r.table, e);
  drawMatrix(view);
  renderConsensus(r.consensus, r.consensusLegend, r.disagreeing, e);
  r.html.href = job.html || explanationsAPI.htmlURL(job.id);
  view.root.dataset.ready = 'true';
}

function drawMatrix(view) {
  const kind = view.host.state.evalMatrix, r = view.result;
  for (const [k, b] of Object.entries(r.matrixButtons)) b.setAttribute('aria-pressed', String(k === kind));
  if (view.explanation) renderMatrix(r.matrix, r.matrixCaption, view.explanation, kind);
}

/// A chart's width: half the box (two side by side), 360–620 px; 480 while the view is hidden.
function chartWidth(view) {
  const available = view.result.charts.clientWidth;
  if (!available) return view.chartWidth || 480;
  return Math.round(Math.max(360, Math.min(620, (available - 16) / 2)));
}

function drawCharts(view) {
  const e = view.explanation, r = view.result;
  const width = chartWidth(view);
  view.chartWidth = width;
  view.charts = KINDS.map((kind) => {
    const series = curveSeries(e, kind);
    const scales = curveScales(series, width, CHART_HEIGHT);
    const chart = { ...curveChart(series, scales), series, scales, box: el('div', 'eval-chart-box'),
      tooltip: el('div', 'eval-tooltip', { role: 'status', 'aria-live': 'polite', hidden: '' }), k: null };
    chart.box.append(chart.svg, chart.tooltip);
    chart.surface.addEventListener('pointermove', (event) => hoverAt(chart, event));
    chart.surface.addEventListener('pointerleave', () => setHover(chart, null));
    chart.svg.addEventListener('keydown', (event) => onKey(chart, event));
    chart.svg.addEventListener('blur', () => setHover(chart, null));
    return chart;
  });
  r.charts.replaceChildren(...view.charts.map((c) => c.box));
  r.legend.replaceChildren(curveLegend(methodRows(e), randomRow(e)));
}

function hoverAt(chart, event) {
  const box = chart.svg.getBoundingClientRect();
  const px = (event.clientX - box.left) * (chart.scales.width / box.width);
  setHover(chart, nearestStep(px, chart.scales));
}

/// The guide at step k and the tooltip of the values there (null: hidden).
function setHover(chart, k) {
  chart.k = k;
  if (k === null) {
    chart.guide.setAttribute('visibility', 'hidden');
    chart.tooltip.hidden = true;
    return;
  }
  const { scales } = chart;
  const x = scales.x(k);
  chart.guide.setAttribute('x1', x);
  chart.guide.setAttribute('x2', x);
  chart.guide.setAttribute('visibility', 'visible');
  const at = valuesAt(chart.series, k);
  const lines = [el('div', null, null, `k = ${k} of ${scales.n} (${num(at.fraction, 3)})`)];
  for (const m of at.methods) {
    const line = el('div');
    const dot = el('span', 'dot', { 'aria-hidden': 'true' });
    dot.style.background = m.color;
    line.append(dot, document.createTextNode(` ${m.label}: ${num(m.value, 4)}`));
    lines.push(line);
  }
  if (chart.series.random.count) {
    lines.push(el('div', 'muted', null, `random: ${num(at.random.lower, 4)} … ${num(at.random.upper, 4)}, mean ` +
      `${num(at.random.mean, 4)}`));
  }
  chart.tooltip.replaceChildren(...lines);
  chart.tooltip.hidden = false;
  const shown = chart.svg.getBoundingClientRect().width || scales.width;
  const px = (x / scales.width) * shown;
  chart.tooltip.style.left = `${px > shown / 2 ? Math.max(0, px - chart.tooltip.offsetWidth - 12) : px + 12}px`;
  chart.tooltip.style.top = `${scales.m.top + 4}px`;
}

/// Arrow keys, Home and End step through k; Escape hides the values.
function onKey(chart, event) {
  const n = chart.scales.n;
  let k = chart.k;
  if (event.key === 'ArrowRight') k = k === null ? 0 : Math.min(n, k + 1);
  else if (event.key === 'ArrowLeft') k = k === null ? n : Math.max(0, k - 1);
  else if (event.key === 'Home') k = 0;
  else if (event.key === 'End') k = n;
  else if (event.key === 'Escape') k = null;
  else return;
  event.preventDefault();
  setHover(chart, k);
}

export function destroy(view) {
  view.guard.cancel();
  // a new run (or a URL without the job) leaves a running job behind: cancel it; a reload of the same URL keeps it
  const job = view.job;
  if (job && !FINAL.has(job.status) && view.host.state.evalJob !== job.id) view.jobs.cancel(job.id).catch(() => {});
  view.root.replaceChildren();
  delete view.root.dataset.state;
  delete view.root.dataset.ready;
}
