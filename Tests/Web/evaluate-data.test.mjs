// The Evaluate tab's numbers and colours (Public/js/views/evaluate/evaluation-data.js, cell-colors.js) on real
// evaluations of the tiny GPT-2 fixture (evaluate-fixture.mjs): the table's rows and the random orders' row, the
// best areas, "below 6 of 8", the CSV, the agreement matrix, the consensus tokens, the target and the job in words,
// and the colour of a Spearman ρ, an overlap and a consensus score.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csv } from '../../Public/js/core/export.js';
import { MISSING, matrixColors, shareColors, spearmanColors } from '../../Public/js/views/evaluate/cell-colors.js';
import { agreementMatrix, baselineText, beatsText, bestMethods, consensusTokens, disagreementText, evaluationCSVRows,
  fractionKeys, jobCounts, jobText, methodRows, randomRow, targetText } from '../../Public/js/views/evaluate/evaluation-data.js';
import { ALL_METHODS, TWO_METHODS } from './evaluate-fixture.mjs';

test('a table row per method with its areas, beats, fractions, gap and stability', () => {
  const rows = methodRows(ALL_METHODS);
  assert.deepEqual(rows.map((r) => r.method), ['saliency', 'gradxinput', 'ig', 'occlusion', 'attention-gradient', 'contribution-share']);
  assert.deepEqual(rows[2], {
    method: 'ig', label: 'IG', color: '#2ca02c',
    deletionAuc: 2.3028963208198547, deletionBeats: 6, insertionAuc: 2.509826958179474, insertionBeats: 7, randomCount: 8,
    comprehensiveness: { 10: 0.29439783096313477, 20: 0.29439783096313477, 50: 0.28472042083740234 },
    sufficiency: { 10: 0.1949598789215088, 20: 0.1949598789215088, 50: 0.03451967239379883 },
    completenessGap: -5.509109024570691e-05, noiseMean: 0.8666666666666667, consensusRho: 0.6324555320336759,
    variant: 0.4, chance: false,
  });
  assert.equal(rows[0].completenessGap, null, 'only IG has a completeness gap');
  assert.deepEqual(rows.map((r) => [r.deletionBeats, r.insertionBeats]), [[3, 5], [7, 8], [6, 7], [7, 8], [5, 5], [3, 5]]);
  assert.deepEqual(rows.map((r) => r.chance), [false, false, false, false, false, false],
    'saliency\'s insertion area 2.379 is above the random mean 2.373');
  assert.deepEqual(fractionKeys(ALL_METHODS), ['10', '20', '50']);
  assert.deepEqual(randomRow(ALL_METHODS), { deletionAuc: 2.4043637812137604, insertionAuc: 2.3726065531373024, count: 8 });
  assert.deepEqual(bestMethods(rows), { deletion: 'gradxinput', insertion: 'gradxinput' }, 'a tie goes to the first');
  const two = methodRows(TWO_METHODS);
  assert.deepEqual(two.map((r) => [r.method, r.deletionBeats, r.insertionBeats, r.noiseMean]), [['ig', 6, 8, 0.9], ['occlusion', 6, 8, 1]]);
  assert.ok(!('variant' in two[0]), 'no variant: no variant column');
  assert.deepEqual(bestMethods(two), { deletion: 'occlusion', insertion: 'occlusion' });
});

test('no better than chance: deletion area not below the random mean and insertion area not above it', () => {
  const copy = structuredClone(ALL_METHODS);
  copy.methods.saliency.insertion_auc = 2.2;
  const rows = methodRows(copy);
  assert.equal(rows[0].chance, true, 'deletion 2.457 ≥ 2.404 and insertion 2.2 ≤ 2.373');
  assert.equal(rows[4].chance, false, 'attention × gradient\'s deletion area 2.396 is below 2.404');
});

