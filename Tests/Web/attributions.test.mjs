// The Attributions tab's pure modules (Public/js/views/attributions/): the methods' queries and when a job runs,
// the table's rows, order and CSV, the completeness gap, the target in words, the gradient-flow and attention ×
// gradient matrices, the PNG's chip layout, and the loader's GET / job / fallback paths against a fake API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csv } from '../../Public/js/core/export.js';
import { METHODS, attributionParams, baselineChoice, methodQuery, moreSteps, needsJob, passes, tokenSpec, validSteps }
  from '../../Public/js/views/attributions/methods.js';
import { attentionMap, attributionCSVRows, attributionJSON, flowLayerSums, flowMatrix, gapInfo, gapText, nextSort, scaled,
  scoreScale, sortedRows, tableRows, targetText } from '../../Public/js/views/attributions/attribution-data.js';
import { createLoader, jobCounts, jobRouteMissing } from '../../Public/js/views/attributions/loader.js';
import { chipLayout } from '../../Public/js/views/attributions/token-png.js';
import { url } from '../../Public/js/views/attributions/url-state.js';

const PARAMS = { target: 'top', contrast: null, objective: 'logit', position: 4, baseline: 'pad', steps: 32, norm: 'l1' };

test('each method\'s query names only what it reads', () => {
  assert.deepEqual(METHODS.map((m) => m.key), ['saliency', 'gradxinput', 'ig', 'occlusion', 'attention-gradient', 'gradient-flow']);
  assert.deepEqual(methodQuery('saliency', PARAMS), { method: 'saliency', target: 'top', objective: 'logit', position: '4', norm: 'l1' });
  assert.deepEqual(methodQuery('ig', PARAMS),
    { method: 'ig', target: 'top', objective: 'logit', position: '4', steps: '32', baseline: 'pad' });
  assert.deepEqual(methodQuery('occlusion', { ...PARAMS, contrast: ' she', target: ' he' }),
    { method: 'occlusion', target: ' he', objective: 'logit', contrast: ' she', position: '4', baseline: 'pad' });
  assert.deepEqual(Object.keys(methodQuery('gradient-flow', PARAMS)), ['method', 'target', 'objective', 'position']);
  assert.equal(new URLSearchParams(methodQuery('ig', PARAMS)).toString(),
    'method=ig&target=top&objective=logit&position=4&steps=32&baseline=pad', 'the order of the job\'s query');
  const state = {}; url.defaults(state);
  assert.deepEqual(attributionParams(state, 9),
    { target: 'top', contrast: null, objective: 'logit', position: 8, baseline: 'zero', steps: 32, norm: 'l2' }, 'none: the last token');
});

test('integrated gradients with more than 64 steps, and long runs, are jobs', () => {
  assert.equal(needsJob('ig', 64, 10), false);
  assert.equal(needsJob('ig', 65, 10), true);
  assert.equal(needsJob('saliency', 1024, 10), false, 'steps matter to IG only');
  assert.deepEqual([passes('ig', 32, 10), passes('occlusion', 32, 10), passes('saliency', 32, 10)], [34, 12, 2]);
  assert.equal(needsJob('occlusion', 32, 128), false, '130 passes × 128 tokens');
  assert.equal(needsJob('occlusion', 32, 200), true, '202 passes × 200 tokens');
  assert.equal(needsJob('ig', 32, 512), true, '34 passes × 512 tokens');
  assert.deepEqual([moreSteps(32), moreSteps(8), moreSteps(512), moreSteps(1024)], [128, 64, 1024, 1024]);
  assert.deepEqual(['0', '1', '1024', '1025', '2.5', 'x'].map(validSteps), [false, true, true, false, false, false]);
  assert.deepEqual(['', ' the', '42', 'top'].map((t) => tokenSpec(t, 'top')), ['top', ' the', '42', 'top']);
  assert.deepEqual(['zero', 'pad', 'unk', '17'].map(baselineChoice), ['zero', 'pad', 'unk', 'token']);
});

