// The Reports page (/?page=reports): a report over a prompt set. POST /api/reports answers 202 with a job; the page
// polls GET /api/reports/{id} every 500 ms (progress in forward passes), DELETE /api/reports/{id} cancels, and once
// done it shows the recommendations with their evidence, the prompts, the layer flow and the redundant heads, with
// the standalone HTML report (GET /api/reports/{id}/html) to open or download and the report JSON to download.
//
// URL: /?page=reports&report=<id> (a reload resumes polling or shows the result), with model, ablation=0 and
// clusters=K when not the defaults. The prompts of a started job are kept in sessionStorage for the reload.
import { api } from './api.js';
import { download } from './export.js';
import { h, button, isNum, DASH, classBadge, requestGuard } from './analytics-common.js';
import { loadModels, fillModelSelect, nonBlankLines, errorBox, num, percent } from './page-common.js';

const POLL_MS = 500;
const DEFAULT_K = 5;
const DEFAULT_PROMPTS = [
  'The capital of France is',
  'When Mary and John went to the store, John gave a drink to',
  'Once upon a time, in a small village by the sea, there lived a',
  'for (int i = 0; i < n; i++) {',
  'The doctor told the nurse that she',
];
const FINAL = new Set(['done', 'failed', 'cancelled']);
const ANOMALIES = [
  { key: 'high_attention', label: 'high attn', title: 'heads with attention above the threshold on one key' },
  { key: 'uniform_attention', label: 'uniform', title: 'heads that spread attention evenly' },
  { key: 'dead_head', label: 'dead', title: 'heads whose output is negligible' },
  { key: 'outlier_activation', label: 'outliers', title: 'residual dimensions with outlier activations' },
  { key: 'logit_lens_flip', label: 'lens flips', title: 'positions whose logit-lens prediction flips late' },
];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function storageKey(id) {
  return `glassbox.report.${id}`;
}

function remember(id, form) {
  try { sessionStorage.setItem(storageKey(id), JSON.stringify(form)); } catch (_) { /* storage off: the URL still works */ }
}

function recall(id) {
  try { return JSON.parse(sessionStorage.getItem(storageKey(id)) || 'null'); } catch (_) { return null; }
}

export function mountReports(root, host) {
  return new ReportsPage(root, host);
}

class ReportsPage {
  constructor(root, host) {
    this.root = root;
    this.host = host;
    this.job = null;
    this.jobId = null;
    this.shownReport = null; // id whose result is drawn
    this.guard = requestGuard();
    this.build();
    window.addEventListener('popstate', () => this.start());
    this.start();
  }

