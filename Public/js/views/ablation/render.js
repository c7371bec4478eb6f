// The ablation view's results: the layer × head grid of Δ log p when a head is zeroed (diverging colours) with its
// legend, and a bar per layer of Δ log p when the layer is skipped.
import { el } from '../../core/dom.js';
import { fmt, isNum, quoted } from '../../core/format.js';
import { diverging, divergingGradient, divergingText } from '../../components/color-scales.js';
import { fillLayerGrid } from '../../components/layer-grid.js';
import { fillScaleLegend } from '../../components/legends.js';
import { ratioText } from './ablation-data.js';

export function renderHeadGrid(grid, legend, data, model) {
  const L = Math.max(model.layers, ...data.heads.map((x) => x.layer + 1));
  const H = Math.max(model.heads, ...data.heads.map((x) => x.head + 1));
  const headMax = Math.max(1e-9, ...data.heads.map((x) => Math.abs(x.delta_log_probability)).filter(isNum));
  const byCell = new Map(data.heads.map((x) => [`${x.layer},${x.head}`, x]));
  fillLayerGrid(grid, { layers: L, heads: H, track: 'minmax(3rem, 3.8rem)', cell: (layer, head) => {
    const e = byCell.get(`${layer},${head}`);
    const delta = e ? e.delta_log_probability : null;
    const t = isNum(delta) ? delta / headMax : 0;
    const cell = el('div', 'ablation-cell', {
      role: 'gridcell', tabindex: layer === L - 1 && head === 0 ? '0' : '-1', 'data-layer': layer, 'data-head': head,
      'data-value': e ? delta : '',
      title: e ? `L${layer} H${head} zeroed: Δ log p ${fmt(delta, 4)} (${ratioText(delta)}); top token then ${quoted(e.top?.display)}`
        : `L${layer} H${head}: not measured`,
    }, fmt(delta, 2));
    cell.style.background = diverging(t);
    cell.style.color = divergingText(t);
    if (e && e.top && e.top.id !== data.predicted.id) cell.classList.add('flipped');
    return cell;
  } });
  fillScaleLegend(legend, { low: `−${fmt(headMax, 2)}`, high: `+${fmt(headMax, 2)}`, gradient: divergingGradient(),
    note: 'red: less likely without the head · blue: more likely · underlined: the top token changes' });
}

export function renderLayerBars(bars, data) {
  const layerMax = Math.max(1e-9, ...data.layers.map((x) => Math.abs(x.delta_log_probability)).filter(isNum));
  bars.replaceChildren(...data.layers.slice().sort((a, b) => b.layer - a.layer).map((e) => {
    const delta = e.delta_log_probability;
    const item = el('div', 'ablation-layer-bar', { role: 'listitem', 'data-layer': e.layer, 'data-value': delta,
      title: `skip layer ${e.layer}: Δ log p ${fmt(delta, 4)} (${ratioText(delta)}); top token then ${quoted(e.top?.display)}` });
    const track = el('span', 'track', { 'aria-hidden': 'true' });
    const fill = el('span', 'fill');
    const share = isNum(delta) ? Math.min(1, Math.abs(delta) / layerMax) * 50 : 0;
    fill.style.width = `${share}%`;
    fill.style.left = delta < 0 ? `${50 - share}%` : '50%';
    fill.style.background = diverging(isNum(delta) ? Math.sign(delta) * 0.75 : 0);
    track.append(fill, el('span', 'zero'));
    item.append(el('span', 'idx', null, `L${e.layer}`), track, el('span', 'val', null, fmt(delta, 3)),
      el('span', 'tok', null, e.top ? `→ ${e.top.display}` : ''));
    return item;
  }));
}
