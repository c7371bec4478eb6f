#!/usr/bin/env python3
"""Live tests of an exposed Glassbox: access tokens, their timing, origins, hosts, content types, per-client limits,
security headers and the refusal to listen beyond loopback without tokens.

Usage:
    python3 Tests/Live/security_tests.py BINARY [--tries 1000] [--workdir DIR]

Servers under test (`glassbox serve`, the tiny fixture model tiny-gpt2 from Tests/Fixtures/models, each with its own
configuration and database in a temporary directory):
  A: two access tokens, limits.client_compute_per_minute 6 with bursts of 3;
  B: no tokens, the same limit, so clients are told apart by their address (127.0.0.1 and 127.0.0.2);
  C: `--host 0.0.0.0` without tokens (must refuse to start), with GLASSBOX_TOKEN, and with --insecure-no-auth.
Checks, one line each: no token → 401 with WWW-Authenticate; the right token → 200; wrong tokens → 401 whose
timing does not depend on how much of the right token they share (medians of --tries requests each, interleaved on
one connection, within noise); a text/plain POST → 415, a foreign Origin → 403, a foreign Host → 421; a flood from
one client → 429 with Retry-After while another client's requests pass (by token on A, by address on B); the
security headers on the UI's HTML and JavaScript, API answers, errors and the HTTP layer's own 400; /api/health open
and counting the refusals. Exit status 1 on any failure. Stdlib only.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))  # Tests/Live
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from server_process import Server  # noqa: E402
MODEL = os.path.join(REPO, "Tests", "Fixtures", "models", "tiny-gpt2")
HEADERS = ("Content-Security-Policy", "X-Frame-Options", "Referrer-Policy", "Cross-Origin-Opener-Policy",
           "X-Content-Type-Options")
RUN = {"prompt": "The quick brown fox"}

failures: list[str] = []


def check(name: str, ok: bool, detail: str) -> None:
    print(f"[{name}] {'ok' if ok else 'FAILED'}: {detail}", flush=True)
    if not ok:
        failures.append(name)


def write_config(directory: str, extra: str, limits: str) -> str:
    text = (f'{{"default_model": "tiny-gpt2", "threads": 1,\n'
            f' "cache": {{"path": {json.dumps(os.path.join(directory, "models"))}, '
            f'"database": {json.dumps(os.path.join(directory, "runs.sqlite"))}}},\n'
            f' "limits": {limits},{extra}\n'
            f' "models": {{"tiny-gpt2": {{"path": {json.dumps(MODEL)}, "license": "test fixture"}}}}}}\n')
    path = os.path.join(directory, "glassbox.json")
    with open(path, "w", encoding="utf-8") as file:
        file.write(text)
    return path


def serve(binary: str, work: str, name: str, extra: str = "", limits: str = "{}", host: str = "127.0.0.1",
          args=(), env=None):
    """A server with its own configuration in work/name (GLASSBOX_TOKEN only as `env` gives it), or None after a
    failed check saying why it did not start."""
    directory = os.path.join(work, name)
    os.makedirs(directory)
    config = write_config(directory, extra, limits)
    log = os.path.join(directory, "server.log")
    environment = {"GLASSBOX_PUBLIC_DIR": os.path.join(REPO, "Public"), "GLASSBOX_TOKEN": "", **(env or {})}
    try:
        return Server(binary, os.path.join(directory, "runs.sqlite"), config=config, extra_env=environment,
                      log_path=log, host=host, args=args)
    except RuntimeError as error:
        with open(log, encoding="utf-8", errors="replace") as file:
            check(f"server {name}", False, f"{error}: {file.read()[-500:]}")
        return None


def request(port: int, method: str, path: str, body=None, headers=None, source: str | None = None,
            raw_body: bytes | None = None):
    """(status, headers with lowercase names, parsed JSON or text) of one request on a fresh connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120,
                                            source_address=(source, 0) if source else None)
    try:
        fields = {"Host": f"127.0.0.1:{port}"}
        payload = raw_body
        if body is not None:
            payload = json.dumps(body).encode()
            fields["Content-Type"] = "application/json"
        fields.update(headers or {})
        connection.request(method, path, body=payload, headers=fields)
        response = connection.getresponse()
        data = response.read()
        answer = {name.lower(): value for name, value in response.getheaders()}
        try:
            parsed = json.loads(data)
        except ValueError:
            parsed = data.decode("utf-8", "replace")
        return response.status, answer, parsed
    finally:
        connection.close()


