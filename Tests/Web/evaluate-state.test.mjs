// The Evaluate tab's settings, URL and job (Public/js/views/evaluate/parameters.js, url-state.js, jobs.js,
// explanations-api.js): the form's values checked as the server checks them, the POST /api/explanations body, the
// permalink's round trips, and the job's start (503 retried), polling, a job the server forgets, and cancel against
// a fake API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorParameter } from '../../Public/js/views/evaluate/explanations-api.js';
import { FINAL, POLL_MS, createJobs } from '../../Public/js/views/evaluate/jobs.js';
import { METHOD_KEYS, canonicalMethods, explanationBody, settingsProblem, tokenValue, validSigma }
  from '../../Public/js/views/evaluate/parameters.js';
import { url } from '../../Public/js/views/evaluate/url-state.js';

const RUN = { prompt: 'The fox', model: { name: 'tiny-gpt2' } };
const SETTINGS = { methods: ['ig', 'occlusion'], steps: '32', baseline: 'zero', noiseSamples: '3', sigma: '0.01' };

test('the form\'s values are checked as the server checks them, naming the parameter', () => {
  assert.equal(settingsProblem(SETTINGS), null);
  assert.equal(settingsProblem({ ...SETTINGS, methods: [] }).parameter, 'methods');
  assert.deepEqual(['0', '1', '1024', '1025', '2.5', ''].map((steps) => settingsProblem({ ...SETTINGS, steps })?.parameter ?? null),
    ['steps', null, null, 'steps', 'steps', 'steps']);
  assert.deepEqual(['pad', '17', '', 'x'].map((baseline) => settingsProblem({ ...SETTINGS, baseline })?.parameter ?? null),
    [null, null, 'baseline', 'baseline']);
  assert.deepEqual(['0', '64', '65', '-1'].map((noiseSamples) => settingsProblem({ ...SETTINGS, noiseSamples })?.parameter ?? null),
    [null, null, 'noise_samples', 'noise_samples']);
  assert.deepEqual(['0', '1e-9', '10', '10.5', '-1', '', 'x'].map(validSigma), [false, true, true, false, false, false, false]);
  assert.equal(settingsProblem({ ...SETTINGS, sigma: '0' }).parameter, 'sigma');
  assert.deepEqual(canonicalMethods(['occlusion', 'lime', 'ig', 'ig']), ['ig', 'occlusion'], 'the API order, unknown and twice dropped');
  assert.deepEqual([tokenValue('top'), tokenValue('42'), tokenValue(' the'), tokenValue('4 2')], ['top', 42, ' the', '4 2']);
});

test('the POST /api/explanations body: the run\'s model and prompt, the state\'s settings', () => {
  const state = {};
  url.defaults(state);
  assert.deepEqual(explanationBody(state, RUN), { model: 'tiny-gpt2', prompt: 'The fox', target: 'top', position: -1,
    objective: 'logit', methods: METHOD_KEYS, steps: 32, baseline: 'zero', noise_samples: 3, sigma: 0.01 });
  Object.assign(state, { evalMethods: ['occlusion', 'saliency'], evalTarget: '277', evalContrast: ' the', evalPosition: 2,
    evalObjective: 'logprob', evalSteps: 1024, evalBaseline: '640', evalNoiseSamples: 0, evalSigma: 0.5, evalVariant: 'The box' });
  assert.deepEqual(explanationBody(state, RUN), { model: 'tiny-gpt2', prompt: 'The fox', target: 277, position: 2,
    objective: 'logprob', methods: ['saliency', 'occlusion'], steps: 1024, baseline: 640, noise_samples: 0, sigma: 0.5,
    contrast: ' the', variant: 'The box' });
});

const SAMPLES = [
  { evalMethods: ['ig', 'occlusion'], evalSteps: 1024, evalNoiseSamples: 64, evalSigma: 0.25, evalJob: 'e1b2c3',
    evalMatrix: 'overlap' },
  { evalMethods: ['saliency'], evalTarget: ' the', evalContrast: '42', evalObjective: 'logprob', evalPosition: 3,
    evalBaseline: '17', evalVariant: 'A quick brown fox' },
  { evalBaseline: 'unk', evalNoiseSamples: 0, evalSigma: 10 },
];

test('the view\'s state survives its URL; defaults are left out', () => {
  for (const sample of SAMPLES) {
    const state = {};
    url.defaults(state);
    Object.assign(state, sample);
    const params = new URLSearchParams();
    url.write(state, params);
    const decoded = {};
    url.read(params, decoded);
    assert.deepEqual(decoded, state, JSON.stringify(sample));
  }
  const state = {};
  url.defaults(state);
  const params = new URLSearchParams();
  url.write(state, params);
  assert.equal(params.toString(), '', 'the defaults write nothing (all six methods, 32 steps, zero, 3 copies, σ 0.01)');
  Object.assign(state, SAMPLES[0]);
  url.write(state, params);
  assert.equal(params.toString(), 'eval_methods=ig%2Cocclusion&eval_steps=1024&eval_noise=64&eval_sigma=0.25&eval_job=e1b2c3' +
    '&eval_matrix=overlap');
});

test('a hand-made URL: bad values fall back to the defaults', () => {
  const state = {};
  url.read(new URLSearchParams('eval_methods=lime,,&eval_steps=0&eval_sigma=0&eval_noise=65&eval_baseline=x' +
    '&eval_position=-1&eval_job=a/b&eval_matrix=pearson&eval_objective=prob'), state);
  const defaults = {};
  url.defaults(defaults);
  assert.deepEqual(state, defaults);
  url.read(new URLSearchParams('eval_methods=occlusion,ig'), state);
  assert.deepEqual(state.evalMethods, ['ig', 'occlusion'], 'in the API order');
});

