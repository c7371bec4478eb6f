"""Browser steps of the run page's Attributions tab (Tests/Live/browser_tests.py runs them), each against GET
/api/runs/{id}/attributions with the same query: the tokens' scores and colours (the diverging scale centred at 0),
the table of every method and its sorting, the completeness gap and its warning, the target from a click under
Next tokens (in the tab, and by a prediction's "why?" button from another tab, Back), a contrast and another
position, the gradient-flow and attention × gradient maps, a pad baseline (scores, or the server's 400 in the view),
integrated gradients with more steps than a plain GET takes (the progress job, or the plain GET while the server has
no job routes; then the job panel against mocked job routes: progress, done, cancel), the exports and a permalink.
"""

from __future__ import annotations

import json
import math
import os
import re
import urllib.parse

from .harness import ARTIFACTS, Check, close, require, short, wait_until
from .run_page import AFTER_RUN, RunPage

METHODS = ["saliency", "gradxinput", "ig", "occlusion", "attention-gradient", "gradient-flow"]
USES = {"saliency": ["norm"], "ig": ["steps", "baseline"], "occlusion": ["baseline"]}
RDBU = ["#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#f7f7f7", "#d1e5f0", "#92c5de", "#4393c3", "#2166ac"]
READY = '#view-attributions[data-ready="true"]'


def diverging(t: float) -> str:
    """The page's diverging colour (components/color-scales.js) of t ∈ [−1, 1], as getComputedStyle writes it."""
    stops = [[int(h[i:i + 2], 16) for i in (1, 3, 5)] for h in RDBU]
    u = (max(-1.0, min(1.0, t)) + 1) / 2 * (len(stops) - 1)
    i = min(int(math.floor(u)), len(stops) - 2)
    f = u - i
    c = [int(math.floor(a + (b - a) * f + 0.5)) for a, b in zip(stops[i], stops[i + 1])]
    return f"rgb({c[0]}, {c[1]}, {c[2]})"


