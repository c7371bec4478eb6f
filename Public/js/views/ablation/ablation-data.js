// The ablation view's numbers (GET /api/runs/{id}/ablation): the probability ratio of a Δ log p, the CSV. Pure.
import { isNum } from '../../core/format.js';

/// "p × 0.42": the factor a change of log-probability multiplies the probability by.
export function ratioText(delta) {
  if (!isNum(delta)) return '';
  const r = Math.exp(delta);
  return `p × ${r >= 10 ? r.toFixed(0) : r >= 0.01 ? r.toFixed(2) : r.toExponential(1)}`;
}

/// The CSV rows: every head, then every layer, with Δ log p and the top token then.
export function ablationCSVRows(data) {
  const row = (kind, e, head) => [kind, e.layer, head, e.delta_log_probability, e.top?.id ?? '', e.top?.display ?? ''];
  return [['kind', 'layer', 'head', 'delta_log_probability', 'top_id', 'top'],
    ...data.heads.map((e) => row('head', e, e.head)), ...data.layers.map((e) => row('layer', e, ''))];
}
