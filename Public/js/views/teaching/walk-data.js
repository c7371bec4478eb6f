// The Teaching view's numbers (GET /api/runs/{id}/walk, GET /api/runs/{id}/logits): the per-layer table as CSV,
// the scale of the norm bars, and the rows of the sampling table. Pure: no DOM.
import { samplingSteps } from '../../core/sampling.js';

/// The largest norm of any layer (attention output, FFN output, residual), so the bars of one walk share a scale.
export function normScale(walk) {
  let max = walk.embedding.norm;
  for (const layer of walk.layers) {
    max = Math.max(max, layer.attention_output_norm, layer.ffn_output_norm, layer.residual_norm);
  }
  return max > 0 ? max : 1;
}

/// Where position `token` put its attention in head `h`'s row: the `count` positions with the most weight,
/// descending (ties: the earlier position).
export function strongestKeys(row, count = 3) {
  return row.map((p, k) => ({ k, p })).sort((a, b) => b.p - a.p || a.k - b.k).slice(0, count);
}

/// One CSV row per layer: the norms, the strongest neuron, the lens's top token and its probability.
export function walkCSVRows(walk) {
  const rows = [['layer', 'attention_output_norm', 'ffn_output_norm', 'mid_norm', 'residual_norm', 'top_neuron',
    'top_neuron_activation', 'lens_top_id', 'lens_top', 'lens_top_probability', 'lens_top_previous_rank']];
  rows.push(['embedding', '', '', '', walk.embedding.norm, '', '', walk.embedding.lens[0].id,
    walk.embedding.lens[0].display, walk.embedding.lens[0].probability, '']);
  for (const layer of walk.layers) {
    const top = layer.lens[0];
    rows.push([layer.layer, layer.attention_output_norm, layer.ffn_output_norm, layer.mid_norm, layer.residual_norm,
      layer.neurons[0].index, layer.neurons[0].activation, top.id, top.display, top.probability,
      top.previous_rank ?? '']);
  }
  return rows;
}

/// The rows of the sampling table: the `count` most probable tokens of the plain softmax (and any token a filter
/// keeps beyond them is not shown), each with its probability after every step and whether it is still a
/// candidate. `steps`: samplingSteps(...) of the same logits.
export function samplingRows(steps, count = 12) {
  const kept = new Set(steps.kept);
  const shown = Array.from(steps.order.subarray(0, Math.min(count, steps.order.length)));
  return shown.map((id) => ({
    id,
    logit: steps.penalized[id],
    afterTemperature: steps.afterTemperature[id],
    afterTopK: steps.afterTopK[id],
    afterTopP: steps.afterTopP[id],
    kept: kept.has(id),
  }));
}

/// The sampling steps for the view's settings; `previous`: the prompt's token ids (for the repetition penalty).
export function samplingFor(logits, sampling, previous, order = null) {
  return samplingSteps(logits, { ...sampling, previous }, order);
}
