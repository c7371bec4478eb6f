// The axes of the SVG line charts: the y grid and its tick labels, the x ticks with their labels, the two axis lines,
// the x axis's title under it and the y axis's turned along it. Two kinds of x axis: a fraction 0…1 of the plot's
// width (the Evaluate view's curves, the Compare page's depth chart) or one labelled position per category (the
// Compare page's checkpoint trends).
import { svgEl } from '../core/dom.js';
import { tickText } from './chart-scales.js';

/// {g, text(attrs, s)} with the x ticks at pixel positions [{x, label, title?}].
function axes(sc, className, ticks, { xLabel, yLabel }) {
  const { m, plotW, plotH, height, yTicks } = sc;
  const g = svgEl('g', { class: className, fill: '#444' });
  const line = (x1, x2, y1, y2, stroke) => g.append(svgEl('line', { x1, x2, y1, y2, stroke }));
  const text = (attrs, s) => g.append(svgEl('text', attrs, s));
  for (const t of yTicks.ticks) {
    const y = sc.y(t);
    line(m.left, m.left + plotW, y, y, t === 0 ? '#b9c3b9' : '#e6ece6');
    text({ x: m.left - 6, y: y + 4, 'text-anchor': 'end' }, tickText(t, yTicks.step));
  }
  for (const tick of ticks) {
    line(tick.x, tick.x, m.top + plotH, m.top + plotH + 4, '#777');
    const label = svgEl('text', { x: tick.x, y: m.top + plotH + 16, 'text-anchor': 'middle' }, tick.label);
    if (tick.title) label.append(svgEl('title', {}, tick.title));
    g.append(label);
  }
  line(m.left, m.left, m.top, m.top + plotH, '#777');
  line(m.left, m.left + plotW, m.top + plotH, m.top + plotH, '#777');
  text({ x: m.left + plotW / 2, y: height - 8, 'text-anchor': 'middle' }, xLabel);
  const middle = m.top + plotH / 2;
  text({ x: 14, y: middle, 'text-anchor': 'middle', transform: `rotate(-90 14 ${middle})` }, yLabel);
  return { g, text };
}

/// {g, text(attrs, s)} for scales {m, plotW, plotH, height, yTicks, y(value), xTicks (fractions)}; the caller may add
/// more text to g.
export function fractionAxes(sc, className, labels) {
  const ticks = sc.xTicks.map((fraction) => ({ x: sc.m.left + fraction * sc.plotW, label: String(fraction) }));
  return axes(sc, className, ticks, labels);
}

/// {g, text(attrs, s)} for scales {m, plotW, plotH, height, yTicks, y(value), x(index)} and one x tick per category:
/// labels [{label, title?}] at x(0), x(1), …
export function categoryAxes(sc, className, categories, labels) {
  return axes(sc, className, categories.map((c, i) => ({ x: sc.x(i), label: c.label, title: c.title })), labels);
}
