// The contribution-graph drawing (SVG), after the LLM Transparency Tool's graph: zoom, pan and fit, hover
// tooltips, start-token markers and SVG/PNG export. The pure layout is layout.js, the drawing renderer.js (with
// scene.js), the pointer and the keys interaction.js, the exports graph-export.js; a long graph is painted on a
// canvas by level of detail instead (canvas-renderer.js, level-of-detail.js). This class holds the graph shown and
// ties them together.
//
//   createGraphView(container, {onNodeClick(name), onEdgeClick(edges), onBackgroundClick(), onWindow()})
//     → {render(graph, {start}), setStart(s), select(sel), reveal(name), fit(), svgText(), pngBlob(scale), stats(),
//        destroy(), start, selection, transform}; a click on a start marker also dispatches a bubbling 'start' event;
//     onWindow: a long graph's painted part changed (stats().window).
import { exportSize, graphSVG, svgToPNG } from './graph-export.js';
import { CanvasRenderer } from './canvas-renderer.js';
import { GraphInteraction } from './interaction.js';
import { fitView, graphGeometry, normalizeStart, parseEdges, shownEdgeIndices } from './layout.js';
import { LEGEND_H, LEGEND_W } from './legend.js';
import { DETAIL_SCALE, focusView, markerAt, pathIndex, usesLevelOfDetail, viewRect } from './level-of-detail.js';
import { GraphRenderer } from './renderer.js';

