// The graph diff (Public/js/pages/graph-diff/) and the run history it picks from (core/run-history.js): the URL
// round trips, the API query, the edge styles, the largest-difference rows, the tokens, the CSV, the refusal text,
// and the history's order, cap and diff candidates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DIFF_DEFAULTS, decodeGraphDiffURL, diffQuery, edgeKey, graphDiffURL } from '../../Public/js/pages/graph-diff/graph-diff-state.js';
import { NO_CHANGE, VANISH_DASH, axisLabels, diffCSVRows, diffCaption, diffScale, drawingOrder, edgeIndex, edgeStyle,
  largestRows, refusalText, tokenPairs } from '../../Public/js/pages/graph-diff/diff-data.js';
import { addToHistory, diffBlocker, diffCandidates, historyEntry, parseHistory } from '../../Public/js/core/run-history.js';

const A = 'a'.repeat(64), B = 'b'.repeat(64), C = 'c'.repeat(64);

const DATA = {
  a: { id: A, model: 'm', tokens: ['The', '␣doctor', '␣said'] },
  b: { id: B, model: 'm', tokens: ['The', '␣nurse', '␣said'] },
  layers: 1, threshold: 0.04, renormalize: true, counts: { both: 2, appears: 1, vanishes: 1 },
  edges: [
    { source: 'X0_0', target: 'A0_0', kind: 'attention', weight_a: 0.5, weight_b: 0.5, difference: 0, change: 'both' },
    { source: 'X0_1', target: 'A0_2', kind: 'attention', weight_a: 0.2, weight_b: 0.3, difference: 0.1, change: 'both' },
    { source: 'X0_0', target: 'A0_2', kind: 'attention', weight_a: 0, weight_b: 0.05, difference: 0.05, change: 'appears' },
    { source: 'A0_2', target: 'M0_2', kind: 'ffn', weight_a: 0.2, weight_b: 0, difference: -0.2, change: 'vanishes' },
  ],
  largest: [3, 1, 2, 0],
};

test('graph diff URL: encode → decode is the identity; bad values fall back', () => {
  for (const state of [
    { a: A, b: B, threshold: 0.04, renormalize: true, top: 20, edge: null },
    { a: A, b: C, threshold: 0.13, renormalize: false, top: 50, edge: 'X0_1>A0_2:attention' },
    { a: null, b: null, threshold: 0.01, renormalize: true, top: 10, edge: null },
  ]) {
    const url = graphDiffURL(state);
    assert.ok(url.startsWith('/?page=graph-diff'));
    assert.deepEqual(decodeGraphDiffURL(url.slice(1)), state);
  }
  assert.equal(graphDiffURL({ a: A, b: B, threshold: 0.04, renormalize: true, top: 20 }), `/?page=graph-diff&a=${A}&b=${B}&threshold=0.04`);
  const bad = decodeGraphDiffURL(`?page=graph-diff&a=nothex&b=${B}&threshold=5&top=7&edge=bogus`);
  assert.deepEqual(bad, { a: null, b: B, threshold: DIFF_DEFAULTS.threshold, renormalize: true, top: 20, edge: null });
  assert.deepEqual(diffQuery({ a: A, b: B, threshold: 0.05, renormalize: false, top: 10 }),
    { a: A, b: B, threshold: '0.05', renormalize: 'false', top: '10' });
});

test('edge style: blue gains, red losses, grey unchanged; width by |Δ|; dashed vanishing, outlined appearing', () => {
  const scale = diffScale(DATA.edges);
  assert.equal(scale, 0.2);
  const [same, gain, appears, vanishes] = DATA.edges.map((e) => edgeStyle(e, scale));
  assert.equal(same.stroke, NO_CHANGE);
  const rgb = (s) => s.match(/\d+/g).map(Number);
  const [gr, , gb] = rgb(gain.stroke);
  assert.ok(gb > gr, `a gain is blue: ${gain.stroke}`);
  const [vr, , vb] = rgb(vanishes.stroke);
  assert.ok(vr > vb, `a loss is red: ${vanishes.stroke}`);
  assert.ok(vanishes.width > gain.width && gain.width > appears.width && appears.width > same.width);
  assert.equal(vanishes.dash, VANISH_DASH);
  assert.equal(gain.dash, null);
  assert.equal(appears.outline, true);
  assert.equal(gain.outline, false);
  assert.equal(diffScale([]), 1e-9);
});

