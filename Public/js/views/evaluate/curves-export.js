// The curves as one standalone drawing: both charts side by side (without their hover guide and surface), the
// target above and the legend below, as an SVG document or a PNG (the SVG drawn onto a canvas).
import { SVG_NS, svgEl } from '../../core/dom.js';
import { SVG_FONT_FAMILY } from '../../core/fonts.js';
import { num } from '../../core/format.js';
import { svgDocumentText, svgPNG } from '../../core/svg-image.js';
import { BAND_FILL, RANDOM_STROKE } from './chart.js';
import { beatsText } from './evaluation-data.js';

const GAP = 16, HEAD = 26, LINE = 18;

/// The drawing's SVG element: the two chart elements, the title line, the legend's rows (methodRows, randomRow).
export function curvesDrawing(charts, title, rows, random) {
  const width = charts.reduce((w, c) => w + Number(c.getAttribute('width')), 0) + GAP * (charts.length - 1);
  const chartH = Math.max(...charts.map((c) => Number(c.getAttribute('height'))));
  const height = HEAD + chartH + 10 + LINE * (rows.length + 1) + 8;
  const svg = svgEl('svg', { xmlns: SVG_NS, width, height, viewBox: `0 0 ${width} ${height}`, 'font-family': SVG_FONT_FAMILY,
    'font-size': 12 });
  svg.append(svgEl('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }), svgEl('text', { x: 8, y: 17, fill: '#222' }, title));
  let x = 0;
  for (const chart of charts) {
    const copy = chart.cloneNode(true);
    copy.querySelector('.eval-guide')?.remove();
    copy.querySelector('.eval-surface')?.remove();
    for (const name of ['id', 'tabindex', 'class']) copy.removeAttribute(name);
    copy.setAttribute('x', String(x));
    copy.setAttribute('y', String(HEAD));
    svg.append(copy);
    x += Number(chart.getAttribute('width')) + GAP;
  }
  let y = HEAD + chartH + 10;
  const entry = (stroke, dash, band, text) => {
    if (band) svg.append(svgEl('rect', { x: 8, y: y + 2, width: 26, height: 10, fill: BAND_FILL }));
    svg.append(svgEl('line', { x1: 8, y1: y + 7, x2: 34, y2: y + 7, stroke, 'stroke-width': 2.5, 'stroke-dasharray': dash }),
      svgEl('text', { x: 42, y: y + 11, fill: '#222' }, text));
    y += LINE;
  };
  for (const r of rows) {
    entry(r.color, null, false, `${r.label}: deletion AUC ${num(r.deletionAuc, 4)} (${beatsText('deletion', r.deletionBeats,
      r.randomCount)}), insertion AUC ${num(r.insertionAuc, 4)} (${beatsText('insertion', r.insertionBeats, r.randomCount)})`);
  }
  entry(RANDOM_STROKE, '4 3', true, `random orders (${random.count}): band min–max, dashed mean; mean deletion AUC ` +
    `${num(random.deletionAuc, 4)}, mean insertion AUC ${num(random.insertionAuc, 4)}`);
  return svg;
}

/// The drawing as an SVG document's text.
export function drawingSVGText(drawing) {
  return svgDocumentText(drawing);
}

/// The drawing as a PNG blob at `scale` device pixels per unit (a promise).
export function drawingPNG(drawing, scale = 2) {
  return svgPNG(drawing, scale);
}
