// The Compare page's heads section: the metric menu and the "every metric" switch, the heads table, the layer ×
// head grid and the chosen head's aligned attention. The view state (metric, order, all, head) is the page's
// (kept in its URL); changed() after every change of it.
import { el } from '../../core/dom.js';
import { METRICS } from '../../core/head-metrics.js';
import { gridKeyHandler } from '../../components/layer-grid.js';
import { rovingList } from '../../components/sortable-table.js';
import { sortedHeads } from './compare-data.js';
import { ORDERS } from './compare-state.js';
import { renderAligned, renderHeadsGrid } from './heads-grid.js';
import { renderHeadsTable } from './heads-table.js';

export class HeadsSection {
  /// t = {data, names, view, shape: {L, H}, changed()}.
  constructor(t) {
    this.t = t;
    this.element = el('section', 'compare-heads', { id: 'compare-heads' });
    this.build();
    this.wire();
    this.renderHeads();
  }

  get view() { return this.t.view; }

  build() {
    const top = el('div', 'toolbar');
    this.metricSelect = el('select', null, { id: 'compare-metric', 'aria-label': 'metric of the grid and of the sort' });
    for (const m of METRICS) this.metricSelect.append(new Option(m.label, m.key));
    this.metricSelect.value = this.view.metric;
    const metricLabel = el('label', null, null, 'Metric ');
    metricLabel.append(this.metricSelect);
    this.allCheck = el('input', null, { type: 'checkbox', id: 'compare-all' });
    this.allCheck.checked = this.view.all;
    const allLabel = el('label', 'check-inline', { for: 'compare-all' });
    allLabel.append(this.allCheck, ' per-prompt values of every metric');
    const spreadName = this.t.data.kind === 'pair' ? 'Δ B − A' : 'variance';
    top.append(el('h3', null, null, 'Heads'), metricLabel, allLabel,
      el('span', 'muted small', null, `click a ${spreadName} header to sort (|value| ↓, value ↓, value ↑) · a row or cell for its aligned attention`));
    const tableWrap = el('div', 'compare-table-wrap');
    this.table = el('table', 'table compare-table', { id: 'compare-heads-table' });
    tableWrap.append(this.table);
    const below = el('div', 'compare-below');
    const gridPart = el('div', 'compare-grid-part');
    this.gridTitle = el('h4', null, { id: 'compare-grid-title' });
    this.grid = el('div', 'compare-grid', { id: 'compare-grid', role: 'grid' });
    this.legend = el('div', 'diverging-legend', { id: 'compare-grid-legend' });
    gridPart.append(this.gridTitle, el('p', 'muted small', null, 'Layers bottom to top, heads left to right.'), this.grid, this.legend);
    this.aligned = el('div', 'compare-aligned', { id: 'compare-aligned', 'aria-live': 'polite' });
    below.append(gridPart, this.aligned);
    this.element.append(top, tableWrap, below);
  }

  wire() {
    this.metricSelect.addEventListener('change', () => {
      Object.assign(this.view, { metric: this.metricSelect.value, order: 'abs', head: null });
      this.t.changed();
      this.renderHeads();
    });
    this.allCheck.addEventListener('change', () => {
      this.view.all = this.allCheck.checked;
      this.t.changed();
      this.renderTable();
    });
    const pick = (item, fromGrid) => this.selectHead(Number(item.dataset.layer), Number(item.dataset.head), fromGrid);
    this.table.addEventListener('click', (event) => {
      const tr = event.target.closest?.('tbody tr');
      if (tr) pick(tr, false);
    });
    rovingList(this.table, 'tbody tr', (tr) => pick(tr, false));
    this.grid.addEventListener('click', (event) => {
      const cell = event.target.closest?.('.compare-cell');
      if (cell) pick(cell, false);
    });
    this.grid.addEventListener('keydown', gridKeyHandler(this.grid, { selector: '.compare-cell',
      shape: () => ({ layers: this.t.shape.L, columns: this.t.shape.H }), activate: (layer, head) => this.selectHead(layer, head, true) }));
  }

  /// What the renderers read: the response, the names, the view, the selected head, the grid's shape.
  get context() {
    return { ...this.t, selected: this.selected, onSort: (key) => this.sortBy(key) };
  }

  /// The chosen head (from the URL) if the comparison has it, else the first in the table's order.
  renderHeads() {
    const { data } = this.t;
    const head = this.view.head;
    if (!head || !data.heads.some((x) => x.layer === head.layer && x.head === head.head)) {
      const first = sortedHeads(data, this.view)[0];
      this.selected = first ? { layer: first.layer, head: first.head } : null;
    } else {
      this.selected = head;
    }
    this.renderTable();
    renderHeadsGrid(this.grid, this.gridTitle, this.legend, this.context);
    renderAligned(this.aligned, this.context);
  }

  renderTable() {
    renderHeadsTable(this.table, this.context, sortedHeads(this.t.data, this.view));
  }

  /// A header: layer order, or the metric's spread (|value| ↓ first, then value ↓, value ↑, again).
  sortBy(key) {
    const view = this.view;
    if (key === 'layer') view.order = 'layer';
    else if (view.metric !== key || view.order === 'layer') {
      view.metric = key;
      view.order = 'abs';
    } else {
      view.order = ORDERS[(ORDERS.indexOf(view.order) + 1) % 3]; // abs → desc → asc → abs
    }
    this.metricSelect.value = view.metric;
    this.t.changed();
    this.renderHeads();
    this.table.querySelector(`thead button[data-key="${key}"]`)?.focus();
  }

  selectHead(layer, head, fromGrid = false) {
    this.view.head = { layer, head };
    this.selected = this.view.head;
    this.t.changed();
    const mark = (item, on) => {
      item.classList.toggle('selected', on);
      item.setAttribute('aria-selected', String(on));
    };
    for (const tr of this.table.querySelectorAll('tbody tr')) mark(tr, Number(tr.dataset.layer) === layer && Number(tr.dataset.head) === head);
    for (const cell of this.grid.querySelectorAll('.compare-cell')) {
      const on = Number(cell.dataset.layer) === layer && Number(cell.dataset.head) === head;
      mark(cell, on);
      if (fromGrid) cell.tabIndex = on ? 0 : -1;
    }
    renderAligned(this.aligned, this.context);
  }
}
