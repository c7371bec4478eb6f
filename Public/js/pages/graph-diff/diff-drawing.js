// The graph diff's drawing (SVG) on the contribution graph's layout (views/graph/layout.js, scene.js): the layer
// bands, labels and residual nodes of the shared node set, every edge of the diff styled by diff-data.js (its
// <title> the numbers), a halo under the highlighted edge; zoom and pan through components/viewport.js.
//   createDiffDrawing(container, {onEdgeClick(index)}) → {render(data), highlight(index | -1), fit(), destroy()}
import { svgEl } from '../../core/dom.js';
import { SVG_FONT_FAMILY } from '../../core/fonts.js';
import { createViewport } from '../../components/viewport.js';
import { FFN_SIZE, MAX_SCALE, MIN_SCALE_ABS, fitView, graphGeometry } from '../../views/graph/layout.js';
import { bandsFragment, labelsFragment, nodesFragment } from '../../views/graph/scene.js';
import { COLORS } from '../../views/graph/style.js';
import { OUTLINE, axisLabels, diffScale, drawingOrder, edgeStyle, edgeText } from './diff-data.js';

function edgeElements(e, g, scale) {
  const a = g.nodePos(e.source), b = g.nodePos(e.target);
  if (!a || !b) return null;
  const style = edgeStyle(e, scale);
  const ends = { x1: a.x, y1: a.y, x2: b.x, y2: b.y };
  const line = svgEl('line', { ...ends, class: `edge diff-edge ${e.change}`, stroke: style.stroke, 'stroke-width': style.width,
    'stroke-dasharray': style.dash, 'data-index': e.index, 'data-source': e.source, 'data-target': e.target, 'data-kind': e.kind,
    'data-change': e.change, 'data-difference': e.difference });
  line.append(svgEl('title', null, edgeText(e)));
  const casing = style.outline ? svgEl('line', { ...ends, class: 'diff-outline', stroke: OUTLINE, 'stroke-width': style.width + 2.5,
    'data-index': e.index }) : null;
  return { line, casing, ends, width: style.width };
}

export function createDiffDrawing(container, { onEdgeClick }) {
  const svg = svgEl('svg', { id: 'diff-svg', class: 'gb-graph-svg diff-svg', role: 'img', 'aria-label': 'Graph diff',
    width: '100%', height: '100%', 'data-ready': 'false' });
  const viewport = svgEl('g', { class: 'gb-viewport' });
  const layers = ['gb-bands', 'gb-labels', 'diff-halo', 'gb-edges', 'gb-nodes', 'gb-ffn'].map((c) => svgEl('g', { class: c }));
  const [gBands, gLabels, gHalo, gEdges, gNodes, gFfn] = layers;
  gLabels.setAttribute('font-family', SVG_FONT_FAMILY);
  gEdges.setAttribute('stroke-linecap', 'round');
  gNodes.setAttribute('fill', COLORS.inactive);
  gNodes.setAttribute('stroke', COLORS.inactiveStroke);
  gNodes.setAttribute('stroke-width', 0.5);
  viewport.append(...layers);
  svg.append(viewport);
  container.append(svg);
  let geometry = null;
  let drawn = new Map(); // edge index → {line, casing, ends, width}
  const size = () => svg.getBoundingClientRect();
  const vp = createViewport(svg, {
    keyTarget: container,
    ready: () => Boolean(geometry),
    accepts: () => Boolean(geometry),
    limits: () => ({ min: MIN_SCALE_ABS, max: MAX_SCALE }),
    onChange: (v) => viewport.setAttribute('transform', `translate(${v.x.toFixed(2)},${v.y.toFixed(2)}) scale(${v.k.toFixed(5)})`),
    centre: () => { const r = size(); return [r.width / 2, r.height / 2]; },
    panStep: () => 60,
    reset: () => fit(),
    sidewaysPans: true,
  });
  function fit() {
    const r = size();
    if (geometry && r.width > 2 && r.height > 2) vp.set(fitView({ w: r.width, h: r.height }, geometry, { legendW: 0, legendH: 0 }));
  }
  svg.addEventListener('click', (event) => {
    if (vp.takeDragClick()) return;
    const line = event.target.closest?.('line[data-index]');
    if (line) onEdgeClick(Number(line.dataset.index));
  });
  const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(() => fit()) : null;
  observer?.observe(svg);

  /// The nodes the edges touch: residual nodes coloured as on a path, FFN squares drawn.
  function activate(names, nodes) {
    for (const name of names) {
      const p = geometry.nodePos(name);
      if (p?.item === 'M') {
        gFfn.append(svgEl('rect', { class: 'node ffn', 'data-node': name, x: p.x - FFN_SIZE / 2, y: p.y - FFN_SIZE / 2,
          width: FFN_SIZE, height: FFN_SIZE, fill: COLORS.ffnNode, stroke: COLORS.nodeStroke, 'stroke-width': 0.75 }));
      } else {
        nodes.get(name)?.setAttribute('fill', COLORS.active);
        nodes.get(name)?.setAttribute('stroke', COLORS.nodeStroke);
      }
    }
  }

  return {
    render(data) {
      svg.setAttribute('data-ready', 'false');
      const labels = axisLabels(data);
      geometry = graphGeometry(data.layers, labels.length);
      gBands.replaceChildren(bandsFragment(geometry));
      gLabels.replaceChildren(labelsFragment(geometry, labels));
      const nodes = nodesFragment(geometry);
      gNodes.replaceChildren(nodes.fragment);
      gFfn.replaceChildren();
      gHalo.replaceChildren();
      const scale = diffScale(data.edges);
      const fragment = document.createDocumentFragment();
      const names = new Set();
      drawn = new Map();
      for (const e of drawingOrder(data.edges)) {
        const parts = edgeElements(e, geometry, scale);
        if (!parts) continue;
        drawn.set(e.index, parts);
        if (parts.casing) fragment.append(parts.casing);
        fragment.append(parts.line);
        names.add(e.source).add(e.target);
      }
      gEdges.replaceChildren(fragment);
      activate(names, nodes.nodes);
      svg.dataset.edges = String(drawn.size);
      fit();
      svg.setAttribute('data-ready', 'true');
    },
    /// A halo under the edge (its line raised on top), or none for -1.
    highlight(index) {
      gHalo.replaceChildren();
      for (const line of gEdges.querySelectorAll('line.highlighted')) line.classList.remove('highlighted');
      const parts = drawn.get(index);
      if (!parts) return;
      gHalo.append(svgEl('line', { ...parts.ends, class: 'diff-halo-line', stroke: COLORS.selected, 'stroke-width': parts.width + 6,
        'stroke-opacity': 0.85, 'stroke-linecap': 'round' }));
      if (parts.casing) gEdges.append(parts.casing);
      gEdges.append(parts.line);
      parts.line.classList.add('highlighted');
    },
    fit,
    destroy() {
      observer?.disconnect();
      vp.destroy();
    },
  };
}
