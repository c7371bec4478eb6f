"""Browser steps of the run page's Evaluate tab (Tests/Live/browser_tests.py runs them), each against the explanation
job's own JSON (GET /api/explanations/{id}): a short run of its own (tiny-llama, "The fox", 5 tokens, so that a job
takes a fraction of a second); the form's defaults; three explainers with a variant posted as POST /api/explanations
with the run's model and prompt (the body checked), the job panel's statuses and passes up to done; the curves (one
line per chosen method in each chart, the random orders' band and mean) and the legend; the table's areas,
beats-random counts, comprehensiveness, sufficiency, stability and consensus ρ against the JSON; the agreement
matrix (methods² cells, Spearman, then the top-k overlap with k); the consensus tokens and the most disagreeing
methods; the verdict; the exports (JSON, CSV, SVG, PNG) and the HTML report; a permalink reload showing the finished
job, and one naming a job the server does not have (the form again); bad input (σ = 0 and no explainer, marked in
the form before any request; a variant with another token count, the server's answer shown); a long job (all six
methods, 1024 IG steps, 64 noisy copies) cancelled by its button. The finished view's screenshot goes to
/tmp/evaluate.png.
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse

from .harness import ARTIFACTS, Check, Session, close, require, short, wait_until

MODEL = "tiny-llama"
PROMPT = "The fox"  # 5 tokens with tiny-llama's tokenizer (BOS included)
VARIANT = "The box"  # the same token count
BAD_VARIANT = "The cat"  # 4 tokens
CHOSEN = ["saliency", "ig", "occlusion"]
ALL_METHODS = ["saliency", "gradxinput", "ig", "occlusion", "attention-gradient", "contribution-share"]
LABELS = {"saliency": "saliency", "gradxinput": "gradient × input", "ig": "IG", "occlusion": "occlusion",
          "attention-gradient": "attention × gradient", "contribution-share": "contribution share"}
READY = '#view-evaluate[data-ready="true"]'
SCREENSHOT = "/tmp/evaluate.png"


def shown_number(text: str) -> float:
    """A number as the page prints it (− for minus, 4 significant digits, maybe an exponent)."""
    return float(text.strip().replace("−", "-"))


def printed_close(text: str, want: float) -> bool:
    """The page's 4-significant-digit print of `want`."""
    try:
        return abs(shown_number(text) - want) <= 5e-4 * abs(want) + 1e-12
    except ValueError:
        return False


