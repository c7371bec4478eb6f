// URL state round trips: the run page's state through its URL for every view (Public/js/core/url-state.js with
// each view's codec, views/*/url-state.js), the Compare page's and the Reports page's URLs. encode → decode → equal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRunState, decodeRunState, encodeRunState, runIdOf, runURL, startNewRun } from '../../Public/js/core/url-state.js';
import { VIEWS } from '../../Public/js/pages/run/views.js';
import { DEFAULTS, decodeCompareURL, encodeCompareURL, parseTargets, requestBody } from '../../Public/js/pages/compare/compare-state.js';
import { decodeReportsURL, encodeReportsURL, nonBlankLines, reportBody } from '../../Public/js/pages/reports/reports-state.js';

const RUN = 'ab'.repeat(32);

/// Per view, a state of its own that differs from the defaults (a new view must add one here).
const SAMPLES = {
  graph: [{ threshold: 0.07, renormalize: false, start: 3, select: { edge: { source: 'X0_1', target: 'A0_3' } }, head: '2' },
          { start: 'all', select: { node: 'M1_4' } }],
  attention: [{ attentionLayer: 1, attentionHead: '3' }, { attentionLayer: 0, attentionHead: 'all' }],
  lens: [{ lensPoint: 'mid', lensCell: { layer: 1, token: 4 } }, { lensPoint: 'pre' }],
  metrics: [{ clusters: 3, sort: 'entropy', order: 'asc' }, { clusters: 12, sort: 'vertical_key', order: 'desc' }],
  rollout: [{ rolloutRow: 5, rolloutHeads: '0,2' }, { rolloutRow: 0, rolloutHeads: 'all' }],
  flow: [{ flowPosition: 'mean' }, { flowPosition: 4 }],
  anomalies: [{ anomalyParams: { high_attention: '0.3', include_first_token: 'true', outlier_factor: '5' } }],
  ablation: [{ ablate: true }],
  attributions: [
    { attrMethod: 'occlusion', attrTarget: ' the', attrContrast: '42', attrObjective: 'logprob', attrPosition: 3,
      attrBaseline: '7', attrSteps: 128, attrNorm: 'l1', attrFlowPoint: 'stacked', attrLayer: 1, attrSort: 'ig', attrOrder: 'asc' },
    { attrMethod: 'saliency', attrTarget: '265', attrBaseline: 'pad', attrFlowPoint: 'post', attrSort: 'position', attrOrder: 'desc' },
    { attrMethod: 'ig', attrBaseline: 'unk', attrLayer: 0 },
  ],
  evaluate: [
    { evalMethods: ['ig', 'occlusion'], evalSteps: 1024, evalNoiseSamples: 64, evalSigma: 0.25, evalJob: 'e1b2c3', evalMatrix: 'overlap' },
    { evalMethods: ['saliency'], evalTarget: ' the', evalContrast: '42', evalObjective: 'logprob', evalPosition: 3,
      evalBaseline: '17', evalVariant: 'A quick brown fox' },
  ],
  teaching: [
    { walkToken: 2, sampling: { temperature: 0.7, topK: 5, topP: 0.9, repetitionPenalty: 1.2 } },
    { walkToken: 0, sampling: { temperature: 2.5, topK: 0, topP: 1, repetitionPenalty: 1 } },
  ],
};

test('every view has the view interface, a codec and a sample', () => {
  assert.deepEqual(VIEWS.map((v) => v.name),
    ['graph', 'attention', 'lens', 'metrics', 'rollout', 'flow', 'anomalies', 'ablation', 'attributions', 'evaluate', 'teaching']);
  for (const view of VIEWS) {
    assert.ok(SAMPLES[view.name], `a sample state for ${view.name}`);
    for (const key of ['mount', 'update', 'destroy']) assert.equal(typeof view[key], 'function', `${view.name}.${key}`);
    for (const key of ['defaults', 'read', 'write']) assert.equal(typeof view.url[key], 'function', `${view.name}.url.${key}`);
  }
});

