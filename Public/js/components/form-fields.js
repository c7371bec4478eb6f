// Form fields of the pages and views: a labelled control (in a block, or inline with a tooltip), a menu of options,
// the model menu.
import { el } from '../core/dom.js';

/// A labelled form control in a block: <label for=id>text</label> then the control, then an optional hint.
export function labelled(text, control, hint) {
  const wrap = el('div', 'field');
  wrap.append(el('label', null, { for: control.id }, text), control);
  if (hint) {
    wrap.append(el('p', 'muted small hint', { id: `${control.id}-hint` }, hint));
    control.setAttribute('aria-describedby', `${control.id}-hint`);
  }
  return wrap;
}

/// Fills a <select> with the configured models (GET /api/models); `chosen` (from the URL) wins over the server's
/// default when it exists.
export function fillModelSelect(select, list, chosen) {
  select.replaceChildren(...list.models.map((model) => {
    const option = new Option(model.name + (model.description ? ` — ${model.description}` : ''), model.name);
    option.title = model.layers ? `${model.architecture}: ${model.layers} layers × ${model.heads} heads` : 'loaded on first use';
    return option;
  }));
  const names = list.models.map((m) => m.name);
  select.value = names.includes(chosen) ? chosen : (names.includes(list.default) ? list.default : names[0] || '');
}

/// A labelled section of a page form: <h2><label for=id>text</label></h2> then the control(s).
export function formSection(labelText, control, ...rest) {
  const head = el('h2');
  head.append(el('label', null, { for: control.id }, labelText));
  const section = el('section');
  section.append(head, control, ...rest);
  return section;
}

/// An inline form control: <label class=className title=title>text control</label> (the views' toolbars).
export function inlineField(text, control, title, className) {
  const label = el('label', className, { title });
  label.append(document.createTextNode(`${text} `), control);
  return label;
}

/// A <select id=id> of [value, text] options.
export function selectOf(id, options) {
  const s = el('select', null, { id });
  s.replaceChildren(...options.map(([value, text]) => new Option(text, value)));
  return s;
}

/// A page form's submit (its button) and Ctrl+Enter (⌘+Enter) anywhere in it call onSubmit(); the browser's own
/// submit is prevented.
export function onFormSubmit(form, onSubmit) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    onSubmit();
  });
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      onSubmit();
    }
  });
}
