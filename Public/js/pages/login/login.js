// The login page (/login, login.html): the access token in a password field, sent once as POST /api/session
// {"token"}; the server answers with an HttpOnly session cookie, and the page goes on to `next` (a path on this
// server, core/login-address.js) or /. A token the server does not accept (401) is said in the page, the field
// marked and focused again; a server that asks for no token, or a browser signed in already, goes on at once.
import { APIError, api } from '../../core/api.js';
import { byId, el } from '../../core/dom.js';
import { nextParameter, safeNextPath } from '../../core/login-address.js';

const NOT_ACCEPTED = 'That token is not accepted';

function goOn() {
  location.replace(safeNextPath(nextParameter(location.search)));
}

/// The page's message for a failed sign-in: a refused token (the field is marked), or what else the server or the
/// network said (a 429 names its wait).
function failureMessage(error) {
  const detail = error?.message || String(error);
  if (error instanceof APIError && error.status === 401) return { title: `${NOT_ACCEPTED}.`, detail, invalid: true };
  if (error instanceof APIError && error.status === 429) return { title: 'Too many attempts.', detail };
  return { title: 'Could not sign in.', detail };
}

function loginForm() {
  const form = byId('login-form');
  const field = byId('login-token');
  const submit = byId('login-submit');
  const error = byId('login-error');
  const status = byId('login-status');
  return {
    form, field,
    busy(text) {
      submit.disabled = Boolean(text);
      status.textContent = text || '';
    },
    fail({ title, detail, invalid = false }) {
      error.replaceChildren(el('strong', 'login-error-title', null, title),
        ...(detail ? [el('span', 'login-error-detail', null, detail)] : []));
      if (invalid) field.setAttribute('aria-invalid', 'true'); else field.removeAttribute('aria-invalid');
      field.focus();
      field.select();
    },
    clear() {
      error.replaceChildren();
      field.removeAttribute('aria-invalid');
    },
  };
}

async function signIn(view) {
  const token = view.field.value.trim();
  if (!token) {
    view.fail({ title: 'Enter the access token.', invalid: true });
    return;
  }
  view.clear();
  view.busy('Signing in…');
  try {
    await api.signIn(token);
    view.busy('Signed in');
    goOn();
  } catch (error) {
    view.busy('');
    view.fail(failureMessage(error));
  }
}

async function start() {
  const view = loginForm();
  view.form.addEventListener('submit', (event) => {
    event.preventDefault();
    signIn(view);
  });
  view.field.focus();
  try {
    const session = await api.session();
    if (!session.tokens_required || session.signed_in) goOn();
  } catch (error) {
    view.fail({ title: 'The server did not answer.', detail: error?.message || String(error) });
  }
}

start();
