// Analytics · Metrics: every head's attention metrics (GET /api/runs/{id}/metrics?clusters=K) as a sortable table
// with pattern-class badges, and the cluster map (k-means over the metric means) as a layer × head grid.
//
//   metricsView.create(root, host) → {show(), reset(), destroy()}; metricsView.read/write: its URL parameters
//   (clusters=K, sort=column, order=asc|desc).
import { api } from './api.js';
import { csv, download } from './export.js';
import { gridKey } from './heatmap-common.js';
import { h, button, fmt, isNum, DASH, CLASSES, METRICS, classBadge, clusterColor, requestGuard, spinner, rovingList }
  from './analytics-common.js';

const MAX_K = 12;
const DEFAULT_K = 5;

/// The table's columns: key in the response, header, what it means, kind (number | text).
const COLUMNS = [
  { key: 'layer', label: 'layer', title: 'layer', kind: 'int' },
  { key: 'head', label: 'head', title: 'head', kind: 'int' },
  { key: 'class', label: 'class', title: 'pattern class (the first test that passes)', kind: 'class' },
  { key: 'cluster', label: 'cluster', title: 'k-means cluster of the metric means', kind: 'int' },
  ...METRICS,
  { key: 'vertical_key', label: 'vertical key', title: 'the key that gets it', kind: 'int' },
];
const TEXT_FIRST = new Set(['layer', 'head', 'class', 'cluster', 'vertical_key']);
const CLASS_ORDER = new Map(CLASSES.map((c, i) => [c.name, i]));

export const metricsView = {
  name: 'metrics',
  label: 'Metrics',

  defaults(state) {
    state.clusters = DEFAULT_K;
    state.sort = null;
    state.order = 'desc';
  },

  read(params, state) {
    const k = Number(params.get('clusters'));
    if (Number.isInteger(k) && k >= 1 && k <= MAX_K) state.clusters = k;
    if (COLUMNS.some((c) => c.key === params.get('sort'))) state.sort = params.get('sort');
    if (['asc', 'desc'].includes(params.get('order'))) state.order = params.get('order');
  },

  write(state, params) {
    params.set('clusters', String(state.clusters));
    if (state.sort) {
      params.set('sort', state.sort);
      params.set('order', state.order);
    }
  },

  create(root, host) {
    return new MetricsView(root, host);
  },
};

function sortValue(head, key) {
  if (key === 'class') return CLASS_ORDER.has(head.class) ? CLASS_ORDER.get(head.class) : CLASSES.length;
  const v = head[key];
  return isNum(v) ? v : null;
}

class MetricsView {
  constructor(root, host) {
    this.root = root;
    this.host = host;
    this.data = null;
    this.dataKey = null;
    this.guard = requestGuard();
    this.build();
  }

