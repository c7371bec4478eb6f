// A canvas heatmap of an n×n matrix [target][source] (row = query position, column = key position), or of a
// rows × n matrix whose rows are named (a layer × position map): token axes, hover values, zoom and pan
// (components/viewport.js), a colour legend, PNG and SVG export.
//
//   createHeatmap(container, {colors: "blues" | "greens", title, onCellClick, maxSize, width, axes: [row, column]})
//     → {update(values, n, labels, {title, rows, rowLabels}?), pngBlob(scale?), svgText(), setTitle(t), resetZoom(),
//        destroy(), canvas}
//   axes: the tooltip's names of a row and a column (default target, source).
import { el, localPoint } from '../../core/dom.js';
import { FONT_FAMILY } from '../../core/fonts.js';
import { formatValue } from '../../core/format.js';
import { lut } from '../color-scales.js';
import { createViewport } from '../viewport.js';
import { LABEL_FONT_PX, cellAt, cellTransform, cellZoom, constrainCells, exportLayout, matrixShape, maxLabelWidth,
  maxZoom, screenLayout } from './layout.js';
import { paintHeatmap } from './paint.js';
import { maxOf, pooledRectImage } from './pooling.js';
import { heatmapSVG } from './svg.js';

const UNZOOMED = { vx: 0, vy: 0, k: 1 };

export function createHeatmap(container, options = {}) {
  return new Heatmap(container, options);
}

/// The tooltip: three lines (row, column, value; e.g. target, source) whose text nodes are kept to be refilled.
function tooltipLines(tooltip, axes) {
  return [...axes, 'value'].map((name) => {
    const line = el('div');
    const text = document.createTextNode('');
    line.append(el('b', null, null, `${name}: `), text);
    tooltip.appendChild(line);
    return text;
  });
}

