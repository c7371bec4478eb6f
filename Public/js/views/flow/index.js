// The layer-flow view (#view-flow): how much each layer changes a position's residual stream (GET
// /api/runs/{id}/flow), as an SVG line chart over the layers of cos(input, output), the relative update and the
// attention share of the update, for one position or the mean over positions. A run-page view (see
// pages/run/views.js).
import { api } from '../../core/api.js';
import { SVG_NS, button, el, svgEl } from '../../core/dom.js';
import { download, downloadCSV, downloadJSON } from '../../core/download.js';
import { xmlDocument } from '../../core/export.js';
import { fmt, quoted } from '../../core/format.js';
import { keyedLoader } from '../../core/request-guard.js';
import { spinner } from '../../components/spinner.js';
import { flowChart } from './chart.js';
import { SERIES, chartScales, flowCSVRows, seriesValues } from './flow-data.js';

export const name = 'flow';
export { url } from './url-state.js';

function legend() {
  const list = el('ul', 'flow-legend', { id: 'flow-legend' });
  for (const s of SERIES) {
    const li = el('li', null, { 'data-series': s.key });
    const sample = svgEl('svg', { width: 28, height: 10, 'aria-hidden': 'true' });
    sample.append(svgEl('line', { x1: 1, y1: 5, x2: 27, y2: 5, stroke: s.color, 'stroke-width': 2.5, 'stroke-dasharray': s.dash }));
    li.append(sample, document.createTextNode(` ${s.label} `), el('span', 'muted small', null, `(${s.axis} axis)`));
    list.append(li);
  }
  return list;
}

export function mount(root, host) {
  const view = { root, host, data: null, chart: null, hoverLayer: null };
  const bar = el('div', 'toolbar');
  const label = el('label', null, null, 'Position ');
  view.positionSelect = el('select', null, { id: 'flow-position' });
  label.append(view.positionSelect);
  const csvButton = button('CSV', { id: 'export-flow-csv', title: 'the values per layer as CSV' });
  const jsonButton = button('JSON', { id: 'export-flow-json', title: 'the flow response as JSON' });
  const svgButton = button('SVG', { id: 'export-flow-svg', title: 'the chart as SVG' });
  bar.append(label, csvButton, jsonButton, svgButton);
  view.busy = spinner(bar);
  view.loader = keyedLoader(view.busy);
  view.caption = el('p', 'muted small', { id: 'flow-caption' });
  view.chartBox = el('div', 'flow-chart', { id: 'flow-chart' });
  view.tooltip = el('div', 'flow-tooltip', { role: 'status', 'aria-live': 'polite', hidden: '' });
  view.chartBox.append(view.tooltip);
  root.replaceChildren(bar, view.caption, legend(), view.chartBox);
  view.positionSelect.replaceChildren(new Option('mean over positions', 'mean'),
    ...host.run.tokens.map((t, i) => new Option(`${i}: ${t.display}`, String(i))));
  view.positionSelect.addEventListener('change', () => {
    const value = view.positionSelect.value;
    host.state.flowPosition = value === 'mean' ? 'mean' : Number(value);
    host.writeURL();
    update(view).catch(host.showError);
  });
  const base = () => host.baseName();
  csvButton.addEventListener('click', () => view.data && downloadCSV(`${base()}-flow-${position(view)}.csv`, flowCSVRows(view.data, position(view))));
  jsonButton.addEventListener('click', () => view.data && downloadJSON(`${base()}-flow.json`, view.data));
  svgButton.addEventListener('click', () => view.chart && download(`${base()}-flow.svg`, svgText(view.chart.svg), 'image/svg+xml'));
  return view;
}

/// The shown position: an index or 'mean' (none chosen: the last token).
function position(view) {
  const p = view.host.state.flowPosition;
  return p === null ? view.host.run.tokens.length - 1 : p;
}

export async function update(view) {
  const { host } = view;
  const { state } = host;
  const n = host.run.tokens.length;
  if (state.flowPosition !== null && state.flowPosition !== 'mean' && !(state.flowPosition >= 0 && state.flowPosition < n)) {
    state.flowPosition = null;
  }
  view.positionSelect.value = String(position(view));
  const data = await view.loader.load(host.runId, 'loading layer flow', () => api.flow(host.runId));
  if (!data) return;
  view.data = data;
  render(view, data);
}

