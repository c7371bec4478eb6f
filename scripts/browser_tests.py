#!/usr/bin/env python3
"""End-to-end browser tests of the Glassbox page: the real server, the Debian chromium, Playwright.

Usage:
    python3 scripts/browser_tests.py [--binary .build/release/glassbox] [--timeout 600] [--chromium PATH]

Setup, when missing (as root on a fresh Debian machine; otherwise it says what to install): `apt-get update` and
`apt-get install chromium fonts-dejavu-core` (python3-venv too if a venv cannot be made), then a venv .venv-browser
with scripts/requirements-browser.txt (Playwright from PyPI). Playwright launches the Debian chromium through
`executable_path`: its own browser download is never used. The script then runs itself again inside that venv.

Server under test: `glassbox serve --port 0` (scripts/server_process.py) with a configuration written to a temporary
directory that names the fixture models by absolute path (tiny-gpt2 (default), tiny-llama, tiny-gemma3 from
Tests/Fixtures/models), its database in that directory, GLASSBOX_PUBLIC_DIR = the repository's Public/.

Steps (the page contract is the "Page", graph.js and heatmap.js sections of the UI contract; every number the page
shows is checked against the API): load /; run a prompt with a chosen model; node and edge counts of the graph for
the default start token (last token) against GET /graph; click an attention edge → heads list against
GET /contributions?layer&target&source&threshold&renormalize; click a residual node → lens table against GET /lens;
click an FFN node → neurons list against GET /neurons; move the threshold slider → edge count of the API for the new
threshold; attention view (heatmap and thumbnails drawn); lens view (layers × tokens cells against GET /lens-grid);
reload the permalink (lens view, then graph view with its selection); export SVG (a download holding an <svg>);
the analytics views against their endpoints: metrics (L×H table rows with every metric and class as GET /metrics,
sorting by a column header by click and by Enter, the cluster map's L×H cells and the legend, K=3, a row opening the
attention view of its head, Back), rollout (one bar per token with the API's shares, another row and a heads
filter), layer flow (one point per layer on each line, the last position and the mean, keyboard hover), anomalies
(the empty state at the defaults, then thresholds low enough for the fixture model: entries as GET /anomalies, one
entry of each kind opening the attention view / graph node / lens cell it names), ablation (nothing fetched before
"Measure by ablation", then L×H cells and per-layer bars as GET /ablation); a permalink reload of each;
the Compare page (/?page=compare, reached by keyboard from the header): the prefilled pair on tiny-gpt2 sent as
expected and its target probabilities, log p(a) − log p(b), top predictions, highlighted spans, L×H heads rows and
grid against POST /api/compare with the same body, sorting (|Δ| first, then by click and Enter, another metric),
a row's aligned attention, a reload, a labelled set (variances), mismatched spans (the 400 next to the form, again
after a reload); the Reports page (/?page=reports): a 3-prompt tiny-gpt2 report with ablation to done (progress
bar, pass total), recommendations, prompts and layer-flow tables and redundant heads against GET /api/reports/{id},
the standalone HTML in a new tab (no <script, an <svg) and both downloads, a reload, a tiny-gemma3 report whose
recommendations' evidence tables match, a long report cancelled while running, an empty prompt set (the 400);
no console error or page error at any point (Chromium's "Failed to load resource" line for the 400s those steps
provoke on purpose is accepted for that path and status only). One line per step (ok / FAILED / skipped), then a summary; exit status 1
on any failure. A screenshot of each state goes to artifacts/browser/ (git-ignored), with the server log and the
exported SVG. Bounded by --timeout (the whole test phase); the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(REPO, ".venv-browser")
REQUIREMENTS = os.path.join(REPO, "scripts", "requirements-browser.txt")
ARTIFACTS = os.path.join(REPO, "artifacts", "browser")
MODELS = ["tiny-gpt2", "tiny-llama", "tiny-gemma3"]
MODEL = "tiny-llama"  # not the default, so choosing a model is exercised
PROMPT = "The quick brown fox jumps over the lazy dog"
THRESHOLDS = [round(0.01 * i, 2) for i in range(1, 11)]  # the slider: 0.01–0.10, step 0.01
ORANGE = {"orange", "rgb(255, 165, 0)", "#ffa500"}
METRIC_KEYS = ["entropy", "normalized_entropy", "sparsity", "locality", "focus", "first_token", "previous_token",
               "self", "diagonal", "uniformity", "vertical"]
FLOW_SERIES = ["cos", "relative_update", "attention_share"]
# thresholds low enough for the tiny random fixture models to produce anomalies
ANOMALY_PARAMETERS = {"high_attention": "0.3", "include_first_token": "true", "outlier_factor": "5"}
ANOMALY_QUERY = "high_attention=0.3&include_first_token=true&outlier_factor=5"

# ---------------------------------------------------------------------------------------------------------------
# Setup: chromium from Debian, Playwright from PyPI in .venv-browser (stdlib only up to the re-run in the venv)


def apt_install(packages: list[str]) -> None:
    """apt-get update + install, waiting while another apt/dpkg holds the lock (bounded)."""
    if os.geteuid() != 0:
        sys.exit(f"browser tests: missing {' '.join(packages)}; run as root or: sudo apt-get install -y "
                 + " ".join(packages))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    deadline = time.time() + 1800
    for command in (["apt-get", "update", "-q"],
                    ["apt-get", "install", "-y", "-q", "-o", "DPkg::Lock::Timeout=300", *packages]):
        while True:
            print("browser tests setup: " + " ".join(command), flush=True)
            result = subprocess.run(command, env=env, capture_output=True, text=True)
            if result.returncode == 0:
                break
            output = result.stdout + result.stderr
            if re.search(r"[Cc]ould not get lock|[Uu]nable to (acquire|lock)|is held by process", output) \
                    and time.time() < deadline:
                print("    the apt/dpkg lock is held by another install; retrying in 15 s", flush=True)
                time.sleep(15)
                continue
            sys.exit(f"browser tests: {' '.join(command)} failed:\n{output[-3000:]}")


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None


def ensure_chromium() -> str:
    path = find_chromium()
    if path is None:
        apt_install(["chromium", "fonts-dejavu-core"])
        path = find_chromium()
        if path is None:
            sys.exit("browser tests: chromium is still missing after apt-get install chromium")
    return path


def pinned_versions() -> dict[str, str]:
    pins = {}
    for line in open(REQUIREMENTS, encoding="utf-8"):
        line = line.split("#")[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[name.strip().lower()] = version.strip()
    return pins


def venv_ready(python: str) -> bool:
    if not os.path.exists(python):
        return False
    pins = pinned_versions()
    probe = ("import importlib.metadata as m, json, sys; pins = json.loads(sys.argv[1]); "
             "sys.exit(0 if all(m.version(n) == v for n, v in pins.items()) else 1)")
    return subprocess.run([python, "-c", probe, json.dumps(pins)], capture_output=True).returncode == 0


def ensure_venv() -> str:
    python = os.path.join(VENV, "bin", "python")
    if venv_ready(python):
        return python
    if not os.path.exists(python):
        print(f"browser tests setup: {sys.executable} -m venv {VENV}", flush=True)
        if subprocess.run([sys.executable, "-m", "venv", VENV], capture_output=True).returncode != 0:
            shutil.rmtree(VENV, ignore_errors=True)
            apt_install(["python3-venv"])
            subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    print(f"browser tests setup: pip install -r {os.path.relpath(REQUIREMENTS, REPO)}", flush=True)
    result = subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r",
                             REQUIREMENTS], capture_output=True, text=True)
    if result.returncode != 0 or not venv_ready(python):
        sys.exit(f"browser tests: pip install into {VENV} failed:\n{(result.stdout + result.stderr)[-3000:]}")
    return python


# ---------------------------------------------------------------------------------------------------------------
# The tests (inside the venv)


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
    def __init__(self, server):
        self.server = server

    def get(self, path: str):
        status, _, body = self.server.request("GET", path, timeout=120)
        if status != 200:
            raise Check(f"GET {path} → {status}: {short(body.decode('utf-8', 'replace'))}")
        return json.loads(body)

    def post(self, path: str, body, expect: int = 200):
        """POST a JSON body; the JSON answer, which must come with the status `expect`."""
        status, _, answer = self.server.request("POST", path, body=body, timeout=120)
        if status != expect:
            raise Check(f"POST {path} {short(body, 200)} → {status}, expected {expect}: "
                        f"{short(answer.decode('utf-8', 'replace'))}")
        return json.loads(answer)

    def delete(self, path: str):
        status, _, answer = self.server.request("DELETE", path, timeout=120)
        if status != 200:
            raise Check(f"DELETE {path} → {status}: {short(answer.decode('utf-8', 'replace'))}")
        return json.loads(answer)


def shown_edges(graph: dict, start) -> list[dict]:
    """The edges of one start token's path set (or the union for "all"), as the page must draw them."""
    if start == "all":
        indices = sorted(set().union(*map(set, graph["paths"])))
    else:
        indices = graph["paths"][start]
    return [graph["edges"][i] for i in indices]


def node_parts(name: str) -> tuple[str, int, int]:
    match = re.fullmatch(r"([XAMI])(\d+)_(\d+)", name)
    if not match:
        raise Check(f"unexpected node name {name!r}")
    return match.group(1), int(match.group(2)), int(match.group(3))


def edge_problems(drawn: list[dict], expected: list[dict]) -> list[str]:
    """Differences between the drawn line.edge elements and the API edges (multiset of source, target, kind)."""
    def key(source, target, kind):
        return f"{source}→{target} ({kind})"
    drawn_keys = Counter(key(d["data-source"], d["data-target"], d["data-kind"]) for d in drawn)
    expected_keys = Counter(key(e["source"], e["target"], e["kind"]) for e in expected)
    problems = []
    if len(drawn) != len(expected):
        problems.append(f"{len(drawn)} line.edge elements drawn, the API's path set has {len(expected)} edges")
    missing, extra = expected_keys - drawn_keys, drawn_keys - expected_keys
    if missing:
        problems.append(f"{sum(missing.values())} API edges not drawn, e.g. {', '.join(list(missing)[:5])}")
    if extra:
        problems.append(f"{sum(extra.values())} drawn edges not in the API's path set, e.g. {', '.join(list(extra)[:5])}")
    weights = {key(e["source"], e["target"], e["kind"]): e["weight"] for e in expected}
    bad = []
    for d in drawn:
        k = key(d["data-source"], d["data-target"], d["data-kind"])
        if k in weights:
            try:
                ok = close(float(d["data-weight"]), weights[k])
            except (TypeError, ValueError):
                ok = False
            if not ok:
                bad.append(f"{k}: data-weight {d['data-weight']!r}, API {weights[k]:.6f}")
    if bad:
        problems.append(f"{len(bad)} edge weights differ, e.g. " + "; ".join(bad[:3]))
    return problems


def wait_until(probe, timeout: float, interval: float = 0.25):
    """Calls probe() until it returns (True, value) or the time is up; returns the last (ok, value)."""
    deadline = time.time() + timeout
    while True:
        ok, value = probe()
        if ok or time.time() >= deadline:
            return ok, value
        time.sleep(interval)


