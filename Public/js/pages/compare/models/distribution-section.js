// The Models mode's distribution comparison: the divergences between the two next-token distributions over the
// strings both vocabularies share, the vocabularies' sizes, each model's mass on and outside the shared strings
// (a bar per model, never left out), and the top shared strings with both probabilities.
import { el } from '../../../core/dom.js';
import { isNum, num, percent } from '../../../core/format.js';
import { distributionRows, sharedStringRows, SIDE_COLORS } from './models-data.js';
import { pairedBars } from './paired-bars.js';
import { tableOf } from '../table.js';

function valueCell(row, v, side) {
  const text = row.kind === 'mass' ? percent(v) : row.kind === 'vocabulary' ? (isNum(v) ? v.toLocaleString() : '–') : num(v);
  return el('td', 'num', { 'data-key': row.key, 'data-side': side, 'data-value': isNum(v) ? v : '' }, text);
}

function figuresTable(d) {
  return tableOf('models-distribution-table', 'distribution-table', ['', ['A', 'num'], ['B', 'num']], distributionRows(d).map((row) => {
    const tr = el('tr', `kind-${row.kind}`, { 'data-key': row.key });
    tr.append(el('th', null, { scope: 'row', title: row.title }, row.label));
    if (row.values) tr.append(valueCell(row, row.values[0], 0), valueCell(row, row.values[1], 1));
    else {
      const td = valueCell(row, row.value, null);
      td.colSpan = 2;
      td.classList.add('both');
      tr.append(td);
    }
    return tr;
  }));
}

/// A bar per model: the share of its next-token mass on the shared strings, and the rest (hatched) outside them.
function massBars(d) {
  const box = el('div', 'mass-bars', { id: 'models-mass' });
  d.shared_mass.forEach((shared, i) => {
    const outside = d.mass_outside_shared[i];
    const row = el('div', 'mass-row', { 'data-side': i });
    const track = el('span', 'mass-track', { title: `${'AB'[i]}: ${percent(shared)} on shared strings, ${percent(outside)} outside` });
    const on = el('span', 'mass-shared');
    on.style.width = `${Math.max(0, Math.min(1, shared)) * 100}%`;
    on.style.background = SIDE_COLORS[i];
    const off = el('span', 'mass-outside');
    off.style.width = `${Math.max(0, Math.min(1, outside)) * 100}%`;
    track.append(on, off);
    row.append(el('span', 'side-tag', null, 'AB'[i]), track,
      el('span', 'small', null, `${percent(outside)} outside the shared strings`));
    box.append(row);
  });
  return box;
}

function sharedStrings(d) {
  const { rows, max } = sharedStringRows(d);
  return tableOf('models-shared', 'shared-table', ['string', 'p (A, B), before renormalising'], rows.map((r) => {
    const tr = el('tr', null, { 'data-string': r.string });
    const bars = el('td');
    bars.append(pairedBars(r.probability, max, percent));
    tr.append(el('th', 'tok', { scope: 'row' }, r.string), bars);
    return tr;
  }));
}

export function distributionSection(d) {
  const section = el('section', 'models-section', { id: 'models-distribution' });
  const figures = el('div', 'distribution-figures');
  const left = el('div');
  left.append(figuresTable(d), massBars(d));
  const right = el('div');
  right.append(el('h4', null, null, 'Top shared strings'), sharedStrings(d));
  figures.append(left, right);
  section.append(el('h3', null, null, 'Next-token distributions'),
    el('p', 'muted small', null, `The divergences compare the two distributions over the ${d.shared_strings.toLocaleString()} ` +
      'strings both vocabularies share, each renormalised over them. The mass outside the shared strings (the hatched ' +
      'part of each bar) is not in those numbers.'), figures);
  return section;
}
