#!/usr/bin/env python3
"""Reference CPU timings of gradient attributions with transformers + Captum (compared with `glassbox bench attribute`).

Usage:
    .venv-fixtures/bin/python tools/bench/attribution_reference.py --model DIR|FILE.gguf \
        [--tokens 32,128] [--threads 1,2] [--repeats 3] [--steps 32] [--internal-batch-size N|none] \
        [--variants forward,saliency,ig,lig] [--attn eager|sdpa] [--json PATH|-]

The prompt is the one `glassbox bench attribute` uses (ForwardBenchmark.tokens(count:vocabulary:) in
Sources/Benchmarks/ForwardBenchmark.swift): an LCG with state = 0x2545F4914F6CDD1D,
state = state * 6364136223846793005 + 1442695040888963407 (mod 2^64), id = (state >> 33) % vocab, no BOS.
The target f is the top-1 logit at the last position (Gemma 3: its soft-capped logits), the token chosen by one
untimed no-grad forward pass. Float32, batch of one sequence, no KV cache.

What is timed, for every (threads, tokens) pair (torch.set_num_threads), each preceded by one untimed warm-up:
  forward   a no-grad forward pass over input ids (logits of the last position only when the model's forward takes
            logits_to_keep, else all positions)
  saliency  the input embeddings E = get_input_embeddings()(ids) as a leaf with requires_grad, one forward with
            inputs_embeds, torch.autograd.grad of f with respect to E, and the L2 norm of each row of dF/dE
  ig        Captum IntegratedGradients on inputs_embeds, baseline E' = 0 (all zeros), method="riemann_middle"
            (alphas (i - 1/2) / m), n_steps = --steps; the same quantity Glassbox computes. Gemma 3's embedding
            module (Gemma3TextScaledWordEmbedding) multiplies by sqrt(d) itself and inputs_embeds bypasses it, so E
            is the scaled embedding and the zero baseline is zero at the first layer's input
  lig       Captum LayerIntegratedGradients(forward_fn, model.get_input_embeddings()) called the usual way: inputs =
            the input ids, baselines = ids all equal to the pad id (config.pad_token_id, or 0), riemann_middle,
            n_steps = --steps. It attributes the embedding module's output (scaled, for Gemma 3), but its baseline
            is that module's output for the pad id, which is not exactly zero (its norm is in the info); the
            arithmetic per step is that of `ig`, plus two no-grad forward passes Captum makes to record the layer
            output for the inputs and for the baselines
forward_fn returns logits[:, -1, :] (computed with logits_to_keep=1 where supported, so m interpolated sequences
never materialise [m, n, V] logits) and Captum's target is the top-1 token id. No convergence delta is requested
(Glassbox's IG also evaluates f(E) and f(E') for its completeness gap; Captum's timed IG does not). The relative
completeness gap |sum IG - (f(E) - f(E'))| / |f(E) - f(E')| of the last `ig` run is computed afterwards, untimed.

Captum's batching: with internal_batch_size=None (Captum's default) IntegratedGradients.attribute calls _attribute
once with all n_steps interpolated inputs stacked into one batch of n_steps * 1 sequences; with internal_batch_size=k
it goes through _batch_attribution, which runs ceil(n_steps / k) sequential batches of k steps (k >= n_steps: one
batch, the same work as None). --internal-batch-size defaults to --steps (all steps in one batch, Captum's fastest
setting and the one Glassbox's numbers are compared with); "none" passes None.

Output: a table (median and min seconds, the median over the same cell's forward median, and the process peak RSS
after the variant) and, with --json, {"info": {...}, "results": [{"threads", "tokens", "variant", "median_s", ...}]}
(PATH, or "-" for stdout, in which case the table goes to stderr). Peak RSS of the process (resource.getrusage
ru_maxrss) after loading and at the end is reported.
"""

from __future__ import annotations

import argparse
import inspect
import os
import statistics
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("TQDM_DISABLE", "1")  # the GGUF loader's dequantisation progress bar

import captum  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402
from captum.attr import IntegratedGradients, LayerIntegratedGradients  # noqa: E402
from transformers.utils import logging as hf_logging  # noqa: E402
from bench_common import environment_info, finish, int_list, load_model, peak_rss_mb  # noqa: E402

