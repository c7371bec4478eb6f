// CSV, JSON and SVG exports (Public/js/core/export.js and the views' and pages' export rows): exact texts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csv, csvField, jsonText, xmlDocument } from '../../Public/js/core/export.js';
import { lensGridCSV, formatProb } from '../../Public/js/views/lens/lens-cells.js';
import { graphJSON, graphCaption, edgesBetween } from '../../Public/js/views/graph/graph-data.js';
import { attentionJSON } from '../../Public/js/views/attention/attention-json.js';
import { metricsCSVRows } from '../../Public/js/views/metrics/columns.js';
import { sortedHeads as sortedMetricHeads } from '../../Public/js/views/metrics/heads-table.js';
import { flowCSVRows, niceTicks, tickText } from '../../Public/js/views/flow/flow-data.js';
import { ablationCSVRows, ratioText } from '../../Public/js/views/ablation/ablation-data.js';
import { anomaliesCSVRows } from '../../Public/js/views/anomalies/describe.js';
import { compareCSVRows, promptNames, sortedHeads as sortedCompareHeads } from '../../Public/js/pages/compare/compare-data.js';
import { heatmapSVG } from '../../Public/js/components/heatmap/svg.js';
import { lut } from '../../Public/js/components/color-scales.js';

test('CSV fields and rows', () => {
  assert.equal(csvField(null), '');
  assert.equal(csvField(0.5), '0.5');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csv([['a', 'b'], [1, ' x']]), 'a,b\r\n1, x\r\n');
  assert.equal(csv([['a'], ['b']], '\n'), 'a\nb\n');
});

test('JSON and XML documents', () => {
  assert.equal(jsonText({ a: [1, 2] }), '{"a":[1,2]}');
  assert.equal(jsonText({ a: [1] }, 1), '{\n "a": [\n  1\n ]\n}');
  assert.equal(xmlDocument('<svg/>'), '<?xml version="1.0" encoding="UTF-8"?>\n<svg/>');
});

test('the logit-lens grid as CSV', () => {
  const grid = { layers: 2, tokens: ['The', ' "fox"'], cells: [
    [{ id: 5, display: ' a', logit: 1.5, probability: 0.25 }, null],
    [{ id: 7, display: 'b,c', logit: -2, probability: 0.999 }, { id: 9, display: 'x', logit: 0, probability: 0.0005 }],
  ] };
  assert.equal(lensGridCSV(grid),
    'layer,position,input_token,top_token_id,top_token,logit,probability\n' +
    '0,0,The,5, a,1.5,0.25\n' +
    '1,0,The,7,"b,c",-2,0.999\n' +
    '1,1," ""fox""",9,x,0,0.0005\n');
  assert.deepEqual([0.999, 0.42, 0.035, 0.0005, NaN].map(formatProb), ['100%', '42%', '3.5%', '<0.1%', '–']);
});

const GRAPH = { tokens: ['a', 'b'], layers: 1, threshold: 0.04, renormalize: true,
  edges: [{ source: 'X0_0', target: 'A0_1', weight: 0.5, kind: 'attention' }, { source: 'X0_1', target: 'A0_1', weight: 0.1, kind: 'residual' },
          { source: 'X0_0', target: 'A0_1', weight: 0.2, kind: 'residual' }],
  paths: [[0], [2, 0, 1]] };

test('the graph as JSON: the view state and the shown edges', () => {
  const state = { runId: 'r1', run: { id: 'r1' }, view: 'graph', start: 'all', threshold: 0.04 };
  assert.equal(JSON.stringify(graphJSON(state, GRAPH).view), '{"runId":"r1","view":"graph","start":"all","threshold":0.04}');
  assert.deepEqual(graphJSON(state, GRAPH).graph.shown_edges, [0, 1, 2]);
  assert.deepEqual(graphJSON({ ...state, start: 1 }, GRAPH).graph.shown_edges, [2, 0, 1]);
  assert.deepEqual(graphJSON(state, GRAPH).run, { id: 'r1' });
  assert.equal(graphCaption(2, 1, GRAPH), '2 edges on the paths to token 1 · 3 in the graph · threshold 0.04, renormalised');
  assert.deepEqual(edgesBetween(GRAPH, 'X0_0', 'A0_1').map((e) => [e.index, e.kind]), [[0, 'attention'], [2, 'residual']]);
});

