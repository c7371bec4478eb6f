// The header's part of the login (every page of index.html): before a page is drawn, whether the server asks for a
// token this browser has not given (then the page goes to the login page at once, rather than drawing itself from
// 401s), and the Sign out button, shown only when the server asks for tokens and this browser is signed in.
import { api } from '../core/api.js';
import { byId } from '../core/dom.js';
import { LOGIN_PATH } from '../core/login-address.js';
import { redirectToLogin } from '../core/login-redirect.js';

/// GET /api/session: true when the page has gone to the login page (draw nothing), else false (and the header's
/// Sign out button is set up). A server that cannot answer leaves the page to its own requests' errors.
export async function checkSession() {
  let session;
  try {
    session = await api.session();
  } catch (_) {
    return false;
  }
  if (session.tokens_required && !session.signed_in && redirectToLogin()) return true;
  showSignOut(session.tokens_required && session.signed_in);
  return false;
}

function showSignOut(shown) {
  const button = byId('sign-out');
  if (!button) return;
  button.hidden = !shown;
  if (!shown) return;
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await api.signOut();
    } catch (_) {
      // the cookie may stay; the login page says whether this browser is still signed in
    }
    location.assign(LOGIN_PATH);
  });
}
