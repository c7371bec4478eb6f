"""Browser steps of the Generate page, /?page=generate (Tests/Live/browser_tests.py runs them): a seeded sampled
continuation on tiny-llama streamed into the page, its tokens and one step's candidates against POST /api/generate
with the same body, the attribution matrix by contribution share, then by IG and saliency (the method kept in the URL,
each row's largest score drawn at its scale's end), the stored run opened in the Teaching view at that step's position;
greedy through the URL. (Stop closes the
connection; that the server then stops before its next token is GenerateAPITests' check: the tiny models finish
before a click could land.)
"""

from __future__ import annotations

import json
import time
import urllib.parse

from .harness import Session, require, wait_until

SETTINGS = {"model": "tiny-llama", "prompt": "The quick brown fox", "max_new_tokens": "12", "temperature": "1.3",
            "top_k": "30", "top_p": "0.9", "seed": "5"}


class GeneratePage(Session):
    """The Generate page."""

    def generated_lines(self, body: dict) -> list[dict]:
        status, _, data = self.api.raw("POST", "/api/generate", body)
        require(status == 200, f"POST /api/generate answered {status}")
        return [json.loads(line) for line in data.decode().splitlines() if line.strip()]

    def wait_done(self, timeout: float = 60) -> str:
        ok, text = wait_until(lambda: (lambda t: ("tokens/s" in t, t))(self.page.inner_text("#generate-summary")),
                              timeout)
        require(ok, f"the generation did not finish: the summary says {text!r}")
        return text

    def generate_sampled(self):
        self.page.goto(f"{self.base}/?page=generate&{urllib.parse.urlencode(SETTINGS)}", wait_until="load",
                       timeout=30000)
        self.page.wait_for_selector("#generate-model option[value='tiny-llama']", state="attached", timeout=30000)
        self.page.click("#generate-start")
        summary = self.wait_done()
        delivery = float(self.page.get_attribute("#generate-summary", "data-delivery-max-ms") or "nan")
        require(0 <= delivery < 50, f"a token reached the page {delivery} ms after the server sent it (at most 50 ms)")
        shown = self.values("#generate-output .generated-token", "data-id")
        body = {"model": "tiny-llama", "prompt": SETTINGS["prompt"], "max_new_tokens": 12, "seed": 5,
                "temperature": 1.3, "top_k": 30, "top_p": 0.9}
        lines = self.generated_lines(body)
        tokens = [line for line in lines if line["event"] == "token"]
        require(shown == [str(t["id"]) for t in tokens],
                f"the page shows tokens {shown}, POST /api/generate with the same body gives {[t['id'] for t in tokens]}")
        self.page.click("#generate-output .generated-token[data-index='2']")
        self.page.wait_for_selector("#generate-candidates tr.chosen", timeout=10000)
        chosen = self.values("#generate-candidates tr.chosen", "data-token")
        require(chosen == [str(tokens[2]["id"])], f"the third step marks {chosen} chosen, the API {tokens[2]['id']}")
        rows = self.values("#generate-candidates tr", "data-token")
        require(rows[1:] == [str(c["id"]) for c in tokens[2]["candidates"]], f"the candidates {rows[1:]} differ from the API's")
        link = self.page.get_attribute("#generate-step a[href*='view=teaching']", "href")
        require(link is not None and f"walk={tokens[2]['position'] - 1}" in link, f"the Teaching link is {link!r}")
        self.page.wait_for_selector("#generate-attribution-map", timeout=30000)
        run_id = self.page.get_attribute('#generate-open-run', 'href').split('/runs/')[1].split('?')[0]
        matrix = self.api.get(f"/api/runs/{run_id}/generation-attribution")
        require(len(matrix["scores"]) == len(tokens), f"the matrix has {len(matrix['scores'])} rows for {len(tokens)} tokens")
        size = self.page.eval_on_selector("#generate-attribution-map", "c => [c.width, c.height]")
        want = [110 + (len(matrix["tokens"]) - 1) * 14, 70 + len(tokens) * 14]
        require(size == want, f"the attribution map is {size}, expected {want} for the matrix")
        signed = self.switch_attribution(run_id, "ig")
        self.switch_attribution(run_id, "saliency")
        self.page.click("#generate-step a[href*='view=teaching']")
        self.page.wait_for_selector("#walk-sampling-table tr.kept", timeout=60000)
        walk = self.page.input_value("#walk-position")
        require(walk == str(tokens[2]["position"] - 1), f"the Teaching view opened at position {walk}")
        return (f"{len(tokens)} tokens as the API streams them; step 3's candidates; the attribution map of "
                f"{len(tokens)}×{len(matrix['tokens']) - 1}, then by IG ({signed}) and saliency; the step's Teaching view; "
                f"each token on the page at most {delivery:.1f} ms after the server sent it; {summary}")

    def switch_attribution(self, run_id: str, method: str) -> str:
        """Chooses `method` for the matrix: the URL keeps it, the map is redrawn from GET /generation-attribution
        ?method=…, and the cell of each row's largest |score| has the scale's end colour (blue or red for a signed
        method, dark green otherwise)."""
        self.page.select_option("#generate-attribution-method", method)
        self.page.wait_for_selector(f"#generate-attribution-map[data-method='{method}']", timeout=60000)
        require(f"attribution={method}" in self.page.url, f"the URL {self.page.url} does not keep the method")
        answer = self.api.get(f"/api/runs/{run_id}/generation-attribution?method={method}")
        require(answer["signed"] == (method == "ig"), f"{method}: signed is {answer['signed']}")
        ends = {"ig": {(33, 102, 172), (178, 24, 43)}, "saliency": {(49, 163, 84)}}[method]
        for r, row in enumerate(answer["scores"]):
            k = max(range(len(row)), key=lambda i: abs(row[i]))
            pixel = self.page.eval_on_selector(
                "#generate-attribution-map",
                f"c => Array.from(c.getContext('2d').getImageData({110 + k * 14 + 6}, {70 + r * 14 + 6}, 1, 1).data)")
            require(tuple(pixel[:3]) in ends, f"{method} row {r}: the largest |score| (source {k}) is drawn {pixel}")
        return f"{len(answer['scores'])} rows, each row's largest cell at the scale's end"

    def generate_greedy(self):
        query = urllib.parse.urlencode({"model": "tiny-llama", "prompt": "Hello", "greedy": "1", "max_new_tokens": "6"})
        self.page.goto(f"{self.base}/?page=generate&{query}", wait_until="load", timeout=30000)
        require(self.page.is_checked("#generate-greedy"), "greedy=1 in the URL does not check greedy")
        self.page.wait_for_selector("#generate-model option[value='tiny-llama']", state="attached", timeout=30000)
        self.page.click("#generate-start")
        self.wait_done()
        lines = self.generated_lines({"model": "tiny-llama", "prompt": "Hello", "greedy": True, "max_new_tokens": 6,
                                      "seed": 7})
        want = [str(line["id"]) for line in lines if line["event"] == "token"]
        shown = self.values("#generate-output .generated-token", "data-id")
        require(shown == want, f"greedy: the page shows {shown}, the API {want}")
        return f"greedy equals the API's {len(want)} tokens"


def run_steps(s: GeneratePage) -> None:
    s.step("generate: a seeded continuation", s.generate_sampled, needs=("load /",))
    s.step("generate: greedy from the URL", s.generate_greedy, needs=("load /",))
