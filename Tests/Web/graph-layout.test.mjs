// The contribution graph's pure layout (Public/js/views/graph/layout.js) and the pan/zoom and heatmap geometry it
// shares with the heatmaps (components/viewport.js, components/heatmap/layout.js). Expected values by hand from
// the layout rules: CELL 32, margins left 64 / top 6, A a quarter cell below a cell's centre, I a quarter above.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitView, graphGeometry, nearestEdge, nearestNode, normalizeStart, parseEdges, shortLabel, shownEdgeIndices }
  from '../../Public/js/views/graph/layout.js';
import { tooltipLines, tooltipPosition } from '../../Public/js/views/graph/tooltip.js';
import { zoomAround } from '../../Public/js/components/viewport.js';
import { cellAt, cellTransform, cellZoom, computeLayout, constrainCells, exportLayout, labelStep, matrixShape, screenLayout }
  from '../../Public/js/components/heatmap/layout.js';

// 2 layers × 3 tokens: top = 6 + 32 = 38; the centre of layer l is 38 + (1 − l)·32 + 16.
const g = graphGeometry(2, 3);

test('graph size and rows', () => {
  assert.equal(g.width, 64 + 3 * 32 + 20);
  assert.equal(g.height, 38 + 2 * 32 + 16 + 96);
  assert.equal(g.xOf(0), 80);
  assert.equal(g.xOf(2), 144);
  assert.equal(g.cyOf(1), 54);
  assert.equal(g.cyOf(0), 86);
  assert.equal(g.embY, 38 + 64 + 8);
});

test('node positions of every kind', () => {
  assert.deepEqual(g.nodePos('X0_1'), { item: 'X', l: 0, t: 1, x: 112, y: 110 });
  assert.deepEqual(g.nodePos('A0_2'), { item: 'A', l: 0, t: 2, x: 144, y: 94 });
  assert.deepEqual(g.nodePos('I1_0'), { item: 'I', l: 1, t: 0, x: 80, y: 46 });
  assert.deepEqual(g.nodePos('M1_1'), { item: 'M', l: 1, t: 1, x: 122, y: 54 });
  assert.equal(g.nodePos('A2_0'), null, 'layer 2 is past the last layer');
  assert.equal(g.nodePos('I0_3'), null, 'token 3 is past the last token');
  assert.equal(g.nodePos('Q0_0'), null);
});

test('edges: end points, validity and the pair index', () => {
  const { edges, pairIndex } = parseEdges([
    { source: 'X0_0', target: 'A0_2', weight: 0.5, kind: 'attention' },
    { source: 'X0_0', target: 'A0_2', weight: '0.25', kind: 'residual' },
    { source: 'A0_2', target: 'M0_2', weight: 0.1 },
    { source: 'A0_9', target: 'I0_0', weight: 0.1, kind: 'ffn' },
  ], g);
  assert.deepEqual(edges[0], { index: 0, source: 'X0_0', target: 'A0_2', weight: 0.5, kind: 'attention',
                               x1: 80, y1: 110, x2: 144, y2: 94, valid: true });
  assert.equal(edges[1].weight, 0.25);
  assert.equal(edges[2].kind, 'attention', 'the kind defaults to attention');
  assert.deepEqual([edges[2].x2, edges[2].y2], [154, 86]);
  assert.equal(edges[3].valid, false);
  assert.deepEqual(pairIndex.get('X0_0|A0_2').map((e) => e.index), [0, 1]);
  assert.equal(pairIndex.size, 3);
});

test('the shown path set', () => {
  const paths = [[0, 2], [2, 1, 9], [3, 0, -1]];
  assert.deepEqual(shownEdgeIndices(paths, 1, 4), [2, 1]);
  assert.deepEqual(shownEdgeIndices(paths, 'all', 4), [0, 2, 1, 3]);
  assert.deepEqual(shownEdgeIndices([], 0, 3), [0, 1, 2], 'without path sets every edge is shown');
  assert.deepEqual(shownEdgeIndices(paths, 7, 4), []);
});

test('the start token within the graph', () => {
  assert.equal(normalizeStart('all', 5), 'all');
  assert.equal(normalizeStart(9, 5), 4);
  assert.equal(normalizeStart(-2, 5), 0);
  assert.equal(normalizeStart('x', 5), 4);
  assert.equal(normalizeStart(2, 0), 'all');
});

