// Where the attention thumbnails' pixels come from (Public/js/views/attention/thumbnail-loader.js): on the page
// (short prompts, or no workers, as here) the pattern fetched and max-pooled to the tile's resolution.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WORKER_MIN_TOKENS, createThumbnailLoader } from '../../Public/js/views/attention/thumbnail-loader.js';
import { lut } from '../../Public/js/components/color-scales.js';

test('thumbnails pooled on the page: the max of each 2 × 2 block, scaled to the map maximum', async () => {
  const blues = lut('blues');
  // 4 × 4, row-major; the blocks' maxima: 0.8, 0.2 / 0.4, 0 (of a map maximum 0.8)
  const values = Float32Array.from([0, 0.8, 0.1, 0, 0, 0, 0.2, 0, 0.4, 0, 0, 0, 0, 0.1, 0, 0]);
  const asked = [];
  const loader = createThumbnailLoader({ n: 4, colors: blues, patternURL: () => '/x',
    fetchPattern: async (layer, head) => { asked.push([layer, head]); return values; } });
  const { pixels, max } = await loader.load(3, 1, 2);
  assert.deepEqual(asked, [[3, 1]], 'fetched through fetchPattern (4 tokens < WORKER_MIN_TOKENS)');
  assert.ok(WORKER_MIN_TOKENS > 4);
  assert.ok(Math.abs(max - 0.8) < 1e-7);
  assert.deepEqual([...pixels], [blues.u32[255], blues.u32[64], blues.u32[128], blues.u32[0]]);
  loader.destroy();
});

test('a pattern shorter than n × n is an error', async () => {
  const loader = createThumbnailLoader({ n: 3, colors: lut('blues'), fetchPattern: async () => new Float32Array(4) });
  await assert.rejects(loader.load(0, 0, 3), /expected 9 values/);
});
