"""What the benchmark references (bench_reference.py, attribution_reference.py) share: argument lists, peak RSS,
loading the model, and the closing lines (the load and memory summary, the JSON document)."""

from __future__ import annotations

import json
import os
import platform
import resource


def int_list(s: str) -> list[int]:
    return [int(x) for x in s.split(",") if x.strip()]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def environment_info(load_s: float, rss_before: float, rss_loaded: float) -> dict:
    """The info fields both references report: versions, cores, load time and memory so far."""
    import torch
    import transformers

    return dict(
        torch=torch.__version__,
        transformers=transformers.__version__,
        python=platform.python_version(),
        cpu_count=os.cpu_count(),
        load_s=load_s,
        peak_rss_mb_before_load=rss_before,
        peak_rss_mb_after_load=rss_loaded,
        peak_rss_mb=peak_rss_mb(),
    )


def finish(info: dict, results: list, load_s: float, rss_loaded: float, rss_before: float, json_path, table_out):
    """Prints the load and memory line to `table_out`, then writes `{info, results}` to `json_path` ("-": stdout)."""
    print(
        f"load {load_s:.2f} s; peak RSS {info['peak_rss_mb']:.0f} MB "
        f"(after load {rss_loaded:.0f} MB, before load {rss_before:.0f} MB)",
        file=table_out,
    )
    if json_path:
        text = json.dumps(dict(info=info, results=results), indent=2)
        if json_path == "-":
            print(text)
        else:
            with open(json_path, "w") as f:
                f.write(text + "\n")


def load_model(path: str, attn: str):
    """The model at `path` (a Hugging Face directory or a GGUF file) in float32, in eval mode."""
    import torch
    from transformers import AutoModelForCausalLM

    if path.endswith(".gguf"):
        # transformers dequantises the GGUF to float32 (needs gguf and accelerate: tools/references/requirements.txt)
        model = AutoModelForCausalLM.from_pretrained(
            os.path.dirname(os.path.abspath(path)), gguf_file=os.path.basename(path), dtype=torch.float32,
            attn_implementation=attn)
    else:
        model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32, attn_implementation=attn)
    return model.eval()
