// Analytics · Ablation: how the log-probability of the predicted next token changes when each head's output is zeroed
// and when each layer is skipped (GET /api/runs/{id}/ablation: one real forward pass each, so it takes seconds on a
// real model and runs only when asked). A layer × head grid in diverging colours and one bar per layer.
//
//   ablationView.create(root, host) → {show(), reset(), destroy()}; URL parameter measure=1 once measured.
import { api } from './api.js';
import { csv, download } from './export.js';
import { gridKey } from './heatmap-common.js';
import { h, button, fmt, isNum, quoted, diverging, divergingText, divergingGradient, requestGuard, spinner }
  from './analytics-common.js';

export const ablationView = {
  name: 'ablation',
  label: 'Ablation',

  defaults(state) {
    state.ablate = false;
  },

  read(params, state) {
    state.ablate = params.get('measure') === '1';
  },

  write(state, params) {
    if (state.ablate) params.set('measure', '1');
  },

  create(root, host) {
    return new AblationView(root, host);
  },
};

function ratioText(delta) {
  if (!isNum(delta)) return '';
  const r = Math.exp(delta);
  return `p × ${r >= 10 ? r.toFixed(0) : r >= 0.01 ? r.toFixed(2) : r.toExponential(1)}`;
}

class AblationView {
  constructor(root, host) {
    this.root = root;
    this.host = host;
    this.data = null;
    this.dataRun = null;
    this.pending = null;
    this.guard = requestGuard();
    this.build();
  }

  build() {
    const toolbar = h('div', 'toolbar');
    this.measureButton = h('button', 'primary', { type: 'button', id: 'ablation-measure' }, 'Measure by ablation');
    this.csvButton = button('CSV', { id: 'export-ablation-csv', title: 'head and layer effects as CSV', disabled: '' });
    this.jsonButton = button('JSON', { id: 'export-ablation-json', title: 'the ablation response as JSON', disabled: '' });
    toolbar.append(this.measureButton, this.csvButton, this.jsonButton);
    this.busy = spinner(toolbar);
    this.intro = h('p', 'muted small', { id: 'ablation-intro' },
      'Zeroes the output of one head at a time, then skips one layer at a time, and runs the model again each time: ' +
      'the change in log-probability of the predicted next token (at the last position) says how much the prediction ' +
      'depends on that part. One forward pass per head and per layer: this takes a few seconds on a real model.');
    this.results = h('div', 'ablation-results', { id: 'ablation-results', 'aria-live': 'polite', hidden: '' });
    this.caption = h('p', null, { id: 'ablation-caption' });
    const area = h('div', 'ablation-area');
    const gridPart = h('div');
    this.grid = h('div', 'ablation-grid', { id: 'ablation-grid', role: 'grid', 'aria-label': 'Δ log-probability by layer and head' });
    this.legend = h('div', 'diverging-legend', { id: 'ablation-legend' });
    gridPart.append(h('h4', null, null, 'Heads: Δ log p when zeroed'),
      h('p', 'muted small', null, 'Layers bottom to top. Click a cell for the head\'s attention map.'), this.grid, this.legend);
    const barsPart = h('div');
    this.bars = h('div', 'ablation-bars', { id: 'ablation-layers', role: 'list', 'aria-label': 'Δ log-probability by skipped layer' });
    barsPart.append(h('h4', null, null, 'Layers: Δ log p when skipped'),
      h('p', 'muted small', null, 'Red: the prediction gets less likely without the layer; blue: more likely.'), this.bars);
    area.append(gridPart, barsPart);
    this.results.append(this.caption, area);
    this.root.replaceChildren(toolbar, this.intro, this.results);

    this.measureButton.addEventListener('click', () => {
      this.host.state.ablate = true;
      this.host.writeURL();
      this.show().catch(this.host.showError);
    });
    this.csvButton.addEventListener('click', () => this.exportCSV());
    this.jsonButton.addEventListener('click', () => this.data &&
      download(`${this.host.baseName()}-ablation.json`, JSON.stringify(this.data, null, 1), 'application/json'));
    this.grid.addEventListener('click', (event) => {
      const cell = event.target.closest?.('.ablation-cell');
      if (cell) this.host.openAttention(Number(cell.dataset.layer), Number(cell.dataset.head));
    });
    this.grid.addEventListener('keydown', (event) => this.gridKeys(event));
  }

  reset() {
    this.guard.cancel();
    this.busy.stop();
    this.pending = null;
    this.data = null;
    this.dataRun = null;
    this.results.hidden = true;
    this.measureButton.disabled = false;
    this.root.removeAttribute('aria-busy');
    this.csvButton.disabled = true;
    this.jsonButton.disabled = true;
  }

  async show() {
    const runId = this.host.runId;
    if (this.dataRun === runId && this.data) {
      if (!this.host.state.ablate) { // measured before (e.g. Back to a URL without measure=1): say so in the URL
        this.host.state.ablate = true;
        this.host.writeURL();
      }
      return this.render();
    }
    this.results.hidden = true;
    if (!this.host.state.ablate) return; // measured only on request (the button, or a permalink that says measure=1)
    if (this.pending === runId) return;
    const current = this.guard.next();
    this.pending = runId;
    const model = this.host.run.model;
    this.measureButton.disabled = true;
    this.root.setAttribute('aria-busy', 'true');
    this.busy.start(`measuring: ${model.layers * model.heads + model.layers} forward passes`);
    try {
      const data = await api.ablation(runId);
      if (!current()) return;
      this.data = data;
      this.dataRun = runId;
    } catch (error) {
      if (current()) {
        this.host.state.ablate = false;
        this.host.writeURL();
      }
      throw error;
    } finally {
      if (current()) {
        this.pending = null;
        this.busy.stop();
        this.measureButton.disabled = false;
        this.root.removeAttribute('aria-busy');
      }
    }
    this.render();
  }

