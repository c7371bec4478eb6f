#!/usr/bin/env python3
"""Writes Tests/Fixtures/golden/sampling.json: the sampling filters of docs/analyses.md §8 (and the repetition
penalty of transformers) in float64, written from the definitions, checked against transformers' own logits
processors where they define the same thing.

Definitions (applied in this order, as transformers' generate applies them):
  repetition penalty r: a logit z of a token already in the sequence becomes z / r if z > 0, else z * r;
  temperature T:  p = softmax(z / T);
  top-k:          keep the k most probable tokens (ties: the lower id first), renormalise (k = 0: keep all);
  top-p:          sort by probability (ties: lower id first), keep the smallest prefix whose cumulative
                  probability is >= p, renormalise (p = 1: keep all).
Each case records the distribution after each step over the whole vocabulary (0 for removed tokens).

Usage: .venv-fixtures/bin/python tools/references/make_sampling_fixtures.py  (venv: tools/references/requirements.txt)
"""

from __future__ import annotations

import json
import os

import numpy as np
import torch
from transformers.generation.logits_process import (RepetitionPenaltyLogitsProcessor, TemperatureLogitsWarper,
                                                    TopKLogitsWarper, TopPLogitsWarper)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(REPO, "Tests", "Fixtures", "golden", "sampling.json")


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum()


def order(p: np.ndarray) -> list[int]:
    """Token ids by decreasing probability, ties by lower id."""
    return sorted(range(len(p)), key=lambda i: (-p[i], i))


def steps(logits: np.ndarray, temperature: float, top_k: int, top_p: float, penalty: float, previous: list[int]):
    z = logits.astype(np.float64).copy()
    for i in set(previous):
        z[i] = z[i] / penalty if z[i] > 0 else z[i] * penalty
    after_temperature = softmax(z / temperature)
    after_k = after_temperature.copy()
    if top_k > 0:
        kept = set(order(after_temperature)[:top_k])
        after_k = np.array([q if i in kept else 0.0 for i, q in enumerate(after_temperature)])
        after_k /= after_k.sum()
    after_p = after_k.copy()
    if top_p < 1:
        total, kept = 0.0, set()
        for i in order(after_k):
            kept.add(i)
            total += after_k[i]
            if total >= top_p:
                break
        after_p = np.array([q if i in kept else 0.0 for i, q in enumerate(after_k)])
        after_p /= after_p.sum()
    return z, after_temperature, after_k, after_p


def transformers_kept(logits, temperature, top_k, top_p, penalty, previous) -> set[int]:
    """The tokens transformers' processors leave finite (its top-p keeps ties on the boundary differently, so
    the cases below avoid exact boundary ties)."""
    scores = torch.tensor(logits, dtype=torch.float64)[None, :]
    ids = torch.tensor([previous or [0]], dtype=torch.long)
    if previous:
        scores = RepetitionPenaltyLogitsProcessor(penalty)(ids, scores)
    scores = TemperatureLogitsWarper(temperature)(ids, scores)
    if top_k > 0:
        scores = TopKLogitsWarper(top_k)(ids, scores)
    if top_p < 1:
        scores = TopPLogitsWarper(top_p)(ids, scores)
    return {i for i, s in enumerate(scores[0].tolist()) if s != float("-inf")}


def main() -> None:
    rng = np.random.default_rng(20261207)
    logits = np.round(rng.normal(0, 2.5, size=64), 4).astype(np.float32)
    logits[10] = logits[11] = np.float32(1.25)  # a tie inside the kept set
    cases = []
    for temperature, top_k, top_p, penalty, previous in [
        (1.0, 0, 1.0, 1.0, []), (0.7, 0, 1.0, 1.0, []), (1.5, 10, 1.0, 1.0, []), (1.0, 0, 0.9, 1.0, []),
        (0.8, 20, 0.75, 1.0, []), (1.2, 5, 0.5, 1.3, [3, 10, 40]), (0.3, 0, 0.95, 1.0, []),
        (2.0, 1, 1.0, 1.0, []), (1.0, 64, 0.999, 1.1, [1, 2]),
    ]:
        z, t, k, p = steps(logits, temperature, top_k, top_p, penalty, previous)
        kept = {i for i, q in enumerate(p) if q > 0}
        reference = transformers_kept(logits, temperature, top_k, top_p, penalty, previous)
        assert kept == reference, (temperature, top_k, top_p, sorted(kept ^ reference))
        cases.append({"temperature": temperature, "top_k": top_k, "top_p": top_p, "repetition_penalty": penalty,
                      "previous": previous, "penalized_logits": [float(x) for x in z],
                      "after_temperature": t.tolist(), "after_top_k": k.tolist(), "after_top_p": p.tolist(),
                      "kept": sorted(kept)})
    with open(OUT, "w", encoding="utf-8") as file:
        json.dump({"note": "written by tools/references/make_sampling_fixtures.py (float64, from docs/analyses.md §8);"
                           " the kept sets equal transformers' logits processors'",
                   "logits": [float(x) for x in logits], "cases": cases}, file, indent=1)
        file.write("\n")
    print(f"wrote {OUT}: {len(cases)} cases")


if __name__ == "__main__":
    main()