const LEGEND_BOTTOM = 8 + LEGEND_H + 8; // the legend overlay with its margins

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
    this.shown = []; // the records on the shown paths
    this.onPath = new Uint8Array(0); // per edge index: 1 when on the shown paths
    this.onCanvas = false; // a long graph, painted on the canvas by level of detail
    this.lod = { byWeight: [], active: new Set() }; // its shown edges heaviest first, the nodes on them
    this.canvas = new CanvasRenderer();
    this.canvas.canvas.hidden = true;
    this.painted = { edges: [], inView: 0, cutoff: 0 };
    this.start = 'all';
    this.selection = null;
    this.lastDims = '';
    this.needFit = true;
    this.fitScale = 1;
    this.interaction = new GraphInteraction(this);
    this.viewport = this.interaction.viewport;
    container.append(this.canvas.canvas, this.svg, this.interaction.tooltip, this.interaction.controls);
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
      if (this.needFit && this.graph) this.fit(undefined, true);
      else if (this.onCanvas) this.paint();
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

  /// Fits the graph into the box (`known`: its size measured before, else measured now); the first view (`initial`)
  /// of a long graph too small to read when fitted shows its layers at the start token instead.
  fit(known, initial = false) {
    const box = known && known.w > 1 ? known : this.size();
    if (!this.graph || box.w < 2 || box.h < 2) { this.needFit = true; return; }
    this.needFit = false;
    const view = fitView(box, this.geometry, { legendW: LEGEND_W, legendH: LEGEND_H });
    this.fitScale = view.k;
    const focus = initial && this.onCanvas && view.k < DETAIL_SCALE;
    this.viewport.set(focus ? focusView(box, this.geometry, this.startColumn(), LEGEND_BOTTOM) : view);
  }

  startColumn() {
    return this.start === 'all' ? this.geometry.nTokens - 1 : this.start;
  }

  /// Pans a long graph to the node `name` (zooming in to read it) unless it is in sight.
  reveal(name) {
    const p = this.onCanvas && this.geometry?.nodePos(name);
    if (!p) return;
    const box = this.size();
    const view = this.viewport.view;
    const r = viewRect(view, box);
    if (view.k >= DETAIL_SCALE && p.x >= r.x0 && p.x <= r.x1 && p.y >= r.y0 && p.y <= r.y1) return;
    if (view.k < DETAIL_SCALE) return this.viewport.set(focusView(box, this.geometry, p.t, LEGEND_BOTTOM));
    const y = p.y >= r.y0 && p.y <= r.y1 ? view.y : box.h / 2 - p.y * view.k; // only across when it is in sight vertically
    this.viewport.set({ k: view.k, x: box.w / 2 - p.x * view.k, y });
  }

  /// The transform of the viewport applied (a long graph painted for it).
  applyTransform(view) {
    this.renderer.setTransform(view);
    if (this.onCanvas) this.paint(view);
  }

  /// Paints a long graph for the transform `view`; tells onWindow when what it left out changed.
  paint(view = this.viewport.view) {
    const box = this.size();
    if (!this.graph || box.w < 2 || box.h < 2) return;
    const before = this.painted;
    this.painted = this.canvas.paint(view, box, { geometry: this.geometry, tokens: this.graph.tokens, ...this.lod,
      start: this.start, selection: this.selection, pairIndex: this.pairIndex, onPaths: (r) => this.onPaths(r) });
    this.canvas.canvas.dataset.drawn = String(this.painted.edges.length); // for scripts that measure the view
    if (before.cutoff !== this.painted.cutoff || (this.painted.cutoff > 0 && before.inView !== this.painted.inView)) {
      this.callbacks.onWindow?.();
    }
  }

  /// The edge records drawn now.
  get drawnEdges() {
    return this.onCanvas ? this.painted.edges : this.shown;
  }

  onPaths(rec) {
    return this.onPath[rec.index] === 1;
  }

  /// Whether a node is on the shown paths.
  isActive(name) {
    return this.onCanvas ? this.lod.active.has(name) : this.renderer.activeNodes.has(name);
  }

  /// Whether an FFN node is drawn (and so can be hovered and clicked).
  hasFfn(name) {
    return this.onCanvas ? this.viewport.view.k >= DETAIL_SCALE && this.lod.active.has(name) : this.renderer.hasFfn(name);
  }

  /// The start marker a long graph paints at the graph point p (a token, 'all' or null).
  markerAt(p) {
    return this.onCanvas && this.viewport.view.k >= DETAIL_SCALE ? markerAt(this.geometry, p) : null;
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
    this.onCanvas = usesLevelOfDetail(this.geometry, raw.length);
    this.renderer.drawScene(this.geometry, tokens, raw.length, this.onCanvas);
    this.canvas.canvas.hidden = !this.onCanvas;
    this.painted = { edges: [], inView: 0, cutoff: 0 };
    if (this.selection && !this.selectionValid(this.selection)) this.selection = null; // not in the new graph
    const start = options.start;
    this.start = normalizeStart(start === undefined || start === null || start === '' ? tokens.length - 1 : start, tokens.length);
    this.drawShown();
    this.applySelection();
    const dims = `${tokens.length}x${this.geometry.nLayers}`;
    if (dims !== this.lastDims) this.needFit = true;
    this.lastDims = dims;
    if (this.needFit) this.fit(box, true); else this.applyTransform(this.viewport.view);
    this.svg.setAttribute('data-ready', 'true');
  }

  drawShown() {
    this.shown = shownEdgeIndices(this.graph?.paths, this.start, this.edges.length).map((i) => this.edges[i]).filter((r) => r.valid);
    this.shown.sort((a, b) => (a.weight || 0) - (b.weight || 0));
    this.onPath = new Uint8Array(this.edges.length);
    for (const r of this.shown) this.onPath[r.index] = 1;
    if (this.onCanvas) this.lod = pathIndex(this.shown);
    else this.renderer.drawPaths(this.shown, this.start);
  }

  setStart(start) {
    if (!this.graph) { this.start = start; return; }
    const next = normalizeStart(start, this.geometry.nTokens);
    if (this.onCanvas && next === this.start) return; // painted already (after a marker's click)
    this.start = next;
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
    if (this.onCanvas) this.paint();
  }

  /// null, {node} or {edge: {source, target}}.
  select(sel) {
    if (!sel || (!sel.node && !sel.edge)) this.selection = null;
    else if (sel.node) this.selection = { node: String(sel.node) };
    else this.selection = { edge: { source: String(sel.edge.source), target: String(sel.edge.target) } };
    this.applySelection();
  }

  /// The edges on the shown paths between two nodes, as {index, source, target, weight, kind}.
  pairEdges(source, target) {
    return (this.pairIndex.get(source + '|' + target) || []).filter((r) => this.onPaths(r)).map(edgeObject);
  }

  /// The whole scene (a long graph's too, drawn into SVG apart for the export), as the SVG text of a document.
  svgText() {
    let viewport = this.renderer.viewport;
    if (this.onCanvas) {
      const whole = new GraphRenderer(this.uid);
      whole.drawScene(this.geometry, this.graph.tokens, this.edges.length);
      whole.drawPaths(this.shown, this.start);
      if (this.selection) whole.showSelection(this.selection, this.pairIndex);
      viewport = whole.viewport;
    }
    return graphSVG(viewport, this.geometry?.width, this.geometry?.height, `x${this.uid}`);
  }

  async pngBlob(scale = 2) {
    const { W, H } = exportSize(this.geometry?.width, this.geometry?.height);
    return svgToPNG(this.svgText(), W, H, scale);
  }

  /// {nodes and edges: the SVG's, shown: the edges on the shown paths, window: a long graph's painted part {drawn,
  /// inView, cutoff}, else null}.
  stats() {
    const p = this.painted;
    return { ...this.renderer.stats(), shown: this.shown.length,
             window: this.onCanvas ? { drawn: p.edges.length, inView: p.inView, cutoff: p.cutoff } : null };
  }

  destroy() {
    this.resizeObserver?.disconnect();
    this.canvas.destroy();
    this.interaction.destroy();
    this.svg.remove();
    this.container.classList.remove('gb-graph');
    this.graph = null;
    this.edges = [];
    this.renderer.reset();
  }
}
