"""The shared part of the browser tests (Tests/Live/browser_tests.py runs them): paths, checks, the API client,
and Session, the base class of the page step classes in this package.

Session holds the Playwright page, the API and the step results: it collects console errors, page errors, dialogs
and HTTP errors; `step` runs one step (skipped when a step it needs failed), prints its line and saves a screenshot
to artifacts/browser/; the page helpers read attributes, count elements, click, switch tabs and wait. Stdlib only.
"""

from __future__ import annotations

import json
import math
import os
import re
import time
import urllib.parse

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
ARTIFACTS = os.path.join(REPO, "artifacts", "browser")
MODELS = ["tiny-gpt2", "tiny-llama", "tiny-gemma3"]  # the fixture models the test server is configured with


class Check(Exception):
    """A failed expectation; the message says what differed."""


def require(condition, message: str):
    if not condition:
        raise Check(message)


def close(a: float, b: float) -> bool:
    """Equal up to the page's display rounding (4 decimals) or float32 noise."""
    return math.isfinite(a) and abs(a - b) <= 1e-4 + 1e-3 * abs(b)


def short(value, limit: int = 400) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + f" … ({len(text)} characters)"


class Api:
    """The API as the tests read it, with the run's access token (`Authorization: Bearer`; the browser signs in
    through the login page instead)."""

    def __init__(self, server, token: str | None = None):
        self.server, self.token = server, token
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def raw(self, method: str, path: str, body=None, timeout: float = 120, headers: dict | None = None):
        """(status, headers, body bytes) with the token; a POST is always JSON (the server takes no other kind)."""
        sent = dict(self.headers)
        if method == "POST":
            sent["Content-Type"] = "application/json"
        sent.update(headers or {})
        return self.server.request(method, path, body=body, timeout=timeout, headers=sent)

    def get(self, path: str):
        status, _, body = self.raw("GET", path)
        if status != 200:
            raise Check(f"GET {path} → {status}: {short(body.decode('utf-8', 'replace'))}")
        return json.loads(body)

    def post(self, path: str, body, expect: int = 200):
        """POST a JSON body; the JSON answer, which must come with the status `expect`."""
        status, _, answer = self.raw("POST", path, body=body)
        if status != expect:
            raise Check(f"POST {path} {short(body, 200)} → {status}, expected {expect}: "
                        f"{short(answer.decode('utf-8', 'replace'))}")
        return json.loads(answer)

    def delete(self, path: str):
        status, _, answer = self.raw("DELETE", path)
        if status != 200:
            raise Check(f"DELETE {path} → {status}: {short(answer.decode('utf-8', 'replace'))}")
        return json.loads(answer)


def wait_until(probe, timeout: float, interval: float = 0.25):
    """Calls probe() until it returns (True, value) or the time is up; returns the last (ok, value)."""
    deadline = time.time() + timeout
    while True:
        ok, value = probe()
        if ok or time.time() >= deadline:
            return ok, value
        time.sleep(interval)


