// The token strip: the prompt's tokens as chips; a click (or Enter) on one chooses it, the chosen one is marked.
import { el } from '../core/dom.js';

export function createTokenStrip(container, onChoose) {
  return {
    /// tokens: [{display, id}]; start: the chosen index or 'all'.
    render(tokens, start) {
      container.replaceChildren(...tokens.map((token, i) => {
        const span = el('span', 'token' + (start === i ? ' start' : ''), { 'data-index': i, title: `position ${i}, id ${token.id}` },
          token.display);
        span.tabIndex = 0;
        span.addEventListener('click', () => onChoose(i));
        span.addEventListener('keydown', (event) => { if (event.key === 'Enter') onChoose(i); });
        return span;
      }));
    },
    mark(start) {
      for (const span of container.children) span.classList.toggle('start', Number(span.dataset.index) === start);
    },
  };
}
