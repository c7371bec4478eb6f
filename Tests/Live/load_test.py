#!/usr/bin/env python3
"""Concurrent mixed load against `glassbox serve`, checked against serial results.

Usage:
    python3 Tests/Live/load_test.py BINARY [--clients 32] [--rounds 3] [--workdir DIR]

Phase 1: a server with a fresh database; CLIENTS threads at once each POST runs of different prompts and read
their graph and lens (ROUNDS times over a fixed prompt list, so runs are both computed concurrently and found
again). Every response must be 200. Phase 2: a second server with another fresh database computes the same
requests one at a time. Every body of phase 1 must equal the serial body byte for byte. Loopback only, bounded,
stops by itself; exit status 1 on any error or difference.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_process import Server  # noqa: E402

PROMPTS = [
    "The war lasted from the year 1732 to the year 17",
    "5 + 4 = 9, 2 + 3 =",
    "When Mary and John went to the store, John gave a drink to",
    "The capital of France is",
    "The quick brown fox jumps over the lazy",
    "def add(a, b):\n    return",
    "Paris is to France as Rome is to",
    "One, two, three, four,",
]


def requests_for(prompt: str):
    """The requests one client makes for one prompt: the run, then reads that need its id."""
    return [("POST", "/api/runs", {"prompt": prompt, "options": {"top_k": 5}}),
            ("GET", "/api/runs/{id}/graph?threshold=0.04&target=-1", None),
            ("GET", "/api/runs/{id}/graph?threshold=0.03&renormalize=false", None),
            ("GET", "/api/runs/{id}/lens?layer=3&point=mid", None),
            ("GET", "/api/runs/{id}/attention?layer=1&head=0", None)]


def run_prompt(server: Server, prompt: str):
    """[(request label, status, body)] for one prompt."""
    results, run_id = [], None
    for method, path, body in requests_for(prompt):
        path = path.replace("{id}", run_id or "")
        status, _, data = server.request(method, path, body)
        if method == "POST" and status == 200:
            run_id = json.loads(data)["id"]
        results.append((f"{method} {path.split('?')[0].split('/')[-1]}?{path.partition('?')[2]} [{prompt[:20]}]", status, data))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workdir", default=None)
    args = parser.parse_args()
    workdir = args.workdir or tempfile.mkdtemp(prefix="glassbox-load-")
    # Enough queue for every client: the test is about correctness under concurrency, not admission control.
    env = {"GLASSBOX_THREADS": "2"}

    concurrent = Server(args.binary, os.path.join(workdir, "concurrent.sqlite"), extra_env=env,
                        log_path=os.path.join(workdir, "concurrent.log"))
    collected: dict[str, set[bytes]] = {}
    errors: list[str] = []
    lock = threading.Lock()
    count = [0]

    def client(index: int):
        for r in range(args.rounds):
            prompt = PROMPTS[(index + r) % len(PROMPTS)]
            for label, status, data in run_prompt(concurrent, prompt):
                with lock:
                    count[0] += 1
                    if status != 200:
                        errors.append(f"{label}: {status} {data[:200]!r}")
                    collected.setdefault(label, set()).add(data)

    start = time.time()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.time() - start
    concurrent_status = concurrent.stop()

    serial = Server(args.binary, os.path.join(workdir, "serial.sqlite"), extra_env=env,
                    log_path=os.path.join(workdir, "serial.log"))
    differences = 0
    for prompt in PROMPTS:
        for label, status, data in run_prompt(serial, prompt):
            seen = collected.get(label, set())
            if seen != {data}:
                differences += 1
                errors.append(f"{label}: {len(seen)} distinct concurrent bodies, serial differs: {data not in seen}")
    serial_status = serial.stop()

    print(f"load: {args.clients} clients, {count[0]} requests in {elapsed:.1f} s ({count[0] / elapsed:.1f} req/s), "
          f"{len(errors) - differences} errors, {differences} responses differing from the serial run; "
          f"graceful stops: {concurrent_status}, {serial_status}")
    for e in errors[:10]:
        print("  " + e)
    return 0 if not errors and concurrent_status == 0 and serial_status == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
