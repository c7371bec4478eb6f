"""Health, models, access tokens and typed errors against the live server."""

from __future__ import annotations

import pytest

from glassbox_client import BadRequest, ConnectionFailed, Glassbox, GlassboxError, NotFound, Unauthorized


def test_health_and_models_match_the_api(gb, live):
    health = gb.health()
    assert health["status"] == "ok"
    assert health["security"]["tokens_required"] is True
    models = gb.models()
    assert models == live.get("/api/models")
    assert models["default"] == "tiny-gpt2"
    assert {m["name"] for m in models["models"]} >= {"tiny-gpt2", "tiny-llama"}


def test_a_wrong_token_raises_unauthorized(live):
    client = Glassbox(live.url, token="not-" + live.token)
    with pytest.raises(Unauthorized) as caught:
        client.models()
    assert caught.value.status == 401
    assert caught.value.code == "invalid_token"
    assert caught.value.message
    with pytest.raises(Unauthorized):
        client.run("The red boat")


def test_no_token_raises_unauthorized_but_health_is_open(live):
    client = Glassbox(live.url)
    assert client.health()["status"] == "ok"
    with pytest.raises(Unauthorized) as caught:
        client.models()
    assert caught.value.status == 401


def test_a_bad_layer_raises_bad_request_naming_the_parameter(gb, run):
    with pytest.raises(BadRequest) as caught:
        run.lens(layer=run.layers + 5)
    error = caught.value
    assert error.status == 400
    assert error.code == "bad_parameter"
    assert error.parameter == "layer"
    assert str(run.layers - 1) in error.message  # the server names the valid range
    assert "layer" in str(error)


def test_a_bad_body_field_raises_bad_request(gb):
    with pytest.raises(BadRequest) as caught:
        gb.run("The red boat", model="no-such-model")
    assert caught.value.status == 400
    with pytest.raises(BadRequest) as caught:
        gb.run("The red boat", top_k=500)
    assert caught.value.status == 400


def test_an_unknown_run_raises_not_found(gb):
    with pytest.raises(NotFound) as caught:
        gb.get_run("0" * 64)
    assert caught.value.status == 404
    assert caught.value.code == "run_not_found"
    assert isinstance(caught.value, GlassboxError)


def test_an_unreachable_server_raises_connection_failed(live):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ConnectionFailed) as caught:
        Glassbox(f"http://127.0.0.1:{port}", timeout=5).health()
    assert caught.value.status is None
