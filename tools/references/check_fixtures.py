#!/usr/bin/env python3
"""Check the committed fixtures independently of transformers.

Re-computes every golden model output with a plain numpy float64 forward pass that reads only
model.safetensors + config.json (no torch, no transformers), and re-tokenizes the golden texts with
the `tokenizers` library reading only tokenizer.json. It doubles as a compact, readable statement of
the math the Swift implementation must match (GPT-2 and Llama/Qwen2/Qwen3/Phi-3 blocks, GQA, RoPE with Llama 3
scaling, rotate-half layout, partial rotary dimensions, q/k norms, fused projections, a sliding window).

Usage:
    .venv-fixtures/bin/python tools/references/check_fixtures.py [--fixtures Tests/Fixtures]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

REPO = Path(__file__).resolve().parents[2]  # tools/references/ → the repository root


def layer_norm(x, w, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def rms_norm(x, w, eps):
    return x / np.sqrt((x * x).mean(-1, keepdims=True) + eps) * w


def gelu_new(x):
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)))


def silu(x):
    return x / (1.0 + np.exp(-x))


def softmax(x):
    x = x - x.max(-1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(-1, keepdims=True)


def causal_attention(q, k, v, window=None):
    """q: [H, n, hd], k/v: [H, n, hd] (already expanded for GQA) -> probs [H, n, n], out [n, H*hd].
    With a window, query i sees keys j with i - window < j <= i."""
    H, n, hd = q.shape
    s = q @ k.transpose(0, 2, 1) / math.sqrt(hd)
    i, j = np.arange(n)[:, None], np.arange(n)[None, :]
    allowed = j <= i
    if window is not None:
        allowed &= i - j < window
    s = np.where(allowed, s, -np.inf)
    p = softmax(s)
    return p, (p @ v).transpose(1, 0, 2).reshape(n, H * hd)


def rope_inv_freq(head_dim, rp):
    theta = float(rp["rope_theta"])
    inv = 1.0 / theta ** (np.arange(0, head_dim, 2, dtype=np.float64) / head_dim)
    if rp.get("rope_type", "default") == "llama3":
        factor, lo, hi = float(rp["factor"]), float(rp["low_freq_factor"]), float(rp["high_freq_factor"])
        old = float(rp["original_max_position_embeddings"])
        wavelen = 2 * math.pi / inv
        smooth = (old / wavelen - lo) / (hi - lo)
        mid = (1 - smooth) * inv / factor + smooth * inv
        inv = np.where(wavelen < old / hi, inv, np.where(wavelen > old / lo, inv / factor, mid))
    else:
        assert rp.get("rope_type", "default") == "default", rp
    return inv


def apply_rope(x, pos, inv):
    """x: [heads, n, hd]; rotate-half layout over the first 2·len(inv) dims (pairs (i, i + len(inv))), the rest
    pass through (Phi-3's partial rotary factor)."""
    ang = pos[:, None] * inv[None, :]  # [n, rot/2]
    cos = np.concatenate([np.cos(ang)] * 2, -1)
    sin = np.concatenate([np.sin(ang)] * 2, -1)
    half = len(inv)
    r, rest = x[..., : 2 * half], x[..., 2 * half :]
    rot = np.concatenate([-r[..., half:], r[..., :half]], -1)
    return np.concatenate([r * cos + rot * sin, rest], -1)


def forward_gpt2(w, cfg, ids):
    d, H, L = cfg["n_embd"], cfg["n_head"], cfg["n_layer"]
    hd, eps = d // H, cfg["layer_norm_epsilon"]
    n = len(ids)
    p = "transformer."
    x = w[p + "wte.weight"][ids] + w[p + "wpe.weight"][np.arange(n)]
    rec = {k: [] for k in ("residual_pre", "residual_mid", "residual_post", "attn_output", "mlp_output",
                           "attentions", "ffn_pre", "ffn_post", "values")}
    for i in range(L):
        b = f"{p}h.{i}."
        rec["residual_pre"].append(x)
        h = layer_norm(x, w[b + "ln_1.weight"], w[b + "ln_1.bias"], eps)
        qkv = h @ w[b + "attn.c_attn.weight"] + w[b + "attn.c_attn.bias"]  # Conv1D: weight is [in, out]
        q, k, v = qkv[:, :d], qkv[:, d : 2 * d], qkv[:, 2 * d :]
        rec["values"].append(v)
        heads = lambda t: t.reshape(n, H, hd).transpose(1, 0, 2)  # noqa: E731
        probs, o = causal_attention(heads(q), heads(k), heads(v))
        a = o @ w[b + "attn.c_proj.weight"] + w[b + "attn.c_proj.bias"]
        rec["attentions"].append(probs)
        rec["attn_output"].append(a)
        x = x + a
        rec["residual_mid"].append(x)
        h = layer_norm(x, w[b + "ln_2.weight"], w[b + "ln_2.bias"], eps)
        f = h @ w[b + "mlp.c_fc.weight"] + w[b + "mlp.c_fc.bias"]
        g = gelu_new(f)
        m = g @ w[b + "mlp.c_proj.weight"] + w[b + "mlp.c_proj.bias"]
        rec["ffn_pre"].append(f)
        rec["ffn_post"].append(g)
        rec["mlp_output"].append(m)
        x = x + m
        rec["residual_post"].append(x)
    fin = layer_norm(x, w[p + "ln_f.weight"], w[p + "ln_f.bias"], eps)
    head = w.get("lm_head.weight", w[p + "wte.weight"])
    return rec, fin, fin @ head.T


def forward_llama(w, cfg, ids):
    d, H, KV, L = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["num_hidden_layers"]
    hd = cfg.get("head_dim") or d // H
    eps = cfg["rms_norm_eps"]
    rp = cfg["rope_parameters"]
    inv = rope_inv_freq(int(hd * rp.get("partial_rotary_factor", 1.0)), rp)
    window = cfg.get("sliding_window") if cfg["model_type"] == "phi3" else None
    ffn = cfg["intermediate_size"]
    n = len(ids)
    pos = np.arange(n, dtype=np.float64)
    x = w["model.embed_tokens.weight"][ids]
    rec = {k: [] for k in ("residual_pre", "residual_mid", "residual_post", "attn_output", "mlp_output",
                           "attentions", "ffn_pre", "ffn_post", "values")}

    def lin(t, name):
        y = t @ w[name + ".weight"].T  # nn.Linear: weight is [out, in]
        return y + w[name + ".bias"] if name + ".bias" in w else y

    for i in range(L):
        b = f"model.layers.{i}."
        rec["residual_pre"].append(x)
        h = rms_norm(x, w[b + "input_layernorm.weight"], eps)
        if b + "self_attn.qkv_proj.weight" in w:  # Phi-3: rows q, k, v
            qkv = lin(h, b + "self_attn.qkv_proj")
            q, k, v_flat = qkv[:, : H * hd], qkv[:, H * hd : (H + KV) * hd], qkv[:, (H + KV) * hd :]
        else:
            q, k, v_flat = (lin(h, b + f"self_attn.{x}_proj") for x in "qkv")
        q, k = q.reshape(n, H, hd), k.reshape(n, KV, hd)
        if b + "self_attn.q_norm.weight" in w:  # Qwen3: per-head RMSNorm before RoPE
            q = rms_norm(q, w[b + "self_attn.q_norm.weight"], eps)
            k = rms_norm(k, w[b + "self_attn.k_norm.weight"], eps)
        q, k = q.transpose(1, 0, 2), k.transpose(1, 0, 2)
        rec["values"].append(v_flat)
        v = v_flat.reshape(n, KV, hd).transpose(1, 0, 2)
        q, k = apply_rope(q, pos, inv), apply_rope(k, pos, inv)
        group = H // KV  # query head j reads kv head j // group
        k, v = np.repeat(k, group, axis=0), np.repeat(v, group, axis=0)
        probs, o = causal_attention(q, k, v, window)
        a = lin(o, b + "self_attn.o_proj")
        rec["attentions"].append(probs)
        rec["attn_output"].append(a)
        x = x + a
        rec["residual_mid"].append(x)
        h = rms_norm(x, w[b + "post_attention_layernorm.weight"], eps)
        if b + "mlp.gate_up_proj.weight" in w:  # Phi-3: rows gate, then up
            gate, up = np.split(lin(h, b + "mlp.gate_up_proj"), [ffn], axis=-1)
        else:
            gate, up = lin(h, b + "mlp.gate_proj"), lin(h, b + "mlp.up_proj")
        act = silu(gate) * up
        m = lin(act, b + "mlp.down_proj")
        rec["ffn_pre"].append(gate)
        rec["ffn_post"].append(act)
        rec["mlp_output"].append(m)
        x = x + m
        rec["residual_post"].append(x)
    fin = rms_norm(x, w["model.norm.weight"], eps)
    head = w["lm_head.weight"] if "lm_head.weight" in w else w["model.embed_tokens.weight"]
    if cfg.get("tie_word_embeddings"):
        assert "lm_head.weight" not in w
    return rec, fin, fin @ head.T


def check_model(fx: Path, name: str) -> float:
    d = fx / "models" / name
    cfg = json.loads((d / "config.json").read_text())
    w = {k: v.astype(np.float64) for k, v in load_file(str(d / "model.safetensors")).items()}
    golden = json.loads((fx / "golden" / f"{name}.json").read_text())
    fwd = forward_gpt2 if cfg["model_type"] == "gpt2" else forward_llama
    worst = 0.0
    for p in golden["prompts"]:
        rec, fin, logits = fwd(w, cfg, np.array(p["ids"]))
        ours = {k: np.stack(v) for k, v in rec.items()}
        ours["final_normed"] = fin
        ours["logits"] = logits
        for key, val in ours.items():
            if key not in p:  # residual_mid / residual_post are not stored (rebuilt from the parts)
                continue
            g = np.array(p[key], dtype=np.float64)
            assert g.shape == val.shape, (name, key, g.shape, val.shape)
            err = float((np.abs(g - val) / np.maximum(1.0, np.abs(val))).max())
            worst = max(worst, err)
            if err > 1e-7 * (10 ** max(0, 9 - int(golden.get('float_digits', 9)))):
                raise SystemExit(f"{name} n={len(p['ids'])} {key}: max scaled error {err:.2e}")
    print(f"{name}: {len(golden['prompts'])} prompts, all arrays match numpy float64 (max scaled err {worst:.1e})")
    return worst


def check_tokenization(fx: Path):
    golden = json.loads((fx / "golden" / "tokenization.json").read_text(encoding="utf-8"))
    dirs = {"gpt2": "models/tiny-gpt2", "llama3": "models/tiny-llama", "qwen2": "models/tiny-qwen2",
            "smollm": "tokenizers/smollm"}
    for name, entries in golden.items():
        tok = Tokenizer.from_file(str(fx / dirs[name] / "tokenizer.json"))
        for e in entries:
            ids = tok.encode(e["text"]).ids
            assert ids == e["ids"], (name, e["text"], ids, e["ids"])
            assert tok.decode(ids, skip_special_tokens=False) == e["decoded"], (name, e["text"])
        print(f"tokenization {name}: {len(entries)} texts match tokenizer.json")
    vm = json.loads((fx / "golden" / "tokenization_vocab_merges.json").read_text(encoding="utf-8"))
    assert [e["ids"] for e in vm["gpt2"]] == [e["ids"] for e in golden["gpt2"]]
    print("tokenization_vocab_merges gpt2: identical to tokenizer.json ids")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fixtures", default=str(REPO / "Tests" / "Fixtures"))
    args = ap.parse_args()
    fx = Path(args.fixtures)
    check_tokenization(fx)
    for name in ("tiny-gpt2", "tiny-llama", "tiny-qwen2", "tiny-qwen3", "tiny-phi3"):
        check_model(fx, name)
    total = sum(p.stat().st_size for p in fx.rglob("*") if p.is_file())
    print(f"fixtures total {total / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
