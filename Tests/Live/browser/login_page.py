"""Browser steps of the login page, /login (Tests/Live/browser_tests.py runs them): the server under test asks for an
access token. First: / goes to /login?next=%2F before drawing anything; a wrong token shows the server's refusal in
the page and stays there with the field focused; the right token (Enter in the field) sets the HttpOnly, SameSite
session cookie and lands on the run page with Sign out in the header. Last: a session that ends on the server while
a run page is open sends the page's next API call (Run) to /login?next=<that page>, and signing in again returns
there; Sign out goes to /login, drops the cookie, and an API fetch from the page is then 401.
"""

from __future__ import annotations

import json
import urllib.parse

from .harness import Session, require, short, wait_until

COOKIE = "glassbox_session"


class LoginPage(Session):
    """The login page's steps; the session cookie the browser holds is read through the context."""

    def __init__(self, page, api, base: str):
        super().__init__(page, api, base)
        self.resumed_address = None  # the run page the session ended on (path and query)

    # --- helpers

    def address(self) -> str:
        """The page's path and query, from the page itself (page.url can lag)."""
        return self.page.evaluate("location.pathname + location.search")

    def session_cookie(self) -> dict | None:
        return next((c for c in self.page.context.cookies(self.base) if c["name"] == COOKIE and c["value"]), None)

    @staticmethod
    def cookie_header(cookie: dict) -> dict:
        """The session cookie as a request header, without the bearer token (what the browser would send)."""
        return {"Cookie": f"{COOKIE}={cookie['value']}"}

    def page_fetch(self, path: str) -> dict:
        """A fetch from the page (its cookies): {status, body}."""
        return self.page.evaluate("""async (path) => {
            const response = await fetch(path);
            return { status: response.status, body: await response.text() };
        }""", path)

    def wait_login(self, next_path: str | None) -> str:
        """Waits for the login form at /login (with `next` = next_path, or none); its address."""
        self.page.wait_for_url(lambda url: urllib.parse.urlsplit(url).path == "/login", timeout=15000)
        self.page.wait_for_selector("#login-form", timeout=15000)
        address = self.address()
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(address).query))
        require(query.get("next") == next_path, f"the login page is at {address}, expected next={next_path!r}")
        return address

    def submit_token(self, token: str, by_enter: bool = False):
        self.page.fill("#login-token", token)
        if by_enter:
            self.page.press("#login-token", "Enter")
        else:
            self.page.click("#login-submit")

    def signed_in_at(self, address: str):
        """After a sign-in: the page is at `address` and the browser holds the session cookie."""
        self.page.wait_for_url(lambda url: url.startswith(self.base) and url[len(self.base):] == address,
                               timeout=15000)
        cookie = self.session_cookie()
        require(cookie is not None, f"no {COOKIE} cookie after signing in: {self.page.context.cookies(self.base)}")
        require(cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/",
                f"the session cookie is {cookie} (expected HttpOnly, SameSite=Strict, Path=/)")
        session = json.loads(self.page_fetch("/api/session")["body"])
        require(session == {"tokens_required": True, "signed_in": True}, f"GET /api/session from the page: {session}")

    # --- steps

    def login_redirect(self):
        response = self.page.goto(self.base + "/", wait_until="load", timeout=30000)
        require(response is not None and response.status == 200, f"GET / → {response.status if response else None}")
        address = self.wait_login("/")
        require(self.page.title() == "Glassbox · Sign in", f"the login page's title is {self.page.title()!r}")
        field = self.attrs("#login-token", ["type", "autocomplete", "aria-describedby"])[0]
        require(field["type"] == "password", f"#login-token is {field}, expected type=password")
        label = self.page.inner_text('label[for="login-token"]')
        require(label == "Access token", f"the token field's label reads {label!r}")
        live = self.page.get_attribute("#login-error", "aria-live")
        require(live in ("assertive", "polite") and "login-error" in (field["aria-describedby"] or ""),
                f"#login-error aria-live={live!r}, the field's aria-describedby={field['aria-describedby']!r}")
        require(self.page.inner_text("#login-error") == "", "#login-error is not empty before any attempt")
        ok, focused = wait_until(lambda: (lambda f: (f == "login-token", f))(
            self.page.evaluate("document.activeElement && document.activeElement.id")), 5)
        require(ok, f"the focus is on {focused!r}, expected the token field")
        unauthorized = [r for r in self.bad_responses if "→ 401" in r]
        require(not unauthorized, f"the run page asked the API before going to the login page: {unauthorized}")
        return f"/ → {address}; a password field labelled {label!r}, focused"

    def login_wrong(self):
        wrong = "wrong-" + self.api.token[:8]
        status, _, body = self.api.server.request("POST", "/api/session", body={"token": wrong}, timeout=30)
        require(status == 401, f"POST /api/session with a wrong token → {status}")
        message = json.loads(body)["error"]["message"]
        before = self.address()
        self.expect_failure("/api/session", 401)
        try:
            self.submit_token(wrong)
            ok, text = wait_until(lambda: (lambda t: (t != "", t))(self.page.inner_text("#login-error")), 10)
        finally:
            self.end_expected_failures("/api/session", 401)
        require(ok and text.startswith("That token is not accepted") and message in text,
                f"#login-error reads {text!r}, expected 'That token is not accepted' and the server's {message!r}")
        require(self.address() == before, f"the page went from {before} to {self.address()}")
        focused = self.page.evaluate("document.activeElement && document.activeElement.id")
        invalid = self.page.get_attribute("#login-token", "aria-invalid")
        require(focused == "login-token" and invalid == "true",
                f"after the refusal the focus is on {focused!r}, the field's aria-invalid is {invalid!r}")
        require(self.session_cookie() is None, "a session cookie after a wrong token")
        return f"{short(text, 120)!r} at {before}, the field focused and marked"

    def login_right(self):
        self.submit_token(self.api.token, by_enter=True)
        self.signed_in_at("/")
        self.page.wait_for_selector("#model-select option", state="attached", timeout=15000)
        self.page.wait_for_selector("#sign-out", state="visible", timeout=10000)
        label = self.page.inner_text("#sign-out")
        require(label == "Sign out", f"#sign-out reads {label!r}")
        return "Enter → the run page at /, the session cookie HttpOnly and SameSite=Strict, Sign out shown"

    def session_ended(self):
        self.page.goto(f"{self.base}/runs/{self.run_id}?view=lens", wait_until="load", timeout=30000)
        self.wait_tab("lens", f"/runs/{self.run_id}?view=lens")
        self.page.wait_for_load_state("networkidle", timeout=30000)
        address = self.address()
        cookie = self.session_cookie()
        require(cookie is not None, "no session cookie on the run page")
        status, _, body = self.api.server.request("DELETE", "/api/session", headers=self.cookie_header(cookie))
        require(status == 200, f"DELETE /api/session with the page's cookie → {status} {short(body.decode())}")
        self.expect_failure("/api/runs", 401)
        try:
            self.page.click("#run-button")
            self.wait_login(address)
        finally:
            self.end_expected_failures("/api/runs", 401)
        self.resumed_address = address
        return f"the server closed the session; Run → 401 → /login?next={urllib.parse.quote(address, safe='')}"

    def sign_in_again(self):
        self.submit_token(self.api.token)
        self.signed_in_at(self.resumed_address)
        self.wait_tab("lens", self.resumed_address)
        return f"signed in again: back at {self.resumed_address}, the lens tab shown"

    def sign_out(self):
        self.page.wait_for_selector("#sign-out", state="visible", timeout=10000)
        cookie = self.session_cookie()
        self.page.click("#sign-out")
        self.wait_login(None)
        require(self.address() == "/login", f"after Sign out the page is at {self.address()}")
        require(self.session_cookie() is None, f"the session cookie stays after Sign out: {self.session_cookie()}")
        self.expect_failure("/api/models", 401)
        try:
            answer = self.page_fetch("/api/models")
        finally:
            self.end_expected_failures("/api/models", 401)
        code = json.loads(answer["body"])["error"]["code"] if answer["status"] == 401 else None
        require(answer["status"] == 401 and code == "unauthorized",
                f"GET /api/models from the page after Sign out → {answer['status']} {short(answer['body'], 200)}")
        status, _, body = self.api.server.request("GET", "/api/models", headers=self.cookie_header(cookie))
        ended = json.loads(body)["error"]["code"] if status == 401 else None
        require(ended == "session_ended", f"the old session cookie after Sign out → {status} {short(body.decode())}")
        session = json.loads(self.page_fetch("/api/session")["body"])
        require(session == {"tokens_required": True, "signed_in": False}, f"GET /api/session: {session}")
        return "at /login, the cookie gone; the page's GET /api/models → 401 unauthorized, the old cookie " \
               "session_ended"


def run_sign_in_steps(s: LoginPage) -> None:
    s.step("login: / goes to the login page", s.login_redirect)
    s.step("login: a wrong token", s.login_wrong, needs=("login: / goes to the login page",))
    s.step("login: the right token", s.login_right, needs=("login: / goes to the login page",))


def run_sign_out_steps(s: LoginPage) -> None:
    s.step("login: a session that ended", s.session_ended, needs=("login: the right token", "run a prompt"))
    s.step("login: sign in again returns to the page", s.sign_in_again, needs=("login: a session that ended",))
    s.step("login: sign out", s.sign_out, needs=("login: the right token",))
