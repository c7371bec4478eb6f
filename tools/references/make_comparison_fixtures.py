#!/usr/bin/env python3
"""Golden fixtures for Glassbox's model comparison (two models on one text) and contribution-graph diff.

Usage (from the repository root, with the environment of tools/references/requirements.txt):
    .venv-fixtures/bin/python tools/references/make_comparison_fixtures.py [--fixtures Tests/Fixtures]

Writes
    Tests/Fixtures/golden/comparison-models.json: for three (model A, model B, text) cases, per side the token ids,
        the top-10 next-token probabilities, per-layer head-metric means (with depth (l+1)/L), the last-position logit
        lens, the pattern-class counts and the default-threshold anomaly counts; and the comparison of the two
        next-token distributions on the shared vocabulary strings (shared mass, KL both ways, JS, total variation, the
        top-10 shared strings).
    Tests/Fixtures/golden/graph-diff.json: for two (model, prompt A, prompt B) cases with equal token counts, the
        union of the two contribution graphs' edges (renormalize on, one robust threshold near 0.04) with both
        weights, the difference B - A and the change kind, the indices of the 10 largest |difference| (and their tie
        groups) and the counts.

This is an independent reference written from docs/analyses.md (§1, §3, §5), docs/contributions.md and the fixture
brief, not from the Swift code. It reuses the other references by importing them: the float64 forward pass
(make_fixtures.true_float64 / run_golden), the head metrics and pattern classes (make_metrics_fixtures.head_metrics),
the anomalies, head outputs and logit lens (make_analytics_fixtures) and the contribution analysis and graph
(make_contribution_fixtures.forward / analyse / build_graph / threshold_margin). Before use, each reused piece is
checked against the committed goldens it produced (forward, metrics, analytics and contribution goldens) to ~1e-8.
Floats are written with 10 significant digits. Deterministic: single-threaded torch, fixed inputs, same bytes on every
run.

Pinned definitions:
- token ids: the model's own tokenizer.json through the `tokenizers` library with special tokens added (BOS for the
  Llama-3-style tokenizers, nothing for GPT-2), asserted equal to transformers' AutoTokenizer and to the ids of the
  committed forward goldens for their texts.
- next-token distribution: log_softmax of the last position's logits as the model outputs them (Gemma 3: after the
  final soft-cap).
- vocabulary key of an id: an added token (tokenizer.json added_tokens) -> the UTF-8 bytes of its content; a byte-level
  BPE vocab entry -> its GPT-2 byte-decoded bytes; an id beyond the tokenizer (model vocab larger) -> a key of its
  own, never shared. Ids of one model with one key are one entry (probabilities add). It is asserted that Glassbox's
  display rendering (UTF-8 scalars with whitespace made visible, invisible scalars as <U+XXXX>, stray bytes as
  <0xXX>) is injective on the keys of both models, so keying by bytes and by display string agree.
- S = keys of both models; p_X(s) = sum of X's probabilities of ids with key s; shared_mass = sum_{s in S} p_X(s);
  mass_outside_shared = sum of the probabilities of X's ids whose key is not in S; p~ = p / shared_mass over S;
  kl_ab = sum p~_A log(p~_A / p~_B), kl_ba the reverse, js = KL(p~_A || m)/2 + KL(p~_B || m)/2 with
  m = (p~_A + p~_B)/2, total_variation = sum |p~_A - p~_B| / 2 (nats). top: the 10 shared keys with the largest
  max(p_A(s), p_B(s)), largest first, as {"probability": [p_A(s), p_B(s)], "bytes_hex"}; shared_strings = |S|.
- side.layer_metrics: per layer {"layer", "depth" = (l+1)/L, the mean over heads of each head metric (head metric =
  mean over rows q >= 1, make_metrics_fixtures.head_metrics; non-finite head values skipped)}.
- side.lens: top-1 id of final_norm(post[l][n-1]) @ W_U per layer (make_analytics_fixtures.lens_flips on the last
  position), first_layer, settled_layer.
- side.classes: heads per pattern class (make_metrics_fixtures.classify), zero counts included.
- side.anomalies (defaults of analyses.md §3): high_attention_keys = number of distinct keys with a hit,
  high_attention_hits = number of (layer, head, q) hits (A > 0.9, q >= 2, k < q, k != 0), uniform_heads (mean
  uniformity over rows q >= 4 >= 0.8), dead_heads (every q below 1 % of the layer's mean head output norm),
  outlier_activations = number of (layer, position, dimension) with |post[l][q][j]| > 20 x median_j |post[l][q]|.
- graph diff: edges of make_contribution_fixtures.build_graph (weight > 0) keyed by (source, target, kind); weight_a /
  weight_b (0 when absent), difference = weight_b - weight_a, change both / appears (only B) / vanishes (only A).
  Ordered by (index(target), index(source), kind) with index(X0_t) = t and index(A|M|I{l}_t) = n + (3 l + k - 1) n + t,
  k = 1 (A), 2 (M), 3 (I); kinds as strings. largest = indices of the 10 largest |difference| (ties by index).
  Exact ties are common and arrive with float noise: one renormalisation splits 1 between an FFN site's ffn weight
  (carried by both A->M and M->I) and its ffn-residual weight, and between a target's attention edges and residual,
  so e.g. A->M, M->I and A->I change by the same amount in exact arithmetic. |difference| values within 1e-12 are
  therefore one tie group, ordered by index; largest_tie_groups lists the groups (size > 1) inside largest (an
  engine's order within a group is float noise: compare a group as a set). The 10th / 11th boundary never splits a
  group.
  threshold = the candidate of make_contribution_fixtures (0.005 .. 0.100 step 0.001) nearest 0.04 (ties: smaller)
  with every thresholded quantity of both prompts at least 1e-4 away (threshold_margin).

Margins asserted (so that a float32 engine decides every discrete choice the same way): every top-10 order (model
top, shared top) by >= 1e-6 in probability; lens top-1 logit gaps >= 1e-6; every class threshold test of every head by
>= 1e-6 (and the vertical argmax when vertical >= 0.5); every default anomaly comparison by a relative margin >= 1e-6;
consecutive tie groups of the largest |difference| (through the one holding the 11th edge) by >= 1e-6.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_fixtures as mf  # noqa: E402  (sets the offline env vars)
import make_analytics_fixtures as ma  # noqa: E402
import make_contribution_fixtures as mc  # noqa: E402
import make_metrics_fixtures as mm  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402
from transformers import AutoModelForCausalLM, AutoTokenizer  # noqa: E402

DIGITS = 10
MARGIN_MIN = 1e-6
TOP_K = 10
MAX_BYTES = 1_000_000
TAU_PREFERRED = 0.04
TIE_ABS = 1e-12  # |difference| values this close are one tie (float noise of an exact tie)
METRICS = ["entropy", "normalized_entropy", "sparsity", "locality", "focus", "first_token", "previous_token", "self",
           "diagonal", "uniformity", "vertical"]
CLASSES = ["sink", "previous-token", "diagonal", "vertical", "uniform", "sparse", "mixed"]
KIND_ORDER = {"A": 1, "M": 2, "I": 3}

COMPARISON_CASES = [
    ("tiny-gpt2", "tiny-llama", "The cat sat on the mat because it was tired"),
    ("tiny-llama", "tiny-gemma3", "A small dog ran across the road to find food"),
    ("tiny-gpt2", "tiny-gpt2", "The cat sat on the mat because it was tired"),
]
GRAPH_DIFF_CASES = [
    ("tiny-gpt2", "The doctor said that she", "The nurse said that she"),
    ("tiny-llama", "The doctor said that he", "The doctor said that it"),
]

log = mf.log
rl = ma.rl  # 10 significant digits, ints / bools / strings / None kept


# ---------------------------------------------------------------------------
# Models and tokenizers
# ---------------------------------------------------------------------------


class Loaded:
    def __init__(self, fixtures: Path, name: str):
        d = fixtures / "models" / name
        self.name = name
        self.dir = d
        self.tok = Tokenizer.from_file(str(d / "tokenizer.json"))
        self.auto = AutoTokenizer.from_pretrained(str(d))
        model = AutoModelForCausalLM.from_pretrained(str(d), attn_implementation="eager", dtype=torch.float32)
        self.model = model.double().eval()
        self.geo = mf.model_geometry(self.model)
        self.arch = mc.Arch(self.model)
        self.tok_json = json.loads((d / "tokenizer.json").read_text(encoding="utf-8"))
        self.stored = json.loads((fixtures / "golden" / f"{name}.json").read_text())

    def encode(self, text: str) -> list[int]:
        ids = list(self.tok.encode(text, add_special_tokens=True).ids)
        assert ids == list(self.auto(text)["input_ids"]), (self.name, text)
        return ids


# ---------------------------------------------------------------------------
# Vocabulary keys
# ---------------------------------------------------------------------------


def gpt2_byte_decoder() -> dict[str, int]:
    """Inverse of the byte-level BPE alphabet: printable Latin-1 bytes are their own character, the other 68 bytes
    (in increasing order) map to U+0100, U+0101, ..."""
    own = [b for b in range(256) if (0x21 <= b <= 0x7E) or (0xA1 <= b <= 0xAC) or (0xAE <= b <= 0xFF)]
    table = {chr(b): b for b in own}
    extra = 0
    for b in range(256):
        if b not in table.values():
            table[chr(256 + extra)] = b
            extra += 1
    assert len(table) == 256 and sorted(table.values()) == list(range(256))
    return table


BYTE_DECODER = gpt2_byte_decoder()


def vocab_keys(m: Loaded, side: int) -> list:
    """Per model id the key: bytes for a token, ("unknown", side, id) for an id beyond the tokenizer."""
    tj = m.tok_json
    assert tj["model"]["type"] == "BPE" and tj["decoder"]["type"] == "ByteLevel", m.name
    V = m.geo["vocab"]
    vocab_inv = {i: s for s, i in tj["model"]["vocab"].items()}
    added = {a["id"]: a["content"] for a in tj["added_tokens"]}
    keys = []
    for i in range(V):
        if i in added:
            k = added[i].encode("utf-8")
            if i in vocab_inv:  # GPT-2's <|endoftext|> is also a vocab entry: both readings must agree
                assert bytes(BYTE_DECODER[c] for c in vocab_inv[i]) == k, (m.name, i)
        elif i in vocab_inv:
            k = bytes(BYTE_DECODER[c] for c in vocab_inv[i])
            # the tokenizers library decodes the same bytes (where they are valid UTF-8 on their own)
            try:
                text = k.decode("utf-8")
            except UnicodeDecodeError:
                text = None
            if text is not None:
                assert m.tok.decode([i], skip_special_tokens=False) == text, (m.name, i)
        else:
            k = ("unknown", side, i)
        keys.append(k)
    return keys


def utf8_length(b: bytes, i: int) -> int:
    """Length of the valid UTF-8 sequence starting at b[i], 0 if none."""
    lead = b[i]
    if lead < 0x80:
        n = 1
    elif 0xC2 <= lead <= 0xDF:
        n = 2
    elif 0xE0 <= lead <= 0xEF:
        n = 3
    elif 0xF0 <= lead <= 0xF4:
        n = 4
    else:
        return 0
    if i + n > len(b):
        return 0
    try:
        b[i : i + n].decode("utf-8")
    except UnicodeDecodeError:
        return 0
    return n


def display(b: bytes) -> str:
    """Glassbox's display rendering of token bytes (used only to check it does not merge two keys)."""
    out, i = [], 0
    while i < len(b):
        n = utf8_length(b, i)
        if n == 0:
            out.append(f"<0x{b[i]:02X}>")
            i += 1
            continue
        ch = b[i : i + n].decode("utf-8")
        i += n
        visible = {" ": "␣", "\n": "↵", "\t": "⇥", "\r": "␍"}
        if ch in visible:
            out.append(visible[ch])
        elif unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp", "Co", "Cs", "Cn"):
            out.append(f"<U+{ord(ch):04X}>")
        else:
            out.append(ch)
    return "".join(out)


