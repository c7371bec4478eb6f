// The Evaluate tab's curve data (Public/js/views/evaluate/curve-data.js) on real evaluations of the tiny GPT-2
// fixture (evaluate-fixture.mjs): the random orders' band and mean, each method's series, the chart's ticks and
// scales, the SVG path data of a curve and of the band, the step under the pointer and the values there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bandPath, curvePoints, curveScales, curveSeries, linePath, nearestStep, niceTicks, randomBand, tickText, valueRange,
  valuesAt } from '../../Public/js/views/evaluate/curve-data.js';
import { ALL_METHODS, TWO_METHODS } from './evaluate-fixture.mjs';

const near = (a, b, what) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} ≠ ${b}`);

test('the random band is the min and max over the seeds at every step, with their mean', () => {
  const band = randomBand(ALL_METHODS.random.deletion_curves);
  assert.equal(band.lower.length, 5, 'n + 1 = 5 steps for 4 tokens');
  // k = 0 is the prompt itself and k = n the all-baseline input: every order agrees there
  assert.equal(band.lower[0], ALL_METHODS.target.f);
  assert.equal(band.upper[0], ALL_METHODS.target.f);
  assert.equal(band.lower[4], ALL_METHODS.target.f_baseline);
  assert.equal(band.upper[4], ALL_METHODS.target.f_baseline);
  // k = 1: seeds 1 and 3 removed position 2 first (2.3377), seeds 6 and 7 position 1 (2.6435), the rest position 0
  assert.equal(band.lower[1], 2.3376688957214355);
  assert.equal(band.upper[1], 2.64353609085083);
  near(band.mean[1], (2 * 2.3376688957214355 + 4 * 2.5148699283599854 + 2 * 2.64353609085083) / 8, 'mean at k = 1');
  assert.equal(band.lower[2], 2.1940886974334717);
  assert.equal(band.upper[2], 2.6450631618499756);
  const insertion = randomBand(ALL_METHODS.random.insertion_curves);
  assert.equal(insertion.lower[3], 2.3376688957214355);
  assert.equal(insertion.upper[3], 2.659116506576538);
  assert.deepEqual(randomBand([]), { lower: [], upper: [], mean: [] });
  assert.deepEqual(randomBand([[1, null], [3, 2]]), { lower: [1, 2], upper: [3, 2], mean: [2, 2] }, 'missing values skipped');
});

test('a chart\'s series: every method in the explanation\'s order with its curve and area, and the random orders', () => {
  const deletion = curveSeries(ALL_METHODS, 'deletion');
  assert.deepEqual(deletion.methods.map((s) => s.key),
    ['saliency', 'gradxinput', 'ig', 'occlusion', 'attention-gradient', 'contribution-share']);
  const ig = deletion.methods[2];
  assert.equal(ig.label, 'IG');
  assert.equal(ig.color, '#2ca02c');
  assert.deepEqual(ig.values, [2.6320667266845703, 2.3376688957214355, 2.347346305847168, 2.181032657623291, 2.0590081214904785]);
  assert.equal(ig.auc, 2.3028963208198547);
  assert.equal(deletion.random.count, 8);
  assert.equal(deletion.random.meanAuc, 2.4043637812137604);
  const insertion = curveSeries(TWO_METHODS, 'insertion');
  assert.deepEqual(insertion.methods.map((s) => [s.key, s.auc]),
    [['ig', TWO_METHODS.methods.ig.insertion_auc], ['occlusion', TWO_METHODS.methods.occlusion.insertion_auc]]);
  assert.equal(insertion.random.meanAuc, TWO_METHODS.random.insertion_auc_mean);
});

test('round ticks cover the values', () => {
  assert.deepEqual(niceTicks(2.0590081214904785, 2.659116506576538, 5), { lo: 2, hi: 2.8, ticks: [2, 2.2, 2.4, 2.6, 2.8], step: 0.2 },
    'a step of 0.12 rounds up to 0.2');
  assert.deepEqual(niceTicks(-9.4, 19.1, 5), { lo: -10, hi: 20, ticks: [-10, 0, 10, 20], step: 10 });
  assert.deepEqual(niceTicks(3, 3, 5).ticks, [2.8, 2.9, 3, 3.1, 3.2], 'a flat curve: ±5 % around it');
  assert.deepEqual(niceTicks(0, 0, 5).ticks, [-0.6, -0.4, -0.2, 0, 0.2, 0.4, 0.6], 'flat at 0: ±0.5');
  assert.deepEqual([tickText(2.5, 0.1), tickText(-10, 5), tickText(0.25, 0.25), tickText(-0.05, 0.05)], ['2.5', '−10', '0.25', '−0.05']);
  assert.deepEqual(valueRange([[1, null, 3], [-2], []]), [-2, 3]);
  assert.deepEqual(valueRange([[null]]), [0, 1]);
});

test('the scales put k/n on x and f on y; the path data follows them', () => {
  const series = curveSeries(ALL_METHODS, 'deletion');
  const sc = curveScales(series, 480, 300);
  assert.deepEqual(sc.m, { left: 54, right: 14, top: 14, bottom: 42 });
  assert.equal(sc.plotW, 412);
  assert.equal(sc.plotH, 244);
  assert.equal(sc.n, 4);
  assert.deepEqual([sc.yTicks.lo, sc.yTicks.hi, sc.yTicks.step], [2, 2.8, 0.2], 'every curve and the band lie in 2.059 … 2.645');
  assert.deepEqual([sc.x(0), sc.x(2), sc.x(4)], [54, 260, 466]);
  assert.equal(sc.y(2), 258);
  assert.equal(sc.y(2.8), 14);
  const ig = series.methods[2].values;
  const y = (v) => Number((14 + 244 - ((v - 2) / 0.8) * 244).toFixed(2));
  assert.deepEqual(curvePoints(ig, sc), [[54, y(ig[0])], [157, y(ig[1])], [260, y(ig[2])], [363, y(ig[3])], [466, y(ig[4])]]);
  assert.equal(linePath(ig, sc), `M54,${y(ig[0])}L157,${y(ig[1])}L260,${y(ig[2])}L363,${y(ig[3])}L466,${y(ig[4])}`);
  assert.equal(y(ig[0]), 65.22, 'f(E) = 2.632: 79 % of the way up');
  assert.equal(linePath([1, null, 2], { x: (k) => k * 10, y: (v) => v }), 'M0,1M20,2', 'a missing value lifts the pen');
  const band = series.random.band;
  const d = bandPath(band.lower, band.upper, sc);
  assert.ok(d.startsWith(`M54,${y(band.upper[0])}L157,${y(band.upper[1])}`), d);
  assert.ok(d.endsWith(`L157,${y(band.lower[1])}L54,${y(band.lower[0])}Z`), d);
  assert.equal(d.split('L').length, 10, 'five points along the top, five back along the bottom');
  assert.equal(bandPath([], [], sc), '');
});

test('the step under the pointer and the values there', () => {
  const series = curveSeries(ALL_METHODS, 'insertion');
  const sc = curveScales(series, 480, 300);
  assert.deepEqual([nearestStep(0, sc), nearestStep(54, sc), nearestStep(200, sc), nearestStep(210, sc), nearestStep(999, sc)],
    [0, 0, 1, 2, 4]);
  const at = valuesAt(series, 2);
  assert.equal(at.fraction, 0.5);
  assert.deepEqual(at.methods.find((m) => m.key === 'ig'), { key: 'ig', label: 'IG', color: '#2ca02c',
    value: ALL_METHODS.methods.ig.insertion_curve[2] });
  assert.deepEqual(at.random, { lower: 2.1940886974334717, upper: 2.6450631618499756,
    mean: ALL_METHODS.random.insertion_curves.reduce((a, c) => a + c[2], 0) / 8 });
});
