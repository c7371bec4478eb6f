// What the API measures per head: the attention metrics (GET /api/runs/{id}/metrics, POST /api/compare) and the
// pattern classes with their colours. Pure: no DOM.

/// Key in the response, short header, what it means.
export const METRICS = [
  { key: 'entropy', label: 'entropy', title: 'mean attention entropy of a row (nats)' },
  { key: 'normalized_entropy', label: 'norm. entropy', title: 'entropy / log(keys): 0 focused, 1 uniform' },
  { key: 'sparsity', label: 'sparsity', title: 'share of keys with weight below ε' },
  { key: 'locality', label: 'locality', title: 'attention-weighted closeness of the keys to the query' },
  { key: 'focus', label: 'focus', title: 'mean largest weight of a row' },
  { key: 'first_token', label: 'first token', title: 'mean weight on the first token (sink)' },
  { key: 'previous_token', label: 'previous token', title: 'mean weight on the token before the query' },
  { key: 'self', label: 'self', title: 'mean weight of a query on itself' },
  { key: 'diagonal', label: 'diagonal', title: 'mean weight within the diagonal band' },
  { key: 'uniformity', label: 'uniformity', title: '1 − total variation distance to uniform' },
  { key: 'vertical', label: 'vertical', title: 'largest mean weight any one key gets' },
];

/// Pattern classes in the server's order of tests, each with a light background and a dark text colour.
export const CLASSES = [
  { name: 'sink', bg: '#fdd9b5', fg: '#7a3b00', hint: 'most attention goes to the first token' },
  { name: 'previous-token', bg: '#cfe3f7', fg: '#12416f', hint: 'attends to the token just before' },
  { name: 'diagonal', bg: '#d3ecc6', fg: '#24561a', hint: 'attends to itself and its close neighbours' },
  { name: 'vertical', bg: '#e4d5f2', fg: '#4d2477', hint: 'every query looks at the same key' },
  { name: 'uniform', bg: '#fbefb0', fg: '#6a5500', hint: 'spreads attention evenly' },
  { name: 'sparse', bg: '#f9ccd6', fg: '#7d1630', hint: 'most keys get almost nothing' },
  { name: 'mixed', bg: '#e6eaee', fg: '#3e4852', hint: 'none of the above' },
];

export function classInfo(name) {
  return CLASSES.find((c) => c.name === name) || { name: String(name), bg: '#eeeeee', fg: '#333333', hint: '' };
}