def check_display_injective(keys_a: list, keys_b: list):
    seen: dict[str, bytes] = {}
    for k in set(k for k in keys_a + keys_b if isinstance(k, bytes)):
        r = display(k)
        assert seen.setdefault(r, k) == k, ("two keys share a display string", r, seen[r], k)


# ---------------------------------------------------------------------------
# One side of a model comparison
# ---------------------------------------------------------------------------


def run_side(m: Loaded, ids: list[int]) -> dict:
    """Forward pass (true float64) plus head outputs and the logit lens."""
    model = m.model
    L, H, n_kv, hd = m.geo["n_layers"], m.geo["n_heads"], m.geo["n_kv_heads"], m.geo["head_dim"]
    _, projs, W_O, bias, final_norm, lm_head = ma.model_parts(model)
    cap_in, cap_out = [None] * L, [None] * L
    with torch.no_grad(), mf.true_float64(model):
        hooks = []
        for l, proj in enumerate(projs):
            def grab(mod, args, output, l=l):
                cap_in[l] = args[0][0].double().numpy().copy()
                cap_out[l] = output[0].double().numpy().copy()
            hooks.append(proj.register_forward_hook(grab))
        try:
            g = mf.run_golden(model, ids)
        finally:
            for hk in hooks:
                hk.remove()
        lens = ma.lens_logits(g["residual_post"], final_norm, lm_head)
    att, post = g["attentions"], g["residual_post"]
    n = len(ids)
    assert att.shape == (L, H, n, n)
    o, ctx = ma.head_outputs(att, g["values"], W_O, n_kv, hd)
    err_in = max(float(np.abs(ctx[l] - cap_in[l]).max()) for l in range(L))
    err_out = max(float(np.abs(o[l].sum(0) + (0 if bias[l] is None else bias[l]) - cap_out[l]).max())
                  for l in range(L))
    assert err_in < 1e-12 and err_out < 1e-12, (err_in, err_out)
    cap = getattr(model.config, "final_logit_softcapping", None)
    assert float(np.abs(ma.softcap(lens[L - 1], cap) - g["logits"]).max()) < 1e-12
    g["norms"] = np.linalg.norm(o, axis=-1)  # [L, H, n]
    g["lens"] = lens
    return g


