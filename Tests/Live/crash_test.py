#!/usr/bin/env python3
"""kill -9 during writes, then restart: the database stays consistent and completed runs are served.

Usage:
    python3 Tests/Live/crash_test.py BINARY [--kills 3] [--workdir DIR]

Each round starts `glassbox serve` on one database, has 4 clients POST new prompts and read graphs as fast as
they can, and sends SIGKILL after a random short time while writes are in flight. Then a new server opens the
same database: SQLite's quick_check must say ok and every run whose POST had answered 200 before the kill must be
served by GET /api/runs/{id} with the same summary. Loopback only, bounded; exit status 1 on any loss.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_process import Server  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--workdir", default=None)
    args = parser.parse_args()
    workdir = args.workdir or tempfile.mkdtemp(prefix="glassbox-crash-")
    database = os.path.join(workdir, "runs.sqlite")
    rng = random.Random(7)
    completed: dict[str, bytes] = {}
    failures: list[str] = []
    serial = [0]

    for round_ in range(args.kills):
        server = Server(args.binary, database, log_path=os.path.join(workdir, f"server{round_}.log"))
        stop = threading.Event()
        lock = threading.Lock()

        def client(index: int):
            while not stop.is_set():
                with lock:
                    serial[0] += 1
                    n = serial[0]
                try:
                    status, _, body = server.request("POST", "/api/runs",
                                                     {"prompt": f"Request {n} from client {index}: the number is {n * 7}"},
                                                     timeout=60)
                    if status == 200:
                        run = json.loads(body)
                        with lock:
                            completed[run["id"]] = body
                        server.request("GET", f"/api/runs/{run['id']}/graph?target=-1", timeout=60)
                except Exception:
                    return  # the server was killed

        threads = [threading.Thread(target=client, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        time.sleep(2.0 + rng.random() * 3.0)
        server.kill()
        stop.set()
        for t in threads:
            t.join()

        check = sqlite3.connect(database).execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            failures.append(f"round {round_}: quick_check says {check}")
        restarted = Server(args.binary, database, log_path=os.path.join(workdir, f"restart{round_}.log"))
        for run_id, summary in completed.items():
            status, _, body = restarted.request("GET", f"/api/runs/{run_id}")
            if status != 200 or body != summary:
                failures.append(f"round {round_}: run {run_id[:12]} answered {status} after the restart")
        restarted.stop()

    print(f"crash: {args.kills} kill -9 rounds, {len(completed)} completed runs all checked after restarts, "
          f"{len(failures)} failures")
    for f in failures[:10]:
        print("  " + f)
    return 0 if not failures and completed else 1


if __name__ == "__main__":
    sys.exit(main())
