// A trend chart's scales: x one position per checkpoint in training order (inset from the axis ends so the labels
// fit), y round ticks covering the trend's values (from 0 for counts); the SVG path through the values. Pure: no DOM.
import { isNum } from '../../../core/format.js';
import { linearScale, niceTicks, valueRange } from '../../../components/chart-scales.js';

export const TREND_MARGIN = { left: 60, right: 14, top: 40, bottom: 38 };
const INSET = 18; // px between the y axis (and the plot's right end) and the first (last) checkpoint

/// Round ticks as niceTicks makes them, with a whole step (a count's axis has no 2.5).
export function wholeTicks(lo, hi, count = 4) {
  const nice = niceTicks(lo, hi, count);
  if (Number.isInteger(nice.step)) return nice;
  const step = nice.step < 1 ? 1 : nice.step * 2; // the only other step that is not whole: 2.5 → 5
  const start = Math.floor(lo / step) * step, end = Math.max(start + step, Math.ceil(hi / step) * step);
  const ticks = [];
  for (let v = start; v <= end; v += step) ticks.push(v);
  return { lo: start, hi: end, ticks, step };
}

/// {m, width, height, plotW, plotH, x(index), y(value), yTicks} for a trend's values (null: missing) over `count`
/// checkpoints; count: the values are counts (the axis starts at 0 and reaches 1 at least).
export function trendScales(values, count, width, height, { count: isCount = false } = {}) {
  const m = TREND_MARGIN;
  const plotW = width - m.left - m.right, plotH = height - m.top - m.bottom;
  let [lo, hi] = valueRange([values]);
  if (isCount) {
    lo = Math.min(0, lo);
    hi = Math.max(hi, 1);
  }
  const yTicks = isCount ? wholeTicks(lo, hi) : niceTicks(lo, hi, 4);
  return { m, width, height, plotW, plotH, yTicks,
    x: linearScale([0, Math.max(0, count - 1)], [m.left + INSET, m.left + plotW - INSET]),
    y: linearScale([yTicks.lo, yTicks.hi], [m.top + plotH, m.top]) };
}

/// SVG path data through the values in checkpoint order ("M x,y L x,y …"; a missing value lifts the pen).
export function trendPath(values, sc) {
  let d = '', pen = false;
  values.forEach((v, i) => {
    if (!isNum(v)) { pen = false; return; }
    d += `${pen ? 'L' : 'M'}${sc.x(i).toFixed(2)},${sc.y(v).toFixed(2)}`;
    pen = true;
  });
  return d;
}
