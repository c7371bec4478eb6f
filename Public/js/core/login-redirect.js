// The page's answer to a 401 from the API (no token, a wrong one, or a session that ended): it goes to the login
// page with its own path and query as `next`, once however many requests fail together, and never from the login
// page itself (whose sign-in answers 401 for a wrong token).
import { isLoginPath, loginAddress } from './login-address.js';

let redirecting = false;

/// Replaces the page with /login?next=<this page>; false when it does not (already going, or on the login page).
export function redirectToLogin() {
  if (redirecting || typeof location === 'undefined' || isLoginPath(location.pathname)) return false;
  redirecting = true;
  location.replace(loginAddress(location.pathname, location.search));
  return true;
}
