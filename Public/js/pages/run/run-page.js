// The run page (/ and /runs/{id}): owns the state (run, view, threshold, selection, each view's part), keeps it in
// the URL (core/url-state.js), runs prompts, and shows one view at a time through the views' common interface
// (views.js). The sidebar, the token strip and the tabs are its own; the views are mounted when first shown for a
// run and destroyed when another run is shown.
import { api } from '../../core/api.js';
import { byId } from '../../core/dom.js';
import { parseNode } from '../../core/node-names.js';
import { rememberRun } from '../../core/run-history.js';
import { createRunState, decodeRunState, encodeRunState, runIdOf, runURL, startNewRun } from '../../core/url-state.js';
import { createTabs } from '../../components/tabs.js';
import { createTokenStrip } from '../../components/token-strip.js';
import { setStatus } from '../page-status.js';
import { Sidebar } from './sidebar.js';
import { VIEWS } from './views.js';

export const LAST_RUN = 'glassbox.lastRun'; // sessionStorage: the header's Run link returns to it

export function mountRunPage() {
  const page = new RunPage();
  window.addEventListener('popstate', () => page.start());
  page.start();
  return page;
}

class RunPage {
  constructor() {
    this.state = createRunState(VIEWS);
    this.timings = {};
    this.glassbox = { state: this.state, timings: this.timings }; // for scripts driving the page (tools/bench)
    window.glassbox = this.glassbox;
    this.mounted = new Map(); // view name → the mounted view
    this.thresholdTimer = null;
    this.sidebar = new Sidebar({
      run: () => this.runPrompt(),
      threshold: (value) => this.setThreshold(value),
      renormalize: (on) => { this.state.renormalize = on; this.writeURL(); this.refreshGraph(); },
      start: (start) => this.setStart(start),
      predict: (tokenId, position, explicit) => this.attributePrediction(tokenId, position, explicit),
    }, (error) => this.showError(error));
    this.tokens = createTokenStrip(byId('tokens'), (i) => this.setStart(i));
    this.tabs = createTabs(byId('tabs'), VIEWS.map((v) => v.name), (name) => this.showView(name));
    this.host = this.createHost();
  }

  /// What the views may use of the page: the run, the state, the URL and the jumps to other views.
  createHost() {
    const page = this, state = this.state;
    return {
      state,
      timings: this.timings,
      get runId() { return state.runId; },
      get run() { return state.run; },
      writeURL: () => this.writeURL(),
      showError: (error) => this.showError(error),
      baseName: () => `glassbox-${(state.runId || 'run').slice(0, 12)}`,
      setStart: (start) => this.setStart(start),
      showView: (name) => this.showView(name),
      openAttention(layer, head) {
        state.attentionLayer = layer;
        state.attentionHead = String(head);
        return page.showView('attention', true);
      },
      openNode(name) {
        if (!parseNode(name)) return;
        state.select = { node: name };
        return page.showView('graph', true);
      },
      openLens(layer, token) {
        state.lensPoint = 'post';
        state.lensCell = { layer, token };
        return page.showView('lens', true);
      },
      /// The Attributions tab explaining a token at a position (a new history entry when it was not shown).
      openAttribution(tokenId, position) {
        state.attrTarget = String(tokenId);
        state.attrPosition = position === state.run.tokens.length - 1 ? null : position;
        return page.showView('attributions', state.view !== 'attributions');
      },
      /// Marks the prediction the attributions explain in the Next tokens list (null: none).
      markTarget: (tokenId, position) => this.sidebar.markTarget(tokenId, position),
    };
  }

  /// A prediction under Next tokens was clicked: in the Attributions tab (or by its "why?" button, `explicit`) it
  /// becomes the attribution target.
  attributePrediction(tokenId, position, explicit) {
    if (!this.state.run || (!explicit && this.state.view !== 'attributions')) return;
    this.host.openAttribution(tokenId, position);
  }

  // --- status and errors

  showError(error) {
    const box = byId('error');
    box.textContent = error && error.message ? error.message : String(error);
    box.hidden = false;
    setStatus('error', 'error');
  }

