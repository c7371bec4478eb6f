// The progress of a server job, with a cancel button (the Reports page's report jobs, the Attributions tab's
// integrated-gradients jobs): its title, a status badge, a <progress> of forward passes, where the job is in words,
// and its error.
import { el, button } from '../core/dom.js';

export const FINAL_STATUSES = new Set(['done', 'failed', 'cancelled']);

/// Where a job is, in words: "{model} · pass 3/33, prompt 1 of 3" and the like. Pure.
export function jobProgressText(job) {
  const { done, total, prompt } = job.progress;
  const n = job.prompts;
  const at = `prompt ${Math.min(n, prompt + 1)} of ${n}`;
  const pass = `pass ${done}/${total}`;
  let text;
  if (job.status === 'queued') text = `${pass} · waiting for another report to finish`;
  else if (job.status === 'running') text = `${pass}, ${at}`;
  else if (job.status === 'done') text = `${pass}, ${n} of ${n} prompts: done`;
  else if (job.status === 'cancelled') text = `cancelled at ${pass}, ${at}`;
  else text = `failed at ${pass}`;
  return `${job.model} · ${text}`;
}

/// The page status of a job (the header's data-state): done, error, idle or running. Pure.
export function jobStatusKind(status) {
  if (status === 'done') return 'done';
  if (status === 'failed') return 'error';
  return FINAL_STATUSES.has(status) ? 'idle' : 'running';
}

/// The job panel; ids and the section's class start with `prefix` (e.g. report-job, report-progress). A job is
/// {id, status, error, …}; counts(job) → {done, total} (default: job.progress, as report jobs have it) and
/// describe(job) → the progress line (default: jobProgressText, for report jobs).
export function createJobProgress(prefix, { noun, cancelTitle, onCancel, counts = (job) => job.progress,
  describe = jobProgressText }) {
  const panel = el('section', `${prefix}-job job-panel`, { id: `${prefix}-job`, hidden: '', 'aria-label': `${prefix} job` });
  const head = el('div', 'row job-head');
  const title = el('h2', null, { id: `${prefix}-job-title` });
  const status = el('span', 'job-status', { id: `${prefix}-status`, role: 'status', 'aria-live': 'polite' });
  const cancel = button('Cancel', { id: `${prefix}-cancel`, title: cancelTitle });
  const titleBox = el('div', 'job-title');
  titleBox.append(title, status);
  head.append(titleBox, cancel);
  const progress = el('progress', null, { id: `${prefix}-progress`, max: '1', value: '0', 'aria-labelledby': `${prefix}-progress-text` });
  const text = el('p', 'progress-text', { id: `${prefix}-progress-text` });
  const error = el('div', 'error', { id: `${prefix}-job-error`, role: 'alert', hidden: '' });
  panel.append(head, progress, text, error);
  cancel.addEventListener('click', onCancel);

  const showError = (message) => {
    error.textContent = message;
    error.hidden = !message;
  };
  return {
    element: panel,
    cancelButton: cancel,
    showError,
    show(job) {
      const { done, total } = counts(job);
      title.textContent = `${noun} ${job.id}`;
      panel.dataset.status = job.status;
      status.textContent = job.status;
      status.dataset.status = job.status;
      progress.max = Math.max(1, total);
      progress.value = done;
      progress.dataset.done = String(done);
      progress.dataset.total = String(total);
      text.textContent = describe(job);
      cancel.disabled = FINAL_STATUSES.has(job.status);
      showError(job.status === 'failed' ? `The ${noun.toLowerCase()} failed: ${job.error || 'no reason given'}` : '');
    },
    /// A job the server does not know (any more).
    showMissing(id, message) {
      title.textContent = `${noun} ${id}`;
      status.textContent = 'not found';
      status.dataset.status = 'missing';
      progress.removeAttribute('value');
      progress.max = 1;
      progress.value = 0;
      text.textContent = '';
      cancel.disabled = true;
      showError(message);
    },
  };
}
