// Legends and colour marks: pattern-class badges, swatches, and the bar legend of a colour scale.
import { el } from '../core/dom.js';
import { classInfo } from '../core/head-metrics.js';

/// A pattern-class badge.
export function classBadge(name) {
  const info = classInfo(name);
  const badge = el('span', 'badge', { 'data-class': info.name, title: info.hint || null }, info.name);
  badge.style.background = info.bg;
  badge.style.color = info.fg;
  return badge;
}

/// A small square of a colour (clusters, aligned groups).
export function swatch(color) {
  const mark = el('span', 'swatch', { 'aria-hidden': 'true' });
  mark.style.background = color;
  return mark;
}

/// Fills a legend box: the low end's label, the scale's gradient bar, the high end's label, then a note.
export function fillScaleLegend(legend, { low, high, gradient, note }) {
  const bar = el('span', 'legend-bar', { 'aria-hidden': 'true' });
  bar.style.background = gradient;
  legend.replaceChildren(el('span', 'small', null, low), bar, el('span', 'small', null, high),
    el('span', 'muted small legend-note', null, note));
}