class RunEvaluate(Session):
    """The Evaluate tab on a run of its own."""

    def __init__(self, page, api, base: str):
        super().__init__(page, api, base)
        self.eval_run_id = None
        self.eval_n = 0
        self.eval_job = None  # the finished job of the three explainers

    # --- helpers

    def eval_query(self) -> dict[str, str]:
        return dict(urllib.parse.parse_qsl(self.page.evaluate("location.search").lstrip("?")))

    def eval_ready(self, timeout: float = 60):
        self.page.wait_for_selector(READY, timeout=timeout * 1000, state="attached")

    def eval_choose(self, methods: list[str]):
        for m in ALL_METHODS:
            box = f"#eval-method-{m}"
            if self.page.is_checked(box) != (m in methods):
                self.page.click(box)

    def eval_post(self, timeout: float = 30):
        """Clicks Evaluate and returns the POST /api/explanations request's body and its response."""
        with self.page.expect_response(lambda r: r.request.method == "POST" and
                                       self._path(r.url) == "/api/explanations", timeout=timeout * 1000) as info:
            self.page.click("#eval-start")
        response = info.value
        return json.loads(response.request.post_data or "{}"), response

    def eval_record_statuses(self):
        """Keeps every status the job panel shows (with its bar) in window.evalStatuses, from now on."""
        self.page.evaluate("""() => {
            const panel = document.querySelector('#eval-job'), bar = document.querySelector('#eval-progress');
            window.evalStatuses = [];
            const note = () => window.evalStatuses.push(`${panel.dataset.status} ${bar.value}/${bar.max} ` +
                document.querySelector('#eval-progress-text').textContent);
            new MutationObserver(note).observe(panel, {attributes: true, attributeFilter: ['data-status']});
            new MutationObserver(note).observe(bar, {attributes: true, attributeFilter: ['data-done']});
        }""")

    def eval_cell(self, method: str, key: str) -> dict:
        return self.page.eval_on_selector(f'#eval-table tbody tr[data-method="{method}"] td[data-key="{key}"]',
                                          "td => ({text: td.textContent, value: td.dataset.value})")

    def eval_table_problems(self, e: dict) -> list[str]:
        """Every figure of the table against the explanation: printed text and data-value."""
        problems = []
        rows = self.values("#eval-table tbody tr[data-method]", "data-method")
        want_rows = list(e["methods"]) + ["random"]
        if rows != want_rows:
            problems.append(f"table rows {rows}, the JSON's methods {want_rows}")
        fractions = [str(p) for p in sorted(e["parameters"]["fractions"])]
        stability = e["stability"]["methods"]
        for method, m in e["methods"].items():
            figures = {"deletion_auc": m["deletion_auc"], "insertion_auc": m["insertion_auc"],
                       "noise_mean": stability[method]["noise_mean"],
                       "consensus": e["agreement"]["consensus"]["spearman"][method]}
            figures.update({f"comprehensiveness_{p}": m["comprehensiveness"][p] for p in fractions})
            figures.update({f"sufficiency_{p}": m["sufficiency"][p] for p in fractions})
            if "variant" in e["stability"]:
                figures["variant"] = stability[method]["variant"]
            if "completeness_gap" in m:
                figures["completeness_gap"] = m["completeness_gap"]
            for key, want in figures.items():
                cell = self.eval_cell(method, key)
                if want is None:
                    if cell["value"] != "" or cell["text"] != "–":
                        problems.append(f"{method} {key}: {cell}, the JSON has null")
                elif not (printed_close(cell["text"], want) and close(float(cell["value"]), want)):
                    problems.append(f"{method} {key}: printed {cell['text']!r} (data-value {cell['value']}), the JSON {want}")
            count = len(m["random"]["deletion_aucs"])
            for key, word, beats in (("deletion_beats", "below", m["random"]["deletion_beats"]),
                                     ("insertion_beats", "above", m["random"]["insertion_beats"])):
                text = self.eval_cell(method, key)["text"]
                if text != f"{word} {beats} of {count}":
                    problems.append(f"{method} {key}: {text!r}, the JSON: {word} {beats} of {count}")
        for key, want in (("deletion_auc", e["random"]["deletion_auc_mean"]), ("insertion_auc", e["random"]["insertion_auc_mean"])):
            cell = self.eval_cell("random", key)
            if not printed_close(cell["text"], want):
                problems.append(f"random {key}: {cell['text']!r}, the JSON's mean {want}")
        return problems

    def eval_matrix_problems(self, e: dict, kind: str) -> list[str]:
        cells = self.page.eval_on_selector_all(
            "#eval-matrix td.eval-cell", "tds => tds.map(td => [Number(td.dataset.row), Number(td.dataset.col), "
            "td.dataset.value, td.textContent])")
        methods = e["agreement"]["methods"]
        want = e["agreement"]["spearman" if kind == "spearman" else "overlap"]
        problems = [] if len(cells) == len(methods) ** 2 else [f"{len(cells)} cells for {len(methods)} methods"]
        for i, j, value, text in cells:
            w = want[i][j]
            if w is None:
                if value != "" or text != "–":
                    problems.append(f"cell {i},{j}: {value!r} {text!r}, the JSON null")
            elif not (close(float(value), w) and abs(shown_number(text) - w) <= 5e-3 * max(1, abs(w))):
                problems.append(f"cell {i},{j}: {text!r} (data-value {value}), the JSON {w}")
        return problems

    # --- steps

    def evaluate_open_run(self):
        self.eval_run_id = self.run_prompt(MODEL, PROMPT)
        summary = self.api.get(f"/api/runs/{self.eval_run_id}")
        self.eval_n = len(summary["tokens"])
        require(2 <= self.eval_n <= 6, f"{PROMPT!r} has {self.eval_n} tokens with {MODEL}: choose a prompt of 2–6")
        self.tab("evaluate")
        require(self.page.is_visible("#eval-empty"), "the empty state is not shown before any job")
        checked = [m for m in ALL_METHODS if self.page.is_checked(f"#eval-method-{m}")]
        require(checked == ALL_METHODS, f"checked by default: {checked}")
        defaults = {sel: self.page.input_value(sel) for sel in ("#eval-target", "#eval-position", "#eval-steps",
                                                                 "#eval-baseline", "#eval-noise", "#eval-sigma", "#eval-variant")}
        want = {"#eval-target": "", "#eval-position": str(self.eval_n - 1), "#eval-steps": "32", "#eval-baseline": "zero",
                "#eval-noise": "3", "#eval-sigma": "0.01", "#eval-variant": ""}
        require(defaults == want, f"the form's defaults {defaults}, expected {want}")
        require(self.eval_query().get("view") == "evaluate", f"the URL is {self._path(self.page.url)}")
        return f"run {self.eval_run_id[:12]}… of {MODEL} {PROMPT!r} ({self.eval_n} tokens); the form's defaults: {want}"

    def evaluate_run(self):
        self.eval_choose(CHOSEN)
        self.page.fill("#eval-variant", VARIANT)
        self.eval_record_statuses()
        body, response = self.eval_post()
        want = {"model": MODEL, "prompt": PROMPT, "target": "top", "position": -1, "objective": "logit", "methods": CHOSEN,
                "steps": 32, "baseline": "zero", "noise_samples": 3, "sigma": 0.01, "variant": VARIANT}
        require(body == want, f"the page posted {short(body)}, expected {short(want)}")
        require(response.status == 202, f"POST /api/explanations → {response.status}: {short(response.text())}")
        job_id = response.json()["id"]
        self.page.wait_for_selector('#eval-job[data-status="done"]', timeout=120000)
        self.eval_ready()
        job = self.api.get(f"/api/explanations/{urllib.parse.quote(job_id)}")
        require(job["status"] == "done" and job["explanation"], f"GET /api/explanations/{job_id}: {short(job)}")
        self.eval_job = job
        statuses = self.page.evaluate("window.evalStatuses")
        total = job["progress"]["total"]
        require(statuses and statuses[0].split()[0] in ("queued", "running"),
                f"the panel's first status was {statuses[:1]}, expected queued or running")
        # The total is the most passes the evaluation could run; the finished panel says how many it ran.
        ran = job["explanation"]["passes"]
        require(statuses[-1].startswith(f"done {total}/{total}") and f"{ran} passes: done" in statuses[-1],
                f"the panel's last status {statuses[-1]!r}, the job's total {total}, passes run {ran}")
        value, maximum = self.page.eval_on_selector("#eval-progress", "p => [p.value, p.max]")
        require(value == maximum == total, f"#eval-progress {value}/{maximum}, the job's total {total}")
        require(self.page.inner_text("#eval-job-title") == f"Evaluation {job_id}", "the panel's title")
        query = self.eval_query()
        require(query.get("eval_job") == job_id and query.get("eval_methods") == ",".join(CHOSEN)
                and query.get("eval_variant") == VARIANT, f"the URL is {self._path(self.page.url)}")
        return (f"job {job_id[:16]}…: POST body as expected, the panel's statuses {[s.split()[0] for s in statuses]}, "
                f"the bar at {value}/{maximum} = the job's {total} passes, the URL has eval_job")

    def evaluate_curves(self):
        e = self.eval_job["explanation"]
        details = []
        for kind in ("deletion", "insertion"):
            chart = f"#eval-{kind}-chart"
            curves = self.attrs(f"{chart} path.eval-curve", ["data-method", "data-auc", "d"])
            require(sorted(c["data-method"] for c in curves) == sorted(CHOSEN),
                    f"{kind}: lines of {[c['data-method'] for c in curves]}, chosen {CHOSEN}")
            require(self.count(f"{chart} path.eval-band") == 1 and self.count(f"{chart} path.eval-random-mean") == 1,
                    f"{kind}: {self.count(f'{chart} path.eval-band')} bands, "
                    f"{self.count(f'{chart} path.eval-random-mean')} mean lines")
            for c in curves:
                m = e["methods"][c["data-method"]]
                require(close(float(c["data-auc"]), m[f"{kind}_auc"]), f"{kind} {c['data-method']}: data-auc {c['data-auc']}")
                points = len(re.findall(r"[ML]", c["d"]))
                require(points == self.eval_n + 1, f"{kind} {c['data-method']}: {points} points, n + 1 = {self.eval_n + 1}")
            band = self.page.get_attribute(f"{chart} path.eval-band", "d")
            require(band.endswith("Z") and len(re.findall(r"[ML]", band)) == 2 * (self.eval_n + 1),
                    f"{kind}: the band's path {band[:80]}…")
            mean = float(self.page.get_attribute(f"{chart} path.eval-random-mean", "data-auc"))
            require(close(mean, e["random"][f"{kind}_auc_mean"]), f"{kind}: random mean AUC {mean}")
            details.append(f"{kind}: {len(curves)} lines + band + mean")
        legend = self.attrs("#eval-legend li", ["data-method", "data-series", "data-deletion-auc"])
        require([li["data-method"] or li["data-series"] for li in legend] == list(e["methods"]) + ["random"],
                f"the legend lists {legend}")
        for li in legend[:-1]:
            require(close(float(li["data-deletion-auc"]), e["methods"][li["data-method"]]["deletion_auc"]),
                    f"the legend's {li['data-method']} deletion AUC {li['data-deletion-auc']}")
        text = self.page.inner_text("#eval-legend")
        require("random orders (8)" in text, f"the legend reads {text!r}")
        # the hover values at the last step: every curve ends at f of the all-baseline (deletion) input
        box = self.page.locator("#eval-deletion-chart").bounding_box()
        self.page.mouse.move(box["x"] + box["width"] - 16, box["y"] + box["height"] / 2)
        ok, tip = wait_until(lambda: (lambda t: (f"k = {self.eval_n - 1} of {self.eval_n}" in t or
                                                 f"k = {self.eval_n} of {self.eval_n}" in t, t))(
            self.page.inner_text("#eval-deletion-chart + .eval-tooltip")), 5)
        require(ok, f"the deletion chart's hover reads {tip!r}")
        self.page.mouse.move(0, 0)
        return "; ".join(details) + f"; legend of {len(legend)} entries = the JSON's areas; hover: {tip.splitlines()[0]!r}"

    def evaluate_table(self):
        e = self.eval_job["explanation"]
        problems = self.eval_table_problems(e)
        require(not problems, f"{len(problems)} differences from GET /api/explanations/{{id}}: " + "; ".join(problems[:5]))
        ig = self.eval_cell("ig", "deletion_auc")
        verdict = self.page.inner_text("#eval-verdict")
        first = e["verdict_sentences"][0]
        require(first in verdict, f"#eval-verdict reads {verdict!r}; the JSON's first sentence {first!r}")
        caption = self.page.inner_text("#eval-caption")
        # The target as the tokenizer shows it (a byte token's text alone is not UTF-8).
        require(f'logit("{e["target"]["display"]}")' in caption and f"{e['passes']} passes" in caption,
                f"#eval-caption reads {caption!r}")
        return (f"{len(e['methods'])} rows + random = the JSON (IG's deletion AUC printed {ig['text']}, the JSON "
                f"{e['methods']['ig']['deletion_auc']:.6g}); verdict {first[:60]!r}…")

    def evaluate_agreement(self):
        e = self.eval_job["explanation"]
        m = len(e["agreement"]["methods"])
        self.wait_count("#eval-matrix td.eval-cell", m * m)
        problems = self.eval_matrix_problems(e, "spearman")
        require(not problems, "Spearman: " + "; ".join(problems[:4]))
        self.click("#eval-matrix-overlap")
        ok, kind = wait_until(lambda: (lambda k: (k == "overlap", k))(self.page.get_attribute("#eval-matrix", "data-kind")), 5)
        require(ok, f"#eval-matrix data-kind {kind!r} after the overlap button")
        problems = self.eval_matrix_problems(e, "overlap")
        require(not problems, "overlap: " + "; ".join(problems[:4]))
        k = e["agreement"]["k"]
        caption = self.page.inner_text("#eval-matrix-caption")
        require(self.page.get_attribute("#eval-matrix", "data-k") == str(k) and f"k = {k}" in caption,
                f"k = {k}: #eval-matrix data-k {self.page.get_attribute('#eval-matrix', 'data-k')}, caption {caption!r}")
        require(self.eval_query().get("eval_matrix") == "overlap", f"the URL is {self._path(self.page.url)}")
        self.click("#eval-matrix-spearman")
        self.page.wait_for_selector('#eval-matrix[data-kind="spearman"]', timeout=5000)
        consensus = e["agreement"]["consensus"]
        chips = self.attrs("#eval-consensus .eval-token", ["data-position", "data-score"])
        problems = self.number_problems("consensus score", [c["data-score"] for c in chips], consensus["scores"])
        require(not problems, "; ".join(problems[:4]))
        named = self.page.get_attribute("#eval-disagreeing", "data-methods")
        text = self.page.inner_text("#eval-disagreeing")
        require(named == ",".join(consensus["most_disagreeing"])
                and all(LABELS[n] in text for n in consensus["most_disagreeing"]),
                f"#eval-disagreeing names {named!r} ({text!r}), the JSON {consensus['most_disagreeing']}")
        return (f"{m}×{m} cells of Spearman, then the top-{k} overlap = the JSON; {len(chips)} consensus tokens; "
                f"furthest from the consensus: {', '.join(consensus['most_disagreeing'])}")

    def evaluate_exports(self):
        e = self.eval_job["explanation"]
        self.page.screenshot(path=SCREENSHOT, full_page=True)
        files = {}
        for button, ext in (("#export-eval-json", "json"), ("#export-eval-csv", "csv"), ("#export-eval-svg", "svg"),
                            ("#export-eval-png", "png")):
            with self.page.expect_download(timeout=20000) as info:
                self.page.click(button)
            download = info.value
            path = os.path.join(ARTIFACTS, f"evaluate-{button[13:]}.{ext}")
            download.save_as(path)
            require(download.suggested_filename.endswith(f".{ext}"), f"{button}: {download.suggested_filename!r}")
            files[ext] = open(path, "rb").read()
        data = json.loads(files["json"])
        require(data == e, "the JSON export differs from the job's explanation")
        lines = files["csv"].decode("utf-8").strip().split("\r\n")
        require(len(lines) == len(e["methods"]) + 2 and lines[0].startswith("method,deletion_auc,deletion_below_random,"),
                f"the CSV has {len(lines)} lines, header {lines[0]!r}")
        ig = next(line.split(",") for line in lines if line.startswith("ig,"))
        require(close(float(ig[1]), e["methods"]["ig"]["deletion_auc"]), f"the CSV's IG row {ig}")
        svg = files["svg"].decode("utf-8")
        curves = svg.count('class="eval-curve"')
        require(svg.startswith("<?xml") and curves == 2 * len(CHOSEN) and "eval-surface" not in svg,
                f"the SVG has {curves} curves, expected {2 * len(CHOSEN)}")
        require(files["png"][:8] == b"\x89PNG\r\n\x1a\n", f"the PNG starts {files['png'][:8]!r}")
        href = self.page.get_attribute("#eval-html", "href")
        require(href == self.eval_job["html"], f"#eval-html href {href!r}, the job's html {self.eval_job['html']!r}")
        status, headers, body = self.api.raw("GET", href)
        html = body.decode("utf-8", "replace")
        require(status == 200 and "<svg" in html and "<script" not in html.lower(),
                f"GET {href} → {status} ({len(body)} bytes)")
        return (f"JSON = the explanation, CSV {len(lines) - 1} rows, SVG with {2 * len(CHOSEN)} curves, PNG "
                f"{len(files['png'])} bytes, HTML report {len(body)} bytes; screenshot {SCREENSHOT}")

    def evaluate_permalink(self):
        url = self._path(self.page.url)
        query = self.eval_query()
        self.page.reload(wait_until="load", timeout=30000)
        self.wait_tab("evaluate", url)
        self.eval_ready()
        require(self.eval_query() == query, f"after reloading: {self._path(self.page.url)}, before {url}")
        checked = [m for m in ALL_METHODS if self.page.is_checked(f"#eval-method-{m}")]
        require(checked == CHOSEN and self.page.input_value("#eval-variant") == VARIANT,
                f"after reloading the form has {checked}, variant {self.page.input_value('#eval-variant')!r}")
        problems = self.eval_table_problems(self.eval_job["explanation"])
        require(not problems, "after reloading: " + "; ".join(problems[:4]))
        # a job the server does not have: said so, dropped from the URL, the form kept
        gone = "e0000000000000000"
        path = f"/api/explanations/{gone}"
        self.expect_failure(path, 404)
        try:
            missing = url.replace(f"eval_job={query['eval_job']}", f"eval_job={gone}")
            self.page.goto(self.base + missing, wait_until="load", timeout=30000)
            self.wait_tab("evaluate", missing)
            self.page.wait_for_selector('#view-evaluate[data-state="missing"]', timeout=15000)
        finally:
            self.end_expected_failures(path, 404)
        require(self.page.get_attribute("#eval-status", "data-status") == "missing", "the panel does not say missing")
        text = self.page.inner_text("#eval-job-error")
        require("no longer has" in text, f"#eval-job-error reads {text!r}")
        require("eval_job" not in self.eval_query(), f"the URL still names the job: {self._path(self.page.url)}")
        require(self.page.is_hidden("#eval-result"), "a result is shown for a missing job")
        checked = [m for m in ALL_METHODS if self.page.is_checked(f"#eval-method-{m}")]
        require(checked == CHOSEN, f"the form has {checked} after the missing job")
        return f"reloaded {url[:90]}…: the same job's figures; eval_job={gone}: 'missing', the form kept"

    def evaluate_bad_input(self):
        posts = []
        listener = lambda r: posts.append(r.url) if r.method == "POST" and "/api/explanations" in r.url else None  # noqa: E731
        self.page.on("request", listener)
        try:
            self.page.fill("#eval-sigma", "0")
            self.page.click("#eval-start")
            self.page.wait_for_selector("#eval-error:not([hidden])", timeout=5000)
            text = self.page.inner_text("#eval-error")
            require("parameter: sigma" in text and self.page.get_attribute("#eval-sigma", "aria-invalid") == "true",
                    f"σ = 0: #eval-error {text!r}, #eval-sigma aria-invalid {self.page.get_attribute('#eval-sigma', 'aria-invalid')}")
            self.page.fill("#eval-sigma", "0.01")
            self.eval_choose([])
            self.page.click("#eval-start")
            ok, text = wait_until(lambda: (lambda t: ("parameter: methods" in t, t))(self.page.inner_text("#eval-error")), 5)
            require(ok and self.page.get_attribute("#eval-methods", "aria-invalid") == "true"
                    and self.page.get_attribute("#eval-sigma", "aria-invalid") is None,
                    f"no method: #eval-error {text!r}, #eval-methods aria-invalid "
                    f"{self.page.get_attribute('#eval-methods', 'aria-invalid')}")
            require(not posts, f"the page posted {posts} for input it could check itself")
        finally:
            self.page.remove_listener("request", listener)
        # what only the server knows: a variant with another token count
        self.eval_choose(CHOSEN)
        self.page.fill("#eval-variant", BAD_VARIANT)
        body = {"model": MODEL, "prompt": PROMPT, "methods": CHOSEN, "variant": BAD_VARIANT}
        status, _, answer = self.api.raw("POST", "/api/explanations", body=body)
        if status == 400:
            error = json.loads(answer)["error"]
            self.expect_failure("/api/explanations", 400)
            try:
                _, response = self.eval_post()
                # (page calls let Playwright deliver Chromium's console line for the 400 while it is expected)
                ok, text = wait_until(lambda: (lambda t: (error["message"] in t, t))(self.page.inner_text("#eval-error")), 5)
            finally:
                self.end_expected_failures("/api/explanations", 400)
            require(response.status == 400, f"the page's POST → {response.status}, the API's 400 {error}")
            parameter = (error.get("details") or {}).get("parameter") or error.get("parameter")
            require(ok and f"parameter: {parameter}" in text and
                    self.page.get_attribute("#eval-variant", "aria-invalid") == "true",
                    f"the server's 400 {error}: #eval-error {text!r}, #eval-variant aria-invalid "
                    f"{self.page.get_attribute('#eval-variant', 'aria-invalid')}")
            detail = f"the server's 400 for the variant ({error['message']!r}) next to the form, the field marked"
        else:
            require(status == 202, f"POST /api/explanations with a bad variant → {status}: {short(answer.decode())}")
            self.api.delete(f"/api/explanations/{json.loads(answer)['id']}")
            _, response = self.eval_post()
            self.page.wait_for_selector('#eval-job[data-status="failed"]', timeout=60000)
            job = self.api.get(f"/api/explanations/{response.json()['id']}")
            text = self.page.inner_text("#eval-job-error")
            require(job["status"] == "failed" and job["error"] in text, f"the failed job {short(job)}: {text!r}")
            detail = f"the job failed on the variant ({job['error']!r}), said in its panel"
        self.page.fill("#eval-variant", VARIANT)
        return f"σ = 0 and no explainer: marked in the form, nothing posted; {detail}"

    def evaluate_cancel(self):
        self.eval_choose(ALL_METHODS)
        self.page.fill("#eval-steps", "1024")
        self.page.fill("#eval-noise", "64")
        body, response = self.eval_post()
        require(body["methods"] == ALL_METHODS and body["steps"] == 1024 and body["noise_samples"] == 64,
                f"the page posted {short(body)}")
        require(response.status == 202, f"POST /api/explanations → {response.status}")
        job_id = response.json()["id"]
        self.page.wait_for_selector('#eval-job[data-status="running"]', timeout=30000)
        value, maximum = self.page.eval_on_selector("#eval-progress", "p => [p.value, p.max]")
        running = self.page.inner_text("#eval-progress-text")
        require(0 <= value < maximum and re.search(r" · pass \d+/\d+$", running) and running.startswith(f"{MODEL} · "),
                f"while running: #eval-progress {value}/{maximum}, {running!r}")
        self.click("#eval-cancel")
        self.page.wait_for_selector('#eval-job[data-status="cancelled"]', timeout=30000)
        job = self.api.get(f"/api/explanations/{job_id}")
        require(job["status"] == "cancelled", f"GET /api/explanations/{job_id}: status {job['status']}")
        done, total = job["progress"]["done"], job["progress"]["total"]
        require(done < total, f"the job was cancelled at {done}/{total}")
        text = self.page.inner_text("#eval-progress-text")
        require(text.startswith(f"{MODEL} · cancelled at pass"), f"#eval-progress-text reads {text!r}")
        require(maximum == total, f"the bar's maximum {maximum}, the job's total {total}")
        require(self.page.is_hidden("#eval-result") and self.page.is_disabled("#eval-cancel"),
                "after cancelling, a result is shown or Cancel is still enabled")
        return (f"job {job_id[:16]}… (all six, 1024 steps, 64 copies): running {running!r}, {value}/{maximum}; "
                f"cancelled at pass {done} of {total}; {text!r}")


def run_steps(s: RunEvaluate) -> None:
    s.step("evaluate: a short run and the form", s.evaluate_open_run, needs=("load /",))
    first = ("evaluate: a short run and the form",)
    s.step("evaluate: three explainers to done", s.evaluate_run, needs=first)
    done = first + ("evaluate: three explainers to done",)
    s.step("evaluate: the curves", s.evaluate_curves, needs=done)
    s.step("evaluate: the table and the verdict", s.evaluate_table, needs=done)
    s.step("evaluate: agreement and consensus", s.evaluate_agreement, needs=done)
    s.step("evaluate: exports", s.evaluate_exports, needs=done)
    s.step("permalink: evaluate view", s.evaluate_permalink, needs=done)
    s.step("evaluate: bad input", s.evaluate_bad_input, needs=first)
    s.step("evaluate: cancel a long job", s.evaluate_cancel, needs=first)
