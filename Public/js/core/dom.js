// DOM helpers of every module: one element factory for HTML and one for SVG, listener groups, frame scheduling.
// Nothing here runs at import time, so that the pure modules that import it load without a DOM.

export const SVG_NS = 'http://www.w3.org/2000/svg';

function setAttributes(element, attrs) {
  if (!attrs) return;
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null) element.setAttribute(name, String(value));
  }
}

/// An HTML element with a class, attributes (null and undefined ones are left out) and text.
export function el(tag, className, attrs, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  setAttributes(element, attrs);
  if (text !== undefined && text !== null) element.textContent = String(text);
  return element;
}

/// An SVG element with attributes (null and undefined ones are left out) and text.
export function svgEl(tag, attrs, text) {
  const element = document.createElementNS(SVG_NS, tag);
  setAttributes(element, attrs);
  if (text !== undefined && text !== null) element.textContent = String(text);
  return element;
}

/// A toolbar button.
export function button(label, attrs = {}, className = '') {
  return el('button', className || null, { type: 'button', ...attrs }, label);
}

export function byId(id) {
  return document.getElementById(id);
}

/// Listeners added through one group and removed together by off().
export function listenerGroup() {
  const removers = [];
  return {
    on(target, type, handler, options) {
      target.addEventListener(type, handler, options);
      removers.push(() => target.removeEventListener(type, handler, options));
    },
    off() {
      while (removers.length) removers.pop()();
    },
  };
}

/// Runs `work` at most once per animation frame: schedule() asks for a frame, cancel() drops the pending one.
export function frameScheduler(work) {
  let id = 0;
  return {
    schedule() {
      if (!id) id = requestAnimationFrame(() => { id = 0; work(); });
    },
    cancel() {
      if (id) cancelAnimationFrame(id);
      id = 0;
    },
  };
}

/// The point of a pointer event relative to an element's box: [x, y] in CSS px.
export function localPoint(element, event) {
  const box = element.getBoundingClientRect();
  return [event.clientX - box.left, event.clientY - box.top];
}

/// The rows of an HTML table (header and body): arrays of the cells' trimmed texts.
export function tableRows(table) {
  return [...table.querySelectorAll('tr')].map((tr) => [...tr.children].map((cell) => cell.textContent.trim()));
}
