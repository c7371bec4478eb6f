// Analytics · Rollout: how much of each token ends up in one position's final representation (attention rollout,
// GET /api/runs/{id}/rollout?row=R&heads=all|0,2) as one bar per token, with the whole rollout matrix as a heatmap.
//
//   rolloutView.create(root, host) → {show(), reset(), destroy()}; URL parameters row=R, heads=0,2.
import { api } from './api.js';
import { csv, download } from './export.js';
import { createHeatmap } from './heatmap.js';
import { h, button, pct, quoted, requestGuard, spinner } from './analytics-common.js';

export const rolloutView = {
  name: 'rollout',
  label: 'Rollout',

  defaults(state) {
    state.rolloutRow = null; // null: the last token
    state.rolloutHeads = 'all';
  },

  read(params, state) {
    const row = params.get('row');
    if (row !== null && /^\d+$/.test(row)) state.rolloutRow = Number(row);
    const heads = params.get('heads');
    if (heads !== null && (heads === 'all' || /^\d+(,\d+)*$/.test(heads))) state.rolloutHeads = heads;
  },

  write(state, params) {
    if (state.rolloutRow !== null) params.set('row', String(state.rolloutRow));
    if (state.rolloutHeads !== 'all') params.set('heads', state.rolloutHeads);
  },

  create(root, host) {
    return new RolloutView(root, host);
  },
};

class RolloutView {
  constructor(root, host) {
    this.root = root;
    this.host = host;
    this.data = null;
    this.dataKey = null;
    this.heatmap = null;
    this.builtFor = null;
    this.guard = requestGuard();
    this.build();
  }

  build() {
    const toolbar = h('div', 'toolbar');
    const rowLabel = h('label', null, null, 'Position ');
    this.rowSelect = h('select', null, { id: 'rollout-row' });
    rowLabel.append(this.rowSelect);
    this.headsBox = h('fieldset', 'heads-filter', { id: 'rollout-heads' });
    this.csvButton = button('CSV', { id: 'export-rollout-csv', title: 'the shares as CSV' });
    this.jsonButton = button('JSON', { id: 'export-rollout-json', title: 'the rollout response (shares and matrix) as JSON' });
    toolbar.append(rowLabel, this.headsBox, this.csvButton, this.jsonButton);
    this.busy = spinner(toolbar);

    this.caption = h('p', 'muted small', { id: 'rollout-caption' });
    const area = h('div', 'rollout-area');
    const barsPart = h('div', 'rollout-bars-part');
    this.bars = h('div', 'rollout-bars', { id: 'rollout-bars', role: 'list', 'aria-label': 'share of each token' });
    barsPart.append(h('h4', null, null, 'Share of each token'), this.bars);
    const matrixPart = h('div', 'rollout-matrix-part');
    this.matrixBox = h('div', 'heatmap-box', { id: 'rollout-matrix' });
    matrixPart.append(h('h4', null, null, 'Rollout matrix'),
      h('p', 'muted small', null, 'Row = position, column = source token. Click a row to show its shares.'), this.matrixBox);
    area.append(barsPart, matrixPart);
    this.root.replaceChildren(toolbar, this.caption, area);

    this.rowSelect.addEventListener('change', () => this.setRow(Number(this.rowSelect.value)));
    this.headsBox.addEventListener('change', (event) => this.onHeads(event.target));
    this.csvButton.addEventListener('click', () => this.exportCSV());
    this.jsonButton.addEventListener('click', () => this.data && download(
      `${this.host.baseName()}-rollout-${this.data.row}.json`, JSON.stringify(this.data), 'application/json'));
  }

  setRow(row) {
    this.host.state.rolloutRow = row;
    this.host.writeURL();
    this.show().catch(this.host.showError);
  }

  /// The controls for the current run (positions and heads).
  buildControls() {
    const run = this.host.run;
    if (this.builtFor === this.host.runId) return;
    this.builtFor = this.host.runId;
    this.rowSelect.replaceChildren(...run.tokens.map((t, i) => new Option(`${i}: ${t.display}`, String(i))));
    const legend = h('legend', null, null, 'Heads');
    const all = this.checkbox('all', 'all');
    const heads = Array.from({ length: run.model.heads }, (_, i) => this.checkbox(String(i), `H${i}`));
    this.headsBox.replaceChildren(legend, all, ...heads);
    if (!this.heatmap) {
      this.heatmap = createHeatmap(this.matrixBox, { colors: 'greens', title: 'rollout', maxSize: 420,
        onCellClick: (target) => this.setRow(target) });
    }
  }

