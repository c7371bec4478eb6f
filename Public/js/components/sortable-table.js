// Sortable tables (the metrics and comparison heads tables): the order of the rows (pure), the header buttons
// with their indicator, and arrow-key navigation over the rows.
import { el } from '../core/dom.js';

/// Layer, then head: the natural order of heads (and the tie-break of every other order).
export function byLayerAndHead(a, b) {
  return a.layer - b.layer || a.head - b.head;
}

/// The rows sorted by valueOf(row) (a number, or null when missing: missing values last either way), ascending
/// or descending, ties broken by tieBreak. A new array; pure.
export function sortRows(rows, valueOf, descending, tieBreak = byLayerAndHead) {
  const sign = descending ? -1 : 1;
  return rows.slice().sort((a, b) => {
    const x = valueOf(a), y = valueOf(b);
    if (x === null || y === null) {
      if (x !== y) return x === null ? 1 : -1;
    } else if (x !== y) {
      return sign * (x - y);
    }
    return tieBreak(a, b);
  });
}

/// The aria-sort value of a header.
export function ariaSort(active, ascending) {
  if (!active) return 'none';
  return ascending ? 'ascending' : 'descending';
}

/// A header's sort button: its label and an indicator (`symbol`, highlighted when `active`); onSort(key) on click.
export function sortButton({ key, label, title, active, symbol, onSort }) {
  const b = el('button', 'sort-button', { type: 'button', 'data-key': key, title });
  b.append(el('span', null, null, label), ' ',
    el('span', 'sort-indicator' + (active ? ' active' : ''), { 'aria-hidden': 'true' }, symbol));
  b.addEventListener('click', () => onSort(key));
  return b;
}

/// Arrow-key navigation with a roving tabindex over the `selector` items of a container (Up/Down, Home/End);
/// Enter or space calls activate(item).
export function rovingList(container, selector, activate) {
  container.addEventListener('keydown', (event) => {
    const item = event.target.closest?.(selector);
    if (!item || !container.contains(item)) return;
    const items = [...container.querySelectorAll(selector)];
    const index = items.indexOf(item);
    let next = null;
    if (event.key === 'ArrowDown') next = items[Math.min(items.length - 1, index + 1)];
    else if (event.key === 'ArrowUp') next = items[Math.max(0, index - 1)];
    else if (event.key === 'Home') next = items[0];
    else if (event.key === 'End') next = items[items.length - 1];
    else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      activate(item);
      return;
    } else return;
    event.preventDefault();
    if (next && next !== item) {
      item.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
    }
  });
}
