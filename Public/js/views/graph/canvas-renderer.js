// Paints a long contribution graph (level-of-detail.js) on a canvas under the graph's SVG, every frame, with only
// what is in view: the layer bands, the heaviest shown edges crossing the viewport, and from DETAIL_SCALE on the
// layer and token labels, the residual nodes, the FFN squares on the paths and the start markers; the selection in
// orange on top. The look is the SVG's (renderer.js, scene.js, style.js); pointer hits go by the geometry.
import { el } from '../../core/dom.js';
import { SVG_FONT_FAMILY } from '../../core/fonts.js';
import { CELL, FFN_SIZE, MARGIN_LEFT, MARKER_Y, NODE_R, shortLabel } from './layout.js';
import { DETAIL_SCALE, edgesInView, tokenRange, viewRect } from './level-of-detail.js';
import { COLORS, edgeColor, edgeWidth } from './style.js';

const FAR_SCALE = 0.5; // below this zoom, edges are 1 screen px wide (as the SVG's .gb-far)
const LABEL_ANGLE = (-40 * Math.PI) / 180;

export class CanvasRenderer {
  constructor() {
    this.canvas = el('canvas', 'gb-graph-canvas', { 'aria-hidden': 'true' });
    this.ctx = this.canvas.getContext('2d');
    this.painted = { edges: [], inView: 0, cutoff: 0 };
  }

  /// Paints the graph s = {geometry, tokens, byWeight, active, start, selection, pairIndex, onPaths} for the
  /// transform `view` in a box {w, h}; answers {edges (the painted records), inView, cutoff}.
  paint(view, box, s) {
    const ctx = this.ctx;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(box.w * dpr)), h = Math.max(1, Math.round(box.h * dpr));
    if (this.canvas.width !== w || this.canvas.height !== h) Object.assign(this.canvas, { width: w, height: h });
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, w, h);
    ctx.setTransform(dpr * view.k, 0, 0, dpr * view.k, dpr * view.x, dpr * view.y);
    const g = s.geometry;
    const rect = viewRect(view, box, CELL);
    const range = tokenRange(g, rect);
    const detail = view.k >= DETAIL_SCALE;
    paintBands(ctx, g);
    if (detail) paintLabels(ctx, g, s.tokens, range);
    const picked = edgesInView(s.byWeight, rect);
    const px = 1 / view.k; // a screen pixel in user units
    paintEdges(ctx, picked.edges, view.k < FAR_SCALE ? () => px : (r) => edgeWidth(r.weight), null);
    const selected = s.selection?.edge ? (s.pairIndex.get(s.selection.edge.source + '|' + s.selection.edge.target) || [])
      .filter(s.onPaths) : [];
    paintEdges(ctx, selected, view.k < FAR_SCALE ? () => 3 * px : (r) => edgeWidth(r.weight), COLORS.selected);
    if (detail) {
      const node = s.selection?.node || null;
      paintNodes(ctx, g, range, s.active, node);
      paintFfn(ctx, g, range, s.active, node);
      paintMarkers(ctx, g, range, s.start);
    }
    this.painted = { edges: picked.edges.concat(selected), inView: picked.inView, cutoff: picked.cutoff };
    return this.painted;
  }

  destroy() {
    this.canvas.remove();
  }
}

function paintBands(ctx, g) {
  ctx.fillStyle = COLORS.band;
  ctx.beginPath();
  for (let l = 1; l < g.nLayers; l += 2) ctx.roundRect(MARGIN_LEFT - 6, g.top + (g.nLayers - 1 - l) * CELL, g.nTokens * CELL + 12, CELL, 6);
  ctx.fill();
}

function paintLabels(ctx, g, tokens, { t0, t1 }) {
  ctx.textAlign = 'end';
  ctx.textBaseline = 'middle';
  ctx.font = `11px ${SVG_FONT_FAMILY}`;
  ctx.fillStyle = COLORS.layerLabel;
  for (let l = 0; l < g.nLayers; l++) ctx.fillText('L' + l, MARGIN_LEFT - 12, g.cyOf(l));
  if (g.nLayers > 0) {
    ctx.font = `9px ${SVG_FONT_FAMILY}`;
    ctx.fillStyle = COLORS.faint;
    ctx.fillText('emb', MARGIN_LEFT - 12, g.embY);
  }
  ctx.font = `11px ${SVG_FONT_FAMILY}`;
  ctx.fillStyle = COLORS.label;
  const y = g.embY + NODE_R + 8;
  for (let i = t0; i <= t1; i++) {
    ctx.save();
    ctx.translate(g.xOf(i), y);
    ctx.rotate(LABEL_ANGLE);
    ctx.fillText(shortLabel(tokens[i]), 0, 0);
    ctx.restore();
  }
}

