// The layer-flow view's numbers (GET /api/runs/{id}/flow: per layer, per position, cos(input, output), the
// relative update, the attention and FFN shares…): the series drawn, the picked values, the axes' ticks and the
// CSV. Pure: no DOM.
import { isNum } from '../../core/format.js';

export const SERIES = [
  { key: 'cos', label: 'cos(input, output)', axis: 'left', color: '#2171b5', dash: null },
  { key: 'attention_share', label: 'attention share ‖attn‖ / (‖attn‖ + ‖FFN‖)', axis: 'left', color: '#238b45', dash: null },
  { key: 'relative_update', label: 'relative update ‖out − in‖ / ‖in‖', axis: 'right', color: '#d95f02', dash: '6 4' },
];
const FIELDS = ['cos', 'information_loss', 'relative_update', 'attention_share', 'ffn_share'];

/// About `count` round tick values covering [lo, hi]: {lo, hi, ticks, step}.
export function niceTicks(lo, hi, count = 5) {
  if (!(hi > lo)) hi = lo + 1;
  const raw = (hi - lo) / count;
  const base = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * base).find((s) => s >= raw) || 10 * base;
  const start = Math.floor(lo / step + 1e-9) * step, end = Math.ceil(hi / step - 1e-9) * step;
  const ticks = [];
  for (let v = start; v <= end + step / 2; v += step) ticks.push(Math.abs(v) < step * 1e-6 ? 0 : Number(v.toPrecision(12)));
  return { lo: start, hi: end, ticks, step };
}

/// A tick's label with as many decimals as the step needs (− for minus).
export function tickText(v, step) {
  const exponent = Math.floor(Math.log10(step) + 1e-9);
  const quarter = Math.abs(step / 10 ** exponent - 2.5) < 1e-6 ? 1 : 0;
  const digits = Math.max(0, Math.min(4, -exponent + quarter));
  return v.toFixed(digits).replace('-', '−');
}

/// A layer's value for the chosen position, or the mean of its finite values over the positions ('mean').
export function pick(layer, key, position) {
  const values = layer[key] || [];
  if (position !== 'mean') return isNum(values[position]) ? values[position] : null;
  const finite = values.filter(isNum);
  return finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : null;
}

/// Per series, the value at every layer (null where missing).
export function seriesValues(data, position) {
  return SERIES.map((s) => ({ ...s, values: data.layers.map((layer) => pick(layer, s.key, position)) }));
}

/// The CSV rows: a row per layer with the position and every field.
export function flowCSVRows(data, position) {
  return [['layer', 'position', ...FIELDS],
    ...data.layers.map((layer) => [layer.layer, position, ...FIELDS.map((f) => pick(layer, f, position) ?? '')])];
}

/// The chart's scales for a width: margins, plot size, x of a layer, y of a left- and a right-axis value, ticks.
export function chartScales(series, layerCount, width, height = 340) {
  const m = { left: 56, right: 60, top: 14, bottom: 46 };
  const plotW = width - m.left - m.right, plotH = height - m.top - m.bottom;
  const values = (axis) => series.filter((s) => s.axis === axis).flatMap((s) => s.values).filter(isNum);
  const leftValues = values('left'), rightValues = values('right');
  const left = niceTicks(Math.min(0, ...leftValues), Math.max(1, ...leftValues), 5);
  const right = niceTicks(0, Math.max(1e-9, ...rightValues), 5);
  const L = layerCount;
  const x = (l) => m.left + (L > 1 ? (l / (L - 1)) * plotW : plotW / 2);
  const y = (ticks) => (v) => m.top + plotH - ((v - ticks.lo) / (ticks.hi - ticks.lo)) * plotH;
  return { m, plotW, plotH, width, height, L, x, left, right, yLeft: y(left), yRight: y(right) };
}
