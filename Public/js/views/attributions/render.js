// The attributions view's drawings in HTML: the prompt's tokens coloured by one method's scores with the scale's
// legend, the target in words, the completeness gap of integrated gradients (with its warning), and the table of
// every method's score per token, sortable by any column.
import { el } from '../../core/dom.js';
import { fmt, isNum, num } from '../../core/format.js';
import { diverging, divergingGradient, divergingText } from '../../components/color-scales.js';
import { fillScaleLegend } from '../../components/legends.js';
import { ariaSort, sortButton } from '../../components/sortable-table.js';
import { gapInfo, gapText, scaled, scoreScale, sortedRows, tableRows, targetText } from './attribution-data.js';
import { jobCounts } from './loader.js';
import { METHODS, methodInfo } from './methods.js';

/// What a method's column shows while it has no scores: loading, running as a job, failed, cancelled.
function statusText(entry) {
  if (!entry) return '';
  if (entry.status === 'loading') return 'loading…';
  if (entry.status === 'job') return entry.job ? `job ${jobCounts(entry.job).done}/${jobCounts(entry.job).total}` : 'job…';
  if (entry.status === 'cancelled') return 'cancelled';
  if (entry.status === 'error') return 'failed';
  return '';
}

/// The tokens coloured by the chosen method's scores (diverging, centred at 0), and the legend of the scale.
export function renderTokens(box, legend, tokens, entry, method) {
  const info = methodInfo(method);
  const scores = entry?.data?.scores;
  box.dataset.method = method;
  box.dataset.ready = scores ? 'true' : 'false';
  if (!scores) {
    const why = entry?.status === 'error' ? 'failed (the error is above the tokens)' : statusText(entry) || 'no scores';
    box.replaceChildren(el('span', 'muted small', null, `${info.label}: ${why}`));
    legend.replaceChildren();
    return;
  }
  const scale = scoreScale(scores);
  box.dataset.scale = String(scale);
  box.replaceChildren(...tokens.map((token, i) => {
    const v = scores[i];
    const t = scaled(v, scale);
    const chip = el('span', 'attr-token', { 'data-position': i, 'data-score': isNum(v) ? v : '',
      title: `(${i}) ${token.display}\n${info.short}: ${isNum(v) ? v : '–'}` }, token.display);
    chip.style.background = diverging(t);
    chip.style.color = divergingText(t);
    return chip;
  }));
  const note = info.signed ? `${info.label}: blue raises f, red lowers it; scaled to the largest |score|`
    : `${info.label} is never negative: only the blue half is used; scaled to the largest score`;
  fillScaleLegend(legend, { low: `−${num(scale, 3)}`, high: `+${num(scale, 3)}`, gradient: divergingGradient(), note });
}

/// The target in words (from any finished result).
export function renderCaption(caption, results, tokens) {
  const any = METHODS.map((m) => results[m.key]?.data).find(Boolean);
  caption.textContent = any ? targetText(any.target, tokens.map((t) => t.display)) : '';
  if (any) {
    caption.dataset.targetId = String(any.target.token.id);
    caption.dataset.position = String(any.target.position);
  }
}

/// The completeness gap of integrated gradients, and the warning (with a button for more steps) when it is large.
export function renderGap(box, entry, onSteps) {
  const info = gapInfo(entry?.data);
  box.replaceChildren();
  delete box.dataset.relative;
  box.dataset.large = 'false';
  if (!info) {
    const text = statusText(entry);
    box.append(el('span', 'muted small', null, text ? `Integrated gradients: ${text}` : ''));
    return;
  }
  Object.assign(box.dataset, { gap: String(info.gap), relative: String(info.relative), large: String(info.large),
    steps: String(info.steps) });
  const line = el('div', 'attr-gap-line');
  line.append(el('b', null, null, `IG completeness (${info.steps} steps): `),
    document.createTextNode(`Σ IG = ${num(info.sum, 4)}, f(E) − f(E′) = ${num(info.delta, 4)}, ${gapText(info)}`));
  box.append(line);
  if (!info.large) return;
  const warning = el('div', 'attr-gap-warning', { id: 'attr-gap-warning', role: 'alert' });
  warning.append(el('b', null, null, '⚠ Large completeness gap. '),
    document.createTextNode(`Σ IG misses f(E) − f(E′) by more than 5 %: the ${info.steps}-step integral is not ` +
      'converged. Raise the steps; if the gap does not shrink, try a token baseline (pad, unk or an id). '));
  if (info.next > info.steps) {
    const more = el('button', 'small-button', { type: 'button', id: 'attr-more-steps' }, `Use ${info.next} steps`);
    more.addEventListener('click', () => onSteps(info.next));
    warning.append(more);
  }
  box.append(warning);
}

