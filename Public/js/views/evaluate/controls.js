// The evaluate view's form: what to explain (target, contrast, objective, position; by default the run's top
// prediction after the last token) and how (the explainers, IG steps, the baseline, the noisy copies and their σ,
// an optional variant prompt), and the Evaluate button. read() gives the values typed (or the first problem, named
// as the server names the parameter); sync(state) shows the state; fieldsFor(parameter) the fields an error names.
import { el } from '../../core/dom.js';
import { inlineField, selectOf } from '../../components/form-fields.js';
import { METHODS, NAMED_BASELINES, NOISE_SAMPLES, SIGMA, STEPS, baselineChoice, settingsProblem, tokenSpec }
  from './parameters.js';

const labelled = (text, control, title) => inlineField(text, control, title, 'eval-field');
const select = selectOf;

function textInput(id, placeholder, className = 'eval-token-input') {
  return el('input', className, { id, type: 'text', placeholder, spellcheck: 'false', autocomplete: 'off' });
}

function methodBoxes(f) {
  f.methods = el('fieldset', 'eval-methods', { id: 'eval-methods' });
  f.methods.append(el('legend', null, null, 'Explainers'));
  f.methodBoxes = {};
  for (const m of METHODS) {
    const box = el('input', null, { type: 'checkbox', id: `eval-method-${m.key}`, value: m.key });
    const label = el('label', 'check-inline eval-method', { title: m.title });
    const mark = el('span', 'eval-method-mark', { 'aria-hidden': 'true' });
    mark.style.background = m.color;
    label.append(box, mark, document.createTextNode(m.label));
    f.methodBoxes[m.key] = box;
    f.methods.append(label);
  }
}

