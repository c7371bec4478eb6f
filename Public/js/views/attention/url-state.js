// The attention view's part of the run page's state and URL (see core/url-state.js): layer=L&attention_head=H|all.
// A parameter the URL leaves out keeps its value. Pure: no DOM.

export const url = {
  defaults(state) {
    state.attentionLayer = 0;
    state.attentionHead = 'all';
  },

  read(params, state) {
    if (params.has('layer')) state.attentionLayer = Number(params.get('layer')) || 0;
    if (params.has('attention_head')) state.attentionHead = params.get('attention_head');
  },

  write(state, params) {
    params.set('layer', String(state.attentionLayer));
    params.set('attention_head', state.attentionHead);
  },
};
