"""Browser steps of the Compare page's Checkpoints mode, /?page=compare&subject=checkpoints (Tests/Live/browser_tests.py
runs them): the subject switch; the configured series tiny-train (the five fixture checkpoints, write_config) chosen,
its default prompts filled in, ablation off, run as a job to done (the body sent, the progress bar at its total);
every number shown against GET /api/checkpoint-series/{id} (one chart per trend with a point per checkpoint and its
direction, a table row per checkpoint with the loss to 3 decimals, the anomaly counts and redundant heads, the class
changes named by head, classes and checkpoint); the standalone HTML in a new tab (no <script, an <svg), the JSON,
CSV, a chart's SVG and PNG downloads; a permalink reload that shows the result again with the form restored; a long
series with ablation on cancelled while running; one checkpoint (the server's 400 next to the form, the field
marked); no series configured (the listing answered empty in the browser: the empty state names the config key).
A 1400 px wide screenshot of the finished view goes to artifacts/browser/compare-checkpoints.png.
"""

from __future__ import annotations

import csv
import io
import json
import os

from .harness import ARTIFACTS, Session, require, short, wait_until

SERIES = "tiny-train"
CHECKPOINTS = ("step-0000", "step-0050", "step-0100", "step-0200", "step-0400")
FINAL = ("done", "failed", "cancelled")


def exact(text, value) -> bool:
    try:
        return abs(float(text) - value) <= 1e-12 + 1e-9 * abs(value)
    except (TypeError, ValueError):
        return False


