// Pure helpers of the graph view over the GET /graph response: the JSON export, the caption, the edges of a pair.

/// The JSON export: the run, the view's state, and the graph with the indices of the shown edges.
export function graphJSON(state, graph) {
  const shown = state.start === 'all' ? [...new Set(graph.paths.flat())].sort((a, b) => a - b) : graph.paths[state.start];
  return { run: state.run, view: { ...state, run: undefined }, graph: { ...graph, shown_edges: shown } };
}

/// "12 edges on the paths to token 26 · 40 in the graph · threshold 0.04, renormalised"; a long graph whose window
/// {drawn, inView, cutoff} left edges out adds "· in view: the 2500 heaviest of 9120 (≥ 0.213), zoom in for more".
export function graphCaption(shownEdges, start, graph, window = null) {
  const target = start === 'all' ? 'all tokens' : `token ${start}`;
  const lod = window && window.cutoff > 0
    ? ` · in view: the ${window.drawn} heaviest of ${window.inView} (≥ ${window.cutoff.toFixed(3)}), zoom in for more` : '';
  return `${shownEdges} edges on the paths to ${target} · ${graph.edges.length} in the graph · ` +
    `threshold ${graph.threshold.toFixed(2)}${graph.renormalize ? ', renormalised' : ''}${lod}`;
}

/// The graph's edges from `source` to `target`, each with its index.
export function edgesBetween(graph, source, target) {
  return graph.edges.map((e, index) => ({ ...e, index })).filter((e) => e.source === source && e.target === target);
}