def top_ids(p: np.ndarray, k: int) -> list[int]:
    order = np.lexsort((np.arange(len(p)), -p))  # descending, ties by smaller id
    v = p[order[: k + 1]]
    gap = float(np.abs(np.diff(v)).min())
    assert gap >= MARGIN_MIN, ("top-k order not decided", gap)
    return [int(i) for i in order[:k]]


def side_summary(m: Loaded, ids: list[int], g: dict) -> tuple[dict, dict]:
    att, post = g["attentions"], g["residual_post"]
    L, H, n, _ = att.shape
    logp = ma.log_softmax(g["logits"][n - 1])
    p = np.exp(logp)

    heads = [[mm.head_metrics(att[l, h]) for h in range(H)] for l in range(L)]
    min_class_margin = float("inf")
    for l in range(L):
        for h in range(H):
            hm, ex = heads[l][h]
            mg = min(ex["margins"].values())
            if hm["vertical"] >= 0.5 - MARGIN_MIN:  # only then does the argmax key decide the class
                mg = min(mg, ex["vertical_gap"])
            assert mg >= MARGIN_MIN, (m.name, ids, l, h, ex["margins"], ex["vertical_gap"])
            min_class_margin = min(min_class_margin, mg)
    layer_metrics = []
    for l in range(L):
        entry = {"layer": l, "depth": (l + 1) / L}
        for key in METRICS:
            vals = [heads[l][h][0][key] for h in range(H)]
            vals = [float(v) for v in vals if v is not None and math.isfinite(v)]
            entry[key] = float(np.mean(vals)) if vals else None
        layer_metrics.append(entry)
    classes = {c: 0 for c in CLASSES}
    for l in range(L):
        for h in range(H):
            classes[heads[l][h][0]["class"]] += 1

    flips, lens_margin = ma.lens_flips(g["lens"][:, n - 1 : n, :])
    assert lens_margin >= MARGIN_MIN, (m.name, ids, lens_margin)
    f = flips[0]
    assert f["final"] == int(np.argmax(g["logits"][n - 1]))
    lens = {"top_by_layer": f["top1_by_layer"], "first_layer": f["first_layer"], "settled_layer": f["settled_layer"]}

    d = ma.DEFAULTS
    ha, m1 = ma.high_attention(att, d["high_attention"], d["include_first_token"])
    ua, m2 = ma.uniform_attention(att, d["uniform_threshold"], d["uniform_min_row"])
    dh, m3 = ma.dead_heads(g["norms"], d["dead_fraction"])
    oa, m4 = ma.outlier_activations(post, d["outlier_factor"])
    anomaly_margin = min(m1, m2, m3, m4)
    assert anomaly_margin >= MARGIN_MIN, (m.name, ids, m1, m2, m3, m4)
    anomalies = {
        "high_attention_keys": len(ha),
        "high_attention_hits": sum(len(gr["hits"]) for gr in ha),
        "uniform_heads": len(ua),
        "dead_heads": len(dh),
        "outlier_activations": len(oa),
    }
    side = {
        "token_ids": list(ids),
        "top": [{"id": i, "probability": float(p[i])} for i in top_ids(p, TOP_K)],
        "layer_metrics": layer_metrics,
        "lens": lens,
        "classes": classes,
        "anomalies": anomalies,
    }
    internal = {"logp": logp, "heads": heads, "flips": flips, "anomaly_lists": (ha, ua, dh, oa),
                "margins": {"class": min_class_margin, "lens": lens_margin, "anomaly": anomaly_margin}}
    return side, internal


