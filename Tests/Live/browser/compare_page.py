"""Browser steps of the Compare page, /?page=compare (Tests/Live/browser_tests.py runs them): reached by keyboard
from the header; the prefilled pair on tiny-gpt2 sent as expected, and its target probabilities, log p(a) − log p(b),
top predictions, highlighted spans, L×H heads rows and grid against POST /api/compare with the same body; sorting
(|Δ| first, then by click and Enter, another metric); a row's aligned attention; a reload; a labelled set
(variances); mismatched spans (the 400 next to the form, again after a reload).
"""

from __future__ import annotations

import math
import re
import urllib.parse

from .harness import Check, Session, require, short, wait_until


class ComparePage(Session):
    """The Compare page; the last comparison the page asked for is kept for the later steps."""

    def __init__(self, page, api, base: str):
        super().__init__(page, api, base)
        self.compare_body = None  # the body of the page's last POST /api/compare and the API's answer to it
        self.compare_api = None
        self.compare_order = None  # (layer, head) rows after sorting by another metric

    def compare_cards(self) -> list[dict]:
        return self.page.eval_on_selector_all("#compare-prompts .prompt-card", """cards => cards.map(c => ({
            name: c.querySelector('.prompt-name').textContent,
            tokens: [...c.querySelectorAll('.prompt-tokens .token')].map(t => [t.textContent, t.dataset.group ?? null]),
            top: [...c.querySelectorAll('.prompt-top li')].map(li => [li.dataset.tokenId, li.dataset.value]),
            targets: [...c.querySelectorAll('.target-table tbody tr')].map(tr => ({
                text: tr.dataset.text,
                p: tr.querySelector('td[data-key=probability]').dataset.value,
                shown: tr.querySelector('td[data-key=probability]').textContent,
                lp: tr.querySelector('td[data-key=log_probability]').dataset.value})),
            diffs: [...c.querySelectorAll('.target-diff')].map(d => [d.dataset.a, d.dataset.b, d.dataset.value]),
        }))""")

    def compare_rows(self, column: str) -> list[tuple[int, int, str | None]]:
        """(layer, head, data-value of the column) of the heads table, top to bottom."""
        rows = self.page.eval_on_selector_all(
            "#compare-heads-table tbody tr",
            "(rows, c) => rows.map(r => { const td = r.querySelector(`td[data-key='${c}']`);"
            " return [Number(r.dataset.layer), Number(r.dataset.head), td ? td.dataset.value : null]; })", column)
        return [tuple(r) for r in rows]

    def compare_grid(self) -> dict[tuple[int, int], str]:
        return {(int(c["data-layer"]), int(c["data-head"])): c["data-value"]
                for c in self.attrs("#compare-grid .compare-cell", ["data-layer", "data-head", "data-value"])}

    def compare_submit(self, status: int = 200):
        """Presses Compare; the body the page sent and the page's response status."""
        with self.page.expect_response(lambda r: r.url.endswith("/api/compare") and r.request.method == "POST",
                                       timeout=60000) as info:
            self.page.click("#compare-submit")
        response = info.value
        require(response.status == status, f"POST /api/compare → {response.status}, expected {status}")
        return response.request.post_data_json

    @staticmethod
    def exact(text, value) -> bool:
        """A data-value holds the API's number (the page writes the full double)."""
        try:
            return abs(float(text) - value) <= 1e-12 + 1e-9 * abs(value)
        except (TypeError, ValueError):
            return False

    @staticmethod
    def percent_value(text: str) -> float:
        match = re.fullmatch(r"\s*([0-9.]+(?:e[-−+]?\d+)?)%\s*", text.replace("−", "-"))
        if not match:
            raise Check(f"{text!r} is not a percentage")
        return float(match.group(1)) / 100

    def check_compare(self, api: dict) -> list[str]:
        """Differences between the prompt cards and the API's comparison."""
        problems = []
        cards = self.compare_cards()
        if len(cards) != len(api["prompts"]):
            return [f"{len(cards)} prompt cards, the API has {len(api['prompts'])} prompts"]
        for i, (card, p) in enumerate(zip(cards, api["prompts"])):
            if [t[0] for t in card["tokens"]] != p["tokens"]:
                problems.append(f"prompt {i}: tokens {[t[0] for t in card['tokens']]}, API {p['tokens']}")
            for g, group in enumerate(api["groups"]):
                marked = [k for k, t in enumerate(card["tokens"]) if t[1] == str(g)]
                if marked != group["positions"][i]:
                    problems.append(f"prompt {i}: group {g} highlights tokens {marked}, API positions {group['positions'][i]}")
            if [int(t[0]) for t in card["top"]] != [t["id"] for t in p["top"]]:
                problems.append(f"prompt {i}: top ids {[t[0] for t in card['top']]}, API {[t['id'] for t in p['top']]}")
            problems += [f"prompt {i}: top {t[0]} p {t[1]!r}, API {a['probability']}"
                         for t, a in zip(card["top"], p["top"]) if not self.exact(t[1], a["probability"])]
            if [t["text"] for t in card["targets"]] != [t["text"] for t in api["targets"]]:
                problems.append(f"prompt {i}: targets {[t['text'] for t in card['targets']]}, API "
                                f"{[t['text'] for t in api['targets']]}")
            for shown, target, lp in zip(card["targets"], api["targets"], p["target_log_probabilities"]):
                probability = math.exp(lp)
                if not self.exact(shown["p"], probability):
                    problems.append(f"prompt {i} target {target['text']!r}: p {shown['p']!r}, API exp({lp}) = {probability}")
                if not self.exact(shown["lp"], lp):
                    problems.append(f"prompt {i} target {target['text']!r}: log p {shown['lp']!r}, API {lp}")
                if abs(self.percent_value(shown["shown"]) - probability) > 0.005 * probability:
                    problems.append(f"prompt {i} target {target['text']!r}: shows {shown['shown']!r}, API p {probability}")
            want = [(d["a"], d["b"], d["log_ratio"][i]) for d in api["target_differences"]]
            got = card["diffs"]
            if len(got) != len(want) or any(g[0] != w[0] or g[1] != w[1] or not self.exact(g[2], w[2])
                                            for g, w in zip(got, want)):
                problems.append(f"prompt {i}: log p(a) − log p(b) {got}, API target_differences {want}")
        return problems

    def compare_pair(self):
        if urllib.parse.urlsplit(self.page.url).query.startswith("page=") or self.count("#page-run") != 1:
            self.page.goto(self.base + "/", wait_until="load", timeout=30000)
        for name in ("run", "compare", "reports"):
            require(self.count(f"header nav a#nav-{name}") == 1, f"the header has no #nav-{name} link")
        require(self.page.get_attribute("#nav-run", "aria-current") == "page", "#nav-run is not aria-current on the run page")
        self.page.focus("#nav-compare")  # keyboard: the header link
        with self.page.expect_navigation(timeout=30000):
            self.page.keyboard.press("Enter")
        self.page.wait_for_selector("#compare-form", timeout=15000)
        require(self.url_query().get("page") == "compare", f"Enter on Compare opened {self._path(self.page.url)}")
        require(self.page.get_attribute("#nav-compare", "aria-current") == "page", "#nav-compare is not aria-current")
        ok, model = wait_until(lambda: (lambda v: (v == "tiny-gpt2", v))(self.page.input_value("#compare-model")), 10)
        require(ok, f"#compare-model is {model!r}, the server's default is tiny-gpt2")
        a, b, targets = (self.page.input_value(s) for s in ("#compare-a", "#compare-b", "#compare-targets"))
        require((a, b) == ("The [[doctor]] said that", "The [[nurse]] said that"),
                f"the pair is prefilled with {a!r} / {b!r}")
        chips = self.page.eval_on_selector_all("#compare-targets-preview .target-chip", "e => e.map(x => x.textContent)")
        require(chips == ["␣he", "␣she"], f"the targets preview shows {chips} for {targets!r} (spaces as ␣ expected)")
        body = self.compare_submit()
        want = {"model": "tiny-gpt2", "kind": "pair", "prompts": [a, b], "targets": [" he", " she"]}
        require(body == want, f"the page sent {short(body)}, expected {short(want)}")
        api = self.api.post("/api/compare", body)
        layers, heads = self.model_shape("tiny-gpt2")
        self.wait_count("#compare-heads-table tbody tr[data-layer][data-head]", layers * heads)
        problems = self.check_compare(api)
        require(not problems, f"{len(problems)} differences from POST /api/compare: " + "; ".join(problems[:4]))
        require(len(api["heads"]) == layers * heads, f"the API has {len(api['heads'])} heads for {layers}×{heads}")
        metric = self.page.input_value("#compare-metric")
        want_diff = {(x["layer"], x["head"]): x["difference"][metric] for x in api["heads"]}
        rows = self.compare_rows(f"{metric}:diff")
        bad = [f"L{l} H{h}: {v!r} vs {want_diff[(l, h)]}" for l, h, v in rows if not self.exact(v, want_diff[(l, h)])]
        require(not bad, f"the {metric} Δ column differs from the API's difference: " + "; ".join(bad[:4]))
        for i in range(2):
            values = {(l, h): v for l, h, v in self.compare_rows(f"{metric}:{i}")}
            bad = [f"L{x['layer']} H{x['head']}" for x in api["heads"]
                   if not self.exact(values.get((x["layer"], x["head"])), x["values"][metric][i])]
            require(not bad, f"prompt {i}'s {metric} values differ from the API at {bad[:4]}")
        grid = self.compare_grid()
        require(len(grid) == layers * heads and all(self.exact(grid[k], v) for k, v in want_diff.items()),
                f"the layer × head grid ({len(grid)} cells) differs from the API's {metric} differences")
        query = self.url_query()
        want_query = {"page": "compare", "mode": "pair", "model": "tiny-gpt2", "a": a, "b": b, "targets": targets, "run": "1"}
        require(all(query.get(k) == v for k, v in want_query.items()),
                f"the URL {self._path(self.page.url)} lacks {want_query}")
        self.compare_body, self.compare_api = body, api
        shown = [(t["text"], round(math.exp(lp), 6)) for t, lp in zip(api["targets"], api["prompts"][0]["target_log_probabilities"])]
        return (f"sent {short(body, 200)}; targets, top predictions, log p(a) − log p(b) and tokens = the API "
                f"(prompt A p {shown}); {len(rows)} heads rows = {layers}×{heads}; grid = {metric} Δ")

    def compare_sort(self):
        api = self.compare_api
        metric = self.page.input_value("#compare-metric")
        diff = {(x["layer"], x["head"]): x["difference"] for x in api["heads"]}

        def order(key: str):
            rows = self.compare_rows(f"{key}:diff")
            return [(l, h) for l, h, _ in rows], [diff[(l, h)][key] for l, h, _ in rows]

        def natural(heads):
            return heads == sorted(heads)

        _, values = order(metric)
        require([abs(v) for v in values] == sorted((abs(v) for v in values), reverse=True),
                f"by default the rows are not by |{metric} Δ| largest first: {values}")
        sort = self.page.get_attribute(f'#compare-heads-table thead th[data-key="{metric}"]', "aria-sort")
        require(sort == "descending", f'th[data-key="{metric}"] aria-sort is {sort!r} by default')
        steps = []
        for how, want_order, check in (("click", "desc", lambda v: v == sorted(v, reverse=True)),
                                       ("Enter", "asc", lambda v: v == sorted(v))):
            selector = f'#compare-heads-table thead button[data-key="{metric}"]'
            if how == "click":
                self.click(selector)
            else:
                self.page.focus(selector)
                self.page.keyboard.press("Enter")
            ok, _ = wait_until(lambda: (self.url_query().get("order") == want_order, None), 5)
            require(ok, f"{how} on the {metric} Δ header: URL order={self.url_query().get('order')!r}, expected {want_order}")
            _, values = order(metric)
            require(check(values), f"after {how} ({want_order}) the {metric} Δ column is {values}")
            steps.append(f"{how} → {want_order}")
        other = "focus" if metric != "focus" else "entropy"
        self.click(f'#compare-heads-table thead button[data-key="{other}"]')
        ok, _ = wait_until(lambda: (self.page.input_value("#compare-metric") == other, None), 5)
        require(ok, f"sorting by the {other} Δ column did not choose {other} in #compare-metric")
        heads_order, values = order(other)
        require([abs(v) for v in values] == sorted((abs(v) for v in values), reverse=True),
                f"rows not by |{other} Δ| after clicking its header: {values}")
        grid = self.compare_grid()
        require(all(self.exact(grid[k], v[other]) for k, v in diff.items()), f"the grid does not show the {other} Δ")
        require(self.url_query().get("metric") == other, f"the URL has metric={self.url_query().get('metric')!r}")
        # a row shows its head's aligned attention (per prompt per group)
        layer, head = heads_order[-1]
        self.click(f'#compare-heads-table tbody tr[data-layer="{layer}"][data-head="{head}"]')
        ok, _ = wait_until(lambda: ((self.page.get_attribute("#compare-aligned", "data-layer"),
                                     self.page.get_attribute("#compare-aligned", "data-head")) == (str(layer), str(head)), None), 5)
        require(ok, f"clicking the L{layer} H{head} row does not show its aligned attention")
        x = next(x for x in api["heads"] if (x["layer"], x["head"]) == (layer, head))
        cells = self.page.eval_on_selector_all(
            "#compare-aligned-table tbody tr", "rows => rows.map(r => [...r.querySelectorAll('td.aligned-value')]"
            ".map(td => td.dataset.value))")
        want = [[x["aligned_attention"][i][g] for i in range(len(api["prompts"]))] for g in range(len(api["groups"]))]
        require(len(cells) == len(want) and all(self.exact(c, w) for row, wrow in zip(cells, want) for c, w in zip(row, wrow)),
                f"aligned attention of L{layer} H{head}: page {cells}, API {want}")
        require(self.url_query().get("head") == f"{layer},{head}", f"the URL has head={self.url_query().get('head')!r}")
        self.compare_order = heads_order
        return (f"{metric}: |Δ| ↓ by default, then {', '.join(steps)}; {other} header → metric {other}, rows and grid "
                f"as the API; L{layer} H{head} aligned attention {want} = the API")

    def compare_reload(self):
        url = self._path(self.page.url)
        query = self.url_query()
        before = [(l, h) for l, h, _ in self.compare_rows("layer")]
        self.page.reload(wait_until="load", timeout=30000)
        layers, heads = self.model_shape("tiny-gpt2")
        self.wait_count("#compare-heads-table tbody tr[data-layer][data-head]", layers * heads)
        require(self.url_query() == query, f"after reloading: URL {self._path(self.page.url)}, before {url}")
        values = (self.page.input_value("#compare-a"), self.page.input_value("#compare-b"),
                  self.page.input_value("#compare-targets"), self.page.input_value("#compare-metric"))
        want = (query["a"], query["b"], query["targets"], query["metric"])
        require(values == want, f"after reloading the form shows {values}, the URL says {want}")
        require(self.page.is_checked("#compare-mode-pair"), "after reloading the mode is not pair")
        after = [(l, h) for l, h, _ in self.compare_rows("layer")]
        require(after == before, f"after reloading the rows are in the order {after}, before {before}")
        aligned = (self.page.get_attribute("#compare-aligned", "data-layer"), self.page.get_attribute("#compare-aligned", "data-head"))
        require(",".join(aligned) == query["head"], f"after reloading the aligned attention shows {aligned}, URL head={query['head']}")
        problems = self.check_compare(self.compare_api)
        require(not problems, "after reloading: " + "; ".join(problems[:4]))
        return f"reloaded {short(url, 160)}: form, metric, order, chosen head and numbers restored"

    def compare_set(self):
        self.click('label[for="compare-mode-set"]')
        require(self.page.is_checked("#compare-mode-set"), "the Set mode is not selected after clicking it")
        rows = self.page.eval_on_selector_all("#compare-set li", "rows => rows.map(r => [r.querySelector('.set-label').value,"
                                              " r.querySelector('.set-prompt').value])")
        require(len(rows) >= 3, f"the set is prefilled with {rows}")
        body = self.compare_submit()
        want = {"model": "tiny-gpt2", "kind": "set", "prompts": [r[1] for r in rows], "labels": [r[0] for r in rows],
                "targets": [" he", " she"]}
        require(body == want, f"the page sent {short(body)}, expected {short(want)}")
        api = self.api.post("/api/compare", body)
        self.wait_count("#compare-prompts .prompt-card", len(rows))
        ok, kind = wait_until(lambda: (lambda k: (k == "set", k))(self.page.get_attribute("#compare-results", "data-kind")), 10)
        require(ok, f"#compare-results data-kind is {kind!r}")
        problems = self.check_compare(api)
        names = [c["name"] for c in self.compare_cards()]
        if names != [r[0] for r in rows]:
            problems.append(f"cards named {names}, labels {[r[0] for r in rows]}")
        variances = self.attrs("#compare-variance tbody tr[data-target] td", ["data-value"])
        if len(variances) != len(api["targets"]) or not all(
                self.exact(v["data-value"], w) for v, w in zip(variances, api["variance"]["target_probability"])):
            problems.append(f"target-probability variances {variances}, API {api['variance']['target_probability']}")
        share = self.page.get_attribute('#compare-variance tr[data-key="span_rollout_share"] td', "data-value")
        if not self.exact(share, api["variance"]["span_rollout_share"]):
            problems.append(f"span rollout share variance {share!r}, API {api['variance']['span_rollout_share']}")
        metric = self.page.input_value("#compare-metric")
        want_var = {(x["layer"], x["head"]): x["variance"][metric] for x in api["heads"]}
        table = self.compare_rows(f"{metric}:var")
        if len(table) != len(want_var) or not all(self.exact(v, want_var[(l, h)]) for l, h, v in table):
            problems.append(f"the {metric} variance column differs from the API")
        values = [abs(want_var[(l, h)]) for l, h, _ in table]
        if values != sorted(values, reverse=True):
            problems.append(f"rows not by |{metric} variance| largest first")
        require(not problems, f"{len(problems)} differences from POST /api/compare (set): " + "; ".join(problems[:4]))
        query = self.url_query()
        require(query.get("mode") == "set" and urllib.parse.parse_qs(urllib.parse.urlsplit(self.page.url).query).get("l")
                == [r[0] for r in rows], f"the URL {self._path(self.page.url)} lacks mode=set and the labels")
        return (f"{len(rows)} prompts {[r[0] for r in rows]}: cards, variances of p and of the span rollout share, "
                f"{len(table)} rows of {metric} variance = the API")

    def compare_error(self):
        self.click('label[for="compare-mode-pair"]')
        self.page.fill("#compare-b", "The nurse said that")
        body = {"model": "tiny-gpt2", "kind": "pair", "prompts": [self.page.input_value("#compare-a"), "The nurse said that"],
                "targets": [" he", " she"]}
        api = self.api.post("/api/compare", body, expect=400)["error"]
        self.expect_failure("/api/compare", 400)
        try:
            sent = self.compare_submit(400)
            require(sent == body, f"the page sent {short(sent)}, expected {short(body)}")

            def shown():
                visible = self.page.is_visible("#compare-error")
                return visible, self.page.inner_text("#compare-error") if visible else ""

            ok, text = wait_until(shown, 10)
            require(ok, "no #compare-error is shown after the 400")
            require(api["message"] in text and "mismatched" in text and "parameter: prompts" in text,
                    f"#compare-error reads {text!r}; the API says {api['message']!r} (parameter "
                    f"{api.get('details', {}).get('parameter')!r})")
            invalid = [self.page.get_attribute(s, "aria-invalid") for s in ("#compare-a", "#compare-b")]
            require(invalid == ["true", "true"], f"the prompt fields are not marked aria-invalid: {invalid}")
            # the URL keeps the failing form: a reload shows the same error
            self.page.reload(wait_until="load", timeout=30000)
            ok, again = wait_until(shown, 15)
            require(ok and api["message"] in again, f"after reloading #compare-error reads {again!r}")
            require(self.page.input_value("#compare-b") == "The nurse said that", "after reloading prompt B is lost")
        finally:
            self.end_expected_failures("/api/compare", 400)
        return f"400 shown next to the form: {text.splitlines()[0]} / {api['message']!r}; again after a reload"


def run_steps(s: ComparePage) -> None:
    s.step("compare: the prefilled pair", s.compare_pair, needs=("load /",))
    s.step("compare: sort the heads, aligned attention", s.compare_sort, needs=("compare: the prefilled pair",))
    s.step("compare: reload restores the page", s.compare_reload, needs=("compare: sort the heads, aligned attention",))
    s.step("compare: a set with labels", s.compare_set, needs=("compare: the prefilled pair",))
    s.step("compare: mismatched spans", s.compare_error, needs=("compare: the prefilled pair",))
