// What the Compare page compares (its top switch): prompts on one model, two models on one text, or one model's
// checkpoints over training. Each subject is a page of its own under the one header link, with its own form,
// results and URL; /?page=compare&subject=… says which (no subject: prompts, so the older permalinks keep working).
// Another subject is one more entry here and one more loader in compare-shell.js. Pure: no DOM.

export const SUBJECTS = [
  { name: 'prompts', label: 'Prompts', hint: 'Prompts side by side on one model: a pair, templates or a set.' },
  { name: 'models', label: 'Models', hint: 'Two models read the same text: tokens, predictions, distributions and layers by depth.' },
  { name: 'checkpoints', label: 'Checkpoints', hint: 'One model\'s checkpoints in training order on a prompt set: trends, class changes, redundant heads.' },
];

/// The subject a URL's query names (the first, prompts, when it names none or an unknown one).
export function subjectOf(query) {
  const name = new URLSearchParams(query).get('subject');
  return SUBJECTS.some((s) => s.name === name) ? name : SUBJECTS[0].name;
}

/// The URL of a subject shown fresh, with nothing filled in.
export function subjectURL(name) {
  return name === SUBJECTS[0].name ? '/?page=compare' : `/?page=compare&subject=${encodeURIComponent(name)}`;
}
