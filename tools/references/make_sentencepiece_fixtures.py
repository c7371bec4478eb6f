#!/usr/bin/env python3
"""Build the SentencePiece-style BPE tokenizer fixtures and their golden tokenization.

Three small BPE tokenizers with byte fallback are trained with the `tokenizers` library on the corpus of
make_fixtures.py, and written in the three tokenizer.json layouts of Hugging Face checkpoints:

    sp-gemma    Gemma (2, 3): normalizer Replace(" " → "▁"), pre-tokenizer Split(" ", MergedWithPrevious),
                decoder [Replace("▁" → " "), ByteFallback, Fuse]; no prefix space.
    sp-llama2   Llama 2 / TinyLlama (legacy): normalizer [Prepend("▁"), Replace(" " → "▁")], no pre-tokenizer,
                decoder [Replace, ByteFallback, Fuse, Strip(" ", 1, 0)]; merges as "a b" strings.
    sp-mistral  Mistral (newer layout): no normalizer, pre-tokenizer Metaspace("▁", prepend_scheme "first",
                split false), the Llama 2 decoder.

Each gets a tokenizer_config.json written by transformers for the class real checkpoints declare (GemmaTokenizer,
LlamaTokenizer). The golden file holds, per layout and text, the ids and the decoded text of the `tokenizers` library
on tokenizer.json with transformers' special-token handling (transformers with the generic TokenizersBackend class,
which runs tokenizer.json as it is, must agree exactly). transformers 5's GemmaTokenizer and LlamaTokenizer classes
rebuild the normalizer, pre-tokenizer and decoder from their own code instead of reading them from tokenizer.json;
where that gives other ids or text, they are recorded as ids_transformers / decoded_transformers.

"variants" are the same tokenizers with some components replaced (listed in the golden file, so a test can apply
them): the other Metaspace settings, the Metaspace decoder, Split behaviours, ignore_merges, no byte fallback.

Deterministic and offline; re-running it with the pinned environment (requirements.txt, Python 3.11) rewrites
byte-identical files.

Usage:
    .venv-fixtures/bin/python tools/references/make_sentencepiece_fixtures.py [--out Tests/Fixtures]

Outputs (under --out):
    tokenizers/sp-gemma/, tokenizers/sp-llama2/, tokenizers/sp-mistral/   tokenizer.json, tokenizer_config.json
    golden/tokenization_sentencepiece.json
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_fixtures import (  # noqa: E402
    REPO,
    TOKENIZATION_TEXTS,
    added_token,
    build_corpus,
    dump_json,
    log,
    template_bos,
    tokenizer_doc,
)
from tokenizers import Tokenizer, models, pre_tokenizers, trainers  # noqa: E402

from transformers import AutoTokenizer  # noqa: E402

SP = "▁"
LIMIT_ALPHABET = 120  # characters kept by the trainer; rarer ones (CJK, emoji, most accents) fall back to bytes
BYTE_TOKENS = [f"<0x{b:02X}>" for b in range(256)]

# Components as they appear in the real tokenizer.json files.
REPLACE_SPACE = {"type": "Replace", "pattern": {"String": " "}, "content": SP}
PREPEND_SP = {"type": "Prepend", "prepend": SP}
SPLIT_SPACE = {"type": "Split", "pattern": {"String": " "}, "behavior": "MergedWithPrevious", "invert": False}
DECODE_SP = {"type": "Replace", "pattern": {"String": SP}, "content": " "}
STRIP_ONE = {"type": "Strip", "content": " ", "start": 1, "stop": 0}
BYTE_FALLBACK = {"type": "ByteFallback"}
FUSE = {"type": "Fuse"}
NFKC = {"type": "NFKC"}


def decoder_sequence(*decoders: dict) -> dict:
    return {"type": "Sequence", "decoders": list(decoders)}


GEMMA_DECODER = decoder_sequence(DECODE_SP, BYTE_FALLBACK, FUSE)
LLAMA_DECODER = decoder_sequence(DECODE_SP, BYTE_FALLBACK, FUSE, STRIP_ONE)
UNREACHABLE = [SP + "Hello", SP + "Hello" + SP]  # pieces without merges that lead to them
CROSS_MERGES = [["e", SP]]  # a merge across the start of a word


def metaspace(prepend_scheme: str, split: bool) -> dict:
    return {"type": "Metaspace", "replacement": SP, "prepend_scheme": prepend_scheme, "split": split}


def control(*contents: str) -> list[tuple[str, bool, bool]]:
    """Added tokens (content, special, normalized) for control tokens."""
    return [(content, True, False) for content in contents]


# tokenizer_config.json of Llama 2 and Mistral checkpoints (transformers drops `legacy` when it saves the config)
LLAMA_CONFIG = dict(
    tokenizer_class="LlamaTokenizer",
    bos_token="<s>",
    eos_token="</s>",
    unk_token="<unk>",
    legacy=False,
    model_max_length=2048,
)

# Per layout: the vocabulary size; the tokens before the byte tokens (`leading`, then <0x00>..<0xFF>, then the trained
# pieces); the added tokens (given the next ids when not in the vocabulary); the prepend scheme of the training
# pre-tokenizer; the tokenizer.json components; the tokenizer_config.json settings.
LAYOUTS = {
    "gemma": dict(
        directory="tokenizers/sp-gemma",
        vocab_size=800,
        leading=["<pad>", "<eos>", "<bos>", "<unk>", "<mask>", "<start_of_turn>", "<end_of_turn>"],
        # (content, special, normalized): control tokens, and user-defined pieces matched whole as Gemma has them
        added=control("<pad>", "<eos>", "<bos>", "<unk>", "<mask>", "<start_of_turn>", "<end_of_turn>")
        + [
            ("\n\n", False, False),
            ("\t\t", False, False),
            ("  ", False, True),  # normalized: matched as "▁▁" in the normalized text
        ],
        train_prepend="never",
        normalizer=REPLACE_SPACE,
        pre_tokenizer=SPLIT_SPACE,
        decoder=GEMMA_DECODER,
        bos="<bos>",
        merges_as_strings=False,
        config=dict(
            tokenizer_class="GemmaTokenizer",
            bos_token="<bos>",
            eos_token="<eos>",
            unk_token="<unk>",
            pad_token="<pad>",
            mask_token="<mask>",
            model_max_length=2048,
        ),
    ),
    "llama2": dict(
        directory="tokenizers/sp-llama2",
        vocab_size=1000,
        leading=["<unk>", "<s>", "</s>"],
        added=control("<unk>", "<s>", "</s>") + [("<sep>", False, True)],
        train_prepend="always",
        normalizer={"type": "Sequence", "normalizers": [PREPEND_SP, REPLACE_SPACE]},
        pre_tokenizer=None,
        decoder=LLAMA_DECODER,
        bos="<s>",
        merges_as_strings=True,
        config=LLAMA_CONFIG,
    ),
    "mistral": dict(
        directory="tokenizers/sp-mistral",
        vocab_size=900,
        leading=["<unk>", "<s>", "</s>", "[INST]", "[/INST]"],
        added=control("<unk>", "<s>", "</s>", "[INST]", "[/INST]"),
        train_prepend="always",
        normalizer=None,
        pre_tokenizer=metaspace("first", False),
        decoder=LLAMA_DECODER,
        bos="<s>",
        merges_as_strings=False,
        config=LLAMA_CONFIG,
    ),
}

# Texts beyond make_fixtures.py's list: byte fallback, spaces, the meta symbol, each layout's special tokens.
SENTENCEPIECE_TEXTS = [
    "Hello",
    " Hello",
    "Hello ",
    "Hello  world",
    "    four leading",
    "tab\tseparated\tand\nnew\nlines\r\n",
    "\n\nparagraph\n\n\nbreaks\t\tand tabs",
    "▁",
    "▁▁hello ▁world▁",
    "a▁b ▁ c",
    "emoji 🦙🐍 and 🫠",
    "中文字符 日本語 한국어",
    "rare accents: ǅ ǆ ȁ ȍ ṩ ẞ ő ű",
    "e\u0301\u0302 combining marks",
    "<0x41> is not a byte token in text",
    "<s>",
    "<s>Hello</s>",
    "Hello<s> world</s> ",
    "<unk> and </s> and <s>",
    "<bos><start_of_turn>user\nHi there<end_of_turn>\n<start_of_turn>model\n",
    "<eos><pad><mask>",
    "[INST] What is 2+2? [/INST] 4</s>",
    "[INST]no spaces[/INST]",
    "with <sep> inside and<sep>glued",
    "   ",
    "x",
    "\u00a0\u2009\u3000 unicode spaces",
]

TEXTS = TOKENIZATION_TEXTS + [t for t in SENTENCEPIECE_TEXTS if t not in TOKENIZATION_TEXTS]
# The variants run on fewer texts, to keep the golden file small.
VARIANT_TEXTS = [
    "Hello world",
    "  leading spaces",
    "trailing spaces   ",
    " ",
    "",
    "a  b   c    d",
    "spaces \t tabs\t\tand\nnewlines\n\n\nmixed \n \t\n",
    "naïve café résumé Ångström",
    "nbsp\u00a0here ideo\u3000space thin\u2009space zwsp\u200bx",
] + SENTENCEPIECE_TEXTS

# Variants: (name, base layout, replaced top-level sections, model fields changed)
VARIANTS = [
    # Metaspace's split only matters for merges across a ▁, which the trained vocabularies lack: "e▁" is put first
    # (with split, it never applies)
    ("mistral-cross-merge", "mistral", {}, {"prepend_merges": CROSS_MERGES}),
    (
        "mistral-cross-merge-split",
        "mistral",
        {"pre_tokenizer": metaspace("first", True)},
        {"prepend_merges": CROSS_MERGES},
    ),
    ("mistral-metaspace-always", "mistral", {"pre_tokenizer": metaspace("always", False)}, {}),
    ("mistral-metaspace-always-split", "mistral", {"pre_tokenizer": metaspace("always", True)}, {}),
    (
        "mistral-metaspace-never",
        "mistral",
        {"pre_tokenizer": metaspace("never", False), "decoder": GEMMA_DECODER},
        {},
    ),
    ("mistral-metaspace-decoder-first", "mistral", {"decoder": metaspace("first", False)}, {}),
    ("mistral-metaspace-decoder-never", "mistral", {"decoder": metaspace("never", True)}, {}),
    (
        "gemma-split-sequence",
        "gemma",
        {
            "normalizer": None,
            "pre_tokenizer": {
                "type": "Sequence",
                "pretokenizers": [
                    {"type": "Split", "pattern": {"String": "\n"}, "behavior": "Isolated", "invert": False},
                    {"type": "Split", "pattern": {"String": " "}, "behavior": "MergedWithNext", "invert": False},
                    {"type": "Split", "pattern": {"String": "  "}, "behavior": "Contiguous", "invert": False},
                    {"type": "Split", "pattern": {"String": "\t"}, "behavior": "Removed", "invert": False},
                    metaspace("always", False),
                ],
            },
        },
        {},
    ),
    ("gemma-split-merged-with-previous", "gemma", {"normalizer": None}, {}),
    ("llama2-nfkc", "llama2", {"normalizer": {"type": "Sequence", "normalizers": [NFKC, PREPEND_SP, REPLACE_SPACE]}},
     {}),
    # ignore_merges only matters for a whole pre-token in the vocabulary that the merges do not reach; without it
    # the same added tokens change nothing
    ("llama2-ignore-merges", "llama2", {}, {"ignore_merges": True, "add_vocab": UNREACHABLE}),
    ("llama2-unreachable-token", "llama2", {}, {"add_vocab": UNREACHABLE}),
    ("llama2-no-byte-fallback", "llama2", {}, {"byte_fallback": False}),
    ("llama2-no-byte-fallback-no-fuse", "llama2", {}, {"byte_fallback": False, "fuse_unk": False}),
    ("llama2-no-post-processor", "llama2", {"post_processor": None}, {}),
    ("llama2-no-decoder", "llama2", {"decoder": None}, {}),
    # without Fuse, Strip works on each token
    ("llama2-strip-each-token", "llama2", {"decoder": decoder_sequence(DECODE_SP, BYTE_FALLBACK, STRIP_ONE)}, {}),
    # a Strip with a stop cut panics in HF on an empty token, so it comes after Fuse here (the texts begin with BOS)
    (
        "llama2-strip-trailing",
        "llama2",
        {"decoder": decoder_sequence(DECODE_SP, BYTE_FALLBACK, FUSE, {**STRIP_ONE, "start": 0, "stop": 1})},
        {},
    ),
]


def alphabet(corpus: list[str]) -> list[str]:
    """The LIMIT_ALPHABET most frequent characters (spaces as ▁), ties broken by code point.

    The trainer's own limit_alphabet breaks ties in hash order, which changes from run to run; given exactly
    this alphabet as initial_alphabet (counted as infinitely frequent), it keeps it and nothing else."""
    counts = Counter(ch for text in corpus for ch in text.replace(" ", SP))
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return sorted(ch for ch, _ in ranked[:LIMIT_ALPHABET])


def train(corpus: list[str], layout: dict) -> tuple[list[str], list[tuple[str, str]]]:
    """Trains BPE on ▁-pieces (as SentencePiece does: words with their leading ▁) and returns vocab and merges."""
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=SP, prepend_scheme=layout["train_prepend"], split=True)
    reserved = len(layout["leading"]) + len(BYTE_TOKENS)
    trainer = trainers.BpeTrainer(
        vocab_size=layout["vocab_size"] - reserved,
        min_frequency=2,
        show_progress=False,
        limit_alphabet=LIMIT_ALPHABET,
        initial_alphabet=alphabet(corpus),
    )
    tok.train_from_iterator(corpus, trainer=trainer)
    j = json.loads(tok.to_str())
    merges = [tuple(m) if not isinstance(m, str) else tuple(m.split(" ")) for m in j["model"]["merges"]]
    pieces = sorted(j["model"]["vocab"].items(), key=lambda kv: kv[1])
    return [p for p, _ in pieces], merges


def build_doc(corpus: list[str], layout: dict) -> dict:
    pieces, merges = train(corpus, layout)
    vocab: dict[str, int] = {}
    for token in layout["leading"] + BYTE_TOKENS + pieces:
        assert token not in vocab, token
        vocab[token] = len(vocab)
    assert len(vocab) == layout["vocab_size"], len(vocab)
    added = []
    for content, special, normalized in layout["added"]:
        if content not in vocab:
            vocab[content] = len(vocab)  # a user-defined piece of its own, as Gemma's whitespace runs are
        added.append(added_token(vocab[content], content, special=special, normalized=normalized))
    for a, b in merges:
        assert " " not in a and " " not in b
    model = {
        "type": "BPE",
        "dropout": None,
        "unk_token": "<unk>",
        "continuing_subword_prefix": None,
        "end_of_word_suffix": None,
        "fuse_unk": True,
        "byte_fallback": True,
        "ignore_merges": False,
        "vocab": vocab,
        "merges": [f"{a} {b}" for a, b in merges] if layout["merges_as_strings"] else [list(m) for m in merges],
    }
    return tokenizer_doc(
        added,
        layout["normalizer"],
        layout["pre_tokenizer"],
        template_bos(layout["bos"], vocab[layout["bos"]]),
        layout["decoder"],
        model,
    )


def change_model(doc: dict, changes: dict):
    """Sets model fields; "add_vocab" appends tokens (next free ids), "prepend_merges" puts merges first (their
    results appended as tokens where missing)."""
    model = doc["model"]
    vocab = model["vocab"]

    def add(token: str):
        if token not in vocab:
            vocab[token] = max(list(vocab.values()) + [t["id"] for t in doc["added_tokens"]]) + 1

    for key, value in changes.items():
        if key == "add_vocab":
            for token in value:
                add(token)
        elif key == "prepend_merges":
            for a, b in value:
                add(a + b)
            strings = isinstance(model["merges"][0], str)
            model["merges"] = [f"{a} {b}" if strings else [a, b] for a, b in value] + model["merges"]
        else:
            model[key] = value


def transformers_config(doc: dict, config: dict) -> dict:
    """tokenizer_config.json as transformers writes it for the declared class (its load-time bookkeeping dropped)."""
    kw = dict(config)
    cls_name = kw.pop("tokenizer_class")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        dump_json(src / "tokenizer.json", doc)
        dump_json(src / "tokenizer_config.json", {"tokenizer_class": cls_name, **kw})
        tok = AutoTokenizer.from_pretrained(str(src))
        dst = Path(tmp) / "dst"
        tok.save_pretrained(str(dst))
        cfg = json.loads((dst / "tokenizer_config.json").read_text(encoding="utf-8"))
    for k in ("is_local", "local_files_only"):
        cfg.pop(k, None)
    return cfg


def backend_tokenizer(directory: Path):
    """transformers on the directory with the generic class, which runs tokenizer.json as it is."""
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(directory / "tokenizer.json", tmp)
        cfg = json.loads((directory / "tokenizer_config.json").read_text(encoding="utf-8"))
        cfg["tokenizer_class"] = "TokenizersBackend"
        dump_json(Path(tmp) / "tokenizer_config.json", cfg)
        return AutoTokenizer.from_pretrained(tmp)


def golden_entries(doc: dict, directory: Path, texts: list[str], *, with_transformers: bool) -> tuple[list, int]:
    """Ids and decoded text per text; the number of texts where the declared transformers class differs."""
    raw = Tokenizer.from_str(json.dumps(doc))
    backend = backend_tokenizer(directory)
    declared = AutoTokenizer.from_pretrained(str(directory)) if with_transformers else None
    entries, differing = [], 0
    for text in texts:
        ids = raw.encode(text, add_special_tokens=True).ids
        decoded = raw.decode(ids, skip_special_tokens=False)
        bids = backend(text)["input_ids"]
        bdec = backend.decode(bids, skip_special_tokens=False)
        if (bids, bdec) != (ids, decoded):
            raise SystemExit(f"{directory.name}: tokenizers and transformers' backend disagree on {text!r}: "
                             f"{ids} {decoded!r} vs {bids} {bdec!r}")
        entry = {"text": text, "ids": ids, "decoded": decoded}
        if declared is not None:
            tids = declared(text)["input_ids"]
            tdec = declared.decode(tids, skip_special_tokens=False)
            if tids != ids:
                entry["ids_transformers"] = tids
            if tdec != decoded:
                entry["decoded_transformers"] = tdec
            differing += (tids != ids) or (tdec != decoded)
        entries.append(entry)
    return entries, differing


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(REPO / "Tests" / "Fixtures"))
    args = ap.parse_args()
    out = Path(args.out).resolve()
    if sys.version_info[:2] != (3, 11):
        log("warning: the corpus comes from stdlib docstrings; Python 3.11 reproduces the committed files")

    corpus = build_corpus()
    docs, layouts, variants = {}, {}, []
    for name, layout in LAYOUTS.items():
        directory = out / layout["directory"]
        shutil.rmtree(directory, ignore_errors=True)
        doc = build_doc(corpus, layout)
        docs[name] = doc
        dump_json(directory / "tokenizer.json", doc)
        dump_json(directory / "tokenizer_config.json", transformers_config(doc, layout["config"]))
        entries, differing = golden_entries(doc, directory, TEXTS, with_transformers=True)
        layouts[name] = entries
        log(f"{name}: vocab {len(doc['model']['vocab'])}, {len(doc['model']['merges'])} merges, {len(entries)} texts, "
            f"{layout['config']['tokenizer_class']} differs on {differing}")
    for name, base, sections, model_fields in VARIANTS:
        doc = copy.deepcopy(docs[base])
        doc.update(copy.deepcopy(sections))
        change_model(doc, model_fields)
        with tempfile.TemporaryDirectory() as tmp:
            directory = Path(tmp) / name
            dump_json(directory / "tokenizer.json", doc)
            shutil.copy(out / LAYOUTS[base]["directory"] / "tokenizer_config.json", directory)
            entries, _ = golden_entries(doc, directory, VARIANT_TEXTS, with_transformers=False)
        variants.append({"name": name, "base": base, "replace": sections, "model": model_fields, "entries": entries})
        log(f"variant {name}: {len(entries)} texts")
    dump_golden(out / "golden" / "tokenization_sentencepiece.json", layouts, variants)


def dump_golden(path: Path, layouts: dict, variants: list):
    """The golden file as JSON with one entry per line (readable diffs, a tenth of the indented size)."""

    def line(obj) -> str:
        return json.dumps(obj, ensure_ascii=False)

    def entry_lines(entries: list, indent: str) -> str:
        return ",\n".join(indent + line(e) for e in entries)

    parts = ['{\n "layouts": {']
    blocks = [f'  {line(name)}: [\n{entry_lines(entries, "   ")}\n  ]' for name, entries in layouts.items()]
    parts.append(",\n".join(blocks))
    parts.append(' },\n "variants": [')
    items = []
    for v in variants:
        head = {k: v[k] for k in ("name", "base", "replace", "model")}
        items.append(f'  {line(head)[:-1]}, "entries": [\n{entry_lines(v["entries"], "   ")}\n  ]}}')
    parts.append(",\n".join(items))
    parts.append(" ]\n}\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "\n".join(parts)
    json.loads(text)  # must parse
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
