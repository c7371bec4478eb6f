// The evaluate view's drawings in HTML: the target and the job's cost in words, the verdict, the table of every
// method's figures, the agreement matrix (Spearman or top-k overlap, the values printed in coloured cells) and the
// prompt's tokens coloured by the consensus with the methods furthest from it.
import { el } from '../../core/dom.js';
import { isNum, num, plural } from '../../core/format.js';
import { SCHEMES } from '../../components/color-scales.js';
import { fillScaleLegend } from '../../components/legends.js';
import { matrixColors, shareColors } from './cell-colors.js';
import { agreementMatrix, beatsText, bestMethods, consensusTokens, disagreementText, fractionKeys, methodRows, randomRow,
  targetText } from './evaluation-data.js';

/// The target in words and what the job cost.
export function renderCaption(caption, explanation) {
  const n = explanation.tokens.length;
  caption.replaceChildren(el('span', 'eval-target-text', null, targetText(explanation)),
    el('span', 'muted small', null, ` · ${explanation.model} · ${plural(n, 'token')} · ${explanation.passes} passes in ` +
      `${num(explanation.seconds, 3)} s`));
  Object.assign(caption.dataset, { targetId: String(explanation.target.id), position: String(explanation.target.position) });
}

/// The verdict, a paragraph per sentence.
export function renderVerdict(box, explanation) {
  const sentences = explanation.verdict_sentences?.length ? explanation.verdict_sentences : [explanation.verdict];
  box.replaceChildren(el('b', null, null, 'Verdict. '), ...sentences.map((s, i) => (i === 0 ? document.createTextNode(s)
    : el('span', 'eval-verdict-sentence', null, ` ${s}`))));
}

function numberCell(key, value, { best = false, title } = {}) {
  const td = el('td', `num${best ? ' best' : ''}`, { 'data-key': key, 'data-value': isNum(value) ? value : '', title });
  td.textContent = num(value, 4);
  return td;
}

function textCell(key, text, value) {
  return el('td', 'num eval-beats', { 'data-key': key, 'data-value': value ?? '' }, text);
}

function headerRows(fractions, hasVariant, noiseCount, randomCount) {
  const top = el('tr'), bottom = el('tr');
  const th = (text, { cls, ...attrs }, title) => el('th', cls || null, { scope: 'col', title, ...attrs }, text);
  top.append(th('method', { rowspan: 2 }),
    th('Deletion', { colspan: 2, cls: 'group' },
      'f as the top-ranked positions are replaced by the baseline: a lower area is better'),
    th('Insertion', { colspan: 2, cls: 'group' },
      'f as the top-ranked positions are restored from the all-baseline input: a higher area is better'),
    th('Comprehensiveness', { colspan: fractions.length, cls: 'group' },
      'f(E) − f without the top ceil(p·n/100) positions: high means those positions carry the prediction'),
    th('Sufficiency', { colspan: fractions.length, cls: 'group' },
      'f(E) − f with only the top ceil(p·n/100) positions: low means they suffice'),
    th('IG gap', { rowspan: 2, cls: 'num' }, 'integrated gradients: the completeness gap Σ IG − (f(E) − f(E′))'),
    th('Stability ρ', { colspan: hasVariant ? 2 : 1, cls: 'group' },
      'Spearman ρ between the scores on the prompt and on perturbed inputs: near 1, the explanation survives small changes'),
    th('ρ with consensus', { rowspan: 2, cls: 'num' }, 'Spearman ρ between the method\'s scores and the consensus scores'));
  bottom.append(th('AUC', { cls: 'num' }, 'the trapezoid area of the deletion curve over k/n'),
    th('vs random', { cls: 'num' }, `how many of the ${randomCount} random orders have a higher deletion area`),
    th('AUC', { cls: 'num' }, 'the trapezoid area of the insertion curve over k/n'),
    th('vs random', { cls: 'num' }, `how many of the ${randomCount} random orders have a lower insertion area`),
    ...fractions.map((p) => th(`${p} %`, { cls: 'num' })), ...fractions.map((p) => th(`${p} %`, { cls: 'num' })),
    th(`noise (mean of ${noiseCount})`, { cls: 'num' }, 'the mean ρ over the noisy copies of the embeddings'));
  if (hasVariant) bottom.append(th('variant', { cls: 'num' }, 'ρ between the scores on the prompt and on the variant'));
  return [top, bottom];
}

