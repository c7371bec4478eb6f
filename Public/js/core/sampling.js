// How sampling reshapes a next-token distribution (docs/analyses.md §8), step by step, for the Teaching view's
// sliders and the Generate page: the repetition penalty (a logit z of a token already in the text becomes z / r
// if z > 0, else z · r), the temperature (softmax(z / T)), top-k (the k most probable tokens, ties: lower id
// first; 0 keeps all) and top-p (the smallest set, most probable first, whose probability adds up to at least p;
// 1 keeps all), each renormalised. Float64 over the whole vocabulary, as the server samples. Pure: no DOM.
// Tests/Web/sampling.test.mjs checks it against tools/references/make_sampling_fixtures.py.

/// Token ids by decreasing logit, ties by lower id: the order of every step's probabilities (the temperature
/// keeps it), so one sort serves every slider position. Reused while `logits` and the penalty stay the same.
export function rankOrder(logits) {
  const ids = new Uint32Array(logits.length);
  for (let i = 0; i < ids.length; i++) ids[i] = i;
  return ids.sort((a, b) => (logits[b] - logits[a]) || (a - b));
}

/// The logits after the repetition penalty `r` for the tokens in `previous` (r = 1: unchanged).
export function penalize(logits, previous, r) {
  const z = Float64Array.from(logits);
  if (r !== 1) {
    for (const id of new Set(previous)) {
      if (id >= 0 && id < z.length) z[id] = z[id] > 0 ? z[id] / r : z[id] * r;
    }
  }
  return z;
}

/// softmax(z / T) in float64.
export function softmax(z, temperature = 1) {
  let max = -Infinity;
  for (const x of z) if (x / temperature > max) max = x / temperature;
  const p = new Float64Array(z.length);
  let total = 0;
  for (let i = 0; i < z.length; i++) {
    p[i] = Math.exp(z[i] / temperature - max);
    total += p[i];
  }
  for (let i = 0; i < p.length; i++) p[i] /= total;
  return p;
}

/// The ids `probabilities` keeps after top-k (`order`: rankOrder of the same logits).
function keepTopK(order, k) {
  return k > 0 && k < order.length ? order.subarray(0, k) : order;
}

/// The smallest prefix of `kept` (most probable first) whose probability adds up to at least p.
function keepTopP(kept, probabilities, p) {
  if (p >= 1) return kept;
  let total = 0;
  for (let i = 0; i < kept.length; i++) {
    total += probabilities[kept[i]];
    if (total >= p) return kept.subarray(0, i + 1);
  }
  return kept;
}

/// `probabilities` restricted to `kept` and renormalised (0 elsewhere).
function restrict(probabilities, kept) {
  const out = new Float64Array(probabilities.length);
  let total = 0;
  for (const id of kept) total += probabilities[id];
  for (const id of kept) out[id] = probabilities[id] / total;
  return out;
}

/// Every step of the sampling filters for `logits` (a Float32Array or array over the vocabulary):
/// {penalized, afterTemperature, afterTopK, afterTopP (Float64Arrays over the vocabulary), kept (ids most
/// probable first), keptAfterTopK}. `order` may be passed in when the penalized logits are unchanged.
export function samplingSteps(logits, { temperature = 1, topK = 0, topP = 1, repetitionPenalty = 1, previous = [] } = {},
  order = null) {
  if (!(temperature > 0)) throw new RangeError(`the temperature must be above 0, got ${temperature}`);
  if (!(topP > 0 && topP <= 1)) throw new RangeError(`top-p must be in (0, 1], got ${topP}`);
  if (!(Number.isInteger(topK) && topK >= 0)) throw new RangeError(`top-k must be 0 or more, got ${topK}`);
  const penalized = penalize(logits, previous, repetitionPenalty);
  const ranked = order ?? rankOrder(penalized);
  const afterTemperature = softmax(penalized, temperature);
  const keptAfterTopK = keepTopK(ranked, topK);
  const afterTopK = keptAfterTopK === ranked ? afterTemperature : restrict(afterTemperature, keptAfterTopK);
  const kept = keepTopP(keptAfterTopK, afterTopK, topP);
  const afterTopP = kept === keptAfterTopK ? afterTopK : restrict(afterTopK, kept);
  return { penalized, order: ranked, afterTemperature, afterTopK, afterTopP, kept, keptAfterTopK };
}
