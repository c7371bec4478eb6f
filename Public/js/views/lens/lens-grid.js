// The logit-lens grid: a table of the lens's top token and its probability at every layer (rows, last layer on top)
// and position (columns), shaded by the probability; a click or Enter on a cell chooses it. A long prompt's grid
// renders only the columns around the scrolled view (column-window.js), and may be filled in as chunks of columns
// arrive (lens-chunks.js): a cell not there yet shows as loading while pending(position) says it is coming.
//
//   createLensGrid(container, grid, {onSelect(layer, token), pending(position), onWindow({first, last})})
//     → {csv(), select(layer, token), reveal(layer, token), refresh(from, to), window, destroy()}
import { el } from '../../core/dom.js';
import { truncate } from '../../core/format.js';
import { lut, lutIndex } from '../../components/color-scales.js';
import { gridKeyHandler } from '../../components/layer-grid.js';
import { COLUMN_PX, LAYER_COLUMN_PX, columnWindow, covers, isVirtual, scrollToColumn, spacerWidths } from './column-window.js';
import { cellTitle, formatProb, lensGridCSV } from './lens-cells.js';

export function createLensGrid(container, grid, opts = {}) {
  return new LensGrid(container, grid, opts);
}

function tokenHeader(token, t) {
  const th = el('th', 'gb-lens-token', { scope: 'col', 'data-token': t, title: `(${t}) ${token}` });
  th.append(el('span', 'gb-lens-idx', null, `(${t})`), el('span', 'gb-lens-text', null, truncate(token, 14)));
  return th;
}

function cellElement(layer, t, token, c, greens, loading) {
  const td = el('td', 'gb-lens-cell', { 'data-layer': layer, 'data-token': t, tabindex: '-1' });
  if (!c && loading) {
    td.classList.add('gb-lens-loading');
    td.setAttribute('aria-busy', 'true');
    td.title = `L${layer} · (${t}) ${token}\nloading…`;
    td.append(el('span', 'gb-lens-top', null, '…'));
    return td;
  }
  if (!c) {
    td.classList.add('gb-lens-missing');
    return td;
  }
  const p = Number(c.probability);
  const idx = lutIndex(p, 255);
  td.style.backgroundColor = greens.css[idx];
  td.style.color = idx > 150 ? '#ffffff' : '#1b1b1b';
  td.dataset.tokenId = String(c.id);
  td.dataset.probability = String(p);
  td.append(el('span', 'gb-lens-top', null, truncate(c.display, 12)), el('span', 'gb-lens-prob', null, formatProb(p)));
  td.title = cellTitle(layer, t, token, c);
  return td;
}

class LensGrid {
  constructor(container, grid, opts) {
    this.grid = grid;
    this.opts = opts;
    this.selected = null; // {layer, token}
    this.focused = null; // {layer, token} of the cell with the focus
    this.tokens = grid?.tokens || [];
    this.cells = grid?.cells || [];
    this.layers = grid?.layers ?? this.cells.length;
    this.greens = lut('greens');
    this.virtual = isVirtual(this.tokens.length);
    this.window = null; // the rendered columns {first, last}
    this.wrap = null;
    if (container.tagName === 'TABLE') {
      this.table = container;
      this.table.replaceChildren();
      this.table.classList.add('gb-lens-grid');
    } else {
      this.wrap = el('div', 'gb-lens-wrap');
      this.table = el('table', 'gb-lens-grid');
      this.wrap.appendChild(this.table);
      container.appendChild(this.wrap);
    }
    Object.assign(this.table.dataset, { layers: String(this.layers), tokens: String(this.tokens.length) });
    if (grid?.point) this.table.dataset.point = grid.point;
    this.thead = el('thead');
    this.tbody = el('tbody');
    this.table.append(this.thead, this.tbody);
    this.scroller = this.virtual ? this.wrap || this.table.parentElement : null;
    if (this.virtual) {
      this.table.classList.add('gb-lens-virtual');
      this.table.style.width = `${LAYER_COLUMN_PX + this.tokens.length * COLUMN_PX}px`;
      this.onScroll = () => { if (!this.frame) this.frame = requestAnimationFrame(() => { this.frame = 0; this.renderWindow(); }); };
      this.scroller?.addEventListener('scroll', this.onScroll, { passive: true });
      this.resizeObserver = typeof ResizeObserver === 'function' && this.scroller ? new ResizeObserver(this.onScroll) : null;
      this.resizeObserver?.observe(this.scroller);
      this.renderWindow();
    } else {
      this.renderColumns({ first: 0, last: this.tokens.length - 1 });
    }
    this.listen();
  }

