// The Reports page (/?page=reports): a report over a prompt set. POST /api/reports answers 202 with a job; the page
// polls GET /api/reports/{id} every 500 ms (progress in forward passes), DELETE /api/reports/{id} cancels, and once
// done it shows the recommendations with their evidence, the prompts, the layer flow and the redundant heads, with
// the standalone HTML report (GET /api/reports/{id}/html) to open or download and the report JSON to download.
// A reload of /?page=reports&report=<id> resumes polling or shows the result; the prompts of a job started here are
// kept in sessionStorage for it.
import { api } from '../../core/api.js';
import { el } from '../../core/dom.js';
import { requestGuard } from '../../core/request-guard.js';
import { fillModelSelect } from '../../components/form-fields.js';
import { FINAL_STATUSES, createJobProgress, jobStatusKind } from '../../components/job-progress.js';
import { cancelPageJob, jobMemory, pollPageJob } from '../job-polling.js';
import { formPageFrame, showPageURL } from '../page-frame.js';
import { ReportForm } from './report-form.js';
import { renderReport } from './report-result.js';
import { DEFAULT_PROMPTS, decodeReportsURL, encodeReportsURL, reportBody } from './reports-state.js';

const memory = jobMemory('report');

/// The page in root; host: {setStatus(text, kind)}.
export class ReportsPage {
  constructor(root, host) {
    this.root = root;
    this.host = host;
    this.job = null;
    this.jobId = null;
    this.shownReport = null; // the id whose result is drawn
    this.guard = requestGuard();
    this.form = new ReportForm({ start: () => this.startReport(), changed: () => this.writeURL(false) });
    this.progress = createJobProgress('report', { noun: 'Report', cancelTitle: 'stop the report between forward passes',
      onCancel: () => this.cancel() });
    this.build();
    window.addEventListener('popstate', () => this.start());
    this.start();
  }

  build() {
    const main = formPageFrame(this.root, this.form.form, 'Reports');
    this.empty = el('p', 'empty-state', { id: 'report-empty' },
      'A report runs every prompt of the set, aggregates the heads\' attention metrics and classes, clusters the heads, ' +
      'finds anomalies, measures the layer flow and (with ablation) which heads and layers the predictions need, then ' +
      'recommends what to look at, each recommendation citing its measurements.');
    this.result = el('div', 'report-result', { id: 'report-result', hidden: '' });
    main.append(this.empty, this.progress.element, this.result);
  }

  writeURL(push) {
    showPageURL(`/?${encodeReportsURL(this.jobId, { ...this.form.state, clusters: this.form.clusters.value })}`, push);
  }

  async start() {
    const url = decodeReportsURL(location.search);
    try {
      const list = await api.modelsOnce();
      this.form.models = list.models;
      this.form.limits = list.limits || {};
      fillModelSelect(this.form.model, list, url.model);
    } catch (error) {
      this.form.error.show(error);
      return;
    }
    const stored = url.report ? memory.recall(url.report) : null;
    this.form.fill({ prompts: stored?.prompts ?? (this.form.prompts.value || DEFAULT_PROMPTS.join('\n')),
                     ablation: url.ablation, clusters: url.clusters, model: url.model });
    this.guard.cancel();
    this.jobId = url.report;
    this.job = null;
    if (!url.report) {
      this.showJob(false);
      this.host.setStatus('', 'idle');
      return;
    }
    this.showJob(true);
    this.poll(url.report);
  }

  showJob(visible) {
    this.progress.element.hidden = !visible;
    this.empty.hidden = visible;
    if (!visible) {
      this.result.hidden = true;
      this.shownReport = null;
    }
  }

  isActive() {
    return Boolean(this.job && !FINAL_STATUSES.has(this.job.status));
  }

  async startReport() {
    this.form.error.clear();
    const form = this.form.state;
    this.form.startButton.disabled = true;
    this.host.setStatus('starting a report…', 'running');
    let job;
    try {
      job = await api.createReport(reportBody(form));
    } catch (error) {
      this.form.error.show(error);
      this.host.setStatus('error', 'error');
      this.form.startButton.disabled = this.isActive();
      return;
    }
    this.guard.cancel();
    this.jobId = job.id;
    memory.remember(job.id, form);
    this.writeURL(true);
    this.showJob(true);
    this.result.hidden = true;
    this.shownReport = null;
    this.renderJob(job);
    if (!FINAL_STATUSES.has(job.status)) this.poll(job.id);
  }

  /// Polls the job until it ends (or a later poll, a cancel or another job takes over); a lost server is retried
  /// every 2 s, 20 times.
  poll(id) {
    return pollPageJob(this, id, () => api.report(id), FINAL_STATUSES);
  }

  cancel() {
    return cancelPageJob(this, (id) => api.cancelReport(id));
  }

  renderMissing(id, error) {
    this.job = null;
    this.progress.showMissing(id, `${error.message}. Reports are kept in the server's memory: a restarted server has forgotten it. ` +
      'Start the report again.');
    this.form.startButton.disabled = false;
    this.result.hidden = true;
    this.host.setStatus('report not found', 'error');
  }

  renderJob(job) {
    this.job = job;
    this.progress.show(job);
    this.form.startButton.disabled = !FINAL_STATUSES.has(job.status);
    const pass = `pass ${job.progress.done}/${job.progress.total}`;
    this.host.setStatus(job.status === 'running' ? `report: ${pass}` : `report ${job.status}`, jobStatusKind(job.status));
    if (job.status === 'done' && job.report && this.shownReport !== job.id) this.showReport(job);
    if (job.status !== 'done') this.result.hidden = true;
  }

  showReport(job) {
    const r = job.report;
    this.shownReport = job.id;
    if (!memory.recall(job.id)) {
      // a reload of a job started elsewhere: its prompts are in the report
      this.form.fill({ prompts: r.prompts.map((p) => p.prompt).join('\n'), ablation: r.options.ablation,
                       clusters: r.options.clusters, model: r.model });
    }
    renderReport(this.result, job);
  }
}
