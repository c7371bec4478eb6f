#!/usr/bin/env python3
"""Golden values of Glassbox's checkpoint series (issue 18): every measurement of every committed tiny checkpoint.

Usage (from the repository root, with the environment of tools/references/requirements.txt):
    .venv-fixtures/bin/python tools/references/make_checkpoint_fixtures.py [--fixtures Tests/Fixtures]

Reads the checkpoints Tests/Fixtures/checkpoints/tiny-train/step-*/ (made by scripts/train_checkpoints.py, in the
order of their names) and the prompt set Tests/Fixtures/checkpoints/prompts.txt (one prompt per non-empty line,
tokenized by the checkpoints' own tokenizer.json with the `tokenizers` library: no BOS for this GPT-2 tokenizer), and
writes Tests/Fixtures/golden/checkpoints-tiny-train.json.

An independent reference written from docs/analyses.md (§1, §3, §4) and the issue, not from the Swift code: the
forward passes are transformers' GPT2LMHeadModel in float64 (eager attention), the per-head metrics and classes are
make_metrics_fixtures.head_metrics (naive numpy, row by row), head output norms, anomalies, the logit lens and the
ablation passes are make_analytics_fixtures' functions (naive loops; real float64 forward passes with the head's
c_proj input zeroed, cross-checked by weight surgery). Floats are written with 10 significant digits. Deterministic.

Pinned definitions, per checkpoint, for prompts p with n_p >= 2 tokens, L layers, H heads:
- loss: the mean over every prompt position q = 0..n_p-2 of every prompt (pooled) of
  -log softmax(logits_p[q])[ids_p[q+1]], in nats; "positions" is their count.
- heads, in (layer, head) order: each of the 11 metric means of analyses.md §1 (rows q >= 1) averaged over the
  prompts; class = the most frequent of the prompts' pattern classes (ties to the earlier class in the first-match
  order sink, previous-token, diagonal, vertical, uniform, sparse, mixed), class_prompts = how many prompts had it;
  ablation_nats = the mean over the prompts of |log p_ablated(t*) - log p(t*)| at the last position, t* the unablated
  top-1 token there, the head's output zeroed (its slice of the c_proj input).
- sink_share: the mean over the L*H heads of their first-token share (so the mean over heads and prompts of the
  first-token head means).
- settled_layers: per prompt, at its last position, the first layer l from which the logit lens top-1 of post[l]
  (final norm, then the LM head) equals the final top-1 for every later layer (LensFlip.settledLayer);
  mean_settled_layer is their mean.
- anomaly_counts (analyses.md §3 defaults: high_attention 0.9 without key 0, uniform 0.8 over rows q >= 4, dead 1 %,
  outlier 20x the median), summed over the prompts: high_attention = hits (l, h, q, k); uniform_attention = heads;
  dead_head = heads; outlier_activation = (layer, position, dimension) entries; logit_lens_flip = prompts whose last
  position's prediction appears before the layer it settles at (first_layer != settled_layer).
- redundant_heads: the heads with ablation_nats < 0.01 (analyses.md §4), in (layer, head) order.
- trends (one value per checkpoint): loss, sink_share, max_previous_token (the largest head previous_token),
  mean_normalized_entropy (mean over heads), mean_settled_layer, redundant_heads (their count) and the five anomaly
  counts.
- class_changes: for each pair of consecutive checkpoints, every head whose class differs, as
  {"head": "L<l>H<h>", "from", "to", "from_checkpoint", "to_checkpoint"}; first_to_last: the same between the first
  and the last checkpoint.
Checked margins (so float32 arithmetic cannot flip a decision): every pattern-class threshold test of every head of
every prompt by >= 1e-5 (absolute); the lens top-1 logit over the runner-up by >= 1e-5; every ablation_nats from
0.01 by >= 1e-5; every anomaly comparison by a relative margin >= 1e-5.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_analytics_fixtures as ma  # noqa: E402
import make_fixtures as mf  # noqa: E402  (sets the offline env vars)
import make_metrics_fixtures as mm  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402
from transformers import AutoModelForCausalLM  # noqa: E402

DIGITS = 10
MARGIN = 1e-5
REDUNDANT_NATS = 0.01
METRICS = ["entropy", "normalized_entropy", "sparsity", "locality", "focus", "first_token", "previous_token", "self",
           "diagonal", "uniformity", "vertical"]
CLASS_ORDER = ["sink", "previous-token", "diagonal", "vertical", "uniform", "sparse", "mixed"]
ANOMALY_KINDS = ["high_attention", "uniform_attention", "dead_head", "outlier_activation", "logit_lens_flip"]
TRENDS = ["loss", "sink_share", "max_previous_token", "mean_normalized_entropy", "mean_settled_layer",
          "redundant_heads"] + ANOMALY_KINDS

log = mf.log


def read_prompts(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def log_softmax(z: np.ndarray) -> np.ndarray:
    m = z.max()
    return z - m - np.log(np.exp(z - m).sum())


def vote(classes: list[str]) -> tuple[str, int]:
    """The most frequent class, ties to the earlier one in CLASS_ORDER."""
    counts = {c: classes.count(c) for c in CLASS_ORDER}
    best = max(CLASS_ORDER, key=lambda c: (counts[c], -CLASS_ORDER.index(c)))
    return best, counts[best]


def measure_prompt(model, ids: list[int], parts, margins: dict) -> dict:
    """Every per-prompt measurement of one checkpoint."""
    blocks, projs, W_O, _bias, final_norm, lm_head = parts
    geo = mf.model_geometry(model)
    L, H, hd = geo["n_layers"], geo["n_heads"], geo["head_dim"]
    g = mf.run_golden(model, ids)
    att, post, values, logits = g["attentions"], g["residual_post"], g["values"], g["logits"]
    n = len(ids)
    # loss terms: -log p(ids[q+1]) after position q
    nll = [-float(log_softmax(logits[q])[ids[q + 1]]) for q in range(n - 1)]
    # head metrics and classes
    heads = []
    for l in range(L):
        for h in range(H):
            hm, extra = mm.head_metrics(att[l, h])
            margins["class"] = min(margins["class"], min(extra["margins"].values()))
            heads.append(hm)
    # anomalies at the defaults
    o, _ctx = ma.head_outputs(att, values, W_O, geo["n_kv_heads"], hd)
    norms = np.linalg.norm(o, axis=-1)
    case, m = ma.anomaly_case(ma.DEFAULTS, att, norms, post)
    margins["anomaly"] = min(margins["anomaly"], min(m.values()))
    # the logit lens at the last position only
    lens = ma.lens_logits(post[:, n - 1 : n, :].copy(), final_norm, lm_head)  # [L, 1, V]
    flips, lens_margin = ma.lens_flips(lens)
    margins["lens"] = min(margins["lens"], lens_margin)
    flip = flips[0]
    assert flip["final"] == int(np.argmax(logits[n - 1]))
    # zero ablation of every head (and every layer skipped, which the series does not report)
    lens_skip = ma.lens_logits(post[L - 2 : L - 1, n - 1 : n, :].copy(), final_norm, lm_head)[0, 0]
    abl, checks = ma.ablation(model, ids, blocks, projs, hd, H, True, lens_skip, None)
    assert checks["surgery"] < 1e-12 and checks["skip_last_vs_lens"] < 1e-12, checks
    assert abl["predicted"] == flip["final"]
    return {
        "nll": nll,
        "heads": heads,
        "counts": {
            "high_attention": sum(len(group["hits"]) for group in case["high_attention"]),
            "uniform_attention": len(case["uniform_attention"]),
            "dead_head": len(case["dead_head"]),
            "outlier_activation": len(case["outlier_activation"]),
            "logit_lens_flip": 0 if flip["stays"] else 1,
        },
        "settled_layer": flip["settled_layer"],
        "ablation": [abs(e["delta_logprob"]) for e in abl["heads"]],
    }


def measure_checkpoint(directory: Path, prompts: list[str]) -> tuple[dict, list[list[int]], dict]:
    tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
    token_ids = [tokenizer.encode(p).ids for p in prompts]
    assert all(len(ids) >= 2 for ids in token_ids)
    model = AutoModelForCausalLM.from_pretrained(str(directory), attn_implementation="eager", dtype=torch.float32)
    model = model.double().eval()
    assert model.config.model_type == "gpt2"
    geo = mf.model_geometry(model)
    L, H = geo["n_layers"], geo["n_heads"]
    parts = ma.model_parts(model)
    margins = {"class": float("inf"), "anomaly": float("inf"), "lens": float("inf"), "redundant": float("inf")}
    with torch.no_grad(), mf.true_float64(model):
        per = [measure_prompt(model, ids, parts, margins) for ids in token_ids]
    nll = [x for p in per for x in p["nll"]]
    heads = []
    for i in range(L * H):
        entry = {"layer": i // H, "head": i % H}
        cls, count = vote([p["heads"][i]["class"] for p in per])
        entry["class"], entry["class_prompts"] = cls, count
        for name in METRICS:
            entry[name] = float(np.mean([p["heads"][i][name] for p in per]))
        entry["ablation_nats"] = float(np.mean([p["ablation"][i] for p in per]))
        margins["redundant"] = min(margins["redundant"], abs(entry["ablation_nats"] - REDUNDANT_NATS))
        heads.append(entry)
    settled = [p["settled_layer"] for p in per]
    result = {
        "name": directory.name,
        "layers": L,
        "heads_per_layer": H,
        "loss": float(np.mean(nll)),
        "positions": len(nll),
        "sink_share": float(np.mean([h["first_token"] for h in heads])),
        "settled_layers": settled,
        "mean_settled_layer": float(np.mean(settled)),
        "anomaly_counts": {k: sum(p["counts"][k] for p in per) for k in ANOMALY_KINDS},
        "redundant_heads": [[h["layer"], h["head"]] for h in heads if h["ablation_nats"] < REDUNDANT_NATS],
        "heads": heads,
    }
    assert margins["class"] >= MARGIN and margins["lens"] >= MARGIN and margins["redundant"] >= MARGIN, margins
    assert margins["anomaly"] >= MARGIN, margins
    return result, token_ids, margins


def trend_values(c: dict) -> dict:
    return {
        "loss": c["loss"],
        "sink_share": c["sink_share"],
        "max_previous_token": max(h["previous_token"] for h in c["heads"]),
        "mean_normalized_entropy": float(np.mean([h["normalized_entropy"] for h in c["heads"]])),
        "mean_settled_layer": c["mean_settled_layer"],
        "redundant_heads": len(c["redundant_heads"]),
        **c["anomaly_counts"],
    }


def class_changes(a: dict, b: dict) -> list[dict]:
    return [
        {"head": f"L{x['layer']}H{x['head']}", "from": x["class"], "to": y["class"], "from_checkpoint": a["name"],
         "to_checkpoint": b["name"]}
        for x, y in zip(a["heads"], b["heads"]) if x["class"] != y["class"]
    ]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fixtures", default=str(mf.REPO / "Tests" / "Fixtures"))
    args = ap.parse_args()
    fixtures = Path(args.fixtures).resolve()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    root = fixtures / "checkpoints"
    prompts = read_prompts(root / "prompts.txt")
    directories = sorted(root.glob("tiny-train/step-*"))
    assert len(directories) >= 2, directories
    checkpoints, ids_seen = [], None
    for directory in directories:
        c, token_ids, margins = measure_checkpoint(directory, prompts)
        assert ids_seen is None or ids_seen == token_ids
        ids_seen = token_ids
        checkpoints.append(c)
        log(f"{c['name']}: loss {c['loss']:.4f}, sink {c['sink_share']:.4f}, settled {c['settled_layers']}, "
            f"counts {c['anomaly_counts']}, redundant {len(c['redundant_heads'])}, classes "
            + " ".join(h["class"] for h in c["heads"]) + " | margins "
            + ", ".join(f"{k} {v:.2e}" for k, v in margins.items()))
    trends = {name: [trend_values(c)[name] for c in checkpoints] for name in TRENDS}
    changes = [x for a, b in zip(checkpoints, checkpoints[1:]) for x in class_changes(a, b)]
    doc = {
        "reference": "tools/references/make_checkpoint_fixtures.py: independent float64 reference (transformers "
        "GPT2LMHeadModel in float64, numpy metrics of make_metrics_fixtures, anomalies, lens and ablation of "
        "make_analytics_fixtures) written from analyses.md sections 1, 3 and 4; definitions in its docstring",
        "float_digits": DIGITS,
        "prompts": prompts,
        "token_ids": ids_seen,
        "checkpoints": checkpoints,
        "trends": trends,
        "class_changes": changes,
        "first_to_last": class_changes(checkpoints[0], checkpoints[-1]),
    }
    path = fixtures / "golden" / "checkpoints-tiny-train.json"
    mf.dump_compact(path, ma.rl(doc))
    log(f"{path.stat().st_size:>9}  {path.relative_to(fixtures)}")
    for name, values in trends.items():
        log(f"  {name:<24} " + " ".join(f"{v:.4f}" for v in values))
    for x in changes:
        log(f"  {x['head']}: {x['from']} -> {x['to']} ({x['from_checkpoint']} -> {x['to_checkpoint']})")


if __name__ == "__main__":
    main()
