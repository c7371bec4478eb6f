// The Reports page's form: the model, the prompts (one per line, with their count against the server's limit),
// ablation (with its cost) and the clusters K, the Start button and the error box.
import { el } from '../../core/dom.js';
import { isNum } from '../../core/format.js';
import { errorBox } from '../../components/error-box.js';
import { formSection } from '../../components/form-fields.js';
import { DEFAULT_K, ablationCost, nonBlankLines } from './reports-state.js';

export class ReportForm {
  /// on: {start(), changed()}.
  constructor(on) {
    this.models = null;
    this.limits = {};
    this.form = el('form', 'page-form', { id: 'report-form', novalidate: '', 'aria-label': 'report' });
    this.model = el('select', null, { id: 'report-model' });
    this.prompts = el('textarea', null, { id: 'report-prompts', rows: '9', spellcheck: 'false', wrap: 'off',
      'aria-describedby': 'report-prompt-count' });
    this.count = el('p', 'muted small', { id: 'report-prompt-count' });
    this.startButton = el('button', 'primary', { type: 'submit', id: 'report-start' }, 'Start');
    const startRow = el('div', 'row');
    startRow.append(el('span', 'muted small', null, 'Ctrl+Enter'), this.startButton);
    this.errorElement = el('div', 'error', { id: 'report-error', role: 'alert', hidden: '' });
    this.error = errorBox(this.errorElement, (parameter) => (
      parameter === 'prompts' ? [this.prompts] : parameter === 'model' ? [this.model]
        : parameter === 'options' ? [this.clusters, this.ablation] : []));
    this.form.append(formSection('Model', this.model), formSection('Prompts, one per line', this.prompts, this.count),
      this.options(), startRow, this.errorElement);
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      on.start();
    });
    this.form.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        on.start();
      }
    });
    this.prompts.addEventListener('input', () => this.updateCount());
    this.model.addEventListener('change', () => { this.updateCost(); on.changed(); });
    this.ablation.addEventListener('change', on.changed);
    this.clusters.addEventListener('change', on.changed);
  }

  options() {
    const section = el('section');
    section.append(el('h2', null, null, 'Options'));
    this.ablation = el('input', null, { type: 'checkbox', id: 'report-ablation' });
    this.ablation.checked = true;
    const ablationLabel = el('label', 'check', { for: 'report-ablation' });
    ablationLabel.append(this.ablation, ' Ablation');
    this.ablationCost = el('p', 'muted small hint', { id: 'report-ablation-cost' });
    this.ablation.setAttribute('aria-describedby', 'report-ablation-cost');
    this.clusters = el('input', 'number-input', { type: 'number', id: 'report-clusters', min: '1', max: '64', step: '1',
      value: String(DEFAULT_K) });
    const clustersLabel = el('label', 'control inline-control', { for: 'report-clusters' }, 'Clusters K ');
    clustersLabel.append(this.clusters);
    section.append(ablationLabel, this.ablationCost, clustersLabel,
      el('p', 'muted small hint', null, 'k-means over the heads\' mean metrics (1–64).'));
    return section;
  }

  /// {model, prompts, ablation, clusters} (clusters: the number, or the text when it is not a whole number).
  get state() {
    const k = Number(this.clusters.value);
    return { model: this.model.value, prompts: this.prompts.value, ablation: this.ablation.checked,
             clusters: Number.isInteger(k) ? k : this.clusters.value };
  }

  /// Sets the fields a form names (the model only when the menu has it).
  fill(form) {
    if (form.prompts !== undefined) this.prompts.value = form.prompts;
    if (form.ablation !== undefined) this.ablation.checked = Boolean(form.ablation);
    if (form.clusters !== undefined) this.clusters.value = String(form.clusters);
    if (form.model && [...this.model.options].some((o) => o.value === form.model)) this.model.value = form.model;
    this.updateCount();
    this.updateCost();
  }

  updateCount() {
    const n = nonBlankLines(this.prompts.value).length;
    const limit = this.limits?.max_report_prompts;
    this.count.textContent = `${n} prompt${n === 1 ? '' : 's'}` +
      (isNum(limit) ? ` · at most ${limit}` : ' · the server limits the count (limits.max_report_prompts)');
    this.count.classList.toggle('down', isNum(limit) && n > limit);
  }

  updateCost() {
    this.ablationCost.textContent = ablationCost(this.models?.find((m) => m.name === this.model.value));
  }
}