# ---------------------------------------------------------------------------
# Shared-vocabulary distribution comparison
# ---------------------------------------------------------------------------


def aggregate(p: np.ndarray, keys: list, shared: set) -> tuple[dict, float]:
    per: dict = {}
    outside = []
    for i, k in enumerate(keys):
        if k in shared:
            per.setdefault(k, []).append(float(p[i]))
        else:
            outside.append(float(p[i]))
    return {k: math.fsum(v) for k, v in per.items()}, math.fsum(outside)


def kl(p: np.ndarray, q: np.ndarray) -> float:
    assert (p > 0).all() and (q > 0).all()
    return math.fsum((p * np.log(p / q)).tolist())


def compare_distributions(logp_a, keys_a, logp_b, keys_b) -> dict:
    pa_ids, pb_ids = np.exp(logp_a), np.exp(logp_b)
    assert len(pa_ids) == len(keys_a) and len(pb_ids) == len(keys_b)
    shared = set(keys_a) & set(keys_b)
    S = sorted(shared)  # all shared keys are bytes (unknown-id keys carry their side)
    pa, out_a = aggregate(pa_ids, keys_a, shared)
    pb, out_b = aggregate(pb_ids, keys_b, shared)
    A = np.array([pa[s] for s in S])
    B = np.array([pb[s] for s in S])
    mass_a, mass_b = math.fsum(A.tolist()), math.fsum(B.tolist())
    assert abs(mass_a + out_a - 1) < 1e-12 and abs(mass_b + out_b - 1) < 1e-12
    ta, tb = A / mass_a, B / mass_b
    mid = 0.5 * (ta + tb)
    res = {
        "shared_strings": len(S),
        "shared_mass": [mass_a, mass_b],
        "mass_outside_shared": [out_a, out_b],
        "kl_ab": kl(ta, tb),
        "kl_ba": kl(tb, ta),
        "js": 0.5 * kl(ta, mid) + 0.5 * kl(tb, mid),
        "total_variation": 0.5 * math.fsum(np.abs(ta - tb).tolist()),
    }
    mx = np.maximum(A, B)
    order = np.lexsort((np.arange(len(S)), -mx))
    gaps = np.abs(np.diff(mx[order[: TOP_K + 1]]))
    assert float(gaps.min()) >= MARGIN_MIN, ("shared top order not decided", gaps)
    res["top"] = [{"probability": [float(A[i]), float(B[i])], "bytes_hex": S[i].hex()} for i in order[:TOP_K]]

    # second formulation: numpy grouping over the key index instead of per-key dicts
    index = {s: j for j, s in enumerate(S)}
    ia = np.array([index.get(k, -1) for k in keys_a])
    ib = np.array([index.get(k, -1) for k in keys_b])
    A2 = np.bincount(ia[ia >= 0], weights=pa_ids[ia >= 0], minlength=len(S))
    B2 = np.bincount(ib[ib >= 0], weights=pb_ids[ib >= 0], minlength=len(S))
    assert np.abs(A2 - A).max() < 1e-15 and np.abs(B2 - B).max() < 1e-15
    assert abs(float(pa_ids[ia < 0].sum()) - out_a) < 1e-15 and abs(float(pb_ids[ib < 0].sum()) - out_b) < 1e-15
    t2a, t2b = A2 / A2.sum(), B2 / B2.sum()
    m2 = (t2a + t2b) / 2
    js2 = 0.5 * float(np.sum(t2a * (np.log(t2a) - np.log(m2)))) + 0.5 * float(np.sum(t2b * (np.log(t2b) - np.log(m2))))
    assert abs(js2 - res["js"]) < 1e-13 and abs(float(np.sum(t2a * (np.log(t2a) - np.log(t2b)))) - res["kl_ab"]) < 1e-13
    assert 0 <= res["js"] <= math.log(2) + 1e-15 and 0 <= res["total_variation"] <= 1 and res["kl_ab"] >= -1e-15
    return res


