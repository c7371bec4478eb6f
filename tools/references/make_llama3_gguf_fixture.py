#!/usr/bin/env python3
"""Writes Tests/Fixtures/gguf/tiny-llama3.gguf: the tiny-llama fixture model (Tests/Fixtures/models/tiny-llama,
llama3 RoPE scaling) as a llama-architecture GGUF laid out the way llama.cpp's convert_hf_to_gguf.py writes Llama 3.1
and 3.2 checkpoints:
- q/k projection rows permuted per head (HF row i -> row 2i, HF row i + head_dim/2 -> row 2i + 1), so that llama.cpp
  can rotate adjacent pairs;
- the llama3 frequency scaling as a `rope_freqs.weight` tensor of head_dim/2 float32 factors (theta_i is divided by
  factor_i: 1 for high frequencies, `factor` for low ones, 1 / ((1 - s) / factor + s) in between, with
  s = (original / wavelength - low) / (high - low)), and no rope.scaling.* keys;
- every tensor float32, no tokenizer metadata (the Swift test runs the goldens' token ids).
Also Tests/Fixtures/gguf/bad-rope-freqs.gguf: a stub whose rope_freqs.weight has the wrong length, for the error test.

The Swift test loads it and must reproduce the float64 forward goldens of tiny-llama (Tests/Fixtures/golden/
tiny-llama.json) like the safetensors directory does.

Usage (deterministic; the venv of tools/references/requirements.txt):
    .venv-fixtures/bin/python tools/references/make_llama3_gguf_fixture.py
"""

from __future__ import annotations

import json
import math
import os

import gguf
import numpy as np
from safetensors.numpy import load_file

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
MODEL = os.path.join(ROOT, "Tests", "Fixtures", "models", "tiny-llama")
OUT = os.path.join(ROOT, "Tests", "Fixtures", "gguf", "tiny-llama3.gguf")
BAD = os.path.join(ROOT, "Tests", "Fixtures", "gguf", "bad-rope-freqs.gguf")


def permute(weight: np.ndarray, heads: int) -> np.ndarray:
    """HF rotate-half rows -> llama.cpp's interleaved rows, per head."""
    out_features, in_features = weight.shape
    head_dim = out_features // heads
    return (weight.reshape(heads, 2, head_dim // 2, in_features).swapaxes(1, 2)
            .reshape(out_features, in_features))


def rope_factors(head_dim: int, base: float, p: dict) -> np.ndarray:
    factor, low, high = p["factor"], p["low_freq_factor"], p["high_freq_factor"]
    original = p["original_max_position_embeddings"]
    low_wavelength, high_wavelength = original / low, original / high
    factors = []
    for i in range(0, head_dim, 2):
        wavelength = 2 * math.pi / (1.0 / base ** (i / head_dim))
        if wavelength < high_wavelength:
            factors.append(1.0)
        elif wavelength > low_wavelength:
            factors.append(factor)
        else:
            smooth = (original / wavelength - low) / (high - low)
            factors.append(1 / ((1 - smooth) / factor + smooth))
    return np.array(factors, dtype=np.float32)


def main() -> None:
    config = json.load(open(os.path.join(MODEL, "config.json")))
    weights = load_file(os.path.join(MODEL, "model.safetensors"))
    rope = config["rope_parameters"]
    heads, kv_heads, head_dim = config["num_attention_heads"], config["num_key_value_heads"], config["head_dim"]
    assert rope["rope_type"] == "llama3" and not config["tie_word_embeddings"]

    writer = gguf.GGUFWriter(OUT, arch="llama")
    writer.add_name("tiny-llama3 (Glassbox fixture)")
    writer.add_block_count(config["num_hidden_layers"])
    writer.add_context_length(config["max_position_embeddings"])
    writer.add_embedding_length(config["hidden_size"])
    writer.add_feed_forward_length(config["intermediate_size"])
    writer.add_head_count(heads)
    writer.add_head_count_kv(kv_heads)
    writer.add_key_length(head_dim)
    writer.add_value_length(head_dim)
    writer.add_rope_dimension_count(head_dim)
    writer.add_rope_freq_base(rope["rope_theta"])
    writer.add_layer_norm_rms_eps(config["rms_norm_eps"])

    def tensor(name: str, array: np.ndarray) -> None:
        writer.add_tensor(name, np.ascontiguousarray(array, dtype=np.float32))

    tensor("rope_freqs.weight", rope_factors(head_dim, rope["rope_theta"], rope))
    tensor("token_embd.weight", weights["model.embed_tokens.weight"])
    tensor("output_norm.weight", weights["model.norm.weight"])
    tensor("output.weight", weights["lm_head.weight"])
    names = {
        "input_layernorm.weight": "attn_norm.weight", "self_attn.v_proj.weight": "attn_v.weight",
        "self_attn.o_proj.weight": "attn_output.weight", "post_attention_layernorm.weight": "ffn_norm.weight",
        "mlp.gate_proj.weight": "ffn_gate.weight", "mlp.up_proj.weight": "ffn_up.weight",
        "mlp.down_proj.weight": "ffn_down.weight",
    }
    for i in range(config["num_hidden_layers"]):
        p = f"model.layers.{i}."
        tensor(f"blk.{i}.attn_q.weight", permute(weights[p + "self_attn.q_proj.weight"], heads))
        tensor(f"blk.{i}.attn_k.weight", permute(weights[p + "self_attn.k_proj.weight"], kv_heads))
        for hf, ours in names.items():
            tensor(f"blk.{i}.{ours}", weights[p + hf])
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    print(f"wrote {OUT} ({os.path.getsize(OUT):,} bytes)")

    # A broken one: rope_freqs with 4 factors for 8 pairs (the loader must name the tensor and the shape it wants).
    bad = gguf.GGUFWriter(BAD, arch="llama")
    bad.add_block_count(1)
    bad.add_context_length(64)
    bad.add_embedding_length(64)
    bad.add_feed_forward_length(128)
    bad.add_head_count(4)
    bad.add_head_count_kv(2)
    bad.add_key_length(head_dim)
    bad.add_rope_dimension_count(head_dim)
    bad.add_tensor("rope_freqs.weight", np.ones(4, dtype=np.float32))
    bad.add_tensor("token_embd.weight", np.zeros((4, 64), dtype=np.float32))
    bad.write_header_to_file()
    bad.write_kv_data_to_file()
    bad.write_tensors_to_file()
    bad.close()
    print(f"wrote {BAD} ({os.path.getsize(BAD):,} bytes)")


if __name__ == "__main__":
    main()
