#!/usr/bin/env python3
"""Writes the GGUF dequantisation fixtures under Tests/Fixtures/gguf/.

- quants.gguf: small tensors of every type Glassbox dequantises (except Q8_K, which gguf-py cannot dequantise),
  written with gguf-py's GGUFWriter. For each type, `<TYPE>.random` holds random block bytes (every bit pattern
  exercised; the f16/f32 scale fields are replaced by random finite values) and, where gguf-py can quantise,
  `<TYPE>.quantized` holds random normal floats quantised with gguf.quants.quantize. A few metadata keys check the
  reader against gguf-py's writer.
- quants_expected.json: {tensor name: {"type", "ne", "f32_hex"}}, where f32_hex is gguf-py's
  gguf.quants.dequantize output as little-endian float32 bytes in hex, compared bit for bit by the Swift tests.

Usage (deterministic): python3 -m venv /tmp/ggufvenv && /tmp/ggufvenv/bin/pip install gguf==0.19.0 numpy
                       /tmp/ggufvenv/bin/python tools/references/make_gguf_fixtures.py
"""
import importlib.metadata
import json
import os

import numpy as np
import gguf
from gguf import GGMLQuantizationType as T
from gguf.constants import GGML_QUANT_SIZES

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "Fixtures", "gguf")

# (type, rows, byte offsets of f16 scale fields inside a block)
TYPES = [
    (T.F32, 3, []), (T.F16, 3, []), (T.BF16, 3, []),
    (T.Q4_0, 3, [0]), (T.Q4_1, 3, [0, 2]), (T.Q5_0, 3, [0]), (T.Q5_1, 3, [0, 2]), (T.Q8_0, 3, [0]),
    (T.Q4_K, 2, [0, 2]), (T.Q5_K, 2, [0, 2]), (T.Q6_K, 2, [208]),
]
QUANTIZABLE = {T.F16, T.BF16, T.Q4_0, T.Q4_1, T.Q5_0, T.Q5_1, T.Q8_0}


def main() -> None:
    rng = np.random.default_rng(20240611)
    writer = gguf.GGUFWriter(os.path.join(OUT, "quants.gguf"), arch="glassbox-test")
    writer.add_string("test.string", "héllo ▁wörld")
    writer.add_array("test.strings", ["a", "", "<0x0A>"])
    writer.add_uint32("test.u32", 4_000_000_000)
    writer.add_int64("test.i64", -(2 ** 40))
    writer.add_float32("test.f32", 1e-6)
    writer.add_bool("test.bool", True)
    writer.add_array("test.floats", [0.5, -2.25])
    expected = {}

    def add(name, qtype, raw, ne):
        block_elems, block_bytes = GGML_QUANT_SIZES[qtype]
        raw = np.ascontiguousarray(raw, dtype=np.uint8).reshape(ne[1], ne[0] // block_elems * block_bytes)
        writer.add_tensor(name, raw, raw_dtype=qtype)
        values = gguf.quants.dequantize(raw, qtype).astype("<f4")
        assert values.shape == (ne[1], ne[0])
        expected[name] = {"type": qtype.name, "ne": ne, "f32_hex": values.tobytes().hex()}

    for qtype, rows, scale_offsets in TYPES:
        block_elems, block_bytes = GGML_QUANT_SIZES[qtype]
        ne0 = 64 if block_elems <= 32 else 256
        ne = [ne0, rows]
        if qtype == T.F32:
            floats = rng.standard_normal((rows, ne0)).astype(np.float32)
            add("F32.random", qtype, floats.view(np.uint8), ne)
            continue
        if qtype in QUANTIZABLE:
            floats = (rng.standard_normal((rows, ne0)) * 0.1).astype(np.float32)
            if qtype == T.F16:
                raw = floats.astype("<f2").view(np.uint8)
            else:
                raw = gguf.quants.quantize(floats, qtype)
            add(f"{qtype.name}.quantized", qtype, raw, ne)
        if qtype in (T.F16, T.BF16):
            continue
        blocks = rows * ne0 // block_elems
        raw = rng.integers(0, 256, size=(blocks, block_bytes), dtype=np.uint8)
        for offset in scale_offsets:
            scale = (rng.uniform(1e-3, 2e-2, size=blocks) * rng.choice([-1, 1], size=blocks)).astype("<f2")
            raw[:, offset:offset + 2] = scale.view(np.uint8).reshape(blocks, 2)
        add(f"{qtype.name}.random", qtype, raw, ne)

    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    with open(os.path.join(OUT, "quants_expected.json"), "w") as f:
        generator = "tools/references/make_gguf_fixtures.py with gguf " + importlib.metadata.version("gguf")
        json.dump({"generator": generator, "tensors": expected}, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
