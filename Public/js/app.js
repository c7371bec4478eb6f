// The Glassbox page: owns the state (run, view, threshold, selection), keeps it in the URL, and wires the API to the
// graph, the heatmaps and the side panel.

import { api } from './api.js';
import { createGraphView } from './graph.js';
import { createHeatmap } from './heatmap.js';
import { createThumbnailGrid } from './thumbnails.js';
import { createLensGrid } from './lensgrid.js';
import { Panel, parseNode } from './panels.js';
import { download, tableCSV } from './export.js';
import { metricsView } from './metrics.js';
import { rolloutView } from './rollout.js';
import { flowView } from './flow.js';
import { anomaliesView } from './anomalies.js';
import { ablationView } from './ablation.js';

/// The analytics views: each a module with its own URL parameters (read/write) and a view object made on first use.
const ANALYTICS = [metricsView, rolloutView, flowView, anomaliesView, ablationView];
const VIEWS = ['graph', 'attention', 'lens', ...ANALYTICS.map((v) => v.name)];

const $ = (id) => document.getElementById(id);

const state = {
  runId: null,
  run: null,
  view: 'graph',
  threshold: 0.04,
  renormalize: true,
  start: null,        // token index or 'all'
  select: null,       // null | {node} | {edge: {source, target}}
  head: 'all',
  attentionLayer: 0,
  attentionHead: 'all',
  lensPoint: 'post',
  lensCell: null,     // null | {layer, token}: a highlighted lens-grid cell (from an anomaly)
};
for (const view of ANALYTICS) view.defaults(state);
const limits = { maxPromptBytes: null };
let graphView = null;
let graphData = null;
let attentionHeatmap = null;
let thumbnailGrid = null;
let lensGrid = null;
const analytics = new Map(); // view name → the view object of analytics module
const panel = new Panel(showError);
window.glassbox = { state, timings: {} };

// ---------------------------------------------------------------------------------------------------------------
// Status, errors, URL

function setStatus(text, kind = 'idle') {
  const status = $('run-status');
  status.textContent = text;
  status.dataset.state = kind;
}

function showError(error) {
  const box = $('error');
  box.textContent = error && error.message ? error.message : String(error);
  box.hidden = false;
  setStatus('error', 'error');
}

function clearError() {
  $('error').hidden = true;
  $('error').textContent = '';
}

function selectionText() {
  if (!state.select) return null;
  if (state.select.node) return state.select.node;
  return `edge:${state.select.edge.source}>${state.select.edge.target}`;
}

function writeURL(push = false) {
  if (!state.runId) return;
  const params = new URLSearchParams({
    view: state.view,
    threshold: state.threshold.toFixed(2),
    renormalize: state.renormalize ? '1' : '0',
    start: String(state.start),
  });
  const selection = selectionText();
  if (selection) params.set('select', selection);
  if (state.head !== 'all') params.set('head', state.head);
  if (state.view === 'attention') {
    params.set('layer', String(state.attentionLayer));
    params.set('attention_head', state.attentionHead);
  }
  if (state.view === 'lens') {
    params.set('point', state.lensPoint);
    if (state.lensCell) params.set('cell', `${state.lensCell.layer},${state.lensCell.token}`);
  }
  const module = ANALYTICS.find((v) => v.name === state.view);
  if (module) module.write(state, params);
  const url = `/runs/${state.runId}?${params}`;
  if (push) history.pushState(null, '', url); else history.replaceState(null, '', url);
  try { sessionStorage.setItem('glassbox.lastRun', url); } catch (_) { /* no storage */ }
}

