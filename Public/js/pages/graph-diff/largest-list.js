// The graph diff's list of its largest differences (largest |B − A| first): a row per edge with both weights and
// the difference as a bar in the diff's colours; a click (or Enter) on a row highlights its edge.
import { el } from '../../core/dom.js';
import { num } from '../../core/format.js';
import { rovingList } from '../../components/sortable-table.js';
import { diffScale, edgeStyle, edgeText, largestRows } from './diff-data.js';

const CHANGE = { both: '', appears: 'appears', vanishes: 'vanishes' };

/// The list in `table` for the data; onPick(index) when a row is chosen. Answers mark(index) (the row of the
/// highlighted edge, or none).
export function renderLargest(table, data, onPick) {
  const scale = diffScale(data.edges);
  const head = el('tr');
  for (const [text, cls] of [['#', 'num'], ['edge', null], ['A', 'num'], ['B', 'num'], ['Δ = B − A', 'num']]) {
    head.append(el('th', cls, { scope: 'col' }, text));
  }
  const tbody = el('tbody');
  largestRows(data).forEach((r, i) => {
    const tr = el('tr', `change-${r.change}`, { 'data-index': r.index, 'data-key': r.key, 'data-change': r.change,
      'data-difference': r.difference, tabindex: i === 0 ? '0' : '-1', title: edgeText(r) });
    const delta = el('td', 'num delta');
    const bar = el('span', 'delta-bar', { 'aria-hidden': 'true' });
    bar.style.width = `${Math.min(1, Math.abs(r.difference) / scale) * 100}%`;
    bar.style.background = edgeStyle(r, scale).stroke;
    delta.append(bar, el('span', null, null, num(r.difference)));
    const edge = el('td', 'edge-name');
    edge.append(`${r.source} → ${r.target}`, el('span', 'muted small', null, ` ${r.kind}`));
    if (CHANGE[r.change]) edge.append(el('span', `change-tag ${r.change}`, null, CHANGE[r.change]));
    tr.append(el('td', 'num', null, String(r.rank)), edge, el('td', 'num', null, num(r.weight_a)),
      el('td', 'num', null, num(r.weight_b)), delta);
    tbody.append(tr);
  });
  const thead = el('thead');
  thead.append(head);
  table.replaceChildren(thead, tbody);
  table.onclick = (event) => {
    const tr = event.target.closest?.('tbody tr');
    if (tr) onPick(Number(tr.dataset.index));
  };
  if (!table.dataset.roving) {
    rovingList(table, 'tbody tr', (tr) => table.onclick({ target: tr }));
    table.dataset.roving = '1';
  }
  return (index) => {
    for (const tr of tbody.children) {
      const on = Number(tr.dataset.index) === index;
      tr.classList.toggle('selected', on);
      tr.setAttribute('aria-selected', String(on));
    }
  };
}
