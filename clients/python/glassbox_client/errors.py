"""Typed errors for the Glassbox API's JSON error bodies.

The server answers every failure with ``{"error": {"code", "message", "details": {"parameter", ...}}}`` and a 4xx/5xx
status. :func:`error_from_response` turns such an answer into the matching :class:`GlassboxError` subclass.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Type


class GlassboxError(Exception):
    """An error answer of the Glassbox server (or a failure to reach it).

    Attributes:
        status: the HTTP status (``None`` when the server could not be reached or a job failed without one).
        code: the server's error code, e.g. ``"bad_parameter"``, ``"invalid_token"``, ``"run_not_found"``.
        message: the server's message, meant for people.
        parameter: the request parameter or body field the error names (``error.details.parameter``), if any.
        details: the whole ``error.details`` object (empty when absent).
    """

    def __init__(self, message: str, *, status: Optional[int] = None, code: Optional[str] = None,
                 parameter: Optional[str] = None, details: Optional[Dict[str, Any]] = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.parameter = parameter
        self.details: Dict[str, Any] = dict(details or {})

    def __str__(self) -> str:
        parts = []
        if self.status is not None:
            parts.append(str(self.status))
        if self.code:
            parts.append(self.code)
        prefix = " ".join(parts)
        where = f" (parameter: {self.parameter})" if self.parameter else ""
        return f"{prefix}: {self.message}{where}" if prefix else f"{self.message}{where}"

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(status={self.status!r}, code={self.code!r}, message={self.message!r}, "
                f"parameter={self.parameter!r})")


class BadRequest(GlassboxError):
    """400: a value of the request is wrong; :attr:`parameter` names it when the server does."""


class Unauthorized(GlassboxError):
    """401: the server wants an access token (``Glassbox(token=...)``) and got none or a wrong one."""


class NotFound(GlassboxError):
    """404: no such run, job or route."""


class Busy(GlassboxError):
    """429 (this client's compute budget is spent) or 503 (the server's queue is full): try again later.

    Attributes:
        retry_after: seconds the server asks to wait (its ``Retry-After`` header), or ``None``.
    """

    def __init__(self, message: str, *, retry_after: Optional[float] = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ConnectionFailed(GlassboxError):
    """The server could not be reached (not running, wrong URL, or the connection broke)."""


class JobFailed(GlassboxError):
    """A job (report, explanation, checkpoint series) ended as ``failed`` or ``cancelled``.

    Attributes:
        job: the job's last JSON as the server returned it.
    """

    def __init__(self, message: str, *, job: Optional[Dict[str, Any]] = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.job: Dict[str, Any] = dict(job or {})


_BY_STATUS: Dict[int, Type[GlassboxError]] = {400: BadRequest, 401: Unauthorized, 404: NotFound, 429: Busy, 503: Busy}


def _retry_after(value: Optional[str]) -> Optional[float]:
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        return None  # an HTTP date; the server sends seconds


def error_from_response(status: int, body: Any, headers: Optional[Dict[str, str]] = None) -> GlassboxError:
    """The :class:`GlassboxError` for an answer with this status, decoded JSON ``body`` (or raw text) and headers."""
    headers = headers or {}
    code: Optional[str] = None
    message = f"HTTP {status}"
    details: Dict[str, Any] = {}
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        error = body["error"]
        code = error.get("code")
        message = str(error.get("message") or message)
        if isinstance(error.get("details"), dict):
            details = error["details"]
    elif isinstance(body, str) and body.strip():
        message = body.strip()[:500]
    parameter = details.get("parameter")
    cls = _BY_STATUS.get(status, GlassboxError)
    kwargs: Dict[str, Any] = dict(status=status, code=code, parameter=parameter, details=details)
    if cls is Busy:
        lowered = {k.lower(): v for k, v in headers.items()}
        return Busy(message, retry_after=_retry_after(lowered.get("retry-after")), **kwargs)
    return cls(message, **kwargs)