class Session:
    """The page, the API, the collected console/page errors and the step results. The page classes (run_page,
    run_analytics, compare_page, reports_page) add their steps and the state those steps share."""

    def __init__(self, page, api: Api, base: str):
        self.page, self.api, self.base = page, api, base
        self.errors: list[str] = []
        self.bad_responses: list[str] = []
        self.results: list[tuple[str, str, str]] = []  # (name, ok|FAILED|skipped, detail)
        self.current = "setup"
        self.blocked: set[str] = set()
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error.message}"
                                                              + (f" | {error.stack.splitlines()[1].strip()}"
                                                                 if error.stack and len(error.stack.splitlines()) > 1
                                                                 else "")))
        page.on("dialog", self._dialog)
        page.on("response", self._response)
        self.requests: list[str] = []  # paths of every request the page made (the ablation must wait for its button)
        page.on("request", lambda r: self.requests.append(self._path(r.url)))
        page.on("requestfailed", lambda r: self.bad_responses.append(f"{r.method} {self._path(r.url)} failed: "
                                                                     f"{r.failure}"))
        self.expected_failures: set[tuple[str, int]] = set()  # (path, status) a step provokes on purpose
        self.expected_seen: list[str] = []

    def _path(self, url: str) -> str:
        return url[len(self.base):] if url.startswith(self.base) else url

    def _console(self, message):
        if message.type == "error":
            location = message.location or {}
            # Chromium's own network line for a 4xx the step asked for (e.g. the 400 of mismatched spans) is not a
            # page error; it is accepted only for that path and status while the step expects it.
            match = re.match(r"Failed to load resource: the server responded with a status of (\d+)", message.text)
            if match and (self._path(location.get("url", "")), int(match.group(1))) in self.expected_failures:
                self.expected_seen.append(f"{self._path(location.get('url', ''))} → {match.group(1)}")
                return
            where = f" ({self._path(location.get('url', ''))}:{location.get('lineNumber', '?')})" \
                if location.get("url") else ""
            self.errors.append(f"console error: {message.text}{where}")

    def _dialog(self, dialog):
        self.errors.append(f"unexpected {dialog.type} dialog: {dialog.message}")
        dialog.dismiss()

    def _response(self, response):
        if response.status >= 400:
            self.bad_responses.append(f"{response.request.method} {self._path(response.url)} → {response.status}")

    # --- page helpers

    def attrs(self, selector: str, names: list[str]) -> list[dict]:
        return self.page.eval_on_selector_all(
            selector, "(els, names) => els.map(e => Object.fromEntries(names.map(n => [n, e.getAttribute(n)])))",
            names)

    def count(self, selector: str) -> int:
        return self.page.locator(selector).count()

    def url_query(self) -> dict[str, str]:
        return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.page.url).query))

    def click(self, selector: str) -> str:
        """A real mouse click; if something covers the element, a dispatched click event (said in the detail)."""
        locator = self.page.locator(selector).first
        try:
            locator.click(timeout=5000)
            return ""
        except Exception as error:  # noqa: BLE001 — Playwright's TimeoutError or "intercepts pointer events"
            reason = str(error).splitlines()[0][:160]
            locator.dispatch_event("click")
            return f" (a mouse click did not reach {selector}: {reason}; used a dispatched click event)"

    def tab(self, name: str):
        self.page.click(f"#tab-{name}")
        ok, selected = wait_until(lambda: (lambda v: (v == "true", v))(
            self.page.get_attribute(f"#tab-{name}", "aria-selected")), 5)
        require(ok, f'#tab-{name} aria-selected is {selected!r} after clicking it, expected "true"')

    def wait_tab(self, name: str, url: str):
        ok, selected = wait_until(lambda: (lambda v: (v == "true", v))(
            self.page.get_attribute(f"#tab-{name}", "aria-selected")), 15)
        require(ok, f'after reloading {url}: #tab-{name} aria-selected is {selected!r}, expected "true"')

    def wait_count(self, selector: str, want: int, timeout: float = 30) -> int:
        ok, count = wait_until(lambda: (lambda c: (c == want, c))(self.count(selector)), timeout, 0.25)
        require(ok, f"{selector}: {count} elements, expected {want}")
        return count

    def values(self, selector: str, attribute: str = "data-value") -> list[str]:
        return [a[attribute] for a in self.attrs(selector, [attribute])]

    def number_problems(self, what: str, shown: list[str], expected: list) -> list[str]:
        """Differences between data-value strings on the page and API numbers (None ⇔ an empty attribute)."""
        if len(shown) != len(expected):
            return [f"{what}: {len(shown)} values shown, the API has {len(expected)}"]
        bad = []
        for i, (text, want) in enumerate(zip(shown, expected)):
            if want is None:
                if text not in ("", None):
                    bad.append(f"{what}[{i}] = {text!r}, the API has null")
                continue
            try:
                ok = close(float(text), float(want))
            except (TypeError, ValueError):
                ok = False
            if not ok:
                bad.append(f"{what}[{i}] = {text!r}, the API has {want}")
        return bad

    def model_shape(self, name: str) -> tuple[int, int]:
        for model in self.api.get("/api/models")["models"]:
            if model["name"] == name and "layers" in model:
                return model["layers"], model["heads"]
        raise Check(f"GET /api/models does not describe {name} (not loaded?)")

    def run_prompt(self, model: str, prompt: str) -> str:
        """Runs `prompt` with `model` from the run page at /; the new run's id (a Check when it did not finish)."""
        self.page.goto(self.base + "/", wait_until="load", timeout=30000)
        self.page.wait_for_selector(f"#model-select option[value='{model}']", state="attached", timeout=30000)
        self.page.select_option("#model-select", model)
        self.page.fill("#prompt", prompt)
        self.page.click("#run-button")
        self.page.wait_for_selector('#run-status[data-state="done"], #run-status[data-state="error"]', timeout=90000)
        ok, match = wait_until(lambda: (lambda m: (m is not None, m))(re.search(r"/runs/([0-9a-f]{64})", self.page.url)), 10)
        require(ok and self.page.get_attribute("#run-status", "data-state") == "done",
                f"the run of {prompt!r} did not finish: {self._path(self.page.url)}, #error {self.page.inner_text('#error')!r}")
        return match.group(1)

    # --- HTTP errors a step provokes on purpose

    def expect_failure(self, path: str, status: int):
        """Lets Chromium's console line for this expected HTTP error through (see _console)."""
        self.expected_failures.add((path, status))

    def end_expected_failures(self, path: str, status: int):
        wait_until(lambda: (any(s.startswith(f"{path} → {status}") for s in self.expected_seen), None), 3)
        self.expected_failures.discard((path, status))

    # --- steps

    def step(self, name: str, function, needs: tuple[str, ...] = ()):
        number = len(self.results) + 1
        self.current = name
        failed = [n for n in needs if n in self.blocked]
        if failed:
            self.results.append((name, "skipped", f"needs: {', '.join(failed)}"))
            self.blocked.add(name)
            print(f"[{number:02d} {name}] skipped (needs: {', '.join(failed)})", flush=True)
            return
        errors_before, responses_before = len(self.errors), len(self.bad_responses)
        started = time.time()
        try:
            detail = function() or ""
            status = "ok"
        except Check as error:
            status, detail = "FAILED", str(error)
        except Exception as error:  # noqa: BLE001 — Playwright timeouts and the like: report, go on
            status, detail = "FAILED", f"{type(error).__name__}: {str(error).strip().splitlines()[0][:300]}"
        if status != "ok":
            self.blocked.add(name)  # later steps that need this one are skipped (console errors alone do not)
        new_errors = self.errors[errors_before:]
        if new_errors:
            status = "FAILED"
            detail = (detail + "; " if detail else "") + f"{len(new_errors)} console/page errors: " \
                + " | ".join(new_errors[:5])
        if status != "ok" and self.bad_responses[responses_before:]:
            detail += "; HTTP errors seen by the page: " + ", ".join(self.bad_responses[responses_before:][:5])
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        try:
            self.page.screenshot(path=os.path.join(ARTIFACTS, f"{number:02d}-{slug}.png"), full_page=True,
                                 timeout=15000)
        except Exception as error:  # noqa: BLE001
            detail += f" (no screenshot: {str(error).splitlines()[0][:120]})"
        self.results.append((name, status, detail))
        line = f"[{number:02d} {name}] {status} in {time.time() - started:.1f} s"
        print(line + (f": {detail}" if detail else ""), flush=True)

    def no_errors(self):
        require(not self.errors, f"{len(self.errors)} console/page errors during the session: "
                + " | ".join(self.errors[:10]))
        return "none"
