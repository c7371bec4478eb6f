"""Attention patterns as numpy arrays against GET /attention's JSON."""

from __future__ import annotations

import pytest

np = pytest.importorskip("numpy")


@pytest.mark.parametrize("layer", [0, 1])
def test_attention_rows_sum_to_one_and_are_causal(live, run, layer):
    for head in range(run.heads):
        pattern = run.attention(layer, head)
        n = len(run.tokens)
        assert pattern.shape == (n, n)
        assert pattern.dtype == np.float32
        assert np.allclose(pattern.sum(axis=1), 1.0, atol=1e-5)
        assert np.all(np.triu(pattern, k=1) == 0.0)
        assert np.all(pattern >= 0.0)
        raw = live.get(f"/api/runs/{run.id}/attention", layer=layer, head=head)
        assert raw["head"] == head and raw["tokens"] == run.tokens
        assert np.array_equal(pattern, np.array(raw["pattern"], dtype=np.float32))


def test_attention_mean_over_heads(run):
    heads = np.stack([run.attention(1, h) for h in range(run.heads)])
    mean = run.attention(1, "all")
    assert np.allclose(mean, heads.mean(axis=0), atol=1e-5)
    assert np.allclose(mean.sum(axis=1), 1.0, atol=1e-5)


def test_attention_json_form(live, run):
    assert run.attention_json(0, 2) == live.get(f"/api/runs/{run.id}/attention", layer=0, head=2)


def test_attention_bad_head(run):
    from glassbox_client import BadRequest

    with pytest.raises(BadRequest) as caught:
        run.attention(0, run.heads)
    assert caught.value.parameter == "head"


def test_attention_figure_is_the_servers_drawing_of_the_pattern(live, run, tmp_path):
    import re

    figure = run.attention_figure(1, 0)
    assert figure._repr_svg_() == figure.svg and figure.svg.startswith("<?xml")
    raw = live.get(f"/api/runs/{run.id}/attention", layer=1, head=0)
    # Every non-zero weight of the pattern has its cell, titled with its value to 4 decimals, row by row.
    titles = re.findall(r"<title>(\d+)→(\d+): ([0-9.]+)</title>", figure.svg)
    drawn = {(int(i), int(j)): float(v) for i, j, v in titles}
    top = max(max(row) for row in raw["pattern"])
    for i, row in enumerate(raw["pattern"]):
        for j, value in enumerate(row):
            if value * 255 / top >= 0.5:
                assert abs(drawn[(i, j)] - value) <= 5e-5
    assert all(f">({i}) " in figure.svg for i in range(len(run.tokens)))
    path = tmp_path / "attention.svg"
    figure.save(path)
    assert path.read_text(encoding="utf-8") == figure.svg


def test_attention_figure_bad_layer(run):
    from glassbox_client import BadRequest

    with pytest.raises(BadRequest) as caught:
        run.attention_figure(99, 0)
    assert caught.value.parameter == "layer"
