// A lazily filled grid of attention-pattern thumbnails: layers (rows, layer 0 at the bottom) × heads.
//
//   createThumbnailGrid(container, {layers, heads, n, fetchPattern, onSelect, size?, prefetch?, concurrency?})
//     → {select(layer, head), destroy()}
import { lut, lutIndex, ensureStyles, el, pooledImage, gridKey } from './heatmap-common.js';

// ---------------------------------------------------------------------------------------------------------
// Thumbnail grid: layers (rows, layer 0 at the bottom) × heads


/**
 * @param {HTMLElement} container
 * @param {{layers:number, heads:number, n:number, fetchPattern:(layer:number, head:number)=>Promise<Float32Array>,
 *          onSelect?:(layer:number, head:number)=>void, size?:number, prefetch?:boolean, concurrency?:number,
 *          colors?: "blues"|"greens"}} opts
 */
/**
 * Draws values (n×n) into a res×res canvas by max pooling, normalised to the map's own maximum.
 */
function drawThumb(canvas, values, n, colors) {
  const res = Math.min(n, canvas.width);
  if (canvas.width !== res) {
    canvas.width = res;
    canvas.height = res;
  }
  const x = canvas.getContext("2d");
  let max = 0;
  for (let p = 0, m = n * n; p < m; p++) if (values[p] > max) max = values[p];
  const scale = max > 0 ? 255 / max : 0;
  x.putImageData(pooledImage(x, values, n, res, scale, colors.u32), 0, 0);
  return max;
}

/** res×res ImageData of an n×n matrix (res ≤ n) by max pooling, so that thin peaks stay visible. */
export function createThumbnailGrid(container, opts) {
  ensureStyles();
  const { layers, heads, n, fetchPattern, onSelect } = opts;
  const size = opts.size || 56;
  const concurrency = Math.max(1, opts.concurrency || 4);
  const prefetch = opts.prefetch !== false;
  const colors = lut(opts.colors || "blues");
  const dpr = (typeof window !== "undefined" && window.devicePixelRatio) || 1;
  const res = Math.max(1, Math.min(n, Math.round(size * dpr)));

  const root = el("div", "gb-thumbs", { role: "grid", "aria-label": "attention patterns: layers × heads" });
  root.style.gridTemplateColumns = `auto repeat(${heads}, ${size}px)`;
  root.style.setProperty("--gb-thumb-size", `${size}px`);
  const corner = el("div", "gb-thumbs-corner");
  root.appendChild(corner);
  for (let h = 0; h < heads; h++) {
    const th = el("div", "gb-thumbs-head", { "data-head": String(h) });
    th.textContent = `H${h}`;
    root.appendChild(th);
  }
  const tiles = new Map(); // "l,h" → {canvas, layer, head, state}
  const order = []; // display order (top row first)
  for (let l = layers - 1; l >= 0; l--) {
    const lab = el("div", "gb-thumbs-layer", { "data-layer": String(l) });
    lab.textContent = `L${l}`;
    root.appendChild(lab);
    for (let h = 0; h < heads; h++) {
      const c = el("canvas", "gb-thumb", {
        "data-layer": String(l),
        "data-head": String(h),
        "data-state": "pending",
        role: "gridcell",
        tabindex: "-1",
        title: `L${l} H${h}`,
        "aria-label": `attention pattern layer ${l} head ${h}`,
      });
      c.width = res;
      c.height = res;
      c.style.width = `${size}px`;
      c.style.height = `${size}px`;
      root.appendChild(c);
      const tile = { canvas: c, layer: l, head: h, state: "pending" };
      tiles.set(`${l},${h}`, tile);
      order.push(tile);
    }
  }
  if (order.length) order[0].canvas.tabIndex = 0;
  container.appendChild(root);

  let destroyed = false;
  let active = 0;
  const urgent = [];
  let restPos = 0;
  let selected = null;

  function load(tile) {
    tile.state = "loading";
    tile.canvas.dataset.state = "loading";
    active++;
    Promise.resolve()
      .then(() => fetchPattern(tile.layer, tile.head))
      .then((values) => {
        if (destroyed) return;
        if (!values || values.length < n * n) throw new Error(`expected ${n * n} values`);
        const max = drawThumb(tile.canvas, values, n, colors);
        tile.state = "done";
        tile.canvas.dataset.state = "done";
        tile.canvas.dataset.max = String(max);
        tile.canvas.dataset.ready = "true";
      })
      .catch((err) => {
        if (destroyed) return;
        tile.state = "error";
        tile.canvas.dataset.state = "error";
        tile.canvas.title = `L${tile.layer} H${tile.head}: ${err?.message || err} (click to retry)`;
      })
      .finally(() => {
        active--;
        if (!destroyed) pump();
      });
  }

  function pump() {
    while (!destroyed && active < concurrency) {
      let next = null;
      while (urgent.length && !next) {
        const t = urgent.shift();
        if (t.state === "pending") next = t;
      }
      if (!next && prefetch) {
        while (restPos < order.length && !next) {
          const t = order[restPos++];
          if (t.state === "pending") next = t;
        }
      }
      if (!next) return;
      load(next);
    }
  }

  let observer = null;
  if (typeof IntersectionObserver !== "undefined") {
    observer = new IntersectionObserver(
      (entries) => {
        for (const e of entries) {
          if (!e.isIntersecting) continue;
          const t = tiles.get(`${e.target.dataset.layer},${e.target.dataset.head}`);
          if (t && t.state === "pending") urgent.push(t);
          observer.unobserve(e.target);
        }
        pump();
      },
      { rootMargin: "200px" },
    );
    for (const t of order) observer.observe(t.canvas);
    // if nothing is visible yet (e.g. a hidden tab), prefetch still fills the grid in order
    setTimeout(() => pump(), 50);
  } else {
    pump();
  }

  function select(layer, head, notify = false) {
    if (selected) selected.canvas.classList.remove("selected");
    selected = tiles.get(`${layer},${head}`) || null;
    if (!selected) return;
    selected.canvas.classList.add("selected");
    selected.canvas.setAttribute("aria-selected", "true");
    for (const t of order) if (t !== selected) t.canvas.removeAttribute("aria-selected");
    for (const t of order) t.canvas.tabIndex = t === selected ? 0 : -1;
    if (selected.state === "error") {
      selected.state = "pending";
      urgent.unshift(selected);
      pump();
    }
    if (notify && onSelect) onSelect(layer, head);
  }

  const onClick = (ev) => {
    const c = ev.target.closest?.("canvas.gb-thumb");
    if (!c || !root.contains(c)) return;
    c.focus({ preventScroll: true });
    select(Number(c.dataset.layer), Number(c.dataset.head), true);
  };
  const onKey = (ev) => {
    const c = ev.target.closest?.("canvas.gb-thumb");
    if (!c) return;
    let l = Number(c.dataset.layer);
    let h = Number(c.dataset.head);
    const move = gridKey(ev.key, l, h, layers, heads);
    if (!move) return;
    ev.preventDefault();
    if (move.select) {
      select(l, h, true);
      return;
    }
    l = move.layer;
    h = move.column;
    const t = tiles.get(`${l},${h}`);
    if (t) {
      for (const o of order) o.canvas.tabIndex = o === t ? 0 : -1;
      t.canvas.focus();
    }
  };
  root.addEventListener("click", onClick);
  root.addEventListener("keydown", onKey);

  function destroy() {
    destroyed = true;
    observer?.disconnect();
    root.removeEventListener("click", onClick);
    root.removeEventListener("keydown", onKey);
    root.remove();
  }

  return { select: (l, h) => select(l, h, false), destroy };
}
