// The metrics view's part of the run page's state and URL (see core/url-state.js): clusters=K, sort=column,
// order=asc|desc. Pure: no DOM.
import { COLUMNS, DEFAULT_K, MAX_K } from './columns.js';

export const url = {
  defaults(state) {
    state.clusters = DEFAULT_K;
    state.sort = null;
    state.order = 'desc';
  },

  read(params, state) {
    url.defaults(state);
    const k = Number(params.get('clusters'));
    if (Number.isInteger(k) && k >= 1 && k <= MAX_K) state.clusters = k;
    if (COLUMNS.some((c) => c.key === params.get('sort'))) state.sort = params.get('sort');
    if (['asc', 'desc'].includes(params.get('order'))) state.order = params.get('order');
  },

  write(state, params) {
    params.set('clusters', String(state.clusters));
    if (state.sort) {
      params.set('sort', state.sort);
      params.set('order', state.order);
    }
  },
};
