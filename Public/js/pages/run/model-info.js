// The model facts of the sidebar (#model-info) as label/value rows. Pure: no DOM.

/// [label, value] rows of a model of GET /api/models (or of a run); a model not loaded yet says so.
export function modelFacts(model) {
  const rows = model.layers ? [
    ['architecture', model.architecture], ['parameters', model.parameters.toLocaleString()],
    ['layers', model.layers], ['heads', model.kv_heads !== model.heads ? `${model.heads} (${model.kv_heads} KV)` : model.heads],
    ['d_model', model.d_model], ['vocabulary', model.vocab_size.toLocaleString()], ['context', model.context_length.toLocaleString()],
  ] : [['status', 'loaded on first run']];
  if (model.license) rows.push(['license', model.license]);
  return rows;
}

/// "12 / 4096 bytes" (or "12 bytes" without a limit) and whether the limit is passed.
export function promptLimit(bytes, maxBytes) {
  return { text: maxBytes ? `${bytes} / ${maxBytes} bytes` : `${bytes} bytes`, over: maxBytes !== null && bytes > maxBytes };
}