/// The form's fields; on.submit() on Enter or the Evaluate button.
export function createControls(tokens, on) {
  const f = {};
  f.form = el('form', 'eval-form', { id: 'eval-form', 'aria-label': 'evaluation parameters', novalidate: '' });
  f.target = textInput('eval-target', 'top');
  f.contrast = textInput('eval-contrast', 'none');
  f.objective = select('eval-objective', [['logit', 'logit'], ['logprob', 'log p']]);
  f.position = select('eval-position', tokens.map((t, i) => [String(i), `${i}: ${t.display}`]));
  methodBoxes(f);
  f.steps = el('input', 'number-input', { id: 'eval-steps', type: 'number', min: String(STEPS.min), max: String(STEPS.max),
    step: '1' });
  f.baseline = select('eval-baseline', [...NAMED_BASELINES.map((b) => [b, b]), ['token', 'token id…']]);
  f.baselineId = el('input', 'number-input', { id: 'eval-baseline-id', type: 'number', min: '0', step: '1',
    'aria-label': 'baseline token id', hidden: '' });
  f.noise = el('input', 'number-input', { id: 'eval-noise', type: 'number', min: String(NOISE_SAMPLES.min),
    max: String(NOISE_SAMPLES.max), step: '1' });
  f.sigma = el('input', 'number-input', { id: 'eval-sigma', type: 'number', min: '0', max: String(SIGMA.max), step: 'any' });
  f.variant = textInput('eval-variant', 'the same number of tokens as the prompt', 'eval-variant-input');
  f.start = el('button', 'primary', { type: 'submit', id: 'eval-start',
    title: 'run the evaluation as a job on the server (POST /api/explanations)' }, 'Evaluate');

  const what = el('div', 'toolbar eval-row');
  what.append(labelled('Target', f.target, 'the token to explain: top (the top-1 prediction), a token id, or a one-token ' +
    'text (spaces count)'),
    labelled('rather than', f.contrast, 'a contrast token (id or text): f = logit(target) − logit(contrast)'),
    labelled('Objective', f.objective, 'f: the logit of the target, or its log-probability (ignored with a contrast)'),
    labelled('at position', f.position, 'the position whose next-token prediction is explained'));
  const how = el('div', 'toolbar eval-row');
  const baseline = labelled('Baseline', f.baseline, 'the row that replaces a position in the deletion and insertion ' +
    'curves, and the reference of IG and occlusion: zero embeddings, or a token\'s embedding (pad and unk when the ' +
    'model has them)');
  baseline.append(f.baselineId);
  how.append(labelled('IG steps', f.steps, `integrated gradients: the steps m of the midpoint rule (${STEPS.min}–${STEPS.max})`),
    baseline,
    labelled('Noisy copies', f.noise, `stability: the count of noisy copies of the embeddings (${NOISE_SAMPLES.min}–` +
      `${NOISE_SAMPLES.max}; seeds 1001, 1002, …)`),
    labelled('σ', f.sigma, `stability: the noise's standard deviation per coordinate, as a multiple of the mean embedding ` +
      `norm (above 0, at most ${SIGMA.max})`),
    labelled('Variant', f.variant, 'stability (optional): another prompt with as many tokens, whose scores are compared ' +
      'with the prompt\'s by Spearman'),
    f.start);
  f.form.append(what, f.methods, how);
  f.form.addEventListener('submit', (event) => {
    event.preventDefault();
    on.submit();
  });
  f.baseline.addEventListener('change', () => {
    f.baselineId.hidden = f.baseline.value !== 'token';
    if (f.baseline.value === 'token') f.baselineId.focus();
  });
  const marked = [f.target, f.contrast, f.objective, f.position, f.methods, f.steps, f.baseline, f.baselineId, f.noise,
    f.sigma, f.variant];

  return {
    fields: f,
    element: f.form,

    /// The form's values under the state's names ({values}), or {problem: {parameter, message}} for the first bad
    /// one (as the server would name it).
    read() {
      const baseline = f.baseline.value === 'token' ? f.baselineId.value.trim() : f.baseline.value;
      const raw = { methods: METHODS.map((m) => m.key).filter((key) => f.methodBoxes[key].checked), steps: f.steps.value.trim(),
        baseline, noiseSamples: f.noise.value.trim(), sigma: f.sigma.value.trim() };
      const problem = settingsProblem(raw);
      if (problem) return { problem };
      return { values: {
        evalTarget: tokenSpec(f.target.value, 'top'), evalContrast: tokenSpec(f.contrast.value, null),
        evalObjective: f.objective.value, evalPosition: Number(f.position.value), evalMethods: raw.methods,
        evalSteps: Number(raw.steps), evalBaseline: baseline, evalNoiseSamples: Number(raw.noiseSamples),
        evalSigma: Number(raw.sigma), evalVariant: f.variant.value.trim() ? f.variant.value : null,
      } };
    },

    /// The fields from the state (position: the resolved one).
    sync(state, position) {
      f.target.value = state.evalTarget === 'top' ? '' : state.evalTarget;
      f.contrast.value = state.evalContrast ?? '';
      f.objective.value = state.evalObjective;
      f.position.value = String(position);
      for (const m of METHODS) f.methodBoxes[m.key].checked = state.evalMethods.includes(m.key);
      f.steps.value = String(state.evalSteps);
      const choice = baselineChoice(state.evalBaseline);
      f.baseline.value = choice;
      f.baselineId.hidden = choice !== 'token';
      f.baselineId.value = choice === 'token' ? state.evalBaseline : '';
      f.noise.value = String(state.evalNoiseSamples);
      f.sigma.value = String(state.evalSigma);
      f.variant.value = state.evalVariant ?? '';
      for (const field of marked) field.removeAttribute('aria-invalid');
    },

    /// The fields an API error's parameter names (to mark aria-invalid).
    fieldsFor(parameter) {
      return { target: [f.target], contrast: [f.contrast], objective: [f.objective], position: [f.position],
        methods: [f.methods], steps: [f.steps], baseline: [f.baseline, f.baselineId], noise_samples: [f.noise],
        sigma: [f.sigma], variant: [f.variant] }[parameter] || [];
    },

    /// While a job runs the button says so (a press cancels it and starts another).
    setRunning(running) {
      f.start.textContent = running ? 'Evaluate again' : 'Evaluate';
      f.start.title = running ? 'cancel the running evaluation and start one with these settings'
        : 'run the evaluation as a job on the server (POST /api/explanations)';
    },
  };
}
