// The metrics view's heads table: every head's metrics and class, sortable by any column (state.sort, state.order).
import { el } from '../../core/dom.js';
import { DASH, fmt, isNum } from '../../core/format.js';
import { classBadge, swatch } from '../../components/legends.js';
import { clusterColor } from '../../components/color-scales.js';
import { ariaSort, sortButton, sortRows } from '../../components/sortable-table.js';
import { COLUMNS, sortValue } from './columns.js';

/// The heads in the table's order.
export function sortedHeads(heads, { sort, order }) {
  if (!sort) return heads.slice();
  return sortRows(heads, (head) => sortValue(head, sort), order !== 'asc');
}

function headerRow(state, onSort) {
  const tr = el('tr');
  for (const column of COLUMNS) {
    const sorted = state.sort === column.key;
    const th = el('th', column.kind ? 'text' : 'num', { scope: 'col', 'data-key': column.key,
      'aria-sort': ariaSort(sorted, state.order === 'asc') });
    th.append(sortButton({ key: column.key, label: column.label, title: `${column.title} — sort by ${column.label}`,
      active: sorted, symbol: sorted ? (state.order === 'asc' ? '▲' : '▼') : '↕', onSort }));
    tr.append(th);
  }
  const thead = el('thead');
  thead.append(tr);
  return thead;
}

function cell(head, column, tokens) {
  const v = head[column.key];
  const td = el('td', column.kind === 'class' ? null : 'num', { 'data-key': column.key });
  if (column.kind === 'class') {
    td.dataset.value = String(head.class);
    td.append(classBadge(head.class));
  } else if (column.key === 'cluster') {
    td.dataset.value = isNum(v) ? String(v) : '';
    if (isNum(v)) td.append(swatch(clusterColor(v)), document.createTextNode(`C${v}`));
    else td.textContent = DASH;
  } else if (column.key === 'vertical_key') {
    td.dataset.value = isNum(v) ? String(v) : '';
    td.textContent = isNum(v) ? String(v) : DASH;
    if (isNum(v) && tokens[v]) td.title = `key ${v}: ${tokens[v].display}`;
  } else if (column.kind === 'int') {
    td.dataset.value = String(v);
    td.textContent = isNum(v) ? String(v) : DASH;
  } else {
    td.dataset.value = isNum(v) ? String(v) : '';
    td.textContent = fmt(v, 3);
  }
  return td;
}

/// Fills the table: the header's sort buttons call onSort(key); a row per head (data-layer, data-head).
export function renderHeadsTable(table, heads, state, tokens, onSort) {
  const tbody = el('tbody');
  tbody.append(...sortedHeads(heads, state).map((head, index) => {
    const tr = el('tr', null, { 'data-layer': head.layer, 'data-head': head.head, tabindex: index === 0 ? '0' : '-1',
      title: `open the attention map of L${head.layer} H${head.head}` });
    for (const column of COLUMNS) tr.append(cell(head, column, tokens));
    return tr;
  }));
  table.replaceChildren(headerRow(state, onSort), tbody);
}
