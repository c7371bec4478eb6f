// The Compare page's Checkpoints mode (Public/js/pages/compare/checkpoints/): the URL round trips, the request body,
// the form's defaults, the reading of real checkpoint series reports (checkpoints-fixture.mjs: the tiny-train
// fixture's five checkpoints, and three without ablation), the trend charts' scales and path, the progress line,
// and the job polling the Reports page shares (pages/job-polling.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NO_ABLATION, SERIES } from './checkpoints-fixture.mjs';
import { MIN_CHECKPOINTS, chosenSeries, decodeCheckpointsURL, defaultCheckpoints, encodeCheckpointsURL, seriesAblationCost,
  seriesRequestBody, sourceOf } from '../../Public/js/pages/compare/checkpoints/checkpoints-state.js';
import { ANOMALY_KINDS, TRENDS, checkpointRows, classChangeGroups, firstToLastChanges, promptRows, seriesProgressText,
  shortLabels, summarySentences, trendRows, trendsCSVRows } from '../../Public/js/pages/compare/checkpoints/checkpoints-data.js';
import { TREND_MARGIN, trendPath, trendScales, wholeTicks } from '../../Public/js/pages/compare/checkpoints/trend-scales.js';
import { jobMemory, pollJob } from '../../Public/js/pages/job-polling.js';

const NAMES = ['step-0000', 'step-0050', 'step-0100', 'step-0200', 'step-0400'];
const LIST = [
  { name: 'tiny-train', description: 'the fixture run', checkpoints: NAMES, prompts: ['a', 'b'] },
  { name: 'other', description: null, checkpoints: ['x', 'y'], prompts: [] },
];

test('checkpoints URL: encode → decode is the identity; defaults are left out', () => {
  for (const [form, job] of [
    [{ source: 'series', series: 'tiny-train', checkpoints: [], ablation: true }, null],
    [{ source: 'series', series: 'tiny & = ?', checkpoints: [], ablation: false }, 'c0123'],
    [{ source: 'models', series: null, checkpoints: ['m1', 'm2', 'm 3'], ablation: true }, 'c99'],
  ]) {
    const params = encodeCheckpointsURL(form, job);
    assert.equal(params.get('page'), 'compare');
    assert.equal(params.get('subject'), 'checkpoints');
    assert.deepEqual(decodeCheckpointsURL(`?${params}`), { ...form, job });
  }
  const plain = encodeCheckpointsURL({ source: 'series', series: 'tiny-train', checkpoints: ['ignored'], ablation: true }, null);
  assert.equal(`${plain}`, 'page=compare&subject=checkpoints&series=tiny-train');
  assert.deepEqual(decodeCheckpointsURL('?page=compare&subject=checkpoints'),
    { source: null, series: null, checkpoints: [], ablation: true, job: null });
  assert.equal(decodeCheckpointsURL('?checkpoint=&checkpoint=a').checkpoints.length, 1);
});

test('checkpoints request body: a series or the models, prompts one per line, ablation', () => {
  assert.deepEqual(seriesRequestBody({ source: 'series', series: 'tiny-train', checkpoints: ['m'], prompts: '', ablation: true }),
    { series: 'tiny-train', ablation: true }); // the series' own prompts
  assert.deepEqual(seriesRequestBody({ source: 'series', series: 's', checkpoints: [], prompts: 'a\r\n \n b', ablation: false }),
    { series: 's', prompts: ['a', ' b'], ablation: false });
  assert.deepEqual(seriesRequestBody({ source: 'models', series: 's', checkpoints: ['m1', 'm2'], prompts: '', ablation: 1 }),
    { checkpoints: ['m1', 'm2'], prompts: [], ablation: true });
});

