// What the contribution graph's tooltip says about a node or an edge: lines of [text, class]. Pure: no DOM.
import { xmlSafe } from '../../core/format.js';

const ITEM_NAMES = { X: 'embedding', A: 'after attention', M: 'FFN block', I: 'after layer' };

/// "A1_3 · after attention, layer 1 · token 3 “fox”".
export function nodeDescription(name, geometry, tokens) {
  const p = geometry.nodePos(name);
  if (!p) return name;
  const where = p.item === 'X' ? 'embedding' : `${ITEM_NAMES[p.item]}, layer ${p.l}`;
  return `${name} · ${where} · token ${p.t} “${xmlSafe(tokens?.[p.t] ?? '')}”`;
}

/**
 * The tooltip's lines for a hit: {node, active} (whether it is on the shown paths), {edge: record, pair: the
 * shown edges between the same nodes} or {marker: a token index or 'all'} (a start marker painted on a canvas).
 */
export function tooltipLines(hit, geometry, tokens) {
  if (hit.marker !== undefined) {
    return [[hit.marker === 'all' ? 'Show the paths to every token (union)'
      : `Show the paths to token ${hit.marker} (${xmlSafe(tokens?.[hit.marker] ?? '')})`, 'gb-tt-title']];
  }
  if (hit.node) {
    return [[nodeDescription(hit.node, geometry, tokens), 'gb-tt-title'],
      [hit.active ? 'on the shown paths' : 'not on the shown paths', 'gb-tt-sub']];
  }
  const rec = hit.edge;
  const a = geometry.nodePos(rec.source);
  const b = geometry.nodePos(rec.target);
  const text = (t) => xmlSafe(tokens?.[t] ?? '');
  const lines = [[`${rec.source} → ${rec.target}`, 'gb-tt-title']];
  if (a && b) lines.push([`token ${a.t} “${text(a.t)}” → token ${b.t} “${text(b.t)}”`, 'gb-tt-sub']);
  for (const e of hit.pair) {
    lines.push([`${e.kind}  ${Number.isFinite(e.weight) ? e.weight.toFixed(4) : String(e.weight)}`, 'gb-tt-row']);
  }
  return lines;
}

/// Where a w × h tooltip goes for a pointer at (x, y) in a box of width × height: 14 px below right of the pointer,
/// flipped to the other side of it where it would overflow.
export function tooltipPosition(x, y, w, h, width, height) {
  let left = x + 14;
  let top = y + 14;
  if (left + w > width - 4) left = Math.max(4, x - w - 10);
  if (top + h > height - 4) top = Math.max(4, y - h - 10);
  return { left, top };
}
