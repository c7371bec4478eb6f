// The pixels of a matrix in a colour table, at its size or smaller by max pooling, so that thin peaks stay visible
// where nearest-neighbour down-scaling would drop them: n×n (attention maps and thumbnails) or rows×cols (a layer ×
// position map). Pure: no DOM.
import { lutIndex } from '../color-scales.js';

/// The largest of the first `count` values (0 when none is positive).
export function maxOf(values, count) {
  let max = 0;
  for (let p = 0; p < count; p++) if (values[p] > max) max = values[p];
  return max;
}

/// The largest value of the first n·n (0 when none is positive).
export function maxValue(values, n) {
  return maxOf(values, n * n);
}

/// Where each of `res` pooled cells starts in `n` cells (and where the last ends).
function bounds(n, res) {
  const b = new Int32Array(res + 1);
  for (let r = 0; r <= res; r++) b[r] = Math.floor((r * n) / res);
  return b;
}

/**
 * Fills `px` (resRows·resCols colours, e.g. an ImageData's Uint32Array view) from `values` (rows·cols, row-major):
 * each pixel is table[lutIndex(max of the cells it covers, scale)]. resRows ≤ rows, resCols ≤ cols.
 */
export function poolRect(px, values, rows, cols, resRows, resCols, scale, table) {
  if (resRows === rows && resCols === cols) {
    for (let p = 0, m = rows * cols; p < m; p++) px[p] = table[lutIndex(values[p], scale)];
    return px;
  }
  const rowBounds = bounds(rows, resRows), colBounds = bounds(cols, resCols);
  const rowMax = new Float32Array(resCols);
  for (let r = 0; r < resRows; r++) {
    rowMax.fill(0);
    for (let i = rowBounds[r]; i < rowBounds[r + 1]; i++) {
      const base = i * cols;
      for (let c = 0; c < resCols; c++) {
        let m = rowMax[c];
        for (let j = colBounds[c], e = colBounds[c + 1]; j < e; j++) {
          const v = values[base + j];
          if (v > m) m = v;
        }
        rowMax[c] = m;
      }
    }
    for (let c = 0; c < resCols; c++) px[r * resCols + c] = table[lutIndex(rowMax[c], scale)];
  }
  return px;
}

/// An n×n matrix at res×res (see poolRect).
export function poolPixels(px, values, n, res, scale, table) {
  return poolRect(px, values, n, n, res, res, scale, table);
}

/// A resRows×resCols ImageData of a rows×cols matrix on a 2D context (see poolRect).
export function pooledRectImage(ctx, values, rows, cols, resRows, resCols, scale, table) {
  const image = ctx.createImageData(resCols, resRows);
  poolRect(new Uint32Array(image.data.buffer), values, rows, cols, resRows, resCols, scale, table);
  return image;
}

/// A res×res ImageData of an n×n matrix on a 2D context (see poolRect).
export function pooledImage(ctx, values, n, res, scale, table) {
  return pooledRectImage(ctx, values, n, n, res, res, scale, table);
}
