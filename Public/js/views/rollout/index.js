// The rollout view (#view-rollout): how much of each token ends up in one position's final representation
// (attention rollout, GET /api/runs/{id}/rollout?row=R&heads=all|0,2) as one bar per token, with the whole rollout
// matrix as a heatmap (a click on a row shows its shares). A run-page view (see pages/run/views.js).
import { api } from '../../core/api.js';
import { button, el } from '../../core/dom.js';
import { downloadCSV, downloadJSON } from '../../core/download.js';
import { pct, quoted } from '../../core/format.js';
import { keyedLoader } from '../../core/request-guard.js';
import { createHeatmap } from '../../components/heatmap/heatmap.js';
import { spinner } from '../../components/spinner.js';

export const name = 'rollout';
export { url } from './url-state.js';

function checkbox(value, label) {
  const wrap = el('label', 'check-chip');
  wrap.append(el('input', null, { type: 'checkbox', value }), document.createTextNode(label));
  return wrap;
}

function build(view) {
  const bar = el('div', 'toolbar');
  const rowLabel = el('label', null, null, 'Position ');
  view.rowSelect = el('select', null, { id: 'rollout-row' });
  rowLabel.append(view.rowSelect);
  view.headsBox = el('fieldset', 'heads-filter', { id: 'rollout-heads' });
  view.csvButton = button('CSV', { id: 'export-rollout-csv', title: 'the shares as CSV' });
  view.jsonButton = button('JSON', { id: 'export-rollout-json', title: 'the rollout response (shares and matrix) as JSON' });
  bar.append(rowLabel, view.headsBox, view.csvButton, view.jsonButton);
  view.busy = spinner(bar);
  view.caption = el('p', 'muted small', { id: 'rollout-caption' });
  const barsPart = el('div', 'rollout-bars-part');
  view.bars = el('div', 'rollout-bars', { id: 'rollout-bars', role: 'list', 'aria-label': 'share of each token' });
  barsPart.append(el('h4', null, null, 'Share of each token'), view.bars);
  const matrixPart = el('div', 'rollout-matrix-part');
  view.matrixBox = el('div', 'heatmap-box', { id: 'rollout-matrix' });
  matrixPart.append(el('h4', null, null, 'Rollout matrix'),
    el('p', 'muted small', null, 'Row = position, column = source token. Click a row to show its shares.'), view.matrixBox);
  const area = el('div', 'rollout-area');
  area.append(barsPart, matrixPart);
  view.root.replaceChildren(bar, view.caption, area);
}

export function mount(root, host) {
  const view = { root, host, data: null };
  build(view);
  view.loader = keyedLoader(view.busy);
  const run = host.run;
  view.rowSelect.replaceChildren(...run.tokens.map((t, i) => new Option(`${i}: ${t.display}`, String(i))));
  view.headsBox.replaceChildren(el('legend', null, null, 'Heads'), checkbox('all', 'all'),
    ...Array.from({ length: run.model.heads }, (_, i) => checkbox(String(i), `H${i}`)));
  view.heatmap = createHeatmap(view.matrixBox, { colors: 'greens', title: 'rollout', maxSize: 420,
    onCellClick: (target) => setRow(view, target) });
  view.rowSelect.addEventListener('change', () => setRow(view, Number(view.rowSelect.value)));
  view.headsBox.addEventListener('change', (event) => onHeads(view, event.target));
  view.csvButton.addEventListener('click', () => view.data && downloadCSV(`${host.baseName()}-rollout-${view.data.row}.csv`,
    [['position', 'token', 'share'], ...view.data.shares.map((share, k) => [k, view.data.tokens[k], share])]));
  view.jsonButton.addEventListener('click', () => view.data &&
    downloadJSON(`${host.baseName()}-rollout-${view.data.row}.json`, view.data));
  return view;
}

function redraw(view) {
  view.host.writeURL();
  update(view).catch(view.host.showError);
}

function setRow(view, row) {
  view.host.state.rolloutRow = row;
  redraw(view);
}

/// The heads filter: "all", or the checked heads (none checked: all).
function onHeads(view, input) {
  if (!input || input.type !== 'checkbox') return;
  const boxes = [...view.headsBox.querySelectorAll('input[type=checkbox]')];
  const heads = boxes.filter((b) => b.value !== 'all');
  view.host.state.rolloutHeads = input.value === 'all' || !heads.some((b) => b.checked) ? 'all'
    : heads.filter((b) => b.checked).map((b) => b.value).join(',');
  redraw(view);
}

function syncControls(view, row) {
  const { state } = view.host;
  view.rowSelect.value = String(row);
  const chosen = state.rolloutHeads === 'all' ? null : new Set(state.rolloutHeads.split(','));
  for (const box of view.headsBox.querySelectorAll('input[type=checkbox]')) {
    box.checked = box.value === 'all' ? chosen === null : chosen !== null && chosen.has(box.value);
  }
}

export async function update(view) {
  const { host } = view;
  const { run, state } = host;
  const n = run.tokens.length;
  if (state.rolloutRow !== null && !(state.rolloutRow >= 0 && state.rolloutRow < n)) state.rolloutRow = null;
  if (state.rolloutHeads !== 'all' && state.rolloutHeads.split(',').some((x) => Number(x) >= run.model.heads)) state.rolloutHeads = 'all';
  const row = state.rolloutRow ?? n - 1;
  syncControls(view, row);
  const data = await view.loader.load(`${host.runId}|${row}|${state.rolloutHeads}`, 'loading rollout',
    () => api.rollout(host.runId, row, state.rolloutHeads));
  if (!data) return;
  view.data = data;
  render(view, data);
}

function render(view, data) {
  const heads = data.heads === 'all' ? 'all heads' : `heads ${data.heads.join(', ')}`;
  view.caption.textContent = `Share of each token in the final representation of position ${data.row} ` +
    `(${quoted(data.tokens[data.row])}), attention rollout over ${heads}; bars scaled to the largest share.`;
  const max = Math.max(1e-12, ...data.shares.filter((v) => Number.isFinite(v)));
  view.bars.dataset.row = String(data.row);
  view.bars.replaceChildren(...data.shares.map((share, k) => {
    const item = el('div', 'rollout-bar' + (k > data.row ? ' future' : '') + (k === data.row ? ' self' : ''), {
      role: 'listitem', 'data-position': k, 'data-value': share,
      title: `(${k}) ${data.tokens[k]}: ${Number.isFinite(share) ? share.toFixed(6) : share}`,
    });
    const track = el('span', 'track', { 'aria-hidden': 'true' });
    const fill = el('span', 'fill');
    fill.style.width = `${Math.max(0, Math.min(1, share / max)) * 100}%`;
    track.append(fill);
    item.append(el('span', 'idx', null, String(k)), el('span', 'tok', null, data.tokens[k]), track, el('span', 'val', null, pct(share, 1)));
    return item;
  }));
  view.heatmap.update(Float32Array.from(data.matrix.flat()), data.tokens.length, data.tokens, { title: `rollout matrix (${heads})` });
}

export function destroy(view) {
  view.loader.cancel();
  view.busy.stop();
  view.heatmap.destroy();
  view.root.replaceChildren();
}
