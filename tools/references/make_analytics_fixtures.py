#!/usr/bin/env python3
"""Golden fixtures for Glassbox's attention analytics: anomalies, logit-lens flips, head clustering and ablation.

Usage (from the repository root, with the environment of tools/references/requirements.txt):
    .venv-fixtures/bin/python tools/references/make_analytics_fixtures.py [--fixtures Tests/Fixtures]

Writes Tests/Fixtures/golden/analytics-<model>.json for tiny-gpt2, tiny-llama and tiny-gemma3: for the two prompts of
Tests/Fixtures/golden/<model>.json (their stored token ids), the four anomaly lists under two parameter sets, the
per-head output norms, the per-position logit-lens flips, a deterministic k-means clustering of the heads and (first
prompt only) the last-position logits of real head-ablation and layer-skip forward passes.

This is an independent reference written from docs/analyses.md (§1, §3 and §4) and the
fixture brief, not from the Swift code. The analytics are plain numpy float64; the inputs (attention patterns,
residual streams, value projections, the o_proj input) come from transformers' own forward pass in true float64
(make_fixtures.true_float64 / run_golden), checked against the committed forward goldens. The ablations are real
transformers forward passes in true float64 with PyTorch hooks, cross-checked against a second mechanism (weight
surgery for heads, the logit lens for skipping the last layer). Floats are written with 10 significant digits.
Deterministic.

Notation: n tokens, L layers, H heads, A[l,h] the post-softmax attention [n][n] (causal); pre[l] = input of layer l,
post[l] = output of layer l (post[L-1] is before the final norm). All math in float64.

Pinned definitions:
- anomalies, two parameter cases per prompt: case 0 = the defaults {high_attention 0.9, include_first_token false,
  uniform_threshold 0.8, uniform_min_row 4, dead_fraction 0.01, outlier_factor 20}; case 1 = "sensitive" parameters
  picked by walking fixed ladders (SENSITIVE_LADDERS, most stringent first) and taking the first value whose list
  meets a small target (high_attention: >= 1 hit on k = 0 and >= 1 hit on k != 0, with include_first_token true;
  uniform: >= 2 heads with uniform_min_row 2; dead: >= 1 head; outlier: >= 3 entries) and whose comparisons all clear
  the margin. Every comparison of both cases is checked for a relative margin |value - threshold| / threshold >= 1e-6
  (a default-case violation would be reported in the log and the file's notes, not hidden).
- high_attention: every (l, h, q, k) with q >= 2, k < q, (k != 0 or include_first_token) and A[l,h][q,k] > threshold
  (strict); grouped by key {"key": k, "hits": [[l, h, q, value], ...]}, hits sorted by (l, h, q), groups by k.
- uniform_attention: per head u = mean over rows q = uniform_min_row..n-1 of 1 - 0.5 sum_{k<=q} |A[q,k] - 1/(q+1)|;
  defined only when n > uniform_min_row; fires when u >= threshold; entries [l, h, u] sorted by (l, h).
- dead_head: o_h(q) = W_O[:, h hd:(h+1) hd] (sum_k A[l,h][q,k] v_{kv(h)}(k)), kv(h) = h // (H / H_kv), v = the
  value projection output (bias included), W_O without its bias and before Gemma's post-attention norm (GPT-2: the
  Conv1D c_proj, whose weight is stored transposed, input rows h hd:(h+1) hd). m(q) = mean over the H heads of
  |o_h(q)|; dead iff |o_h(q)| < dead_fraction m(q) for every q = 0..n-1 (strict); entry [l, h, max_q |o_h(q)| / m(q)].
  head_output_norms [L][H][n] = |o_h(q)|. Checked: the concatenated per-head contexts equal the captured o_proj input
  and sum_h o_h + bias equals the captured o_proj output.
- outlier_activation: x = post[l][q], med = median_j |x_j| (mean of the two middle values for even d); every j with
  |x_j| > outlier_factor med (strict); entry [l, q, j, x_j, |x_j| / med] sorted by (l, q, j).
- lens_flips: per position q, top1[l] = argmax_v of final_norm(post[l][q]) @ W_U (before Gemma's soft-cap, which is
  monotone; ties -> smallest id); final = top1[L-1]; first_layer = min l with top1[l] = final; settled_layer = min l
  with top1[l'] = final for all l' >= l; stays = first_layer == settled_layer. The top-1 logit margin over the
  runner-up is asserted >= 1e-6. (With L = 2, stays is necessarily true.)
- clusters: per head in (layer, head) order, the means over rows q >= 1 of normalized entropy H_q / log(q+1),
  sparsity (fraction of k <= q with A < 0.01), locality 1 / (1 + sum A (q-k)), focus max A, first-token A[q,0],
  previous-token A[q,q-1], self A[q,q], diagonal (sum over q-k <= 2), uniformity (as above, rows q >= 1). k-means with
  k = min(3, heads), SplitMix64 (seed 0x5EED = 24301; u = (next >> 11) 2^-53): first centre floor(u N); next centres
  by D^2 (squared distance to the nearest chosen centre), S = sum D^2; if S == 0 the smallest unchosen index and NO
  draw, else r = u S and the first index whose inclusive cumulative D^2 is > r (fallback: the last index with
  D^2 > 0). Lloyd: assign (squared Euclidean, ties -> lowest centre), recompute centres as member means (empty cluster
  keeps its centre), stop when an assignment pass equals the previous one (the first pass always counts as a change),
  at most 100 passes; "iterations" = number of assignment passes. inertia = sum of squared distances to the own
  centroid. Asserted: every point's nearest and second-nearest centroid differ by >= 1e-6 in squared distance.
- ablation (prompt 0): head (l, h) = a forward pre-hook on o_proj / GPT-2's attn.c_proj zeroing the input columns
  h hd:(h+1) hd at every position (bias kept); layer skip l = a forward hook making the decoder layer return its input
  hidden states. t* = argmax of the baseline last-position logits (model output, i.e. after Gemma's soft-cap);
  delta_logprob = log_softmax(ablated)[t*] - log_softmax(base)[t*].
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_fixtures as mf  # noqa: E402  (sets the offline env vars)
import numpy as np  # noqa: E402
import torch  # noqa: E402
from transformers import AutoModelForCausalLM  # noqa: E402

MODELS = ["tiny-gpt2", "tiny-llama", "tiny-qwen2", "tiny-gemma3"]
DIGITS = 10
MARGIN_MIN = 1e-6
MAX_BYTES = 400_000
SPARSITY_EPS = 0.01
DIAGONAL_WIDTH = 2
K_CLUSTERS = 3
SEED = 0x5EED
MAX_LLOYD = 100
MASK64 = (1 << 64) - 1

DEFAULTS = {
    "high_attention": 0.9,
    "include_first_token": False,
    "uniform_threshold": 0.8,
    "uniform_min_row": 4,
    "dead_fraction": 0.01,
    "outlier_factor": 20,
}
SENSITIVE_LADDERS = {
    "high_attention": [0.9, 0.8, 0.7, 0.6, 0.5, 0.45, 0.4, 0.35, 0.3, 0.25, 0.2, 0.15, 0.1],
    "uniform_threshold": [0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5, 0.45, 0.4, 0.35, 0.3, 0.25, 0.2, 0.15, 0.1],
    "dead_fraction": [0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.05, 1.1, 1.2, 1.3, 1.5, 2.0, 3.0],
    "outlier_factor": [20, 10, 8, 6, 5, 4.5, 4, 3.5, 3, 2.5, 2, 1.5],
}
SENSITIVE_FIXED = {"include_first_token": True, "uniform_min_row": 2}
FEATURES = ["normalized_entropy", "sparsity", "locality", "focus", "first_token", "previous_token", "self",
            "diagonal", "uniformity"]

log = mf.log


# ---------------------------------------------------------------------------
# Margins
# ---------------------------------------------------------------------------


def rel_margin(value: float, threshold: float) -> float:
    return abs(value - threshold) / abs(threshold)


# ---------------------------------------------------------------------------
# Anomalies (naive loops)
# ---------------------------------------------------------------------------


def uniformity_row(a: np.ndarray, q: int) -> float:
    row = a[q, : q + 1]
    return 1.0 - 0.5 * float(np.abs(row - 1.0 / (q + 1)).sum())


def high_attention(att: np.ndarray, threshold: float, include_first: bool):
    L, H, n, _ = att.shape
    groups: dict[int, list] = {}
    worst = float("inf")
    for l in range(L):
        for h in range(H):
            for q in range(2, n):
                for k in range(q):
                    if k == 0 and not include_first:
                        continue
                    v = float(att[l, h, q, k])
                    worst = min(worst, rel_margin(v, threshold))
                    if v > threshold:
                        groups.setdefault(k, []).append([l, h, q, v])
    out = [{"key": k, "hits": groups[k]} for k in sorted(groups)]
    return out, worst


def uniform_attention(att: np.ndarray, threshold: float, min_row: int):
    L, H, n, _ = att.shape
    out, worst = [], float("inf")
    if n <= min_row:
        return out, worst
    for l in range(L):
        for h in range(H):
            u = float(np.mean([uniformity_row(att[l, h], q) for q in range(min_row, n)]))
            worst = min(worst, rel_margin(u, threshold))
            if u >= threshold:
                out.append([l, h, u])
    return out, worst


def dead_heads(norms: np.ndarray, fraction: float):
    """norms [L, H, n] of |o_h(q)|."""
    L, H, n = norms.shape
    out, worst = [], float("inf")
    for l in range(L):
        m = [float(np.mean(norms[l, :, q])) for q in range(n)]
        for h in range(H):
            dead = True
            for q in range(n):
                thr = fraction * m[q]
                worst = min(worst, rel_margin(float(norms[l, h, q]), thr))
                if not norms[l, h, q] < thr:
                    dead = False
            if dead:
                out.append([l, h, max(float(norms[l, h, q]) / m[q] for q in range(n))])
    return out, worst


def outlier_activations(post: np.ndarray, factor: float):
    L, n, d = post.shape
    out, worst = [], float("inf")
    for l in range(L):
        for q in range(n):
            x = post[l, q]
            mags = sorted(abs(float(v)) for v in x)
            med = mags[d // 2] if d % 2 else 0.5 * (mags[d // 2 - 1] + mags[d // 2])
            assert med > 0
            thr = factor * med
            for j in range(d):
                a = abs(float(x[j]))
                worst = min(worst, rel_margin(a, thr))
                if a > thr:
                    out.append([l, q, j, float(x[j]), a / med])
    return out, worst


def anomaly_case(params: dict, att, norms, post):
    ha, m1 = high_attention(att, params["high_attention"], params["include_first_token"])
    ua, m2 = uniform_attention(att, params["uniform_threshold"], params["uniform_min_row"])
    dh, m3 = dead_heads(norms, params["dead_fraction"])
    oa, m4 = outlier_activations(post, params["outlier_factor"])
    case = {"parameters": dict(params), "high_attention": ha, "uniform_attention": ua, "dead_head": dh,
            "outlier_activation": oa}
    margins = {"high_attention": m1, "uniform_attention": m2, "dead_head": m3, "outlier_activation": m4}
    return case, margins


def pick_sensitive(att, norms, post) -> dict:
    """Walk each ladder; the first value meeting the target with all comparisons clear of the margin."""
    params = dict(DEFAULTS)
    params.update(SENSITIVE_FIXED)

    def first(ladder, ok):
        for t in ladder:
            res = ok(t)
            if res:
                return t
        raise SystemExit(f"no ladder value works: {ladder}")

    def ok_high(t):
        ha, m = high_attention(att, t, True)
        keys = [g["key"] for g in ha]
        return m >= MARGIN_MIN and 0 in keys and any(k != 0 for k in keys)

    def ok_uniform(t):
        ua, m = uniform_attention(att, t, params["uniform_min_row"])
        return m >= MARGIN_MIN and len(ua) >= 2

    def ok_dead(t):
        dh, m = dead_heads(norms, t)
        return m >= MARGIN_MIN and len(dh) >= 1

    def ok_outlier(t):
        oa, m = outlier_activations(post, t)
        return m >= MARGIN_MIN and len(oa) >= 3

    params["high_attention"] = first(SENSITIVE_LADDERS["high_attention"], ok_high)
    params["uniform_threshold"] = first(SENSITIVE_LADDERS["uniform_threshold"], ok_uniform)
    params["dead_fraction"] = first(SENSITIVE_LADDERS["dead_fraction"], ok_dead)
    params["outlier_factor"] = first(SENSITIVE_LADDERS["outlier_factor"], ok_outlier)
    return params


# ---------------------------------------------------------------------------
# Head outputs
# ---------------------------------------------------------------------------


def head_outputs(att: np.ndarray, values: np.ndarray, W_O: list, n_kv: int, hd: int):
    """(o [L, H, n, d], ctx [L, n, H*hd]) with o_h(q) = W_O[:, h] (sum_k A[q,k] v_kv(h)(k)), naive loops."""
    L, H, n, _ = att.shape
    group = H // n_kv
    d = W_O[0].shape[0]
    o = np.zeros((L, H, n, d))
    ctx = np.zeros((L, n, H * hd))
    for l in range(L):
        for h in range(H):
            kv = h // group
            v = values[l][:, kv * hd : (kv + 1) * hd]
            W = W_O[l][:, h * hd : (h + 1) * hd]
            for q in range(n):
                c = np.zeros(hd)
                for k in range(q + 1):
                    c += att[l, h, q, k] * v[k]
                ctx[l, q, h * hd : (h + 1) * hd] = c
                o[l, h, q] = W @ c
    return o, ctx


# ---------------------------------------------------------------------------
# Head features and k-means
# ---------------------------------------------------------------------------


def head_features(a: np.ndarray) -> list[float]:
    n = a.shape[0]
    rows = []
    for q in range(1, n):
        r = a[q, : q + 1]
        nz = r[r > 0]
        Hq = float(-(nz * np.log(nz)).sum())
        dist = q - np.arange(q + 1)
        rows.append([
            Hq / math.log(q + 1),
            float((r < SPARSITY_EPS).sum()) / (q + 1),
            1.0 / (1.0 + float((r * dist).sum())),
            float(r.max()),
            float(r[0]),
            float(r[q - 1]),
            float(r[q]),
            float(r[dist <= DIAGONAL_WIDTH].sum()),
            uniformity_row(a, q),
        ])
    return [float(v) for v in np.mean(np.array(rows), axis=0)]


class SplitMix64:
    def __init__(self, seed: int):
        self.state = seed & MASK64

    def next(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def uniform(self) -> float:
        return (self.next() >> 11) * 2.0 ** -53


def sqdist(a, b) -> float:
    return float(sum((x - y) ** 2 for x, y in zip(a, b)))


def kmeans(X: list[list[float]], k: int, seed: int) -> dict:
    N = len(X)
    k = min(k, N)
    rng = SplitMix64(seed)
    seeds = [int(math.floor(rng.uniform() * N))]
    seed_margin = float("inf")
    while len(seeds) < k:
        D2 = [min(sqdist(X[i], X[c]) for c in seeds) for i in range(N)]
        S = sum(D2)
        if S == 0:
            seeds.append(next(i for i in range(N) if i not in seeds))
            continue
        r = rng.uniform() * S
        cum, pick = 0.0, None
        for i in range(N):
            cum += D2[i]
            seed_margin = min(seed_margin, abs(cum - r))
            if cum > r:
                pick = i
                break
        if pick is None:
            pick = max(i for i in range(N) if D2[i] > 0)
        seeds.append(pick)
    centres = [list(X[i]) for i in seeds]
    assign = None
    iterations = 0
    while iterations < MAX_LLOYD:
        new = []
        for i in range(N):
            ds = [sqdist(X[i], c) for c in centres]
            new.append(min(range(k), key=lambda j: (ds[j], j)))
        iterations += 1
        changed = new != assign
        assign = new
        for j in range(k):
            members = [X[i] for i in range(N) if assign[i] == j]
            if members:
                centres[j] = [sum(col) / len(members) for col in zip(*members)]
        if not changed:
            break
    inertia = sum(sqdist(X[i], centres[assign[i]]) for i in range(N))
    gap = float("inf")
    for i in range(N):
        ds = sorted(sqdist(X[i], c) for c in centres)
        if len(ds) > 1:
            gap = min(gap, ds[1] - ds[0])
        assert min(range(k), key=lambda j: (sqdist(X[i], centres[j]), j)) == assign[i]
    return {"k": k, "seeds": seeds, "assignment": assign, "centroids": centres, "inertia": inertia,
            "iterations": iterations, "gap": gap, "seed_margin": seed_margin}


def kmeans_numpy_check(X: np.ndarray, seeds: list[int], assign: list[int], centres: list):
    """Second formulation of Lloyd (vectorised) from the same seeds."""
    C = X[seeds].copy()
    prev = None
    for _ in range(MAX_LLOYD):
        D = ((X[:, None, :] - C[None, :, :]) ** 2).sum(-1)
        a = D.argmin(1)  # first minimum = lowest index on ties
        for j in range(C.shape[0]):
            if (a == j).any():
                C[j] = X[a == j].mean(0)
        if prev is not None and (a == prev).all():
            break
        prev = a
    assert a.tolist() == assign, (a, assign)
    assert np.abs(C - np.array(centres)).max() < 1e-13


# ---------------------------------------------------------------------------
# Model plumbing
# ---------------------------------------------------------------------------


def model_parts(model):
    """(decoder layers, per-layer attention output projection, W_O [d, H*hd] per layer, bias per layer, final norm,
    lm_head)."""
    if model.config.model_type == "gpt2":
        blocks = model.transformer.h
        projs = [b.attn.c_proj for b in blocks]
        W = [p.weight.detach().double().numpy().T.copy() for p in projs]  # Conv1D: y = x @ weight + bias
        final_norm = model.transformer.ln_f
    else:
        blocks = model.model.layers
        projs = [b.self_attn.o_proj for b in blocks]
        W = [p.weight.detach().double().numpy().copy() for p in projs]  # Linear: y = x @ weight.T + bias
        final_norm = model.model.norm
    bias = [None if p.bias is None else p.bias.detach().double().numpy().copy() for p in projs]
    return blocks, projs, W, bias, final_norm, model.lm_head


def check_against_stored(g: dict, stored: dict, name: str):
    for key in ("residual_pre", "attentions", "values", "logits"):
        ref = np.asarray(stored[key], dtype=np.float64)
        absd = float(np.abs(g[key] - ref).max())
        rel = float((np.abs(g[key] - ref) / (1e-6 + np.abs(ref))).max())
        assert absd < 1e-7 or rel < 1e-7, (name, key, absd, rel)


def close_to_stored(x: np.ndarray, ref: np.ndarray, stored_digits: int) -> float:
    """max |x - ref| in units of the stored rounding (half a unit in the last of stored_digits significant digits)."""
    mag = np.abs(ref)
    safe = np.where(mag > 0, mag, 1.0)
    half_ulp = np.where(mag > 0, 0.5 * 10.0 ** (np.floor(np.log10(safe)) - (stored_digits - 1)), 1e-300)
    # a stored 0 must be an exact 0 (or a value that rounds to 0 at float64 noise level)
    return float((np.maximum(np.abs(x - ref) - 1e-15, 0.0) / half_ulp).max())


@torch.no_grad()
def lens_logits(post: np.ndarray, final_norm, lm_head) -> np.ndarray:
    """post [L, n, d] -> [L, n, V] (final norm then LM head, before any soft-cap)."""
    x = torch.from_numpy(post)
    return lm_head(final_norm(x)).numpy()


def softcap(z: np.ndarray, cap):
    return z if cap is None else cap * np.tanh(z / cap)


def lens_flips(lens: np.ndarray):
    L, n, V = lens.shape
    out, worst = [], float("inf")
    for q in range(n):
        top = []
        for l in range(L):
            z = lens[l, q]
            best = 0
            for v in range(1, V):
                if z[v] > z[best]:
                    best = v
            second = max(float(z[v]) for v in range(V) if v != best)
            worst = min(worst, float(z[best]) - second)
            top.append(best)
        final = top[L - 1]
        first_layer = min(l for l in range(L) if top[l] == final)
        settled = min(l for l in range(L) if all(top[m] == final for m in range(l, L)))
        out.append({"position": q, "top1_by_layer": top, "final": final, "first_layer": first_layer,
                    "settled_layer": settled, "stays": first_layer == settled})
    return out, worst


# ---------------------------------------------------------------------------
# Ablation
# ---------------------------------------------------------------------------


@torch.no_grad()
def last_logits(model, ids) -> np.ndarray:
    return model(torch.tensor([ids]), use_cache=False).logits[0, -1].double().numpy().copy()


def log_softmax(z: np.ndarray) -> np.ndarray:
    m = z.max()
    return z - m - math.log(float(np.exp(z - m).sum()))


@torch.no_grad()
def ablation(model, ids, blocks, projs, hd, H, gpt2: bool, lens_last_skip: np.ndarray, cap):
    base = last_logits(model, ids)
    t = int(np.argmax(base))
    lp_base = log_softmax(base)
    heads, layers = [], []
    checks = {"surgery": 0.0, "skip_last_vs_lens": None, "min_abs_delta": float("inf"), "min_logit_change":
              float("inf")}
    for l, proj in enumerate(projs):
        for h in range(H):
            def pre(mod, args, kwargs, h=h):
                if args:
                    x = args[0].clone()
                    x[..., h * hd : (h + 1) * hd] = 0
                    return (x,) + tuple(args[1:]), kwargs
                kw = dict(kwargs)
                x = kw["input"].clone()
                x[..., h * hd : (h + 1) * hd] = 0
                kw["input"] = x
                return args, kw

            handle = proj.register_forward_pre_hook(pre, with_kwargs=True)
            try:
                z = last_logits(model, ids)
            finally:
                handle.remove()
            # second mechanism: zero the head's slice of the projection weight
            w = proj.weight
            saved = w.clone()
            if gpt2:
                w[h * hd : (h + 1) * hd, :] = 0  # Conv1D weight [in, out]
            else:
                w[:, h * hd : (h + 1) * hd] = 0  # Linear weight [out, in]
            try:
                z2 = last_logits(model, ids)
            finally:
                w.copy_(saved)
            checks["surgery"] = max(checks["surgery"], float(np.abs(z - z2).max()))
            delta = float(log_softmax(z)[t] - lp_base[t])
            checks["min_abs_delta"] = min(checks["min_abs_delta"], abs(delta))
            checks["min_logit_change"] = min(checks["min_logit_change"], float(np.abs(z - base).max()))
            heads.append({"layer": l, "head": h, "logits": z, "delta_logprob": delta})
    for l, blk in enumerate(blocks):
        def skip(mod, args, kwargs, output):
            hin = args[0] if args else kwargs["hidden_states"]
            if isinstance(output, tuple):
                return (hin,) + tuple(output[1:])
            assert isinstance(output, torch.Tensor)
            return hin

        handle = blk.register_forward_hook(skip, with_kwargs=True)
        try:
            z = last_logits(model, ids)
        finally:
            handle.remove()
        if l == len(blocks) - 1:
            checks["skip_last_vs_lens"] = float(np.abs(z - softcap(lens_last_skip, cap)).max())
        delta = float(log_softmax(z)[t] - lp_base[t])
        checks["min_abs_delta"] = min(checks["min_abs_delta"], abs(delta))
        checks["min_logit_change"] = min(checks["min_logit_change"], float(np.abs(z - base).max()))
        layers.append({"layer": l, "logits": z, "delta_logprob": delta})
    # hooks all removed: the baseline is unchanged
    assert np.array_equal(last_logits(model, ids), base)
    return {"predicted": t, "base_logits": base, "heads": heads, "layers": layers}, checks


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------


def rl(x):
    if isinstance(x, np.ndarray):
        x = x.tolist()
    if isinstance(x, dict):
        return {k: rl(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [rl(v) for v in x]
    if x is None or isinstance(x, (bool, str)):
        return x
    if isinstance(x, (int, np.integer)):
        return int(x)
    return float(f"{float(x):.{DIGITS}g}")


def run_model(fixtures: Path, name: str):
    stored = json.loads((fixtures / "golden" / f"{name}.json").read_text())
    model = AutoModelForCausalLM.from_pretrained(
        str(fixtures / "models" / name), attn_implementation="eager", dtype=torch.float32
    )
    model = model.double().eval()
    cfg = model.config
    gpt2 = cfg.model_type == "gpt2"
    geo = mf.model_geometry(model)
    L, H, n_kv, hd = geo["n_layers"], geo["n_heads"], geo["n_kv_heads"], geo["head_dim"]
    cap = getattr(cfg, "final_logit_softcapping", None)
    blocks, projs, W_O, bias, final_norm, lm_head = model_parts(model)
    assert all(w.shape == (geo["d_model"], H * hd) for w in W_O)

    metrics_path = fixtures / "golden" / f"metrics-{name}.json"
    metrics = json.loads(metrics_path.read_text()) if metrics_path.exists() else None

    prompts, report = [], []
    with torch.no_grad(), mf.true_float64(model):
        for pi, p in enumerate(stored["prompts"]):
            ids = list(p["ids"])
            cap_in, cap_out = [None] * L, [None] * L
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
            check_against_stored(g, p, name)
            att, post, values = g["attentions"], g["residual_post"], g["values"]
            n = att.shape[2]
            assert post.shape == (L, n, geo["d_model"])
            assert np.abs(att.sum(-1) - 1).max() < 1e-12 and (np.triu(att, 1) == 0).all()

            # head outputs: cross-check against the captured o_proj input / output
            o, ctx = head_outputs(att, values, W_O, n_kv, hd)
            err_in = max(float(np.abs(ctx[l] - cap_in[l]).max()) for l in range(L))
            err_out = max(float(np.abs(o[l].sum(0) + (0 if bias[l] is None else bias[l]) - cap_out[l]).max())
                          for l in range(L))
            assert err_in < 1e-12 and err_out < 1e-12, (err_in, err_out)
            norms = np.linalg.norm(o, axis=-1)  # [L, H, n]
            assert (norms > 0).all()

            # anomalies
            c0, m0 = anomaly_case(DEFAULTS, att, norms, post)
            bad0 = {k: v for k, v in m0.items() if v < MARGIN_MIN}
            sens = pick_sensitive(att, norms, post)
            c1, m1 = anomaly_case(sens, att, norms, post)
            assert all(v >= MARGIN_MIN for v in m1.values()), m1
            for key in ("high_attention", "uniform_attention", "dead_head", "outlier_activation"):
                assert c1[key], (name, pi, key)

            # logit lens
            lens = lens_logits(post, final_norm, lm_head)
            err_lens = float(np.abs(softcap(lens[L - 1], cap) - g["logits"]).max())
            assert err_lens < 1e-12, err_lens
            flips, lens_margin = lens_flips(lens)
            assert lens_margin >= MARGIN_MIN, (name, pi, lens_margin)
            for f in flips:
                assert f["final"] == int(np.argmax(g["logits"][f["position"]]))
            capped_margin = None
            if cap is not None:
                z = np.sort(g["logits"], axis=-1)
                capped_margin = float((z[:, -1] - z[:, -2]).min())

            # clusters
            X = [head_features(att[l, h]) for l in range(L) for h in range(H)]
            if metrics is not None:
                mh = metrics["cases"][pi]["heads"]
                assert metrics["cases"][pi]["ids"] == ids
                worst = max(abs(X[l * H + h][i] - mh[l][h][f]) / max(1e-300, abs(mh[l][h][f])) for l in range(L)
                            for h in range(H) for i, f in enumerate(FEATURES))
                assert worst < 1e-9, worst
            km = kmeans(X, K_CLUSTERS, SEED)
            kmeans_numpy_check(np.array(X), km["seeds"], km["assignment"], km["centroids"])
            assert km["gap"] >= MARGIN_MIN, km["gap"]
            clusters = {"k": km["k"], "seed": SEED, "features": FEATURES, "assignment": km["assignment"],
                        "centroids": km["centroids"], "inertia": km["inertia"], "seeds": km["seeds"],
                        "iterations": km["iterations"]}

            entry = {"ids": ids, "anomalies": [c0, c1], "head_output_norms": norms, "lens_flips": flips,
                     "clusters": clusters}

            abl_checks = None
            if pi == 0:
                lens_skip = lens[L - 2, n - 1] if L >= 2 else None
                abl, abl_checks = ablation(model, ids, blocks, projs, hd, H, gpt2, lens_skip, cap)
                err_base = float(np.abs(abl["base_logits"] - g["logits"][n - 1]).max())
                assert err_base < 1e-12, err_base
                ulps = close_to_stored(abl["base_logits"], np.asarray(p["logits"][n - 1]), stored["float_digits"])
                err_stored = float(np.abs(abl["base_logits"] - np.asarray(p["logits"][n - 1])).max())
                assert ulps <= 1.0 + 1e-6, ulps
                assert abl_checks["surgery"] < 1e-12, abl_checks
                assert abl_checks["skip_last_vs_lens"] < 1e-12, abl_checks
                assert abl_checks["min_abs_delta"] > 0 and abl_checks["min_logit_change"] > 1e-9, abl_checks
                abl_checks.update(base_vs_run_golden=err_base, base_vs_stored=err_stored, stored_half_ulps=ulps)
                entry["ablation"] = abl
            prompts.append(entry)
            report.append(dict(n=n, m0=m0, bad0=bad0, sens=sens, m1=m1, c0=c0, c1=c1, lens_margin=lens_margin,
                               capped_margin=capped_margin, km=km, flips=flips, abl=abl_checks, err_in=err_in,
                               err_out=err_out, err_lens=err_lens))

    warnings = [f"prompt {i}: default-case comparison within {MARGIN_MIN} of its threshold: {r['bad0']}"
                for i, r in enumerate(report) if r["bad0"]]
    doc = {
        "model": name,
        "float_digits": DIGITS,
        "notes": "tools/references/make_analytics_fixtures.py: independent numpy float64 reference written from "
        "analyses.md sections 1, 3 and 4 (definitions pinned in the script's docstring). anomalies[0] = default "
        "parameters, anomalies[1] = sensitive parameters (every list non-empty); every threshold comparison of both "
        "cases is decided by a relative margin >= 1e-6. head_output_norms [L][H][n] = |W_O[:, head] . sum_k A v_kv(h)| "
        "(no o_proj bias, before Gemma's post-attention norm). lens_flips use final norm + LM head of the block "
        "outputs (top-1 logit margin >= 1e-6). clusters: k-means++ with SplitMix64 seed 0x5EED on the 9 head metric "
        "means (rows q >= 1); iterations = assignment passes. ablation (first prompt only): real float64 transformers "
        "passes, last-position logits (after the soft-cap for Gemma), head = zeroed o_proj input "
        "slice, layer = block returns its input." + (" WARNINGS: " + "; ".join(warnings) if warnings else ""),
        "prompts": rl(prompts),
    }
    return doc, report, warnings


def summarize(name: str, report: list):
    for i, r in enumerate(report):
        log(f"  {name} prompt {i} (n={r['n']}): o_h checks in {r['err_in']:.1e} out {r['err_out']:.1e}, "
            f"lens {r['err_lens']:.1e}")
        for tag, c, m in (("default", r["c0"], r["m0"]), ("sensitive", r["c1"], r["m1"])):
            ha = sum(len(gr["hits"]) for gr in c["high_attention"])
            log(f"    {tag:<9} high {ha} hits keys {[gr['key'] for gr in c['high_attention']]}, "
                f"uniform {len(c['uniform_attention'])}, dead {len(c['dead_head'])}, "
                f"outlier {len(c['outlier_activation'])} | min rel margins "
                + ", ".join(f"{k.split('_')[0]} {v:.2e}" for k, v in m.items()))
        s = r["sens"]
        log(f"    sensitive params: high {s['high_attention']}, uniform {s['uniform_threshold']}"
            f" (min_row {s['uniform_min_row']}), dead {s['dead_fraction']}, outlier {s['outlier_factor']}")
        if r["bad0"]:
            log(f"    MARGIN WARNING (default case): {r['bad0']}")
        km = r["km"]
        log(f"    lens top-1 margin {r['lens_margin']:.2e}"
            + (f" (after soft-cap {r['capped_margin']:.2e})" if r["capped_margin"] is not None else "")
            + f", first layers {[f['first_layer'] for f in r['flips']]}")
        log(f"    kmeans seeds {km['seeds']} assignment {km['assignment']} iterations {km['iterations']} inertia "
            f"{km['inertia']:.4f} nearest gap {km['gap']:.2e} seeding margin {km['seed_margin']:.2e}")
        if r["abl"]:
            log(f"    ablation checks {r['abl']}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fixtures", default=str(mf.REPO / "Tests" / "Fixtures"))
    args = ap.parse_args()
    fixtures = Path(args.fixtures).resolve()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    all_warnings = []
    for name in MODELS:
        doc, report, warnings = run_model(fixtures, name)
        path = fixtures / "golden" / f"analytics-{name}.json"
        mf.dump_compact(path, doc)
        size = path.stat().st_size
        assert size < MAX_BYTES, (path, size)
        log(f"{size:>9}  {path.relative_to(fixtures)}")
        summarize(name, report)
        all_warnings += [f"{name} {w}" for w in warnings]
    for w in all_warnings:
        log("WARNING", w)


if __name__ == "__main__":
    main()