test('beats in words', () => {
  assert.equal(beatsText('deletion', 6, 8), 'below 6 of 8');
  assert.equal(beatsText('insertion', 8, 8), 'above 8 of 8');
  assert.equal(beatsText('insertion', 0, 8), 'above 0 of 8');
  assert.equal(beatsText('deletion', null, 8), '–');
});

test('the CSV: a row per method with every figure, then the random means', () => {
  const rows = evaluationCSVRows(TWO_METHODS);
  assert.deepEqual(rows[0], ['method', 'deletion_auc', 'deletion_below_random', 'insertion_auc', 'insertion_above_random',
    'random_orders', 'comprehensiveness_10', 'comprehensiveness_20', 'comprehensiveness_50', 'sufficiency_10', 'sufficiency_20',
    'sufficiency_50', 'completeness_gap', 'noise_spearman_mean', 'variant_spearman', 'consensus_spearman']);
  assert.equal(rows.length, 4);
  const ig = TWO_METHODS.methods.ig;
  assert.deepEqual(rows[1], ['ig', ig.deletion_auc, 6, ig.insertion_auc, 8, 8, ig.comprehensiveness['10'], ig.comprehensiveness['20'],
    ig.comprehensiveness['50'], ig.sufficiency['10'], ig.sufficiency['20'], ig.sufficiency['50'], ig.completeness_gap, 0.9, '',
    TWO_METHODS.agreement.consensus.spearman.ig]);
  assert.deepEqual(rows[3], ['random (mean)', TWO_METHODS.random.deletion_auc_mean, '', TWO_METHODS.random.insertion_auc_mean, '', 8,
    '', '', '', '', '', '', '', '', '', '']);
  const lines = csv(evaluationCSVRows(ALL_METHODS)).split('\r\n');
  assert.equal(lines.length, 9, 'header, 6 methods, random, and the final line end');
  assert.equal(lines[3], 'ig,2.3028963208198547,6,2.509826958179474,7,8,0.29439783096313477,0.29439783096313477,' +
    '0.28472042083740234,0.1949598789215088,0.1949598789215088,0.03451967239379883,-0.00005509109024570691,' +
    '0.8666666666666667,0.4,0.6324555320336759');
  assert.ok(lines[2].startsWith('gradxinput,2.285129129886627,7,2.521705985069275,8,8,'), lines[2]);
});

test('the agreement matrix, Spearman or top-k overlap', () => {
  const rho = agreementMatrix(ALL_METHODS, 'spearman');
  assert.deepEqual(rho.methods, ['saliency', 'gradxinput', 'ig', 'occlusion', 'attention-gradient', 'contribution-share']);
  assert.deepEqual(rho.labels, ['saliency', 'gradient × input', 'IG', 'occlusion', 'attention × gradient', 'contribution share']);
  assert.equal(rho.k, 1);
  assert.deepEqual(rho.values[2], [-0.8, 0.8, 1, 0.8, 0.6, -0.8]);
  assert.equal(rho.values.flat().length, 36);
  const overlap = agreementMatrix(ALL_METHODS, 'overlap');
  assert.deepEqual(overlap.values[1], [0, 1, 1, 1, 0, 0]);
  const constant = structuredClone(TWO_METHODS);
  constant.agreement.spearman[0][1] = null;
  assert.deepEqual(agreementMatrix(constant, 'spearman').values[0], [1, null], 'a constant method\'s ρ stays null');
});

test('the consensus tokens and the methods furthest from it', () => {
  assert.deepEqual(consensusTokens(ALL_METHODS), [
    { position: 0, id: 459, text: 'The', score: 0.49999999999999994, rank: 2 },
    { position: 1, id: 273, text: '␣f', score: 0.38888888888888884, rank: 3 },
    { position: 2, id: 78, text: 'o', score: 0.7222222222222222, rank: 1 },
    { position: 3, id: 87, text: 'x', score: 0.38888888888888884, rank: 4 },
  ]);
  assert.equal(disagreementText(ALL_METHODS), 'attention × gradient (ρ = −0.211) and saliency (ρ = −0.105)');
  assert.equal(disagreementText(TWO_METHODS), 'IG (ρ = 0.949)');
});

