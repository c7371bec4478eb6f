// Colour scales (Public/js/components/color-scales.js) and the graph's edge colours (views/graph/style.js):
// expected colours worked out by hand from the ColorBrewer stops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterColor, diverging, divergingGradient, divergingText, greenScale, hexToRgb, lut, lutIndex, mixHex,
  positiveGradient } from '../../Public/js/components/color-scales.js';
import { maxOf, maxValue, poolPixels, poolRect } from '../../Public/js/components/heatmap/pooling.js';
import { edgeColor, edgeWidth } from '../../Public/js/views/graph/style.js';

test('hex and mixes', () => {
  assert.deepEqual(hexToRgb('#08306b'), [8, 48, 107]);
  assert.equal(mixHex([0, 0, 0], [255, 255, 255], 0.5), '#808080'); // 127.5 rounds up
  assert.equal(mixHex([16, 32, 48], [16, 32, 48], 0.3), '#102030');
});

test('sequential tables: the end stops and a point between two stops', () => {
  const blues = lut('blues');
  assert.equal(blues.css[0], '#f7fbff');
  assert.equal(blues.css[255], '#08306b');
  // greens at 128: t = 128/255 · 8 = 4.0157 → #74c476 (116,196,118) + 1.57% of the way to #41ab5d (65,171,93)
  assert.equal(lut('greens').css[128], '#73c476');
  assert.deepEqual([...new Uint8Array(blues.u32.buffer, 0, 4)], [0xf7, 0xfb, 0xff, 255], 'ImageData byte order');
  assert.equal(lut('no such scheme'), blues, 'unknown schemes fall back to blues (and tables are cached)');
});

test('the index of a value on a table', () => {
  const scale = 255 / 2; // values 0…2
  assert.equal(lutIndex(0, scale), 0);
  assert.equal(lutIndex(1, scale), 128); // 127.5 + 0.5, truncated
  assert.equal(lutIndex(2, scale), 255);
  assert.equal(lutIndex(5, scale), 255);
  assert.equal(lutIndex(-1, scale), 0);
  assert.equal(lutIndex(NaN, scale), 0);
  assert.equal(lutIndex(1, 0), 0);
});

test('diverging red – white – blue', () => {
  assert.equal(diverging(-1), 'rgb(178,24,43)');
  assert.equal(diverging(0), 'rgb(247,247,247)');
  assert.equal(diverging(1), 'rgb(33,102,172)');
  assert.equal(diverging(0.5), 'rgb(146,197,222)'); // exactly the stop #92c5de
  // 0.1: 40% of the way from #f7f7f7 to #d1e5f0: 247 − 15.2, 247 − 7.2, 247 − 2.8
  assert.equal(diverging(0.1), 'rgb(232,240,244)');
  assert.equal(diverging(-7), diverging(-1), 'clamped');
  assert.equal(diverging(null), diverging(0));
  assert.equal(divergingText(0.7), '#ffffff');
  assert.equal(divergingText(-0.5), '#1b1b1b');
  assert.equal(divergingGradient(), 'linear-gradient(to right, #b2182b, #d6604d, #f4a582, #fddbc7, #f7f7f7, #d1e5f0, #92c5de, #4393c3, #2166ac)');
  assert.equal(positiveGradient(), 'linear-gradient(to right, rgb(247,247,247), rgb(146,197,222), rgb(33,102,172))');
});

test('the heads and neurons dots: white → green', () => {
  assert.equal(greenScale(0), 'rgb(255,255,229)');
  assert.equal(greenScale(1), 'rgb(49,163,84)');
  assert.equal(greenScale(0.5), 'rgb(152,209,157)'); // 255 − 103, 255 − 46, 229 − 72.5
  assert.equal(greenScale(3), greenScale(1));
});

test('cluster colours', () => {
  assert.equal(clusterColor(0), '#8dd3c7');
  assert.equal(clusterColor(13), '#ffffb3'); // 13 mod 12 = 1
  assert.equal(clusterColor(null), '#f4f6f8');
});

test('graph edges: colour and width saturate at weight 0.5', () => {
  assert.equal(edgeColor('attention', 0), '#9eba66');
  assert.equal(edgeColor('attention', 0.5), '#556b2f');
  assert.equal(edgeColor('residual', 2), '#556b2f');
  assert.equal(edgeColor('attention', 0.25), '#7a934b'); // halfway: 121.5, 146.5, 74.5 rounded up
  assert.equal(edgeColor('ffn', 0.25), '#ad38ab'); // halfway from orchid to purple
  assert.equal(edgeColor('ffn', NaN), '#da70d6');
  assert.equal(edgeWidth(0.25), 2.5);
  assert.equal(edgeWidth(1), 3);
  assert.equal(edgeWidth(-1), 2);
});

test('max pooling keeps thin peaks', () => {
  const values = Float32Array.from([0, 0, 0, 4, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1]); // 4 × 4
  assert.equal(maxValue(values, 4), 4);
  const table = Uint32Array.from({ length: 256 }, (_, i) => i); // colour = index, to read the pooling back
  assert.deepEqual([...poolPixels(new Uint32Array(4), values, 4, 2, 255 / 4, table)], [0, 255, 128, 64]);
  assert.deepEqual([...poolPixels(new Uint32Array(16), values, 4, 4, 255 / 4, table)].slice(0, 4), [0, 0, 0, 255]);
  // a 2 × 8 map (layers × positions) pooled to 1 × 4 and to 2 × 2
  const wide = Float32Array.from([0, 1, 0, 0, 0, 0, 3, 0, 0, 0, 0, 2, 0, 0, 0, 4]);
  assert.equal(maxOf(wide, 16), 4);
  assert.deepEqual([...poolRect(new Uint32Array(4), wide, 2, 8, 1, 4, 255 / 4, table)], [64, 128, 0, 255]);
  assert.deepEqual([...poolRect(new Uint32Array(4), wide, 2, 8, 2, 2, 255 / 4, table)], [64, 191, 128, 255]);
  assert.deepEqual([...poolRect(new Uint32Array(16), wide, 2, 8, 2, 8, 255 / 4, table)].slice(5, 8), [0, 191, 0], 'full size: as is');
});