test('an attention pattern as JSON rows', () => {
  const data = attentionJSON('r1', 2, 'all', [{ display: 'x' }, { display: 'y' }], Float32Array.from([1, 0, 0.5, 0.5]));
  assert.equal(JSON.stringify(data), '{"run":"r1","layer":2,"head":"all","tokens":["x","y"],"pattern":[[1,0],[0.5,0.5]]}');
});

test('the metrics heads table as CSV, in the table order', () => {
  const heads = [
    { layer: 0, head: 0, class: 'mixed', cluster: 1, entropy: 0.5, vertical_key: 2 },
    { layer: 0, head: 1, class: 'sink', cluster: null, entropy: 1.25 },
    { layer: 1, head: 0, class: 'sink', cluster: 0, entropy: null },
  ];
  const sorted = sortedMetricHeads(heads, { sort: 'entropy', order: 'desc' });
  assert.deepEqual(sorted.map((h) => `${h.layer}.${h.head}`), ['0.1', '0.0', '1.0'], 'missing values last');
  assert.deepEqual(sortedMetricHeads(heads, { sort: 'class', order: 'asc' }).map((h) => `${h.layer}.${h.head}`), ['0.1', '1.0', '0.0']);
  const rows = metricsCSVRows(sorted);
  assert.equal(rows[0].join(','), 'layer,head,class,cluster,entropy,normalized_entropy,sparsity,locality,focus,first_token,' +
    'previous_token,self,diagonal,uniformity,vertical,vertical_key');
  assert.equal(csv(rows).split('\r\n')[1], '0,1,sink,,1.25,,,,,,,,,,,');
  assert.equal(csv(rows).split('\r\n')[2], '0,0,mixed,1,0.5,,,,,,,,,,,2');
});

test('the layer flow as CSV, and its axes', () => {
  const data = { layers: [{ layer: 0, cos: [0.5, 0.7], information_loss: [0.1, null], relative_update: [2, 4], attention_share: [0.25, 0.75] }] };
  assert.equal(csv(flowCSVRows(data, 1)), 'layer,position,cos,information_loss,relative_update,attention_share,ffn_share\r\n0,1,0.7,,4,0.75,\r\n');
  assert.equal(csv(flowCSVRows(data, 'mean')).split('\r\n')[1], '0,mean,0.6,0.1,3,0.5,');
  assert.deepEqual(niceTicks(0, 1, 5), { lo: 0, hi: 1, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1], step: 0.2 });
  assert.deepEqual(niceTicks(-0.3, 1, 5).ticks, [-0.5, 0, 0.5, 1]);
  assert.deepEqual([tickText(0.25, 0.25), tickText(-0.5, 0.5), tickText(20, 10)], ['0.25', '−0.5', '20']);
});

test('the ablation as CSV', () => {
  const data = { heads: [{ layer: 0, head: 1, delta_log_probability: -0.5, top: { id: 3, display: 'x' } }],
                 layers: [{ layer: 0, delta_log_probability: 1.5, top: null }] };
  assert.equal(csv(ablationCSVRows(data)), 'kind,layer,head,delta_log_probability,top_id,top\r\nhead,0,1,-0.5,3,x\r\nlayer,0,,1.5,,\r\n');
  assert.deepEqual([ratioText(0), ratioText(Math.log(20)), ratioText(-10), ratioText(null)], ['p × 1.00', 'p × 20', 'p × 4.5e-5', '']);
});

test('the anomalies as CSV', () => {
  const data = { tokens: ['<s>', ' fox'], anomalies: [
    { type: 'high_attention', layer: 1, head: 2, positions: [1, 0], tokens: [' fox', '<s>'], key: 0, value: 0.8, threshold: 0.5, count: 1 },
    { type: 'dead_head', layer: 0, head: 0, positions: [], tokens: [], value: 0.001, threshold: 0.01 },
  ] };
  assert.equal(csv(anomaliesCSVRows(data)),
    'type,layer,head,positions,tokens,value,threshold,description\r\n' +
    'high_attention,1,2,1 0, fox <s>,0.8,0.5,"L1 H2: query 1 ("" fox"") puts 0.80 on key 0 (""<s>"") — threshold 0.5 (1 hit)"\r\n' +
    'dead_head,0,0,,,0.001,0.01,L0 H0: output at most 0.10% of the layer\'s mean head output at every position — threshold 1.00%\r\n');
});