  clearError() {
    byId('error').hidden = true;
    byId('error').textContent = '';
  }

  // --- URL

  /// The state into the URL; push: a new history entry (Back returns to the previous one).
  writeURL(push = false) {
    if (!this.state.runId) return;
    const url = runURL(this.state.runId, encodeRunState(this.state, VIEWS));
    if (push) history.pushState(null, '', url); else history.replaceState(null, '', url);
    try { sessionStorage.setItem(LAST_RUN, url); } catch (_) { /* no storage */ }
  }

  /// The page for the URL: the models, then the run it names (if any).
  async start() {
    this.clearError();
    decodeRunState(location.search, VIEWS, this.state);
    const id = runIdOf(location.pathname);
    try {
      if (!this.glassbox.models) this.glassbox.models = await this.sidebar.loadModels();
      if (id) {
        setStatus('loading…', 'running');
        this.state.runId = id;
        await this.showRun(await api.run(id));
        setStatus('', 'done');
      } else {
        setStatus('', 'idle');
      }
    } catch (error) {
      this.showError(error);
    }
  }

  // --- running a prompt and showing a run

  async runPrompt() {
    const prompt = this.sidebar.prompt;
    if (!prompt.trim()) {
      this.showError(new Error('Type a prompt first.'));
      return;
    }
    this.clearError();
    const button = byId('run-button');
    button.disabled = true;
    const started = performance.now();
    const timer = setInterval(() => setStatus(`running… ${((performance.now() - started) / 1000).toFixed(1)} s`, 'running'), 100);
    setStatus('running…', 'running');
    try {
      const run = await api.createRun(this.sidebar.model, prompt);
      this.timings.runMs = performance.now() - started;
      startNewRun(this.state, VIEWS, run);
      this.writeURL(true);
      await this.showRun(run);
      this.timings.drawnMs = performance.now() - started;
      setStatus(`done in ${(this.timings.drawnMs / 1000).toFixed(2)} s`, 'done');
    } catch (error) {
      this.showError(error);
    } finally {
      clearInterval(timer);
      button.disabled = false;
    }
  }

  async showRun(run) {
    const state = this.state;
    state.run = run;
    rememberRun(run); // the runs a graph diff may pick (core/run-history.js)
    this.sidebar.syncControls(state);
    for (const [name, view] of this.mounted) this.module(name).destroy(view);
    this.mounted.clear();
    const n = run.tokens.length;
    if (state.start === null || (state.start !== 'all' && !(state.start >= 0 && state.start < n))) state.start = n - 1;
    this.sidebar.showRun(run, state.start);
    this.tokens.render(run.tokens, state.start);
    this.sidebar.showPredictions(state);
    await this.showView(state.view);
  }

  // --- views

  module(name) {
    return VIEWS.find((v) => v.name === name);
  }

  /// Draws a view (mounting it first); change as in views.js.
  async update(name, change) {
    const module = this.module(name);
    if (!this.mounted.has(name)) this.mounted.set(name, module.mount(byId(`view-${name}`), this.host));
    await module.update(this.mounted.get(name), change);
  }

  /// Shows a view; push: a new history entry (a jump from one view to another, so that Back returns).
  async showView(name, push = false) {
    this.state.view = name;
    if (name !== 'attributions') this.sidebar.markTarget(null);
    this.tabs.select(name);
    this.writeURL(push);
    if (!this.state.run) return;
    try {
      await this.update(name);
    } catch (error) {
      this.showError(error);
    }
  }

  /// The graph again after a change of its controls (when it has been shown for this run).
  refreshGraph(change) {
    if (this.mounted.has('graph')) this.update('graph', change).catch((error) => this.showError(error));
  }

  setThreshold(value) {
    this.state.threshold = value;
    clearTimeout(this.thresholdTimer);
    this.thresholdTimer = setTimeout(() => { this.writeURL(); this.refreshGraph(); }, 150);
  }

  setStart(start) {
    this.state.start = start;
    this.sidebar.markStart(start);
    this.tokens.mark(start);
    this.sidebar.showPredictions(this.state);
    this.refreshGraph('start');
    this.writeURL();
  }
}