  render() {
    const data = this.data;
    const model = this.host.run.model;
    const L = Math.max(model.layers, ...data.heads.map((x) => x.layer + 1));
    const H = Math.max(model.heads, ...data.heads.map((x) => x.head + 1));
    this.caption.replaceChildren(document.createTextNode('Predicted next token '), h('b', null, null, quoted(data.predicted.display)),
      document.createTextNode(` (id ${data.predicted.id}), log p = ${fmt(data.log_probability, 3)} (p = ${fmt(Math.exp(data.log_probability), 4)}).`));
    const headMax = Math.max(1e-9, ...data.heads.map((x) => Math.abs(x.delta_log_probability)).filter(isNum));
    const byCell = new Map(data.heads.map((x) => [`${x.layer},${x.head}`, x]));
    this.grid.style.gridTemplateColumns = `auto repeat(${H}, minmax(3rem, 3.8rem))`;
    const cells = [h('div', 'cluster-corner', { 'aria-hidden': 'true' })];
    for (let head = 0; head < H; head++) cells.push(h('div', 'cluster-axis', { role: 'columnheader' }, `H${head}`));
    for (let layer = L - 1; layer >= 0; layer--) {
      cells.push(h('div', 'cluster-axis layer', { role: 'rowheader' }, `L${layer}`));
      for (let head = 0; head < H; head++) {
        const e = byCell.get(`${layer},${head}`);
        const delta = e ? e.delta_log_probability : null;
        const t = isNum(delta) ? delta / headMax : 0;
        const cell = h('div', 'ablation-cell', {
          role: 'gridcell', tabindex: layer === L - 1 && head === 0 ? '0' : '-1', 'data-layer': layer, 'data-head': head,
          'data-value': e ? delta : '',
          title: e ? `L${layer} H${head} zeroed: Δ log p ${fmt(delta, 4)} (${ratioText(delta)}); top token then ${quoted(e.top?.display)}`
            : `L${layer} H${head}: not measured`,
        }, fmt(delta, 2));
        cell.style.background = diverging(t);
        cell.style.color = divergingText(t);
        if (e && e.top && e.top.id !== data.predicted.id) cell.classList.add('flipped');
        cells.push(cell);
      }
    }
    this.grid.replaceChildren(...cells);
    const bar = h('span', 'legend-bar', { 'aria-hidden': 'true' });
    bar.style.background = divergingGradient();
    this.legend.replaceChildren(h('span', 'small', null, `−${fmt(headMax, 2)}`), bar, h('span', 'small', null, `+${fmt(headMax, 2)}`),
      h('span', 'muted small legend-note', null, 'red: less likely without the head · blue: more likely · underlined: the top token changes'));

    const layerMax = Math.max(1e-9, ...data.layers.map((x) => Math.abs(x.delta_log_probability)).filter(isNum));
    this.bars.replaceChildren(...data.layers.slice().sort((a, b) => b.layer - a.layer).map((e) => {
      const delta = e.delta_log_probability;
      const item = h('div', 'ablation-layer-bar', { role: 'listitem', 'data-layer': e.layer, 'data-value': delta,
        title: `skip layer ${e.layer}: Δ log p ${fmt(delta, 4)} (${ratioText(delta)}); top token then ${quoted(e.top?.display)}` });
      const track = h('span', 'track', { 'aria-hidden': 'true' });
      const fill = h('span', 'fill');
      const share = isNum(delta) ? Math.min(1, Math.abs(delta) / layerMax) * 50 : 0;
      fill.style.width = `${share}%`;
      fill.style.left = delta < 0 ? `${50 - share}%` : '50%';
      fill.style.background = diverging(isNum(delta) ? Math.sign(delta) * 0.75 : 0);
      track.append(fill, h('span', 'zero'));
      item.append(h('span', 'idx', null, `L${e.layer}`), track, h('span', 'val', null, fmt(delta, 3)),
        h('span', 'tok', null, e.top ? `→ ${e.top.display}` : ''));
      return item;
    }));
    this.results.hidden = false;
    this.csvButton.disabled = false;
    this.jsonButton.disabled = false;
  }

  gridKeys(event) {
    const cell = event.target.closest?.('.ablation-cell');
    if (!cell || !this.data) return;
    const model = this.host.run.model;
    const move = gridKey(event.key, Number(cell.dataset.layer), Number(cell.dataset.head), model.layers, model.heads);
    if (!move) return;
    event.preventDefault();
    if (move.select) return this.host.openAttention(Number(cell.dataset.layer), Number(cell.dataset.head));
    const next = this.grid.querySelector(`.ablation-cell[data-layer="${move.layer}"][data-head="${move.column}"]`);
    if (next) {
      cell.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
    }
  }

  exportCSV() {
    if (!this.data) return;
    const rows = [['kind', 'layer', 'head', 'delta_log_probability', 'top_id', 'top']];
    for (const e of this.data.heads) rows.push(['head', e.layer, e.head, e.delta_log_probability, e.top?.id ?? '', e.top?.display ?? '']);
    for (const e of this.data.layers) rows.push(['layer', e.layer, '', e.delta_log_probability, e.top?.id ?? '', e.top?.display ?? '']);
    download(`${this.host.baseName()}-ablation.csv`, csv(rows), 'text/csv');
  }

  destroy() {
    this.guard.cancel();
    this.busy.stop();
    this.root.replaceChildren();
  }
}