def code(parsed) -> str:
    return parsed.get("error", {}).get("code", "") if isinstance(parsed, dict) else ""


def bearer(token: str) -> dict:
    return {"Authorization": "Bearer " + token}


def token_timing(port: int, token: str, tries: int) -> None:
    """Wrong tokens that share 0 or all but one of the right token's characters take the same time."""
    near = token[:-1] + ("0" if token[-1] != "0" else "1")
    far = ("0" if token[0] != "0" else "1") + token[1:]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    times = {"near": [], "far": []}
    statuses = set()
    try:
        for i in range(2 * tries):
            kind = "near" if i % 2 == 0 else "far"
            start = time.perf_counter()
            connection.request("GET", "/api/models", headers={"Host": f"127.0.0.1:{port}",
                                                             **bearer(near if kind == "near" else far)})
            response = connection.getresponse()
            response.read()
            times[kind].append(time.perf_counter() - start)
            statuses.add(response.status)
    finally:
        connection.close()
    near_median, far_median = statistics.median(times["near"]), statistics.median(times["far"])
    # The noise: how far apart the medians of two halves of the same kind of request fall.
    halves = [statistics.median(times[kind][j::2]) for kind in times for j in (0, 1)]
    noise = max(abs(halves[0] - halves[1]), abs(halves[2] - halves[3]))
    difference = abs(near_median - far_median)
    allowed = max(3 * noise, 0.05 * min(near_median, far_median), 20e-6)
    check("wrong-token timing", statuses == {401} and difference <= allowed,
          f"{tries} tries each, all {sorted(statuses)}: median {near_median * 1e6:.0f} µs (all but the last "
          f"character right) vs {far_median * 1e6:.0f} µs (the first wrong), difference {difference * 1e6:.1f} µs, "
          f"noise {noise * 1e6:.1f} µs, allowed {allowed * 1e6:.1f} µs")


def tokens_server(binary: str, work: str, tries: int) -> None:
    first, second = "gb_" + secrets.token_hex(32), "gb_" + secrets.token_hex(32)
    digests = ", ".join(f'"sha256:{hashlib.sha256(t.encode()).hexdigest()}"' for t in (first, second))
    server = serve(binary, work, "tokens", f' "auth": {{"tokens": [{digests}]}},',
                   '{"client_compute_per_minute": 6, "client_compute_burst": 3}')
    if server is None:
        return
    try:
        port = server.port
        status, headers, body = request(port, "GET", "/api/models")
        check("no token", status == 401 and code(body) == "unauthorized"
              and headers.get("www-authenticate") == 'Bearer realm="glassbox"',
              f"GET /api/models → {status} {code(body)}, WWW-Authenticate: {headers.get('www-authenticate')}")
        status, headers, body = request(port, "GET", "/api/models", headers=bearer(first[:-1] + "x"))
        check("wrong token", status == 401 and code(body) == "invalid_token"
              and "invalid_token" in headers.get("www-authenticate", ""), f"→ {status} {code(body)}")
        status, _, body = request(port, "GET", "/api/models", headers=bearer(first))
        check("right token", status == 200 and isinstance(body, dict) and "models" in body, f"→ {status}")
        status, _, body = request(port, "GET", "/api/health")
        check("health without a token", status == 200 and body.get("security", {}).get("tokens_required") is True,
              f"→ {status}")
        token_timing(port, first, tries)

        status, _, body = request(port, "POST", "/api/runs", raw_body=json.dumps(RUN).encode(),
                                  headers={**bearer(first), "Content-Type": "text/plain"})
        check("text/plain POST", status == 415 and code(body) == "unsupported_media_type", f"→ {status} {code(body)}")
        status, _, body = request(port, "POST", "/api/runs", body=RUN,
                                  headers={**bearer(first), "Origin": "http://evil.example"})
        check("foreign Origin", status == 403 and code(body) == "forbidden_origin", f"→ {status} {code(body)}")
        status, _, body = request(port, "GET", "/api/models", headers={**bearer(first), "Host": "evil.example"})
        check("foreign Host", status == 421 and code(body) == "misdirected_request", f"→ {status} {code(body)}")

        # A flood from the first token's holder; the second's requests pass meanwhile.
        flood = [request(port, "POST", "/api/runs", body=RUN, headers=bearer(first)) for _ in range(12)]
        limited = [(s, h) for s, h, _ in flood if s == 429]
        passed = sum(1 for s, _, _ in flood if s == 200)
        retry = [int(h.get("retry-after", "0")) for _, h in limited]
        other = [request(port, "POST", "/api/runs", body=RUN, headers=bearer(second))[0] for _ in range(3)]
        check("flood by token", passed <= 4 and len(limited) >= 8 and all(r >= 1 for r in retry) and other == [200] * 3,
              f"first token: {passed} passed, {len(limited)} × 429 (Retry-After {sorted(set(retry))} s); "
              f"second token meanwhile: {other}")
        status, _, body = request(port, "GET", "/api/health")
        security = body.get("security", {})
        check("refusals counted", security.get("refused_rate_limited", 0) >= 8
              and security.get("refused_unauthorized", 0) >= 2 + 2 * tries,
              f"/api/health security: {security}")
    finally:
        server.stop()


