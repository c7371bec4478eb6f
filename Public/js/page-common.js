// Shared pieces of the Compare and Reports pages (js/compare.js, js/reports.js): the model menu from GET /api/models,
// the error box next to a form (the server's {"error": {code, message, details: {parameter}}}), visible spaces,
// splitting target and prompt lists. Plain ES module, no dependencies beyond api.js and analytics-common.js.
import { api } from './api.js';
import { h } from './analytics-common.js';

/// GET /api/models once per page.
let modelsPromise = null;
export function loadModels() {
  if (!modelsPromise) modelsPromise = api.models().catch((error) => { modelsPromise = null; throw error; });
  return modelsPromise;
}

/// Fills a <select> with the configured models; `chosen` (from the URL) wins over the server's default when it exists.
export function fillModelSelect(select, list, chosen) {
  select.replaceChildren(...list.models.map((model) => {
    const option = new Option(model.name + (model.description ? ` — ${model.description}` : ''), model.name);
    option.title = model.layers ? `${model.architecture}: ${model.layers} layers × ${model.heads} heads` : 'loaded on first use';
    return option;
  }));
  const names = list.models.map((m) => m.name);
  select.value = names.includes(chosen) ? chosen : (names.includes(list.default) ? list.default : names[0] || '');
}

/// Shows spaces as ␣ (and tabs/newlines as →/⏎) so that " he" and "he" look different.
export function visibleSpaces(text) {
  return String(text).replace(/ /g, '␣').replace(/\t/g, '→').replace(/\r?\n/g, '⏎');
}

/// Target texts from the targets box: one per line when there is more than one line (a target may then hold a
/// comma), else comma-separated. Leading and trailing spaces are kept: " he" is not "he". Empty items are dropped.
export function parseTargets(text) {
  const value = String(text).replace(/\r/g, '');
  const items = value.includes('\n') ? value.split('\n') : value.split(',');
  return items.filter((item) => item.length > 0);
}

/// Non-blank lines of a textarea (one prompt per line); a line is kept as typed (leading spaces too).
export function nonBlankLines(text) {
  return String(text).replace(/\r/g, '').split('\n').filter((line) => line.trim().length > 0);
}

/// An error box next to a form: the message, the parameter it names and the status; `fields(parameter, message)`
/// gives the inputs to mark aria-invalid.
export function errorBox(box, fields = () => []) {
  let marked = [];
  const unmark = () => {
    for (const field of marked) field.removeAttribute('aria-invalid');
    marked = [];
  };
  return {
    show(error) {
      unmark();
      const parameter = error?.details?.parameter;
      const lines = [h('strong', 'error-title', null, error?.status ? `${error.status} ${error.code || 'error'}` : 'Error')];
      lines.push(h('span', 'error-message', null, error?.message || String(error)));
      if (parameter) lines.push(h('span', 'error-parameter small', { 'data-parameter': parameter }, `parameter: ${parameter}`));
      if (error?.retryAfter) lines.push(h('span', 'small', null, `the server asks to retry in ${error.retryAfter} s`));
      box.replaceChildren(...lines);
      box.dataset.status = error?.status ? String(error.status) : '';
      box.dataset.code = error?.code || '';
      box.hidden = false;
      box.scrollIntoView?.({ block: 'nearest' });
      if (parameter) {
        marked = fields(parameter.split('.')[0], error.message || '').filter(Boolean);
        for (const field of marked) field.setAttribute('aria-invalid', 'true');
      }
    },
    clear() {
      unmark();
      box.hidden = true;
      box.replaceChildren();
      delete box.dataset.status;
      delete box.dataset.code;
    },
  };
}

/// A labelled form control in a block: <label for=id>text</label> then the control.
export function labelled(text, control, hint) {
  const wrap = h('div', 'field');
  const label = h('label', null, { for: control.id }, text);
  wrap.append(label, control);
  if (hint) wrap.append(h('p', 'muted small hint', { id: `${control.id}-hint` }, hint));
  if (hint) control.setAttribute('aria-describedby', `${control.id}-hint`);
  return wrap;
}

/// A short number: 4 significant digits, exponent notation for very small or large magnitudes, − for minus.
export function num(v, digits = 4) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '–';
  if (v === 0) return '0';
  const a = Math.abs(v);
  const text = a < 1e-3 || a >= 1e5 ? v.toExponential(Math.max(0, digits - 2)) : String(Number(v.toPrecision(digits)));
  return text.replace('-', '−');
}

/// A probability as a percentage with enough digits to be told apart from zero.
export function percent(p) {
  if (typeof p !== 'number' || !Number.isFinite(p)) return '–';
  const v = p * 100;
  if (v === 0) return '0%';
  return v >= 10 ? `${v.toFixed(1)}%` : v >= 0.01 ? `${v.toPrecision(3)}%` : `${v.toExponential(2)}%`;
}
