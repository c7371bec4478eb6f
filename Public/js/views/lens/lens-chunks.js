// The logit-lens grid of a long prompt, fetched in chunks of positions as the user scrolls (GET /api/runs/{id}/
// lens-grid?from&to answers the columns from…to): which chunks a rendered window needs, which are on their way, and
// where a chunk's columns go. Pure: no DOM, no fetch.

export const CHUNK_POSITIONS = 64; // positions per request: about 3.5 s of two cores for Gemma 3 270M's 18 layers
export const MAX_IN_FLIGHT = 2; // requests at once (the server computes two analyses at a time)

/// The chunk that holds a position.
export function chunkIndex(position, size = CHUNK_POSITIONS) {
  return Math.floor(position / size);
}

/// The positions {from, to} (inclusive) of chunk `index` of a run of `columns` positions.
export function chunkRange(index, columns, size = CHUNK_POSITIONS) {
  return { from: index * size, to: Math.min(columns, (index + 1) * size) - 1 };
}

/// The chunks that hold the columns first…last, in order.
export function chunksCovering({ first, last }, columns, size = CHUNK_POSITIONS) {
  if (columns <= 0 || last < first) return [];
  const out = [];
  const end = chunkIndex(Math.min(last, columns - 1), size);
  for (let i = chunkIndex(Math.max(0, first), size); i <= end; i++) out.push(i);
  return out;
}

/// Empty cell rows for `layers` layers (a cell not fetched yet is undefined).
export function emptyCells(layers) {
  return Array.from({ length: layers }, () => []);
}

/// Writes a range answer ({from, cells: [layer][i]}) into whole-run rows `cells[layer][position]`.
export function placeChunk(cells, part) {
  part.cells.forEach((row, layer) => {
    const target = cells[layer] || (cells[layer] = []);
    row.forEach((cell, i) => { target[part.from + i] = cell; });
  });
  return cells;
}

/// What has been asked for and what has arrived, by chunk, for one grid of `columns` positions.
export function chunkTracker(columns, size = CHUNK_POSITIONS, maxInFlight = MAX_IN_FLIGHT) {
  const count = Math.ceil(columns / size);
  const loaded = new Set();
  const inFlight = new Set();
  return {
    /// The chunks to ask for now for a rendered window: those it needs that are neither loaded nor on their way,
    /// nearest first, no more than the requests left; they count as on their way from here.
    take(window) {
      const wanted = chunksCovering(window, columns, size).filter((i) => !loaded.has(i) && !inFlight.has(i));
      const picked = wanted.slice(0, Math.max(0, maxInFlight - inFlight.size));
      for (const i of picked) inFlight.add(i);
      return picked;
    },
    /// A chunk arrived.
    done(index) {
      inFlight.delete(index);
      loaded.add(index);
    },
    /// A chunk failed: it may be asked for again.
    failed(index) {
      inFlight.delete(index);
    },
    /// Whether the position's chunk is still to come (asked for, or not yet).
    pending(position) {
      return !loaded.has(chunkIndex(position, size));
    },
    get complete() { return loaded.size === count; },
    get inFlight() { return inFlight.size; },
  };
}
