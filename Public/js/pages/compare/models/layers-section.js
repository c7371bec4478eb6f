// The Models mode's layers by depth: a metric picker, the depth chart (one line per model on the relative-depth
// axis, the lens markers), its legend, and the table of where each model's logit lens settles on its prediction.
import { el } from '../../../core/dom.js';
import { fmt } from '../../../core/format.js';
import { inlineField } from '../../../components/form-fields.js';
import { swatch } from '../../../components/legends.js';
import { depthChart } from './depth-chart.js';
import { tableOf } from '../table.js';
import { depthSeries, metricLabel, settleMarkers, sideLabels } from './models-data.js';

const CHART_SIZE = { width: 720, height: 300 };

function lensTable(markers) {
  return tableOf('models-lens', 'lens-settle-table',
    ['model', 'prediction', 'first top-1 at', 'settles at layer', 'depth', 'stays once it appears'], markers.map((mk) => {
    const tr = el('tr', null, { 'data-side': mk.side });
    const name = el('td');
    name.append(swatch(mk.color), mk.model);
    tr.append(name, el('td', 'tok', null, mk.token ?? '–'),
      el('td', 'num', { 'data-key': 'first_layer', 'data-value': mk.first ?? '' }, mk.first === null ? '–' : `L${mk.first}`),
      el('td', 'num', { 'data-key': 'settled_layer', 'data-value': mk.layer ?? '' }, mk.layer === null ? '–' : `L${mk.layer} of ${mk.layers}`),
      el('td', 'num', { 'data-key': 'settled_depth', 'data-value': mk.depth ?? '' }, fmt(mk.depth, 3)),
      el('td', null, null, mk.stays ? 'yes' : 'no, it flips'));
    return tr;
  }));
}

/// The section for data and view {metric}; onMetric(key) when the picker changes.
export function layersSection(data, view, onMetric) {
  const section = el('section', 'models-section', { id: 'models-layers' });
  const picker = el('select', null, { id: 'models-metric' });
  picker.replaceChildren(...data.metrics.map((key) => new Option(metricLabel(key), key)));
  picker.value = data.metrics.includes(view.metric) ? view.metric : data.metrics[0];
  const chartBox = el('div', 'depth-chart-box');
  const legend = el('div', 'class-legend depth-legend', { id: 'models-depth-legend' });
  const markers = settleMarkers(data);
  const draw = () => {
    const metric = picker.value;
    const series = depthSeries(data, metric);
    chartBox.replaceChildren(depthChart(series, markers, { ...CHART_SIZE, metricLabel: metricLabel(metric) }));
  };
  const labels = sideLabels(data);
  legend.append(...markers.map((mk, i) => {
    const item = el('span', 'legend-item', { 'data-side': i });
    item.append(swatch(mk.color), `${labels[i]} (${data.models[i].layers} layers)`);
    return item;
  }), el('span', 'legend-item muted small', null, 'dashed: where the lens settles on the prediction'));
  picker.addEventListener('change', () => {
    draw();
    onMetric(picker.value);
  });
  draw();
  const toolbar = el('div', 'toolbar');
  toolbar.append(inlineField('Metric', picker, 'the attention metric, averaged over each layer\'s heads'));
  section.append(el('h3', null, null, 'Layers by relative depth'), toolbar, chartBox, legend,
    el('h4', null, null, 'Where the logit lens settles (last position)'), lensTable(markers));
  return section;
}
