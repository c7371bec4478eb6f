// The contribution graph under the pointer and the keys: pan and zoom (components/viewport.js) with the zoom
// buttons, hit testing (the DOM target first, the layout's geometry as the fallback, and the only way for a long
// graph painted on the canvas), the hover tooltip, and the clicks on nodes, edges, start markers and the background.
// Works on a GraphView (graph-view.js): its SVG, container, renderer, geometry, edges, drawn records, selection, fit
// and transform.
import { el, frameScheduler, listenerGroup } from '../../core/dom.js';
import { createViewport } from '../../components/viewport.js';
import { MAX_SCALE, MIN_SCALE_ABS, NODE_R, nearestEdge, nearestNode } from './layout.js';
import { tooltipLines, tooltipPosition } from './tooltip.js';

const HIT_SLOP = 5; // px around an edge that still count as hovering or clicking it

function zoomControls() {
  const controls = el('div', 'gb-graph-controls');
  for (const [action, text, title] of [['in', '+', 'Zoom in (+)'], ['out', '−', 'Zoom out (−)'], ['fit', '⤢', 'Fit the graph (0)']]) {
    controls.appendChild(el('button', null, { type: 'button', title, 'aria-label': title, 'data-zoom': action }, text));
  }
  return controls;
}

export class GraphInteraction {
  constructor(graph) {
    this.graph = graph;
    this.tooltip = el('div', 'gb-graph-tooltip', { role: 'tooltip' });
    this.tooltip.hidden = true;
    Object.assign(this.tooltip.style, { position: 'absolute', pointerEvents: 'none', left: '0px', top: '0px' });
    this.controls = zoomControls();
    this.frame = frameScheduler(() => graph.applyTransform(this.viewport.view));
    this.hover = frameScheduler(() => this.doHover());
    this.hoverEvent = null;
    this.viewport = this.createViewport();
    this.events = listenerGroup();
    this.events.on(graph.svg, 'click', (event) => this.onClick(event));
    this.events.on(this.controls, 'click', (event) => this.onControls(event));
  }

  createViewport() {
    const graph = this.graph;
    return createViewport(graph.svg, {
      keyTarget: graph.container,
      ready: () => Boolean(graph.graph),
      accepts: (event, gesture) => (gesture === 'press' || Boolean(graph.graph)) && (gesture === 'wheel' || this.markerHit(event) === null),
      limits: () => ({ min: Math.max(MIN_SCALE_ABS, Math.min(graph.fitScale * 0.5, 0.5)), max: MAX_SCALE }),
      onChange: (view, cause) => {
        if (cause === 'set') {
          this.frame.cancel();
          graph.applyTransform(view);
        } else {
          this.frame.schedule();
        }
        if (cause === 'wheel') this.hideTooltip();
      },
      centre: () => { const { w, h } = graph.size(); return [w / 2, h / 2]; },
      panStep: () => 60,
      reset: () => graph.fit(),
      sidewaysPans: true,
      ctrlRate: 0.01,
      onHover: (event) => { this.hoverEvent = event; this.hover.schedule(); },
      onLeave: () => { this.hoverEvent = null; this.hideTooltip(); },
      onDragStart: () => { graph.svg.classList.add('gb-panning'); this.hideTooltip(); },
      onDragEnd: () => graph.svg.classList.remove('gb-panning'),
      onKey: (event) => event.key === 'Escape' && (this.hideTooltip(), true),
    });
  }

  /// What is under the pointer: {node} | {edge: record} | null.
  hitTest(target, clientX, clientY) {
    const graph = this.graph;
    if (target && target.getAttribute) {
      const node = target.getAttribute('data-node');
      if (node) return { node };
      if (target.classList && target.classList.contains('edge')) return { edge: graph.edges[+target.getAttribute('data-index')] };
    }
    if (!graph.graph || clientX === undefined) return null;
    const view = this.viewport.view;
    const p = this.graphPoint(clientX, clientY);
    const node = nearestNode(graph.geometry, p, NODE_R + HIT_SLOP / view.k, (name) => graph.hasFfn(name));
    if (node) return { node };
    const edge = nearestEdge(graph.drawnEdges, p, HIT_SLOP / view.k);
    return edge ? { edge } : null;
  }