function headerCell(key, label, title, state, onSort, extra) {
  const active = state.attrSort === key || (state.attrSort === null && key === 'position');
  const ascending = state.attrSort === null ? true : state.attrOrder === 'asc';
  const th = el('th', key === 'position' ? null : 'num', { scope: 'col', 'data-key': key,
    'aria-sort': ariaSort(active, ascending) });
  const symbol = active ? (ascending ? '▲' : '▼') : '↕';
  th.append(sortButton({ key, label, title: `${title} — sort by it`, active, symbol, onSort }));
  if (extra) th.append(extra);
  return th;
}

/// The IG header's badge: the relative gap, marked when it is large.
function gapBadge(entry) {
  const info = gapInfo(entry?.data);
  if (!info) return null;
  const badge = el('span', `attr-gap-badge${info.large ? ' large' : ''}`, { title: gapText(info) },
    `gap ${isNum(info.relative) ? fmt(Math.abs(info.relative) * 100, 1) : '–'} %`);
  return badge;
}

function scoreCell(key, value, scale, entry) {
  const td = el('td', 'num', { 'data-key': key, 'data-value': isNum(value) ? value : '' });
  if (isNum(value)) {
    const t = scaled(value, scale);
    td.textContent = num(value, 3);
    td.style.background = diverging(t);
    td.style.color = divergingText(t);
  } else {
    td.textContent = ['loading', 'job'].includes(entry?.status) ? '…' : '–';
    td.classList.add('pending');
  }
  return td;
}

/// The table: a row per token (data-position), a column per method (data-key, data-value), each coloured on its
/// own scale; the headers sort (onSort(key)).
export function renderTable(table, tokens, results, state, onSort) {
  const rows = tableRows(tokens, Object.fromEntries(METHODS.map((m) => [m.key, results[m.key]?.data])));
  const scales = Object.fromEntries(METHODS.map((m) => [m.key, scoreScale(results[m.key]?.data?.scores)]));
  const head = el('tr');
  head.append(headerCell('position', '#', 'position', state, onSort), el('th', null, { scope: 'col' }, 'token'));
  for (const m of METHODS) {
    const entry = results[m.key];
    const th = headerCell(m.key, m.short, m.title, state, onSort, m.key === 'ig' ? gapBadge(entry) : null);
    th.dataset.status = entry?.status || '';
    if (entry?.status === 'error') th.title = `${m.label} failed: ${entry.error?.message || entry.error}`;
    if (m.key === state.attrMethod) th.classList.add('shown');
    head.append(th);
  }
  const thead = el('thead');
  thead.append(head);
  const tbody = el('tbody');
  for (const row of sortedRows(rows, state.attrSort, state.attrOrder)) {
    const tr = el('tr', null, { 'data-position': row.position });
    tr.append(el('td', 'num', { 'data-key': 'position' }, String(row.position)), el('td', 'tok', { title: `id ${row.id}` }, row.token));
    for (const m of METHODS) tr.append(scoreCell(m.key, row.scores[m.key], scales[m.key], results[m.key]));
    tbody.append(tr);
  }
  table.replaceChildren(thead, tbody);
  table.dataset.rows = String(rows.length);
}
