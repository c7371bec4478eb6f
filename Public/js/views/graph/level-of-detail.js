// The contribution graph's level of detail for long prompts. A graph of more than LOD_MIN_NODES nodes or
// LOD_MIN_EDGES edges is painted on a canvas, every frame, with only what is in view (canvas-renderer.js): of the
// shown edges crossing the viewport at most EDGE_BUDGET, the heaviest (so the weight drawn grows as one zooms out),
// and the nodes, labels and start markers of the tokens in view, those only from DETAIL_SCALE on. Smaller graphs
// are SVG, drawn whole, as before.
// Also the first view of a long graph (its layers readable, at the start token) and the start markers' hit test.
// Pure: no DOM; graph user units.
import { CELL, MARGIN_LEFT, MARKER_Y, MAX_SCALE, MIN_SCALE_ABS } from './layout.js';

export const LOD_MIN_NODES = 12000; // (2·layers + 1) · tokens; 18 layers: from 325 tokens on
export const LOD_MIN_EDGES = 12000; // or edges in the graph (at the default threshold about 70 a token)
export const EDGE_BUDGET = 4000; // the most edges painted at once
export const DETAIL_SCALE = 0.25; // below: a node's radius < 1 px; no nodes, labels or markers

/// Whether a graph of this geometry and this many edges is painted by level of detail.
export function usesLevelOfDetail(geometry, edgeCount = 0) {
  return (2 * geometry.nLayers + 1) * geometry.nTokens > LOD_MIN_NODES || edgeCount > LOD_MIN_EDGES;
}

/// The shown edge records heaviest first (ties: by index), and the names of the nodes on them.
export function pathIndex(shown) {
  const byWeight = [...shown].sort((a, b) => (b.weight || 0) - (a.weight || 0) || a.index - b.index);
  const active = new Set();
  for (const r of shown) {
    active.add(r.source);
    active.add(r.target);
  }
  return { byWeight, active };
}

/// The graph's rectangle {x0, y0, x1, y1} seen in a box {w, h} under the transform {k, x, y}, grown by `margin`
/// user units on each side.
export function viewRect(view, box, margin = 0) {
  const x = -view.x / view.k, y = -view.y / view.k;
  return { x0: x - margin, y0: y - margin, x1: x + box.w / view.k + margin, y1: y + box.h / view.k + margin };
}

/// The tokens [t0, t1] whose columns (a cell wide) meet the rectangle; t0 > t1 when none does.
export function tokenRange(geometry, rect) {
  const t0 = Math.max(0, Math.floor((rect.x0 - MARGIN_LEFT) / CELL));
  const t1 = Math.min(geometry.nTokens - 1, Math.floor((rect.x1 - MARGIN_LEFT) / CELL));
  return { t0, t1 };
}

/**
 * The painted part of the shown edges: of `byWeight` (records with x1 y1 x2 y2 and weight, heaviest first) those
 * whose bounding box meets `rect`, at most `budget`, the heaviest: {edges: light first, inView: how many meet the
 * rectangle, cutoff: the lightest weight painted when the budget left some out, else 0}.
 */
export function edgesInView(byWeight, rect, budget = EDGE_BUDGET) {
  const picked = [];
  let inView = 0;
  const { x0, y0, x1, y1 } = rect;
  for (let i = 0, n = byWeight.length; i < n; i++) {
    const r = byWeight[i];
    if ((r.x1 < x0 && r.x2 < x0) || (r.x1 > x1 && r.x2 > x1) || (r.y1 < y0 && r.y2 < y0) || (r.y1 > y1 && r.y2 > y1)) continue;
    inView++;
    if (picked.length < budget) picked.push(r);
  }
  const cutoff = inView > picked.length && picked.length ? picked[picked.length - 1].weight : 0;
  return { edges: picked.reverse(), inView, cutoff };
}

/**
 * The first view of a long graph, whose fit would be too small to read: its height fitted (at most zoom 1) below the
 * top `top` px (the legend), the column of token `t` centred, the graph's ends kept at the box's edges.
 */
export function focusView({ w, h }, geometry, t, top) {
  const pad = 8;
  const k = Math.max(MIN_SCALE_ABS, Math.min(1, MAX_SCALE, (h - top - pad) / geometry.height));
  const x = w / 2 - geometry.xOf(t) * k;
  return { k, x: Math.max(Math.min(x, pad), w - pad - geometry.width * k), y: top };
}

/// The start marker at the graph point p: a token index, 'all' (the button left of the graph) or null. The markers
/// are triangles 13 units wide from MARKER_Y − 4 to MARKER_Y + 7; the button is 28 × 16 at MARGIN_LEFT − 40.
export function markerAt(geometry, p) {
  if (p.y < MARKER_Y - 8 || p.y > MARKER_Y + 8 || geometry.nTokens === 0) return null;
  if (p.x >= MARGIN_LEFT - 40 && p.x <= MARGIN_LEFT - 12) return 'all';
  if (p.y < MARKER_Y - 4 || p.y > MARKER_Y + 7) return null;
  const t = Math.round((p.x - MARGIN_LEFT) / CELL - 0.5);
  return t >= 0 && t < geometry.nTokens && Math.abs(p.x - geometry.xOf(t)) <= 6.5 ? t : null;
}