test('checkpoints form defaults: a series when configured, the wanted models, else the first two', () => {
  assert.equal(sourceOf({ source: null }, LIST), 'series');
  assert.equal(sourceOf({ source: null }, []), 'models');
  assert.equal(sourceOf({ source: 'models' }, LIST), 'models');
  assert.equal(chosenSeries(LIST, 'other').name, 'other');
  assert.equal(chosenSeries(LIST, 'gone').name, 'tiny-train');
  assert.equal(chosenSeries([], 'gone'), null);
  const models = ['tiny-gpt2', 'tiny-llama', 'tiny-gemma3'];
  assert.deepEqual(defaultCheckpoints(models), models.slice(0, MIN_CHECKPOINTS));
  assert.deepEqual(defaultCheckpoints(models, ['tiny-gemma3', 'gone', 'tiny-gpt2']), ['tiny-gemma3', 'tiny-gpt2']);
  assert.match(seriesAblationCost({ name: 'tiny-gpt2', layers: 2, heads: 4 }), /2×4\+2 = 10 for tiny-gpt2/);
  assert.match(seriesAblationCost(null), /L×H\+L extra passes per prompt and checkpoint/);
});

test('short labels drop the shared prefix up to a separator', () => {
  assert.deepEqual(shortLabels(NAMES), ['0000', '0050', '0100', '0200', '0400']);
  assert.deepEqual(shortLabels(['run-a/ckpt-1', 'run-a/ckpt-10']), ['1', '10']);
  assert.deepEqual(shortLabels(['early', 'late']), ['early', 'late']);
  assert.deepEqual(shortLabels(['run', 'run-2']), ['run', 'run-2']); // no separator in the shared part
  assert.deepEqual(shortLabels(['a-', 'a-1']), ['a-', 'a-1']); // a label would be empty
  assert.deepEqual(shortLabels(['only-one']), ['only-one']);
});

test('trends of the real report: every trend in order, with its direction and change', () => {
  const trends = trendRows(SERIES);
  assert.deepEqual(trends.map((t) => t.name), ['loss', 'sink_share', 'max_previous_token', 'mean_normalized_entropy',
    'mean_settled_layer', 'redundant_heads', 'high_attention', 'uniform_attention', 'dead_head', 'outlier_activation',
    'logit_lens_flip']);
  assert.ok(trends.every((t) => TRENDS[t.name] && t.values.length === 5 && t.measured));
  const byName = Object.fromEntries(trends.map((t) => [t.name, t]));
  assert.equal(byName.loss.values[0], 6.45913197323674);
  assert.equal(byName.loss.direction, 'falling');
  assert.equal(byName.loss.change, -5.748044421592791);
  assert.equal(byName.max_previous_token.direction, 'rising');
  assert.deepEqual(byName.redundant_heads.values, [8, 7, 2, 0, 0]);
  assert.deepEqual(byName.uniform_attention.values, [32, 24, 2, 0, 0]);
  assert.equal(byName.dead_head.direction, 'flat');
  assert.equal(byName.redundant_heads.count && !byName.loss.count, true);
  assert.equal(byName.redundant_heads.caption, 'heads whose zeroing moves log p by < 0.01 nats'); // the report's threshold
  assert.equal(byName.high_attention.caption, 'high-attention hits (weights > 0.9, key 0 excluded)');
  assert.equal(byName.loss.unit, 'nats');
  const off = Object.fromEntries(trendRows(NO_ABLATION).map((t) => [t.name, t]));
  assert.deepEqual(off.redundant_heads.values, [null, null, null]);
  assert.equal(off.redundant_heads.measured, false);
  assert.equal(off.redundant_heads.change, null);
});

test('a row per checkpoint: loss, sink share, settling, anomalies, redundant heads', () => {
  const rows = checkpointRows(SERIES);
  assert.deepEqual(rows.map((r) => r.name), NAMES);
  const [first, , , , last] = rows;
  assert.equal(first.loss, 6.45913197323674);
  assert.equal(first.loss.toFixed(3), '6.459');
  assert.equal(first.sinkShare, 0.09037634672510525);
  assert.equal(first.maxPreviousToken, 0.09046886051753891);
  assert.deepEqual(first.settledLayers, [0, 0, 0, 0]);
  assert.deepEqual(first.anomalies, { high_attention: 0, uniform_attention: 32, dead_head: 0, outlier_activation: 0, logit_lens_flip: 0 });
  assert.deepEqual(Object.keys(first.anomalies), ANOMALY_KINDS.map((k) => k.key));
  assert.equal(first.redundantHeads.length, 8);
  assert.deepEqual(first.redundantHeads[5], { layer: 1, head: 1 });
  assert.equal(last.meanSettledLayer, 0.5);
  assert.deepEqual(last.redundantHeads, []);
  assert.equal(last.anomalies.high_attention, 35);
  assert.ok(checkpointRows(NO_ABLATION).every((r) => r.redundantHeads === null));
});

