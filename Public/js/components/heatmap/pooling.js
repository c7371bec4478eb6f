// The pixels of an n×n matrix in a colour table, at n×n or smaller (res×res) by max pooling, so that thin peaks
// stay visible where nearest-neighbour down-scaling would drop them. Pure: no DOM.
import { lutIndex } from '../color-scales.js';

/// The largest value of the first n·n (0 when none is positive).
export function maxValue(values, n) {
  let max = 0;
  for (let p = 0, m = n * n; p < m; p++) if (values[p] > max) max = values[p];
  return max;
}

/**
 * Fills `px` (res·res colours, e.g. an ImageData's Uint32Array view) from `values` (n·n, row-major): each pixel is
 * table[lutIndex(max of the cells it covers, scale)]. res ≤ n.
 */
export function poolPixels(px, values, n, res, scale, table) {
  if (res === n) {
    for (let p = 0, m = n * n; p < m; p++) px[p] = table[lutIndex(values[p], scale)];
    return px;
  }
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
  return px;
}

/// A res×res ImageData of the matrix on a 2D context (see poolPixels).
export function pooledImage(ctx, values, n, res, scale, table) {
  const image = ctx.createImageData(res, res);
  poolPixels(new Uint32Array(image.data.buffer), values, n, res, scale, table);
  return image;
}
