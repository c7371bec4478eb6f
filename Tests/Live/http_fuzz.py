#!/usr/bin/env python3
"""Send mutated HTTP/1.1 requests to a running Glassbox server and check every answer is well-formed.

Usage:
    python3 Tests/Live/http_fuzz.py --port 8080 [-n 2000] [--seed 1] [--workers 4] [--health /api/health]

Loopback only (the host must be 127.0.0.1, ::1 or localhost). Each case opens a connection, sends one mutated
request (or a few pipelined), half-closes, and reads until the server closes (10 s timeout per case). Every byte
the server sent must split into responses with an HTTP/1.1 status line, a known status, header lines and a
Content-Length body. Bounded: stops after n cases. At the end one normal GET of --health must answer 200.

Output: counts by status, malformed responses (first few shown), timeouts and connection errors. Exit status 1
when anything was malformed or the health check failed.
"""

from __future__ import annotations

import argparse
import random
import socket
import sys
import threading
import time
from collections import Counter

KNOWN = {200, 201, 202, 204, 301, 302, 304, 400, 401, 403, 404, 405, 408, 409, 411, 413, 414, 415, 421, 422, 429,
         431, 500, 501, 503, 505}

CORPUS = [
    b"GET {health} HTTP/1.1\r\nHost: localhost\r\n\r\n",
    b"GET /api/runs/abc/graph?threshold=0.04&target=all HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n",
    b"POST /api/runs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n{\"prompt\": \"hi\"}\n",
    b"PUT /api/runs HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n3;e=1\r\nabc\r\n0\r\nT: 1\r\n\r\n",
    b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
    b"DELETE /api/models HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    b"GET /index.html HTTP/1.1\r\nHost: localhost\r\n\r\nGET /../../etc/passwd HTTP/1.1\r\nHost: localhost\r\n\r\n",
]

INTERESTING = [b"\r\n", b"\n", b"\r", b" ", b"\t", b":", b"%", b"%00", b"%2e%2e/", b"/../", b"\x00", b"chunked",
               b"Content-Length: 9\r\n", b"Transfer-Encoding: chunked\r\n", b"ffffffffffffffffff",
               b"99999999999999999999", b"HTTP/9.9", b"\r\n\r\n", b";", b",", b"\xff", b"Host: a\r\n"]


def mutate(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        pos = rng.randrange(len(b)) if b else 0
        op = rng.randrange(8)
        if op == 0 and b:
            b[pos] = rng.randrange(256)
        elif op == 1:
            b.insert(pos, rng.randrange(256))
        elif op == 2 and b:
            del b[pos]
        elif op == 3:
            b[pos:pos] = rng.choice(INTERESTING)
        elif op == 4:
            del b[pos:]
        elif op == 5:
            b[pos:pos] = b[pos:pos + rng.randint(1, 64)]
        elif op == 6:
            b[pos:pos] = b"A" * rng.randint(1, 20000)
        else:
            b += rng.choice(CORPUS)
    return bytes(b)


def split_responses(data: bytes, head_request: bool) -> list[int]:
    """Statuses of the responses in data; raises ValueError when something is malformed."""
    statuses = []
    while data:
        end = data.find(b"\r\n\r\n")
        if end < 0:
            raise ValueError(f"unterminated head {data[:120]!r}")
        lines = data[:end].split(b"\r\n")
        parts = lines[0].split(b" ", 2)
        if len(parts) != 3 or parts[0] != b"HTTP/1.1" or not parts[1].isdigit() or int(parts[1]) not in KNOWN:
            raise ValueError(f"bad status line {lines[0]!r}")
        status = int(parts[1])
        length = None
        for line in lines[1:]:
            name, sep, value = line.partition(b":")
            if not sep or not name or b" " in name:
                raise ValueError(f"bad header line {line!r}")
            if name.lower() == b"content-length":
                length = int(value.strip())
        if status in (204, 304) or 100 <= status < 200 or head_request:
            length = 0
        if length is None or len(data) - end - 4 < length:
            raise ValueError(f"missing or short body (status {status})")
        statuses.append(status)
        data = data[end + 4 + length:]
    return statuses


def run_case(host: str, port: int, request: bytes, timeout: float) -> tuple[str, list[int] | str]:
    try:
        with socket.create_connection((host, port), timeout=timeout) as s:
            try:
                s.sendall(request)
            except OSError:
                pass  # the server may answer and close before everything is sent
            try:
                s.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            chunks = []
            while True:
                try:
                    chunk = s.recv(65536)
                except ConnectionResetError:
                    break
                if not chunk:
                    break
                chunks.append(chunk)
    except socket.timeout:
        return "timeout", "no close within the timeout"
    except OSError as error:
        return "connection error", str(error)
    try:
        return "ok", split_responses(b"".join(chunks), request.startswith(b"HEAD "))
    except ValueError as error:
        return "malformed", str(error)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("-n", type=int, default=2000, help="number of cases (bounded)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--health", default="/api/health", help="path that must answer 200 afterwards")
    parser.add_argument("--timeout", type=float, default=10.0)
    args = parser.parse_args()
    if args.host not in ("127.0.0.1", "::1", "localhost"):
        print("refusing a non-loopback host", file=sys.stderr)
        return 2
    corpus = [c.replace(b"{health}", args.health.encode()) for c in CORPUS]
    statuses: Counter[int] = Counter()
    outcomes: Counter[str] = Counter()
    problems: list[str] = []
    lock = threading.Lock()
    counter = iter(range(min(args.n, 1_000_000)))

    def worker(index: int) -> None:
        rng = random.Random(args.seed * 1000 + index)
        while True:
            with lock:
                case = next(counter, None)
            if case is None:
                return
            request = mutate(rng.choice(corpus), rng)
            outcome, detail = run_case(args.host, args.port, request, args.timeout)
            with lock:
                outcomes[outcome] += 1
                if outcome == "ok":
                    statuses.update(detail)
                elif len(problems) < 10:
                    problems.append(f"{outcome}: {detail} for {request[:200]!r}")

    start = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(max(1, args.workers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    outcome, detail = run_case(args.host, args.port,
                               f"GET {args.health} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode(),
                               args.timeout)
    healthy = outcome == "ok" and detail == [200]
    print(f"{args.n} cases in {elapsed:.1f} s; outcomes: {dict(outcomes)}")
    print("responses by status: " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())))
    for problem in problems:
        print("  " + problem)
    print(f"health check {args.health}: {'200 OK' if healthy else f'FAILED ({outcome}: {detail})'}")
    return 0 if healthy and outcomes["malformed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
