// The Teaching view (#view-teaching): one token through the model, read top to bottom (GET /api/runs/{id}/walk;
// docs/analyses.md §8): the token and its embedding, then per layer where its attention looked (each head's row of
// the pattern), how much the attention block and the FFN added, the residual's size, the neurons firing hardest and
// what the model would already predict (the logit lens, with the rank one layer earlier); finally the logits, the
// softmax and the sampling filters, whose sliders redraw the distribution at once from the full logits (GET
// /api/runs/{id}/logits, core/sampling.js). A run-page view (see pages/run/views.js).
import { api } from '../../core/api.js';
import { button, el } from '../../core/dom.js';
import { downloadCSV, downloadJSON } from '../../core/download.js';
import { fmt, num, percent, quoted } from '../../core/format.js';
import { keyedLoader } from '../../core/request-guard.js';
import { greenScale } from '../../components/color-scales.js';
import { spinner } from '../../components/spinner.js';
import { SAMPLING_DEFAULTS } from './url-state.js';
import { normScale, samplingFor, samplingRows, strongestKeys, walkCSVRows } from './walk-data.js';

export const name = 'teaching';
export { url } from './url-state.js';

export function mount(root, host) {
  const view = { root, host, walk: null, logits: null, order: null, orderKey: null };
  const bar = el('div', 'toolbar');
  const label = el('label', null, null, 'Position ');
  view.positionSelect = el('select', null, { id: 'walk-position' });
  label.append(view.positionSelect);
  const csvButton = button('CSV', { id: 'export-walk-csv', title: 'the figures of every layer as CSV' });
  const jsonButton = button('JSON', { id: 'export-walk-json', title: 'the walk response as JSON' });
  bar.append(label, csvButton, jsonButton);
  view.busy = spinner(bar);
  view.loader = keyedLoader(view.busy);
  view.caption = el('p', 'muted small', { id: 'walk-caption' });
  view.steps = el('ol', 'walk', { id: 'walk-steps' });
  view.sampling = samplingPanel(view);
  root.replaceChildren(bar, view.caption, view.steps, view.sampling.element);
  view.positionSelect.replaceChildren(...host.run.tokens.map((t, i) => new Option(`${i}: ${t.display}`, String(i))));
  view.positionSelect.addEventListener('change', () => {
    host.state.walkToken = Number(view.positionSelect.value);
    host.writeURL();
    update(view).catch(host.showError);
  });
  const base = () => `${host.baseName()}-walk-${position(view)}`;
  csvButton.addEventListener('click', () => view.walk && downloadCSV(`${base()}.csv`, walkCSVRows(view.walk)));
  jsonButton.addEventListener('click', () => view.walk && downloadJSON(`${base()}.json`, view.walk));
  return view;
}

/// The shown position (none chosen: the last token).
function position(view) {
  const t = view.host.state.walkToken;
  return t === null ? view.host.run.tokens.length - 1 : t;
}

export async function update(view) {
  const { host } = view;
  const n = host.run.tokens.length;
  if (host.state.walkToken !== null && !(host.state.walkToken >= 0 && host.state.walkToken < n)) {
    host.state.walkToken = null;
  }
  const t = position(view);
  view.positionSelect.value = String(t);
  const loaded = await view.loader.load(`${host.runId}:${t}`, 'walking the token through the model',
    async () => ({ walk: await api.walk(host.runId, t), logits: await api.logits(host.runId, t) }));
  if (!loaded) return;
  view.walk = loaded.walk;
  view.logits = loaded.logits;
  renderWalk(view);
  view.sampling.draw();
}

export function destroy(view) {
  view.loader.cancel();
  view.root.replaceChildren();
}

// ---------------------------------------------------------------------------------------------------------------
// The walk

function renderWalk(view) {
  const { walk, host } = view;
  const model = host.run.model;
  view.caption.textContent = `Token ${walk.token} ${quoted(walk.display)} (id ${walk.id}) through the `
    + `${walk.layers.length} layers of ${model.name}, read from top to bottom. Bars share one scale: the largest `
    + 'vector norm of the walk.';
  const scale = normScale(walk);
  const items = [embeddingStep(walk, scale)];
  for (const layer of walk.layers) items.push(layerStep(walk, layer, scale, host));
  view.steps.replaceChildren(...items);
}

