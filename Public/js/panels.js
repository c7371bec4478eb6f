// The side panel of the graph view: what a click on a node or an edge reveals (LLM-TT's Top Tokens, Promoted
// Tokens, Heads and Neurons columns).

import { api } from './api.js';
import { createHeatmap } from './heatmap.js';

const $ = (id) => document.getElementById(id);

/// Parses LLM-TT's node names: X0_t, A{l}_t, M{l}_t, I{l}_t.
export function parseNode(name) {
  const match = /^([XAMI])(\d+)_(\d+)$/.exec(name);
  if (!match) return null;
  return { kind: match[1], layer: Number(match[2]), token: Number(match[3]) };
}

/// The residual-stream representation a node shows: X0 = entering layer 0, A = after attention, I = after the layer.
export function representationOf(node) {
  if (node.kind === 'X') return { layer: 0, point: 'pre', token: node.token };
  if (node.kind === 'A') return { layer: node.layer, point: 'mid', token: node.token };
  if (node.kind === 'I') return { layer: node.layer, point: 'post', token: node.token };
  return null;
}

function fill(tbody, rows) {
  tbody.replaceChildren(...rows.map((cells) => {
    const tr = document.createElement('tr');
    for (const cell of cells) {
      const td = document.createElement('td');
      if (cell && typeof cell === 'object') {
        td.textContent = cell.text;
        if (cell.className) td.className = cell.className;
      } else {
        td.textContent = cell;
      }
      tr.appendChild(td);
    }
    return tr;
  }));
  return tbody.children;
}

function hideAll() {
  for (const id of ['panel-heads', 'panel-neurons', 'panel-lens', 'panel-promoted']) $(id).hidden = true;
  $('panel-hint').hidden = true;
}

export class Panel {
  constructor(onError) {
    this.onError = onError;
    this.attentionMap = null;
    this.contributionMap = null;
    this.generation = 0;
  }

  reset() {
    this.generation += 1;
    hideAll();
    $('panel-hint').hidden = false;
    $('panel-title').textContent = 'Details';
  }

  async guard(work) {
    const generation = ++this.generation;
    try {
      await work(() => generation === this.generation);
    } catch (error) {
      if (generation === this.generation) this.onError(error);
    }
  }

  /// A residual node: lens table of its vector, promoted/suppressed of the block that wrote it.
  showNode(context, name) {
    const node = parseNode(name);
    if (!node) return;
    if (node.kind === 'M') return this.showFFN(context, node);
    const rep = representationOf(node);
    return this.guard(async (current) => {
      hideAll();
      const tokens = context.run.tokens;
      $('panel-title').textContent = `${name} · ${tokens[node.token].display}`;
      const lens = await api.lens(context.runId, rep.layer, rep.point, rep.token, 15);
      if (!current()) return;
      $('lens-title').textContent = `Top tokens of ${name}`;
      const rows = fill($('lens-table').tBodies[0], lens.top.map((entry) => [
        String(entry.rank + 1), entry.display, { text: entry.logit.toFixed(3), className: 'num' },
        entry.rank_change === null ? '' : entry.rank_change > 0 ? { text: `↑${entry.rank_change}`, className: 'up' }
          : entry.rank_change < 0 ? { text: `↓${-entry.rank_change}`, className: 'down' } : '·',
      ]));
      [...rows].forEach((tr, i) => { tr.dataset.tokenId = String(lens.top[i].id); });
      $('panel-lens').hidden = false;
      if (node.kind === 'X') return;
      const kind = node.kind === 'A' ? 'attention' : 'ffn';
      await this.showPromoted(context, { kind, layer: node.layer, token: node.token }, current);
    });
  }

  async showPromoted(context, params, current) {
    const result = await api.promoted(context.runId, { k: 10, normalize: String(context.normalize), ...params });
    if (!current()) return;
    $('promoted-title').textContent = `Promoted tokens · ${result.caption}`;
    fill($('promoted-table').tBodies[0], result.promoted.map((t) => [t.display, { text: t.logit.toFixed(3), className: 'num' }]));
    fill($('suppressed-table').tBodies[0], result.suppressed.map((t) => [t.display, { text: t.logit.toFixed(3), className: 'num' }]));
    $('panel-promoted').hidden = false;
  }

  /// An FFN square: its top neurons; a neuron click shows what its output direction promotes.
  showFFN(context, node) {
    return this.guard(async (current) => {
      hideAll();
      $('panel-title').textContent = `M${node.layer}_${node.token} · FFN of layer ${node.layer} at ${context.run.tokens[node.token].display}`;
      const result = await api.neurons(context.runId, node.layer, node.token, 20);
      if (!current()) return;
      const list = $('neurons-list');
      list.replaceChildren();
      const maxWeight = Math.max(1e-9, ...result.neurons.map((n) => n.weight));
      const all = this.chip('All', 'all', null);
      list.appendChild(all);
      for (const neuron of result.neurons) {
        const chip = this.chip(`N${neuron.index}`, String(neuron.index), neuron.weight / maxWeight,
          `weight ${neuron.weight.toFixed(4)}, activation ${neuron.activation.toFixed(3)}`);
        chip.dataset.neuron = String(neuron.index);
        chip.dataset.weight = String(neuron.weight);
        list.appendChild(chip);
      }
      all.dataset.neuron = 'all';
      const choose = async (chip) => {
        for (const c of list.children) c.setAttribute('aria-selected', String(c === chip));
        const neuron = chip.dataset.neuron;
        await this.guard(async (stillCurrent) => {
          const params = neuron === 'all' ? { kind: 'ffn', layer: node.layer, token: node.token }
            : { kind: 'neuron', layer: node.layer, neuron };
          await this.showPromoted(context, params, stillCurrent);
        });
      };
      for (const chip of list.children) {
        chip.addEventListener('click', () => choose(chip));
        chip.addEventListener('keydown', (event) => { if (event.key === 'Enter' || event.key === ' ') choose(chip); });
      }
      $('panel-neurons').hidden = false;
      all.setAttribute('aria-selected', 'true');
      await this.showPromoted(context, { kind: 'ffn', layer: node.layer, token: node.token }, current);
    });
  }

