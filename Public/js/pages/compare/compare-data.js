// The Compare page's reading of a POST /api/compare response: the prompts' short names, the spread of a metric
// (B − A for a pair, the variance for a set or templates), the heads in the table's order, the CSV. Pure: no DOM.
import { isNum } from '../../core/format.js';
import { byLayerAndHead, sortRows } from '../../components/sortable-table.js';

/// A/B for a pair; else the label when short, or P1, P2, …
export function promptNames(data) {
  if (data.kind === 'pair') return ['A', 'B'];
  return data.prompts.map((p, i) => (p.label && [...p.label].length <= 10 ? p.label : `P${i + 1}`));
}

export function spreadKey(data) {
  return data.kind === 'pair' ? 'difference' : 'variance';
}

/// A head's spread of a metric, or null.
export function spread(data, head, metric) {
  const v = head[spreadKey(data)]?.[metric];
  return isNum(v) ? v : null;
}

/// The heads in the view's order: by layer, or by the metric's spread (|value| ↓, value ↓, value ↑).
export function sortedHeads(data, { metric, order }) {
  if (order === 'layer') return data.heads.slice().sort(byLayerAndHead);
  return sortRows(data.heads, (head) => {
    const v = spread(data, head, metric);
    return v !== null && order === 'abs' ? Math.abs(v) : v;
  }, order !== 'asc');
}

/// The heads table as CSV rows: every metric per prompt and its spread, then the aligned attention per group and
/// prompt.
export function compareCSVRows(data, names, heads) {
  const tag = data.kind === 'pair' ? 'diff' : 'var';
  const header = ['layer', 'head'];
  for (const key of data.metrics) {
    data.prompts.forEach((_, i) => header.push(`${key}:${names[i]}`));
    header.push(`${key}:${tag}`);
  }
  data.groups.forEach((g, gi) => data.prompts.forEach((_, i) => header.push(`aligned:${gi + 1}:${g.label}:${names[i]}`)));
  const rows = heads.map((head) => {
    const row = [head.layer, head.head];
    for (const key of data.metrics) {
      data.prompts.forEach((_, i) => row.push(head.values[key]?.[i] ?? ''));
      row.push(spread(data, head, key) ?? '');
    }
    data.groups.forEach((_, gi) => data.prompts.forEach((__, i) => row.push(head.aligned_attention?.[i]?.[gi] ?? '')));
    return row;
  });
  return [header, ...rows];
}
