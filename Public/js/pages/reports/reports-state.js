// The Reports page's state: the form (model, prompts, ablation, clusters K), the POST /api/reports body it makes,
// and the URL /?page=reports&report=<id> (with model, ablation=0 and clusters=K when not the defaults) that resumes
// the page. Pure: no DOM.
import { nonBlankLines } from '../../core/format.js';

export const DEFAULT_K = 5;
export const DEFAULT_PROMPTS = [
  'The capital of France is',
  'When Mary and John went to the store, John gave a drink to',
  'Once upon a time, in a small village by the sea, there lived a',
  'for (int i = 0; i < n; i++) {',
  'The doctor told the nurse that she',
];

export { nonBlankLines }; // one prompt per line (core/format.js)

/// The request body of a form {model, prompts (the textarea's text), ablation, clusters}.
export function reportBody(form) {
  const body = { prompts: nonBlankLines(form.prompts), options: { ablation: form.ablation, clusters: form.clusters } };
  if (form.model) body.model = form.model;
  return body;
}

/// The URL parameters of a job id and a form.
export function encodeReportsURL(jobId, form) {
  const params = new URLSearchParams({ page: 'reports' });
  if (jobId) params.set('report', jobId);
  if (form.model) params.set('model', form.model);
  if (!form.ablation) params.set('ablation', '0');
  if (String(form.clusters) !== String(DEFAULT_K)) params.set('clusters', String(form.clusters));
  return params;
}

/// {report: id | null, model, ablation, clusters} of a URL's query.
export function decodeReportsURL(query) {
  const params = new URLSearchParams(query);
  return {
    report: params.get('report'),
    model: params.get('model'),
    ablation: params.get('ablation') !== '0',
    clusters: Number(params.get('clusters')) >= 1 ? Number(params.get('clusters')) : DEFAULT_K,
  };
}

/// What the ablation costs: L×H+L extra forward passes per prompt (for the model, when its shape is known).
export function ablationCost(model) {
  const base = 'Zeroes each head and skips each layer, one forward pass each: L×H+L extra passes per prompt';
  return model && model.layers
    ? `${base} (${model.layers}×${model.heads}+${model.layers} = ${model.layers * model.heads + model.layers} for ${model.name}).`
    : `${base}.`;
}
