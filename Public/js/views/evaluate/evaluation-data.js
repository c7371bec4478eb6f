// The evaluate view's numbers, from a finished job's explanation (Sources/Reports/Explanation/ExplanationJSON.swift:
// methods.<name> {deletion_auc, insertion_auc, comprehensiveness, sufficiency, completeness_gap?, random {…_beats}},
// random, agreement, stability, verdict): the table's rows (a row per method and the random orders' means), the
// CSV, the agreement matrix, the consensus tokens, the target in words and the job's progress in words. Pure: no DOM.
import { fmt, isNum, num, quoted } from '../../core/format.js';
import { methodInfo } from './parameters.js';

/// The fractions (percentages) of comprehensiveness and sufficiency, ascending, as the JSON's keys ("10", …).
export function fractionKeys(explanation) {
  const fractions = explanation.parameters?.fractions
    || Object.keys(Object.values(explanation.methods)[0]?.comprehensiveness || {}).map(Number);
  return fractions.slice().sort((a, b) => a - b).map(String);
}

const value = (v) => (isNum(v) ? v : null);

/// A row per method, in the explanation's order: its areas and how many random orders each beats, the
/// comprehensiveness and sufficiency per fraction, IG's completeness gap, the mean Spearman under noise, the
/// variant's Spearman (undefined without a variant), ρ with the consensus, and whether it is no better than chance
/// (deletion area not below the random mean and insertion area not above it).
export function methodRows(explanation) {
  const fractions = fractionKeys(explanation);
  const random = explanation.random || {};
  const count = random.deletion_aucs?.length ?? random.seeds?.length ?? 0;
  const stability = explanation.stability?.methods || {};
  const consensus = explanation.agreement?.consensus?.spearman || {};
  const hasVariant = explanation.stability?.variant !== undefined;
  return Object.entries(explanation.methods).map(([key, m]) => {
    const row = {
      method: key, label: methodInfo(key).label, color: methodInfo(key).color,
      deletionAuc: value(m.deletion_auc), deletionBeats: m.random?.deletion_beats ?? null,
      insertionAuc: value(m.insertion_auc), insertionBeats: m.random?.insertion_beats ?? null, randomCount: count,
      comprehensiveness: Object.fromEntries(fractions.map((p) => [p, value(m.comprehensiveness?.[p])])),
      sufficiency: Object.fromEntries(fractions.map((p) => [p, value(m.sufficiency?.[p])])),
      completenessGap: value(m.completeness_gap),
      noiseMean: value(stability[key]?.noise_mean), consensusRho: value(consensus[key]),
    };
    if (hasVariant) row.variant = value(stability[key]?.variant);
    row.chance = isNum(row.deletionAuc) && isNum(row.insertionAuc) && isNum(random.deletion_auc_mean)
      && row.deletionAuc >= random.deletion_auc_mean && row.insertionAuc <= random.insertion_auc_mean;
    return row;
  });
}

/// The random orders' row: their mean areas and how many there are.
export function randomRow(explanation) {
  const random = explanation.random || {};
  return { deletionAuc: value(random.deletion_auc_mean), insertionAuc: value(random.insertion_auc_mean),
    count: random.deletion_aucs?.length ?? random.seeds?.length ?? 0 };
}

/// The best method by each area: the lowest deletion AUC and the highest insertion AUC ({deletion, insertion}
/// method names; the first on a tie).
export function bestMethods(rows) {
  const pick = (key, better) => rows.reduce((best, row) => (isNum(row[key]) && (best === null || better(row[key], best[key]))
    ? row : best), null)?.method ?? null;
  return { deletion: pick('deletionAuc', (a, b) => a < b), insertion: pick('insertionAuc', (a, b) => a > b) };
}

/// How many random orders an area beats, in words: deletion "below 6 of 8" (lower is better), insertion "above 7
/// of 8".
export function beatsText(kind, beats, count) {
  if (!isNum(beats) || !count) return '–';
  return `${kind === 'deletion' ? 'below' : 'above'} ${beats} of ${count}`;
}

/// The CSV rows (the first the header): a row per method with every figure, then the random orders' means.
export function evaluationCSVRows(explanation) {
  const fractions = fractionKeys(explanation);
  const rows = methodRows(explanation);
  const blank = (v) => (v === null || v === undefined ? '' : v);
  const header = ['method', 'deletion_auc', 'deletion_below_random', 'insertion_auc', 'insertion_above_random',
    'random_orders', ...fractions.map((p) => `comprehensiveness_${p}`), ...fractions.map((p) => `sufficiency_${p}`),
    'completeness_gap', 'noise_spearman_mean', 'variant_spearman', 'consensus_spearman'];
  const body = rows.map((r) => [r.method, blank(r.deletionAuc), blank(r.deletionBeats), blank(r.insertionAuc),
    blank(r.insertionBeats), r.randomCount, ...fractions.map((p) => blank(r.comprehensiveness[p])),
    ...fractions.map((p) => blank(r.sufficiency[p])), blank(r.completenessGap), blank(r.noiseMean), blank(r.variant),
    blank(r.consensusRho)]);
  const random = randomRow(explanation);
  const tail = ['random (mean)', blank(random.deletionAuc), '', blank(random.insertionAuc), '', random.count,
    ...fractions.flatMap(() => ['', '']), '', '', '', ''];
  return [header, ...body, tail];
}

