// The Checkpoints mode's table: a row per checkpoint with its loss, sink share, largest previous-token share, where
// the prompts' predictions settle, the anomaly counts and the redundant heads.
import { el } from '../../../core/dom.js';
import { DASH, fmt, isNum } from '../../../core/format.js';
import { tableOf } from '../table.js';
import { ANOMALY_KINDS, checkpointRows, headName } from './checkpoints-data.js';

function numberCell(key, value, text) {
  return el('td', 'num', { 'data-key': key, 'data-value': isNum(value) ? value : '' }, text);
}

function redundantCell(heads) {
  const td = el('td', 'redundant-heads', { 'data-key': 'redundant_heads', 'data-value': heads ? heads.length : '' });
  if (!heads) {
    td.append(el('span', 'muted', { title: 'ablation was off: no head was zeroed' }, 'not measured'));
    return td;
  }
  td.append(el('span', 'count', null, String(heads.length)));
  if (heads.length) {
    const names = heads.map((h) => headName(h.layer, h.head));
    td.append(el('span', 'muted small head-list', { title: names.join(', ') }, names.join(', ')));
  }
  return td;
}

export function checkpointTable(report) {
  const columns = ['#', 'checkpoint', ['loss', 'num'], ['sink share', 'num'], ['max prev-token', 'num'],
    ['settles at (mean)', 'num'], 'settled layers', ...ANOMALY_KINDS.map((k) => [k.label, 'num']), 'redundant heads', ['s', 'num']];
  const rows = checkpointRows(report).map((c, i) => {
    const tr = el('tr', null, { 'data-checkpoint': c.name, 'data-index': i });
    tr.append(el('td', 'num muted', null, i + 1), el('th', 'checkpoint-name', { scope: 'row' }, c.name),
      numberCell('loss', c.loss, fmt(c.loss, 3)), numberCell('sink_share', c.sinkShare, fmt(c.sinkShare, 3)),
      numberCell('max_previous_token', c.maxPreviousToken, fmt(c.maxPreviousToken, 3)),
      numberCell('mean_settled_layer', c.meanSettledLayer, fmt(c.meanSettledLayer, 2)),
      el('td', 'settled-layers small', { 'data-key': 'settled_layers', title: 'the layer where each prompt\'s last position settles, in prompt order' },
        c.settledLayers.length ? c.settledLayers.join(' ') : DASH),
      ...ANOMALY_KINDS.map((k) => {
        const v = c.anomalies[k.key];
        const td = numberCell(k.key, v, String(v ?? DASH));
        if (v) td.classList.add('flagged');
        return td;
      }),
      redundantCell(c.redundantHeads), numberCell('seconds', c.seconds, fmt(c.seconds, 2)));
    return tr;
  });
  const section = el('section', 'report-section', { id: 'checkpoints-per-checkpoint' });
  const wrap = el('div', 'table-wrap');
  wrap.append(tableOf('checkpoints-table', 'report-table checkpoints-table', columns, rows));
  section.append(el('h2', null, null, 'Checkpoints'), wrap);
  return section;
}
