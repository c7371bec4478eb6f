// The Compare page's heads table: a row per head, a column group per metric (the prompts' values and the spread,
// expanded for the chosen metric or, with "all", for every metric), sortable by a spread or by layer.
import { el } from '../../core/dom.js';
import { isNum, num } from '../../core/format.js';
import { METRICS } from '../../core/head-metrics.js';
import { ariaSort, sortButton } from '../../components/sortable-table.js';
import { spread } from './compare-data.js';

function sortSymbol(key, { metric, order }) {
  const active = key === 'layer' ? order === 'layer' : (metric === key && order !== 'layer');
  const symbol = !active ? '↕' : key === 'layer' ? '▲' : order === 'abs' ? '|▼|' : order === 'desc' ? '▼' : '▲';
  return { active, symbol };
}

function headerAriaSort(key, { metric, order }) {
  if (key === 'layer') return ariaSort(order === 'layer', true);
  return ariaSort(metric === key && order !== 'layer', order === 'asc');
}

/// t = {data, names, view, selected, onSort(key)}: the header rows.
function header(t, columns) {
  const { data, names, view } = t;
  const isPair = data.kind === 'pair';
  const spreadLabel = isPair ? 'Δ' : 'var';
  const button = (key, label, title) => sortButton({ key, label, title, ...sortSymbol(key, view), onSort: t.onSort });
  const top = el('tr');
  const sub = el('tr');
  const layerTh = el('th', 'text sticky-col', { scope: 'col', rowspan: '2', 'data-key': 'layer', 'aria-sort': headerAriaSort('layer', view) });
  layerTh.append(button('layer', 'layer', 'sort by layer and head'));
  top.append(layerTh, el('th', 'text sticky-col second', { scope: 'col', rowspan: '2', 'data-key': 'head' }, 'head'));
  for (const m of columns) {
    const title = `${m.title}; ${isPair ? 'Δ = B − A' : 'variance over the prompts'} — sort by it`;
    if (view.all || m.key === view.metric) {
      top.append(el('th', 'group' + (m.key === view.metric ? ' chosen' : ''), { scope: 'colgroup', colspan: String(data.prompts.length + 1), title: m.title }, m.label));
      names.forEach((name, i) => sub.append(el('th', 'num', { scope: 'col', title: `${m.label} in prompt ${data.prompts[i].label}` }, name)));
      const th = el('th', 'num spread', { scope: 'col', 'data-key': m.key, 'aria-sort': headerAriaSort(m.key, view) });
      th.append(button(m.key, spreadLabel, title));
      sub.append(th);
    } else {
      const th = el('th', 'num spread', { scope: 'col', rowspan: '2', 'data-key': m.key, 'aria-sort': headerAriaSort(m.key, view) });
      th.append(button(m.key, `${m.label} ${spreadLabel}`, title));
      top.append(th);
    }
  }
  const thead = el('thead');
  thead.append(top, sub);
  return thead;
}

function row(t, columns, head, index) {
  const { data, view, selected } = t;
  const isPair = data.kind === 'pair';
  const isSelected = selected && selected.layer === head.layer && selected.head === head.head;
  const tr = el('tr', isSelected ? 'selected' : null, { 'data-layer': head.layer, 'data-head': head.head,
    tabindex: index === 0 ? '0' : '-1', 'aria-selected': String(Boolean(isSelected)),
    title: `L${head.layer} H${head.head}: show its aligned attention` });
  tr.append(el('td', 'num sticky-col', { 'data-key': 'layer' }, String(head.layer)),
    el('td', 'num sticky-col second', { 'data-key': 'head' }, String(head.head)));
  for (const m of columns) {
    if (view.all || m.key === view.metric) {
      const values = head.values[m.key] || [];
      for (let i = 0; i < data.prompts.length; i++) {
        const v = values[i];
        tr.append(el('td', 'num', { 'data-key': `${m.key}:${i}`, 'data-value': isNum(v) ? v : '' }, num(v, 3)));
      }
    }
    const s = spread(data, head, m.key);
    const td = el('td', 'num spread', { 'data-key': `${m.key}:${isPair ? 'diff' : 'var'}`, 'data-value': s ?? '' }, num(s, 3));
    if (m.key === view.metric && s !== null) td.classList.add(s > 0 ? 'pos' : s < 0 ? 'neg' : 'zero');
    tr.append(td);
  }
  return tr;
}

/// Fills the table for t = {data, names, view, selected, onSort(key)} with the heads in order.
export function renderHeadsTable(table, t, heads) {
  const columns = t.data.metrics.map((key) => METRICS.find((m) => m.key === key) || { key, label: key, title: key });
  const tbody = el('tbody');
  tbody.append(...heads.map((head, index) => row(t, columns, head, index)));
  table.replaceChildren(header(t, columns), tbody);
  table.dataset.rows = String(heads.length);
  table.dataset.metric = t.view.metric;
  table.dataset.order = t.view.order;
}
