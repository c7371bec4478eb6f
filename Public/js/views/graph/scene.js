// The static layer of a drawn contribution graph: layer bands, layer and token labels, the residual nodes (X0, A,
// I) and the start-token markers, each as a document fragment for one group of the SVG.
import { svgEl } from '../../core/dom.js';
import { xmlSafe } from '../../core/format.js';
import { CELL, MARGIN_LEFT, MARKER_Y, NODE_R, shortLabel } from './layout.js';
import { COLORS } from './style.js';

/// Every other layer on a light band.
export function bandsFragment(g) {
  const bands = document.createDocumentFragment();
  for (let l = 1; l < g.nLayers; l += 2) {
    bands.appendChild(svgEl('rect', { x: MARGIN_LEFT - 6, y: g.top + (g.nLayers - 1 - l) * CELL,
      width: g.nTokens * CELL + 12, height: CELL, rx: 6, fill: COLORS.band }));
  }
  return bands;
}

/// L0…L{n−1} and "emb" on the left, the tokens below at −40°.
export function labelsFragment(g, tokens) {
  const labels = document.createDocumentFragment();
  const layerLabel = (y, text, size, fill) => labels.appendChild(svgEl('text', { x: MARGIN_LEFT - 12, y, 'text-anchor': 'end',
    'dominant-baseline': 'central', 'font-size': size, fill, class: 'layer-label' }, text));
  for (let l = 0; l < g.nLayers; l++) layerLabel(g.cyOf(l), 'L' + l, 11, COLORS.layerLabel);
  if (g.nLayers > 0) layerLabel(g.embY, 'emb', 9, COLORS.faint);
  const y = g.embY + NODE_R + 8;
  for (let i = 0; i < g.nTokens; i++) {
    const x = g.xOf(i);
    labels.appendChild(svgEl('text', { x, y, 'text-anchor': 'end', 'dominant-baseline': 'central', 'font-size': 11,
      fill: COLORS.label, transform: `rotate(-40 ${x} ${y})`, class: 'token-label', 'data-token': i }, shortLabel(tokens[i])));
  }
  return labels;
}

/// ~2·L·n circles, clones of one prototype with three attributes each: the inactive look is inherited from the
/// group, only active and selected nodes carry their own colours. {fragment, nodes: name → circle}.
export function nodesFragment(g) {
  const fragment = document.createDocumentFragment();
  const nodes = new Map();
  const proto = svgEl('circle', { class: 'node', r: NODE_R });
  const add = (name, x, y) => {
    const c = proto.cloneNode(false);
    c.setAttribute('data-node', name);
    c.setAttribute('cx', x);
    c.setAttribute('cy', y);
    nodes.set(name, c);
    fragment.appendChild(c);
  };
  if (g.nLayers > 0) for (let t = 0; t < g.nTokens; t++) add('X0_' + t, g.xOf(t), g.embY);
  for (let l = 0; l < g.nLayers; l++) {
    const cy = g.cyOf(l);
    for (let t = 0; t < g.nTokens; t++) {
      add(`A${l}_${t}`, g.xOf(t), cy + CELL / 4);
      add(`I${l}_${t}`, g.xOf(t), cy - CELL / 4);
    }
  }
  return { fragment, nodes };
}

/// A triangle per token above the top layer and an "all" button: the start token of the shown paths.
/// {fragment, markers: [polygon per token], all: the "all" group or null}.
export function markersFragment(g, tokens) {
  const fragment = document.createDocumentFragment();
  const my = MARKER_Y;
  const markers = tokens.map((token, i) => {
    const x = g.xOf(i);
    const p = svgEl('polygon', { class: 'start-marker', 'data-token': i, fill: COLORS.marker, stroke: COLORS.nodeStroke,
      'stroke-width': 0.75, 'stroke-linejoin': 'round', points: `${x},${my + 7} ${x + 6.5},${my - 4} ${x - 6.5},${my - 4}` });
    p.appendChild(svgEl('title', null, `Show the paths to token ${i} (${xmlSafe(token)})`));
    fragment.appendChild(p);
    return p;
  });
  let all = null;
  if (tokens.length > 0) {
    all = svgEl('g', { class: 'start-all', 'data-token': 'all' });
    all.appendChild(svgEl('rect', { x: MARGIN_LEFT - 40, y: my - 8, width: 28, height: 16, rx: 4,
      fill: COLORS.marker, stroke: COLORS.nodeStroke, 'stroke-width': 0.75 }));
    all.append(svgEl('text', { x: MARGIN_LEFT - 26, y: my, 'text-anchor': 'middle', 'dominant-baseline': 'central',
      'font-size': 10, fill: COLORS.label, 'font-family': 'system-ui, sans-serif' }, 'all'),
    svgEl('title', null, 'Show the paths to every token (union)'));
    fragment.appendChild(all);
  }
  return { fragment, markers, all };
}