test('the comparison heads as CSV', () => {
  const data = { kind: 'pair', metrics: ['entropy'], prompts: [{ label: 'a' }, { label: 'b' }], groups: [{ label: 'doctor' }],
    heads: [{ layer: 0, head: 0, values: { entropy: [1, 1.5] }, difference: { entropy: 0.5 }, aligned_attention: [[0.25], [0.5]] },
            { layer: 0, head: 1, values: { entropy: [2, 1] }, difference: { entropy: -1 }, aligned_attention: [[0.1], [0.2]] }] };
  const names = promptNames(data);
  assert.deepEqual(names, ['A', 'B']);
  const heads = sortedCompareHeads(data, { metric: 'entropy', order: 'abs' });
  assert.deepEqual(heads.map((h) => h.head), [1, 0], '|Δ| largest first');
  assert.equal(csv(compareCSVRows(data, names, heads)),
    'layer,head,entropy:A,entropy:B,entropy:diff,aligned:1:doctor:A,aligned:1:doctor:B\r\n0,1,2,1,-1,0.1,0.2\r\n0,0,1,1.5,0.5,0.25,0.5\r\n');
  assert.deepEqual(sortedCompareHeads(data, { metric: 'entropy', order: 'desc' }).map((h) => h.head), [0, 1]);
  assert.deepEqual(promptNames({ kind: 'set', prompts: [{ label: 'en' }, { label: 'a very long label' }] }), ['en', 'P2']);
});

test('a heatmap as SVG', () => {
  const svg = heatmapSVG({ n: 2, labels: ['a', '<b>'], values: Float32Array.from([0, 1, 0.5, 0]), max: 1, labelW: 20 }, lut('blues'), 'map');
  const lines = svg.split('\n');
  // cells of 24 px (1024/2 capped at 24), the plot at (30, 30): plotX = 20 + 10, plotY = 22 + 8; width 30 + 48 + 64,
  // height 30 + 48 + ⌈20·√½ + 11 + 10⌉ = 30 + 48 + 36
  assert.equal(lines[1], '<svg xmlns="http://www.w3.org/2000/svg" width="142" height="114" viewBox="0 0 142 114" ' +
    'font-family="system-ui, -apple-system, &quot;Segoe UI&quot;, &quot;DejaVu Sans&quot;, sans-serif">');
  assert.ok(lines.includes('<rect x="54" y="30" width="24" height="24" fill="#08306b"><title>0→1: 1.0000</title></rect>'));
  // 0.5 → table index 128: 1.6% of the way from #6baed6 to #4292c6
  assert.ok(lines.includes('<rect x="30" y="54" width="24" height="24" fill="#6aaed6"><title>1→0: 0.5000</title></rect>'));
  assert.ok(lines.includes('<text x="25" y="66" text-anchor="end" dominant-baseline="central">(1) &lt;b&gt;</text>'));
  assert.equal(lines.filter((l) => l.startsWith('<rect') && l.includes('<title>')).length, 2, 'zero cells are left out');
  assert.throws(() => heatmapSVG({ n: 300, labels: [], values: [], max: 0, labelW: 0 }, lut('blues'), ''), /limited to 256 tokens/);
  // a 2 × 3 map with named rows (a layer × position map): cells of 24 px, the rows' names as given
  const rect = heatmapSVG({ n: 3, labels: ['a', 'b', 'c'], rows: 2, rowLabels: ['L1 pre', 'L0 pre'],
    values: Float32Array.from([0, 0, 2, 1, 0, 0]), max: 2, labelW: 20 }, lut('greens'), '').split('\n');
  assert.ok(rect.includes('<rect x="30" y="8" width="72" height="48" fill="#f7fcf5"/>'), 'the plot: 3 × 2 cells');
  assert.ok(rect.includes('<rect x="78" y="8" width="24" height="24" fill="#00441b"><title>0→2: 2.0000</title></rect>'));
  assert.ok(rect.includes('<text x="25" y="44" text-anchor="end" dominant-baseline="central">L0 pre</text>'));
  assert.equal(rect.filter((l) => l.includes('>(2) c</text>')).length, 1, 'the columns are the tokens');
});