function canvasOf(width, height) {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

class Heatmap {
  constructor(container, options) {
    this.container = container;
    this.options = options;
    this.colors = lut(options.colors || 'blues');
    this.data = null; // {values, rows, cols, labels, rowLabels, names (matrixShape), max, labelW}
    this.cells = null; // the rows×cols image
    this.pooled = null; // a max-pooled copy for plots smaller than n device pixels
    this.layout = null;
    this.hover = null;
    this.lastWidth = -1;
    this.destroyed = false;
    this.frame = 0;
    this.buildDOM(options.title || '');
    const measure = document.createElement('canvas').getContext('2d');
    measure.font = `${LABEL_FONT_PX}px ${FONT_FAMILY}`;
    this.measure = (text) => measure.measureText(text).width;
    this.viewport = this.createViewport();
    this.canvas.addEventListener('click', (event) => this.onClick(event));
    this.resizeObserver = typeof ResizeObserver !== 'undefined' ? new ResizeObserver(() => {
      if (this.data && this.availableWidth() !== this.lastWidth) this.relayout();
    }) : null;
    this.resizeObserver?.observe(container);
    this.setTitle(this.title);
  }

  buildDOM(title) {
    this.title = title;
    this.root = el('div', 'gb-heatmap');
    this.root.style.position = 'relative';
    this.titleElement = el('div', 'gb-heatmap-title', null, title);
    this.titleElement.hidden = !title;
    this.canvas = el('canvas', 'gb-heatmap-canvas', { tabindex: '0', role: 'img', 'data-ready': 'false' });
    this.tooltip = el('div', 'gb-heatmap-tooltip', { role: 'status' });
    Object.assign(this.tooltip.style, { position: 'absolute', pointerEvents: 'none', display: 'none' });
    this.hint = el('div', 'gb-heatmap-hint', null, 'wheel or +/− zoom · drag pans · double-click resets');
    this.tipText = tooltipLines(this.tooltip, this.options.axes || ['target', 'source']);
    this.hint.hidden = true;
    this.empty = el('div', 'gb-heatmap-empty', null, 'No data');
    this.root.append(this.titleElement, this.canvas, this.empty, this.hint, this.tooltip);
    this.canvas.hidden = true;
    this.container.appendChild(this.root);
    this.ctx = this.canvas.getContext('2d');
  }

  createViewport() {
    const plotCentre = () => [this.layout.plotX + this.layout.plotW / 2, this.layout.plotY + this.layout.plotH / 2];
    return createViewport(this.canvas, {
      ready: () => Boolean(this.data && this.layout),
      accepts: (event) => Boolean(this.cellAtEvent(event)),
      limits: () => ({ min: 1, max: maxZoom(this.layout) }),
      constrain: (view) => constrainCells(this.layout, view),
      onChange: (view, cause, event) => this.onViewChange(cause, event),
      centre: plotCentre,
      panStep: () => Math.min(this.layout.plotW, this.layout.plotH) * 0.1,
      reset: () => this.resetZoom(),
      slop: 3,
      rate: 0.002,
      doubleClick: 'reset',
      onHover: (event) => { if (this.data) this.setHover(this.cellAtEvent(event), event); },
      onLeave: (dragging) => { if (!dragging) this.setHover(null); },
      onDragStart: () => { if (this.zoom.k > 1) this.canvas.style.cursor = 'grabbing'; },
      onDragEnd: () => { this.canvas.style.cursor = ''; },
    });
  }

  /// The zoom in cells: {vx, vy, k}.
  get zoom() {
    return this.layout && this.data ? cellZoom(this.layout, this.viewport.view) : UNZOOMED;
  }

  onViewChange(cause, event) {
    this.hint.hidden = false;
    this.root.classList.toggle('gb-zoomed', this.zoom.k > 1.0001);
    if (cause === 'layout') return;
    this.schedule();
    if (cause === 'wheel') this.setHover(this.cellAtEvent(event), event);
  }

  cellAtEvent(event) {
    if (!this.data || !this.layout) return null;
    return cellAt(this.layout, this.zoom, ...localPoint(this.canvas, event));
  }

  availableWidth() {
    const w = this.container.clientWidth || this.root.clientWidth;
    return w > 0 ? w : this.options.width || 520;
  }

  /// Lays the drawing out for the available width, keeping the zoom (in cells), and draws it.
  relayout(zoom = this.zoom) {
    if (!this.data) return;
    const avail = this.availableWidth();
    this.lastWidth = avail;
    this.layout = screenLayout(avail, this.data.labelW, this.data.rows, this.data.cols, this.options.maxSize || 720);
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(this.layout.width * dpr);
    const h = Math.round(this.layout.height * dpr);
    if (this.canvas.width !== w) this.canvas.width = w;
    if (this.canvas.height !== h) this.canvas.height = h;
    this.canvas.style.width = `${this.layout.width}px`;
    this.canvas.style.height = `${this.layout.height}px`;
    this.viewport.set(cellTransform(this.layout, zoom), 'layout');
    this.draw();
  }

  schedule() {
    if (!this.frame && !this.destroyed) this.frame = requestAnimationFrame(() => this.draw());
  }

  draw() {
    this.frame = 0;
    if (!this.data || !this.layout || this.destroyed) return;
    const dpr = this.canvas.width / this.layout.width;
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    paintHeatmap(this.ctx, { layout: this.layout, zoom: this.zoom, names: this.data.names, cells: this.cellImage(dpr),
      colors: this.colors, max: this.data.max, hover: this.hover, title: '' });
    this.canvas.dataset.ready = 'true';
  }

  /// The image to scale onto the plot: the rows×cols one, or, when a cell would be smaller than a device pixel, a
  /// max-pooled copy at the drawn resolution.
  cellImage(dpr) {
    const { rows, cols, values, max } = this.data;
    const resCols = Math.min(cols, Math.ceil(cols * this.layout.cellW * this.zoom.k * dpr));
    const resRows = Math.min(rows, Math.ceil(rows * this.layout.cellH * this.zoom.k * dpr));
    if (resCols >= cols && resRows >= rows) return this.cells;
    if (this.pooled && this.pooled.width === resCols && this.pooled.height === resRows) return this.pooled;
    this.pooled = canvasOf(resCols, resRows);
    const ctx = this.pooled.getContext('2d');
    ctx.putImageData(pooledRectImage(ctx, values, rows, cols, resRows, resCols, max > 0 ? 255 / max : 0, this.colors.u32), 0, 0);
    return this.pooled;
  }

  showTooltip(cell, event) {
    const tooltip = this.tooltip;
    if (!cell) {
      tooltip.style.display = 'none';
      return;
    }
    const { values, cols, names } = this.data;
    const key = `${cell.i},${cell.j}`;
    if (tooltip.dataset.key !== key) {
      const value = formatValue(values[cell.i * cols + cell.j]);
      [names.rowTips[cell.i], names.colTips[cell.j], value].forEach((text, k) => { this.tipText[k].data = text; });
      Object.assign(tooltip.dataset, { key, target: String(cell.i), source: String(cell.j), value });
      tooltip.style.display = 'block';
      this.tipWidth = tooltip.offsetWidth;
    }
    tooltip.style.display = 'block';
    const [px, py] = localPoint(this.canvas, event);
    const offX = this.canvas.offsetLeft, offY = this.canvas.offsetTop;
    let left = offX + px + 14;
    if (left + this.tipWidth > Math.max(this.root.clientWidth, this.layout.width)) left = Math.max(0, offX + px - this.tipWidth - 10);
    tooltip.style.left = `${left}px`;
    tooltip.style.top = `${offY + py + 14}px`;
  }

  setHover(cell, event) {
    const same = (cell && this.hover && cell.i === this.hover.i && cell.j === this.hover.j) || (!cell && !this.hover);
    this.hover = cell;
    this.showTooltip(cell, event);
    if (!same) this.schedule();
  }

  onClick(event) {
    if (this.viewport.takeDragClick() || !this.data || !this.layout || !this.options.onCellClick) return;
    const cell = this.cellAtEvent(event);
    if (cell) this.options.onCellClick(cell.i, cell.j, this.data.values[cell.i * this.data.cols + cell.j]);
  }

  resetZoom() {
    if (this.layout && this.data) this.viewport.set(cellTransform(this.layout, UNZOOMED), 'zoom');
  }

  setTitle(title) {
    this.title = title || '';
    this.titleElement.textContent = this.title;
    this.titleElement.hidden = !this.title;
    this.canvas.setAttribute('aria-label', this.title || 'heatmap');
  }

  /**
   * @param {Float32Array|number[]} values rows·n, row-major [row][column] (n×n: [target][source])
   * @param {number} n the columns (and, without opts.rows, the rows)
   * @param {string[]} labels the column tokens' display strings (and the rows' of an n×n map)
   * @param {{title?: string, rows?: number, rowLabels?: string[], empty?: string}} [opts] rowLabels: the rows'
   *   names, as shown; empty: the text shown without values (default "No data")
   */
  update(values, n, labels, opts = {}) {
    if (this.destroyed) return;
    if (opts.title !== undefined) this.setTitle(opts.title);
    this.canvas.dataset.ready = 'false';
    const cols = n | 0;
    const lbls = Array.from({ length: cols }, (_, i) => String(labels?.[i] ?? ''));
    const names = matrixShape({ n: cols, labels: lbls, rows: opts.rows, rowLabels: opts.rowLabels });
    const rows = names.rows | 0;
    if (!values || cols <= 0 || rows <= 0) return this.clear(opts.empty);
    if (values.length < rows * cols) throw new Error(`heatmap: expected ${rows * cols} values, got ${values.length}`);
    const vals = values instanceof Float32Array ? values : Float32Array.from(values);
    const max = maxOf(vals, rows * cols);
    if (!this.cells || this.cells.width !== cols || this.cells.height !== rows) this.cells = canvasOf(cols, rows);
    const ctx = this.cells.getContext('2d');
    ctx.putImageData(pooledRectImage(ctx, vals, rows, cols, rows, cols, max > 0 ? 255 / max : 0, this.colors.u32), 0, 0);
    this.pooled = null;
    const old = this.data;
    const same = old && old.rows === rows && old.cols === cols && old.names.rowNames.every((t, i) => t === names.rowNames[i])
      && old.names.colNames.every((t, j) => t === names.colNames[j]);
    const labelW = same ? old.labelW : maxLabelWidth(this.measure, [...names.rowNames, ...names.colNames]);
    this.data = { values: vals, rows, cols, labels: lbls, rowLabels: opts.rowLabels || null, names, max, labelW };
    Object.assign(this.canvas.dataset, { n: String(cols), rows: String(rows), cols: String(cols), max: String(max) });
    this.canvas.hidden = false;
    this.empty.hidden = true;
    this.hover = null;
    this.tooltip.style.display = 'none';
    delete this.tooltip.dataset.key;
    this.relayout(UNZOOMED);
  }

  clear(text = 'No data') {
    this.empty.textContent = text;
    this.data = null;
    this.cells = null;
    this.canvas.hidden = true;
    this.empty.hidden = false;
    this.hint.hidden = true;
    this.tooltip.style.display = 'none';
    this.canvas.dataset.n = '0';
    this.canvas.dataset.ready = 'true';
  }

  pngBlob(scale = 2) {
    if (!this.data) return Promise.reject(new Error('heatmap: nothing to export'));
    const layout = exportLayout(this.data.labelW, this.data.rows, this.data.cols, this.title);
    const canvas = canvasOf(Math.round(layout.width * scale), Math.round(layout.height * scale));
    const ctx = canvas.getContext('2d');
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    paintHeatmap(ctx, { layout, zoom: UNZOOMED, names: this.data.names, cells: this.cells, colors: this.colors,
      max: this.data.max, hover: null, title: this.title });
    return new Promise((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('heatmap: PNG encoding failed'))), 'image/png'));
  }

  svgText() {
    if (!this.data) throw new Error('heatmap: nothing to export');
    const { cols, labels, rows, rowLabels, values, max, labelW } = this.data;
    return heatmapSVG({ n: cols, labels, rows, rowLabels, values, max, labelW }, this.colors, this.title);
  }

  destroy() {
    this.destroyed = true;
    if (this.frame) cancelAnimationFrame(this.frame);
    this.resizeObserver?.disconnect();
    this.viewport.destroy();
    this.root.remove();
    this.data = null;
    this.cells = null;
  }
}
