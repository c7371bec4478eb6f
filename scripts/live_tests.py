#!/usr/bin/env python3
"""The live-server part of scripts/test: build as scripts/serve does, run the real server, and attack it.

Usage:
    python3 scripts/live_tests.py [--quick]

Steps (each prints one summary line; any failure makes the exit status 1):
 1. scripts/build-release (the Dockerfile's and scripts/serve's steps): packages, static-runtime build, default model.
 2. `glassbox serve --port 0` with a fresh database; every curl and Python example of the README, run as written
    (the port substituted), in a scratch directory. Python's `requests` comes from a venv (.venv-ci).
 3. scripts/http_fuzz.py: mutated and random requests; every answer well-formed, the server alive afterwards.
 4. scripts/http_slowclients.py: 900 idle and 100 byte-by-byte clients while /api/health is polled.
 5. Graceful stop (SIGTERM → exit status 0).
 6. scripts/browser_tests.py: the UI in Debian chromium driven by Playwright, checked against the API.
 7. scripts/load_test.py: 32 concurrent clients, results identical to serial runs.
 8. scripts/crash_test.py: kill -9 during writes, restart, database intact, completed runs served.
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

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "scripts"))
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
    args = parser.parse_args()
    os.chdir(REPO)
    failures: list[str] = []
    work = tempfile.mkdtemp(prefix="glassbox-live-")

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
    step("fuzz", [sys.executable, "scripts/http_fuzz.py", "--port", str(server.port), "-n", fuzz_cases], failures)
    idle = "300" if args.quick else "900"  # + 100 trickling = 1000 slow clients, under max_connections (1024)
    step("slow clients", [sys.executable, "scripts/http_slowclients.py", "--port", str(server.port), "--idle", idle,
                          "--trickle", "100"], failures)
    status = server.stop()
    print(f"[graceful stop] {'ok' if status == 0 else f'FAILED (exit {status})'}")
    if status != 0:
        failures.append("graceful stop")
        print(open(os.path.join(work, "server.log"), encoding="utf-8", errors="replace").read()[-3000:])

    step("browser", [sys.executable, "scripts/browser_tests.py", "--binary", binary], failures)
    clients = "8" if args.quick else "32"
    step("load", [sys.executable, "scripts/load_test.py", binary, "--clients", clients, "--workdir", work], failures)
    step("kill -9", [sys.executable, "scripts/crash_test.py", binary, "--kills", "2" if args.quick else "3",
                     "--workdir", work], failures)

    print("live tests: " + ("all passed" if not failures else "FAILED: " + ", ".join(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
