// The anomaly detectors' thresholds (query parameters of GET /api/runs/{id}/anomalies; the defaults are whatever
// the server reports back) and the kinds of anomaly. Pure: no DOM.

export const PARAMETERS = [
  { name: 'high_attention', label: 'High attention >', kind: 'number', min: 0, max: 1, step: 0.05,
    title: 'a weight above this fires high_attention' },
  { name: 'include_first_token', label: 'count the first token', kind: 'bool',
    title: 'attention to the first token (a sink) counts as high attention' },
  { name: 'uniform_threshold', label: 'Uniform ≥', kind: 'number', min: 0, max: 1, step: 0.05,
    title: "a head's mean uniformity at or above this fires uniform_attention" },
  { name: 'uniform_min_row', label: 'from row', kind: 'int', min: 1, max: 65536, step: 1,
    title: 'rows shorter than this are left out of the uniformity mean' },
  { name: 'dead_fraction', label: 'Dead <', kind: 'number', min: 0, max: 1, step: 0.005,
    title: "a head whose output norm stays below this fraction of the layer's mean head output at every position" },
  { name: 'outlier_factor', label: 'Outlier ×', kind: 'number', min: 1, max: 1e9, step: 1,
    title: "a residual value larger than this multiple of its position's median magnitude" },
];

export const TYPES = [
  { type: 'high_attention', title: 'High attention',
    hint: 'a query puts more than the threshold on one key (grouped by key; the strongest hit is named)' },
  { type: 'uniform_attention', title: 'Uniform attention',
    hint: "a head's attention is close to uniform on average" },
  { type: 'dead_head', title: 'Dead heads',
    hint: "a head's output is tiny next to the other heads of its layer at every position" },
  { type: 'outlier_activation', title: 'Outlier activations',
    hint: "a residual-stream dimension far above its position's median magnitude (grouped by dimension)" },
  { type: 'logit_lens_flip', title: 'Logit-lens flips',
    hint: 'the final prediction shows up under the logit lens, is lost, and settles later' },
];

/// Whether a URL or form value is one the parameter takes.
export function acceptsValue(parameter, value) {
  return parameter.kind === 'bool' ? ['true', 'false'].includes(value)
    : Number.isFinite(Number(value)) && value.trim() !== '';
}
