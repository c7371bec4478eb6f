#!/usr/bin/env python3
"""Golden fixtures for Glassbox's per-head attention metrics, pattern classes, attention rollout and layer flow.

Usage (from the repository root, with the environment of tools/references/requirements.txt):
    .venv-fixtures/bin/python tools/references/make_metrics_fixtures.py [--fixtures Tests/Fixtures]

Writes Tests/Fixtures/golden/metrics-<model>.json for tiny-gpt2, tiny-llama and tiny-gemma3: for the two prompts of
Tests/Fixtures/golden/<model>.json (their stored token ids), the per-head metric means and pattern class of every
(layer, head), the per-row metrics of one head (layer 0, head 1), the full n x n attention rollout and the per-layer,
per-position information flow (cosine, information loss, relative update, attention / FFN shares).

This is an independent reference written from docs/analyses.md (§1, §2 and the first
paragraph of 4) and the fixture brief, not from the Swift code. The metrics are plain numpy float64, computed
naively row by row and cross-checked against a second, vectorised formulation. The inputs (attention patterns and
residual streams) are transformers' own forward pass in true float64 (make_fixtures.true_float64 / run_golden), checked
against the committed forward goldens. Floats are written with 10 significant digits. Deterministic.

Pinned definitions (where the spec is silent), for n tokens and row q:
- admissible keys of row q are k = 0..q, also on Gemma's sliding-window layer (keys outside the window have A = 0 and
  count as admissible, e.g. for sparsity and uniformity); the head value of a per-row metric is the mean over q = 1..n-1;
- entropy H_q = -sum A log A (0 log 0 = 0), normalised H_q / log(q+1); sparsity = fraction of k <= q with A < 0.01;
  locality = 1 / (1 + sum A (q-k)); focus = max A; first_token = A[q,0]; previous_token = A[q,q-1]; self = A[q,q];
  diagonal = sum over q-k <= 2; uniformity = 1 - 0.5 sum |A - 1/(q+1)|;
- vertical: per key k the mean over rows q >= max(k, 1) of A[q,k]; the head value is the max over k, vertical_key
  its argmax (smallest k on ties);
- class (first match wins, on the head means): sink (first_token >= 0.6), previous-token (previous_token >= 0.5),
  diagonal (diagonal >= 0.7), vertical (vertical >= 0.5 and vertical_key != 0), uniform (uniformity >= 0.8),
  sparse (sparsity >= 0.8), else mixed. Every threshold test of every head (all six, not only up to the first match)
  and the vertical argmax are asserted to be decided by a margin of at least 1e-6;
- rollout: mean over heads, 0.5 A + 0.5 I with rows renormalised, R = Ahat_{L-1} ... Ahat_0;
- flow: prev = residual_pre[0] (embeddings) for l = 0 else residual_post[l-1]; cos(prev, post[l]); 1 - cos;
  |post - prev| / |prev|; |attn_out| / (|attn_out| + |mlp_out|) and its complement (attn_out / mlp_out = what each
  block added, after Gemma's post-norms).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_fixtures as mf  # noqa: E402  (sets the offline env vars)
import numpy as np  # noqa: E402
import torch  # noqa: E402
from transformers import AutoModelForCausalLM  # noqa: E402

MODELS = ["tiny-gpt2", "tiny-llama", "tiny-qwen2", "tiny-gemma3"]
DIGITS = 10
SPARSITY_EPS = 0.01
DIAGONAL_WIDTH = 2
ROWS_SITE = (0, 1)  # (layer, head) whose per-row metrics are stored
MARGIN_MIN = 1e-6
MAX_BYTES = 300_000

# (class, metric, threshold) in order; first match wins
CLASS_RULES = [
    ("sink", "first_token", 0.6),
    ("previous-token", "previous_token", 0.5),
    ("diagonal", "diagonal", 0.7),
    ("vertical", "vertical", 0.5),  # and vertical_key != 0
    ("uniform", "uniformity", 0.8),
    ("sparse", "sparsity", 0.8),
]
ROW_METRICS = ["entropy", "normalized_entropy", "sparsity", "locality", "focus", "first_token", "previous_token",
               "self", "diagonal", "uniformity"]

log = mf.log


# ---------------------------------------------------------------------------
# Metrics (naive, row by row)
# ---------------------------------------------------------------------------


def row_metrics(A: np.ndarray, q: int) -> dict:
    """All per-row metrics of row q of one head's pattern A [n, n] (admissible keys k = 0..q)."""
    a = A[q, : q + 1].astype(np.float64)
    nz = a[a > 0]
    H = float(-(nz * np.log(nz)).sum())
    dist = q - np.arange(q + 1)
    u = 1.0 / (q + 1)
    return {
        "entropy": H,
        "normalized_entropy": H / np.log(q + 1) if q >= 1 else None,
        "sparsity": float((a < SPARSITY_EPS).sum()) / (q + 1),
        "locality": 1.0 / (1.0 + float((a * dist).sum())),
        "focus": float(a.max()),
        "first_token": float(a[0]),
        "previous_token": float(a[q - 1]) if q >= 1 else None,
        "self": float(a[q]),
        "diagonal": float(a[dist <= DIAGONAL_WIDTH].sum()),
        "uniformity": 1.0 - 0.5 * float(np.abs(a - u).sum()),
    }


