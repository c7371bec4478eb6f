// Public/js/core/busy-retry.js: a 503 is asked again after its Retry-After (1–5 s), at most five more times, and only
// while the caller still wants the answer; other errors at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { whileBusy } from '../../Public/js/core/busy-retry.js';

const busy = (retryAfter) => Object.assign(new Error('busy'), { status: 503, retryAfter });

test('503s are asked again after Retry-After, clamped to 1–5 s; then the answer', async () => {
  const waits = [];
  const answers = [busy(2), busy(30), busy(undefined), 'ok'];
  const result = await whileBusy(async () => {
    const next = answers.shift();
    if (next instanceof Error) throw next;
    return next;
  }, () => true, async (ms) => { waits.push(ms); });
  assert.equal(result, 'ok');
  assert.deepEqual(waits, [2000, 5000, 1000]);
});

test('the sixth 503, another error, or a caller that no longer wants it: thrown', async () => {
  let asked = 0;
  await assert.rejects(whileBusy(async () => { asked++; throw busy(1); }, () => true, async () => {}),
    (error) => error.status === 503);
  assert.equal(asked, 6);
  await assert.rejects(whileBusy(async () => { throw Object.assign(new Error('x'), { status: 400 }); }, () => true,
    async () => { throw new Error('no wait for a 400'); }), (error) => error.status === 400);
  asked = 0;
  await assert.rejects(whileBusy(async () => { asked++; throw busy(1); }, () => false, async () => {}));
  assert.equal(asked, 1);
});
