// The logit-lens view (#view-lens): the lens's top token at every layer and position for one point of the layer
// (after it, after attention, entering it); a cell opens its node in the graph. A short prompt's grid is fetched
// whole; a long one's (virtual: column-window.js) in chunks of positions around the scrolled view (lens-chunks.js),
// cells still to come shown as loading. A run-page view (see pages/run/views.js).
import { api } from '../../core/api.js';
import { byId, listenerGroup } from '../../core/dom.js';
import { download } from '../../core/download.js';
import { lensCellNode } from '../../core/node-names.js';
import { isVirtual } from './column-window.js';
import { chunkIndex, chunkRange, chunkTracker, emptyCells, placeChunk } from './lens-chunks.js';
import { lensGridCSV } from './lens-cells.js';
import { createLensGrid } from './lens-grid.js';

export const name = 'lens';
export { url } from './url-state.js';

export function mount(root, host) {
  const { state } = host;
  const view = { host, grid: null, data: null, chunks: null, generation: 0, events: listenerGroup() };
  view.events.on(byId('lens-point'), 'change', () => {
    state.lensPoint = byId('lens-point').value;
    state.lensCell = null;
    host.writeURL();
    update(view).catch(host.showError);
  });
  view.events.on(byId('export-lens-grid-csv'), 'click', () => exportCSV(view).catch(host.showError));
  return view;
}

/// The whole grid as CSV; a long prompt's grid not fetched whole yet is fetched for it first.
async function exportCSV(view) {
  const { host } = view;
  const { state } = host;
  if (!view.data) return;
  const button = byId('export-lens-grid-csv');
  let data = view.data;
  if (view.chunks && !view.chunks.complete) {
    const label = button.textContent;
    button.disabled = true;
    button.textContent = 'CSV: computing every position…';
    try {
      data = await api.lensGrid(state.runId, state.lensPoint);
    } finally {
      button.disabled = false;
      button.textContent = label;
    }
  }
  download(`${host.baseName()}-lens-grid-${data.point}.csv`, lensGridCSV(data), 'text/csv');
}

export async function update(view) {
  const { host } = view;
  const { state } = host;
  byId('lens-point').value = state.lensPoint;
  const generation = ++view.generation;
  const point = state.lensPoint;
  const n = host.run?.tokens?.length ?? 0;
  const cell = state.lensCell;
  let data, chunks = null;
  if (isVirtual(n)) {
    // The chunk with the cell to show (or the first) comes first: it also brings the tokens and the layer count.
    chunks = chunkTracker(n);
    const first = chunkIndex(cell && cell.token < n ? cell.token : 0);
    chunks.take({ first: chunkRange(first, n).from, last: chunkRange(first, n).from });
    const part = await api.lensGrid(state.runId, point, chunkRange(first, n));
    chunks.done(first);
    data = { ...part, from: 0, to: n - 1, cells: placeChunk(emptyCells(part.layers), part) };
  } else {
    data = await api.lensGrid(state.runId, point);
  }
  if (generation !== view.generation) return;
  view.grid?.destroy();
  view.data = data;
  view.chunks = chunks;
  const fetchWindow = (window) => {
    for (const index of chunks.take(window)) {
      const range = chunkRange(index, n);
      api.lensGrid(state.runId, point, range).then((part) => {
        if (generation !== view.generation) return;
        placeChunk(data.cells, part);
        chunks.done(index);
        view.grid.refresh(range.from, range.to);
        fetchWindow(view.grid.window);
      }, (error) => {
        chunks.failed(index);
        if (generation === view.generation) host.showError(error);
      });
    }
  };
  view.grid = createLensGrid(byId('lens-grid'), data, {
    onSelect: (layer, token) => {
      state.select = { node: lensCellNode(point, layer, token) };
      state.lensCell = null;
      host.showView('graph');
    },
    ...(chunks && { pending: (t) => chunks.pending(t), onWindow: fetchWindow }),
  });
  if (cell && cell.layer < data.layers && cell.token < data.tokens.length) {
    view.grid.select(cell.layer, cell.token);
    view.grid.reveal(cell.layer, cell.token);
  }
}

export function destroy(view) {
  view.generation += 1;
  view.events.off();
  view.grid?.destroy();
}