def vertical(A: np.ndarray) -> tuple[float, int, float]:
    """(max over k of mean_{q >= max(k,1)} A[q,k], its argmax, gap to the runner-up key)."""
    n = A.shape[0]
    scores = []
    for k in range(n):
        rows = [q for q in range(n) if q >= k and q >= 1]
        if not rows:
            continue
        scores.append((float(np.mean([A[q, k] for q in rows])), k))
    best = max(scores, key=lambda s: (s[0], -s[1]))
    others = [s for s in scores if s[1] != best[1]]
    gap = best[0] - max(s[0] for s in others) if others else float("inf")
    return best[0], best[1], gap


def head_metrics(A: np.ndarray) -> tuple[dict, dict]:
    """(head means + vertical + class, per-row lists) of one head's pattern A [n, n]."""
    n = A.shape[0]
    rows = [row_metrics(A, q) for q in range(n)]
    head = {m: float(np.mean([rows[q][m] for q in range(1, n)])) for m in ROW_METRICS}
    v, vk, gap = vertical(A)
    head["vertical"], head["vertical_key"] = v, vk
    cls, margins = classify(head)
    head["class"] = cls
    per_row = {m: [r[m] for r in rows] for m in ROW_METRICS}
    return head, {"margins": margins, "vertical_gap": gap, "rows": per_row}


def classify(head: dict) -> tuple[str, dict]:
    cls = None
    margins = {}
    for name, metric, thr in CLASS_RULES:
        value = head[metric]
        margins[name] = abs(value - thr)
        hit = value >= thr and (name != "vertical" or head["vertical_key"] != 0)
        if hit and cls is None:
            cls = name
    return cls or "mixed", margins


