// One trend of a checkpoint series as an SVG line chart: its name and direction (rising, falling, flat, mixed) as
// the title, its caption under it, the checkpoints on x (their short labels, the full names on hover), a line and
// a point per checkpoint with its exact value. Standalone, so that its SVG and PNG exports read on their own.
import { svgEl } from '../../../core/dom.js';
import { SVG_FONT_FAMILY } from '../../../core/fonts.js';
import { num } from '../../../core/format.js';
import { categoryAxes } from '../../../components/chart-axes.js';
import { DIRECTIONS } from './checkpoints-data.js';
import { trendPath, trendScales } from './trend-scales.js';

export const TREND_COLOR = '#2f6db3';
export const DIRECTION_COLORS = { rising: '#1b7a3a', falling: '#b3361b', flat: '#5a6570', mixed: '#7a5a00' };

function points(trend, names, sc) {
  const g = svgEl('g', { class: 'trend-points' });
  trend.values.forEach((v, i) => {
    if (v === null) return;
    const c = svgEl('circle', { class: 'trend-point', 'data-index': i, 'data-checkpoint': names[i], 'data-value': v,
      cx: sc.x(i).toFixed(2), cy: sc.y(v).toFixed(2), r: 3.5, fill: '#ffffff', stroke: TREND_COLOR, 'stroke-width': 2 });
    c.append(svgEl('title', {}, `${names[i]} · ${trend.label}: ${trend.count ? v : num(v, 5)}`));
    g.append(c);
  });
  return g;
}

/// The chart (width × height px) of trend (checkpoints-data.js trendRows) over the checkpoints' names, labelled on x
/// by labels (shortLabels); missing: what to say when the trend has no value at all.
export function trendChart(trend, names, labels, { width, height, missing }) {
  const sc = trendScales(trend.values, names.length, width, height, { count: trend.count });
  const direction = trend.measured ? DIRECTIONS[trend.direction] : null;
  const svg = svgEl('svg', { id: `checkpoints-trend-${trend.name}`, class: 'trend-chart', width, height,
    viewBox: `0 0 ${width} ${height}`, role: 'img', 'data-trend': trend.name,
    'data-direction': trend.measured ? trend.direction : 'unmeasured',
    'aria-label': `${trend.label} over ${names.length} checkpoints: ${direction ? direction.text : missing}`,
    'font-family': SVG_FONT_FAMILY, 'font-size': 11 });
  svg.append(svgEl('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }));
  const title = svgEl('text', { class: 'trend-title', x: 8, y: 15, 'font-size': 13, 'font-weight': 600, fill: '#222' }, trend.label);
  if (direction) {
    title.append(svgEl('tspan', { class: 'trend-direction', dx: 8, 'font-weight': 600, fill: DIRECTION_COLORS[trend.direction] },
      `${direction.arrow} ${direction.text}`));
  }
  svg.append(title, svgEl('text', { class: 'trend-caption', x: 8, y: 29, 'font-size': 10, fill: '#5a6570' }, trend.caption));
  const { g: axes } = categoryAxes(sc, 'trend-axes', labels.map((label, i) => ({ label, title: names[i] })),
    { xLabel: 'checkpoint (training order)', yLabel: trend.unit });
  svg.append(axes);
  if (!trend.measured) {
    svg.append(svgEl('text', { class: 'trend-missing', x: sc.m.left + sc.plotW / 2, y: sc.m.top + sc.plotH / 2,
      'text-anchor': 'middle', fill: '#5a6570', 'font-style': 'italic' }, missing));
    return svg;
  }
  svg.append(svgEl('path', { class: 'trend-line', d: trendPath(trend.values, sc), fill: 'none', stroke: TREND_COLOR,
    'stroke-width': 2, 'stroke-linejoin': 'round' }), points(trend, names, sc));
  return svg;
}
