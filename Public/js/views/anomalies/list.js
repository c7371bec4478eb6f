// The anomalies view's lists: the anomalies grouped by type (each entry a button to the view that shows it, with
// its hits), and the settling layer of every position's prediction. A button's data-go holds its target as JSON.
import { el } from '../../core/dom.js';
import { quoted } from '../../core/format.js';
import { describe, describeHit, targetTitle } from './describe.js';
import { TYPES } from './parameters.js';

const MAX_HITS = 200;

/// The groups of a response in TYPES order (types the page does not know go last), each with its entries.
export function groupAnomalies(anomalies) {
  const groups = TYPES.map((t) => ({ ...t, entries: [] }));
  anomalies.forEach((a, index) => {
    const group = groups.find((g) => g.type === a.type);
    if (group) group.entries.push({ a, index });
    else groups.push({ type: a.type, title: a.type, hint: '', entries: [{ a, index }] });
  });
  return groups.filter((g) => g.entries.length);
}

function renderHits(a, tokens) {
  const details = el('details', 'anomaly-hits');
  details.append(el('summary', 'muted small', null, `all ${a.hits.length} hits`));
  const box = el('div', 'hit-list');
  const shown = a.hits.slice(0, MAX_HITS);
  for (const hit of shown) {
    const { label, target, title } = describeHit(a, hit, tokens);
    box.append(el('button', 'anomaly-hit small-button', { type: 'button', 'data-go': JSON.stringify(target), title }, label));
  }
  if (a.hits.length > shown.length) box.append(el('span', 'muted small', null, `… and ${a.hits.length - shown.length} more`));
  details.append(box);
  return details;
}

/// A group folds away (a real model may have a hundred outlier dimensions).
export function renderGroup(group, tokens) {
  const section = el('details', 'anomaly-group', { 'data-type': group.type, open: '' });
  const summary = el('summary');
  const title = el('h4', null, null, `${group.title} `);
  title.append(el('span', 'count-badge', null, String(group.entries.length)));
  summary.append(title);
  section.append(summary, el('p', 'muted small', null, group.hint));
  const ul = el('ul', 'anomaly-entries');
  for (const { a, index } of group.entries) {
    const { text, target } = describe(a, tokens);
    const li = el('li');
    li.append(el('button', 'anomaly-entry', { type: 'button', 'data-type': a.type, 'data-index': index,
      'data-layer': a.layer ?? '', 'data-head': a.head ?? '', 'data-go': JSON.stringify(target), title: targetTitle(target) }, text));
    if (Array.isArray(a.hits) && a.hits.length > 1) li.append(renderHits(a, tokens));
    ul.append(li);
  }
  section.append(ul);
  return section;
}

/// Per position: the final top-1 token and the layer from which the lens keeps it (highlighted: it appeared
/// earlier and was lost).
export function renderFlips(box, flips, tokens) {
  box.replaceChildren(...flips.map((f) => {
    const cell = el('button', 'flip-cell' + (f.stays ? '' : ' flip'), {
      type: 'button', 'data-position': f.position, 'data-settled': f.settled_layer, 'data-first': f.first_layer,
      'data-go': JSON.stringify({ view: 'lens', layer: f.stays ? f.settled_layer : f.first_layer, position: f.position }),
      title: `position ${f.position} ${quoted(tokens[f.position])}: final ${quoted(f.final.display)} (id ${f.final.id}); ` +
        (f.stays ? `top-1 from layer ${f.settled_layer} on` : `first at layer ${f.first_layer}, lost, settles at layer ${f.settled_layer}`),
    });
    cell.append(el('span', 'flip-token', null, `${f.position} ${tokens[f.position]}`),
      el('span', 'flip-final', null, `→ ${f.final.display}`),
      el('span', 'flip-layer', null, `settles at layer ${f.settled_layer}`));
    if (!f.stays) cell.append(el('span', 'flip-layer', null, `(first at layer ${f.first_layer})`));
    return cell;
  }));
}
