// The Models mode's reading of a POST /api/compare {models} response: the sides' labels and colours, the
// distribution comparison's rows (the mass outside the shared strings always among them), the shared strings'
// bars, the per-layer metric on the relative-depth axis, where the logit lens settles, the pattern classes and
// anomaly counts side by side, and the layer metrics as CSV. Pure: no DOM.
import { isNum } from '../../../core/format.js';
import { CLASSES, METRICS } from '../../../core/head-metrics.js';

export const SIDE_COLORS = ['#2166ac', '#d95f02']; // A blue, B orange (the chart's lines, bars and markers)

/// "A · gemma-3-270m", "B · smollm2-135m".
export function sideLabels(data) {
  return data.models.map((side, i) => `${'AB'[i]} · ${side.model}`);
}

/// The distribution comparison as rows {key, label, title, values: [a, b] | value: x, kind}; kind 'divergence',
/// 'vocabulary' or 'mass' (the mass outside the shared strings is a row of its own, never folded away).
export function distributionRows(d) {
  return [
    { key: 'kl_ab', kind: 'divergence', label: 'KL(A ‖ B)', value: d.kl_ab, title: 'Kullback–Leibler divergence of B from A over the shared strings (nats)' },
    { key: 'kl_ba', kind: 'divergence', label: 'KL(B ‖ A)', value: d.kl_ba, title: 'Kullback–Leibler divergence of A from B over the shared strings (nats)' },
    { key: 'js', kind: 'divergence', label: 'Jensen–Shannon', value: d.js, title: 'Jensen–Shannon divergence over the shared strings (nats)' },
    { key: 'total_variation', kind: 'divergence', label: 'total variation', value: d.total_variation, title: 'half the L1 distance over the shared strings' },
    { key: 'vocabulary_strings', kind: 'vocabulary', label: 'vocabulary strings', values: d.vocabulary_strings, title: 'distinct token strings of each vocabulary' },
    { key: 'shared_strings', kind: 'vocabulary', label: 'shared strings', value: d.shared_strings, title: 'strings both vocabularies have: the divergences are over these' },
    { key: 'shared_mass', kind: 'mass', label: 'mass on shared strings', values: d.shared_mass, title: 'next-token probability on the shared strings, before renormalising' },
    { key: 'mass_outside_shared', kind: 'mass', label: 'mass outside the shared strings', values: d.mass_outside_shared, title: 'next-token probability on strings the other model cannot produce: not in the divergences' },
  ];
}

/// The top shared strings with both probabilities and the largest of them (the bars' full width).
export function sharedStringRows(d) {
  const rows = (d.top || []).map((t) => ({ string: t.string, probability: t.probability }));
  const max = Math.max(1e-12, ...rows.flatMap((r) => r.probability.filter(isNum)));
  return { rows, max };
}

/// Per side the chosen metric's mean per layer on the relative-depth axis: [{side, model, color, points:
/// [{layer, depth, value}]}] (depth = (layer + 1) / L, from the response).
export function depthSeries(data, metric) {
  return data.models.map((side, i) => ({
    side: i, model: side.model, color: SIDE_COLORS[i],
    points: side.layer_metrics.map((m) => ({ layer: m.layer, depth: m.depth, value: isNum(m[metric]) ? m[metric] : null })),
  }));
}

/// Where each side's logit lens settles on its final prediction: [{side, model, color, token, layer, depth, first,
/// stays}] (layer and depth null when it never settles).
export function settleMarkers(data) {
  return data.models.map((side, i) => {
    const lens = side.lens || {};
    const last = lens.top_by_layer?.[lens.top_by_layer.length - 1];
    return { side: i, model: side.model, color: SIDE_COLORS[i], token: last?.display ?? null,
      layer: isNum(lens.settled_layer) ? lens.settled_layer : null, depth: isNum(lens.settled_depth) ? lens.settled_depth : null,
      first: isNum(lens.first_layer) ? lens.first_layer : null, stays: Boolean(lens.stays), layers: side.layers };
  });
}

/// The pattern classes in the server's order, per side its head count and share of the model's heads:
/// [{name, counts: [a, b], shares: [a, b]}], and the largest count (the bars' full width).
export function classRows(data) {
  const rows = CLASSES.map((c) => {
    const counts = data.models.map((side) => side.classes?.[c.name] ?? 0);
    const shares = data.models.map((side, i) => counts[i] / Math.max(1, side.layers * side.heads));
    return { name: c.name, counts, shares };
  });
  return { rows, max: Math.max(1, ...rows.flatMap((r) => r.counts)) };
}

const ANOMALIES = [
  ['high_attention_keys', 'keys with high attention', 'tokens that draw unusually much attention'],
  ['high_attention_hits', 'high-attention hits', '(head, key) pairs above the threshold'],
  ['uniform_heads', 'uniform heads', 'heads spreading attention evenly'],
  ['dead_heads', 'dead heads', 'heads whose output is near zero'],
  ['outlier_activations', 'outlier activations', 'residual entries far from their dimension\'s spread'],
  ['outlier_dimensions', 'outlier dimensions', 'residual dimensions with outliers'],
];

/// The anomaly counts: [{key, label, title, values: [a, b]}].
export function anomalyRows(data) {
  return ANOMALIES.map(([key, label, title]) => ({ key, label, title, values: data.models.map((side) => side.anomalies?.[key] ?? null) }));
}

/// The metric's label (head-metrics.js), or its key.
export function metricLabel(key) {
  return METRICS.find((m) => m.key === key)?.label || key;
}

/// The layer metrics of both models as CSV rows: model, layer, depth, then every metric of the response.
export function layerMetricsCSVRows(data) {
  const header = ['side', 'model', 'layer', 'depth', ...data.metrics];
  const rows = data.models.flatMap((side, i) => side.layer_metrics.map((m) =>
    ['AB'[i], side.model, m.layer, m.depth, ...data.metrics.map((key) => m[key] ?? '')]));
  return [header, ...rows];
}
