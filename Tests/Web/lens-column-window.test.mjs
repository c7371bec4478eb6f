// The logit-lens grid's column virtualisation (Public/js/views/lens/column-window.js): which positions a long grid
// renders for a scroll position, the spacers for the rest, and the scroll that shows a column. Columns 72 px after a
// 116 px layer column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VIRTUAL_MIN_COLUMNS, columnWindow, covers, isVirtual, scrollToColumn, spacerWidths }
  from '../../Public/js/views/lens/column-window.js';

test('virtual from VIRTUAL_MIN_COLUMNS + 1 positions on', () => {
  assert.equal(VIRTUAL_MIN_COLUMNS, 200);
  assert.equal(isVirtual(9), false);
  assert.equal(isVirtual(200), false);
  assert.equal(isVirtual(201), true);
  assert.equal(isVirtual(2048), true);
});

test('the columns in sight, with and without overscan', () => {
  assert.deepEqual(columnWindow(0, 1000, 1597), { first: 0, last: 12 }, '884 px of columns: 0…12');
  assert.deepEqual(columnWindow(0, 1000, 1597, 14), { first: 0, last: 26 });
  assert.deepEqual(columnWindow(7200, 1000, 1597), { first: 98, last: 112 });
  assert.deepEqual(columnWindow(7200, 1000, 1597, 14), { first: 84, last: 126 });
  assert.deepEqual(columnWindow(114100, 1000, 1597, 14), { first: 1569, last: 1596 }, 'scrolled to the end');
  assert.deepEqual(columnWindow(0, 1000, 5), { first: 0, last: 4 });
  assert.deepEqual(columnWindow(0, 1000, 0), { first: 0, last: -1 });
});

test('a rendered window covers what is in sight, or renders again', () => {
  assert.equal(covers({ first: 0, last: 26 }, { first: 0, last: 12 }), true);
  assert.equal(covers({ first: 84, last: 126 }, { first: 80, last: 90 }), false);
  assert.equal(covers({ first: 84, last: 126 }, { first: 100, last: 127 }), false);
  assert.equal(covers(null, { first: 0, last: 1 }), false);
});

test('spacers and the scroll to a column', () => {
  assert.deepEqual(spacerWidths({ first: 84, last: 126 }, 1597), { left: 6048, right: 105840 });
  assert.deepEqual(spacerWidths({ first: 0, last: 1596 }, 1597), { left: 0, right: 0 });
  assert.equal(scrollToColumn(100, 1000), 116 + 100.5 * 72 - 500);
  assert.equal(scrollToColumn(0, 1000), 0);
});
