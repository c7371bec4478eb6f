// The attention view's JSON export: one head's (or the mean's) pattern as rows of weights. Pure: no DOM.

/// {run, layer, head, tokens, pattern: n rows of n weights} of an n×n row-major pattern.
export function attentionJSON(runId, layer, head, tokens, pattern) {
  const n = tokens.length;
  const rows = Array.from({ length: n }, (_, q) => Array.from(pattern.subarray(q * n, (q + 1) * n)));
  return { run: runId, layer, head, tokens: tokens.map((t) => t.display), pattern: rows };
}
