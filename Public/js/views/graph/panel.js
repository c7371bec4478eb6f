// The graph view's side panel: what a click on a node or an edge reveals (LLM-TT's Top Tokens, Promoted Tokens,
// Heads and Neurons columns). The panel's sections are in index.html (#panel-*).
import { api } from '../../core/api.js';
import { byId, el } from '../../core/dom.js';
import { parseNode, representationOf } from '../../core/node-names.js';
import { greenScale } from '../../components/color-scales.js';
import { createHeatmap } from '../../components/heatmap/heatmap.js';

const SECTIONS = ['panel-heads', 'panel-neurons', 'panel-lens', 'panel-promoted'];

/// Fills a table body: a row per array of cells (a text, or {text, className}); answers the rows.
function fill(tbody, rows) {
  tbody.replaceChildren(...rows.map((cells) => {
    const tr = el('tr');
    for (const cell of cells) {
      const isObject = cell && typeof cell === 'object';
      const td = el('td', isObject ? cell.className : null);
      td.textContent = isObject ? cell.text : cell;
      tr.appendChild(td);
    }
    return tr;
  }));
  return tbody.children;
}

function hideAll() {
  for (const id of SECTIONS) byId(id).hidden = true;
  byId('panel-hint').hidden = true;
}

/// The lens table's Δ rank cell: ↑n, ↓n, · or nothing.
function rankChange(change) {
  if (change === null) return '';
  if (change > 0) return { text: `↑${change}`, className: 'up' };
  return change < 0 ? { text: `↓${-change}`, className: 'down' } : '·';
}

/// A chip of the heads or neurons list: a dot shaded by `level` (null: none), the label.
function chip(label, level, title) {
  const li = el('li', null, { role: 'option', title });
  li.tabIndex = 0;
  const dot = el('span', 'dot');
  if (level !== null) dot.style.background = greenScale(level);
  li.append(dot, document.createTextNode(label));
  return li;
}

/// Wires a chip list: a click or Enter/space on a chip marks it selected and calls choose(chip).
function chooseOnActivate(list, isChip, choose) {
  const pick = (c) => {
    for (const other of list.children) if (isChip(other)) other.setAttribute('aria-selected', String(other === c));
    choose(c);
  };
  for (const c of list.children) {
    if (!isChip(c)) continue;
    c.addEventListener('click', () => pick(c));
    c.addEventListener('keydown', (event) => { if (event.key === 'Enter' || event.key === ' ') pick(c); });
  }
}