  /// The graph point under a client point.
  graphPoint(clientX, clientY) {
    const r = this.graph.svg.getBoundingClientRect();
    const view = this.viewport.view;
    return { x: (clientX - r.left - view.x) / view.k, y: (clientY - r.top - view.y) / view.k };
  }

  markerOf(target) {
    const m = target && target.closest ? target.closest('.start-marker, .start-all') : null;
    return m && this.graph.svg.contains(m) ? m : null;
  }

  /// The start marker under a pointer event: a token index, 'all' or null (an SVG marker, or one on the canvas).
  markerHit(event) {
    const m = this.markerOf(event.target);
    if (m) return m.getAttribute('data-token') === 'all' ? 'all' : +m.getAttribute('data-token');
    const real = event.clientX !== 0 || event.clientY !== 0; // a synthetic element.click() has no coordinates
    return this.graph.onCanvas && real ? this.graph.markerAt(this.graphPoint(event.clientX, event.clientY)) : null;
  }

  doHover() {
    const event = this.hoverEvent;
    if (!event || this.viewport.dragging) return;
    const marker = this.markerHit(event);
    if (marker !== null) {
      if (this.markerOf(event.target)) this.hideTooltip(); // the SVG marker has its own title
      else this.showTooltip({ marker }, event.clientX, event.clientY);
      return;
    }
    this.showTooltip(this.hitTest(event.target, event.clientX, event.clientY), event.clientX, event.clientY);
  }

  showTooltip(hit, clientX, clientY) {
    if (!hit) { this.hideTooltip(); return; }
    const graph = this.graph;
    const about = hit.marker !== undefined ? hit : hit.node ? { node: hit.node, active: graph.isActive(hit.node) }
      : { edge: hit.edge, pair: graph.pairEdges(hit.edge.source, hit.edge.target) };
    this.tooltip.replaceChildren(...tooltipLines(about, graph.geometry, graph.graph?.tokens).map(([text, cls]) => el('div', cls, null, text)));
    this.tooltip.hidden = false;
    const box = graph.container.getBoundingClientRect();
    const { left, top } = tooltipPosition(clientX - box.left, clientY - box.top, this.tooltip.offsetWidth,
      this.tooltip.offsetHeight, box.width, box.height);
    this.tooltip.style.left = left + 'px';
    this.tooltip.style.top = top + 'px';
  }

  hideTooltip() {
    this.tooltip.hidden = true;
  }

  onClick(event) {
    const graph = this.graph;
    if (this.viewport.takeDragClick() || !graph.graph) return;
    const start = this.markerHit(event);
    if (start !== null) {
      graph.setStart(start);
      graph.container.dispatchEvent(new CustomEvent('start', { detail: start, bubbles: true }));
      return;
    }
    const real = event.clientX !== 0 || event.clientY !== 0; // a synthetic element.click() has no coordinates
    const hit = this.hitTest(event.target, real ? event.clientX : undefined, real ? event.clientY : undefined);
    if (hit && hit.node) {
      graph.select({ node: hit.node });
      graph.callbacks.onNodeClick?.(hit.node);
    } else if (hit && hit.edge) {
      graph.select({ edge: { source: hit.edge.source, target: hit.edge.target } });
      graph.callbacks.onEdgeClick?.(graph.pairEdges(hit.edge.source, hit.edge.target));
    } else {
      graph.callbacks.onBackgroundClick?.();
    }
  }

  onControls(event) {
    const b = event.target.closest('button[data-zoom]');
    if (!b) return;
    const { w, h } = this.graph.size();
    if (b.dataset.zoom === 'in') this.viewport.zoomAt(1.4, w / 2, h / 2);
    else if (b.dataset.zoom === 'out') this.viewport.zoomAt(1 / 1.4, w / 2, h / 2);
    else this.graph.fit();
    this.graph.container.focus({ preventScroll: true });
  }

  destroy() {
    this.frame.cancel();
    this.hover.cancel();
    this.viewport.destroy();
    this.events.off();
    this.tooltip.remove();
    this.controls.remove();
  }
}