# ---------------------------------------------------------------------------
# Checks of the reused pieces against the committed goldens
# ---------------------------------------------------------------------------


def close(a: float, b: float, tol: float = 1e-8) -> bool:
    return abs(a - b) <= tol * max(1.0, abs(b))


def check_reuse_comparison(fixtures: Path, m: Loaded):
    """Stored prompts of <model>.json: ids, forward, head metrics (metrics-<model>.json), default anomalies, head output
    norms and lens flips at the last position (analytics-<model>.json)."""
    metrics = json.loads((fixtures / "golden" / f"metrics-{m.name}.json").read_text())
    analytics = json.loads((fixtures / "golden" / f"analytics-{m.name}.json").read_text())
    worst = 0.0
    for pi, p in enumerate(m.stored["prompts"]):
        ids = m.encode(p["text"])
        assert ids == p["ids"], (m.name, p["text"], ids, p["ids"])
        g = run_side(m, ids)
        ma.check_against_stored(g, p, m.name)
        n = len(ids)
        stored_lp = ma.log_softmax(np.asarray(p["logits"][n - 1], dtype=np.float64))
        assert np.abs(ma.log_softmax(g["logits"][n - 1]) - stored_lp).max() < 1e-6
        side, internal = side_summary(m, ids, g)
        mh = metrics["cases"][pi]["heads"]
        assert metrics["cases"][pi]["ids"] == ids
        for l, layer in enumerate(internal["heads"]):
            for h, (hm, _) in enumerate(layer):
                assert hm["class"] == mh[l][h]["class"] and hm["vertical_key"] == mh[l][h]["vertical_key"]
                for key in METRICS:
                    assert close(hm[key], mh[l][h][key]), (m.name, pi, l, h, key, hm[key], mh[l][h][key])
                    worst = max(worst, abs(hm[key] - mh[l][h][key]))
        # the layer means are means of those head values
        for l, lm in enumerate(side["layer_metrics"]):
            for key in METRICS:
                assert close(lm[key], float(np.mean([mh[l][h][key] for h in range(len(mh[l]))])))
        ap = analytics["prompts"][pi]
        assert ap["ids"] == ids
        a0 = ap["anomalies"][0]
        assert a0["parameters"] == ma.DEFAULTS
        ha, ua, dh, oa = internal["anomaly_lists"]
        assert [gr["key"] for gr in ha] == [gr["key"] for gr in a0["high_attention"]]
        assert side["anomalies"]["high_attention_hits"] == sum(len(gr["hits"]) for gr in a0["high_attention"])
        assert [e[:2] for e in ua] == [e[:2] for e in a0["uniform_attention"]]
        assert [e[:2] for e in dh] == [e[:2] for e in a0["dead_head"]]
        assert [e[:3] for e in oa] == [e[:3] for e in a0["outlier_activation"]]
        for u, su in zip(ua, a0["uniform_attention"]):
            assert close(u[2], su[2])
        norms = np.asarray(ap["head_output_norms"])
        assert np.abs(g["norms"] - norms).max() <= 1e-8 * max(1.0, float(np.abs(norms).max()))
        sf = ap["lens_flips"][n - 1]
        assert sf["position"] == n - 1
        assert side["lens"] == {"top_by_layer": sf["top1_by_layer"], "first_layer": sf["first_layer"],
                                "settled_layer": sf["settled_layer"]}
    log(f"  reuse check {m.name}: forward, head metrics (worst {worst:.1e}), anomalies, norms, lens agree")


