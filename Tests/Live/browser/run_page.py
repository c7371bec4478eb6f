"""Browser steps of the run page, graph view (Tests/Live/browser_tests.py runs them): load /, run a prompt with a
chosen model, the drawn graph against GET /graph, a clicked attention edge / residual node / FFN node against
GET /contributions, /lens and /neurons, the threshold slider, the attention and lens views, permalink reloads of
the lens view and of the graph view with its selection, and the SVG export.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from collections import Counter

from .harness import ARTIFACTS, MODELS, REPO, Check, Session, close, require, short, wait_until

MODEL = "tiny-llama"  # not the default, so choosing a model is exercised
PROMPT = "The quick brown fox jumps over the lazy dog"
THRESHOLDS = [round(0.01 * i, 2) for i in range(1, 11)]  # the slider: 0.01–0.10, step 0.01
ORANGE = {"orange", "rgb(255, 165, 0)", "#ffa500"}
AFTER_RUN = ("run a prompt",)  # what every step on the run's results needs


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


class RunPage(Session):
    """The run page's graph view and panel; the run it makes (id, shape, graphs) is shared with run_analytics."""

    def __init__(self, page, api, base: str):
        super().__init__(page, api, base)
        # state shared between steps
        self.run_id = None
        self.summary = None
        self.n = self.layers = self.heads = 0
        self.graphs: dict[tuple[float, bool], dict] = {}
        self.threshold = 0.04
        self.renormalize = True
        self.new_threshold = None
        self.ffn_node = None

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


def run_steps(s: RunPage) -> None:
    s.step("load /", s.load)
    s.step("run a prompt", s.run, needs=("load /",))
    s.step("graph node and edge counts", s.graph_counts, needs=AFTER_RUN)
    s.step("click an attention edge: heads", s.click_edge, needs=AFTER_RUN + ("graph node and edge counts",))
    s.step("click a residual node: lens", s.click_residual, needs=AFTER_RUN + ("graph node and edge counts",))
    s.step("click an FFN node: neurons", s.click_ffn, needs=AFTER_RUN + ("graph node and edge counts",))
    s.step("threshold slider", s.move_threshold, needs=AFTER_RUN + ("graph node and edge counts",))
    s.step("attention view", s.attention_view, needs=AFTER_RUN)
    s.step("lens view", s.lens_view, needs=AFTER_RUN)
    s.step("permalink: lens view", s.permalink_lens, needs=AFTER_RUN + ("lens view",))
    s.step("permalink: graph view and selection", s.permalink_graph,
           needs=AFTER_RUN + ("click an FFN node: neurons",))
    s.step("export SVG", s.export_svg, needs=AFTER_RUN)
