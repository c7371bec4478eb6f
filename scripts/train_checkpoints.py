#!/usr/bin/env python3
"""Trains a tiny GPT-2 from scratch and saves 5 checkpoints: the test data of `glassbox checkpoints`.

Usage (from the repository root, with the environment of tools/references/requirements.txt):
    .venv-fixtures/bin/python scripts/train_checkpoints.py [--out Tests/Fixtures/checkpoints/tiny-train]

Its output is committed: Tests/Fixtures/checkpoints/tiny-train/step-NNNN/ (config.json, model.safetensors in
float32, the tokenizer files of Tests/Fixtures/models/tiny-gpt2), about 1.9 MB for the five. Re-running it with the
pinned environment rewrites identical files (fixed seeds, one torch thread, deterministic algorithms, no dropout);
after re-running it, re-run tools/references/make_checkpoint_fixtures.py for the golden values.

What is trained: GPT2LMHeadModel with 2 layers, 4 heads, d_model 48, 64 positions, tied embeddings, on the text of
Tests/Fixtures/checkpoints/train-text.txt (written for Glassbox) tokenized by tiny-gpt2's byte-level BPE (vocab 641,
so many words are several tokens). Each training sequence is 64 tokens: half of the batch are plain windows of the
text, half are a random window of 32 tokens written twice, so the second copy can only be predicted by looking back
(a previous-token head in layer 0 feeding an induction head in layer 1 is the usual solution). AdamW (lr 3e-3,
weight decay 0.01, batch 16), 400 steps; checkpoints at steps 0 (the random initialisation), 50, 100, 200 and 400.
The training loss falls from about 6.5 nats and at least one layer-0 head's previous-token share rises across the
checkpoints; the script prints both.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
from pathlib import Path

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

import torch  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402
from transformers import GPT2Config, GPT2LMHeadModel  # noqa: E402
from transformers.utils import logging as hf_logging  # noqa: E402

hf_logging.disable_progress_bar()

REPO = Path(__file__).resolve().parents[1]
TOKENIZER_DIR = REPO / "Tests" / "Fixtures" / "models" / "tiny-gpt2"
TOKENIZER_FILES = ["tokenizer.json", "vocab.json", "merges.txt", "tokenizer_config.json"]
TEXT = REPO / "Tests" / "Fixtures" / "checkpoints" / "train-text.txt"

SEED = 1234
SEQUENCE = 64
HALF = SEQUENCE // 2
BATCH = 16
STEPS = 400
SAVE_AT = [0, 50, 100, 200, 400]
LEARNING_RATE = 3e-3
WEIGHT_DECAY = 0.01
MAX_TOTAL_BYTES = 2_500_000


def model_config() -> GPT2Config:
    return GPT2Config(
        vocab_size=641,
        n_positions=SEQUENCE,
        n_embd=48,
        n_layer=2,
        n_head=4,
        n_inner=None,
        activation_function="gelu_new",
        resid_pdrop=0.0,
        embd_pdrop=0.0,
        attn_pdrop=0.0,
        layer_norm_epsilon=1e-5,
        initializer_range=0.02,
        bos_token_id=640,
        eos_token_id=640,
        tie_word_embeddings=True,
        use_cache=False,
    )


def batch(ids: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """BATCH sequences of SEQUENCE tokens: the first half plain windows, the second half a window written twice."""
    plain = BATCH // 2
    starts = torch.randint(0, len(ids) - SEQUENCE, (plain,), generator=generator)
    rows = [ids[s : s + SEQUENCE] for s in starts.tolist()]
    starts = torch.randint(0, len(ids) - HALF, (BATCH - plain,), generator=generator)
    rows += [torch.cat([ids[s : s + HALF], ids[s : s + HALF]]) for s in starts.tolist()]
    return torch.stack(rows)


@torch.no_grad()
def previous_token_shares(model: GPT2LMHeadModel, sample: torch.Tensor) -> list[list[float]]:
    """Per layer and head, the mean over rows q >= 1 of A[q, q-1] on one sequence (a progress print only)."""
    out = model(sample[None], output_attentions=True)
    shares = []
    for a in out.attentions:
        a = a[0]
        n = a.shape[-1]
        shares.append([float(a[h, torch.arange(1, n), torch.arange(n - 1)].mean()) for h in range(a.shape[0])])
    return shares


def save(model: GPT2LMHeadModel, directory: Path):
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    model.save_pretrained(directory, safe_serialization=True)
    (directory / "generation_config.json").unlink(missing_ok=True)
    for name in TOKENIZER_FILES:
        shutil.copyfile(TOKENIZER_DIR / name, directory / name)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(REPO / "Tests" / "Fixtures" / "checkpoints" / "tiny-train"))
    args = ap.parse_args()
    out = Path(args.out).resolve()

    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(SEED)
    generator = torch.Generator().manual_seed(SEED)

    tokenizer = Tokenizer.from_file(str(TOKENIZER_DIR / "tokenizer.json"))
    ids = torch.tensor(tokenizer.encode(TEXT.read_text(encoding="utf-8")).ids, dtype=torch.long)
    assert int(ids.max()) < 641 and len(ids) > 2 * SEQUENCE, len(ids)

    config = model_config()
    config._attn_implementation = "eager"  # attention probabilities for the progress print
    model = GPT2LMHeadModel(config)
    model.config.architectures = ["GPT2LMHeadModel"]
    optimizer = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE, weight_decay=WEIGHT_DECAY)
    probe = torch.cat([ids[100 : 100 + HALF], ids[100 : 100 + HALF]])
    log = []
    for step in range(STEPS + 1):
        if step in SAVE_AT:
            model.eval()
            shares = previous_token_shares(model, probe)
            save(model, out / f"step-{step:04d}")
            log.append({"step": step, "previous_token": shares})
            print(f"step {step:4d}: saved; previous-token share per head "
                  + " | ".join(" ".join(f"{s:.2f}" for s in layer) for layer in shares), flush=True)
        if step == STEPS:
            break
        model.train()
        x = batch(ids, generator)
        loss = model(x, labels=x).loss
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if step % 25 == 0:
            print(f"step {step:4d}: training loss {float(loss.detach()):.4f}", flush=True)

    total = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"{total} bytes in {out}")
    assert total <= MAX_TOTAL_BYTES, total
    (out / "training.json").write_text(json.dumps({
        "seed": SEED, "steps": STEPS, "batch": BATCH, "sequence": SEQUENCE, "learning_rate": LEARNING_RATE,
        "weight_decay": WEIGHT_DECAY, "saved": SAVE_AT, "text": "Tests/Fixtures/checkpoints/train-text.txt",
        "probe_previous_token": log,
    }, indent=1) + "\n")


if __name__ == "__main__":
    main()
