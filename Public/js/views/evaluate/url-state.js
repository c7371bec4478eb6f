// The evaluate view's part of the run page's state and URL (see core/url-state.js), every name prefixed with
// eval_ (the attributions view reads target, steps, baseline… from the same query): eval_methods=a,b (none: all
// six), eval_target=top|id|text, eval_contrast, eval_objective=logit|logprob, eval_position=N (none: the last
// token), eval_steps=M, eval_baseline=zero|pad|unk|id, eval_noise=S, eval_sigma=σ, eval_variant=text, the finished
// or running job eval_job=id, and the agreement matrix shown, eval_matrix=spearman|overlap. Defaults are left out.
// The settings are those of the job (they are taken from the form when Evaluate is pressed). Pure: no DOM.
import { METHOD_KEYS, NAMED_BASELINES, NOISE_SAMPLES, OBJECTIVES, SIGMA, STEPS, canonicalMethods, validNoiseSamples,
  validSigma, validSteps } from './parameters.js';

export const MATRICES = ['spearman', 'overlap'];
const INDEX = /^\d+$/;
const JOB_ID = /^[A-Za-z0-9_-]{1,128}$/;

const DEFAULTS = {
  evalMethods: METHOD_KEYS, evalTarget: 'top', evalContrast: null, evalObjective: 'logit', evalPosition: null,
  evalSteps: STEPS.default, evalBaseline: 'zero', evalNoiseSamples: NOISE_SAMPLES.default, evalSigma: SIGMA.default,
  evalVariant: null, evalJob: null, evalMatrix: 'spearman',
};

export const url = {
  defaults(state) {
    Object.assign(state, DEFAULTS, { evalMethods: [...METHOD_KEYS] });
  },

  read(params, state) {
    url.defaults(state);
    const get = (name) => params.get(name);
    if (get('eval_methods')) {
      const methods = canonicalMethods(get('eval_methods').split(','));
      if (methods.length) state.evalMethods = methods;
    }
    if (get('eval_target')) state.evalTarget = get('eval_target');
    if (get('eval_contrast')) state.evalContrast = get('eval_contrast');
    if (OBJECTIVES.includes(get('eval_objective'))) state.evalObjective = get('eval_objective');
    if (INDEX.test(get('eval_position') || '')) state.evalPosition = Number(get('eval_position'));
    if (validSteps(get('eval_steps') ?? '')) state.evalSteps = Number(get('eval_steps'));
    const baseline = get('eval_baseline');
    if (NAMED_BASELINES.includes(baseline) || INDEX.test(baseline || '')) state.evalBaseline = baseline;
    if (validNoiseSamples(get('eval_noise') ?? '')) state.evalNoiseSamples = Number(get('eval_noise'));
    if (validSigma(get('eval_sigma') ?? '')) state.evalSigma = Number(get('eval_sigma'));
    if (get('eval_variant')) state.evalVariant = get('eval_variant');
    if (JOB_ID.test(get('eval_job') || '')) state.evalJob = get('eval_job');
    if (MATRICES.includes(get('eval_matrix'))) state.evalMatrix = get('eval_matrix');
  },

  write(state, params) {
    const methods = canonicalMethods(state.evalMethods);
    if (methods.length && methods.length < METHOD_KEYS.length) params.set('eval_methods', methods.join(','));
    const optional = [['eval_target', state.evalTarget, 'top'], ['eval_contrast', state.evalContrast, null],
      ['eval_objective', state.evalObjective, 'logit'], ['eval_position', state.evalPosition, null],
      ['eval_steps', state.evalSteps, STEPS.default], ['eval_baseline', state.evalBaseline, 'zero'],
      ['eval_noise', state.evalNoiseSamples, NOISE_SAMPLES.default], ['eval_sigma', state.evalSigma, SIGMA.default],
      ['eval_variant', state.evalVariant, null], ['eval_job', state.evalJob, null],
      ['eval_matrix', state.evalMatrix, 'spearman']];
    for (const [name, value, unset] of optional) if (value !== unset && value !== '') params.set(name, String(value));
  },

  newRun(state) {
    // the target, the variant (same token count) and the job belonged to the previous prompt
    Object.assign(state, { evalTarget: 'top', evalContrast: null, evalPosition: null, evalVariant: null, evalJob: null });
  },
};
