// Glassbox contribution-graph view (SVG), after the LLM Transparency Tool's graph, with zoom, pan, fit,
// hover tooltips, a start-token selector and SVG/PNG export. Plain ES module, no dependencies.
//
// Layout (user units of the viewport group): one CELL × CELL cell per (layer, token); tokens left → right,
// layers bottom → top. In a cell the residual after attention (A) sits a quarter cell below the centre, the
// residual after the layer (I) a quarter above, the FFN square (M) to the right of the centre; the embedding
// row (X0) half a cell below layer 0's A row. Pan and zoom change one transform attribute on one <g>.

const SVG_NS = 'http://www.w3.org/2000/svg';
const CELL = 32;
const NODE_R = 4;
const FFN_SIZE = 6;
const MARGIN_LEFT = 64;
const MARGIN_RIGHT = 20;
const MARGIN_TOP = 6;
const LABEL_SPACE = 96;          // below the embedding row, for the rotated token labels
const LABEL_MAX_CHARS = 14;
const MIN_SCALE_ABS = 0.01;
const MAX_SCALE = 12;
const FAR_SCALE = 0.5;           // below this zoom, edges are drawn 1 screen px wide (non-scaling)
const TINY_SCALE = 0.25;         // below this zoom (node radius < 1 px), nodes off the paths are not painted
const DRAG_SLOP = 4;             // px of pointer travel before a press becomes a pan
const HIT_SLOP = 5;              // px around an edge that still counts as hovering/clicking it
const MAX_CANVAS_SIDE = 16384;
const MAX_CANVAS_AREA = 128e6;

const COLORS = {
  band: '#f0f5f0',
  active: 'yellowgreen',
  inactive: 'lightgray',
  selected: 'orange',
  ffnNode: 'orchid',
  marker: 'lightblue',
  nodeStroke: '#3c3c3c',
  inactiveStroke: '#a8a8a8',
  label: '#333',
  layerLabel: '#555',
  faint: '#999',
};
const ATTN_LOW = [0x9e, 0xba, 0x66];   // #9eba66
const ATTN_HIGH = [0x55, 0x6b, 0x2f];  // darkolivegreen
const FFN_LOW = [0xda, 0x70, 0xd6];    // orchid
const FFN_HIGH = [0x80, 0x00, 0x80];   // purple

const NODE_RE = /^([AIMX])(\d+)_(\d+)$/;
const ITEM_NAMES = { X: 'embedding', A: 'after attention', M: 'FFN block', I: 'after layer' };

let instanceCounter = 0;

function el(name, attrs) {
  const e = document.createElementNS(SVG_NS, name);
  if (attrs) for (const k in attrs) e.setAttribute(k, attrs[k]);
  return e;
}

function clamp01(x) { return x > 0 ? (x < 1 ? x : 1) : 0; }

function hex2(v) { const s = Math.round(v).toString(16); return s.length < 2 ? '0' + s : s; }

function mix(lo, hi, t) {
  return '#' + hex2(lo[0] + (hi[0] - lo[0]) * t) + hex2(lo[1] + (hi[1] - lo[1]) * t) +
    hex2(lo[2] + (hi[2] - lo[2]) * t);
}

/** Colour of an edge: weight 0 → light, saturating at 0.5 (LLM-TT's scales). */
export function edgeColor(kind, weight) {
  const t = clamp01((Number.isFinite(weight) ? weight : 0) / 0.5);
  return kind === 'ffn' ? mix(FFN_LOW, FFN_HIGH, t) : mix(ATTN_LOW, ATTN_HIGH, t);
}

/** Stroke width of an edge in user units: 2 → 3, saturating at weight 0.5. */
export function edgeWidth(weight) {
  return 2 + clamp01((Number.isFinite(weight) ? weight : 0) / 0.5);
}

// XML 1.0 forbids most control characters; the display strings should not carry any, but be safe.
function cleanText(s) {
  return String(s ?? '').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd');
}

function shortLabel(s) {
  const chars = Array.from(cleanText(s));
  return chars.length > LABEL_MAX_CHARS ? chars.slice(0, LABEL_MAX_CHARS - 1).join('') + '…' : chars.join('');
}

function ensureStylesheet() {
  if (typeof document === 'undefined') return;
  if (document.querySelector('link[data-gb-graph-css], link[href$="graph.css"]')) return;
  try {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = new URL('../css/graph.css', import.meta.url).href;
    link.dataset.gbGraphCss = '';
    document.head.appendChild(link);
  } catch (_) { /* optional */ }
}