def check_reuse_graphs(fixtures: Path, m: Loaded):
    """build_graph (renormalize on) at the committed thresholds reproduces contributions-<model>.json."""
    stored = json.loads((fixtures / "golden" / f"contributions-{m.name}.json").read_text())
    worst, count = 0.0, 0
    for case, p in zip(stored["cases"], m.stored["prompts"]):
        ids = m.encode(p["text"])
        assert ids == case["ids"]
        t, res = contribution(m, ids)
        for gr in case["graphs"]:
            if not gr["renormalize"]:
                continue
            edges = mc.build_graph(m.arch, res, len(ids), gr["threshold"])
            assert [e[:3] for e in edges] == [tuple(e[:3]) for e in gr["edges"]], (m.name, gr["threshold"])
            for e, se in zip(edges, gr["edges"]):
                assert close(e[3], se[3]), (e, se)
                worst = max(worst, abs(e[3] - se[3]))
            count += 1
    log(f"  reuse check {m.name}: {count} committed graphs reproduced (worst weight diff {worst:.1e})")


# ---------------------------------------------------------------------------
# Graph diff
# ---------------------------------------------------------------------------


def contribution(m: Loaded, ids: list[int]):
    with torch.no_grad(), mf.true_float64(m.model):
        t = mc.forward(m.arch, ids)
        res = mc.analyse(m.arch, t)
    return t, res


NODE = re.compile(r"^([AIMX])(\d+)_(\d+)$")