  chip(label, key, level, title) {
    const li = document.createElement('li');
    li.tabIndex = 0;
    li.setAttribute('role', 'option');
    const dot = document.createElement('span');
    dot.className = 'dot';
    if (level !== null) dot.style.background = greenScale(level);
    li.append(dot, document.createTextNode(label));
    if (title) li.title = title;
    return li;
  }

  /// An attention edge source → A{l}_q: the heads' share of it, and the chosen head's attention and contribution maps.
  showEdge(context, edges, chooseHead) {
    const attention = edges.find((e) => e.kind === 'attention') || edges[0];
    const target = parseNode(attention.target);
    const source = parseNode(attention.source);
    if (!target || target.kind !== 'A') {
      return this.showNode(context, attention.target);
    }
    const layer = target.layer;
    return this.guard(async (current) => {
      hideAll();
      const tokens = context.run.tokens;
      $('panel-title').textContent = `${attention.source} → ${attention.target} · ${tokens[source.token].display} → ${tokens[target.token].display}`;
      const heads = await api.edgeHeads(context.runId, layer, target.token, source.token, context.threshold, context.renormalize);
      if (!current()) return;
      const list = $('heads-list');
      list.replaceChildren();
      const maxWeight = Math.max(1e-9, ...heads.heads);
      const all = this.chip(`All ${heads.total.toFixed(3)}`, 'all', heads.total > 0 ? 1 : 0, 'sum over heads');
      all.dataset.head = 'all';
      all.dataset.weight = String(heads.total);
      list.appendChild(all);
      heads.heads.forEach((weight, h) => {
        const chip = this.chip(`H${h} ${weight.toFixed(3)}`, String(h), weight / maxWeight, `head ${h}: ${weight.toFixed(4)}`);
        chip.dataset.head = String(h);
        chip.dataset.weight = String(weight);
        list.appendChild(chip);
      });
      const residual = edges.find((e) => e.kind === 'residual');
      if (residual) {
        const note = document.createElement('li');
        note.className = 'muted';
        note.textContent = `+ residual ${residual.weight.toFixed(3)}`;
        list.appendChild(note);
      }
      $('panel-heads').hidden = false;
      const choose = async (chip) => {
        const head = chip.dataset.head;
        for (const c of list.children) if (c.dataset.head !== undefined) c.setAttribute('aria-selected', String(c === chip));
        if (chooseHead) chooseHead(head);
        await this.guard(async (stillCurrent) => this.showHead(context, layer, target.token, head, stillCurrent));
      };
      for (const chip of list.children) {
        if (chip.dataset.head === undefined) continue;
        chip.addEventListener('click', () => choose(chip));
        chip.addEventListener('keydown', (event) => { if (event.key === 'Enter' || event.key === ' ') choose(chip); });
      }
      const initial = [...list.children].find((c) => c.dataset.head === String(context.head ?? 'all')) || all;
      initial.setAttribute('aria-selected', 'true');
      await this.showHead(context, layer, target.token, initial.dataset.head, current);
    });
  }

  async showHead(context, layer, token, head, current) {
    const n = context.run.tokens.length;
    const labels = context.run.tokens.map((t) => t.display);
    const [pattern, contributions] = await Promise.all([
      api.attention(context.runId, layer, head),
      api.contributionMap(context.runId, layer, head),
    ]);
    if (!current()) return;
    const name = head === 'all' ? 'all heads' : `H${head}`;
    $('attention-map-title').textContent = `Attention map L${layer} ${head === 'all' ? '(mean of heads)' : name}`;
    $('contribution-map-title').textContent = `Contribution map L${layer} ${head === 'all' ? '(sum of heads)' : name}`;
    if (!this.attentionMap) this.attentionMap = createHeatmap($('attention-map'), { colors: 'blues', title: 'attention' });
    if (!this.contributionMap) this.contributionMap = createHeatmap($('contribution-map'), { colors: 'greens', title: 'contribution' });
    this.attentionMap.update(pattern, n, labels);
    this.contributionMap.update(Float32Array.from(contributions.map.flat()), n, labels);
    const params = head === 'all' ? { kind: 'attention', layer, token } : { kind: 'head', layer, token, head };
    await this.showPromoted(context, params, current);
  }
}

/// White → green for a level in [0, 1] (the heads' and neurons' dots, as LLM-TT's YlGn scale).
export function greenScale(level) {
  const t = Math.max(0, Math.min(1, level));
  const r = Math.round(255 - t * (255 - 49));
  const g = Math.round(255 - t * (255 - 163));
  const b = Math.round(229 - t * (229 - 84));
  return `rgb(${r},${g},${b})`;
}
