// The contribution graph's legend (SVG): the edge colour scales, the node kinds. Drawn as a fixed overlay at the top
// right and into the exported SVG.
import { svgEl } from '../../core/dom.js';
import { SVG_FONT_FAMILY } from '../../core/fonts.js';
import { mixHex } from '../../components/color-scales.js';
import { ATTN_HIGH, ATTN_LOW, COLORS, FFN_HIGH, FFN_LOW } from './style.js';

export const LEGEND_W = 244;
export const LEGEND_H = 58;

function gradient(id, lo, hi) {
  const lg = svgEl('linearGradient', { id, x1: 0, x2: 1, y1: 0, y2: 0 });
  lg.append(svgEl('stop', { offset: 0, 'stop-color': mixHex(lo, hi, 0) }), svgEl('stop', { offset: 1, 'stop-color': mixHex(lo, hi, 1) }));
  return lg;
}

/// The legend group; `id` makes its gradient ids unique in the document.
export function buildLegend(id) {
  const g = svgEl('g', { class: 'gb-legend', 'font-family': SVG_FONT_FAMILY, 'font-size': 10, fill: COLORS.label });
  const defs = svgEl('defs');
  defs.append(gradient(`gb-leg-attn-${id}`, ATTN_LOW, ATTN_HIGH), gradient(`gb-leg-ffn-${id}`, FFN_LOW, FFN_HIGH));
  g.appendChild(defs);
  g.appendChild(svgEl('rect', { x: 0, y: 0, width: LEGEND_W, height: LEGEND_H, rx: 5, fill: 'white',
    'fill-opacity': 0.88, stroke: '#d0d0d0', 'stroke-width': 1 }));
  const text = (x, y, s, anchor = 'start') => g.appendChild(svgEl('text', { x, y, 'text-anchor': anchor, 'dominant-baseline': 'central' }, s));
  text(8, 12, 'attention / residual');
  g.appendChild(svgEl('rect', { x: 128, y: 7, width: 76, height: 10, fill: `url(#gb-leg-attn-${id})` }));
  text(8, 28, 'FFN');
  g.appendChild(svgEl('rect', { x: 128, y: 23, width: 76, height: 10, fill: `url(#gb-leg-ffn-${id})` }));
  text(124, 12, '0', 'end');
  text(124, 28, '0', 'end');
  text(208, 12, '≥0.5');
  text(208, 28, '≥0.5');
  const nodeSwatch = (x, fill, label) => {
    g.appendChild(svgEl('circle', { cx: x, cy: 45, r: 4, fill, stroke: COLORS.nodeStroke, 'stroke-width': 0.75 }));
    text(x + 7, 45, label);
  };
  nodeSwatch(12, COLORS.active, 'on path');
  nodeSwatch(70, COLORS.inactive, 'off path');
  g.appendChild(svgEl('rect', { x: 125, y: 42, width: 6, height: 6, fill: COLORS.ffnNode, stroke: COLORS.nodeStroke,
    'stroke-width': 0.75 }));
  text(135, 45, 'FFN');
  nodeSwatch(170, COLORS.selected, 'selected');
  return g;
}
