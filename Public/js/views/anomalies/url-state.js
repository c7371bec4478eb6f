// The anomalies view's part of the run page's state and URL (see core/url-state.js): the thresholds set by hand,
// by their API names. Pure: no DOM.
import { PARAMETERS, acceptsValue } from './parameters.js';

export const url = {
  defaults(state) {
    state.anomalyParams = {};
  },

  read(params, state) {
    url.defaults(state);
    for (const p of PARAMETERS) {
      const value = params.get(p.name);
      if (value !== null && acceptsValue(p, value)) state.anomalyParams[p.name] = value;
    }
  },

  write(state, params) {
    for (const p of PARAMETERS) if (state.anomalyParams[p.name] !== undefined) params.set(p.name, state.anomalyParams[p.name]);
  },
};