class CompareCheckpoints(Session):
    """The Checkpoints mode; the finished job of the first run is kept for the later steps."""

    def __init__(self, page, api, base: str):
        super().__init__(page, api, base)
        self.series_job = None
        self.series_prompts = None

    def series_progress(self):
        """(status, value, max, text) of the job panel."""
        status = self.page.get_attribute("#checkpoints-job", "data-status")
        value = self.page.get_attribute("#checkpoints-progress", "data-done") or "0"
        maximum = self.page.get_attribute("#checkpoints-progress", "data-total") or "0"
        return status, int(value), int(maximum), self.page.inner_text("#checkpoints-progress-text")

    def series_run_click(self, status: int):
        with self.page.expect_response(lambda r: r.url.endswith("/api/checkpoint-series") and r.request.method == "POST",
                                       timeout=30000) as info:
            self.page.click("#checkpoints-run")
        response = info.value
        require(response.status == status, f"POST /api/checkpoint-series → {response.status}, expected {status}: "
                f"{short(response.text(), 300)}")
        return response

    def series_problems(self, job: dict) -> list[str]:
        """Differences between the shown result and the job's report."""
        r = job["report"]
        problems = []
        charts = self.attrs("#checkpoints-trends svg.trend-chart", ["data-trend", "data-direction"])
        if [c["data-trend"] for c in charts] != list(r["trends"]):
            problems.append(f"charts {[c['data-trend'] for c in charts]}, the report's trends {list(r['trends'])}")
        for chart in charts:
            name = chart["data-trend"]
            t = r["trends"].get(name)
            if t is None:
                continue
            measured = [v for v in t["values"] if v is not None]
            want_direction = t["direction"] if measured else "unmeasured"
            if chart["data-direction"] != want_direction:
                problems.append(f"{name}: direction {chart['data-direction']!r}, the report {want_direction!r}")
            points = self.attrs(f'#checkpoints-trend-{name} .trend-point', ["data-index", "data-checkpoint", "data-value"])
            want = [(i, r["checkpoints"][i]["name"], v) for i, v in enumerate(t["values"]) if v is not None]
            if len(points) != len(want) or not all(int(p["data-index"]) == i and p["data-checkpoint"] == n and exact(p["data-value"], v)
                                                   for p, (i, n, v) in zip(points, want)):
                problems.append(f"{name}: points {short(points, 200)}, the report {short(want, 200)}")
        rows = self.values("#checkpoints-table tbody tr", "data-checkpoint")
        if rows != [c["name"] for c in r["checkpoints"]]:
            problems.append(f"table rows {rows}, the report's checkpoints {[c['name'] for c in r['checkpoints']]}")
        for c in r["checkpoints"]:
            row = f'#checkpoints-table tr[data-checkpoint="{c["name"]}"]'
            loss = self.page.inner_text(f'{row} td[data-key="loss"]')
            if loss != f"{c['loss']:.3f}":
                problems.append(f"{c['name']}: loss shown {loss!r}, the report {c['loss']:.3f}")
            sink = self.page.get_attribute(f'{row} td[data-key="sink_share"]', "data-value")
            if not exact(sink, c["sink_share"]):
                problems.append(f"{c['name']}: sink share {sink!r}, the report {c['sink_share']}")
            settled = self.page.get_attribute(f'{row} td[data-key="mean_settled_layer"]', "data-value")
            if not exact(settled, c["mean_settled_layer"]):
                problems.append(f"{c['name']}: mean settled layer {settled!r}, the report {c['mean_settled_layer']}")
            for kind, count in c["anomaly_counts"].items():
                shown = self.page.get_attribute(f'{row} td[data-key="{kind}"]', "data-value")
                if shown != str(count):
                    problems.append(f"{c['name']}: {kind} {shown!r}, the report {count}")
            redundant = self.page.get_attribute(f'{row} td[data-key="redundant_heads"]', "data-value")
            want_redundant = "" if c["redundant_heads"] is None else str(len(c["redundant_heads"]))
            if redundant != want_redundant:
                problems.append(f"{c['name']}: redundant heads {redundant!r}, the report {c['redundant_heads']}")
        changes = self.attrs("#checkpoints-changes .change-step .class-change",
                             ["data-layer", "data-head", "data-from", "data-to", "data-checkpoint", "data-from-checkpoint"])
        shown = sorted((int(x["data-layer"]), int(x["data-head"]), x["data-from"], x["data-to"], x["data-from-checkpoint"],
                        x["data-checkpoint"]) for x in changes)
        want = sorted((x["layer"], x["head"], x["from"], x["to"], x["from_checkpoint"], x["to_checkpoint"]) for x in r["class_changes"])
        if shown != want:
            problems.append(f"class changes {short(shown, 200)}, the report {short(want, 200)}")
        whole = self.page.get_attribute("#checkpoints-first-to-last", "data-count")
        if whole != str(len(r["first_to_last"])):
            problems.append(f"first to last: {whole!r} heads, the report {len(r['first_to_last'])}")
        return problems

    # --- steps

    def series_run(self):
        self.page.goto(self.base + "/?page=compare", wait_until="load", timeout=30000)
        self.page.wait_for_selector("#compare-form", timeout=15000)
        self.click('label[for="compare-subject-checkpoints"]')
        self.page.wait_for_selector("#compare-checkpoints-form", timeout=15000)
        require(self.url_query().get("subject") == "checkpoints", f"the switch went to {self._path(self.page.url)}")
        listing = self.api.get("/api/checkpoint-series")["series"]
        entry = next((s for s in listing if s["name"] == SERIES), None)
        require(entry is not None and tuple(entry["checkpoints"]) == CHECKPOINTS,
                f"GET /api/checkpoint-series lists {short(listing)}, expected {SERIES} with {CHECKPOINTS}")
        ok, _ = wait_until(lambda: (self.count(f"#checkpoints-series option[value='{SERIES}']") == 1, None), 15)
        require(ok, "the series menu is not filled")
        require(self.page.is_checked("#checkpoints-source-series"), "the mode does not start on the configured series")
        self.page.select_option("#checkpoints-series", SERIES)
        prompts = [line for line in self.page.input_value("#checkpoints-prompts").splitlines() if line.strip()]
        require(prompts == entry["prompts"], f"the prompts box holds {short(prompts)}, the series' defaults are {short(entry['prompts'])}")
        info = self.page.inner_text("#checkpoints-series-info")
        require(all(name in info for name in CHECKPOINTS), f"the series' line reads {info!r}")
        require(self.page.is_checked("#checkpoints-ablation"), "ablation is not on by default")
        self.page.uncheck("#checkpoints-ablation")
        response = self.series_run_click(202)
        body = response.request.post_data_json
        want = {"series": SERIES, "prompts": entry["prompts"], "ablation": False}
        require(body == want, f"the page sent {short(body)}, expected {short(want)}")
        job_id = response.json()["id"]
        ok, state = wait_until(lambda: (lambda s: (s[0] in FINAL, s))(self.series_progress()), 90)
        require(ok and state[0] == "done", f"the series did not finish: {state}")
        job = self.api.get(f"/api/checkpoint-series/{job_id}")
        total = job["progress"]["total"]
        require(job["status"] == "done" and total > 0 and state[1] == state[2] == total,
                f"the progress bar is at {state[1]}/{state[2]}, GET says {job['status']} with {total} passes")
        require(f"pass {total}/{total}" in state[3] and f"{len(CHECKPOINTS)} checkpoints × {len(prompts)} prompts" in state[3],
                f"the progress text reads {state[3]!r}")
        query = self.url_query()
        want_query = {"page": "compare", "subject": "checkpoints", "series": SERIES, "ablation": "0", "job": job_id}
        require(all(query.get(k) == v for k, v in want_query.items()), f"the URL {self._path(self.page.url)} lacks {want_query}")
        self.series_job, self.series_prompts = job, prompts
        return f"job {job_id}: sent {short(body, 160)}; {state[3]!r}"

    def series_result(self):
        self.page.wait_for_selector("#checkpoints-result:not([hidden]) #checkpoints-trends", timeout=15000)
        problems = self.series_problems(self.series_job)
        require(not problems, f"{len(problems)} differences from the report: " + "; ".join(problems[:5]))
        r = self.series_job["report"]
        charts = self.count("#checkpoints-trends svg.trend-chart")
        require(charts == len(r["trends"]), f"{charts} charts, the report has {len(r['trends'])} trends")
        loss = f"{r['checkpoints'][0]['loss']:.3f}"
        require(loss in self.page.inner_text("#checkpoints-table"), f"the first checkpoint's loss {loss} is not in the table")
        changes = self.count("#checkpoints-changes .change-step .class-change")
        require(changes > 0, "the class-change list is empty")
        require(self.page.inner_text('#checkpoints-table tr[data-checkpoint="step-0000"] td[data-key="redundant_heads"]')
                == "not measured", "with ablation off the redundant heads do not say 'not measured'")
        self.page.set_viewport_size({"width": 1400, "height": 900})
        try:
            self.page.screenshot(path=os.path.join(ARTIFACTS, "compare-checkpoints.png"), full_page=True)
        finally:
            self.page.set_viewport_size({"width": 1600, "height": 1000})
        return (f"{charts} charts = the trends, points and directions as the report; {len(r['checkpoints'])} rows "
                f"(first loss {loss}); {changes} class changes named; first to last {len(r['first_to_last'])}")

    def series_exports(self):
        job = self.series_job
        href = f"/api/checkpoint-series/{job['id']}/html"
        link = self.attrs("#checkpoints-open-html", ["href", "target"])[0]
        require(link == {"href": href, "target": "_blank"}, f"#checkpoints-open-html is {link}")
        with self.page.context.expect_page(timeout=15000) as info:
            self.page.click("#checkpoints-open-html")
        tab = info.value
        tab.wait_for_load_state("load")
        svg, scripts, url = tab.locator("svg").count(), tab.locator("script").count(), tab.url
        tab.close()
        require(self._path(url) == href and svg > 0 and scripts == 0, f"the new tab {url}: {svg} <svg>, {scripts} <script>")
        with self.page.expect_download(timeout=20000) as info:
            self.page.click("#checkpoints-download-json")
        require(json.load(open(info.value.path(), encoding="utf-8")) == job["report"], "the JSON download is not the job's report")
        with self.page.expect_download(timeout=20000) as info:
            self.page.click("#checkpoints-download-csv")
        rows = list(csv.reader(io.StringIO(open(info.value.path(), encoding="utf-8").read())))
        require(rows[0] == ["checkpoint", *job["report"]["trends"]] and len(rows) == 1 + len(CHECKPOINTS)
                and exact(rows[1][1], job["report"]["trends"]["loss"]["values"][0]), f"the trends CSV is {short(rows, 200)}")
        with self.page.expect_download(timeout=20000) as info:
            self.page.click("#checkpoints-trend-loss-svg")
        saved = os.path.join(ARTIFACTS, "checkpoints-loss.svg")
        info.value.save_as(saved)
        text = open(saved, encoding="utf-8").read()
        require(text.startswith("<?xml") and "<svg" in text and text.count('class="trend-point"') == len(CHECKPOINTS),
                f"the loss chart's SVG ({len(text)} characters) lacks its points")
        with self.page.expect_download(timeout=20000) as info:
            self.page.click("#checkpoints-trend-loss-png")
        png = open(info.value.path(), "rb").read()
        require(png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 1000, f"the PNG download is {len(png)} bytes: {png[:8]!r}")
        return (f"new tab with {svg} <svg> and no <script>; JSON = the report; CSV {len(rows) - 1} rows; loss SVG "
                f"({len(text)} characters) and PNG ({len(png)} bytes)")

    def series_reload(self):
        url = self._path(self.page.url)
        self.page.reload(wait_until="load", timeout=30000)
        ok, state = wait_until(lambda: (lambda s: (s[0] == "done", s))(self.series_progress()), 15)
        require(ok, f"after reloading {url}: {state}")
        self.page.wait_for_selector("#checkpoints-result:not([hidden]) #checkpoints-trends", timeout=15000)
        problems = self.series_problems(self.series_job)
        require(not problems, "after reloading: " + "; ".join(problems[:4]))
        form = (self.page.input_value("#checkpoints-series"), self.page.is_checked("#checkpoints-ablation"),
                [line for line in self.page.input_value("#checkpoints-prompts").splitlines() if line.strip()])
        require(form == (SERIES, False, self.series_prompts), f"after reloading the form shows {short(form)}")
        require(self.page.is_checked("#compare-subject-checkpoints"), "after reloading the Checkpoints switch is not on")
        return f"reloaded {short(url, 160)}: done, the same charts, table and class changes; form restored"

    def series_cancel(self):
        self.page.check("#checkpoints-ablation")
        # 50 prompts (the most a series takes) of ~50 tokens each (tiny-train's context is 64), with ablation: every
        # checkpoint runs each prompt once per head and layer too
        prompts = [f"The keeper lit the lamp early on day {i}; its beam swept across the bay, over the rocks and the red boat."
                   for i in range(50)]
        self.page.fill("#checkpoints-prompts", "\n".join(prompts))
        response = self.series_run_click(202)
        body = response.request.post_data_json
        require(body.get("ablation") is True and len(body.get("prompts", [])) == 50, f"the page sent {short(body, 200)}")
        job_id = response.json()["id"]
        require(job_id != self.series_job["id"], "the second series has the first one's id")
        ok, state = wait_until(lambda: (lambda s: (s[0] == "running" and s[1] > 0 or s[0] in FINAL, s))(self.series_progress()), 30)
        require(ok and state[0] == "running", f"the long series is {state} (not running with progress); "
                f"{self.page.inner_text('#checkpoints-job-error') if self.page.is_visible('#checkpoints-job-error') else ''}")
        require("checkpoint " in state[3] and "prompt " in state[3], f"the progress text reads {state[3]!r}")
        self.click("#checkpoints-cancel")
        ok, state = wait_until(lambda: (lambda s: (s[0] == "cancelled", s))(self.series_progress()), 15)
        require(ok, f"after Cancel the page shows {state}")
        job = self.api.get(f"/api/checkpoint-series/{job_id}")
        require(job["status"] == "cancelled" and job["progress"]["done"] < job["progress"]["total"],
                f"GET /api/checkpoint-series/{job_id}: {job['status']} at {job['progress']}")
        require("cancelled" in state[3], f"the progress text reads {state[3]!r}")
        require(self.page.get_attribute("#checkpoints-cancel", "disabled") is not None, "Cancel stays enabled")
        require(self.url_query().get("job") == job_id and "ablation" not in self.url_query(),
                f"the URL is {self._path(self.page.url)}")
        require(self.page.is_hidden("#checkpoints-result"), "a result is shown for a cancelled series")
        return f"job {job_id} (50 long prompts, ablation): {state[3]!r}; the API says cancelled at {job['progress']}"

    def series_one_checkpoint(self):
        self.click('label[for="checkpoints-source-models"]')
        self.page.wait_for_selector("#checkpoints-models-box:not([hidden])", timeout=5000)
        while self.count("#checkpoints-models li") > 1:
            self.page.click("#checkpoints-models li:last-child .remove-row")
        require(self.page.get_attribute("#checkpoints-models li .remove-row", "disabled") is not None,
                "the last row can be removed")
        model = self.page.input_value("#checkpoints-models li select")
        self.page.fill("#checkpoints-prompts", "The keeper lit the lamp.")
        body = {"checkpoints": [model], "prompts": ["The keeper lit the lamp."],
                "ablation": self.page.is_checked("#checkpoints-ablation")}
        api = self.api.post("/api/checkpoint-series", body, expect=400)["error"]
        self.expect_failure("/api/checkpoint-series", 400)
        try:
            sent = self.series_run_click(400).request.post_data_json
            require(sent == body, f"the page sent {short(sent)}, expected {short(body)}")
            ok, text = wait_until(lambda: (self.page.is_visible("#checkpoints-error"),
                                           self.page.inner_text("#checkpoints-error")
                                           if self.page.is_visible("#checkpoints-error") else ""), 10)
            parameter = (api.get("details") or {}).get("parameter")
            require(ok and api["message"] in text and (not parameter or f"parameter: {parameter}" in text),
                    f"#checkpoints-error reads {text!r}; the API says {api!r}")
            if parameter == "checkpoints":
                require(self.page.get_attribute("#checkpoints-models li select", "aria-invalid") == "true",
                        "the checkpoint menu is not marked")
            require(self.url_query().get("checkpoint") == model and "series" not in self.url_query(),
                    f"the URL is {self._path(self.page.url)}")
        finally:
            self.end_expected_failures("/api/checkpoint-series", 400)
        return f"one checkpoint ({model}): 400 next to the form: {api['message']!r} (parameter {parameter})"

    def series_none_configured(self):
        def empty_listing(route):
            if route.request.method == "GET":
                route.fulfill(status=200, content_type="application/json", body='{"series": []}')
            else:
                route.continue_()
        self.page.route("**/api/checkpoint-series", empty_listing)
        try:
            self.page.goto(self.base + "/?page=compare&subject=checkpoints", wait_until="load", timeout=30000)
            self.page.wait_for_selector("#checkpoints-no-series", state="visible", timeout=15000)
            text = self.page.inner_text("#checkpoints-no-series")
            require('"checkpoint_series"' in text and "Models" in text, f"the empty state reads {text!r}")
            require(self.page.is_checked("#checkpoints-source-models") and self.count("#checkpoints-models li select") >= 2,
                    "without series the form is not on Models with two configured models")
            self.click('label[for="checkpoints-source-series"]')
            require(self.page.is_visible("#checkpoints-no-series") and self.page.is_hidden("#checkpoints-series"),
                    "the Series source does not show the empty state")
        finally:
            self.page.unroute("**/api/checkpoint-series", empty_listing)
        return f"the listing answered empty: {' '.join(text.split())[:140]!r}…"


def run_steps(s: CompareCheckpoints) -> None:
    s.step("compare checkpoints: run the series", s.series_run, needs=("load /",))
    s.step("compare checkpoints: the result against the report", s.series_result, needs=("compare checkpoints: run the series",))
    s.step("compare checkpoints: HTML and downloads", s.series_exports, needs=("compare checkpoints: run the series",))
    s.step("compare checkpoints: permalink reload", s.series_reload, needs=("compare checkpoints: run the series",))
    s.step("compare checkpoints: cancel a long series", s.series_cancel, needs=("compare checkpoints: permalink reload",))
    s.step("compare checkpoints: one checkpoint (400)", s.series_one_checkpoint, needs=("compare checkpoints: run the series",))
    s.step("compare checkpoints: no series configured", s.series_none_configured, needs=("load /",))
