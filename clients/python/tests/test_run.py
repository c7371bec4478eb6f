"""Runs, their display and the per-run analyses, each checked against the raw API answer."""

from __future__ import annotations

import html

import pytest


def test_run_tokens_and_top_equal_the_stored_run(gb, live, run):
    stored = live.get(f"/api/runs/{run.id}")
    assert run.id == stored["id"]
    assert run.tokens == [t["display"] for t in stored["tokens"]]
    assert run.token_ids == [t["id"] for t in stored["tokens"]]
    assert run.top == stored["top"]
    assert len(run.top) == 5
    assert run.model == stored["model"]["name"] == "tiny-gpt2"
    assert run.layers == stored["model"]["layers"]
    again = gb.get_run(run.id)
    assert again.tokens == run.tokens and again.top == run.top


def test_the_same_prompt_gives_the_same_run(gb, run):
    assert gb.run(run.prompt, top_k=5).id == run.id


def test_another_model(gb, live):
    other = gb.run("The red boat", model="tiny-llama")
    stored = live.get(f"/api/runs/{other.id}")
    assert other.model == "tiny-llama"
    assert other.tokens == [t["display"] for t in stored["tokens"]]


def test_run_html_is_an_escaped_table(gb):
    run = gb.run("a <b>bold</b> & \"quoted\" prompt", top_k=10)
    page = run._repr_html_()
    assert "<table" in page and "<script" not in page.lower()
    for text in run.tokens + [p["display"] for p in run.top]:
        assert html.escape(text, quote=True) in page
        if "<" in text or "&" in text:
            assert f">{text}<" not in page
    assert "<b>" not in page  # the prompt's markup is text, not HTML
    assert page.count("<tr>") == 2 + len(run.tokens) + len(run.top)


def test_lens_equals_the_api(live, run, pandas):
    last = run.layers - 1
    lens = run.lens(last, token=-1, k=5)
    assert dict(lens) == live.get(f"/api/runs/{run.id}/lens", layer=last, token=-1, k=5, point="post",
                                  normalize="true")
    assert lens["token"] == len(run.tokens) - 1
    frame = lens.to_pandas()
    assert list(frame["display"]) == [t["display"] for t in lens["top"]]
    assert list(frame["rank_change"]) == [t["rank_change"] for t in lens["top"]]
    # The lens of the last layer at the last token is the run's own next-token prediction.
    assert [t["id"] for t in lens["top"]] == [p["id"] for p in run.top]


def test_metrics_frame_equals_the_api(live, run, pandas):
    metrics = run.metrics()
    raw = live.get(f"/api/runs/{run.id}/metrics")
    assert dict(metrics) == raw
    frame = metrics.to_pandas()
    assert len(frame) == raw["layers"] * raw["heads_per_layer"] == run.layers * run.heads
    assert frame[["layer", "head", "class"]].values.tolist() == [[h["layer"], h["head"], h["class"]]
                                                                 for h in raw["heads"]]
    assert frame["entropy"].tolist() == [h["entropy"] for h in raw["heads"]]
    assert "<table" in metrics._repr_html_()
    assert run.metrics(clusters=2)["clusters"]["k"] == 2


def test_anomalies_equal_the_api(live, run, pandas):
    anomalies = run.anomalies(high_attention=0.3)
    raw = live.get(f"/api/runs/{run.id}/anomalies", high_attention=0.3)
    assert dict(anomalies) == raw
    assert anomalies["parameters"]["high_attention"] == 0.3
    frame = anomalies.to_pandas()
    assert len(frame) == len(raw["anomalies"])
    if len(frame):
        assert frame["type"].tolist() == [a["type"] for a in raw["anomalies"]]
    assert len(anomalies.lens_flips_frame()) == len(raw["lens_flips"]) == len(run.tokens)


def test_generic_analysis_access(live, run):
    assert run.get("flow") == live.get(f"/api/runs/{run.id}/flow")
    assert run.get("rollout", row=-1) == live.get(f"/api/runs/{run.id}/rollout", row=-1)


def test_missing_pandas_names_the_extra(monkeypatch, run):
    import sys

    metrics = run.metrics()
    graph = run.graph()
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    for call in (metrics.to_pandas, graph.to_pandas):
        with pytest.raises(ImportError, match=r"glassbox-client\[frames\]"):
            call()


def test_missing_numpy_names_the_extra(monkeypatch, run):
    import sys

    monkeypatch.setitem(sys.modules, "numpy", None)
    with pytest.raises(ImportError, match=r"glassbox-client\[frames\]"):
        run.attention(0, 0)