const logitCell = (t) => [t.display, { text: t.logit.toFixed(3), className: 'num' }];

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
    byId('panel-hint').hidden = false;
    byId('panel-title').textContent = 'Details';
  }

  destroy() {
    this.reset();
    this.attentionMap?.destroy();
    this.contributionMap?.destroy();
    this.attentionMap = this.contributionMap = null;
  }

  /// Runs work(current) as the panel's latest job: current() turns false once a later job starts.
  async guard(work) {
    const generation = ++this.generation;
    try {
      await work(() => generation === this.generation);
    } catch (error) {
      if (generation === this.generation) this.onError(error);
    }
  }

  /// A residual node: the lens table of its vector, and promoted/suppressed of the block that wrote it.
  showNode(context, name) {
    const node = parseNode(name);
    if (!node) return;
    if (node.kind === 'M') return this.showFFN(context, node);
    const rep = representationOf(node);
    return this.guard(async (current) => {
      hideAll();
      byId('panel-title').textContent = `${name} · ${context.run.tokens[node.token].display}`;
      const lens = await api.lens(context.runId, rep.layer, rep.point, rep.token, 15);
      if (!current()) return;
      byId('lens-title').textContent = `Top tokens of ${name}`;
      const rows = fill(byId('lens-table').tBodies[0], lens.top.map((entry) => [
        String(entry.rank + 1), entry.display, { text: entry.logit.toFixed(3), className: 'num' }, rankChange(entry.rank_change)]));
      [...rows].forEach((tr, i) => { tr.dataset.tokenId = String(lens.top[i].id); });
      byId('panel-lens').hidden = false;
      if (node.kind === 'X') return;
      await this.showPromoted(context, { kind: node.kind === 'A' ? 'attention' : 'ffn', layer: node.layer, token: node.token }, current);
    });
  }

  async showPromoted(context, params, current) {
    const result = await api.promoted(context.runId, { k: 10, normalize: String(context.normalize), ...params });
    if (!current()) return;
    byId('promoted-title').textContent = `Promoted tokens · ${result.caption}`;
    fill(byId('promoted-table').tBodies[0], result.promoted.map(logitCell));
    fill(byId('suppressed-table').tBodies[0], result.suppressed.map(logitCell));
    byId('panel-promoted').hidden = false;
  }

  /// An FFN square: its top neurons; a neuron chosen shows what its output direction promotes.
  showFFN(context, node) {
    return this.guard(async (current) => {
      hideAll();
      byId('panel-title').textContent = `M${node.layer}_${node.token} · FFN of layer ${node.layer} at ${context.run.tokens[node.token].display}`;
      const result = await api.neurons(context.runId, node.layer, node.token, 20);
      if (!current()) return;
      const list = byId('neurons-list');
      const maxWeight = Math.max(1e-9, ...result.neurons.map((n) => n.weight));
      const all = chip('All', null);
      all.dataset.neuron = 'all';
      list.replaceChildren(all, ...result.neurons.map((neuron) => {
        const c = chip(`N${neuron.index}`, neuron.weight / maxWeight,
          `weight ${neuron.weight.toFixed(4)}, activation ${neuron.activation.toFixed(3)}`);
        Object.assign(c.dataset, { neuron: String(neuron.index), weight: String(neuron.weight) });
        return c;
      }));
      const promotedOf = (neuron) => (neuron === 'all' ? { kind: 'ffn', layer: node.layer, token: node.token }
        : { kind: 'neuron', layer: node.layer, neuron });
      chooseOnActivate(list, () => true, (c) => this.guard((stillCurrent) => this.showPromoted(context, promotedOf(c.dataset.neuron), stillCurrent)));
      byId('panel-neurons').hidden = false;
      all.setAttribute('aria-selected', 'true');
      await this.showPromoted(context, promotedOf('all'), current);
    });
  }

  /// An attention edge source → A{l}_q: the heads' shares of it, and the chosen head's attention and contribution maps.
  showEdge(context, edges, chooseHead) {
    const attention = edges.find((e) => e.kind === 'attention') || edges[0];
    const target = parseNode(attention.target);
    const source = parseNode(attention.source);
    if (!target || target.kind !== 'A') return this.showNode(context, attention.target);
    return this.guard(async (current) => {
      hideAll();
      const tokens = context.run.tokens;
      byId('panel-title').textContent = `${attention.source} → ${attention.target} · ${tokens[source.token].display} → ${tokens[target.token].display}`;
      const heads = await api.edgeHeads(context.runId, target.layer, target.token, source.token, context.threshold, context.renormalize);
      if (!current()) return;
      const list = byId('heads-list');
      list.replaceChildren(...this.headChips(heads, edges.find((e) => e.kind === 'residual')));
      byId('panel-heads').hidden = false;
      const isChip = (c) => c.dataset.head !== undefined;
      chooseOnActivate(list, isChip, (c) => {
        if (chooseHead) chooseHead(c.dataset.head);
        return this.guard((stillCurrent) => this.showHead(context, target.layer, target.token, c.dataset.head, stillCurrent));
      });
      const initial = [...list.children].find((c) => c.dataset.head === String(context.head ?? 'all')) || list.firstChild;
      initial.setAttribute('aria-selected', 'true');
      await this.showHead(context, target.layer, target.token, initial.dataset.head, current);
    });
  }

  /// The heads list: "All" with the total, a chip per head shaded by its share, a note of the residual part.
  headChips(heads, residual) {
    const maxWeight = Math.max(1e-9, ...heads.heads);
    const all = chip(`All ${heads.total.toFixed(3)}`, heads.total > 0 ? 1 : 0, 'sum over heads');
    Object.assign(all.dataset, { head: 'all', weight: String(heads.total) });
    const chips = [all, ...heads.heads.map((weight, h) => {
      const c = chip(`H${h} ${weight.toFixed(3)}`, weight / maxWeight, `head ${h}: ${weight.toFixed(4)}`);
      Object.assign(c.dataset, { head: String(h), weight: String(weight) });
      return c;
    })];
    if (residual) chips.push(el('li', 'muted', null, `+ residual ${residual.weight.toFixed(3)}`));
    return chips;
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
    byId('attention-map-title').textContent = `Attention map L${layer} ${head === 'all' ? '(mean of heads)' : name}`;
    byId('contribution-map-title').textContent = `Contribution map L${layer} ${head === 'all' ? '(sum of heads)' : name}`;
    if (!this.attentionMap) this.attentionMap = createHeatmap(byId('attention-map'), { colors: 'blues', title: 'attention' });
    if (!this.contributionMap) this.contributionMap = createHeatmap(byId('contribution-map'), { colors: 'greens', title: 'contribution' });
    this.attentionMap.update(pattern, n, labels);
    this.contributionMap.update(Float32Array.from(contributions.map.flat()), n, labels);
    const params = head === 'all' ? { kind: 'attention', layer, token } : { kind: 'head', layer, token, head };
    await this.showPromoted(context, params, current);
  }
}
