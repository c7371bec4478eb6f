// The depth chart's scales: x the relative depth (layer + 1) / L from 0 to 1 (so models of different depths share
// the axis), y round ticks covering both models' values of the metric; the SVG path of a series. Pure: no DOM.
import { isNum } from '../../../core/format.js';
import { linearScale, niceTicks, valueRange } from '../../../components/chart-scales.js';

export const DEPTH_TICKS = [0, 0.25, 0.5, 0.75, 1];

/// {m, width, height, plotW, plotH, x(depth), y(value), yTicks, xTicks} for series [{points: [{depth, value}]}].
export function depthScales(series, width, height) {
  const m = { left: 54, right: 16, top: 16, bottom: 42 };
  const plotW = width - m.left - m.right, plotH = height - m.top - m.bottom;
  const [lo, hi] = valueRange(series.map((s) => s.points.map((p) => p.value)));
  const yTicks = niceTicks(Math.min(0, lo), hi, 5);
  return { m, width, height, plotW, plotH, yTicks, xTicks: DEPTH_TICKS,
    x: linearScale([0, 1], [m.left, m.left + plotW]),
    y: linearScale([yTicks.lo, yTicks.hi], [m.top + plotH, m.top]) };
}

/// SVG path data through a series' points in depth order ("M x,y L x,y …"; a missing value lifts the pen).
export function depthPath(points, sc) {
  let d = '', pen = false;
  for (const p of points) {
    if (!isNum(p.value) || !isNum(p.depth)) { pen = false; continue; }
    d += `${pen ? 'L' : 'M'}${sc.x(p.depth).toFixed(2)},${sc.y(p.value).toFixed(2)}`;
    pen = true;
  }
  return d;
}
