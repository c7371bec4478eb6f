// The Generate page's pure parts (Public/js/pages/generate/generate-state.js): its URL, the request body, a step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ATTRIBUTION_METHODS, GENERATE_DEFAULTS, attributionCSVRows, attributionLevels, deliveryMilliseconds, deliveryStats, decodeGenerateURL, encodeGenerateURL, generateBody, stepSummary }
  from '../../Public/js/pages/generate/generate-state.js';

test('the URL round-trips the settings that differ from the defaults; bad values fall back', () => {
  const state = { ...GENERATE_DEFAULTS, model: 'tiny-gpt2', prompt: 'Hi there', maxNewTokens: 5, temperature: 1.3, seed: 11 };
  const query = encodeGenerateURL(state).toString();
  assert.equal(query, 'page=generate&model=tiny-gpt2&prompt=Hi+there&max_new_tokens=5&temperature=1.3&seed=11');
  assert.deepEqual(decodeGenerateURL(query), state);
  const bad = decodeGenerateURL('page=generate&max_new_tokens=0&temperature=-1&top_p=2&top_k=1.5&seed=x');
  assert.deepEqual(bad, { ...GENERATE_DEFAULTS });
  assert.equal(decodeGenerateURL('greedy=1').greedy, true);
});

test('the body: sampling settings, or greedy without them', () => {
  assert.deepEqual(generateBody({ ...GENERATE_DEFAULTS }),
    { prompt: 'Once upon a time', max_new_tokens: 24, seed: 7, temperature: 0.8, top_k: 40, top_p: 0.95 });
  assert.deepEqual(generateBody({ ...GENERATE_DEFAULTS, greedy: true, model: 'm', repetitionPenalty: 1.2 }),
    { prompt: 'Once upon a time', max_new_tokens: 24, seed: 7, model: 'm', greedy: true, repetition_penalty: 1.2 });
});

test('a step: the chosen candidate, how many the filters kept, the draw in words', () => {
  const token = { uniform: 0.25, candidates: [
    { id: 1, probability: 0.5, sampled_probability: 0.6, chosen: true },
    { id: 2, probability: 0.3, sampled_probability: 0.4, chosen: false },
    { id: 3, probability: 0.2, sampled_probability: 0, chosen: false }] };
  const s = stepSummary(token);
  assert.equal(s.chosen.id, 1);
  assert.equal(s.kept, 2);
  assert.match(s.text, /u = 0\.2500/);
  assert.equal(stepSummary({ ...token, uniform: null }).greedy, true);
});

test('the attribution matrix as CSV: a row per generated token, a column per source', () => {
  const rows = attributionCSVRows({ tokens: ['a', 'b', 'c'], generated: [{ position: 1, display: 'b' }, { position: 2, display: 'c' }],
    scores: [[1, 0], [0.25, 0.75]] });
  assert.deepEqual(rows, [['generated_position', 'generated_token', '0:a', '1:b'], [1, 'b', 1, 0], [2, 'c', 0.25, 0.75]]);
});

test('the matrix shading: √share for the graph, √(v/max) unsigned, v/max|v| signed, each row on its own', () => {
  assert.deepEqual(attributionLevels({ method: 'contribution-share', scores: [[0.25, 0.75, 0]] }), [[0.5, Math.sqrt(0.75), 0]]);
  assert.deepEqual(attributionLevels({ method: 'saliency', signed: false, scores: [[2, 8, 0], [0, 0, 0]] }),
    [[0.5, 1, 0], [0, 0, 0]]);
  assert.deepEqual(attributionLevels({ method: 'ig', signed: true, scores: [[-4, 2, 0], [1, -0.5, 0]] }),
    [[-1, 0.5, 0], [1, -0.5, 0]]);
});

test('the attribution method round-trips through the URL; an unknown one is the default', () => {
  const state = { ...GENERATE_DEFAULTS, attribution: 'ig' };
  assert.equal(encodeGenerateURL(state).get('attribution'), 'ig');
  assert.equal(decodeGenerateURL(encodeGenerateURL(state).toString()).attribution, 'ig');
  assert.equal(decodeGenerateURL('page=generate&attribution=lime').attribution, 'contribution-share');
  assert.equal(encodeGenerateURL(GENERATE_DEFAULTS).get('attribution'), null);
  assert.deepEqual(ATTRIBUTION_METHODS.map(([name]) => name),
    ['contribution-share', 'saliency', 'gradxinput', 'ig', 'occlusion', 'attention-gradient']);
});

test('delivery: arrival on this clock less the server\'s sent_at; max and median', () => {
  assert.equal(deliveryMilliseconds({ sent_at: 1800000000.25 }, 1800000000262), 12);
  assert.equal(deliveryMilliseconds({ sent_at: 1800000000.25 }, 1800000000249.5), 0);
  assert.deepEqual(deliveryStats([{ delivery_ms: 3 }, { delivery_ms: 1 }, { delivery_ms: 10 }]), { max: 10, median: 3 });
  assert.deepEqual(deliveryStats([{ delivery_ms: 4 }, { delivery_ms: 2 }]), { max: 4, median: 3 });
  assert.equal(deliveryStats([]), null);
});
