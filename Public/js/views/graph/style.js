// The contribution graph's colours (LLM-TT's): nodes, markers, and the edge scales, light at weight 0 and
// saturating at 0.5. Colours are SVG attributes so that an exported SVG needs no stylesheet. Pure: no DOM.
import { mixHex } from '../../components/color-scales.js';

export const COLORS = {
  band: '#f0f5f0',
  active: 'yellowgreen',
  inactive: 'lightgray',
  selected: 'orange',
  ffnNode: 'orchid',
  marker: 'lightblue',
  nodeStroke: '#3c3c3c',
  inactiveStroke: '#a8a8a8',
  label: '#333',
  layerLabel: '#555',
  faint: '#999',
};
export const ATTN_LOW = [0x9e, 0xba, 0x66]; // #9eba66
export const ATTN_HIGH = [0x55, 0x6b, 0x2f]; // darkolivegreen
export const FFN_LOW = [0xda, 0x70, 0xd6]; // orchid
export const FFN_HIGH = [0x80, 0x00, 0x80]; // purple

function saturation(weight) {
  const t = (Number.isFinite(weight) ? weight : 0) / 0.5;
  return t > 0 ? (t < 1 ? t : 1) : 0;
}

/** Colour of an edge: weight 0 → light, saturating at 0.5. */
export function edgeColor(kind, weight) {
  const t = saturation(weight);
  return kind === 'ffn' ? mixHex(FFN_LOW, FFN_HIGH, t) : mixHex(ATTN_LOW, ATTN_HIGH, t);
}

/** Stroke width of an edge in user units: 2 → 3, saturating at weight 0.5. */
export function edgeWidth(weight) {
  return 2 + saturation(weight);
}
