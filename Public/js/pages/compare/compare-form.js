// The Compare page's form: the model, the mode (a segmented radio group: pair, templates, set), the prompts of
// each mode (template and set rows can be added and removed), the targets with a preview of what is sent, and the
// error box that marks the fields an error names.
import { button, el } from '../../core/dom.js';
import { visibleSpaces } from '../../core/format.js';
import { errorBox } from '../../components/error-box.js';
import { formSection, labelled, onFormSubmit } from '../../components/form-fields.js';
import { segmentedControl } from '../../components/segmented.js';
import { MODES, parseTargets } from './compare-state.js';

/// A removable row of a list: its inputs, then a × button that removes it and calls removed().
function removableRow(className, inputs, removeLabel, removeTitle, removed) {
  const li = el('li', className);
  const remove = button('×', { 'aria-label': removeLabel, title: removeTitle }, 'small-button remove-row');
  remove.addEventListener('click', () => {
    li.remove();
    removed();
  });
  li.append(...inputs, remove);
  return li;
}

function textInput(className, attrs, value) {
  const input = el('input', className, { type: 'text', spellcheck: 'false', ...attrs });
  input.value = value;
  return input;
}

export class CompareForm {
  /// on: {changed(), submit()}.
  constructor(on) {
    this.on = on;
    this.form = el('form', 'page-form', { id: 'compare-form', novalidate: '', 'aria-label': 'comparison' });
    this.model = el('select', null, { id: 'compare-model' });
    this.buildModes();
    this.buildPrompts();
    this.targets = el('textarea', null, { id: 'compare-targets', rows: '2', spellcheck: 'false' });
    const targetsField = labelled('Targets', this.targets,
      'One per line, or comma-separated on one line. Spaces matter: " he" (␣he) and "he" are different tokens; ' +
      'only a target\'s first token is scored.');
    this.targetsPreview = el('div', 'target-chips', { id: 'compare-targets-preview', 'aria-live': 'polite',
      'aria-label': 'the targets as sent, spaces shown as ␣' });
    targetsField.append(this.targetsPreview);
    this.submit = el('button', 'primary', { type: 'submit', id: 'compare-submit' }, 'Compare');
    const submitRow = el('div', 'row');
    submitRow.append(el('span', 'muted small', null, 'Ctrl+Enter'), this.submit);
    this.errorElement = el('div', 'error', { id: 'compare-error', role: 'alert', hidden: '' });
    this.error = errorBox(this.errorElement, (parameter, message) => this.fieldsFor(parameter, message));
    this.form.append(formSection('Model', this.model), this.modes, this.pairBox, this.templatesBox, this.setBox, this.spanHelp,
      targetsField, submitRow, this.errorElement);
    this.wire();
  }

  /// The mode switch: a radio group drawn as a segmented control (arrow keys move between the modes).
  buildModes() {
    this.modeSwitch = segmentedControl({ id: 'compare-mode', legend: 'Prompts as', options: MODES,
      onChange: (name) => this.setMode(name, true) });
    this.modes = this.modeSwitch.element;
  }

  buildPrompts() {
    this.pairBox = el('div', 'mode-box', { id: 'compare-pair-box' });
    this.a = el('textarea', 'prompt-input', { id: 'compare-a', rows: '2', spellcheck: 'false' });
    this.b = el('textarea', 'prompt-input', { id: 'compare-b', rows: '2', spellcheck: 'false' });
    this.pairBox.append(labelled('Prompt A', this.a), labelled('Prompt B', this.b));
    const listBox = (name, title, list, add) => {
      const box = el('div', 'mode-box', { id: `compare-${name}-box`, hidden: '' });
      const head = el('div', 'row');
      head.append(el('span', 'field-title', null, title), add);
      box.append(head, list);
      return box;
    };
    this.templateList = el('ol', 'row-list', { id: 'compare-templates', 'aria-label': 'templates' });
    this.addTemplate = button('+ template', { id: 'compare-add-template' }, 'small-button add-row');
    this.slot = el('input', null, { id: 'compare-slot', type: 'text', spellcheck: 'false' });
    this.templatesBox = listBox('templates', 'Templates (each with one {})', this.templateList, this.addTemplate);
    this.templatesBox.append(labelled('Slot text', this.slot, 'Put in every {} and marked as the aligned span.'));
    this.setList = el('ol', 'row-list', { id: 'compare-set', 'aria-label': 'prompts of the set' });
    this.addPrompt = button('+ prompt', { id: 'compare-add-prompt' }, 'small-button add-row');
    this.setBox = listBox('set', 'Prompts (label optional)', this.setList, this.addPrompt);
    this.spanHelp = el('p', 'help small', { id: 'compare-span-help' });
    this.spanHelp.append('Mark the tokens to align with ', el('code', null, null, '[[…]]'),
      ', the same number of spans in every prompt: ', el('code', null, null, 'The [[doctor]] said that'),
      '. Without marks, tokens with identical text are aligned.');
  }

