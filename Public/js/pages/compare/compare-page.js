// The Compare page's Prompts mode (/?page=compare): prompts side by side with POST /api/compare. A pair (two prompts, the
// difference second − first), templates (one {} slot filled with the same text) or a set (several prompts with
// labels, e.g. languages); target texts whose log-probabilities are compared; [[...]] marks the spans aligned.
//
// Results: per prompt its tokens (aligned groups highlighted), top predictions, target probabilities and
// log p(a) − log p(b); across prompts the variances (sets, templates); a heads table of every attention metric per
// prompt with the difference (pair) or the variance (sets), sorted by |value|; a layer × head grid of the chosen
// metric's difference in diverging colours; the aligned attention of the chosen head per group and prompt. The
// form and the view live in the URL (compare-state.js). compare-shell.js mounts it and calls start() for its URLs.
import { api } from '../../core/api.js';
import { button, el } from '../../core/dom.js';
import { downloadCSV, downloadJSON } from '../../core/download.js';
import { visibleSpaces } from '../../core/format.js';
import { fillModelSelect } from '../../components/form-fields.js';
import { spinner } from '../../components/spinner.js';
import { formPageFrame, showPageURL } from '../page-frame.js';
import { ComparisonRequests } from './comparison-requests.js';
import { CompareForm } from './compare-form.js';
import { compareCSVRows, promptNames, sortedHeads } from './compare-data.js';
import { DEFAULTS, decodeCompareURL, encodeCompareURL, requestBody } from './compare-state.js';
import { subjectOf } from './compare-subjects.js';
import { HeadsSection } from './heads-section.js';
import { acrossSection, promptCard } from './prompt-cards.js';

/// The page in root; host: {setStatus(text, kind)}.
export class PromptComparison {
  constructor(root, host) {
    this.root = root;
    this.host = host;
    this.data = null; // the last response
    this.view = { metric: DEFAULTS.metric, order: DEFAULTS.order, all: false, head: null };
    this.ran = false;
    this.form = new CompareForm({ changed: () => this.formChanged(), submit: () => this.compare(true) });
    this.build();
  }

  build() {
    const main = formPageFrame(this.root, this.form.form, 'Compare prompts');
    const toolbar = el('div', 'toolbar');
    this.caption = el('span', 'muted small', { id: 'compare-caption' });
    this.csvButton = button('CSV', { id: 'compare-export-csv', title: 'the heads table (every metric) as CSV', disabled: '' });
    this.jsonButton = button('JSON', { id: 'compare-export-json', title: 'the comparison response as JSON', disabled: '' });
    toolbar.append(this.csvButton, this.jsonButton);
    this.busy = spinner(toolbar);
    toolbar.append(this.caption);
    this.empty = el('p', 'empty-state', { id: 'compare-empty' },
      'Choose what to compare and press Compare: the prompts appear side by side, then every head\'s attention metrics.');
    this.results = el('div', 'compare-results', { id: 'compare-results', hidden: '', 'aria-live': 'polite' });
    main.append(toolbar, this.empty, this.results);
    this.requests = new ComparisonRequests({ host: this.host, submit: this.form.submit, busy: this.busy,
      error: this.form.error, results: this.results, label: 'comparing' });
    this.csvButton.addEventListener('click', () => this.data && downloadCSV(`glassbox-compare-${this.data.kind}-heads.csv`,
      compareCSVRows(this.data, promptNames(this.data), sortedHeads(this.data, this.view))));
    this.jsonButton.addEventListener('click', () => this.data &&
      downloadJSON(`glassbox-compare-${this.data.kind}.json`, this.data, 1));
  }

  formChanged() {
    this.form.renderTargetsPreview();
    this.requests.markStale(requestBody(this.form.state));
    clearTimeout(this.urlTimer);
    // a stale timer (the user switched to another subject meanwhile) leaves that subject's URL alone
    this.urlTimer = setTimeout(() => subjectOf(location.search) === 'prompts' && this.writeURL(false), 300);
  }

  writeURL(push) {
    showPageURL(`/?${encodeCompareURL(this.form.state, this.view, this.ran)}`, push);
  }

  async start() {
    const { form, view, ran } = decodeCompareURL(location.search);
    this.form.fill(form);
    this.view = view;
    this.ran = ran;
    try {
      const list = await api.modelsOnce();
      fillModelSelect(this.form.model, list, form.model);
    } catch (error) {
      this.form.error.show(error);
      return;
    }
    if (this.ran) await this.compare(false);
    else {
      this.requests.cancel();
      this.data = null;
      this.results.hidden = true;
      this.empty.hidden = false;
    }
  }

  async compare(fromUser) {
    const body = requestBody(this.form.state);
    this.ran = true;
    if (fromUser) {
      this.view.head = null; // the best head of the new comparison
      this.writeURL(true);
    }
    const data = await this.requests.ask(body);
    if (!data) return;
    this.data = data;
    this.render();
  }

  async openRun(text, control) {
    control.disabled = true;
    try {
      const run = await api.createRun(this.data.model, text);
      location.href = `/runs/${run.id}`;
    } catch (error) {
      control.disabled = false;
      this.form.error.show(error);
    }
  }

  render() {
    const d = this.data;
    const names = promptNames(d);
    this.results.classList.remove('stale');
    this.results.dataset.kind = d.kind;
    this.results.dataset.prompts = String(d.prompts.length);
    const L = Math.max(0, ...d.heads.map((x) => x.layer + 1));
    const H = Math.max(0, ...d.heads.map((x) => x.head + 1));
    this.caption.textContent = `${d.model} · ${d.kind} of ${d.prompts.length} prompts · ` +
      `aligned by ${d.alignment === 'spans' ? 'the marked spans' : 'identical tokens'} (${d.groups.length} group${d.groups.length === 1 ? '' : 's'})` +
      ` · ${d.heads.length} heads (${L} layers × ${H})`;
    const cards = el('div', 'prompt-cards', { id: 'compare-prompts' });
    cards.style.gridTemplateColumns = `repeat(${d.prompts.length}, minmax(15rem, 1fr))`;
    d.prompts.forEach((p, i) => cards.append(promptCard(d, p, i, names, (text, control) => this.openRun(text, control))));
    const heads = new HeadsSection({ data: d, names, view: this.view, shape: { L, H }, changed: () => this.writeURL(false) });
    this.results.replaceChildren(this.notes(d), cards, acrossSection(d), heads.element);
    this.results.hidden = false;
    this.empty.hidden = true;
    this.csvButton.disabled = false;
    this.jsonButton.disabled = false;
  }

  notes(d) {
    const notes = el('div', 'compare-notes', { id: 'compare-notes' });
    for (const t of d.targets) {
      if (!t.first_token_only) continue;
      notes.append(el('p', 'note small', { 'data-target': t.text },
        `Target "${visibleSpaces(t.text)}" is more than one token: only its first token ${t.display} is scored.`));
    }
    if (d.alignment === 'tokens' && !d.groups.length) {
      notes.append(el('p', 'note small', null, 'No tokens are shared by every prompt and no spans are marked: nothing is aligned. Mark spans with [[…]].'));
    }
    return notes;
  }
}
