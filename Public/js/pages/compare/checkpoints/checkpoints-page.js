// The Compare page's Checkpoints mode (/?page=compare&subject=checkpoints): one model's checkpoints in training order
// (a series of the server's configuration, or configured models) measured on a prompt set, as a job of
// POST /api/checkpoint-series: it answers 202 with the job, the page polls GET /api/checkpoint-series/{id} (progress
// in forward passes, the checkpoint and prompt) with Cancel (DELETE), and once done shows the trends over the
// checkpoints as line charts, a row per checkpoint, the heads whose class changed, the prompts, and the standalone
// HTML report (GET …/{id}/html) with the JSON to download. The form and the job live in the URL
// (checkpoints-state.js): a reload resumes polling or shows the result; the prompts of a job started here are kept
// in sessionStorage for it. compare-shell.js mounts it and calls start() for its URLs.
import { api } from '../../../core/api.js';
import { el } from '../../../core/dom.js';
import { requestGuard } from '../../../core/request-guard.js';
import { FINAL_STATUSES, createJobProgress, jobStatusKind } from '../../../components/job-progress.js';
import { cancelPageJob, jobMemory, pollPageJob } from '../../job-polling.js';
import { formPageFrame, showPageURL } from '../../page-frame.js';
import { subjectOf } from '../compare-subjects.js';
import { seriesProgressText } from './checkpoints-data.js';
import { CheckpointsForm } from './checkpoints-form.js';
import { chosenSeries, decodeCheckpointsURL, defaultCheckpoints, encodeCheckpointsURL, seriesRequestBody, sourceOf }
  from './checkpoints-state.js';
import { renderSeriesResult } from './series-result.js';

const memory = jobMemory('checkpoint-series');
let seriesPromise = null;

/// GET /api/checkpoint-series once per page (a failed answer is asked again next time).
function seriesOnce() {
  if (!seriesPromise) seriesPromise = api.checkpointSeriesList().catch((error) => { seriesPromise = null; throw error; });
  return seriesPromise;
}

export class CheckpointComparison {
  /// The page in root; host: {setStatus(text, kind)}.
  constructor(root, host) {
    this.root = root;
    this.host = host;
    this.job = null;
    this.jobId = null;
    this.shown = null; // the id whose result is drawn
    this.guard = requestGuard();
    this.form = new CheckpointsForm({ changed: () => this.formChanged(), submit: () => this.run() });
    this.progress = createJobProgress('checkpoints', { noun: 'Checkpoint series', describe: seriesProgressText,
      cancelTitle: 'stop the series between forward passes', onCancel: () => this.cancel() });
    this.build();
  }

  build() {
    const main = formPageFrame(this.root, this.form.form, 'Compare checkpoints');
    this.empty = el('p', 'empty-state', { id: 'checkpoints-empty' },
      'Choose a checkpoint series (or configured models in training order) and press Run: every checkpoint reads the ' +
      'prompts, and its loss, attention sink, where the predictions settle, the anomalies and (with ablation) the ' +
      'redundant heads are drawn over training, with the heads whose attention pattern changed class.');
    this.result = el('div', 'report-result checkpoints-result', { id: 'checkpoints-result', hidden: '', 'aria-live': 'polite' });
    main.append(this.empty, this.progress.element, this.result);
  }

  formChanged() {
    clearTimeout(this.urlTimer);
    // a stale timer (the user switched to another subject meanwhile) leaves that subject's URL alone
    this.urlTimer = setTimeout(() => subjectOf(location.search) === 'checkpoints' && this.writeURL(false), 300);
  }

  writeURL(push) {
    showPageURL(`/?${encodeCheckpointsURL(this.form.state, this.jobId)}`, push);
  }

  /// The page for the current URL: the menus filled, the form as the URL says, then its job polled or shown.
  async start() {
    const url = decodeCheckpointsURL(location.search);
    let seriesList, models;
    try {
      [{ series: seriesList }, { models }] = await Promise.all([seriesOnce(), api.modelsOnce()]);
    } catch (error) {
      this.form.error.show(error);
      return;
    }
    const stored = url.job ? memory.recall(url.job) : null;
    const typed = this.form.prompts.value;
    this.form.fill(seriesList, models, {
      source: sourceOf(url, seriesList), series: chosenSeries(seriesList, url.series)?.name ?? null,
      checkpoints: defaultCheckpoints(models.map((m) => m.name), url.checkpoints), ablation: url.ablation,
      prompts: stored?.prompts ?? (typed || null),
    });
    this.guard.cancel();
    this.jobId = url.job;
    this.job = null;
    if (!url.job) {
      this.showJob(false);
      this.host.setStatus('', 'idle');
      return;
    }
    this.showJob(true);
    this.poll(url.job);
  }

  showJob(visible) {
    this.progress.element.hidden = !visible;
    this.empty.hidden = visible;
    if (!visible) {
      this.result.hidden = true;
      this.shown = null;
    }
  }

  isActive() {
    return Boolean(this.job && !FINAL_STATUSES.has(this.job.status));
  }

  async run() {
    this.form.error.clear();
    const form = this.form.state;
    clearTimeout(this.urlTimer);
    this.writeURL(false); // the form being run, even when the server refuses it
    this.form.submit.disabled = true;
    this.host.setStatus('starting a checkpoint series…', 'running');
    let job;
    try {
      job = await api.createCheckpointSeries(seriesRequestBody(form));
    } catch (error) {
      this.form.error.show(error);
      this.host.setStatus('error', 'error');
      this.form.submit.disabled = this.isActive();
      return;
    }
    this.guard.cancel();
    this.jobId = job.id;
    memory.remember(job.id, { prompts: form.prompts });
    this.writeURL(true);
    this.showJob(true);
    this.result.hidden = true;
    this.shown = null;
    this.renderJob(job);
    if (!FINAL_STATUSES.has(job.status)) this.poll(job.id);
  }

  /// Polls the job until it ends (or a later poll, a cancel or another job takes over).
  poll(id) {
    return pollPageJob(this, id, () => api.checkpointSeries(id), FINAL_STATUSES);
  }

  cancel() {
    return cancelPageJob(this, (id) => api.cancelCheckpointSeries(id));
  }

  renderMissing(id, error) {
    this.job = null;
    this.progress.showMissing(id, `${error.message}. Checkpoint series jobs are kept in the server's memory: a restarted ` +
      'server has forgotten it. Run the series again.');
    this.form.submit.disabled = false;
    this.result.hidden = true;
    this.host.setStatus('checkpoint series not found', 'error');
  }

  renderJob(job) {
    this.job = job;
    this.progress.show(job);
    this.form.submit.disabled = !FINAL_STATUSES.has(job.status);
    const { done, total } = job.progress;
    this.host.setStatus(job.status === 'running' ? `checkpoints: pass ${done}/${total}` : `checkpoint series ${job.status}`,
      jobStatusKind(job.status));
    if (job.status === 'done' && job.report && this.shown !== job.id) this.showResult(job);
    if (job.status !== 'done') this.result.hidden = true;
  }

  showResult(job) {
    this.shown = job.id;
    if (!memory.recall(job.id)) this.form.fillFromReport(job.report); // a job started elsewhere: its prompts are in the report
    renderSeriesResult(this.result, job, (error) => this.progress.showError(`export failed: ${error.message}`));
  }
}
