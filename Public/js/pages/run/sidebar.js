// The run page's sidebar: the model menu and its facts, the prompt with its byte count, the graph controls
// (threshold, renormalize, start token) and the next-token predictions after the start token (a click on one, or
// its "why?" button, explains it in the Attributions tab).
import { api } from '../../core/api.js';
import { byId, el } from '../../core/dom.js';
import { modelFacts, promptLimit } from './model-info.js';

export class Sidebar {
  /// on: {run(), threshold(value) (each step of the slider), renormalize(on), start(start), predict(tokenId, position,
  /// explicit) (a click on a prediction; explicit: on its "why?" button)}; showError(error).
  constructor(on, showError) {
    this.showError = showError;
    this.models = null;
    this.maxPromptBytes = null;
    this.predictionsRequest = 0;
    this.predictionsPosition = null;
    this.marked = null; // {id, position}: the prediction the attributions explain
    byId('predictions').addEventListener('click', (event) => {
      const li = event.target.closest?.('li[data-token-id]');
      if (li) on.predict(Number(li.dataset.tokenId), this.predictionsPosition, Boolean(event.target.closest('.why')));
    });
    byId('run-button').addEventListener('click', on.run);
    byId('prompt').addEventListener('input', () => this.showPromptLimit());
    byId('prompt').addEventListener('keydown', (event) => { if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) on.run(); });
    byId('model-select').addEventListener('change', () => this.showModel(this.models.find((m) => m.name === byId('model-select').value)));
    byId('threshold').addEventListener('input', () => {
      const value = Number(byId('threshold').value);
      byId('threshold-value').textContent = value.toFixed(2);
      on.threshold(value);
    });
    byId('renormalize').addEventListener('change', () => on.renormalize(byId('renormalize').checked));
    byId('start-token').addEventListener('change', () => on.start(byId('start-token').value === 'all' ? 'all' : Number(byId('start-token').value)));
  }

  /// GET /api/models into the model menu (the server's default chosen).
  async loadModels() {
    const list = await api.models();
    const select = byId('model-select');
    select.replaceChildren(...list.models.map((model) => {
      const option = new Option(model.name + (model.description ? ` — ${model.description}` : ''), model.name);
      option.selected = model.name === list.default;
      return option;
    }));
    if (list.limits) this.maxPromptBytes = list.limits.max_prompt_bytes;
    this.models = list.models;
    this.showModel(list.models.find((m) => m.name === select.value));
    this.showPromptLimit();
    return list.models;
  }

  showModel(model) {
    const info = byId('model-info');
    info.replaceChildren();
    if (!model) return;
    for (const [label, value] of modelFacts(model)) info.append(el('dt', null, null, label), el('dd', null, null, String(value)));
  }

  showPromptLimit() {
    const limit = promptLimit(new TextEncoder().encode(byId('prompt').value).length, this.maxPromptBytes);
    byId('prompt-limit').textContent = limit.text;
    byId('prompt-limit').classList.toggle('down', limit.over);
  }

  get prompt() { return byId('prompt').value; }
  get model() { return byId('model-select').value; }

  /// The graph controls from the state (after reading a permalink, whatever the view).
  syncControls(state) {
    byId('threshold').value = String(state.threshold);
    byId('threshold-value').textContent = state.threshold.toFixed(2);
    byId('renormalize').checked = state.renormalize;
  }

  /// A run's prompt, model and tokens (the start-token menu).
  showRun(run, start) {
    byId('prompt').value = run.prompt;
    this.showPromptLimit();
    const modelSelect = byId('model-select');
    if ([...modelSelect.options].some((o) => o.value === run.model.name)) modelSelect.value = run.model.name;
    this.showModel(run.model);
    const options = run.tokens.map((token, i) => new Option(`${i}: ${token.display}`, String(i)));
    byId('start-token').replaceChildren(...options, new Option('all tokens', 'all'));
    byId('start-token').value = String(start);
  }

  markStart(start) {
    byId('start-token').value = String(start);
  }

  /// The predictions after the start token: the run's own after the last one, else the logit lens of the last
  /// layer's output there.
  async showPredictions(state) {
    const { run } = state;
    const last = run.tokens.length - 1;
    const position = state.start === 'all' ? last : state.start;
    const request = ++this.predictionsRequest;
    let predictions = run.top;
    if (position !== last) {
      try {
        predictions = (await api.lens(state.runId, run.model.layers - 1, 'post', position, run.top.length)).top;
      } catch (error) {
        this.showError(error);
        return;
      }
      if (request !== this.predictionsRequest) return;
    }
    byId('predictions-caption').textContent = `After "${run.tokens[position].display}" (position ${position}):`;
    this.predictionsPosition = position;
    byId('predictions').replaceChildren(...predictions.map((p) => {
      const li = el('li', null, { 'data-token-id': p.id });
      const why = el('button', 'why', { type: 'button', title: `why "${p.display}"? Its attributions to the prompt's tokens ` +
        '(the Attributions tab)', 'aria-label': `attribute ${p.display}` }, 'why?');
      li.append(el('span', 'pred', null, p.display), el('span', 'prob', null, `${(p.probability * 100).toFixed(1)}%`), why);
      return li;
    }));
    this.markTarget(this.marked?.id ?? null, this.marked?.position);
  }

  /// Marks the prediction whose attributions are shown (when the list is of its position); null: none.
  markTarget(tokenId, position) {
    this.marked = tokenId === null ? null : { id: tokenId, position };
    for (const li of byId('predictions').children) {
      const on = this.marked !== null && this.marked.position === this.predictionsPosition && Number(li.dataset.tokenId) === tokenId;
      li.classList.toggle('attr-target', on);
      if (on) li.setAttribute('aria-current', 'true'); else li.removeAttribute('aria-current');
    }
  }
}