def address_server(binary: str, work: str) -> None:
    server = serve(binary, work, "addresses", limits='{"client_compute_per_minute": 6, "client_compute_burst": 3}',
                   host="0.0.0.0", args=("--insecure-no-auth",))
    if server is None:
        return
    try:
        port = server.port
        flood = [request(port, "POST", "/api/runs", body=RUN, source="127.0.0.1")[0] for _ in range(10)]
        other = [request(port, "POST", "/api/runs", body=RUN, source="127.0.0.2")[0] for _ in range(3)]
        check("flood by address", flood.count(429) >= 6 and flood[:3] == [200] * 3 and other == [200] * 3,
              f"127.0.0.1: {flood}; 127.0.0.2 meanwhile: {other}")
        seen = {}
        for path in ("/", "/js/app.js", "/api/models", "/api/runs/nope"):
            _, headers, _ = request(port, "GET", path)
            seen[path] = headers
        with socket.create_connection(("127.0.0.1", port), timeout=30) as raw:
            raw.sendall(b"GET / HTTP/1.1\r\nHost localhost\r\n\r\n")  # malformed: the HTTP layer's own 400
            head = raw.recv(65536).decode("latin-1")
        own = {line.split(":", 1)[0].strip().lower(): line.split(":", 1)[1].strip()
               for line in head.split("\r\n")[1:] if ":" in line}
        seen["malformed request (400)"] = own
        missing = {path: [h for h in HEADERS if h.lower() not in headers] for path, headers in seen.items()}
        csp = seen["/"].get("content-security-policy", "")
        check("security headers", not any(missing.values()) and "'unsafe-inline'" not in csp
              and "frame-ancestors 'none'" in csp and seen["/api/models"].get("cache-control") == "no-store"
              and head.startswith("HTTP/1.1 400"),
              f"missing: {missing}; CSP {csp!r}; /api/models Cache-Control {seen['/api/models'].get('cache-control')}")
    finally:
        server.stop()


def refusal_to_start(binary: str, work: str) -> None:
    directory = os.path.join(work, "exposed")
    os.makedirs(directory)
    config = write_config(directory, "", "{}")
    environment = dict(os.environ, GLASSBOX_CONFIG=config, GLASSBOX_PUBLIC_DIR=os.path.join(REPO, "Public"))
    environment.pop("GLASSBOX_TOKEN", None)
    refused = subprocess.run([binary, "serve", "--port", "0", "--host", "0.0.0.0"], env=environment,
                             capture_output=True, text=True, timeout=120)
    check("0.0.0.0 without tokens", refused.returncode != 0 and "--insecure-no-auth" in refused.stderr
          and "glassbox token new" in refused.stderr,
          f"exit {refused.returncode}: {refused.stderr.strip()[-300:]}")
    token = "gb_" + secrets.token_hex(32)
    server = serve(binary, work, "exposed-with-token", host="0.0.0.0", env={"GLASSBOX_TOKEN": token})
    if server is None:
        return
    try:
        status = request(server.port, "GET", "/api/models", headers=bearer(token))[0]
        unauthenticated = request(server.port, "GET", "/api/models")[0]
        check("0.0.0.0 with GLASSBOX_TOKEN", status == 200 and unauthenticated == 401,
              f"with the token {status}, without {unauthenticated}")
    finally:
        server.stop()

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    parser.add_argument("--tries", type=int, default=1000)
    parser.add_argument("--workdir")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="glassbox-security-", dir=args.workdir)
    tokens_server(os.path.abspath(args.binary), work, args.tries)
    address_server(os.path.abspath(args.binary), work)
    refusal_to_start(os.path.abspath(args.binary), work)
    print("security tests: " + ("all passed" if not failures else "FAILED: " + ", ".join(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
