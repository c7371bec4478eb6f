// The header's status line (#run-status), shared by every page: a text and a state (idle, running, done, error).
import { byId } from '../core/dom.js';

export function setStatus(text, kind = 'idle') {
  const status = byId('run-status');
  status.textContent = text;
  status.dataset.state = kind;
}
