#!/usr/bin/env python3
"""Golden fixtures for Glassbox's explainer evaluation (docs/analyses.md §7).

Usage (from the repository root, with the environment of tools/references/requirements.txt):
    .venv-fixtures/bin/python tools/references/make_evaluation_fixtures.py [--fixtures Tests/Fixtures]

Writes Tests/Fixtures/golden/evaluation-<model>.json for tiny-gpt2, tiny-llama and tiny-gemma3: for the second prompt
of Tests/Fixtures/golden/<model>.json (its stored token ids) and the top-1 logit after the last position, the scores
of the six explainers, their deletion and insertion curves with areas, comprehensiveness and sufficiency, the same
curves for 8 seeded random orders, the agreement of every pair (Spearman, top-k overlap), the consensus ranking, and
stability (Spearman against 3 seeded noisy copies of E and against a variant prompt with one token changed).

An independent reference written from docs/analyses.md §6-§7 and the definitions pinned below, not from the Swift
code. The model is transformers' own forward in true float64 (make_fixtures.true_float64) fed through inputs_embeds;
the attributions are PyTorch autograd through make_attribution_fixtures.Runner; the contribution graph's weights are
make_contribution_fixtures.analyse (LLM-TT's algorithm, materialised), run on E through a hook on the input embedding
module. Reductions in float64; floats written with 10 significant digits. Deterministic.

Definitions pinned here (docs/analyses.md §7):
- f: the logit z_y of the top-1 token y after the last position q = n - 1. E (n x d) the input embeddings of §6.
  The baseline row: zero (every perturbation, integrated gradients and occlusion).
- explainers: saliency ||df/de_t||_2, gradxinput sum_j (df/de_t)_j e_tj, ig (midpoint rule, m = 32, zero baseline),
  occlusion f(E) - f(E with row t the baseline row), attention-gradient sum_l sum_q mean_h ReLU(A * df/dA), and
  contribution-share: with M_l[q, k] = sum_h w_l[q, k, h] + [k = q] r_l[q] (the raw attention-edge weights summed
  over heads plus the residual weight of layer l; the FFN block keeps every token on itself, so it is the identity at
  token level), R = M_{L-1} ... M_0 and score_k = R[q, k].
- order of a score vector: positions by decreasing score, equal scores by increasing position.
- deletion curve D_k = f(E with the rows of the first k positions of the order replaced by the baseline row),
  insertion curve I_k = f(baseline rows with the first k positions restored to E), k = 0 ... n; AUC by the trapezoid
  rule over k / n: sum_{k=1..n} (y_{k-1} + y_k) / (2 n).
- comprehensiveness at p % = D_0 - D_c, sufficiency = D_0 - I_c, c = ceil(p n / 100), p = 10, 20, 50.
- random orders: for seed s in 1 ... 8, SplitMix64(s) and Fisher-Yates from the identity: for i = n-1 down to 1,
  j = next() mod (i + 1), swap(i, j).
- Spearman: the Pearson correlation of average ranks (ties share the mean rank); undefined (null) for a constant
  vector. Top-k overlap |top_k(a) & top_k(b)| / k with top_k the first k of the order, k = ceil(20 % n).
- consensus: the mean over explainers of normalised ranks (average rank - 1) / (n - 1) (1 = highest score); its
  order as above; each explainer's Spearman against the consensus scores.
- noise: mu = mean_t ||e_t||_2 over the prompt; copy s (seeds 1001, 1002, 1003) is E + sigma mu Z with sigma = 0.05
  and Z standard normal per coordinate in row-major order, each from SplitMix64(seed) uniforms u = (next() >> 11)
  2^-53 taken in pairs (u1, u2): sqrt(-2 ln(1 - u1)) cos(2 pi u2). Stability: Spearman between the explainer's
  scores on E and on the copy (each explainer recomputed on the copy, f for the same target token and position).
- variant: the prompt with the token at position 1 replaced by (id + 1) mod V; Spearman as for the copies.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_attribution_fixtures as maf  # noqa: E402
import make_contribution_fixtures as mcf  # noqa: E402
import make_fixtures as mf  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

MODELS = ["tiny-gpt2", "tiny-llama", "tiny-gemma3"]
METHODS = ["saliency", "gradxinput", "ig", "occlusion", "attention-gradient", "contribution-share"]
GENERATOR = "tools/references/make_evaluation_fixtures.py"
PROMPT = 1  # the second stored prompt (19-21 tokens)
STEPS = 32
RANDOM_SEEDS = list(range(1, 9))
NOISE_SEEDS = [1001, 1002, 1003]
SIGMA = 0.05
FRACTIONS = [10, 20, 50]
DIGITS = 10
MAX_BYTES = 200_000
MASK = (1 << 64) - 1
log = mf.log


# ---------------------------------------------------------------------------
# Seeded numbers
# ---------------------------------------------------------------------------


class SplitMix64:
    def __init__(self, seed: int):
        self.state = seed & MASK

    def next(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def unit(self) -> float:
        return (self.next() >> 11) * 2.0**-53


def permutation(n: int, seed: int) -> list[int]:
    g = SplitMix64(seed)
    a = list(range(n))
    for i in range(n - 1, 0, -1):
        j = g.next() % (i + 1)
        a[i], a[j] = a[j], a[i]
    return a


def gaussian(count: int, seed: int) -> np.ndarray:
    g = SplitMix64(seed)
    out = np.empty(count)
    for i in range(count):
        u1 = g.unit()
        u2 = g.unit()
        out[i] = math.sqrt(-2.0 * math.log(1.0 - u1)) * math.cos(2.0 * math.pi * u2)
    return out


# ---------------------------------------------------------------------------
# Rank statistics
# ---------------------------------------------------------------------------


def order_of(s) -> list[int]:
    s = [float(x) for x in s]
    return sorted(range(len(s)), key=lambda t: (-s[t], t))


def average_ranks(s) -> np.ndarray:
    s = np.asarray(s, dtype=np.float64)
    idx = sorted(range(len(s)), key=lambda t: (s[t], t))
    ranks = np.empty(len(s))
    i = 0
    while i < len(idx):
        j = i
        while j + 1 < len(idx) and s[idx[j + 1]] == s[idx[i]]:
            j += 1
        ranks[idx[i : j + 1]] = (i + 1 + j + 1) / 2.0
        i = j + 1
    return ranks


def spearman(a, b):
    ra, rb = average_ranks(a), average_ranks(b)
    ra, rb = ra - ra.mean(), rb - rb.mean()
    va, vb = float((ra * ra).sum()), float((rb * rb).sum())
    if va == 0.0 or vb == 0.0:
        return None
    return float((ra * rb).sum()) / math.sqrt(va * vb)


def overlap(a, b, k: int) -> float:
    return len(set(order_of(a)[:k]) & set(order_of(b)[:k])) / k


def normalised_ranks(s) -> np.ndarray:
    return (average_ranks(s) - 1.0) / (len(s) - 1.0)


def min_gap(s) -> float:
    """Smallest gap between distinct sorted scores relative to their range (how firmly the order is decided)."""
    v = np.sort(np.asarray(s, dtype=np.float64))
    span = float(v[-1] - v[0])
    gaps = np.diff(v)
    return float(gaps.min() / span) if span > 0 and len(gaps) else 0.0


# ---------------------------------------------------------------------------
# Explainers on one input E
# ---------------------------------------------------------------------------


class Explainers:
    def __init__(self, fixtures: Path, name: str):
        self.r = maf.Runner(fixtures, name)
        self.arch = mcf.Arch(self.r.model)

    def contribution_share(self, ids: list[int], E: torch.Tensor, q: int) -> torch.Tensor:
        emb = self.r.model.get_input_embeddings()
        handle = emb.register_forward_hook(lambda mod, args, out: E[None].clone())
        try:
            t = mcf.forward(self.arch, ids)
        finally:
            handle.remove()
        res = mcf.analyse(self.arch, t)
        n = len(ids)
        row = torch.zeros(n, dtype=torch.float64)
        row[q] = 1.0
        for l in reversed(range(self.arch.L)):
            M = torch.zeros(n, n, dtype=torch.float64)
            for qq in range(n):
                for i, k in enumerate(res["keys"][l][qq]):
                    M[qq, k] += res["c_attn"][l][qq][i].sum()
                M[qq, qq] += res["c_res_attn"][l][qq]
            row = row @ M
        return row

    def scores(self, ids: list[int], E: torch.Tensor, case: dict) -> dict:
        r, n, q = self.r, E.shape[0], case["position"]
        run = r.instrumented(E, case)
        g = run["grad_E"]
        B = r.baseline("zero", n)
        fE = run["f"]
        ig = maf.integrated_gradients(r, E, B, STEPS, case)
        occ = maf.occlusion(r, E, B, case, fE)
        R = torch.stack([torch.relu(A * dA).mean(0) for A, dA in zip(run["A"], run["dA"])])
        out = {
            "saliency": g.norm(dim=-1),
            "gradxinput": (g * E).sum(-1),
            "ig": ig,
            "occlusion": occ,
            "attention-gradient": R.sum(dim=(0, 1)),
            "contribution-share": self.contribution_share(ids, E, q),
        }
        return {m: v.detach().clone() for m, v in out.items()}

    def f_batch(self, X: torch.Tensor, case: dict) -> np.ndarray:
        with torch.no_grad():
            return self.r.f(X, case).numpy()


def curves(ex: Explainers, E: torch.Tensor, order: list[int], case: dict) -> tuple[np.ndarray, np.ndarray]:
    n = E.shape[0]
    B = torch.zeros_like(E)
    dele, ins = [], []
    for k in range(n + 1):
        X = E.clone()
        Y = B.clone()
        for t in order[:k]:
            X[t] = B[t]
            Y[t] = E[t]
        dele.append(X)
        ins.append(Y)
    return ex.f_batch(torch.stack(dele), case), ex.f_batch(torch.stack(ins), case)


def auc(y: np.ndarray) -> float:
    n = len(y) - 1
    return float(sum((y[k - 1] + y[k]) / 2.0 for k in range(1, n + 1)) / n)


def faithfulness(ex: Explainers, E: torch.Tensor, order: list[int], case: dict) -> dict:
    n = E.shape[0]
    d, i = curves(ex, E, order, case)
    out = {"order": order, "deletion_curve": d, "insertion_curve": i, "deletion_auc": auc(d), "insertion_auc": auc(i)}
    out["comprehensiveness"] = {str(p): float(d[0] - d[-(-p * n // 100)]) for p in FRACTIONS}
    out["sufficiency"] = {str(p): float(d[0] - i[-(-p * n // 100)]) for p in FRACTIONS}
    return out


# ---------------------------------------------------------------------------
# One model
# ---------------------------------------------------------------------------


def run_model(fixtures: Path, name: str) -> dict:
    stored = json.loads((fixtures / "golden" / f"{name}.json").read_text())
    ex = Explainers(fixtures, name)
    r = ex.r
    ids = stored["prompts"][PROMPT]["ids"]
    n = len(ids)
    V = r.model.config.vocab_size
    variant = list(ids)
    variant[1] = (variant[1] + 1) % V
    with mf.true_float64(r.model):
        E = r.embed(ids)
        with torch.no_grad():
            z = r.logits(E[None])[0, n - 1]
        top2 = torch.topk(z, 2)
        assert float(top2.values[0] - top2.values[1]) > 1e-6, "top-1 near tie"
        case = {"objective": "logit", "position": n - 1, "token": int(top2.indices[0]), "contrast": None}
        scores = ex.scores(ids, E, case)
        fE = r.f_value(E, case)
        fB = r.f_value(torch.zeros_like(E), case)
        k = -(-20 * n // 100)

        methods = {}
        for m in METHODS:
            s = scores[m]
            entry = {"scores": s, "min_gap": min_gap(s)}
            entry.update(faithfulness(ex, E, order_of(s), case))
            methods[m] = entry
        random = [dict(seed=seed, **faithfulness(ex, E, permutation(n, seed), case)) for seed in RANDOM_SEEDS]

        S = [scores[m].tolist() for m in METHODS]
        consensus = np.mean([normalised_ranks(s) for s in S], axis=0)
        agreement = {
            "methods": METHODS,
            "k": k,
            "spearman": [[1.0 if i == j else spearman(S[i], S[j]) for j in range(len(S))] for i in range(len(S))],
            "overlap": [[overlap(S[i], S[j], k) for j in range(len(S))] for i in range(len(S))],
            "consensus": {
                "scores": consensus,
                "order": order_of(consensus),
                "spearman": [spearman(s, consensus) for s in S],
            },
        }

        mu = float(E.norm(dim=-1).mean())
        noise_scores = {m: [] for m in METHODS}
        normals = {}
        for seed in NOISE_SEEDS:
            Z = torch.from_numpy(gaussian(E.numel(), seed)).reshape(E.shape)
            normals[str(seed)] = Z.reshape(-1)[:8]
            copy = ex.scores(ids, E + SIGMA * mu * Z, case)
            for m in METHODS:
                noise_scores[m].append(copy[m])
        Ev = r.embed(variant)
        variant_scores = ex.scores(variant, Ev, case)
        stability = {
            "mean_norm": mu,
            "normals": normals,
            "noise": {m: [spearman(S[i], c.tolist()) for c in noise_scores[m]] for i, m in enumerate(METHODS)},
            "variant": {m: spearman(S[i], variant_scores[m].tolist()) for i, m in enumerate(METHODS)},
            "noise_scores": noise_scores,
            "noise_min_gap": {m: min(min_gap(c) for c in noise_scores[m]) for m in METHODS},
            "variant_scores": variant_scores,
            "variant_min_gap": {m: min_gap(variant_scores[m]) for m in METHODS},
        }
    log(f"{name} n={n} y={case['token']}: f {fE:+.5f}, f(E') {fB:+.5f}; min gaps "
        + ", ".join(f"{m} {methods[m]['min_gap']:.1e}" for m in METHODS))
    for m in METHODS:
        log(f"   {m:<19} deletion AUC {methods[m]['deletion_auc']:+.4f} insertion {methods[m]['insertion_auc']:+.4f}"
            f"; noise rho {[round(x, 3) if x is not None else None for x in stability['noise'][m]]}")
    log(f"   random deletion AUC mean {np.mean([x['deletion_auc'] for x in random]):+.4f}, insertion "
        f"{np.mean([x['insertion_auc'] for x in random]):+.4f}")
    return {
        "model": name,
        "generator": GENERATOR,
        "notes": "float64 transformers fed by inputs_embeds; definitions in the generator's docstring "
        "(docs/analyses.md §7). Zero baseline, IG m = 32, seeds 1..8 for the random orders, noise seeds 1001..1003 "
        "with sigma 0.05 x the mean embedding norm, variant = token 1 replaced by (id + 1) mod V. Floats with 10 "
        "significant digits.",
        "ids": ids,
        "variant": variant,
        "target": {"position": case["position"], "token": case["token"], "objective": "logit"},
        "parameters": {"steps": STEPS, "baseline": "zero", "random_seeds": RANDOM_SEEDS,
                       "noise_seeds": NOISE_SEEDS, "sigma": SIGMA, "fractions": FRACTIONS, "top_k": k},
        "f": fE,
        "f_baseline": fB,
        "methods": methods,
        "random": random,
        "agreement": agreement,
        "stability": stability,
    }


def rl(x):
    if isinstance(x, (torch.Tensor, np.ndarray)):
        x = x.tolist()
    if isinstance(x, (list, tuple)):
        return [rl(v) for v in x]
    if isinstance(x, dict):
        return {k: rl(v) for k, v in x.items()}
    if isinstance(x, (bool, str)) or x is None:
        return x
    if isinstance(x, (int, np.integer)):
        return int(x)
    return float(f"{float(x):.{DIGITS}g}") + 0.0  # + 0.0: no negative zeros in the files


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fixtures", default=str(mf.REPO / "Tests" / "Fixtures"))
    args = ap.parse_args()
    fixtures = Path(args.fixtures).resolve()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    for name in MODELS:
        doc = rl(run_model(fixtures, name))
        path = fixtures / "golden" / f"evaluation-{name}.json"
        mf.dump_compact(path, doc)
        size = path.stat().st_size
        assert size < MAX_BYTES, (path, size)
        log(f"{size:>9}  {path.relative_to(fixtures)}")


if __name__ == "__main__":
    main()