  wire() {
    onFormSubmit(this.form, () => this.on.submit());
    this.form.addEventListener('input', () => this.on.changed());
    this.model.addEventListener('change', () => this.on.changed());
    const focusLast = (list, selector) => [...list.querySelectorAll(selector)].pop()?.focus();
    this.addTemplate.addEventListener('click', () => { this.templateRow(''); this.on.changed(); focusLast(this.templateList, 'input'); });
    this.addPrompt.addEventListener('click', () => { this.setRow('', ''); this.on.changed(); focusLast(this.setList, '.set-prompt'); });
  }

  templateRow(text) {
    const index = this.templateList.children.length + 1;
    this.templateList.append(removableRow('template-row',
      [textInput('template-input', { 'aria-label': `template ${index}` }, text)],
      `remove template ${index}`, 'remove this template', () => this.rowRemoved(this.templateList, 'template')));
  }

  setRow(label, prompt) {
    const index = this.setList.children.length + 1;
    this.setList.append(removableRow('set-row', [
      textInput('set-label', { placeholder: 'label', 'aria-label': `label of prompt ${index}` }, label),
      textInput('set-prompt', { 'aria-label': `prompt ${index}` }, prompt),
    ], `remove prompt ${index}`, 'remove this prompt', () => this.rowRemoved(this.setList, 'prompt')));
  }

  /// After a row is removed: the rows' labels count again from 1.
  rowRemoved(list, noun) {
    [...list.children].forEach((li, i) => {
      const inputs = li.querySelectorAll('input');
      if (noun === 'template') inputs[0].setAttribute('aria-label', `template ${i + 1}`);
      else {
        inputs[0].setAttribute('aria-label', `label of prompt ${i + 1}`);
        inputs[1].setAttribute('aria-label', `prompt ${i + 1}`);
      }
      li.querySelector('.remove-row').setAttribute('aria-label', `remove ${noun} ${i + 1}`);
    });
    this.on.changed();
  }

  setMode(mode, fromUser = false) {
    this.mode = mode;
    this.modeSwitch.set(mode);
    this.pairBox.hidden = mode !== 'pair';
    this.templatesBox.hidden = mode !== 'templates';
    this.setBox.hidden = mode !== 'set';
    if (fromUser) this.on.changed();
  }

  /// The inputs an error's parameter names (marked aria-invalid next to the message).
  fieldsFor(parameter, message) {
    let prompts = this.mode === 'pair' ? [this.a, this.b]
      : this.mode === 'templates' ? [...this.templateList.querySelectorAll('input')]
        : [...this.setList.querySelectorAll('.set-prompt')];
    // "template 2 must contain…", "prompt 1 is empty": only that one (blank rows are not sent, so count the sent ones)
    const one = /\b(?:template|prompt) (\d+) (?:is empty|must contain|has \d+ bytes)/.exec(message);
    if (one && (parameter === 'prompts' || parameter === 'templates')) {
      const sent = this.mode === 'templates' ? prompts.filter((input) => input.value.trim().length > 0)
        : this.mode === 'set' ? prompts.filter((input) => input.value.length > 0
          || input.closest('li').querySelector('.set-label').value.trim().length > 0) : prompts;
      if (sent[Number(one[1]) - 1]) prompts = [sent[Number(one[1]) - 1]];
    }
    switch (parameter) {
      case 'prompts': return prompts;
      case 'templates': return prompts;
      case 'slot': return [this.slot];
      case 'targets': return [this.targets];
      case 'labels': return [...this.setList.querySelectorAll('.set-label')];
      case 'model': return [this.model];
      default: return [];
    }
  }

  renderTargetsPreview() {
    const targets = parseTargets(this.targets.value);
    if (!targets.length) {
      this.targetsPreview.replaceChildren(el('span', 'muted small', null, 'no targets: only the predictions are compared'));
      return;
    }
    this.targetsPreview.replaceChildren(...targets.map((t, i) =>
      el('span', 'target-chip', { 'data-index': i, title: `target ${i + 1}: "${t}"` }, visibleSpaces(t))));
  }

  /// The form as a state for compare-state.js (only the current mode's fields).
  get state() {
    const state = { mode: this.mode, model: this.model.value, targets: this.targets.value };
    if (this.mode === 'pair') {
      state.a = this.a.value;
      state.b = this.b.value;
    } else if (this.mode === 'templates') {
      state.templates = [...this.templateList.querySelectorAll('input')].map((i) => i.value);
      state.slot = this.slot.value;
    } else {
      state.set = [...this.setList.children].map((li) => ({
        label: li.querySelector('.set-label').value, prompt: li.querySelector('.set-prompt').value }));
    }
    return state;
  }

  /// Fills every mode's fields from a decoded URL (compare-state.js); the model is chosen once the menu is filled.
  fill(form) {
    this.a.value = form.a;
    this.b.value = form.b;
    this.templateList.replaceChildren();
    for (const t of form.templates) this.templateRow(t);
    this.slot.value = form.slot;
    this.setList.replaceChildren();
    for (const row of form.set) this.setRow(row.label, row.prompt);
    this.targets.value = form.targets;
    this.setMode(form.mode);
    this.renderTargetsPreview();
  }
}
