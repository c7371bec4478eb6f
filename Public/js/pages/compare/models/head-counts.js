// The Models mode's head counts side by side: the pattern classes of every model's heads (bars of both models per
// class) and the anomaly counts.
import { el } from '../../../core/dom.js';
import { pct } from '../../../core/format.js';
import { classBadge } from '../../../components/legends.js';
import { anomalyRows, classRows } from './models-data.js';
import { pairedBars } from './paired-bars.js';
import { tableOf } from '../table.js';

function classesTable(data) {
  const { rows, max } = classRows(data);
  return tableOf('models-classes', 'classes-table', ['class', 'heads (A, B)'], rows.map((r) => {
    const tr = el('tr', null, { 'data-class': r.name });
    const name = el('th', null, { scope: 'row' });
    name.append(classBadge(r.name));
    const bars = el('td');
    bars.append(pairedBars(r.counts, max, (v, side) => `${v} (${pct(r.shares[side])})`));
    tr.append(name, bars);
    return tr;
  }));
}

function anomaliesTable(data) {
  return tableOf('models-anomalies', 'anomalies-table', ['anomaly', ['A', 'num'], ['B', 'num']], anomalyRows(data).map((r) => {
    const tr = el('tr', null, { 'data-key': r.key });
    tr.append(el('th', null, { scope: 'row', title: r.title }, r.label),
      ...r.values.map((v, i) => el('td', 'num', { 'data-side': i, 'data-value': v ?? '' }, v ?? '–')));
    return tr;
  }));
}

export function headCountsSection(data) {
  const section = el('section', 'models-section models-heads', { id: 'models-heads' });
  const classes = el('div');
  classes.append(el('h3', null, null, 'Pattern classes of the heads'), classesTable(data));
  const anomalies = el('div');
  anomalies.append(el('h3', null, null, 'Anomalies'), anomaliesTable(data));
  section.append(classes, anomalies);
  return section;
}
