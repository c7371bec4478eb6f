// Draws a contribution graph into its SVG: the skeleton (one viewport group whose transform pans and zooms, with a
// group per layer of the drawing, and the legend overlay), the static scene, the shown paths (edges, active
// nodes, FFN squares, markers), the selection and the transform.
import { svgEl } from '../../core/dom.js';
import { SVG_FONT_FAMILY } from '../../core/fonts.js';
import { FFN_SIZE } from './layout.js';
import { LEGEND_W, buildLegend } from './legend.js';
import { bandsFragment, labelsFragment, markersFragment, nodesFragment } from './scene.js';
import { COLORS, edgeColor, edgeWidth } from './style.js';

const FAR_SCALE = 0.5; // below this zoom, edges are drawn 1 screen px wide (non-scaling)
const TINY_SCALE = 0.25; // below this zoom (node radius < 1 px), nodes off the paths are not painted

export class GraphRenderer {
  constructor(uid) {
    this.svg = svgEl('svg', { id: 'graph-svg', class: 'gb-graph-svg', 'data-ready': 'false', role: 'img',
      'aria-label': 'Contribution graph', width: '100%', height: '100%' });
    this.viewport = svgEl('g', { class: 'gb-viewport' });
    this.gBands = svgEl('g', { class: 'gb-bands' });
    this.gLabels = svgEl('g', { class: 'gb-labels', 'font-family': SVG_FONT_FAMILY });
    this.gEdges = svgEl('g', { class: 'gb-edges', 'stroke-linecap': 'round' });
    this.gNodes = svgEl('g', { class: 'gb-nodes', fill: COLORS.inactive, stroke: COLORS.inactiveStroke, 'stroke-width': 0.5 });
    this.gFfn = svgEl('g', { class: 'gb-ffn' });
    this.gMarkers = svgEl('g', { class: 'gb-markers' });
    this.viewport.append(this.gBands, this.gLabels, this.gEdges, this.gNodes, this.gFfn, this.gMarkers);
    this.legend = buildLegend(uid);
    this.legend.classList.add('gb-legend-overlay');
    this.svg.append(this.viewport, this.legend);
    this.far = false;
    this.tiny = false;
    this.reset();
  }

  reset() {
    this.edgeEls = []; // <line> per edge index, made when first shown
    this.nodeEls = new Map(); // residual/embedding node name → <circle>
    this.ffnEls = new Map(); // FFN node name → <rect> (the drawn ones)
    this.markerEls = [];
    this.markerAll = null;
    this.activeNodes = new Set();
    this.selectedEls = [];
  }

  /// The static scene of a graph (`empty`: none, for a long graph painted on a canvas); forgets the previous graph's
  /// elements.
  drawScene(geometry, tokens, edgeCount, empty = false) {
    this.reset();
    this.geometry = geometry;
    this.edgeEls = new Array(edgeCount);
    if (empty) {
      for (const g of [this.gBands, this.gLabels, this.gEdges, this.gNodes, this.gFfn, this.gMarkers]) g.replaceChildren();
      return;
    }
    this.gBands.replaceChildren(bandsFragment(geometry));
    this.gLabels.replaceChildren(labelsFragment(geometry, tokens));
    const nodes = nodesFragment(geometry);
    this.nodeEls = nodes.nodes;
    this.gNodes.replaceChildren(nodes.fragment);
    this.gFfn.replaceChildren();
    const markers = markersFragment(geometry, tokens);
    this.markerEls = markers.markers;
    this.markerAll = markers.all;
    this.gMarkers.replaceChildren(markers.fragment);
  }

  edgeElement(rec) {
    let e = this.edgeEls[rec.index];
    if (!e) {
      e = svgEl('line', { class: 'edge ' + rec.kind, x1: rec.x1, y1: rec.y1, x2: rec.x2, y2: rec.y2,
        stroke: edgeColor(rec.kind, rec.weight), 'stroke-width': edgeWidth(rec.weight),
        'data-source': rec.source, 'data-target': rec.target, 'data-kind': rec.kind,
        'data-weight': String(rec.weight), 'data-index': rec.index });
      this.edgeEls[rec.index] = e;
    }
    return e;
  }

  /// Whether an edge record is drawn now.
  isShown(rec) {
    const e = this.edgeEls[rec.index];
    return Boolean(e) && e.parentNode === this.gEdges;
  }

  hasFfn(name) {
    return this.ffnEls.has(name);
  }

