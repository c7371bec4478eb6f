#!/usr/bin/env python3
"""Benchmark of the browser UI on the real default model (not a test: prints figures).

Usage (after Tests/Live/browser_tests.py has made .venv-browser and installed chromium):
    .venv-browser/bin/python tools/bench/ui_timings.py [--binary .build/release/glassbox]

Starts `glassbox serve --port 0` with the repository's configuration (the default model) and a fresh database, then
in headless Debian chromium: the time from clicking Run to a drawn graph (`#graph-svg[data-ready]`) for prompts of
about 32 and 128 tokens, cold (new run) and cached (the same prompt again); the graph JSON size at 128 tokens; and the
frame times while dragging (panning) the graph of a 512-token prompt. With `--report FILE` it instead runs a report
over the prompts of FILE (one per line) from the Reports page, with ablation, and prints its time and sizes.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tools/bench/ → repository
sys.path.insert(0, os.path.join(REPO, "Tests", "Live"))
from server_process import Server  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

TEXT = ("The history of the city begins in the early middle ages, when a small settlement grew around the river "
        "crossing. Merchants came from the north and the south, and by the twelfth century the town had walls, a "
        "market and a cathedral. ")


def prompt_of(tokens: int, salt: str) -> str:
    words = (TEXT * 40).split()
    return salt + " " + " ".join(words[: int(tokens * 0.8)])


def report_timing(page, url: str, path: str) -> None:
    """Runs a report from the Reports page and prints the time from Start to done and the report's sizes."""
    prompts = [line for line in open(path, encoding="utf-8").read().splitlines() if line.strip()]
    page.goto(url + "/?page=reports")
    page.wait_for_selector("#report-model option", state="attached")
    page.fill("#report-prompts", "\n".join(prompts))
    page.check("#report-ablation")
    start = time.perf_counter()
    page.click("#report-start")
    page.wait_for_selector('#report-status[data-status="done"]', timeout=3_600_000)
    elapsed = time.perf_counter() - start
    report_id = page.evaluate("new URLSearchParams(location.search).get('report')")
    job = json.load(urllib.request.urlopen(f"{url}/api/reports/{report_id}"))
    html = urllib.request.urlopen(f"{url}/api/reports/{report_id}/html").read()
    report = job["report"]
    print(f"report from the UI: {len(prompts)} prompts, {job['progress']['total']} passes, Start → done {elapsed:.1f} s "
          f"({elapsed / len(prompts):.2f} s per prompt); HTML {len(html) / 1e3:.0f} kB, JSON "
          f"{len(json.dumps(report)) / 1e3:.0f} kB; {len(report['recommendations'])} recommendations: "
          + "; ".join(r["message"] for r in report["recommendations"]))


def edges_drawn(page) -> int:
    """The edges on screen: the SVG's lines, or what a long graph's canvas painted last."""
    painted = page.evaluate("() => document.querySelector('#graph canvas:not([hidden])')?.dataset.drawn ?? null")
    return int(painted) if painted is not None else page.locator("line.edge").count()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=".build/release/glassbox")
    parser.add_argument("--report", metavar="FILE", help="time a report over these prompts from the Reports page")
    args = parser.parse_args()
    os.chdir(REPO)
    work = tempfile.mkdtemp(prefix="glassbox-ui-timings-")
    server = Server(os.path.abspath(args.binary), os.path.join(work, "runs.sqlite"),
                    log_path=os.path.join(work, "server.log"))
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            if args.report:
                report_timing(page, server.url, args.report)
                browser.close()
                return 0
            page.goto(server.url + "/")
            page.wait_for_selector("#model-select option", state="attached")

            def run(prompt: str) -> tuple[float, str]:
                page.fill("#prompt", prompt)
                page.evaluate("document.getElementById('graph-svg')?.removeAttribute('data-ready')")
                start = time.perf_counter()
                page.click("#run-button")
                page.wait_for_selector('#graph-svg[data-ready="true"]', timeout=300_000)
                page.wait_for_function("document.getElementById('run-status').dataset.state === 'done'", timeout=300_000)
                elapsed = time.perf_counter() - start
                return elapsed, page.evaluate("window.glassbox.state.runId")

            for tokens in (32, 128):
                prompt = prompt_of(tokens, f"[{tokens}]")
                cold, run_id = run(prompt)
                cached, _ = run(prompt)
                summary = json.load(urllib.request.urlopen(f"{server.url}/api/runs/{run_id}"))
                graph = urllib.request.urlopen(f"{server.url}/api/runs/{run_id}/graph?threshold=0.04&renormalize=true").read()
                print(f"{len(summary['tokens'])} tokens: Run → graph drawn {cold:.2f} s cold, {cached:.2f} s cached; "
                      f"graph JSON {len(graph) / 1e3:.0f} kB, {len(json.loads(graph)['edges'])} edges")

            seconds, run_id = run(prompt_of(512, "[512]"))
            n = len(json.load(urllib.request.urlopen(f"{server.url}/api/runs/{run_id}"))["tokens"])
            box = page.locator("#graph").bounding_box()
            page.evaluate("""() => { window.__frames = []; let last = performance.now();
              const tick = (t) => { window.__frames.push(t - last); last = t; if (window.__frames.length < 400) requestAnimationFrame(tick); };
              requestAnimationFrame(tick); }""")
            x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            page.mouse.move(x, y)
            page.mouse.down()
            for i in range(120):
                page.mouse.move(x + 200 * ((i % 40) / 40 - 0.5), y + 100 * ((i % 30) / 30 - 0.5))
            page.mouse.up()
            frames = page.evaluate("window.__frames")[5:]
            frames.sort()
            print(f"{n} tokens: Run → graph drawn {seconds:.2f} s cold; panning: {len(frames)} frames, median "
                  f"{statistics.median(frames):.1f} ms, p95 {frames[int(len(frames) * 0.95)]:.1f} ms, "
                  f"max {frames[-1]:.1f} ms; {edges_drawn(page)} edges drawn")
            browser.close()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
