// The evaluation job's life: POST /api/explanations answers 202 with a job {id, model, status, progress {done,
// total, stage}, error, html, explanation}; GET /api/explanations/{id} is polled until its status is final; DELETE
// cancels it. A 503 (busy) is asked again after its Retry-After; a lost poll is tried again a few times; a 404 means
// that the server no longer has the job.
// No DOM: the API (explanations-api.js, a fake in the tests) and sleep are given.

import { whileBusy } from '../../core/busy-retry.js';

export const POLL_MS = 400;
export const FINAL = new Set(['done', 'failed', 'cancelled']);
const LOST_RETRIES = 10;

/// api: {create(body), get(id), cancel(id)}; sleep(ms) → a promise.
export function createJobs(api, sleep) {
  /// A request, again after Retry-After (1–5 s) while the server answers 503 busy.
  const patiently = (ask, isCurrent) => whileBusy(ask, isCurrent, sleep);

  /// The job of an id, or null when the server does not know it (404).
  async function find(id) {
    try {
      return await api.get(id);
    } catch (error) {
      if (error?.status === 404) return null;
      throw error;
    }
  }

  return {
    /// Starts a job: the server's 202 answer.
    start(body, isCurrent = () => true) {
      return patiently(() => api.create(body), isCurrent);
    },

    find,

    /// Polls a job until it is final or the caller moves on: {status: 'final' | 'stale', job}; onJob(job) with the
    /// given job and after every answer. A job the server forgets meanwhile throws an error with status 404.
    async follow(job, { isCurrent = () => true, onJob, pollMs = POLL_MS } = {}) {
      let lost = 0;
      onJob?.(job);
      for (;;) {
        if (FINAL.has(job.status)) return { status: 'final', job };
        if (!isCurrent()) return { status: 'stale', job };
        await sleep(pollMs);
        if (!isCurrent()) return { status: 'stale', job };
        try {
          const next = await find(job.id);
          if (!next) {
            throw Object.assign(new Error(`the evaluation job ${job.id} is gone; the server may have restarted`),
              { status: 404, code: 'explanation_not_found' });
          }
          job = next;
          lost = 0;
        } catch (error) {
          if (error?.status === 404 || ++lost > LOST_RETRIES) throw error;
          continue;
        }
        onJob?.(job);
      }
    },

    /// Cancels a job (DELETE): the job as the server answers it.
    cancel(id) {
      return api.cancel(id);
    },
  };
}