  listen() {
    this.onClick = (event) => {
      const td = event.target.closest?.('td.gb-lens-cell');
      if (td && this.tbody.contains(td)) this.select(Number(td.dataset.layer), Number(td.dataset.token), true);
    };
    this.onKey = gridKeyHandler(this.tbody, { selector: 'td.gb-lens-cell', column: 'token',
      shape: () => ({ layers: this.layers, columns: this.tokens.length }), activate: (l, t) => this.select(l, t, true) });
    this.onFocus = (event) => {
      const td = event.target.closest?.('td.gb-lens-cell');
      if (td) this.focused = { layer: Number(td.dataset.layer), token: Number(td.dataset.token) };
    };
    this.table.addEventListener('click', this.onClick);
    this.table.addEventListener('keydown', this.onKey);
    this.table.addEventListener('focusin', this.onFocus);
  }

  /// A virtual grid: the columns in sight and a screen's worth on each side, unless those are rendered already.
  renderWindow() {
    const width = this.scroller?.clientWidth || 1200;
    const scrollLeft = this.scroller?.scrollLeft || 0;
    const screen = Math.ceil(width / COLUMN_PX);
    if (!covers(this.window, columnWindow(scrollLeft, width, this.tokens.length))) {
      this.renderColumns(columnWindow(scrollLeft, width, this.tokens.length, screen));
    }
    this.opts.onWindow?.(this.window);
  }

  /// Draws again the rendered cells of columns from…to (their data arrived).
  refresh(from, to) {
    const w = this.window;
    if (!w) return;
    const hadFocus = this.table.contains(document.activeElement);
    const first = Math.max(from, w.first), last = Math.min(to, w.last);
    for (const tr of this.tbody.children) {
      const layer = Number(tr.dataset.layer);
      for (let t = first; t <= last; t++) {
        tr.querySelector(`td[data-token="${t}"]`)?.replaceWith(this.columnCells(layer, t, t));
      }
    }
    this.restoreMarks(hadFocus);
  }

  /// The header and the rows of the columns first…last, with spacers standing for the others in a virtual grid
  /// (whose rendered columns shift: those still in the window are kept).
  renderColumns(range) {
    const hadFocus = this.table.contains(document.activeElement);
    const old = this.window;
    if (old && this.virtual && range.first <= old.last && range.last >= old.first) this.shiftColumns(old, range);
    else this.buildRows(range);
    if (this.virtual) {
      const pads = spacerWidths(range, this.tokens.length);
      for (const tr of this.rows()) {
        tr.children[1].style.width = `${pads.left}px`;
        tr.lastElementChild.style.width = `${pads.right}px`;
      }
    }
    this.window = range;
    this.restoreMarks(hadFocus);
  }

  /// The header row (layer −1) and the layer rows, last layer first.
  rows() {
    return [this.thead.firstElementChild, ...this.tbody.children];
  }

  /// The cells of columns from…to of a row (layer −1: the header's) in a fragment.
  columnCells(layer, from, to) {
    const fragment = document.createDocumentFragment();
    const row = this.cells[layer] || [];
    for (let t = from; t <= to; t++) {
      fragment.appendChild(layer < 0 ? tokenHeader(this.tokens[t], t)
        : cellElement(layer, t, this.tokens[t], row[t], this.greens, this.opts.pending?.(t)));
    }
    return fragment;
  }

