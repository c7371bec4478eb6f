// The Checkpoints mode of the Compare page: its form (a configured series, or configured models in training order;
// prompts one per line; ablation), the body of POST /api/checkpoint-series it makes, and the URL that restores it:
//   /?page=compare&subject=checkpoints&series=NAME[&ablation=0][&job=ID]
//   /?page=compare&subject=checkpoints&checkpoint=MODEL&checkpoint=MODEL…[&ablation=0][&job=ID]
// (job= once started: a reload resumes polling the job or shows its result). Pure: no DOM.
import { nonBlankLines } from '../../../core/format.js';

export const SOURCES = [
  { name: 'series', label: 'Series', hint: 'A checkpoint series of the server\'s configuration, with its default prompts.' },
  { name: 'models', label: 'Models', hint: 'Two or more configured models, in training order (first = earliest).' },
];
export const MIN_CHECKPOINTS = 2;

/// The source before the user chose: the URL's, else a series when the server has one configured, else models.
export function sourceOf(url, seriesList) {
  if (url.source) return url.source;
  return seriesList.length ? 'series' : 'models';
}

/// The series a form shows: the wanted one where configured, else the first (null when there is none).
export function chosenSeries(seriesList, wanted) {
  return seriesList.find((s) => s.name === wanted) || seriesList[0] || null;
}

/// The models listed before the user chose: the wanted ones that are configured, else the first two models.
export function defaultCheckpoints(names, wanted = []) {
  const known = wanted.filter((name) => names.includes(name));
  return known.length ? known : names.slice(0, MIN_CHECKPOINTS);
}

/// The request body of a form {source, series, checkpoints, prompts (the textarea's text), ablation}: exactly one of
/// series and checkpoints; a series' prompts are left out when the box is empty (the server then uses the series'
/// own), the models' are always sent.
export function seriesRequestBody(form) {
  const prompts = nonBlankLines(form.prompts);
  const body = form.source === 'series' ? { series: form.series } : { checkpoints: form.checkpoints.slice() };
  if (prompts.length || form.source !== 'series') body.prompts = prompts;
  body.ablation = Boolean(form.ablation);
  return body;
}

/// The URL parameters of a form {source, series, checkpoints, ablation} and the job id (null before a job).
export function encodeCheckpointsURL(form, jobId) {
  const params = new URLSearchParams({ page: 'compare', subject: 'checkpoints' });
  if (form.source === 'series') {
    if (form.series) params.set('series', form.series);
  } else {
    for (const name of form.checkpoints) if (name) params.append('checkpoint', name);
  }
  if (!form.ablation) params.set('ablation', '0');
  if (jobId) params.set('job', jobId);
  return params;
}

/// {source ('series' | 'models' | null when the URL names neither), series, checkpoints, ablation, job} of a
/// URL's query.
export function decodeCheckpointsURL(query) {
  const params = new URLSearchParams(query);
  const checkpoints = params.getAll('checkpoint').filter((name) => name.length > 0);
  const series = params.get('series') || null;
  return {
    source: series ? 'series' : checkpoints.length ? 'models' : null,
    series,
    checkpoints,
    ablation: params.get('ablation') !== '0',
    job: params.get('job') || null,
  };
}

/// What the ablation costs: per checkpoint and prompt, a forward pass with each head zeroed and each layer skipped.
export function seriesAblationCost(shape) {
  const base = 'Zeroes each head and skips each layer, one forward pass each: L×H+L extra passes per prompt and ' +
    'checkpoint; it finds the redundant heads';
  return shape && shape.layers
    ? `${base} (${shape.layers}×${shape.heads}+${shape.layers} = ${shape.layers * shape.heads + shape.layers} for ${shape.name}).`
    : `${base}.`;
}
