// The Compare page's layer × head grid of the chosen metric's spread in diverging colours (B − A for a pair, the
// variance otherwise), and the aligned attention of the chosen head: the last token's attention to each aligned
// group (summed over its tokens), per prompt.
import { el } from '../../core/dom.js';
import { DASH, isNum, num, visibleSpaces } from '../../core/format.js';
import { METRICS } from '../../core/head-metrics.js';
import { diverging, divergingGradient, divergingText, positiveGradient, clusterColor } from '../../components/color-scales.js';
import { fillLayerGrid } from '../../components/layer-grid.js';
import { fillScaleLegend, swatch } from '../../components/legends.js';
import { spread } from './compare-data.js';

/// t = {data, names, view, selected, shape: {L, H}}.
export function renderHeadsGrid(grid, title, legend, t) {
  const { data, names, selected } = t;
  const isPair = data.kind === 'pair';
  const metric = METRICS.find((m) => m.key === t.view.metric) || { key: t.view.metric, label: t.view.metric };
  title.textContent = `${metric.label}: ${isPair ? 'Δ B − A' : 'variance over the prompts'}`;
  const byCell = new Map(data.heads.map((x) => [`${x.layer},${x.head}`, x]));
  const values = data.heads.map((x) => spread(data, x, metric.key)).filter((v) => v !== null);
  const max = Math.max(1e-12, ...values.map(Math.abs));
  grid.setAttribute('aria-label', `${metric.label} ${isPair ? 'difference' : 'variance'} by layer and head`);
  fillLayerGrid(grid, { layers: t.shape.L, heads: t.shape.H, track: 'minmax(3.2rem, 4rem)', cell: (layer, head) => {
    const x = byCell.get(`${layer},${head}`);
    const v = x ? spread(data, x, metric.key) : null;
    const shade = v === null ? 0 : v / max;
    const isSelected = selected && selected.layer === layer && selected.head === head;
    const cell = el('div', 'compare-cell' + (isSelected ? ' selected' : ''), {
      role: 'gridcell', tabindex: isSelected ? '0' : '-1', 'data-layer': layer, 'data-head': head,
      'data-value': v ?? '', 'aria-selected': String(Boolean(isSelected)),
      title: `L${layer} H${head} · ${metric.label} ${isPair ? 'Δ' : 'variance'} ${num(v)}` +
        (x ? ' · ' + (x.values[metric.key] || []).map((value, i) => `${names[i]} ${num(value, 3)}`).join(', ') : ''),
    }, num(v, 2));
    cell.style.background = diverging(shade);
    cell.style.color = divergingText(shade);
    return cell;
  } });
  if (!grid.querySelector('.compare-cell[tabindex="0"]')) grid.querySelector('.compare-cell')?.setAttribute('tabindex', '0');
  fillScaleLegend(legend, { low: isPair ? `−${num(max, 2)}` : '0', high: `+${num(max, 2)}`,
    gradient: isPair ? divergingGradient() : positiveGradient(),
    note: isPair ? 'blue: larger in B · red: larger in A' : 'darker blue: varies more across the prompts' });
}

function alignedRow(d, names, head, g, gi) {
  const tr = el('tr', null, { 'data-group': gi });
  const th = el('th', null, { scope: 'row' });
  th.append(swatch(clusterColor(gi)), visibleSpaces(g.label));
  tr.append(th);
  const values = d.prompts.map((_, i) => head.aligned_attention?.[i]?.[gi]);
  values.forEach((v, i) => {
    const tokens = (g.positions[i] || []).map((position) => d.prompts[i].tokens[position]).join('');
    const td = el('td', 'num aligned-value', { 'data-prompt': i, 'data-value': isNum(v) ? v : '',
      title: `${names[i]}: tokens ${(g.positions[i] || []).join(', ')} "${tokens}"` });
    const bar = el('span', 'mini-bar', { 'aria-hidden': 'true' });
    bar.style.width = `${Math.max(0, Math.min(1, isNum(v) ? v : 0)) * 100}%`;
    td.append(bar, el('span', null, null, num(v, 3)), el('span', 'aligned-tokens', null, visibleSpaces(tokens)));
    tr.append(td);
  });
  if (d.kind === 'pair') {
    const [x, y] = values;
    tr.append(el('td', 'num', null, isNum(x) && isNum(y) ? num(y - x, 3) : DASH));
  }
  return tr;
}

/// The aligned attention of t.selected into box.
export function renderAligned(box, { data: d, names, selected: s }) {
  const head = s && d.heads.find((x) => x.layer === s.layer && x.head === s.head);
  const title = el('h4', null, { id: 'compare-aligned-title' }, head ? `Aligned attention · L${head.layer} H${head.head}` : 'Aligned attention');
  const intro = el('p', 'muted small', null, 'The last token\'s attention to each aligned group (summed over the group\'s tokens), per prompt.');
  if (!head) {
    box.replaceChildren(title, el('p', 'muted', null, 'Choose a head in the table or the grid.'));
    return;
  }
  box.dataset.layer = String(head.layer);
  box.dataset.head = String(head.head);
  if (!d.groups.length) {
    box.replaceChildren(title, intro, el('p', 'empty-state', null, 'No aligned groups: mark the same number of spans in every prompt with [[…]].'));
    return;
  }
  const table = el('table', 'table aligned-table', { id: 'compare-aligned-table' });
  const hr = el('tr');
  hr.append(el('th', null, { scope: 'col' }, 'group'));
  names.forEach((name, i) => hr.append(el('th', 'num', { scope: 'col', title: d.prompts[i].text }, name)));
  if (d.kind === 'pair') hr.append(el('th', 'num', { scope: 'col', title: 'B − A' }, 'Δ B − A'));
  const thead = el('thead');
  thead.append(hr);
  const tbody = el('tbody');
  d.groups.forEach((g, gi) => tbody.append(alignedRow(d, names, head, g, gi)));
  table.append(thead, tbody);
  box.replaceChildren(title, intro, table);
}