  build() {
    const layout = h('div', 'layout page-layout');
    const side = h('aside', 'sidebar');
    this.form = h('form', 'page-form', { id: 'report-form', novalidate: '', 'aria-label': 'report' });

    this.model = h('select', null, { id: 'report-model' });
    const modelHead = h('h2');
    modelHead.append(h('label', null, { for: 'report-model' }, 'Model'));
    const modelSection = h('section');
    modelSection.append(modelHead, this.model);

    this.prompts = h('textarea', null, { id: 'report-prompts', rows: '9', spellcheck: 'false', wrap: 'off',
      'aria-describedby': 'report-prompt-count' });
    const promptsHead = h('h2');
    promptsHead.append(h('label', null, { for: 'report-prompts' }, 'Prompts, one per line'));
    this.count = h('p', 'muted small', { id: 'report-prompt-count' });
    const promptsSection = h('section');
    promptsSection.append(promptsHead, this.prompts, this.count);

    const options = h('section');
    options.append(h('h2', null, null, 'Options'));
    this.ablation = h('input', null, { type: 'checkbox', id: 'report-ablation' });
    this.ablation.checked = true;
    const ablationLabel = h('label', 'check', { for: 'report-ablation' });
    ablationLabel.append(this.ablation, ' Ablation');
    this.ablationCost = h('p', 'muted small hint', { id: 'report-ablation-cost' });
    this.ablation.setAttribute('aria-describedby', 'report-ablation-cost');
    this.clusters = h('input', 'number-input', { type: 'number', id: 'report-clusters', min: '1', max: '64', step: '1',
      value: String(DEFAULT_K) });
    const clustersLabel = h('label', 'control inline-control', { for: 'report-clusters' }, 'Clusters K ');
    clustersLabel.append(this.clusters);
    options.append(ablationLabel, this.ablationCost, clustersLabel,
      h('p', 'muted small hint', null, 'k-means over the heads\' mean metrics (1–64).'));

    this.startButton = h('button', 'primary', { type: 'submit', id: 'report-start' }, 'Start');
    const startRow = h('div', 'row');
    startRow.append(h('span', 'muted small', null, 'Ctrl+Enter'), this.startButton);
    this.errorElement = h('div', 'error', { id: 'report-error', role: 'alert', hidden: '' });
    this.error = errorBox(this.errorElement, (parameter) => (
      parameter === 'prompts' ? [this.prompts] : parameter === 'model' ? [this.model]
        : parameter === 'options' ? [this.clusters, this.ablation] : []));
    this.form.append(modelSection, promptsSection, options, startRow, this.errorElement);
    side.append(this.form);

    const main = h('main', 'main');
    main.append(h('h1', 'page-title', null, 'Reports'));
    this.empty = h('p', 'empty-state', { id: 'report-empty' },
      'A report runs every prompt of the set, aggregates the heads\' attention metrics and classes, clusters the heads, ' +
      'finds anomalies, measures the layer flow and (with ablation) which heads and layers the predictions need, then ' +
      'recommends what to look at, each recommendation citing its measurements.');

    // the job: status, progress, cancel
    this.jobPanel = h('section', 'report-job', { id: 'report-job', hidden: '', 'aria-label': 'report job' });
    const jobHead = h('div', 'row job-head');
    this.jobTitle = h('h2', null, { id: 'report-job-title' });
    this.status = h('span', 'job-status', { id: 'report-status', role: 'status', 'aria-live': 'polite' });
    this.cancelButton = button('Cancel', { id: 'report-cancel', title: 'stop the report between forward passes' });
    const titleBox = h('div', 'job-title');
    titleBox.append(this.jobTitle, this.status);
    jobHead.append(titleBox, this.cancelButton);
    this.progress = h('progress', null, { id: 'report-progress', max: '1', value: '0', 'aria-labelledby': 'report-progress-text' });
    this.progressText = h('p', 'progress-text', { id: 'report-progress-text' });
    this.jobError = h('div', 'error', { id: 'report-job-error', role: 'alert', hidden: '' });
    this.jobPanel.append(jobHead, this.progress, this.progressText, this.jobError);

    this.result = h('div', 'report-result', { id: 'report-result', hidden: '' });
    main.append(this.empty, this.jobPanel, this.result);
    layout.append(side, main);
    this.root.replaceChildren(layout);

    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.startReport();
    });
    this.form.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        this.startReport();
      }
    });
    this.prompts.addEventListener('input', () => this.updateCount());
    this.model.addEventListener('change', () => { this.updateCost(); this.writeURL(false); });
    this.ablation.addEventListener('change', () => this.writeURL(false));
    this.clusters.addEventListener('change', () => this.writeURL(false));
    this.cancelButton.addEventListener('click', () => this.cancel());
  }

  // -------------------------------------------------------------------------------------------------------------
  // Form, URL

  formState() {
    const k = Number(this.clusters.value);
    return {
      model: this.model.value,
      prompts: this.prompts.value,
      ablation: this.ablation.checked,
      clusters: Number.isInteger(k) ? k : this.clusters.value,
    };
  }

  setForm(form) {
    if (form.prompts !== undefined) this.prompts.value = form.prompts;
    if (form.ablation !== undefined) this.ablation.checked = Boolean(form.ablation);
    if (form.clusters !== undefined) this.clusters.value = String(form.clusters);
    if (form.model && [...this.model.options].some((o) => o.value === form.model)) this.model.value = form.model;
    this.updateCount();
    this.updateCost();
  }

  updateCount() {
    const n = nonBlankLines(this.prompts.value).length;
    const limit = this.limits?.max_report_prompts;
    this.count.textContent = `${n} prompt${n === 1 ? '' : 's'}` +
      (isNum(limit) ? ` · at most ${limit}` : ' · the server limits the count (limits.max_report_prompts)');
    this.count.classList.toggle('down', isNum(limit) && n > limit);
  }

  updateCost() {
    const model = this.models?.find((m) => m.name === this.model.value);
    const base = 'Zeroes each head and skips each layer, one forward pass each: L×H+L extra passes per prompt';
    this.ablationCost.textContent = model && model.layers
      ? `${base} (${model.layers}×${model.heads}+${model.layers} = ${model.layers * model.heads + model.layers} for ${model.name}).`
      : `${base}.`;
  }

  writeURL(push) {
    const params = new URLSearchParams({ page: 'reports' });
    if (this.jobId) params.set('report', this.jobId);
    if (this.model.value) params.set('model', this.model.value);
    if (!this.ablation.checked) params.set('ablation', '0');
    if (String(this.clusters.value) !== String(DEFAULT_K)) params.set('clusters', String(this.clusters.value));
    const url = `/?${params}`;
    if (url === location.pathname + location.search) return;
    if (push) history.pushState(null, '', url); else history.replaceState(null, '', url);
  }

  async start() {
    const params = new URLSearchParams(location.search);
    const id = params.get('report');
    try {
      const list = await loadModels();
      this.models = list.models;
      this.limits = list.limits || {};
      fillModelSelect(this.model, list, params.get('model'));
    } catch (error) {
      this.error.show(error);
      return;
    }
    const stored = id ? recall(id) : null;
    this.setForm({
      prompts: stored?.prompts ?? (this.prompts.value || DEFAULT_PROMPTS.join('\n')),
      ablation: params.get('ablation') !== '0',
      clusters: Number(params.get('clusters')) >= 1 ? Number(params.get('clusters')) : DEFAULT_K,
      model: params.get('model'),
    });
    this.guard.cancel();
    this.jobId = id;
    this.job = null;
    if (!id) {
      this.showJob(false);
      this.host.setStatus('', 'idle');
      return;
    }
    this.showJob(true);
    this.poll(id);
  }

  showJob(visible) {
    this.jobPanel.hidden = !visible;
    this.empty.hidden = visible;
    if (!visible) {
      this.result.hidden = true;
      this.shownReport = null;
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // The job

  async startReport() {
    this.error.clear();
    const form = this.formState();
    const body = {
      prompts: nonBlankLines(form.prompts),
      options: { ablation: form.ablation, clusters: form.clusters },
    };
    if (form.model) body.model = form.model;
    this.startButton.disabled = true;
    this.host.setStatus('starting a report…', 'running');
    let job;
    try {
      job = await api.createReport(body);
    } catch (error) {
      this.error.show(error);
      this.host.setStatus('error', 'error');
      this.startButton.disabled = this.isActive();
      return;
    }
    this.guard.cancel();
    this.jobId = job.id;
    remember(job.id, form);
    this.writeURL(true);
    this.showJob(true);
    this.result.hidden = true;
    this.shownReport = null;
    this.renderJob(job);
    if (!FINAL.has(job.status)) this.poll(job.id);
  }

  isActive() {
    return Boolean(this.job && !FINAL.has(this.job.status));
  }

  async poll(id) {
    const current = this.guard.next();
    let failures = 0;
    for (;;) {
      let job;
      try {
        job = await api.report(id);
        failures = 0;
      } catch (error) {
        if (!current()) return;
        if (error.status === 404) {
          this.job = null;
          this.renderMissing(id, error);
          return;
        }
        failures += 1;
        this.showJobError(`${error.message} — retrying (${failures})`);
        this.host.setStatus('lost contact with the server', 'error');
        if (failures >= 20) return;
        await sleep(2000);
        if (!current()) return;
        continue;
      }
      if (!current()) return;
      this.renderJob(job);
      if (FINAL.has(job.status)) return;
      await sleep(POLL_MS);
      if (!current()) return;
    }
  }

  async cancel() {
    const id = this.jobId;
    if (!id) return;
    this.cancelButton.disabled = true;
    try {
      const job = await api.cancelReport(id);
      this.guard.cancel(); // no poll may draw an older state after this
      this.renderJob(job);
    } catch (error) {
      this.showJobError(error.message);
      this.cancelButton.disabled = !this.isActive();
    }
  }

  showJobError(message) {
    this.jobError.textContent = message;
    this.jobError.hidden = !message;
  }

  renderMissing(id, error) {
    this.jobTitle.textContent = `Report ${id}`;
    this.status.textContent = 'not found';
    this.status.dataset.status = 'missing';
    this.progress.removeAttribute('value');
    this.progress.max = 1;
    this.progress.value = 0;
    this.progressText.textContent = '';
    this.cancelButton.disabled = true;
    this.startButton.disabled = false;
    this.showJobError(`${error.message}. Reports are kept in the server's memory: a restarted server has forgotten it. ` +
      'Start the report again.');
    this.result.hidden = true;
    this.host.setStatus('report not found', 'error');
  }

  renderJob(job) {
    this.job = job;
    const { done, total, prompt } = job.progress;
    this.jobTitle.textContent = `Report ${job.id}`;
    this.jobPanel.dataset.status = job.status;
    this.status.textContent = job.status;
    this.status.dataset.status = job.status;
    this.progress.max = Math.max(1, total);
    this.progress.value = done;
    this.progress.dataset.done = String(done);
    this.progress.dataset.total = String(total);
    const n = job.prompts;
    const at = `prompt ${Math.min(n, prompt + 1)} of ${n}`;
    const pass = `pass ${done}/${total}`;
    let text;
    if (job.status === 'queued') text = `${pass} · waiting for another report to finish`;
    else if (job.status === 'running') text = `${pass}, ${at}`;
    else if (job.status === 'done') text = `${pass}, ${n} of ${n} prompts: done`;
    else if (job.status === 'cancelled') text = `cancelled at ${pass}, ${at}`;
    else text = `failed at ${pass}`;
    this.progressText.textContent = `${job.model} · ${text}`;
    this.cancelButton.disabled = FINAL.has(job.status);
    this.startButton.disabled = !FINAL.has(job.status);
    this.showJobError(job.status === 'failed' ? `The report failed: ${job.error || 'no reason given'}` : '');
    const statusKind = job.status === 'done' ? 'done' : job.status === 'failed' ? 'error' : FINAL.has(job.status) ? 'idle' : 'running';
    this.host.setStatus(job.status === 'running' ? `report: ${pass}` : `report ${job.status}`, statusKind);
    if (job.status === 'done' && job.report && this.shownReport !== job.id) this.renderReport(job);
    if (job.status !== 'done') this.result.hidden = true;
  }

  // -------------------------------------------------------------------------------------------------------------
  // The result

  renderReport(job) {
    const r = job.report;
    this.shownReport = job.id;
    if (!recall(job.id)) {
      // a reload of a job started elsewhere: its prompts are in the report
      this.setForm({ prompts: r.prompts.map((p) => p.prompt).join('\n'), ablation: r.options.ablation,
        clusters: r.options.clusters, model: r.model });
    }
    const links = h('div', 'report-links', { id: 'report-links' });
    const htmlURL = job.html || api.reportHTML(job.id);
    const open = h('a', 'link-button', { id: 'report-open-html', href: htmlURL, target: '_blank', rel: 'noopener' },
      'Open the standalone HTML report');
    open.append(h('span', 'sr-only', null, ' (opens in a new tab)'));
    const html = h('a', 'link-button', { id: 'report-download-html', href: htmlURL, download: `glassbox-report-${job.id}.html` },
      'Download HTML');
    const json = button('Download JSON', { id: 'report-download-json', title: 'the report JSON' }, 'link-button');
    json.addEventListener('click', () => download(`glassbox-report-${job.id}.json`, JSON.stringify(r, null, 1), 'application/json'));
    links.append(open, html, json);

    const meta = h('p', 'report-meta', { id: 'report-meta' },
      `${r.model} (${r.architecture}, ${r.layers} layers × ${r.heads_per_layer} heads) · ${r.prompts.length} prompts · ` +
      `${num(r.seconds, 3)} s of compute · ${r.created} · ablation ${r.options.ablation ? 'on' : 'off'} · K = ${r.options.clusters}`);
    const note = h('p', 'note', null, r.note);

    this.result.replaceChildren(links, meta, note, this.recommendations(r), this.promptsTable(r), this.flowTable(r),
      this.redundantHeads(r), this.headsDetails(r));
    this.result.hidden = false;
  }

  recommendations(r) {
    const section = h('section', 'report-section', { id: 'report-recommendations', 'data-count': r.recommendations.length });
    section.append(h('h2', null, null, `Recommendations (${r.recommendations.length})`));
    if (!r.recommendations.length) {
      section.append(h('p', 'empty-state', { id: 'report-no-recommendations' }, 'No rule fired on these prompts.'));
      return section;
    }
    r.recommendations.forEach((rec, i) => {
      const article = h('article', 'recommendation', { 'data-rule': rec.rule, 'data-index': i });
      article.append(h('p', 'recommendation-message', null, rec.message));
      const details = h('details', 'evidence', { open: '' });
      details.append(h('summary', 'small', null, `evidence: ${rec.evidence.length} measurement${rec.evidence.length === 1 ? '' : 's'} · rule ${rec.rule}`));
      const table = h('table', 'table evidence-table');
      const hr = h('tr');
      for (const [label, cls] of [['measure', null], ['layer', 'num'], ['head', 'num'], ['value', 'num'], ['threshold', null]]) {
        hr.append(h('th', cls, { scope: 'col' }, label));
      }
      const thead = h('thead');
      thead.append(hr);
      const tbody = h('tbody');
      for (const e of rec.evidence) {
        const tr = h('tr');
        tr.append(h('td', null, null, e.measure), h('td', 'num', null, e.layer ?? DASH), h('td', 'num', null, e.head ?? DASH),
          h('td', 'num', { 'data-value': isNum(e.value) ? e.value : '' }, num(e.value)), h('td', null, null, e.threshold));
        tbody.append(tr);
      }
      table.append(thead, tbody);
      details.append(table);
      article.append(details);
      section.append(article);
    });
    return section;
  }

  promptsTable(r) {
    const section = h('section', 'report-section');
    section.append(h('h2', null, null, 'Prompts'));
    const wrap = h('div', 'table-wrap');
    const table = h('table', 'table report-table', { id: 'report-prompts-table' });
    const hr = h('tr');
    hr.append(h('th', 'num', { scope: 'col' }, '#'), h('th', null, { scope: 'col' }, 'prompt'),
      h('th', 'num', { scope: 'col' }, 'tokens'), h('th', null, { scope: 'col' }, 'prediction'),
      ...ANOMALIES.map((a) => h('th', 'num', { scope: 'col', title: a.title }, a.label)),
      h('th', 'num', { scope: 'col', title: 'the layer from which the logit lens of the last token shows the final prediction' }, 'settles at'));
    const thead = h('thead');
    thead.append(hr);
    const tbody = h('tbody');
    r.prompts.forEach((p, i) => {
      const tr = h('tr', null, { 'data-prompt': i });
      const top = p.predictions[0];
      tr.append(h('td', 'num', null, i + 1), h('td', 'prompt-text', { title: p.prompt }, p.prompt),
        h('td', 'num', null, p.tokens.length),
        h('td', 'prediction', { 'data-token-id': top ? top.id : '', title: p.predictions.map((t) => `${t.display} ${percent(t.probability)}`).join(' · ') },
          top ? `${top.display} ${percent(top.probability)}` : DASH));
      for (const a of ANOMALIES) {
        const v = p.anomaly_counts[a.key];
        tr.append(h('td', 'num' + (v ? ' flagged' : ''), { 'data-key': a.key, 'data-value': v }, v));
      }
      tr.append(h('td', 'num', { 'data-key': 'settled_layer' }, p.settled_layer ?? DASH));
      tbody.append(tr);
    });
    table.append(thead, tbody);
    wrap.append(table);
    section.append(wrap);
    return section;
  }

  flowTable(r) {
    const section = h('section', 'report-section');
    section.append(h('h2', null, null, 'Layer flow'),
      h('p', 'muted small', null, 'Means over every position of every prompt; a layer is redundant when cos > ' +
        `${r.options.redundant_layer_cosine} and the relative update < ${r.options.redundant_layer_update}.`));
    const table = h('table', 'table report-table', { id: 'report-flow-table' });
    const hr = h('tr');
    for (const label of ['layer', 'cos', 'information loss', 'relative update', 'attention share', '|Δ log p| skipped', 'redundant']) {
      hr.append(h('th', label === 'redundant' ? null : 'num', { scope: 'col' }, label));
    }
    const thead = h('thead');
    thead.append(hr);
    const tbody = h('tbody');
    for (const l of r.layers_flow) {
      const tr = h('tr', l.redundant ? 'flagged-row' : null, { 'data-layer': l.layer });
      tr.append(h('td', 'num', null, `L${l.layer}`), h('td', 'num', null, num(l.cos)), h('td', 'num', null, num(l.information_loss)),
        h('td', 'num', null, num(l.relative_update)), h('td', 'num', null, percent(l.attention_share)),
        h('td', 'num', null, l.skip_nats === null ? DASH : num(l.skip_nats)), h('td', null, null, l.redundant ? 'yes' : ''));
      tbody.append(tr);
    }
    table.append(thead, tbody);
    section.append(table);
    return section;
  }

  redundantHeads(r) {
    const section = h('section', 'report-section', { id: 'report-redundant' });
    section.append(h('h2', null, null, 'Redundant heads'));
    const limit = r.options.redundant_head_nats;
    if (!r.options.ablation) {
      section.append(h('p', 'muted', null, 'Ablation was off: no head was zeroed, so no head is known to be redundant.'));
      return section;
    }
    const measured = r.heads.filter((x) => isNum(x.ablation_nats)).sort((a, b) => a.ablation_nats - b.ablation_nats);
    const redundant = measured.filter((x) => x.ablation_nats < limit);
    section.dataset.count = String(redundant.length);
    section.append(h('p', 'muted small', null,
      `A head is redundant when zeroing it changes the predicted token's log-probability by less than ${limit} nats on average.`));
    const chips = (heads) => {
      const list = h('ul', 'head-chips');
      for (const x of heads) {
        list.append(h('li', 'head-chip', { 'data-layer': x.layer, 'data-head': x.head, title: `mean |Δ log p| ${x.ablation_nats}` },
          `L${x.layer} H${x.head} · ${num(x.ablation_nats, 3)} nats`));
      }
      return list;
    };
    if (redundant.length) {
      section.append(chips(redundant));
    } else {
      section.append(h('p', null, null, `None: every head moves the prediction by at least ${limit} nats. The least needed:`),
        chips(measured.slice(0, 5)));
    }
    return section;
  }

  headsDetails(r) {
    const details = h('details', 'report-section');
    details.append(h('summary', null, null, `Heads (${r.heads.length}): class, cluster, mean metrics, ablation`));
    const wrap = h('div', 'table-wrap');
    const table = h('table', 'table report-table', { id: 'report-heads-table' });
    const columns = ['normalized_entropy', 'sparsity', 'first_token', 'previous_token', 'self', 'focus'];
    const hr = h('tr');
    hr.append(h('th', 'num', { scope: 'col' }, 'layer'), h('th', 'num', { scope: 'col' }, 'head'),
      h('th', null, { scope: 'col' }, 'class'), h('th', 'num', { scope: 'col' }, 'cluster'),
      ...columns.map((c) => h('th', 'num', { scope: 'col' }, c.replace(/_/g, ' '))),
      h('th', 'num', { scope: 'col' }, '|Δ log p| zeroed'));
    const thead = h('thead');
    thead.append(hr);
    const tbody = h('tbody');
    for (const x of r.heads) {
      const tr = h('tr', null, { 'data-layer': x.layer, 'data-head': x.head });
      const cls = h('td');
      cls.append(classBadge(x.class), h('span', 'muted small', null, ` ${x.class_prompts}/${r.prompts.length}`));
      tr.append(h('td', 'num', null, x.layer), h('td', 'num', null, x.head), cls, h('td', 'num', null, x.cluster ?? DASH),
        ...columns.map((c) => h('td', 'num', null, num(x[c], 3))),
        h('td', 'num', null, x.ablation_nats === null ? DASH : num(x.ablation_nats, 3)));
      tbody.append(tr);
    }
    table.append(thead, tbody);
    wrap.append(table);
    details.append(wrap);
    return details;
  }
}

