"""Start and stop a `glassbox serve` process for the live tests (loopback, port 0, its own database).

Used by live_tests.py, load_test.py, crash_test.py and browser_tests.py (all in Tests/Live/) and by
tools/bench/ui_timings.py; stdlib only.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import threading
import time


class Server:
    """A running `glassbox serve --port 0` (on `host`, with more `args`); `url` and `port` once it prints its
    address (for 0.0.0.0 it prints 127.0.0.1)."""

    def __init__(self, binary: str, database: str, config: str = "config/glassbox.json", extra_env=None,
                 log_path: str | None = None, host: str = "127.0.0.1", args=()):
        env = dict(os.environ, GLASSBOX_DATABASE=database, GLASSBOX_CONFIG=config)
        env.update(extra_env or {})
        self.log = open(log_path or os.devnull, "ab")
        self.process = subprocess.Popen([binary, "serve", "--port", "0", "--host", host, *args], env=env,
                                        stdout=subprocess.PIPE, stderr=self.log)
        deadline = time.time() + 300
        line = b""
        while time.time() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            match = re.search(rb"http://127\.0\.0\.1:(\d+)/", line)
            if match:
                self.port = int(match.group(1))
                self.url = f"http://127.0.0.1:{self.port}"
                threading.Thread(target=self.process.stdout.read, daemon=True).start()
                return
        self.process.kill()
        raise RuntimeError(f"the server did not start (last output: {line!r}); see {log_path}")

    def request(self, method: str, path: str, body=None, timeout: float = 300, headers: dict | None = None):
        """(status, headers, body bytes) of one request on a fresh connection. `headers`: more request headers (an
        `Authorization: Bearer <token>` for a server with access tokens; they override the JSON Content-Type)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            payload = json.dumps(body).encode() if body is not None else None
            sent = {"Content-Type": "application/json"} if payload is not None else {}
            sent.update(headers or {})
            connection.request(method, path, body=payload, headers=sent)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def stop(self) -> int:
        """SIGTERM, then wait: the exit status (0 for a graceful stop)."""
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=60)
        finally:
            self.log.close()

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.log.close()