def node_index(name: str, n: int) -> int:
    kind, l, t = NODE.match(name).groups()
    l, t = int(l), int(t)
    assert 0 <= t < n
    if kind == "X":
        assert l == 0
        return t
    return n + (3 * l + KIND_ORDER[kind] - 1) * n + t


def pick_threshold(m: Loaded, analysed: list) -> tuple[float, float]:
    best = None
    for tau in mc.THRESHOLD_CANDIDATES:
        margin = min(mc.threshold_margin(res, m.arch.L, len(t["ids"]), tau,
                                         mc.build_graph(m.arch, res, len(t["ids"]), 0.0)) for t, res in analysed)
        if margin < mc.THRESHOLD_MARGIN:
            continue
        if best is None or (abs(tau - TAU_PREFERRED), tau) < (abs(best[0] - TAU_PREFERRED), best[0]):
            best = (tau, margin)
    assert best is not None, m.name
    return best


def graph_diff(edges_a: list, edges_b: list, n: int) -> tuple[list, list, dict]:
    wa = {e[:3]: e[3] for e in edges_a}
    wb = {e[:3]: e[3] for e in edges_b}
    assert len(wa) == len(edges_a) and len(wb) == len(edges_b)  # one edge per (source, target, kind)
    keys = sorted(set(wa) | set(wb), key=lambda k: (node_index(k[1], n), node_index(k[0], n), k[2]))
    out = []
    for s, t, kind in keys:
        a, b = wa.get((s, t, kind), 0.0), wb.get((s, t, kind), 0.0)
        in_a, in_b = (s, t, kind) in wa, (s, t, kind) in wb
        change = "both" if in_a and in_b else "appears" if in_b else "vanishes"
        out.append({"source": s, "target": t, "kind": kind, "weight_a": a, "weight_b": b, "difference": b - a,
                    "change": change})
    counts = {c: sum(1 for e in out if e["change"] == c) for c in ("both", "appears", "vanishes")}
    assert counts["both"] + counts["vanishes"] == len(edges_a) and counts["both"] + counts["appears"] == len(edges_b)
    mag = np.array([abs(e["difference"]) for e in out])
    order = [int(i) for i in np.lexsort((np.arange(len(out)), -mag))]
    # |difference| values equal up to rounding (within TIE_ABS) form one tie group, ordered by index: the FFN edges
    # A->M, M->I and the ffn-residual edge A->I of one site carry b and 1 - b of one renormalisation, so their
    # differences are equal in exact arithmetic and differ only by float noise
    groups = []  # tie groups in decreasing |difference|, until the one holding the (TOP_K + 1)-th edge
    for i in order:
        if sum(len(g) for g in groups) > TOP_K and abs(mag[groups[-1][0]] - mag[i]) > TIE_ABS:
            break
        if groups and abs(mag[groups[-1][0]] - mag[i]) <= TIE_ABS:
            groups[-1].append(i)
        else:
            groups.append([i])
    groups = [sorted(g) for g in groups]
    assert sum(len(g) for g in groups[:-1]) == TOP_K, ("a tie group straddles the 10th / 11th edge", groups)
    for g, h in zip(groups, groups[1:]):
        gap = float(min(mag[i] for i in g) - max(mag[i] for i in h))
        assert gap >= MARGIN_MIN, ("near-tie among the largest differences", gap)
    largest = [i for g in groups[:-1] for i in g]
    tie_groups = [g for g in groups[:-1] if len(g) > 1]
    # second formulation of the order: the node index as a tuple (layer, kind, token), X0 first
    def tup(name):
        kind, l, t = NODE.match(name).groups()
        return (-1, 0, int(t)) if kind == "X" else (int(l), KIND_ORDER[kind], int(t))
    assert keys == sorted(keys, key=lambda k: (tup(k[1]), tup(k[0]), k[2]))
    return out, largest, tie_groups, counts


def graph_diff_case(m: Loaded, text_a: str, text_b: str) -> dict:
    ids_a, ids_b = m.encode(text_a), m.encode(text_b)
    assert len(ids_a) == len(ids_b), (m.name, text_a, text_b, len(ids_a), len(ids_b))
    n = len(ids_a)
    analysed = [contribution(m, ids_a), contribution(m, ids_b)]
    tau, margin = pick_threshold(m, analysed)
    ga = mc.build_graph(m.arch, analysed[0][1], n, tau)
    gb = mc.build_graph(m.arch, analysed[1][1], n, tau)
    edges, largest, tie_groups, counts = graph_diff(ga, gb, n)
    log(f"  graph diff {m.name} n={n} tau={tau} (margin {margin:.2e}): {len(ga)} / {len(gb)} edges, union "
        f"{len(edges)}, counts {counts}, largest |diff| {abs(edges[largest[0]]['difference']):.4f}")
    return {"model": m.name, "prompts": [text_a, text_b], "token_ids": [ids_a, ids_b], "threshold": tau,
            "renormalize": True, "counts": counts, "edges": edges, "largest": largest,
            "largest_tie_groups": tie_groups}


