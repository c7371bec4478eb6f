"""Browser steps of the run page's analytics views (Tests/Live/browser_tests.py runs them), each against its
endpoint and reloaded from its permalink: metrics (the L×H table, sorting by click and by Enter, the cluster map and
legend, K=3, a row opening its head's attention view, Back), rollout (bars, another row, a heads filter), layer flow
(the lines at the last position and the mean, keyboard hover), anomalies (the empty state at the defaults, then low
thresholds; one entry of each kind opening what it names), ablation (nothing fetched before the button) and the
Teaching view (every layer's lens against GET /walk; the sampling sliders against the filters computed here from GET
/logits; the sliders restored from the permalink).
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter

from .harness import require, wait_until
from .run_page import AFTER_RUN, RunPage

METRIC_KEYS = ["entropy", "normalized_entropy", "sparsity", "locality", "focus", "first_token", "previous_token",
               "self", "diagonal", "uniformity", "vertical"]
FLOW_SERIES = ["cos", "relative_update", "attention_share"]
# thresholds low enough for the tiny random fixture models to produce anomalies
ANOMALY_PARAMETERS = {"high_attention": "0.3", "include_first_token": "true", "outlier_factor": "5"}
ANOMALY_QUERY = "high_attention=0.3&include_first_token=true&outlier_factor=5"


def kept_by_filters(logits: list[float], temperature: float, top_k: int, top_p: float) -> list[int]:
    """The tokens the sampling filters keep (docs/analyses.md §8), in float64, most probable first."""
    order = sorted(range(len(logits)), key=lambda i: (-logits[i], i))
    peak = max(logits) / temperature
    weights = [math.exp(z / temperature - peak) for z in logits]
    kept = order[:top_k] if top_k > 0 else order
    total = sum(weights[i] for i in kept)
    running, chosen = 0.0, []
    for i in kept:
        chosen.append(i)
        running += weights[i] / total
        if top_p < 1 and running >= top_p:
            break
    return chosen


def teaching_summary_count(text: str) -> int:
    match = re.match(r"([\d,]+) of ([\d,]+) tokens remain", text)
    require(match is not None, f"the sampling summary says {text!r}")
    return int(match.group(1).replace(",", ""))


class TeachingSteps:
    """The Teaching view's steps (mixed into RunAnalytics)."""

    def teaching_view(self):
        self.tab("teaching")
        self.page.wait_for_selector("#walk-sampling-table tr.kept", timeout=60000)
        walk = self.api.get(f"/api/runs/{self.run_id}/walk?token={self.n - 1}")
        self.wait_count("#walk-steps li.walk-step.layer", self.layers)
        shown = self.page.eval_on_selector_all(
            "#walk-steps li.walk-step.layer", "els => els.map(e => e.querySelector('.walk-lens .tok').textContent)")
        want = [layer["lens"][0]["display"] for layer in walk["layers"]]
        require(shown == want, f"the layers' first lens tokens {shown} differ from GET /walk's {want}")
        canvases = self.count("#walk-steps canvas.walk-attention")
        require(canvases == self.layers, f"{canvases} attention rows drawn for {self.layers} layers")
        logits = self.api.get(f"/api/runs/{self.run_id}/logits?token={self.n - 1}")["logits"]
        self.page.locator("#walk-top-k").fill("1")
        text = self.page.inner_text("#walk-sampling-summary")
        require(teaching_summary_count(text) == 1, f"top-k 1 leaves {text!r}")
        kept = self.values("#walk-sampling-table tr.kept", "data-token")
        require(kept == [str(walk["output"][0]["id"])], f"top-k 1 keeps {kept}, the most probable is {walk['output'][0]}")
        self.page.locator("#walk-top-k").fill("0")
        self.page.locator("#walk-temperature").fill("2")
        self.page.locator("#walk-top-p").fill("0.5")
        self.page.locator("#walk-top-p").dispatch_event("change")
        expected = kept_by_filters(logits, 2.0, 0, 0.5)
        text = self.page.inner_text("#walk-sampling-summary")
        require(teaching_summary_count(text) == len(expected),
                f"T=2, top-p 0.5: the page keeps {text!r}, the filters computed here keep {len(expected)}")
        query = self.url_query()
        require(query.get("temperature") == "2" and query.get("top_p") == "0.5" and "top_k" not in query,
                f"the URL {self._path(self.page.url)} does not say temperature=2&top_p=0.5")
        return (f"{self.layers} layers with GET /walk's lens tokens; top-k 1 keeps {walk['output'][0]['display']!r}; "
                f"T=2 and top-p 0.5 keep {len(expected)} tokens, as computed from GET /logits")

    def permalink_teaching(self):
        url = self._path(self.page.url)
        text = self.page.inner_text("#walk-sampling-summary")
        self.page.reload(wait_until="load", timeout=30000)
        self.wait_tab("teaching", url)
        self.page.wait_for_selector("#walk-sampling-table tr.kept", timeout=60000)
        values = [self.page.input_value(f"#walk-{name}") for name in ("temperature", "top-k", "top-p")]
        require(values == ["2", "0", "0.5"], f"after reloading the sliders are {values}")
        again = self.page.inner_text("#walk-sampling-summary")
        require(again == text, f"after reloading the summary is {again!r}, before {text!r}")
        return f"reloaded {url}: {again}"


class RunAnalytics(TeachingSteps, RunPage):
    """The metrics, rollout, layer-flow, anomalies, ablation and Teaching tabs of the run made by RunPage's steps."""

    def __init__(self, page, api, base: str):
        super().__init__(page, api, base)
        self.metrics_k = 5
        self.anomaly_query = ANOMALY_QUERY
        self.anomalies = None

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


def run_steps(s: RunAnalytics) -> None:
    s.step("metrics view", s.metrics_view, needs=AFTER_RUN)
    s.step("metrics: sort by a column", s.metrics_sort, needs=AFTER_RUN + ("metrics view",))
    s.step("metrics: K and open a head", s.metrics_k_and_open, needs=AFTER_RUN + ("metrics view",))
    s.step("permalink: metrics view", s.permalink_metrics, needs=AFTER_RUN + ("metrics: sort by a column",))
    s.step("rollout view", s.rollout_view, needs=AFTER_RUN)
    s.step("permalink: rollout view", s.permalink_rollout, needs=AFTER_RUN + ("rollout view",))
    s.step("layer-flow view", s.flow_view, needs=AFTER_RUN)
    s.step("permalink: layer-flow view", s.permalink_flow, needs=AFTER_RUN + ("layer-flow view",))
    s.step("anomalies view", s.anomalies_view, needs=AFTER_RUN)
    s.step("permalink: anomalies view", s.permalink_anomalies, needs=AFTER_RUN + ("anomalies view",))
    s.step("anomalies: open each kind", s.anomalies_open, needs=AFTER_RUN + ("anomalies view",))
    s.step("ablation view", s.ablation_view, needs=AFTER_RUN)
    s.step("permalink: ablation view", s.permalink_ablation, needs=AFTER_RUN + ("ablation view",))
    s.step("teaching view", s.teaching_view, needs=AFTER_RUN)
    s.step("permalink: teaching view", s.permalink_teaching, needs=AFTER_RUN + ("teaching view",))
