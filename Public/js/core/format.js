// Number and text formatting shared by the views and pages. Pure: no DOM.

export const DASH = '–';

export function isNum(value) {
  return typeof value === 'number' && Number.isFinite(value);
}

/// A number with a fixed count of decimals, or "–" for null/NaN (one-token runs have no metrics); − for minus.
export function fmt(value, digits = 3) {
  if (!isNum(value)) return DASH;
  const text = value.toFixed(digits);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text.replace('-', '−');
}

/// A share as a percentage with a fixed count of decimals.
export function pct(value, digits = 1) {
  return isNum(value) ? `${(value * 100).toFixed(digits)}%` : DASH;
}

/// A short number: 4 significant digits, exponent notation for very small or large magnitudes, − for minus.
export function num(value, digits = 4) {
  if (!isNum(value)) return DASH;
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  const text = magnitude < 1e-3 || magnitude >= 1e5 ? value.toExponential(Math.max(0, digits - 2))
    : String(Number(value.toPrecision(digits)));
  return text.replace('-', '−');
}

/// A probability as a percentage with enough digits to be told apart from zero.
export function percent(p) {
  if (!isNum(p)) return DASH;
  const v = p * 100;
  if (v === 0) return '0%';
  return v >= 10 ? `${v.toFixed(1)}%` : v >= 0.01 ? `${v.toPrecision(3)}%` : `${v.toExponential(2)}%`;
}

/// A token's display string in quotes (the display strings already show whitespace as the token strip does).
export function quoted(display) {
  return `"${display ?? ''}"`;
}

/// Shows spaces as ␣ (and tabs/newlines as →/⏎) so that " he" and "he" look different.
export function visibleSpaces(text) {
  return String(text).replace(/ /g, '␣').replace(/\t/g, '→').replace(/\r?\n/g, '⏎');
}

/// Non-blank lines of a textarea (one prompt per line); a line is kept as typed (leading spaces too).
export function nonBlankLines(text) {
  return String(text).replace(/\r/g, '').split('\n').filter((line) => line.trim().length > 0);
}

/// "1 hit", "2 hits".
export function plural(count, word) {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/// At most `max` characters (code points), the last one "…" when cut.
export function truncate(text, max) {
  const str = String(text ?? '');
  const chars = Array.from(str);
  return chars.length > max ? chars.slice(0, max - 1).join('') + '…' : str;
}

/// "(i) token", the token cut to `max` characters.
export function tokenLabel(labels, i, max = 18) {
  return `(${i}) ${truncate(labels?.[i] ?? '', max)}`;
}

/// A heatmap value: 4 decimals.
export function formatValue(value) {
  if (value === undefined || Number.isNaN(value)) return 'NaN';
  return value.toFixed(4);
}

/// A colour-scale bound: 3 significant digits.
export function formatScale(value) {
  if (!(value > 0)) return '0';
  if (value >= 100 || value < 0.01) return value.toPrecision(3);
  return String(Number(value.toPrecision(3)));
}

export function escapeXml(text) {
  const entities = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };
  return String(text).replace(/[<>&"']/g, (c) => entities[c]);
}

/// Text without the control characters XML 1.0 forbids (the display strings should carry none, but be safe).
export function xmlSafe(text) {
  return String(text ?? '').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd');
}

export function clamp(x, lo, hi) {
  return Math.max(lo, Math.min(hi, x));
}
