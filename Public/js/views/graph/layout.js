// The contribution graph's layout (after the LLM Transparency Tool's): one CELL × CELL cell per (layer, token),
// tokens left → right, layers bottom → top. In a cell the residual after attention (A) sits a quarter cell below
// the centre, the residual after the layer (I) a quarter above, the FFN square (M) to the right of the centre; the
// embedding row (X0) half a cell below layer 0's A row. Also: the shown path set, hit testing and fitting, all in
// the graph's user units. Pure: no DOM.
import { parseNode } from '../../core/node-names.js';
import { truncate, xmlSafe } from '../../core/format.js';

export const CELL = 32;
export const NODE_R = 4;
export const FFN_SIZE = 6;
export const MARGIN_LEFT = 64;
const MARGIN_RIGHT = 20;
export const MARGIN_TOP = 6;
export const MARKER_Y = MARGIN_TOP + CELL / 2; // the centre line of the start markers
const LABEL_SPACE = 96; // below the embedding row, for the rotated token labels
const LABEL_MAX_CHARS = 14;
export const MIN_SCALE_ABS = 0.01;
export const MAX_SCALE = 12;

/// A token label of the axis: XML-safe, at most 14 characters.
export function shortLabel(text) {
  return truncate(xmlSafe(text), LABEL_MAX_CHARS);
}

/// The geometry of a graph of nLayers × nTokens: size, the coordinates of rows and columns, node positions.
export function graphGeometry(nLayers, nTokens) {
  const top = MARGIN_TOP + CELL; // the top of the top layer's band
  const xOf = (t) => MARGIN_LEFT + (t + 0.5) * CELL;
  const cyOf = (l) => top + (nLayers - 1 - l) * CELL + CELL / 2;
  const embY = top + nLayers * CELL + CELL / 4;
  /// {item, l, t, x, y} of a node name, or null when it is not in the graph.
  const nodePos = (name) => {
    const node = parseNode(name);
    if (!node) return null;
    const { kind: item, layer: l, token: t } = node;
    if (t >= nTokens || (item !== 'X' && l >= nLayers)) return null;
    const x = xOf(t);
    if (item === 'X') return { item, l, t, x, y: embY };
    if (item === 'A') return { item, l, t, x, y: cyOf(l) + CELL / 4 };
    if (item === 'I') return { item, l, t, x, y: cyOf(l) - CELL / 4 };
    return { item, l, t, x: x + (5 * CELL) / 16, y: cyOf(l) };
  };
  return { nLayers, nTokens, top, xOf, cyOf, embY, nodePos,
           width: MARGIN_LEFT + nTokens * CELL + MARGIN_RIGHT, height: top + nLayers * CELL + CELL / 2 + LABEL_SPACE };
}

/// One record per API edge (same index) with its end points, and "source|target" → the records between them.
export function parseEdges(raw, geometry) {
  const edges = new Array(raw.length);
  const pairIndex = new Map();
  for (let i = 0; i < raw.length; i++) {
    const e = raw[i];
    const a = geometry.nodePos(e.source);
    const b = geometry.nodePos(e.target);
    const rec = { index: i, source: e.source, target: e.target, weight: Number(e.weight), kind: e.kind || 'attention',
      x1: a ? a.x : 0, y1: a ? a.y : 0, x2: b ? b.x : 0, y2: b ? b.y : 0, valid: Boolean(a && b) };
    edges[i] = rec;
    const key = e.source + '|' + e.target;
    const list = pairIndex.get(key);
    if (list) list.push(rec); else pairIndex.set(key, [rec]);
  }
  return { edges, pairIndex };
}

/// The start token within the graph: an index 0…n−1 or 'all' (an empty graph: 'all'; not a number: the last).
export function normalizeStart(start, nTokens) {
  if (start === 'all') return 'all';
  const i = Number(start);
  if (!Number.isInteger(i) || nTokens === 0) return nTokens === 0 ? 'all' : nTokens - 1;
  return Math.min(nTokens - 1, Math.max(0, i));
}

