// The Compare page's prompt cards (per prompt: its tokens with the aligned groups highlighted, the top predictions,
// the targets' probabilities and log-ratios, the span's rollout share) and the section across the prompts.
import { button, el } from '../../core/dom.js';
import { DASH, isNum, num, percent, visibleSpaces } from '../../core/format.js';
import { clusterColor } from '../../components/color-scales.js';

function tokenChips(d, p, i, name) {
  const groupOf = new Map();
  d.groups.forEach((g, gi) => { for (const position of g.positions[i] || []) groupOf.set(position, gi); });
  const tokens = el('div', 'prompt-tokens', { 'aria-label': `tokens of prompt ${name}` });
  p.tokens.forEach((t, position) => {
    const group = groupOf.get(position);
    const span = el('span', 'token' + (group !== undefined ? ' aligned' : ''), {
      'data-index': position, 'data-group': group ?? null,
      title: `position ${position}` + (group !== undefined ? ` · aligned group ${group + 1} "${d.groups[group].label}"` : ''),
    }, t);
    if (group !== undefined) {
      span.style.background = clusterColor(group);
      span.style.borderColor = 'rgba(0,0,0,0.35)';
    }
    tokens.append(span);
  });
  return tokens;
}

/// The top next-token predictions {id, display, probability} of p.top as a list with bars (also the Models mode's).
export function topPredictions(p) {
  const top = el('ol', 'prompt-top');
  const maxP = Math.max(1e-12, ...p.top.map((t) => t.probability));
  for (const t of p.top) {
    const li = el('li', null, { 'data-token-id': t.id, 'data-value': t.probability });
    const bar = el('span', 'bar', { 'aria-hidden': 'true' });
    bar.style.width = `${(t.probability / maxP) * 100}%`;
    const track = el('span', 'track');
    track.append(bar);
    li.append(el('span', 'tok', null, t.display), track, el('span', 'prob', null, percent(t.probability)));
    top.append(li);
  }
  return top;
}

const logRatioLabel = (td) => `log p(${visibleSpaces(td.a)}) − log p(${visibleSpaces(td.b)})`;

function targetTable(d, p) {
  const table = el('table', 'table target-table');
  const hr = el('tr');
  hr.append(el('th', null, { scope: 'col' }, 'target'), el('th', 'num', { scope: 'col' }, 'p'), el('th', 'num', { scope: 'col' }, 'log p'));
  const tbody = el('tbody');
  d.targets.forEach((t, j) => {
    const lp = p.target_log_probabilities[j];
    const prob = isNum(lp) ? Math.exp(lp) : null;
    const tr = el('tr', null, { 'data-target': j, 'data-text': t.text });
    tr.append(el('th', 'tok', { scope: 'row', title: `"${t.text}" → token ${t.id} ${t.display}${t.first_token_only ? ' (first token only)' : ''}` },
      visibleSpaces(t.text) + (t.first_token_only ? ' *' : '')),
    el('td', 'num', { 'data-key': 'probability', 'data-value': prob ?? '' }, percent(prob)),
    el('td', 'num', { 'data-key': 'log_probability', 'data-value': isNum(lp) ? lp : '' }, num(lp)));
    tbody.append(tr);
  });
  const thead = el('thead');
  thead.append(hr);
  table.append(thead, tbody);
  return table;
}

function targetDifferences(d, i) {
  const diffs = el('dl', 'target-diffs');
  d.target_differences.forEach((td, k) => {
    const v = td.log_ratio[i];
    diffs.append(el('dt', null, null, logRatioLabel(td)),
      el('dd', 'num target-diff', { 'data-index': k, 'data-a': td.a, 'data-b': td.b, 'data-value': isNum(v) ? v : '',
        title: isNum(v) ? `p(${visibleSpaces(td.a)}) / p(${visibleSpaces(td.b)}) = ${num(Math.exp(v), 3)}` : '' }, num(v)));
  });
  return diffs;
}

/// The card of prompt i; openRun(text, control) when its "open run" button is pressed.
export function promptCard(d, p, i, names, openRun) {
  const card = el('article', 'prompt-card', { 'data-prompt': i, 'aria-label': `prompt ${names[i]}` });
  const head = el('header', 'row');
  const title = el('h3', null, { title: p.text });
  title.append(el('span', 'prompt-name', null, names[i]));
  if (names[i] !== p.label) title.append(' ', el('span', 'muted small', null, p.label));
  const open = button('open run', { title: 'run this prompt on the run page (graph, lens, analytics)', 'data-prompt': i },
    'small-button open-run');
  open.addEventListener('click', () => openRun(p.text, open));
  head.append(title, open);
  card.append(head, tokenChips(d, p, i, names[i]), el('h4', null, null, 'Next token'), topPredictions(p));
  if (d.targets.length) {
    card.append(el('h4', null, null, 'Targets'), targetTable(d, p));
    if (d.target_differences.length) card.append(targetDifferences(d, i));
  }
  if (isNum(p.span_rollout_share)) {
    card.append(el('p', 'muted small span-rollout', { 'data-value': p.span_rollout_share },
      `rollout share of the aligned span${d.groups.length === 1 ? '' : 's'} in the last token: ${percent(p.span_rollout_share)}`));
  }
  return card;
}

function varianceTable(d) {
  const v = d.variance || {};
  const table = el('table', 'table variance-table', { id: 'compare-variance' });
  const tbody = el('tbody');
  const row = (attrs, label, value, text) => {
    const tr = el('tr', null, attrs);
    tr.append(el('th', null, { scope: 'row' }, label), el('td', 'num', { 'data-value': isNum(value) ? value : '' }, text));
    tbody.append(tr);
  };
  d.targets.forEach((t, j) => row({ 'data-target': j }, `variance of p(${visibleSpaces(t.text)})`, v.target_probability?.[j],
    num(v.target_probability?.[j])));
  const share = v.span_rollout_share;
  row({ 'data-key': 'span_rollout_share' }, 'variance of the span rollout share', share, isNum(share) ? num(share) : `${DASH} (no spans)`);
  table.append(tbody);
  return table;
}

/// Between the prompts: for a pair the change of each log-ratio; else the variances over the prompts.
export function acrossSection(d) {
  const section = el('section', 'compare-across', { id: 'compare-across' });
  if (d.kind !== 'pair') {
    section.append(el('h3', null, null, 'Across the prompts'),
      el('p', 'muted small', null, 'Variance over the prompts (as the API computes it).'), varianceTable(d));
    return section;
  }
  if (!d.target_differences.length) return section;
  const dl = el('dl', 'across-list');
  d.target_differences.forEach((td, k) => {
    const [x, y] = td.log_ratio;
    dl.append(el('dt', null, null, logRatioLabel(td)),
      el('dd', 'num', { 'data-index': k }, `A ${num(x)} → B ${num(y)} (change ${isNum(x) && isNum(y) ? num(y - x) : DASH})`));
  });
  section.append(el('h3', null, null, 'Between the prompts'), dl);
  return section;
}
