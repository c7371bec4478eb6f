// Shared pieces of the heatmap modules: colour scales (look-up tables), DOM and number helpers, and the stylesheet
// link. Plain ES module, no dependencies.
// ---------------------------------------------------------------------------------------------------------
// Colour maps (ColorBrewer sequential, as used by plotly/matplotlib "Blues" / "Greens")

export const SCHEMES = {
  blues: ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"],
  greens: ["#f7fcf5", "#e5f5e0", "#c7e9c0", "#a1d99b", "#74c476", "#41ab5d", "#238b45", "#006d2c", "#00441b"],
};

export function hexToRgb(hex) {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

export const LUT_CACHE = new Map();

/** 256-entry lookup table of a scheme: {rgb: [[r,g,b]...], u32: Uint32Array (ImageData byte order), css: [...]}. */
export function lut(name) {
  const key = SCHEMES[name] ? name : "blues";
  if (LUT_CACHE.has(key)) return LUT_CACHE.get(key);
  const stops = SCHEMES[key].map(hexToRgb);
  const rgb = [];
  const u32 = new Uint32Array(256);
  const bytes = new Uint8Array(u32.buffer);
  for (let i = 0; i < 256; i++) {
    const t = (i / 255) * (stops.length - 1);
    const a = Math.min(Math.floor(t), stops.length - 2);
    const f = t - a;
    const c = [0, 1, 2].map((ch) => Math.round(stops[a][ch] + (stops[a + 1][ch] - stops[a][ch]) * f));
    rgb.push(c);
    bytes[i * 4] = c[0];
    bytes[i * 4 + 1] = c[1];
    bytes[i * 4 + 2] = c[2];
    bytes[i * 4 + 3] = 255;
  }
  const css = rgb.map((c) => "#" + c.map((x) => x.toString(16).padStart(2, "0")).join(""));
  const entry = { name: key, stops: SCHEMES[key], rgb, u32, css };
  LUT_CACHE.set(key, entry);
  return entry;
}

/** Index 0..255 of value v on the scale [0, max]; NaN, negatives and non-positive max map to 0. */
export function lutIndex(v, scale) {
  const t = v * scale;
  if (!(t > 0)) return 0;
  if (t >= 255) return 255;
  return (t + 0.5) | 0;
}

// ---------------------------------------------------------------------------------------------------------
// Small helpers

export const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif';
export const STYLE_HREF = new URL("../css/heatmap.css", import.meta.url).href;

/** Adds Public/css/heatmap.css to the document once, unless the page already links it. */
export function ensureStyles() {
  if (typeof document === "undefined") return;
  for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
    if (link.href === STYLE_HREF) return;
  }
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = STYLE_HREF;
  link.dataset.glassbox = "heatmap";
  document.head.appendChild(link);
}

export function el(tag, className, attrs) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (attrs) for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

export function truncate(s, max) {
  const str = String(s ?? "");
  const chars = Array.from(str);
  return chars.length > max ? chars.slice(0, max - 1).join("") + "…" : str;
}

export function tokenLabel(labels, i, max = 18) {
  return `(${i}) ${truncate(labels?.[i] ?? "", max)}`;
}

export function formatValue(v) {
  if (v === undefined || Number.isNaN(v)) return "NaN";
  return v.toFixed(4);
}

export function formatScale(v) {
  if (!(v > 0)) return "0";
  if (v >= 100 || v < 0.01) return v.toPrecision(3);
  return String(Number(v.toPrecision(3)));
}

export function escapeXml(s) {
  return String(s).replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]);
}

/** Label step so that labels are at least minPx apart: 1, 2, 5, 10, 20, 50, ... */
export function labelStep(cellPx, minPx) {
  if (cellPx >= minPx) return 1;
  const need = minPx / cellPx;
  let base = 1;
  for (;;) {
    for (const m of [1, 2, 5]) if (base * m >= need) return base * m;
    base *= 10;
  }
}

export function clamp(x, lo, hi) {
  return Math.max(lo, Math.min(hi, x));
}

export function pooledImage(ctx, values, n, res, scale, table) {
  const img = ctx.createImageData(res, res);
  const px = new Uint32Array(img.data.buffer);
  if (res === n) {
    for (let p = 0, m = n * n; p < m; p++) px[p] = table[lutIndex(values[p], scale)];
  } else {
    const bounds = new Int32Array(res + 1);
    for (let r = 0; r <= res; r++) bounds[r] = Math.floor((r * n) / res);
    const rowMax = new Float32Array(res);
    for (let r = 0; r < res; r++) {
      rowMax.fill(0);
      for (let i = bounds[r]; i < bounds[r + 1]; i++) {
        const base = i * n;
        for (let c = 0; c < res; c++) {
          let m = rowMax[c];
          for (let j = bounds[c], e = bounds[c + 1]; j < e; j++) {
            const v = values[base + j];
            if (v > m) m = v;
          }
          rowMax[c] = m;
        }
      }
      for (let c = 0; c < res; c++) px[r * res + c] = table[lutIndex(rowMax[c], scale)];
    }
  }
  return img;
}

/// Arrow-key navigation on a layers × columns grid drawn with the last layer on top: the cell `key` moves to, or
/// `{select: true}` for Enter/space, or null for any other key.
export function gridKey(key, layer, column, layers, columns) {
  switch (key) {
    case "ArrowLeft": return { layer, column: Math.max(0, column - 1) };
    case "ArrowRight": return { layer, column: Math.min(columns - 1, column + 1) };
    case "ArrowUp": return { layer: Math.min(layers - 1, layer + 1), column };
    case "ArrowDown": return { layer: Math.max(0, layer - 1), column };
    case "Enter":
    case " ": return { layer, column, select: true };
    default: return null;
  }
}
