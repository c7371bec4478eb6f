// The logit-lens view (#view-lens): the lens's top token at every layer and position for one point of the layer
// (after it, after attention, entering it); a cell opens its node in the graph. A run-page view (see
// pages/run/views.js).
import { api } from '../../core/api.js';
import { byId, listenerGroup } from '../../core/dom.js';
import { download } from '../../core/download.js';
import { lensCellNode } from '../../core/node-names.js';
import { createLensGrid } from './lens-grid.js';

export const name = 'lens';
export { url } from './url-state.js';

export function mount(root, host) {
  const { state } = host;
  const view = { host, grid: null, events: listenerGroup() };
  view.events.on(byId('lens-point'), 'change', () => {
    state.lensPoint = byId('lens-point').value;
    state.lensCell = null;
    host.writeURL();
    update(view).catch(host.showError);
  });
  view.events.on(byId('export-lens-grid-csv'), 'click', () => view.grid &&
    download(`${host.baseName()}-lens-grid-${state.lensPoint}.csv`, view.grid.csv(), 'text/csv'));
  return view;
}

export async function update(view) {
  const { host } = view;
  const { state } = host;
  byId('lens-point').value = state.lensPoint;
  const grid = await api.lensGrid(state.runId, state.lensPoint);
  view.grid?.destroy();
  view.grid = createLensGrid(byId('lens-grid'), grid, {
    onSelect: (layer, token) => {
      state.select = { node: lensCellNode(state.lensPoint, layer, token) };
      state.lensCell = null;
      host.showView('graph');
    },
  });
  const cell = state.lensCell;
  if (cell && cell.layer < grid.layers && cell.token < grid.tokens.length) {
    view.grid.select(cell.layer, cell.token);
    view.grid.reveal(cell.layer, cell.token);
  }
}

export function destroy(view) {
  view.events.off();
  view.grid?.destroy();
}
