// Analytics · Anomalies: the "problem tokens" of a run (GET /api/runs/{id}/anomalies) listed by type, each in words
// and opening the view that shows it (attention map of a head, the residual node in the graph, the logit-lens grid),
// with the thresholds as controls and the logit-lens settling layer of every position.
//
//   anomaliesView.create(root, host) → {show(), reset(), destroy()}; URL parameters: the thresholds set by hand.
import { api } from './api.js';
import { csv, download } from './export.js';
import { h, button, fmt, pct, quoted, requestGuard, spinner } from './analytics-common.js';

/// The detector thresholds (query parameters of the API); the defaults are whatever the server reports back.
const PARAMETERS = [
  { name: 'high_attention', label: 'High attention >', kind: 'number', min: 0, max: 1, step: 0.05,
    title: 'a weight above this fires high_attention' },
  { name: 'include_first_token', label: 'count the first token', kind: 'bool',
    title: 'attention to the first token (a sink) counts as high attention' },
  { name: 'uniform_threshold', label: 'Uniform ≥', kind: 'number', min: 0, max: 1, step: 0.05,
    title: "a head's mean uniformity at or above this fires uniform_attention" },
  { name: 'uniform_min_row', label: 'from row', kind: 'int', min: 1, max: 65536, step: 1,
    title: 'rows shorter than this are left out of the uniformity mean' },
  { name: 'dead_fraction', label: 'Dead <', kind: 'number', min: 0, max: 1, step: 0.005,
    title: "a head whose output norm stays below this fraction of the layer's mean head output at every position" },
  { name: 'outlier_factor', label: 'Outlier ×', kind: 'number', min: 1, max: 1e9, step: 1,
    title: "a residual value larger than this multiple of its position's median magnitude" },
];

const TYPES = [
  { type: 'high_attention', title: 'High attention',
    hint: 'a query puts more than the threshold on one key (grouped by key; the strongest hit is named)' },
  { type: 'uniform_attention', title: 'Uniform attention',
    hint: "a head's attention is close to uniform on average" },
  { type: 'dead_head', title: 'Dead heads',
    hint: "a head's output is tiny next to the other heads of its layer at every position" },
  { type: 'outlier_activation', title: 'Outlier activations',
    hint: "a residual-stream dimension far above its position's median magnitude (grouped by dimension)" },
  { type: 'logit_lens_flip', title: 'Logit-lens flips',
    hint: 'the final prediction shows up under the logit lens, is lost, and settles later' },
];

export const anomaliesView = {
  name: 'anomalies',
  label: 'Anomalies',

  defaults(state) {
    state.anomalyParams = {};
  },

  read(params, state) {
    for (const p of PARAMETERS) {
      const value = params.get(p.name);
      if (value === null) continue;
      if (p.kind === 'bool' ? ['true', 'false'].includes(value) : Number.isFinite(Number(value)) && value.trim() !== '') {
        state.anomalyParams[p.name] = value;
      }
    }
  },

  write(state, params) {
    for (const p of PARAMETERS) if (state.anomalyParams[p.name] !== undefined) params.set(p.name, state.anomalyParams[p.name]);
  },

  create(root, host) {
    return new AnomaliesView(root, host);
  },
};

