// Colour scales: sequential look-up tables (ColorBrewer Blues/Greens, as plotly/matplotlib), the diverging
// red–white–blue scale, the white→green dots of heads and neurons, categorical cluster colours, and linear mixes.
// Pure: no DOM.
import { isNum } from '../core/format.js';

export const SCHEMES = {
  blues: ['#f7fbff', '#deebf7', '#c6dbef', '#9ecae1', '#6baed6', '#4292c6', '#2171b5', '#08519c', '#08306b'],
  greens: ['#f7fcf5', '#e5f5e0', '#c7e9c0', '#a1d99b', '#74c476', '#41ab5d', '#238b45', '#006d2c', '#00441b'],
};

export function hexToRgb(hex) {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

function hexByte(v) {
  const s = Math.round(v).toString(16);
  return s.length < 2 ? '0' + s : s;
}

/// The colour a fraction t ∈ [0, 1] of the way from rgb `lo` to rgb `hi`, as #rrggbb.
export function mixHex(lo, hi, t) {
  return '#' + [0, 1, 2].map((k) => hexByte(lo[k] + (hi[k] - lo[k]) * t)).join('');
}

/// rgb of `stops` (an array of #rrggbb) at t ∈ [0, 1], interpolated linearly between neighbouring stops.
function interpolate(stops, t) {
  const pos = t * (stops.length - 1);
  const i = Math.min(Math.floor(pos), stops.length - 2);
  const f = pos - i;
  const a = stops[i], b = stops[i + 1];
  return a.map((v, k) => Math.round(v + (b[k] - v) * f));
}

const LUTS = new Map();

/** 256-entry look-up table of a scheme: {name, stops, rgb: [[r,g,b]…], u32: Uint32Array (ImageData byte order), css}. */
export function lut(name) {
  const key = SCHEMES[name] ? name : 'blues';
  if (LUTS.has(key)) return LUTS.get(key);
  const stops = SCHEMES[key].map(hexToRgb);
  const rgb = [];
  const u32 = new Uint32Array(256);
  const bytes = new Uint8Array(u32.buffer);
  for (let i = 0; i < 256; i++) {
    const c = interpolate(stops, i / 255);
    rgb.push(c);
    bytes.set([c[0], c[1], c[2], 255], i * 4);
  }
  const css = rgb.map((c) => '#' + c.map((x) => x.toString(16).padStart(2, '0')).join(''));
  const entry = { name: key, stops: SCHEMES[key], rgb, u32, css };
  LUTS.set(key, entry);
  return entry;
}

/** Index 0..255 of value v on a scale (255 / max); NaN, negatives and a non-positive scale map to 0. */
export function lutIndex(v, scale) {
  const t = v * scale;
  if (!(t > 0)) return 0;
  if (t >= 255) return 255;
  return (t + 0.5) | 0;
}

const RDBU = ['#b2182b', '#d6604d', '#f4a582', '#fddbc7', '#f7f7f7', '#d1e5f0', '#92c5de', '#4393c3', '#2166ac'];
const RDBU_RGB = RDBU.map(hexToRgb);

/// Diverging red – white – blue for t in [-1, 1] (ColorBrewer RdBu): negative red, positive blue.
export function diverging(t) {
  const x = Math.max(-1, Math.min(1, isNum(t) ? t : 0));
  const c = interpolate(RDBU_RGB, (x + 1) / 2);
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/// Dark text on light diverging cells, white on dark ones.
export function divergingText(t) {
  return Math.abs(isNum(t) ? t : 0) > 0.6 ? '#ffffff' : '#1b1b1b';
}

/// A CSS gradient of the whole diverging scale (legends).
export function divergingGradient() {
  return `linear-gradient(to right, ${RDBU.join(', ')})`;
}

/// A CSS gradient of the diverging scale's positive half (variances: 0 to the largest).
export function positiveGradient() {
  return `linear-gradient(to right, ${diverging(0)}, ${diverging(0.5)}, ${diverging(1)})`;
}

/// White → green for a level in [0, 1] (the heads' and neurons' dots, as LLM-TT's YlGn scale).
export function greenScale(level) {
  const t = Math.max(0, Math.min(1, level));
  const r = Math.round(255 - t * (255 - 49));
  const g = Math.round(255 - t * (255 - 163));
  const b = Math.round(229 - t * (229 - 84));
  return `rgb(${r},${g},${b})`;
}

/// Twelve light categorical colours (ColorBrewer Set3) for cluster ids and aligned groups.
export const CLUSTER_COLORS = ['#8dd3c7', '#ffffb3', '#bebada', '#fb8072', '#80b1d3', '#fdb462',
                               '#b3de69', '#fccde5', '#d9d9d9', '#bc80bd', '#ccebc5', '#ffed6f'];

export function clusterColor(id) {
  return isNum(id) ? CLUSTER_COLORS[id % CLUSTER_COLORS.length] : '#f4f6f8';
}