/// The indices of the edges on the paths to `start` (for 'all', the union in first-seen order); without path
/// sets, every edge.
export function shownEdgeIndices(paths, start, edgeCount) {
  const ok = (i) => i >= 0 && i < edgeCount;
  if (!Array.isArray(paths) || paths.length === 0) return Array.from({ length: edgeCount }, (_, i) => i);
  if (start === 'all') {
    const seen = new Uint8Array(edgeCount);
    const out = [];
    for (const p of paths) {
      if (!Array.isArray(p)) continue;
      for (const i of p) if (ok(i) && !seen[i]) { seen[i] = 1; out.push(i); }
    }
    return out;
  }
  const p = paths[start];
  return Array.isArray(p) ? p.filter(ok) : [];
}

/// The nearest of `records` (edges with x1 y1 x2 y2) to the point p within `tol`, or null.
export function nearestEdge(records, p, tol) {
  let best = null;
  let bestD = tol * tol;
  for (const r of records) {
    if (p.x < Math.min(r.x1, r.x2) - tol || p.x > Math.max(r.x1, r.x2) + tol) continue;
    if (p.y < Math.min(r.y1, r.y2) - tol || p.y > Math.max(r.y1, r.y2) + tol) continue;
    const dx = r.x2 - r.x1;
    const dy = r.y2 - r.y1;
    const len2 = dx * dx + dy * dy;
    let t = len2 > 0 ? ((p.x - r.x1) * dx + (p.y - r.y1) * dy) / len2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    const ex = r.x1 + t * dx - p.x;
    const ey = r.y1 + t * dy - p.y;
    const d = ex * ex + ey * ey;
    if (d <= bestD) { bestD = d; best = r; }
  }
  return best;
}

/// The name of the nearest node to p within `tol` (FFN squares only where hasFfn(name)), or null.
export function nearestNode(geometry, p, tol, hasFfn) {
  const { nTokens, nLayers } = geometry;
  if (!nTokens || !nLayers) return null;
  const t0 = Math.round((p.x - MARGIN_LEFT) / CELL - 0.5);
  const lf = nLayers - 1 - Math.floor((p.y - geometry.top) / CELL);
  let best = null;
  let bestD = tol * tol;
  const consider = (name) => {
    const q = geometry.nodePos(name);
    if (!q) return;
    const d = (q.x - p.x) ** 2 + (q.y - p.y) ** 2;
    if (d <= bestD) { bestD = d; best = name; }
  };
  for (let t = Math.max(0, t0 - 1); t <= Math.min(nTokens - 1, t0 + 1); t++) {
    for (let l = Math.max(0, lf - 1); l <= Math.min(nLayers - 1, lf + 1); l++) {
      consider(`A${l}_${t}`);
      consider(`I${l}_${t}`);
      if (hasFfn(`M${l}_${t}`)) consider(`M${l}_${t}`);
    }
    consider(`X0_${t}`);
  }
  return best;
}

/**
 * The transform {k, x, y} that fits content (width × height) into a box (w × h), centred, 8 px of padding; the
 * legend overlay (legendW × legendH at the top right) is kept off the graph: the graph moves left when there is
 * room, else shrinks into the area below the legend (when that costs at most 40% of the size).
 */
export function fitView({ w, h }, { width, height }, { legendW, legendH }) {
  const pad = 8;
  const bounded = (k) => Math.max(MIN_SCALE_ABS, Math.min(MAX_SCALE, k));
  let k = bounded(Math.min((w - 2 * pad) / width, (h - 2 * pad) / height));
  let x = (w - width * k) / 2;
  let y = (h - height * k) / 2;
  const legendLeft = w - legendW - 8;
  const legendBottom = 8 + legendH + 8;
  if (x + width * k > legendLeft && y < legendBottom) {
    if (legendLeft - pad >= width * k) {
      x = Math.max(pad, legendLeft - 8 - width * k);
    } else {
      const avail = h - legendBottom - pad;
      const k2 = bounded(Math.min((w - 2 * pad) / width, avail / height));
      if (k2 >= k * 0.6) {
        k = k2;
        x = (w - width * k) / 2;
        y = legendBottom + (avail - height * k) / 2;
      }
    }
  }
  return { k, x, y };
}
