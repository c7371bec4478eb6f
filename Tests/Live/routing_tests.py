#!/usr/bin/env python3
"""Live tests of several Glassbox instances behind nginx, each request routed by the id in its path
(config/proxy/nginx-instances.conf; README "Several instances").

Usage:
    python3 Tests/Live/routing_tests.py BINARY [--workdir DIR]

Setup, when missing (as root; otherwise it says what to install): nginx and openssl from Debian.
Under test: two `glassbox serve` instances (the tiny fixture model tiny-gpt2, GLASSBOX_ROUTE_BY_ID=1, one access
token, one session secret, each its own database) behind nginx on loopback, configured with the committed file's
map, hash and location blocks (only the listen address and the upstream ports are the test's).
Checks, one line each: both committed nginx files pass `nginx -t` (with a throw-away certificate); POST /api/runs is
a 307 to /api/runs/{id} and the POST there makes the run on one instance only (the other answers 404), with runs on
both instances; every request naming a run, a report or an attribution job reached its instance (nginx's access log
of upstream addresses), and requests without an id reached both; `curl -L` makes a run in one command; an
attribution job and a report run to the end polled through nginx; a session opened through nginx is accepted by
both instances (the shared secret); no token → 401. Exit status 1 on any failure. Stdlib only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))  # Tests/Live
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import debian_packages  # noqa: E402
from security_tests import bearer, check, failures, request, serve  # noqa: E402

CONFIGS = os.path.join(REPO, "config", "proxy")
PROMPTS = [f"Sample sentence number {i} about routing" for i in range(32)]


def ensure_tools() -> str:
    missing = [p for p, tool in (("nginx", "nginx"), ("openssl", "openssl"))
               if not shutil.which(tool) and not os.path.exists(f"/usr/sbin/{tool}")]
    if missing:
        debian_packages.install(missing, who="routing tests", recommends=False)
    return shutil.which("nginx") or "/usr/sbin/nginx"


def committed_blocks() -> tuple[str, str, str]:
    """The map block, the hash line and the location block of config/proxy/nginx-instances.conf, verbatim."""
    text = open(os.path.join(CONFIGS, "nginx-instances.conf"), encoding="utf-8").read()
    routing_map = re.search(r"^map \$uri \$glassbox_route \{.*?^\}", text, re.S | re.M)
    hash_line = re.search(r"^\s*hash \$glassbox_route consistent;", text, re.M)
    location = re.search(r"^    location / \{.*?^    \}", text, re.S | re.M)
    if not (routing_map and hash_line and location):
        sys.exit("routing tests: config/proxy/nginx-instances.conf lacks its map, hash or location block")
    return routing_map.group(0), hash_line.group(0).strip(), location.group(0)


def config_check(nginx: str, work: str) -> None:
    """`nginx -t` of each committed file as an http block, its certificate paths pointed at a throw-away one."""
    certs = os.path.join(work, "certs")
    os.makedirs(certs)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=glassbox.example.org", "-keyout", os.path.join(certs, "privkey.pem"),
                    "-out", os.path.join(certs, "fullchain.pem")], check=True, capture_output=True)
    for name in ("nginx.conf", "nginx-instances.conf"):
        text = open(os.path.join(CONFIGS, name), encoding="utf-8").read().replace("/etc/ssl/glassbox", certs)
        included = os.path.join(work, "check-" + name)
        with open(included, "w", encoding="utf-8") as file:
            file.write(text)
        main = os.path.join(work, "check-main-" + name)
        with open(main, "w", encoding="utf-8") as file:
            file.write(f"pid {work}/check.pid;\nerror_log stderr;\nevents {{}}\n"
                       f"http {{\n{temp_paths(work)}\ninclude {included};\n}}\n")
        result = subprocess.run([nginx, "-t", "-p", work, "-c", main], capture_output=True, text=True)
        check(f"nginx -t {name}", result.returncode == 0, (result.stderr.strip().splitlines() or ["?"])[-1])


def temp_paths(work: str) -> str:
    return "\n".join(f"{kind}_temp_path {work}/temp-{kind};" for kind in
                     ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_nginx(nginx: str, work: str, upstreams: list[int]) -> tuple[subprocess.Popen, int, str]:
    routing_map, hash_line, location = committed_blocks()
    port = free_port()
    log = os.path.join(work, "access.log")
    servers = "\n".join(f"    server 127.0.0.1:{p};" for p in upstreams)
    text = (f"worker_processes 1;\npid {work}/nginx.pid;\nerror_log {work}/nginx-error.log;\n"
            "events { worker_connections 256; }\n"
            f"http {{\n{temp_paths(work)}\n"
            "log_format routing '$request_method $uri $upstream_addr $status';\n"
            f"access_log {log} routing;\n{routing_map}\n"
            f"upstream glassbox {{\n    {hash_line}\n{servers}\n    keepalive 16;\n}}\n"
            f"server {{\n    listen 127.0.0.1:{port};\n    client_max_body_size 1m;\n    proxy_read_timeout 15m;\n"
            f"    proxy_buffering off;\n{location}\n}}\n}}\n")
    path = os.path.join(work, "nginx-test.conf")
    with open(path, "w", encoding="utf-8") as file:
        file.write(text)
    process = subprocess.Popen([nginx, "-p", work, "-c", path, "-g", "daemon off;"],
                               stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "nginx.stderr"), "wb"))
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, port, log
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.1)
    process.kill()
    error = open(os.path.join(work, "nginx-error.log"), encoding="utf-8", errors="replace").read()[-1000:] \
        if os.path.exists(os.path.join(work, "nginx-error.log")) else ""
    sys.exit(f"routing tests: nginx did not start: {error}")


def create_run(port: int, token: str, prompt: str) -> tuple[int, str, int, str]:
    """(status of POST /api/runs, its Location, status of the POST there, the run id it answered)."""
    body = {"prompt": prompt, "options": {"top_k": 3}}
    status, headers, answer = request(port, "POST", "/api/runs", body=body, headers=bearer(token))
    location = headers.get("location", "")
    if status != 307:
        return status, location, 0, str(answer)[:200]
    status2, _, created = request(port, "POST", location, body=body, headers=bearer(token))
    return status, location, status2, created.get("id", "") if isinstance(created, dict) else str(created)[:200]


def poll(port: int, path: str, token: str) -> tuple[str, set]:
    """Polls a job through nginx until it ends (at most 2 minutes): its last status and every HTTP status seen."""
    seen = set()
    deadline = time.time() + 120
    status = "?"
    while time.time() < deadline:
        code, _, body = request(port, "GET", path, headers=bearer(token))
        seen.add(code)
        status = body.get("status", "?") if isinstance(body, dict) else "?"
        if status in ("done", "failed", "cancelled") or code != 200:
            break
        time.sleep(0.1)
    return status, seen


def routed_instances(binary: str, nginx: str, work: str) -> None:
    token = "gb_" + secrets.token_hex(32)
    env = {"GLASSBOX_ROUTE_BY_ID": "1", "GLASSBOX_TOKEN": token, "GLASSBOX_SESSION_SECRET": secrets.token_hex(32)}
    instances = [serve(binary, work, f"instance-{i}", env=env) for i in (1, 2)]
    if None in instances:
        for instance in instances:
            if instance:
                instance.stop()
        return
    ports = [instance.port for instance in instances]
    process, port, log = start_nginx(nginx, work, ports)
    try:
        owners: dict[str, int] = {}
        redirects_ok = True
        for prompt in PROMPTS:
            first, location, second, run_id = create_run(port, token, prompt)
            if first != 307 or second != 200 or location != f"/api/runs/{run_id}":
                redirects_ok = False
                check("POST /api/runs through nginx", False, f"{first} → {location} → {second} {run_id}")
                break
            direct = [request(p, "GET", f"/api/runs/{run_id}", headers=bearer(token))[0] for p in ports]
            if sorted(direct) != [200, 404]:
                check("one owner per run", False, f"run {run_id[:12]}: direct answers {direct}")
                redirects_ok = False
                break
            owners[run_id] = ports[direct.index(200)]
            if len(set(owners.values())) == 2 and len(owners) >= 6:
                break
        if redirects_ok:
            check("POST /api/runs through nginx", True,
                  f"{len(owners)} runs: each a 307 to /api/runs/{{id}}, made there on one instance only")
        check("runs on both instances", len(set(owners.values())) == 2,
              f"runs per instance: {[list(owners.values()).count(p) for p in ports]}")

        analyses = [(run_id, view) for run_id in owners for view in ("", "/graph", "/lens?layer=1&k=3", "/metrics")]
        statuses = [request(port, "GET", f"/api/runs/{run_id}{view}", headers=bearer(token))[0]
                    for run_id, view in analyses]
        check("analyses through nginx", set(statuses) == {200}, f"{len(statuses)} GETs: statuses {sorted(set(statuses))}")

        run_id = next(iter(owners))
        status, _, job = request(port, "POST", f"/api/runs/{run_id}/attributions/jobs?method=saliency",
                                 headers={**bearer(token), "Content-Type": "application/json"})
        job_id = job.get("id", "") if isinstance(job, dict) else ""
        final, seen = poll(port, f"/api/attribution-jobs/{job_id}", token)
        check("attribution job through nginx", status == 202 and job_id.startswith("a" + run_id) and final == "done"
              and seen == {200}, f"POST {status}, id a+run id: {job_id.startswith('a' + run_id)}, {final}, polls {seen}")

        report = {"prompts": ["Hello there", "The capital of France is"], "options": {"ablation": False}}
        status, headers, _ = request(port, "POST", "/api/reports", body=report, headers=bearer(token))
        location = headers.get("location", "")
        status2, _, created = request(port, "POST", location, body=report, headers=bearer(token)) \
            if status == 307 else (0, {}, {})
        final, seen = poll(port, location, token)
        check("report through nginx", status == 307 and status2 == 202 and final == "done" and seen == {200},
              f"{status} → {location[:30]}… → {status2}, {final}, polls {seen}")

        explanation = {"prompt": "The capital of France is", "methods": ["saliency", "occlusion"], "noise_samples": 0}
        status, headers, _ = request(port, "POST", "/api/explanations", body=explanation, headers=bearer(token))
        location = headers.get("location", "")
        status2, _, _ = request(port, "POST", location, body=explanation, headers=bearer(token)) \
            if status == 307 else (0, {}, {})
        final, seen = poll(port, location, token)
        check("explanation through nginx", status == 307 and location.startswith("/api/explanations/e")
              and status2 == 202 and final == "done" and seen == {200},
              f"{status} → {location[:36]}… → {status2}, {final}, polls {seen}")

        # curl -L follows the 307 with the same method, body and Authorization header.
        body = json.dumps({"prompt": "curl follows the redirect"})
        curl = subprocess.run(["curl", "-sL", "-H", "Content-Type: application/json", "-H", f"Authorization: Bearer {token}",
                               "-d", body, f"http://127.0.0.1:{port}/api/runs"], capture_output=True, text=True)
        try:
            curl_id = json.loads(curl.stdout).get("id", "")
        except ValueError:
            curl_id = ""
        check("curl -L", len(curl_id) == 64, f"exit {curl.returncode}, answered {curl.stdout[:100]!r}")

        # As a browser signs in: with its Origin, the proxy's address and port (the Host it forwards must match it).
        status, headers, _ = request(port, "POST", "/api/session", body={"token": token},
                                     headers={"Origin": f"http://127.0.0.1:{port}"})
        cookie = headers.get("set-cookie", "").split(";")[0]
        accepted = [request(p, "GET", f"/api/runs/{run_id}", headers={"Cookie": cookie})[0] != 401 for p in ports]
        through = {request(port, "GET", f"/api/runs/{r}", headers={"Cookie": cookie})[0] for r in owners}
        check("one session, every instance", status == 200 and all(accepted) and through == {200},
              f"sign-in {status}; accepted directly by {sum(accepted)} of 2 instances; through nginx {through}")
        check("no token", request(port, "GET", f"/api/runs/{run_id}")[0] == 401, "401 through nginx")
    finally:
        process.terminate()
        process.wait(timeout=30)
        for instance in instances:
            instance.stop()

    # nginx's record of where each request went.
    by_port = {str(p): p for p in ports}
    wrong, unrouted, report_upstreams, explanation_upstreams = [], set(), set(), set()
    for line in open(log, encoding="utf-8"):
        fields = line.split()
        if len(fields) < 4:
            continue
        method, uri, upstream = fields[0], fields[1], fields[2]
        upstream_port = by_port.get(upstream.rsplit(":", 1)[-1])
        match = re.match(r"/api/runs/([0-9a-f]{64})|/api/attribution-jobs/a([0-9a-f]{64})", uri)
        if match:
            key = match.group(1) or match.group(2)
            if key in owners and owners[key] != upstream_port:
                wrong.append(f"{method} {uri[:40]}… → {upstream}")
        elif re.match(r"/api/reports/r", uri):
            report_upstreams.add(upstream_port)
        elif re.match(r"/api/explanations/e", uri):
            explanation_upstreams.add(upstream_port)
        else:
            unrouted.add(upstream_port)
    check("nginx routed by id", not wrong, f"requests sent elsewhere than their run's instance: {wrong[:3] or 'none'}")
    check("a report's requests on one instance", len(report_upstreams) == 1,
          f"instances that answered /api/reports/r…: {len(report_upstreams)}")
    check("an explanation's requests on one instance", len(explanation_upstreams) == 1,
          f"instances that answered /api/explanations/e…: {len(explanation_upstreams)}")
    check("requests without an id spread", unrouted == set(ports),
          f"instances that answered requests without an id: {sorted(p for p in unrouted if p)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    parser.add_argument("--workdir")
    args = parser.parse_args()
    nginx = ensure_tools()
    work = tempfile.mkdtemp(prefix="glassbox-routing-", dir=args.workdir)
    os.chmod(work, 0o755)
    config_check(nginx, work)
    routed_instances(os.path.abspath(args.binary), nginx, work)
    print("routing tests: " + ("all passed" if not failures else "FAILED: " + ", ".join(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
