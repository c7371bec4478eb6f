// A heatmap as an SVG document: a rect per non-zero cell (with its value as a <title>), the thinned axis labels
// and the legend. Pure: no DOM.
import { FONT_FAMILY } from '../../core/fonts.js';
import { escapeXml, formatScale, formatValue } from '../../core/format.js';
import { lutIndex } from '../color-scales.js';
import { LABEL_FONT_PX, exportLayout, labelStep, matrixShape } from './layout.js';

const SVG_MAX_TOKENS = 256;

function cellRects(out, { values, max }, layout, colors) {
  const { rows, cols, cellW, cellH } = layout;
  const scale = max > 0 ? 255 / max : 0;
  out.push('<g shape-rendering="crispEdges">');
  out.push(`<rect x="${layout.plotX}" y="${layout.plotY}" width="${layout.plotW}" height="${layout.plotH}" fill="${colors.css[0]}"/>`);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = values[i * cols + j];
      const idx = lutIndex(v, scale);
      if (idx === 0) continue;
      out.push(`<rect x="${layout.plotX + j * cellW}" y="${layout.plotY + i * cellH}" width="${cellW}" height="${cellH}" ` +
        `fill="${colors.css[idx]}"><title>${i}→${j}: ${formatValue(v)}</title></rect>`);
    }
  }
  out.push('</g>');
  out.push(`<rect x="${layout.plotX - 0.5}" y="${layout.plotY - 0.5}" width="${layout.plotW + 1}" height="${layout.plotH + 1}" ` +
    'fill="none" stroke="#c8d0d8"/>');
}

function axisLabels(out, names, layout) {
  const { rows, cols, cellW, cellH } = layout;
  out.push(`<g font-size="${LABEL_FONT_PX}" fill="#333">`);
  for (let i = 0; i < rows; i += labelStep(cellH, LABEL_FONT_PX + 2)) {
    out.push(`<text x="${layout.plotX - 5}" y="${layout.plotY + (i + 0.5) * cellH}" text-anchor="end" ` +
      `dominant-baseline="central">${escapeXml(names.rowNames[i])}</text>`);
  }
  for (let j = 0; j < cols; j += labelStep(cellW, (LABEL_FONT_PX + 3) / Math.SQRT1_2)) {
    const x = layout.plotX + (j + 0.5) * cellW;
    const y = layout.plotY + layout.plotH + 6;
    out.push(`<text transform="translate(${x} ${y}) rotate(-45)" text-anchor="end" dominant-baseline="central">` +
      `${escapeXml(names.colNames[j])}</text>`);
  }
  out.push('</g>');
}

function legend(out, { max }, layout, colors) {
  const barH = Math.min(layout.plotH, 220);
  const x = layout.legendX + 16;
  out.push('<defs><linearGradient id="gb-legend" x1="0" y1="1" x2="0" y2="0">');
  colors.stops.forEach((c, idx) => out.push(`<stop offset="${idx / (colors.stops.length - 1)}" stop-color="${c}"/>`));
  out.push('</linearGradient></defs>');
  out.push(`<rect x="${layout.legendX}" y="${layout.plotY}" width="12" height="${barH}" fill="url(#gb-legend)" stroke="#9aa5b1"/>`);
  out.push('<g font-size="10" fill="#333" dominant-baseline="central">');
  out.push(`<text x="${x}" y="${layout.plotY + 5}">${formatScale(max)}</text>`);
  if (barH >= 40) out.push(`<text x="${x}" y="${layout.plotY + barH / 2}">${formatScale(max / 2)}</text>`);
  out.push(`<text x="${x}" y="${layout.plotY + barH - 5}">0</text>`);
  out.push('</g></svg>\n');
}

/**
 * The SVG text of a heatmap. data = {n (columns), labels (the column tokens), rows?, rowLabels?, values (rows·n
 * row-major), max, labelW} (without rows: n×n, the rows the same tokens); colors: a colour table (lut). At most 256
 * rows and columns (larger maps: PNG).
 */
export function heatmapSVG(data, colors, title) {
  const names = matrixShape(data);
  const { rows, cols } = names;
  if (Math.max(rows, cols) > SVG_MAX_TOKENS) {
    throw new Error(`heatmap: SVG export is limited to ${SVG_MAX_TOKENS} tokens (this map has ${Math.max(rows, cols)}); use PNG`);
  }
  const layout = exportLayout(data.labelW, rows, cols, title);
  const out = [];
  out.push(`<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" ` +
    `height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" font-family="${escapeXml(FONT_FAMILY)}">`);
  out.push(`<rect x="0" y="0" width="${layout.width}" height="${layout.height}" fill="#ffffff"/>`);
  if (title) out.push(`<text x="4" y="17" font-size="13" font-weight="600" fill="#222">${escapeXml(title)}</text>`);
  cellRects(out, data, layout, colors);
  axisLabels(out, names, layout);
  legend(out, data, layout, colors);
  return out.join('\n');
}
