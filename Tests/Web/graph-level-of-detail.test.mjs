// The contribution graph's level of detail for long prompts (Public/js/views/graph/level-of-detail.js): when it
// applies, the viewport's rectangle and tokens, the culled and budgeted edges, the first view and the markers' hit
// test; and what the caption and the tooltip say about it. Expected values by hand from the layout rules: CELL 32,
// margins left 64 / top 6, markers centred at y 22.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { graphGeometry } from '../../Public/js/views/graph/layout.js';
import { EDGE_BUDGET, LOD_MIN_EDGES, edgesInView, focusView, markerAt, pathIndex, tokenRange, usesLevelOfDetail, viewRect }
  from '../../Public/js/views/graph/level-of-detail.js';
import { graphCaption } from '../../Public/js/views/graph/graph-data.js';
import { tooltipLines } from '../../Public/js/views/graph/tooltip.js';

const g = graphGeometry(2, 3); // xOf: 80, 112, 144; width 180, height 214

test('level of detail: long graphs only (nodes or edges)', () => {
  assert.equal(usesLevelOfDetail(graphGeometry(2, 3)), false);
  assert.equal(usesLevelOfDetail(graphGeometry(18, 324)), false, '37 · 324 = 11988 nodes');
  assert.equal(usesLevelOfDetail(graphGeometry(18, 325)), true, '37 · 325 = 12025 nodes');
  assert.equal(usesLevelOfDetail(graphGeometry(18, 1597)), true);
  assert.equal(usesLevelOfDetail(graphGeometry(18, 100), LOD_MIN_EDGES), false);
  assert.equal(usesLevelOfDetail(graphGeometry(18, 100), LOD_MIN_EDGES + 1), true);
});

test('the viewport in graph units, and its tokens', () => {
  assert.deepEqual(viewRect({ k: 2, x: -100, y: -50 }, { w: 400, h: 300 }), { x0: 50, y0: 25, x1: 250, y1: 175 });
  assert.deepEqual(viewRect({ k: 2, x: -100, y: -50 }, { w: 400, h: 300 }, 10), { x0: 40, y0: 15, x1: 260, y1: 185 });
  assert.deepEqual(tokenRange(g, { x0: 100, x1: 130 }), { t0: 1, t1: 2 });
  assert.deepEqual(tokenRange(g, { x0: -500, x1: 90 }), { t0: 0, t1: 0 });
  assert.deepEqual(tokenRange(g, { x0: 0, x1: 5000 }), { t0: 0, t1: 2 });
  const none = tokenRange(g, { x0: 500, x1: 600 });
  assert.ok(none.t0 > none.t1, 'right of the last token: none');
});

test('shown edges heaviest first, and the nodes on them', () => {
  const shown = [{ index: 0, weight: 0.2, source: 'X0_0', target: 'A0_0' }, { index: 2, weight: 0.5, source: 'A0_0', target: 'I0_0' },
    { index: 1, weight: 0.5, source: 'X0_0', target: 'A0_1' }];
  const { byWeight, active } = pathIndex(shown);
  assert.deepEqual(byWeight.map((r) => r.index), [1, 2, 0], 'ties by index');
  assert.deepEqual([...active].sort(), ['A0_0', 'A0_1', 'I0_0', 'X0_0']);
  assert.deepEqual(shown.map((r) => r.index), [0, 2, 1], 'the shown list is left as it was');
});