test('the target and the job in words', () => {
  assert.equal(targetText(ALL_METHODS), 'f = logit("le") at position 3 (after "x") = 2.632; f(E′) = 2.059 at the zero baseline');
  assert.equal(targetText(TWO_METHODS), 'f = logit("le") at position 3 (after "x") = 2.632; f(E′) = 1.435 at baseline token 640');
  const contrast = structuredClone(ALL_METHODS);
  Object.assign(contrast.target, { objective: 'contrast', contrast: 243, contrast_text: '�' });
  assert.ok(targetText(contrast).startsWith('f = logit("le") − logit("�") at position 3'));
  const byte = structuredClone(ALL_METHODS);
  Object.assign(byte.target, { text: '\uFFFD', display: '<0xEE>' });
  assert.ok(targetText(byte).startsWith('f = logit("<0xEE>") at position 3'), 'the display string, not a lone byte');
  assert.deepEqual([baselineText('zero'), baselineText('token:640'), baselineText(undefined)],
    ['the zero baseline', 'baseline token 640', 'the zero baseline']);
  const job = (status, done, stage) => ({ id: 'e1', model: 'tiny-gpt2', status, progress: { done, total: 295, stage } });
  assert.deepEqual(jobCounts(job('running', 57, 'curves')), { done: 57, total: 295, stage: 'curves' });
  assert.deepEqual(jobCounts({}), { done: 0, total: 0, stage: null });
  assert.equal(jobText(job('queued', 0, 'scores')), 'tiny-gpt2 · pass 0/295 · waiting for the compute queue');
  assert.equal(jobText(job('running', 57, 'curves')), 'tiny-gpt2 · deletion and insertion curves · pass 57/295');
  assert.equal(jobText(job('running', 130, 'noise')), 'tiny-gpt2 · scores on noisy copies · pass 130/295');
  assert.equal(jobText(job('done', 295, 'variant')), 'tiny-gpt2 · 295 passes: done');
  assert.equal(jobText({ ...job('done', 295, 'variant'), explanation: { passes: 244 } }), 'tiny-gpt2 · 244 passes: done');
  assert.equal(jobText(job('cancelled', 12, 'scores')), 'tiny-gpt2 · cancelled at pass 12/295 (the explainers\' scores)');
  assert.equal(jobText(job('failed', 3, 'scores')), 'tiny-gpt2 · failed at pass 3/295 (the explainers\' scores)');
});

test('colours: ρ on red–white–blue, overlap and consensus on the blues', () => {
  assert.deepEqual(spearmanColors(1), { background: 'rgb(33,102,172)', color: '#ffffff' });
  assert.deepEqual(spearmanColors(-1), { background: 'rgb(178,24,43)', color: '#ffffff' });
  assert.deepEqual(spearmanColors(0), { background: 'rgb(247,247,247)', color: '#1b1b1b' });
  assert.deepEqual(spearmanColors(0.5), { background: 'rgb(146,197,222)', color: '#1b1b1b' }, 'the RdBu stop at +0.5');
  assert.deepEqual(spearmanColors(null), { background: MISSING, color: '#555555' });
  assert.deepEqual(shareColors(0), { background: '#f7fbff', color: '#1b1b1b' });
  assert.deepEqual(shareColors(1), { background: '#08306b', color: '#ffffff' });
  assert.deepEqual(shareColors(0.5), { background: '#6aaed6', color: '#1b1b1b' }, 'between the Blues stops #6baed6 and #4292c6');
  assert.deepEqual(shareColors(1.7), shareColors(1), 'clamped');
  assert.deepEqual(matrixColors('overlap', 1), shareColors(1));
  assert.deepEqual(matrixColors('spearman', -1), spearmanColors(-1));
});
