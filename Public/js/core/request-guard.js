// Stale-response guards: a response is used only while its request is still the latest. Pure: no DOM.

/// Hands out request tickets; a response whose ticket is no longer the latest is dropped.
export function requestGuard() {
  let latest = 0;
  return {
    next() {
      const ticket = ++latest;
      return () => ticket === latest;
    },
    cancel() { latest += 1; },
  };
}

/// Data loaded for a key (run, parameters) and kept until the key changes. load(key, label, fetch) answers the
/// kept data for the same key, else fetches it with `busy` (a spinner: start(label)/stop()) showing; it answers
/// null when a later load or cancel() made this one stale.
export function keyedLoader(busy) {
  const guard = requestGuard();
  let key = null;
  let data = null;
  return {
    async load(wanted, label, fetch) {
      if (key === wanted) return data;
      const current = guard.next();
      busy.start(label);
      try {
        const answer = await fetch();
        if (!current()) return null;
        data = answer;
        key = wanted;
        return data;
      } finally {
        if (current()) busy.stop();
      }
    },
    get data() { return data; },
    cancel() { guard.cancel(); },
  };
}