# ---------------------------------------------------------------------------


def comparison_case(models: dict, a: str, b: str, text: str) -> dict:
    sides, logps, keys = [], [], []
    for si, name in enumerate((a, b)):
        m = models[name]
        ids = m.encode(text)
        g = run_side(m, ids)
        side, internal = side_summary(m, ids, g)
        mg = internal["margins"]
        log(f"  {name} on {text!r}: n={len(ids)}, top {side['top'][0]['id']} p={side['top'][0]['probability']:.4f}, "
            f"classes {side['classes']}, anomalies {side['anomalies']}, lens {side['lens']}, margins class "
            f"{mg['class']:.1e} lens {mg['lens']:.1e} anomaly {mg['anomaly']:.1e}")
        sides.append(side)
        logps.append(internal["logp"])
        keys.append(vocab_keys(m, si))
    check_display_injective(keys[0], keys[1])
    dist = compare_distributions(logps[0], keys[0], logps[1], keys[1])
    if a == b:
        assert dist["kl_ab"] == 0 and dist["kl_ba"] == 0 and dist["js"] == 0 and dist["total_variation"] == 0
        assert dist["mass_outside_shared"] == [0.0, 0.0] and all(abs(x - 1) < 1e-12 for x in dist["shared_mass"])
        assert [t["probability"][0] for t in dist["top"]] == [t["probability"] for t in sides[0]["top"]]
    log(f"  distribution {a} vs {b}: {dist['shared_strings']} shared, mass {dist['shared_mass']}, kl "
        f"{dist['kl_ab']:.4f} / {dist['kl_ba']:.4f}, js {dist['js']:.4f}, tv {dist['total_variation']:.4f}")
    return {"a": a, "b": b, "text": text, "sides": sides, "distribution": dist}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fixtures", default=str(mf.REPO / "Tests" / "Fixtures"))
    args = ap.parse_args()
    fixtures = Path(args.fixtures).resolve()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)

    names = sorted({x for c in COMPARISON_CASES for x in c[:2]} | {c[0] for c in GRAPH_DIFF_CASES})
    models = {name: Loaded(fixtures, name) for name in names}
    for name in names:
        check_reuse_comparison(fixtures, models[name])
    for name in sorted({c[0] for c in GRAPH_DIFF_CASES}):
        check_reuse_graphs(fixtures, models[name])

    cases = [comparison_case(models, a, b, text) for a, b, text in COMPARISON_CASES]
    doc = {
        "reference": "tools/references/make_comparison_fixtures.py: independent float64 reference (analyses.md "
        "sections 1, 3, 5): two models on one text, each tokenised by itself; next-token log_softmax of the last "
        "position (Gemma after the soft-cap); vocabulary keyed by token bytes, KL/JS/TV on the renormalised shared "
        "strings; per-layer head-metric means, last-position logit lens, class and default anomaly counts",
        "float_digits": DIGITS,
        "cases": rl(cases),
    }
    path = fixtures / "golden" / "comparison-models.json"
    mf.dump_compact(path, doc)
    assert path.stat().st_size < MAX_BYTES
    log(f"{path.stat().st_size:>9}  {path.relative_to(fixtures)}")

    diffs = [graph_diff_case(models[name], a, b) for name, a, b in GRAPH_DIFF_CASES]
    doc = {
        "reference": "tools/references/make_comparison_fixtures.py: difference of two contribution graphs "
        "(make_contribution_fixtures.build_graph, renormalize on, one threshold) of one model on two prompts with "
        "equal token counts: union of edges keyed by (source, target, kind), difference = weight_b - weight_a, "
        "ordered by (target, source) node index and kind; largest = indices of the 10 largest |difference|",
        "float_digits": DIGITS,
        "cases": rl(diffs),
    }
    path = fixtures / "golden" / "graph-diff.json"
    mf.dump_compact(path, doc)
    assert path.stat().st_size < MAX_BYTES
    log(f"{path.stat().st_size:>9}  {path.relative_to(fixtures)}")


if __name__ == "__main__":
    main()
