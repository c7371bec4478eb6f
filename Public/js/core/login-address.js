// The login page's `next` parameter, both ways (pure: no DOM, unit-tested in Tests/Web/login-address.test.mjs):
// loginAddress() is where a page sends the browser when the server answers 401; safeNextPath() is where the login
// page goes after signing in: the `next` it was given only if that is a path on this server, else '/', so that a
// link to /login?next=https://elsewhere cannot send a signed-in user to another site.

export const LOGIN_PATH = '/login';

/// `/login?next=<path and query>` for a page at `path` (location.pathname) with `query` (location.search).
export function loginAddress(path, query = '') {
  return `${LOGIN_PATH}?next=${encodeURIComponent(`${path || '/'}${query || ''}`)}`;
}

/// `next` if it is a same-origin path (starts with one `/`, not `//` or `/\`, no control characters, no scheme),
/// else '/'. The login page itself is not a place to go on to (it would only forward again).
export function safeNextPath(next) {
  if (typeof next !== 'string' || !next.startsWith('/')) return '/';
  if (next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return '/'; // browsers drop tabs and newlines: "/\t/evil" is "//evil"
  if (isLoginPath(next)) return '/';
  return next;
}

/// Whether a path (with or without a query) is the login page.
export function isLoginPath(path) {
  return path === LOGIN_PATH || path.startsWith(`${LOGIN_PATH}?`) || path.startsWith(`${LOGIN_PATH}#`)
    || path === '/login.html' || path.startsWith('/login.html?');
}

/// The `next` parameter of a query string (location.search), or null.
export function nextParameter(query) {
  return new URLSearchParams(query || '').get('next');
}