class Session:
    """The page, the API, the collected console/page errors and the step results."""

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
        # state shared between steps
        self.run_id = None
        self.summary = None
        self.n = self.layers = self.heads = 0
        self.graphs: dict[tuple[float, bool], dict] = {}
        self.threshold = 0.04
        self.renormalize = True
        self.new_threshold = None
        self.ffn_node = None
        self.metrics_k = 5
        self.anomaly_query = ANOMALY_QUERY
        self.anomalies = None
        self.expected_failures: set[tuple[str, int]] = set()  # (path, status) a step provokes on purpose
        self.expected_seen: list[str] = []
        self.compare_body = None  # the body of the page's last POST /api/compare and the API's answer to it
        self.compare_api = None
        self.report_id = None
        self.report_job = None

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

    def graph(self, threshold: float, renormalize: bool) -> dict:
        key = (round(threshold, 2), renormalize)
        if key not in self.graphs:
            self.graphs[key] = self.api.get(f"/api/runs/{self.run_id}/graph?threshold={key[0]}"
                                            f"&renormalize={'true' if renormalize else 'false'}")
        return self.graphs[key]

    def drawn_edges(self) -> list[dict]:
        return self.attrs("#graph-svg line.edge", ["data-source", "data-target", "data-kind", "data-weight"])

    def graph_state(self, threshold: float, start):
        """(ok, problems) of the drawn graph against the API for a threshold and start token."""
        if self.count('#graph-svg[data-ready="true"]') == 0:
            return False, ['no #graph-svg[data-ready="true"]']
        expected = shown_edges(self.graph(threshold, self.renormalize), start)
        problems = edge_problems(self.drawn_edges(), expected)
        return not problems, problems

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

    def load(self):
        response = self.page.goto(self.base + "/", wait_until="load", timeout=30000)
        require(response is not None and response.status == 200,
                f"GET / → {response.status if response else 'no response'} (is Public/index.html there?)")
        for selector in ("#model-select", "#prompt", "#run-button", "#run-status", "#threshold", "#renormalize",
                         "#start-token", "#tab-graph", "#tab-attention", "#tab-lens", "#graph", "#panel",
                         "#export-svg"):
            require(self.count(selector) == 1, f"{selector} is missing from the page (contract: Page section)")
        ok, values = wait_until(lambda: (lambda v: (all(m in v for m in MODELS), v))(
            [o["value"] for o in self.attrs("#model-select option", ["value"])]), 10)
        require(all(m in values for m in MODELS), f"#model-select options {values}, expected {MODELS} "
                f"(from GET /api/models)")
        state = self.page.get_attribute("#run-status", "data-state")
        require(state == "idle", f'#run-status data-state is {state!r} before any run, expected "idle"')
        require(self.page.locator("#error").is_hidden(), f"#error is shown: {self.page.inner_text('#error')!r}")
        return f"{len(values)} models, run status idle"

    def run(self):
        self.page.select_option("#model-select", MODEL)
        self.page.fill("#prompt", PROMPT)
        self.page.click("#run-button")
        self.page.wait_for_selector('#run-status[data-state="done"], #run-status[data-state="error"]',
                                    timeout=90000)
        state = self.page.get_attribute("#run-status", "data-state")
        if state != "done":
            error = self.page.inner_text("#error") if self.count("#error") else ""
            raise Check(f'#run-status data-state="{state}", #error: {error!r}')
        self.page.wait_for_selector('#graph-svg[data-ready="true"]', timeout=60000, state="attached")
        match = re.search(r"/runs/([0-9A-Za-z_-]+)", urllib.parse.urlsplit(self.page.url).path)
        require(match, f"the page URL {self.page.url} is not /runs/{{id}}?… after the run (contract: URL)")
        self.run_id = match.group(1)
        self.summary = self.api.get(f"/api/runs/{self.run_id}")
        require(self.summary["model"]["name"] == MODEL,
                f"the run used model {self.summary['model']['name']!r}, {MODEL!r} was chosen in #model-select")
        require(self.summary["prompt"] == PROMPT, f"the run's prompt is {self.summary['prompt']!r}, typed {PROMPT!r}")
        self.n = len(self.summary["tokens"])
        self.layers, self.heads = self.summary["model"]["layers"], self.summary["model"]["heads"]
        tokens = self.attrs("#tokens .token", ["data-index"])
        require(len(tokens) == self.n, f"#tokens has {len(tokens)} .token elements, the run has {self.n} tokens")
        require([t["data-index"] for t in tokens] == [str(i) for i in range(self.n)],
                f"#tokens .token data-index values {[t['data-index'] for t in tokens][:10]}…, expected 0…{self.n - 1}")
        shown = [p["data-token-id"] for p in self.attrs("#predictions li", ["data-token-id"])]
        expected = [str(p["id"]) for p in self.summary["top"]]
        require(shown and shown == expected[:len(shown)],
                f"#predictions li data-token-id {shown}, the API's predictions after the last token {expected}")
        return f"run {self.run_id[:12]}…, {self.n} tokens, {self.layers} layers × {self.heads} heads"

    def graph_counts(self):
        self.threshold = float(self.page.input_value("#threshold"))
        self.renormalize = self.page.is_checked("#renormalize")
        start = self.page.input_value("#start-token")
        require(start == str(self.n - 1), f'#start-token value {start!r}, expected the last token "{self.n - 1}"')
        active = self.attrs(".start-marker.active", ["data-token"])
        require([a["data-token"] for a in active] == [str(self.n - 1)],
                f".start-marker.active data-token {[a['data-token'] for a in active]}, expected [{self.n - 1}]")
        markers = self.count(".start-marker[data-token]")
        require(markers == self.n, f"{markers} .start-marker[data-token] elements, expected one per token ({self.n})")
        graph = self.graph(self.threshold, self.renormalize)
        require(graph["layers"] == self.layers and len(graph["tokens"]) == self.n, "the API graph's shape differs")
        expected = shown_edges(graph, self.n - 1)
        problems = edge_problems(self.drawn_edges(), expected)
        require(not problems, "; ".join(problems))
        circles = {c["data-node"] for c in self.attrs("#graph-svg circle.node", ["data-node"])}
        want_circles = {f"X0_{t}" for t in range(self.n)} | {f"{k}{l}_{t}" for k in "AI" for l in range(self.layers)
                                                               for t in range(self.n)}
        require(circles == want_circles and self.count("#graph-svg circle.node") == len(want_circles),
                f"{self.count('#graph-svg circle.node')} circle.node drawn, expected {len(want_circles)} "
                f"(X0 row + A and I per layer × token); missing {sorted(want_circles - circles)[:5]}, "
                f"extra {sorted(circles - want_circles)[:5]}")
        ffn = {r["data-node"] for r in self.attrs("#graph-svg rect.node.ffn", ["data-node"])}
        want_ffn = {name for e in expected for name in (e["source"], e["target"]) if name.startswith("M")}
        require(ffn == want_ffn, f"rect.node.ffn drawn for {sorted(ffn)}, the path set touches {sorted(want_ffn)}")
        # thresholds for the later steps: the nearest slider value whose path set for the last token differs
        counts = {t: len(self.graph(t, self.renormalize)["paths"][self.n - 1]) for t in THRESHOLDS}
        others = sorted((t for t in THRESHOLDS if counts[t] != len(expected)),
                        key=lambda t: (abs(t - self.threshold), t < self.threshold))
        self.new_threshold = others[0] if others else None
        return (f"threshold {self.threshold}, renormalize {self.renormalize}: {len(expected)} edges "
                f"(paths[{self.n - 1}]), {len(circles)} residual/embedding nodes, {len(ffn)} FFN nodes")

    def click_edge(self):
        expected = shown_edges(self.graph(self.threshold, self.renormalize), self.n - 1)
        candidates = [e for e in expected if e["kind"] == "attention"
                      and node_parts(e["source"])[2] != node_parts(e["target"])[2]]
        require(candidates, "the path set has no attention edge between two different tokens to click")
        edge = max(candidates, key=lambda e: e["weight"])
        _, layer, target = node_parts(edge["target"])
        source = node_parts(edge["source"])[2]
        selector = (f'#graph-svg line.edge[data-source="{edge["source"]}"][data-target="{edge["target"]}"]'
                    f'[data-kind="attention"]')
        how = self.click(selector)
        renormalize = "true" if self.renormalize else "false"
        api = self.api.get(f"/api/runs/{self.run_id}/contributions?layer={layer}&target={target}&source={source}"
                           f"&threshold={self.threshold}&renormalize={renormalize}")

        def compare(reference):
            items = self.attrs("#heads-list li[data-head]", ["data-head", "data-weight"])
            problems = []
            heads = {i["data-head"]: i["data-weight"] for i in items}
            want = {str(h): w for h, w in enumerate(reference["heads"])}
            if set(heads) - {"all"} != set(want):
                problems.append(f"#heads-list li[data-head] values {sorted(heads)}, expected {sorted(want)} + \"all\"")
            for h, w in want.items():
                if h in heads and not close(float(heads[h] or "nan"), w):
                    problems.append(f"head {h}: data-weight {heads[h]!r}, API {w:.6f}")
            if "all" in heads and not close(float(heads["all"] or "nan"), reference["total"]):
                problems.append(f"\"all\": data-weight {heads['all']!r}, API total {reference['total']:.6f}")
            return not problems, (problems, items)

        ok, (problems, items) = wait_until(lambda: compare(api), 15)
        if not ok:
            hint = ""
            if items:
                raw = self.api.get(f"/api/runs/{self.run_id}/contributions?layer={layer}&target={target}"
                                   f"&source={source}")
                if compare(raw)[0]:
                    hint = (" — the list matches the API without threshold/renormalize, i.e. the page does not pass "
                            f"threshold={self.threshold}&renormalize={renormalize}")
            raise Check(f"edge {edge['source']}→{edge['target']} (layer {layer}, target {target}, source {source})"
                        f"{how}: " + "; ".join(problems) + hint + f"; page items {short(items, 300)}")
        title = self.page.inner_text("#panel-title").strip() if self.count("#panel-title") else ""
        require(title, "#panel-title is empty after clicking an edge")
        return (f"{edge['source']}→{edge['target']} weight {edge['weight']:.4f}{how}: {len(items)} heads-list items "
                f"match the API (total {api['total']:.4f}); panel {title!r}")

    def next_path_sets(self) -> list[set[str]]:
        """The node names touched by the path set now and at the threshold the slider step will choose."""
        sets = []
        for threshold in {self.threshold, self.new_threshold or self.threshold}:
            edges = shown_edges(self.graph(threshold, self.renormalize), self.n - 1)
            sets.append({name for e in edges for name in (e["source"], e["target"])})
        return sets

    def click_residual(self):
        touched = set.intersection(*self.next_path_sets())
        candidates = sorted((name for name in touched if name.startswith("I")),
                            key=lambda name: (node_parts(name)[1] != 0, -node_parts(name)[2]))
        require(candidates, "no touched I node in the path set")
        node = candidates[0]
        _, layer, token = node_parts(node)
        how = self.click(f'#graph-svg circle.node[data-node="{node}"]')

        def probe():
            ids = [r["data-token-id"] for r in self.attrs("#lens-table tbody tr[data-token-id]", ["data-token-id"])]
            if not ids:
                return False, (ids, None)
            api = self.api.get(f"/api/runs/{self.run_id}/lens?layer={layer}&point=post&token={token}"
                               f"&k={min(len(ids), 200)}")
            return ids == [str(e["id"]) for e in api["top"]], (ids, api)

        ok, (ids, api) = wait_until(probe, 15, 0.5)
        require(ids, f"clicked {node}{how}: #lens-table tbody tr[data-token-id] has no rows")
        expected = [str(e["id"]) for e in api["top"]]
        require(ok, f"clicked {node}{how}: #lens-table token ids {ids}, GET /lens?layer={layer}&point=post&"
                    f"token={token}&k={len(ids)} gives {expected}")
        return f"{node}{how}: {len(ids)} lens rows match GET /lens (top {api['top'][0]['display']!r})"

    def click_ffn(self):
        touched = set.intersection(*self.next_path_sets())
        drawn = {r["data-node"] for r in self.attrs("#graph-svg rect.node.ffn", ["data-node"])}
        candidates = sorted((name for name in drawn & touched), key=lambda name: (-node_parts(name)[2], node_parts(name)[1]))
        require(candidates or drawn, "no rect.node.ffn is drawn to click")
        node = (candidates or sorted(drawn))[0]
        _, layer, token = node_parts(node)
        how = self.click(f'#graph-svg rect.node.ffn[data-node="{node}"]')

        def probe():
            # an "all" item (the whole FFN block, like the heads list's) may lead the list: compare the neurons
            shown = [i["data-neuron"] for i in self.attrs("#neurons-list li[data-neuron]", ["data-neuron"])
                     if i["data-neuron"] != "all"]
            if not shown:
                return False, (shown, None)
            api = self.api.get(f"/api/runs/{self.run_id}/neurons?layer={layer}&token={token}"
                               f"&k={min(len(shown), 1000)}")
            return shown == [str(e["index"]) for e in api["neurons"]], (shown, api)

        ok, (shown, api) = wait_until(probe, 15, 0.5)
        require(shown, f"clicked {node}{how}: #neurons-list li[data-neuron] is empty")
        expected = [str(e["index"]) for e in api["neurons"]]
        require(ok, f"clicked {node}{how}: #neurons-list data-neuron {shown}, GET /neurons?layer={layer}&"
                    f"token={token}&k={len(shown)} gives {expected}")
        self.ffn_node = node
        return f"{node}{how}: {len(shown)} neurons match GET /neurons (top neuron {expected[0]})"

    def move_threshold(self):
        require(self.new_threshold is not None,
                "every slider value 0.01–0.10 gives the same edge count for this prompt: nothing to check")
        before = self.count("#graph-svg line.edge")
        steps = round((self.new_threshold - self.threshold) / 0.01)
        self.page.focus("#threshold")
        for _ in range(abs(steps)):
            self.page.keyboard.press("ArrowRight" if steps > 0 else "ArrowLeft")
        value = self.page.input_value("#threshold")
        require(close(float(value), self.new_threshold),
                f"#threshold value {value} after {abs(steps)} arrow key presses, expected {self.new_threshold}")
        ok, problems = wait_until(lambda: self.graph_state(self.new_threshold, self.n - 1), 20, 0.5)
        expected = len(shown_edges(self.graph(self.new_threshold, self.renormalize), self.n - 1))
        require(ok, f"threshold {self.threshold} → {self.new_threshold}: " + "; ".join(problems))
        query = self.url_query()
        require("threshold" in query and close(float(query["threshold"]), self.new_threshold),
                f"the page URL's threshold is {query.get('threshold')!r}, expected {self.new_threshold}")
        old = self.threshold
        self.threshold = self.new_threshold
        return f"threshold {old} → {self.new_threshold}: {before} → {expected} edges, as the API says"

    def tab(self, name: str):
        self.page.click(f"#tab-{name}")
        ok, selected = wait_until(lambda: (lambda v: (v == "true", v))(
            self.page.get_attribute(f"#tab-{name}", "aria-selected")), 5)
        require(ok, f'#tab-{name} aria-selected is {selected!r} after clicking it, expected "true"')

    def attention_view(self):
        self.tab("attention")
        for selector in ("#attention-layer", "#attention-head", "#attention-view", "#attention-grid"):
            require(self.count(selector) == 1, f"{selector} is missing")
        self.page.wait_for_selector('#attention-view canvas[data-ready="true"]', timeout=30000)
        want = self.layers * self.heads
        ok, count = wait_until(lambda: (lambda c: (c == want, c))(
            self.count("#attention-grid canvas[data-layer][data-head]")), 20, 0.5)
        require(ok, f"#attention-grid has {count} canvas[data-layer][data-head] thumbnails, expected "
                    f"{self.layers} layers × {self.heads} heads = {want}")
        view = self.url_query().get("view")
        require(view == "attention", f"the page URL's view is {view!r} in the attention view")
        size = self.page.eval_on_selector('#attention-view canvas[data-ready="true"]', "c => [c.width, c.height]")
        require(size[0] > 0 and size[1] > 0, f"the attention heatmap canvas is {size[0]}×{size[1]}")
        return f"heatmap drawn ({size[0]}×{size[1]} canvas), {count} thumbnails"

    def lens_view(self):
        self.tab("lens")
        want = self.layers * self.n
        ok, count = wait_until(lambda: (lambda c: (c == want, c))(
            self.count("#lens-grid td[data-layer][data-token]")), 30, 0.5)
        require(ok, f"#lens-grid has {count} td[data-layer][data-token] cells, expected {self.layers} layers × "
                    f"{self.n} tokens = {want}")
        grid = self.api.get(f"/api/runs/{self.run_id}/lens-grid?point=post&normalize=true")
        cells = self.page.eval_on_selector_all(
            "#lens-grid td[data-layer][data-token]",
            "els => els.map(e => [e.getAttribute('data-layer'), e.getAttribute('data-token'), e.textContent])")

        def shows(text: str, display: str) -> bool:
            # a long display string may be cut with "…": then its start must be there
            if display in text:
                return True
            head = text.strip().split("…")[0] if "…" in text else None
            return bool(head) and display.startswith(head)

        bad = [f"layer {l} token {t}: {text.strip()!r} lacks {grid['cells'][int(l)][int(t)]['display']!r}"
               for l, t, text in cells if not shows(text, grid["cells"][int(l)][int(t)]["display"])]
        cut = sum(1 for l, t, text in cells if grid["cells"][int(l)][int(t)]["display"] not in text)
        require(not bad, f"{len(bad)} lens-grid cells do not show GET /lens-grid's top-1 token, e.g. "
                         + "; ".join(bad[:3]))
        view = self.url_query().get("view")
        require(view == "lens", f"the page URL's view is {view!r} in the lens view")
        return (f"{count} cells = {self.layers} layers × {self.n} tokens, top-1 tokens as GET /lens-grid"
                + (f" ({cut} shown cut with …)" if cut else ""))

    def selection_state(self):
        title = self.page.inner_text("#panel-title").strip() if self.count("#panel-title") else ""
        neurons = [i["data-neuron"] for i in self.attrs("#neurons-list li[data-neuron]", ["data-neuron"])]
        return {"title": title, "neurons": neurons}

    def permalink_lens(self):
        url = self.page.url
        query = self.url_query()
        for name in ("view", "threshold"):
            require(name in query, f"the page URL {url} has no {name}= (contract: URL)")
        self.page.reload(wait_until="load", timeout=30000)
        ok, selected = wait_until(lambda: (lambda v: (v == "true", v))(
            self.page.get_attribute("#tab-lens", "aria-selected")), 15)
        require(ok, f'after reloading {self._path(url)}: #tab-lens aria-selected is {selected!r}, expected "true"')
        want = self.layers * self.n
        ok, count = wait_until(lambda: (lambda c: (c == want, c))(
            self.count("#lens-grid td[data-layer][data-token]")), 30, 0.5)
        require(ok, f"after reloading {self._path(url)}: #lens-grid has {count} cells, expected {want}")
        after = self.url_query()
        require(after.get("view") == "lens" and close(float(after.get("threshold", "nan")), self.threshold),
                f"after reloading {self._path(url)}: the URL is {self._path(self.page.url)} (view/threshold lost)")
        if self.page.locator("#threshold").is_visible():  # the graph controls may be hidden in the lens view
            ok, value = wait_until(lambda: (lambda v: (close(float(v), self.threshold), v))(
                self.page.input_value("#threshold")), 10, 0.5)
            require(ok, f"after reloading {self._path(url)}: the visible #threshold is {value}, expected "
                        f"{self.threshold} (the URL's threshold)")
        return f"reloaded {self._path(url)}: lens view, {count} cells, URL threshold {after['threshold']} kept"

    def permalink_graph(self):
        self.tab("graph")
        ok, problems = wait_until(lambda: self.graph_state(self.threshold, self.n - 1), 20, 0.5)
        require(ok, "back in the graph view before reloading: " + "; ".join(problems))
        url = self.page.url
        query = self.url_query()
        require(query.get("view") == "graph", f"the page URL's view is {query.get('view')!r} in the graph view")
        require("select" in query, f"the page URL {self._path(url)} has no select= with {self.ffn_node} selected")
        before = self.selection_state()
        start_before = self.page.input_value("#start-token")
        self.page.reload(wait_until="load", timeout=30000)
        ok, selected = wait_until(lambda: (lambda v: (v == "true", v))(
            self.page.get_attribute("#tab-graph", "aria-selected")), 15)
        require(ok, f'after reloading {self._path(url)}: #tab-graph aria-selected is {selected!r}')
        self.page.wait_for_selector('#graph-svg[data-ready="true"]', timeout=30000, state="attached")
        value = self.page.input_value("#threshold")
        require(close(float(value), self.threshold),
                f"after reloading {self._path(url)}: #threshold is {value}, expected {self.threshold}")
        ok, problems = wait_until(lambda: self.graph_state(self.threshold, self.n - 1), 20, 0.5)
        require(ok, f"after reloading {self._path(url)}: " + "; ".join(problems))
        start = self.page.input_value("#start-token")
        require(start == start_before, f"after reloading: #start-token {start!r}, before {start_before!r}")
        query_after = self.url_query()
        require(query_after.get("select") == query["select"],
                f"after reloading: select={query_after.get('select')!r}, before {query['select']!r}")
        ok, after = wait_until(lambda: (lambda s: (s == before, s))(self.selection_state()), 15, 0.5)
        require(ok, f"after reloading {self._path(url)}: the panel shows {short(after, 300)}, "
                    f"before {short(before, 300)}")
        look = self.page.eval_on_selector(
            f'#graph-svg [data-node="{self.ffn_node}"]',
            "e => { const s = getComputedStyle(e); return [s.fill, s.stroke, e.getAttribute('class') || ''] }")
        require(look[0] in ORANGE or look[1] in ORANGE or "select" in look[2],
                f"after reloading: the selected node {self.ffn_node} is not highlighted (fill {look[0]}, stroke "
                f"{look[1]}, class {look[2]!r}; contract: selected orange)")
        return (f"reloaded {self._path(url)}: graph view, threshold {value}, {self.ffn_node} selected, panel "
                f"{after['title']!r} with {len(after['neurons'])} neurons")

    def export_svg(self):
        if self.page.get_attribute("#tab-graph", "aria-selected") != "true":
            self.tab("graph")
        self.page.wait_for_selector('#graph-svg[data-ready="true"]', timeout=30000, state="attached")
        with self.page.expect_download(timeout=20000) as info:
            self.page.click("#export-svg")
        download = info.value
        path = os.path.join(ARTIFACTS, "export.svg")
        download.save_as(path)
        text = open(path, encoding="utf-8", errors="replace").read()
        require("<svg" in text, f"the download {download.suggested_filename!r} has no <svg: {short(text, 200)}")
        require(download.suggested_filename.endswith(".svg"),
                f"the download is named {download.suggested_filename!r}, not *.svg")
        import xml.etree.ElementTree as ET
        try:
            root = ET.fromstring(text)
        except ET.ParseError as error:
            raise Check(f"the exported SVG is not well-formed XML: {error}") from None
        lines = sum(1 for e in root.iter() if e.tag.endswith("line"))
        return (f"{download.suggested_filename}: {len(text)} characters, well-formed, {lines} <line> elements "
                f"(saved as {os.path.relpath(path, REPO)})")

    # --- analytics views

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

    def metrics_rows(self) -> list[dict]:
        return self.page.eval_on_selector_all(
            "#metrics-table tbody tr[data-layer][data-head]",
            "rows => rows.map(r => ({layer: r.dataset.layer, head: r.dataset.head, cells: Object.fromEntries("
            "[...r.querySelectorAll('td[data-key]')].map(td => [td.dataset.key, td.dataset.value]))}))")

    def metrics_view(self):
        self.tab("metrics")
        want = self.layers * self.heads
        self.wait_count("#metrics-table tbody tr[data-layer][data-head]", want)
        k = int(self.page.input_value("#metrics-k"))
        require(k == 5, f"#metrics-k is {k}, the default is 5")
        api = self.api.get(f"/api/runs/{self.run_id}/metrics?clusters={k}")
        require(len(api["heads"]) == want, f"GET /metrics has {len(api['heads'])} heads, the run {want}")
        rows = self.metrics_rows()
        by_head = {(h["layer"], h["head"]): h for h in api["heads"]}
        shown = [(int(r["layer"]), int(r["head"])) for r in rows]
        require(sorted(shown) == sorted(by_head), f"table rows {shown[:8]}…, the API's heads {sorted(by_head)[:8]}…")
        problems = []
        for r in rows:
            head = by_head[(int(r["layer"]), int(r["head"]))]
            for key in METRIC_KEYS + ["vertical_key", "cluster"]:
                problems += self.number_problems(f"L{r['layer']} H{r['head']} {key}", [r["cells"].get(key)],
                                                 [head.get(key)])
            if r["cells"].get("class") != head["class"]:
                problems.append(f"L{r['layer']} H{r['head']} class {r['cells'].get('class')!r}, API {head['class']!r}")
        require(not problems, f"{len(problems)} table cells differ from GET /metrics, e.g. " + "; ".join(problems[:4]))
        badges = self.count("#metrics-table tbody td[data-key=class] .badge[data-class]")
        require(badges == want, f"{badges} class badges in the table, expected {want}")
        legend = sorted(self.values("#metrics-class-legend .badge[data-class]", "data-class"))
        require(legend == sorted(["sink", "previous-token", "diagonal", "vertical", "uniform", "sparse", "mixed"]),
                f"the class legend shows {legend}")
        cells = self.wait_count("#cluster-map .cluster-cell[data-layer][data-head]", want)
        clusters = {(int(c["data-layer"]), int(c["data-head"])): c["data-cluster"]
                    for c in self.attrs("#cluster-map .cluster-cell", ["data-layer", "data-head", "data-cluster"])}
        bad = [f"L{l} H{h}: {clusters.get((l, h))!r} vs {head.get('cluster')}" for (l, h), head in by_head.items()
               if clusters.get((l, h)) != str(head.get("cluster", ""))]
        require(not bad, f"cluster map cells differ from the API's clusters: {'; '.join(bad[:4])}")
        groups = self.count("#cluster-legend thead th[data-cluster]")
        want_groups = len(api["clusters"]["groups"]) if api["clusters"] else 0
        require(groups == want_groups, f"the cluster legend has {groups} clusters, the API {want_groups} groups")
        members = self.page.eval_on_selector_all("#cluster-legend tr[data-row=members] td[data-cluster]",
                                                 "tds => tds.map(td => [td.dataset.cluster, td.textContent])")
        want_members = [[str(g["id"]), str(len(g["members"]))] for g in api["clusters"]["groups"]] if api["clusters"] else []
        require(members == want_members, f"the legend's member counts {members}, the API's {want_members}")
        query = self.url_query()
        require(query.get("view") == "metrics" and query.get("clusters") == str(k),
                f"the URL is {self._path(self.page.url)} in the metrics view (view=metrics&clusters={k} expected)")
        return (f"{len(rows)} rows = {self.layers}×{self.heads} heads with every metric as GET /metrics, "
                f"{cells} cluster-map cells, {groups} clusters")

    def sorted_column(self, key: str) -> tuple[str, list[float | None]]:
        sort = self.page.get_attribute(f'#metrics-table thead th[data-key="{key}"]', "aria-sort")
        values = [r["cells"].get(key) for r in self.metrics_rows()]
        return sort, [float(v) if v not in ("", None) else None for v in values]

    def metrics_sort(self):
        key = "entropy"
        self.click(f'#metrics-table thead button[data-key="{key}"]')
        problems = []
        for round_ in range(2):
            ok, (sort, values) = wait_until(lambda: (lambda r: (r[0] in ("ascending", "descending"), r))(
                self.sorted_column(key)), 5)
            require(ok, f'th[data-key="{key}"] aria-sort is {sort!r} after sorting by it')
            present = [v for v in values if v is not None]
            expected = sorted(present, reverse=sort == "descending")
            require(present == expected and values[:len(present)] == present,
                    f"{key} column after sorting ({sort}): {values}")
            indicator = self.page.inner_text(f'#metrics-table thead th[data-key="{key}"] .sort-indicator').strip()
            require(indicator == ("▼" if sort == "descending" else "▲"),
                    f"the sort indicator is {indicator!r} for {sort}")
            query = self.url_query()
            require(query.get("sort") == key and query.get("order") == ("desc" if sort == "descending" else "asc"),
                    f"the URL has sort={query.get('sort')!r} order={query.get('order')!r} after sorting {sort}")
            problems.append(sort)
            if round_ == 0:  # the second time with the keyboard: the header is a button
                self.page.focus(f'#metrics-table thead button[data-key="{key}"]')
                self.page.keyboard.press("Enter")
                ok, _ = wait_until(lambda: (self.sorted_column(key)[0] not in (sort, None), None), 5)
                require(ok, f"Enter on the focused {key} header did not change the order from {sort}")
        others = [th for th in self.values("#metrics-table thead th[data-key]", "aria-sort")]
        require(others.count("none") == len(others) - 1, f"aria-sort of the headers: {others}")
        return f"{key}: {problems[0]} by click, then {problems[1]} by Enter; rows in order, indicator and URL right"

    def metrics_k_and_open(self):
        self.page.select_option("#metrics-k", "3")
        api = self.api.get(f"/api/runs/{self.run_id}/metrics?clusters=3")
        want = len(api["clusters"]["groups"]) if api["clusters"] else 0
        self.wait_count("#cluster-legend thead th[data-cluster]", want, 15)
        shown = {(int(c["data-layer"]), int(c["data-head"])): c["data-cluster"]
                 for c in self.attrs("#cluster-map .cluster-cell", ["data-layer", "data-head", "data-cluster"])}
        bad = [f"L{h['layer']} H{h['head']}" for h in api["heads"] if shown.get((h["layer"], h["head"])) != str(h.get("cluster"))]
        require(not bad, f"after K=3 the cluster map differs from GET /metrics?clusters=3 at {bad[:5]}")
        require(self.url_query().get("clusters") == "3", f"the URL has clusters={self.url_query().get('clusters')!r}")
        self.metrics_k = 3
        layer, head = self.layers - 1, self.heads - 1
        how = self.click(f'#metrics-table tbody tr[data-layer="{layer}"][data-head="{head}"]')
        ok, query = wait_until(lambda: (lambda q: (q.get("view") == "attention" and q.get("layer") == str(layer)
                                                   and q.get("attention_head") == str(head), q))(self.url_query()), 10)
        require(ok, f"clicking the L{layer} H{head} row{how} gave the URL {self._path(self.page.url)}, expected "
                    f"view=attention&layer={layer}&attention_head={head}")
        require(self.page.get_attribute("#tab-attention", "aria-selected") == "true", "#tab-attention is not selected")
        selects = (self.page.input_value("#attention-layer"), self.page.input_value("#attention-head"))
        require(selects == (str(layer), str(head)), f"#attention-layer/#attention-head show {selects}")
        self.page.wait_for_selector('#attention-view canvas[data-ready="true"]', timeout=30000)
        self.page.go_back()
        ok, query = wait_until(lambda: (lambda q: (q.get("view") == "metrics", q))(self.url_query()), 10)
        require(ok, f"Back after opening the attention view: URL {self._path(self.page.url)}")
        self.wait_count("#metrics-table tbody tr[data-layer]", self.layers * self.heads)
        require(self.page.input_value("#metrics-k") == "3", "Back: #metrics-k lost K=3")
        return (f"K=3: {want} clusters as the API; row L{layer} H{head}{how} → attention view "
                f"(layer={layer}, attention_head={head}); Back → metrics")

    def permalink_metrics(self):
        url = self._path(self.page.url)
        query = self.url_query()
        self.page.reload(wait_until="load", timeout=30000)
        self.wait_count("#metrics-table tbody tr[data-layer][data-head]", self.layers * self.heads)
        self.wait_tab("metrics", url)
        require(self.page.input_value("#metrics-k") == str(self.metrics_k), "K is not restored")
        sort, values = self.sorted_column(query.get("sort", "entropy"))
        require(sort == ("descending" if query.get("order") == "desc" else "ascending"),
                f"after reloading {url}: aria-sort {sort!r}")
        present = [v for v in values if v is not None]
        require(present == sorted(present, reverse=sort == "descending"), "after reloading: rows not sorted")
        require(self.url_query() == query, f"after reloading: URL {self._path(self.page.url)}, before {url}")
        return f"reloaded {url}: metrics view, K={self.metrics_k}, sorted {query.get('sort')} {sort}"

    def rollout_check(self, row: int, heads: str):
        self.wait_count("#rollout-bars .rollout-bar[data-position]", self.n)
        api = self.api.get(f"/api/runs/{self.run_id}/rollout?row={row}&heads={heads}")
        require(len(api["shares"]) == self.n, f"GET /rollout has {len(api['shares'])} shares for {self.n} tokens")
        ok, problems = wait_until(lambda: (lambda p: (not p, p))(
            self.number_problems("share", self.values("#rollout-bars .rollout-bar[data-value]"), api["shares"])
            + ([] if self.page.get_attribute("#rollout-bars", "data-row") == str(row)
               else [f"#rollout-bars data-row {self.page.get_attribute('#rollout-bars', 'data-row')!r}"])), 10)
        require(ok, f"rollout row {row} heads {heads}: " + "; ".join(problems[:4]))
        tokens = self.page.eval_on_selector_all("#rollout-bars .rollout-bar .tok", "e => e.map(x => x.textContent)")
        require(tokens == api["tokens"], f"bar labels {tokens[:6]}…, the API's tokens {api['tokens'][:6]}…")
        return api

    def rollout_view(self):
        self.tab("rollout")
        api = self.rollout_check(self.n - 1, "all")
        require(self.page.input_value("#rollout-row") == str(self.n - 1), "the row selector is not the last token")
        total = sum(api["shares"])
        row = min(3, self.n - 1)
        self.page.select_option("#rollout-row", str(row))
        self.rollout_check(row, "all")
        heads = [h for h in (0, 2) if h < self.heads] or [0]
        for h in heads:
            self.page.check(f'#rollout-heads input[value="{h}"]')
        chosen = ",".join(map(str, heads))
        ok, query = wait_until(lambda: (lambda q: (q.get("heads") == chosen, q))(self.url_query()), 10)
        require(ok, f"after choosing heads {chosen} the URL has heads={query.get('heads')!r}")
        require(not self.page.is_checked('#rollout-heads input[value="all"]'), '"all" stays checked with heads chosen')
        self.rollout_check(row, chosen)
        query = self.url_query()
        require(query.get("view") == "rollout" and query.get("row") == str(row),
                f"the URL is {self._path(self.page.url)} (view=rollout&row={row} expected)")
        return (f"{self.n} bars = tokens, values = GET /rollout shares (sum {total:.4f}) for the last token, then "
                f"row {row} and heads {chosen}")

    def permalink_rollout(self):
        url = self._path(self.page.url)
        query = self.url_query()
        self.page.reload(wait_until="load", timeout=30000)
        self.wait_tab("rollout", url)
        self.rollout_check(int(query["row"]), query["heads"])
        checked = [h for h in self.values("#rollout-heads input:checked", "value")]
        require(",".join(checked) == query["heads"], f"after reloading the checked heads are {checked}")
        require(self.url_query() == query, f"after reloading: URL {self._path(self.page.url)}, before {url}")
        return f"reloaded {url}: rollout of row {query['row']}, heads {query['heads']}"

    def flow_points(self) -> dict[str, list[tuple[int, str]]]:
        points = self.attrs("#flow-svg circle.flow-point", ["data-series", "data-layer", "data-value"])
        series: dict[str, list[tuple[int, str]]] = {}
        for p in points:
            series.setdefault(p["data-series"], []).append((int(p["data-layer"]), p["data-value"]))
        return series

    def flow_check(self, api: dict, position):
        def expected(key):
            out = []
            for layer in api["layers"]:
                values = [v for v in layer[key] if v is not None]
                out.append(sum(values) / len(values) if position == "mean" else layer[key][position])
            return out

        def probe():
            series = self.flow_points()
            problems = []
            for key in FLOW_SERIES:
                points = sorted(series.get(key, []))
                if len(points) != len(api["layers"]):
                    problems.append(f"{key}: {len(points)} points, {len(api['layers'])} layers")
                    continue
                problems += self.number_problems(key, [v for _, v in points], expected(key))
            lines = self.values("#flow-svg path.flow-line", "data-series")
            if sorted(lines) != sorted(FLOW_SERIES):
                problems.append(f"lines drawn: {lines}")
            return not problems, problems

        ok, problems = wait_until(probe, 10)
        require(ok, f"flow chart at position {position}: " + "; ".join(problems[:4]))

    def flow_view(self):
        self.tab("flow")
        self.page.wait_for_selector("#flow-svg", timeout=30000)
        api = self.api.get(f"/api/runs/{self.run_id}/flow")
        require(len(api["layers"]) == self.layers, f"GET /flow has {len(api['layers'])} layers, the model {self.layers}")
        require(self.page.input_value("#flow-position") == str(self.n - 1), "the position is not the last token")
        self.flow_check(api, self.n - 1)
        legend = self.values("#flow-legend li[data-series]", "data-series")
        require(sorted(legend) == sorted(FLOW_SERIES), f"the legend lists {legend}")
        ticks = self.count("#flow-svg .flow-axes text")
        require(ticks >= self.layers + 4, f"only {ticks} axis labels")
        self.page.focus("#flow-svg")
        self.page.keyboard.press("ArrowRight")
        ok, text = wait_until(lambda: (lambda t: ("Layer 0" in t, t))(
            self.page.inner_text(".flow-tooltip") if self.page.is_visible(".flow-tooltip") else ""), 5)
        require(ok, f"ArrowRight on the chart shows no hover values for layer 0 (tooltip {text!r})")
        self.page.select_option("#flow-position", "mean")
        self.flow_check(api, "mean")
        require(self.url_query().get("position") == "mean", f"the URL is {self._path(self.page.url)} (position=mean)")
        return (f"{len(FLOW_SERIES)} lines × {self.layers} points = GET /flow at the last position and the mean; "
                f"keyboard hover: {text.splitlines()[0]!r}")

    def permalink_flow(self):
        url = self._path(self.page.url)
        query = self.url_query()
        self.page.reload(wait_until="load", timeout=30000)
        self.wait_tab("flow", url)
        self.page.wait_for_selector("#flow-svg", timeout=30000)
        require(self.page.input_value("#flow-position") == "mean", "the position is not restored")
        self.flow_check(self.api.get(f"/api/runs/{self.run_id}/flow"), "mean")
        require(self.url_query() == query, f"after reloading: URL {self._path(self.page.url)}, before {url}")
        return f"reloaded {url}: the mean over positions"

    def anomaly_entries(self) -> list[dict]:
        return self.attrs("#anomaly-list .anomaly-entry", ["data-type", "data-index", "data-layer", "data-head"])

    def anomalies_check(self, api: dict):
        want = len(api["anomalies"])
        ok, count = wait_until(lambda: (lambda c: (c == str(want), c))(
            self.page.get_attribute("#anomaly-list", "data-count")), 30)
        require(ok, f"#anomaly-list data-count {count!r}, GET /anomalies has {want} entries")
        entries = self.anomaly_entries()
        require(len(entries) == want, f"{len(entries)} .anomaly-entry elements, the API has {want} anomalies")
        shown = sorted((int(e["data-index"]), e["data-type"]) for e in entries)
        expected = [(i, a["type"]) for i, a in enumerate(api["anomalies"])]
        require(shown == expected, f"entries {shown[:5]}…, the API {expected[:5]}…")
        for e in entries:
            a = api["anomalies"][int(e["data-index"])]
            require(e["data-layer"] == ("" if a["layer"] is None else str(a["layer"]))
                    and e["data-head"] == ("" if a["head"] is None else str(a["head"])),
                    f"entry {e['data-index']}: layer/head {e['data-layer']}/{e['data-head']}, API {a['layer']}/{a['head']}")
        if not want:
            require(self.page.is_visible("#anomalies-empty"), "no anomalies but no empty state is shown")
        flips = self.count("#lens-flips .flip-cell[data-position]")
        require(flips == len(api["lens_flips"]), f"{flips} lens-flip cells, the API has {len(api['lens_flips'])}")
        settled = self.values("#lens-flips .flip-cell", "data-settled")
        require(settled == [str(f["settled_layer"]) for f in api["lens_flips"]], f"settling layers {settled}")
        return entries

    def anomalies_view(self):
        self.tab("anomalies")
        default = self.api.get(f"/api/runs/{self.run_id}/anomalies")
        self.anomalies_check(default)
        empty = self.page.is_visible("#anomalies-empty")
        self.page.fill("#anomaly-high_attention", ANOMALY_PARAMETERS["high_attention"])
        self.page.fill("#anomaly-outlier_factor", ANOMALY_PARAMETERS["outlier_factor"])
        self.page.check("#anomaly-include_first_token")
        self.page.click("#anomaly-apply")
        ok, query = wait_until(lambda: (lambda q: (all(q.get(k) == v for k, v in ANOMALY_PARAMETERS.items()), q))(
            self.url_query()), 10)
        require(ok, f"after setting the thresholds the URL is {self._path(self.page.url)} ({ANOMALY_QUERY} expected)")
        api = self.api.get(f"/api/runs/{self.run_id}/anomalies?{ANOMALY_QUERY}")
        require(api["anomalies"], f"GET /anomalies?{ANOMALY_QUERY} has no entries for the fixture model: lower the "
                                  "thresholds of this test")
        entries = self.anomalies_check(api)
        first = api["anomalies"][int(entries[0]["data-index"])]
        text = self.page.inner_text("#anomaly-list .anomaly-entry >> nth=0")
        if first["type"] in ("high_attention", "uniform_attention", "dead_head"):
            require(f"L{first['layer']} H{first['head']}" in text and str(first["threshold"]) in text,
                    f"the first entry reads {text!r}: no L{first['layer']} H{first['head']} or threshold")
        self.anomalies = api
        types = Counter(a["type"] for a in api["anomalies"])
        return (f"defaults: {len(default['anomalies'])} entries{' (empty state shown)' if empty else ''}; "
                f"{ANOMALY_QUERY}: {len(entries)} entries = GET /anomalies ({dict(types)}); first: {text!r}")

    def permalink_anomalies(self):
        url = self._path(self.page.url)
        query = self.url_query()
        self.page.reload(wait_until="load", timeout=30000)
        self.wait_tab("anomalies", url)
        entries = self.anomalies_check(self.anomalies)
        require(self.page.input_value("#anomaly-high_attention") == ANOMALY_PARAMETERS["high_attention"]
                and float(self.page.input_value("#anomaly-outlier_factor")) == float(ANOMALY_PARAMETERS["outlier_factor"])
                and self.page.is_checked("#anomaly-include_first_token"), "the threshold controls are not restored")
        require(self.url_query() == query, f"after reloading: URL {self._path(self.page.url)}, before {url}")
        return f"reloaded {url}: {len(entries)} entries"

    def anomalies_open(self):
        api = self.anomalies
        done = []
        for kind in ("high_attention", "uniform_attention", "dead_head", "outlier_activation", "logit_lens_flip"):
            index = next((i for i, a in enumerate(api["anomalies"]) if a["type"] == kind), None)
            if index is None:
                continue
            a = api["anomalies"][index]
            if self.url_query().get("view") != "anomalies":
                self.page.go_back()
                self.page.wait_for_selector(f'#anomaly-list .anomaly-entry[data-index="{index}"]', timeout=30000)
            how = self.click(f'#anomaly-list .anomaly-entry[data-index="{index}"]')
            if kind in ("high_attention", "uniform_attention", "dead_head"):
                want = {"view": "attention", "layer": str(a["layer"]), "attention_head": str(a["head"])}
            elif kind == "outlier_activation":
                top = max(a["hits"], key=lambda hit: hit[3])
                want = {"view": "graph", "select": f"I{top[0]}_{top[1]}"}
            else:
                want = {"view": "lens", "point": "post", "cell": f"{a['first_layer']},{a['positions'][0]}"}
            ok, query = wait_until(lambda: (lambda q: (all(q.get(k) == v for k, v in want.items()), q))(
                self.url_query()), 10)
            require(ok, f"clicking the {kind} entry{how} gave {self._path(self.page.url)}, expected "
                        + "&".join(f"{k}={v}" for k, v in want.items()))
            require(self.page.get_attribute(f"#tab-{want['view']}", "aria-selected") == "true",
                    f"#tab-{want['view']} is not selected after clicking the {kind} entry")
            if want["view"] == "attention":
                self.page.wait_for_selector('#attention-view canvas[data-ready="true"]', timeout=30000)
                selects = (self.page.input_value("#attention-layer"), self.page.input_value("#attention-head"))
                require(selects == (want["layer"], want["attention_head"]), f"the attention selects show {selects}")
                thumb = self.attrs("#attention-grid canvas.selected", ["data-layer", "data-head"])
                require([(t["data-layer"], t["data-head"]) for t in thumb] == [(want["layer"], want["attention_head"])],
                        f"the selected thumbnail is {thumb}")
            elif want["view"] == "graph":
                ok, title = wait_until(lambda: (lambda t: (want["select"] in t, t))(
                    self.page.inner_text("#panel-title")), 15)
                require(ok, f"the panel title is {title!r} after opening {want['select']}")
            else:
                self.page.wait_for_selector("#lens-grid td.selected", timeout=30000)
                cell = self.attrs("#lens-grid td.selected", ["data-layer", "data-token"])
                require([f"{c['data-layer']},{c['data-token']}" for c in cell] == [want["cell"]],
                        f"the selected lens cell is {cell}")
            done.append(f"{kind} → " + "&".join(f"{k}={v}" for k, v in want.items() if k != "view") + f" ({want['view']})")
        # the per-position settling row opens the lens grid at that position too
        if api["lens_flips"]:
            if self.url_query().get("view") != "anomalies":
                self.page.go_back()
                self.page.wait_for_selector("#lens-flips .flip-cell", timeout=30000)
            flip = api["lens_flips"][-1]
            layer = flip["settled_layer"] if flip["stays"] else flip["first_layer"]
            how = self.click(f'#lens-flips .flip-cell[data-position="{flip["position"]}"]')
            want = f"{layer},{flip['position']}"
            ok, query = wait_until(lambda: (lambda q: (q.get("view") == "lens" and q.get("cell") == want, q))(
                self.url_query()), 10)
            require(ok, f"clicking the lens-flip cell of position {flip['position']}{how} gave {self._path(self.page.url)}")
            self.page.wait_for_selector("#lens-grid td.selected", timeout=30000)
            cell = self.attrs("#lens-grid td.selected", ["data-layer", "data-token"])
            require([f"{c['data-layer']},{c['data-token']}" for c in cell] == [want], f"the selected lens cell is {cell}")
            done.append(f"lens-flip cell → lens cell={want}")
        self.page.go_back()
        ok, query = wait_until(lambda: (lambda q: (q.get("view") == "anomalies", q))(self.url_query()), 10)
        require(ok, f"Back did not return to the anomalies view: {self._path(self.page.url)}")
        return "; ".join(done)

    def ablation_view(self):
        self.tab("ablation")
        self.page.wait_for_selector("#ablation-measure", timeout=10000)
        time.sleep(0.5)
        early = [r for r in self.requests if re.search(r"^/api/runs/[^/]+/ablation", r)]
        require(not early, f"the page asked for the ablation before the button was pressed: {early}")
        require(self.count("#ablation-grid .ablation-cell") == 0, "ablation cells are shown before measuring")
        self.page.click("#ablation-measure")
        want = self.layers * self.heads
        self.wait_count("#ablation-grid .ablation-cell[data-layer][data-head]", want, 120)
        api = self.api.get(f"/api/runs/{self.run_id}/ablation")
        require(len(api["heads"]) == want, f"GET /ablation has {len(api['heads'])} heads, the run {want}")
        cells = {(int(c["data-layer"]), int(c["data-head"])): c["data-value"]
                 for c in self.attrs("#ablation-grid .ablation-cell", ["data-layer", "data-head", "data-value"])}
        problems = []
        for e in api["heads"]:
            problems += self.number_problems(f"L{e['layer']} H{e['head']}", [cells.get((e["layer"], e["head"]), "")],
                                             [e["delta_log_probability"]])
        require(not problems, f"{len(problems)} ablation cells differ from GET /ablation, e.g. " + "; ".join(problems[:4]))
        bars = {int(b["data-layer"]): b["data-value"]
                for b in self.attrs("#ablation-layers .ablation-layer-bar", ["data-layer", "data-value"])}
        require(len(bars) == len(api["layers"]) == self.layers, f"{len(bars)} layer bars, the API {len(api['layers'])}")
        problems = []
        for e in api["layers"]:
            problems += self.number_problems(f"layer {e['layer']}", [bars.get(e["layer"], "")], [e["delta_log_probability"]])
        require(not problems, "layer bars differ from GET /ablation: " + "; ".join(problems[:4]))
        require(self.url_query().get("measure") == "1", f"the URL {self._path(self.page.url)} has no measure=1")
        require(self.page.get_attribute("#ablation-measure", "disabled") is None, "the button stays disabled")
        return (f"no request before the click; {want} cells and {len(bars)} layer bars = GET /ablation "
                f"(predicted {api['predicted']['display']!r}, log p {api['log_probability']:.3f})")

    def permalink_ablation(self):
        url = self._path(self.page.url)
        query = self.url_query()
        self.page.reload(wait_until="load", timeout=30000)
        self.wait_tab("ablation", url)
        self.wait_count("#ablation-grid .ablation-cell[data-layer][data-head]", self.layers * self.heads, 120)
        require(self.url_query() == query, f"after reloading: URL {self._path(self.page.url)}, before {url}")
        return f"reloaded {url}: {self.layers * self.heads} cells"

    # --- the Compare page (/?page=compare) and the Reports page (/?page=reports)

    def expect_failure(self, path: str, status: int):
        """Lets Chromium's console line for this expected HTTP error through (see _console)."""
        self.expected_failures.add((path, status))

    def end_expected_failures(self, path: str, status: int):
        wait_until(lambda: (any(s.startswith(f"{path} → {status}") for s in self.expected_seen), None), 3)
        self.expected_failures.discard((path, status))

    def compare_cards(self) -> list[dict]:
        return self.page.eval_on_selector_all("#compare-prompts .prompt-card", """cards => cards.map(c => ({
            name: c.querySelector('.prompt-name').textContent,
            tokens: [...c.querySelectorAll('.prompt-tokens .token')].map(t => [t.textContent, t.dataset.group ?? null]),
            top: [...c.querySelectorAll('.prompt-top li')].map(li => [li.dataset.tokenId, li.dataset.value]),
            targets: [...c.querySelectorAll('.target-table tbody tr')].map(tr => ({
                text: tr.dataset.text,
                p: tr.querySelector('td[data-key=probability]').dataset.value,
                shown: tr.querySelector('td[data-key=probability]').textContent,
                lp: tr.querySelector('td[data-key=log_probability]').dataset.value})),
            diffs: [...c.querySelectorAll('.target-diff')].map(d => [d.dataset.a, d.dataset.b, d.dataset.value]),
        }))""")

    def compare_rows(self, column: str) -> list[tuple[int, int, str | None]]:
        """(layer, head, data-value of the column) of the heads table, top to bottom."""
        rows = self.page.eval_on_selector_all(
            "#compare-heads-table tbody tr",
            "(rows, c) => rows.map(r => { const td = r.querySelector(`td[data-key='${c}']`);"
            " return [Number(r.dataset.layer), Number(r.dataset.head), td ? td.dataset.value : null]; })", column)
        return [tuple(r) for r in rows]

    def compare_grid(self) -> dict[tuple[int, int], str]:
        return {(int(c["data-layer"]), int(c["data-head"])): c["data-value"]
                for c in self.attrs("#compare-grid .compare-cell", ["data-layer", "data-head", "data-value"])}

    def compare_submit(self, status: int = 200):
        """Presses Compare; the body the page sent and the page's response status."""
        with self.page.expect_response(lambda r: r.url.endswith("/api/compare") and r.request.method == "POST",
                                       timeout=60000) as info:
            self.page.click("#compare-submit")
        response = info.value
        require(response.status == status, f"POST /api/compare → {response.status}, expected {status}")
        return response.request.post_data_json

    def model_shape(self, name: str) -> tuple[int, int]:
        for model in self.api.get("/api/models")["models"]:
            if model["name"] == name and "layers" in model:
                return model["layers"], model["heads"]
        raise Check(f"GET /api/models does not describe {name} (not loaded?)")

    @staticmethod
    def exact(text, value) -> bool:
        """A data-value holds the API's number (the page writes the full double)."""
        try:
            return abs(float(text) - value) <= 1e-12 + 1e-9 * abs(value)
        except (TypeError, ValueError):
            return False

    @staticmethod
    def percent_value(text: str) -> float:
        match = re.fullmatch(r"\s*([0-9.]+(?:e[-−+]?\d+)?)%\s*", text.replace("−", "-"))
        if not match:
            raise Check(f"{text!r} is not a percentage")
        return float(match.group(1)) / 100

    def check_compare(self, api: dict) -> list[str]:
        """Differences between the prompt cards and the API's comparison."""
        problems = []
        cards = self.compare_cards()
        if len(cards) != len(api["prompts"]):
            return [f"{len(cards)} prompt cards, the API has {len(api['prompts'])} prompts"]
        for i, (card, p) in enumerate(zip(cards, api["prompts"])):
            if [t[0] for t in card["tokens"]] != p["tokens"]:
                problems.append(f"prompt {i}: tokens {[t[0] for t in card['tokens']]}, API {p['tokens']}")
            for g, group in enumerate(api["groups"]):
                marked = [k for k, t in enumerate(card["tokens"]) if t[1] == str(g)]
                if marked != group["positions"][i]:
                    problems.append(f"prompt {i}: group {g} highlights tokens {marked}, API positions {group['positions'][i]}")
            if [int(t[0]) for t in card["top"]] != [t["id"] for t in p["top"]]:
                problems.append(f"prompt {i}: top ids {[t[0] for t in card['top']]}, API {[t['id'] for t in p['top']]}")
            problems += [f"prompt {i}: top {t[0]} p {t[1]!r}, API {a['probability']}"
                         for t, a in zip(card["top"], p["top"]) if not self.exact(t[1], a["probability"])]
            if [t["text"] for t in card["targets"]] != [t["text"] for t in api["targets"]]:
                problems.append(f"prompt {i}: targets {[t['text'] for t in card['targets']]}, API "
                                f"{[t['text'] for t in api['targets']]}")
            for shown, target, lp in zip(card["targets"], api["targets"], p["target_log_probabilities"]):
                probability = math.exp(lp)
                if not self.exact(shown["p"], probability):
                    problems.append(f"prompt {i} target {target['text']!r}: p {shown['p']!r}, API exp({lp}) = {probability}")
                if not self.exact(shown["lp"], lp):
                    problems.append(f"prompt {i} target {target['text']!r}: log p {shown['lp']!r}, API {lp}")
                if abs(self.percent_value(shown["shown"]) - probability) > 0.005 * probability:
                    problems.append(f"prompt {i} target {target['text']!r}: shows {shown['shown']!r}, API p {probability}")
            want = [(d["a"], d["b"], d["log_ratio"][i]) for d in api["target_differences"]]
            got = card["diffs"]
            if len(got) != len(want) or any(g[0] != w[0] or g[1] != w[1] or not self.exact(g[2], w[2])
                                            for g, w in zip(got, want)):
                problems.append(f"prompt {i}: log p(a) − log p(b) {got}, API target_differences {want}")
        return problems

    def compare_pair(self):
        if urllib.parse.urlsplit(self.page.url).query.startswith("page=") or self.count("#page-run") != 1:
            self.page.goto(self.base + "/", wait_until="load", timeout=30000)
        for name in ("run", "compare", "reports"):
            require(self.count(f"header nav a#nav-{name}") == 1, f"the header has no #nav-{name} link")
        require(self.page.get_attribute("#nav-run", "aria-current") == "page", "#nav-run is not aria-current on the run page")
        self.page.focus("#nav-compare")  # keyboard: the header link
        with self.page.expect_navigation(timeout=30000):
            self.page.keyboard.press("Enter")
        self.page.wait_for_selector("#compare-form", timeout=15000)
        require(self.url_query().get("page") == "compare", f"Enter on Compare opened {self._path(self.page.url)}")
        require(self.page.get_attribute("#nav-compare", "aria-current") == "page", "#nav-compare is not aria-current")
        ok, model = wait_until(lambda: (lambda v: (v == "tiny-gpt2", v))(self.page.input_value("#compare-model")), 10)
        require(ok, f"#compare-model is {model!r}, the server's default is tiny-gpt2")
        a, b, targets = (self.page.input_value(s) for s in ("#compare-a", "#compare-b", "#compare-targets"))
        require((a, b) == ("The [[doctor]] said that", "The [[nurse]] said that"),
                f"the pair is prefilled with {a!r} / {b!r}")
        chips = self.page.eval_on_selector_all("#compare-targets-preview .target-chip", "e => e.map(x => x.textContent)")
        require(chips == ["␣he", "␣she"], f"the targets preview shows {chips} for {targets!r} (spaces as ␣ expected)")
        body = self.compare_submit()
        want = {"model": "tiny-gpt2", "kind": "pair", "prompts": [a, b], "targets": [" he", " she"]}
        require(body == want, f"the page sent {short(body)}, expected {short(want)}")
        api = self.api.post("/api/compare", body)
        layers, heads = self.model_shape("tiny-gpt2")
        self.wait_count("#compare-heads-table tbody tr[data-layer][data-head]", layers * heads)
        problems = self.check_compare(api)
        require(not problems, f"{len(problems)} differences from POST /api/compare: " + "; ".join(problems[:4]))
        require(len(api["heads"]) == layers * heads, f"the API has {len(api['heads'])} heads for {layers}×{heads}")
        metric = self.page.input_value("#compare-metric")
        want_diff = {(x["layer"], x["head"]): x["difference"][metric] for x in api["heads"]}
        rows = self.compare_rows(f"{metric}:diff")
        bad = [f"L{l} H{h}: {v!r} vs {want_diff[(l, h)]}" for l, h, v in rows if not self.exact(v, want_diff[(l, h)])]
        require(not bad, f"the {metric} Δ column differs from the API's difference: " + "; ".join(bad[:4]))
        for i in range(2):
            values = {(l, h): v for l, h, v in self.compare_rows(f"{metric}:{i}")}
            bad = [f"L{x['layer']} H{x['head']}" for x in api["heads"]
                   if not self.exact(values.get((x["layer"], x["head"])), x["values"][metric][i])]
            require(not bad, f"prompt {i}'s {metric} values differ from the API at {bad[:4]}")
        grid = self.compare_grid()
        require(len(grid) == layers * heads and all(self.exact(grid[k], v) for k, v in want_diff.items()),
                f"the layer × head grid ({len(grid)} cells) differs from the API's {metric} differences")
        query = self.url_query()
        want_query = {"page": "compare", "mode": "pair", "model": "tiny-gpt2", "a": a, "b": b, "targets": targets, "run": "1"}
        require(all(query.get(k) == v for k, v in want_query.items()),
                f"the URL {self._path(self.page.url)} lacks {want_query}")
        self.compare_body, self.compare_api = body, api
        shown = [(t["text"], round(math.exp(lp), 6)) for t, lp in zip(api["targets"], api["prompts"][0]["target_log_probabilities"])]
        return (f"sent {short(body, 200)}; targets, top predictions, log p(a) − log p(b) and tokens = the API "
                f"(prompt A p {shown}); {len(rows)} heads rows = {layers}×{heads}; grid = {metric} Δ")

    def compare_sort(self):
        api = self.compare_api
        metric = self.page.input_value("#compare-metric")
        diff = {(x["layer"], x["head"]): x["difference"] for x in api["heads"]}

        def order(key: str):
            rows = self.compare_rows(f"{key}:diff")
            return [(l, h) for l, h, _ in rows], [diff[(l, h)][key] for l, h, _ in rows]

        def natural(heads):
            return heads == sorted(heads)

        _, values = order(metric)
        require([abs(v) for v in values] == sorted((abs(v) for v in values), reverse=True),
                f"by default the rows are not by |{metric} Δ| largest first: {values}")
        sort = self.page.get_attribute(f'#compare-heads-table thead th[data-key="{metric}"]', "aria-sort")
        require(sort == "descending", f'th[data-key="{metric}"] aria-sort is {sort!r} by default')
        steps = []
        for how, want_order, check in (("click", "desc", lambda v: v == sorted(v, reverse=True)),
                                       ("Enter", "asc", lambda v: v == sorted(v))):
            selector = f'#compare-heads-table thead button[data-key="{metric}"]'
            if how == "click":
                self.click(selector)
            else:
                self.page.focus(selector)
                self.page.keyboard.press("Enter")
            ok, _ = wait_until(lambda: (self.url_query().get("order") == want_order, None), 5)
            require(ok, f"{how} on the {metric} Δ header: URL order={self.url_query().get('order')!r}, expected {want_order}")
            _, values = order(metric)
            require(check(values), f"after {how} ({want_order}) the {metric} Δ column is {values}")
            steps.append(f"{how} → {want_order}")
        other = "focus" if metric != "focus" else "entropy"
        self.click(f'#compare-heads-table thead button[data-key="{other}"]')
        ok, _ = wait_until(lambda: (self.page.input_value("#compare-metric") == other, None), 5)
        require(ok, f"sorting by the {other} Δ column did not choose {other} in #compare-metric")
        heads_order, values = order(other)
        require([abs(v) for v in values] == sorted((abs(v) for v in values), reverse=True),
                f"rows not by |{other} Δ| after clicking its header: {values}")
        grid = self.compare_grid()
        require(all(self.exact(grid[k], v[other]) for k, v in diff.items()), f"the grid does not show the {other} Δ")
        require(self.url_query().get("metric") == other, f"the URL has metric={self.url_query().get('metric')!r}")
        # a row shows its head's aligned attention (per prompt per group)
        layer, head = heads_order[-1]
        self.click(f'#compare-heads-table tbody tr[data-layer="{layer}"][data-head="{head}"]')
        ok, _ = wait_until(lambda: ((self.page.get_attribute("#compare-aligned", "data-layer"),
                                     self.page.get_attribute("#compare-aligned", "data-head")) == (str(layer), str(head)), None), 5)
        require(ok, f"clicking the L{layer} H{head} row does not show its aligned attention")
        x = next(x for x in api["heads"] if (x["layer"], x["head"]) == (layer, head))
        cells = self.page.eval_on_selector_all(
            "#compare-aligned-table tbody tr", "rows => rows.map(r => [...r.querySelectorAll('td.aligned-value')]"
            ".map(td => td.dataset.value))")
        want = [[x["aligned_attention"][i][g] for i in range(len(api["prompts"]))] for g in range(len(api["groups"]))]
        require(len(cells) == len(want) and all(self.exact(c, w) for row, wrow in zip(cells, want) for c, w in zip(row, wrow)),
                f"aligned attention of L{layer} H{head}: page {cells}, API {want}")
        require(self.url_query().get("head") == f"{layer},{head}", f"the URL has head={self.url_query().get('head')!r}")
        self.compare_order = heads_order
        return (f"{metric}: |Δ| ↓ by default, then {', '.join(steps)}; {other} header → metric {other}, rows and grid "
                f"as the API; L{layer} H{head} aligned attention {want} = the API")

    def compare_reload(self):
        url = self._path(self.page.url)
        query = self.url_query()
        before = [(l, h) for l, h, _ in self.compare_rows("layer")]
        self.page.reload(wait_until="load", timeout=30000)
        layers, heads = self.model_shape("tiny-gpt2")
        self.wait_count("#compare-heads-table tbody tr[data-layer][data-head]", layers * heads)
        require(self.url_query() == query, f"after reloading: URL {self._path(self.page.url)}, before {url}")
        values = (self.page.input_value("#compare-a"), self.page.input_value("#compare-b"),
                  self.page.input_value("#compare-targets"), self.page.input_value("#compare-metric"))
        want = (query["a"], query["b"], query["targets"], query["metric"])
        require(values == want, f"after reloading the form shows {values}, the URL says {want}")
        require(self.page.is_checked("#compare-mode-pair"), "after reloading the mode is not pair")
        after = [(l, h) for l, h, _ in self.compare_rows("layer")]
        require(after == before, f"after reloading the rows are in the order {after}, before {before}")
        aligned = (self.page.get_attribute("#compare-aligned", "data-layer"), self.page.get_attribute("#compare-aligned", "data-head"))
        require(",".join(aligned) == query["head"], f"after reloading the aligned attention shows {aligned}, URL head={query['head']}")
        problems = self.check_compare(self.compare_api)
        require(not problems, "after reloading: " + "; ".join(problems[:4]))
        return f"reloaded {short(url, 160)}: form, metric, order, chosen head and numbers restored"

    def compare_set(self):
        self.click('label[for="compare-mode-set"]')
        require(self.page.is_checked("#compare-mode-set"), "the Set mode is not selected after clicking it")
        rows = self.page.eval_on_selector_all("#compare-set li", "rows => rows.map(r => [r.querySelector('.set-label').value,"
                                              " r.querySelector('.set-prompt').value])")
        require(len(rows) >= 3, f"the set is prefilled with {rows}")
        body = self.compare_submit()
        want = {"model": "tiny-gpt2", "kind": "set", "prompts": [r[1] for r in rows], "labels": [r[0] for r in rows],
                "targets": [" he", " she"]}
        require(body == want, f"the page sent {short(body)}, expected {short(want)}")
        api = self.api.post("/api/compare", body)
        self.wait_count("#compare-prompts .prompt-card", len(rows))
        ok, kind = wait_until(lambda: (lambda k: (k == "set", k))(self.page.get_attribute("#compare-results", "data-kind")), 10)
        require(ok, f"#compare-results data-kind is {kind!r}")
        problems = self.check_compare(api)
        names = [c["name"] for c in self.compare_cards()]
        if names != [r[0] for r in rows]:
            problems.append(f"cards named {names}, labels {[r[0] for r in rows]}")
        variances = self.attrs("#compare-variance tbody tr[data-target] td", ["data-value"])
        if len(variances) != len(api["targets"]) or not all(
                self.exact(v["data-value"], w) for v, w in zip(variances, api["variance"]["target_probability"])):
            problems.append(f"target-probability variances {variances}, API {api['variance']['target_probability']}")
        share = self.page.get_attribute('#compare-variance tr[data-key="span_rollout_share"] td', "data-value")
        if not self.exact(share, api["variance"]["span_rollout_share"]):
            problems.append(f"span rollout share variance {share!r}, API {api['variance']['span_rollout_share']}")
        metric = self.page.input_value("#compare-metric")
        want_var = {(x["layer"], x["head"]): x["variance"][metric] for x in api["heads"]}
        table = self.compare_rows(f"{metric}:var")
        if len(table) != len(want_var) or not all(self.exact(v, want_var[(l, h)]) for l, h, v in table):
            problems.append(f"the {metric} variance column differs from the API")
        values = [abs(want_var[(l, h)]) for l, h, _ in table]
        if values != sorted(values, reverse=True):
            problems.append(f"rows not by |{metric} variance| largest first")
        require(not problems, f"{len(problems)} differences from POST /api/compare (set): " + "; ".join(problems[:4]))
        query = self.url_query()
        require(query.get("mode") == "set" and urllib.parse.parse_qs(urllib.parse.urlsplit(self.page.url).query).get("l")
                == [r[0] for r in rows], f"the URL {self._path(self.page.url)} lacks mode=set and the labels")
        return (f"{len(rows)} prompts {[r[0] for r in rows]}: cards, variances of p and of the span rollout share, "
                f"{len(table)} rows of {metric} variance = the API")

    def compare_error(self):
        self.click('label[for="compare-mode-pair"]')
        self.page.fill("#compare-b", "The nurse said that")
        body = {"model": "tiny-gpt2", "kind": "pair", "prompts": [self.page.input_value("#compare-a"), "The nurse said that"],
                "targets": [" he", " she"]}
        api = self.api.post("/api/compare", body, expect=400)["error"]
        self.expect_failure("/api/compare", 400)
        try:
            sent = self.compare_submit(400)
            require(sent == body, f"the page sent {short(sent)}, expected {short(body)}")

            def shown():
                visible = self.page.is_visible("#compare-error")
                return visible, self.page.inner_text("#compare-error") if visible else ""

            ok, text = wait_until(shown, 10)
            require(ok, "no #compare-error is shown after the 400")
            require(api["message"] in text and "mismatched" in text and "parameter: prompts" in text,
                    f"#compare-error reads {text!r}; the API says {api['message']!r} (parameter "
                    f"{api.get('details', {}).get('parameter')!r})")
            invalid = [self.page.get_attribute(s, "aria-invalid") for s in ("#compare-a", "#compare-b")]
            require(invalid == ["true", "true"], f"the prompt fields are not marked aria-invalid: {invalid}")
            # the URL keeps the failing form: a reload shows the same error
            self.page.reload(wait_until="load", timeout=30000)
            ok, again = wait_until(shown, 15)
            require(ok and api["message"] in again, f"after reloading #compare-error reads {again!r}")
            require(self.page.input_value("#compare-b") == "The nurse said that", "after reloading prompt B is lost")
        finally:
            self.end_expected_failures("/api/compare", 400)
        return f"400 shown next to the form: {text.splitlines()[0]} / {api['message']!r}; again after a reload"

    # --- reports

    def report_progress(self) -> tuple[str, int, int, str]:
        status = self.page.get_attribute("#report-status", "data-status") or ""
        value, maximum = self.page.eval_on_selector("#report-progress", "p => [p.value, p.max]")
        return status, int(value), int(maximum), self.page.inner_text("#report-progress-text")

    def report_run(self):
        self.page.focus("#nav-reports")
        with self.page.expect_navigation(timeout=30000):
            self.page.keyboard.press("Enter")
        self.page.wait_for_selector("#report-form", timeout=15000)
        require(self.page.get_attribute("#nav-reports", "aria-current") == "page", "#nav-reports is not aria-current")
        ok, model = wait_until(lambda: (lambda v: (v == "tiny-gpt2", v))(self.page.input_value("#report-model")), 10)
        require(ok, f"#report-model is {model!r}")
        prefilled = [line for line in self.page.input_value("#report-prompts").splitlines() if line.strip()]
        require(len(prefilled) >= 5, f"the prompts box is prefilled with {len(prefilled)} prompts")
        require(self.page.is_checked("#report-ablation"), "ablation is not on by default")
        layers, heads = self.model_shape("tiny-gpt2")
        cost = self.page.inner_text("#report-ablation-cost")
        require(str(layers * heads + layers) in cost and "L×H+L" in cost, f"the ablation hint reads {cost!r}")
        prompts = ["The capital of France is", "Once upon a time there was a",
                   "When Mary and John went to the store, John gave a drink to"]
        self.page.fill("#report-prompts", "\n".join(prompts))
        with self.page.expect_response(lambda r: r.url.endswith("/api/reports") and r.request.method == "POST",
                                       timeout=30000) as info:
            self.page.click("#report-start")
        response = info.value
        require(response.status == 202, f"POST /api/reports → {response.status}")
        body = response.request.post_data_json
        want = {"model": "tiny-gpt2", "prompts": prompts, "options": {"ablation": True, "clusters": 5}}
        require(body == want, f"the page sent {short(body)}, expected {short(want)}")
        self.report_id = response.json()["id"]
        ok, state = wait_until(lambda: (lambda s: (s[0] in ("done", "failed", "cancelled"), s))(self.report_progress()), 60)
        require(ok and state[0] == "done", f"the report did not finish: {state}")
        job = self.api.get(f"/api/reports/{self.report_id}")
        total = job["progress"]["total"]
        require(job["status"] == "done" and total == len(prompts) * (1 + layers * heads + layers),
                f"GET /api/reports/{self.report_id}: status {job['status']}, total {total} passes")
        require(state[1] == state[2] == total, f"the progress bar is at {state[1]}/{state[2]}, the job's total is {total}")
        require(f"pass {total}/{total}" in state[3] and f"{len(prompts)} of {len(prompts)}" in state[3],
                f"the progress text reads {state[3]!r}")
        require(self.url_query().get("report") == self.report_id, f"the URL {self._path(self.page.url)} has no report=id")
        self.report_job = job
        return f"job {self.report_id}: progress bar {state[1]}/{state[2]}, {state[3]!r}"

    def report_check(self) -> list[str]:
        r = self.report_job["report"]
        problems = []
        count = self.page.get_attribute("#report-recommendations", "data-count")
        shown = self.page.eval_on_selector_all("#report-recommendations .recommendation", """items => items.map(a => ({
            rule: a.dataset.rule, message: a.querySelector('.recommendation-message').textContent,
            evidence: [...a.querySelectorAll('.evidence-table tbody tr')].map(tr => [...tr.children].map(
                (td, i) => i === 3 ? Number(td.dataset.value) : td.textContent))}))""")
        dash = "–"
        want = [{"rule": x["rule"], "message": x["message"],
                 "evidence": [[e["measure"], dash if e["layer"] is None else str(e["layer"]),
                               dash if e["head"] is None else str(e["head"]), e["value"], e["threshold"]]
                              for e in x["evidence"]]} for x in r["recommendations"]]
        if count != str(len(r["recommendations"])) or shown != want:
            problems.append(f"recommendations {shown} (data-count {count}), the report {want}")
        rows = self.page.eval_on_selector_all("#report-prompts-table tbody tr[data-prompt]", """rows => rows.map(r => ({
            prompt: r.querySelector('.prompt-text').title, id: r.querySelector('.prediction').dataset.tokenId,
            counts: Object.fromEntries([...r.querySelectorAll('td[data-key][data-value]')].map(t => [t.dataset.key, Number(t.dataset.value)]))}))""")
        want_rows = [{"prompt": p["prompt"], "id": str(p["predictions"][0]["id"]), "counts": p["anomaly_counts"]}
                     for p in r["prompts"]]
        if rows != want_rows:
            problems.append(f"prompts table {short(rows, 300)}, the report {short(want_rows, 300)}")
        flow = self.values("#report-flow-table tbody tr[data-layer]", "data-layer")
        if flow != [str(l["layer"]) for l in r["layers_flow"]]:
            problems.append(f"layer-flow rows {flow}, the report's layers {[l['layer'] for l in r['layers_flow']]}")
        redundant = sum(1 for x in r["heads"] if x["ablation_nats"] is not None
                        and x["ablation_nats"] < r["options"]["redundant_head_nats"])
        if self.page.get_attribute("#report-redundant", "data-count") != str(redundant):
            problems.append(f"redundant heads {self.page.get_attribute('#report-redundant', 'data-count')}, the report {redundant}")
        return problems

    def report_result(self):
        self.page.wait_for_selector("#report-result:not([hidden])", timeout=15000)
        problems = self.report_check()
        require(not problems, "; ".join(problems))
        r = self.report_job["report"]
        return (f"{len(r['recommendations'])} recommendations, {len(r['prompts'])} prompt rows, "
                f"{len(r['layers_flow'])} layer rows as GET /api/reports/{self.report_id}")

    def report_html(self):
        href = f"/api/reports/{self.report_id}/html"
        link = self.attrs("#report-open-html", ["href", "target"])[0]
        require(link == {"href": href, "target": "_blank"}, f"#report-open-html is {link}")
        with self.page.context.expect_page(timeout=15000) as info:
            self.page.click("#report-open-html")
        tab = info.value
        tab.wait_for_load_state("load")
        require(self._path(tab.url) == href, f"the new tab opened {tab.url}")
        svg, scripts = tab.locator("svg").count(), tab.locator("script").count()
        title = tab.title()
        tab.close()
        status, headers, raw = self.api.server.request("GET", href)
        text = raw.decode("utf-8", "replace")
        require(status == 200 and "text/html" in headers.get("Content-Type", ""), f"GET {href} → {status} {headers}")
        require("<script" not in text.lower() and "<svg" in text and svg > 0 and scripts == 0,
                f"the report page has {scripts} scripts and {svg} svg elements (text: <script "
                f"{'present' if '<script' in text.lower() else 'absent'}, <svg {'present' if '<svg' in text else 'absent'})")
        download_link = self.attrs("#report-download-html", ["href", "download"])[0]
        require(download_link["href"] == href and (download_link["download"] or "").endswith(".html"),
                f"#report-download-html is {download_link}")
        with self.page.expect_download(timeout=20000) as info:
            self.page.click("#report-download-html")
        saved = os.path.join(ARTIFACTS, "report.html")
        info.value.save_as(saved)
        require(open(saved, encoding="utf-8").read() == text, "the downloaded HTML differs from GET …/html")
        with self.page.expect_download(timeout=20000) as info:
            self.page.click("#report-download-json")
        path = os.path.join(ARTIFACTS, "report.json")
        info.value.save_as(path)
        require(json.load(open(path, encoding="utf-8")) == self.report_job["report"],
                "the downloaded JSON is not the report of GET /api/reports/{id}")
        return (f"new tab {title!r}: {svg} <svg>, no <script>; Download HTML = the page ({len(text)} characters, "
                f"{info.value.suggested_filename} and report.html in {os.path.relpath(ARTIFACTS, REPO)})")

    def report_reload(self):
        url = self._path(self.page.url)
        self.page.reload(wait_until="load", timeout=30000)
        ok, state = wait_until(lambda: (lambda s: (s[0] == "done", s))(self.report_progress()), 15)
        require(ok, f"after reloading {url}: {state}")
        self.page.wait_for_selector("#report-result:not([hidden])", timeout=15000)
        problems = self.report_check()
        require(not problems, "after reloading: " + "; ".join(problems))
        prompts = [p["prompt"] for p in self.report_job["report"]["prompts"]]
        shown = [line for line in self.page.input_value("#report-prompts").splitlines() if line.strip()]
        require(shown == prompts, f"after reloading the prompts box holds {shown}")
        return f"reloaded {url}: done, same result, prompts restored"

    def report_evidence(self):
        """tiny-gpt2 fires no rule on short prompts; tiny-gemma3's concentrated heads do: the evidence tables."""
        self.page.select_option("#report-model", "tiny-gemma3")
        prompts = ["The capital of France is", "a b", "aaaa aaaa aaaa aaaa"]
        self.page.fill("#report-prompts", "\n".join(prompts))
        with self.page.expect_response(lambda r: r.url.endswith("/api/reports") and r.request.method == "POST",
                                       timeout=30000) as info:
            self.page.click("#report-start")
        require(info.value.status == 202, f"POST /api/reports → {info.value.status}")
        job_id = info.value.json()["id"]
        ok, state = wait_until(lambda: (lambda s: (s[0] in ("done", "failed", "cancelled"), s))(self.report_progress()), 60)
        require(ok and state[0] == "done", f"the tiny-gemma3 report did not finish: {state}")
        self.page.wait_for_selector("#report-result:not([hidden])", timeout=15000)
        first = self.report_job
        self.report_job = self.api.get(f"/api/reports/{job_id}")
        try:
            require(self.report_job["report"]["recommendations"], "tiny-gemma3 fired no rule on these prompts: "
                    "choose prompts that do, to check the evidence tables")
            problems = self.report_check()
            require(not problems, "; ".join(problems))
            recs = self.report_job["report"]["recommendations"]
            return (f"job {job_id}: {len(recs)} recommendations ({', '.join(x['rule'] for x in recs)}) with "
                    f"{sum(len(x['evidence']) for x in recs)} evidence rows (measure, layer, head, value, threshold) "
                    "= the API")
        finally:
            self.report_job = first

    def report_cancel(self):
        self.page.select_option("#report-model", "tiny-gemma3")
        prompts = [("The quick brown fox jumps over the lazy dog %d. " % i) * 15 for i in range(50)]
        self.page.fill("#report-prompts", "\n".join(prompts))
        with self.page.expect_response(lambda r: r.url.endswith("/api/reports") and r.request.method == "POST",
                                       timeout=30000) as info:
            self.page.click("#report-start")
        require(info.value.status == 202, f"POST /api/reports → {info.value.status}")
        job_id = info.value.json()["id"]
        require(job_id != self.report_id, "the second report has the first one's id")
        ok, state = wait_until(lambda: (lambda s: (s[0] == "running" and s[1] > 0 or s[0] in ("done", "failed"), s))(
            self.report_progress()), 30)
        require(ok and state[0] == "running", f"the second report is {state} (not running with progress)")
        self.click("#report-cancel")
        ok, state = wait_until(lambda: (lambda s: (s[0] == "cancelled", s))(self.report_progress()), 15)
        require(ok, f"after Cancel the page shows {state}")
        job = self.api.get(f"/api/reports/{job_id}")
        require(job["status"] == "cancelled" and job["progress"]["done"] < job["progress"]["total"],
                f"GET /api/reports/{job_id}: {job['status']} at {job['progress']}")
        require("cancelled" in state[3] and state[1] < state[2], f"the progress text reads {state[3]!r} at {state[1]}/{state[2]}")
        require(self.page.get_attribute("#report-cancel", "disabled") is not None, "Cancel stays enabled")
        require(self.url_query().get("report") == job_id, f"the URL has report={self.url_query().get('report')!r}")
        require(self.page.is_hidden("#report-result"), "a result is shown for a cancelled report")
        return f"job {job_id} on tiny-gemma3 (50 prompts): {state[3]!r}; the API says cancelled at {job['progress']}"

    def report_empty(self):
        self.page.fill("#report-prompts", "")
        api = self.api.post("/api/reports", {"model": "tiny-gpt2", "prompts": []}, expect=400)["error"]
        self.page.select_option("#report-model", "tiny-gpt2")
        self.expect_failure("/api/reports", 400)
        try:
            with self.page.expect_response(lambda r: r.url.endswith("/api/reports") and r.request.method == "POST",
                                           timeout=30000) as info:
                self.page.click("#report-start")
            require(info.value.status == 400, f"POST /api/reports with no prompts → {info.value.status}")
            require(info.value.request.post_data_json.get("prompts") == [], "the page did not send an empty prompt set")
            ok, text = wait_until(lambda: (lambda v: (v and api["message"] in self.page.inner_text("#report-error"),
                                                      self.page.inner_text("#report-error") if v else ""))(
                self.page.is_visible("#report-error")), 10)
            require(ok, f"#report-error reads {text!r}, the API says {api['message']!r}")
            require(self.page.get_attribute("#report-prompts", "aria-invalid") == "true", "the prompts box is not marked invalid")
        finally:
            self.end_expected_failures("/api/reports", 400)
        return f"400 shown next to the form: {' · '.join(text.splitlines())!r}"

    def no_errors(self):
        require(not self.errors, f"{len(self.errors)} console/page errors during the session: "
                + " | ".join(self.errors[:10]))
        return "none"


