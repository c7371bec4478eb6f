"""Browser steps of the Compare page's Models mode, /?page=compare&subject=models (Tests/Live/browser_tests.py runs
them): the subject switch; two fixture models on one text, the body sent, and every number shown (both
tokenisations, top-k lists, KL both ways, JS, TV, vocabulary and shared-string counts, shared and outside mass, the
shared strings' probabilities, one chart line per model with a point per layer at depth (layer + 1) / L, where the
lens settles, pattern classes, anomalies) against POST /api/compare with the same body; the metric picker; the JSON
and CSV exports; a permalink reload that compares again; an empty text's 400 next to the form; back to Prompts.
A 1400×900 screenshot of the results goes to artifacts/browser/compare-models.png.
"""

from __future__ import annotations

import csv
import io
import json
import os

from .harness import ARTIFACTS, Session, require, short, wait_until

MODELS = ("tiny-gpt2", "tiny-llama")
TEXT = "The capital of France is"
DISTRIBUTION_KEYS = ("kl_ab", "kl_ba", "js", "total_variation", "shared_strings")
PER_SIDE_KEYS = ("vocabulary_strings", "shared_mass", "mass_outside_shared")


def exact(text, value) -> bool:
    try:
        return abs(float(text) - value) <= 1e-12 + 1e-9 * abs(value)
    except (TypeError, ValueError):
        return False