function readURL() {
  const match = /^\/runs\/([0-9a-f]{64})\/?$/.exec(location.pathname);
  const params = new URLSearchParams(location.search);
  if (VIEWS.includes(params.get('view'))) state.view = params.get('view');
  const threshold = Number(params.get('threshold'));
  if (params.has('threshold') && threshold >= 0.01 && threshold <= 0.1) state.threshold = Math.round(threshold * 100) / 100;
  if (params.has('renormalize')) state.renormalize = params.get('renormalize') !== '0';
  if (params.has('start')) state.start = params.get('start') === 'all' ? 'all' : Number(params.get('start'));
  const select = params.get('select');
  if (select && select.startsWith('edge:')) {
    const [source, target] = select.slice(5).split('>');
    if (parseNode(source) && parseNode(target)) state.select = { edge: { source, target } };
  } else if (select && parseNode(select)) {
    state.select = { node: select };
  }
  if (params.has('head')) state.head = params.get('head');
  if (params.has('layer')) state.attentionLayer = Number(params.get('layer')) || 0;
  if (params.has('attention_head')) state.attentionHead = params.get('attention_head');
  if (['pre', 'mid', 'post'].includes(params.get('point'))) state.lensPoint = params.get('point');
  const cell = /^(\d+),(\d+)$/.exec(params.get('cell') || '');
  state.lensCell = cell ? { layer: Number(cell[1]), token: Number(cell[2]) } : null;
  for (const view of ANALYTICS) {
    view.defaults(state);
    view.read(params, state);
  }
  return match ? match[1] : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Models and running a prompt

async function loadModels() {
  const list = await api.models();
  const select = $('model-select');
  select.replaceChildren(...list.models.map((model) => {
    const option = document.createElement('option');
    option.value = model.name;
    option.textContent = model.name + (model.description ? ` — ${model.description}` : '');
    option.selected = model.name === list.default;
    return option;
  }));
  if (list.limits) limits.maxPromptBytes = list.limits.max_prompt_bytes;
  window.glassbox.models = list.models;
  showModelInfo(list.models.find((m) => m.name === select.value));
  updatePromptLimit();
}

function showModelInfo(model) {
  const info = $('model-info');
  info.replaceChildren();
  if (!model) return;
  const rows = model.layers ? [
    ['architecture', model.architecture], ['parameters', model.parameters.toLocaleString()],
    ['layers', model.layers], ['heads', model.kv_heads !== model.heads ? `${model.heads} (${model.kv_heads} KV)` : model.heads],
    ['d_model', model.d_model], ['vocabulary', model.vocab_size.toLocaleString()], ['context', model.context_length.toLocaleString()],
  ] : [['status', 'loaded on first run']];
  if (model.license) rows.push(['license', model.license]);
  for (const [name, value] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = name;
    const dd = document.createElement('dd');
    dd.textContent = String(value);
    info.append(dt, dd);
  }
}

function updatePromptLimit() {
  const bytes = new TextEncoder().encode($('prompt').value).length;
  $('prompt-limit').textContent = limits.maxPromptBytes ? `${bytes} / ${limits.maxPromptBytes} bytes` : `${bytes} bytes`;
  $('prompt-limit').classList.toggle('down', limits.maxPromptBytes !== null && bytes > limits.maxPromptBytes);
}

async function runPrompt() {
  const prompt = $('prompt').value;
  if (!prompt.trim()) {
    showError(new Error('Type a prompt first.'));
    return;
  }
  clearError();
  const button = $('run-button');
  button.disabled = true;
  const started = performance.now();
  const timer = setInterval(() => setStatus(`running… ${((performance.now() - started) / 1000).toFixed(1)} s`, 'running'), 100);
  setStatus('running…', 'running');
  try {
    const run = await api.createRun($('model-select').value, prompt);
    window.glassbox.timings.runMs = performance.now() - started;
    state.runId = run.id;
    state.start = run.tokens.length - 1;
    state.select = null;
    state.head = 'all';
    state.ablate = false; // slow: measured again only when asked
    state.rolloutRow = null; // positions of the previous prompt
    if (state.flowPosition !== 'mean') state.flowPosition = null;
    state.lensCell = null;
    writeURL(true);
    await showRun(run);
    window.glassbox.timings.drawnMs = performance.now() - started;
    setStatus(`done in ${(window.glassbox.timings.drawnMs / 1000).toFixed(2)} s`, 'done');
  } catch (error) {
    showError(error);
  } finally {
    clearInterval(timer);
    button.disabled = false;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// A run

/// The sidebar controls from the state (after reading a permalink, whatever the view).
function syncControls() {
  $('threshold').value = String(state.threshold);
  $('threshold-value').textContent = state.threshold.toFixed(2);
  $('renormalize').checked = state.renormalize;
  $('lens-point').value = state.lensPoint;
}

async function showRun(run) {
  state.run = run;
  syncControls();
  graphData = null;
  lensGrid?.destroy();
  lensGrid = null;
  thumbnailGrid?.destroy();
  thumbnailGrid = null;
  for (const view of analytics.values()) view.reset();
  panel.reset();
  const n = run.tokens.length;
  if (state.start === null || (state.start !== 'all' && !(state.start >= 0 && state.start < n))) state.start = n - 1;
  $('prompt').value = run.prompt;
  updatePromptLimit();
  const modelSelect = $('model-select');
  if ([...modelSelect.options].some((o) => o.value === run.model.name)) modelSelect.value = run.model.name;
  showModelInfo(run.model);
  renderTokens();
  renderStartOptions();
  renderPredictions();
  fillAttentionSelects();
  await showView(state.view);
}

function renderTokens() {
  const strip = $('tokens');
  strip.replaceChildren(...state.run.tokens.map((token, i) => {
    const span = document.createElement('span');
    span.className = 'token' + (state.start === i ? ' start' : '');
    span.dataset.index = String(i);
    span.textContent = token.display;
    span.title = `position ${i}, id ${token.id}`;
    span.tabIndex = 0;
    const choose = () => setStart(i);
    span.addEventListener('click', choose);
    span.addEventListener('keydown', (event) => { if (event.key === 'Enter') choose(); });
    return span;
  }));
}

function renderStartOptions() {
  const select = $('start-token');
  const options = state.run.tokens.map((token, i) => {
    const option = document.createElement('option');
    option.value = String(i);
    option.textContent = `${i}: ${token.display}`;
    return option;
  });
  const all = document.createElement('option');
  all.value = 'all';
  all.textContent = 'all tokens';
  select.replaceChildren(...options, all);
  select.value = String(state.start);
}

let predictionsRequest = 0;
async function renderPredictions() {
  const list = $('predictions');
  const last = state.run.tokens.length - 1;
  const position = state.start === 'all' ? last : state.start;
  const request = ++predictionsRequest;
  let predictions = state.run.top;
  if (position !== last) {
    // The prediction after an earlier position is the logit lens of the last layer's output there.
    try {
      predictions = (await api.lens(state.runId, state.run.model.layers - 1, 'post', position, state.run.top.length)).top;
    } catch (error) {
      showError(error);
      return;
    }
    if (request !== predictionsRequest) return;
  }
  $('predictions-caption').textContent = `After "${state.run.tokens[position].display}" (position ${position}):`;
  list.replaceChildren(...predictions.map((p) => {
    const li = document.createElement('li');
    li.dataset.tokenId = String(p.id);
    const name = document.createElement('span');
    name.textContent = p.display;
    const prob = document.createElement('span');
    prob.className = 'prob';
    prob.textContent = `${(p.probability * 100).toFixed(1)}%`;
    li.append(name, prob);
    return li;
  }));
}

function setStart(start) {
  state.start = start;
  $('start-token').value = String(start);
  for (const span of $('tokens').children) span.classList.toggle('start', Number(span.dataset.index) === start);
  renderPredictions();
  if (graphView && graphData) {
    graphView.setStart(start);
    updateGraphCaption();
  }
  writeURL();
}

// ---------------------------------------------------------------------------------------------------------------
// Views

/// Shows a view; push: a new history entry (a jump from one view to another, so that Back returns).
async function showView(view, push = false) {
  state.view = view;
  for (const name of VIEWS) {
    $(`tab-${name}`).setAttribute('aria-selected', String(name === view));
    $(`view-${name}`).hidden = name !== view;
  }
  writeURL(push);
  if (!state.run) return;
  try {
    if (view === 'graph') await showGraph();
    if (view === 'attention') await showAttention();
    if (view === 'lens') await showLensGrid();
    const module = ANALYTICS.find((v) => v.name === view);
    if (module) await analyticsView(module).show();
  } catch (error) {
    showError(error);
  }
}

/// What the analytics views may use of the page: the run, the state, the URL and the other views.
const analyticsHost = {
  state,
  get runId() { return state.runId; },
  get run() { return state.run; },
  writeURL: () => writeURL(),
  showError,
  baseName: () => baseName(),
  openAttention(layer, head) {
    state.attentionLayer = layer;
    state.attentionHead = String(head);
    $('attention-layer').value = String(layer);
    $('attention-head').value = String(head);
    return showView('attention', true);
  },
  openNode(name) {
    if (!parseNode(name)) return;
    state.select = { node: name };
    return showView('graph', true);
  },
  openLens(layer, token) {
    state.lensPoint = 'post';
    state.lensCell = { layer, token };
    return showView('lens', true);
  },
};

function analyticsView(module) {
  if (!analytics.has(module.name)) analytics.set(module.name, module.create($(`view-${module.name}`), analyticsHost));
  return analytics.get(module.name);
}

function panelContext() {
  return { runId: state.runId, run: state.run, threshold: state.threshold, renormalize: state.renormalize,
           normalize: true, head: state.head };
}

async function showGraph() {
  $('threshold').value = String(state.threshold);
  $('threshold-value').textContent = state.threshold.toFixed(2);
  $('renormalize').checked = state.renormalize;
  const requested = { threshold: state.threshold, renormalize: state.renormalize, runId: state.runId };
  const started = performance.now();
  const graph = await api.graph(state.runId, state.threshold, state.renormalize);
  if (requested.threshold !== state.threshold || requested.renormalize !== state.renormalize || requested.runId !== state.runId) return;
  graphData = graph;
  if (!graphView) {
    $('graph').replaceChildren();
    graphView = createGraphView($('graph'), {
      onNodeClick: (name) => selectNode(name),
      onEdgeClick: (edges) => selectEdge(edges),
      onBackgroundClick: () => { state.select = null; graphView.select(null); panel.reset(); writeURL(); },
    });
    $('graph').addEventListener('start', (event) => setStart(event.detail));
  }
  graphView.render(graph, { start: state.start });
  window.glassbox.timings.graphMs = performance.now() - started;
  updateGraphCaption();
  if (state.select) restoreSelection();
}

function updateGraphCaption() {
  if (!graphData) return;
  const stats = graphView.stats();
  const target = state.start === 'all' ? 'all tokens' : `token ${state.start}`;
  $('graph-caption').textContent = `${stats.edges} edges on the paths to ${target} · ${graphData.edges.length} in the graph · ` +
    `threshold ${graphData.threshold.toFixed(2)}${graphData.renormalize ? ', renormalised' : ''}`;
}

function edgesBetween(source, target) {
  return graphData.edges.map((e, index) => ({ ...e, index })).filter((e) => e.source === source && e.target === target);
}

function restoreSelection() {
  if (state.select.node) {
    selectNode(state.select.node);
  } else if (state.select.edge) {
    const edges = edgesBetween(state.select.edge.source, state.select.edge.target);
    if (edges.length) selectEdge(edges); else { state.select = null; panel.reset(); }
  }
}

function selectNode(name) {
  state.select = { node: name };
  graphView.select({ node: name });
  writeURL();
  panel.showNode(panelContext(), name);
}

function selectEdge(edges) {
  if (!edges.length) return;
  const edge = edges[0];
  const targetNode = parseNode(edge.target);
  if (!targetNode || targetNode.kind !== 'A' || !edges.some((e) => e.kind === 'attention')) {
    return selectNode(edge.target);
  }
  state.select = { edge: { source: edge.source, target: edge.target } };
  graphView.select({ edge: { source: edge.source, target: edge.target } });
  writeURL();
  panel.showEdge(panelContext(), edges, (head) => { state.head = head; writeURL(); });
}

let thresholdTimer = null;
function onThresholdInput() {
  state.threshold = Number($('threshold').value);
  $('threshold-value').textContent = state.threshold.toFixed(2);
  clearTimeout(thresholdTimer);
  thresholdTimer = setTimeout(() => { writeURL(); showGraph().catch(showError); }, 150);
}

function fillAttentionSelects() {
  const layers = state.run.model.layers, heads = state.run.model.heads;
  $('attention-layer').replaceChildren(...Array.from({ length: layers }, (_, l) => new Option(`L${l}`, String(l))));
  $('attention-head').replaceChildren(new Option('all (mean)', 'all'), ...Array.from({ length: heads }, (_, h) => new Option(`H${h}`, String(h))));
  if (state.attentionLayer >= layers) state.attentionLayer = 0;
  $('attention-layer').value = String(state.attentionLayer);
  $('attention-head').value = state.attentionHead;
}

async function showAttention() {
  const n = state.run.tokens.length;
  const labels = state.run.tokens.map((t) => t.display);
  if (!attentionHeatmap) attentionHeatmap = createHeatmap($('attention-view'), { colors: 'blues', title: 'attention' });
  const pattern = await api.attention(state.runId, state.attentionLayer, state.attentionHead);
  attentionHeatmap.update(pattern, n, labels);
  if (!thumbnailGrid) {
    thumbnailGrid = createThumbnailGrid($('attention-grid'), {
      layers: state.run.model.layers, heads: state.run.model.heads, n,
      fetchPattern: (layer, head) => api.attention(state.runId, layer, head),
      onSelect: (layer, head) => {
        state.attentionLayer = layer;
        state.attentionHead = String(head);
        $('attention-layer').value = String(layer);
        $('attention-head').value = String(head);
        writeURL();
        showAttention().catch(showError);
      },
    });
  }
  // highlight the shown head's thumbnail (also after a permalink or a jump from the analytics views)
  thumbnailGrid.select(state.attentionLayer, state.attentionHead === 'all' ? -1 : Number(state.attentionHead));
}

async function showLensGrid() {
  $('lens-point').value = state.lensPoint;
  const grid = await api.lensGrid(state.runId, state.lensPoint);
  lensGrid?.destroy();
  lensGrid = createLensGrid($('lens-grid'), grid, {
    onSelect: (layer, token) => {
      const name = state.lensPoint === 'post' ? `I${layer}_${token}` : state.lensPoint === 'mid' ? `A${layer}_${token}`
        : layer === 0 ? `X0_${token}` : `I${layer - 1}_${token}`;
      state.select = { node: name };
      state.lensCell = null;
      showView('graph');
    },
  });
  const cell = state.lensCell;
  if (cell && cell.layer < grid.layers && cell.token < grid.tokens.length) {
    lensGrid.select(cell.layer, cell.token);
    $('lens-grid').querySelector(`td[data-layer="${cell.layer}"][data-token="${cell.token}"]`)
      ?.scrollIntoView({ block: 'nearest', inline: 'center' });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Exports

function baseName() {
  return `glassbox-${(state.runId || 'run').slice(0, 12)}`;
}

async function exportPNG(blobPromise, name) {
  try {
    download(name, await blobPromise, 'image/png');
  } catch (error) {
    showError(error);
  }
}

function wireExports() {
  $('export-svg').addEventListener('click', () => graphView && download(`${baseName()}-graph.svg`, graphView.svgText(), 'image/svg+xml'));
  $('export-png').addEventListener('click', () => graphView && exportPNG(graphView.pngBlob(2), `${baseName()}-graph.png`));
  $('export-json').addEventListener('click', () => {
    if (!graphData) return;
    const shown = state.start === 'all' ? [...new Set(graphData.paths.flat())].sort((a, b) => a - b) : graphData.paths[state.start];
    const data = { run: state.run, view: { ...state, run: undefined }, graph: { ...graphData, shown_edges: shown } };
    download(`${baseName()}-graph.json`, JSON.stringify(data, null, 1), 'application/json');
  });
  $('export-lens-csv').addEventListener('click', () => download(`${baseName()}-lens.csv`, tableCSV($('lens-table')), 'text/csv'));
  $('export-promoted-csv').addEventListener('click', () => download(`${baseName()}-promoted.csv`,
    tableCSV($('promoted-table')) + tableCSV($('suppressed-table')), 'text/csv'));
  $('export-attention-json').addEventListener('click', async () => {
    if (!state.run) return;
    try {
      const pattern = await api.attention(state.runId, state.attentionLayer, state.attentionHead);
      const n = state.run.tokens.length;
      const rows = Array.from({ length: n }, (_, q) => Array.from(pattern.subarray(q * n, (q + 1) * n)));
      const data = { run: state.runId, layer: state.attentionLayer, head: state.attentionHead,
                     tokens: state.run.tokens.map((t) => t.display), pattern: rows };
      download(`${baseName()}-attention-L${state.attentionLayer}-${state.attentionHead}.json`, JSON.stringify(data), 'application/json');
    } catch (error) {
      showError(error);
    }
  });
  $('export-attention-png').addEventListener('click', () => attentionHeatmap &&
    exportPNG(attentionHeatmap.pngBlob(), `${baseName()}-attention-L${state.attentionLayer}-${state.attentionHead}.png`));
  $('export-lens-grid-csv').addEventListener('click', () => lensGrid && download(`${baseName()}-lens-grid-${state.lensPoint}.csv`, lensGrid.csv(), 'text/csv'));
}

/// Arrow keys move between the tabs (WAI-ARIA tabs pattern); the tab that gets focus is shown.
function onTabKey(event) {
  const index = VIEWS.indexOf(state.view);
  let next = null;
  if (event.key === 'ArrowRight') next = VIEWS[(index + 1) % VIEWS.length];
  else if (event.key === 'ArrowLeft') next = VIEWS[(index + VIEWS.length - 1) % VIEWS.length];
  else if (event.key === 'Home') next = VIEWS[0];
  else if (event.key === 'End') next = VIEWS[VIEWS.length - 1];
  if (!next || !event.target.closest('[role=tab]')) return;
  event.preventDefault();
  $(`tab-${next}`).focus();
  showView(next);
}

// ---------------------------------------------------------------------------------------------------------------
// Start

function wire() {
  $('run-button').addEventListener('click', runPrompt);
  $('prompt').addEventListener('input', updatePromptLimit);
  $('prompt').addEventListener('keydown', (event) => { if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) runPrompt(); });
  $('model-select').addEventListener('change', () => showModelInfo(window.glassbox.models.find((m) => m.name === $('model-select').value)));
  $('threshold').addEventListener('input', onThresholdInput);
  $('renormalize').addEventListener('change', () => { state.renormalize = $('renormalize').checked; writeURL(); showGraph().catch(showError); });
  $('start-token').addEventListener('change', () => setStart($('start-token').value === 'all' ? 'all' : Number($('start-token').value)));
  $('fit-button').addEventListener('click', () => graphView && graphView.fit());
  for (const view of VIEWS) $(`tab-${view}`).addEventListener('click', () => showView(view));
  $('tabs').addEventListener('keydown', onTabKey);
  $('attention-layer').addEventListener('change', () => { state.attentionLayer = Number($('attention-layer').value); writeURL(); showAttention().catch(showError); });
  $('attention-head').addEventListener('change', () => { state.attentionHead = $('attention-head').value; writeURL(); showAttention().catch(showError); });
  $('lens-point').addEventListener('change', () => { state.lensPoint = $('lens-point').value; state.lensCell = null; writeURL(); showLensGrid().catch(showError); });
  wireExports();
  window.addEventListener('popstate', () => start());
}

async function start() {
  clearError();
  const id = readURL();
  try {
    if (!window.glassbox.models) await loadModels();
    if (id) {
      setStatus('loading…', 'running');
      state.runId = id;
      await showRun(await api.run(id));
      setStatus('', 'done');
    } else {
      setStatus('', 'idle');
    }
  } catch (error) {
    showError(error);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Pages: the run page (/ and /runs/{id}), and /?page=compare and /?page=reports (js/compare.js, js/reports.js)

const PAGES = {
  compare: { title: 'Compare', load: () => import('./compare.js').then((m) => m.mountCompare) },
  reports: { title: 'Reports', load: () => import('./reports.js').then((m) => m.mountReports) },
};
const LAST_RUN = 'glassbox.lastRun';

/// Marks the header link of the page shown; the Run link returns to the last run of this tab.
function markNav(page) {
  for (const name of ['run', ...Object.keys(PAGES)]) {
    const link = $(`nav-${name}`);
    if (name === page) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  try {
    const last = sessionStorage.getItem(LAST_RUN);
    if (page !== 'run' && last && last.startsWith('/runs/')) $('nav-run').href = last;
  } catch (_) { /* no storage: the link stays / */ }
}

async function openPage(name) {
  const page = PAGES[name];
  $('page-run').hidden = true;
  const root = $(`page-${name}`);
  root.hidden = false;
  document.title = `Glassbox · ${page.title}`;
  try {
    const mount = await page.load();
    mount(root, { setStatus });
  } catch (error) {
    root.textContent = `The ${page.title} page did not load: ${error.message}`;
    setStatus('error', 'error');
  }
}

const pageName = new URLSearchParams(location.search).get('page');
if (location.pathname === '/' && Object.hasOwn(PAGES, pageName)) {
  markNav(pageName);
  openPage(pageName);
} else {
  markNav('run');
  wire();
  start();
}
