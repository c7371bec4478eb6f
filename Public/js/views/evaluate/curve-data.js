// The deletion and insertion curves' numbers (docs/analyses.md §7: f after k = 0…n positions are replaced by the
// baseline row in a method's order, or restored from the all-baseline input): each method's curve and area, the
// random orders' band (min–max over the seeds at every k) and mean, the chart's scales and ticks, and the SVG path
// data. Pure: no DOM.
import { isNum } from '../../core/format.js';
import { methodInfo } from './parameters.js';
import { niceTicks, valueRange } from '../../components/chart-scales.js';

export { niceTicks, tickText, valueRange } from '../../components/chart-scales.js';

export const KINDS = ['deletion', 'insertion'];

/// Per step k, the lowest, highest and mean f over the random orders' curves (each n + 1 long):
/// {lower, upper, mean}; empty arrays without curves.
export function randomBand(curves) {
  const lower = [], upper = [], mean = [];
  const steps = curves?.[0]?.length || 0;
  for (let k = 0; k < steps; k++) {
    const values = curves.map((curve) => curve[k]).filter(isNum);
    lower.push(values.length ? Math.min(...values) : null);
    upper.push(values.length ? Math.max(...values) : null);
    mean.push(values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
  }
  return { lower, upper, mean };
}

/// One chart's series: per method (the explanation's order) {key, label, color, values, auc}, and the random
/// orders' {curves, band, meanAuc, count}. kind: deletion | insertion.
export function curveSeries(explanation, kind) {
  const methods = Object.entries(explanation.methods).map(([key, m]) => ({
    key, label: methodInfo(key).label, color: methodInfo(key).color, values: m[`${kind}_curve`], auc: m[`${kind}_auc`],
  }));
  const curves = explanation.random?.[`${kind}_curves`] || [];
  return { kind, methods, random: { curves, band: randomBand(curves), meanAuc: explanation.random?.[`${kind}_auc_mean`],
    count: curves.length } };
}

/// A chart's scales for a width and height: margins, the plot's size, x of step k of n (the fraction k/n), y of f,
/// the y ticks (round values covering every method's curve and the random band) and the x ticks (fractions).
export function curveScales(series, width, height) {
  const m = { left: 54, right: 14, top: 14, bottom: 42 };
  const plotW = width - m.left - m.right, plotH = height - m.top - m.bottom;
  const steps = series.methods[0]?.values.length || series.random.curves[0]?.length || 2;
  const n = Math.max(1, steps - 1);
  const [lo, hi] = valueRange([...series.methods.map((s) => s.values), series.random.band.lower, series.random.band.upper]);
  const yTicks = niceTicks(lo, hi, 5);
  const x = (k) => m.left + (k / n) * plotW;
  const y = (v) => m.top + plotH - ((v - yTicks.lo) / (yTicks.hi - yTicks.lo)) * plotH;
  return { m, width, height, plotW, plotH, n, x, y, yTicks, xTicks: [0, 0.25, 0.5, 0.75, 1] };
}

const fixed = (v) => Number(v.toFixed(2));

/// The points of a curve on the chart: [[x, y]] (null for a missing value, which breaks the line).
export function curvePoints(values, scales) {
  return values.map((v, k) => (isNum(v) ? [fixed(scales.x(k)), fixed(scales.y(v))] : null));
}

/// SVG path data of a curve ("M x,y L x,y …"; a missing value lifts the pen).
export function linePath(values, scales) {
  let d = '', pen = false;
  for (const point of curvePoints(values, scales)) {
    if (!point) { pen = false; continue; }
    d += `${pen ? 'L' : 'M'}${point[0]},${point[1]}`;
    pen = true;
  }
  return d;
}

/// SVG path data of the band between two curves: along the upper one, back along the lower one, closed.
export function bandPath(lower, upper, scales) {
  const top = curvePoints(upper, scales), bottom = curvePoints(lower, scales);
  if (!top.length || top.some((p) => !p) || bottom.some((p) => !p)) return '';
  const forward = top.map((p, k) => `${k === 0 ? 'M' : 'L'}${p[0]},${p[1]}`).join('');
  const back = bottom.slice().reverse().map((p) => `L${p[0]},${p[1]}`).join('');
  return `${forward}${back}Z`;
}

/// The step k whose x is nearest to a chart x coordinate.
export function nearestStep(px, scales) {
  const k = Math.round(((px - scales.m.left) / scales.plotW) * scales.n);
  return Math.max(0, Math.min(scales.n, k));
}

/// What the curves say at step k (the hover's lines): {k, fraction, methods: [{key, label, color, value}],
/// random: {lower, upper, mean}}.
export function valuesAt(series, k) {
  const band = series.random.band;
  return { k, fraction: k / Math.max(1, (series.methods[0]?.values.length || band.mean.length || 2) - 1),
    methods: series.methods.map((s) => ({ key: s.key, label: s.label, color: s.color, value: s.values[k] ?? null })),
    random: { lower: band.lower[k] ?? null, upper: band.upper[k] ?? null, mean: band.mean[k] ?? null } };
}
