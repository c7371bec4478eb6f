// The rollout view's part of the run page's state and URL (see core/url-state.js): row=R (a position; none: the
// last token) and heads=0,2 (none: all heads). Pure: no DOM.

export const url = {
  defaults(state) {
    state.rolloutRow = null;
    state.rolloutHeads = 'all';
  },

  read(params, state) {
    url.defaults(state);
    const row = params.get('row');
    if (row !== null && /^\d+$/.test(row)) state.rolloutRow = Number(row);
    const heads = params.get('heads');
    if (heads !== null && (heads === 'all' || /^\d+(,\d+)*$/.test(heads))) state.rolloutHeads = heads;
  },

  write(state, params) {
    if (state.rolloutRow !== null) params.set('row', String(state.rolloutRow));
    if (state.rolloutHeads !== 'all') params.set('heads', state.rolloutHeads);
  },

  newRun(state) {
    state.rolloutRow = null; // a position of the previous prompt
  },
};