  buildRows({ first, last }) {
    const pad = (tag) => (this.virtual ? [el(tag, 'gb-lens-pad', { 'aria-hidden': 'true' })] : []);
    const head = el('tr');
    head.appendChild(el('th', 'gb-lens-corner', { scope: 'col' }, this.grid?.point ? `layer \\ token (${this.grid.point})` : 'layer \\ token'));
    head.append(...pad('th'), this.columnCells(-1, first, last), ...pad('th'));
    const rows = [];
    for (let l = this.layers - 1; l >= 0; l--) {
      const tr = el('tr', null, { 'data-layer': l });
      tr.appendChild(el('th', 'gb-lens-layer', { scope: 'row' }, `L${l}`));
      tr.append(...pad('td'), this.columnCells(l, first, last), ...pad('td'));
      rows.push(tr);
    }
    this.thead.replaceChildren(head);
    this.tbody.replaceChildren(...rows);
  }

  /// Moves a virtual grid's rendered columns from `old` to the overlapping `range`: drops and adds only the difference.
  shiftColumns(old, range) {
    for (const tr of this.rows()) {
      const layer = tr.parentElement === this.thead ? -1 : Number(tr.dataset.layer);
      const padLeft = tr.children[1], padRight = tr.lastElementChild;
      for (let t = old.first; t < range.first; t++) padLeft.nextElementSibling.remove();
      for (let t = old.last; t > range.last; t--) padRight.previousElementSibling.remove();
      if (range.first < old.first) padLeft.after(this.columnCells(layer, range.first, old.first - 1));
      if (range.last > old.last) padRight.before(this.columnCells(layer, old.last + 1, range.last));
    }
  }

  cell(layer, token) {
    return this.tbody.querySelector(`td[data-layer="${layer}"][data-token="${token}"]`);
  }

  /// The selected cell's mark and the roving tabindex (and the focus, when a re-render took it) on the new cells.
  restoreMarks(hadFocus) {
    const sel = this.selected && this.cell(this.selected.layer, this.selected.token);
    if (sel) {
      sel.classList.add('selected');
      sel.setAttribute('aria-selected', 'true');
    }
    const focus = this.focused && this.cell(this.focused.layer, this.focused.token);
    const tabStop = focus || sel || this.tbody.querySelector('td');
    if (tabStop) tabStop.tabIndex = 0;
    if (hadFocus && focus && document.activeElement !== focus) focus.focus({ preventScroll: true });
  }

  /// Marks the cell (of a virtual grid, also one not rendered now) as chosen; notify: tells onSelect.
  select(layer, token, notify = false) {
    for (const o of this.tbody.querySelectorAll('td.selected')) {
      o.classList.remove('selected');
      o.removeAttribute('aria-selected');
      o.tabIndex = -1;
    }
    const td = this.cell(layer, token);
    const inGrid = layer >= 0 && layer < this.layers && token >= 0 && token < this.tokens.length;
    this.selected = td || (this.virtual && inGrid) ? { layer, token } : null;
    if (!this.selected) return;
    if (td) {
      td.classList.add('selected');
      td.setAttribute('aria-selected', 'true');
      for (const o of this.tbody.querySelectorAll('td[tabindex="0"]')) o.tabIndex = -1;
      td.tabIndex = 0;
    }
    if (notify && this.opts.onSelect) this.opts.onSelect(layer, token);
  }

  /// Scrolls the cell into sight (a virtual grid renders its columns first).
  reveal(layer, token) {
    if (this.virtual && this.scroller) {
      this.scroller.scrollLeft = scrollToColumn(token, this.scroller.clientWidth);
      this.renderWindow();
    }
    this.cell(layer, token)?.scrollIntoView({ block: 'nearest', inline: 'center' });
  }

  csv() {
    return lensGridCSV(this.grid);
  }

  destroy() {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.scroller?.removeEventListener('scroll', this.onScroll);
    this.resizeObserver?.disconnect();
    this.table.removeEventListener('click', this.onClick);
    this.table.removeEventListener('keydown', this.onKey);
    this.table.removeEventListener('focusin', this.onFocus);
    if (this.wrap) this.wrap.remove();
    else this.table.replaceChildren();
  }
}