test('each view\'s state survives its URL', () => {
  for (const view of VIEWS) {
    for (const sample of SAMPLES[view.name]) {
      // the graph's (shared) parameters are in every URL: give them non-default values too
      const state = Object.assign(createRunState(VIEWS), SAMPLES.graph[0], sample, { view: view.name });
      const decoded = decodeRunState(encodeRunState(state, VIEWS).toString(), VIEWS, createRunState(VIEWS));
      assert.deepEqual(decoded, state, `${view.name}: ${JSON.stringify(sample)}`);
    }
  }
});

test('the URL of a state, parameter by parameter', () => {
  const state = Object.assign(createRunState(VIEWS), SAMPLES.graph[0], SAMPLES.metrics[0], { view: 'metrics' });
  assert.equal(encodeRunState(state, VIEWS).toString(),
    'view=metrics&threshold=0.07&renormalize=0&start=3&select=edge%3AX0_1%3EA0_3&head=2&clusters=3&sort=entropy&order=asc');
  const lens = Object.assign(createRunState(VIEWS), { view: 'lens', start: 8, lensCell: { layer: 2, token: 5 } });
  assert.equal(encodeRunState(lens, VIEWS).toString(), 'view=lens&threshold=0.04&renormalize=1&start=8&point=post&cell=2%2C5');
  assert.equal(runURL(RUN, 'view=graph'), `/runs/${RUN}?view=graph`);
  assert.equal(runIdOf(`/runs/${RUN}`), RUN);
  assert.equal(runIdOf(`/runs/${RUN}/`), RUN);
  assert.equal(runIdOf('/runs/xyz'), null);
  const attr = Object.assign(createRunState(VIEWS), { view: 'attributions', start: 2, attrTarget: ' he', attrPosition: 1 });
  assert.equal(encodeRunState(attr, VIEWS).toString(),
    'view=attributions&threshold=0.04&renormalize=1&start=2&method=ig&target=+he&target_position=1', 'defaults left out');
});

test('what a URL cannot say is left at the defaults (or as it was)', () => {
  const state = decodeRunState('view=nope&threshold=0.5&select=Z9_9&clusters=99&order=up&row=-1&position=x&measure=2&point=far' +
    '&method=shap&steps=0&norm=l3&objective=prob&baseline=none&target_position=-1&flow_point=x&map_layer=a&attr_sort=f' +
    '&attr_order=up&contrast=top&target=', VIEWS, createRunState(VIEWS));
  assert.deepEqual(state, createRunState(VIEWS));
  const kept = Object.assign(createRunState(VIEWS), { threshold: 0.06, attentionLayer: 2, clusters: 7 });
  decodeRunState('view=attention', VIEWS, kept);
  assert.equal(kept.threshold, 0.06, 'the graph keeps what the URL leaves out');
  assert.equal(kept.attentionLayer, 2, 'the attention view too');
  assert.equal(kept.clusters, 5, 'the analytics views go back to their defaults');
  assert.equal(decodeRunState('threshold=0.034', VIEWS, createRunState(VIEWS)).threshold, 0.03, 'rounded to the slider');
});

test('a new run drops what belonged to the previous prompt', () => {
  const state = Object.assign(createRunState(VIEWS), SAMPLES.graph[0], SAMPLES.lens[0], SAMPLES.rollout[0],
    SAMPLES.ablation[0], SAMPLES.attributions[0], { flowPosition: 3, attentionLayer: 1 });
  startNewRun(state, VIEWS, { id: RUN, tokens: [{}, {}, {}, {}, {}, {}] });
  assert.equal(state.runId, RUN);
  assert.deepEqual([state.start, state.select, state.head], [5, null, 'all']);
  assert.deepEqual([state.lensCell, state.rolloutRow, state.ablate, state.flowPosition], [null, null, false, null]);
  assert.deepEqual([state.attrTarget, state.attrContrast, state.attrPosition], ['top', null, null]);
  assert.equal(state.attentionLayer, 1, 'the attention view keeps its layer');
  assert.deepEqual([state.attrMethod, state.attrSteps, state.attrBaseline], ['occlusion', 128, '7'], 'and the attributions their method');
  assert.equal(state.threshold, 0.07);
  state.flowPosition = 'mean';
  startNewRun(state, VIEWS, { id: RUN, tokens: [{}] });
  assert.equal(state.flowPosition, 'mean', 'the mean over positions fits any prompt');
});

