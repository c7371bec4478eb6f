#!/usr/bin/env python3
"""Build the tiny Qwen3 and Phi-3 fixtures and their float64 forward goldens.

A companion of make_fixtures.py, whose helpers it imports (weight perturbation, the true-float64 patches of
transformers, the hooked golden pass and the golden file format). Deterministic and offline: fixed seeds,
single-threaded torch, no hub access. Re-running it with the pinned environment (tools/references/requirements.txt,
Python 3.11) rewrites byte-identical files. make_fixtures.py clears models/ and golden/, so run this script after it.

Usage:
    .venv-fixtures/bin/python tools/references/make_arch_fixtures.py [--out Tests/Fixtures] [--digits N]

Outputs (under --out):
    models/tiny-qwen3/  config.json, generation_config.json, model.safetensors, tokenizer.json, tokenizer_config.json
    models/tiny-phi3/   the same files
    golden/tiny-qwen3.json, golden/tiny-phi3.json   (the format of golden/tiny-qwen2.json)

Both models use tiny-qwen2's tokenizer files as they are (so its vocabulary size, 704, and its <|endoftext|> id).
tiny-qwen3: per-head q/k RMSNorm, head_dim 32 != hidden_size / heads (as the real Qwen3 checkpoints), tied head.
tiny-phi3: fused qkv_proj and gate_up_proj, partial_rotary_factor 0.5 (Phi-4-mini uses 0.75), a sliding window of 5
that the golden prompts cross, untied head.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import make_fixtures as mf  # sets the offline environment variables before torch and transformers load

import torch  # noqa: E402
import transformers  # noqa: E402
from transformers import Phi3Config, Phi3ForCausalLM, Qwen3Config, Qwen3ForCausalLM  # noqa: E402

TOKENIZER_SOURCE = "tiny-qwen2"
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json")

# Both prompts are longer than tiny-phi3's sliding window of 5 tokens.
MODEL_PROMPTS = {
    "tiny-qwen3": ["The cat sat on the mat.", "We saw 1234 birds\nin 2024."],
    "tiny-phi3": ["The cat sat on the mat.", "We saw 1234 birds\nin 2024."],
}


def specs(vocab_size: int, eot: int) -> list[tuple[str, type, object]]:
    common = dict(
        **mf.TINY_DECODER,  # d 64, ffn 128, 2 layers, 4 heads, 2 KV heads
        vocab_size=vocab_size,
        max_position_embeddings=4096,
        initializer_range=mf.INIT_RANGE,
        bos_token_id=eot,
        eos_token_id=eot,
        pad_token_id=None,  # Phi3Config defaults to 32000, outside this vocabulary
    )
    return [
        (
            "tiny-qwen3",
            Qwen3ForCausalLM,
            Qwen3Config(
                **common,
                head_dim=32,  # != hidden_size / heads, as in Qwen3-0.6B (128 vs 1024 / 16)
                rms_norm_eps=1e-6,
                rope_parameters={"rope_type": "default", "rope_theta": 1000000.0},
                attention_bias=False,
                use_sliding_window=False,
                tie_word_embeddings=True,
            ),
        ),
        (
            "tiny-phi3",
            Phi3ForCausalLM,
            Phi3Config(
                **common,
                original_max_position_embeddings=4096,
                rms_norm_eps=1e-5,
                rope_parameters={"rope_type": "default", "rope_theta": 10000.0, "partial_rotary_factor": 0.5},
                sliding_window=5,
                tie_word_embeddings=False,
            ),
        ),
    ]


def build_models(out: Path):
    source = out / "models" / TOKENIZER_SOURCE
    source_config = json.loads((source / "config.json").read_text(encoding="utf-8"))
    for i, (name, cls, cfg) in enumerate(specs(source_config["vocab_size"], source_config["eos_token_id"])):
        torch.manual_seed(3000 + i)
        cfg._attn_implementation = "eager"
        model = cls(cfg).float().eval()
        mf.perturb(model, 4000 + i)  # every norm weight (q_norm and k_norm included) away from 1
        d = out / "models" / name
        shutil.rmtree(d, ignore_errors=True)
        model.save_pretrained(str(d), safe_serialization=True)
        for file in TOKENIZER_FILES:
            shutil.copyfile(source / file, d / file)
        mf.log(f"model {name}: {sum(p.numel() for p in model.parameters())} params -> {d}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(mf.REPO / "Tests" / "Fixtures"))
    ap.add_argument("--digits", type=int, default=8, help="significant digits of golden floats (0 = full repr)")
    args = ap.parse_args()
    digits = None if args.digits == 0 else args.digits
    out = Path(args.out).resolve()

    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    mf.log(f"torch {torch.__version__}, transformers {transformers.__version__}, python {sys.version.split()[0]}")
    build_models(out)
    mf.golden_models(out, digits, MODEL_PROMPTS)
    for name in MODEL_PROMPTS:
        files = sorted((out / "models" / name).iterdir()) + [out / "golden" / f"{name}.json"]
        for p in files:
            mf.log(f"{p.stat().st_size:>9}  {p.relative_to(out)}")


if __name__ == "__main__":
    main()
