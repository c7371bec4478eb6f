// The contribution graph as a standalone SVG document (the drawn scene at zoom 1 under its legend) and as a PNG
// rasterised from it.
import { SVG_NS, svgEl } from '../../core/dom.js';
import { SVG_FONT_FAMILY } from '../../core/fonts.js';
import { xmlDocument } from '../../core/export.js';
import { MARGIN_LEFT } from './layout.js';
import { LEGEND_H, buildLegend } from './legend.js';

const MAX_CANVAS_SIDE = 16384;
const MAX_CANVAS_AREA = 128e6;

/// The exported document's size: the graph plus the legend above it.
export function exportSize(width, height) {
  return { W: Math.ceil(width || 100), H: Math.ceil((height || 50) + LEGEND_H + 12) };
}

/// The PNG scale: `scale` within the canvas limits of the browsers (16384 px a side, 128 Mpx).
export function pngScale(scale, W, H) {
  const s = Math.max(0.05, Number(scale) || 2);
  return Math.min(s, MAX_CANVAS_SIDE / W, MAX_CANVAS_SIDE / H, Math.sqrt(MAX_CANVAS_AREA / (W * H)));
}

/// The SVG text of the scene in `viewport` (the drawn <g>), width × height user units; `id` keeps the legend's
/// gradient ids apart from the page's.
export function graphSVG(viewport, width, height, id) {
  const { W, H } = exportSize(width, height);
  const out = svgEl('svg', { xmlns: SVG_NS, version: '1.1', width: W, height: H, viewBox: `0 0 ${W} ${H}`,
    'font-family': SVG_FONT_FAMILY });
  out.appendChild(svgEl('rect', { x: 0, y: 0, width: W, height: H, fill: 'white' }));
  const legend = buildLegend(id);
  legend.setAttribute('transform', `translate(${Math.max(4, MARGIN_LEFT - 40)},6)`);
  out.appendChild(legend);
  const body = viewport.cloneNode(true);
  body.removeAttribute('class');
  body.setAttribute('transform', `translate(0,${LEGEND_H + 12})`);
  for (const t of body.querySelectorAll('title')) t.remove();
  out.appendChild(body);
  return xmlDocument(new XMLSerializer().serializeToString(out));
}

function loadImage(url) {
  const img = new Image();
  img.decoding = 'async';
  return new Promise((resolve, reject) => {
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('could not rasterise the graph SVG'));
    img.src = url;
  });
}

/// A PNG blob of an SVG text of W × H units, at `scale` px per unit (within the canvas limits).
export async function svgToPNG(text, W, H, scale) {
  const s = pngScale(scale, W, H);
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    const img = await loadImage(url);
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
