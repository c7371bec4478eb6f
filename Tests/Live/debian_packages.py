"""Installing the Debian packages a live test needs (chromium for the browser tests, nginx for the routing tests):
as root `apt-get update` and `apt-get install`, waiting while another apt/dpkg holds the lock (bounded); as another
user, an exit saying what to install. Stdlib only."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time


def install(packages: list[str], who: str, recommends: bool = True) -> None:
    """apt-get update + install `packages` (with their recommended packages unless `recommends` is false); `who`
    names the test in messages."""
    if os.geteuid() != 0:
        sys.exit(f"{who}: missing {' '.join(packages)}; run as root or: sudo apt-get install -y " + " ".join(packages))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    deadline = time.time() + 1800
    for command in (["apt-get", "update", "-q"],
                    ["apt-get", "install", "-y", "-q", "-o", "DPkg::Lock::Timeout=300",
                     *([] if recommends else ["--no-install-recommends"]), *packages]):
        while True:
            print(f"{who} setup: " + " ".join(command), flush=True)
            result = subprocess.run(command, env=env, capture_output=True, text=True)
            if result.returncode == 0:
                break
            output = result.stdout + result.stderr
            if re.search(r"[Cc]ould not get lock|[Uu]nable to (acquire|lock)|is held by process", output) \
                    and time.time() < deadline:
                print("    the apt/dpkg lock is held by another install; retrying in 15 s", flush=True)
                time.sleep(15)
                continue
            sys.exit(f"{who}: {' '.join(command)} failed:\n{output[-3000:]}")