class CompareModels(Session):
    """The Models mode; the body the page sent and the API's answer to it are kept for the later steps."""

    def __init__(self, page, api, base: str):
        super().__init__(page, api, base)
        self.models_body = None
        self.models_api = None
        self.models_page_answer = None

    def models_submit(self, status: int = 200):
        with self.page.expect_response(lambda r: r.url.endswith("/api/compare") and r.request.method == "POST",
                                       timeout=90000) as info:
            self.page.click("#compare-models-submit")
        response = info.value
        require(response.status == status, f"POST /api/compare → {response.status}, expected {status}")
        return response

    def models_problems(self, api: dict) -> list[str]:
        """Differences between the shown results and the API's comparison."""
        problems = []
        d = api["distribution"]
        for key in DISTRIBUTION_KEYS:
            shown = self.values(f'#models-distribution-table td[data-key="{key}"]')
            if len(shown) != 1 or not exact(shown[0], d[key]):
                problems.append(f"{key}: shown {shown}, API {d[key]}")
        for key in PER_SIDE_KEYS:
            shown = [self.page.get_attribute(f'#models-distribution-table td[data-key="{key}"][data-side="{i}"]', "data-value")
                     for i in range(2)]
            if not all(exact(s, w) for s, w in zip(shown, d[key])):
                problems.append(f"{key}: shown {shown}, API {d[key]}")
        rows = self.page.eval_on_selector_all("#models-shared tbody tr", """rows => rows.map(r => [r.dataset.string,
            [...r.querySelectorAll('.paired-bar')].map(b => b.dataset.value)])""")
        want = [[t["string"], t["probability"]] for t in d["top"]]
        if len(rows) != len(want) or any(r[0] != w[0] or not all(exact(a, b) for a, b in zip(r[1], w[1]))
                                         for r, w in zip(rows, want)):
            problems.append(f"shared strings {short(rows, 200)}, API {short(want, 200)}")
        for i, side in enumerate(api["models"]):
            card = f'#models-sides .model-card[data-side="{i}"]'
            tokens = self.page.eval_on_selector_all(f"{card} .model-tokens .token", "t => t.map(x => x.textContent)")
            if tokens != side["tokens"]:
                problems.append(f"side {i} tokens {tokens}, API {side['tokens']}")
            top = self.attrs(f"{card} .prompt-top li", ["data-token-id", "data-value"])
            if [int(t["data-token-id"]) for t in top] != [t["id"] for t in side["top"]] or not all(
                    exact(t["data-value"], a["probability"]) for t, a in zip(top, side["top"])):
                problems.append(f"side {i} top-k differs from the API")
            points = self.attrs(f'#models-depth-chart .depth-point[data-side="{i}"]', ["data-layer", "data-depth", "data-value"])
            metric = self.page.input_value("#models-metric")
            want_points = [(m["layer"], m["depth"], m[metric]) for m in side["layer_metrics"] if m[metric] is not None]
            if len(points) != len(want_points) or not all(
                    int(p["data-layer"]) == l and exact(p["data-depth"], dep) and exact(p["data-value"], v)
                    for p, (l, dep, v) in zip(points, want_points)):
                problems.append(f"side {i}: chart points {short(points, 200)}, API {short(want_points, 200)}")
            if any(not exact(p["data-depth"], (int(p["data-layer"]) + 1) / side["layers"]) for p in points):
                problems.append(f"side {i}: a point's depth is not (layer + 1) / L")
            settle = self.page.get_attribute(f'#models-lens tr[data-side="{i}"] td[data-key="settled_layer"]', "data-value")
            if str(side["lens"]["settled_layer"]) != settle:
                problems.append(f"side {i}: lens settles at {settle!r}, API {side['lens']['settled_layer']}")
            for name, count in side["classes"].items():
                shown = self.page.get_attribute(f'#models-classes tr[data-class="{name}"] .paired-bar[data-side="{i}"]', "data-value")
                if shown != str(count):
                    problems.append(f"side {i} class {name}: {shown!r}, API {count}")
            for key, count in side["anomalies"].items():
                shown = self.page.get_attribute(f'#models-anomalies tr[data-key="{key}"] td[data-side="{i}"]', "data-value")
                if shown != str(count):
                    problems.append(f"side {i} anomaly {key}: {shown!r}, API {count}")
        lines = self.count("#models-depth-chart path.depth-line")
        if lines != 2:
            problems.append(f"{lines} chart lines, expected one per model")
        markers = self.count("#models-depth-chart .settle-marker")
        want_markers = sum(1 for s in api["models"] if s["lens"]["settled_depth"] is not None)
        if markers != want_markers:
            problems.append(f"{markers} lens markers on the chart, the API settles {want_markers}")
        return problems

    # --- steps

    def models_compare(self):
        self.page.goto(self.base + "/?page=compare", wait_until="load", timeout=30000)
        self.page.wait_for_selector("#compare-form", timeout=15000)
        require(self.page.is_checked("#compare-subject-prompts"), "the Compare page does not open on Prompts")
        self.click('label[for="compare-subject-models"]')
        self.page.wait_for_selector("#compare-models-form", timeout=15000)
        require(self.url_query().get("subject") == "models", f"the Models switch went to {self._path(self.page.url)}")
        require(not self.page.is_visible("#compare-form"), "the Prompts form is still shown in Models mode")
        ok, _ = wait_until(lambda: (self.count(f"#compare-model-b option[value='{MODELS[1]}']") == 1, None), 15)
        require(ok, "the model menus are not filled")
        self.page.select_option("#compare-model-a", MODELS[0])
        self.page.select_option("#compare-model-b", MODELS[1])
        self.page.fill("#compare-text", TEXT)
        response = self.models_submit()
        body = response.request.post_data_json
        want = {"models": list(MODELS), "prompt": TEXT, "top_k": 10}
        require(body == want, f"the page sent {short(body)}, expected {short(want)}")
        self.page.wait_for_selector("#models-depth-chart", timeout=30000)
        api = self.api.post("/api/compare", body)
        problems = self.models_problems(api)
        require(not problems, f"{len(problems)} differences from POST /api/compare: " + "; ".join(problems[:5]))
        query = self.url_query()
        want_query = {"page": "compare", "subject": "models", "a": MODELS[0], "b": MODELS[1], "text": TEXT, "run": "1"}
        require(all(query.get(k) == v for k, v in want_query.items()), f"the URL {self._path(self.page.url)} lacks {want_query}")
        self.models_body, self.models_api, self.models_page_answer = body, api, response.json()
        self.page.set_viewport_size({"width": 1400, "height": 900})
        try:
            self.page.screenshot(path=os.path.join(ARTIFACTS, "compare-models.png"))
        finally:
            self.page.set_viewport_size({"width": 1600, "height": 1000})
        d = api["distribution"]
        return (f"sent {short(body)}; KL(A‖B) {d['kl_ab']:.4f}, KL(B‖A) {d['kl_ba']:.4f}, JS {d['js']:.4f}, "
                f"mass outside {d['mass_outside_shared']}, {d['shared_strings']} shared strings, tokens, top-k, "
                f"2 chart lines with {[s['layers'] for s in api['models']]} points, lens, classes, anomalies = the API")

    def models_metric_exports(self):
        self.page.select_option("#models-metric", "focus")
        ok, _ = wait_until(lambda: (self.url_query().get("metric") == "focus", None), 5)
        require(ok, f"choosing focus left the URL at {self._path(self.page.url)}")
        problems = self.models_problems(self.models_api)
        require(not problems, "with focus: " + "; ".join(problems[:4]))
        with self.page.expect_download(timeout=20000) as info:
            self.page.click("#models-export-json")
        saved = json.load(open(info.value.path(), encoding="utf-8"))
        require(saved == self.models_page_answer, "the JSON export is not the page's POST /api/compare answer")
        with self.page.expect_download(timeout=20000) as info:
            self.page.click("#models-export-csv")
        rows = list(csv.reader(io.StringIO(open(info.value.path(), encoding="utf-8").read())))
        api = self.models_api
        require(rows[0] == ["side", "model", "layer", "depth", *api["metrics"]], f"CSV header {rows[0]}")
        want_rows = sum(len(s["layer_metrics"]) for s in api["models"])
        require(len(rows) == 1 + want_rows, f"CSV has {len(rows) - 1} rows, the layers are {want_rows}")
        first = api["models"][0]["layer_metrics"][0]
        require(rows[1][:3] == ["A", MODELS[0], "0"] and exact(rows[1][4], first[api["metrics"][0]]),
                f"CSV row 1 {rows[1][:6]}, API {first}")
        return f"focus chart = the API, URL metric=focus; JSON = the answer; CSV {len(rows) - 1} layer rows × {len(rows[0])} columns"

    def models_reload(self):
        url = self._path(self.page.url)
        with self.page.expect_response(lambda r: r.url.endswith("/api/compare") and r.request.method == "POST",
                                       timeout=90000) as info:
            self.page.reload(wait_until="load", timeout=30000)
        require(info.value.request.post_data_json == self.models_body,
                f"after reloading the page sent {short(info.value.request.post_data_json)}")
        self.page.wait_for_selector("#models-depth-chart", timeout=30000)
        values = (self.page.input_value("#compare-model-a"), self.page.input_value("#compare-model-b"),
                  self.page.input_value("#compare-text"), self.page.input_value("#models-metric"))
        require(values == (*MODELS, TEXT, "focus"), f"after reloading the form shows {values}")
        require(self.page.is_checked("#compare-subject-models"), "after reloading the Models switch is not on")
        problems = self.models_problems(self.models_api)
        require(not problems, "after reloading: " + "; ".join(problems[:4]))
        return f"reloaded {short(url, 160)}: compared again with the same body, form, metric and numbers restored"

    def models_error(self):
        self.page.fill("#compare-text", "")
        body = dict(self.models_body, prompt="")
        api = self.api.post("/api/compare", body, expect=400)["error"]
        self.expect_failure("/api/compare", 400)
        try:
            sent = self.models_submit(400).request.post_data_json
            require(sent == body, f"the page sent {short(sent)}, expected {short(body)}")
            ok, text = wait_until(lambda: (self.page.is_visible("#compare-models-error"),
                                           self.page.inner_text("#compare-models-error")
                                           if self.page.is_visible("#compare-models-error") else ""), 10)
            require(ok and api["message"] in text and "parameter: prompt" in text,
                    f"#compare-models-error reads {text!r}; the API says {api['message']!r}")
            require(self.page.get_attribute("#compare-text", "aria-invalid") == "true", "the text field is not marked")
            self.click('label[for="compare-subject-prompts"]')
            self.page.wait_for_selector("#compare-form", state="visible", timeout=15000)
            require("subject" not in self.url_query() and self.url_query().get("page") == "compare",
                    f"back on Prompts the URL is {self._path(self.page.url)}")
            # Back returns to the Models mode's URL, which keeps the failing form: it is compared again, the 400 shown
            with self.page.expect_response(lambda r: r.url.endswith("/api/compare") and r.request.method == "POST",
                                           timeout=30000) as again:
                self.page.go_back(wait_until="load")
            require(again.value.status == 400, f"after Back: POST /api/compare → {again.value.status}")
            ok, text = wait_until(lambda: (self.page.is_visible("#compare-models-error")
                                           and self.page.is_visible("#compare-models-form"),
                                           self.page.inner_text("#compare-models-error")
                                           if self.page.is_visible("#compare-models-error") else ""), 10)
            require(ok and api["message"] in text, f"after Back #compare-models-error reads {text!r}")
        finally:
            self.end_expected_failures("/api/compare", 400)
        return f"400 next to the form: {api['message']!r}, the field marked; Prompts, then Back to Models: the same 400 again"


def run_steps(s: CompareModels) -> None:
    s.step("compare models: two fixture models", s.models_compare, needs=("load /",))
    s.step("compare models: metric and exports", s.models_metric_exports, needs=("compare models: two fixture models",))
    s.step("compare models: permalink reload", s.models_reload, needs=("compare models: metric and exports",))
    s.step("compare models: an empty text (400)", s.models_error, needs=("compare models: two fixture models",))
