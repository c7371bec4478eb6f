"""What the benchmark references (bench_reference.py, attribution_reference.py) share: argument lists, peak RSS, and
the closing lines (the load and memory summary, the JSON document)."""

from __future__ import annotations

import json
import resource


def int_list(s: str) -> list[int]:
    return [int(x) for x in s.split(",") if x.strip()]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


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
