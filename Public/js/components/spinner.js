// A busy indicator: a spinner with a live elapsed-time label; start(text) shows it, stop() hides it.
import { el } from '../core/dom.js';

export function spinner(container) {
  const box = el('span', 'busy', { role: 'status', 'aria-live': 'polite', hidden: '' });
  const wheel = el('span', 'spinner', { 'aria-hidden': 'true' });
  const label = el('span', 'busy-label');
  box.append(wheel, label);
  container.appendChild(box);
  let timer = null;
  return {
    start(text) {
      const started = performance.now();
      box.hidden = false;
      label.textContent = `${text}…`;
      clearInterval(timer);
      timer = setInterval(() => { label.textContent = `${text}… ${((performance.now() - started) / 1000).toFixed(1)} s`; }, 100);
    },
    stop() {
      clearInterval(timer);
      timer = null;
      box.hidden = true;
    },
    get element() { return box; },
  };
}
