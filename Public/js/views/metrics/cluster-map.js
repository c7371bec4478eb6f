// The metrics view's cluster map (k-means over the heads' metric means) as a layer × head grid, with its legend:
// a column per cluster with its members and centroid.
import { el } from '../../core/dom.js';
import { DASH, fmt, isNum } from '../../core/format.js';
import { clusterColor } from '../../components/color-scales.js';
import { fillLayerGrid } from '../../components/layer-grid.js';
import { swatch } from '../../components/legends.js';

export function renderClusterMap(map, data) {
  const L = data.layers, H = data.heads_per_layer;
  const byCell = new Map(data.heads.map((head) => [`${head.layer},${head.head}`, head]));
  fillLayerGrid(map, { layers: L, heads: H, track: 'minmax(2.2rem, 3rem)', cell: (layer, head) => {
    const m = byCell.get(`${layer},${head}`);
    const cluster = m && isNum(m.cluster) ? m.cluster : null;
    const c = el('div', 'cluster-cell', {
      role: 'gridcell', tabindex: layer === L - 1 && head === 0 ? '0' : '-1',
      'data-layer': layer, 'data-head': head, 'data-cluster': cluster ?? '',
      title: `L${layer} H${head} · cluster ${cluster ?? DASH} · ${m ? m.class : ''}`,
      'aria-label': `layer ${layer} head ${head}: cluster ${cluster ?? 'none'}, ${m ? m.class : ''}`,
    }, cluster === null ? DASH : String(cluster));
    c.style.background = clusterColor(cluster);
    return c;
  } });
  map.dataset.layers = String(L);
  map.dataset.heads = String(H);
}

function clusterHeader(groups) {
  const tr = el('tr');
  tr.append(el('th', null, { scope: 'col' }, 'cluster'));
  for (const group of groups) {
    const th = el('th', 'num', { scope: 'col', 'data-cluster': group.id });
    th.append(swatch(clusterColor(group.id)), document.createTextNode(`C${group.id}`));
    tr.append(th);
  }
  const thead = el('thead');
  thead.append(tr);
  return thead;
}

/// The legend: one column per cluster (narrow enough to sit next to the map); rows: members, then each centroid
/// feature. `asked`: the K asked for (fewer clusters are made when there are fewer heads).
export function renderClusterLegend(box, clusters, asked) {
  if (!clusters) {
    box.replaceChildren(el('p', 'muted small', null, 'No clusters: a one-token run has no metrics to cluster.'));
    return;
  }
  const table = el('table', 'table cluster-table', { id: 'cluster-legend-table' });
  const tbody = el('tbody');
  const members = el('tr', 'members', { 'data-row': 'members' });
  members.append(el('th', null, { scope: 'row' }, 'members'), ...clusters.groups.map((group) => el('td', 'num', {
    'data-cluster': group.id, title: group.members.map(([l, hd]) => `L${l} H${hd}`).join(', '),
  }, String(group.members.length))));
  tbody.append(members);
  clusters.features.forEach((feature, f) => {
    const tr = el('tr', null, { 'data-feature': feature });
    tr.append(el('th', null, { scope: 'row', title: `centroid: ${feature}` }, feature.replace(/_/g, ' ')),
      ...clusters.groups.map((group) => el('td', 'num', { 'data-cluster': group.id }, fmt(group.centroid[f], 3))));
    tbody.append(tr);
  });
  table.append(clusterHeader(clusters.groups), tbody);
  const caption = clusters.k < asked ? el('p', 'muted small', null, `K=${asked} asked, ${clusters.k} clusters made (one per head at most).`) : null;
  box.replaceChildren(...(caption ? [caption] : []), table);
}
