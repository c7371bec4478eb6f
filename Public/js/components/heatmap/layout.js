// The geometry of a heatmap drawing of a rows × cols matrix (n×n for attention maps): where the plot, the axis
// labels and the legend go, how many labels fit, and the zoom in cells ({vx, vy, k}: first visible column and row,
// zoom factor) against the viewport's transform (surface = (x, y) + k · the unzoomed plot point). Cells are square
// unless a wide matrix would leave its rows too thin. Pure: no DOM.
import { clamp, tokenLabel, truncate } from '../../core/format.js';

export const LABEL_FONT_PX = 11;
export const ROW_LABEL_MAX_CHARS = 18;
export const LEGEND_W = 64; // gap + bar + tick labels
const MAX_CELL_PX = 48; // the largest cell at zoom 1
const MAX_ZOOM_CELL_PX = 64; // the largest cell zoomed in
const MIN_ROW_PX = 18; // the thinnest row of a non-square matrix at zoom 1 (when the height allows)

/**
 * The matrix's shape and axis texts: {rows, cols, rowNames, colNames (the drawn labels), rowTips, colTips (the
 * tooltip's)}. Columns are tokens ("(j) token"); rows are tokens too unless `rowLabels` are given (shown as they are).
 * A data object of the square form {n, labels} is read as n × n.
 */
export function matrixShape({ n, labels, rows, rowLabels }) {
  const cols = n | 0;
  const colNames = Array.from({ length: cols }, (_, j) => tokenLabel(labels, j, ROW_LABEL_MAX_CHARS));
  const colTips = Array.from({ length: cols }, (_, j) => tokenLabel(labels, j, 40));
  if (!rowLabels) return { rows: rows ?? cols, cols, rowNames: colNames, colNames, rowTips: colTips, colTips };
  const m = rows ?? rowLabels.length;
  const text = (i) => String(rowLabels[i] ?? '');
  return { rows: m, cols, colNames, colTips, rowNames: Array.from({ length: m }, (_, i) => truncate(text(i), ROW_LABEL_MAX_CHARS)),
    rowTips: Array.from({ length: m }, (_, i) => truncate(text(i), 40)) };
}

/** Width in px of the widest axis label (capped at 150); measure(text) gives a text's width. */
export function maxLabelWidth(measure, names) {
  let widest = 0;
  for (const name of names) widest = Math.max(widest, measure(name));
  return Math.min(Math.ceil(widest), 150);
}

/**
 * Geometry of a drawing of `rows` × `cols` cells of cellW × cellH px (cellH: cellW; plotW, plotH: their products,
 * unless given exactly), under a title: {width, height, plotX, plotY, plotW, plotH, rows, cols, cellW, cellH, titleH,
 * legendX, labelW}.
 */
export function computeLayout(labelW, { rows, cols, cellW, cellH = cellW, plotW = cols * cellW, plotH = rows * cellH }, title) {
  const titleH = title ? 22 : 0;
  const plotX = labelW + 10;
  const plotY = titleH + 8;
  const bottom = Math.ceil(labelW * Math.SQRT1_2 + LABEL_FONT_PX + 10);
  return { width: plotX + plotW + LEGEND_W, height: plotY + plotH + bottom, plotX, plotY, plotW, plotH, rows, cols,
           cellW, cellH, titleH, legendX: plotX + plotW + 14, labelW };
}

/**
 * The on-screen layout for `avail` px of width: labels at most 30% of it, the plot 120…maxPlot px wide (and at most
 * maxPlot high), cells ≤ 48 px; an n×n matrix keeps square cells, another one rows of at least 18 px when they fit.
 */
export function screenLayout(avail, labelWidth, rows, cols, maxPlot = 720) {
  const labelW = Math.min(labelWidth, Math.max(60, Math.floor(avail * 0.3)));
  const probe = computeLayout(labelW, { rows: 1, cols: 1, cellW: 1 }, '');
  let plotW = Math.floor(avail - probe.plotX - LEGEND_W - 4);
  plotW = clamp(plotW, 120, maxPlot);
  plotW = Math.min(plotW, Math.max(120, cols * MAX_CELL_PX));
  if (rows === cols) return computeLayout(labelW, { rows, cols, cellW: plotW / cols, plotW, plotH: plotW }, '');
  const cellW = Math.min(MAX_CELL_PX, plotW / cols);
  const cellH = Math.min(MAX_CELL_PX, maxPlot / rows, Math.max(cellW, MIN_ROW_PX));
  return computeLayout(labelW, { rows, cols, cellW, cellH }, '');
}

/** The layout of an export: square cells of 2–24 px so that the whole matrix is about 1000 px or less. */
export function exportLayout(labelW, rows, cols, title) {
  const cellW = clamp(Math.floor(1024 / Math.max(rows, cols)), 2, 24);
  return computeLayout(labelW, { rows, cols, cellW }, title);
}

/** Label step so that labels are at least minPx apart: 1, 2, 5, 10, 20, 50, … */
export function labelStep(cellPx, minPx) {
  if (cellPx >= minPx) return 1;
  const need = minPx / cellPx;
  let base = 1;
  for (;;) {
    for (const m of [1, 2, 5]) if (base * m >= need) return base * m;
    base *= 10;
  }
}

/** The largest zoom factor: the smaller side of a cell 64 px (at least 1). */
export function maxZoom(layout) {
  return Math.max(1, MAX_ZOOM_CELL_PX / Math.min(layout.cellW, layout.cellH));
}

/** The viewport transform (canvas px = (x, y) + k · unzoomed plot px) of a zoom in cells. */
export function cellTransform(layout, zoom) {
  const k = zoom.k;
  return { k, x: layout.plotX - zoom.vx * layout.cellW * k, y: layout.plotY - zoom.vy * layout.cellH * k };
}

/** The zoom in cells of a viewport transform. */
export function cellZoom(layout, view) {
  return { vx: (layout.plotX - view.x) / (view.k * layout.cellW), vy: (layout.plotY - view.y) / (view.k * layout.cellH),
           k: view.k };
}

/** A transform kept in bounds: zoom 1…maxZoom, the visible cells inside the matrix. */
export function constrainCells(layout, view) {
  const zoom = cellZoom(layout, view);
  zoom.k = clamp(zoom.k, 1, maxZoom(layout));
  zoom.vx = clamp(zoom.vx, 0, layout.cols - layout.cols / zoom.k);
  zoom.vy = clamp(zoom.vy, 0, layout.rows - layout.rows / zoom.k);
  return cellTransform(layout, zoom);
}

/** The cell {i: row, j: column} under the canvas point (px, py), or null outside the plot. */
export function cellAt(layout, zoom, px, py) {
  const x = px - layout.plotX;
  const y = py - layout.plotY;
  if (x < 0 || y < 0 || x >= layout.plotW || y >= layout.plotH) return null;
  const j = Math.floor(zoom.vx + x / (layout.cellW * zoom.k));
  const i = Math.floor(zoom.vy + y / (layout.cellH * zoom.k));
  if (i < 0 || j < 0 || i >= layout.rows || j >= layout.cols) return null;
  return { i, j };
}
