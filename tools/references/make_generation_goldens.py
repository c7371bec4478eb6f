#!/usr/bin/env python3
"""Greedy continuations from transformers' `generate(do_sample=False)`: the goldens of Glassbox's KV-cached decoding.

For every fixture model (Tests/Fixtures/models/tiny-*) and the real GGUF models in .cache/models (Gemma 3 270M,
SmolLM2 135M, Qwen2.5-Coder 0.5B; `glassbox models install NAME` fetches them), five prompts are continued by 16 new
tokens with greedy decoding, the KV cache on, and the model's own end-of-sequence ids (`generation_config`), and the
generated ids are written to Tests/Fixtures/golden/generation-<model>.json. The Swift test
(Tests/TransformerTests/GenerationGoldenTests.swift) feeds the same prompt ids to `TextGenerator` and compares the ids
token for token, so tokenizers play no part here (they have their own goldens).

Prompt ids: fixtures, the fixture tokenizer's ids of PROMPTS; real models, the ids of the five prompts of the model's
forward golden (Tests/Fixtures/golden/<model>.json, written by make_real_goldens.py with the model's real tokenizer),
the last of which crosses Gemma's 512-token sliding window.

Precision: the fixtures run in float64 (the model converted with .double()), so the reference is exact to the float32
engine's rounding; the real models run in float32 as transformers dequantises the GGUF (as make_real_goldens.py).
Each step also records the margin between the two largest logits, so a difference on a near tie can be recognised.

Usage (from the repository root, with the fixture venv):
    .venv-fixtures/bin/python tools/references/make_generation_goldens.py [--models tiny-gpt2,gemma-3-270m,...]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

import torch  # noqa: E402
import transformers  # noqa: E402
from transformers import AutoModelForCausalLM, AutoTokenizer  # noqa: E402
from transformers.utils import logging as hf_logging  # noqa: E402

hf_logging.disable_progress_bar()

REPO = Path(__file__).resolve().parents[2]
NEW_TOKENS = 16
PROMPTS = [
    "The cat sat",
    "We saw 1234 birds\nin 2024.",
    "Once upon a time",
    "def add(a, b):\n    return",
    "The quick brown fox jumps over the lazy dog. The quick brown fox",
]
FIXTURES = ["tiny-gpt2", "tiny-llama", "tiny-qwen2", "tiny-gemma3", "tiny-qwen3", "tiny-phi3"]
REAL = {
    "gemma-3-270m": ("gemma-3-270m-q4_k_m.gguf", "gemma-3-270m.json"),
    "smollm2-135m": ("SmolLM2-135M-Instruct.Q4_1.gguf", "smollm2-135m.json"),
    "qwen2.5-coder-0.5b": ("qwen2.5-coder-0.5b-instruct.gguf", "qwen2.5-coder-0.5b.json"),
}


def eos_ids(model) -> list[int]:
    eos = model.generation_config.eos_token_id
    if eos is None:
        return []
    return [int(eos)] if isinstance(eos, int) else [int(e) for e in eos]


def continue_greedily(model, ids: list[int]) -> dict:
    inputs = torch.tensor([ids], dtype=torch.long)
    eos = eos_ids(model)
    out = model.generate(
        inputs, attention_mask=torch.ones_like(inputs), do_sample=False, num_beams=1, max_new_tokens=NEW_TOKENS,
        use_cache=True, eos_token_id=eos or None, pad_token_id=eos[0] if eos else 0, repetition_penalty=1.0,
        output_scores=True, return_dict_in_generate=True, top_k=None, top_p=None, temperature=None)
    generated = out.sequences[0, len(ids):].tolist()
    margins = []
    for scores in out.scores[: len(generated)]:
        top = torch.topk(scores[0].double(), 2).values.tolist()
        margins.append(top[0] - top[1])
    return {"prompt_ids": ids, "generated": generated, "top2_margins": margins}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", default=",".join(FIXTURES + list(REAL)))
    ap.add_argument("--out", type=Path, default=REPO / "Tests/Fixtures/golden")
    args = ap.parse_args()
    torch.set_num_threads(2)
    for name in [m for m in args.models.split(",") if m]:
        t0 = time.perf_counter()
        if name in REAL:
            file, forward_golden = REAL[name]
            path = REPO / ".cache/models" / file
            model = AutoModelForCausalLM.from_pretrained(
                str(path.parent), gguf_file=path.name, dtype=torch.float32, attn_implementation="eager").eval()
            golden = json.loads((REPO / "Tests/Fixtures/golden" / forward_golden).read_text())
            prompts = [(p["text"], p["ids"]) for p in golden["prompts"]]
            precision = "float32"
        else:
            directory = REPO / "Tests/Fixtures/models" / name
            tokenizer = AutoTokenizer.from_pretrained(str(directory))
            model = AutoModelForCausalLM.from_pretrained(
                str(directory), dtype=torch.float32, attn_implementation="eager").eval().double()
            prompts = [(text, tokenizer(text)["input_ids"]) for text in PROMPTS]
            precision = "float64"
        entries = []
        with torch.no_grad():
            for text, ids in prompts:
                entry = continue_greedily(model, ids)
                entry["text"] = text
                entries.append(entry)
                print(f"{name}: {len(ids)} prompt tokens -> {entry['generated']} "
                      f"(smallest top-2 margin {min(entry['top2_margins']):.2e})")
        doc = {
            "model": name,
            "transformers": transformers.__version__,
            "torch": torch.__version__,
            "notes": (
                f"transformers generate(do_sample=False, num_beams=1, max_new_tokens={NEW_TOKENS}, use_cache=True) "
                f"in {precision}, eager attention, the model's generation_config eos ids; generated excludes the "
                "prompt and ends at the first eos id if one was produced. top2_margins: largest minus second "
                "largest logit at each step."
            ),
            "eos_token_ids": eos_ids(model),
            "new_tokens": NEW_TOKENS,
            "prompts": entries,
        }
        out = args.out / f"generation-{name}.json"
        out.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {out} in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