test('class changes grouped by the step where they happen, and first to last', () => {
  const groups = classChangeGroups(SERIES);
  assert.deepEqual(groups.map((g) => [g.from, g.to, g.index, g.changes.length]),
    [['step-0000', 'step-0050', 1, 2], ['step-0050', 'step-0100', 2, 5], ['step-0100', 'step-0200', 3, 1], ['step-0200', 'step-0400', 4, 1]]);
  assert.deepEqual(groups[0].changes[0], { layer: 0, head: 1, name: 'L0 H1', fromClass: 'uniform', toClass: 'mixed' });
  assert.deepEqual(groups[3].changes[0], { layer: 1, head: 2, name: 'L1 H2', fromClass: 'mixed', toClass: 'vertical' });
  assert.equal(groups.reduce((n, g) => n + g.changes.length, 0), SERIES.class_changes.length);
  const whole = firstToLastChanges(SERIES);
  assert.equal(whole.length, 8);
  assert.deepEqual(whole.find((x) => x.name === 'L1 H2'), { layer: 1, head: 2, name: 'L1 H2', fromClass: 'uniform', toClass: 'vertical' });
  assert.deepEqual(classChangeGroups({ ...SERIES, class_changes: [] }), []);
});

test('prompts under every checkpoint, the summary and the trends CSV', () => {
  const rows = promptRows(SERIES);
  assert.equal(rows.length, 4);
  assert.equal(rows[0].prompt, 'The keeper of the small lighthouse woke before the sun.');
  assert.deepEqual(rows[0].cells[0], { checkpoint: 'step-0000', tokens: 27, loss: 6.4625618676461745, prediction: '.', settled: 0 });
  assert.deepEqual(rows[0].cells.map((c) => c.checkpoint), NAMES);
  const summary = summarySentences(SERIES);
  assert.equal(summary[0], 'loss falls at every checkpoint, from 6.459 to 0.7111: mean next-token loss over the prompts (nats).');
  assert.ok(summary.some((s) => s.startsWith('max previous-token rises at every checkpoint, from 0.09047 to 0.1807')));
  assert.equal(summary[summary.length - 1], '9 class changes between consecutive checkpoints; 8 heads with another class at the end than at the start.');
  const csv = trendsCSVRows(SERIES);
  assert.equal(csv.length, 6);
  assert.equal(csv[0][0], 'checkpoint');
  assert.equal(csv[0].length, 12);
  assert.deepEqual(csv[1].slice(0, 2), ['step-0000', 6.45913197323674]);
  const off = trendsCSVRows(NO_ABLATION);
  assert.equal(off[1][off[0].indexOf('redundant_heads')], '');
});

test('progress line: pass, checkpoint k/N with its name, prompt p/P', () => {
  const job = (status, progress) => ({ status, series: 'tiny-train', checkpoints: NAMES, prompts: 4,
    progress: { done: 0, total: 0, checkpoint: 0, checkpoint_name: 'step-0000', prompt: 0, ...progress } });
  assert.equal(seriesProgressText(job('running', { done: 100, total: 220, checkpoint: 2, checkpoint_name: 'step-0100', prompt: 3 })),
    'series tiny-train · pass 100/220 · checkpoint 3/5 step-0100, prompt 4/4');
  assert.equal(seriesProgressText(job('running', {})),
    'series tiny-train · pass 0 (loading the first checkpoint) · checkpoint 1/5 step-0000, prompt 1/4');
  assert.equal(seriesProgressText(job('queued', {})), 'series tiny-train · waiting for another job to finish');
  assert.equal(seriesProgressText(job('done', { done: 220, total: 220 })), 'series tiny-train · pass 220/220 · 5 checkpoints × 4 prompts: done');
  assert.match(seriesProgressText({ ...job('cancelled', { done: 5, total: 220 }), series: null }), /^5 checkpoints · cancelled at pass 5\/220 · checkpoint 1\/5/);
  assert.match(seriesProgressText(job('failed', { done: 5, total: 220 })), /failed at pass 5\/220/);
});

