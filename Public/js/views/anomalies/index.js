// The anomalies view (#view-anomalies): the "problem tokens" of a run (GET /api/runs/{id}/anomalies) listed by
// type, each in words and opening the view that shows it (a head's attention map, a residual node in the graph, the
// logit-lens grid), with the thresholds as controls and the logit-lens settling layer of every position. A run-page
// view (see pages/run/views.js).
import { api } from '../../core/api.js';
import { button, el, listenerGroup } from '../../core/dom.js';
import { downloadCSV, downloadJSON } from '../../core/download.js';
import { keyedLoader } from '../../core/request-guard.js';
import { spinner } from '../../components/spinner.js';
import { anomaliesCSVRows } from './describe.js';
import { groupAnomalies, renderFlips, renderGroup } from './list.js';
import { PARAMETERS } from './parameters.js';

export const name = 'anomalies';
export { url } from './url-state.js';

function thresholdInput(p) {
  const label = el('label', p.kind === 'bool' ? 'check-inline' : null, { title: p.title });
  const input = p.kind === 'bool' ? el('input', null, { type: 'checkbox', id: `anomaly-${p.name}`, name: p.name })
    : el('input', 'number-input', { type: 'number', id: `anomaly-${p.name}`, name: p.name, min: p.min, max: p.max,
      step: p.step, required: '' });
  if (p.kind === 'bool') label.append(input, document.createTextNode(` ${p.label}`));
  else label.append(document.createTextNode(`${p.label} `), input);
  return { label, input };
}

function build(view) {
  view.form = el('form', 'toolbar anomaly-form', { id: 'anomaly-form', 'aria-label': 'anomaly thresholds' });
  view.inputs = {};
  for (const p of PARAMETERS) {
    const { label, input } = thresholdInput(p);
    view.inputs[p.name] = input;
    view.form.append(label);
  }
  view.resetButton = button('Defaults', { id: 'anomaly-defaults', title: "the server's default thresholds" });
  view.csvButton = button('CSV', { id: 'export-anomalies-csv', title: 'the list as CSV' });
  view.jsonButton = button('JSON', { id: 'export-anomalies-json', title: 'the anomalies response as JSON' });
  view.form.append(el('button', 'primary', { type: 'submit', id: 'anomaly-apply' }, 'Apply'), view.resetButton,
    view.csvButton, view.jsonButton);
  view.busy = spinner(view.form);
  view.summary = el('p', 'anomaly-summary', { id: 'anomalies-summary', role: 'status' });
  view.list = el('div', 'anomaly-list', { id: 'anomaly-list' });
  const flipsPart = el('div', 'flips-part');
  flipsPart.append(el('h4', null, null, 'Where each prediction settles (logit lens)'),
    el('p', 'muted small', null, 'Per position: the final top-1 token and the layer from which the lens keeps it. Highlighted: it appeared earlier and was lost. Click to open the logit lens.'));
  view.flips = el('div', 'lens-flips', { id: 'lens-flips' });
  flipsPart.append(view.flips);
  view.root.replaceChildren(view.form, view.summary, view.list, flipsPart);
}

export function mount(root, host) {
  const view = { root, host, data: null, events: listenerGroup() };
  build(view);
  view.loader = keyedLoader(view.busy);
  const redraw = () => { host.writeURL(); update(view).catch(host.showError); };
  view.form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply(view, redraw);
  });
  view.inputs.include_first_token.addEventListener('change', () => apply(view, redraw));
  view.resetButton.addEventListener('click', () => {
    host.state.anomalyParams = {};
    redraw();
  });
  view.csvButton.addEventListener('click', () => view.data && downloadCSV(`${host.baseName()}-anomalies.csv`, anomaliesCSVRows(view.data)));
  view.jsonButton.addEventListener('click', () => view.data && downloadJSON(`${host.baseName()}-anomalies.json`, view.data, 1));
  view.events.on(root, 'click', (event) => { // the section outlives the view: the listener goes with it
    const item = event.target.closest?.('[data-go]');
    if (item && root.contains(item)) go(host, JSON.parse(item.dataset.go));
  });
  return view;
}

/// The state takes the form's values that differ from the thresholds of the shown response (or were set before).
function apply(view, redraw) {
  if (!view.form.reportValidity()) return;
  const shown = view.data?.parameters || {};
  const params = { ...view.host.state.anomalyParams };
  for (const p of PARAMETERS) {
    const input = view.inputs[p.name];
    const value = p.kind === 'bool' ? String(input.checked) : input.value.trim();
    if (value !== String(shown[p.name]) || params[p.name] !== undefined) params[p.name] = value;
  }
  view.host.state.anomalyParams = params;
  redraw();
}

function go(host, target) {
  if (!target) return;
  if (target.view === 'attention') host.openAttention(target.layer, target.head);
  else if (target.view === 'graph') host.openNode(target.node);
  else if (target.view === 'lens') host.openLens(target.layer, target.position);
}

function fillForm(view, values) {
  for (const p of PARAMETERS) {
    if (values[p.name] === undefined) continue;
    const input = view.inputs[p.name];
    if (p.kind === 'bool') input.checked = String(values[p.name]) === 'true';
    else input.value = String(values[p.name]);
  }
}

export async function update(view) {
  const { host } = view;
  const params = host.state.anomalyParams;
  fillForm(view, params);
  // The first answer of a run computes the logit lens of every layer at every position (a minute or more for a
  // long prompt; later thresholds reuse it, as does the lens view).
  const n = host.run?.tokens?.length ?? 0;
  const label = n > 200 ? `looking for anomalies (the first time, the logit lens of every layer at ${n} positions)`
    : 'looking for anomalies';
  const data = await view.loader.load(`${host.runId}|${JSON.stringify(params)}`, label,
    () => api.anomalies(host.runId, params));
  if (!data) return;
  view.data = data;
  fillForm(view, data.parameters);
  const found = groupAnomalies(data.anomalies);
  view.list.dataset.count = String(data.anomalies.length);
  if (!found.length) {
    view.summary.textContent = '';
    view.list.replaceChildren(el('p', 'empty-state', { id: 'anomalies-empty' },
      'No anomalies at these thresholds. Lower them (e.g. high attention 0.3, count the first token) to see more.'));
  } else {
    const count = data.anomalies.length;
    view.summary.textContent = `${count} ${count === 1 ? 'anomaly' : 'anomalies'} at these thresholds: ` +
      found.map((g) => `${g.entries.length} ${g.title.toLowerCase()}`).join(', ') + '.';
    view.list.replaceChildren(...found.map((g) => renderGroup(g, data.tokens)));
  }
  renderFlips(view.flips, data.lens_flips || [], data.tokens);
}

export function destroy(view) {
  view.events.off();
  view.loader.cancel();
  view.busy.stop();
  view.root.replaceChildren();
}