/// The table: a row per method (data-method; cells data-key, data-value) and the random orders' mean areas.
export function renderTable(table, explanation) {
  const rows = methodRows(explanation), random = randomRow(explanation), best = bestMethods(rows);
  const fractions = fractionKeys(explanation);
  const hasVariant = explanation.stability?.variant !== undefined;
  const noiseCount = explanation.stability?.noise_seeds?.length ?? 0;
  const thead = el('thead');
  thead.append(...headerRows(fractions, hasVariant, noiseCount, random.count));
  const tbody = el('tbody');
  for (const r of rows) {
    const tr = el('tr', r.chance ? 'chance' : null, { 'data-method': r.method });
    const name = el('th', 'eval-method-name', { scope: 'row' });
    const mark = el('span', 'eval-method-mark', { 'aria-hidden': 'true' });
    mark.style.background = r.color;
    name.append(mark, document.createTextNode(r.label));
    if (r.chance) {
      name.append(el('span', 'badge eval-chance', { title: 'its deletion area is not below the random orders\' mean and ' +
        'its insertion area not above it' }, 'no better than chance'));
    }
    tr.append(name, numberCell('deletion_auc', r.deletionAuc, { best: best.deletion === r.method }),
      textCell('deletion_beats', beatsText('deletion', r.deletionBeats, r.randomCount), r.deletionBeats),
      numberCell('insertion_auc', r.insertionAuc, { best: best.insertion === r.method }),
      textCell('insertion_beats', beatsText('insertion', r.insertionBeats, r.randomCount), r.insertionBeats),
      ...fractions.map((p) => numberCell(`comprehensiveness_${p}`, r.comprehensiveness[p])),
      ...fractions.map((p) => numberCell(`sufficiency_${p}`, r.sufficiency[p])),
      numberCell('completeness_gap', r.completenessGap), numberCell('noise_mean', r.noiseMean));
    if (hasVariant) tr.append(numberCell('variant', r.variant));
    tr.append(numberCell('consensus', r.consensusRho));
    tbody.append(tr);
  }
  const tr = el('tr', 'eval-random-row', { 'data-method': 'random' });
  tr.append(el('th', 'eval-method-name', { scope: 'row' }, `random orders (mean of ${random.count})`),
    numberCell('deletion_auc', random.deletionAuc), el('td'), numberCell('insertion_auc', random.insertionAuc), el('td'),
    el('td', null, { colspan: 2 * fractions.length + 3 + (hasVariant ? 1 : 0) }));
  tbody.append(tr);
  table.replaceChildren(thead, tbody);
  table.dataset.rows = String(rows.length);
}

/// The agreement matrix of a kind (spearman | overlap): a cell per pair (data-row, data-col, data-value) coloured
/// by its value with the value printed; the caption says what it is and k.
export function renderMatrix(table, caption, explanation, kind) {
  const matrix = agreementMatrix(explanation, kind);
  const n = explanation.tokens.length;
  const head = el('tr');
  head.append(el('th', 'eval-matrix-corner', { scope: 'col' }, kind === 'overlap' ? `top-${matrix.k}` : 'ρ'));
  for (const label of matrix.labels) head.append(el('th', 'eval-matrix-col', { scope: 'col' }, label));
  const thead = el('thead');
  thead.append(head);
  const tbody = el('tbody');
  matrix.values.forEach((row, i) => {
    const tr = el('tr', null, { 'data-method': matrix.methods[i] });
    tr.append(el('th', 'eval-matrix-row', { scope: 'row' }, matrix.labels[i]));
    row.forEach((v, j) => {
      const colors = matrixColors(kind, v);
      const td = el('td', 'eval-cell', { 'data-row': i, 'data-col': j, 'data-value': isNum(v) ? v : '',
        title: `${matrix.labels[i]} vs ${matrix.labels[j]}: ${kind === 'overlap' ? `top-${matrix.k} overlap` : 'Spearman ρ'} ` +
          (isNum(v) ? num(v, 4) : 'undefined (constant scores)') }, isNum(v) ? num(v, 3) : '–');
      td.style.background = colors.background;
      td.style.color = colors.color;
      tr.append(td);
    });
    tbody.append(tr);
  });
  table.replaceChildren(thead, tbody);
  Object.assign(table.dataset, { kind, k: String(matrix.k), methods: String(matrix.methods.length) });
  caption.textContent = kind === 'overlap'
    ? `Top-k overlap: the share of the k = ${matrix.k} highest-scored of the ${n} positions (20 % of them) that two ` +
      'methods have in common; 1 on the diagonal.'
    : `Spearman ρ between two methods' scores over the ${n} positions (k = ${matrix.k} for the overlap): blue, they rank ` +
      'the positions alike; red, in opposite orders; – where a method\'s scores are constant.';
}

/// The prompt's tokens coloured by the consensus score, its legend, and the methods furthest from it.
export function renderConsensus(box, legend, note, explanation) {
  const tokens = consensusTokens(explanation);
  box.replaceChildren(...tokens.map((t) => {
    const colors = shareColors(t.score);
    const chip = el('span', 'eval-token', { 'data-position': t.position, 'data-score': isNum(t.score) ? t.score : '',
      'data-rank': t.rank ?? '', title: `(${t.position}) ${t.text}\nconsensus score ${num(t.score, 3)}, rank ${t.rank} of ` +
      `${tokens.length}` }, t.text);
    chip.style.background = colors.background;
    chip.style.color = colors.color;
    return chip;
  }));
  fillScaleLegend(legend, { low: '0', high: '1', gradient: `linear-gradient(to right, ${SCHEMES.blues.join(', ')})`,
    note: 'the consensus score: the mean over the methods of each one\'s normalised rank of the token (1: every method ' +
      'ranks it first, 0: every method last)' });
  const names = explanation.agreement.consensus.most_disagreeing || [];
  note.dataset.methods = names.join(',');
  note.replaceChildren(el('b', null, null, 'Furthest from the consensus: '),
    document.createTextNode(`${disagreementText(explanation)}.`));
}
