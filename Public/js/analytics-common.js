// Shared pieces of the analytics views (metrics.js, rollout.js, flow.js, anomalies.js, ablation.js): DOM and number
// helpers, the pattern-class and cluster colours, the diverging scale, a request guard against stale responses.
// Plain ES module, no dependencies.

/// An element with a class, attributes and text.
export function h(tag, className, attrs, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (attrs) for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) e.setAttribute(k, String(v));
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

/// A toolbar button.
export function button(label, attrs = {}, className = '') {
  return h('button', className || null, { type: 'button', ...attrs }, label);
}

export const DASH = '–';

/// The per-head attention metrics of GET /api/runs/{id}/metrics (and POST /api/compare): key in the response, short
/// header, what it means.
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


export function isNum(v) {
  return typeof v === 'number' && Number.isFinite(v);
}

/// A number with a fixed count of decimals, or "–" for null/NaN (one-token runs have no metrics).
export function fmt(v, digits = 3) {
  if (!isNum(v)) return DASH;
  const text = v.toFixed(digits);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text.replace('-', '−');
}

export function pct(v, digits = 1) {
  return isNum(v) ? `${(v * 100).toFixed(digits)}%` : DASH;
}

/// A token's display string in quotes (the display strings already show whitespace as the token strip does).
export function quoted(display) {
  return `"${display ?? ''}"`;
}

// ---------------------------------------------------------------------------------------------------------------
// Colours

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

/// A pattern-class badge.
export function classBadge(name) {
  const info = classInfo(name);
  const badge = h('span', 'badge', { 'data-class': info.name, title: info.hint || null }, info.name);
  badge.style.background = info.bg;
  badge.style.color = info.fg;
  return badge;
}

/// Twelve light categorical colours (ColorBrewer Set3) for cluster ids.
export const CLUSTER_COLORS = ['#8dd3c7', '#ffffb3', '#bebada', '#fb8072', '#80b1d3', '#fdb462',
                               '#b3de69', '#fccde5', '#d9d9d9', '#bc80bd', '#ccebc5', '#ffed6f'];

export function clusterColor(id) {
  return isNum(id) ? CLUSTER_COLORS[id % CLUSTER_COLORS.length] : '#f4f6f8';
}

const RDBU = ['#b2182b', '#d6604d', '#f4a582', '#fddbc7', '#f7f7f7', '#d1e5f0', '#92c5de', '#4393c3', '#2166ac'];

function rgb(hex) {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/// Diverging red – white – blue for t in [-1, 1] (ColorBrewer RdBu): negative red, positive blue.
export function diverging(t) {
  const x = Math.max(-1, Math.min(1, isNum(t) ? t : 0));
  const pos = (x + 1) / 2 * (RDBU.length - 1);
  const i = Math.min(Math.floor(pos), RDBU.length - 2);
  const f = pos - i;
  const a = rgb(RDBU[i]), b = rgb(RDBU[i + 1]);
  const c = a.map((v, k) => Math.round(v + (b[k] - v) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/// Dark text on light cells, white on dark ones.
export function divergingText(t) {
  return Math.abs(isNum(t) ? t : 0) > 0.6 ? '#ffffff' : '#1b1b1b';
}

/// A CSS gradient of the diverging scale (legends).
export function divergingGradient() {
  return `linear-gradient(to right, ${RDBU.join(', ')})`;
}

// ---------------------------------------------------------------------------------------------------------------
// Requests

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

/// A spinner with a live elapsed-time label: start(text) shows it, stop() hides it.
export function spinner(container) {
  const box = h('span', 'busy', { role: 'status', 'aria-live': 'polite', hidden: '' });
  const wheel = h('span', 'spinner', { 'aria-hidden': 'true' });
  const label = h('span', 'busy-label');
  box.append(wheel, label);
  container.appendChild(box);
  let timer = null;
  return {
    start(text) {
      const started = performance.now();
      box.hidden = false;
      label.textContent = `${text}…`;
      clearInterval(timer);
      timer = setInterval(() => { label.textContent = `${text}… ${((performance.now() - started) / 1000).toFixed(1)} s`; }, 100);
    },
    stop() {
      clearInterval(timer);
      timer = null;
      box.hidden = true;
    },
    get element() { return box; },
  };
}

/// Arrow-key navigation with a roving tabindex over `selector` items of a list (Up/Down, Home/End); Enter or space
/// calls activate(item).
export function rovingList(container, selector, activate) {
  container.addEventListener('keydown', (event) => {
    const item = event.target.closest?.(selector);
    if (!item || !container.contains(item)) return;
    const items = [...container.querySelectorAll(selector)];
    const index = items.indexOf(item);
    let next = null;
    if (event.key === 'ArrowDown') next = items[Math.min(items.length - 1, index + 1)];
    else if (event.key === 'ArrowUp') next = items[Math.max(0, index - 1)];
    else if (event.key === 'Home') next = items[0];
    else if (event.key === 'End') next = items[items.length - 1];
    else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      activate(item);
      return;
    } else return;
    event.preventDefault();
    if (next && next !== item) {
      item.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
    }
  });
}
