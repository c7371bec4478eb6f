// What the job pages share (the Reports page, the Compare page's Checkpoints mode): polling a server job until it
// ends, and the form a job was started from, kept in sessionStorage under its id so that a reload of the job's
// permalink shows it again. No DOM beyond sessionStorage; sleep(ms) may be given (a fake in tests).

export const POLL_MS = 500;
export const LOST_RETRY_MS = 2000;
export const LOST_RETRIES = 20;

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/// Polls get() (→ a promise of the job) every pollMs until the job's status is final or isCurrent() turns false
/// (a later poll, a cancel or another job took over). onJob(job) after every answer; a 404 goes to onMissing(error)
/// and ends the polling; another failure (a lost server) to onLost(error, failures), then it is asked again after
/// lostRetryMs, at most `retries` times in a row.
export async function pollJob({ get, isCurrent, onJob, onMissing, onLost, final, sleep = wait, pollMs = POLL_MS,
  lostRetryMs = LOST_RETRY_MS, retries = LOST_RETRIES }) {
  let failures = 0;
  for (;;) {
    let job;
    try {
      job = await get();
      failures = 0;
    } catch (error) {
      if (!isCurrent()) return;
      if (error?.status === 404) return onMissing(error);
      failures += 1;
      onLost(error, failures);
      if (failures >= retries) return;
      await sleep(lostRetryMs);
      if (!isCurrent()) return;
      continue;
    }
    if (!isCurrent()) return;
    onJob(job);
    if (final.has(job.status)) return;
    await sleep(pollMs);
    if (!isCurrent()) return;
  }
}

/// The form of the jobs of one kind, kept per job id in sessionStorage (`glassbox.<kind>.<id>`).
export function jobMemory(kind) {
  const key = (id) => `glassbox.${kind}.${id}`;
  return {
    remember(id, form) {
      try { sessionStorage.setItem(key(id), JSON.stringify(form)); } catch (_) { /* storage off: the URL still works */ }
    },
    recall(id) {
      try { return JSON.parse(sessionStorage.getItem(key(id)) || 'null'); } catch (_) { return null; }
    },
  };
}

/// A job page's polling (the Reports page, the Checkpoints mode): pollJob over get() for the job `id`, each answer
/// drawn by page.renderJob, a 404 by page.renderMissing, a lost server shown in page.progress and the header's
/// status; page.guard makes a later poll, a cancel or another job take over.
export function pollPageJob(page, id, get, final) {
  return pollJob({
    get, isCurrent: page.guard.next(), final,
    onJob: (job) => page.renderJob(job),
    onMissing: (error) => page.renderMissing(id, error),
    onLost: (error, failures) => {
      page.progress.showError(`${error.message} — retrying (${failures})`);
      page.host.setStatus('lost contact with the server', 'error');
    },
  });
}

/// A job page's Cancel: cancel(id) (→ a promise of the job) for page.jobId, then no poll may draw an older state;
/// a failure is shown in page.progress and Cancel is offered again while the job is live.
export async function cancelPageJob(page, cancel) {
  const id = page.jobId;
  if (!id) return;
  page.progress.cancelButton.disabled = true;
  try {
    const job = await cancel(id);
    page.guard.cancel();
    page.renderJob(job);
  } catch (error) {
    page.progress.showError(error.message);
    page.progress.cancelButton.disabled = !page.isActive();
  }
}
