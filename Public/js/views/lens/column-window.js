// The logit-lens grid's column virtualisation for long prompts: a grid of more than VIRTUAL_MIN_COLUMNS positions
// renders only the columns in sight and a screen's worth on each side (fixed COLUMN_PX wide, spacers for the rest),
// and renders again when the scrolled view leaves them. Pure: no DOM.

export const VIRTUAL_MIN_COLUMNS = 200;
export const COLUMN_PX = 72; // a position's column, virtualised
export const LAYER_COLUMN_PX = 116; // the layer names' column (and the corner's text), virtualised

/// Whether a grid of this many positions renders by column windows.
export function isVirtual(columns) {
  return columns > VIRTUAL_MIN_COLUMNS;
}

/**
 * The columns [first, last] in sight for a scroll position (px) and a visible width (px) of a table whose position
 * columns start `offset` px from its left edge, grown by `overscan` columns on each side, within 0…columns − 1.
 */
export function columnWindow(scrollLeft, width, columns, overscan = 0, offset = LAYER_COLUMN_PX, columnPx = COLUMN_PX) {
  if (columns <= 0) return { first: 0, last: -1 };
  const left = Math.max(0, scrollLeft - offset);
  const right = Math.max(0, scrollLeft + width - offset);
  const first = Math.max(0, Math.min(columns - 1, Math.floor(left / columnPx) - overscan));
  const last = Math.max(first, Math.min(columns - 1, Math.ceil(right / columnPx) - 1 + overscan));
  return { first, last };
}

/// Whether the rendered window holds every column of `needed`.
export function covers(rendered, needed) {
  return Boolean(rendered) && rendered.first <= needed.first && rendered.last >= needed.last;
}

/// The widths (px) of the spacers left and right of a rendered window of `columns`.
export function spacerWidths({ first, last }, columns, columnPx = COLUMN_PX) {
  return { left: first * columnPx, right: Math.max(0, columns - 1 - last) * columnPx };
}

/// The scrollLeft that puts the column `index` in the middle of a visible width.
export function scrollToColumn(index, width, offset = LAYER_COLUMN_PX, columnPx = COLUMN_PX) {
  return Math.max(0, offset + (index + 0.5) * columnPx - width / 2);
}