  checkbox(value, label) {
    const wrap = h('label', 'check-chip');
    const input = h('input', null, { type: 'checkbox', value });
    wrap.append(input, document.createTextNode(label));
    return wrap;
  }

  onHeads(input) {
    if (!input || input.type !== 'checkbox') return;
    const boxes = [...this.headsBox.querySelectorAll('input[type=checkbox]')];
    const all = boxes.find((b) => b.value === 'all');
    const heads = boxes.filter((b) => b.value !== 'all');
    if (input === all || !heads.some((b) => b.checked)) {
      this.host.state.rolloutHeads = 'all';
    } else {
      this.host.state.rolloutHeads = heads.filter((b) => b.checked).map((b) => b.value).join(',');
    }
    this.host.writeURL();
    this.show().catch(this.host.showError);
  }

  syncControls(row) {
    const state = this.host.state;
    this.rowSelect.value = String(row);
    const chosen = state.rolloutHeads === 'all' ? null : new Set(state.rolloutHeads.split(','));
    for (const box of this.headsBox.querySelectorAll('input[type=checkbox]')) {
      box.checked = box.value === 'all' ? chosen === null : chosen !== null && chosen.has(box.value);
    }
  }

  reset() {
    this.guard.cancel();
    this.data = null;
    this.dataKey = null;
    this.builtFor = null;
    this.bars.replaceChildren();
    this.caption.textContent = '';
    this.heatmap?.destroy();
    this.heatmap = null;
    this.matrixBox.replaceChildren();
  }

  async show() {
    const run = this.host.run, state = this.host.state;
    const n = run.tokens.length;
    if (state.rolloutRow !== null && !(state.rolloutRow >= 0 && state.rolloutRow < n)) state.rolloutRow = null;
    if (state.rolloutHeads !== 'all' && state.rolloutHeads.split(',').some((x) => Number(x) >= run.model.heads)) {
      state.rolloutHeads = 'all';
    }
    const row = state.rolloutRow ?? n - 1;
    this.buildControls();
    this.syncControls(row);
    const key = `${this.host.runId}|${row}|${state.rolloutHeads}`;
    if (this.dataKey !== key) {
      const current = this.guard.next();
      this.busy.start('loading rollout');
      try {
        const data = await api.rollout(this.host.runId, row, state.rolloutHeads);
        if (!current()) return;
        this.data = data;
        this.dataKey = key;
      } finally {
        if (current()) this.busy.stop();
      }
    }
    this.render();
  }

  render() {
    const data = this.data;
    const n = data.tokens.length;
    const heads = data.heads === 'all' ? 'all heads' : `heads ${data.heads.join(', ')}`;
    this.caption.textContent = `Share of each token in the final representation of position ${data.row} ` +
      `(${quoted(data.tokens[data.row])}), attention rollout over ${heads}; bars scaled to the largest share.`;
    const max = Math.max(1e-12, ...data.shares.filter((v) => Number.isFinite(v)));
    this.bars.dataset.row = String(data.row);
    this.bars.replaceChildren(...data.shares.map((share, k) => {
      const item = h('div', 'rollout-bar' + (k > data.row ? ' future' : '') + (k === data.row ? ' self' : ''), {
        role: 'listitem', 'data-position': k, 'data-value': share,
        title: `(${k}) ${data.tokens[k]}: ${Number.isFinite(share) ? share.toFixed(6) : share}`,
      });
      const track = h('span', 'track', { 'aria-hidden': 'true' });
      const fill = h('span', 'fill');
      fill.style.width = `${Math.max(0, Math.min(1, share / max)) * 100}%`;
      track.append(fill);
      item.append(h('span', 'idx', null, String(k)), h('span', 'tok', null, data.tokens[k]), track,
        h('span', 'val', null, pct(share, 1)));
      return item;
    }));
    this.heatmap.update(Float32Array.from(data.matrix.flat()), n, data.tokens,
      { title: `rollout matrix (${heads})` });
  }

  exportCSV() {
    if (!this.data) return;
    const rows = [['position', 'token', 'share']];
    this.data.shares.forEach((share, k) => rows.push([k, this.data.tokens[k], share]));
    download(`${this.host.baseName()}-rollout-${this.data.row}.csv`, csv(rows), 'text/csv');
  }

  destroy() {
    this.guard.cancel();
    this.busy.stop();
    this.heatmap?.destroy();
    this.root.replaceChildren();
  }
}
