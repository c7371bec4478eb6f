"""A run: one model on one prompt, stored by the server under its id, and the analyses of it."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Union

from . import html as _html
from ._optional import require
from .figure import Figure
from .graph import Graph
from .records import Anomalies, Lens, Metrics
from .transport import Transport

Position = Union[int, str]


class Run:
    """The summary of ``POST /api/runs`` (or ``GET /api/runs/{id}``) and the analyses of that run.

    Attributes:
        id: the run id (64 hex digits).
        prompt: the prompt text.
        model: the model's name; ``model_info`` has its dimensions (layers, heads, d_model, ...).
        tokens: the tokens as display strings (``␣`` for a leading space).
        token_ids: the token ids.
        top: the next-token predictions after the last token as the API returns them:
            ``[{id, display, logit, probability}]``.
        raw: the whole summary JSON.
    """

    def __init__(self, transport: Transport, data: Dict[str, Any]) -> None:
        self._transport = transport
        self.raw = data
        self.id: str = data["id"]
        self.prompt: Optional[str] = data.get("prompt")
        model = data.get("model")
        self.model_info: Dict[str, Any] = model if isinstance(model, dict) else {"name": model}
        self.model: Optional[str] = self.model_info.get("name")
        self.tokens: List[str] = [t["display"] if isinstance(t, dict) else str(t) for t in data.get("tokens", [])]
        self.token_ids: List[int] = [t["id"] for t in data.get("tokens", []) if isinstance(t, dict)]
        self.top: List[Dict[str, Any]] = list(data.get("top") or [])
        self.generated_from: Optional[int] = data.get("generated_from")

    @property
    def layers(self) -> Optional[int]:
        """The model's layer count."""
        return self.model_info.get("layers")

    @property
    def heads(self) -> Optional[int]:
        """The model's attention heads per layer."""
        return self.model_info.get("heads")

    def __len__(self) -> int:
        return len(self.tokens)

    def __repr__(self) -> str:
        return f"Run(id={self.id[:12]}…, model={self.model!r}, tokens={len(self.tokens)}, prompt={self.prompt!r})"

    def _path(self, endpoint: str = "") -> str:
        return f"/api/runs/{self.id}" + (f"/{endpoint}" if endpoint else "")

    def get(self, endpoint: str, **params: Any) -> Any:
        """Any analysis of this run as raw JSON: ``GET /api/runs/{id}/{endpoint}`` with these query parameters (e.g.
        ``run.get("rollout", row=-1)``, ``run.get("flow")``, ``run.get("attributions", method="saliency")``)."""
        return self._transport.get(self._path(endpoint), **params)

    def graph(self, threshold: float = 0.04, target: Optional[Position] = -1,
              renormalize: bool = True) -> Graph:
        """The contribution graph (``GET /api/runs/{id}/graph``): the edges on the paths to ``target``'s prediction
        (a position, negative from the end; ``"all"`` for the union over every token; ``None`` for the whole graph
        with the paths of every start token), with contributions below ``threshold`` cut (renormalised unless
        ``renormalize=False``)."""
        data = self.get("graph", threshold=threshold, target=target, renormalize=renormalize)
        return Graph(data, run_id=self.id)

    def attention_json(self, layer: int, head: Union[int, str] = "all") -> Dict[str, Any]:
        """``GET /api/runs/{id}/attention`` as JSON: ``{layer, head, tokens, pattern}``."""
        return self._transport.get_object(self._path("attention"), layer=layer, head=head)

    def attention(self, layer: int, head: Union[int, str] = "all") -> Any:
        """The attention pattern of ``head`` in ``layer`` (``"all"``: the mean over heads) as an n × n
        ``numpy.ndarray`` of float32, ``[target][source]``: row q is how token q attends to tokens 0..q (each row
        sums to 1; causal, so zero above the diagonal). Read from the endpoint's raw float32 form. Needs numpy
        (the ``frames`` extra)."""
        numpy = require("numpy", "Run.attention()")
        response = self._transport.request("GET", self._path("attention"),
                                           params={"layer": layer, "head": head, "format": "f32"}, raw=True)
        values = numpy.frombuffer(response.content, dtype="<f4")
        n = len(self.tokens)
        if values.size != n * n:
            raise ValueError(f"attention: {values.size} values for {n} tokens (expected {n * n})")
        return values.reshape(n, n).astype(numpy.float32)

    def attention_figure(self, layer: int, head: Union[int, str] = "all") -> Figure:
        """The attention heatmap of ``head`` in ``layer`` as the server draws it (``GET /api/runs/{id}/attention.svg``:
        the browser's Blues heatmap with the tokens on both axes, at most 256 tokens). Shown inline in Jupyter."""
        response = self._transport.request("GET", self._path("attention.svg"),
                                           params={"layer": layer, "head": head}, raw=True)
        return Figure(response.content.decode("utf-8"), f"attention.svg?layer={layer}&head={head}")

    def lens(self, layer: int, token: int = -1, point: str = "post", k: int = 10,
             normalize: bool = True) -> Lens:
        """The logit lens (``GET /api/runs/{id}/lens``) of the residual stream at ``token`` after ``layer``
        (``point``: pre, mid or post): a dict whose ``top`` rows (id, display, logit, probability, rank,
        previous_rank, rank_change) are its table (``.to_pandas()``)."""
        return Lens(self.get("lens", layer=layer, token=token, point=point, k=k, normalize=normalize))

    def metrics(self, **params: Any) -> Metrics:
        """Per-head attention metrics and pattern classes (``GET /api/runs/{id}/metrics``; parameters
        sparsity_epsilon, diagonal_width, clusters): a dict whose ``heads`` rows are its table (``.to_pandas()``)."""
        return Metrics(self.get("metrics", **params))

    def anomalies(self, **params: Any) -> Anomalies:
        """Problem tokens (``GET /api/runs/{id}/anomalies``; parameters high_attention, include_first_token,
        uniform_threshold, uniform_min_row, dead_fraction, outlier_factor): a dict whose ``anomalies`` rows are its
        table (``.to_pandas()``); ``lens_flips`` per position."""
        return Anomalies(self.get("anomalies", **params))

    def _repr_html_(self) -> str:
        header = (f"Run {self.id[:12]}… · model {self.model} · {len(self.tokens)} tokens"
                  + (f" · generated from {self.generated_from}" if self.generated_from else ""))
        tokens = _html.table(["position", "token", "id"],
                             ([i, token, self.token_ids[i] if i < len(self.token_ids) else None]
                              for i, token in enumerate(self.tokens)), "tokens")
        top = _html.table(["rank", "next token", "id", "logit", "probability"],
                          ([i + 1, p.get("display"), p.get("id"), p.get("logit"), p.get("probability")]
                           for i, p in enumerate(self.top)), "top next-token predictions")
        return (_html.paragraph(header) + '<div style="display:flex;gap:24px;align-items:flex-start">'
                + f"<div>{tokens}</div><div>{top}</div></div>")
