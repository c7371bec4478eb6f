// An error box next to a form: the message, the parameter it names and the status of the server's
// {"error": {code, message, details: {parameter}}}; fields(parameter, message) gives the inputs to mark aria-invalid.
import { el } from '../core/dom.js';

export function errorBox(box, fields = () => []) {
  let marked = [];
  const unmark = () => {
    for (const field of marked) field.removeAttribute('aria-invalid');
    marked = [];
  };
  return {
    show(error) {
      unmark();
      const parameter = error?.details?.parameter;
      const lines = [el('strong', 'error-title', null, error?.status ? `${error.status} ${error.code || 'error'}` : 'Error')];
      lines.push(el('span', 'error-message', null, error?.message || String(error)));
      if (parameter) lines.push(el('span', 'error-parameter small', { 'data-parameter': parameter }, `parameter: ${parameter}`));
      if (error?.retryAfter) lines.push(el('span', 'small', null, `the server asks to retry in ${error.retryAfter} s`));
      box.replaceChildren(...lines);
      box.dataset.status = error?.status ? String(error.status) : '';
      box.dataset.code = error?.code || '';
      box.hidden = false;
      box.scrollIntoView?.({ block: 'nearest' });
      if (parameter) {
        marked = fields(parameter.split('.')[0], error.message || '').filter(Boolean);
        for (const field of marked) field.setAttribute('aria-invalid', 'true');
      }
    },
    clear() {
      unmark();
      box.hidden = true;
      box.replaceChildren();
      delete box.dataset.status;
      delete box.dataset.code;
    },
  };
}
