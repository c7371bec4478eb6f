// Glassbox heatmaps: an attention or contribution map [target][source] on a canvas, with token axes, hover values,
// zoom and pan, a colour legend, and PNG/SVG export.
//
//   createHeatmap(container, {colors: "blues" | "greens", title, onCellClick})
//     → {update(values, n, labels, {title}?), pngBlob(scale?), svgText(), setTitle(t), resetZoom(), destroy()}
//
// Values are row-major [target][source] (row = query position q, column = key position k).
import { lut, lutIndex, FONT_FAMILY, ensureStyles, el, tokenLabel, formatValue, formatScale, escapeXml, labelStep, clamp, pooledImage } from './heatmap-common.js';

// ---------------------------------------------------------------------------------------------------------
// Heatmap

const LABEL_FONT_PX = 11;
const ROW_LABEL_MAX_CHARS = 18;
const COL_LABEL_ANGLE = -Math.PI / 4; // −45°
const LEGEND_W = 64; // gap + bar + tick labels
const MAX_CELL_PX = 48; // largest cell at zoom 1
const MAX_ZOOM_CELL_PX = 64;

/** Width in px of the widest axis label (capped at 150). */
function maxLabelWidth(measure, labels, n) {
  let maxW = 0;
  for (let i = 0; i < n; i++) maxW = Math.max(maxW, measure(tokenLabel(labels, i, ROW_LABEL_MAX_CHARS)));
  return Math.min(Math.ceil(maxW), 150);
}

/**
 * Geometry of a heatmap drawing. `plot` is the side of the square cell area in CSS px.
 * @returns {{width, height, plotX, plotY, plot, titleH, legendX}}
 */
function computeLayout(labelW, plot, title) {
  const maxW = labelW;
  const titleH = title ? 22 : 0;
  const plotX = maxW + 10;
  const plotY = titleH + 8;
  const bottom = Math.ceil(maxW * Math.SQRT1_2 + LABEL_FONT_PX + 10);
  return {
    width: plotX + plot + LEGEND_W,
    height: plotY + plot + bottom,
    plotX,
    plotY,
    plot,
    titleH,
    legendX: plotX + plot + 14,
    labelW: maxW,
  };
}

/**
 * Paints labels, cells (from the n×n offscreen canvas `cells`), hover marks and legend onto ctx.
 * view = {vx, vy, k}: first visible column / row (in cells) and zoom factor (1 = whole matrix).
 */