function render(view, data) {
  const at = position(view);
  view.caption.textContent = at === 'mean' ? `Mean over the ${data.tokens.length} positions, per layer.`
    : `Position ${at} (${quoted(data.tokens[at])}), per layer.`;
  const series = seriesValues(data, at);
  const width = Math.max(480, Math.min(960, (view.chartBox.clientWidth || 760) - 4));
  const scales = chartScales(series, data.layers.length, width);
  const chart = flowChart(series, scales);
  Object.assign(chart, { series, scales });
  chart.surface.addEventListener('pointermove', (event) => hoverAt(view, event));
  chart.surface.addEventListener('pointerleave', () => setHover(view, null));
  chart.svg.addEventListener('keydown', (event) => onKey(view, event));
  chart.svg.addEventListener('blur', () => setHover(view, null));
  view.chart?.svg.remove();
  view.chart = chart;
  view.chartBox.insertBefore(chart.svg, view.tooltip);
  view.root.dataset.ready = 'true';
  setHover(view, view.hoverLayer !== null && view.hoverLayer < scales.L ? view.hoverLayer : null);
}

/// The layer nearest to the pointer.
function hoverAt(view, event) {
  const { x, L, width } = view.chart.scales;
  const box = view.chart.svg.getBoundingClientRect();
  const px = (event.clientX - box.left) * (width / box.width);
  let best = 0;
  for (let l = 1; l < L; l++) if (Math.abs(x(l) - px) < Math.abs(x(best) - px)) best = l;
  setHover(view, best);
}

function setHover(view, layer) {
  view.hoverLayer = layer;
  const { svg, guide, series, scales } = view.chart;
  for (const c of svg.querySelectorAll('circle.flow-point.hover')) c.classList.remove('hover');
  if (layer === null) {
    guide.setAttribute('visibility', 'hidden');
    view.tooltip.hidden = true;
    return;
  }
  guide.setAttribute('x1', scales.x(layer));
  guide.setAttribute('x2', scales.x(layer));
  guide.setAttribute('visibility', 'visible');
  for (const c of svg.querySelectorAll(`circle.flow-point[data-layer="${layer}"]`)) c.classList.add('hover');
  view.tooltip.replaceChildren(el('b', null, null, `Layer ${layer}`), ...series.map((s) => {
    const line = el('div', null, { 'data-series': s.key });
    const dot = el('span', 'dot', { 'aria-hidden': 'true' });
    dot.style.background = s.color;
    line.append(dot, document.createTextNode(` ${s.label.split(' ‖')[0]}: ${fmt(s.values[layer], 4)}`));
    return line;
  }));
  view.tooltip.hidden = false;
  const box = svg.getBoundingClientRect();
  const left = scales.x(layer) * (box.width / scales.width);
  const tipWidth = view.tooltip.offsetWidth || 200;
  view.tooltip.style.left = `${left + 12 + tipWidth > box.width ? Math.max(0, left - tipWidth - 12) : left + 12}px`;
  view.tooltip.style.top = '18px';
}

/// Arrow keys, Home and End step the hovered layer; Escape drops it.
function onKey(view, event) {
  const L = view.chart.scales.L;
  if (!L) return;
  let layer = view.hoverLayer;
  if (event.key === 'ArrowRight') layer = layer === null ? 0 : Math.min(L - 1, layer + 1);
  else if (event.key === 'ArrowLeft') layer = layer === null ? L - 1 : Math.max(0, layer - 1);
  else if (event.key === 'Home') layer = 0;
  else if (event.key === 'End') layer = L - 1;
  else if (event.key === 'Escape') layer = null;
  else return;
  event.preventDefault();
  setHover(view, layer);
}

/// The chart as a standalone SVG document (without the hover guide and surface).
function svgText(svg) {
  const copy = svg.cloneNode(true);
  copy.setAttribute('xmlns', SVG_NS);
  copy.querySelector('.flow-guide')?.remove();
  copy.querySelector('.flow-surface')?.remove();
  return xmlDocument(new XMLSerializer().serializeToString(copy) + '\n');
}

export function destroy(view) {
  view.loader.cancel();
  view.busy.stop();
  view.root.replaceChildren();
}