test('trend scales: a position per checkpoint inside the plot, counts from 0, a pen lifted at a gap', () => {
  const sc = trendScales([6.459, 3.167, 1.968, 0.777, 0.711], 5, 340, 220);
  assert.ok(sc.x(0) > TREND_MARGIN.left && sc.x(4) < 340 - TREND_MARGIN.right);
  assert.ok(Math.abs((sc.x(1) - sc.x(0)) - (sc.x(4) - sc.x(3))) < 1e-9);
  assert.ok(sc.yTicks.lo <= 0.711 && sc.yTicks.hi >= 6.459);
  assert.ok(sc.y(6.459) < sc.y(0.711));
  const zero = trendScales([0, 0, 0], 3, 340, 220, { count: true });
  assert.deepEqual([zero.yTicks.lo, zero.yTicks.hi], [0, 1]);
  assert.equal(zero.y(0), TREND_MARGIN.top + zero.plotH);
  const counts = trendScales([8, 7, 2, 0, 0], 5, 340, 220, { count: true });
  assert.equal(counts.yTicks.lo, 0);
  assert.ok(counts.yTicks.hi >= 8);
  assert.deepEqual(trendScales([0, 5, 3], 3, 340, 220, { count: true }).yTicks.ticks, [0, 2, 4, 6]); // no 2.5 on a count
  assert.deepEqual(wholeTicks(0, 35).ticks, [0, 10, 20, 30, 40]);
  assert.deepEqual(wholeTicks(0, 10).ticks, [0, 5, 10]); // not 2.5 apart
  assert.deepEqual(wholeTicks(0, 1).ticks, [0, 1]);
  const path = trendPath([1, null, 2, 3], trendScales([1, 2, 3], 4, 340, 220));
  assert.equal((path.match(/M/g) || []).length, 2);
  assert.equal((path.match(/L/g) || []).length, 1);
  assert.equal(trendPath([null, null], sc), '');
});

test('job polling: every answer until final, a 404, a lost server retried, a stale poll dropped', async () => {
  const FINAL = new Set(['done', 'failed', 'cancelled']);
  const sleeps = [];
  const sleep = async (ms) => { sleeps.push(ms); };
  const answers = (list) => { let i = 0; return async () => { const a = list[i++]; if (a instanceof Error) throw a; return a; }; };
  const seen = [];
  await pollJob({ get: answers([{ status: 'queued' }, { status: 'running' }, { status: 'done' }]), isCurrent: () => true,
    final: FINAL, sleep, onJob: (job) => seen.push(job.status), onMissing: assert.fail, onLost: assert.fail });
  assert.deepEqual(seen, ['queued', 'running', 'done']);
  assert.deepEqual(sleeps, [500, 500]);
  let missing = null;
  await pollJob({ get: answers([Object.assign(new Error('gone'), { status: 404 })]), isCurrent: () => true, final: FINAL, sleep,
    onJob: assert.fail, onMissing: (e) => { missing = e.message; }, onLost: assert.fail });
  assert.equal(missing, 'gone');
  const lost = [];
  sleeps.length = 0;
  await pollJob({ get: answers([new Error('down'), new Error('down'), { status: 'done' }]), isCurrent: () => true, final: FINAL,
    sleep, onJob: (job) => lost.push(job.status), onMissing: assert.fail, onLost: (e, n) => lost.push(`${e.message} ${n}`) });
  assert.deepEqual(lost, ['down 1', 'down 2', 'done']);
  assert.deepEqual(sleeps, [2000, 2000]);
  let given = 0;
  await pollJob({ get: answers([new Error('x'), new Error('x'), new Error('x')]), isCurrent: () => true, final: FINAL, sleep,
    retries: 2, onJob: assert.fail, onMissing: assert.fail, onLost: () => { given += 1; } });
  assert.equal(given, 2);
  let current = true;
  const stale = [];
  await pollJob({ get: async () => { current = false; return { status: 'running' }; }, isCurrent: () => current, final: FINAL,
    sleep, onJob: (job) => stale.push(job), onMissing: assert.fail, onLost: assert.fail });
  assert.deepEqual(stale, []);
  const memory = jobMemory('checkpoint-series'); // no sessionStorage here: nothing kept, nothing thrown
  memory.remember('c1', { prompts: 'a' });
  assert.equal(memory.recall('c1'), null);
});