  build() {
    const toolbar = h('div', 'toolbar');
    const kLabel = h('label', null, null, 'Clusters K ');
    this.kSelect = h('select', null, { id: 'metrics-k', 'aria-label': 'number of clusters' });
    for (let k = 1; k <= MAX_K; k++) this.kSelect.append(new Option(String(k), String(k)));
    kLabel.append(this.kSelect);
    this.csvButton = button('CSV', { id: 'export-metrics-csv', title: 'the heads table as CSV' });
    this.jsonButton = button('JSON', { id: 'export-metrics-json', title: 'the metrics response as JSON' });
    this.caption = h('span', 'muted small', { id: 'metrics-caption' });
    toolbar.append(kLabel, this.csvButton, this.jsonButton);
    this.busy = spinner(toolbar);
    toolbar.append(this.caption);

    const area = h('div', 'metrics-area');
    const tablePart = h('div', 'metrics-table-part');
    const tableHead = h('div', 'row');
    tableHead.append(h('h4', null, null, 'Heads'),
      h('span', 'muted small', null, 'click a column to sort · click a row (or Enter) to open its attention map'));
    this.legend = h('div', 'class-legend', { id: 'metrics-class-legend', 'aria-label': 'pattern classes' });
    this.tableWrap = h('div', 'metrics-table-wrap');
    this.table = h('table', 'table metrics-table', { id: 'metrics-table' });
    this.tableWrap.append(this.table);
    tablePart.append(tableHead, this.legend, this.tableWrap);

    const mapPart = h('div', 'metrics-map-part');
    mapPart.append(h('h4', null, null, 'Cluster map'),
      h('p', 'muted small', null, 'k-means over the metric means; layers bottom to top, heads left to right. Click a cell for its attention map.'));
    this.map = h('div', 'cluster-map', { id: 'cluster-map', role: 'grid', 'aria-label': 'clusters of heads: layers × heads' });
    this.clusterLegend = h('div', 'cluster-legend', { id: 'cluster-legend' });
    const mapRow = h('div', 'cluster-row');
    mapRow.append(this.map, this.clusterLegend);
    mapPart.append(mapRow);
    area.append(tablePart, mapPart);
    this.root.replaceChildren(toolbar, area);

    this.kSelect.addEventListener('change', () => {
      this.host.state.clusters = Number(this.kSelect.value);
      this.host.writeURL();
      this.show().catch(this.host.showError);
    });
    this.csvButton.addEventListener('click', () => this.exportCSV());
    this.jsonButton.addEventListener('click', () => this.data &&
      download(`${this.host.baseName()}-metrics-k${this.host.state.clusters}.json`, JSON.stringify(this.data, null, 1), 'application/json'));
    rovingList(this.table, 'tbody tr', (tr) => this.open(tr));
    this.table.addEventListener('click', (event) => {
      const tr = event.target.closest?.('tbody tr');
      if (tr) this.open(tr);
    });
    this.map.addEventListener('click', (event) => {
      const cell = event.target.closest?.('.cluster-cell');
      if (cell) this.open(cell);
    });
    this.map.addEventListener('keydown', (event) => this.mapKey(event));
  }

  open(item) {
    this.host.openAttention(Number(item.dataset.layer), Number(item.dataset.head));
  }

  reset() {
    this.guard.cancel();
    this.data = null;
    this.dataKey = null;
    this.table.replaceChildren();
    this.map.replaceChildren();
    this.clusterLegend.replaceChildren();
    this.legend.replaceChildren();
    this.caption.textContent = '';
  }

  async show() {
    const { state } = this.host;
    this.kSelect.value = String(state.clusters);
    const key = `${this.host.runId}|${state.clusters}`;
    if (this.dataKey !== key) {
      const current = this.guard.next();
      this.busy.start('loading metrics');
      try {
        const data = await api.metrics(this.host.runId, state.clusters);
        if (!current()) return;
        this.data = data;
        this.dataKey = key;
      } finally {
        if (current()) this.busy.stop();
      }
    }
    this.render();
  }

  render() {
    const data = this.data;
    const c = data.clusters;
    const run = this.host.run;
    this.caption.textContent = `${data.heads.length} heads (${data.layers} layers × ${data.heads_per_layer}) · sparsity ε ${data.sparsity_epsilon}` +
      ` · diagonal width ${data.diagonal_width}` + (c ? ` · k-means K=${c.k} (seed ${c.seed}, inertia ${fmt(c.inertia, 4)})`
        : ' · no clusters (too few tokens)');
    this.table.dataset.rows = String(data.heads.length);
    this.renderLegend();
    this.renderTable(run);
    this.renderMap();
  }

  renderLegend() {
    const counts = new Map();
    for (const head of this.data.heads) counts.set(head.class, (counts.get(head.class) || 0) + 1);
    this.legend.replaceChildren(...CLASSES.map((c) => {
      const item = h('span', 'legend-item', { title: c.hint });
      item.append(classBadge(c.name), h('span', 'muted small', null, String(counts.get(c.name) || 0)));
      return item;
    }));
  }

