#!/usr/bin/env python3
"""Reference CPU timings of transformers' `generate` (the decoding speed `glassbox bench generate` is compared with).

Usage:
    .venv-fixtures/bin/python tools/bench/generate_reference.py --model DIR_OR_GGUF \
        [--new-tokens 64] [--threads 1,2] [--prompt-tokens 32] [--repeats 3] [--json PATH|-]

What is timed, per thread count: `model.generate(ids, do_sample=False, max_new_tokens=N, min_new_tokens=N,
use_cache=True)` (greedy, the KV cache on, float32, eager attention, torch.no_grad), after one untimed warm-up
generation. A streamer records the wall-clock time at which each new token is handed out, so one call gives
  ttft_s        time to first token: from the call to the first generated token (the prompt's prefill and one
                sampling step)
  decode_tok_s  tokens per second after the first: (N - 1) / (time of token N - time of token 1)
  total_s       the whole call
`min_new_tokens=N` keeps EOS from ending a run early, so every run produces exactly N tokens.

The prompt is `--prompt-tokens` ids from the fixed linear congruential sequence `glassbox bench generate` uses
(`ForwardBenchmark.tokens` in Sources/Benchmarks: state 0x2545F4914F6CDD1D, state = state * 6364136223846793005 +
1442695040888963407 mod 2^64, id = (state >> 33) mod vocab), so both programs decode after the same tokens.
Medians over --repeats runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

import torch  # noqa: E402
from transformers.generation.streamers import BaseStreamer  # noqa: E402
from transformers.utils import logging as hf_logging  # noqa: E402
from bench_common import environment_info, finish, int_list, load_model, peak_rss_mb  # noqa: E402

hf_logging.disable_progress_bar()


def prompt_ids(count: int, vocab: int) -> list[int]:
    """The benchmark prompt: the LCG sequence of ForwardBenchmark.tokens."""
    state, ids = 0x2545F4914F6CDD1D, []
    for _ in range(count):
        state = (state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        ids.append((state >> 33) % vocab)
    return ids


class TokenClock(BaseStreamer):
    """Remembers when each generated token arrives (the first `put` is the prompt itself)."""

    def __init__(self):
        self.times: list[float] = []
        self.prompt_seen = False

    def put(self, value):
        if not self.prompt_seen:
            self.prompt_seen = True
            return
        self.times.append(time.perf_counter())

    def end(self):
        pass


def one_run(model, ids: torch.Tensor, new_tokens: int) -> dict:
    clock = TokenClock()
    start = time.perf_counter()
    out = model.generate(
        ids, attention_mask=torch.ones_like(ids), do_sample=False, max_new_tokens=new_tokens,
        min_new_tokens=new_tokens, use_cache=True, streamer=clock, pad_token_id=model.config.eos_token_id
        if isinstance(model.config.eos_token_id, int) else 0)
    total = time.perf_counter() - start
    produced = out.shape[1] - ids.shape[1]
    assert produced == new_tokens and len(clock.times) == new_tokens, (produced, len(clock.times))
    ttft = clock.times[0] - start
    decode = (new_tokens - 1) / (clock.times[-1] - clock.times[0]) if new_tokens > 1 else float("nan")
    return dict(ttft_s=ttft, decode_tok_s=decode, total_s=total)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="model directory, or a .gguf file (loaded with gguf_file=)")
    ap.add_argument("--new-tokens", type=int, default=64)
    ap.add_argument("--threads", type=int_list, default=[1, 2])
    ap.add_argument("--prompt-tokens", type=int, default=32)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--json", metavar="PATH", help='write results as JSON to PATH ("-" = stdout)')
    args = ap.parse_args()
    table_out = sys.stderr if args.json == "-" else sys.stdout

    rss_before = peak_rss_mb()
    t0 = time.perf_counter()
    model = load_model(args.model, "eager")
    load_s = time.perf_counter() - t0
    rss_loaded = peak_rss_mb()
    ids = torch.tensor([prompt_ids(args.prompt_tokens, model.config.vocab_size)], dtype=torch.long)

    print(f"{'threads':>7} {'prompt':>6} {'new':>4} {'ttft_s':>8} {'decode_tok/s':>12} {'total_s':>8}", file=table_out)
    results = []
    with torch.no_grad():
        for threads in args.threads:
            torch.set_num_threads(threads)
            one_run(model, ids, min(args.new_tokens, 4))  # warm-up
            runs = [one_run(model, ids, args.new_tokens) for _ in range(max(1, args.repeats))]
            row = dict(
                threads=threads, prompt_tokens=args.prompt_tokens, new_tokens=args.new_tokens,
                ttft_s=statistics.median(r["ttft_s"] for r in runs),
                decode_tok_s=statistics.median(r["decode_tok_s"] for r in runs),
                total_s=statistics.median(r["total_s"] for r in runs), runs=runs)
            results.append(row)
            print(
                f"{threads:>7} {args.prompt_tokens:>6} {args.new_tokens:>4} {row['ttft_s']:8.4f} "
                f"{row['decode_tok_s']:12.2f} {row['total_s']:8.3f}", file=table_out)
    info = environment_info(load_s, rss_before, rss_loaded)
    info.update(model=args.model, parameters=sum(p.numel() for p in model.parameters()))
    finish(info, results, load_s, rss_loaded, rss_before, args.json, table_out)


if __name__ == "__main__":
    main()
