"""Fixtures: a live `glassbox serve` on loopback with the repository's tiny fixture models and an access token.

The server binary: pytest option ``--binary``, else ``$GLASSBOX_BINARY``, else ``.build/serve/release/glassbox`` (what
scripts/build-release makes), else ``.build/release/glassbox``. The server is started with Tests/Live/server_process.py
(port 0, its own database and model cache in a temporary directory).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sys
import tempfile
from typing import Any, Dict, Iterator, Optional

import pytest
import requests

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
LIVE = os.path.join(REPO, "Tests", "Live")
FIXTURES = os.path.join(REPO, "Tests", "Fixtures")
MODELS = ["tiny-gpt2", "tiny-llama"]
CHECKPOINTS = ["step-0000", "step-0050", "step-0100", "step-0200", "step-0400"]

sys.path.insert(0, LIVE)
from server_process import Server  # noqa: E402


def pytest_addoption(parser: Any) -> None:
    parser.addoption("--binary", default=None, help="the glassbox executable to test")


def find_binary(config: Any) -> str:
    candidates = [config.getoption("--binary"), os.environ.get("GLASSBOX_BINARY"),
                  os.path.join(REPO, ".build", "serve", "release", "glassbox"),
                  os.path.join(REPO, ".build", "release", "glassbox")]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return os.path.abspath(candidate)
    pytest.exit("no glassbox binary: build it with scripts/build-release or pass --binary PATH", returncode=2)
    raise AssertionError  # unreachable


def write_config(directory: str, token: Optional[str], limits: Optional[Dict[str, int]] = None) -> str:
    """A configuration naming the fixture models (tiny-gpt2 the default) and the checkpoint series tiny-train by
    absolute path; ``token`` (its sha256 digest) as the one access token, if given."""
    train = os.path.join(FIXTURES, "checkpoints")
    prompts = [line for line in open(os.path.join(train, "prompts.txt"), encoding="utf-8").read().splitlines()
               if line.strip()]
    config: Dict[str, Any] = {
        "default_model": "tiny-gpt2", "threads": 2, "memory_runs": 4,
        "cache": {"path": os.path.join(directory, "models"), "database": os.path.join(directory, "runs.sqlite"),
                  "max_megabytes": 64},
        "limits": limits or {"client_compute_per_minute": 100000, "client_compute_burst": 100000},
        "checkpoint_series": {"tiny-train": {
            "description": "the tiny GPT-2 fixture trained five steps",
            "checkpoints": [{"name": step, "path": os.path.join(train, "tiny-train", step)} for step in CHECKPOINTS],
            "prompts": prompts}},
        "models": {name: {"path": os.path.join(FIXTURES, "models", name), "license": "test fixture"}
                   for name in MODELS},
    }
    if token is not None:
        config["auth"] = {"tokens": ["sha256:" + hashlib.sha256(token.encode()).hexdigest()]}
    path = os.path.join(directory, "glassbox.json")
    with open(path, "w", encoding="utf-8") as file:
        json.dump(config, file, indent=1)
    return path


def start_server(binary: str, name: str, token: Optional[str], limits: Optional[Dict[str, int]] = None,
                 env: Optional[Dict[str, str]] = None) -> Server:
    directory = tempfile.mkdtemp(prefix=f"glassbox-client-{name}-")
    config = write_config(directory, token, limits)
    return Server(binary, os.path.join(directory, "runs.sqlite"), config=config, extra_env=env,
                  log_path=os.path.join(directory, "server.log"))


class Live:
    """A running server, its token and a plain `requests` client to check the Python client against."""

    def __init__(self, server: Server, token: Optional[str]) -> None:
        self.server = server
        self.url = server.url
        self.token = token
        self.http = requests.Session()
        if token:
            self.http.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str, **params: Any) -> Any:
        response = self.http.get(self.url + path, params=params, timeout=120)
        response.raise_for_status()
        return response.json()

    def post(self, path: str, body: Any) -> Any:
        response = self.http.post(self.url + path, json=body, timeout=120)
        response.raise_for_status()
        return response.json()


def _stop(server: Server) -> None:
    if server.process.poll() is None:
        try:
            server.stop()
        except Exception:  # noqa: BLE001
            server.kill()


@pytest.fixture
def pandas() -> Any:
    """pandas, or the test is skipped (a base install without the frames extra)."""
    return pytest.importorskip("pandas")


@pytest.fixture(scope="session")
def binary(pytestconfig: Any) -> str:
    return find_binary(pytestconfig)


@pytest.fixture(scope="session")
def live(binary: str) -> Iterator[Live]:
    """The main test server: the fixture models, an access token made for the session."""
    token = secrets.token_hex(24)
    server = start_server(binary, "main", token)
    try:
        yield Live(server, token)
    finally:
        _stop(server)


@pytest.fixture(scope="session")
def gb(live: Live) -> Any:
    from glassbox_client import Glassbox

    return Glassbox(live.url, token=live.token, timeout=120)


@pytest.fixture(scope="session")
def run(gb: Any) -> Any:
    """A run of the default fixture model on one of the training prompts."""
    return gb.run("When the tide came in, the red boat floated first", top_k=5)


@pytest.fixture(scope="module")
def routed(binary: str) -> Iterator[Live]:
    """A server behind-a-proxy style: server.route_by_id on, so POST /api/runs and /api/reports answer 307."""
    server = start_server(binary, "routed", None, env={"GLASSBOX_ROUTE_BY_ID": "1"})
    try:
        yield Live(server, None)
    finally:
        _stop(server)


@pytest.fixture(scope="module")
def limited(binary: str) -> Iterator[Live]:
    """A server with a per-client compute limit of one request (burst 1, 1 a minute): the second run is 429."""
    server = start_server(binary, "limited", None,
                          limits={"client_compute_per_minute": 1, "client_compute_burst": 1})
    try:
        yield Live(server, None)
    finally:
        _stop(server)
