// The Compare page's state: the form (a pair, templates or a labelled set; targets; model), the request body of
// POST /api/compare it makes, and the URL that restores the page:
//   /?page=compare&mode=pair&a=…&b=…&targets=…&model=… (templates: t=…&t=…&slot=…; set: p=…&l=…, one pair per
//   prompt), then the view: metric, order (abs|desc|asc|layer), all=1 (every metric's per-prompt values), head=L,H,
//   and run=1 once compared (the comparison is made again on reload). Pure: no DOM.
import { METRICS } from '../../core/head-metrics.js';

export const MODES = [
  { name: 'pair', label: 'Pair', hint: 'Two prompts; the heads table shows the difference B − A.' },
  { name: 'templates', label: 'Templates', hint: 'Several templates, each with one {}; the slot text goes in every {} and is aligned.' },
  { name: 'set', label: 'Set', hint: 'Several prompts with optional labels (e.g. languages); the heads table shows the variance.' },
];
export const ORDERS = ['abs', 'desc', 'asc', 'layer'];
export const DEFAULTS = {
  mode: 'pair',
  a: 'The [[doctor]] said that',
  b: 'The [[nurse]] said that',
  templates: ['The {} said that', 'Yesterday the {} told me that', 'When the {} came in, everyone knew that'],
  slot: 'doctor',
  set: [
    { label: 'en', prompt: 'The [[doctor]] said that' },
    { label: 'fr', prompt: 'Le [[médecin]] a dit que' },
    { label: 'de', prompt: 'Der [[Arzt]] sagte, dass' },
  ],
  targets: ' he\n she',
  metric: 'entropy',
  order: 'abs',
};

/// Target texts from the targets box: one per line when there is more than one line (a target may then hold a
/// comma), else comma-separated. Leading and trailing spaces are kept: " he" is not "he". Empty items are dropped.
export function parseTargets(text) {
  const value = String(text).replace(/\r/g, '');
  const items = value.includes('\n') ? value.split('\n') : value.split(',');
  return items.filter((item) => item.length > 0);
}

/// The request body of a form state ({mode, model, targets, a, b | templates, slot | set: [{label, prompt}]}).
export function requestBody(form) {
  const body = { model: form.model, kind: form.mode };
  if (form.mode === 'pair') body.prompts = [form.a, form.b];
  else if (form.mode === 'templates') {
    body.templates = form.templates.filter((t) => t.trim().length > 0); // blank rows are left out
    body.slot = form.slot;
  } else {
    const rows = form.set.filter((r) => r.prompt.length > 0 || r.label.trim().length > 0);
    body.prompts = rows.map((r) => r.prompt);
    if (rows.some((r) => r.label.trim())) body.labels = rows.map((r, i) => r.label.trim() || `prompt ${i + 1}`);
  }
  const targets = parseTargets(form.targets);
  if (targets.length) body.targets = targets;
  if (!body.model) delete body.model;
  return body;
}

/// The URL parameters of the form, the results' view ({metric, order, all, head: {layer, head} | null}) and
/// whether it was compared.
export function encodeCompareURL(form, view, ran) {
  const params = new URLSearchParams({ page: 'compare', mode: form.mode });
  if (form.model) params.set('model', form.model);
  if (form.mode === 'pair') {
    params.set('a', form.a);
    params.set('b', form.b);
  } else if (form.mode === 'templates') {
    for (const t of form.templates) params.append('t', t);
    params.set('slot', form.slot);
  } else {
    for (const row of form.set) {
      params.append('p', row.prompt);
      params.append('l', row.label);
    }
  }
  params.set('targets', form.targets);
  if (view.metric !== DEFAULTS.metric) params.set('metric', view.metric);
  if (view.order !== DEFAULTS.order) params.set('order', view.order);
  if (view.all) params.set('all', '1');
  if (view.head) params.set('head', `${view.head.layer},${view.head.head}`);
  if (ran) params.set('run', '1');
  return params;
}

/// {form (every mode's fields, the defaults where the URL says nothing), view, ran} of a URL's query.
export function decodeCompareURL(query) {
  const params = new URLSearchParams(query);
  const mode = MODES.some((m) => m.name === params.get('mode')) ? params.get('mode') : DEFAULTS.mode;
  const value = (name) => (params.has(name) ? params.get(name) : DEFAULTS[name]);
  const templates = params.getAll('t');
  const prompts = params.getAll('p'), labels = params.getAll('l');
  const head = /^(\d+),(\d+)$/.exec(params.get('head') || '');
  return {
    form: {
      mode, model: params.get('model'), a: value('a'), b: value('b'), slot: value('slot'), targets: value('targets'),
      templates: mode === 'templates' && templates.length ? templates : DEFAULTS.templates.slice(),
      set: mode === 'set' && prompts.length ? prompts.map((p, i) => ({ prompt: p, label: labels[i] ?? '' }))
        : DEFAULTS.set.map((row) => ({ ...row })),
    },
    view: {
      metric: METRICS.some((m) => m.key === params.get('metric')) ? params.get('metric') : DEFAULTS.metric,
      order: ORDERS.includes(params.get('order')) ? params.get('order') : DEFAULTS.order,
      all: params.get('all') === '1',
      head: head ? { layer: Number(head[1]), head: Number(head[2]) } : null,
    },
    ran: params.get('run') === '1',
  };
}
