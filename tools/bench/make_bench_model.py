#!/usr/bin/env python3
"""Write a random GPT-2-small-shaped model for benchmarking (not committed: ~500 MB).

Usage:
    .venv-fixtures/bin/python tools/bench/make_bench_model.py DIR [--seed 0]

Shape: 12 layers, n_embd 768, 12 heads, n_positions 1024, vocab 50257, gelu_new, tied head;
float32 safetensors written by save_pretrained (tensor names carry the `transformer.` prefix).

The tokenizer files are the small gpt2-style ones from Tests/Fixtures/models/tiny-gpt2
(641 tokens), so tokenizer and model vocabularies do NOT match: the model accepts ids up to
50256, the tokenizer only produces ids < 641. That is fine for benchmarks, which feed random
ids. bos/eos in config.json point at the tokenizer's <|endoftext|> (id 640).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

import torch  # noqa: E402
from transformers import GPT2Config, GPT2LMHeadModel  # noqa: E402
from transformers.utils import logging as hf_logging  # noqa: E402

hf_logging.disable_progress_bar()

REPO = Path(__file__).resolve().parents[2]  # tools/bench/ → the repository root
TOKENIZER_SRC = REPO / "Tests" / "Fixtures" / "models" / "tiny-gpt2"
TOKENIZER_FILES = ["tokenizer.json", "tokenizer_config.json", "vocab.json", "merges.txt"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    out = Path(args.dir)

    missing = [f for f in TOKENIZER_FILES if not (TOKENIZER_SRC / f).is_file()]
    if missing:
        sys.exit(f"missing {missing} in {TOKENIZER_SRC}: run tools/references/make_fixtures.py first")
    eot = json.loads((TOKENIZER_SRC / "tokenizer.json").read_text(encoding="utf-8"))["added_tokens"][0]
    assert eot["content"] == "<|endoftext|>"

    torch.manual_seed(args.seed)
    config = GPT2Config(
        vocab_size=50257,
        n_positions=1024,
        n_embd=768,
        n_layer=12,
        n_head=12,
        activation_function="gelu_new",
        tie_word_embeddings=True,
        bos_token_id=eot["id"],
        eos_token_id=eot["id"],
    )
    config._attn_implementation = "eager"
    model = GPT2LMHeadModel(config).float().eval()
    n_params = sum(p.numel() for p in model.parameters())
    model.save_pretrained(str(out), safe_serialization=True)
    for f in TOKENIZER_FILES:
        shutil.copy(TOKENIZER_SRC / f, out / f)
    size = sum(p.stat().st_size for p in out.iterdir() if p.is_file())
    print(f"wrote {out}: {n_params / 1e6:.1f}M parameters, {size / 1e6:.1f} MB")
    print("note: tokenizer has 641 tokens, model vocab is 50257 (benchmarks use random ids)")


if __name__ == "__main__":
    main()
