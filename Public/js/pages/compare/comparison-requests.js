// What the Compare page's modes share: their comparisons asked of POST /api/compare, once per body (the answers
// kept, so Back and Forward need not ask again), again after Retry-After while the server is busy, with the form's
// button disabled, a spinner and the header's status; an error goes to the form's error box and marks the results
// shown stale.
import { api } from '../../core/api.js';
import { whileBusy } from '../../core/busy-retry.js';
import { requestGuard } from '../../core/request-guard.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class ComparisonRequests {
  /// parts: {host: {setStatus}, submit (the form's button), busy (a spinner), error (an error box), results (the
  /// results' element), label (the spinner's text)}.
  constructor(parts) {
    Object.assign(this, parts);
    this.cache = new Map(); // body JSON → response
    this.guard = requestGuard();
    this.key = null; // the body JSON the results shown answer
  }

  /// The response to body, or null (an error shown, or a later request made this one stale).
  async ask(body) {
    const key = JSON.stringify(body);
    this.error.clear();
    const current = this.guard.next();
    let data = this.cache.get(key);
    if (data) this.host.setStatus('', 'done');
    else {
      data = await this.fetch(body, key, current);
      if (!data) return null;
    }
    this.key = key;
    this.results.classList.remove('stale');
    return data;
  }

  async fetch(body, key, current) {
    this.submit.disabled = true;
    this.busy.start(this.label);
    this.host.setStatus('comparing…', 'running');
    const started = performance.now();
    try {
      const data = await whileBusy(() => api.compare(body), current, sleep);
      if (!current()) return null;
      this.cache.set(key, data);
      this.host.setStatus(`compared in ${((performance.now() - started) / 1000).toFixed(2)} s`, 'done');
      return data;
    } catch (error) {
      if (!current()) return null;
      this.error.show(error);
      this.host.setStatus('error', 'error');
      this.results.classList.add('stale');
      return null;
    } finally {
      if (current()) {
        this.busy.stop();
        this.submit.disabled = false;
      }
    }
  }

  /// The results marked stale while the form's body differs from the one they answer.
  markStale(body) {
    if (this.key !== null) this.results.classList.toggle('stale', JSON.stringify(body) !== this.key);
  }

  /// Nothing asked any more, nothing shown.
  cancel() {
    this.guard.cancel();
    this.key = null;
    this.error.clear();
  }
}
