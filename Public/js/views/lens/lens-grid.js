// The logit-lens grid: a table of the lens's top token and its probability at every layer (rows, last layer on top)
// and position (columns), shaded by the probability; a click or Enter on a cell chooses it.
//
//   createLensGrid(container, grid, {onSelect(layer, token)}) → {csv(), select(layer, token), destroy()}
import { el } from '../../core/dom.js';
import { truncate } from '../../core/format.js';
import { lut, lutIndex } from '../../components/color-scales.js';
import { gridKeyHandler } from '../../components/layer-grid.js';
import { cellTitle, formatProb, lensGridCSV } from './lens-cells.js';

export function createLensGrid(container, grid, opts = {}) {
  return new LensGrid(container, grid, opts);
}

function headerRow(tokens, point) {
  const tr = el('tr');
  tr.appendChild(el('th', 'gb-lens-corner', { scope: 'col' }, point ? `layer \\ token (${point})` : 'layer \\ token'));
  tokens.forEach((token, t) => {
    const th = el('th', 'gb-lens-token', { scope: 'col', 'data-token': t, title: `(${t}) ${token}` });
    th.append(el('span', 'gb-lens-idx', null, `(${t})`), el('span', 'gb-lens-text', null, truncate(token, 14)));
    tr.appendChild(th);
  });
  const thead = el('thead');
  thead.appendChild(tr);
  return thead;
}

function cellElement(layer, t, token, c, greens) {
  const td = el('td', 'gb-lens-cell', { 'data-layer': layer, 'data-token': t, tabindex: '-1' });
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
    this.selected = null;
    const tokens = grid?.tokens || [];
    const cells = grid?.cells || [];
    const layers = grid?.layers ?? cells.length;
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
    Object.assign(this.table.dataset, { layers: String(layers), tokens: String(tokens.length) });
    if (grid?.point) this.table.dataset.point = grid.point;
    this.tbody = el('tbody');
    const greens = lut('greens');
    for (let l = layers - 1; l >= 0; l--) {
      const tr = el('tr', null, { 'data-layer': l });
      tr.appendChild(el('th', 'gb-lens-layer', { scope: 'row' }, `L${l}`));
      tokens.forEach((token, t) => tr.appendChild(cellElement(l, t, token, (cells[l] || [])[t], greens)));
      this.tbody.appendChild(tr);
    }
    this.table.append(headerRow(tokens, grid?.point), this.tbody);
    const first = this.tbody.querySelector('td');
    if (first) first.tabIndex = 0;
    this.onClick = (event) => {
      const td = event.target.closest?.('td.gb-lens-cell');
      if (td && this.tbody.contains(td)) this.select(Number(td.dataset.layer), Number(td.dataset.token), true);
    };
    this.onKey = gridKeyHandler(this.tbody, { selector: 'td.gb-lens-cell', column: 'token',
      shape: () => ({ layers, columns: tokens.length }), activate: (l, t) => this.select(l, t, true) });
    this.table.addEventListener('click', this.onClick);
    this.table.addEventListener('keydown', this.onKey);
  }

  select(layer, token, notify = false) {
    const td = this.tbody.querySelector(`td[data-layer="${layer}"][data-token="${token}"]`);
    if (this.selected) {
      this.selected.classList.remove('selected');
      this.selected.removeAttribute('aria-selected');
      this.selected.tabIndex = -1;
    }
    this.selected = td;
    if (!td) return;
    td.classList.add('selected');
    td.setAttribute('aria-selected', 'true');
    for (const o of this.tbody.querySelectorAll('td[tabindex="0"]')) o.tabIndex = -1;
    td.tabIndex = 0;
    if (notify && this.opts.onSelect) this.opts.onSelect(layer, token);
  }

  csv() {
    return lensGridCSV(this.grid);
  }

  destroy() {
    this.table.removeEventListener('click', this.onClick);
    this.table.removeEventListener('keydown', this.onKey);
    if (this.wrap) this.wrap.remove();
    else this.table.replaceChildren();
  }
}
