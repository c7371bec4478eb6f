#!/usr/bin/env python3
"""Golden fixtures for Glassbox's gradient attributions (docs/analyses.md §6).

Usage (from the repository root, with the environment of tools/references/requirements.txt, captum included):
    .venv-fixtures/bin/python tools/references/make_attribution_fixtures.py [--fixtures Tests/Fixtures]

Writes Tests/Fixtures/golden/attributions-<model>.json for tiny-gpt2, tiny-llama, tiny-qwen2 and tiny-gemma3: for the
two prompts of Tests/Fixtures/golden/<model>.json (their stored token ids) and four targets per prompt
(logit / logprob / contrast of the top-1 token at the last position, logit of the top-1 token at position n // 2),
the target value f(E), the input embeddings E and the gradient dF/dE, saliency (L2 and L1), gradient x input,
integrated gradients (zero baseline with 32 and 256 midpoint steps, token-3 baseline with 32 steps) with their
baseline value and signed completeness gap, leave-one-out occlusion (zero and token-3 baselines), attention x gradient
per layer and per token, and the gradient flow ||df/dx_t|| at every residual point pre(l), mid(l), post(l).

This is an independent reference written from docs/analyses.md §6 and the fixture brief, not from the Swift code.
The forward pass is transformers' own model in true float64 (make_fixtures.true_float64: RMSNorm, the attention
softmax and RoPE are not rounded to float32), fed through `inputs_embeds`; gradients are PyTorch autograd. Every
number is computed twice, independently:
- saliency, gradient x input and integrated gradients by plain autograd (IG as m separate, unbatched passes) and by
  Captum (Saliency, InputXGradient, IntegratedGradients(method="riemann_middle"), which batches the m passes);
  agreement to 1e-10 is asserted. Captum's midpoint alphas are asserted to be exactly (i - 1/2) / m;
- occlusion by batched plain forward passes and by Captum's FeatureAblation (one feature group per position);
- dF/dA for attention x gradient from retain_grad on the attention probabilities the attention module returns
  (which are the tensor its A @ V product uses) and from the chain rule dF/dA[h] = dF/d(A V)[h] @ V[kv(h)]^T (the
  o_proj / c_proj input gradient and the value projection output);
- dF/dE is also checked against central finite differences on a few coordinates, and the gradient-flow points against
  each other: dF/dpre(0) = dF/dE, dF/dpost(l) = dF/dpre(l+1) = gradient at the FFN branch output, and the values
  post(l) = pre(l) + attention branch + FFN branch.
Reductions in float64. Floats are written with 10 significant digits.
The IG m = 256 zero-baseline relative gap |gap| / |f(E) - f(E')| is printed per model (not asserted): for the RMSNorm
models it is O(1), since f(alpha E) changes by O(1) within alpha < 1e-3 of the all-zero input (RMSNorm of a row of
norm ~alpha), where the midpoint rule puts no point; GPT-2 keeps wpe under the zero baseline and has no such jump.
Deterministic: single-threaded torch, fixed inputs, same bytes on every run.

Definitions pinned here (docs/analyses.md §6):
- f: "logit" z_y at position q, "logprob" log_softmax(z_q)_y, "contrast" z_y - z_b; Gemma 3's z are the soft-capped
  logits its forward returns (final_logit_softcapping).
- e_t (the rows of E, n x d) is what the first layer receives before anything positional: GPT-2 wte[id] (transformers
  adds wpe to inputs_embeds; wpe is held fixed, not attributed, and a zero baseline does not remove it), Llama / Qwen2
  embed[id], Gemma 3 embed[id] * sqrt(d) (its scaled embedding module's output, so inputs_embeds is already scaled).
  Every position is attributed, the first (BOS) included.
- saliency ||df/de_t||_2 and ||.||_1; gradient x input sum_j (df/de_t)_j e_tj.
- IG_t = sum_j (e_t - e'_t)_j (1/m) sum_{i=1..m} (df/dE)(E' + (i - 1/2)/m (E - E'))_tj;
  gap = sum_t IG_t - (f(E) - f(E')) (signed); baselines "zero" (E' = 0) and "token:3" (token 3's input embedding e
  as defined above, at every position).
- occlusion_t = f(E) - f(E with row t replaced by the baseline row).
- attention x gradient: R[l][q,k] = mean_h ReLU(A[l,h][q,k] * df/dA[l,h][q,k]) over the post-softmax probabilities
  A (eager attention; dropout is inactive in eval mode); score_k = sum_l sum_q R[l][q,k].
- gradient flow ||df/dx_t||_2 at pre(l) = the input of block l, mid(l) = pre(l) + attention branch output (after
  o_proj / c_proj; Gemma 3: after post_attention_layernorm), post(l) = mid(l) + FFN branch output (Gemma 3: after
  post_feedforward_layernorm) = pre(l+1); arrays [L][n].
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_fixtures as mf  # noqa: E402  (sets the offline env vars, patches nothing at import)
import torch  # noqa: E402
from captum.attr import FeatureAblation, InputXGradient, IntegratedGradients, Saliency  # noqa: E402
from captum.attr._utils.approximation_methods import approximation_parameters  # noqa: E402
from transformers import AutoModelForCausalLM  # noqa: E402

MODELS = ["tiny-gpt2", "tiny-llama", "tiny-qwen2", "tiny-gemma3"]
GENERATOR = "tools/references/make_attribution_fixtures.py"
DIGITS = 10
BASELINE_TOKEN = 3
IG_RUNS = [("zero", 32), ("zero", 256), (f"token:{BASELINE_TOKEN}", 32)]
OCCLUSION_BASELINES = ["zero", f"token:{BASELINE_TOKEN}"]
TOP_GAP_MIN = 1e-6  # top1 - top2 logit gap that every chosen target token must clear
CAPTUM_TOL = 1e-10  # plain autograd vs Captum
EMBEDS_TOL = 1e-9  # inputs_embeds vs input_ids logits
IG_REL_GAP_MAX = 1e-3  # the Glassbox issue's bound on the m = 256 zero-baseline relative gap (reported, not asserted)
FD_STEP = 1e-5
FD_TOL = 1e-7
MAX_BYTES = 400_000

log = mf.log


# ---------------------------------------------------------------------------
# Model access
# ---------------------------------------------------------------------------


class Runner:
    """A float64 transformers model fed through inputs_embeds, and the residual / attention points of its blocks."""

    def __init__(self, fixtures: Path, name: str):
        self.name = name
        model = AutoModelForCausalLM.from_pretrained(
            str(fixtures / "models" / name), attn_implementation="eager", dtype=torch.float64
        )
        model.eval()
        assert not any(m.training for m in model.modules())
        assert all(p.dtype == torch.float64 for p in model.parameters())
        assert model.config._attn_implementation == "eager"
        self.model = model
        self.type = model.config.model_type
        geo = mf.model_geometry(model)
        self.L, self.d, self.H = geo["n_layers"], geo["d_model"], geo["n_heads"]
        self.Hkv, self.hd = geo["n_kv_heads"], geo["head_dim"]
        if self.type == "gpt2":
            t = model.transformer
            self.blocks = list(t.h)
            self.wte = t.wte.weight
            # (attention module, attention-branch module, FFN-branch module, output projection, value source)
            self.sites = [(b.attn, b.attn, b.mlp, b.attn.c_proj, b.attn.c_attn) for b in t.h]
        else:
            m = model.model
            self.blocks = list(m.layers)
            self.wte = m.embed_tokens.weight
            if self.type == "gemma3_text":
                self.sites = [(b.self_attn, b.post_attention_layernorm, b.post_feedforward_layernorm,
                               b.self_attn.o_proj, b.self_attn.v_proj) for b in m.layers]
            else:
                assert self.type in ("llama", "qwen2"), self.type
                self.sites = [(b.self_attn, b.self_attn, b.mlp, b.self_attn.o_proj, b.self_attn.v_proj)
                              for b in m.layers]
        # the input-embedding scale of docs/analyses.md §6 (Gemma 3: sqrt(d); the others: none)
        self.scale = math.sqrt(self.d) if self.type == "gemma3_text" else 1.0
        if self.type == "gemma3_text":
            emb = model.model.embed_tokens
            assert float(emb.embed_scale) == self.scale == float(model.config.hidden_size) ** 0.5

    # ---- E and f

    def embed(self, ids: list[int]) -> torch.Tensor:
        """[n, d] input embeddings e_t, written from the spec and checked against the model's embedding module."""
        idx = torch.tensor(ids)
        with torch.no_grad():
            e = self.wte[idx].clone() * self.scale if self.scale != 1.0 else self.wte[idx].clone()
            ref = self.model.get_input_embeddings()(idx[None])[0]
        assert torch.equal(e, ref), (self.name, float((e - ref).abs().max()))
        return e

    def baseline(self, spec: str, n: int) -> torch.Tensor:
        if spec == "zero":
            return torch.zeros(n, self.d, dtype=torch.float64)
        assert spec.startswith("token:")
        row = self.embed([int(spec.split(":")[1])])[0]
        return row[None, :].expand(n, self.d).clone()

    def logits(self, E: torch.Tensor) -> torch.Tensor:
        """E [B, n, d] -> logits [B, n, V] (Gemma 3: soft-capped, as the forward returns them)."""
        return self.model(inputs_embeds=E, use_cache=False).logits

    @staticmethod
    def target(z: torch.Tensor, case: dict) -> torch.Tensor:
        """z [B, n, V] -> f [B]."""
        zq = z[:, case["position"], :]
        y = case["token"]
        if case["objective"] == "logit":
            return zq[:, y]
        if case["objective"] == "logprob":
            return torch.log_softmax(zq, dim=-1)[:, y]
        if case["objective"] == "contrast":
            return zq[:, y] - zq[:, case["contrast"]]
        raise ValueError(case["objective"])

    def f(self, E: torch.Tensor, case: dict) -> torch.Tensor:
        """E [B, n, d] -> f [B] (differentiable)."""
        return self.target(self.logits(E), case)

    def f_value(self, E: torch.Tensor, case: dict) -> float:
        with torch.no_grad():
            return float(self.f(E[None], case)[0])

    def grad(self, E: torch.Tensor, case: dict) -> torch.Tensor:
        """df/dE at E [n, d], one plain forward / backward pass."""
        X = E[None].clone().requires_grad_(True)
        (g,) = torch.autograd.grad(self.f(X, case)[0], X)
        return g[0]

    # ---- the instrumented pass: dF/dE, dF/dA and the residual points

    def instrumented(self, E: torch.Tensor, case: dict) -> dict:
        L = self.L
        rec = {k: [None] * L for k in ("pre", "post", "attn_branch", "ffn_branch", "A", "o_in", "v")}
        hooks = []

        def keep(x):
            y = x.clone()
            y.retain_grad()
            return y

        def first(x):
            return x[0] if isinstance(x, (tuple, list)) else x

        def with_first(output, new):
            return (new, *output[1:]) if isinstance(output, (tuple, list)) else new

        for l, (blk, (attn, attn_branch, ffn_branch, o_proj, v_src)) in enumerate(zip(self.blocks, self.sites)):

            def pre_block(mod, args, kwargs, l=l):
                if args:
                    rec["pre"][l] = keep(args[0])
                    return (rec["pre"][l], *args[1:]), kwargs
                rec["pre"][l] = keep(kwargs["hidden_states"])
                return args, {**kwargs, "hidden_states": rec["pre"][l]}

            def post_block(mod, args, output, l=l):
                rec["post"][l] = keep(first(output))
                return with_first(output, rec["post"][l])

            def attn_out(mod, args, output, l=l, same=attn is attn_branch):
                # the probabilities the module returns are the tensor its A @ V product consumed
                A = output[1]
                A.retain_grad()
                rec["A"][l] = A
                if same:
                    rec["attn_branch"][l] = keep(output[0])
                    return (rec["attn_branch"][l], *output[1:])
                return None

            def attn_branch_out(mod, args, output, l=l):
                rec["attn_branch"][l] = keep(first(output))
                return with_first(output, rec["attn_branch"][l])

            def ffn_branch_out(mod, args, output, l=l):
                rec["ffn_branch"][l] = keep(first(output))
                return with_first(output, rec["ffn_branch"][l])

            def o_in(mod, args, l=l):
                rec["o_in"][l] = keep(args[0])
                return (rec["o_in"][l], *args[1:])

            def values(mod, args, output, l=l):
                y = output
                if self.type == "gpt2":
                    y = y[..., 2 * self.d : 3 * self.d]
                rec["v"][l] = y.detach().clone()

            hooks += [
                blk.register_forward_pre_hook(pre_block, with_kwargs=True),
                blk.register_forward_hook(post_block),
                attn.register_forward_hook(attn_out),
                ffn_branch.register_forward_hook(ffn_branch_out),
                o_proj.register_forward_pre_hook(o_in),
                v_src.register_forward_hook(values),
            ]
            if attn is not attn_branch:
                hooks.append(attn_branch.register_forward_hook(attn_branch_out))

        X = E[None].clone().requires_grad_(True)
        try:
            out = self.model(inputs_embeds=X, output_attentions=True, use_cache=False)
        finally:
            for h in hooks:
                h.remove()
        # the attentions transformers reports are the very tensors retained above
        assert len(out.attentions) == L and all(a is b for a, b in zip(out.attentions, rec["A"]))
        fE = self.target(out.logits, case)[0]
        fE.backward()
        n = E.shape[0]
        g = {k: [x.grad[0] for x in rec[k]] for k in ("pre", "post", "attn_branch", "ffn_branch", "A", "o_in")}
        v = {k: [x[0].detach() for x in rec[k]] for k in ("pre", "post", "attn_branch", "ffn_branch", "A")}

        # value identities of the residual stream: pre(0) = e (GPT-2: + wpe), post = pre + attn + ffn = pre(l+1)
        e0 = E + (self.model.transformer.wpe.weight[:n].detach() if self.type == "gpt2" else 0.0)
        assert torch.equal(v["pre"][0], e0), self.name
        for l in range(L):
            mid = v["pre"][l] + v["attn_branch"][l]
            torch.testing.assert_close(v["post"][l], mid + v["ffn_branch"][l], rtol=0, atol=1e-12)
            if l + 1 < L:
                assert torch.equal(v["post"][l], v["pre"][l + 1])
        # gradient identities: dF/dpre(0) = dF/dE, dF/dpost(l) = dF/dpre(l+1) = gradient at the FFN branch output
        gE = X.grad[0]
        torch.testing.assert_close(g["pre"][0], gE, rtol=0, atol=1e-15)
        for l in range(L):
            torch.testing.assert_close(g["ffn_branch"][l], g["post"][l], rtol=0, atol=1e-15)
            if l + 1 < L:
                torch.testing.assert_close(g["post"][l], g["pre"][l + 1], rtol=0, atol=1e-15)
        # causality: nothing after position q moves f
        q = case["position"]
        assert bool((gE[q + 1 :] == 0).all()), self.name
        # dF/dA by the chain rule through A @ V: dF/dA[h] = G[h] @ V[kv(h)]^T
        group = self.H // self.Hkv
        worst_dA = 0.0
        for l in range(L):
            G = g["o_in"][l].reshape(n, self.H, self.hd).transpose(0, 1)  # [H, n, hd]
            V = rec["v"][l][0].reshape(n, self.Hkv, self.hd).transpose(0, 1)  # [Hkv, n, hd]
            V = V.repeat_interleave(group, dim=0)
            dA = G @ V.transpose(1, 2)
            scale = float(g["A"][l].abs().max())
            err = float((dA - g["A"][l]).abs().max())
            assert err <= 1e-12 * max(1.0, scale), (self.name, l, err, scale)
            worst_dA = max(worst_dA, err)
            # masked keys have probability exactly 0
            assert bool((torch.triu(v["A"][l], diagonal=1) == 0).all())
        return {
            "f": float(fE.detach()),
            "logits": out.logits[0].detach(),
            "grad_E": gE.detach().clone(),
            "A": v["A"],
            "dA": g["A"],
            "grad_pre": g["pre"],
            "grad_mid": g["attn_branch"],
            "grad_post": g["post"],
            "worst_dA": worst_dA,
        }


