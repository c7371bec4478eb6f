// Paints a heatmap onto a 2D canvas context: the cells (scaled from an offscreen image, clipped to the plot), the
// hover marks, the thinned axis labels and the colour legend.
import { FONT_FAMILY } from '../../core/fonts.js';
import { formatScale } from '../../core/format.js';
import { LABEL_FONT_PX, labelStep } from './layout.js';

const COL_LABEL_ANGLE = -Math.PI / 4; // −45°
const LABEL_FONT = `${LABEL_FONT_PX}px ${FONT_FAMILY}`;
const HOVER_FONT = `700 ${LABEL_FONT_PX}px ${FONT_FAMILY}`;

function paintCells(ctx, { layout, zoom, cells, hover }, cw, ch) {
  const { plotX, plotY, plotW, plotH, rows, cols } = layout;
  ctx.save();
  ctx.beginPath();
  ctx.rect(plotX, plotY, plotW, plotH);
  ctx.clip();
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(cells, plotX - zoom.vx * cw, plotY - zoom.vy * ch, cols * cw, rows * ch);
  if (hover) {
    // the hovered cell's outline and faint guides along its row and column
    const x = plotX + (hover.j - zoom.vx) * cw;
    const y = plotY + (hover.i - zoom.vy) * ch;
    ctx.fillStyle = 'rgba(255, 140, 0, 0.10)';
    ctx.fillRect(plotX, y, plotW, ch);
    ctx.fillRect(x, plotY, cw, plotH);
    ctx.strokeStyle = '#ff8c00';
    ctx.lineWidth = Math.min(cw, ch) >= 4 ? 2 : 1;
    ctx.strokeRect(x - 0.5, y - 0.5, Math.max(cw, 2) + 1, Math.max(ch, 2) + 1);
  }
  ctx.restore();
  ctx.strokeStyle = '#c8d0d8';
  ctx.lineWidth = 1;
  ctx.strokeRect(plotX - 0.5, plotY - 0.5, plotW + 1, plotH + 1);
}

/// Axis labels: rows on the left, columns below at −45°, thinned to stay legible; the hovered row and column are
/// bold and orange.
function paintLabels(ctx, { layout, zoom, names, hover }, cw, ch) {
  const { plotX, plotY, plotH, rows, cols } = layout;
  const first = (v) => Math.max(0, Math.floor(v));
  const lastColumn = Math.min(cols - 1, Math.ceil(zoom.vx + cols / zoom.k) - 1);
  const lastRow = Math.min(rows - 1, Math.ceil(zoom.vy + rows / zoom.k) - 1);
  const rowGap = LABEL_FONT_PX + 2;
  const rowStep = labelStep(ch, rowGap);
  const colStep = labelStep(cw, (LABEL_FONT_PX + 3) / Math.SQRT1_2);
  const label = (text, isHover, x, y) => {
    ctx.font = isHover ? HOVER_FONT : LABEL_FONT;
    ctx.fillStyle = isHover ? '#d35400' : '#333';
    ctx.fillText(text, x, y, layout.labelW);
  };
  ctx.font = LABEL_FONT;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (let i = first(zoom.vy); i <= lastRow; i++) {
    const isHover = Boolean(hover) && hover.i === i;
    if (!isHover && (i % rowStep !== 0 || (hover && Math.abs(i - hover.i) * ch < rowGap))) continue;
    label(names.rowNames[i], isHover, plotX - 5, plotY + (i - zoom.vy + 0.5) * ch);
  }
  for (let j = first(zoom.vx); j <= lastColumn; j++) {
    const isHover = Boolean(hover) && hover.j === j;
    if (!isHover && (j % colStep !== 0 || (hover && Math.abs(j - hover.j) * cw * Math.SQRT1_2 < rowGap))) continue;
    ctx.save();
    ctx.translate(plotX + (j - zoom.vx + 0.5) * cw, plotY + plotH + 6);
    ctx.rotate(COL_LABEL_ANGLE);
    label(names.colNames[j], isHover, 0, 0);
    ctx.restore();
  }
}

/// The legend: a vertical colour bar from 0 (bottom) to max (top).
function paintLegend(ctx, { layout, colors, max }) {
  const barH = Math.min(layout.plotH, 220);
  const barX = layout.legendX;
  const barY = layout.plotY;
  const gradient = ctx.createLinearGradient(0, barY + barH, 0, barY);
  colors.stops.forEach((c, idx) => gradient.addColorStop(idx / (colors.stops.length - 1), c));
  ctx.fillStyle = gradient;
  ctx.fillRect(barX, barY, 12, barH);
  ctx.strokeStyle = '#9aa5b1';
  ctx.strokeRect(barX - 0.5, barY - 0.5, 13, barH + 1);
  ctx.fillStyle = '#333';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.font = `10px ${FONT_FAMILY}`;
  ctx.fillText(formatScale(max), barX + 16, barY + 5);
  if (barH >= 40) ctx.fillText(formatScale(max / 2), barX + 16, barY + barH / 2); // a short bar: the ends only
  ctx.fillText('0', barX + 16, barY + barH - 5);
}

/**
 * Paints a whole drawing. s = {layout, zoom: {vx, vy, k}, names: {rowNames, colNames}, cells: the rows×cols (or
 * pooled) image, colors: a colour table, max, hover: {i, j} | null, title}.
 */
export function paintHeatmap(ctx, s) {
  const cw = s.layout.cellW * s.zoom.k, ch = s.layout.cellH * s.zoom.k;
  ctx.save();
  ctx.direction = 'ltr';
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, s.layout.width, s.layout.height);
  if (s.title) {
    ctx.fillStyle = '#222';
    ctx.font = `600 13px ${FONT_FAMILY}`;
    ctx.textBaseline = 'top';
    ctx.textAlign = 'left';
    ctx.fillText(s.title, 4, 4);
  }
  paintCells(ctx, s, cw, ch);
  paintLabels(ctx, s, cw, ch);
  paintLegend(ctx, s);
  ctx.restore();
}
