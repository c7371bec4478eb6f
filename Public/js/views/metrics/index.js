// The metrics view (#view-metrics): every head's attention metrics (GET /api/runs/{id}/metrics?clusters=K) as a
// sortable table with pattern-class badges, and the cluster map (k-means over the metric means) as a layer × head
// grid. A row or a cell opens the head's attention map. A run-page view (see pages/run/views.js).
import { api } from '../../core/api.js';
import { button, el } from '../../core/dom.js';
import { downloadCSV, downloadJSON } from '../../core/download.js';
import { fmt } from '../../core/format.js';
import { CLASSES } from '../../core/head-metrics.js';
import { keyedLoader } from '../../core/request-guard.js';
import { gridKeyHandler } from '../../components/layer-grid.js';
import { classBadge } from '../../components/legends.js';
import { rovingList } from '../../components/sortable-table.js';
import { spinner } from '../../components/spinner.js';
import { renderClusterLegend, renderClusterMap } from './cluster-map.js';
import { MAX_K, firstOrder, metricsCSVRows } from './columns.js';
import { renderHeadsTable, sortedHeads } from './heads-table.js';

export const name = 'metrics';
export { url } from './url-state.js';

function toolbar(view) {
  const bar = el('div', 'toolbar');
  const kLabel = el('label', null, null, 'Clusters K ');
  view.kSelect = el('select', null, { id: 'metrics-k', 'aria-label': 'number of clusters' });
  for (let k = 1; k <= MAX_K; k++) view.kSelect.append(new Option(String(k), String(k)));
  kLabel.append(view.kSelect);
  view.csvButton = button('CSV', { id: 'export-metrics-csv', title: 'the heads table as CSV' });
  view.jsonButton = button('JSON', { id: 'export-metrics-json', title: 'the metrics response as JSON' });
  view.caption = el('span', 'muted small', { id: 'metrics-caption' });
  bar.append(kLabel, view.csvButton, view.jsonButton);
  view.busy = spinner(bar);
  bar.append(view.caption);
  return bar;
}

function tablePart(view) {
  const part = el('div', 'metrics-table-part');
  const head = el('div', 'row');
  head.append(el('h4', null, null, 'Heads'),
    el('span', 'muted small', null, 'click a column to sort · click a row (or Enter) to open its attention map'));
  view.legend = el('div', 'class-legend', { id: 'metrics-class-legend', 'aria-label': 'pattern classes' });
  const wrap = el('div', 'metrics-table-wrap');
  view.table = el('table', 'table metrics-table', { id: 'metrics-table' });
  wrap.append(view.table);
  part.append(head, view.legend, wrap);
  return part;
}

function mapPart(view) {
  const part = el('div', 'metrics-map-part');
  part.append(el('h4', null, null, 'Cluster map'),
    el('p', 'muted small', null, 'k-means over the metric means; layers bottom to top, heads left to right. Click a cell for its attention map.'));
  view.map = el('div', 'cluster-map', { id: 'cluster-map', role: 'grid', 'aria-label': 'clusters of heads: layers × heads' });
  view.clusterLegend = el('div', 'cluster-legend', { id: 'cluster-legend' });
  const row = el('div', 'cluster-row');
  row.append(view.map, view.clusterLegend);
  part.append(row);
  return part;
}

export function mount(root, host) {
  const view = { root, host };
  const area = el('div', 'metrics-area');
  const bar = toolbar(view);
  area.append(tablePart(view), mapPart(view));
  root.replaceChildren(bar, area);
  view.loader = keyedLoader(view.busy);
  const open = (item) => host.openAttention(Number(item.dataset.layer), Number(item.dataset.head));
  view.kSelect.addEventListener('change', () => {
    host.state.clusters = Number(view.kSelect.value);
    host.writeURL();
    update(view).catch(host.showError);
  });
  view.csvButton.addEventListener('click', () => view.data &&
    downloadCSV(`${host.baseName()}-metrics.csv`, metricsCSVRows(sortedHeads(view.data.heads, host.state))));
  view.jsonButton.addEventListener('click', () => view.data &&
    downloadJSON(`${host.baseName()}-metrics-k${host.state.clusters}.json`, view.data, 1));
  rovingList(view.table, 'tbody tr', open);
  view.table.addEventListener('click', (event) => {
    const tr = event.target.closest?.('tbody tr');
    if (tr) open(tr);
  });
  view.map.addEventListener('click', (event) => {
    const cell = event.target.closest?.('.cluster-cell');
    if (cell) open(cell);
  });
  view.map.addEventListener('keydown', gridKeyHandler(view.map, { selector: '.cluster-cell',
    shape: () => ({ layers: view.data.layers, columns: view.data.heads_per_layer }), activate: (l, h, cell) => open(cell) }));
  return view;
}

export async function update(view) {
  const { host } = view;
  view.kSelect.value = String(host.state.clusters);
  const data = await view.loader.load(`${host.runId}|${host.state.clusters}`, 'loading metrics',
    () => api.metrics(host.runId, host.state.clusters));
  if (!data) return;
  view.data = data;
  const c = data.clusters;
  view.caption.textContent = `${data.heads.length} heads (${data.layers} layers × ${data.heads_per_layer}) · sparsity ε ${data.sparsity_epsilon}` +
    ` · diagonal width ${data.diagonal_width}` + (c ? ` · k-means K=${c.k} (seed ${c.seed}, inertia ${fmt(c.inertia, 4)})`
      : ' · no clusters (too few tokens)');
  view.table.dataset.rows = String(data.heads.length);
  renderClassLegend(view.legend, data.heads);
  renderTable(view);
  renderClusterMap(view.map, data);
  renderClusterLegend(view.clusterLegend, data.clusters, host.state.clusters);
}

export function destroy(view) {
  view.loader.cancel();
  view.busy.stop();
  view.root.replaceChildren();
}

/// The pattern classes with the count of heads in each.
function renderClassLegend(legend, heads) {
  const counts = new Map();
  for (const head of heads) counts.set(head.class, (counts.get(head.class) || 0) + 1);
  legend.replaceChildren(...CLASSES.map((c) => {
    const item = el('span', 'legend-item', { title: c.hint });
    item.append(classBadge(c.name), el('span', 'muted small', null, String(counts.get(c.name) || 0)));
    return item;
  }));
}

function renderTable(view) {
  renderHeadsTable(view.table, view.data.heads, view.host.state, view.host.run?.tokens || [], (key) => sortBy(view, key));
}

/// A click on a header: that column, the other direction when it already sorts.
function sortBy(view, key) {
  const { state } = view.host;
  if (state.sort === key) state.order = state.order === 'asc' ? 'desc' : 'asc';
  else {
    state.sort = key;
    state.order = firstOrder(key);
  }
  view.host.writeURL();
  renderTable(view);
  view.table.querySelector(`thead button[data-key="${key}"]`)?.focus();
}
