#!/usr/bin/env python3
"""The Python client's tests (clients/python/tests, pytest) against live servers started from a glassbox binary.

Usage:
    python3 Tests/Live/client_tests.py --binary .build/serve/release/glassbox [pytest arguments...]

Setup: a venv .venv-client (python3-venv from Debian if a venv cannot be made, as root), into which
`pip install ./clients/python[frames,graphs,progress] pytest` installs the client as a user would (from its
pyproject.toml, not the source tree) with numpy, pandas, networkx, tqdm and pytest from PyPI; it runs each time, so
the venv has the client as it is now. Then the venv's pytest runs in clients/python (importing the installed client)
with GLASSBOX_BINARY set: the tests start their own servers (tests/conftest.py: Tests/Live/server_process.py, the fixture models of Tests/Fixtures/models, an access
token made for the run, a server routing by id and one with a compute limit of one request). Exit status: pytest's.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))  # Tests/Live
REPO = os.path.dirname(os.path.dirname(HERE))
CLIENT = os.path.join(REPO, "clients", "python")
VENV = os.path.join(REPO, ".venv-client")
sys.path.insert(0, HERE)
import debian_packages  # noqa: E402


def ensure_venv() -> str:
    """.venv-client's python, the client and the test dependencies installed into it."""
    python = os.path.join(VENV, "bin", "python")
    if not os.path.exists(python):
        print(f"client tests setup: {sys.executable} -m venv {VENV}", flush=True)
        if subprocess.run([sys.executable, "-m", "venv", VENV], capture_output=True).returncode != 0:
            shutil.rmtree(VENV, ignore_errors=True)
            debian_packages.install(["python3-venv"], who="client tests")
            subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    print("client tests setup: pip install ./clients/python[frames,graphs,progress] pytest", flush=True)
    result = subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                             CLIENT + "[frames,graphs,progress]", "pytest"], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"client tests: pip install into {VENV} failed:\n{(result.stdout + result.stderr)[-3000:]}")
    # pip builds in the source tree; leave no build output behind.
    for leftover in ("build", "glassbox_client.egg-info"):
        shutil.rmtree(os.path.join(CLIENT, leftover), ignore_errors=True)
    return python


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", required=True, help="the glassbox executable the tests start")
    args, pytest_args = parser.parse_known_args()
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        print(f"client tests: no server binary at {binary} (build it: scripts/build-release)")
        return 1
    python = ensure_venv()
    # -p no:cacheprovider: no .pytest_cache in the source tree.
    # The binary goes in GLASSBOX_BINARY (tests/conftest.py reads it), not as an argument pytest would take for a path.
    # The venv's pytest script, not `python -m pytest`, which would put clients/python on sys.path and import the
    # source tree instead of the installed package.
    pytest = os.path.join(os.path.dirname(python), "pytest")
    command = [pytest, "-p", "no:cacheprovider", "-q", *(pytest_args or ["tests"])]
    print(f"client tests: GLASSBOX_BINARY={binary} " + " ".join(command), flush=True)
    return subprocess.run(command, cwd=CLIENT, env=dict(os.environ, GLASSBOX_BINARY=binary, GLASSBOX_CLIENT_INSTALLED="1")).returncode


if __name__ == "__main__":
    sys.exit(main())
