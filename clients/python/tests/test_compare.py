"""POST /api/compare through the client: prompt pairs, sets, templates and two models on one text."""

from __future__ import annotations

import pytest

from glassbox_client import BadRequest


def test_pair_equals_the_api(gb, live):
    body = {"prompts": ["The [[red]] boat floated", "The [[green]] boat floated"], "targets": [" the", " first"]}
    result = gb.compare(body["prompts"], targets=body["targets"])
    assert result == live.post("/api/compare", body)
    assert result["kind"] == "pair" and result["alignment"] == "spans"
    assert [p["text"] for p in result["prompts"]] == [t.replace("[[", "").replace("]]", "") for t in body["prompts"]]
    assert all(len(p["target_log_probabilities"]) == 2 for p in result["prompts"])


def test_set_with_labels_and_templates(gb, live):
    prompts = ["The red boat", "The green boat", "The blue boat"]
    result = gb.compare(prompts, labels=["red", "green", "blue"], metrics=["entropy", "first_token"])
    assert result["kind"] == "set"
    assert [p["label"] for p in result["prompts"]] == ["red", "green", "blue"]
    assert result["metrics"] == ["entropy", "first_token"]
    templates = ["The {} boat floated", "A {} boat"]
    result = gb.compare(templates=templates, slot="red")
    assert result == live.post("/api/compare", {"templates": templates, "slot": "red"})
    assert result["kind"] == "templates"


def test_two_models_on_one_text(gb, live):
    text = "The keeper lit the lamp early."
    result = gb.compare(models=["tiny-gpt2", "tiny-llama"], prompt=text, top_k=3)
    raw = live.post("/api/compare", {"models": ["tiny-gpt2", "tiny-llama"], "prompt": text, "top_k": 3})
    for answer in (result, raw):  # timings differ between two computations; every measured value must not
        for model in answer["models"]:
            model.pop("milliseconds")
    assert result == raw
    assert result["kind"] == "models"
    assert [m["model"] for m in result["models"]] == ["tiny-gpt2", "tiny-llama"]
    run = gb.run(text)
    assert result["models"][0]["tokens"] == run.tokens


def test_mismatched_spans_raise_bad_request(gb):
    with pytest.raises(BadRequest) as caught:
        gb.compare(["The [[red]] boat", "The green boat"])
    assert caught.value.status == 400
    assert caught.value.message
