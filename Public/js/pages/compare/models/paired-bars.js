// Two bars on one row, A above B, each a share of a common maximum (the shared strings' probabilities, the
// pattern classes' head counts): the bars carry the sides' colours and their exact values in data-value.
import { el } from '../../../core/dom.js';
import { SIDE_COLORS } from './models-data.js';

/// A cell of two bars for values [a, b] out of max; text(v, side) is each bar's label.
export function pairedBars(values, max, text) {
  const cell = el('div', 'paired-bars');
  values.forEach((v, i) => {
    const row = el('div', 'paired-bar', { 'data-side': i, 'data-value': v ?? '' });
    const track = el('span', 'track');
    const bar = el('span', 'bar', { 'aria-hidden': 'true' });
    bar.style.width = `${Math.max(0, Math.min(1, (v ?? 0) / max)) * 100}%`;
    bar.style.background = SIDE_COLORS[i];
    track.append(bar);
    row.append(el('span', 'side-tag', null, 'AB'[i]), track, el('span', 'value', null, text(v, i)));
    cell.append(row);
  });
  return cell;
}
