#!/usr/bin/env python3
"""Reference CPU timings of a transformers forward pass (the numbers Glassbox is compared with).

Usage:
    .venv-fixtures/bin/python tools/bench/bench_reference.py --model DIR \
        [--tokens 32,128,512] [--threads 1,2] [--repeats 5] [--attn eager|sdpa] [--json PATH|-]

What is timed: one full forward pass (prefill, no KV cache returned, torch.no_grad, float32) over a
batch of one sequence of random token ids (seeded), for every (threads, tokens) pair, in two variants:
  all   logits for every position   ([1, n, V], like Glassbox's interpretability forward)
  last  logits for the last position only (transformers' logits_to_keep=1)
Each measurement is preceded by one untimed warm-up pass. Attention defaults to "eager" (the plain
matmul/softmax path); --attn sdpa selects torch's scaled_dot_product_attention kernel.

Output: a table (median and min seconds, tokens/s = tokens / median) and, with --json, the same
data as JSON (PATH, or "-" for stdout, in which case the table goes to stderr). Peak RSS of the
process (resource.getrusage ru_maxrss) is reported at the end.
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
import transformers  # noqa: E402
from transformers.utils import logging as hf_logging  # noqa: E402
from bench_common import environment_info, finish, int_list, load_model, peak_rss_mb  # noqa: E402

hf_logging.disable_progress_bar()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="model directory, or a .gguf file (loaded with gguf_file=)")
    ap.add_argument("--tokens", type=int_list, default=[32, 128, 512])
    ap.add_argument("--threads", type=int_list, default=[1, 2])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--attn", choices=["eager", "sdpa"], default="eager")
    ap.add_argument("--variants", default="all,last", help="comma list of: all, last")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", metavar="PATH", help='write results as JSON to PATH ("-" = stdout)')
    args = ap.parse_args()
    variants = [v for v in args.variants.split(",") if v]
    assert all(v in ("all", "last") for v in variants), variants
    table_out = sys.stderr if args.json == "-" else sys.stdout

    rss_before = peak_rss_mb()
    t0 = time.perf_counter()
    model = load_model(args.model, args.attn)
    load_s = time.perf_counter() - t0
    vocab = model.config.vocab_size
    max_pos = getattr(model.config, "n_positions", None) or getattr(model.config, "max_position_embeddings", None)
    n_params = sum(p.numel() for p in model.parameters())
    rss_loaded = peak_rss_mb()

    gen = torch.Generator().manual_seed(args.seed)
    results = []
    for threads in args.threads:
        torch.set_num_threads(threads)
        for n in args.tokens:
            if max_pos and n > max_pos:
                print(f"skip tokens={n}: model has {max_pos} positions", file=sys.stderr)
                continue
            ids = torch.randint(0, vocab, (1, n), generator=gen)
            for variant in variants:
                keep = 0 if variant == "all" else 1
                times = []
                with torch.no_grad():
                    model(ids, use_cache=False, logits_to_keep=keep)  # warm-up
                    for _ in range(args.repeats):
                        t = time.perf_counter()
                        out = model(ids, use_cache=False, logits_to_keep=keep)
                        times.append(time.perf_counter() - t)
                expect = n if keep == 0 else 1
                assert out.logits.shape == (1, expect, vocab), out.logits.shape
                med = statistics.median(times)
                results.append(
                    dict(
                        threads=threads,
                        tokens=n,
                        variant=variant,
                        median_s=med,
                        min_s=min(times),
                        tokens_per_s=n / med,
                        times_s=times,
                    )
                )

    info = dict(
        model=os.path.abspath(args.model),
        params=n_params,
        vocab=vocab,
        dtype="float32",
        attn_implementation=args.attn,
        repeats=args.repeats,
        **environment_info(load_s, rss_before, rss_loaded),
    )

    print(
        f"model {args.model}: {n_params / 1e6:.1f}M params, vocab {vocab}, float32, attn={args.attn}, "
        f"repeats={args.repeats}, torch {torch.__version__}, transformers {transformers.__version__}",
        file=table_out,
    )
    header = f"{'threads':>7} {'tokens':>6} {'logits':>6} {'median s':>10} {'min s':>10} {'tokens/s':>10}"
    print(header, file=table_out)
    print("-" * len(header), file=table_out)
    for r in results:
        print(
            f"{r['threads']:>7} {r['tokens']:>6} {r['variant']:>6} {r['median_s']:>10.4f} {r['min_s']:>10.4f} "
            f"{r['tokens_per_s']:>10.1f}",
            file=table_out,
        )
    finish(info, results, load_s, rss_loaded, rss_before, args.json, table_out)


if __name__ == "__main__":
    main()
