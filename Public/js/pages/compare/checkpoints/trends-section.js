// The Checkpoints mode's trends: one line chart per trend of the report over the checkpoints, each with its change
// from the first checkpoint to the last and its SVG and PNG exports.
import { button, el } from '../../../core/dom.js';
import { download, downloadPNG } from '../../../core/download.js';
import { num } from '../../../core/format.js';
import { svgDocumentText, svgPNG } from '../../../core/svg-image.js';
import { DIRECTIONS, shortLabels, trendRows } from './checkpoints-data.js';
import { trendChart } from './trend-chart.js';

const CHART_SIZE = { width: 330, height: 220 };

function missingText(trend, report) {
  return trend.name === 'redundant_heads' && !report.options.ablation ? 'not measured: ablation was off' : 'no value at any checkpoint';
}

function figure(trend, names, labels, report, { fileBase, onError }) {
  const box = el('figure', 'trend-figure', { 'data-trend': trend.name });
  const svg = trendChart(trend, names, labels, { ...CHART_SIZE, missing: missingText(trend, report) });
  const foot = el('figcaption', 'trend-foot');
  const change = trend.change === null ? '' : `last − first: ${trend.count ? trend.change : num(trend.change)}`;
  foot.append(el('span', 'muted small', { title: trend.measured ? DIRECTIONS[trend.direction].hint : null }, change));
  const svgButton = button('SVG', { id: `checkpoints-trend-${trend.name}-svg`, title: `the ${trend.label} chart as SVG` }, 'small-button');
  const pngButton = button('PNG', { id: `checkpoints-trend-${trend.name}-png`, title: `the ${trend.label} chart as PNG` }, 'small-button');
  svgButton.addEventListener('click', () => download(`${fileBase}-${trend.name}.svg`, svgDocumentText(svg), 'image/svg+xml'));
  pngButton.addEventListener('click', () => downloadPNG(`${fileBase}-${trend.name}.png`, svgPNG(svg), onError));
  const buttons = el('span', 'trend-exports');
  buttons.append(svgButton, pngButton);
  foot.append(buttons);
  box.append(svg, foot);
  return box;
}

/// The section for a report; exports: {fileBase (the files' names start with it), onError(error) (a PNG that failed)}.
export function trendsSection(report, exports) {
  const names = report.checkpoints.map((c) => c.name);
  const labels = shortLabels(names);
  const trends = trendRows(report);
  const section = el('section', 'report-section checkpoints-trends', { id: 'checkpoints-trends', 'data-count': trends.length });
  const grid = el('div', 'trend-grid');
  grid.append(...trends.map((t) => figure(t, names, labels, report, exports)));
  section.append(el('h2', null, null, `Trends over ${names.length} checkpoints`),
    el('p', 'muted small', null, 'One value per checkpoint, in training order, measured on the prompts below. ' +
      'Rising or falling: up or down at every step; flat: the same everywhere; mixed: both, or a value missing. ' +
      'Hover a point for its value.'), grid);
  return section;
}