test('hit testing: nearest edge and node', () => {
  const edges = [{ x1: 0, y1: 0, x2: 100, y2: 0, id: 'a' }, { x1: 0, y1: 10, x2: 100, y2: 10, id: 'b' }];
  assert.equal(nearestEdge(edges, { x: 50, y: 3 }, 5).id, 'a');
  assert.equal(nearestEdge(edges, { x: 50, y: 7 }, 5).id, 'b');
  assert.equal(nearestEdge(edges, { x: 50, y: 30 }, 5), null);
  assert.equal(nearestNode(g, { x: 111, y: 109 }, 9, () => false), 'X0_1');
  assert.equal(nearestNode(g, { x: 145, y: 47 }, 9, () => false), 'I1_2');
  // (121, 55): A1_1 (112, 62) is √130 away, I1_1 (112, 46) √162, M1_1 (122, 54) √2
  assert.equal(nearestNode(g, { x: 121, y: 55 }, 12, () => false), 'A1_1', 'an FFN square not drawn is not hit');
  assert.equal(nearestNode(g, { x: 121, y: 55 }, 12, (name) => name === 'M1_1'), 'M1_1');
  assert.equal(nearestNode(g, { x: 300, y: 300 }, 9, () => false), null);
});

test('fitting: centred, moved left of the legend, or shrunk below it', () => {
  const legend = { legendW: 244, legendH: 58 }; // the legend's left edge is w − 252, its bottom 74
  const close = (a, b) => Object.keys(b).every((key) => Math.abs(a[key] - b[key]) < 1e-9);
  // 100 × 100 in 1000 × 500: k = min(984/100, 484/100) = 4.84, x = (1000 − 484)/2 = 258: ends at 742, clear of 748
  assert.deepEqual(fitView({ w: 1000, h: 500 }, { width: 100, height: 100 }, legend), { k: 4.84, x: 258, y: 8 });
  // 200 × 100 in 1300 × 500: k 4.84, x 166 ends at 1134 > 1048, and 1040 px leave room for 968: x = 1048 − 8 − 968
  assert.deepEqual(fitView({ w: 1300, h: 500 }, { width: 200, height: 100 }, legend), { k: 4.84, x: 72, y: 8 });
  // 200 × 100 in 1000 × 500: no room (740 < 968): below the legend, k = min(984/200, (500 − 74 − 8)/100) = 4.18
  assert.ok(close(fitView({ w: 1000, h: 500 }, { width: 200, height: 100 }, legend), { k: 4.18, x: 82, y: 74 }));
  // 900 × 100 in 1000 × 120: below the legend k would be 0.38 < 0.6 · 1.04: it stays centred
  assert.ok(close(fitView({ w: 1000, h: 120 }, { width: 900, height: 100 }, legend), { k: 1.04, x: 32, y: 8 }));
});

test('axis labels: XML-safe, at most 14 characters', () => {
  assert.equal(shortLabel('short'), 'short');
  assert.equal(shortLabel('abcdefghijklmnopqrstuvwxyz'), 'abcdefghijklm…');
  assert.equal(shortLabel('a\u0001b'), 'a\ufffdb');
});

test('tooltip lines and position', () => {
  const tokens = ['The', ' fox', ' jumps'];
  assert.deepEqual(tooltipLines({ node: 'A1_2', active: true }, g, tokens), [
    ['A1_2 · after attention, layer 1 · token 2 “ jumps”', 'gb-tt-title'], ['on the shown paths', 'gb-tt-sub']]);
  const edge = { source: 'X0_0', target: 'A0_2' };
  assert.deepEqual(tooltipLines({ edge, pair: [{ kind: 'attention', weight: 0.123456 }, { kind: 'residual', weight: NaN }] }, g, tokens), [
    ['X0_0 → A0_2', 'gb-tt-title'], ['token 0 “The” → token 2 “ jumps”', 'gb-tt-sub'],
    ['attention  0.1235', 'gb-tt-row'], ['residual  NaN', 'gb-tt-row']]);
  assert.deepEqual(tooltipPosition(10, 20, 100, 30, 500, 400), { left: 24, top: 34 });
  assert.deepEqual(tooltipPosition(450, 390, 100, 30, 500, 400), { left: 340, top: 350 });
});

test('zooming around a point keeps the point', () => {
  const view = zoomAround({ k: 1, x: 0, y: 0 }, 2, 100, 50, 0.1, 10);
  assert.deepEqual(view, { k: 2, x: -100, y: -50 });
  assert.deepEqual(zoomAround({ k: 8, x: 10, y: 10 }, 4, 0, 0, 0.1, 10), { k: 10, x: 12.5, y: 12.5 }, 'k stops at the maximum');
});