test('the Compare page: every mode and the view survive the URL', () => {
  const view = { metric: 'focus', order: 'desc', all: true, head: { layer: 1, head: 3 } };
  const forms = [
    { mode: 'pair', model: 'tiny-gpt2', a: 'The [[cat]] sat', b: 'A [[dog]] ran', targets: ' he, she' },
    { mode: 'templates', model: '', templates: ['The {} said', '  ', 'Yesterday {}'], slot: 'nurse', targets: '' },
    { mode: 'set', model: 'tiny-llama', set: [{ label: 'en', prompt: 'Hi [[there]]' }, { label: '', prompt: 'Salut [[toi]]' }], targets: ' a\n b' },
  ];
  for (const form of forms) {
    const decoded = decodeCompareURL(encodeCompareURL(form, view, true).toString());
    for (const [key, value] of Object.entries(form)) assert.deepEqual(decoded.form[key], key === 'model' && !value ? null : value, `${form.mode}.${key}`);
    assert.deepEqual(decoded.view, view);
    assert.equal(decoded.ran, true);
  }
  assert.equal(encodeCompareURL(forms[0], { metric: DEFAULTS.metric, order: DEFAULTS.order, all: false, head: null }, false).toString(),
    'page=compare&mode=pair&model=tiny-gpt2&a=The+%5B%5Bcat%5D%5D+sat&b=A+%5B%5Bdog%5D%5D+ran&targets=+he%2C+she');
  const empty = decodeCompareURL('page=compare');
  assert.deepEqual([empty.form.mode, empty.form.a, empty.form.templates, empty.view.metric, empty.ran],
    ['pair', DEFAULTS.a, DEFAULTS.templates, 'entropy', false]);
});

test('the Compare page: targets and the request body', () => {
  assert.deepEqual(parseTargets(' he, she'), [' he', ' she']);
  assert.deepEqual(parseTargets(' he\n she,x\n'), [' he', ' she,x']);
  assert.deepEqual(parseTargets(''), []);
  assert.deepEqual(requestBody({ mode: 'templates', model: '', templates: ['The {} said', '  '], slot: 'nurse', targets: '' }),
    { kind: 'templates', templates: ['The {} said'], slot: 'nurse' });
  assert.deepEqual(requestBody({ mode: 'set', model: 'm', set: [{ label: ' en ', prompt: 'a' }, { label: '', prompt: 'b' },
    { label: '', prompt: '' }], targets: 'x' }), { model: 'm', kind: 'set', prompts: ['a', 'b'], labels: ['en', 'prompt 2'], targets: ['x'] });
});

test('the Reports page: the form survives the URL', () => {
  const url = encodeReportsURL('r0123456789abcdef', { model: 'tiny-gemma3', ablation: false, clusters: 7 });
  assert.equal(url.toString(), 'page=reports&report=r0123456789abcdef&model=tiny-gemma3&ablation=0&clusters=7');
  assert.deepEqual(decodeReportsURL(url.toString()), { report: 'r0123456789abcdef', model: 'tiny-gemma3', ablation: false, clusters: 7 });
  assert.deepEqual(decodeReportsURL('page=reports'), { report: null, model: null, ablation: true, clusters: 5 });
  assert.equal(encodeReportsURL(null, { model: '', ablation: true, clusters: 5 }).toString(), 'page=reports');
  assert.deepEqual(nonBlankLines('a\r\n  \n b\n'), ['a', ' b']);
  assert.deepEqual(reportBody({ model: '', prompts: 'x\n\ny', ablation: true, clusters: 3 }),
    { prompts: ['x', 'y'], options: { ablation: true, clusters: 3 } });
});
