// The ablation view's part of the run page's state and URL (see core/url-state.js): measure=1 once measured (the
// measurement is slow: it runs only when asked). Pure: no DOM.

export const url = {
  defaults(state) {
    state.ablate = false;
  },

  read(params, state) {
    state.ablate = params.get('measure') === '1';
  },

  write(state, params) {
    if (state.ablate) params.set('measure', '1');
  },

  newRun(state) {
    state.ablate = false; // measured again only when asked
  },
};
