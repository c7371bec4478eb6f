// The Checkpoints mode's form: where the checkpoints come from (a configured series, or configured models in
// training order: rows that can be added, moved and removed), the prompts (one per line; choosing a series fills in
// its default prompts), ablation with its cost, Run, and the error box that marks the fields an error names.
import { button, el } from '../../../core/dom.js';
import { nonBlankLines, plural } from '../../../core/format.js';
import { errorBox } from '../../../components/error-box.js';
import { formSection, labelled, onFormSubmit } from '../../../components/form-fields.js';
import { segmentedControl } from '../../../components/segmented.js';
import { SOURCES, seriesAblationCost } from './checkpoints-state.js';

/// The empty state when the server names no series (shown whatever the source): what to put in its configuration.
function noSeriesNote() {
  const note = el('div', 'note small', { id: 'checkpoints-no-series', hidden: '' });
  note.append(el('p', null, null, 'This server\'s configuration names no checkpoint series. Add one under the top-level key '),
    el('pre', 'config-example', null, '"checkpoint_series": {\n  "tiny-train": {\n    "description": "…",\n' +
      '    "checkpoints": [\n      {"name": "step-0000", "path": "/models/run/step-0000"},\n' +
      '      {"name": "step-0050", "path": "/models/run/step-0050"}\n    ],\n    "prompts": ["…"]\n  }\n}'),
    el('p', null, null, 'and restart the server (a checkpoint may also be a configured model\'s name), or choose Models ' +
      'to measure configured models in training order.'));
  return note;
}

export class CheckpointsForm {
  /// on: {changed(), submit()}.
  constructor(on) {
    this.on = on;
    this.seriesList = [];
    this.models = [];
    this.form = el('form', 'page-form', { id: 'compare-checkpoints-form', novalidate: '', 'aria-label': 'checkpoint series' });
    this.sourceSwitch = segmentedControl({ id: 'checkpoints-source', legend: 'Checkpoints from', options: SOURCES,
      onChange: (name) => this.setSource(name, true) });
    this.buildSeries();
    this.buildModels();
    this.prompts = el('textarea', null, { id: 'checkpoints-prompts', rows: '7', spellcheck: 'false', wrap: 'off',
      'aria-describedby': 'checkpoints-prompt-count' });
    this.count = el('p', 'muted small', { id: 'checkpoints-prompt-count' });
    this.ablation = el('input', null, { type: 'checkbox', id: 'checkpoints-ablation' });
    this.ablation.checked = true;
    const ablationLabel = el('label', 'check', { for: 'checkpoints-ablation' });
    ablationLabel.append(this.ablation, ' Ablation (redundant heads)');
    this.ablationCost = el('p', 'muted small hint', { id: 'checkpoints-ablation-cost' });
    this.ablation.setAttribute('aria-describedby', 'checkpoints-ablation-cost');
    const options = el('section');
    options.append(el('h2', null, null, 'Options'), ablationLabel, this.ablationCost);
    this.submit = el('button', 'primary', { type: 'submit', id: 'checkpoints-run' }, 'Run');
    const submitRow = el('div', 'row');
    submitRow.append(el('span', 'muted small', null, 'Ctrl+Enter'), this.submit);
    this.errorElement = el('div', 'error', { id: 'checkpoints-error', role: 'alert', hidden: '' });
    this.error = errorBox(this.errorElement, (parameter) => this.fieldsFor(parameter));
    this.noSeries = noSeriesNote();
    this.form.append(this.sourceSwitch.element, this.noSeries, this.seriesBox, this.modelsBox,
      formSection('Prompts, one per line', this.prompts, this.count), options, submitRow, this.errorElement);
    this.wire();
  }

  buildSeries() {
    this.series = el('select', null, { id: 'checkpoints-series' });
    this.seriesInfo = el('p', 'muted small hint', { id: 'checkpoints-series-info' });
    this.seriesBox = el('div', 'mode-box', { id: 'checkpoints-series-box' });
    this.seriesField = labelled('Series', this.series);
    this.seriesField.append(this.seriesInfo);
    this.seriesBox.append(this.seriesField);
  }

  buildModels() {
    this.modelList = el('ol', 'row-list checkpoint-rows', { id: 'checkpoints-models', 'aria-label': 'checkpoints in training order' });
    this.addModel = button('+ checkpoint', { id: 'checkpoints-add-model' }, 'small-button add-row');
    this.modelsBox = el('div', 'mode-box', { id: 'checkpoints-models-box', hidden: '' });
    const head = el('div', 'row');
    head.append(el('span', 'field-title', null, 'Configured models, in training order'), this.addModel);
    this.modelsBox.append(head, this.modelList, el('p', 'muted small hint', null,
      'First the earliest checkpoint. All must have one shape (layers × heads) and one tokenizer.'));
  }

  wire() {
    onFormSubmit(this.form, () => this.on.submit());
    this.prompts.addEventListener('input', () => this.updateCount());
    this.form.addEventListener('input', () => this.on.changed());
    this.form.addEventListener('change', () => { this.updateCost(); this.on.changed(); });
    this.series.addEventListener('change', () => this.showSeries(true));
    this.addModel.addEventListener('click', () => {
      const used = this.state.checkpoints;
      this.modelRow(this.models.find((m) => !used.includes(m.name))?.name || this.models[0]?.name || '');
      this.rowsChanged();
      [...this.modelList.querySelectorAll('select')].pop()?.focus();
    });
  }

