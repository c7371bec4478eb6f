#!/usr/bin/env python3
"""Recomputes one `glassbox attribute --method ig --json` result with float64 PyTorch autograd on the same GGUF
weights (transformers dequantises them), as an independent check of integrated gradients on a real model.

Usage (from the repository root, with the environment of tools/references/requirements.txt):
    .build/release/glassbox attribute --model .cache/models/SmolLM2-135M-Instruct.Q4_1.gguf \\
        --prompt "In 1492, Columbus sailed across the" --method ig --baseline unk --json > ig.json
    .venv-fixtures/bin/python tools/references/check_real_attribution.py .cache/models/SmolLM2-135M-Instruct.Q4_1.gguf \\
        ig.json --baseline-token 0

Reads the token ids, the target (position, token, logit objective) and the steps from the JSON; the baseline is the
input embedding of --baseline-token at every position (the id glassbox printed as "token:ID"), or zeros without it.
Prints f(E), f(E'), the gap and the scores from both, the largest |difference| relative to the largest |score|, and the
gradient norm at every step (where the path is sharp). Exits non-zero if that relative difference exceeds 1e-3.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

import torch  # noqa: E402
from transformers import AutoModelForCausalLM  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gguf", help="the GGUF file glassbox ran")
    parser.add_argument("result", help="glassbox attribute --method ig --json output")
    parser.add_argument("--baseline-token", type=int, default=None)
    args = parser.parse_args()
    torch.set_num_threads(1)
    result = json.load(open(args.result))
    if result.get("method") != "ig" or result["target"].get("objective") != "logit":
        sys.exit("expected an integrated-gradients result for a logit target")
    ids = torch.tensor([[t["id"] for t in result["tokens"]]])
    q, y, m = result["target"]["position"], result["target"]["id"], result["steps"]
    directory, name = os.path.split(os.path.abspath(args.gguf))
    model = AutoModelForCausalLM.from_pretrained(
        directory, gguf_file=name, dtype=torch.float32, attn_implementation="eager").double().eval()
    embed = model.get_input_embeddings()
    with torch.no_grad():
        inputs = embed(ids)
        baseline = (torch.zeros_like(inputs) if args.baseline_token is None
                    else embed(torch.full_like(ids, args.baseline_token)))

    def f(x):
        return model(inputs_embeds=x).logits[0, q, y]

    total, norms = torch.zeros_like(inputs), []
    for i in range(m):
        x = (baseline + (i + 0.5) / m * (inputs - baseline)).requires_grad_(True)
        (g,) = torch.autograd.grad(f(x), x)
        total += g
        norms.append(float(g.norm()))
    scores = ((inputs - baseline) * total / m).sum(-1)[0]
    with torch.no_grad():
        fe, fb = float(f(inputs)), float(f(baseline))
    ours = result["scores"]
    scale = max(abs(float(s)) for s in scores)
    worst = max(abs(a - float(b)) for a, b in zip(ours, scores)) / scale
    print(f"f(E) {fe:.6f} (glassbox {result['target']['f']:.6f}); f(E') {fb:.6f} "
          f"(glassbox {result['target']['f_baseline']:.6f})")
    print(f"gap {float(scores.sum()) - (fe - fb):.6f} (glassbox {result['completeness_gap']:.6f})")
    print("scores  ", [round(float(s), 4) for s in scores])
    print("glassbox", [round(s, 4) for s in ours])
    print(f"largest |difference| / largest |score|: {worst:.2e}")
    print("‖∂f/∂E‖ along the path:", [round(v, 1) for v in norms])
    sys.exit(0 if worst <= 1e-3 else 1)


if __name__ == "__main__":
    main()
