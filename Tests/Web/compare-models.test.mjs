// The Compare page's Models mode and its subjects (Public/js/pages/compare/compare-subjects.js, models/): the URL
// round trips, the request body, the default pair, the data shaping of a POST /api/compare {models} response, the
// depth chart's scales and path, the shared chart scales.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SUBJECTS, subjectOf, subjectURL } from '../../Public/js/pages/compare/compare-subjects.js';
import { MODEL_DEFAULTS, decodeModelsURL, defaultPair, encodeModelsURL, modelsRequestBody } from '../../Public/js/pages/compare/models/models-state.js';
import { anomalyRows, classRows, depthSeries, distributionRows, layerMetricsCSVRows, settleMarkers, sharedStringRows, sideLabels }
  from '../../Public/js/pages/compare/models/models-data.js';
import { DEPTH_TICKS, depthPath, depthScales } from '../../Public/js/pages/compare/models/depth-scales.js';
import { linearScale, niceTicks } from '../../Public/js/components/chart-scales.js';

function side(model, layers, values, extra = {}) {
  return { model, architecture: 'X', layers, heads: 2, d_model: 8, vocab_size: 100, token_ids: [1, 2], tokens: ['a', '␣b'],
    top: [{ id: 3, display: '␣c', probability: 0.5 }],
    layer_metrics: values.map((v, layer) => ({ layer, depth: (layer + 1) / layers, entropy: v, focus: 1 - v })),
    lens: { position: 1, top_by_layer: values.map(() => ({ id: 3, display: '␣c' })), first_layer: 1, settled_layer: 1,
      settled_depth: 2 / layers, stays: true },
    classes: { sink: 3, 'previous-token': 1, diagonal: 0, vertical: 0, uniform: 0, sparse: 0, mixed: layers * 2 - 4 },
    anomalies: { high_attention_keys: 1, high_attention_hits: 2, uniform_heads: 0, dead_heads: 0, outlier_activations: 5,
      outlier_dimensions: 1 },
    milliseconds: { forward: 1, analysis: 2 }, ...extra };
}

const DATA = {
  kind: 'models', text: 'a b', metrics: ['entropy', 'focus'],
  models: [side('m1', 2, [0.5, 1.5]), side('m2', 4, [0.2, 0.4, null, 0.8])],
  distribution: { vocabulary_strings: [100, 50], shared_strings: 40, shared_mass: [0.9, 0.99], mass_outside_shared: [0.1, 0.01],
    kl_ab: 0.3, kl_ba: 0.25, js: 0.07, total_variation: 0.2,
    top: [{ string: '␣c', probability: [0.5, 0.25] }, { string: '␣d', probability: [0.1, 0.4] }] },
};

test('subjects: prompts unless the URL names another; a fresh URL per subject', () => {
  assert.deepEqual(SUBJECTS.map((s) => s.name), ['prompts', 'models', 'checkpoints']);
  assert.equal(subjectOf('?page=compare'), 'prompts');
  assert.equal(subjectOf('?page=compare&subject=models'), 'models');
  assert.equal(subjectOf('?page=compare&subject=checkpoints'), 'checkpoints');
  assert.equal(subjectOf('?page=compare&subject=layers'), 'prompts'); // not a subject
  assert.equal(subjectURL('prompts'), '/?page=compare');
  assert.equal(subjectOf(subjectURL('models').slice(1)), 'models');
});

test('models URL: encode → decode is the identity; defaults are left out', () => {
  for (const [form, view, ran] of [
    [{ a: 'tiny-gpt2', b: 'tiny-llama', text: 'The capital of France is', topK: 10 }, { metric: 'entropy' }, true],
    [{ a: 'x', b: 'x', text: ' spaces & = ?\nnew line', topK: 50 }, { metric: 'previous_token' }, false],
  ]) {
    const params = encodeModelsURL(form, view, ran);
    assert.equal(params.get('page'), 'compare');
    assert.equal(params.get('subject'), 'models');
    assert.deepEqual(decodeModelsURL(`?${params}`), { form, view, ran });
  }
  const plain = encodeModelsURL({ a: 'a', b: 'b', text: 't', topK: 10 }, { metric: 'entropy' }, false);
  assert.equal(plain.has('k') || plain.has('metric') || plain.has('run'), false);
  const bad = decodeModelsURL('?page=compare&subject=models&k=500&metric=nope');
  assert.equal(bad.form.topK, MODEL_DEFAULTS.topK);
  assert.equal(bad.form.text, MODEL_DEFAULTS.text);
  assert.equal(bad.view.metric, MODEL_DEFAULTS.metric);
  assert.equal(bad.form.a, null);
});

test('models request body: exactly models, prompt and top_k', () => {
  assert.deepEqual(modelsRequestBody({ a: 'p', b: 'q', text: '', topK: 7 }), { models: ['p', 'q'], prompt: '', top_k: 7 });
  assert.deepEqual(modelsRequestBody({ a: 'p', b: 'q', text: 'x', topK: NaN }).top_k, 10);
});