function paint(ctx, s) {
  const { layout: Lo, view, n, labels, cells, colors, max, hover, title, background } = s;
  const { plotX, plotY, plot } = Lo;
  const cellPx = (plot * view.k) / n;
  ctx.save();
  ctx.direction = "ltr";
  ctx.fillStyle = background || "#ffffff";
  ctx.fillRect(0, 0, Lo.width, Lo.height);

  if (title) {
    ctx.fillStyle = "#222";
    ctx.font = `600 13px ${FONT_FAMILY}`;
    ctx.textBaseline = "top";
    ctx.textAlign = "left";
    ctx.fillText(title, 4, 4);
  }

  // cells: the n×n image scaled without smoothing, clipped to the plot square
  ctx.save();
  ctx.beginPath();
  ctx.rect(plotX, plotY, plot, plot);
  ctx.clip();
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(cells, plotX - view.vx * cellPx, plotY - view.vy * cellPx, n * cellPx, n * cellPx);
  if (hover) {
    // hovered cell outline plus faint row/column guides
    const x = plotX + (hover.j - view.vx) * cellPx;
    const y = plotY + (hover.i - view.vy) * cellPx;
    ctx.fillStyle = "rgba(255, 140, 0, 0.10)";
    ctx.fillRect(plotX, y, plot, cellPx);
    ctx.fillRect(x, plotY, cellPx, plot);
    ctx.strokeStyle = "#ff8c00";
    ctx.lineWidth = cellPx >= 4 ? 2 : 1;
    ctx.strokeRect(x - 0.5, y - 0.5, Math.max(cellPx, 2) + 1, Math.max(cellPx, 2) + 1);
  }
  ctx.restore();
  ctx.strokeStyle = "#c8d0d8";
  ctx.lineWidth = 1;
  ctx.strokeRect(plotX - 0.5, plotY - 0.5, plot + 1, plot + 1);

  // token labels: rows (targets) on the left, columns (sources) below, thinned to stay legible
  const first = (v) => Math.max(0, Math.floor(v));
  const last = Math.min(n - 1, Math.ceil(view.vx + n / view.k) - 1);
  const lastRow = Math.min(n - 1, Math.ceil(view.vy + n / view.k) - 1);
  ctx.font = `${LABEL_FONT_PX}px ${FONT_FAMILY}`;
  ctx.fillStyle = "#333";
  const rowGap = LABEL_FONT_PX + 2;
  const colGap = (LABEL_FONT_PX + 3) / Math.SQRT1_2;
  const rowStep = labelStep(cellPx, rowGap);
  const colStep = labelStep(cellPx, colGap);
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (let i = first(view.vy); i <= lastRow; i++) {
    const isHover = hover && hover.i === i;
    if (!isHover && (i % rowStep !== 0 || (hover && Math.abs(i - hover.i) * cellPx < rowGap))) continue;
    if (isHover) ctx.font = `700 ${LABEL_FONT_PX}px ${FONT_FAMILY}`;
    ctx.fillStyle = isHover ? "#d35400" : "#333";
    ctx.fillText(tokenLabel(labels, i, ROW_LABEL_MAX_CHARS), plotX - 5, plotY + (i - view.vy + 0.5) * cellPx, Lo.labelW);
    if (isHover) ctx.font = `${LABEL_FONT_PX}px ${FONT_FAMILY}`;
  }
  for (let j = first(view.vx); j <= last; j++) {
    const isHover = hover && hover.j === j;
    if (!isHover && (j % colStep !== 0 || (hover && Math.abs(j - hover.j) * cellPx * Math.SQRT1_2 < rowGap))) continue;
    ctx.save();
    ctx.translate(plotX + (j - view.vx + 0.5) * cellPx, plotY + plot + 6);
    ctx.rotate(COL_LABEL_ANGLE);
    if (isHover) ctx.font = `700 ${LABEL_FONT_PX}px ${FONT_FAMILY}`;
    ctx.fillStyle = isHover ? "#d35400" : "#333";
    ctx.fillText(tokenLabel(labels, j, ROW_LABEL_MAX_CHARS), 0, 0, Lo.labelW);
    ctx.restore();
  }

  // legend: vertical colour bar 0 → max
  const barH = Math.min(plot, 220);
  const barX = Lo.legendX;
  const barY = plotY;
  const grad = ctx.createLinearGradient(0, barY + barH, 0, barY);
  colors.stops.forEach((c, idx) => grad.addColorStop(idx / (colors.stops.length - 1), c));
  ctx.fillStyle = grad;
  ctx.fillRect(barX, barY, 12, barH);
  ctx.strokeStyle = "#9aa5b1";
  ctx.strokeRect(barX - 0.5, barY - 0.5, 13, barH + 1);
  ctx.fillStyle = "#333";
  ctx.textAlign = "left";
  ctx.textBaseline = "middle";
  ctx.font = `10px ${FONT_FAMILY}`;
  ctx.fillText(formatScale(max), barX + 16, barY + 5);
  ctx.fillText(formatScale(max / 2), barX + 16, barY + barH / 2);
  ctx.fillText("0", barX + 16, barY + barH - 5);
  ctx.restore();
}

/**
 * A canvas heatmap of an n×n matrix.
 * @param {HTMLElement} container
 * @param {{colors?: "blues"|"greens", title?: string, onCellClick?: (target:number, source:number, value:number)=>void,
 *          maxSize?: number, width?: number}} options
 */
