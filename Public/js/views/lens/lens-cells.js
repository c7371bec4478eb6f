// The logit-lens grid's cells in words and as CSV (GET /api/runs/{id}/lens-grid: {layers, tokens, point, cells:
// [layer][token] → {id, display, logit, probability}}). Pure: no DOM.
import { csv } from '../../core/export.js';

/// A probability as the grid shows it: 100%, 42%, 3.5%, <0.1%.
export function formatProb(p) {
  if (!(p >= 0)) return '–';
  if (p >= 0.995) return '100%';
  if (p >= 0.1) return `${Math.round(p * 100)}%`;
  if (p >= 0.001) return `${(p * 100).toFixed(1)}%`;
  return '<0.1%';
}

/// The grid as CSV: a row per cell, layer by layer (lines end with \n).
export function lensGridCSV(grid) {
  const tokens = grid?.tokens || [];
  const cells = grid?.cells || [];
  const layers = grid?.layers ?? cells.length;
  const rows = [['layer', 'position', 'input_token', 'top_token_id', 'top_token', 'logit', 'probability']];
  for (let l = 0; l < layers; l++) {
    const row = cells[l] || [];
    for (let t = 0; t < tokens.length; t++) {
      const c = row[t];
      if (c) rows.push([l, t, tokens[t], c.id, c.display, c.logit, c.probability]);
    }
  }
  return csv(rows, '\n');
}

/// A cell's tooltip.
export function cellTitle(layer, position, token, cell) {
  const p = Number(cell.probability);
  return `L${layer} · (${position}) ${token}\ntop-1: ${cell.display} (id ${cell.id})\n` +
    `probability ${Number.isFinite(p) ? p.toFixed(4) : p} · logit ${Number(cell.logit).toFixed(3)}`;
}
