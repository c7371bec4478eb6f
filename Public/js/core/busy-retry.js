// Asking the server again while it is busy: a request answered 503 is sent again after its Retry-After (1 to 5 s),
// a few times, while the caller still wants the answer. No DOM: sleep(ms) → a promise is given (a fake in tests).

export const BUSY_RETRIES = 5;

/// The answer of ask(), asked again after Retry-After while the server answers 503 (at most `retries` more times,
/// and only while isCurrent()); any other error, or the last 503, is thrown.
export async function whileBusy(ask, isCurrent, sleep, retries = BUSY_RETRIES) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await ask();
    } catch (error) {
      if (error?.status !== 503 || attempt >= retries || !isCurrent()) throw error;
      await sleep(1000 * Math.min(5, Math.max(1, Number(error.retryAfter) || 1)));
    }
  }
}
