// The ablation view (#view-ablation): how the log-probability of the predicted next token changes when each head's
// output is zeroed and when each layer is skipped (GET /api/runs/{id}/ablation: one real forward pass each, so it
// takes seconds on a real model and runs only when asked). A run-page view (see pages/run/views.js).
import { api } from '../../core/api.js';
import { button, el } from '../../core/dom.js';
import { downloadCSV, downloadJSON } from '../../core/download.js';
import { fmt, quoted } from '../../core/format.js';
import { requestGuard } from '../../core/request-guard.js';
import { gridKeyHandler } from '../../components/layer-grid.js';
import { spinner } from '../../components/spinner.js';
import { ablationCSVRows } from './ablation-data.js';
import { renderHeadGrid, renderLayerBars } from './render.js';

export const name = 'ablation';
export { url } from './url-state.js';

function build(view) {
  const bar = el('div', 'toolbar');
  view.measureButton = el('button', 'primary', { type: 'button', id: 'ablation-measure' }, 'Measure by ablation');
  view.csvButton = button('CSV', { id: 'export-ablation-csv', title: 'head and layer effects as CSV', disabled: '' });
  view.jsonButton = button('JSON', { id: 'export-ablation-json', title: 'the ablation response as JSON', disabled: '' });
  bar.append(view.measureButton, view.csvButton, view.jsonButton);
  view.busy = spinner(bar);
  const intro = el('p', 'muted small', { id: 'ablation-intro' },
    'Zeroes the output of one head at a time, then skips one layer at a time, and runs the model again each time: ' +
    'the change in log-probability of the predicted next token (at the last position) says how much the prediction ' +
    'depends on that part. One forward pass per head and per layer: this takes a few seconds on a real model.');
  view.results = el('div', 'ablation-results', { id: 'ablation-results', 'aria-live': 'polite', hidden: '' });
  view.caption = el('p', null, { id: 'ablation-caption' });
  const gridPart = el('div');
  view.grid = el('div', 'ablation-grid', { id: 'ablation-grid', role: 'grid', 'aria-label': 'Δ log-probability by layer and head' });
  view.legend = el('div', 'diverging-legend', { id: 'ablation-legend' });
  gridPart.append(el('h4', null, null, 'Heads: Δ log p when zeroed'),
    el('p', 'muted small', null, 'Layers bottom to top. Click a cell for the head\'s attention map.'), view.grid, view.legend);
  const barsPart = el('div');
  view.bars = el('div', 'ablation-bars', { id: 'ablation-layers', role: 'list', 'aria-label': 'Δ log-probability by skipped layer' });
  barsPart.append(el('h4', null, null, 'Layers: Δ log p when skipped'),
    el('p', 'muted small', null, 'Red: the prediction gets less likely without the layer; blue: more likely.'), view.bars);
  const area = el('div', 'ablation-area');
  area.append(gridPart, barsPart);
  view.results.append(view.caption, area);
  view.root.replaceChildren(bar, intro, view.results);
}

export function mount(root, host) {
  const view = { root, host, data: null, pending: false, guard: requestGuard() };
  build(view);
  const open = (layer, head) => host.openAttention(layer, head);
  view.measureButton.addEventListener('click', () => {
    host.state.ablate = true;
    host.writeURL();
    update(view).catch(host.showError);
  });
  view.csvButton.addEventListener('click', () => view.data && downloadCSV(`${host.baseName()}-ablation.csv`, ablationCSVRows(view.data)));
  view.jsonButton.addEventListener('click', () => view.data && downloadJSON(`${host.baseName()}-ablation.json`, view.data, 1));
  view.grid.addEventListener('click', (event) => {
    const cell = event.target.closest?.('.ablation-cell');
    if (cell) open(Number(cell.dataset.layer), Number(cell.dataset.head));
  });
  view.grid.addEventListener('keydown', gridKeyHandler(view.grid, { selector: '.ablation-cell', activate: open,
    shape: () => view.data && { layers: host.run.model.layers, columns: host.run.model.heads } }));
  return view;
}

export async function update(view) {
  const { host } = view;
  if (view.data) {
    if (!host.state.ablate) { // measured before (e.g. Back to a URL without measure=1): say so in the URL
      host.state.ablate = true;
      host.writeURL();
    }
    return render(view);
  }
  view.results.hidden = true;
  if (!host.state.ablate || view.pending) return; // measured only on request (the button, or a permalink's measure=1)
  const current = view.guard.next();
  view.pending = true;
  const model = host.run.model;
  setBusy(view, true, `measuring: ${model.layers * model.heads + model.layers} forward passes`);
  try {
    const data = await api.ablation(host.runId);
    if (!current()) return;
    view.data = data;
  } catch (error) {
    if (current()) {
      host.state.ablate = false;
      host.writeURL();
    }
    throw error;
  } finally {
    if (current()) {
      view.pending = false;
      setBusy(view, false);
    }
  }
  render(view);
}

function setBusy(view, busy, label) {
  if (busy) view.busy.start(label); else view.busy.stop();
  view.measureButton.disabled = busy;
  if (busy) view.root.setAttribute('aria-busy', 'true'); else view.root.removeAttribute('aria-busy');
}

function render(view) {
  const { data } = view;
  view.caption.replaceChildren(document.createTextNode('Predicted next token '), el('b', null, null, quoted(data.predicted.display)),
    document.createTextNode(` (id ${data.predicted.id}), log p = ${fmt(data.log_probability, 3)} (p = ${fmt(Math.exp(data.log_probability), 4)}).`));
  renderHeadGrid(view.grid, view.legend, data, view.host.run.model);
  renderLayerBars(view.bars, data);
  view.results.hidden = false;
  view.csvButton.disabled = false;
  view.jsonButton.disabled = false;
}

export function destroy(view) {
  view.guard.cancel();
  setBusy(view, false);
  view.root.replaceChildren();
}
