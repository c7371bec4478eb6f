// One pan and zoom for a drawing (the contribution graph's SVG, the heatmaps' canvas): a transform {k, x, y}, a
// surface point being (x, y) + k · the content point, changed by dragging, the wheel, a double-click and the keys
// (+ − zoom, 0 resets, arrows pan). The owner says what a gesture may start on, the limits, and draws on changes.
import { localPoint } from '../core/dom.js';

/// The transform zoomed by `factor` around the surface point (px, py), which stays where it is; k is kept within
/// [min, max]. Pure.
export function zoomAround(view, factor, px, py, min, max) {
  const k = Math.min(max, Math.max(min, view.k * factor));
  const f = k / view.k;
  return { k, x: px - (px - view.x) * f, y: py - (py - view.y) * f };
}

/// Wheel deltas in px (lines of 33 px, pages of 400 px).
function wheelDelta(event) {
  const unit = event.deltaMode === 1 ? 33 : event.deltaMode === 2 ? 400 : 1;
  return [event.deltaX * unit, event.deltaY * unit];
}

const KEY_ZOOM = { '+': 1.25, '=': 1.25, '-': 0.8, '_': 0.8 };
const KEY_PAN = { ArrowLeft: [1, 0], ArrowRight: [-1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };

/**
 * @param surface the element the pointer gestures happen on
 * @param o {
 *   keyTarget?: element for the keys (default: surface),
 *   ready(): whether there is something to pan and zoom,
 *   accepts(event, gesture): whether a 'press' | 'wheel' | 'dblclick' there is for the viewport,
 *   limits(): {min, max} of k;  constrain?(view): the view kept in bounds;
 *   onChange(view, cause, event): after every change (cause: drag | wheel | key | zoom | set);
 *   centre(): [x, y] of the keys' zoom;  panStep(): px of an arrow key;  reset(): the 0 key (and a reset double-click),
 *   slop?: px a press travels before it pans (4);  rate?, ctrlRate?: wheel zoom per px (0.0015; with Ctrl: pinch);
 *   sidewaysPans?: a mostly horizontal wheel pans;  doubleClick?: 'zoom' (×2, ×½ with Shift) | 'reset';
 *   onHover?(event), onLeave?(dragging), onDragStart?(), onDragEnd?(), onKey?(event) → handled
 * }
 */
export function createViewport(surface, o) {
  const slop = o.slop ?? 4, rate = o.rate ?? 0.0015, ctrlRate = o.ctrlRate ?? rate;
  const keyTarget = o.keyTarget || surface;
  let view = { k: 1, x: 0, y: 0 };
  let press = null; // {id, x, y, view, dragging}
  let dragClick = false; // the click that ends a drag is not a click

  function set(next, cause = 'set', event) {
    view = o.constrain ? o.constrain(next) : next;
    o.onChange(view, cause, event);
  }
  function zoomAt(factor, px, py, cause = 'zoom', event) {
    const { min, max } = o.limits();
    set(zoomAround(view, factor, px, py, min, max), cause, event);
  }
  function panBy(dx, dy, cause) {
    set({ ...view, x: view.x + dx, y: view.y + dy }, cause);
  }

  function onPointerDown(event) {
    if (event.button !== 0 || !o.accepts(event, 'press')) return;
    dragClick = false;
    press = { id: event.pointerId, x: event.clientX, y: event.clientY, view, dragging: false };
  }
  function onPointerMove(event) {
    if (press && event.pointerId === press.id) {
      const dx = event.clientX - press.x, dy = event.clientY - press.y;
      if (!press.dragging && dx * dx + dy * dy > slop * slop) {
        press.dragging = true;
        try { surface.setPointerCapture(event.pointerId); } catch (_) { /* ignore */ }
        o.onDragStart?.();
      }
      if (press.dragging) {
        set({ ...press.view, x: press.view.x + dx, y: press.view.y + dy }, 'drag', event);
        return;
      }
    }
    o.onHover?.(event);
  }
  function onPointerUp(event) {
    if (!press || event.pointerId !== press.id) return;
    if (press.dragging) {
      dragClick = true;
      try { surface.releasePointerCapture(event.pointerId); } catch (_) { /* ignore */ }
      o.onDragEnd?.();
    }
    press = null;
  }
  function onPointerLeave() {
    o.onLeave?.(Boolean(press?.dragging));
  }
  function onWheel(event) {
    if (!o.accepts(event, 'wheel')) return;
    event.preventDefault();
    const [dx, dy] = wheelDelta(event);
    if (o.sidewaysPans && !event.ctrlKey && Math.abs(dx) > Math.abs(dy)) { // trackpads, Shift+wheel
      panBy(-dx, 0, 'pan');
      return;
    }
    const [px, py] = localPoint(surface, event);
    zoomAt(Math.exp(-dy * (event.ctrlKey ? ctrlRate : rate)), px, py, 'wheel', event);
  }
  function onDoubleClick(event) {
    if (!o.accepts(event, 'dblclick')) return;
    if (o.doubleClick === 'reset') return o.reset();
    event.preventDefault();
    const [px, py] = localPoint(surface, event);
    zoomAt(event.shiftKey ? 0.5 : 2, px, py);
  }
  function onKey(event) {
    if (!o.ready() || event.altKey || event.metaKey || event.ctrlKey) return;
    const zoom = KEY_ZOOM[event.key], pan = KEY_PAN[event.key];
    if (zoom) zoomAt(zoom, ...o.centre(), 'key');
    else if (pan) panBy(pan[0] * o.panStep(), pan[1] * o.panStep(), 'key');
    else if (event.key === '0') o.reset();
    else if (!o.onKey?.(event)) return;
    event.preventDefault();
  }

  const listeners = [[surface, 'pointerdown', onPointerDown], [surface, 'pointermove', onPointerMove],
    [surface, 'pointerup', onPointerUp], [surface, 'pointercancel', onPointerUp], [surface, 'pointerleave', onPointerLeave],
    [surface, 'wheel', onWheel, { passive: false }], [surface, 'dblclick', onDoubleClick], [keyTarget, 'keydown', onKey]];
  for (const [target, type, handler, options] of listeners) target.addEventListener(type, handler, options);

  return {
    get view() { return view; },
    get dragging() { return Boolean(press?.dragging); },
    set,
    zoomAt,
    /// True once after a drag: the click event that ends it is not a click.
    takeDragClick() {
      const was = dragClick;
      dragClick = false;
      return was;
    },
    destroy() {
      for (const [target, type, handler, options] of listeners) target.removeEventListener(type, handler, options);
    },
  };
}
