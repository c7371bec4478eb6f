// The layer-flow chart (SVG): a line per series over the layers, the left axis for cos and the attention share,
// the right one for the relative update, a guide line for the hovered layer.
import { svgEl } from '../../core/dom.js';
import { fmt, isNum } from '../../core/format.js';
import { SERIES, tickText } from './flow-data.js';

function axes(sc) {
  const { m, plotW, plotH, width, height, L, x } = sc;
  const g = svgEl('g', { class: 'flow-axes', fill: '#444' });
  const line = (x1, x2, y1, y2, stroke) => g.append(svgEl('line', { x1, x2, y1, y2, stroke }));
  const text = (attrs, s) => g.append(svgEl('text', attrs, s));
  for (const t of sc.left.ticks) {
    const y = sc.yLeft(t);
    line(m.left, m.left + plotW, y, y, t === 0 ? '#b9c3b9' : '#e6ece6');
    text({ x: m.left - 6, y: y + 4, 'text-anchor': 'end' }, tickText(t, sc.left.step));
  }
  for (const t of sc.right.ticks) {
    const y = sc.yRight(t);
    line(m.left + plotW, m.left + plotW + 4, y, y, '#d95f02');
    text({ x: m.left + plotW + 7, y: y + 4, fill: '#a34700' }, tickText(t, sc.right.step));
  }
  const step = Math.max(1, Math.ceil(L / Math.max(1, Math.floor(plotW / 36))));
  for (let l = 0; l < L; l += step) {
    line(x(l), x(l), m.top + plotH, m.top + plotH + 4, '#777');
    text({ x: x(l), y: m.top + plotH + 16, 'text-anchor': 'middle' }, String(l));
  }
  line(m.left, m.left, m.top, m.top + plotH, '#777');
  line(m.left + plotW, m.left + plotW, m.top, m.top + plotH, '#d95f02');
  line(m.left, m.left + plotW, m.top + plotH, m.top + plotH, '#777');
  const middle = m.top + plotH / 2;
  text({ x: m.left + plotW / 2, y: height - 8, 'text-anchor': 'middle' }, 'layer');
  text({ x: 14, y: middle, 'text-anchor': 'middle', transform: `rotate(-90 14 ${middle})` }, 'cos, attention share');
  text({ x: width - 10, y: middle, 'text-anchor': 'middle', fill: '#a34700', transform: `rotate(90 ${width - 10} ${middle})` },
    'relative update');
  return g;
}

function seriesGroup(s, sc) {
  const y = s.axis === 'left' ? sc.yLeft : sc.yRight;
  const g = svgEl('g', { class: 'flow-series', 'data-series': s.key });
  let d = '', pen = false;
  s.values.forEach((v, l) => {
    if (!isNum(v)) { pen = false; return; }
    d += `${pen ? 'L' : 'M'}${sc.x(l).toFixed(2)},${y(v).toFixed(2)}`;
    pen = true;
  });
  g.append(svgEl('path', { class: 'flow-line', 'data-series': s.key, d, fill: 'none', stroke: s.color, 'stroke-width': 2,
    'stroke-dasharray': s.dash, 'stroke-linejoin': 'round' }));
  s.values.forEach((v, l) => {
    if (!isNum(v)) return;
    const c = svgEl('circle', { class: 'flow-point', 'data-series': s.key, 'data-layer': l, 'data-value': v,
      cx: sc.x(l).toFixed(2), cy: y(v).toFixed(2), r: 3.5, fill: '#ffffff', stroke: s.color, 'stroke-width': 2 });
    c.append(svgEl('title', {}, `L${l} · ${s.label}: ${fmt(v, 4)}`));
    g.append(c);
  });
  return g;
}

/// The chart: {svg, guide (the hover line), surface (the hover area over the plot)}.
export function flowChart(series, sc) {
  const { m, plotW, plotH, width, height, L } = sc;
  const svg = svgEl('svg', {
    id: 'flow-svg', class: 'flow-svg', width, height, viewBox: `0 0 ${width} ${height}`, tabindex: 0, role: 'img',
    'aria-label': `layer flow chart: ${SERIES.map((s) => s.label).join(', ')} over ${L} layers; arrow keys step through the layers`,
    'data-layers': L, 'font-family': 'system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif', 'font-size': 11,
  });
  svg.append(svgEl('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }), axes(sc));
  const guide = svgEl('line', { class: 'flow-guide', y1: m.top, y2: m.top + plotH, stroke: '#ff8c00', 'stroke-width': 1,
    visibility: 'hidden' });
  svg.append(guide);
  for (const s of series) svg.append(seriesGroup(s, sc));
  const surface = svgEl('rect', { class: 'flow-surface', x: m.left - 8, y: m.top, width: plotW + 16, height: plotH,
    fill: 'transparent' });
  svg.append(surface);
  return { svg, guide, surface };
}
