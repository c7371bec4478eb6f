#!/usr/bin/env python3
"""The live-server part of scripts/test: build as scripts/serve does, run the real server, and attack it.

Usage:
    python3 Tests/Live/live_tests.py [--quick] [--binary PATH]

Steps (each prints one summary line; any failure makes the exit status 1):
 1. scripts/build-release (the Dockerfile's and scripts/serve's steps): packages, static-runtime build, default model.
    With --binary PATH that executable is tested instead and nothing is built (the default model must be installed).
 2. `glassbox serve --port 0` with a fresh database; every curl and Python example of the README, run as written
    (the port substituted), in a scratch directory. Python's `requests` comes from a venv (.venv-ci).
 3. http_fuzz.py: mutated and random requests; every answer well-formed, the server alive afterwards.
 4. http_slowclients.py: 900 idle and 100 byte-by-byte clients while /api/health is polled.
 5. Graceful stop (SIGTERM → exit status 0).
 6. security_tests.py: access tokens (and their timing over 1000 tries), origins, hosts, content types, per-client
    limits, security headers, the refusal to listen beyond loopback without tokens.
 7. routing_tests.py: two instances behind Debian's nginx with config/proxy/nginx-instances.conf's routing by id.
 8. browser_tests.py: the UI in Debian chromium driven by Playwright, checked against the API.
 9. client_tests.py: the Python client's pytest suite (clients/python/tests) in a venv (.venv-client), against
    servers it starts from the binary with the fixture models.
10. load_test.py: 32 concurrent clients, results identical to serial runs.
11. crash_test.py: kill -9 during writes, restart, database intact, completed runs served.
The step scripts (3, 4, 6–11) sit next to this file in Tests/Live/ and run on their own too (see their usage lines).
Loopback only; every step is bounded and stops by itself.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))  # Tests/Live
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from server_process import Server  # noqa: E402

REQUESTS_PIN = "requests==2.34.2"


def readme_examples(kind: str) -> list[str]:
    """The code blocks after `<!-- readme-example: KIND -->` in README.md."""
    text = open(os.path.join(REPO, "README.md"), encoding="utf-8").read()
    return re.findall(r"<!-- readme-example: " + kind + r" -->\s*```\w*\n(.*?)```", text, re.S)


def python_with_requests() -> str:
    venv = os.path.join(REPO, ".venv-ci")
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", REQUESTS_PIN],
                       check=True)
    return python


def live_script(name: str, *arguments: str) -> list[str]:
    """The command line of one of the step scripts next to this file."""
    return [sys.executable, os.path.join(HERE, name), *arguments]


def step(name: str, command: list[str], failures: list[str], **kwargs) -> str:
    start = time.time()
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    output = (result.stdout + result.stderr).strip()
    status = "ok" if result.returncode == 0 else f"FAILED (exit {result.returncode})"
    print(f"[{name}] {status} in {time.time() - start:.1f} s")
    lines = output.splitlines()
    for line in (lines[-8:] if result.returncode == 0 else lines[-40:]):
        print("    " + (line if len(line) <= 240 else line[:240] + f" … ({len(line)} characters)"))
    if result.returncode != 0:
        failures.append(name)
    return result.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller fuzz, slow-client and load counts")
    parser.add_argument("--binary", metavar="PATH",
                        help="test this glassbox executable instead of building one with scripts/build-release")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary) if args.binary else None  # relative to the caller's directory
    os.chdir(REPO)
    failures: list[str] = []
    work = tempfile.mkdtemp(prefix="glassbox-live-")

    if binary is not None:
        if not os.access(binary, os.X_OK):
            print(f"[build-release] FAILED: --binary {binary} is not an executable")
            return 1
        print(f"[build-release] skipped: --binary {binary}")
    else:
        build = subprocess.run(["scripts/build-release"], capture_output=True, text=True)
        if build.returncode != 0:
            print(build.stdout + build.stderr)
            print("[build-release] FAILED")
            return 1
        binary = os.path.abspath(build.stdout.strip().splitlines()[-1])
        print(f"[build-release] ok: {binary}")

    server = Server(binary, os.path.join(work, "runs.sqlite"), log_path=os.path.join(work, "server.log"))
    address = f"127.0.0.1:{server.port}"
    scratch = os.path.join(work, "readme")
    os.makedirs(scratch)
    for i, block in enumerate(readme_examples("curl")):
        script = "set -euo pipefail\n" + block.replace("127.0.0.1:8080", address)
        output = step(f"README curl example {i + 1}", ["bash", "-c", script], failures, cwd=scratch)
        if '"status":"ok"' not in output or '"edges":[' not in output or '"parameter":"layer"' not in output:
            failures.append("README curl output")
            print("    the curl walkthrough did not print health, graph edges and the layer error")
    python = python_with_requests()
    for i, block in enumerate(readme_examples("python")):
        step(f"README Python example {i + 1}", [python, "-c", block.replace("127.0.0.1:8080", address)], failures,
             cwd=scratch)
    if not readme_examples("curl") or not readme_examples("python"):
        failures.append("README examples missing")

    fuzz_cases = "20000" if args.quick else "200000"
    step("fuzz", live_script("http_fuzz.py", "--port", str(server.port), "-n", fuzz_cases), failures)
    idle = "300" if args.quick else "900"  # + 100 trickling = 1000 slow clients, under max_connections (1024)
    step("slow clients", live_script("http_slowclients.py", "--port", str(server.port), "--idle", idle,
                                     "--trickle", "100"), failures)
    status = server.stop()
    print(f"[graceful stop] {'ok' if status == 0 else f'FAILED (exit {status})'}")
    if status != 0:
        failures.append("graceful stop")
        print(open(os.path.join(work, "server.log"), encoding="utf-8", errors="replace").read()[-3000:])

    step("security", live_script("security_tests.py", binary, "--tries", "200" if args.quick else "1000",
                                 "--workdir", work), failures)
    step("routing", live_script("routing_tests.py", binary, "--workdir", work), failures)
    step("browser", live_script("browser_tests.py", "--binary", binary), failures)
    step("Python client", live_script("client_tests.py", "--binary", binary), failures)
    clients = "8" if args.quick else "32"
    step("load", live_script("load_test.py", binary, "--clients", clients, "--workdir", work), failures)
    step("kill -9", live_script("crash_test.py", binary, "--kills", "2" if args.quick else "3", "--workdir", work),
         failures)

    print("live tests: " + ("all passed" if not failures else "FAILED: " + ", ".join(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
