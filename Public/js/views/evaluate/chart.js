// The deletion and insertion charts (inline SVG) and their shared legend: per chart the random orders' min–max band
// (grey) and mean (dashed grey) under one line per method, x the fraction k/n of positions perturbed, y f; a guide
// line and a hover surface for the values at a step.
import { el, svgEl } from '../../core/dom.js';
import { SVG_FONT_FAMILY } from '../../core/fonts.js';
import { num } from '../../core/format.js';
import { fractionAxes } from '../../components/chart-axes.js';
import { bandPath, linePath } from './curve-data.js';
import { beatsText } from './evaluation-data.js';

export const BAND_FILL = '#dddddd';
export const RANDOM_STROKE = '#888888';

const TITLES = {
  deletion: ['Deletion', 'fraction of positions replaced by the baseline (top-ranked first)', 'lower area is better'],
  insertion: ['Insertion', 'fraction of positions restored from the baseline (top-ranked first)', 'higher area is better'],
};

function axes(sc, kind) {
  const { m, plotW } = sc;
  const [title, xLabel, better] = TITLES[kind];
  const { g, text } = fractionAxes(sc, 'eval-axes', { xLabel, yLabel: 'f' });
  text({ x: m.left, y: 14, 'font-weight': 600, fill: '#222' }, `${title} curve`);
  text({ x: m.left + plotW, y: 14, 'text-anchor': 'end', fill: '#666' }, better);
  return g;
}

/// One chart: {svg, guide, surface}. series: curve-data.js curveSeries; sc: its curveScales.
export function curveChart(series, sc) {
  const { m, plotW, plotH, width, height, n } = sc;
  const svg = svgEl('svg', {
    id: `eval-${series.kind}-chart`, class: 'eval-chart', width, height, viewBox: `0 0 ${width} ${height}`, tabindex: 0,
    role: 'img', 'data-kind': series.kind, 'data-steps': n + 1, 'data-methods': series.methods.length,
    'aria-label': `${series.kind} curves of ${series.methods.map((s) => s.label).join(', ')} and ${series.random.count} ` +
      'random orders; arrow keys step through the fractions',
    'font-family': SVG_FONT_FAMILY, 'font-size': 11,
  });
  svg.append(svgEl('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }), axes(sc, series.kind));
  const { band } = series.random;
  if (series.random.count) {
    const bandElement = svgEl('path', { class: 'eval-band', d: bandPath(band.lower, band.upper, sc), fill: BAND_FILL,
      stroke: 'none' });
    bandElement.append(svgEl('title', {}, `${series.random.count} random orders: min–max at every step`));
    const mean = svgEl('path', { class: 'eval-random-mean', d: linePath(band.mean, sc), fill: 'none', stroke: RANDOM_STROKE,
      'stroke-width': 1.5, 'stroke-dasharray': '4 3', 'data-auc': series.random.meanAuc });
    mean.append(svgEl('title', {}, `random orders' mean: AUC ${num(series.random.meanAuc, 4)}`));
    svg.append(bandElement, mean);
  }
  for (const s of series.methods) {
    const path = svgEl('path', { class: 'eval-curve', 'data-method': s.key, 'data-auc': s.auc, d: linePath(s.values, sc),
      fill: 'none', stroke: s.color, 'stroke-width': 2, 'stroke-linejoin': 'round' });
    path.append(svgEl('title', {}, `${s.label}: AUC ${num(s.auc, 4)}`));
    svg.append(path);
  }
  const guide = svgEl('line', { class: 'eval-guide', y1: m.top, y2: m.top + plotH, stroke: '#ff8c00', 'stroke-width': 1,
    visibility: 'hidden' });
  const surface = svgEl('rect', { class: 'eval-surface', x: m.left - 6, y: m.top, width: plotW + 12, height: plotH,
    fill: 'transparent' });
  svg.append(guide, surface);
  return { svg, guide, surface };
}

function sample(stroke, dash, band) {
  const s = svgEl('svg', { width: 28, height: 12, 'aria-hidden': 'true' });
  if (band) s.append(svgEl('rect', { x: 1, y: 1, width: 26, height: 10, fill: BAND_FILL }));
  s.append(svgEl('line', { x1: 1, y1: 6, x2: 27, y2: 6, stroke, 'stroke-width': 2.5, 'stroke-dasharray': dash }));
  return s;
}

/// The legend of both charts: per method its colour and both areas with how many random orders each beats, then
/// the random orders (band and mean) with their mean areas.
export function curveLegend(rows, random) {
  const list = el('ul', 'eval-legend', { id: 'eval-legend' });
  for (const row of rows) {
    const li = el('li', null, { 'data-method': row.method, 'data-deletion-auc': row.deletionAuc,
      'data-insertion-auc': row.insertionAuc });
    const beats = (kind) => beatsText(kind, row[`${kind}Beats`], row.randomCount);
    li.append(sample(row.color, null, false), el('b', null, null, row.label),
      document.createTextNode(` deletion AUC ${num(row.deletionAuc, 4)} (${beats('deletion')})` +
        ` · insertion AUC ${num(row.insertionAuc, 4)} (${beats('insertion')})`));
    list.append(li);
  }
  const li = el('li', 'eval-legend-random', { 'data-series': 'random', 'data-deletion-auc': random.deletionAuc,
    'data-insertion-auc': random.insertionAuc });
  li.append(sample(RANDOM_STROKE, '4 3', true), el('b', null, null, `random orders (${random.count})`),
    document.createTextNode(` band: min–max at every step, dashed: their mean · mean deletion AUC ${num(random.deletionAuc, 4)}` +
      ` · mean insertion AUC ${num(random.insertionAuc, 4)}`));
  list.append(li);
  return list;
}