export function createHeatmap(container, options = {}) {
  ensureStyles();
  const colors = lut(options.colors || "blues");
  let title = options.title || "";

  const root = el("div", "gb-heatmap");
  root.style.position = "relative";
  const titleEl = el("div", "gb-heatmap-title");
  titleEl.textContent = title;
  titleEl.hidden = !title;
  const canvas = el("canvas", "gb-heatmap-canvas", { tabindex: "0", role: "img", "data-ready": "false" });
  canvas.style.display = "block";
  const tooltip = el("div", "gb-heatmap-tooltip", { role: "status" });
  Object.assign(tooltip.style, { position: "absolute", pointerEvents: "none", display: "none" });
  const hint = el("div", "gb-heatmap-hint");
  const tipText = ["target", "source", "value"].map((k) => {
    const line = el("div");
    const b = el("b");
    b.textContent = `${k}: `;
    const t = document.createTextNode("");
    line.append(b, t);
    tooltip.appendChild(line);
    return t;
  });
  hint.textContent = "wheel or +/− zoom · drag pans · double-click resets";
  hint.hidden = true;
  const empty = el("div", "gb-heatmap-empty");
  empty.textContent = "No data";
  root.append(titleEl, canvas, empty, hint, tooltip);
  canvas.hidden = true;
  container.appendChild(root);

  const ctx = canvas.getContext("2d");
  const measureCtx = document.createElement("canvas").getContext("2d");
  measureCtx.font = `${LABEL_FONT_PX}px ${FONT_FAMILY}`;
  const measure = (t) => measureCtx.measureText(t).width;

  let data = null; // {values, n, labels, max}
  let cells = null; // offscreen n×n canvas
  let tipWidth = 0;
  let tipWidthKey = "";
  let pooled = null; // max-pooled copy of cells for plots smaller than n device pixels
  let layout = null;
  let view = { vx: 0, vy: 0, k: 1 };
  let hover = null;
  let frame = 0;
  let lastWidth = -1;
  let destroyed = false;
  let drag = null;

  function availableWidth() {
    const w = container.clientWidth || root.clientWidth;
    return w > 0 ? w : options.width || 520;
  }

  function relayout() {
    if (!data) return;
    const avail = availableWidth();
    lastWidth = avail;
    const labelW = Math.min(data.labelW, Math.max(60, Math.floor(avail * 0.3)));
    const probe = computeLayout(labelW, 100, "");
    const maxPlot = options.maxSize || 720;
    let plot = Math.floor(avail - probe.plotX - LEGEND_W - 4);
    plot = clamp(plot, 120, maxPlot);
    plot = Math.min(plot, Math.max(120, data.n * MAX_CELL_PX));
    layout = computeLayout(labelW, plot, "");
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(layout.width * dpr);
    const h = Math.round(layout.height * dpr);
    if (canvas.width !== w) canvas.width = w;
    if (canvas.height !== h) canvas.height = h;
    canvas.style.width = `${layout.width}px`;
    canvas.style.height = `${layout.height}px`;
    clampView();
    draw();
  }

  function draw() {
    frame = 0;
    if (!data || !layout || destroyed) return;
    const dpr = canvas.width / layout.width;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    paint(ctx, { layout, view, n: data.n, labels: data.labels, cells: cellImage(dpr), colors, max: data.max, hover, title: "" });
    canvas.dataset.ready = "true";
  }

  /**
   * The cell image to scale onto the plot: the n×n image, or, when a cell would be smaller than a device pixel,
   * a max-pooled copy at the drawn resolution (nearest-neighbour down-scaling would drop thin peaks).
   */
  function cellImage(dpr) {
    const res = Math.ceil(data.n * ((layout.plot * view.k) / data.n) * dpr);
    if (res >= data.n) return cells;
    if (pooled && pooled.width === res) return pooled;
    pooled = document.createElement("canvas");
    pooled.width = res;
    pooled.height = res;
    const pctx = pooled.getContext("2d");
    const scale = data.max > 0 ? 255 / data.max : 0;
    pctx.putImageData(pooledImage(pctx, data.values, data.n, res, scale, colors.u32), 0, 0);
    return pooled;
  }

  function schedule() {
    if (!frame && !destroyed) frame = requestAnimationFrame(draw);
  }

  function maxZoom() {
    if (!data || !layout) return 1;
    return Math.max(1, (MAX_ZOOM_CELL_PX * data.n) / layout.plot);
  }

  function clampView() {
    if (!data) return;
    view.k = clamp(view.k, 1, maxZoom());
    const span = data.n / view.k;
    view.vx = clamp(view.vx, 0, data.n - span);
    view.vy = clamp(view.vy, 0, data.n - span);
    hint.hidden = false;
    root.classList.toggle("gb-zoomed", view.k > 1.0001);
  }

  /** Zoom by factor f around the plot point (px, py) in CSS px relative to the canvas. */
  function zoomAt(f, px, py) {
    if (!data || !layout) return;
    const cellPx = (layout.plot * view.k) / data.n;
    const cx = view.vx + (px - layout.plotX) / cellPx;
    const cy = view.vy + (py - layout.plotY) / cellPx;
    view.k = clamp(view.k * f, 1, maxZoom());
    const cell2 = (layout.plot * view.k) / data.n;
    view.vx = cx - (px - layout.plotX) / cell2;
    view.vy = cy - (py - layout.plotY) / cell2;
    clampView();
    schedule();
  }

  function cellAt(px, py) {
    if (!data || !layout) return null;
    const x = px - layout.plotX;
    const y = py - layout.plotY;
    if (x < 0 || y < 0 || x >= layout.plot || y >= layout.plot) return null;
    const cellPx = (layout.plot * view.k) / data.n;
    const j = Math.floor(view.vx + x / cellPx);
    const i = Math.floor(view.vy + y / cellPx);
    if (i < 0 || j < 0 || i >= data.n || j >= data.n) return null;
    return { i, j };
  }

  function showTooltip(cell, px, py) {
    if (!cell) {
      tooltip.style.display = "none";
      return;
    }
    const v = data.values[cell.i * data.n + cell.j];
    const key = `${cell.i},${cell.j}`;
    if (tooltip.dataset.key !== key) {
      tipText[0].data = tokenLabel(data.labels, cell.i, 40);
      tipText[1].data = tokenLabel(data.labels, cell.j, 40);
      tipText[2].data = formatValue(v);
      tooltip.dataset.key = key;
      tooltip.dataset.target = String(cell.i);
      tooltip.dataset.source = String(cell.j);
      tooltip.dataset.value = formatValue(v);
    }
    tooltip.style.display = "block";
    const offX = canvas.offsetLeft;
    const offY = canvas.offsetTop;
    let left = offX + px + 14;
    let top = offY + py + 14;
    if (tooltip.dataset.key !== tipWidthKey) {
      tipWidth = tooltip.offsetWidth;
      tipWidthKey = tooltip.dataset.key;
    }
    const tw = tipWidth;
    const rootW = Math.max(root.clientWidth, layout.width);
    if (left + tw > rootW) left = Math.max(0, offX + px - tw - 10);
    tooltip.style.left = `${left}px`;
    tooltip.style.top = `${top}px`;
  }

  function setHover(cell, px, py) {
    const same = (cell && hover && cell.i === hover.i && cell.j === hover.j) || (!cell && !hover);
    hover = cell;
    showTooltip(cell, px, py);
    if (!same) schedule();
  }

  function localPoint(ev) {
    const r = canvas.getBoundingClientRect();
    return [ev.clientX - r.left, ev.clientY - r.top];
  }

  const onPointerMove = (ev) => {
    if (!data) return;
    const [px, py] = localPoint(ev);
    if (drag) {
      const cellPx = (layout.plot * view.k) / data.n;
      const dx = px - drag.px;
      const dy = py - drag.py;
      if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
      view.vx = drag.vx - dx / cellPx;
      view.vy = drag.vy - dy / cellPx;
      clampView();
      schedule();
      return;
    }
    setHover(cellAt(px, py), px, py);
  };
  const onPointerDown = (ev) => {
    if (!data || ev.button !== 0) return;
    const [px, py] = localPoint(ev);
    if (!cellAt(px, py)) return;
    drag = { px, py, vx: view.vx, vy: view.vy, moved: false };
    canvas.setPointerCapture?.(ev.pointerId);
    if (view.k > 1) canvas.style.cursor = "grabbing";
  };
  const onPointerUp = (ev) => {
    if (!drag) return;
    const wasDrag = drag.moved;
    drag = null;
    canvas.style.cursor = "";
    canvas.releasePointerCapture?.(ev.pointerId);
    if (!wasDrag && options.onCellClick) {
      const [px, py] = localPoint(ev);
      const c = cellAt(px, py);
      if (c) options.onCellClick(c.i, c.j, data.values[c.i * data.n + c.j]);
    }
  };
  const onLeave = () => {
    if (!drag) setHover(null);
  };
  const onWheel = (ev) => {
    if (!data) return;
    const [px, py] = localPoint(ev);
    if (!cellAt(px, py)) return;
    ev.preventDefault();
    const f = Math.exp(-ev.deltaY * (ev.deltaMode === 1 ? 0.05 : 0.002));
    zoomAt(f, px, py);
    setHover(cellAt(px, py), px, py);
  };
  const onDblClick = (ev) => {
    const [px, py] = localPoint(ev);
    if (cellAt(px, py)) resetZoom();
  };
  const onKey = (ev) => {
    if (!data || !layout) return;
    const mid = layout.plot / 2;
    const step = (data.n / view.k) * 0.1;
    let handled = true;
    switch (ev.key) {
      case "+":
      case "=":
        zoomAt(1.25, layout.plotX + mid, layout.plotY + mid);
        break;
      case "-":
      case "_":
        zoomAt(0.8, layout.plotX + mid, layout.plotY + mid);
        break;
      case "0":
        resetZoom();
        break;
      case "ArrowLeft":
        view.vx -= step;
        break;
      case "ArrowRight":
        view.vx += step;
        break;
      case "ArrowUp":
        view.vy -= step;
        break;
      case "ArrowDown":
        view.vy += step;
        break;
      default:
        handled = false;
    }
    if (handled) {
      ev.preventDefault();
      clampView();
      schedule();
    }
  };

  canvas.addEventListener("pointermove", onPointerMove);
  canvas.addEventListener("pointerdown", onPointerDown);
  canvas.addEventListener("pointerup", onPointerUp);
  canvas.addEventListener("pointercancel", onPointerUp);
  canvas.addEventListener("pointerleave", onLeave);
  canvas.addEventListener("wheel", onWheel, { passive: false });
  canvas.addEventListener("dblclick", onDblClick);
  canvas.addEventListener("keydown", onKey);

  const resizeObserver =
    typeof ResizeObserver !== "undefined"
      ? new ResizeObserver(() => {
          if (data && availableWidth() !== lastWidth) relayout();
        })
      : null;
  resizeObserver?.observe(container);

  function resetZoom() {
    view = { vx: 0, vy: 0, k: 1 };
    clampView();
    schedule();
  }

  function setTitle(t) {
    title = t || "";
    titleEl.textContent = title;
    titleEl.hidden = !title;
    canvas.setAttribute("aria-label", title || "heatmap");
  }
  setTitle(title);

  /**
   * @param {Float32Array|number[]} values n*n row-major [target][source]
   * @param {number} n
   * @param {string[]} labels token display strings
   * @param {{title?: string}} [opts]
   */
  function update(values, n, labels, opts = {}) {
    if (destroyed) return;
    if (opts.title !== undefined) setTitle(opts.title);
    canvas.dataset.ready = "false";
    n = n | 0;
    if (!values || n <= 0) {
      data = null;
      cells = null;
      canvas.hidden = true;
      empty.hidden = false;
      hint.hidden = true;
      tooltip.style.display = "none";
      canvas.dataset.n = "0";
      canvas.dataset.ready = "true";
      return;
    }
    if (values.length < n * n) throw new Error(`heatmap: expected ${n * n} values, got ${values.length}`);
    const vals = values instanceof Float32Array ? values : Float32Array.from(values);
    let max = 0;
    for (let p = 0, m = n * n; p < m; p++) if (vals[p] > max) max = vals[p];
    const scale = max > 0 ? 255 / max : 0;
    // one ImageData for all cells
    if (!cells || cells.width !== n) {
      cells = document.createElement("canvas");
      cells.width = n;
      cells.height = n;
    }
    const cctx = cells.getContext("2d");
    const img = cctx.createImageData(n, n);
    const px = new Uint32Array(img.data.buffer);
    const table = colors.u32;
    for (let p = 0, m = n * n; p < m; p++) px[p] = table[lutIndex(vals[p], scale)];
    cctx.putImageData(img, 0, 0);
    pooled = null;
    const lbls = Array.from({ length: n }, (_, i) => String(labels?.[i] ?? ""));
    const same = data && data.n === n && data.labels.every((t, i) => t === lbls[i]);
    const labelW = same ? data.labelW : maxLabelWidth(measure, lbls, n);
    data = { values: vals, n, labels: lbls, max, labelW };
    canvas.dataset.n = String(n);
    canvas.dataset.max = String(max);
    canvas.hidden = false;
    empty.hidden = true;
    hover = null;
    tooltip.style.display = "none";
    delete tooltip.dataset.key;
    view = { vx: 0, vy: 0, k: 1 };
    relayout();
  }

  /** Layout for exports: cells 2–24 px so that the whole matrix is ~1000 px or less. */
  function exportLayout(withTitle) {
    const cellPx = clamp(Math.floor(1024 / data.n), 2, 24);
    return computeLayout(data.labelW, cellPx * data.n, withTitle ? title : "");
  }

  function pngBlob(scale = 2) {
    if (!data) return Promise.reject(new Error("heatmap: nothing to export"));
    const Lo = exportLayout(true);
    const c = document.createElement("canvas");
    c.width = Math.round(Lo.width * scale);
    c.height = Math.round(Lo.height * scale);
    const x = c.getContext("2d");
    x.setTransform(scale, 0, 0, scale, 0, 0);
    paint(x, {
      layout: Lo,
      view: { vx: 0, vy: 0, k: 1 },
      n: data.n,
      labels: data.labels,
      cells,
      colors,
      max: data.max,
      hover: null,
      title,
    });
    return new Promise((resolve, reject) =>
      c.toBlob((b) => (b ? resolve(b) : reject(new Error("heatmap: PNG encoding failed"))), "image/png"),
    );
  }

  function svgText() {
    if (!data) throw new Error("heatmap: nothing to export");
    const { n, labels, values, max } = data;
    if (n > 256) throw new Error(`heatmap: SVG export is limited to 256 tokens (this map has ${n}); use PNG`);
    const Lo = exportLayout(true);
    const cellPx = Lo.plot / n;
    const scale = max > 0 ? 255 / max : 0;
    const out = [];
    out.push(
      `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${Lo.width}" height="${Lo.height}" viewBox="0 0 ${Lo.width} ${Lo.height}" font-family="${escapeXml(FONT_FAMILY)}">`,
    );
    out.push(`<rect x="0" y="0" width="${Lo.width}" height="${Lo.height}" fill="#ffffff"/>`);
    if (title) out.push(`<text x="4" y="17" font-size="13" font-weight="600" fill="#222">${escapeXml(title)}</text>`);
    out.push(`<g shape-rendering="crispEdges">`);
    out.push(`<rect x="${Lo.plotX}" y="${Lo.plotY}" width="${Lo.plot}" height="${Lo.plot}" fill="${colors.css[0]}"/>`);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const v = values[i * n + j];
        const idx = lutIndex(v, scale);
        if (idx === 0) continue;
        out.push(
          `<rect x="${Lo.plotX + j * cellPx}" y="${Lo.plotY + i * cellPx}" width="${cellPx}" height="${cellPx}" fill="${colors.css[idx]}"><title>${i}→${j}: ${formatValue(v)}</title></rect>`,
        );
      }
    }
    out.push(`</g>`);
    out.push(
      `<rect x="${Lo.plotX - 0.5}" y="${Lo.plotY - 0.5}" width="${Lo.plot + 1}" height="${Lo.plot + 1}" fill="none" stroke="#c8d0d8"/>`,
    );
    const rowStep = labelStep(cellPx, LABEL_FONT_PX + 2);
    const colStep = labelStep(cellPx, (LABEL_FONT_PX + 3) / Math.SQRT1_2);
    out.push(`<g font-size="${LABEL_FONT_PX}" fill="#333">`);
    for (let i = 0; i < n; i += rowStep) {
      out.push(
        `<text x="${Lo.plotX - 5}" y="${Lo.plotY + (i + 0.5) * cellPx}" text-anchor="end" dominant-baseline="central">${escapeXml(tokenLabel(labels, i, ROW_LABEL_MAX_CHARS))}</text>`,
      );
    }
    for (let j = 0; j < n; j += colStep) {
      const x = Lo.plotX + (j + 0.5) * cellPx;
      const y = Lo.plotY + Lo.plot + 6;
      out.push(
        `<text transform="translate(${x} ${y}) rotate(-45)" text-anchor="end" dominant-baseline="central">${escapeXml(tokenLabel(labels, j, ROW_LABEL_MAX_CHARS))}</text>`,
      );
    }
    out.push(`</g>`);
    const barH = Math.min(Lo.plot, 220);
    out.push(`<defs><linearGradient id="gb-legend" x1="0" y1="1" x2="0" y2="0">`);
    colors.stops.forEach((c, idx) => out.push(`<stop offset="${idx / (colors.stops.length - 1)}" stop-color="${c}"/>`));
    out.push(`</linearGradient></defs>`);
    out.push(
      `<rect x="${Lo.legendX}" y="${Lo.plotY}" width="12" height="${barH}" fill="url(#gb-legend)" stroke="#9aa5b1"/>`,
    );
    out.push(`<g font-size="10" fill="#333" dominant-baseline="central">`);
    out.push(`<text x="${Lo.legendX + 16}" y="${Lo.plotY + 5}">${formatScale(max)}</text>`);
    out.push(`<text x="${Lo.legendX + 16}" y="${Lo.plotY + barH / 2}">${formatScale(max / 2)}</text>`);
    out.push(`<text x="${Lo.legendX + 16}" y="${Lo.plotY + barH - 5}">0</text>`);
    out.push(`</g></svg>\n`);
    return out.join("\n");
  }

  function destroy() {
    destroyed = true;
    if (frame) cancelAnimationFrame(frame);
    resizeObserver?.disconnect();
    canvas.removeEventListener("pointermove", onPointerMove);
    canvas.removeEventListener("pointerdown", onPointerDown);
    canvas.removeEventListener("pointerup", onPointerUp);
    canvas.removeEventListener("pointercancel", onPointerUp);
    canvas.removeEventListener("pointerleave", onLeave);
    canvas.removeEventListener("wheel", onWheel);
    canvas.removeEventListener("dblclick", onDblClick);
    canvas.removeEventListener("keydown", onKey);
    root.remove();
    data = null;
    cells = null;
  }

  return { update, pngBlob, svgText, setTitle, resetZoom, destroy, get canvas() { return canvas; } };
}