# ---------------------------------------------------------------------------
# The attributions (plain autograd), each cross-checked
# ---------------------------------------------------------------------------


def integrated_gradients(r: Runner, E: torch.Tensor, B: torch.Tensor, m: int, case: dict) -> torch.Tensor:
    """[n] IG scores by the midpoint rule, m separate unbatched gradient passes, summed in float64."""
    total = torch.zeros_like(E)
    for i in range(1, m + 1):
        alpha = (i - 0.5) / m
        total += r.grad(B + alpha * (E - B), case)
    return ((E - B) * (total / m)).sum(-1)


def occlusion(r: Runner, E: torch.Tensor, B: torch.Tensor, case: dict, fE: float) -> torch.Tensor:
    n = E.shape[0]
    X = E[None].repeat(n, 1, 1)
    for t in range(n):
        X[t, t] = B[t]
    with torch.no_grad():
        return fE - r.f(X, case)


def close(a: torch.Tensor, b: torch.Tensor, tol: float, what: str) -> float:
    err = float((a.detach() - b.detach()).abs().max())
    assert err < tol, (what, err)
    return err


def attribute(r: Runner, ids: list[int], case: dict, E: torch.Tensor) -> tuple[dict, dict]:
    n = len(ids)
    q = case["position"]
    run = r.instrumented(E, case)
    fE = run["f"]
    assert abs(fE - r.f_value(E, case)) < 1e-12
    gE = run["grad_E"]
    checks = {}

    # central finite differences on a few coordinates of E (positions 0, q // 2, q; dimensions spread over d)
    fd_err = 0.0
    for t, j in [(0, 1), (q // 2, r.d // 2), (q, r.d - 3), (q, 0)]:
        Ep, Em = E.clone(), E.clone()
        Ep[t, j] += FD_STEP
        Em[t, j] -= FD_STEP
        fd = (r.f_value(Ep, case) - r.f_value(Em, case)) / (2 * FD_STEP)
        fd_err = max(fd_err, abs(fd - float(gE[t, j])))
    assert fd_err < FD_TOL * max(1.0, float(gE.abs().max())), (r.name, case, fd_err)
    checks["fd"] = fd_err

    # saliency and gradient x input, plain and Captum
    sal_l2 = gE.norm(dim=-1)
    sal_l1 = gE.abs().sum(-1)
    gxi = (gE * E).sum(-1)

    def fwd(X):
        return r.f(X, case)

    cg = Saliency(fwd).attribute(E[None].clone().requires_grad_(True), abs=False)[0]
    checks["captum_saliency"] = close(cg, gE, CAPTUM_TOL, "saliency")
    cx = InputXGradient(fwd).attribute(E[None].clone().requires_grad_(True))[0].sum(-1)
    checks["captum_gxi"] = close(cx, gxi, CAPTUM_TOL, "gradxinput")
    # the plain single-pass gradient agrees with the instrumented pass (which holds extra retained tensors)
    checks["plain_grad"] = close(r.grad(E, case), gE, 1e-13, "plain grad")

    ig_out, rel_gaps = [], {}
    for spec, m in IG_RUNS:
        B = r.baseline(spec, n)
        fB = r.f_value(B, case)
        ig = integrated_gradients(r, E, B, m, case)
        gap = float(ig.sum()) - (fE - fB)
        _, alphas_func = approximation_parameters("riemann_middle")
        assert alphas_func(m) == [(i - 0.5) / m for i in range(1, m + 1)]
        attr, delta = IntegratedGradients(fwd, multiply_by_inputs=True).attribute(
            E[None].clone(), baselines=B[None].clone(), n_steps=m, method="riemann_middle",
            return_convergence_delta=True,
        )
        checks[f"captum_ig_{spec}_{m}"] = close(attr[0].sum(-1), ig, CAPTUM_TOL, f"ig {spec} {m}")
        assert abs(float(delta[0]) - gap) < CAPTUM_TOL, (float(delta[0]), gap)
        rel_gaps[(spec, m)] = abs(gap) / abs(fE - fB)
        ig_out.append({"baseline": spec, "steps": m, "scores": ig, "f_baseline": fB, "gap": gap})

    occ_out = []
    for spec in OCCLUSION_BASELINES:
        B = r.baseline(spec, n)
        occ = occlusion(r, E, B, case, fE)
        mask = torch.arange(n)[None, :, None].expand(1, n, r.d).contiguous()
        with torch.no_grad():
            ca = FeatureAblation(fwd).attribute(E[None].clone(), baselines=B[None].clone(), feature_mask=mask)[0]
        assert bool((ca == ca[:, :1]).all())
        checks[f"captum_occlusion_{spec}"] = close(ca[:, 0], occ, 1e-12, f"occlusion {spec}")
        assert bool((occ[q + 1 :].abs() < 1e-12).all())  # positions after q cannot matter
        occ_out.append({"baseline": spec, "scores": occ})

    # attention x gradient
    R = torch.stack([torch.relu(A * dA).mean(0) for A, dA in zip(run["A"], run["dA"])])  # [L, n, n]
    ag_scores = R.sum(dim=(0, 1))
    checks["dA_chain_rule"] = run["worst_dA"]

    flow = {k: torch.stack([x.norm(dim=-1) for x in run[f"grad_{k}"]]) for k in ("pre", "mid", "post")}

    out = {
        "objective": case["objective"],
        "position": q,
        "token": case["token"],
        "contrast": case["contrast"],
        "f": fE,
        "embedding": E,
        "grad_embedding": gE,
        "saliency_l2": sal_l2,
        "saliency_l1": sal_l1,
        "gradxinput": gxi,
        "ig": ig_out,
        "occlusion": occ_out,
        "attention_gradient": {"per_layer": R, "scores": ag_scores},
        "gradient_flow": flow,
    }
    return out, {"checks": checks, "rel_gaps": rel_gaps}


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------


def rnd(x):
    if x is None or isinstance(x, (str, bool)):
        return x
    if isinstance(x, int):
        return x
    return float(f"{float(x):.{DIGITS}g}") + 0.0  # + 0.0: no negative zeros in the files


def rl(x):
    if isinstance(x, torch.Tensor):
        x = x.tolist()
    if isinstance(x, (list, tuple)):
        return [rl(v) for v in x]
    if isinstance(x, dict):
        return {k: rl(v) for k, v in x.items()}
    return rnd(x)


def make_cases(logits: torch.Tensor) -> list[dict]:
    n = logits.shape[0]

    def top2(q):
        vals, idx = torch.topk(logits[q], 2)
        gap = float(vals[0] - vals[1])
        assert gap > TOP_GAP_MIN, ("top-1 / top-2 near tie", q, gap)
        return int(idx[0]), int(idx[1]), gap

    a, b, gap_last = top2(n - 1)
    c, _, gap_mid = top2(n // 2)
    log(f"   top1-top2 gaps: last {gap_last:.3e}, middle {gap_mid:.3e}")
    return [
        {"objective": "logit", "position": n - 1, "token": a, "contrast": None},
        {"objective": "logprob", "position": n - 1, "token": a, "contrast": None},
        {"objective": "contrast", "position": n - 1, "token": a, "contrast": b},
        {"objective": "logit", "position": n // 2, "token": c, "contrast": None},
    ]


def run_model(fixtures: Path, name: str) -> tuple[dict, dict]:
    stored = json.loads((fixtures / "golden" / f"{name}.json").read_text())
    r = Runner(fixtures, name)
    prompts = []
    worst = {}
    with mf.true_float64(r.model):
        for p in stored["prompts"]:
            ids = p["ids"]
            n = len(ids)
            E = r.embed(ids)
            with torch.no_grad():
                z_ids = r.model(torch.tensor([ids]), use_cache=False).logits[0]
                z_emb = r.logits(E[None])[0]
            de = float((z_ids - z_emb).abs().max())
            assert de < EMBEDS_TOL, (name, "inputs_embeds vs input_ids", de)
            ref = torch.tensor(p["logits"], dtype=torch.float64)
            rel = float(((z_emb - ref).abs() / (1e-6 + ref.abs())).max())
            assert float((z_emb - ref).abs().max()) < 1e-7 or rel < 1e-7, (name, "stored golden logits", rel)
            log(f"{name} n={n}: inputs_embeds vs input_ids logits max |d| {de:.1e}")
            cases = []
            for case in make_cases(z_emb):
                out, info = attribute(r, ids, case, E)
                c = info["checks"]
                log(f"   {case['objective']:<8} q={case['position']:>2} y={case['token']:>3}: f {out['f']:+.6f}; "
                    f"worst |captum - plain| {max(v for k, v in c.items() if k.startswith('captum')):.1e}, "
                    f"finite differences {c['fd']:.1e}, dA chain rule {c['dA_chain_rule']:.1e}; IG relative gaps "
                    + ", ".join(f"{s}/{m} {g:.2e}" for (s, m), g in info["rel_gaps"].items()))
                for key, g in info["rel_gaps"].items():
                    if key not in worst or g > worst[key][0]:
                        worst[key] = (g, n, case["objective"], case["position"])
                cases.append(rl(out))
            prompts.append({"ids": ids, "cases": cases})
    doc = {
        "model": name,
        "generator": GENERATOR,
        "notes": "float64 PyTorch autograd through transformers' own forward (true float64, eager attention, fed by "
        "inputs_embeds), cross-checked against Captum 0.9 (Saliency, InputXGradient, IntegratedGradients "
        "riemann_middle, FeatureAblation). f: logit z_y, logprob log_softmax(z)_y or contrast z_y - z_contrast at "
        "position q (Gemma 3: soft-capped logits). embedding e_t = what the first layer receives before anything "
        "positional: GPT-2 wte[id] (wpe added by the model, held fixed, not attributed, kept under a zero baseline), "
        "Llama / Qwen2 embed[id], Gemma 3 embed[id] * sqrt(d). grad_embedding = df/dE; saliency = ||df/de_t|| "
        "(L2, L1); gradxinput = sum_j (df/de_t)_j e_tj. ig: midpoint rule, IG_t = sum_j (e_t - e'_t)_j (1/m) "
        "sum_i df/dE(E' + (i - 1/2)/m (E - E'))_tj, baseline zero or token:3 (token 3's e at every position), "
        "gap = sum_t IG_t - (f - f_baseline). occlusion_t = f - f(row t replaced by the baseline row). "
        "attention_gradient: per_layer[l][q][k] = mean_h ReLU(A * df/dA) over the post-softmax probabilities, "
        "scores[k] = sum_l sum_q. gradient_flow: ||df/dx_t||_2 at pre(l) = block input, mid(l) = pre + attention "
        "branch (Gemma 3: after post_attention_layernorm), post(l) = mid + FFN branch (Gemma 3: after "
        "post_feedforward_layernorm) = pre(l+1). With the zero baseline the RMSNorm models (Llama, Qwen2, Gemma 3) "
        "keep O(1) completeness gaps at any practical m: f(alpha E) jumps within alpha << 1/m of 0 (the RMSNorm of a "
        "near-zero row), which no midpoint is placed in; GPT-2 keeps wpe under the zero baseline and converges. "
        "Floats with 10 significant digits.",
        "prompts": prompts,
    }
    return doc, worst


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fixtures", default=str(mf.REPO / "Tests" / "Fixtures"))
    args = ap.parse_args()
    fixtures = Path(args.fixtures).resolve()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    summary = []
    for name in MODELS:
        doc, worst = run_model(fixtures, name)
        path = fixtures / "golden" / f"attributions-{name}.json"
        mf.dump_compact(path, doc)
        size = path.stat().st_size
        assert size < MAX_BYTES, (path, size)
        log(f"{size:>9}  {path.relative_to(fixtures)}")
        summary.append((name, worst))
    log("worst IG relative completeness gap |gap| / |f(E) - f(E')| per model (n, objective, position):")
    for name, worst in summary:
        for (spec, m), (g, n, obj, q) in worst.items():
            flag = "  EXCEEDS 1e-3" if (spec, m) == ("zero", 256) and g >= IG_REL_GAP_MAX else ""
            log(f"   {name:<12} {spec:<8} m={m:<4} {g:.3e}  (n={n}, {obj}, q={q}){flag}")


if __name__ == "__main__":
    main()
