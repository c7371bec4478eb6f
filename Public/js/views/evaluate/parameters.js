// The evaluation's explainers and settings (POST /api/explanations, docs/analyses.md §7): what each explainer is,
// the ranges the server accepts, the form's values checked against them, and the job's JSON body. Pure: no DOM.

/// key: the API's name; label: how the view names it; color: its line in the curves (fixed per explainer, so
/// that a subset keeps its colours; the HTML report's palette).
export const METHODS = [
  { key: 'saliency', label: 'saliency', color: '#1f77b4',
    title: 'saliency: the L2 norm of ∂f/∂e_t, how sensitive f is to the token\'s embedding' },
  { key: 'gradxinput', label: 'gradient × input', color: '#d62728', title: 'gradient × input: Σ_j (∂f/∂e_t)_j · e_t,j' },
  { key: 'ig', label: 'IG', color: '#2ca02c',
    title: 'integrated gradients: (e_t − e′_t) · the mean gradient on the path from the baseline (midpoint rule, m steps)' },
  { key: 'occlusion', label: 'occlusion', color: '#9467bd',
    title: 'occlusion (leave one out): f(E) − f(E with row t replaced by the baseline row)' },
  { key: 'attention-gradient', label: 'attention × gradient', color: '#ff7f0e',
    title: 'attention × gradient: Σ_l Σ_q mean_h ReLU(A · ∂f/∂A)' },
  { key: 'contribution-share', label: 'contribution share', color: '#8c564b',
    title: 'the contribution graph\'s rollout to the target: attention edges summed over heads plus the residual, per layer' },
];
export const METHOD_KEYS = METHODS.map((m) => m.key);

export const OBJECTIVES = ['logit', 'logprob'];
export const NAMED_BASELINES = ['zero', 'pad', 'unk']; // or a token id
export const STEPS = { min: 1, max: 1024, default: 32 };
export const NOISE_SAMPLES = { min: 0, max: 64, default: 3 };
export const SIGMA = { max: 10, default: 0.01 }; // above 0
export const RANDOM_ORDERS = 8; // the server's seeded random orders (seeds 1…8)

const INDEX = /^\d+$/;

export function methodInfo(key) {
  return METHODS.find((m) => m.key === key) || { key, label: key, color: '#444444', title: key };
}

/// Explainer names in the canonical order, duplicates and unknown names dropped.
export function canonicalMethods(keys) {
  const chosen = new Set(keys);
  return METHOD_KEYS.filter((key) => chosen.has(key));
}

/// A typed target or contrast: '' → `fallback`; anything else as typed (spaces count).
export function tokenSpec(text, fallback) {
  return text === '' || text === null || text === undefined ? fallback : String(text);
}

/// A target, contrast or baseline as the JSON body wants it: a decimal id as a number, a text as a string.
export function tokenValue(spec) {
  return INDEX.test(spec) ? Number(spec) : spec;
}

/// The baseline picker's choice for a baseline: zero, pad, unk or token (an id).
export function baselineChoice(baseline) {
  return NAMED_BASELINES.includes(baseline) ? baseline : 'token';
}

export function validSteps(value) {
  const n = Number(value);
  return value !== '' && Number.isInteger(n) && n >= STEPS.min && n <= STEPS.max;
}

export function validNoiseSamples(value) {
  const n = Number(value);
  return value !== '' && Number.isInteger(n) && n >= NOISE_SAMPLES.min && n <= NOISE_SAMPLES.max;
}

export function validSigma(value) {
  const s = Number(value);
  return value !== '' && Number.isFinite(s) && s > 0 && s <= SIGMA.max;
}

/// The first problem of a form's values, as the server would name it: {parameter, message}, or null. values:
/// {methods: [keys], steps, baseline, noiseSamples, sigma} as typed (strings or numbers).
export function settingsProblem(values) {
  if (!values.methods.length) {
    return { parameter: 'methods', message: `choose at least one explainer (${METHOD_KEYS.join(', ')})` };
  }
  if (!validSteps(String(values.steps))) {
    return { parameter: 'steps', message: `integrated-gradient steps must be a whole number from ${STEPS.min} to ${STEPS.max}` };
  }
  if (!NAMED_BASELINES.includes(values.baseline) && !INDEX.test(String(values.baseline))) {
    return { parameter: 'baseline', message: 'a token baseline needs a token id (a whole number)' };
  }
  if (!validNoiseSamples(String(values.noiseSamples))) {
    return { parameter: 'noise_samples',
      message: `noisy copies must be a whole number from ${NOISE_SAMPLES.min} to ${NOISE_SAMPLES.max}` };
  }
  if (!validSigma(String(values.sigma))) {
    return { parameter: 'sigma', message: `σ must be above 0 and at most ${SIGMA.max} (a multiple of the mean embedding norm)` };
  }
  return null;
}

/// The body of POST /api/explanations for the view's state and the run ({prompt, model: {name}}): the run's model
/// and prompt, then the state's target and settings (contrast and variant only when given).
export function explanationBody(state, run) {
  const body = {
    model: run.model.name,
    prompt: run.prompt,
    target: tokenValue(state.evalTarget),
    position: state.evalPosition ?? -1,
    objective: state.evalObjective,
    methods: canonicalMethods(state.evalMethods),
    steps: state.evalSteps,
    baseline: tokenValue(state.evalBaseline),
    noise_samples: state.evalNoiseSamples,
    sigma: state.evalSigma,
  };
  if (state.evalContrast !== null && state.evalContrast !== '') body.contrast = tokenValue(state.evalContrast);
  if (state.evalVariant) body.variant = state.evalVariant;
  return body;
}
