#!/usr/bin/env python3
"""Hold many idle and byte-by-byte clients open against a running Glassbox server while timing a health URL.

Usage:
    python3 Tests/Live/http_slowclients.py --port 8080 [--idle 300] [--trickle 100] [--polls 200]
                                           [--health /api/health] [--interval 0.2]

Loopback only. Opens --idle connections that send nothing and --trickle connections that send a request one byte
every --interval seconds, then sends --polls sequential GETs of --health, each on a new connection, and reports
their latency (p50, p99, max) next to a baseline measured before the slow clients connected. Bounded: everything
stops after the polls (or --max-seconds); the sockets are closed at exit. Raise the open-file limit (ulimit -n) for
more than about 1000 clients.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import threading
import time


def poll(host: str, port: int, path: str, timeout: float) -> float | None:
    """Seconds for one GET on a fresh connection, or None on a failure or non-200."""
    start = time.perf_counter()
    try:
        with socket.create_connection((host, port), timeout=timeout) as s:
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
    except OSError:
        return None
    if not data.startswith(b"HTTP/1.1 200 "):
        return None
    return time.perf_counter() - start


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def measure(label: str, host: str, port: int, path: str, count: int, timeout: float, deadline: float) -> bool:
    times, failures = [], 0
    for _ in range(count):
        if time.monotonic() > deadline:
            break
        t = poll(host, port, path, timeout)
        if t is None:
            failures += 1
        else:
            times.append(t * 1000)
    if times:
        print(f"{label}: {len(times)} ok, {failures} failed; p50 {percentile(times, 50):.2f} ms, "
              f"p99 {percentile(times, 99):.2f} ms, max {max(times):.2f} ms, mean {statistics.mean(times):.2f} ms")
    else:
        print(f"{label}: all {failures} polls failed")
    return failures == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--idle", type=int, default=300)
    parser.add_argument("--trickle", type=int, default=100)
    parser.add_argument("--interval", type=float, default=0.2, help="seconds between trickled bytes")
    parser.add_argument("--polls", type=int, default=200)
    parser.add_argument("--health", default="/api/health")
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--max-seconds", type=float, default=120.0)
    args = parser.parse_args()
    if args.host not in ("127.0.0.1", "::1", "localhost"):
        print("refusing a non-loopback host", file=sys.stderr)
        return 2
    deadline = time.monotonic() + args.max_seconds
    ok = measure("baseline", args.host, args.port, args.health, min(args.polls, 50), args.timeout, deadline)

    sockets: list[socket.socket] = []
    refused = 0
    for _ in range(args.idle + args.trickle):
        try:
            sockets.append(socket.create_connection((args.host, args.port), timeout=args.timeout))
        except OSError:
            refused += 1
    print(f"opened {len(sockets)} slow connections ({refused} failed to connect)")
    trickled = sockets[args.idle:]
    stop = threading.Event()

    def trickle() -> None:
        request = f"GET {args.health} HTTP/1.1\r\nHost: localhost\r\nX-Padding: {'p' * 4000}\r\n\r\n".encode()
        position = 0
        while not stop.is_set() and position < len(request):
            for s in trickled:
                try:
                    s.send(request[position:position + 1])
                except OSError:
                    pass
            position += 1
            stop.wait(args.interval)

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    time.sleep(min(1.0, args.interval * 2))
    ok = measure(f"with {args.idle} idle + {args.trickle} trickling clients", args.host, args.port, args.health,
                 args.polls, args.timeout, deadline) and ok
    stop.set()
    thread.join(timeout=5)
    still_open = answered = closed = 0
    for s in sockets:
        try:
            s.setblocking(False)
            if s.recv(65536):
                answered += 1  # e.g. a 408 for a head that took too long, or the trickled request's response
            else:
                closed += 1
        except BlockingIOError:
            still_open += 1
        except OSError:
            closed += 1
        s.close()
    print(f"slow connections at the end: {still_open} open and silent, {answered} answered, {closed} closed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
