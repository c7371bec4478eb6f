// Where the attention thumbnails' pixels come from: for a prompt of WORKER_MIN_TOKENS or more (whose patterns are
// megabytes each; reading them on the main thread stalls its frames) a module worker fetches and pools them
// (thumbnail-worker.js); for a shorter one, or without workers, the page does.
//
//   createThumbnailLoader({n, colors, fetchPattern(layer, head), patternURL(layer, head)?})
//     → {load(layer, head, res) → Promise<{pixels: Uint32Array res·res, max}>, destroy()}
import { maxValue, poolPixels } from '../../components/heatmap/pooling.js';
import { APIError } from '../../core/api.js';

export const WORKER_MIN_TOKENS = 256;

export function createThumbnailLoader(opts) {
  const useWorker = opts.patternURL && opts.n >= WORKER_MIN_TOKENS && typeof Worker === 'function';
  return useWorker ? workerLoader(opts) : pageLoader(opts);
}

function pageLoader({ n, colors, fetchPattern }) {
  return {
    async load(layer, head, res) {
      const values = await fetchPattern(layer, head);
      if (!values || values.length < n * n) throw new Error(`expected ${n * n} values`);
      const max = maxValue(values, n);
      return { pixels: poolPixels(new Uint32Array(res * res), values, n, res, max > 0 ? 255 / max : 0, colors.u32), max };
    },
    destroy() {},
  };
}

function workerLoader({ n, colors, patternURL }) {
  const worker = new Worker(new URL('./thumbnail-worker.js', import.meta.url), { type: 'module' });
  const pending = new Map(); // id → {resolve, reject}
  let next = 0;
  worker.onmessage = (event) => {
    const { id, pixels, max, error, status, code } = event.data;
    const job = pending.get(id);
    pending.delete(id);
    if (!job) return;
    if (error) job.reject(status ? new APIError(status, code, error) : new Error(error));
    else job.resolve({ pixels, max });
  };
  worker.onerror = (event) => {
    for (const job of pending.values()) job.reject(new Error(event.message || 'the thumbnail worker failed'));
    pending.clear();
  };
  return {
    load(layer, head, res) {
      const id = ++next;
      const url = new URL(patternURL(layer, head), location.href).href;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, url, n, res, table: colors.u32 });
      });
    },
    destroy() {
      worker.terminate();
      pending.clear();
    },
  };
}
