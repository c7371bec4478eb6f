#!/usr/bin/env python3
"""End-to-end browser tests of the Glassbox page: the real server, the Debian chromium, Playwright.

Usage:
    python3 Tests/Live/browser_tests.py [--binary .build/release/glassbox] [--timeout 600] [--chromium PATH]

Setup, when missing (as root on a fresh Debian machine; otherwise it says what to install): `apt-get update` and
`apt-get install chromium fonts-dejavu-core` (python3-venv too if a venv cannot be made), then a venv .venv-browser
with Tests/Live/requirements-browser.txt (Playwright from PyPI). Playwright launches the Debian chromium through
`executable_path`: its own browser download is never used. The script then runs itself again inside that venv.

Server under test: `glassbox serve --port 0` (server_process.py, next to this file) with a configuration written to a
temporary directory that names the fixture models by absolute path (tiny-gpt2 (default), tiny-llama, tiny-gemma3
from Tests/Fixtures/models) and the checkpoint series tiny-train (the five checkpoints of
Tests/Fixtures/checkpoints/tiny-train by absolute path, the prompts of Tests/Fixtures/checkpoints/prompts.txt), its
database in that directory, GLASSBOX_PUBLIC_DIR = the repository's Public/, one access token made for the run
(secrets.token_hex; its sha256: digest in "auth": {"tokens"}) and the per-client compute limit set high. The browser
signs in through the login page; the tests' own API client sends Authorization: Bearer.

Steps (the page contract is the "Page", graph.js and heatmap.js sections of the UI contract; every number the page
shows is checked against the API): / goes to /login?next=%2F; a wrong token shows the server's refusal and stays; the
right token signs in (HttpOnly, SameSite=Strict cookie) and lands on the run page with Sign out; the security headers
(CSP and the rest) on the page, a script and an API answer; load /; run a prompt with a chosen model; node and edge
counts of the graph for the default start token (last token) against GET /graph; click an attention edge → heads list against
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
the Attributions tab against GET /attributions (the tokens' scores and diverging colours, every method's column,
sorting, the completeness gap and its warning, the target from Next tokens and a prediction's why? button, a
contrast and a position, the gradient-flow and attention × gradient maps, the pad baseline's 400 in the view, more
IG steps as a job (or the plain GET while the server has no job routes, then the job panel on mocked routes:
progress, done, cancel), CSV/JSON/PNG exports, a permalink reload);
the Evaluate tab on a run of its own (tiny-llama, 5 tokens) against GET /api/explanations/{id}: the POST body, the
job panel to done, one curve per chosen method in both charts with the random band and mean, the table's figures,
the agreement matrix (methods² cells, Spearman and top-k overlap), the consensus tokens, the verdict, the exports and
the HTML report, a permalink reload (and one naming a job the server does not have), bad input marked on its field,
a long job cancelled by its button (its screenshot also to /tmp/evaluate.png);
the Compare page (/?page=compare, reached by keyboard from the header): the prefilled pair on tiny-gpt2 sent as
expected and its target probabilities, log p(a) − log p(b), top predictions, highlighted spans, L×H heads rows and
grid against POST /api/compare with the same body, sorting (|Δ| first, then by click and Enter, another metric),
a row's aligned attention, a reload, a labelled set (variances), mismatched spans (the 400 next to the form, again
after a reload); the Compare page's Models mode (two fixture models on one text: tokens, top-k, KL both ways, JS,
TV, shared strings and the mass outside them, one depth-chart line per model, lens, classes, anomalies against POST
/api/compare; metric, JSON and CSV exports, a permalink reload, an empty text's 400); the Compare page's Checkpoints
mode (the configured series tiny-train with ablation off run to done: one chart per trend, the table per checkpoint,
the class changes against GET /api/checkpoint-series/{id}; the HTML, JSON, CSV, SVG and PNG exports; a reload; a
long series with ablation cancelled; one checkpoint's 400; no series configured); the graph diff (the run page's
"Diff with…" with a shorter run disabled and why, a same-length prompt run and diffed from it: counts, edges with
appearing ones outlined and vanishing ones dashed, the largest differences against GET /api/graph-diff, a row
highlighting its edge, a reload, exports, the threshold, a mismatched pair explained); the Reports page (/?page=reports): a 3-prompt tiny-gpt2 report with ablation to done (progress
bar, pass total), recommendations, prompts and layer-flow tables and redundant heads against GET /api/reports/{id},
the standalone HTML in a new tab (no <script, an <svg) and both downloads, a reload, a tiny-gemma3 report whose
recommendations' evidence tables match, a long report cancelled while running, an empty prompt set (the 400);
a session ended on the server while a run page is open: Run → 401 → /login?next=<that page>, and signing in again
returns there; Sign out → /login, the cookie gone, an API fetch from the page 401;
no console error or page error at any point (Chromium's "Failed to load resource" line for the 400s those steps
provoke on purpose is accepted for that path and status only); no content security policy violation on any page (a
securitypolicyviolation listener from an init script, itself checked on a spare page). One line per step (ok /
FAILED / skipped), then a summary; exit status 1 on any failure. A screenshot of each state goes to artifacts/browser/ (git-ignored), with the server log and the
exported SVG. Bounded by --timeout (the whole test phase); the server is stopped at the end.

Layout: this file does the setup, starts the server and the browser, runs the steps of every page and prints the
summary. The steps live in browser/, one module per page over a shared harness:
  browser/harness.py        Session (listeners, `step`, page helpers), the API client, require/Check and the like
  browser/login_page.py     sign in (first), a session that ends, sign out (last)
  browser/security.py       the security headers, and the CSP violation listener and its step
  browser/run_page.py       load, run a prompt, graph view and panel, attention and lens views, permalinks, export
  browser/run_analytics.py  the run page's metrics, rollout, layer-flow, anomalies and ablation views
  browser/run_attributions.py  the run page's Attributions tab
  browser/run_evaluate.py   the run page's Evaluate tab
  browser/graph_diff.py     the graph diff of two runs (the run page's "Diff with…", /?page=graph-diff)
  browser/compare_page.py   the Compare page (prompts)
  browser/compare_models.py the Compare page's Models mode
  browser/compare_checkpoints.py the Compare page's Checkpoints mode
  browser/generate_page.py  the Generate page
  browser/reports_page.py   the Reports page
A step is a method of its page class that returns its detail line (and fails through require/Check); the module's
run_steps registers it by name, with the steps it needs, in the order the steps run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading

from browser import (compare_checkpoints, compare_models, compare_page, generate_page, graph_diff, login_page, reports_page,
                     run_analytics, run_attributions, run_evaluate, run_page, security)
from browser.harness import ARTIFACTS, MODELS, REPO, Api
import debian_packages

HERE = os.path.dirname(os.path.abspath(__file__))  # Tests/Live
VENV = os.path.join(REPO, ".venv-browser")
REQUIREMENTS = os.path.join(HERE, "requirements-browser.txt")
PAGES = (run_page, run_analytics, run_attributions, run_evaluate, graph_diff, compare_page, compare_models,
         compare_checkpoints, reports_page, generate_page)  # their steps run in this order


# ---------------------------------------------------------------------------------------------------------------
# Setup: chromium from Debian, Playwright from PyPI in .venv-browser (stdlib only up to the re-run in the venv)


def apt_install(packages: list[str]) -> None:
    debian_packages.install(packages, who="browser tests")


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


class BrowserSession(login_page.LoginPage, security.SecurityChecks, run_analytics.RunAnalytics,
                     run_attributions.RunAttributions, run_evaluate.RunEvaluate, graph_diff.GraphDiff,
                     compare_page.ComparePage, compare_models.CompareModels, compare_checkpoints.CompareCheckpoints,
                     reports_page.ReportsPage, generate_page.GeneratePage):
    """One page and session for the steps of every page (the classes share harness.Session)."""


def write_config(directory: str, token: str) -> str:
    """The server's configuration: the fixture models, the checkpoint series tiny-train, and `token` as its one access
    token (its SHA-256 digest)."""
    digest = "sha256:" + hashlib.sha256(token.encode("utf-8")).hexdigest()
    models = ", ".join(
        f'"{name}": {{"path": {json.dumps(os.path.join(REPO, "Tests", "Fixtures", "models", name))}, '
        f'"license": "test fixture"}}' for name in MODELS)
    train = os.path.join(REPO, "Tests", "Fixtures", "checkpoints")
    series = {"tiny-train": {
        "description": "the tiny GPT-2 fixture trained on train-text.txt, five steps",
        "checkpoints": [{"name": step, "path": os.path.join(train, "tiny-train", step)}
                        for step in ("step-0000", "step-0050", "step-0100", "step-0200", "step-0400")],
        "prompts": [line for line in open(os.path.join(train, "prompts.txt"), encoding="utf-8").read().splitlines()
                    if line.strip()]}}
    text = (f'{{"default_model": "tiny-gpt2", "threads": 2, "memory_runs": 2,\n'
            f' "cache": {{"path": {json.dumps(os.path.join(directory, "models"))}, '
            f'"database": {json.dumps(os.path.join(directory, "runs.sqlite"))}, "max_megabytes": 64}},\n'
            # The per-client compute limit (default 60 a minute, bursts of 30) would refuse the suite with 429s: it
            # makes hundreds of compute requests (runs, attributions, ablations, comparisons, reports) in minutes,
            # all from one client (its token), so the limit is set far above what it sends.
            f' "limits": {{"client_compute_per_minute": 100000, "client_compute_burst": 100000}},\n'
            f' "auth": {{"tokens": [{json.dumps(digest)}]}},\n'
            f' "checkpoint_series": {json.dumps(series)},\n'
            f' "models": {{{models}}}}}\n')
    path = os.path.join(directory, "glassbox.json")
    with open(path, "w", encoding="utf-8") as file:
        file.write(text)
    return path


def run_tests(args) -> int:
    from playwright.sync_api import sync_playwright
    from server_process import Server  # next to this file (sys.path[0])

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
        token = secrets.token_hex(24)  # a new access token each run: the browser signs in with it, Api sends it
        config = write_config(work, token)
        server = Server(binary, os.path.join(work, "runs.sqlite"), config=config,
                        extra_env={"GLASSBOX_PUBLIC_DIR": os.path.join(REPO, "Public")}, log_path=log_path)
        print(f"browser tests: server {server.url}, chromium {args.chromium}, work directory {work}", flush=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, headless=not args.headed)
            context = browser.new_context(viewport={"width": 1600, "height": 1000}, accept_downloads=True)
            context.set_default_timeout(30000)
            page = context.new_page()
            session = BrowserSession(page, Api(server, token), server.url)
            login_page.run_sign_in_steps(session)
            security.run_header_steps(session)
            for module in PAGES:
                module.run_steps(session)
            login_page.run_sign_out_steps(session)
            session.step("no console or page errors", session.no_errors, needs=("load /",))
            security.run_policy_steps(session)
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
