// The graph diff's reading of GET /api/graph-diff: how an edge is drawn (B − A in a diverging palette: blue where B
// gains, red where it loses, width by |difference|; vanishing edges dashed, appearing ones outlined), the two
// prompts' tokens side by side, the largest differences, the caption, the CSV, and the explanation of a refused
// pair. Pure: no DOM.
import { diverging } from '../../components/color-scales.js';
import { num } from '../../core/format.js';
import { edgeKey } from './graph-diff-state.js';

export const NO_CHANGE = '#bdbdbd';
export const OUTLINE = '#1b1b1b';
export const VANISH_DASH = '5 3';
const LIGHTEST = 0.35; // the palette's position of the smallest change (lighter would vanish on white)
export const EXAMPLE_PAIR = ['The doctor said that she', 'The nurse said that she'];

/// The largest |difference| of the edges (the palette's and widths' full scale), at least 1e-9.
export function diffScale(edges) {
  let max = 1e-9;
  for (const e of edges) max = Math.max(max, Math.abs(e.difference) || 0);
  return max;
}

/// {stroke, width, dash, outline} of an edge for a scale: the colour's side and depth and the width by the
/// difference, a dash for a vanishing edge, an outline (a dark casing) for an appearing one.
export function edgeStyle(edge, scale) {
  const d = Number(edge.difference) || 0;
  const t = Math.min(1, Math.abs(d) / scale);
  const stroke = Math.abs(d) < 1e-9 ? NO_CHANGE : diverging(Math.sign(d) * (LIGHTEST + (1 - LIGHTEST) * t));
  return { stroke, width: 1.25 + 4 * t, dash: edge.change === 'vanishes' ? VANISH_DASH : null,
    outline: edge.change === 'appears' };
}

/// The edges in drawing order (smallest |difference| first, so that the large ones stay on top), each with its
/// index in the response.
export function drawingOrder(edges) {
  return edges.map((e, index) => ({ ...e, index })).sort((x, y) => Math.abs(x.difference) - Math.abs(y.difference));
}

/// Position by position the two prompts' tokens: [{a, b, same}].
export function tokenPairs(data) {
  const n = Math.max(data.a.tokens.length, data.b.tokens.length);
  return Array.from({ length: n }, (_, i) => ({ a: data.a.tokens[i] ?? '', b: data.b.tokens[i] ?? '',
    same: data.a.tokens[i] === data.b.tokens[i] }));
}

/// The graph's axis labels: a token both prompts share, else "a/b".
export function axisLabels(data) {
  return tokenPairs(data).map((p) => (p.same ? p.a : `${p.a}/${p.b}`));
}

/// The largest differences, largest |difference| first: [{rank, index, key, ...edge}].
export function largestRows(data) {
  return data.largest.map((index, rank) => ({ rank: rank + 1, index, key: edgeKey(data.edges[index]), ...data.edges[index] }));
}

/// The index of the edge with a key, or -1.
export function edgeIndex(data, key) {
  return key ? data.edges.findIndex((e) => edgeKey(e) === key) : -1;
}

/// "505 edges: 471 in both, 21 appear, 13 vanish · threshold 0.04, renormalised".
export function diffCaption(data) {
  const c = data.counts;
  return `${data.edges.length} edges: ${c.both} in both, ${c.appears} appear, ${c.vanishes} vanish · ` +
    `threshold ${data.threshold.toFixed(2)}${data.renormalize ? ', renormalised' : ''} · ${data.layers} layers`;
}

/// An edge's one-line description (the tooltips, the list's titles).
export function edgeText(e) {
  const change = e.change === 'appears' ? ' (appears in B)' : e.change === 'vanishes' ? ' (vanishes in B)' : '';
  return `${e.source} → ${e.target} ${e.kind}: A ${num(e.weight_a)} → B ${num(e.weight_b)}, Δ ${num(e.difference)}${change}`;
}

/// Every edge as CSV rows.
export function diffCSVRows(data) {
  return [['source', 'target', 'kind', 'weight_a', 'weight_b', 'difference', 'change'],
    ...data.edges.map((e) => [e.source, e.target, e.kind, e.weight_a, e.weight_b, e.difference, e.change])];
}

/// What to tell the user when the server refuses a pair: {title, lines}. runs: {a, b} history entries or null.
export function refusalText(error, runs = {}) {
  const parameter = error?.details?.parameter;
  if (error?.status === 400 && parameter === 'b') {
    const counts = runs.a && runs.b ? ` Run A has ${runs.a.tokens} tokens, run B ${runs.b.tokens}.` : '';
    return { title: 'These two runs cannot be diffed', lines: [
      `A graph diff compares two runs node by node, so both need the same number of tokens and layers.${counts}`,
      `Pick a run of the same length, e.g. a prompt pair like "${EXAMPLE_PAIR[0]}" / "${EXAMPLE_PAIR[1]}" on one model.`,
      `The server says: ${error.message}`] };
  }
  if (error?.status === 404) {
    return { title: 'A run is not on this server', lines: [
      `${error.message}. The server's cache may have dropped it: run its prompt again and diff the new run.`] };
  }
  return { title: error?.status ? `${error.status} ${error.code || 'error'}` : 'Error', lines: [error?.message || String(error)] };
}