test('default pair: the wanted models, else the server default and another one', () => {
  const names = ['tiny-gpt2', 'tiny-llama', 'tiny-gemma3'];
  assert.deepEqual(defaultPair(names, 'tiny-gpt2'), ['tiny-gpt2', 'tiny-llama']);
  assert.deepEqual(defaultPair(names, 'tiny-llama'), ['tiny-llama', 'tiny-gpt2']);
  assert.deepEqual(defaultPair(names, 'tiny-gpt2', { a: 'tiny-gemma3', b: 'tiny-gemma3' }), ['tiny-gemma3', 'tiny-gemma3']);
  assert.deepEqual(defaultPair(names, 'tiny-gpt2', { a: 'gone', b: 'tiny-gpt2' }), ['tiny-gpt2', 'tiny-gpt2']);
  assert.deepEqual(defaultPair(['only'], 'only'), ['only', 'only']);
});

test('distribution rows: divergences, vocabularies and both masses, the outside mass never left out', () => {
  const rows = distributionRows(DATA.distribution);
  const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
  assert.deepEqual(Object.keys(byKey), ['kl_ab', 'kl_ba', 'js', 'total_variation', 'vocabulary_strings', 'shared_strings',
    'shared_mass', 'mass_outside_shared']);
  assert.equal(byKey.kl_ab.value, 0.3);
  assert.deepEqual(byKey.mass_outside_shared.values, [0.1, 0.01]);
  assert.deepEqual(byKey.vocabulary_strings.values, [100, 50]);
  const shared = sharedStringRows(DATA.distribution);
  assert.equal(shared.max, 0.5);
  assert.deepEqual(shared.rows.map((r) => r.string), ['␣c', '␣d']);
});

test('depth series: one per model on depth (layer + 1) / L, missing values kept as null', () => {
  const series = depthSeries(DATA, 'entropy');
  assert.equal(series.length, 2);
  assert.deepEqual(series[0].points, [{ layer: 0, depth: 0.5, value: 0.5 }, { layer: 1, depth: 1, value: 1.5 }]);
  assert.deepEqual(series[1].points.map((p) => p.depth), [0.25, 0.5, 0.75, 1]);
  assert.equal(series[1].points[2].value, null);
  assert.deepEqual(sideLabels(DATA), ['A · m1', 'B · m2']);
});

test('depth scales: x from 0 to 1 over the plot, y ticks cover both models and zero', () => {
  const series = depthSeries(DATA, 'entropy');
  const sc = depthScales(series, 720, 300);
  assert.equal(sc.x(0), sc.m.left);
  assert.equal(sc.x(1), 720 - sc.m.right);
  assert.deepEqual(sc.xTicks, DEPTH_TICKS);
  assert.ok(sc.yTicks.lo <= 0 && sc.yTicks.hi >= 1.5);
  assert.equal(sc.y(sc.yTicks.lo), sc.m.top + sc.plotH);
  assert.equal(sc.y(sc.yTicks.hi), sc.m.top);
  const path = depthPath(series[1].points, sc);
  assert.equal((path.match(/M/g) || []).length, 2, 'the missing layer lifts the pen');
  assert.equal((path.match(/L/g) || []).length, 1);
  assert.equal(linearScale([2, 2], [0, 10])(2), 5);
  assert.deepEqual(niceTicks(0, 1, 5).ticks, [0, 0.2, 0.4, 0.6, 0.8, 1]);
});

test('settle markers, classes, anomalies, CSV', () => {
  const markers = settleMarkers(DATA);
  assert.deepEqual(markers.map((m) => [m.layer, m.depth, m.token, m.stays]), [[1, 1, '␣c', true], [1, 0.5, '␣c', true]]);
  const never = settleMarkers({ models: [side('m', 2, [1, 2], { lens: { top_by_layer: [], settled_layer: null } })] });
  assert.equal(never[0].depth, null);
  const classes = classRows(DATA);
  assert.equal(classes.rows[0].name, 'sink');
  assert.deepEqual(classes.rows[0].counts, [3, 3]);
  assert.deepEqual(classes.rows[0].shares, [3 / 4, 3 / 8]);
  assert.equal(classes.max, 4);
  assert.deepEqual(anomalyRows(DATA).find((r) => r.key === 'outlier_activations').values, [5, 5]);
  const csv = layerMetricsCSVRows(DATA);
  assert.deepEqual(csv[0], ['side', 'model', 'layer', 'depth', 'entropy', 'focus']);
  assert.equal(csv.length, 1 + 2 + 4);
  assert.deepEqual(csv[1], ['A', 'm1', 0, 0.5, 0.5, 0.5]);
  assert.deepEqual(csv[6].slice(0, 4), ['B', 'm2', 3, 1]);
});