/// Edges light first, each in its colour (or `color`) and width(record).
function paintEdges(ctx, edges, width, color) {
  ctx.lineCap = 'round';
  for (const r of edges) {
    ctx.strokeStyle = color || (r.color ||= edgeColor(r.kind, r.weight));
    ctx.lineWidth = width(r);
    ctx.beginPath();
    ctx.moveTo(r.x1, r.y1);
    ctx.lineTo(r.x2, r.y2);
    ctx.stroke();
  }
}

/// The residual nodes of the tokens in view, in three passes: off the paths, on them, the selected one.
function paintNodes(ctx, g, { t0, t1 }, active, selected) {
  const off = new Path2D(), on = new Path2D();
  let chosen = null;
  const add = (name, x, y) => {
    const path = active.has(name) ? on : off;
    path.moveTo(x + NODE_R, y);
    path.arc(x, y, NODE_R, 0, 2 * Math.PI);
    if (name === selected) chosen = [x, y];
  };
  for (let t = t0; t <= t1; t++) {
    const x = g.xOf(t);
    if (g.nLayers > 0) add('X0_' + t, x, g.embY);
    for (let l = 0; l < g.nLayers; l++) {
      const cy = g.cyOf(l);
      add(`A${l}_${t}`, x, cy + CELL / 4);
      add(`I${l}_${t}`, x, cy - CELL / 4);
    }
  }
  fillStroke(ctx, off, COLORS.inactive, COLORS.inactiveStroke, 0.5);
  fillStroke(ctx, on, COLORS.active, COLORS.nodeStroke, 0.75);
  if (chosen) {
    const p = new Path2D();
    p.arc(chosen[0], chosen[1], NODE_R, 0, 2 * Math.PI);
    fillStroke(ctx, p, COLORS.selected, COLORS.nodeStroke, 0.75);
  }
}

/// The FFN squares on the paths among the tokens in view.
function paintFfn(ctx, g, { t0, t1 }, active, selected) {
  const path = new Path2D();
  let chosen = null;
  for (let t = t0; t <= t1; t++) {
    for (let l = 0; l < g.nLayers; l++) {
      const name = `M${l}_${t}`;
      if (!active.has(name)) continue;
      const x = g.xOf(t) + (5 * CELL) / 16 - FFN_SIZE / 2, y = g.cyOf(l) - FFN_SIZE / 2;
      path.rect(x, y, FFN_SIZE, FFN_SIZE);
      if (name === selected) chosen = [x, y];
    }
  }
  fillStroke(ctx, path, COLORS.ffnNode, COLORS.nodeStroke, 0.75);
  if (chosen) {
    const p = new Path2D();
    p.rect(chosen[0], chosen[1], FFN_SIZE, FFN_SIZE);
    fillStroke(ctx, p, COLORS.selected, COLORS.nodeStroke, 0.75);
  }
}

/// A triangle per token in view above the top layer (the start one orange) and the "all" button.
function paintMarkers(ctx, g, { t0, t1 }, start) {
  const idle = new Path2D(), chosen = new Path2D();
  const my = MARKER_Y;
  for (let t = t0; t <= t1; t++) {
    const x = g.xOf(t);
    const path = start === t ? chosen : idle;
    path.moveTo(x, my + 7);
    path.lineTo(x + 6.5, my - 4);
    path.lineTo(x - 6.5, my - 4);
    path.closePath();
  }
  ctx.lineJoin = 'round';
  fillStroke(ctx, idle, COLORS.marker, COLORS.nodeStroke, 0.75);
  fillStroke(ctx, chosen, COLORS.selected, COLORS.nodeStroke, 0.75);
  const button = new Path2D();
  button.roundRect(MARGIN_LEFT - 40, my - 8, 28, 16, 4);
  fillStroke(ctx, button, start === 'all' ? COLORS.selected : COLORS.marker, COLORS.nodeStroke, 0.75);
  ctx.fillStyle = COLORS.label;
  ctx.font = '10px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText('all', MARGIN_LEFT - 26, my);
}

function fillStroke(ctx, path, fill, stroke, width) {
  ctx.fillStyle = fill;
  ctx.fill(path);
  ctx.strokeStyle = stroke;
  ctx.lineWidth = width;
  ctx.stroke(path);
}