export function createGraphView(container, callbacks = {}) {
  ensureStylesheet();
  const uid = ++instanceCounter;
  container.classList.add('gb-graph');
  if (!container.hasAttribute('tabindex')) container.setAttribute('tabindex', '0');
  if (!container.hasAttribute('aria-label')) container.setAttribute('aria-label', 'Contribution graph');

  // ---- DOM skeleton ---------------------------------------------------------------------------
  const svg = el('svg', { id: 'graph-svg', class: 'gb-graph-svg', 'data-ready': 'false', role: 'img',
    'aria-label': 'Contribution graph', width: '100%', height: '100%' });
  const viewport = el('g', { class: 'gb-viewport' });
  const gBands = el('g', { class: 'gb-bands' });
  const gLabels = el('g', { class: 'gb-labels', 'font-family': 'system-ui, -apple-system, "Segoe UI", sans-serif' });
  const gEdges = el('g', { class: 'gb-edges', 'stroke-linecap': 'round' });
  const gNodes = el('g', { class: 'gb-nodes', fill: COLORS.inactive, stroke: COLORS.inactiveStroke, 'stroke-width': 0.5 });
  const gFfn = el('g', { class: 'gb-ffn' });
  const gMarkers = el('g', { class: 'gb-markers' });
  viewport.append(gBands, gLabels, gEdges, gNodes, gFfn, gMarkers);
  const legend = buildLegend(uid);
  legend.classList.add('gb-legend-overlay');
  svg.append(viewport, legend);

  const tooltip = document.createElement('div');
  tooltip.className = 'gb-graph-tooltip';
  tooltip.setAttribute('role', 'tooltip');
  tooltip.hidden = true;
  Object.assign(tooltip.style, { position: 'absolute', pointerEvents: 'none', left: '0px', top: '0px' });

  const controls = document.createElement('div');
  controls.className = 'gb-graph-controls';
  for (const [action, text, title] of [['in', '+', 'Zoom in (+)'], ['out', '−', 'Zoom out (−)'],
    ['fit', '⤢', 'Fit the graph (0)']]) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = text;
    b.title = title;
    b.setAttribute('aria-label', title);
    b.dataset.zoom = action;
    controls.appendChild(b);
  }
  container.append(svg, tooltip, controls);

  // ---- state ----------------------------------------------------------------------------------
  let graph = null;
  let nTokens = 0;
  let nLayers = 0;
  let width = 0;              // content size in user units
  let height = 0;
  let edges = [];             // parsed edge records (one per API edge, same index)
  let pairIndex = new Map();  // "src|dst" → [edge records]
  let edgeEls = [];           // lazily created <line> per edge index
  let nodeEls = new Map();    // residual/embedding node name → <circle>
  let ffnEls = new Map();     // FFN node name → <rect> (only the drawn ones)
  let markerEls = [];
  let markerAll = null;
  let shown = [];             // edge records currently drawn
  let activeNodes = new Set();
  let start = 'all';
  let selection = null;
  let selectedEls = [];
  let lastDims = '';
  let needFit = true;
  let view = { k: 1, x: 0, y: 0 };
  let fitScale = 1;
  let far = false;
  let tiny = false;
  let rafId = 0;
  let hoverRaf = 0;
  let hoverEvent = null;
  let destroyed = false;

  // ---- geometry -------------------------------------------------------------------------------
  const top = () => MARGIN_TOP + CELL;                         // top of the top layer's band
  const xOf = (t) => MARGIN_LEFT + (t + 0.5) * CELL;
  const cyOf = (l) => top() + (nLayers - 1 - l) * CELL + CELL / 2;
  const embY = () => top() + nLayers * CELL + CELL / 4;

  function nodePos(name) {
    const m = NODE_RE.exec(name);
    if (!m) return null;
    const [, item, ls, ts] = m;
    const l = +ls;
    const t = +ts;
    if (t >= nTokens || (item !== 'X' && l >= nLayers)) return null;
    const x = xOf(t);
    switch (item) {
      case 'X': return { item, l, t, x, y: embY() };
      case 'A': return { item, l, t, x, y: cyOf(l) + CELL / 4 };
      case 'I': return { item, l, t, x, y: cyOf(l) - CELL / 4 };
      case 'M': return { item, l, t, x: x + (5 * CELL) / 16, y: cyOf(l) };
      default: return null;
    }
  }

  // ---- transform ------------------------------------------------------------------------------
  function applyTransform() {
    rafId = 0;
    viewport.setAttribute('transform', `translate(${view.x.toFixed(2)},${view.y.toFixed(2)}) scale(${view.k.toFixed(5)})`);
    const nowFar = view.k < FAR_SCALE;
    if (nowFar !== far) {
      far = nowFar;
      viewport.classList.toggle('gb-far', far);
    }
    const nowTiny = view.k < TINY_SCALE;
    if (nowTiny !== tiny) {
      tiny = nowTiny;
      viewport.classList.toggle('gb-tiny', tiny);
    }
  }
  function scheduleTransform() {
    if (!rafId && !destroyed) rafId = requestAnimationFrame(applyTransform);
  }
  function size() {
    const r = svg.getBoundingClientRect();
    return { w: r.width, h: r.height, left: r.left, top: r.top };
  }
  function minScale() { return Math.max(MIN_SCALE_ABS, Math.min(fitScale * 0.5, 0.5)); }

  function zoomAt(factor, cx, cy) {
    const k = Math.min(MAX_SCALE, Math.max(minScale(), view.k * factor));
    const f = k / view.k;
    view.x = cx - (cx - view.x) * f;
    view.y = cy - (cy - view.y) * f;
    view.k = k;
    scheduleTransform();
  }

  function fit(known) {
    const { w, h } = known && known.w > 1 ? known : size();
    if (!graph || w < 2 || h < 2) { needFit = true; return; }
    needFit = false;
    const pad = 8;
    let k = Math.max(MIN_SCALE_ABS, Math.min(MAX_SCALE, Math.min((w - 2 * pad) / width, (h - 2 * pad) / height)));
    let x = (w - width * k) / 2;
    let y = (h - height * k) / 2;
    // keep the top-right legend overlay off the graph: move the graph left if there is room, else shrink it
    // into the area below the legend
    const legendLeft = w - LEGEND_W - 8;
    const legendBottom = 8 + LEGEND_H + 8;
    if (x + width * k > legendLeft && y < legendBottom) {
      if (legendLeft - pad >= width * k) {
        x = Math.max(pad, legendLeft - 8 - width * k);
      } else {
        const avail = h - legendBottom - pad;
        const k2 = Math.max(MIN_SCALE_ABS, Math.min(MAX_SCALE, (w - 2 * pad) / width, avail / height));
        if (k2 >= k * 0.6) {
          k = k2;
          x = (w - width * k) / 2;
          y = legendBottom + (avail - height * k) / 2;
        }
      }
    }
    fitScale = k;
    view = { k, x, y };
    if (rafId) { cancelAnimationFrame(rafId); }
    applyTransform();
  }

  // ---- drawing --------------------------------------------------------------------------------
  function render(g, options = {}) {
    const box = size();   // measured before the DOM changes, so that fitting forces no layout of the new graph
    svg.setAttribute('data-ready', 'false');
    hideTooltip();
    graph = g || { tokens: [], layers: 0, edges: [], paths: [] };
    const tokens = Array.isArray(graph.tokens) ? graph.tokens : [];
    nTokens = tokens.length;
    nLayers = Math.max(0, graph.layers | 0);
    width = MARGIN_LEFT + nTokens * CELL + MARGIN_RIGHT;
    height = top() + nLayers * CELL + CELL / 2 + LABEL_SPACE;

    // parse edges once
    const raw = Array.isArray(graph.edges) ? graph.edges : [];
    edges = new Array(raw.length);
    pairIndex = new Map();
    for (let i = 0; i < raw.length; i++) {
      const e = raw[i];
      const a = nodePos(e.source);
      const b = nodePos(e.target);
      const w = Number(e.weight);
      const rec = { index: i, source: e.source, target: e.target, weight: w, kind: e.kind || 'attention',
        x1: a ? a.x : 0, y1: a ? a.y : 0, x2: b ? b.x : 0, y2: b ? b.y : 0, valid: !!(a && b) };
      edges[i] = rec;
      const key = e.source + '|' + e.target;
      const list = pairIndex.get(key);
      if (list) list.push(rec); else pairIndex.set(key, [rec]);
    }
    edgeEls = new Array(raw.length);
    shown = [];
    selectedEls = [];

    // static layer: bands, labels, residual nodes, markers
    const bands = document.createDocumentFragment();
    for (let l = 1; l < nLayers; l += 2) {
      bands.appendChild(el('rect', { x: MARGIN_LEFT - 6, y: top() + (nLayers - 1 - l) * CELL,
        width: nTokens * CELL + 12, height: CELL, rx: 6, fill: COLORS.band }));
    }
    gBands.replaceChildren(bands);

    const labels = document.createDocumentFragment();
    for (let l = 0; l < nLayers; l++) {
      const t = el('text', { x: MARGIN_LEFT - 12, y: cyOf(l), 'text-anchor': 'end', 'dominant-baseline': 'central',
        'font-size': 11, fill: COLORS.layerLabel, class: 'layer-label' });
      t.textContent = 'L' + l;
      labels.appendChild(t);
    }
    if (nLayers > 0) {
      const t = el('text', { x: MARGIN_LEFT - 12, y: embY(), 'text-anchor': 'end', 'dominant-baseline': 'central',
        'font-size': 9, fill: COLORS.faint, class: 'layer-label' });
      t.textContent = 'emb';
      labels.appendChild(t);
    }
    const ly = embY() + NODE_R + 8;
    for (let i = 0; i < nTokens; i++) {
      const x = xOf(i);
      const t = el('text', { x, y: ly, 'text-anchor': 'end', 'dominant-baseline': 'central', 'font-size': 11,
        fill: COLORS.label, transform: `rotate(-40 ${x} ${ly})`, class: 'token-label', 'data-token': i });
      t.textContent = shortLabel(tokens[i]);
      labels.appendChild(t);
    }
    gLabels.replaceChildren(labels);

    // ~2·L·n circles: clones of one prototype, three attributes each. Inactive styling is inherited from the
    // group; only active/selected nodes carry their own colours.
    nodeEls = new Map();
    const nodes = document.createDocumentFragment();
    const proto = el('circle', { class: 'node', r: NODE_R });
    const addNode = (name, x, y) => {
      const c = proto.cloneNode(false);
      c.setAttribute('data-node', name);
      c.setAttribute('cx', x);
      c.setAttribute('cy', y);
      nodeEls.set(name, c);
      nodes.appendChild(c);
    };
    if (nLayers > 0) for (let t = 0; t < nTokens; t++) addNode('X0_' + t, xOf(t), embY());
    for (let l = 0; l < nLayers; l++) {
      const cy = cyOf(l);
      for (let t = 0; t < nTokens; t++) {
        const x = xOf(t);
        addNode(`A${l}_${t}`, x, cy + CELL / 4);
        addNode(`I${l}_${t}`, x, cy - CELL / 4);
      }
    }
    gNodes.replaceChildren(nodes);
    ffnEls = new Map();
    gFfn.replaceChildren();
    activeNodes = new Set();

    const markers = document.createDocumentFragment();
    markerEls = new Array(nTokens);
    const my = MARGIN_TOP + CELL / 2;
    for (let i = 0; i < nTokens; i++) {
      const x = xOf(i);
      const p = el('polygon', { class: 'start-marker', 'data-token': i, fill: COLORS.marker,
        stroke: COLORS.nodeStroke, 'stroke-width': 0.75, 'stroke-linejoin': 'round',
        points: `${x},${my + 7} ${x + 6.5},${my - 4} ${x - 6.5},${my - 4}` });
      const title = el('title');
      title.textContent = `Show the paths to token ${i} (${cleanText(tokens[i])})`;
      p.appendChild(title);
      markerEls[i] = p;
      markers.appendChild(p);
    }
    markerAll = null;
    if (nTokens > 0) {
      markerAll = el('g', { class: 'start-all', 'data-token': 'all' });
      markerAll.appendChild(el('rect', { x: MARGIN_LEFT - 40, y: my - 8, width: 28, height: 16, rx: 4,
        fill: COLORS.marker, stroke: COLORS.nodeStroke, 'stroke-width': 0.75 }));
      const t = el('text', { x: MARGIN_LEFT - 26, y: my, 'text-anchor': 'middle', 'dominant-baseline': 'central',
        'font-size': 10, fill: COLORS.label, 'font-family': 'system-ui, sans-serif' });
      t.textContent = 'all';
      const title = el('title');
      title.textContent = 'Show the paths to every token (union)';
      markerAll.append(t, title);
      markers.appendChild(markerAll);
    }
    gMarkers.replaceChildren(markers);

    // drop a selection that does not fit the new graph
    if (selection && !selectionValid(selection)) selection = null;

    let s = options.start;
    if (s === undefined || s === null || s === '') s = nTokens - 1;
    start = normalizeStart(s);
    drawShown();
    applySelection();

    const dims = `${nTokens}x${nLayers}`;
    if (dims !== lastDims) needFit = true;
    lastDims = dims;
    if (needFit) fit(box); else applyTransform();
    svg.setAttribute('data-ready', 'true');
  }

  function normalizeStart(s) {
    if (s === 'all') return 'all';
    const i = Number(s);
    if (!Number.isInteger(i) || nTokens === 0) return nTokens === 0 ? 'all' : nTokens - 1;
    return Math.min(nTokens - 1, Math.max(0, i));
  }

  function shownIndices() {
    const paths = Array.isArray(graph?.paths) ? graph.paths : null;
    if (!paths || paths.length === 0) return edges.map((e) => e.index);   // no path sets: show everything
    if (start === 'all') {
      const seen = new Uint8Array(edges.length);
      const out = [];
      for (const p of paths) {
        if (!Array.isArray(p)) continue;
        for (const i of p) if (i >= 0 && i < edges.length && !seen[i]) { seen[i] = 1; out.push(i); }
      }
      return out;
    }
    const p = paths[start];
    return Array.isArray(p) ? p.filter((i) => i >= 0 && i < edges.length) : [];
  }

  function edgeElement(rec) {
    let e = edgeEls[rec.index];
    if (!e) {
      e = el('line', { class: 'edge ' + rec.kind, x1: rec.x1, y1: rec.y1, x2: rec.x2, y2: rec.y2,
        stroke: edgeColor(rec.kind, rec.weight), 'stroke-width': edgeWidth(rec.weight),
        'data-source': rec.source, 'data-target': rec.target, 'data-kind': rec.kind,
        'data-weight': String(rec.weight), 'data-index': rec.index });
      edgeEls[rec.index] = e;
    }
    return e;
  }

  function drawShown() {
    shown = shownIndices().map((i) => edges[i]).filter((r) => r.valid);
    // light edges first so that the strong ones stay visible
    shown.sort((a, b) => (a.weight || 0) - (b.weight || 0));
    const frag = document.createDocumentFragment();
    const nextActive = new Set();
    const ffnNames = [];
    for (const rec of shown) {
      frag.appendChild(edgeElement(rec));
      for (const name of [rec.source, rec.target]) {
        if (nextActive.has(name)) continue;
        nextActive.add(name);
        if (name.charCodeAt(0) === 77 /* M */) ffnNames.push(name);
      }
    }
    gEdges.replaceChildren(frag);

    // residual nodes: only update the ones whose state changes
    for (const name of activeNodes) {
      if (!nextActive.has(name)) setResidualActive(nodeEls.get(name), false);
    }
    for (const name of nextActive) {
      if (!activeNodes.has(name)) setResidualActive(nodeEls.get(name), true);
    }
    activeNodes = nextActive;

    const ffnFrag = document.createDocumentFragment();
    ffnEls = new Map();
    for (const name of ffnNames) {
      const p = nodePos(name);
      if (!p) continue;
      const r = el('rect', { class: 'node ffn', 'data-node': name, x: p.x - FFN_SIZE / 2, y: p.y - FFN_SIZE / 2,
        width: FFN_SIZE, height: FFN_SIZE, fill: COLORS.ffnNode, stroke: COLORS.nodeStroke, 'stroke-width': 0.75 });
      ffnEls.set(name, r);
      ffnFrag.appendChild(r);
    }
    gFfn.replaceChildren(ffnFrag);

    for (let i = 0; i < markerEls.length; i++) {
      const on = start === i;
      const m = markerEls[i];
      m.classList.toggle('active', on);
      m.setAttribute('fill', on ? COLORS.selected : COLORS.marker);
    }
    if (markerAll) {
      markerAll.classList.toggle('active', start === 'all');
      markerAll.firstChild.setAttribute('fill', start === 'all' ? COLORS.selected : COLORS.marker);
    }
    svg.dataset.start = String(start);
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

  function setStart(s) {
    if (!graph) { start = s; return; }
    start = normalizeStart(s);
    drawShown();
    applySelection();
  }

  // ---- selection ------------------------------------------------------------------------------
  function selectionValid(sel) {
    if (sel.node) return !!nodePos(sel.node);
    if (sel.edge) return !!(nodePos(sel.edge.source) && nodePos(sel.edge.target));
    return false;
  }

  function clearSelectionStyles() {
    for (const e of selectedEls) {
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
    selectedEls = [];
  }

  function applySelection() {
    clearSelectionStyles();
    if (!selection || !graph) return;
    if (selection.node) {
      const e = nodeEls.get(selection.node) || ffnEls.get(selection.node);
      if (e) {
        e.classList.add('selected');
        e.setAttribute('fill', COLORS.selected);
        selectedEls.push(e);
      }
    } else if (selection.edge) {
      const list = pairIndex.get(selection.edge.source + '|' + selection.edge.target) || [];
      for (const rec of list) {
        const e = edgeEls[rec.index];
        if (!e || e.parentNode !== gEdges) continue;
        e.classList.add('selected');
        e.setAttribute('stroke', COLORS.selected);
        gEdges.appendChild(e);   // on top
        selectedEls.push(e);
      }
    }
  }

  function select(sel) {
    if (!sel || (!sel.node && !sel.edge)) selection = null;
    else if (sel.node) selection = { node: String(sel.node) };
    else selection = { edge: { source: String(sel.edge.source), target: String(sel.edge.target) } };
    applySelection();
  }

  // ---- hit testing ----------------------------------------------------------------------------
  function toGraph(clientX, clientY) {
    const r = svg.getBoundingClientRect();
    return { x: (clientX - r.left - view.x) / view.k, y: (clientY - r.top - view.y) / view.k };
  }

  function pairEdges(source, target) {
    const shownSet = (pairIndex.get(source + '|' + target) || []).filter((r) => {
      const e = edgeEls[r.index];
      return e && e.parentNode === gEdges;
    });
    return shownSet.map(edgeObject);
  }

  function edgeObject(rec) {
    return { index: rec.index, source: rec.source, target: rec.target, weight: rec.weight, kind: rec.kind };
  }

  // Nearest shown edge to a point (graph units), within the slop; null if none.
  function nearestEdge(p) {
    const tol = HIT_SLOP / view.k;
    let best = null;
    let bestD = tol * tol;
    for (const r of shown) {
      const minX = Math.min(r.x1, r.x2) - tol;
      const maxX = Math.max(r.x1, r.x2) + tol;
      if (p.x < minX || p.x > maxX) continue;
      const minY = Math.min(r.y1, r.y2) - tol;
      const maxY = Math.max(r.y1, r.y2) + tol;
      if (p.y < minY || p.y > maxY) continue;
      const dx = r.x2 - r.x1;
      const dy = r.y2 - r.y1;
      const len2 = dx * dx + dy * dy;
      let t = len2 > 0 ? ((p.x - r.x1) * dx + (p.y - r.y1) * dy) / len2 : 0;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const ex = r.x1 + t * dx - p.x;
      const ey = r.y1 + t * dy - p.y;
      const d = ex * ex + ey * ey;
      if (d <= bestD) { bestD = d; best = r; }
    }
    return best;
  }

  // Nearest drawn node to a point (graph units), within the node radius plus the slop.
  function nearestNode(p) {
    if (!nTokens || !nLayers) return null;
    const tol = NODE_R + HIT_SLOP / view.k;
    const t0 = Math.round((p.x - MARGIN_LEFT) / CELL - 0.5);
    let best = null;
    let bestD = tol * tol;
    const consider = (name) => {
      const q = nodePos(name);
      if (!q) return;
      const d = (q.x - p.x) ** 2 + (q.y - p.y) ** 2;
      if (d <= bestD) { bestD = d; best = name; }
    };
    for (let t = Math.max(0, t0 - 1); t <= Math.min(nTokens - 1, t0 + 1); t++) {
      const lf = nLayers - 1 - Math.floor((p.y - top()) / CELL);
      for (let l = Math.max(0, lf - 1); l <= Math.min(nLayers - 1, lf + 1); l++) {
        consider(`A${l}_${t}`);
        consider(`I${l}_${t}`);
        if (ffnEls.has(`M${l}_${t}`)) consider(`M${l}_${t}`);
      }
      consider(`X0_${t}`);
    }
    return best;
  }

  // What is under the pointer: {node} | {edge: record} | null. DOM target first, geometry as fallback.
  function hitTest(target, clientX, clientY) {
    if (target && target.getAttribute) {
      const node = target.getAttribute('data-node');
      if (node) return { node };
      if (target.classList && target.classList.contains('edge')) return { edge: edges[+target.getAttribute('data-index')] };
    }
    if (!graph || clientX === undefined) return null;
    const p = toGraph(clientX, clientY);
    const node = nearestNode(p);
    if (node) return { node };
    const e = nearestEdge(p);
    return e ? { edge: e } : null;
  }

  function markerOf(target) {
    const m = target && target.closest ? target.closest('.start-marker, .start-all') : null;
    return m && svg.contains(m) ? m : null;
  }

  // ---- tooltip --------------------------------------------------------------------------------
  function tokenText(t) { return cleanText(graph?.tokens?.[t] ?? ''); }

  function nodeDescription(name) {
    const p = nodePos(name);
    if (!p) return name;
    const where = p.item === 'X' ? 'embedding' : `${ITEM_NAMES[p.item]}, layer ${p.l}`;
    return `${name} · ${where} · token ${p.t} “${tokenText(p.t)}”`;
  }

  function showTooltip(hit, clientX, clientY) {
    if (!hit) { hideTooltip(); return; }
    tooltip.replaceChildren();
    const line = (text, cls) => {
      const d = document.createElement('div');
      if (cls) d.className = cls;
      d.textContent = text;
      tooltip.appendChild(d);
    };
    if (hit.node) {
      line(nodeDescription(hit.node), 'gb-tt-title');
      const active = activeNodes.has(hit.node);
      line(active ? 'on the shown paths' : 'not on the shown paths', 'gb-tt-sub');
    } else {
      const rec = hit.edge;
      const a = nodePos(rec.source);
      const b = nodePos(rec.target);
      line(`${rec.source} → ${rec.target}`, 'gb-tt-title');
      if (a && b) line(`token ${a.t} “${tokenText(a.t)}” → token ${b.t} “${tokenText(b.t)}”`, 'gb-tt-sub');
      for (const e of pairEdges(rec.source, rec.target)) {
        line(`${e.kind}  ${Number.isFinite(e.weight) ? e.weight.toFixed(4) : String(e.weight)}`, 'gb-tt-row');
      }
    }
    tooltip.hidden = false;
    const cr = container.getBoundingClientRect();
    let x = clientX - cr.left + 14;
    let y = clientY - cr.top + 14;
    const tw = tooltip.offsetWidth;
    const th = tooltip.offsetHeight;
    if (x + tw > cr.width - 4) x = Math.max(4, clientX - cr.left - tw - 10);
    if (y + th > cr.height - 4) y = Math.max(4, clientY - cr.top - th - 10);
    tooltip.style.left = x + 'px';
    tooltip.style.top = y + 'px';
  }

  function hideTooltip() { tooltip.hidden = true; }

  // ---- events ---------------------------------------------------------------------------------
  let press = null;        // {id, x, y, vx, vy, dragging}
  let suppressClick = false;

  function onPointerDown(ev) {
    if (ev.button !== 0 || markerOf(ev.target)) return;
    suppressClick = false;
    press = { id: ev.pointerId, x: ev.clientX, y: ev.clientY, vx: view.x, vy: view.y, dragging: false };
  }
  function onPointerMove(ev) {
    if (press && ev.pointerId === press.id) {
      const dx = ev.clientX - press.x;
      const dy = ev.clientY - press.y;
      if (!press.dragging && dx * dx + dy * dy > DRAG_SLOP * DRAG_SLOP) {
        press.dragging = true;
        try { svg.setPointerCapture(ev.pointerId); } catch (_) { /* ignore */ }
        svg.classList.add('gb-panning');
        hideTooltip();
      }
      if (press.dragging) {
        view.x = press.vx + dx;
        view.y = press.vy + dy;
        scheduleTransform();
        return;
      }
    }
    hoverEvent = ev;
    if (!hoverRaf) hoverRaf = requestAnimationFrame(doHover);
  }
  function doHover() {
    hoverRaf = 0;
    const ev = hoverEvent;
    if (!ev || (press && press.dragging)) return;
    const m = markerOf(ev.target);
    if (m) { hideTooltip(); return; }
    showTooltip(hitTest(ev.target, ev.clientX, ev.clientY), ev.clientX, ev.clientY);
  }
  function onPointerUp(ev) {
    if (!press || ev.pointerId !== press.id) return;
    if (press.dragging) {
      suppressClick = true;
      svg.classList.remove('gb-panning');
      try { svg.releasePointerCapture(ev.pointerId); } catch (_) { /* ignore */ }
    }
    press = null;
  }
  function onPointerLeave() { hoverEvent = null; hideTooltip(); }

  function onClick(ev) {
    if (suppressClick) { suppressClick = false; return; }
    if (!graph) return;
    const m = markerOf(ev.target);
    if (m) {
      const tok = m.getAttribute('data-token');
      const s = tok === 'all' ? 'all' : +tok;
      setStart(s);
      container.dispatchEvent(new CustomEvent('start', { detail: s, bubbles: true }));
      return;
    }
    const real = ev.clientX !== 0 || ev.clientY !== 0;   // synthetic element.click() has no coordinates
    const hit = hitTest(ev.target, real ? ev.clientX : undefined, real ? ev.clientY : undefined);
    if (hit && hit.node) {
      select({ node: hit.node });
      callbacks.onNodeClick?.(hit.node);
    } else if (hit && hit.edge) {
      select({ edge: { source: hit.edge.source, target: hit.edge.target } });
      callbacks.onEdgeClick?.(pairEdges(hit.edge.source, hit.edge.target));
    } else {
      callbacks.onBackgroundClick?.();
    }
  }

  function onWheel(ev) {
    if (!graph) return;
    ev.preventDefault();
    const unit = ev.deltaMode === 1 ? 33 : ev.deltaMode === 2 ? 400 : 1;
    const dx = ev.deltaX * unit;
    const dy = ev.deltaY * unit;
    const r = svg.getBoundingClientRect();
    if (!ev.ctrlKey && Math.abs(dx) > Math.abs(dy)) {      // horizontal scroll (trackpads, shift+wheel) pans
      view.x -= dx;
      scheduleTransform();
      return;
    }
    const factor = Math.exp(-dy * (ev.ctrlKey ? 0.01 : 0.0015));
    zoomAt(factor, ev.clientX - r.left, ev.clientY - r.top);
    hideTooltip();
  }

  function onDblClick(ev) {
    if (!graph || markerOf(ev.target)) return;
    ev.preventDefault();
    const r = svg.getBoundingClientRect();
    zoomAt(ev.shiftKey ? 0.5 : 2, ev.clientX - r.left, ev.clientY - r.top);
  }

  function onKey(ev) {
    if (!graph || ev.altKey || ev.metaKey || ev.ctrlKey) return;
    const { w, h } = size();
    let handled = true;
    switch (ev.key) {
      case '+': case '=': zoomAt(1.25, w / 2, h / 2); break;
      case '-': case '_': zoomAt(0.8, w / 2, h / 2); break;
      case '0': fit(); break;
      case 'ArrowLeft': view.x += 60; scheduleTransform(); break;
      case 'ArrowRight': view.x -= 60; scheduleTransform(); break;
      case 'ArrowUp': view.y += 60; scheduleTransform(); break;
      case 'ArrowDown': view.y -= 60; scheduleTransform(); break;
      case 'Escape': hideTooltip(); break;
      default: handled = false;
    }
    if (handled) ev.preventDefault();
  }

  function onControls(ev) {
    const b = ev.target.closest('button[data-zoom]');
    if (!b) return;
    const { w, h } = size();
    if (b.dataset.zoom === 'in') zoomAt(1.4, w / 2, h / 2);
    else if (b.dataset.zoom === 'out') zoomAt(1 / 1.4, w / 2, h / 2);
    else fit();
    container.focus({ preventScroll: true });
  }

  svg.addEventListener('pointerdown', onPointerDown);
  svg.addEventListener('pointermove', onPointerMove);
  svg.addEventListener('pointerup', onPointerUp);
  svg.addEventListener('pointercancel', onPointerUp);
  svg.addEventListener('pointerleave', onPointerLeave);
  svg.addEventListener('click', onClick);
  svg.addEventListener('wheel', onWheel, { passive: false });
  svg.addEventListener('dblclick', onDblClick);
  container.addEventListener('keydown', onKey);
  controls.addEventListener('click', onControls);

  let lastSize = '';
  const resizeObserver = typeof ResizeObserver === 'function' ? new ResizeObserver(() => {
    const { w, h } = size();
    const key = `${Math.round(w)}x${Math.round(h)}`;
    if (key === lastSize) return;
    lastSize = key;
    placeLegend(w);
    if (needFit && graph) fit();
  }) : null;
  resizeObserver?.observe(svg);

  function placeLegend(w) {
    legend.setAttribute('transform', `translate(${Math.max(4, w - LEGEND_W - 8)},8)`);
  }
  placeLegend(size().w);

  // ---- export ---------------------------------------------------------------------------------
  function svgText() {
    const W = Math.ceil(width || 100);
    const legendH = LEGEND_H + 12;
    const H = Math.ceil((height || 50) + legendH);
    const out = el('svg', { xmlns: SVG_NS, version: '1.1', width: W, height: H, viewBox: `0 0 ${W} ${H}`,
      'font-family': 'system-ui, -apple-system, "Segoe UI", sans-serif' });
    out.appendChild(el('rect', { x: 0, y: 0, width: W, height: H, fill: 'white' }));
    const lg = buildLegend(`x${uid}`);
    lg.setAttribute('transform', `translate(${Math.max(4, MARGIN_LEFT - 40)},6)`);
    out.appendChild(lg);
    const body = viewport.cloneNode(true);
    body.removeAttribute('class');
    body.setAttribute('transform', `translate(0,${legendH})`);
    for (const t of body.querySelectorAll('title')) t.remove();
    out.appendChild(body);
    const text = new XMLSerializer().serializeToString(out);
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text;
  }

  async function pngBlob(scale = 2) {
    const text = svgText();
    const W = Math.ceil(width || 100);
    const H = Math.ceil((height || 50) + LEGEND_H + 12);
    let s = Math.max(0.05, Number(scale) || 2);
    s = Math.min(s, MAX_CANVAS_SIDE / W, MAX_CANVAS_SIDE / H, Math.sqrt(MAX_CANVAS_AREA / (W * H)));
    const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml;charset=utf-8' }));
    try {
      const img = new Image();
      img.decoding = 'async';
      await new Promise((resolve, reject) => {
        img.onload = resolve;
        img.onerror = () => reject(new Error('could not rasterise the graph SVG'));
        img.src = url;
      });
      const canvas = document.createElement('canvas');
      canvas.width = Math.max(1, Math.round(W * s));
      canvas.height = Math.max(1, Math.round(H * s));
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = 'white';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
      return await new Promise((resolve, reject) => canvas.toBlob(
        (b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
    } finally {
      URL.revokeObjectURL(url);
    }
  }

  function stats() {
    return { nodes: gNodes.childElementCount + gFfn.childElementCount, edges: gEdges.childElementCount };
  }

  function destroy() {
    destroyed = true;
    if (rafId) cancelAnimationFrame(rafId);
    if (hoverRaf) cancelAnimationFrame(hoverRaf);
    resizeObserver?.disconnect();
    svg.removeEventListener('pointerdown', onPointerDown);
    svg.removeEventListener('pointermove', onPointerMove);
    svg.removeEventListener('pointerup', onPointerUp);
    svg.removeEventListener('pointercancel', onPointerUp);
    svg.removeEventListener('pointerleave', onPointerLeave);
    svg.removeEventListener('click', onClick);
    svg.removeEventListener('wheel', onWheel);
    svg.removeEventListener('dblclick', onDblClick);
    container.removeEventListener('keydown', onKey);
    controls.removeEventListener('click', onControls);
    svg.remove();
    tooltip.remove();
    controls.remove();
    container.classList.remove('gb-graph');
    graph = null;
    edges = [];
    edgeEls = [];
    nodeEls = new Map();
    ffnEls = new Map();
  }

  return {
    render,
    setStart,
    select,
    fit,
    svgText,
    pngBlob,
    stats,
    destroy,
    // extras (not in the contract): current state, for the page and tests
    get start() { return start; },
    get selection() { return selection; },
    get transform() { return { ...view }; },
  };
}

// ---- legend (used as a fixed overlay and in the export) ------------------------------------------
const LEGEND_W = 244;
const LEGEND_H = 58;

function buildLegend(id) {
  const g = el('g', { class: 'gb-legend', 'font-family': 'system-ui, -apple-system, "Segoe UI", sans-serif',
    'font-size': 10, fill: COLORS.label });
  const defs = el('defs');
  const grad = (gid, lo, hi) => {
    const lg = el('linearGradient', { id: gid, x1: 0, x2: 1, y1: 0, y2: 0 });
    lg.append(el('stop', { offset: 0, 'stop-color': mix(lo, hi, 0) }), el('stop', { offset: 1, 'stop-color': mix(lo, hi, 1) }));
    defs.appendChild(lg);
  };
  grad(`gb-leg-attn-${id}`, ATTN_LOW, ATTN_HIGH);
  grad(`gb-leg-ffn-${id}`, FFN_LOW, FFN_HIGH);
  g.appendChild(defs);
  g.appendChild(el('rect', { x: 0, y: 0, width: LEGEND_W, height: LEGEND_H, rx: 5, fill: 'white',
    'fill-opacity': 0.88, stroke: '#d0d0d0', 'stroke-width': 1 }));
  const text = (x, y, s, anchor = 'start') => {
    const t = el('text', { x, y, 'text-anchor': anchor, 'dominant-baseline': 'central' });
    t.textContent = s;
    g.appendChild(t);
  };
  text(8, 12, 'attention / residual');
  g.appendChild(el('rect', { x: 128, y: 7, width: 76, height: 10, fill: `url(#gb-leg-attn-${id})` }));
  text(8, 28, 'FFN');
  g.appendChild(el('rect', { x: 128, y: 23, width: 76, height: 10, fill: `url(#gb-leg-ffn-${id})` }));
  text(124, 12, '0', 'end');
  text(124, 28, '0', 'end');
  text(208, 12, '≥0.5');
  text(208, 28, '≥0.5');
  const swatch = (x, fill, label) => {
    g.appendChild(el('circle', { cx: x, cy: 45, r: 4, fill, stroke: COLORS.nodeStroke, 'stroke-width': 0.75 }));
    text(x + 7, 45, label);
  };
  swatch(12, COLORS.active, 'on path');
  swatch(70, COLORS.inactive, 'off path');
  g.appendChild(el('rect', { x: 125, y: 42, width: 6, height: 6, fill: COLORS.ffnNode, stroke: COLORS.nodeStroke,
    'stroke-width': 0.75 }));
  text(135, 45, 'FFN');
  swatch(170, COLORS.selected, 'selected');
  return g;
}