function plural(count, word) {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/// The strongest hit of an outlier group: [layer, position, value, ratio].
function strongestOutlier(a) {
  return (a.hits || []).reduce((best, hit) => (best === null || hit[3] > best[3] ? hit : best), null);
}

/// What fired, in words, and where the entry leads.
export function describe(a, tokens) {
  const tok = (i) => quoted(tokens[i]);
  switch (a.type) {
    case 'high_attention': {
      const query = a.positions[0], key = a.key ?? a.positions[1];
      return {
        text: `L${a.layer} H${a.head}: query ${query} (${tok(query)}) puts ${fmt(a.value, 2)} on key ${key} (${tok(key)})` +
          ` — threshold ${a.threshold} (${plural(a.count, 'hit')})`,
        target: { view: 'attention', layer: a.layer, head: a.head },
      };
    }
    case 'uniform_attention':
      return {
        text: `L${a.layer} H${a.head}: near-uniform attention, uniformity ${fmt(a.value, 3)} — threshold ${a.threshold}`,
        target: { view: 'attention', layer: a.layer, head: a.head },
      };
    case 'dead_head':
      return {
        text: `L${a.layer} H${a.head}: output at most ${pct(a.value, 2)} of the layer's mean head output at every position` +
          ` — threshold ${pct(a.threshold, 2)}`,
        target: { view: 'attention', layer: a.layer, head: a.head },
      };
    case 'outlier_activation': {
      const top = strongestOutlier(a);
      const layer = top ? top[0] : a.layer, position = top ? top[1] : a.positions[0];
      const where = `L${layer}, position ${position} (${tok(position)})`;
      return {
        text: `dimension ${a.dimension}: ${fmt(a.value, 1)}× the median magnitude at ${where}` +
          (top ? `, value ${fmt(top[2], 3)}` : '') + ` — threshold ${a.threshold}× (${plural(a.count, 'hit')}` +
          (a.positions.length > 1 ? ` at positions ${a.positions.join(', ')})` : ')'),
        target: { view: 'graph', node: `I${layer}_${position}`, layer, position },
      };
    }
    case 'logit_lens_flip': {
      const position = a.positions[0];
      return {
        text: `position ${position} (${tok(position)}): the final prediction ${quoted(a.final?.display)} appears at layer ` +
          `${a.first_layer}, is lost, and settles at layer ${a.settled_layer}`,
        target: { view: 'lens', layer: a.first_layer, position },
      };
    }
    default:
      return { text: `${a.type}: ${JSON.stringify(a)}`, target: null };
  }
}

class AnomaliesView {
  constructor(root, host) {
    this.root = root;
    this.host = host;
    this.data = null;
    this.dataKey = null;
    this.guard = requestGuard();
    this.build();
  }

  build() {
    this.form = h('form', 'toolbar anomaly-form', { id: 'anomaly-form', 'aria-label': 'anomaly thresholds' });
    this.inputs = {};
    for (const p of PARAMETERS) {
      const label = h('label', p.kind === 'bool' ? 'check-inline' : null, { title: p.title });
      const input = p.kind === 'bool'
        ? h('input', null, { type: 'checkbox', id: `anomaly-${p.name}`, name: p.name })
        : h('input', 'number-input', { type: 'number', id: `anomaly-${p.name}`, name: p.name, min: p.min, max: p.max,
          step: p.step, required: '' });
      if (p.kind === 'bool') label.append(input, document.createTextNode(` ${p.label}`));
      else label.append(document.createTextNode(`${p.label} `), input);
      this.inputs[p.name] = input;
      this.form.append(label);
    }
    const apply = h('button', 'primary', { type: 'submit', id: 'anomaly-apply' }, 'Apply');
    this.resetButton = button('Defaults', { id: 'anomaly-defaults', title: "the server's default thresholds" });
    this.csvButton = button('CSV', { id: 'export-anomalies-csv', title: 'the list as CSV' });
    this.jsonButton = button('JSON', { id: 'export-anomalies-json', title: 'the anomalies response as JSON' });
    this.form.append(apply, this.resetButton, this.csvButton, this.jsonButton);
    this.busy = spinner(this.form);

    this.summary = h('p', 'anomaly-summary', { id: 'anomalies-summary', role: 'status' });
    this.list = h('div', 'anomaly-list', { id: 'anomaly-list' });
    const flipsPart = h('div', 'flips-part');
    flipsPart.append(h('h4', null, null, 'Where each prediction settles (logit lens)'),
      h('p', 'muted small', null, 'Per position: the final top-1 token and the layer from which the lens keeps it. Highlighted: it appeared earlier and was lost. Click to open the logit lens.'));
    this.flips = h('div', 'lens-flips', { id: 'lens-flips' });
    flipsPart.append(this.flips);
    this.root.replaceChildren(this.form, this.summary, this.list, flipsPart);

    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.apply();
    });
    this.inputs.include_first_token.addEventListener('change', () => this.apply());
    this.resetButton.addEventListener('click', () => {
      this.host.state.anomalyParams = {};
      this.host.writeURL();
      this.show().catch(this.host.showError);
    });
    this.csvButton.addEventListener('click', () => this.exportCSV());
    this.jsonButton.addEventListener('click', () => this.data &&
      download(`${this.host.baseName()}-anomalies.json`, JSON.stringify(this.data, null, 1), 'application/json'));
    this.root.addEventListener('click', (event) => {
      const item = event.target.closest?.('[data-go]');
      if (item && this.root.contains(item)) this.go(JSON.parse(item.dataset.go));
    });
  }

  /// The form's values that differ from the thresholds of the shown response (or were set before).
  apply() {
    if (!this.form.reportValidity()) return;
    const shown = this.data?.parameters || {};
    const params = { ...this.host.state.anomalyParams };
    for (const p of PARAMETERS) {
      const input = this.inputs[p.name];
      const value = p.kind === 'bool' ? String(input.checked) : input.value.trim();
      if (value !== String(shown[p.name]) || params[p.name] !== undefined) params[p.name] = value;
    }
    this.host.state.anomalyParams = params;
    this.host.writeURL();
    this.show().catch(this.host.showError);
  }

  go(target) {
    if (!target) return;
    if (target.view === 'attention') this.host.openAttention(target.layer, target.head);
    else if (target.view === 'graph') this.host.openNode(target.node);
    else if (target.view === 'lens') this.host.openLens(target.layer, target.position);
  }

  reset() {
    this.guard.cancel();
    this.data = null;
    this.dataKey = null;
    this.list.replaceChildren();
    this.flips.replaceChildren();
    this.summary.textContent = '';
  }

  async show() {
    const params = this.host.state.anomalyParams;
    const key = `${this.host.runId}|${JSON.stringify(params)}`;
    this.fillForm(params);
    if (this.dataKey !== key) {
      const current = this.guard.next();
      this.busy.start('looking for anomalies');
      try {
        const data = await api.anomalies(this.host.runId, params);
        if (!current()) return;
        this.data = data;
        this.dataKey = key;
      } finally {
        if (current()) this.busy.stop();
      }
    }
    this.fillForm(this.data.parameters);
    this.render();
  }

  fillForm(values) {
    for (const p of PARAMETERS) {
      if (values[p.name] === undefined) continue;
      const input = this.inputs[p.name];
      if (p.kind === 'bool') input.checked = String(values[p.name]) === 'true';
      else input.value = String(values[p.name]);
    }
  }

  render() {
    const data = this.data;
    const tokens = data.tokens;
    const groups = TYPES.map((t) => ({ ...t, entries: [] }));
    data.anomalies.forEach((a, index) => {
      const group = groups.find((g) => g.type === a.type);
      if (group) group.entries.push({ a, index });
      else groups.push({ type: a.type, title: a.type, hint: '', entries: [{ a, index }] });
    });
    const found = groups.filter((g) => g.entries.length);
    this.list.dataset.count = String(data.anomalies.length);
    if (!found.length) {
      this.summary.textContent = '';
      this.list.replaceChildren(h('p', 'empty-state', { id: 'anomalies-empty' },
        'No anomalies at these thresholds. Lower them (e.g. high attention 0.3, count the first token) to see more.'));
    } else {
      const count = data.anomalies.length;
      this.summary.textContent = `${count} ${count === 1 ? 'anomaly' : 'anomalies'} at these thresholds: ` +
        found.map((g) => `${g.entries.length} ${g.title.toLowerCase()}`).join(', ') + '.';
      this.list.replaceChildren(...found.map((g) => this.renderGroup(g, tokens)));
    }
    this.renderFlips(data.lens_flips || [], tokens);
  }

  renderGroup(group, tokens) {
    // a group folds away (a real model may have a hundred outlier dimensions)
    const section = h('details', 'anomaly-group', { 'data-type': group.type, open: '' });
    const summary = h('summary');
    const title = h('h4', null, null, `${group.title} `);
    title.append(h('span', 'count-badge', null, String(group.entries.length)));
    summary.append(title);
    section.append(summary, h('p', 'muted small', null, group.hint));
    const ul = h('ul', 'anomaly-entries');
    for (const { a, index } of group.entries) {
      const { text, target } = describe(a, tokens);
      const li = h('li');
      const entry = h('button', 'anomaly-entry', { type: 'button', 'data-type': a.type, 'data-index': index,
        'data-layer': a.layer ?? '', 'data-head': a.head ?? '', 'data-go': JSON.stringify(target),
        title: target ? `open ${target.view === 'attention' ? `the attention map of L${target.layer} H${target.head}`
          : target.view === 'graph' ? `node ${target.node} in the contribution graph` : 'the logit-lens grid'}` : null,
      }, text);
      li.append(entry);
      if (Array.isArray(a.hits) && a.hits.length > 1) li.append(this.renderHits(a, tokens));
      ul.append(li);
    }
    section.append(ul);
    return section;
  }

  renderHits(a, tokens) {
    const details = h('details', 'anomaly-hits');
    details.append(h('summary', 'muted small', null, `all ${a.hits.length} hits`));
    const box = h('div', 'hit-list');
    const shown = a.hits.slice(0, 200);
    for (const hit of shown) {
      let label, target;
      if (a.type === 'high_attention') {
        const [layer, head, query, value] = hit;
        label = `L${layer} H${head} q${query} ${fmt(value, 2)}`;
        target = { view: 'attention', layer, head };
      } else {
        const [layer, position, value, ratio] = hit;
        label = `L${layer} pos ${position} ${fmt(value, 2)} (${fmt(ratio, 1)}×)`;
        target = { view: 'graph', node: `I${layer}_${position}` };
      }
      box.append(h('button', 'anomaly-hit small-button', { type: 'button', 'data-go': JSON.stringify(target),
        title: a.type === 'high_attention' ? `query ${hit[2]} (${tokens[hit[2]]})` : `position ${hit[1]} (${tokens[hit[1]]})` }, label));
    }
    if (a.hits.length > shown.length) box.append(h('span', 'muted small', null, `… and ${a.hits.length - shown.length} more`));
    details.append(box);
    return details;
  }

  renderFlips(flips, tokens) {
    this.flips.replaceChildren(...flips.map((f) => {
      const cell = h('button', 'flip-cell' + (f.stays ? '' : ' flip'), {
        type: 'button', 'data-position': f.position, 'data-settled': f.settled_layer,
        'data-first': f.first_layer, 'data-go': JSON.stringify({ view: 'lens', layer: f.stays ? f.settled_layer : f.first_layer, position: f.position }),
        title: `position ${f.position} ${quoted(tokens[f.position])}: final ${quoted(f.final.display)} (id ${f.final.id}); ` +
          (f.stays ? `top-1 from layer ${f.settled_layer} on` : `first at layer ${f.first_layer}, lost, settles at layer ${f.settled_layer}`),
      });
      cell.append(h('span', 'flip-token', null, `${f.position} ${tokens[f.position]}`),
        h('span', 'flip-final', null, `→ ${f.final.display}`),
        h('span', 'flip-layer', null, `settles at layer ${f.settled_layer}`));
      if (!f.stays) cell.append(h('span', 'flip-layer', null, `(first at layer ${f.first_layer})`));
      return cell;
    }));
  }

  exportCSV() {
    if (!this.data) return;
    const rows = [['type', 'layer', 'head', 'positions', 'tokens', 'value', 'threshold', 'description']];
    for (const a of this.data.anomalies) {
      rows.push([a.type, a.layer ?? '', a.head ?? '', a.positions.join(' '), a.tokens.join(' '), a.value, a.threshold ?? '',
        describe(a, this.data.tokens).text]);
    }
    download(`${this.host.baseName()}-anomalies.csv`, csv(rows), 'text/csv');
  }

  destroy() {
    this.guard.cancel();
    this.busy.stop();
    this.root.replaceChildren();
  }
}
