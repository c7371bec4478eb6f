"""Browser steps of the Reports page, /?page=reports (Tests/Live/browser_tests.py runs them): a 3-prompt tiny-gpt2
report with ablation run to done (progress bar, pass total); recommendations, prompts and layer-flow tables and
redundant heads against GET /api/reports/{id}; the standalone HTML in a new tab (no <script, an <svg) and both
downloads; a reload; a tiny-gemma3 report whose recommendations' evidence tables match; a long report cancelled
while running; an empty prompt set (the 400 next to the form).
"""

from __future__ import annotations

import json
import os

from .harness import ARTIFACTS, REPO, Session, require, short, wait_until


class ReportsPage(Session):
    """The Reports page; the first report's job is kept for the later steps."""

    def __init__(self, page, api, base: str):
        super().__init__(page, api, base)
        self.report_id = None
        self.report_job = None

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
        status, headers, raw = self.api.raw("GET", href)
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


def run_steps(s: ReportsPage) -> None:
    s.step("reports: run a report", s.report_run, needs=("load /",))
    s.step("reports: the result against the API", s.report_result, needs=("reports: run a report",))
    s.step("reports: the standalone HTML and downloads", s.report_html, needs=("reports: run a report",))
    s.step("reports: reload shows the result", s.report_reload, needs=("reports: run a report",))
    s.step("reports: recommendations and evidence", s.report_evidence, needs=("reports: run a report",))
    s.step("reports: cancel a report", s.report_cancel, needs=("reports: run a report",))
    s.step("reports: an empty prompt set", s.report_empty, needs=("load /",))