  /// A row of the models list: the model menu, then ↑ ↓ × (move earlier, later, remove).
  modelRow(name) {
    const li = el('li', 'checkpoint-row');
    const select = el('select', 'checkpoint-model');
    select.replaceChildren(...this.models.map((m) => new Option(m.name + (m.description ? ` — ${m.description}` : ''), m.name)));
    if (name) select.value = name;
    const up = button('↑', { title: 'earlier in training' }, 'small-button move-up');
    const down = button('↓', { title: 'later in training' }, 'small-button move-down');
    const remove = button('×', { title: 'remove this checkpoint' }, 'small-button remove-row');
    up.addEventListener('click', () => { li.previousElementSibling?.before(li); this.rowsChanged(); });
    down.addEventListener('click', () => { li.nextElementSibling?.after(li); this.rowsChanged(); });
    remove.addEventListener('click', () => { li.remove(); this.rowsChanged(); });
    li.append(select, up, down, remove);
    this.modelList.append(li);
  }

  /// The rows' labels counted again from 1, the ends' moves and removing the last row disabled.
  renumber() {
    const rows = [...this.modelList.children];
    rows.forEach((li, i) => {
      li.querySelector('select').setAttribute('aria-label', `checkpoint ${i + 1}`);
      li.querySelector('.move-up').setAttribute('aria-label', `move checkpoint ${i + 1} earlier`);
      li.querySelector('.move-down').setAttribute('aria-label', `move checkpoint ${i + 1} later`);
      li.querySelector('.remove-row').setAttribute('aria-label', `remove checkpoint ${i + 1}`);
      li.querySelector('.move-up').disabled = i === 0;
      li.querySelector('.move-down').disabled = i === rows.length - 1;
      li.querySelector('.remove-row').disabled = rows.length <= 1; // fewer than two: the server says why
    });
    this.updateCost();
  }

  rowsChanged() {
    this.renumber();
    this.on.changed();
  }

  setSource(source, fromUser = false) {
    this.source = source;
    this.sourceSwitch.set(source);
    this.seriesBox.hidden = source !== 'series';
    this.modelsBox.hidden = source !== 'models';
    this.updateCount();
    this.updateCost();
    if (fromUser) this.on.changed();
  }

  /// The chosen series' description and checkpoints under its menu; fillPrompts: its default prompts into the box.
  showSeries(fillPrompts) {
    const s = this.seriesList.find((x) => x.name === this.series.value);
    this.seriesInfo.textContent = s ? `${s.description ? `${s.description} · ` : ''}${plural(s.checkpoints.length, 'checkpoint')}: ` +
      `${s.checkpoints.join(', ')} · ${plural(s.prompts.length, 'default prompt')}` : '';
    if (fillPrompts && s && s.prompts.length) {
      this.prompts.value = s.prompts.join('\n');
      this.updateCount();
    }
  }

  /// The menus from GET /api/checkpoint-series and GET /api/models, then the form {source, series, checkpoints,
  /// ablation, prompts (text, or null: the series' default prompts)}.
  fill(seriesList, models, form) {
    this.seriesList = seriesList;
    this.models = models;
    this.series.replaceChildren(...seriesList.map((s) => new Option(s.name + (s.description ? ` — ${s.description}` : ''), s.name)));
    this.series.disabled = !seriesList.length;
    this.seriesField.hidden = !seriesList.length;
    this.noSeries.hidden = seriesList.length > 0;
    if (form.series) this.series.value = form.series;
    this.modelList.replaceChildren();
    for (const name of form.checkpoints) this.modelRow(name);
    this.ablation.checked = form.ablation;
    this.setSource(form.source);
    if (form.prompts !== null) this.prompts.value = form.prompts;
    this.prompts.placeholder = 'one prompt per line';
    this.showSeries(form.prompts === null);
    this.renumber();
    this.updateCount();
  }

  /// The prompts and ablation a finished series was measured with (a reload of a job started elsewhere).
  fillFromReport(report) {
    this.prompts.value = report.prompts.join('\n');
    this.ablation.checked = Boolean(report.options.ablation);
    this.updateCount();
  }

  /// The inputs an error's parameter names.
  fieldsFor(parameter) {
    if (parameter === 'series') return this.source === 'series' ? [this.series] : [];
    if (parameter === 'checkpoints') return this.source === 'series' ? [this.series] : [...this.modelList.querySelectorAll('select')];
    if (parameter === 'prompts') return [this.prompts];
    if (parameter === 'ablation') return [this.ablation];
    return [];
  }

  updateCount() {
    const n = nonBlankLines(this.prompts.value).length;
    const s = this.source === 'series' ? this.seriesList.find((x) => x.name === this.series.value) : null;
    this.count.textContent = n ? `${plural(n, 'prompt')} · at most 50`
      : s && s.prompts.length ? `no prompts: the series' ${plural(s.prompts.length, 'default prompt')} are used` : 'no prompts yet';
  }

  updateCost() {
    const first = this.source === 'models' ? this.models.find((m) => m.name === this.modelList.querySelector('select')?.value) : null;
    this.ablationCost.textContent = seriesAblationCost(first);
  }

  /// {source, series, checkpoints, prompts, ablation}.
  get state() {
    return { source: this.source, series: this.series.value, checkpoints: [...this.modelList.querySelectorAll('select')].map((s) => s.value),
      prompts: this.prompts.value, ablation: this.ablation.checked };
  }
}
