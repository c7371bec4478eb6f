// The Models mode of the Compare page: its form (two configured models, one text, top-k), the body of
// POST /api/compare it makes, and the URL that restores it:
//   /?page=compare&subject=models&a=MODEL&b=MODEL&text=…[&k=10][&metric=entropy][&run=1]
// (run=1 once compared: a reload compares again). Pure: no DOM.
import { METRICS } from '../../../core/head-metrics.js';

export const MODEL_DEFAULTS = { text: 'The capital of France is', topK: 10, metric: 'entropy' };
export const TOP_K_RANGE = [1, 50];

/// Models A and B before the user chose: the wanted ones where configured, else the server's default for A and the
/// first other model for B (the same one when there is only one).
export function defaultPair(names, serverDefault, wanted = {}) {
  const a = names.includes(wanted.a) ? wanted.a : names.includes(serverDefault) ? serverDefault : names[0] || '';
  const b = names.includes(wanted.b) ? wanted.b : names.find((n) => n !== a) || a;
  return [a, b];
}

function topKOf(value) {
  const k = Number(value);
  return Number.isInteger(k) && k >= TOP_K_RANGE[0] && k <= TOP_K_RANGE[1] ? k : MODEL_DEFAULTS.topK;
}

/// The request body of a form {a, b, text, topK}: exactly the keys the model comparison takes.
export function modelsRequestBody(form) {
  return { models: [form.a, form.b], prompt: form.text, top_k: topKOf(form.topK) };
}

/// The URL parameters of the form, the view ({metric}) and whether it was compared.
export function encodeModelsURL(form, view, ran) {
  const params = new URLSearchParams({ page: 'compare', subject: 'models' });
  if (form.a) params.set('a', form.a);
  if (form.b) params.set('b', form.b);
  params.set('text', form.text);
  if (topKOf(form.topK) !== MODEL_DEFAULTS.topK) params.set('k', String(topKOf(form.topK)));
  if (view.metric !== MODEL_DEFAULTS.metric) params.set('metric', view.metric);
  if (ran) params.set('run', '1');
  return params;
}

/// {form: {a, b (null when the URL names none), text, topK}, view: {metric}, ran} of a URL's query.
export function decodeModelsURL(query) {
  const params = new URLSearchParams(query);
  const metric = params.get('metric');
  return {
    form: { a: params.get('a'), b: params.get('b'), text: params.has('text') ? params.get('text') : MODEL_DEFAULTS.text,
      topK: topKOf(params.get('k') ?? MODEL_DEFAULTS.topK) },
    view: { metric: METRICS.some((m) => m.key === metric) ? metric : MODEL_DEFAULTS.metric },
    ran: params.get('run') === '1',
  };
}
