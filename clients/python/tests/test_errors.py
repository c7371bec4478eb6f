"""The mapping of error answers to exception classes (no server needed)."""

from __future__ import annotations

from glassbox_client import BadRequest, Busy, GlassboxError, NotFound, Unauthorized
from glassbox_client.errors import error_from_response


def body(code, message, parameter=None):
    error = {"code": code, "message": message}
    if parameter:
        error["details"] = {"parameter": parameter}
    return {"error": error}


def test_statuses_map_to_classes():
    cases = {400: BadRequest, 401: Unauthorized, 404: NotFound, 429: Busy, 503: Busy, 413: GlassboxError,
             500: GlassboxError}
    for status, cls in cases.items():
        error = error_from_response(status, body("c", "m"))
        assert type(error) is cls and error.status == status and error.code == "c" and error.message == "m"


def test_parameter_and_retry_after():
    error = error_from_response(400, body("bad_parameter", "layer: too big", "layer"))
    assert error.parameter == "layer" and error.details == {"parameter": "layer"}
    assert str(error) == "400 bad_parameter: layer: too big (parameter: layer)"
    busy = error_from_response(503, body("busy", "queue full"), {"Retry-After": "3"})
    assert isinstance(busy, Busy) and busy.retry_after == 3.0
    assert error_from_response(429, body("limited", "slow down"), {}).retry_after is None


def test_a_body_that_is_not_the_error_shape():
    error = error_from_response(502, "Bad Gateway")
    assert error.status == 502 and error.message == "Bad Gateway" and error.code is None


def test_the_package_imported_is_the_installed_one():
    import os

    import glassbox_client

    if os.environ.get("GLASSBOX_CLIENT_INSTALLED"):  # Tests/Live/client_tests.py sets it
        assert "site-packages" in glassbox_client.__file__, glassbox_client.__file__
