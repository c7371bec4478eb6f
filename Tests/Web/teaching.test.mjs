// The Teaching view's pure parts (Public/js/views/teaching/): its URL codec, the norm scale, the strongest keys,
// the CSV rows and the sampling table's rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SAMPLING_DEFAULTS, url } from '../../Public/js/views/teaching/url-state.js';
import { normScale, samplingFor, samplingRows, strongestKeys, walkCSVRows } from '../../Public/js/views/teaching/walk-data.js';

const walk = {
  token: 2, id: 7, display: 'c',
  embedding: { norm: 1.5, first_values: [0.1], lens: [{ id: 1, display: 'a', probability: 0.5, logit: 1 }] },
  layers: [
    { layer: 0, attention: [[0.2, 0.5, 0.3]], attention_output_norm: 2, ffn_output_norm: 4.5, mid_norm: 2.5,
      residual_norm: 3, neurons: [{ index: 9, activation: 1.25, weight: 0.1 }],
      lens: [{ id: 3, display: 'd', probability: 0.25, logit: 2, previous_rank: 7 }] },
  ],
};

test('the URL keeps the position and the sliders that differ from their defaults', () => {
  const state = {};
  url.read(new URLSearchParams('walk=3&temperature=0.7&top_k=5&top_p=0.9&penalty=1.2'), state);
  assert.equal(state.walkToken, 3);
  assert.deepEqual(state.sampling, { temperature: 0.7, topK: 5, topP: 0.9, repetitionPenalty: 1.2 });
  const params = new URLSearchParams();
  url.write(state, params);
  assert.equal(params.toString(), 'walk=3&temperature=0.7&top_k=5&top_p=0.9&penalty=1.2');
  url.read(new URLSearchParams('walk=x&temperature=0&top_k=1.5&top_p=2&penalty=0.5'), state);
  assert.equal(state.walkToken, null);
  assert.deepEqual(state.sampling, SAMPLING_DEFAULTS, 'bad values fall back to the defaults');
  const empty = new URLSearchParams();
  url.write(state, empty);
  assert.equal(empty.toString(), '');
  state.walkToken = 4;
  url.newRun(state);
  assert.equal(state.walkToken, null);
});

test('norm scale, strongest keys, CSV', () => {
  assert.equal(normScale(walk), 4.5);
  assert.deepEqual(strongestKeys([0.2, 0.5, 0.3, 0.5], 3), [{ k: 1, p: 0.5 }, { k: 3, p: 0.5 }, { k: 2, p: 0.3 }]);
  const rows = walkCSVRows(walk);
  assert.deepEqual(rows[1], ['embedding', '', '', '', 1.5, '', '', 1, 'a', 0.5, '']);
  assert.deepEqual(rows[2], [0, 2, 4.5, 2.5, 3, 9, 1.25, 3, 'd', 0.25, 7]);
});

test('the sampling table: the most probable tokens first, removed ones marked', () => {
  const logits = Float32Array.from([0, 3, 1, 2]);
  const steps = samplingFor(logits, { temperature: 1, topK: 2, topP: 1, repetitionPenalty: 1 }, []);
  const rows = samplingRows(steps, 3);
  assert.deepEqual(rows.map((r) => [r.id, r.kept]), [[1, true], [3, true], [2, false]]);
  const e = [1, Math.exp(3), Math.exp(1), Math.exp(2)], total = e.reduce((a, b) => a + b);
  assert.ok(Math.abs(rows[0].afterTemperature - e[1] / total) < 1e-15);
  assert.ok(Math.abs(rows[0].afterTopK - e[1] / (e[1] + e[3])) < 1e-15);
  assert.equal(rows[2].afterTopK, 0);
  const penalized = samplingFor(logits, { temperature: 1, topK: 0, topP: 1, repetitionPenalty: 2 }, [1]);
  assert.equal(penalized.penalized[1], 1.5, 'a positive logit of a prompt token is divided by the penalty');
});