const TOKENS = [{ id: 1, display: '<s>' }, { id: 5, display: 'a,b' }, { id: 9, display: '␣c' }];
const RESULTS = {
  saliency: { scores: [0.5, 2, 1] },
  ig: { scores: [-0.25, 1.5, null], completeness_gap: -0.5, relative_completeness_gap: 0.2, steps: 32,
    target: { position: 2, token: { id: 9, display: '␣c' }, objective: 'logit', f: 3, f_baseline: 0.5 } },
};

test('the table: rows, sorting by any column, CSV', () => {
  const rows = tableRows(TOKENS, RESULTS);
  assert.deepEqual(rows[1], { position: 1, id: 5, token: 'a,b', scores: { saliency: 2, gradxinput: null, ig: 1.5,
    occlusion: null, 'attention-gradient': null, 'gradient-flow': null } });
  assert.deepEqual(sortedRows(rows, null, 'desc').map((r) => r.position), [0, 1, 2], 'no sort: by position');
  assert.deepEqual(sortedRows(rows, 'saliency', 'desc').map((r) => r.position), [1, 2, 0]);
  assert.deepEqual(sortedRows(rows, 'saliency', 'asc').map((r) => r.position), [0, 2, 1]);
  assert.deepEqual(sortedRows(rows, 'ig', 'asc').map((r) => r.position), [0, 1, 2], 'missing scores last');
  assert.deepEqual(sortedRows(rows, 'ig', 'desc').map((r) => r.position), [1, 0, 2]);
  assert.deepEqual(sortedRows(rows, 'position', 'desc').map((r) => r.position), [2, 1, 0]);
  assert.deepEqual(nextSort(null, 'desc', 'ig'), { sort: 'ig', order: 'desc' }, 'a method: the largest first');
  assert.deepEqual(nextSort('ig', 'desc', 'ig'), { sort: 'ig', order: 'asc' });
  assert.deepEqual(nextSort(null, 'desc', 'position'), { sort: 'position', order: 'desc' }, 'position: already ascending');
  assert.deepEqual(nextSort('ig', 'asc', 'position'), { sort: 'position', order: 'asc' });
  assert.equal(csv(attributionCSVRows(sortedRows(rows, 'saliency', 'desc'))),
    'position,token_id,token,saliency,gradxinput,ig,occlusion,attention-gradient,gradient-flow\r\n' +
    '1,5,"a,b",2,,1.5,,,\r\n2,9,␣c,1,,,,,\r\n0,1,<s>,0.5,,-0.25,,,\r\n');
  assert.deepEqual(Object.keys(attributionJSON('r1', PARAMS, RESULTS).results), ['saliency', 'ig']);
});

test('the colour scale is centred at 0', () => {
  assert.equal(scoreScale([-3, 2, null, NaN]), 3);
  assert.equal(scoreScale([]), 0);
  assert.deepEqual([scaled(-3, 3), scaled(1.5, 3), scaled(null, 3), scaled(1, 0), scaled(5, 3)], [-1, 0.5, 0, 0, 1]);
});

test('the completeness gap and the target in words', () => {
  const info = gapInfo(RESULTS.ig);
  assert.deepEqual(info, { gap: -0.5, relative: 0.2, sum: 1.25, f: 3, fBaseline: 0.5, delta: 2.5, large: true, steps: 32, next: 128 });
  assert.equal(gapText(info), 'gap −0.5000 (20.0% of |f(E) − f(E′)|)');
  assert.equal(gapInfo({ ...RESULTS.ig, relative_completeness_gap: -0.04 }).large, false, '|relative| ≤ 5 %: fine');
  assert.equal(gapInfo({ ...RESULTS.ig, relative_completeness_gap: 0.0501 }).large, true);
  assert.equal(gapInfo(RESULTS.saliency), null, 'only integrated gradients has one');
  assert.equal(targetText(RESULTS.ig.target, ['<s>', 'a', '␣c']), 'f = logit("␣c") at position 2 (after "␣c") = 3');
  assert.equal(targetText({ position: 0, token: { display: 'x' }, objective: 'logprob', f: -1.23456789 }, ['<s>']),
    'f = log p("x") at position 0 (after "<s>") = −1.2346');
  assert.equal(targetText({ position: 1, token: { display: ' he' }, contrast: { display: ' she' }, objective: 'contrast', f: 0.5 }),
    'f = logit(" he") − logit(" she") at position 1 = 0.5');
});

