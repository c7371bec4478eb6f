// The graph's part of the run page's state and URL (see core/url-state.js): threshold, renormalize, start token,
// selected node or edge and the chosen head of an edge, shared by every view (the sidebar shows them). A parameter
// the URL leaves out keeps its value. Pure: no DOM.
import { parseNode } from '../../core/node-names.js';

function selectionText(select) {
  if (!select) return null;
  if (select.node) return select.node;
  return `edge:${select.edge.source}>${select.edge.target}`;
}

function parseSelection(text) {
  if (text && text.startsWith('edge:')) {
    const [source, target] = text.slice(5).split('>');
    return parseNode(source) && parseNode(target) ? { edge: { source, target } } : null;
  }
  return text && parseNode(text) ? { node: text } : null;
}

export const url = {
  shared: true,

  defaults(state) {
    state.threshold = 0.04;
    state.renormalize = true;
    state.start = null; // a token index or 'all'
    state.select = null; // null | {node} | {edge: {source, target}}
    state.head = 'all';
  },

  read(params, state) {
    const threshold = Number(params.get('threshold'));
    if (params.has('threshold') && threshold >= 0.01 && threshold <= 0.1) state.threshold = Math.round(threshold * 100) / 100;
    if (params.has('renormalize')) state.renormalize = params.get('renormalize') !== '0';
    if (params.has('start')) state.start = params.get('start') === 'all' ? 'all' : Number(params.get('start'));
    const select = parseSelection(params.get('select'));
    if (select) state.select = select;
    if (params.has('head')) state.head = params.get('head');
  },

  write(state, params) {
    params.set('threshold', state.threshold.toFixed(2));
    params.set('renormalize', state.renormalize ? '1' : '0');
    params.set('start', String(state.start));
    const selection = selectionText(state.select);
    if (selection) params.set('select', selection);
    if (state.head !== 'all') params.set('head', state.head);
  },

  newRun(state, run) {
    state.start = run.tokens.length - 1;
    state.select = null;
    state.head = 'all';
  },
};
