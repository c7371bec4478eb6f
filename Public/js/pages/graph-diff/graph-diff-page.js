// The graph diff page (/?page=graph-diff&a=RUN&b=RUN&threshold=…, graph-diff-state.js): the difference B − A of two
// runs' contribution graphs (GET /api/graph-diff) drawn on the graph view's layout in a diverging palette, with
// appearing and vanishing edges marked and a legend; both prompts' tokens; the counts; the largest differences (a
// row highlights its edge); exports of the response (JSON) and the edges (CSV). Opened from a run page's
// "Diff with…" (views/graph/diff-picker.js), or with two runs of the history chosen here.
import { api } from '../../core/api.js';
import { whileBusy } from '../../core/busy-retry.js';
import { button, el } from '../../core/dom.js';
import { downloadCSV, downloadJSON } from '../../core/download.js';
import { requestGuard } from '../../core/request-guard.js';
import { loadHistory, rememberRun } from '../../core/run-history.js';
import { spinner } from '../../components/spinner.js';
import { createTokenStrip } from '../../components/token-strip.js';
import { formPageFrame, showPageURL } from '../page-frame.js';
import { diffCSVRows, diffCaption, diffScale, edgeIndex, edgeText, refusalText, tokenPairs } from './diff-data.js';
import { createDiffDrawing } from './diff-drawing.js';
import { DiffForm } from './diff-form.js';
import { fillDiffLegend } from './diff-legend.js';
import { decodeGraphDiffURL, diffQuery, edgeKey, graphDiffURL } from './graph-diff-state.js';
import { renderLargest } from './largest-list.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class GraphDiffPage {
  /// The page in root; host: {setStatus(text, kind)}.
  constructor(root, host) {
    this.host = host;
    this.state = decodeGraphDiffURL(location.search);
    this.data = null;
    this.cache = new Map(); // query → response
    this.guard = requestGuard();
    this.form = new DiffForm({
      runs: () => this.changed(true),
      threshold: () => { clearTimeout(this.timer); this.timer = setTimeout(() => this.changed(false), 200); },
      options: () => this.changed(false),
    });
    this.build(root);
    window.addEventListener('popstate', () => this.start());
    this.start();
  }

  build(root) {
    const main = formPageFrame(root, this.form.form, 'Graph diff');
    const toolbar = el('div', 'toolbar');
    this.fitButton = button('Fit', { id: 'diff-fit', title: 'fit the graph (0)' });
    this.jsonButton = button('JSON', { id: 'diff-export-json', title: 'the graph-diff response as JSON', disabled: '' });
    this.csvButton = button('CSV', { id: 'diff-export-csv', title: 'every edge with both weights and the difference', disabled: '' });
    toolbar.append(this.fitButton, this.jsonButton, this.csvButton);
    this.busy = spinner(toolbar);
    this.caption = el('span', 'muted small', { id: 'diff-caption' });
    toolbar.append(this.caption);
    this.empty = el('p', 'empty-state', { id: 'diff-empty', hidden: '' },
      'Choose two runs with the same number of tokens: open a run and press "Diff with…" above its graph, or pick runs A and B here.');
    this.results = el('div', 'diff-results', { id: 'diff-results', hidden: '' });
    this.counts = el('p', 'diff-counts', { id: 'diff-counts', 'aria-live': 'polite' });
    this.tokensA = el('div', 'tokens diff-tokens', { id: 'diff-tokens-a', 'aria-label': 'tokens of run A' });
    this.tokensB = el('div', 'tokens diff-tokens', { id: 'diff-tokens-b', 'aria-label': 'tokens of run B' });
    this.promptA = el('span', 'diff-prompt', { id: 'diff-prompt-a' });
    this.promptB = el('span', 'diff-prompt', { id: 'diff-prompt-b' });
    const tokens = el('div', 'diff-token-rows');
    tokens.append(el('span', 'side-tag', null, 'A'), this.promptA, this.tokensA, el('span', 'side-tag', null, 'B'), this.promptB, this.tokensB);
    this.legend = el('div', 'class-legend diff-legend', { id: 'diff-legend' });
    const area = el('div', 'graph-area');
    this.graph = el('div', 'graph gb-graph', { id: 'diff-graph', tabindex: '0', 'aria-label': 'Graph diff' });
    const side = el('aside', 'panel');
    this.largest = el('table', 'table diff-largest', { id: 'diff-largest' });
    this.edgeDetail = el('p', 'small diff-edge-detail', { id: 'diff-edge-detail', 'aria-live': 'polite' });
    side.append(el('h3', null, null, 'Largest differences'), this.edgeDetail, this.largest);
    area.append(this.graph, side);
    this.results.append(this.counts, tokens, this.legend, area);
    main.append(toolbar, this.form.explanation, this.empty, this.results);
    this.drawing = createDiffDrawing(this.graph, { onEdgeClick: (index) => this.pick(index) });
    this.fitButton.addEventListener('click', () => this.drawing.fit());
    const base = () => `glassbox-graph-diff-${this.data.a.id.slice(0, 8)}-${this.data.b.id.slice(0, 8)}`;
    this.jsonButton.addEventListener('click', () => this.data && downloadJSON(`${base()}.json`, this.data, 1));
    this.csvButton.addEventListener('click', () => this.data && downloadCSV(`${base()}-edges.csv`, diffCSVRows(this.data)));
  }

  /// The form changed: the state from it (a new history entry when the runs changed), then the diff.
  changed(push) {
    const runsChanged = this.form.values.a !== this.state.a || this.form.values.b !== this.state.b;
    this.state = { ...this.form.values, edge: runsChanged ? null : this.state.edge };
    showPageURL(graphDiffURL(this.state), push && runsChanged);
    this.start(false);
  }

  /// The runs' history entries, asking the server for those the history lacks (a permalink in a fresh browser).
  async entries() {
    let history = loadHistory();
    for (const id of [this.state.a, this.state.b]) {
      if (!id || history.some((e) => e.id === id)) continue;
      try {
        rememberRun(await api.run(id));
      } catch (_) { /* unknown run: the diff's 404 says so */ }
      history = loadHistory();
    }
    return history;
  }

  /// The page for the state (read from the URL first, unless the form has just set it).
  async start(fromURL = true) {
    if (fromURL) this.state = decodeGraphDiffURL(location.search);
    this.form.fill(this.state);
    const history = await this.entries();
    this.form.fillRuns(history, this.state.a, this.state.b);
    this.form.explain(null);
    if (!this.state.a || !this.state.b) {
      this.guard.cancel();
      this.empty.hidden = false;
      this.results.hidden = true;
      return;
    }
    this.empty.hidden = true;
    const current = this.guard.next();
    const key = JSON.stringify(diffQuery(this.state));
    let data = this.cache.get(key);
    if (!data) {
      data = await this.fetch(key, current, history);
      if (!data) return;
    }
    this.data = data;
    this.render();
  }

  async fetch(key, current, history) {
    this.busy.start('diffing the graphs');
    this.host.setStatus('diffing…', 'running');
    try {
      const data = await whileBusy(() => api.graphDiff(diffQuery(this.state)), current, sleep);
      if (!current()) return null;
      this.cache.set(key, data);
      this.host.setStatus('', 'done');
      return data;
    } catch (error) {
      if (!current()) return null;
      const runs = { a: history.find((e) => e.id === this.state.a), b: history.find((e) => e.id === this.state.b) };
      this.form.explain(refusalText(error, runs));
      this.form.explanation.dataset.status = String(error.status ?? '');
      this.results.hidden = true;
      this.host.setStatus('error', 'error');
      return null;
    } finally {
      if (current()) this.busy.stop();
    }
  }

  render() {
    const d = this.data;
    this.results.hidden = false;
    this.caption.textContent = diffCaption(d);
    this.counts.replaceChildren(...['both', 'appears', 'vanishes'].flatMap((k, i) => [i ? ' · ' : '',
      el('span', `count ${k}`, { 'data-key': k, 'data-value': d.counts[k] }, `${d.counts[k]} ${k === 'both' ? 'in both' : k}`)]));
    const history = loadHistory();
    const prompt = (id) => history.find((e) => e.id === id)?.prompt ?? '';
    this.promptA.textContent = `${d.a.model} · ${prompt(d.a.id)}`;
    this.promptB.textContent = `${d.b.model} · ${prompt(d.b.id)}`;
    const pairs = tokenPairs(d);
    for (const [box, side] of [[this.tokensA, 'a'], [this.tokensB, 'b']]) {
      createTokenStrip(box, () => {}).render(d[side].tokens.map((display, i) => ({ display, id: i })), null);
      for (const span of box.children) span.classList.toggle('differs', !pairs[Number(span.dataset.index)].same);
    }
    fillDiffLegend(this.legend, diffScale(d.edges));
    this.drawing.render(d);
    this.mark = renderLargest(this.largest, d, (index) => this.pick(index));
    this.jsonButton.disabled = false;
    this.csvButton.disabled = false;
    this.showEdge(edgeIndex(d, this.state.edge));
  }

  /// An edge chosen in the list or the graph: highlighted in both, kept in the URL.
  pick(index) {
    this.state.edge = index >= 0 ? edgeKey(this.data.edges[index]) : null;
    showPageURL(graphDiffURL(this.state), false);
    this.showEdge(index);
  }

  showEdge(index) {
    this.drawing.highlight(index);
    this.mark(index);
    this.edgeDetail.textContent = index >= 0 ? edgeText(this.data.edges[index]) : 'Click a row or an edge to highlight it.';
    this.edgeDetail.dataset.index = String(index);
  }
}
