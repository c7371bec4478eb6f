// The layer-flow view's part of the run page's state and URL (see core/url-state.js): position=N|mean (none: the
// last token). Pure: no DOM.

export const url = {
  defaults(state) {
    state.flowPosition = null; // null: the last token; 'mean': the mean over positions
  },

  read(params, state) {
    url.defaults(state);
    const position = params.get('position');
    if (position === 'mean') state.flowPosition = 'mean';
    else if (position !== null && /^\d+$/.test(position)) state.flowPosition = Number(position);
  },

  write(state, params) {
    if (state.flowPosition !== null) params.set('position', String(state.flowPosition));
  },

  newRun(state) {
    if (state.flowPosition !== 'mean') state.flowPosition = null; // a position of the previous prompt
  },
};
