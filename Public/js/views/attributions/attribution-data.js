// The attributions view's numbers (GET /api/runs/{id}/attributions: {method, tokens, target {position, token {id,
// display}, objective, contrast?, f, f_baseline?}, scores, completeness_gap?, relative_completeness_gap?, flow?
// {pre, mid, post: [layer][position]}, attention_maps? [layer] of n×n}): the table's rows and order, the colour
// scale, the completeness gap, the gradient-flow and attention × gradient matrices, the caption and the exports.
// Pure: no DOM.
import { fmt, isNum, num, pct, quoted } from '../../core/format.js';
import { sortRows } from '../../components/sortable-table.js';
import { METHODS, moreSteps } from './methods.js';

export const LARGE_GAP = 0.05; // a relative completeness gap above 5 %: too few steps

/// The largest |score| (the diverging scale's end; 0 when there is none).
export function scoreScale(scores) {
  let max = 0;
  for (const v of scores || []) if (isNum(v) && Math.abs(v) > max) max = Math.abs(v);
  return max;
}

/// A score on the diverging scale: t ∈ [−1, 1] (0 for a missing score or an empty scale).
export function scaled(score, scale) {
  return isNum(score) && scale > 0 ? Math.max(-1, Math.min(1, score / scale)) : 0;
}

/// The table's rows: per position its token and every method's score (null where a method has none).
/// results: {method: body}; tokens: the run's tokens ({id, display}).
export function tableRows(tokens, results) {
  return tokens.map((token, position) => {
    const scores = {};
    for (const m of METHODS) {
      const v = results[m.key]?.scores?.[position];
      scores[m.key] = isNum(v) ? v : null;
    }
    return { position, id: token.id, token: token.display, scores };
  });
}

/// The rows in the table's order: sort = 'position' or a method (null: by position), order 'asc' | 'desc'.
export function sortedRows(rows, sort, order) {
  const byPosition = (a, b) => a.position - b.position;
  if (!sort) return rows.slice();
  const valueOf = sort === 'position' ? (row) => row.position : (row) => row.scores[sort];
  return sortRows(rows, valueOf, order !== 'asc', byPosition);
}

/// A click on a column header: that column (method columns the largest first), the other direction when it sorts.
export function nextSort(sort, order, key) {
  if (sort === key || (sort === null && key === 'position')) {
    return { sort: key, order: (sort === null ? 'asc' : order) === 'asc' ? 'desc' : 'asc' };
  }
  return { sort: key, order: key === 'position' ? 'asc' : 'desc' };
}

/// The table as CSV rows, in its order: position, token id, token, then a column per method.
export function attributionCSVRows(rows) {
  return [['position', 'token_id', 'token', ...METHODS.map((m) => m.key)],
    ...rows.map((row) => [row.position, row.id, row.token, ...METHODS.map((m) => row.scores[m.key] ?? '')])];
}

/// The completeness gap of an integrated-gradients result: {gap, relative, sum, delta, large, steps, next} or null.
export function gapInfo(result) {
  if (!result || !isNum(result.completeness_gap)) return null;
  const relative = result.relative_completeness_gap;
  const f = result.target.f, fb = result.target.f_baseline;
  const sum = (result.scores || []).reduce((a, v) => a + (isNum(v) ? v : 0), 0);
  const steps = result.steps;
  return { gap: result.completeness_gap, relative, sum, f, fBaseline: fb, delta: isNum(fb) ? f - fb : null,
    large: !isNum(relative) || Math.abs(relative) > LARGE_GAP, steps, next: moreSteps(steps) };
}

/// The gap in one line: "gap −1.688 (58.5 % of |f(E) − f(E′)|)".
export function gapText(info) {
  return `gap ${fmt(info.gap, 4)} (${isNum(info.relative) ? pct(Math.abs(info.relative), 1) : '–'} of |f(E) − f(E′)|)`;
}

/// What f is, in words: logit("x"), log p("x") or logit("a") − logit("b"), at a position after a token.
export function targetText(target, tokens) {
  const token = (t) => quoted(t?.display ?? t?.text);
  let what;
  if (target.objective === 'contrast') what = `logit(${token(target.token)}) − logit(${token(target.contrast)})`;
  else if (target.objective === 'logprob') what = `log p(${token(target.token)})`;
  else what = `logit(${token(target.token)})`;
  const after = tokens?.[target.position];
  return `f = ${what} at position ${target.position}${after !== undefined ? ` (after ${quoted(after)})` : ''} = ${num(target.f, 5)}`;
}

/// The gradient-flow map of a point (pre, mid, post) or of all three stacked, the last layer on top:
/// {values (rows·n), rows, rowLabels}.
export function flowMatrix(flow, point) {
  const layers = flow.post.length;
  const points = point === 'stacked' ? ['post', 'mid', 'pre'] : [point];
  const rows = [];
  const rowLabels = [];
  for (let l = layers - 1; l >= 0; l--) {
    for (const p of points) {
      rows.push(flow[p][l]);
      rowLabels.push(`L${l} ${p}`);
    }
  }
  const n = rows[0]?.length || 0;
  const values = new Float32Array(rows.length * n);
  rows.forEach((row, r) => row.forEach((v, t) => { values[r * n + t] = isNum(v) ? v : 0; }));
  return { values, rows: rows.length, rowLabels };
}

/// The attention × gradient map of a layer, or the sum over the layers ('sum'): n×n, row-major (q rows, k columns).
export function attentionMap(maps, layer, n) {
  const out = new Float32Array(n * n);
  const chosen = layer === 'sum' ? maps : [maps[layer] || []];
  for (const map of chosen) for (let p = 0; p < n * n; p++) if (isNum(map[p])) out[p] += map[p];
  return out;
}

/// Per layer, the sum of its gradient-flow row at a point (the map's margin).
export function flowLayerSums(flow, point) {
  return flow[point].map((row) => row.reduce((a, v) => a + (isNum(v) ? v : 0), 0));
}

/// The JSON export: the run, the parameters and every method's response.
export function attributionJSON(runId, params, results) {
  return { run: runId, parameters: params, results: Object.fromEntries(METHODS.filter((m) => results[m.key])
    .map((m) => [m.key, results[m.key]])) };
}