  sortedHeads() {
    const { sort, order } = this.host.state;
    const heads = this.data.heads.slice();
    if (!sort) return heads;
    const sign = order === 'asc' ? 1 : -1;
    return heads.sort((a, b) => {
      const x = sortValue(a, sort), y = sortValue(b, sort);
      if (x === null || y === null) {
        if (x !== y) return x === null ? 1 : -1; // missing values last either way
      } else if (x !== y) {
        return sign * (x - y);
      }
      return a.layer - b.layer || a.head - b.head;
    });
  }

  renderTable(run) {
    const { sort, order } = this.host.state;
    const thead = h('thead');
    const hr = h('tr');
    for (const column of COLUMNS) {
      const sorted = sort === column.key;
      const th = h('th', column.kind ? 'text' : 'num', {
        scope: 'col', 'data-key': column.key,
        'aria-sort': sorted ? (order === 'asc' ? 'ascending' : 'descending') : 'none',
      });
      const b = h('button', 'sort-button', { type: 'button', 'data-key': column.key,
        title: `${column.title} — sort by ${column.label}` });
      b.append(h('span', null, null, column.label), ' ',
        h('span', 'sort-indicator' + (sorted ? ' active' : ''), { 'aria-hidden': 'true' },
          sorted ? (order === 'asc' ? '▲' : '▼') : '↕'));
      b.addEventListener('click', () => this.sortBy(column.key));
      th.append(b);
      hr.append(th);
    }
    thead.append(hr);
    const tbody = h('tbody');
    const tokens = run?.tokens || [];
    const rows = this.sortedHeads().map((head, index) => {
      const tr = h('tr', null, { 'data-layer': head.layer, 'data-head': head.head, tabindex: index === 0 ? '0' : '-1',
        title: `open the attention map of L${head.layer} H${head.head}` });
      for (const column of COLUMNS) {
        const v = head[column.key];
        const td = h('td', column.kind === 'class' ? null : 'num', { 'data-key': column.key });
        if (column.kind === 'class') {
          td.dataset.value = String(head.class);
          td.append(classBadge(head.class));
        } else if (column.key === 'cluster') {
          td.dataset.value = isNum(v) ? String(v) : '';
          if (isNum(v)) {
            const swatch = h('span', 'swatch', { 'aria-hidden': 'true' });
            swatch.style.background = clusterColor(v);
            td.append(swatch, document.createTextNode(`C${v}`));
          } else td.textContent = DASH;
        } else if (column.key === 'vertical_key') {
          td.dataset.value = isNum(v) ? String(v) : '';
          td.textContent = isNum(v) ? String(v) : DASH;
          if (isNum(v) && tokens[v]) td.title = `key ${v}: ${tokens[v].display}`;
        } else if (column.kind === 'int') {
          td.dataset.value = String(v);
          td.textContent = isNum(v) ? String(v) : DASH;
        } else {
          td.dataset.value = isNum(v) ? String(v) : '';
          td.textContent = fmt(v, 3);
        }
        tr.append(td);
      }
      return tr;
    });
    tbody.append(...rows);
    this.table.replaceChildren(thead, tbody);
  }

  sortBy(key) {
    const state = this.host.state;
    if (state.sort === key) state.order = state.order === 'asc' ? 'desc' : 'asc';
    else {
      state.sort = key;
      state.order = TEXT_FIRST.has(key) ? 'asc' : 'desc'; // metrics: the largest first
    }
    this.host.writeURL();
    this.renderTable(this.host.run);
    this.table.querySelector(`thead button[data-key="${key}"]`)?.focus();
  }

