// A lazily filled grid of attention-pattern thumbnails: layers (rows, layer 0 at the bottom) × heads. Tiles load
// when they come into sight (and the rest in order after them), a few at a time; a click or Enter chooses one.
// Each is its pattern max-pooled to the tile's pixels (thumbnail-loader.js: in a worker for long prompts).
//
//   createThumbnailGrid(container, {layers, heads, n, fetchPattern(layer, head), patternURL?(layer, head),
//                                   onSelect(layer, head), size?, prefetch?, concurrency?, colors?})
//     → {select(layer, head), destroy()}
import { el } from '../../core/dom.js';
import { lut } from '../../components/color-scales.js';
import { gridKeyHandler } from '../../components/layer-grid.js';
import { createThumbnailLoader } from './thumbnail-loader.js';

/// Puts res × res pooled colours into a tile's canvas (res × res px).
function drawPixels(canvas, pixels) {
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(canvas.width, canvas.height);
  new Uint32Array(image.data.buffer).set(pixels);
  ctx.putImageData(image, 0, 0);
}

function tileCanvas(layer, head, res, size) {
  const c = el('canvas', 'gb-thumb', { 'data-layer': layer, 'data-head': head, 'data-state': 'pending', role: 'gridcell',
    tabindex: '-1', title: `L${layer} H${head}`, 'aria-label': `attention pattern layer ${layer} head ${head}` });
  c.width = res;
  c.height = res;
  c.style.width = `${size}px`;
  c.style.height = `${size}px`;
  return c;
}

export function createThumbnailGrid(container, opts) {
  return new ThumbnailGrid(container, opts);
}

class ThumbnailGrid {
  constructor(container, opts) {
    this.opts = opts;
    this.concurrency = Math.max(1, opts.concurrency || 4);
    this.prefetch = opts.prefetch !== false;
    this.colors = lut(opts.colors || 'blues');
    this.loader = createThumbnailLoader({ n: opts.n, colors: this.colors, fetchPattern: opts.fetchPattern,
      patternURL: opts.patternURL });
    this.tiles = new Map(); // "l,h" → {canvas, layer, head, state}
    this.order = []; // display order (top row first)
    this.destroyed = false;
    this.active = 0;
    this.urgent = [];
    this.restPos = 0;
    this.selected = null;
    this.root = this.build(opts.size || 56);
    container.appendChild(this.root);
    this.root.addEventListener('click', (event) => this.onClick(event));
    this.root.addEventListener('keydown', gridKeyHandler(this.root, {
      selector: 'canvas.gb-thumb', shape: () => ({ layers: opts.layers, columns: opts.heads }),
      activate: (layer, head) => this.select(layer, head, true),
    }));
    this.observe();
  }

  build(size) {
    const { layers, heads, n } = this.opts;
    const dpr = (typeof window !== 'undefined' && window.devicePixelRatio) || 1;
    const res = Math.max(1, Math.min(n, Math.round(size * dpr)));
    const root = el('div', 'gb-thumbs', { role: 'grid', 'aria-label': 'attention patterns: layers × heads' });
    root.style.gridTemplateColumns = `auto repeat(${heads}, ${size}px)`;
    root.style.setProperty('--gb-thumb-size', `${size}px`);
    root.appendChild(el('div', 'gb-thumbs-corner'));
    for (let h = 0; h < heads; h++) root.appendChild(el('div', 'gb-thumbs-head', { 'data-head': h }, `H${h}`));
    for (let l = layers - 1; l >= 0; l--) {
      root.appendChild(el('div', 'gb-thumbs-layer', { 'data-layer': l }, `L${l}`));
      for (let h = 0; h < heads; h++) {
        const tile = { canvas: tileCanvas(l, h, res, size), layer: l, head: h, state: 'pending' };
        root.appendChild(tile.canvas);
        this.tiles.set(`${l},${h}`, tile);
        this.order.push(tile);
      }
    }
    if (this.order.length) this.order[0].canvas.tabIndex = 0;
    return root;
  }

  /// Tiles in sight load first; with nothing in sight (e.g. a hidden tab), the prefetch fills the grid in order.
  observe() {
    if (typeof IntersectionObserver === 'undefined') {
      this.pump();
      return;
    }
    this.observer = new IntersectionObserver((entries) => {
      for (const e of entries) {
        if (!e.isIntersecting) continue;
        const t = this.tiles.get(`${e.target.dataset.layer},${e.target.dataset.head}`);
        if (t && t.state === 'pending') this.urgent.push(t);
        this.observer.unobserve(e.target);
      }
      this.pump();
    }, { rootMargin: '200px' });
    for (const t of this.order) this.observer.observe(t.canvas);
    setTimeout(() => this.pump(), 50);
  }

  setState(tile, state) {
    tile.state = state;
    tile.canvas.dataset.state = state;
  }

  load(tile) {
    this.setState(tile, 'loading');
    this.active++;
    Promise.resolve()
      .then(() => this.loader.load(tile.layer, tile.head, tile.canvas.width))
      .then(({ pixels, max }) => {
        if (this.destroyed) return;
        drawPixels(tile.canvas, pixels);
        this.setState(tile, 'done');
        tile.canvas.dataset.max = String(max);
        tile.canvas.dataset.ready = 'true';
      })
      .catch((err) => {
        if (this.destroyed) return;
        this.setState(tile, 'error');
        tile.canvas.title = `L${tile.layer} H${tile.head}: ${err?.message || err} (click to retry)`;
      })
      .finally(() => {
        this.active--;
        if (!this.destroyed) this.pump();
      });
  }

  /// The next pending tile: the ones that came into sight first, then (prefetching) the rest in order.
  nextPending() {
    while (this.urgent.length) {
      const t = this.urgent.shift();
      if (t.state === 'pending') return t;
    }
    while (this.prefetch && this.restPos < this.order.length) {
      const t = this.order[this.restPos++];
      if (t.state === 'pending') return t;
    }
    return null;
  }

  pump() {
    while (!this.destroyed && this.active < this.concurrency) {
      const next = this.nextPending();
      if (!next) return;
      this.load(next);
    }
  }

  select(layer, head, notify = false) {
    if (this.selected) this.selected.canvas.classList.remove('selected');
    this.selected = this.tiles.get(`${layer},${head}`) || null;
    if (!this.selected) return;
    this.selected.canvas.classList.add('selected');
    this.selected.canvas.setAttribute('aria-selected', 'true');
    for (const t of this.order) {
      if (t !== this.selected) t.canvas.removeAttribute('aria-selected');
      t.canvas.tabIndex = t === this.selected ? 0 : -1;
    }
    if (this.selected.state === 'error') {
      this.setState(this.selected, 'pending');
      this.urgent.unshift(this.selected);
      this.pump();
    }
    if (notify && this.opts.onSelect) this.opts.onSelect(layer, head);
  }

  onClick(event) {
    const c = event.target.closest?.('canvas.gb-thumb');
    if (!c || !this.root.contains(c)) return;
    c.focus({ preventScroll: true });
    this.select(Number(c.dataset.layer), Number(c.dataset.head), true);
  }

  destroy() {
    this.destroyed = true;
    this.loader.destroy();
    this.observer?.disconnect();
    this.root.remove();
  }
}