test('drawing order, largest rows, edge keys', () => {
  assert.deepEqual(drawingOrder(DATA.edges).map((e) => e.index), [0, 2, 1, 3]);
  const rows = largestRows(DATA);
  assert.deepEqual(rows.map((r) => [r.rank, r.index, r.key]), [[1, 3, 'A0_2>M0_2:ffn'], [2, 1, 'X0_1>A0_2:attention'],
    [3, 2, 'X0_0>A0_2:attention'], [4, 0, 'X0_0>A0_0:attention']]);
  assert.equal(edgeIndex(DATA, edgeKey(DATA.edges[2])), 2);
  assert.equal(edgeIndex(DATA, 'X0_9>A0_9:attention'), -1);
  assert.equal(edgeIndex(DATA, null), -1);
});

test('tokens side by side, axis labels, caption, CSV', () => {
  assert.deepEqual(tokenPairs(DATA).map((p) => p.same), [true, false, true]);
  assert.deepEqual(axisLabels(DATA), ['The', '␣doctor/␣nurse', '␣said']);
  assert.equal(diffCaption(DATA), '4 edges: 2 in both, 1 appear, 1 vanish · threshold 0.04, renormalised · 1 layers');
  const csv = diffCSVRows(DATA);
  assert.deepEqual(csv[0], ['source', 'target', 'kind', 'weight_a', 'weight_b', 'difference', 'change']);
  assert.deepEqual(csv[4], ['A0_2', 'M0_2', 'ffn', 0.2, 0, -0.2, 'vanishes']);
});

test('refusal text: a mismatched pair says why and what to pick; an unknown run says so', () => {
  const mismatch = refusalText({ status: 400, code: 'bad_parameter', message: 'b: no node set', details: { parameter: 'b' } },
    { a: { tokens: 6 }, b: { tokens: 2 } });
  assert.match(mismatch.title, /cannot be diffed/);
  assert.match(mismatch.lines.join(' '), /same number of tokens and layers\. Run A has 6 tokens, run B 2\./);
  assert.match(mismatch.lines.join(' '), /The doctor said that she/);
  assert.match(mismatch.lines.join(' '), /b: no node set/);
  assert.match(refusalText({ status: 404, message: 'no run with id "x"' }).lines[0], /run its prompt again/);
  assert.equal(refusalText({ status: 500, code: 'internal', message: 'boom' }).title, '500 internal');
});

test('run history: newest first, one entry per run, capped, unreadable storage ignored', () => {
  const run = (id, tokens, layers = 2, prompt = 'p') => ({ id, prompt, model: { name: 'm', layers }, tokens: Array(tokens).fill({}) });
  let list = [];
  list = addToHistory(list, historyEntry(run(A, 3), 1));
  list = addToHistory(list, historyEntry(run(B, 3), 2));
  list = addToHistory(list, historyEntry(run(A, 3), 3));
  assert.deepEqual(list.map((e) => [e.id, e.at]), [[A, 3], [B, 2]]);
  assert.equal(addToHistory(list, historyEntry(run(C, 1)), 2).length, 2);
  assert.deepEqual(parseHistory(JSON.stringify(list)), list);
  assert.deepEqual(parseHistory('not json'), []);
  assert.deepEqual(parseHistory('[{"id": "short"}, null]'), []);
  const current = historyEntry(run(A, 3));
  assert.equal(diffBlocker(historyEntry(run(B, 3)), current), null);
  assert.equal(diffBlocker(historyEntry(run(C, 5)), current), '5 tokens, not 3');
  assert.equal(diffBlocker(historyEntry(run(C, 5, 4)), current), '5 tokens, not 3; 4 layers, not 2');
  assert.equal(diffBlocker(current, current), 'this run');
  const candidates = diffCandidates([historyEntry(run(C, 5)), current, historyEntry(run(B, 3))], current);
  assert.deepEqual(candidates.map((c) => [c.entry.id, c.blocker]), [[B, null], [C, '5 tokens, not 3']]);
});
