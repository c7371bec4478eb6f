// The graph diff's legend: what the colours, widths, dashes and outlines of its edges mean, each with a sample drawn
// as the graph draws it (diff-data.js edgeStyle).
import { el, svgEl } from '../../core/dom.js';
import { num } from '../../core/format.js';
import { OUTLINE, edgeStyle } from './diff-data.js';

function sample(edge, scale) {
  const style = edgeStyle(edge, scale);
  const svg = svgEl('svg', { width: 34, height: 12, viewBox: '0 0 34 12', 'aria-hidden': 'true', class: 'legend-sample' });
  const line = (stroke, width, dash) => svg.append(svgEl('line', { x1: 3, y1: 6, x2: 31, y2: 6, stroke, 'stroke-width': width,
    'stroke-dasharray': dash, 'stroke-linecap': 'round' }));
  if (style.outline) line(OUTLINE, Math.min(10, style.width + 2.5), null);
  line(style.stroke, Math.min(8, style.width), style.dash);
  return svg;
}

/// Fills the legend box for a scale (the largest |difference|).
export function fillDiffLegend(box, scale) {
  const item = (edge, text, key) => {
    const span = el('span', 'legend-item', { 'data-legend': key });
    span.append(sample(edge, scale), text);
    return span;
  };
  box.replaceChildren(
    item({ difference: scale, change: 'both' }, 'B gains (Δ = B − A > 0)', 'gain'),
    item({ difference: -scale, change: 'both' }, 'B loses (Δ < 0)', 'loss'),
    item({ difference: 0, change: 'both' }, 'no change', 'same'),
    item({ difference: scale / 2, change: 'appears' }, 'appears: only in B (outlined)', 'appears'),
    item({ difference: -scale / 2, change: 'vanishes' }, 'vanishes: only in A (dashed)', 'vanishes'),
    el('span', 'legend-item muted small', { 'data-legend': 'width' }, `width and depth of colour by |Δ|, full at ${num(scale)}`));
}
