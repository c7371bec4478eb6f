// The geometry of a heatmap drawing: where the plot square, the axis labels and the legend go, how many labels fit,
// and the zoom in cells ({vx, vy, k}: first visible column and row, zoom factor) against the viewport's transform.
// Pure: no DOM.
import { clamp, tokenLabel } from '../../core/format.js';

export const LABEL_FONT_PX = 11;
export const ROW_LABEL_MAX_CHARS = 18;
export const LEGEND_W = 64; // gap + bar + tick labels
const MAX_CELL_PX = 48; // the largest cell at zoom 1
const MAX_ZOOM_CELL_PX = 64; // the largest cell zoomed in

/** Width in px of the widest axis label (capped at 150); measure(text) gives a text's width. */
export function maxLabelWidth(measure, labels, n) {
  let widest = 0;
  for (let i = 0; i < n; i++) widest = Math.max(widest, measure(tokenLabel(labels, i, ROW_LABEL_MAX_CHARS)));
  return Math.min(Math.ceil(widest), 150);
}

/** Geometry of a drawing whose square cell area (`plot`) is plot px wide: {width, height, plotX, plotY, plot, titleH, legendX, labelW}. */
export function computeLayout(labelW, plot, title) {
  const titleH = title ? 22 : 0;
  const plotX = labelW + 10;
  const plotY = titleH + 8;
  const bottom = Math.ceil(labelW * Math.SQRT1_2 + LABEL_FONT_PX + 10);
  return { width: plotX + plot + LEGEND_W, height: plotY + plot + bottom, plotX, plotY, plot, titleH,
           legendX: plotX + plot + 14, labelW };
}

/** The on-screen layout for `avail` px of width: labels at most 30% of it, the plot 120…maxPlot px, cells ≤ 48 px. */
export function screenLayout(avail, labelWidth, n, maxPlot = 720) {
  const labelW = Math.min(labelWidth, Math.max(60, Math.floor(avail * 0.3)));
  const probe = computeLayout(labelW, 100, '');
  let plot = Math.floor(avail - probe.plotX - LEGEND_W - 4);
  plot = clamp(plot, 120, maxPlot);
  plot = Math.min(plot, Math.max(120, n * MAX_CELL_PX));
  return computeLayout(labelW, plot, '');
}

/** The layout of an export: cells of 2–24 px so that the whole matrix is about 1000 px or less. */
export function exportLayout(labelW, n, title) {
  const cellPx = clamp(Math.floor(1024 / n), 2, 24);
  return computeLayout(labelW, cellPx * n, title);
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

/** The largest zoom factor: cells of 64 px (at least 1). */
export function maxZoom(layout, n) {
  return Math.max(1, (MAX_ZOOM_CELL_PX * n) / layout.plot);
}

/** The viewport transform (canvas px = x + k · cell) of a zoom in cells. */
export function cellTransform(layout, n, zoom) {
  const k = (layout.plot * zoom.k) / n;
  return { k, x: layout.plotX - zoom.vx * k, y: layout.plotY - zoom.vy * k };
}

/** The zoom in cells of a viewport transform. */
export function cellZoom(layout, n, view) {
  return { vx: (layout.plotX - view.x) / view.k, vy: (layout.plotY - view.y) / view.k, k: (view.k * n) / layout.plot };
}

/** A transform kept in bounds: zoom 1…maxZoom, the visible cells inside the matrix. */
export function constrainCells(layout, n, view) {
  const zoom = cellZoom(layout, n, view);
  zoom.k = clamp(zoom.k, 1, maxZoom(layout, n));
  const span = n / zoom.k;
  zoom.vx = clamp(zoom.vx, 0, n - span);
  zoom.vy = clamp(zoom.vy, 0, n - span);
  return cellTransform(layout, n, zoom);
}

/** The cell {i: row, j: column} under the canvas point (px, py), or null outside the plot. */
export function cellAt(layout, n, zoom, px, py) {
  const x = px - layout.plotX;
  const y = py - layout.plotY;
  if (x < 0 || y < 0 || x >= layout.plot || y >= layout.plot) return null;
  const cellPx = (layout.plot * zoom.k) / n;
  const j = Math.floor(zoom.vx + x / cellPx);
  const i = Math.floor(zoom.vy + y / cellPx);
  if (i < 0 || j < 0 || i >= n || j >= n) return null;
  return { i, j };
}