test('heatmap layout: plot, labels and legend', () => {
  assert.deepEqual(computeLayout(100, { rows: 10, cols: 10, cellW: 30 }, 'attention'),
    { width: 110 + 300 + 64, height: 30 + 300 + 92, plotX: 110, plotY: 30, plotW: 300, plotH: 300, rows: 10, cols: 10,
      cellW: 30, cellH: 30, titleH: 22, legendX: 424, labelW: 100 });
  // 520 px for 10 tokens: labels 60…156, plot = 520 − 70 − 64 − 4 = 382 but at most 48 px a cell → 382 (< 480)
  const screen = screenLayout(520, 60, 10, 10);
  assert.deepEqual([screen.plotW, screen.plotH, screen.cellW], [382, 382, 38.2]);
  assert.equal(screen.plotX, 70);
  assert.equal(screenLayout(520, 60, 3, 3).plotW, 144, 'cells at most 48 px');
  assert.equal(exportLayout(50, 100, 100, '').plotW, 1000, '10 px cells for 100 tokens');
  assert.equal(exportLayout(50, 2000, 2000, '').plotW, 4000, 'at least 2 px cells');
  assert.deepEqual([1, 3, 7, 15, 40].map((need) => labelStep(1, need)), [1, 5, 10, 20, 50]);
  assert.equal(labelStep(20, 13), 1);
});

test('heatmap layout of a rows × columns map', () => {
  // 2 layers × 27 positions in 900 px: 27 columns of 28 px (756 > 720: the plot stops at 720), square cells
  const wide = screenLayout(900, 60, 2, 27);
  assert.deepEqual([wide.plotW, wide.cellW, wide.cellH, wide.plotH], [720, 720 / 27, 720 / 27, 2 * 720 / 27]);
  // 90 rows (stacked points of 30 layers) × 10 positions: 48 px columns, rows of 720 / 90 = 8 px
  const tall = screenLayout(900, 60, 90, 10);
  assert.deepEqual([tall.plotW, tall.cellW, tall.cellH, tall.plotH], [480, 48, 8, 720]);
  // 512 positions × 3 rows: columns of 720 / 512 px, rows of at least 18 px
  const long = screenLayout(900, 60, 3, 512);
  assert.deepEqual([long.cellW, long.cellH, long.plotH], [720 / 512, 18, 54]);
  const exported = exportLayout(40, 4, 50, 'flow');
  assert.deepEqual([exported.cellW, exported.cellH, exported.plotW, exported.plotH], [20, 20, 1000, 80]);
  const shape = matrixShape({ n: 2, labels: ['a', 'b'], rowLabels: ['L1 post', 'L0 post', 'L0 pre'] });
  assert.deepEqual(shape, { rows: 3, cols: 2, colNames: ['(0) a', '(1) b'], colTips: ['(0) a', '(1) b'],
    rowNames: ['L1 post', 'L0 post', 'L0 pre'], rowTips: ['L1 post', 'L0 post', 'L0 pre'] });
  assert.deepEqual(matrixShape({ n: 1, labels: ['x'] }).rowNames, ['(0) x'], 'n×n: the rows are the tokens');
  const zoom = { vx: 1, vy: 0.5, k: 2 };
  const layout = computeLayout(60, { rows: 3, cols: 20, cellW: 10, cellH: 12 }, '');
  assert.deepEqual(cellZoom(layout, cellTransform(layout, zoom)), zoom);
  assert.deepEqual(cellAt(layout, zoom, 70 + 25, 8 + 30), { i: 1, j: 2 }, 'x 25 / 20 px + 1 → column 2; y 30 / 24 + 0.5 → row 1');
  assert.equal(cellAt(layout, zoom, 70 + 201, 10), null);
  assert.deepEqual(cellZoom(layout, constrainCells(layout, cellTransform(layout, { vx: 30, vy: -1, k: 2 }))),
    { vx: 10, vy: 0, k: 2 }, 'half the columns and rows visible: the view inside the matrix');
});

test('heatmap zoom in cells against the viewport transform', () => {
  const layout = computeLayout(100, { rows: 10, cols: 10, cellW: 30 }, '');
  const zoom = { vx: 2, vy: 4, k: 2 };
  const t = cellTransform(layout, zoom);
  assert.deepEqual(t, { k: 2, x: 110 - 120, y: 8 - 240 });
  assert.deepEqual(cellZoom(layout, t), zoom);
  assert.deepEqual(cellZoom(layout, constrainCells(layout, cellTransform(layout, { vx: 9, vy: -3, k: 20 }))),
    { vx: 10 - 10 / (64 / 30), vy: 0, k: 64 / 30 }, 'zoom at most 64 px cells, the view inside the matrix');
  assert.deepEqual(cellAt(layout, zoom, 110 + 59, 8 + 61), { i: 5, j: 2 });
  assert.equal(cellAt(layout, zoom, 100, 50), null);
});