def head_metrics_vectorised(A: np.ndarray) -> dict:
    """Second formulation (whole-matrix masks) of the head means and vertical, for the cross-check."""
    n = A.shape[0]
    q = np.arange(n)[:, None]
    k = np.arange(n)[None, :]
    adm = k <= q
    cnt = (q + 1).astype(np.float64)[:, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(A > 0, A * np.log(np.where(A > 0, A, 1.0)), 0.0)
    H = -(plogp * adm).sum(1)
    out = {
        "entropy": H,
        "normalized_entropy": np.concatenate([[np.nan], H[1:] / np.log(cnt[1:])]),
        "sparsity": ((A < SPARSITY_EPS) & adm).sum(1) / cnt,
        "locality": 1.0 / (1.0 + (A * (q - k) * adm).sum(1)),
        "focus": np.where(adm, A, -np.inf).max(1),
        "first_token": A[:, 0],
        "previous_token": np.concatenate([[np.nan], A[np.arange(1, n), np.arange(n - 1)]]),
        "self": np.diag(A),
        "diagonal": (A * (adm & (q - k <= DIAGONAL_WIDTH))).sum(1),
        "uniformity": 1.0 - 0.5 * (np.abs(A - 1.0 / cnt[:, None]) * adm).sum(1),
    }
    means = {m: float(v[1:].mean()) for m, v in out.items()}
    valid = adm & (q >= 1)
    vcol = (A * valid).sum(0) / valid.sum(0)
    means["vertical"] = float(vcol.max())
    means["vertical_key"] = int(np.argmax(vcol))
    return means


def rollout(att: np.ndarray) -> np.ndarray:
    """att [L, H, n, n] -> R [n, n] = Ahat_{L-1} ... Ahat_0."""
    L, _, n, _ = att.shape
    R = np.eye(n)
    for l in range(L):
        Abar = att[l].mean(0)
        Ahat = 0.5 * Abar + 0.5 * np.eye(n)
        Ahat = Ahat / Ahat.sum(1, keepdims=True)
        R = Ahat @ R
    return R


def flow(g: dict) -> list[dict]:
    pre, post = g["residual_pre"], g["residual_post"]
    attn, mlp = g["attn_output"], g["mlp_output"]
    L, n, _ = pre.shape
    out = []
    for l in range(L):
        prev = pre[0] if l == 0 else post[l - 1]
        f = {"cos": [], "information_loss": [], "relative_update": [], "attention_share": [], "ffn_share": []}
        for q in range(n):
            x, y = prev[q], post[l][q]
            c = float(np.dot(x, y) / (np.linalg.norm(x) * np.linalg.norm(y)))
            na, nm = float(np.linalg.norm(attn[l][q])), float(np.linalg.norm(mlp[l][q]))
            assert na + nm > 0
            s = na / (na + nm)
            f["cos"].append(c)
            f["information_loss"].append(1.0 - c)
            f["relative_update"].append(float(np.linalg.norm(y - x) / np.linalg.norm(x)))
            f["attention_share"].append(s)
            f["ffn_share"].append(1.0 - s)
        out.append(f)
    return out


# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------


def check_against_stored(g: dict, stored: dict, name: str):
    for key in ("residual_pre", "attn_output", "mlp_output", "attentions"):
        ref = np.asarray(stored[key], dtype=np.float64)
        absd = float(np.abs(g[key] - ref).max())
        rel = float((np.abs(g[key] - ref) / (1e-6 + np.abs(ref))).max())
        assert absd < 1e-7 or rel < 1e-7, (name, key, absd, rel)


def check_inputs(g: dict, window_of_layer):
    att = g["attentions"]
    L, H, n, _ = att.shape
    assert np.abs(att.sum(-1) - 1.0).max() < 1e-12
    assert (np.triu(att, 1) == 0).all()
    for l in range(L):
        w = window_of_layer(l)
        for q in range(n):
            for k in range(q + 1):
                inside = w is None or q - k < w
                assert ((att[l, :, q, k] > 0) if inside else (att[l, :, q, k] == 0)).all(), (l, q, k)
    for l in range(L):
        np.testing.assert_allclose(g["residual_post"][l], g["residual_pre"][l] + g["attn_output"][l]
                                   + g["mlp_output"][l], rtol=0, atol=1e-12)


def cross_check(att: np.ndarray, heads: list):
    worst = 0.0
    for l, layer in enumerate(heads):
        for h, head in enumerate(layer):
            v = head_metrics_vectorised(att[l, h])
            assert v["vertical_key"] == head["vertical_key"]
            for m in ROW_METRICS + ["vertical"]:
                worst = max(worst, abs(v[m] - head[m]))
    assert worst < 1e-13, worst
    return worst


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------


def rnd(x):
    if x is None:
        return None
    if isinstance(x, (int, np.integer)) and not isinstance(x, bool):
        return int(x)
    if isinstance(x, str):
        return x
    return float(f"{float(x):.{DIGITS}g}")


def rl(x):
    if isinstance(x, np.ndarray):
        x = x.tolist()
    if isinstance(x, (list, tuple)):
        return [rl(v) for v in x]
    if isinstance(x, dict):
        return {k: rl(v) for k, v in x.items()}
    return rnd(x)


def run_model(fixtures: Path, name: str) -> tuple[dict, list]:
    stored = json.loads((fixtures / "golden" / f"{name}.json").read_text())
    model = AutoModelForCausalLM.from_pretrained(
        str(fixtures / "models" / name), attn_implementation="eager", dtype=torch.float32
    )
    model = model.double().eval()
    cfg = model.config

    def window_of_layer(l):
        if cfg.model_type == "gemma3_text" and cfg.layer_types[l] == "sliding_attention":
            return cfg.sliding_window
        return None

    cases, summary = [], []
    with torch.no_grad(), mf.true_float64(model):
        for p in stored["prompts"]:
            ids = list(p["ids"])
            g = mf.run_golden(model, ids)
            check_against_stored(g, p, name)
            check_inputs(g, window_of_layer)
            att = g["attentions"]
            L, H, n, _ = att.shape
            heads, extra = [], []
            for l in range(L):
                hl, el = [], []
                for h in range(H):
                    hm, ex = head_metrics(att[l, h])
                    hl.append(hm)
                    el.append(ex)
                heads.append(hl)
                extra.append(el)
            worst = cross_check(att, heads)
            # margins: every threshold test and the vertical argmax
            min_margin = float("inf")
            for l in range(L):
                for h in range(H):
                    ms = extra[l][h]["margins"]
                    mm = min(min(ms.values()), extra[l][h]["vertical_gap"])
                    assert mm >= MARGIN_MIN, (name, n, l, h, ms, extra[l][h]["vertical_gap"])
                    min_margin = min(min_margin, mm)
                    summary.append((n, l, h, heads[l][h], ms, extra[l][h]["vertical_gap"]))
            R = rollout(att)
            assert np.abs(R.sum(1) - 1).max() < 1e-12 and (np.triu(R, 1) == 0).all()
            fl = flow(g)
            lr, hr = ROWS_SITE
            rows = {"layer": lr, "head": hr, **{m: extra[lr][hr]["rows"][m] for m in
                                                 ("entropy", "normalized_entropy", "sparsity", "locality", "focus",
                                                  "uniformity", "diagonal")}}
            key_order = ["entropy", "normalized_entropy", "sparsity", "locality", "focus", "first_token",
                         "previous_token", "self", "diagonal", "uniformity", "vertical", "vertical_key", "class"]
            cases.append({
                "ids": ids,
                "heads": [[{k: rl(hm[k]) for k in key_order} for hm in hl] for hl in heads],
                "rows": rl(rows),
                "rollout": rl(R),
                "flow": rl(fl),
            })
            log(f"{name} n={n}: vectorised cross-check {worst:.1e}, smallest class margin {min_margin:.3e}")
    doc = {
        "model": name,
        "reference": "tools/references/make_metrics_fixtures.py: independent numpy float64 reference written from "
        "analyses.md sections 1, 2 and 4 (admissible keys k <= q, head value = mean over rows q >= 1, sparsity "
        "eps 0.01 strict, diagonal width 2, vertical = max_k mean_{q>=max(k,1)} A[q,k], rollout 0.5 A + 0.5 I "
        "renormalised, R = Ahat_{L-1}...Ahat_0; flow prev = embeddings for layer 0); forward pass = transformers in "
        "true float64",
        "float_digits": DIGITS,
        "cases": cases,
    }
    return doc, summary


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fixtures", default=str(mf.REPO / "Tests" / "Fixtures"))
    args = ap.parse_args()
    fixtures = Path(args.fixtures).resolve()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    for name in MODELS:
        doc, summary = run_model(fixtures, name)
        path = fixtures / "golden" / f"metrics-{name}.json"
        mf.dump_compact(path, doc)
        size = path.stat().st_size
        assert size < MAX_BYTES, (path, size)
        log(f"{size:>9}  {path.relative_to(fixtures)}")
        for n, l, h, hm, ms, gap in summary:
            log(f"   n={n:>2} L{l} H{h}: {hm['class']:<15} first {hm['first_token']:.4f} prev "
                f"{hm['previous_token']:.4f} diag {hm['diagonal']:.4f} vert {hm['vertical']:.4f}@{hm['vertical_key']} "
                f"unif {hm['uniformity']:.4f} sparse {hm['sparsity']:.4f} | min margin {min(ms.values()):.2e} "
                f"({min(ms, key=ms.get)}), vertical gap {gap:.2e}")


if __name__ == "__main__":
    main()