  /// The shown edges (light ones first, so that the strong ones stay visible), the nodes they touch, the FFN
  /// squares among those, and the start markers.
  drawPaths(shown, start) {
    const edges = document.createDocumentFragment();
    const active = new Set();
    const ffnNames = [];
    for (const rec of shown) {
      edges.appendChild(this.edgeElement(rec));
      for (const name of [rec.source, rec.target]) {
        if (active.has(name)) continue;
        active.add(name);
        if (name.charCodeAt(0) === 77 /* M */) ffnNames.push(name);
      }
    }
    this.gEdges.replaceChildren(edges);
    // residual nodes: only the ones whose state changes
    for (const name of this.activeNodes) if (!active.has(name)) setResidualActive(this.nodeEls.get(name), false);
    for (const name of active) if (!this.activeNodes.has(name)) setResidualActive(this.nodeEls.get(name), true);
    this.activeNodes = active;
    this.drawFfn(ffnNames);
    this.drawMarkers(start);
  }

  drawFfn(names) {
    const fragment = document.createDocumentFragment();
    this.ffnEls = new Map();
    for (const name of names) {
      const p = this.geometry.nodePos(name);
      if (!p) continue;
      const r = svgEl('rect', { class: 'node ffn', 'data-node': name, x: p.x - FFN_SIZE / 2, y: p.y - FFN_SIZE / 2,
        width: FFN_SIZE, height: FFN_SIZE, fill: COLORS.ffnNode, stroke: COLORS.nodeStroke, 'stroke-width': 0.75 });
      this.ffnEls.set(name, r);
      fragment.appendChild(r);
    }
    this.gFfn.replaceChildren(fragment);
  }

  drawMarkers(start) {
    this.markerEls.forEach((m, i) => {
      m.classList.toggle('active', start === i);
      m.setAttribute('fill', start === i ? COLORS.selected : COLORS.marker);
    });
    if (this.markerAll) {
      this.markerAll.classList.toggle('active', start === 'all');
      this.markerAll.firstChild.setAttribute('fill', start === 'all' ? COLORS.selected : COLORS.marker);
    }
    this.svg.dataset.start = String(start);
  }

  clearSelection(edges) {
    for (const e of this.selectedEls) {
      e.classList.remove('selected');
      if (e.tagName === 'line') {
        const rec = edges[+e.getAttribute('data-index')];
        e.setAttribute('stroke', edgeColor(rec.kind, rec.weight));
      } else if (e.classList.contains('ffn')) {
        e.setAttribute('fill', COLORS.ffnNode);
      } else if (e.classList.contains('active')) {
        e.setAttribute('fill', COLORS.active);
      } else {
        e.removeAttribute('fill');
      }
    }
    this.selectedEls = [];
  }

  /// Marks the selected node, or the shown edges of the selected pair (raised on top), in orange.
  showSelection(selection, pairIndex) {
    if (selection.node) {
      const e = this.nodeEls.get(selection.node) || this.ffnEls.get(selection.node);
      if (!e) return;
      e.classList.add('selected');
      e.setAttribute('fill', COLORS.selected);
      this.selectedEls.push(e);
      return;
    }
    for (const rec of pairIndex.get(selection.edge.source + '|' + selection.edge.target) || []) {
      if (!this.isShown(rec)) continue;
      const e = this.edgeEls[rec.index];
      e.classList.add('selected');
      e.setAttribute('stroke', COLORS.selected);
      this.gEdges.appendChild(e); // on top
      this.selectedEls.push(e);
    }
  }

  setTransform(view) {
    this.viewport.setAttribute('transform', `translate(${view.x.toFixed(2)},${view.y.toFixed(2)}) scale(${view.k.toFixed(5)})`);
    if ((view.k < FAR_SCALE) !== this.far) {
      this.far = view.k < FAR_SCALE;
      this.viewport.classList.toggle('gb-far', this.far);
    }
    if ((view.k < TINY_SCALE) !== this.tiny) {
      this.tiny = view.k < TINY_SCALE;
      this.viewport.classList.toggle('gb-tiny', this.tiny);
    }
  }

  /// The legend overlay at the top right of a w px wide box.
  placeLegend(w) {
    this.legend.setAttribute('transform', `translate(${Math.max(4, w - LEGEND_W - 8)},8)`);
  }

  stats() {
    return { nodes: this.gNodes.childElementCount + this.gFfn.childElementCount, edges: this.gEdges.childElementCount };
  }
}

function setResidualActive(c, on) {
  if (!c) return;
  c.classList.toggle('active', on);
  if (on) {
    c.setAttribute('stroke', COLORS.nodeStroke);
    c.setAttribute('stroke-width', 0.75);
    if (!c.classList.contains('selected')) c.setAttribute('fill', COLORS.active);
  } else {
    c.removeAttribute('stroke');
    c.removeAttribute('stroke-width');
    if (!c.classList.contains('selected')) c.removeAttribute('fill');
  }
}