class RunAttributions(RunPage):
    """The Attributions tab of the run made by RunPage's steps."""

    def __init__(self, page, api, base: str):
        super().__init__(page, api, base)
        self.attr_target_id = None

    # --- the API and the page

    def page_params(self) -> dict:
        """The attribution parameters of the page's URL (its defaults where the URL leaves them out)."""
        q = self.live_query()
        return {"target": q.get("target", "top"), "objective": q.get("objective", "logit"), "contrast": q.get("contrast"),
                "position": int(q["target_position"]) if "target_position" in q else None,
                "baseline": q.get("baseline", "zero"), "steps": int(q.get("steps", "32")), "norm": q.get("norm", "l2")}

    def attr_query(self, method: str, **change) -> str:
        """The query of GET /attributions for the page's parameters (with `change`)."""
        p = {**self.page_params(), **change}
        query = {"method": method, "target": p["target"], "objective": p["objective"]}
        if p["contrast"]:
            query["contrast"] = p["contrast"]
        query["position"] = str(self.n - 1 if p["position"] is None else p["position"])
        for name in USES.get(method, []):
            query[name] = str(p[name])
        return urllib.parse.urlencode(query)

    def attr_api(self, method: str, **change) -> dict:
        return self.api.get(f"/api/runs/{self.run_id}/attributions?{self.attr_query(method, **change)}")

    def attr_ready(self, timeout: float = 60):
        self.page.wait_for_selector(READY, timeout=timeout * 1000, state="attached")

    def live_query(self) -> dict[str, str]:
        """The page's own location (Playwright's page.url can lag behind a history traversal)."""
        return dict(urllib.parse.parse_qsl(self.page.evaluate("location.search").lstrip("?")))

    def shown(self, **change) -> dict:
        """The API's answer for the method the tokens are coloured by."""
        return self.attr_api(self.page.get_attribute("#attr-tokens", "data-method"), **change)

    def chips(self) -> list[dict]:
        return self.page.eval_on_selector_all(
            "#attr-tokens .attr-token",
            "els => els.map(e => ({position: e.dataset.position, score: e.dataset.score, text: e.textContent, "
            "color: getComputedStyle(e).backgroundColor}))")

    def table_column(self, key: str) -> list[str]:
        return self.values(f'#attr-table tbody td[data-key="{key}"]')

    def table_problems(self, results: dict) -> list[str]:
        """Every method column of the table against the API's scores, row by row (in the table's order)."""
        positions = [int(p) for p in self.values("#attr-table tbody tr[data-position]", "data-position")]
        problems = [] if sorted(positions) == list(range(self.n)) else [f"table rows {positions}, {self.n} tokens"]
        for method, body in results.items():
            problems += self.number_problems(method, self.table_column(method), [body["scores"][p] for p in positions])
        return problems

    def chip_problems(self, body: dict) -> list[str]:
        """The coloured tokens against one method's scores: the texts, the scores and the diverging colours."""
        chips = self.chips()
        problems = self.number_problems("token score", [c["score"] for c in chips], body["scores"])
        if [c["text"] for c in chips] != body["tokens"]:
            problems.append(f"chip texts {[c['text'] for c in chips][:6]}…, the API's tokens {body['tokens'][:6]}…")
        scale = max((abs(v) for v in body["scores"] if v is not None), default=0)
        for i, (chip, v) in enumerate(zip(chips, body["scores"])):
            want = diverging(v / scale if scale > 0 and v is not None else 0)
            if chip["color"] != want:
                problems.append(f"token {i} ({v}) is {chip['color']}, the scale gives {want}")
        return problems

    def expect_while(self, pattern: str, status: int):
        """Lets Chromium's console line for `status` through for the page's requests matching `pattern` (a
        regular expression on the path); returns the listener to remove."""
        def on_request(request):
            path = self._path(request.url)
            if re.search(pattern, path):
                self.expect_failure(path, status)
        self.page.on("request", on_request)
        return on_request

    def end_expect_while(self, listener, status: int):
        self.page.remove_listener("request", listener)
        for path, code in list(self.expected_failures):
            if code == status:
                self.end_expected_failures(path, status)

    # --- steps

    def attributions_view(self):
        self.tab("attributions")
        self.attr_ready()
        results = {m: self.attr_api(m) for m in METHODS}
        ig = results["ig"]
        self.attr_target_id = ig["target"]["token"]["id"]
        require(self.page.input_value("#attr-method") == "ig", "the default method is not integrated gradients")
        problems = self.chip_problems(ig) + self.table_problems(results)
        require(not problems, f"{len(problems)} differences from GET /attributions: " + "; ".join(problems[:5]))
        caption = self.page.inner_text("#attr-caption")
        want = ig["target"]["token"]["display"]
        require(f'logit("{want}")' in caption and f"position {self.n - 1}" in caption,
                f"#attr-caption reads {caption!r}; the API's target is {want!r} at {self.n - 1}")
        legend = self.page.inner_text("#attr-legend")
        require("−" in legend and "+" in legend, f"the legend reads {legend!r}")
        gap = self.page.get_attribute("#attr-gap", "data-relative")
        require(gap is not None and close(float(gap), ig["relative_completeness_gap"]),
                f"#attr-gap data-relative {gap!r}, the API's relative gap {ig['relative_completeness_gap']}")
        large = abs(ig["relative_completeness_gap"]) > 0.05
        warned = self.count("#attr-gap-warning") == 1 and self.page.is_visible("#attr-gap-warning")
        require(warned == large, f"relative gap {ig['relative_completeness_gap']:.4f}: warning shown {warned}")
        badge = self.page.inner_text('#attr-table thead th[data-key="ig"] .attr-gap-badge')
        require(f"{abs(ig['relative_completeness_gap']) * 100:.1f}" in badge, f"the IG header's badge reads {badge!r}")
        marked = self.values("#predictions li.attr-target", "data-token-id")
        require(marked == [str(self.attr_target_id)], f"Next tokens marks {marked}, the target is {self.attr_target_id}")
        require(self.live_query().get("method") == "ig", f"the URL is {self._path(self.page.url)}")
        return (f"{self.n} tokens coloured as IG's scores (scale ±{max(abs(v) for v in ig['scores']):.3g}), "
                f"{len(METHODS)} method columns = GET /attributions; target {want!r}; relative gap "
                f"{ig['relative_completeness_gap']:.3%}{' with the warning' if large else ''}")

    def attributions_sort(self):
        done = []
        for key, order in (("occlusion", "descending"), ("occlusion", "ascending"), ("saliency", "descending")):
            self.click(f'#attr-table thead button[data-key="{key}"]')
            ok, sort = wait_until(lambda: (lambda s: (s == order, s))(
                self.page.get_attribute(f'#attr-table thead th[data-key="{key}"]', "aria-sort")), 5)
            require(ok, f'th[data-key="{key}"] aria-sort is {sort!r}, expected {order}')
            values = [float(v) for v in self.table_column(key)]
            require(values == sorted(values, reverse=order == "descending"), f"{key} {order}: {values}")
            query = self.live_query()
            require(query.get("attr_sort") == key and query.get("attr_order") == {"ascending": "asc", "descending": "desc"}[order],
                    f"the URL has attr_sort={query.get('attr_sort')!r} attr_order={query.get('attr_order')!r}")
            done.append(f"{key} {order}")
        self.page.select_option("#attr-method", "occlusion")
        ok, method = wait_until(lambda: (lambda m: (m == "occlusion", m))(
            self.page.get_attribute("#attr-tokens", "data-method")), 5)
        require(ok, f"#attr-tokens data-method {method!r} after choosing occlusion")
        problems = self.chip_problems(self.attr_api("occlusion"))
        require(not problems, "occlusion colours: " + "; ".join(problems[:4]))
        require(self.live_query().get("method") == "occlusion", "the URL has no method=occlusion")
        return "; ".join(done) + "; tokens coloured by occlusion = GET /attributions?method=occlusion"

    def attributions_prediction(self):
        items = self.values("#predictions li[data-token-id]", "data-token-id")
        require(len(items) >= 3, f"only {len(items)} predictions under Next tokens")
        third = items[2]
        how = self.click("#predictions li:nth-child(3) .pred")
        ok, query = wait_until(lambda: (lambda q: (q.get("target") == third, q))(self.live_query()), 10)
        require(ok, f"clicking the third prediction{how} in the tab gave {self._path(self.page.url)} (target={third})")
        self.attr_ready()
        ok, problems = wait_until(lambda: (lambda p: (not p, p))(self.chip_problems(self.shown())), 15)
        require(ok, f"target {third}: " + "; ".join(problems[:4]))
        require(self.page.get_attribute("#attr-caption", "data-target-id") == third, "the caption's target is not it")
        require(self.values("#predictions li.attr-target", "data-token-id") == [third], "Next tokens does not mark it")
        # from another tab, a prediction's "why?" button opens the tab with it (a new history entry)
        self.tab("graph")
        second = items[1]
        self.click("#predictions li:nth-child(2) .why")
        ok, query = wait_until(lambda: (lambda q: (q.get("view") == "attributions" and q.get("target") == second, q))(
            self.live_query()), 10)
        require(ok, f"the second prediction's why? gave {self._path(self.page.url)}")
        require(self.page.get_attribute("#tab-attributions", "aria-selected") == "true", "the tab is not selected")
        self.attr_ready()
        body = self.shown(target=second)
        problems = self.chip_problems(body)
        require(not problems, f"after why?: " + "; ".join(problems[:4]))
        self.page.go_back()
        ok, query = wait_until(lambda: (lambda q: (q.get("view") == "graph", q))(self.live_query()), 10)
        require(ok, f"Back after why? gave {query}")
        self.wait_tab("graph", "Back")
        self.page.wait_for_selector('#graph-svg[data-ready="true"]', timeout=30000, state="attached")
        self.page.go_forward()
        ok, query = wait_until(lambda: (lambda q: (q.get("view") == "attributions" and q.get("target") == second, q))(
            self.live_query()), 10)
        require(ok, f"Forward gave {query}")
        self.wait_tab("attributions", "Forward")
        self.attr_ready()
        return (f"click in the tab → target={third}; why? on {body['target']['token']['display']!r} from the graph → "
                f"the tab, target={second}; Back → graph, Forward → it again")

    def attributions_contrast(self):
        contrast = str(self.summary["top"][0]["id"])
        position = max(1, self.n - 3)
        self.page.fill("#attr-contrast", contrast)
        self.page.select_option("#attr-position", str(position))  # a change: applies the form
        ok, query = wait_until(lambda: (lambda q: (q.get("contrast") == contrast and q.get("target_position") == str(position), q))(
            self.live_query()), 10)
        require(ok, f"after a contrast and position {position}: {self._path(self.page.url)}")
        self.attr_ready()
        ok, problems = wait_until(lambda: (lambda p: (not p, p))(self.chip_problems(self.shown())), 15)
        require(ok, "contrast: " + "; ".join(problems[:4]))
        body = self.attr_api("ig")
        require(body["target"]["objective"] == "contrast", f"the API's objective is {body['target']['objective']!r}")
        caption = self.page.inner_text("#attr-caption")
        require("−" in caption and f"position {position}" in caption, f"#attr-caption reads {caption!r}")
        problems = self.table_problems({m: self.attr_api(m) for m in ("ig", "saliency")})
        require(not problems, "the table with a contrast: " + "; ".join(problems[:4]))
        # back to the plain target at the last position, the log-probability objective
        self.page.fill("#attr-contrast", "")
        self.page.select_option("#attr-objective", "logprob")
        self.page.select_option("#attr-position", str(self.n - 1))
        ok, query = wait_until(lambda: (lambda q: ("contrast" not in q and "target_position" not in q
                                                   and q.get("objective") == "logprob", q))(self.live_query()), 10)
        require(ok, f"back to no contrast, logprob: {self._path(self.page.url)}")
        self.attr_ready()
        ok, problems = wait_until(lambda: (lambda p: (not p, p))(self.table_problems({"saliency": self.attr_api("saliency")})), 15)
        require(ok, "logprob: " + "; ".join(problems[:4]))
        return (f"contrast {contrast} at position {position}: f = {body['target']['f']:.4f} (objective contrast), "
                f"tokens and table = the API; then logprob at the last position")

    def attributions_maps(self):
        flow = self.attr_api("gradient-flow")["flow"]
        maps = self.attr_api("attention-gradient")["attention_maps"]
        done = []
        for point, rows in (("pre", self.layers), ("stacked", 3 * self.layers), ("mid", self.layers)):
            if self.page.input_value("#attr-flow-point") != point:
                self.page.select_option("#attr-flow-point", point)
            values = [v for p in (["post", "mid", "pre"] if point == "stacked" else [point]) for row in flow[p] for v in row]
            want = max([v for v in values if v is not None] + [0])

            def probe():
                c = self.attrs("#attr-flow-map canvas", ["data-ready", "data-rows", "data-cols", "data-max"])
                return (bool(c) and c[0]["data-ready"] == "true" and c[0]["data-rows"] == str(rows)
                        and c[0]["data-cols"] == str(self.n) and close(float(c[0]["data-max"] or "nan"), want)), c
            ok, canvas = wait_until(probe, 10)
            require(ok, f"gradient flow {point}: canvas {canvas}, expected {rows} rows × {self.n}, the API's largest "
                        f"value {want}")
            done.append(f"{point} {rows}×{self.n} (max {want:.3g})")
        for layer in ("sum", str(self.layers - 1)):
            self.page.select_option("#attr-map-layer", layer)
            chosen = maps if layer == "sum" else [maps[int(layer)]]
            want = max(0, max(sum(m[p] for m in chosen) for p in range(self.n * self.n)))

            def probe():
                c = self.attrs("#attr-ag-map canvas", ["data-ready", "data-n", "data-max"])
                return bool(c) and c[0]["data-ready"] == "true" and close(float(c[0]["data-max"]), want), c
            ok, canvas = wait_until(probe, 10)
            require(ok and canvas[0]["data-n"] == str(self.n), f"attention × gradient {layer}: {canvas}, max {want}")
            done.append(f"attention × gradient {layer}: {self.n}×{self.n} (max {want:.3g})")
        query = self.live_query()
        require(query.get("flow_point") == "mid" and query.get("map_layer") == str(self.layers - 1),
                f"the URL has flow_point={query.get('flow_point')!r} map_layer={query.get('map_layer')!r}")
        return "; ".join(done)

    def attributions_baseline(self):
        query = self.attr_query("ig", baseline="pad")
        status, _, body = self.api.raw("GET", f"/api/runs/{self.run_id}/attributions?{query}")
        listener = self.expect_while(r"/attributions\?.*baseline=pad", 400)
        try:
            self.page.select_option("#attr-baseline", "pad")
            self.attr_ready()
            if status == 200:
                self.page.select_option("#attr-method", "ig")
                problems = self.chip_problems(json.loads(body))
                require(not problems, "pad baseline: " + "; ".join(problems[:4]))
                detail = "the model has a pad token: the tokens coloured by IG with baseline=pad = the API"
            else:
                detail = self.baseline_error(status, json.loads(body)["error"]["message"])
        finally:
            self.end_expect_while(listener, 400)
        self.page.select_option("#attr-baseline", "zero")
        self.attr_ready()
        ok, _ = wait_until(lambda: (self.page.is_hidden("#attr-error"), None), 10)
        require(ok, "#attr-error stays after going back to the zero baseline")
        return detail

    def baseline_error(self, status: int, message: str) -> str:
        """The server's 400 for a baseline the model lacks: shown in the view, the field marked, the rest drawn."""
        ok, text = wait_until(lambda: (self.page.is_visible("#attr-error"), self.page.inner_text("#attr-error")), 10)
        require(ok and message in text and "parameter: baseline" in text,
                f"the API answers {status} {message!r}; #attr-error reads {text!r}")
        require(self.page.get_attribute("#attr-baseline", "aria-invalid") == "true", "the baseline is not marked")
        require(self.page.get_attribute('#attr-table thead th[data-key="ig"]', "data-status") == "error",
                "the IG column is not marked failed")
        problems = self.table_problems({"saliency": self.attr_api("saliency")})
        require(not problems, "the other methods after the 400: " + "; ".join(problems[:3]))
        return f"baseline=pad: the server's {status} ({message!r}) in the view, the baseline marked, the rest drawn"

    def attributions_steps(self):
        """More steps than a plain GET takes (the warning's button when the gap is large): a job (the plain GET while
        the server has no job routes), then the job panel's progress and cancel against mocked routes."""
        status, _, _ = self.api.raw("POST", f"/api/runs/{self.run_id}/attributions/jobs?"
                                    f"{self.attr_query('ig', steps=128)}")
        jobs = status in (200, 202)
        listener = None if jobs else self.expect_while(r"/attributions/jobs\?", 404)
        try:
            if self.count("#attr-more-steps"):
                self.click("#attr-more-steps")
            else:
                self.page.fill("#attr-steps", "128")
                self.page.press("#attr-steps", "Enter")
            ok, query = wait_until(lambda: (lambda q: (q.get("steps") == "128", q))(self.live_query()), 10)
            require(ok, f"after asking for 128 steps: {self._path(self.page.url)}")
            if jobs:
                self.page.wait_for_selector('#attr-job[data-status="done"]', timeout=120000)
            self.attr_ready(120)
            ok, steps = wait_until(lambda: (lambda s: (s == "128", s))(self.page.get_attribute("#attr-gap", "data-steps")), 30)
            require(ok, f"#attr-gap data-steps {steps!r} after 128 steps")
            self.page.select_option("#attr-method", "ig")
            body = self.attr_api("ig")
            problems = self.chip_problems(body) + self.number_problems(
                "gap", [self.page.get_attribute("#attr-gap", "data-relative")], [body["relative_completeness_gap"]])
            require(not problems, "128 steps: " + "; ".join(problems[:4]))
        finally:
            if listener:
                self.end_expect_while(listener, 404)
        how = "a job (progress to done)" if jobs else "the plain GET (the server answers 404 to the job route)"
        self.page.fill("#attr-steps", "32")
        self.page.press("#attr-steps", "Enter")
        self.attr_ready()
        mocked = "; " + self.mocked_job()  # a cancel is too quick to catch on the real server's tiny model
        return f"128 steps by {how}: scores and gap = GET ?steps=128{mocked}"

    def mocked_job(self) -> str:
        """The job panel against mocked job routes (the documented shape): 202 queued, polls running k/T, done with
        the real body; then a second job cancelled by its button."""
        jobs: dict[str, dict] = {}  # id → {query, polls, cancelled}

        def job(j, status, done, result=None):
            return json.dumps({"id": j, "run": self.run_id, "method": "ig", "status": status,
                               "progress": {"done": done, "total": 258}, "error": None, "result": result})

        def create(route):
            j = f"a-mock-{len(jobs) + 1}"
            jobs[j] = {"query": route.request.url.split("?", 1)[1], "polls": 0, "cancelled": False}
            route.fulfill(status=202, content_type="application/json", body=job(j, "queued", 0))

        def poll(route):
            j = urllib.parse.unquote(route.request.url.rsplit("/", 1)[1])
            state = jobs[j]
            if route.request.method == "DELETE" or state["cancelled"]:
                state["cancelled"] = True
                return route.fulfill(status=200, content_type="application/json", body=job(j, "cancelled", 20))
            state["polls"] += 1
            if state["polls"] < 4 or "steps=512" in state["query"]:
                return route.fulfill(status=200, content_type="application/json", body=job(j, "running", 10 * state["polls"]))
            result = self.api.get(f"/api/runs/{self.run_id}/attributions?{state['query']}")
            route.fulfill(status=200, content_type="application/json", body=job(j, "done", 258, result))

        self.page.route("**/attributions/jobs?*", create)
        self.page.route("**/api/attribution-jobs/*", poll)
        try:
            self.page.reload(wait_until="load")  # a fresh page asks for jobs again
            self.tab("attributions")
            self.page.fill("#attr-steps", "256")
            self.page.press("#attr-steps", "Enter")
            self.page.wait_for_selector('#attr-job[data-status="running"]', timeout=15000)
            value, maximum = self.page.eval_on_selector("#attr-progress", "p => [p.value, p.max]")
            require(maximum == 258 and 0 < value < 258, f"#attr-progress {value}/{maximum} while running")
            self.page.wait_for_selector('#attr-job[data-status="done"]', timeout=15000)
            self.attr_ready()
            queries = [state["query"] for state in jobs.values()]
            require(len(queries) == 1 and "steps=256" in queries[0], f"the jobs' queries are {queries}")
            require(self.page.get_attribute("#attr-gap", "data-steps") == "256", "the job's result is not shown")
            self.page.fill("#attr-steps", "512")
            self.page.press("#attr-steps", "Enter")
            self.page.wait_for_selector('#attr-job[data-status="running"]', timeout=15000)
            self.click("#attr-cancel")
            self.page.wait_for_selector('#attr-job[data-status="cancelled"]', timeout=15000)
            self.attr_ready()
            require(self.page.get_attribute('#attr-table thead th[data-key="ig"]', "data-status") == "cancelled",
                    "the IG column is not marked cancelled")
            require(jobs["a-mock-2"]["cancelled"], "no DELETE reached the second job")
            self.page.fill("#attr-steps", "32")
            self.page.press("#attr-steps", "Enter")
            self.attr_ready()
        finally:
            self.page.unroute("**/attributions/jobs?*")
            self.page.unroute("**/api/attribution-jobs/*")
        return "mocked job routes: progress 10…/258, done → the result drawn; a second job cancelled by its button"

    def attributions_exports(self):
        files = {}
        for button, ext in (("#export-attr-csv", "csv"), ("#export-attr-json", "json"), ("#export-attr-png", "png"),
                            ("#export-attr-flow-png", "png"), ("#export-attr-ag-png", "png")):
            with self.page.expect_download(timeout=20000) as info:
                self.page.click(button)
            download = info.value
            path = os.path.join(ARTIFACTS, f"attributions-{button[8:]}.{ext}")
            download.save_as(path)
            require(download.suggested_filename.endswith(f".{ext}"), f"{button}: {download.suggested_filename!r}")
            files[button] = open(path, "rb").read()
        rows = files["#export-attr-csv"].decode("utf-8").strip().split("\r\n")
        require(rows[0] == "position,token_id,token," + ",".join(METHODS) and len(rows) == self.n + 1,
                f"the CSV has {len(rows)} lines, header {rows[0]!r}")
        data = json.loads(files["#export-attr-json"])
        require(sorted(data["results"]) == sorted(METHODS), f"the JSON has results for {sorted(data['results'])}")
        ig = self.attr_api("ig")
        require(all(close(a, b) for a, b in zip(data["results"]["ig"]["scores"], ig["scores"])), "the JSON's IG scores")
        for button in ("#export-attr-png", "#export-attr-flow-png", "#export-attr-ag-png"):
            require(files[button][:8] == b"\x89PNG\r\n\x1a\n", f"{button}: not a PNG ({files[button][:8]!r})")
        sizes = ", ".join(str(len(files[b])) for b in ("#export-attr-png", "#export-attr-flow-png", "#export-attr-ag-png"))
        return (f"CSV {len(rows) - 1} rows × {len(METHODS)} methods, JSON of {len(data['results'])} responses, "
                f"3 PNGs ({sizes} bytes)")

    def permalink_attributions(self):
        self.page.select_option("#attr-method", "gradxinput")
        self.click('#attr-table thead button[data-key="gradxinput"]')
        ok, query = wait_until(lambda: (lambda q: (q.get("attr_sort") == "gradxinput" and q.get("method") == "gradxinput", q))(
            self.live_query()), 10)
        require(ok, f"before reloading: {self._path(self.page.url)}")
        url = self._path(self.page.url)
        self.page.reload(wait_until="load", timeout=30000)
        self.wait_tab("attributions", url)
        self.attr_ready()
        require(self.live_query() == query, f"after reloading: {self._path(self.page.url)}, before {url}")
        require(self.page.input_value("#attr-method") == "gradxinput"
                and self.page.input_value("#attr-target") == query.get("target", "")
                and self.page.input_value("#attr-objective") == query.get("objective", "logit"),
                "after reloading the method, target or objective is not restored")
        body = self.attr_api("gradxinput")
        problems = self.chip_problems(body) + self.table_problems({"gradxinput": body})
        values = [float(v) for v in self.table_column("gradxinput")]
        require(not problems and values == sorted(values, reverse=True), "after reloading: " + "; ".join(problems[:4]))
        return f"reloaded {url}: gradient × input, target {query.get('target', 'top')}, sorted by it, = the API"


def run_steps(s: RunAttributions) -> None:
    s.step("attributions view", s.attributions_view, needs=AFTER_RUN)
    after = AFTER_RUN + ("attributions view",)
    s.step("attributions: sort by a method", s.attributions_sort, needs=after)
    s.step("attributions: target from Next tokens", s.attributions_prediction, needs=after)
    s.step("attributions: contrast, position, objective", s.attributions_contrast, needs=after)
    s.step("attributions: gradient-flow and attention maps", s.attributions_maps, needs=after)
    s.step("attributions: pad baseline", s.attributions_baseline, needs=after)
    s.step("attributions: more IG steps (job)", s.attributions_steps, needs=after)
    s.step("attributions: exports", s.attributions_exports, needs=after)
    s.step("permalink: attributions view", s.permalink_attributions, needs=after)
