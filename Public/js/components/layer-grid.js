// Layers × heads (or × tokens) grids drawn with the last layer on top: the cluster map, the ablation grid, the
// comparison grid, the attention thumbnails and the logit-lens table. The cell layout and the arrow keys.
import { el } from '../core/dom.js';

/// Arrow-key navigation on a layers × columns grid with the last layer on top: the cell `key` moves to, or
/// `{layer, column, select: true}` for Enter/space, or null for any other key. Pure.
export function gridKey(key, layer, column, layers, columns) {
  switch (key) {
    case 'ArrowLeft': return { layer, column: Math.max(0, column - 1) };
    case 'ArrowRight': return { layer, column: Math.min(columns - 1, column + 1) };
    case 'ArrowUp': return { layer: Math.min(layers - 1, layer + 1), column };
    case 'ArrowDown': return { layer: Math.max(0, layer - 1), column };
    case 'Enter':
    case ' ': return { layer, column, select: true };
    default: return null;
  }
}

/// A keydown handler for a grid's cells (`selector`, each with data-layer and data-{column}): the arrow keys move
/// the focus and the roving tabindex, Enter or space calls activate(layer, column, cell). shape() gives
/// {layers, columns}, or null while there is nothing to move over.
export function gridKeyHandler(container, { selector, column = 'head', shape, activate }) {
  return (event) => {
    const cell = event.target.closest?.(selector);
    const size = cell ? shape() : null;
    if (!size) return;
    const layer = Number(cell.dataset.layer), at = Number(cell.dataset[column]);
    const move = gridKey(event.key, layer, at, size.layers, size.columns);
    if (!move) return;
    event.preventDefault();
    if (move.select) {
      activate(layer, at, cell);
      return;
    }
    const next = container.querySelector(`${selector}[data-layer="${move.layer}"][data-${column}="${move.column}"]`);
    if (next) {
      cell.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
    }
  };
}

/// Fills a CSS grid with a layers × heads map, the last layer on top: a corner, the heads' column headers, then per
/// layer its row header and cell(layer, head) for every head. `track` is the CSS grid track of a cell column.
export function fillLayerGrid(grid, { layers, heads, track, cell }) {
  grid.style.gridTemplateColumns = `auto repeat(${heads}, ${track})`;
  const cells = [el('div', 'cluster-corner', { 'aria-hidden': 'true' })];
  for (let head = 0; head < heads; head++) cells.push(el('div', 'cluster-axis', { role: 'columnheader' }, `H${head}`));
  for (let layer = layers - 1; layer >= 0; layer--) {
    cells.push(el('div', 'cluster-axis layer', { role: 'rowheader' }, `L${layer}`));
    for (let head = 0; head < heads; head++) cells.push(cell(layer, head));
  }
  grid.replaceChildren(...cells);
}
