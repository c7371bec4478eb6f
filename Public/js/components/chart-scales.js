// Chart scales shared by the SVG charts (the Evaluate view's curves, the Compare page's depth chart): round tick
// values covering a range, their labels, the range of some series, and a linear map from data to pixels. Pure: no DOM.
import { isNum } from '../core/format.js';

/// About `count` round tick values covering [lo, hi]: {lo, hi, ticks, step}.
export function niceTicks(lo, hi, count = 5) {
  if (!(hi > lo)) {
    const pad = Math.abs(lo) > 0 ? Math.abs(lo) * 0.05 : 0.5; // a flat curve: a small range around it
    lo -= pad;
    hi += pad;
  }
  const raw = (hi - lo) / count;
  const base = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * base).find((s) => s >= raw * (1 - 1e-9)) || 10 * base;
  const start = Math.floor(lo / step + 1e-9) * step, end = Math.ceil(hi / step - 1e-9) * step;
  const ticks = [];
  for (let v = start; v <= end + step / 2; v += step) ticks.push(Math.abs(v) < step * 1e-6 ? 0 : Number(v.toPrecision(12)));
  return { lo: ticks[0], hi: ticks[ticks.length - 1], ticks, step };
}

/// A tick's label with as many decimals as the step needs (− for minus).
export function tickText(v, step) {
  const exponent = Math.floor(Math.log10(step) + 1e-9);
  const quarter = Math.abs(step / 10 ** exponent - 2.5) < 1e-6 ? 1 : 0;
  const digits = Math.max(0, Math.min(6, -exponent + quarter));
  return v.toFixed(digits).replace('-', '−');
}

/// The smallest and largest finite value of some arrays: [lo, hi] ([0, 1] without any).
export function valueRange(arrays) {
  let lo = Infinity, hi = -Infinity;
  for (const values of arrays) for (const v of values || []) if (isNum(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  return lo <= hi ? [lo, hi] : [0, 1];
}

/// The linear map of [d0, d1] onto [r0, r1] (a flat domain maps to the middle of the range).
export function linearScale([d0, d1], [r0, r1]) {
  const span = d1 - d0;
  return (v) => (span === 0 ? (r0 + r1) / 2 : r0 + ((v - d0) / span) * (r1 - r0));
}
