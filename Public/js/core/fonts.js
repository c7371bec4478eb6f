// The font stacks of the drawings (canvas text and exported SVG carry their own font, not the page's CSS).

export const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif';
export const SVG_FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", sans-serif';
