// The Models mode's form: models A and B (the configured ones, with a swap), the one text both read, how many
// next tokens to list, and the error box that marks the fields an error names.
import { button, el } from '../../../core/dom.js';
import { errorBox } from '../../../components/error-box.js';
import { fillModelSelect, labelled, onFormSubmit } from '../../../components/form-fields.js';
import { TOP_K_RANGE } from './models-state.js';

export class ModelsForm {
  /// on: {changed(), submit()}.
  constructor(on) {
    this.on = on;
    this.form = el('form', 'page-form', { id: 'compare-models-form', novalidate: '', 'aria-label': 'model comparison' });
    this.a = el('select', null, { id: 'compare-model-a' });
    this.b = el('select', null, { id: 'compare-model-b' });
    this.swap = button('⇅ swap', { id: 'compare-models-swap', title: 'swap models A and B' }, 'small-button');
    this.text = el('textarea', 'prompt-input', { id: 'compare-text', rows: '3', spellcheck: 'false' });
    this.topK = el('input', null, { id: 'compare-top-k', type: 'number', min: String(TOP_K_RANGE[0]), max: String(TOP_K_RANGE[1]), step: '1' });
    this.submit = el('button', 'primary', { type: 'submit', id: 'compare-models-submit' }, 'Compare');
    const submitRow = el('div', 'row');
    submitRow.append(el('span', 'muted small', null, 'Ctrl+Enter'), this.submit);
    this.errorElement = el('div', 'error', { id: 'compare-models-error', role: 'alert', hidden: '' });
    this.error = errorBox(this.errorElement, (parameter) => this.fieldsFor(parameter));
    const swapRow = el('div', 'row');
    swapRow.append(el('span', 'muted small', null, 'Each model tokenises the text itself.'), this.swap);
    this.form.append(labelled('Model A', this.a), labelled('Model B', this.b), swapRow,
      labelled('Text', this.text, 'Both models read it; their next-token predictions after it are compared.'),
      labelled('Next tokens listed (top-k)', this.topK), submitRow, this.errorElement);
    this.wire();
  }

  wire() {
    onFormSubmit(this.form, () => this.on.submit());
    this.form.addEventListener('input', () => this.on.changed());
    this.form.addEventListener('change', () => this.on.changed());
    this.swap.addEventListener('click', () => {
      [this.a.value, this.b.value] = [this.b.value, this.a.value];
      this.on.changed();
    });
  }

  /// The inputs an error's parameter names.
  fieldsFor(parameter) {
    if (parameter === 'models') return [this.a, this.b];
    if (parameter === 'prompt') return [this.text];
    if (parameter === 'top_k') return [this.topK];
    return [];
  }

  /// Both model menus from GET /api/models, A and B as chosen (models-state.js defaultPair).
  fillModels(list, [a, b]) {
    fillModelSelect(this.a, list, a);
    fillModelSelect(this.b, list, b);
  }

  fill(form) {
    this.text.value = form.text;
    this.topK.value = String(form.topK);
  }

  get state() {
    return { a: this.a.value, b: this.b.value, text: this.text.value, topK: Number(this.topK.value) };
  }
}