/// The agreement matrix of a kind (spearman: ρ, null where a method's scores are constant; overlap: the top-k
/// overlap): {methods, labels, values: rows of numbers or null, k}.
export function agreementMatrix(explanation, kind) {
  const a = explanation.agreement;
  const source = kind === 'overlap' ? a.overlap : a.spearman;
  return { kind, methods: a.methods, labels: a.methods.map((m) => methodInfo(m).label), k: a.k,
    values: source.map((row) => row.map(value)) };
}

/// The prompt's tokens with their consensus scores (the mean normalised rank, in [0, 1]; 1: every method ranks it
/// first) and their rank in the consensus order (1: the most important).
export function consensusTokens(explanation) {
  const { scores, order } = explanation.agreement.consensus;
  const rank = new Map(order.map((position, i) => [position, i + 1]));
  return explanation.tokens.map((token, position) => ({ position, id: token.id, text: token.text,
    score: value(scores[position]), rank: rank.get(position) ?? null }));
}

/// The methods furthest from the consensus in words, with their ρ: "attention × gradient (ρ = −0.211) and
/// saliency (ρ = −0.105)".
export function disagreementText(explanation) {
  const { most_disagreeing: names = [], spearman = {} } = explanation.agreement.consensus;
  const rho = (key) => (isNum(spearman[key]) ? num(spearman[key], 3) : 'undefined: constant scores');
  const parts = names.map((key) => `${methodInfo(key).label} (ρ = ${rho(key)})`);
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts.join('');
}

/// The baseline in words: "the zero baseline", "baseline token 640" (the JSON's zero | token:ID).
export function baselineText(baseline) {
  const match = /^token:(\d+)$/.exec(baseline ?? '');
  return match ? `baseline token ${match[1]}` : `the ${baseline ?? 'zero'} baseline`;
}

/// What f is, in words, with its value and its value at the baseline: `f = logit("le") at position 3 (after
/// "x") = 2.632; f(E′) = 2.059 at the zero baseline`.
export function targetText(explanation) {
  const t = explanation.target;
  let what;
  if (t.objective === 'contrast') what = `logit(${quoted(t.display ?? t.text)}) − logit(${quoted(t.contrast_text ?? t.contrast)})`;
  else if (t.objective === 'logprob') what = `log p(${quoted(t.display ?? t.text)})`;
  else what = `logit(${quoted(t.display ?? t.text)})`;
  const after = explanation.tokens[t.position]?.text;
  return `f = ${what} at position ${t.position}${after !== undefined ? ` (after ${quoted(after)})` : ''} = ${fmt(t.f, 3)}; ` +
    `f(E′) = ${fmt(t.f_baseline, 3)} at ${baselineText(explanation.parameters?.baseline)}`;
}

export const STAGES = {
  scores: 'the explainers\' scores', curves: 'deletion and insertion curves', noise: 'scores on noisy copies',
  variant: 'scores on the variant',
};

/// A job's passes: {done, total, stage}.
export function jobCounts(job) {
  const p = job?.progress || {};
  return { done: isNum(p.done) ? p.done : 0, total: isNum(p.total) ? p.total : 0, stage: p.stage ?? null };
}

/// Where a job is, in words: "tiny-gpt2 · deletion and insertion curves · pass 57/295".
export function jobText(job) {
  const { done, total, stage } = jobCounts(job);
  const pass = `pass ${done}/${total}`;
  const where = STAGES[stage] || stage;
  let text;
  if (job.status === 'queued') text = `${pass} · waiting for the compute queue`;
  else if (job.status === 'running') text = where ? `${where} · ${pass}` : pass;
  // The total is the most passes the evaluation could run; equal curve inputs run once, so a finished job says
  // how many it ran.
  else if (job.status === 'done') text = `${isNum(job.explanation?.passes) ? job.explanation.passes : total} passes: done`;
  else if (job.status === 'cancelled') text = `cancelled at ${pass}${where ? ` (${where})` : ''}`;
  else text = `failed at ${pass}${where ? ` (${where})` : ''}`;
  return job.model ? `${job.model} · ${text}` : text;
}