function normBar(label, value, scale, kind) {
  const row = el('div', 'walk-bar');
  const track = el('span', 'walk-bar-track');
  const fill = el('span', `walk-bar-fill ${kind}`);
  fill.style.width = `${Math.max(0.5, (100 * value) / scale)}%`;
  track.append(fill);
  row.append(el('span', 'walk-bar-label', null, label), track, el('span', 'walk-bar-value', null, fmt(value, 2)));
  return row;
}

function lensChips(lens, className) {
  const list = el('ol', `walk-lens ${className ?? ''}`);
  lens.forEach((c, rank) => {
    const moved = c.previous_rank === null || c.previous_rank === undefined ? null : c.previous_rank - rank;
    const change = moved === null ? '' : moved === 0 ? ' =' : moved > 0 ? ` ↑${moved}` : ` ↓${-moved}`;
    const chip = el('li', 'walk-chip', { title: `logit ${fmt(c.logit, 3)}; rank one step earlier: ${c.previous_rank ?? '–'}` });
    chip.style.background = greenScale(Math.sqrt(c.probability));
    chip.append(el('span', 'tok', null, c.display), el('span', 'small', null, ` ${percent(c.probability)}${change}`));
    list.append(chip);
  });
  return list;
}

function embeddingStep(walk, scale) {
  const item = el('li', 'walk-step embedding', { 'data-step': 'embedding' });
  item.append(el('h3', null, null, `Token ${quoted(walk.display)} → embedding`));
  item.append(normBar('‖embedding‖', walk.embedding.norm, scale, 'residual'));
  item.append(el('p', 'muted small', null,
    `first values: ${walk.embedding.first_values.map((v) => num(v, 3)).join(', ')} … (the row the first layer reads)`));
  item.append(el('p', 'small', null, 'Read as a prediction already (the lens of the embedding):'), lensChips(walk.embedding.lens));
  return item;
}

function attentionCanvas(layer, tokens) {
  const heads = layer.attention.length, keys = layer.attention[0].length;
  const cell = Math.max(1, Math.min(14, Math.floor(560 / keys)));
  const canvas = el('canvas', 'walk-attention', {
    width: keys * cell, height: heads * 10, role: 'img',
    'aria-label': `attention of each of the ${heads} heads over positions 0 to ${keys - 1}`,
  });
  const context = canvas.getContext('2d');
  if (context) {
    for (let h = 0; h < heads; h++) {
      for (let k = 0; k < keys; k++) {
        context.fillStyle = greenScale(Math.sqrt(layer.attention[h][k]));
        context.fillRect(k * cell, h * 10, cell, 9);
      }
    }
  }
  canvas.title = layer.attention.map((row, h) => `head ${h}: ${strongestKeys(row, 2)
    .map(({ k, p }) => `${quoted(tokens[k])} ${percent(p)}`).join(', ')}`).join('\n');
  return canvas;
}

function layerStep(walk, layer, scale, host) {
  const item = el('li', 'walk-step layer', { 'data-layer': layer.layer });
  const head = el('h3');
  head.append(`Layer ${layer.layer}`);
  const open = button('open in Attention', { title: `the attention maps of layer ${layer.layer}` }, 'link-button');
  open.addEventListener('click', () => host.openAttention(layer.layer, 0));
  head.append(' ', open);
  item.append(head);
  const attention = el('div', 'walk-attention-box');
  attention.append(el('span', 'walk-bar-label', null, 'attention'), attentionCanvas(layer, walk.tokens));
  const strongest = layer.attention.map((row) => strongestKeys(row, 1)[0]);
  const looked = el('p', 'muted small walk-looked');
  looked.textContent = 'strongest per head: ' + strongest
    .map(({ k, p }, h) => `h${h} → ${quoted(walk.tokens[k])} ${percent(p)}`).join(' · ');
  item.append(attention, looked);
  item.append(normBar('attention adds', layer.attention_output_norm, scale, 'attention'));
  item.append(normBar('FFN adds', layer.ffn_output_norm, scale, 'ffn'));
  item.append(normBar('‖residual‖', layer.residual_norm, scale, 'residual'));
  item.append(el('p', 'small walk-neurons', null, 'neurons firing hardest: ' + layer.neurons
    .map((n) => `#${n.index} (${fmt(n.activation, 2)})`).join(', ')));
  item.append(lensChips(layer.lens));
  return item;
}

// ---------------------------------------------------------------------------------------------------------------
// Logits, softmax and sampling

