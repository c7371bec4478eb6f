// The runs this browser has shown (localStorage, newest first, at most HISTORY_LIMIT): what the graph diff offers
// to compare a run with. A run's entry is its summary's id, model, prompt, token and layer counts. The list
// functions are pure; loadHistory and rememberRun read and write the storage (nothing when it is off).

export const HISTORY_KEY = 'glassbox.runHistory';
export const HISTORY_LIMIT = 40;

/// The entry of a run summary (GET /api/runs/{id}, POST /api/runs).
export function historyEntry(run, at = Date.now()) {
  return { id: run.id, model: run.model?.name ?? String(run.model), prompt: run.prompt ?? '', tokens: run.tokens.length,
    layers: run.model?.layers ?? null, at };
}

const valid = (e) => e && typeof e.id === 'string' && /^[0-9a-f]{64}$/.test(e.id) && Number.isInteger(e.tokens)
  && typeof e.model === 'string';

/// The entries of a stored text (anything unreadable or malformed is left out).
export function parseHistory(text) {
  try {
    const list = JSON.parse(text || '[]');
    return Array.isArray(list) ? list.filter(valid) : [];
  } catch (_) {
    return [];
  }
}

/// The list with `entry` first (an older entry of the same run dropped), at most `limit` long. A new array.
export function addToHistory(list, entry, limit = HISTORY_LIMIT) {
  return [entry, ...list.filter((e) => e.id !== entry.id)].slice(0, limit);
}

/// Why `entry` cannot be diffed with `current` (an entry too), or null when it can: a graph diff needs the same
/// number of tokens and layers (the node set).
export function diffBlocker(entry, current) {
  if (entry.id === current.id) return 'this run';
  const problems = [];
  if (entry.tokens !== current.tokens) problems.push(`${entry.tokens} tokens, not ${current.tokens}`);
  if (entry.layers !== null && current.layers !== null && entry.layers !== current.layers) {
    problems.push(`${entry.layers} layers, not ${current.layers}`);
  }
  return problems.length ? problems.join('; ') : null;
}

/// Every other run of the history with whether it can be diffed with `current`: [{entry, blocker}] (null: it can),
/// the ones that can first, newest first within each.
export function diffCandidates(list, current) {
  const rows = list.filter((e) => e.id !== current.id).map((entry) => ({ entry, blocker: diffBlocker(entry, current) }));
  return [...rows.filter((r) => !r.blocker), ...rows.filter((r) => r.blocker)];
}

function storage() {
  try { return globalThis.localStorage ?? null; } catch (_) { return null; }
}

export function loadHistory() {
  return parseHistory(storage()?.getItem(HISTORY_KEY));
}

/// Puts a run summary first in the stored history; answers its entry.
export function rememberRun(run) {
  const entry = historyEntry(run);
  try { storage()?.setItem(HISTORY_KEY, JSON.stringify(addToHistory(loadHistory(), entry))); } catch (_) { /* full or off */ }
  return entry;
}