test('edges in view: culled by their boxes, the heaviest within the budget, light first', () => {
  const rec = (index, weight, x1, y1, x2, y2) => ({ index, weight, x1, y1, x2, y2 });
  const a = rec(0, 0.9, 0, 0, 10, 0);
  const b = rec(1, 0.5, 20, 5, 30, 5);
  const c = rec(2, 0.3, 100, 0, 110, 0); // right of the rectangle
  const d = rec(3, 0.2, 5, 50, 25, 60); // below it
  const e = rec(4, 0.1, -100, 8, 200, 2); // across it, its ends outside
  const rect = { x0: 0, y0: 0, x1: 40, y1: 10 };
  assert.deepEqual(edgesInView([a, b, c, d, e], rect, 10), { edges: [e, b, a], inView: 3, cutoff: 0 });
  assert.deepEqual(edgesInView([a, b, c, d, e], rect, 2), { edges: [b, a], inView: 3, cutoff: 0.5 });
  assert.deepEqual(edgesInView([a, b, c, d, e], { x0: 200, y0: 200, x1: 300, y1: 300 }, 2), { edges: [], inView: 0, cutoff: 0 });
  const many = Array.from({ length: EDGE_BUDGET + 5 }, (_, i) => rec(i, 1 - i / 1e5, 0, 0, 1, 1));
  const picked = edgesInView(many, rect);
  assert.equal(picked.edges.length, EDGE_BUDGET);
  assert.equal(picked.inView, EDGE_BUDGET + 5);
  assert.equal(picked.cutoff, 1 - (EDGE_BUDGET - 1) / 1e5);
  assert.equal(picked.edges[0].index, EDGE_BUDGET - 1, 'the lightest painted first');
});

test('the first view of a long graph: layers fitted below the legend, at the start token', () => {
  const long = graphGeometry(18, 1597); // height 726, width 51188
  const box = { w: 800, h: 700 };
  const k = (700 - 74 - 8) / 726;
  const last = focusView(box, long, 1596, 74);
  assert.equal(last.k, k);
  assert.equal(last.y, 74);
  assert.ok(Math.abs(last.x - (792 - 51188 * k)) < 1e-9, 'the graph ends at the right edge, 8 px in');
  assert.equal(focusView(box, long, 0, 74).x, 8, 'the first token: the graph starts at the left edge');
  const middle = focusView(box, long, 800, 74);
  assert.ok(Math.abs(middle.x - (400 - (64 + 800.5 * 32) * k)) < 1e-9, 'token 800 in the middle');
  assert.equal(focusView({ w: 800, h: 5000 }, long, 800, 74).k, 1, 'at most zoom 1');
});

test('the start markers painted on a canvas: hit test', () => {
  assert.equal(markerAt(g, { x: 80, y: 22 }), 0);
  assert.equal(markerAt(g, { x: 85, y: 25 }), 0);
  assert.equal(markerAt(g, { x: 144, y: 28 }), 2);
  assert.equal(markerAt(g, { x: 96, y: 22 }), null, 'between two markers');
  assert.equal(markerAt(g, { x: 176, y: 22 }), null, 'right of the last token');
  assert.equal(markerAt(g, { x: 80, y: 40 }), null, 'below the markers');
  assert.equal(markerAt(g, { x: 80, y: 16 }), null, 'above the triangle');
  assert.equal(markerAt(g, { x: 30, y: 16 }), 'all');
  assert.equal(markerAt(graphGeometry(2, 0), { x: 30, y: 22 }), null, 'an empty graph has none');
});

test('the caption and the tooltip of a long graph', () => {
  const graph = { edges: [{}, {}, {}], threshold: 0.04, renormalize: true };
  const plain = '2 edges on the paths to token 1 · 3 in the graph · threshold 0.04, renormalised';
  assert.equal(graphCaption(2, 1, graph, { drawn: 4000, inView: 4000, cutoff: 0 }), plain);
  assert.equal(graphCaption(2, 1, graph, null), plain);
  assert.equal(graphCaption(2, 1, graph, { drawn: 4000, inView: 9120, cutoff: 0.2134 }),
    `${plain} · in view: the 4000 heaviest of 9120 (≥ 0.213), zoom in for more`);
  assert.deepEqual(tooltipLines({ marker: 1 }, g, ['a', 'b<', 'c']), [['Show the paths to token 1 (b<)', 'gb-tt-title']]);
  assert.deepEqual(tooltipLines({ marker: 'all' }, g, []), [['Show the paths to every token (union)', 'gb-tt-title']]);
});