def write_config(directory: str) -> str:
    models = ", ".join(
        f'"{name}": {{"path": {json.dumps(os.path.join(REPO, "Tests", "Fixtures", "models", name))}, '
        f'"license": "test fixture"}}' for name in MODELS)
    text = (f'{{"default_model": "tiny-gpt2", "threads": 2, "memory_runs": 2,\n'
            f' "cache": {{"path": {json.dumps(os.path.join(directory, "models"))}, '
            f'"database": {json.dumps(os.path.join(directory, "runs.sqlite"))}, "max_megabytes": 64}},\n'
            f' "limits": {{}},\n "models": {{{models}}}}}\n')
    path = os.path.join(directory, "glassbox.json")
    with open(path, "w", encoding="utf-8") as file:
        file.write(text)
    return path


def run_tests(args) -> int:
    sys.path.insert(0, os.path.join(REPO, "scripts"))
    from playwright.sync_api import sync_playwright
    from server_process import Server

    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        print(f"browser tests: no server binary at {binary} (build it: scripts/build-release)")
        return 1
    os.makedirs(ARTIFACTS, exist_ok=True)
    for name in os.listdir(ARTIFACTS):
        if name.endswith((".png", ".svg", ".log")):
            os.remove(os.path.join(ARTIFACTS, name))
    work = tempfile.mkdtemp(prefix="glassbox-browser-")
    log_path = os.path.join(work, "server.log")
    server = None
    session = None

    def stop_server():
        if server is not None and server.process.poll() is None:
            try:
                server.stop()
            except Exception:  # noqa: BLE001
                server.kill()
        if os.path.exists(log_path):
            shutil.copy(log_path, os.path.join(ARTIFACTS, "server.log"))

    def on_timeout():
        step = session.current if session else "setup"
        print(f"browser tests: FAILED: the overall timeout of {args.timeout:.0f} s ran out (during: {step})",
              flush=True)
        try:
            if server is not None:
                server.process.kill()
        finally:
            os._exit(1)

    watchdog = threading.Timer(args.timeout, on_timeout)
    watchdog.daemon = True
    watchdog.start()
    try:
        config = write_config(work)
        server = Server(binary, os.path.join(work, "runs.sqlite"), config=config,
                        extra_env={"GLASSBOX_PUBLIC_DIR": os.path.join(REPO, "Public")}, log_path=log_path)
        print(f"browser tests: server {server.url}, chromium {args.chromium}, work directory {work}", flush=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, headless=not args.headed)
            context = browser.new_context(viewport={"width": 1600, "height": 1000}, accept_downloads=True)
            context.set_default_timeout(30000)
            page = context.new_page()
            session = Session(page, Api(server), server.url)
            s = session
            s.step("load /", s.load)
            s.step("run a prompt", s.run, needs=("load /",))
            after_run = ("run a prompt",)
            s.step("graph node and edge counts", s.graph_counts, needs=after_run)
            s.step("click an attention edge: heads", s.click_edge, needs=after_run + ("graph node and edge counts",))
            s.step("click a residual node: lens", s.click_residual, needs=after_run + ("graph node and edge counts",))
            s.step("click an FFN node: neurons", s.click_ffn, needs=after_run + ("graph node and edge counts",))
            s.step("threshold slider", s.move_threshold, needs=after_run + ("graph node and edge counts",))
            s.step("attention view", s.attention_view, needs=after_run)
            s.step("lens view", s.lens_view, needs=after_run)
            s.step("permalink: lens view", s.permalink_lens, needs=after_run + ("lens view",))
            s.step("permalink: graph view and selection", s.permalink_graph,
                   needs=after_run + ("click an FFN node: neurons",))
            s.step("export SVG", s.export_svg, needs=after_run)
            s.step("metrics view", s.metrics_view, needs=after_run)
            s.step("metrics: sort by a column", s.metrics_sort, needs=after_run + ("metrics view",))
            s.step("metrics: K and open a head", s.metrics_k_and_open, needs=after_run + ("metrics view",))
            s.step("permalink: metrics view", s.permalink_metrics, needs=after_run + ("metrics: sort by a column",))
            s.step("rollout view", s.rollout_view, needs=after_run)
            s.step("permalink: rollout view", s.permalink_rollout, needs=after_run + ("rollout view",))
            s.step("layer-flow view", s.flow_view, needs=after_run)
            s.step("permalink: layer-flow view", s.permalink_flow, needs=after_run + ("layer-flow view",))
            s.step("anomalies view", s.anomalies_view, needs=after_run)
            s.step("permalink: anomalies view", s.permalink_anomalies, needs=after_run + ("anomalies view",))
            s.step("anomalies: open each kind", s.anomalies_open, needs=after_run + ("anomalies view",))
            s.step("ablation view", s.ablation_view, needs=after_run)
            s.step("permalink: ablation view", s.permalink_ablation, needs=after_run + ("ablation view",))
            s.step("compare: the prefilled pair", s.compare_pair, needs=("load /",))
            s.step("compare: sort the heads, aligned attention", s.compare_sort, needs=("compare: the prefilled pair",))
            s.step("compare: reload restores the page", s.compare_reload, needs=("compare: sort the heads, aligned attention",))
            s.step("compare: a set with labels", s.compare_set, needs=("compare: the prefilled pair",))
            s.step("compare: mismatched spans", s.compare_error, needs=("compare: the prefilled pair",))
            s.step("reports: run a report", s.report_run, needs=("load /",))
            s.step("reports: the result against the API", s.report_result, needs=("reports: run a report",))
            s.step("reports: the standalone HTML and downloads", s.report_html, needs=("reports: run a report",))
            s.step("reports: reload shows the result", s.report_reload, needs=("reports: run a report",))
            s.step("reports: recommendations and evidence", s.report_evidence, needs=("reports: run a report",))
            s.step("reports: cancel a report", s.report_cancel, needs=("reports: run a report",))
            s.step("reports: an empty prompt set", s.report_empty, needs=("load /",))
            s.step("no console or page errors", s.no_errors, needs=("load /",))
            browser.close()
    except Exception as error:  # noqa: BLE001 — server or browser did not start
        print(f"browser tests: FAILED before the steps finished: {type(error).__name__}: {error}", flush=True)
        stop_server()
        return 1
    finally:
        watchdog.cancel()
        stop_server()
    failed = [name for name, status, _ in session.results if status != "ok"]
    passed = len(session.results) - len(failed)
    print(f"browser tests: {passed}/{len(session.results)} steps ok"
          + (f"; FAILED: {', '.join(failed)}" if failed else "")
          + f" (screenshots, server log and export in {os.path.relpath(ARTIFACTS, REPO)}/)", flush=True)
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join(REPO, ".build", "release", "glassbox"),
                        help="the glassbox executable (default .build/release/glassbox)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds for the whole test phase (default 600)")
    parser.add_argument("--chromium", help="the chromium executable (default: the Debian package's)")
    parser.add_argument("--headed", action="store_true", help="show the browser (needs a display)")
    args = parser.parse_args()
    if os.path.realpath(sys.prefix) != os.path.realpath(VENV):
        chromium = args.chromium or ensure_chromium()
        python = ensure_venv()
        argv = [python, os.path.abspath(__file__), *sys.argv[1:]]
        if not args.chromium:
            argv += ["--chromium", chromium]
        sys.stdout.flush()
        os.execv(python, argv)
    if not args.chromium:
        args.chromium = find_chromium()
        if args.chromium is None:
            print("browser tests: chromium is missing (apt-get install -y chromium)")
            return 1
    return run_tests(args)


if __name__ == "__main__":
    sys.exit(main())