hf_logging.disable_progress_bar()

VARIANTS = ("forward", "saliency", "ig", "lig")
MASK64 = (1 << 64) - 1


def benchmark_tokens(count: int, vocabulary: int) -> list[int]:
    """ForwardBenchmark.tokens(count:vocabulary:): the LCG prompt of the Swift benchmarks."""
    state = 0x2545F4914F6CDD1D
    ids = []
    for _ in range(count):
        state = (state * 6364136223846793005 + 1442695040888963407) & MASK64
        ids.append((state >> 33) % vocabulary)
    return ids


def timed(fn, repeats: int) -> tuple[list[float], object]:
    fn()  # warm-up
    times, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return times, out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="model directory, or a .gguf file (loaded with gguf_file=)")
    ap.add_argument("--tokens", type=int_list, default=[32, 128])
    ap.add_argument("--threads", type=int_list, default=[1, 2])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--steps", type=int, default=32, help="integrated-gradient steps m")
    ap.add_argument("--internal-batch-size", default=None,
                    help='Captum internal_batch_size (default: --steps, all steps in one batch; "none" = None)')
    ap.add_argument("--attn", choices=["eager", "sdpa"], default="eager")
    ap.add_argument("--variants", default=",".join(VARIANTS), help="comma list of: " + ", ".join(VARIANTS))
    ap.add_argument("--json", metavar="PATH", help='write results as JSON to PATH ("-" = stdout)')
    args = ap.parse_args()
    variants = [v for v in args.variants.split(",") if v]
    assert all(v in VARIANTS for v in variants), variants
    assert args.repeats > 0 and args.steps > 0, (args.repeats, args.steps)
    if args.internal_batch_size is None:
        batch_size = args.steps
    elif args.internal_batch_size.lower() == "none":
        batch_size = None
    else:
        batch_size = int(args.internal_batch_size)
    table_out = sys.stderr if args.json == "-" else sys.stdout

    rss_before = peak_rss_mb()
    t0 = time.perf_counter()
    model = load_model(args.model, args.attn)
    for p in model.parameters():
        p.requires_grad_(False)  # gradients with respect to the input embeddings only
    load_s = time.perf_counter() - t0
    config = model.config
    text_config = getattr(config, "text_config", None) or config
    vocab = text_config.vocab_size
    max_pos = getattr(text_config, "n_positions", None) or getattr(text_config, "max_position_embeddings", None)
    n_params = sum(p.numel() for p in model.parameters())
    rss_loaded = peak_rss_mb()

    embedding = model.get_input_embeddings()
    pad_id = getattr(text_config, "pad_token_id", None)
    if pad_id is None:
        pad_id = getattr(config, "pad_token_id", None)
    pad_id = 0 if pad_id is None else int(pad_id)
    with torch.no_grad():
        pad_row_norm = float(embedding(torch.tensor([[pad_id]])).norm())
    keeps_logits = "logits_to_keep" in inspect.signature(model.forward).parameters
    keep = dict(logits_to_keep=1) if keeps_logits else {}

    def last_logits(**inputs):
        return model(**inputs, use_cache=False, **keep).logits[:, -1, :]

    def from_embeds(embeds):
        return last_logits(inputs_embeds=embeds)

    def from_ids(ids):
        return last_logits(input_ids=ids)

    ig_method = IntegratedGradients(from_embeds)
    lig_method = LayerIntegratedGradients(from_ids, embedding)

    results = []
    gaps = {}
    for threads in args.threads:
        torch.set_num_threads(threads)
        for n in args.tokens:
            if max_pos and n > max_pos:
                print(f"skip tokens={n}: model has {max_pos} positions", file=sys.stderr)
                continue
            ids = torch.tensor([benchmark_tokens(n, vocab)])
            with torch.no_grad():
                top = int(from_ids(ids)[0].argmax())

            def forward():
                with torch.no_grad():
                    return model(ids, use_cache=False, **keep).logits

            def saliency():
                embeds = embedding(ids).detach().requires_grad_(True)
                f = from_embeds(embeds)[0, top]
                (grad,) = torch.autograd.grad(f, embeds)
                return grad[0].norm(dim=-1)

            def ig():
                embeds = embedding(ids).detach()
                return ig_method.attribute(
                    embeds, baselines=torch.zeros_like(embeds), target=top, n_steps=args.steps,
                    method="riemann_middle", internal_batch_size=batch_size)

            def lig():
                return lig_method.attribute(
                    ids, baselines=torch.full_like(ids, pad_id), target=top, n_steps=args.steps,
                    method="riemann_middle", internal_batch_size=batch_size)

            fns = dict(forward=forward, saliency=saliency, ig=ig, lig=lig)
            forward_median = None
            for variant in variants:
                times, out = timed(fns[variant], args.repeats)
                if variant == "forward":
                    assert out.shape == (1, 1 if keeps_logits else n, vocab), out.shape
                elif variant == "saliency":
                    assert out.shape == (n,), out.shape
                else:
                    assert out.shape == (1, n, embedding.embedding_dim), out.shape
                if variant == "ig":
                    with torch.no_grad():
                        embeds = embedding(ids)
                        delta = float(from_embeds(embeds)[0, top] - from_embeds(torch.zeros_like(embeds))[0, top])
                    total = float(out.double().sum())
                    gaps[(threads, n)] = abs(total - delta) / abs(delta) if delta else float("nan")
                med = statistics.median(times)
                if variant == "forward":
                    forward_median = med
                results.append(
                    dict(
                        threads=threads,
                        tokens=n,
                        variant=variant,
                        median_s=med,
                        min_s=min(times),
                        over_forward=med / forward_median if forward_median else None,
                        times_s=times,
                        peak_rss_mb=peak_rss_mb(),
                        **({"relative_completeness_gap": gaps[(threads, n)]} if variant == "ig" else {}),
                    )
                )

    info = dict(
        model=os.path.abspath(args.model),
        architecture=type(model).__name__,
        params=n_params,
        vocab=vocab,
        dtype="float32",
        attn_implementation=args.attn,
        repeats=args.repeats,
        steps=args.steps,
        method="riemann_middle",
        internal_batch_size=batch_size,
        logits_to_keep=keeps_logits,
        target="top-1 logit at the last position",
        ig_baseline="zero input embeddings",
        lig_baseline_token=pad_id,
        lig_baseline_embedding_norm=pad_row_norm,
        embedding_module=type(embedding).__name__,
        captum=captum.__version__,
        **environment_info(load_s, rss_before, rss_loaded),
    )

    print(
        f"model {args.model}: {type(model).__name__}, {n_params / 1e6:.1f}M params, vocab {vocab}, float32, "
        f"attn={args.attn}, repeats={args.repeats}, IG m={args.steps} riemann_middle, "
        f"internal_batch_size={batch_size}, torch {torch.__version__}, transformers {transformers.__version__}, "
        f"captum {captum.__version__}",
        file=table_out,
    )
    print(
        f"target: top-1 logit at the last position; ig: IntegratedGradients on inputs_embeds, zero baseline; "
        f"lig: LayerIntegratedGradients on {type(embedding).__name__}, baseline ids = {pad_id} "
        f"(embedding norm {pad_row_norm:.3g})",
        file=table_out,
    )
    header = (f"{'threads':>7} {'tokens':>6} {'variant':>8} {'median s':>10} {'min s':>10} {'x fwd':>8} "
              f"{'peak MB':>8} {'ig_rel_gap':>11}")
    print(header, file=table_out)
    print("-" * len(header), file=table_out)
    for r in results:
        ratio = f"{r['over_forward']:8.2f}" if r["over_forward"] else "     n/a"
        gap = f"{r['relative_completeness_gap']:11.2e}" if "relative_completeness_gap" in r else ""
        print(
            f"{r['threads']:>7} {r['tokens']:>6} {r['variant']:>8} {r['median_s']:>10.4f} {r['min_s']:>10.4f} "
            f"{ratio} {r['peak_rss_mb']:>8.0f} {gap}".rstrip(),
            file=table_out,
        )
    finish(info, results, load_s, rss_loaded, rss_before, args.json, table_out)


if __name__ == "__main__":
    main()
