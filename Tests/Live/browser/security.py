"""Browser steps of the server's security headers and content security policy (Tests/Live/browser_tests.py runs
them): the headers on the HTML page, a script and an API answer as the browser received them; and no CSP
violation during the whole session, recorded from the first document on by a `securitypolicyviolation` listener
that an init script adds to every page of the context (its reports reach Python through an exposed function). The
listener is checked to work: an inline style set on a spare page is reported.
"""

from __future__ import annotations

from .harness import Session, require, wait_until

# The UI's policy (Sources/GlassboxServer/Security/SecurityHeaders.swift), and the other headers every answer has.
POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
          "worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {"content-security-policy": POLICY, "x-frame-options": "DENY", "referrer-policy": "no-referrer",
           "cross-origin-opener-policy": "same-origin", "cross-origin-resource-policy": "same-origin",
           "x-content-type-options": "nosniff"}

REPORTER = "glassboxPolicyViolation"
LISTENER = """
window.addEventListener('securitypolicyviolation', (event) => {
  window.%s({
    directive: event.violatedDirective, effective: event.effectiveDirective, blocked: event.blockedURI,
    source: event.sourceFile, line: event.lineNumber, sample: event.sample, page: location.href,
  });
}, true);
window.glassboxPolicyWatched = true;
""" % REPORTER


class SecurityChecks(Session):
    """The CSP violations of every page of the context, from its first document on (the listener of __init__)."""

    def __init__(self, page, api, base: str):
        super().__init__(page, api, base)
        self.violations: list[dict] = []
        page.context.expose_function(REPORTER, lambda violation: self.violations.append(violation))
        page.context.add_init_script(script=LISTENER)

    def header_problems(self, what: str, response) -> list[str]:
        headers = response.all_headers()
        problems = [f"{what}: {name} is {headers.get(name)!r}, expected {want!r}"
                    for name, want in HEADERS.items() if headers.get(name) != want]
        if response.status not in (200, 304):
            problems.append(f"{what}: status {response.status}")
        return problems

    # --- steps

    def security_headers(self):
        def is_script(response):
            return response.url == self.base + "/js/app.js"

        def is_api(response):
            return response.url == self.base + "/api/models"

        with self.page.expect_response(is_script, timeout=15000) as script, \
                self.page.expect_response(is_api, timeout=15000) as answer:
            document = self.page.goto(self.base + "/", wait_until="load", timeout=30000)
        problems = self.header_problems("GET /", document) + self.header_problems("GET /js/app.js", script.value) \
            + self.header_problems("GET /api/models", answer.value)
        cache = answer.value.all_headers().get("cache-control")
        if cache != "no-store":
            problems.append(f"GET /api/models: cache-control is {cache!r}, expected 'no-store'")
        require(not problems, "; ".join(problems))
        return f"the page, a script and an API answer carry the CSP and {len(HEADERS) - 1} more headers"

    def no_policy_violations(self):
        self.page.wait_for_timeout(200)  # Playwright delivers the exposed function's calls while Python waits on it
        found = list(self.violations)
        watched = self.page.evaluate(f"window.glassboxPolicyWatched === true && typeof window.{REPORTER}")
        require(watched == "function", f"the session's page has no policy listener ({watched!r})")
        require(not found, f"{len(found)} CSP violations: " + " | ".join(
            f"{v['effective'] or v['directive']} blocked {v['blocked'] or '(inline)'} at {v['source']}:{v['line']} "
            f"on {v['page']} (sample {v['sample']!r})" for v in found[:5]))
        probe = self.page.context.new_page()  # a page of its own: its console is not the session's
        try:
            probe.goto(self.base + "/login", wait_until="load", timeout=30000)
            probe.evaluate("document.body.setAttribute('style', 'color: red')")
            ok, seen = wait_until(lambda: (probe.wait_for_timeout(100) or bool(self.violations),
                                           list(self.violations)), 5)
        finally:
            probe.close()
        require(ok and seen[0]["effective"] == "style-src-attr" and seen[0]["page"].endswith("/login"),
                f"the listener did not report an inline style set on purpose: {seen}")
        self.violations.clear()
        return "none during the session (the listener reports an inline style set on a spare page: style-src-attr)"


def run_header_steps(s: SecurityChecks) -> None:
    s.step("security headers: page, script, API", s.security_headers, needs=("login: the right token",))


def run_policy_steps(s: SecurityChecks) -> None:
    s.step("no content security policy violations", s.no_policy_violations)
