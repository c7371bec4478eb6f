// The logit-lens grid of a long prompt fetched in chunks (Public/js/views/lens/lens-chunks.js): which chunks a
// rendered window needs, at most two requests at once, where a range answer's columns go, and when it is complete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHUNK_POSITIONS, MAX_IN_FLIGHT, chunkIndex, chunkRange, chunkTracker, chunksCovering, emptyCells, placeChunk }
  from '../../Public/js/views/lens/lens-chunks.js';

test('chunks of 64 positions, the last one short', () => {
  assert.equal(CHUNK_POSITIONS, 64);
  assert.equal(chunkIndex(0), 0);
  assert.equal(chunkIndex(63), 0);
  assert.equal(chunkIndex(64), 1);
  assert.deepEqual(chunkRange(0, 1597), { from: 0, to: 63 });
  assert.deepEqual(chunkRange(24, 1597), { from: 1536, to: 1596 }, '61 positions');
  assert.deepEqual(chunkRange(0, 10), { from: 0, to: 9 });
});

test('the chunks a window needs', () => {
  assert.deepEqual(chunksCovering({ first: 0, last: 26 }, 1597), [0]);
  assert.deepEqual(chunksCovering({ first: 50, last: 130 }, 1597), [0, 1, 2]);
  assert.deepEqual(chunksCovering({ first: 1569, last: 1596 }, 1597), [24]);
  assert.deepEqual(chunksCovering({ first: 1590, last: 1700 }, 1597), [24], 'clipped to the run');
  assert.deepEqual(chunksCovering({ first: 0, last: -1 }, 1597), []);
  assert.deepEqual(chunksCovering({ first: 0, last: 5 }, 0), []);
});

test('a tracker asks for each chunk once, two at a time, and again after a failure', () => {
  const t = chunkTracker(1597);
  assert.equal(MAX_IN_FLIGHT, 2);
  assert.deepEqual(t.take({ first: 50, last: 200 }), [0, 1], 'chunks 0…3 are needed, two may go');
  assert.deepEqual(t.take({ first: 50, last: 200 }), [], 'both requests are out');
  assert.equal(t.inFlight, 2);
  assert.equal(t.pending(10), true);
  t.done(0);
  assert.equal(t.pending(10), false);
  assert.equal(t.pending(64), true);
  assert.deepEqual(t.take({ first: 50, last: 200 }), [2]);
  t.failed(1);
  assert.deepEqual(t.take({ first: 50, last: 200 }), [1], 'a failed chunk is asked for again');
  assert.deepEqual(t.take({ first: 0, last: 10 }), [], 'loaded');
  assert.equal(t.complete, false);
  const small = chunkTracker(100);
  assert.deepEqual(small.take({ first: 0, last: 99 }), [0, 1]);
  small.done(1);
  small.done(0);
  assert.equal(small.complete, true);
});

test('a range answer lands in its columns of the whole-run rows', () => {
  const cells = emptyCells(2);
  assert.deepEqual(cells, [[], []]);
  placeChunk(cells, { from: 64, cells: [[{ id: 1 }, { id: 2 }], [{ id: 3 }, { id: 4 }]] });
  assert.equal(cells[0].length, 66);
  assert.equal(cells[0][63], undefined);
  assert.deepEqual([cells[0][64], cells[0][65], cells[1][64], cells[1][65]], [{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }]);
  placeChunk(cells, { from: 0, cells: [[{ id: 5 }], [{ id: 6 }]] });
  assert.deepEqual([cells[0][0], cells[1][0], cells[0][64]], [{ id: 5 }, { id: 6 }, { id: 1 }]);
});
