"""The entry point: :class:`Glassbox`, one server's API."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

import requests

from . import jobs
from .errors import JobFailed
from .run import Run
from .transport import Timeout, Transport

DEFAULT_URL = "http://127.0.0.1:8080"


class Glassbox:
    """A client of one Glassbox server.

    Args:
        url: the server's base URL (default ``http://127.0.0.1:8080``, where ``scripts/serve`` listens).
        token: an access token, sent as ``Authorization: Bearer <token>`` (needed when the server is configured with
            tokens; on loopback without them, leave it ``None``).
        timeout: seconds for each HTTP request (a float, or ``(connect, read)``); jobs are polled, so a long report
            needs no long timeout.
        session: a ``requests.Session`` to use (e.g. with proxies or certificates configured).

    Errors are :class:`~glassbox_client.errors.GlassboxError` subclasses: ``BadRequest`` (400, with ``parameter``),
    ``Unauthorized`` (401), ``NotFound`` (404), ``Busy`` (429/503, with ``retry_after``).
    """

    def __init__(self, url: str = DEFAULT_URL, token: Optional[str] = None, timeout: Timeout = 300.0,
                 session: Optional[requests.Session] = None) -> None:
        self.transport = Transport(url, token=token, timeout=timeout, session=session)

    @property
    def url(self) -> str:
        """The server's base URL."""
        return self.transport.url

    def __repr__(self) -> str:
        return f"Glassbox({self.url!r})"

    # -- the server -------------------------------------------------------------------------------------------

    def health(self) -> Dict[str, Any]:
        """``GET /api/health``: status, version, engine, loaded models, queue lengths, security counters."""
        return self.transport.get_object("/api/health")

    def models(self) -> Dict[str, Any]:
        """``GET /api/models``: ``{default, limits, models: [{name, layers, heads, ...}]}``."""
        return self.transport.get_object("/api/models")

    def openapi(self) -> Dict[str, Any]:
        """The server's OpenAPI document (``GET /api/openapi.json``)."""
        return self.transport.get_object("/api/openapi.json")

    # -- runs -------------------------------------------------------------------------------------------------

    def run(self, prompt: str, model: Optional[str] = None, top_k: Optional[int] = None) -> Run:
        """Run ``model`` (default: the server's default model) on ``prompt`` (``POST /api/runs``; cached by the
        server: the same input gives the same id). ``top_k``: how many next-token predictions (1–50, default 5)."""
        body: Dict[str, Any] = {"prompt": prompt}
        if model is not None:
            body["model"] = model
        if top_k is not None:
            body["options"] = {"top_k": top_k}
        return Run(self.transport, self.transport.post_object("/api/runs", body))

    def get_run(self, run_id: str) -> Run:
        """A stored run by id (``GET /api/runs/{id}``)."""
        return Run(self.transport, self.transport.get_object(f"/api/runs/{run_id}"))

    def graph_diff(self, a: Any, b: Any, threshold: Optional[float] = None, renormalize: Optional[bool] = None,
                   top: Optional[int] = None) -> Dict[str, Any]:
        """``GET /api/graph-diff`` of two runs (:class:`Run` objects or ids) of equal token count: B − A per
        edge."""
        return self.transport.get_object("/api/graph-diff", a=getattr(a, "id", a), b=getattr(b, "id", b),
                                  threshold=threshold, renormalize=renormalize, top=top)

    # -- comparisons ------------------------------------------------------------------------------------------

    def compare(self, prompts: Optional[Sequence[str]] = None, *, models: Optional[Sequence[str]] = None,
                prompt: Optional[str] = None, targets: Optional[Sequence[str]] = None,
                labels: Optional[Sequence[str]] = None, templates: Optional[Sequence[str]] = None,
                slot: Optional[str] = None, kind: Optional[str] = None, metrics: Optional[Sequence[str]] = None,
                top_k: Optional[int] = None, model: Optional[str] = None) -> Dict[str, Any]:
        """``POST /api/compare``, the JSON answer.

        Prompts side by side: ``compare(["The [[doctor]] said that", "The [[nurse]] said that"],
        targets=[" he", " she"])`` (a pair; more prompts make a set; ``templates=[...]`` with ``slot=...`` instead of
        prompts). Two models on one text: ``compare(models=["a", "b"], prompt="...")``. Every argument is the body
        field of the same name; those left ``None`` are not sent.
        """
        fields = {"prompts": prompts, "models": models, "prompt": prompt, "targets": targets, "labels": labels,
                  "templates": templates, "slot": slot, "kind": kind, "metrics": metrics, "top_k": top_k,
                  "model": model}
        body = {k: (list(v) if isinstance(v, (list, tuple)) else v) for k, v in fields.items() if v is not None}
        return self.transport.post_object("/api/compare", body)

    # -- jobs -------------------------------------------------------------------------------------------------

    def _job(self, start: str, body: Dict[str, Any], label: str, progress: bool, timeout: Optional[float],
             result: str) -> Dict[str, Any]:
        """Start the job at ``start`` with ``body``, wait for it and return its ``result`` field."""
        job = self.transport.post_object(start, body)
        done = jobs.wait(self.transport, job, f"{start}/{job['id']}", label=label, progress=progress,
                         timeout=timeout)
        value = done.get(result)
        if not isinstance(value, dict):
            raise JobFailed(f"{label}: the finished job has no {result}", job=done)
        return value

    def report(self, prompts: Sequence[str], ablation: bool = False, progress: bool = True,
               model: Optional[str] = None, clusters: Optional[int] = None, top_k: Optional[int] = None,
               timeout: Optional[float] = None) -> Dict[str, Any]:
        """A report over a prompt set (``POST /api/reports``, polled until done): the report dict (model, layers,
        prompts, heads, layers_flow, redundant_heads, clusters, recommendations, ...).

        ``ablation=True`` adds the L × H + L ablation passes per prompt (slow on real models). ``progress`` shows a
        tqdm bar (when tqdm is installed) or a line on stderr. Ctrl-C / a notebook interrupt cancels the job."""
        options: Dict[str, Any] = {"ablation": ablation}
        if clusters is not None:
            options["clusters"] = clusters
        if top_k is not None:
            options["top_k"] = top_k
        body: Dict[str, Any] = {"prompts": list(prompts), "options": options}
        if model is not None:
            body["model"] = model
        return self._job("/api/reports", body, "report", progress, timeout, "report")

    def explain(self, prompt: str, progress: bool = True, timeout: Optional[float] = None,
                **options: Any) -> Dict[str, Any]:
        """Which explainer to trust for one prediction (``POST /api/explanations``, polled until done): the
        explanation dict. ``options`` are the body's other fields (model, target, position, objective, contrast,
        methods, steps, baseline, variant, noise_samples, sigma, top_k, compare_model)."""
        body = {"prompt": prompt, **{k: v for k, v in options.items() if v is not None}}
        return self._job("/api/explanations", body, "explanation", progress, timeout, "explanation")

    def series(self) -> List[Dict[str, Any]]:
        """The configured checkpoint series (``GET /api/checkpoint-series``): ``[{name, description, checkpoints,
        prompts}]``."""
        return list(self.transport.get_object("/api/checkpoint-series").get("series") or [])

    def checkpoint_series(self, series: Optional[str] = None, checkpoints: Optional[Sequence[str]] = None,
                          prompts: Optional[Sequence[str]] = None, ablation: bool = False, progress: bool = True,
                          timeout: Optional[float] = None) -> Dict[str, Any]:
        """A training monitor over checkpoints (``POST /api/checkpoint-series``, polled until done): the report
        dict. Give a configured ``series`` name or ``checkpoints`` (configured models in training order);
        ``prompts`` default to the series' own."""
        body: Dict[str, Any] = {"ablation": ablation}
        if series is not None:
            body["series"] = series
        if checkpoints is not None:
            body["checkpoints"] = list(checkpoints)
        if prompts is not None:
            body["prompts"] = list(prompts)
        return self._job("/api/checkpoint-series", body, "checkpoint series", progress, timeout, "report")
