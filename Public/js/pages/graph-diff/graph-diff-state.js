// The graph diff's state and URL: /?page=graph-diff&a=RUN&b=RUN&threshold=0.04[&renormalize=0][&top=20]
// [&edge=SOURCE>TARGET:KIND] (the highlighted edge). Pure: no DOM.
import { parseNode } from '../../core/node-names.js';

export const DIFF_DEFAULTS = { threshold: 0.04, renormalize: true, top: 20 };
export const THRESHOLD_RANGE = [0.01, 0.2];
export const TOP_CHOICES = [10, 20, 50, 100];
const RUN_ID = /^[0-9a-f]{64}$/;

/// An edge's key in the URL and the page: "X0_2>A0_2:attention".
export function edgeKey(edge) {
  return `${edge.source}>${edge.target}:${edge.kind}`;
}

function parseEdgeKey(text) {
  const match = /^([^>]+)>([^:]+):(\w+)$/.exec(text || '');
  return match && parseNode(match[1]) && parseNode(match[2]) ? text : null;
}

/// {a, b (run ids or null), threshold, renormalize, top, edge (a key or null)} of a URL's query.
export function decodeGraphDiffURL(query) {
  const params = new URLSearchParams(query);
  const id = (name) => (RUN_ID.test(params.get(name) || '') ? params.get(name) : null);
  const threshold = Number(params.get('threshold'));
  const top = Number(params.get('top'));
  return {
    a: id('a'), b: id('b'),
    threshold: params.has('threshold') && threshold >= THRESHOLD_RANGE[0] && threshold <= THRESHOLD_RANGE[1]
      ? Math.round(threshold * 100) / 100 : DIFF_DEFAULTS.threshold,
    renormalize: params.has('renormalize') ? params.get('renormalize') !== '0' : DIFF_DEFAULTS.renormalize,
    top: TOP_CHOICES.includes(top) ? top : DIFF_DEFAULTS.top,
    edge: parseEdgeKey(params.get('edge')),
  };
}

/// The URL (path and query) of a state.
export function graphDiffURL(state) {
  const params = new URLSearchParams({ page: 'graph-diff' });
  if (state.a) params.set('a', state.a);
  if (state.b) params.set('b', state.b);
  params.set('threshold', (state.threshold ?? DIFF_DEFAULTS.threshold).toFixed(2));
  if (state.renormalize === false) params.set('renormalize', '0');
  if (state.top && state.top !== DIFF_DEFAULTS.top) params.set('top', String(state.top));
  if (state.edge) params.set('edge', state.edge);
  return `/?${params}`;
}

/// The query of GET /api/graph-diff for a state.
export function diffQuery(state) {
  return { a: state.a, b: state.b, threshold: state.threshold.toFixed(2), renormalize: String(state.renormalize),
    top: String(state.top) };
}
