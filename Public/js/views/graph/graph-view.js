// The contribution-graph drawing (SVG), after the LLM Transparency Tool's graph: zoom, pan and fit, hover
// tooltips, start-token markers and SVG/PNG export. The pure layout is layout.js, the drawing renderer.js (with
// scene.js), the pointer and the keys interaction.js, the exports graph-export.js; this class holds the graph
// shown and ties them together.
//
//   createGraphView(container, {onNodeClick(name), onEdgeClick(edges), onBackgroundClick()})
//     → {render(graph, {start}), setStart(s), select(sel), fit(), svgText(), pngBlob(scale), stats(), destroy(),
//        start, selection, transform}; a click on a start marker also dispatches a bubbling 'start' event.
import { exportSize, graphSVG, svgToPNG } from './graph-export.js';
import { GraphInteraction } from './interaction.js';
import { fitView, graphGeometry, normalizeStart, parseEdges, shownEdgeIndices } from './layout.js';
import { LEGEND_H, LEGEND_W } from './legend.js';
import { GraphRenderer } from './renderer.js';

let instances = 0; // keeps the legends' gradient ids apart

export function createGraphView(container, callbacks = {}) {
  return new GraphView(container, callbacks);
}

function edgeObject(rec) {
  return { index: rec.index, source: rec.source, target: rec.target, weight: rec.weight, kind: rec.kind };
}

class GraphView {
  constructor(container, callbacks) {
    this.uid = ++instances;
    this.container = container;
    this.callbacks = callbacks;
    container.classList.add('gb-graph');
    if (!container.hasAttribute('tabindex')) container.setAttribute('tabindex', '0');
    if (!container.hasAttribute('aria-label')) container.setAttribute('aria-label', 'Contribution graph');
    this.renderer = new GraphRenderer(this.uid);
    this.svg = this.renderer.svg;
    this.graph = null;
    this.geometry = null;
    this.edges = []; // one record per API edge (same index)
    this.pairIndex = new Map(); // "source|target" → records
    this.shown = []; // the records drawn now
    this.start = 'all';
    this.selection = null;
    this.lastDims = '';
    this.needFit = true;
    this.fitScale = 1;
    this.interaction = new GraphInteraction(this);
    this.viewport = this.interaction.viewport;
    container.append(this.svg, this.interaction.tooltip, this.interaction.controls);
    this.observeSize();
  }

  observeSize() {
    let lastSize = '';
    this.resizeObserver = typeof ResizeObserver === 'function' ? new ResizeObserver(() => {
      const { w, h } = this.size();
      const key = `${Math.round(w)}x${Math.round(h)}`;
      if (key === lastSize) return;
      lastSize = key;
      this.renderer.placeLegend(w);
      if (this.needFit && this.graph) this.fit();
    }) : null;
    this.resizeObserver?.observe(this.svg);
    this.renderer.placeLegend(this.size().w);
  }

  size() {
    const r = this.svg.getBoundingClientRect();
    return { w: r.width, h: r.height, left: r.left, top: r.top };
  }

  get transform() {
    return { ...this.viewport.view };
  }

  /// Fits the graph into the box (`known`: its size measured before, else measured now).
  fit(known) {
    const box = known && known.w > 1 ? known : this.size();
    if (!this.graph || box.w < 2 || box.h < 2) { this.needFit = true; return; }
    this.needFit = false;
    const view = fitView(box, this.geometry, { legendW: LEGEND_W, legendH: LEGEND_H });
    this.fitScale = view.k;
    this.viewport.set(view);
  }

  render(g, options = {}) {
    const box = this.size(); // measured before the DOM changes, so that fitting forces no layout of the new graph
    this.svg.setAttribute('data-ready', 'false');
    this.interaction.hideTooltip();
    this.graph = g || { tokens: [], layers: 0, edges: [], paths: [] };
    const tokens = Array.isArray(this.graph.tokens) ? this.graph.tokens : [];
    this.geometry = graphGeometry(Math.max(0, this.graph.layers | 0), tokens.length);
    const raw = Array.isArray(this.graph.edges) ? this.graph.edges : [];
    ({ edges: this.edges, pairIndex: this.pairIndex } = parseEdges(raw, this.geometry));
    this.shown = [];
    this.renderer.drawScene(this.geometry, tokens, raw.length);
    if (this.selection && !this.selectionValid(this.selection)) this.selection = null; // not in the new graph
    const start = options.start;
    this.start = normalizeStart(start === undefined || start === null || start === '' ? tokens.length - 1 : start, tokens.length);
    this.drawShown();
    this.applySelection();
    const dims = `${tokens.length}x${this.geometry.nLayers}`;
    if (dims !== this.lastDims) this.needFit = true;
    this.lastDims = dims;
    if (this.needFit) this.fit(box); else this.renderer.setTransform(this.viewport.view);
    this.svg.setAttribute('data-ready', 'true');
  }

  drawShown() {
    this.shown = shownEdgeIndices(this.graph?.paths, this.start, this.edges.length).map((i) => this.edges[i]).filter((r) => r.valid);
    this.shown.sort((a, b) => (a.weight || 0) - (b.weight || 0));
    this.renderer.drawPaths(this.shown, this.start);
  }

  setStart(start) {
    if (!this.graph) { this.start = start; return; }
    this.start = normalizeStart(start, this.geometry.nTokens);
    this.drawShown();
    this.applySelection();
  }

  selectionValid(sel) {
    const at = (name) => Boolean(this.geometry.nodePos(name));
    if (sel.node) return at(sel.node);
    return Boolean(sel.edge) && at(sel.edge.source) && at(sel.edge.target);
  }

  applySelection() {
    this.renderer.clearSelection(this.edges);
    if (this.selection && this.graph) this.renderer.showSelection(this.selection, this.pairIndex);
  }

  /// null, {node} or {edge: {source, target}}.
  select(sel) {
    if (!sel || (!sel.node && !sel.edge)) this.selection = null;
    else if (sel.node) this.selection = { node: String(sel.node) };
    else this.selection = { edge: { source: String(sel.edge.source), target: String(sel.edge.target) } };
    this.applySelection();
  }

  /// The shown edges between two nodes, as {index, source, target, weight, kind}.
  pairEdges(source, target) {
    return (this.pairIndex.get(source + '|' + target) || []).filter((r) => this.renderer.isShown(r)).map(edgeObject);
  }

  svgText() {
    return graphSVG(this.renderer.viewport, this.geometry?.width, this.geometry?.height, `x${this.uid}`);
  }

  async pngBlob(scale = 2) {
    const { W, H } = exportSize(this.geometry?.width, this.geometry?.height);
    return svgToPNG(this.svgText(), W, H, scale);
  }

  stats() {
    return this.renderer.stats();
  }

  destroy() {
    this.resizeObserver?.disconnect();
    this.interaction.destroy();
    this.svg.remove();
    this.container.classList.remove('gb-graph');
    this.graph = null;
    this.edges = [];
    this.renderer.reset();
  }
}
