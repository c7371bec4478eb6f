"""The contribution graph of a run (``GET /api/runs/{id}/graph``)."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from . import html as _html
from ._optional import require

EDGE_COLUMNS = ("source", "target", "weight", "kind")


class Graph:
    """A run's contribution graph as the server computed it.

    Attributes:
        edges: ``[{source, target, weight, kind}]`` with LLM-TT's node names (``X0_t``, ``A{l}_t``, ``M{l}_t``,
            ``I{l}_t``), in the server's order.
        tokens: the run's tokens as display strings.
        layers: the model's layer count.
        threshold, renormalize, path_threshold, target: the query as the server resolved it (``target`` is a
            position, ``"all"`` or ``None`` for the whole graph).
        paths: without a target, the edge indices of the paths from each start token; else ``None``.
        raw: the whole JSON answer.
    """

    def __init__(self, data: Dict[str, Any], run_id: Optional[str] = None) -> None:
        self.raw = data
        self.run_id = run_id
        self.edges: List[Dict[str, Any]] = list(data.get("edges") or [])
        self.tokens: List[str] = list(data.get("tokens") or [])
        self.layers: Optional[int] = data.get("layers")
        self.threshold: Optional[float] = data.get("threshold")
        self.renormalize: Optional[bool] = data.get("renormalize")
        self.path_threshold: Optional[float] = data.get("path_threshold")
        self.target: Any = data.get("target")
        self.paths: Optional[List[List[int]]] = data.get("paths")

    def __len__(self) -> int:
        return len(self.edges)

    def __repr__(self) -> str:
        return (f"Graph({len(self.edges)} edges, {len(self.nodes())} nodes, threshold={self.threshold}, "
                f"target={self.target!r})")

    def nodes(self) -> List[str]:
        """The node names the edges touch, in first-seen order."""
        seen: Dict[str, None] = {}
        for edge in self.edges:
            seen.setdefault(edge["source"], None)
            seen.setdefault(edge["target"], None)
        return list(seen)

    def heaviest(self, n: int = 10) -> List[Dict[str, Any]]:
        """The ``n`` edges of the largest weight, heaviest first."""
        return sorted(self.edges, key=lambda edge: -float(edge.get("weight", 0.0)))[:n]

    def to_pandas(self) -> Any:
        """The edges as a ``pandas.DataFrame`` with columns source, target, weight, kind (one row per edge, in
        order). Needs the ``frames`` extra."""
        pandas = require("pandas", "Graph.to_pandas()")
        return pandas.DataFrame([{c: edge.get(c) for c in EDGE_COLUMNS} for edge in self.edges],
                                columns=list(EDGE_COLUMNS))

    def to_networkx(self) -> Any:
        """The graph as a ``networkx.MultiDiGraph`` (two edges can join the same nodes, e.g. an attention and a
        residual edge): edge attributes weight and kind, keyed by kind. Needs networkx (``graphs`` extra)."""
        networkx = require("networkx", "Graph.to_networkx()")
        graph = networkx.MultiDiGraph(tokens=self.tokens, layers=self.layers, threshold=self.threshold,
                                      target=self.target)
        for edge in self.edges:
            graph.add_edge(edge["source"], edge["target"], key=edge.get("kind"), weight=edge.get("weight"),
                           kind=edge.get("kind"))
        return graph

    def _repr_html_(self) -> str:
        top = self.heaviest(15)
        summary = (f"Contribution graph: {len(self.edges)} edges, {len(self.nodes())} nodes, threshold "
                   f"{self.threshold}, renormalize {self.renormalize}, target {self.target}")
        return _html.paragraph(summary) + _html.table(
            list(EDGE_COLUMNS), ([e.get(c) for c in EDGE_COLUMNS] for e in top),
            f"heaviest {len(top)} edges")
