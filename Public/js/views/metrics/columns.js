// The metrics view's heads table: its columns and its order. Pure: no DOM.
import { isNum } from '../../core/format.js';
import { CLASSES, METRICS } from '../../core/head-metrics.js';

export const MAX_K = 12;
export const DEFAULT_K = 5;

/// Key in the response, header, what it means, kind (int | class; none: a metric).
export const COLUMNS = [
  { key: 'layer', label: 'layer', title: 'layer', kind: 'int' },
  { key: 'head', label: 'head', title: 'head', kind: 'int' },
  { key: 'class', label: 'class', title: 'pattern class (the first test that passes)', kind: 'class' },
  { key: 'cluster', label: 'cluster', title: 'k-means cluster of the metric means', kind: 'int' },
  ...METRICS,
  { key: 'vertical_key', label: 'vertical key', title: 'the key that gets it', kind: 'int' },
];

/// Columns first sorted ascending (the others, metrics, the largest first).
const ASCENDING_FIRST = new Set(['layer', 'head', 'class', 'cluster', 'vertical_key']);
const CLASS_ORDER = new Map(CLASSES.map((c, i) => [c.name, i]));

export function firstOrder(key) {
  return ASCENDING_FIRST.has(key) ? 'asc' : 'desc';
}

/// The value a head sorts by in a column: a number, or null when missing (missing values sort last).
export function sortValue(head, key) {
  if (key === 'class') return CLASS_ORDER.has(head.class) ? CLASS_ORDER.get(head.class) : CLASSES.length;
  const v = head[key];
  return isNum(v) ? v : null;
}

/// The rows of the heads CSV: the column keys, then one row per head in the given order.
export function metricsCSVRows(heads) {
  return [COLUMNS.map((c) => c.key), ...heads.map((head) => COLUMNS.map((c) => head[c.key] ?? ''))];
}
