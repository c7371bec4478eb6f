"""307 redirects of a server that routes by id, and 429 Busy with Retry-After from a compute-limited server."""

from __future__ import annotations

import pytest
import requests

from glassbox_client import Busy, Glassbox


def test_posts_follow_the_307_of_routing_by_id(routed):
    answer = requests.post(routed.url + "/api/runs", json={"prompt": "The red boat"}, allow_redirects=False,
                           timeout=60)
    assert answer.status_code == 307
    location = answer.headers["Location"]
    client = Glassbox(routed.url)
    run = client.run("The red boat")
    assert location.endswith("/api/runs/" + run.id)
    assert run.tokens == [t["display"] for t in routed.get(f"/api/runs/{run.id}")["tokens"]]
    report = client.report(["The red boat"], progress=False)
    assert report["prompts"][0]["tokens"] == run.tokens


def test_the_compute_limit_raises_busy_with_retry_after(limited):
    client = Glassbox(limited.url)
    client.run("The red boat")
    with pytest.raises(Busy) as caught:
        for _ in range(5):
            client.run("The green boat")
    error = caught.value
    assert error.status == 429
    assert error.retry_after is not None and error.retry_after > 0
    assert error.message