test('the gradient-flow and attention × gradient matrices', () => {
  const flow = { pre: [[1, 2], [3, 4]], mid: [[5, 6], [7, 8]], post: [[9, 10], [11, null]] };
  const post = flowMatrix(flow, 'post');
  assert.deepEqual([post.rows, post.rowLabels, [...post.values]], [2, ['L1 post', 'L0 post'], [11, 0, 9, 10]], 'the last layer on top');
  const stacked = flowMatrix(flow, 'stacked');
  assert.deepEqual(stacked.rowLabels, ['L1 post', 'L1 mid', 'L1 pre', 'L0 post', 'L0 mid', 'L0 pre']);
  assert.deepEqual([...stacked.values], [11, 0, 7, 8, 3, 4, 9, 10, 5, 6, 1, 2]);
  assert.deepEqual(flowLayerSums(flow, 'pre'), [3, 7]);
  const maps = [[1, 0, 0.5, 0.5], [0, 0, 1, 2]];
  assert.deepEqual([...attentionMap(maps, 1, 2)], [0, 0, 1, 2]);
  assert.deepEqual([...attentionMap(maps, 'sum', 2)], [1, 0, 1.5, 2.5]);
});

test('the PNG\'s chips wrap into lines', () => {
  assert.deepEqual(chipLayout([20, 30, 40], 100), { chips: [{ x: 0, y: 0, w: 30 }, { x: 34, y: 0, w: 40 }, { x: 0, y: 28, w: 50 }],
    height: 50 });
  assert.deepEqual(chipLayout([], 100), { chips: [], height: 0 });
});

/// A fake API: answers from `script` (a function per call kind), recording every call.
function fakeApi(script) {
  const calls = [];
  const api = {};
  for (const kind of ['attributions', 'createAttributionJob', 'attributionJob', 'cancelAttributionJob']) {
    api[kind] = async (...args) => {
      calls.push([kind, ...args]);
      return script[kind](...args);
    };
  }
  return { api, calls };
}
const noSleep = async () => {};
const apiError = (status, code, extra = {}) => Object.assign(new Error(`${status} ${code}`), { status, code, ...extra });

test('the loader: a plain GET, retried while the server is busy', async () => {
  let busy = 2;
  const { api, calls } = fakeApi({ attributions: () => { if (busy-- > 0) throw apiError(503, 'busy', { retryAfter: '1' }); return { scores: [1] }; } });
  const loader = createLoader(api, noSleep);
  assert.deepEqual(await loader.load('r', { method: 'saliency' }), { status: 'done', data: { scores: [1] } });
  assert.equal(calls.length, 3);
  const failing = createLoader(fakeApi({ attributions: () => { throw apiError(400, 'bad_parameter'); } }).api, noSleep);
  await assert.rejects(failing.load('r', {}), /400 bad_parameter/);
});

test('a job\'s passes, from its progress object or its top-level fields', () => {
  assert.deepEqual(jobCounts({ progress: { done: 3, total: 130 }, done: 9 }), { done: 3, total: 130 });
  assert.deepEqual(jobCounts({ done: 5, total: 34 }), { done: 5, total: 34 });
  assert.deepEqual(jobCounts({ status: 'queued' }), { done: 0, total: 0 });
  assert.deepEqual(jobCounts(null), { done: 0, total: 0 });
});

