// The Generate page's settings, their URL (/?page=generate&model=…&prompt=…&max_new_tokens=…&temperature=…&top_k=…
// &top_p=…&penalty=…&seed=…&greedy=1&attribution=…) and the body of POST /api/generate; what one step's candidates
// show; the attribution matrix's methods, shading and CSV. Pure: no DOM.

export const GENERATE_DEFAULTS = Object.freeze({
  model: null, prompt: 'Once upon a time', maxNewTokens: 24, greedy: false, temperature: 0.8, topK: 40, topP: 0.95,
  repetitionPenalty: 1, seed: 7, attribution: 'contribution-share',
});

/// The methods of GET /api/runs/{id}/generation-attribution, with what the page says of each.
export const ATTRIBUTION_METHODS = Object.freeze([
  ['contribution-share', 'contribution share (the graph)'],
  ['saliency', 'saliency'],
  ['gradxinput', 'gradient × input'],
  ['ig', 'integrated gradients'],
  ['occlusion', 'occlusion'],
  ['attention-gradient', 'attention × gradient'],
]);

const NUMBERS = [
  ['maxNewTokens', 'max_new_tokens', (v) => Number.isInteger(v) && v >= 1 && v <= 256],
  ['temperature', 'temperature', (v) => v > 0 && v <= 10],
  ['topK', 'top_k', (v) => Number.isInteger(v) && v >= 0],
  ['topP', 'top_p', (v) => v > 0 && v <= 1],
  ['repetitionPenalty', 'penalty', (v) => v > 0 && v <= 10],
  ['seed', 'seed', (v) => Number.isInteger(v) && v >= 0],
];

export function decodeGenerateURL(query) {
  const params = new URLSearchParams(query);
  const state = { ...GENERATE_DEFAULTS };
  if (params.get('model')) state.model = params.get('model');
  if (params.get('prompt') !== null) state.prompt = params.get('prompt');
  state.greedy = params.get('greedy') === '1';
  const method = params.get('attribution');
  if (ATTRIBUTION_METHODS.some(([name]) => name === method)) state.attribution = method;
  for (const [key, name, ok] of NUMBERS) {
    const text = params.get(name);
    if (text !== null && /^\d+(\.\d+)?$/.test(text) && ok(Number(text))) state[key] = Number(text);
  }
  return state;
}

export function encodeGenerateURL(state) {
  const params = new URLSearchParams({ page: 'generate' });
  if (state.model) params.set('model', state.model);
  if (state.prompt !== GENERATE_DEFAULTS.prompt) params.set('prompt', state.prompt);
  if (state.greedy) params.set('greedy', '1');
  if (state.attribution !== GENERATE_DEFAULTS.attribution) params.set('attribution', state.attribution);
  for (const [key, name] of NUMBERS) if (state[key] !== GENERATE_DEFAULTS[key]) params.set(name, String(state[key]));
  return params;
}

/// The JSON body of POST /api/generate for the settings.
export function generateBody(state) {
  const body = { prompt: state.prompt, max_new_tokens: state.maxNewTokens, seed: state.seed };
  if (state.model) body.model = state.model;
  if (state.greedy) body.greedy = true;
  else Object.assign(body, { temperature: state.temperature, top_k: state.topK, top_p: state.topP });
  if (state.repetitionPenalty !== 1) body.repetition_penalty = state.repetitionPenalty;
  return body;
}

/// What a token's panel says of its draw: the candidates by the model's probability, each with the probability it
/// was drawn with after the filters (0: filtered out), the chosen one, and where the uniform draw fell.
export function stepSummary(token) {
  const chosen = token.candidates.find((c) => c.chosen);
  const kept = token.candidates.filter((c) => c.sampled_probability > 0).length;
  return {
    chosen,
    kept,
    greedy: token.uniform === null,
    text: token.uniform === null
      ? 'greedy: the most probable token, no draw'
      : `draw u = ${token.uniform.toFixed(4)}: the first candidate whose cumulative probability after the filters passes it`,
  };
}

/// The attribution matrix (GET /api/runs/{id}/generation-attribution) as CSV rows: one per generated token, one
/// column per source position.
export function attributionCSVRows(answer) {
  const sources = answer.tokens.slice(0, answer.tokens.length - 1);
  const rows = [['generated_position', 'generated_token', ...sources.map((t, i) => `${i}:${t}`)]];
  answer.generated.forEach((g, r) => rows.push([g.position, g.display, ...answer.scores[r]]));
  return rows;
}

/// Each cell's shade: contribution shares (each row sums to 1) as √share in [0, 1]; other unsigned scores as
/// √(score / the row's largest); signed scores as score / the row's largest |score| in [-1, 1] (a diverging scale).
/// Rows are normalised on their own: gradient scores of different targets are not on one scale.
export function attributionLevels(answer) {
  return answer.scores.map((row) => {
    if (answer.method === 'contribution-share') return row.map((v) => Math.sqrt(Math.max(0, v)));
    const largest = Math.max(0, ...row.map((v) => Math.abs(v)));
    if (largest === 0) return row.map(() => 0);
    return answer.signed ? row.map((v) => v / largest) : row.map((v) => Math.sqrt(Math.max(0, v) / largest));
  });
}

/// How long a token line took to reach the page, in ms: its arrival (`arrivedAt`, ms since 1970 on this machine's
/// clock: performance.timeOrigin + performance.now()) less `line.sent_at` (s since 1970 on the server's clock). Only
/// meaningful when the two clocks agree (the same machine, or synchronised ones); never below 0 (the browser rounds
/// its clock).
export function deliveryMilliseconds(line, arrivedAt) {
  return Math.max(0, arrivedAt - 1000 * line.sent_at);
}

/// The largest and the median delivery time of the tokens (null when there are none).
export function deliveryStats(tokens) {
  const times = tokens.map((t) => t.delivery_ms).filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!times.length) return null;
  const middle = times.length >> 1;
  const median = times.length % 2 ? times[middle] : (times[middle - 1] + times[middle]) / 2;
  return { max: times[times.length - 1], median };
}
