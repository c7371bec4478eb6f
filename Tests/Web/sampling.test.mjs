// The sampling filters of Public/js/core/sampling.js against the float64 reference
// (tools/references/make_sampling_fixtures.py → Tests/Fixtures/golden/sampling.json, whose kept sets equal
// transformers' logits processors'): every probability within 1e-12, the same kept tokens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { rankOrder, samplingSteps } from '../../Public/js/core/sampling.js';

const golden = JSON.parse(readFileSync(new URL('../Fixtures/golden/sampling.json', import.meta.url)));

function close(actual, expected, what) {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= 1e-12, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

test('every step of every reference case', () => {
  assert.ok(golden.cases.length >= 9);
  for (const c of golden.cases) {
    const what = `T=${c.temperature} k=${c.top_k} p=${c.top_p} r=${c.repetition_penalty}`;
    const steps = samplingSteps(golden.logits, {
      temperature: c.temperature, topK: c.top_k, topP: c.top_p, repetitionPenalty: c.repetition_penalty,
      previous: c.previous,
    });
    close(steps.penalized, c.penalized_logits, `${what} penalized`);
    close(steps.afterTemperature, c.after_temperature, `${what} temperature`);
    close(steps.afterTopK, c.after_top_k, `${what} top-k`);
    close(steps.afterTopP, c.after_top_p, `${what} top-p`);
    assert.deepEqual([...steps.kept].sort((a, b) => a - b), c.kept, `${what} kept`);
  }
});

test('ties rank the lower id first; the order is reused across temperatures', () => {
  const logits = [1, 3, 3, 2];
  assert.deepEqual([...rankOrder(logits)], [1, 2, 3, 0]);
  const order = rankOrder(logits);
  const cold = samplingSteps(logits, { temperature: 0.5, topK: 1 }, order);
  assert.deepEqual([...cold.kept], [1], 'top-1 of a tie keeps the lower id');
  assert.equal(cold.afterTopP[1], 1);
  const hot = samplingSteps(logits, { temperature: 100, topP: 0.5 }, order);
  assert.deepEqual([...hot.kept], [1, 2], 'nearly uniform: two of four tokens reach one half');
});

test('bad settings are errors naming them', () => {
  assert.throws(() => samplingSteps([0, 1], { temperature: 0 }), /temperature/);
  assert.throws(() => samplingSteps([0, 1], { topP: 0 }), /top-p/);
  assert.throws(() => samplingSteps([0, 1], { topP: 1.5 }), /top-p/);
  assert.throws(() => samplingSteps([0, 1], { topK: -1 }), /top-k/);
});