test('the loader: a job polled to its result, its progress reported', async () => {
  const states = [{ id: 'a1', status: 'running', progress: { done: 3, total: 130 }, error: null, result: null },
    { id: 'a1', status: 'done', progress: { done: 130, total: 130 }, error: null, result: { scores: [2] } }];
  let busy = 1;
  const { api, calls } = fakeApi({ createAttributionJob: () => {
    if (busy-- > 0) throw apiError(503, 'busy', { retryAfter: '5' }); // 8 jobs live already
    return { id: 'a1', status: 'queued', progress: { done: 0, total: 130 } };
  },
    attributionJob: () => states.shift() });
  const loader = createLoader(api, noSleep);
  const seen = [];
  const answer = await loader.load('r', { method: 'ig', steps: '128' }, { useJob: true, onJob: (job) => seen.push(job.status) });
  assert.equal(answer.status, 'done');
  assert.deepEqual(answer.data, { scores: [2] });
  assert.deepEqual(seen, ['queued', 'running', 'done']);
  assert.deepEqual(calls.map((c) => c[0]), ['createAttributionJob', 'createAttributionJob', 'attributionJob', 'attributionJob']);
  assert.equal(loader.jobsAvailable, true);
});

test('the loader: without the job routes, the plain GET (and no job asked again)', async () => {
  const { api, calls } = fakeApi({ createAttributionJob: () => { throw apiError(404, 'not_found'); }, attributions: () => ({ scores: [3] }) });
  const loader = createLoader(api, noSleep);
  assert.deepEqual(await loader.load('r', { method: 'ig' }, { useJob: true }), { status: 'done', data: { scores: [3] } });
  assert.equal(loader.jobsAvailable, false);
  await loader.load('r', { method: 'ig' }, { useJob: true });
  assert.deepEqual(calls.map((c) => c[0]), ['createAttributionJob', 'attributions', 'attributions']);
  assert.equal(jobRouteMissing(apiError(404, 'run_not_found')), false, 'an unknown run is an error');
  assert.equal(jobRouteMissing(apiError(405, 'method_not_allowed')), true);
  const unknownRun = createLoader(fakeApi({ createAttributionJob: () => { throw apiError(404, 'run_not_found'); } }).api, noSleep);
  await assert.rejects(unknownRun.load('r', {}, { useJob: true }), /run_not_found/);
});

test('the loader: a failed, a cancelled, a lost and a stale job', async () => {
  const job = (status, extra = {}) => ({ id: 'a2', status, progress: { done: 1, total: 10 }, error: null, result: null, ...extra });
  const failed = createLoader(fakeApi({ createAttributionJob: () => job('failed', { error: 'out of memory' }) }).api, noSleep);
  await assert.rejects(failed.load('r', {}, { useJob: true }), /job failed: out of memory/);
  const cancelled = createLoader(fakeApi({ createAttributionJob: () => job('running'), attributionJob: () => job('cancelled') }).api, noSleep);
  assert.equal((await cancelled.load('r', {}, { useJob: true })).status, 'cancelled');
  const lost = createLoader(fakeApi({ createAttributionJob: () => job('running'), attributionJob: () => { throw apiError(404, 'not_found'); } }).api, noSleep);
  await assert.rejects(lost.load('r', {}, { useJob: true }), /job a2 is gone/);
  let current = true;
  const { api, calls } = fakeApi({ createAttributionJob: () => job('running'), attributionJob: () => { current = false; return job('running'); },
    cancelAttributionJob: () => job('cancelled') });
  const stale = createLoader(api, noSleep);
  const answer = await stale.load('r', {}, { useJob: true, isCurrent: () => current });
  assert.deepEqual([answer.status, answer.job.id], ['stale', 'a2'], 'a later load took over: the caller cancels it');
  assert.equal((await stale.cancel('a2')).status, 'cancelled');
  assert.deepEqual(calls.at(-1), ['cancelAttributionJob', 'a2']);
});
