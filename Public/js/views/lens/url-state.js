// The logit-lens view's part of the run page's state and URL (see core/url-state.js): point=pre|mid|post and
// cell=L,T, a highlighted cell (from an anomaly). Pure: no DOM.

const POINTS = ['pre', 'mid', 'post'];

export const url = {
  defaults(state) {
    state.lensPoint = 'post';
    state.lensCell = null; // null | {layer, token}
  },

  read(params, state) {
    if (POINTS.includes(params.get('point'))) state.lensPoint = params.get('point');
    const cell = /^(\d+),(\d+)$/.exec(params.get('cell') || '');
    state.lensCell = cell ? { layer: Number(cell[1]), token: Number(cell[2]) } : null;
  },

  write(state, params) {
    params.set('point', state.lensPoint);
    if (state.lensCell) params.set('cell', `${state.lensCell.layer},${state.lensCell.token}`);
  },

  newRun(state) {
    state.lensCell = null;
  },
};
