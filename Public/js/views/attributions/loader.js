// Fetching one method's attributions: a plain GET /api/runs/{id}/attributions (retried while the server is busy),
// or, for a long run, a progress job (POST /api/runs/{id}/attributions/jobs with the same query → 202 {id, status,
// progress: {done, total} (or done and total at the top), error, result}, polled at GET /api/attribution-jobs/{job},
// cancelled with DELETE). A server without the job routes (404 not_found, 405) gets the plain GET, and is not asked
// for jobs again.
// No DOM: the client's api and sleep are given (core/api.js and a timer in the page, fakes in the tests).

import { whileBusy } from '../../core/busy-retry.js';

export const POLL_MS = 400;
const LOST_RETRIES = 10;

/// A job's final statuses.
export const FINAL = new Set(['done', 'failed', 'cancelled']);

/// A job's passes: {done, total}, from its progress object (or its top-level fields).
export function jobCounts(job) {
  const source = job?.progress && typeof job.progress === 'object' ? job.progress : job || {};
  const done = Number(source.done), total = Number(source.total);
  return { done: Number.isFinite(done) ? done : 0, total: Number.isFinite(total) ? total : 0 };
}

/// Whether an error of POST …/attributions/jobs means that the server has no job routes (yet).
export function jobRouteMissing(error) {
  return error?.status === 405 || (error?.status === 404 && error?.code === 'not_found')
    || (error?.status === 400 && error?.details?.parameter === 'method');
}

/// api: {attributions(id, query), createAttributionJob(id, query), attributionJob(job), cancelAttributionJob(job)};
/// sleep(ms) → a promise.
export function createLoader(api, sleep) {
  const client = { jobs: null }; // null: not known yet; false: the server has no job routes

  /// A request (GET or the job's POST), again after Retry-After (at most 5 s) while the server answers 503 busy.
  const patiently = (ask, isCurrent) => whileBusy(ask, isCurrent, sleep);

  /// Polls a job until it ends or the load is no longer current: {status: done, data} | {status: cancelled|stale, job}.
  async function poll(job, { isCurrent, onJob, pollMs }) {
    let lost = 0;
    for (;;) {
      onJob?.(job);
      if (job.status === 'done') return { status: 'done', data: job.result, job };
      if (job.status === 'failed') throw Object.assign(new Error(`the attribution job failed: ${job.error || 'no reason given'}`), { job });
      if (job.status === 'cancelled') return { status: 'cancelled', job };
      if (!isCurrent()) return { status: 'stale', job };
      await sleep(pollMs);
      if (!isCurrent()) return { status: 'stale', job };
      try {
        job = await api.attributionJob(job.id);
        lost = 0;
      } catch (error) {
        if (error?.status === 404) {
          throw Object.assign(new Error(`the attribution job ${job.id} is gone (${error.message}); the server may have restarted`),
            { status: 404 });
        }
        if (++lost > LOST_RETRIES) throw error;
      }
    }
  }

  return {
    get jobsAvailable() { return client.jobs; },

    /// One method's result: {status: 'done', data} (or cancelled / stale for a job). useJob: run it as a job when
    /// the server has them; onJob(job) after every poll.
    async load(runId, query, { useJob = false, isCurrent = () => true, onJob, pollMs = POLL_MS } = {}) {
      if (useJob && client.jobs !== false) {
        let job = null;
        try {
          job = await patiently(() => api.createAttributionJob(runId, query), isCurrent);
          client.jobs = true;
        } catch (error) {
          if (!jobRouteMissing(error)) throw error;
          client.jobs = false;
        }
        if (job) return poll(job, { isCurrent, onJob, pollMs });
      }
      return { status: 'done', data: await patiently(() => api.attributions(runId, query), isCurrent) };
    },

    /// Cancels a job (DELETE): the job as the server answers it.
    cancel(jobId) {
      return api.cancelAttributionJob(jobId);
    },
  };
}
