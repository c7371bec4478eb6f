"""The contribution graph: edges, DataFrame, networkx and the HTML display against GET /graph."""

from __future__ import annotations

import html

import pytest


def test_graph_edges_equal_the_api(live, run):
    graph = run.graph(threshold=0.04, target=-1)
    raw = live.get(f"/api/runs/{run.id}/graph", threshold=0.04, target=-1)
    assert graph.edges == raw["edges"]
    assert graph.tokens == raw["tokens"] == run.tokens
    assert graph.target == raw["target"] == len(run.tokens) - 1
    assert graph.threshold == 0.04 and graph.renormalize is True
    assert graph.paths is None
    assert len(graph) > 0


def test_graph_frame_rows_equal_the_json_edges(live, run, pandas):
    raw = live.get(f"/api/runs/{run.id}/graph", threshold=0.03, renormalize="false")
    graph = run.graph(threshold=0.03, target=None, renormalize=False)
    frame = graph.to_pandas()
    assert list(frame.columns) == ["source", "target", "weight", "kind"]
    assert frame.to_dict("records") == raw["edges"]
    assert graph.paths == raw["paths"]
    assert graph.renormalize is False and graph.path_threshold == raw["path_threshold"]


def test_a_higher_threshold_keeps_fewer_edges(run):
    low, high = run.graph(threshold=0.01, target=None), run.graph(threshold=0.2, target=None)
    assert 0 < len(high) < len(low)
    assert (high.threshold, low.threshold) == (0.2, 0.01)


def test_graph_to_networkx(live, run):
    networkx = pytest.importorskip("networkx")
    graph = run.graph(threshold=0.04, target="all")
    nx = graph.to_networkx()
    assert isinstance(nx, networkx.MultiDiGraph)
    assert nx.number_of_edges() == len(graph.edges)
    assert set(nx.nodes) == set(graph.nodes())
    for edge in graph.edges:
        assert nx.edges[edge["source"], edge["target"], edge["kind"]]["weight"] == edge["weight"]
    # The graph flows from the embeddings forward: no cycles.
    assert networkx.is_directed_acyclic_graph(nx)


def test_graph_html_shows_count_and_heaviest_edges(run):
    graph = run.graph()
    page = graph._repr_html_()
    assert f"{len(graph.edges)} edges" in page
    heaviest = graph.heaviest(15)
    assert heaviest[0]["weight"] == max(e["weight"] for e in graph.edges)
    assert page.count("<tr>") == 1 + len(heaviest)
    assert html.escape(heaviest[0]["source"]) in page
    assert "<script" not in page.lower()


def test_a_bad_threshold_raises_bad_request(run):
    from glassbox_client import BadRequest

    with pytest.raises(BadRequest) as caught:
        run.graph(threshold=2)
    assert caught.value.parameter == "threshold"
