"""The HTTP layer: one ``requests.Session`` with the base URL, the bearer token and the timeout, mapping error answers
to :mod:`glassbox_client.errors`.

POST requests follow 307/308 redirects with the same method and body (``requests`` does this for 307 and 308): a
server behind a proxy that routes by id answers ``POST /api/runs`` with 307 to ``/api/runs/{id}``.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional, Tuple, Union

import requests

from .errors import ConnectionFailed, error_from_response

Timeout = Union[float, Tuple[float, float], None]


def _query_value(value: Any) -> Any:
    """Query values as the server spells them: booleans as true/false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _object(value: Any, path: str) -> Dict[str, Any]:
    if not isinstance(value, dict):
        raise ConnectionFailed(f"{path}: expected a JSON object, got {type(value).__name__}")
    return value


class Transport:
    """Sends requests to one Glassbox server and decodes its answers."""

    def __init__(self, url: str, token: Optional[str] = None, timeout: Timeout = 300.0,
                 session: Optional[requests.Session] = None) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.session = session or requests.Session()
        self.session.headers.setdefault("Accept", "application/json")
        self.session.headers["User-Agent"] = "glassbox-client/0.1"
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def request(self, method: str, path: str, *, params: Optional[Mapping[str, Any]] = None,
                json: Any = None, raw: bool = False) -> Any:
        """One request; the decoded JSON (or, with ``raw``, the ``requests.Response``). Raises a
        :class:`~glassbox_client.errors.GlassboxError` subclass on a 4xx/5xx answer or a connection failure."""
        query = {k: _query_value(v) for k, v in (params or {}).items() if v is not None}
        kwargs: Dict[str, Any] = {"params": query, "timeout": self.timeout, "allow_redirects": True}
        if json is not None:
            kwargs["json"] = json
        try:
            response = self.session.request(method, self.url + path, **kwargs)
        except requests.ConnectionError as error:
            raise ConnectionFailed(f"cannot reach the Glassbox server at {self.url}: {error}") from error
        except requests.Timeout as error:
            raise ConnectionFailed(f"the Glassbox server at {self.url} did not answer in time: {error}") from error
        if response.status_code >= 400:
            try:
                body: Any = response.json()
            except ValueError:
                body = response.text
            raise error_from_response(response.status_code, body, dict(response.headers))
        if raw:
            return response
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError as error:
            raise ConnectionFailed(f"{method} {path}: the answer is not JSON ({response.text[:200]!r})",
                                   status=response.status_code) from error

    def get_object(self, path: str, **params: Any) -> Dict[str, Any]:
        """GET ``path``; the answer, which must be a JSON object."""
        return _object(self.get(path, **params), path)

    def post_object(self, path: str, body: Any) -> Dict[str, Any]:
        """POST ``body`` to ``path``; the answer, which must be a JSON object."""
        return _object(self.post(path, body), path)

    def get(self, path: str, **params: Any) -> Any:
        """GET ``path`` with these query parameters (``None`` values left out)."""
        return self.request("GET", path, params=params)

    def post(self, path: str, body: Any, params: Optional[Mapping[str, Any]] = None) -> Any:
        """POST a JSON ``body`` to ``path``."""
        return self.request("POST", path, json=body, params=params)

    def delete(self, path: str) -> Any:
        """DELETE ``path``."""
        return self.request("DELETE", path)
