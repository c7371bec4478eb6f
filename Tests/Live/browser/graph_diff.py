"""Browser steps of the graph diff (Tests/Live/browser_tests.py runs them): two tiny-gpt2 runs of different lengths
on the run page, its "Diff with…" listing the history with the shorter run disabled and why; another prompt of the
same length run from the picker, which opens /?page=graph-diff&a=…&b=…; the counts, the drawn edges (appearing
ones outlined, vanishing ones dashed) and the largest-difference list against GET /api/graph-diff; a row
highlighting its edge; a permalink reload; the JSON and CSV exports; the threshold control; a mismatched pair
explained. A 1400×900 screenshot goes to artifacts/browser/graph-diff.png.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import urllib.parse

from .harness import ARTIFACTS, Check, Session, require, short, wait_until

MODEL = "tiny-gpt2"
PAIR = ("The doctor said that she", "The nurse said that she")
SHORT = "Hello"


class GraphDiff(Session):
    """The graph diff; the runs and the diff shown are kept for the later steps."""

    def __init__(self, page, api, base: str):
        super().__init__(page, api, base)
        self.diff_runs = {}  # "a", "b", "short" → run id
        self.diff_api = None

    def diff_query(self) -> dict:
        q = self.url_query()
        return {"a": q["a"], "b": q["b"], "threshold": q["threshold"], "renormalize": "true", "top": "20"}

    def diff_problems(self, api: dict) -> list[str]:
        problems = []
        for key, want in api["counts"].items():
            shown = self.page.get_attribute(f'#diff-counts .count[data-key="{key}"]', "data-value")
            if shown != str(want):
                problems.append(f"count {key}: {shown!r}, API {want}")
        drawn = self.attrs("#diff-svg line.diff-edge", ["data-index", "data-change", "data-difference"])
        if len(drawn) != len(api["edges"]):
            problems.append(f"{len(drawn)} edges drawn, the API has {len(api['edges'])}")
        for d in drawn:
            e = api["edges"][int(d["data-index"])]
            if d["data-change"] != e["change"] or abs(float(d["data-difference"]) - e["difference"]) > 1e-12:
                problems.append(f"edge {d['data-index']}: {d}, API {e}")
                break
        rows = self.attrs("#diff-largest tbody tr", ["data-index", "data-difference"])
        if [int(r["data-index"]) for r in rows] != api["largest"]:
            problems.append(f"largest list {[r['data-index'] for r in rows]}, API {api['largest']}")
        tokens = [self.page.eval_on_selector_all(f"#diff-tokens-{s} .token", "t => t.map(x => x.textContent)") for s in "ab"]
        if tokens != [api["a"]["tokens"], api["b"]["tokens"]]:
            problems.append(f"tokens {tokens}, API {[api['a']['tokens'], api['b']['tokens']]}")
        return problems

    # --- steps

    def diff_picker(self):
        self.diff_runs["short"] = self.run_prompt(MODEL, SHORT)
        self.diff_runs["a"] = self.run_prompt(MODEL, PAIR[0])
        self.page.wait_for_selector("#diff-picker summary", timeout=15000)
        self.page.click("#diff-picker summary")
        self.page.wait_for_selector("#diff-candidates li", timeout=5000)
        short_run = self.diff_runs["short"]
        item = f'#diff-candidates li[data-run="{short_run}"]'
        require(self.page.get_attribute(item, "aria-disabled") == "true", f"the {SHORT!r} run is not disabled in the list")
        require(self.count(f"{item} a") == 0, f"the {SHORT!r} run has a link")
        n = len(self.api.get(f"/api/runs/{self.diff_runs['a']}")["tokens"])
        m = len(self.api.get(f"/api/runs/{short_run}")["tokens"])
        why = self.page.inner_text(f"{item} .why")
        require(f"{m} tokens, not {n}" in why, f"the reason shown is {why!r}, expected '{m} tokens, not {n}'")
        note = self.page.inner_text("#diff-picker-note")
        usable = int(self.page.get_attribute("#diff-picker", "data-usable"))
        require(usable > 0 or ("No other run" in note and PAIR[1] in note), f"with no run to diff the note reads {note!r}")
        return f"{SHORT!r} ({m} tokens) disabled: {why.strip()!r}; {usable} usable; note {note!r}"

    def diff_open(self):
        self.page.fill("#diff-picker-prompt", PAIR[1])
        with self.page.expect_navigation(timeout=90000):
            self.page.click("#diff-picker-run")
        self.page.wait_for_selector('#diff-svg[data-ready="true"]', timeout=60000)
        q = self.url_query()
        require(q.get("page") == "graph-diff" and q.get("a") == self.diff_runs["a"] and q.get("threshold") == "0.04",
                f"the picker opened {self._path(self.page.url)}")
        self.diff_runs["b"] = q["b"]
        ok, _ = wait_until(lambda: (self.count("#diff-largest tbody tr") > 0, None), 15)
        require(ok, "the largest-difference list is empty")
        api = self.api.get("/api/graph-diff?" + urllib.parse.urlencode(self.diff_query()))
        problems = self.diff_problems(api)
        require(not problems, f"{len(problems)} differences from GET /api/graph-diff: " + "; ".join(problems[:4]))
        require(api["counts"]["appears"] > 0 and api["counts"]["vanishes"] > 0,
                f"the fixture pair has no appearing or vanishing edge: {api['counts']}")
        appear = next(i for i, e in enumerate(api["edges"]) if e["change"] == "appears")
        vanish = next(i for i, e in enumerate(api["edges"]) if e["change"] == "vanishes")
        require(self.count(f'#diff-svg line.diff-outline[data-index="{appear}"]') == 1,
                f"appearing edge {appear} has no outline")
        dash = self.page.get_attribute(f'#diff-svg line.diff-edge[data-index="{vanish}"]', "stroke-dasharray")
        require(dash == "5 3", f"vanishing edge {vanish} is drawn with stroke-dasharray {dash!r}")
        require(self.page.get_attribute(f'#diff-svg line.diff-edge[data-index="{appear}"]', "stroke-dasharray") is None,
                "an appearing edge is dashed")
        gain = next(i for i, e in enumerate(api["edges"]) if e["difference"] > 0)
        loss = next(i for i, e in enumerate(api["edges"]) if e["difference"] < 0)
        colours = [self.page.get_attribute(f'#diff-svg line.diff-edge[data-index="{i}"]', "stroke") for i in (gain, loss)]
        rgb = [list(map(int, re.findall(r"\d+", c))) for c in colours]
        require(rgb[0][2] > rgb[0][0] and rgb[1][0] > rgb[1][2], f"a gain is drawn {colours[0]}, a loss {colours[1]}")
        legend = self.page.eval_on_selector_all("#diff-legend [data-legend]", "e => e.map(x => x.dataset.legend)")
        require({"gain", "loss", "appears", "vanishes"} <= set(legend), f"the legend has {legend}")
        self.diff_api = api
        self.page.set_viewport_size({"width": 1400, "height": 900})
        try:
            self.page.screenshot(path=os.path.join(ARTIFACTS, "graph-diff.png"))
        finally:
            self.page.set_viewport_size({"width": 1600, "height": 1000})
        return (f"{PAIR[0]!r} → {PAIR[1]!r}: counts {api['counts']}, {len(api['edges'])} edges drawn, largest "
                f"{api['largest'][:5]}… = the API; edge {appear} appears (outlined), {vanish} vanishes (dashed); "
                f"gain {colours[0]}, loss {colours[1]}")

    def diff_highlight(self):
        api = self.diff_api
        index = api["largest"][1]
        self.click(f'#diff-largest tbody tr[data-index="{index}"]')
        ok, _ = wait_until(lambda: (self.page.get_attribute("#diff-edge-detail", "data-index") == str(index), None), 5)
        require(ok, f"clicking row {index} did not choose its edge")
        require(self.count(f'#diff-svg line.diff-edge.highlighted[data-index="{index}"]') == 1
                and self.count("#diff-svg .diff-halo line") == 1, f"edge {index} is not highlighted in the graph")
        require(self.page.get_attribute(f'#diff-largest tbody tr[data-index="{index}"]', "aria-selected") == "true",
                "the row is not marked selected")
        e = api["edges"][index]
        key = f"{e['source']}>{e['target']}:{e['kind']}"
        require(self.url_query().get("edge") == key, f"the URL has edge={self.url_query().get('edge')!r}, expected {key}")
        url = self._path(self.page.url)
        self.page.reload(wait_until="load", timeout=30000)
        self.page.wait_for_selector('#diff-svg[data-ready="true"]', timeout=60000)
        ok, _ = wait_until(lambda: (self.page.get_attribute("#diff-edge-detail", "data-index") == str(index), None), 10)
        require(ok, f"after reloading {url} the edge {key} is not highlighted")
        problems = self.diff_problems(api)
        require(not problems, "after reloading: " + "; ".join(problems[:4]))
        with self.page.expect_download(timeout=20000) as info:
            self.page.click("#diff-export-json")
        require(json.load(open(info.value.path(), encoding="utf-8")) == api, "the JSON export is not GET /api/graph-diff")
        with self.page.expect_download(timeout=20000) as info:
            self.page.click("#diff-export-csv")
        rows = list(csv.reader(io.StringIO(open(info.value.path(), encoding="utf-8").read())))
        require(rows[0] == ["source", "target", "kind", "weight_a", "weight_b", "difference", "change"]
                and len(rows) == 1 + len(api["edges"]), f"the CSV has {len(rows)} rows, header {rows[0]}")
        return f"row {index} ({key}) highlighted in the graph and the URL; reload restores it; JSON = the API, CSV {len(rows) - 1} edges"

    def diff_threshold(self):
        self.page.eval_on_selector("#diff-threshold", "e => { e.value = '0.02'; e.dispatchEvent(new Event('input')); }")
        try:
            self.page.wait_for_url(lambda url: "threshold=0.02" in url, timeout=5000)
        except Exception:  # noqa: BLE001 — Playwright's TimeoutError
            raise Check(f"the URL has threshold={self.url_query().get('threshold')!r} after moving the slider to 0.02")
        api = self.api.get("/api/graph-diff?" + urllib.parse.urlencode(self.diff_query()))
        ok, problems = wait_until(lambda: (lambda p: (not p, p))(self.diff_problems(api)), 15)
        require(ok, "at 0.02: " + "; ".join(problems[:4]))
        return f"threshold 0.02: counts {api['counts']}, {len(api['edges'])} edges = the API"

    def diff_mismatch(self):
        a, other = self.diff_runs["a"], self.diff_runs["short"]
        query = urllib.parse.urlencode({"a": a, "b": other, "threshold": "0.04", "renormalize": "true", "top": "20"})
        path = f"/api/graph-diff?{query}"
        status, _, body = self.api.raw("GET", path)
        require(status == 400, f"GET {path} → {status}")
        message = json.loads(body)["error"]["message"]
        self.expect_failure(path, 400)
        try:
            self.page.goto(f"{self.base}/?page=graph-diff&a={a}&b={other}&threshold=0.04", wait_until="load", timeout=30000)
            ok, text = wait_until(lambda: (self.page.is_visible("#diff-error"),
                                           self.page.inner_text("#diff-error") if self.page.is_visible("#diff-error") else ""), 15)
            require(ok, "no explanation is shown for the mismatched pair")
            for part in ("cannot be diffed", "same number of tokens and layers", PAIR[0], message):
                require(part in text, f"#diff-error lacks {part!r}: {text!r}")
            require(not self.page.is_visible("#diff-results"), "results are shown for a refused pair")
        finally:
            self.end_expected_failures(path, 400)
        return f"explained: {short(text.replace(chr(10), ' '), 240)}"


def run_steps(s: GraphDiff) -> None:
    s.step("graph diff: Diff with… lists the history", s.diff_picker, needs=("load /",))
    s.step("graph diff: run and diff a pair", s.diff_open, needs=("graph diff: Diff with… lists the history",))
    s.step("graph diff: highlight, reload, exports", s.diff_highlight, needs=("graph diff: run and diff a pair",))
    s.step("graph diff: the threshold", s.diff_threshold, needs=("graph diff: run and diff a pair",))
    s.step("graph diff: a mismatched pair", s.diff_mismatch, needs=("graph diff: Diff with… lists the history",))
