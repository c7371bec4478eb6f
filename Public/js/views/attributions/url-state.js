// The attributions view's part of the run page's state and URL (see core/url-state.js). The API's parameters under
// their API names: method (the one colouring the tokens), target=top|id|text, contrast, objective=logit|logprob,
// target_position=N (the flow view has `position`; none: the last token), baseline=zero|pad|unk|id, steps=M,
// norm=l2|l1; the view's own: flow_point=pre|mid|post|stacked (the gradient-flow map), map_layer=N (the attention ×
// gradient map; none: the sum over layers), attr_sort=position|method, attr_order=asc|desc (the table). Defaults are
// left out. Pure: no DOM.
import { FLOW_POINTS, METHOD_KEYS, NAMED_BASELINES, NORMS, OBJECTIVES, STEPS, validSteps } from './methods.js';

const DEFAULTS = {
  attrMethod: 'ig', attrTarget: 'top', attrContrast: null, attrObjective: 'logit', attrPosition: null,
  attrBaseline: 'zero', attrSteps: STEPS.default, attrNorm: 'l2', attrFlowPoint: 'pre', attrLayer: 'sum',
  attrSort: null, attrOrder: 'desc',
};
const SORTS = ['position', ...METHOD_KEYS];
const INDEX = /^\d+$/;

export const url = {
  defaults(state) {
    Object.assign(state, DEFAULTS);
  },

  read(params, state) {
    url.defaults(state);
    const get = (name) => params.get(name);
    if (METHOD_KEYS.includes(get('method'))) state.attrMethod = get('method');
    if (get('target')) state.attrTarget = get('target');
    if (get('contrast') && get('contrast') !== 'top') state.attrContrast = get('contrast');
    if (OBJECTIVES.includes(get('objective'))) state.attrObjective = get('objective');
    if (INDEX.test(get('target_position') || '')) state.attrPosition = Number(get('target_position'));
    const baseline = get('baseline');
    if (NAMED_BASELINES.includes(baseline) || INDEX.test(baseline || '')) state.attrBaseline = baseline;
    if (validSteps(get('steps'))) state.attrSteps = Number(get('steps'));
    if (NORMS.includes(get('norm'))) state.attrNorm = get('norm');
    if (FLOW_POINTS.includes(get('flow_point'))) state.attrFlowPoint = get('flow_point');
    if (INDEX.test(get('map_layer') || '')) state.attrLayer = Number(get('map_layer'));
    if (SORTS.includes(get('attr_sort'))) state.attrSort = get('attr_sort');
    if (['asc', 'desc'].includes(get('attr_order'))) state.attrOrder = get('attr_order');
  },

  write(state, params) {
    params.set('method', state.attrMethod);
    const optional = [['target', state.attrTarget, 'top'], ['contrast', state.attrContrast, null],
      ['objective', state.attrObjective, 'logit'], ['target_position', state.attrPosition, null],
      ['baseline', state.attrBaseline, 'zero'], ['steps', state.attrSteps, STEPS.default], ['norm', state.attrNorm, 'l2'],
      ['flow_point', state.attrFlowPoint, 'pre'], ['map_layer', state.attrLayer, 'sum']];
    for (const [name, value, unset] of optional) if (value !== unset && value !== '') params.set(name, String(value));
    if (state.attrSort) {
      params.set('attr_sort', state.attrSort);
      params.set('attr_order', state.attrOrder);
    }
  },

  newRun(state) {
    // the target and its position belonged to the previous prompt's predictions
    state.attrTarget = 'top';
    state.attrContrast = null;
    state.attrPosition = null;
  },
};