test('a new run drops the target, the variant and the job, keeps the settings', () => {
  const state = {};
  url.defaults(state);
  Object.assign(state, SAMPLES[0], SAMPLES[1]);
  url.newRun(state);
  assert.deepEqual([state.evalTarget, state.evalContrast, state.evalPosition, state.evalVariant, state.evalJob],
    ['top', null, null, null, null]);
  assert.deepEqual([state.evalMethods, state.evalSteps, state.evalSigma, state.evalMatrix], [['saliency'], 1024, 0.25, 'overlap']);
});

test('the parameter of a 400: details.parameter, or the message\'s leading name', () => {
  assert.equal(errorParameter({ code: 'bad_parameter', details: { parameter: 'sigma' }, message: 'x' }), 'sigma');
  assert.equal(errorParameter({ code: 'bad_parameter', message: 'methods: unknown method "lime": use saliency, …' }), 'methods');
  assert.equal(errorParameter({ code: 'bad_parameter', parameter: 'noise_samples', message: 'must be from 0 to 64' }), 'noise_samples');
  assert.equal(errorParameter({ code: 'explanation_not_found', message: 'no: such' }), null);
  assert.equal(errorParameter(null), null);
});

/// A fake API: create answers `created` (after the given errors), get answers the jobs of `polls` in turn.
function fakeAPI({ createErrors = [], created, polls = [], getErrors = {} }) {
  const calls = [];
  let poll = 0;
  return {
    calls,
    async create(body) {
      calls.push(['create', body]);
      if (createErrors.length) throw createErrors.shift();
      return created;
    },
    async get(id) {
      calls.push(['get', id]);
      const index = poll++;
      if (getErrors[index]) throw getErrors[index];
      return polls[Math.min(index, polls.length - 1)];
    },
    async cancel(id) {
      calls.push(['cancel', id]);
      return { id, status: 'cancelled', progress: { done: 3, total: 9, stage: 'scores' } };
    },
  };
}

const job = (status, done, extra = {}) => ({ id: 'e7', model: 'tiny-gpt2', status, progress: { done, total: 9, stage: 'curves' },
  error: null, html: status === 'done' ? '/api/explanations/e7/html' : null, explanation: null, ...extra });

test('a job: started (a 503 asked again), polled to done, every answer shown', async () => {
  const busy = Object.assign(new Error('busy'), { status: 503, retryAfter: '2' });
  const api = fakeAPI({ createErrors: [busy], created: job('queued', 0),
    polls: [job('running', 4), job('running', 8), job('done', 9, { explanation: { verdict: 'v' } })] });
  const slept = [];
  const jobs = createJobs(api, async (ms) => { slept.push(ms); });
  const started = await jobs.start({ prompt: 'The fox' });
  assert.equal(started.status, 'queued');
  assert.deepEqual(slept, [2000], 'Retry-After: 2 s');
  const seen = [];
  const result = await jobs.follow(started, { onJob: (j) => seen.push(`${j.status} ${j.progress.done}`) });
  assert.equal(result.status, 'final');
  assert.equal(result.job.explanation.verdict, 'v');
  assert.deepEqual(seen, ['queued 0', 'running 4', 'running 8', 'done 9']);
  assert.deepEqual(slept.slice(1), [POLL_MS, POLL_MS, POLL_MS]);
  assert.deepEqual(api.calls.map((c) => c[0]), ['create', 'create', 'get', 'get', 'get']);
  assert.deepEqual([...FINAL], ['done', 'failed', 'cancelled']);
});

test('a job: stale when the view moves on, lost polls retried, a forgotten job a 404, find and cancel', async () => {
  let current = true;
  const api = fakeAPI({ created: job('queued', 0), polls: [job('running', 4)],
    getErrors: { 0: Object.assign(new Error('network'), { status: 0 }) } });
  const jobs = createJobs(api, async () => {});
  const seen = [];
  const result = await jobs.follow(job('queued', 0), { isCurrent: () => current, onJob: (j) => {
    seen.push(j.status);
    if (j.status === 'running') current = false;
  } });
  assert.deepEqual([result.status, result.job.progress.done], ['stale', 4]);
  assert.deepEqual(seen, ['queued', 'running'], 'the network error was asked again');
  const gone = Object.assign(new Error('no such explanation'), { status: 404, code: 'explanation_not_found' });
  const forgetful = createJobs(fakeAPI({ polls: [], getErrors: { 0: gone } }), async () => {});
  await assert.rejects(forgetful.follow(job('running', 1)), (error) => error.status === 404 && /e7 is gone/.test(error.message));
  assert.equal(await createJobs(fakeAPI({ getErrors: { 0: gone } }), async () => {}).find('e7'), null);
  const failing = createJobs(fakeAPI({ getErrors: { 0: Object.assign(new Error('boom'), { status: 500 }) } }), async () => {});
  await assert.rejects(failing.find('e7'), /boom/);
  const cancelled = await createJobs(api, async () => {}).cancel('e7');
  assert.equal(cancelled.status, 'cancelled');
  const final = await jobs.follow(job('failed', 2, { error: 'out of memory' }));
  assert.deepEqual([final.status, final.job.error], ['final', 'out of memory'], 'a failed job is final at once');
});