  renderMap() {
    const data = this.data;
    const L = data.layers, H = data.heads_per_layer;
    const byCell = new Map(data.heads.map((head) => [`${head.layer},${head.head}`, head]));
    this.map.style.gridTemplateColumns = `auto repeat(${H}, minmax(2.2rem, 3rem))`;
    const cells = [h('div', 'cluster-corner', { 'aria-hidden': 'true' })];
    for (let head = 0; head < H; head++) cells.push(h('div', 'cluster-axis', { role: 'columnheader' }, `H${head}`));
    for (let layer = L - 1; layer >= 0; layer--) {
      cells.push(h('div', 'cluster-axis layer', { role: 'rowheader' }, `L${layer}`));
      for (let head = 0; head < H; head++) {
        const m = byCell.get(`${layer},${head}`);
        const cluster = m && isNum(m.cluster) ? m.cluster : null;
        const cell = h('div', 'cluster-cell', {
          role: 'gridcell', tabindex: layer === L - 1 && head === 0 ? '0' : '-1',
          'data-layer': layer, 'data-head': head, 'data-cluster': cluster ?? '',
          title: `L${layer} H${head} · cluster ${cluster ?? DASH} · ${m ? m.class : ''}`,
          'aria-label': `layer ${layer} head ${head}: cluster ${cluster ?? 'none'}, ${m ? m.class : ''}`,
        }, cluster === null ? DASH : String(cluster));
        cell.style.background = clusterColor(cluster);
        cells.push(cell);
      }
    }
    this.map.replaceChildren(...cells);
    this.map.dataset.layers = String(L);
    this.map.dataset.heads = String(H);
    this.renderClusterLegend();
  }

  renderClusterLegend() {
    const c = this.data.clusters;
    if (!c) {
      this.clusterLegend.replaceChildren(h('p', 'muted small', null, 'No clusters: a one-token run has no metrics to cluster.'));
      return;
    }
    // one column per cluster (narrow enough to sit next to the map), rows: members, then each centroid feature
    const table = h('table', 'table cluster-table', { id: 'cluster-legend-table' });
    const thead = h('thead');
    const hr = h('tr');
    hr.append(h('th', null, { scope: 'col' }, 'cluster'));
    for (const group of c.groups) {
      const th = h('th', 'num', { scope: 'col', 'data-cluster': group.id });
      const swatch = h('span', 'swatch', { 'aria-hidden': 'true' });
      swatch.style.background = clusterColor(group.id);
      th.append(swatch, document.createTextNode(`C${group.id}`));
      hr.append(th);
    }
    thead.append(hr);
    const tbody = h('tbody');
    const members = h('tr', 'members', { 'data-row': 'members' });
    members.append(h('th', null, { scope: 'row' }, 'members'), ...c.groups.map((group) => h('td', 'num', {
      'data-cluster': group.id, title: group.members.map(([l, hd]) => `L${l} H${hd}`).join(', '),
    }, String(group.members.length))));
    tbody.append(members);
    c.features.forEach((feature, f) => {
      const tr = h('tr', null, { 'data-feature': feature });
      tr.append(h('th', null, { scope: 'row', title: `centroid: ${feature}` }, feature.replace(/_/g, ' ')),
        ...c.groups.map((group) => h('td', 'num', { 'data-cluster': group.id }, fmt(group.centroid[f], 3))));
      tbody.append(tr);
    });
    table.append(thead, tbody);
    const caption = c.k < this.host.state.clusters
      ? h('p', 'muted small', null, `K=${this.host.state.clusters} asked, ${c.k} clusters made (one per head at most).`) : null;
    this.clusterLegend.replaceChildren(...(caption ? [caption] : []), table);
  }

  mapKey(event) {
    const cell = event.target.closest?.('.cluster-cell');
    if (!cell) return;
    const layers = this.data.layers, heads = this.data.heads_per_layer;
    const move = gridKey(event.key, Number(cell.dataset.layer), Number(cell.dataset.head), layers, heads);
    if (!move) return;
    event.preventDefault();
    if (move.select) return this.open(cell);
    const next = this.map.querySelector(`.cluster-cell[data-layer="${move.layer}"][data-head="${move.column}"]`);
    if (next) {
      cell.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
    }
  }

  exportCSV() {
    if (!this.data) return;
    const rows = [COLUMNS.map((c) => c.key)];
    for (const head of this.sortedHeads()) rows.push(COLUMNS.map((c) => head[c.key] ?? ''));
    download(`${this.host.baseName()}-metrics.csv`, csv(rows), 'text/csv');
  }

  destroy() {
    this.guard.cancel();
    this.busy.stop();
    this.root.replaceChildren();
  }
}
