// The coloured tokens as a PNG: a title, the target in words, the tokens as chips wrapped into lines (each on the
// diverging scale of its score, as the page shows them) and the scale's legend. chipLayout is pure; tokensPNG
// draws on a canvas when asked.
import { FONT_FAMILY } from '../../core/fonts.js';
import { num } from '../../core/format.js';
import { diverging, divergingText } from '../../components/color-scales.js';
import { scaled } from './attribution-data.js';

const PAD = 16, CHIP_H = 22, LINE_H = 28, GAP = 4, CHIP_PAD = 5;

/// Chips of the given text widths wrapped into lines of `width` px: [{x, y, w}] and the height they take.
export function chipLayout(widths, width) {
  const chips = [];
  let x = 0, y = 0;
  for (const textWidth of widths) {
    const w = Math.ceil(textWidth) + 2 * CHIP_PAD;
    if (x > 0 && x + w > width) {
      x = 0;
      y += LINE_H;
    }
    chips.push({ x, y, w });
    x += w + GAP;
  }
  return { chips, height: widths.length ? y + CHIP_H : 0 };
}

/// The PNG blob of the tokens ({display}[]) coloured by `scores`; lines: [title, caption, note].
export function tokensPNG(tokens, scores, scale, lines, scaleFactor = 2) {
  const width = 960;
  const font = `13px ui-monospace, "DejaVu Sans Mono", monospace`;
  const measure = document.createElement('canvas').getContext('2d');
  measure.font = font;
  const layout = chipLayout(tokens.map((t) => measure.measureText(t.display).width), width - 2 * PAD);
  const top = PAD + 20 * lines.length + 6;
  const height = top + layout.height + 56;
  const canvas = document.createElement('canvas');
  canvas.width = width * scaleFactor;
  canvas.height = height * scaleFactor;
  const ctx = canvas.getContext('2d');
  ctx.setTransform(scaleFactor, 0, 0, scaleFactor, 0, 0);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.textBaseline = 'middle';
  lines.forEach((line, i) => {
    ctx.font = `${i === 0 ? '600 14px' : '12px'} ${FONT_FAMILY}`;
    ctx.fillStyle = i === 0 ? '#222' : '#444';
    ctx.fillText(line, PAD, PAD + 8 + 20 * i, width - 2 * PAD);
  });
  ctx.font = font;
  tokens.forEach((token, i) => {
    const { x, y, w } = layout.chips[i];
    const t = scaled(scores[i], scale);
    ctx.fillStyle = diverging(t);
    ctx.fillRect(PAD + x, top + y, w, CHIP_H);
    ctx.strokeStyle = '#c8d0c8';
    ctx.strokeRect(PAD + x + 0.5, top + y + 0.5, w - 1, CHIP_H - 1);
    ctx.fillStyle = divergingText(t);
    ctx.fillText(token.display, PAD + x + CHIP_PAD, top + y + CHIP_H / 2 + 1);
  });
  const legendY = top + layout.height + 20;
  const barW = 240;
  for (let px = 0; px < barW; px++) {
    ctx.fillStyle = diverging((px / (barW - 1)) * 2 - 1);
    ctx.fillRect(PAD + 60 + px, legendY, 1, 12);
  }
  ctx.font = `11px ${FONT_FAMILY}`;
  ctx.fillStyle = '#333';
  ctx.fillText(`−${num(scale, 3)}`, PAD, legendY + 6);
  ctx.fillText(`+${num(scale, 3)}`, PAD + 60 + barW + 8, legendY + 6);
  ctx.fillText('0', PAD + 60 + barW / 2 - 3, legendY + 24);
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('attributions: PNG encoding failed'))), 'image/png'));
}
