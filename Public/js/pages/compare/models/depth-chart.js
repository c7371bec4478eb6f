// The Models mode's depth chart (SVG): the chosen metric's per-layer mean of each model on one relative-depth axis,
// a line and a point per layer for each model, and a dashed marker where each model's logit lens settles on its
// prediction.
import { svgEl } from '../../../core/dom.js';
import { SVG_FONT_FAMILY } from '../../../core/fonts.js';
import { fmt } from '../../../core/format.js';
import { fractionAxes } from '../../../components/chart-axes.js';
import { depthPath, depthScales } from './depth-scales.js';

function seriesGroup(s, sc, metricLabel) {
  const g = svgEl('g', { class: 'depth-series', 'data-side': s.side });
  g.append(svgEl('path', { class: 'depth-line', 'data-side': s.side, 'data-model': s.model, d: depthPath(s.points, sc),
    fill: 'none', stroke: s.color, 'stroke-width': 2, 'stroke-linejoin': 'round' }));
  for (const p of s.points) {
    if (p.value === null) continue;
    const c = svgEl('circle', { class: 'depth-point', 'data-side': s.side, 'data-layer': p.layer, 'data-depth': p.depth,
      'data-value': p.value, cx: sc.x(p.depth).toFixed(2), cy: sc.y(p.value).toFixed(2), r: 3.5, fill: '#ffffff',
      stroke: s.color, 'stroke-width': 2 });
    c.append(svgEl('title', {}, `${s.model} L${p.layer} (depth ${fmt(p.depth, 3)}) · ${metricLabel}: ${fmt(p.value, 4)}`));
    g.append(c);
  }
  return g;
}

function settleMarker(marker, sc, row) {
  const x = sc.x(marker.depth);
  const g = svgEl('g', { class: 'settle-marker', 'data-side': marker.side, 'data-depth': marker.depth });
  g.append(svgEl('line', { x1: x, x2: x, y1: sc.m.top, y2: sc.m.top + sc.plotH, stroke: marker.color, 'stroke-width': 1.5,
    'stroke-dasharray': '5 4' }),
  svgEl('text', { x: x - 4, y: sc.m.top + 10 + row * 13, 'text-anchor': 'end', fill: marker.color, 'font-size': 10 },
    `${'AB'[marker.side]}: lens settles`),
  svgEl('title', {}, `${marker.model}: the logit lens settles on ${marker.token} at layer ${marker.layer} (depth ${fmt(marker.depth, 3)})`));
  return g;
}

/// The chart as an <svg> (width × height px) for series (models-data.js depthSeries) and settle markers.
export function depthChart(series, markers, { width, height, metricLabel }) {
  const sc = depthScales(series, width, height);
  const svg = svgEl('svg', { id: 'models-depth-chart', class: 'depth-chart', width, height, viewBox: `0 0 ${width} ${height}`,
    role: 'img', 'aria-label': `${metricLabel} per layer of ${series.map((s) => s.model).join(' and ')} by relative depth`,
    'data-series': series.length, 'font-family': SVG_FONT_FAMILY, 'font-size': 11 });
  const { g: axes } = fractionAxes(sc, 'depth-axes', { xLabel: 'relative depth (layer + 1) / L', yLabel: `${metricLabel} (mean over heads)` });
  svg.append(svgEl('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }), axes);
  markers.filter((mk) => mk.depth !== null).forEach((mk, row) => svg.append(settleMarker(mk, sc, row)));
  for (const s of series) svg.append(seriesGroup(s, sc, metricLabel));
  return svg;
}