function slider(id, text, min, max, step, hint) {
  const wrap = el('label', 'walk-slider');
  const input = el('input', null, { id, type: 'range', min, max, step });
  const value = el('output', null, { for: id, id: `${id}-value` });
  wrap.append(el('span', null, null, text), input, value, el('span', 'muted small', null, hint));
  return { wrap, input, value };
}

function samplingPanel(view) {
  const element = el('section', 'walk-sampling', { id: 'walk-sampling' });
  element.append(el('h3', null, null, 'Logits → softmax → sampling'));
  element.append(el('p', 'muted small', null,
    'The next-token logits z after this position go through the repetition penalty (tokens already in the prompt), '
    + 'softmax(z / T), top-k and top-p, each renormalised; a token is drawn from what is left. Move a slider: the '
    + 'distribution is recomputed over the whole vocabulary.'));
  const temperature = slider('walk-temperature', 'temperature T', 0.05, 3, 0.05, 'below 1 sharpens, above 1 flattens');
  const topK = slider('walk-top-k', 'top-k', 0, 100, 1, '0: off');
  const topP = slider('walk-top-p', 'top-p', 0.05, 1, 0.01, '1: off');
  const penalty = slider('walk-penalty', 'repetition penalty', 1, 2, 0.05, '1: off');
  const reset = button('Reset', { id: 'walk-sampling-reset' });
  const controls = el('div', 'walk-sliders');
  controls.append(temperature.wrap, topK.wrap, topP.wrap, penalty.wrap, reset);
  const summary = el('p', 'small', { id: 'walk-sampling-summary' });
  const table = el('table', 'walk-sampling-table', { id: 'walk-sampling-table' });
  element.append(controls, summary, table);
  const inputs = { temperature, topK, topP, repetitionPenalty: penalty };

  function readInputs() {
    const s = view.host.state.sampling;
    s.temperature = Number(temperature.input.value);
    s.topK = Number(topK.input.value);
    s.topP = Number(topP.input.value);
    s.repetitionPenalty = Number(penalty.input.value);
  }

  function draw() {
    const s = view.host.state.sampling;
    for (const [key, control] of Object.entries(inputs)) {
      control.input.value = String(s[key]);
      control.value.textContent = key === 'topK' && s[key] === 0 ? 'off' : String(s[key]);
    }
    if (!view.logits) return;
    const previous = view.host.run.tokens.map((t) => t.id);
    const key = `${view.host.runId}:${position(view)}:${s.repetitionPenalty}`;
    let steps;
    if (view.orderKey === key) {
      steps = samplingFor(view.logits, s, previous, view.order);
    } else {
      steps = samplingFor(view.logits, s, previous);
      view.order = steps.order;
      view.orderKey = key;
    }
    const rows = samplingRows(steps, 12);
    const display = (id) => view.walk?.output.find((c) => c.id === id)?.display ?? `#${id}`;
    const best = steps.kept[0];
    summary.textContent = `${steps.kept.length.toLocaleString()} of ${steps.order.length.toLocaleString()} tokens `
      + `remain after the filters; the most probable is ${quoted(display(best))} at ${percent(steps.afterTopP[best])}.`;
    const header = el('tr');
    for (const text of ['token', 'logit z', 'softmax(z / T)', 'after top-k', 'after top-p']) header.append(el('th', null, null, text));
    const body = rows.map((row) => {
      const tr = el('tr', row.kept ? 'kept' : 'removed', { 'data-token': row.id });
      tr.append(el('td', 'tok', null, display(row.id)), el('td', 'num', null, fmt(row.logit, 3)));
      for (const p of [row.afterTemperature, row.afterTopK, row.afterTopP]) {
        const td = el('td', 'walk-p');
        const fill = el('span', 'walk-p-fill');
        fill.style.width = `${100 * p}%`;
        td.append(fill, el('span', 'walk-p-text', null, percent(p)));
        tr.append(td);
      }
      return tr;
    });
    table.replaceChildren(header, ...body);
  }

  for (const control of Object.values(inputs)) {
    control.input.addEventListener('input', () => {
      readInputs();
      draw();
    });
    control.input.addEventListener('change', () => view.host.writeURL());
  }
  reset.addEventListener('click', () => {
    Object.assign(view.host.state.sampling, SAMPLING_DEFAULTS);
    view.host.writeURL();
    draw();
  });
  return { element, draw };
}
