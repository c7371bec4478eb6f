// The attribution methods (docs/analyses.md §6) and their parameters: what each one is, the query of GET
// /api/runs/{id}/attributions for it, and whether it runs as a progress job. Pure: no DOM.

/// key: the API's method; short: the table's header; signed: scores of either sign (else ≥ 0); uses: the
/// parameters it reads besides the target.
export const METHODS = [
  { key: 'saliency', label: 'Saliency', short: 'saliency', signed: false, uses: ['norm'],
    title: 'saliency: the norm of ∂f/∂e_t (L2, or L1), how sensitive f is to the token\'s embedding' },
  { key: 'gradxinput', label: 'Gradient × input', short: 'grad × input', signed: true, uses: [],
    title: 'gradient × input: Σ_j (∂f/∂e_t)_j · e_t,j' },
  { key: 'ig', label: 'Integrated gradients', short: 'IG', signed: true, uses: ['steps', 'baseline'],
    title: 'integrated gradients: (e_t − e′_t) · the mean gradient along the path from the baseline (midpoint rule, m steps)' },
  { key: 'occlusion', label: 'Occlusion', short: 'occlusion', signed: true, uses: ['baseline'],
    title: 'occlusion (leave one out): f(E) − f(E with row t replaced by the baseline row)' },
  { key: 'attention-gradient', label: 'Attention × gradient', short: 'attn × grad', signed: false, uses: [],
    title: 'attention × gradient: Σ_l Σ_q mean_h ReLU(A[l,h][q,t] · ∂f/∂A[l,h][q,t])' },
  { key: 'gradient-flow', label: 'Gradient flow', short: 'grad flow', signed: false, uses: [],
    title: 'gradient flow: ‖∂f/∂x_t‖₂ at every residual point; the per-token score is that of pre(0), the L2 saliency' },
];
export const METHOD_KEYS = METHODS.map((m) => m.key);

export const OBJECTIVES = ['logit', 'logprob'];
export const NORMS = ['l2', 'l1'];
export const NAMED_BASELINES = ['zero', 'pad', 'unk']; // or a token id
export const FLOW_POINTS = ['pre', 'mid', 'post', 'stacked'];
export const STEPS = { min: 1, max: 1024, default: 32 };
export const JOB_STEPS = 64; // integrated gradients with more steps runs as a job with progress
const SLOW_TOKEN_PASSES = 66 * 256; // passes × tokens beyond which a plain GET would keep the page waiting

/// The attribution parameters of the state (the view's part, url-state.js), the position resolved (none: the
/// last of n tokens).
export function attributionParams(state, n) {
  return {
    target: state.attrTarget, contrast: state.attrContrast, objective: state.attrObjective,
    position: state.attrPosition ?? n - 1, baseline: state.attrBaseline, steps: state.attrSteps, norm: state.attrNorm,
  };
}

export function methodInfo(key) {
  return METHODS.find((m) => m.key === key) || null;
}

/// The query of one method: the target's parameters, then only those the method reads (so that equal results share
/// the server's cache entry).
export function methodQuery(method, p) {
  const uses = methodInfo(method)?.uses || [];
  const query = { method, target: p.target, objective: p.objective };
  if (p.contrast !== null && p.contrast !== undefined && p.contrast !== '') query.contrast = p.contrast;
  query.position = String(p.position);
  if (uses.includes('steps')) query.steps = String(p.steps);
  if (uses.includes('baseline')) query.baseline = p.baseline;
  if (uses.includes('norm')) query.norm = p.norm;
  return query;
}

/// Forward/backward passes of a method on n tokens (integrated gradients: m + 2; occlusion: n + 2).
export function passes(method, steps, n) {
  if (method === 'ig') return steps + 2;
  if (method === 'occlusion') return n + 2;
  return 2;
}

/// Whether a method runs as a progress job: integrated gradients with more than 64 steps, or any method whose
/// passes over n tokens would keep a plain GET waiting long.
export function needsJob(method, steps, n) {
  return (method === 'ig' && steps > JOB_STEPS) || passes(method, steps, n) * n > SLOW_TOKEN_PASSES;
}

/// A typed target or contrast: '' → `fallback`; 'top', a decimal id or a text (spaces count) as typed.
export function tokenSpec(text, fallback) {
  return text === '' || text === null || text === undefined ? fallback : String(text);
}

/// The baseline picker's choice for a baseline: zero, pad, unk or token (an id).
export function baselineChoice(baseline) {
  return NAMED_BASELINES.includes(baseline) ? baseline : 'token';
}

export function validSteps(value) {
  const steps = Number(value);
  return Number.isInteger(steps) && steps >= STEPS.min && steps <= STEPS.max;
}

/// The steps to try next when the completeness gap is large: four times as many (at most 1024).
export function moreSteps(steps) {
  return Math.min(STEPS.max, Math.max(steps * 4, 64));
}
