// The Compare page's Models mode (/?page=compare&subject=models): two configured models read one text through
// POST /api/compare {models, prompt, top_k}. Results: both tokenisations and top-k lists side by side, the
// next-token distributions compared over the strings both vocabularies share (the mass outside them shown), the
// per-layer metric means of both models on one relative-depth axis with where the lens settles, the pattern
// classes and the anomaly counts. The form and the chosen metric live in the URL (models-state.js); exports: the
// response as JSON, the layer metrics as CSV. compare-shell.js mounts it and calls start() for its URLs.
import { api } from '../../../core/api.js';
import { button, el } from '../../../core/dom.js';
import { downloadCSV, downloadJSON } from '../../../core/download.js';
import { num } from '../../../core/format.js';
import { spinner } from '../../../components/spinner.js';
import { formPageFrame, showPageURL } from '../../page-frame.js';
import { ComparisonRequests } from '../comparison-requests.js';
import { subjectOf } from '../compare-subjects.js';
import { distributionSection } from './distribution-section.js';
import { headCountsSection } from './head-counts.js';
import { layersSection } from './layers-section.js';
import { modelCards } from './model-cards.js';
import { layerMetricsCSVRows } from './models-data.js';
import { ModelsForm } from './models-form.js';
import { MODEL_DEFAULTS, decodeModelsURL, defaultPair, encodeModelsURL, modelsRequestBody } from './models-state.js';

export class ModelComparison {
  /// The page in root; host: {setStatus(text, kind)}.
  constructor(root, host) {
    this.root = root;
    this.host = host;
    this.data = null;
    this.view = { metric: MODEL_DEFAULTS.metric };
    this.ran = false;
    this.form = new ModelsForm({ changed: () => this.formChanged(), submit: () => this.compare(true) });
    this.build();
  }

  build() {
    const main = formPageFrame(this.root, this.form.form, 'Compare models');
    const toolbar = el('div', 'toolbar');
    this.caption = el('span', 'muted small', { id: 'models-caption' });
    this.csvButton = button('CSV', { id: 'models-export-csv', title: 'the layer metrics of both models as CSV', disabled: '' });
    this.jsonButton = button('JSON', { id: 'models-export-json', title: 'the comparison response as JSON', disabled: '' });
    toolbar.append(this.csvButton, this.jsonButton);
    this.busy = spinner(toolbar);
    toolbar.append(this.caption);
    this.empty = el('p', 'empty-state', { id: 'models-empty' },
      'Choose two models and a text and press Compare: how each tokenises it, what each predicts next, how far apart ' +
      'the predictions are, and how their layers behave by relative depth.');
    this.results = el('div', 'compare-results', { id: 'models-results', hidden: '', 'aria-live': 'polite' });
    main.append(toolbar, this.empty, this.results);
    this.requests = new ComparisonRequests({ host: this.host, submit: this.form.submit, busy: this.busy,
      error: this.form.error, results: this.results, label: 'comparing the models' });
    const name = () => `glassbox-compare-models-${this.data.models.map((s) => s.model).join('-vs-')}`;
    this.csvButton.addEventListener('click', () => this.data && downloadCSV(`${name()}-layers.csv`, layerMetricsCSVRows(this.data)));
    this.jsonButton.addEventListener('click', () => this.data && downloadJSON(`${name()}.json`, this.data, 1));
  }

  formChanged() {
    this.requests.markStale(modelsRequestBody(this.form.state));
    clearTimeout(this.urlTimer);
    // a stale timer (the user switched to another subject meanwhile) leaves that subject's URL alone
    this.urlTimer = setTimeout(() => subjectOf(location.search) === 'models' && this.writeURL(false), 300);
  }

  writeURL(push) {
    showPageURL(`/?${encodeModelsURL(this.form.state, this.view, this.ran)}`, push);
  }

  /// The page for the current URL: the form filled, the models' menus, and the comparison again when it ran.
  async start() {
    const { form, view, ran } = decodeModelsURL(location.search);
    this.form.fill(form);
    this.view = view;
    this.ran = ran;
    try {
      const list = await api.modelsOnce();
      this.form.fillModels(list, defaultPair(list.models.map((m) => m.name), list.default, form));
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
    const body = modelsRequestBody(this.form.state);
    this.ran = true;
    if (fromUser) this.writeURL(true);
    const data = await this.requests.ask(body);
    if (!data) return;
    this.data = data;
    this.render();
  }

  render() {
    const d = this.data;
    const [a, b] = d.models;
    this.results.classList.remove('stale');
    this.results.dataset.kind = d.kind;
    this.caption.textContent = `${a.model} (${a.layers} layers) vs ${b.model} (${b.layers} layers) · ` +
      `${a.tokens.length} and ${b.tokens.length} tokens · JS ${num(d.distribution.js)} nats`;
    const layers = layersSection(d, this.view, (metric) => {
      this.view.metric = metric;
      this.writeURL(false);
    });
    this.results.replaceChildren(modelCards(d), distributionSection(d.distribution), layers, headCountsSection(d));
    this.results.hidden = false;
    this.empty.hidden = true;
    this.csvButton.disabled = false;
    this.jsonButton.disabled = false;
  }
}
