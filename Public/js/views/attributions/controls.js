// The attributions view's form: what to explain (target, contrast, objective, position) and how (the method whose
// scores colour the tokens, the baseline and steps of integrated gradients and occlusion, the norm of saliency),
// with the exports. read() gives the parameters typed so far (or the fields in error); sync(state) shows the state.
import { button, el } from '../../core/dom.js';
import { inlineField, selectOf } from '../../components/form-fields.js';
import { METHODS, NAMED_BASELINES, STEPS, baselineChoice, tokenSpec, validSteps } from './methods.js';

const labelled = (text, control, title) => inlineField(text, control, title, 'attr-field');
const select = selectOf;

/// The form's fields; on.change() after a committed change, on.submit() on Enter or the button.
export function createControls(tokens, on) {
  const f = {};
  f.form = el('form', 'attr-form', { id: 'attr-form', 'aria-label': 'attribution parameters' });
  f.target = el('input', 'attr-token-input', { id: 'attr-target', type: 'text', placeholder: 'top', spellcheck: 'false',
    autocomplete: 'off' });
  f.contrast = el('input', 'attr-token-input', { id: 'attr-contrast', type: 'text', placeholder: 'none', spellcheck: 'false',
    autocomplete: 'off' });
  f.objective = select('attr-objective', [['logit', 'logit'], ['logprob', 'log p']]);
  f.position = select('attr-position', tokens.map((t, i) => [String(i), `${i}: ${t.display}`]));
  f.method = select('attr-method', METHODS.map((m) => [m.key, m.label]));
  f.baseline = select('attr-baseline', [...NAMED_BASELINES.map((b) => [b, b]), ['token', 'token id…']]);
  f.baselineId = el('input', 'number-input', { id: 'attr-baseline-id', type: 'number', min: '0', step: '1',
    'aria-label': 'baseline token id', hidden: '' });
  f.steps = el('input', 'number-input', { id: 'attr-steps', type: 'number', min: String(STEPS.min), max: String(STEPS.max), step: '1' });
  f.norm = select('attr-norm', [['l2', 'L2'], ['l1', 'L1']]);
  f.apply = el('button', 'primary', { type: 'submit', id: 'attr-apply' }, 'Attribute');
  f.csv = button('CSV', { id: 'export-attr-csv', title: 'the table (every method per token) as CSV' });
  f.json = button('JSON', { id: 'export-attr-json', title: 'every method\'s response as JSON' });
  f.png = button('PNG', { id: 'export-attr-png', title: 'the coloured tokens as PNG' });
  const what = el('div', 'toolbar attr-row');
  what.append(labelled('Target', f.target, 'the token to explain: top (the top-1 prediction), a token id, or a one-token ' +
    'text (spaces count); or click a prediction under Next tokens'),
    labelled('rather than', f.contrast, 'a contrast token (id or text): f = logit(target) − logit(contrast), "why A rather than B"'),
    labelled('Objective', f.objective, 'f: the logit of the target, or its log-probability (ignored with a contrast)'),
    labelled('at position', f.position, 'the position whose next-token prediction is explained'), f.apply);
  const how = el('div', 'toolbar attr-row');
  const baseline = labelled('Baseline', f.baseline, 'integrated gradients and occlusion: the reference input E′ ' +
    '(zero embeddings, or a token\'s embedding at every position; pad and unk when the model has them)');
  baseline.append(f.baselineId);
  how.append(labelled('Colour by', f.method, 'the method whose scores colour the tokens'), baseline,
    labelled('IG steps', f.steps, `integrated gradients: the steps m of the midpoint rule (${STEPS.min}–${STEPS.max}; ` +
      'more than 64 run as a job with progress)'),
    labelled('Saliency norm', f.norm, 'saliency: the L2 or L1 norm of the gradient'), f.csv, f.json, f.png);
  f.form.append(what, how);
  f.form.addEventListener('submit', (event) => {
    event.preventDefault();
    on.submit();
  });
  for (const input of [f.target, f.contrast, f.steps, f.baselineId]) input.addEventListener('change', () => on.change());
  for (const s of [f.objective, f.position, f.method, f.norm]) s.addEventListener('change', () => on.change());
  f.baseline.addEventListener('change', () => {
    f.baselineId.hidden = f.baseline.value !== 'token';
    if (f.baseline.value === 'token') f.baselineId.focus();
    else on.change();
  });
  return {
    fields: f,
    element: f.form,

    /// The parameters in the form: {values} or {invalid: [fields]} (a token baseline without an id, steps out of
    /// range).
    read() {
      const invalid = [];
      let baseline = f.baseline.value;
      if (baseline === 'token') {
        baseline = f.baselineId.value.trim();
        if (!/^\d+$/.test(baseline)) invalid.push(f.baselineId);
      }
      if (!validSteps(f.steps.value)) invalid.push(f.steps);
      for (const field of [f.baselineId, f.steps]) field.toggleAttribute('aria-invalid', invalid.includes(field));
      if (invalid.length) return { invalid };
      const contrast = tokenSpec(f.contrast.value, null);
      return { values: {
        attrMethod: f.method.value, attrTarget: tokenSpec(f.target.value, 'top'), attrContrast: contrast,
        attrObjective: f.objective.value, attrPosition: Number(f.position.value), attrBaseline: baseline,
        attrSteps: Number(f.steps.value), attrNorm: f.norm.value,
      } };
    },

    /// The fields from the state (position: the resolved one).
    sync(state, position) {
      f.target.value = state.attrTarget === 'top' ? '' : state.attrTarget;
      f.contrast.value = state.attrContrast ?? '';
      f.objective.value = state.attrObjective;
      f.position.value = String(position);
      f.method.value = state.attrMethod;
      const choice = baselineChoice(state.attrBaseline);
      f.baseline.value = choice;
      f.baselineId.hidden = choice !== 'token';
      if (choice === 'token') f.baselineId.value = state.attrBaseline;
      f.steps.value = String(state.attrSteps);
      f.norm.value = state.attrNorm;
      for (const field of [f.baselineId, f.steps, f.target, f.contrast, f.baseline]) field.removeAttribute('aria-invalid');
    },

    /// The fields an API error's parameter names (to mark aria-invalid).
    fieldsFor(parameter) {
      return { target: [f.target], contrast: [f.contrast], baseline: [f.baseline, f.baselineId], steps: [f.steps],
        objective: [f.objective], position: [f.position], norm: [f.norm] }[parameter] || [];
    },
  };
}
