"""Jobs: reports, explanations and checkpoint series polled to done with their progress, and cancel on Ctrl-C."""

from __future__ import annotations

import re

import pytest

from glassbox_client import BadRequest, jobs

PROMPTS = ["The keeper of the small lighthouse woke before the sun.", "The red boat, the green boat"]


def plain_progress(monkeypatch):
    """The progress display without tqdm (the stderr line), whether or not tqdm is installed."""
    monkeypatch.setattr(jobs, "available", lambda module: False)


def test_report_completes_with_progress_seen(gb, capsys, monkeypatch):
    plain_progress(monkeypatch)
    report = gb.report(PROMPTS, ablation=False, progress=True)
    assert report["model"] == "tiny-gpt2"
    assert [p["prompt"] for p in report["prompts"]] == PROMPTS
    assert report["options"]["ablation"] is False
    assert report["prompts"][0]["tokens"] == gb.run(PROMPTS[0]).tokens
    lines = [part for part in re.split(r"[\r\n]", capsys.readouterr().err) if part]
    assert lines, "no progress shown"
    done, total = map(int, re.fullmatch(r"report: (\d+)/(\d+) \(done\)", lines[-1]).groups())
    assert done == total > 0


def test_report_progress_can_be_off(gb, capsys, monkeypatch):
    plain_progress(monkeypatch)
    report = gb.report(PROMPTS[:1], progress=False)
    assert report["prompts"][0]["prompt"] == PROMPTS[0]
    assert capsys.readouterr().err == ""


def test_report_with_tqdm(gb, capsys):
    pytest.importorskip("tqdm")
    report = gb.report(PROMPTS[:1], ablation=True, progress=True)
    assert report["options"]["ablation"] is True
    assert "report" in capsys.readouterr().err


def test_job_updates_follow_the_server(gb, live):
    seen = []
    job = gb.transport.post("/api/reports", {"prompts": PROMPTS, "options": {"ablation": True}})
    final = jobs.wait(gb.transport, job, f"/api/reports/{job['id']}", label="report", progress=False,
                      on_update=seen.append)
    assert final == live.get(f"/api/reports/{job['id']}")
    assert final["status"] == "done"
    assert final["progress"]["done"] == final["progress"]["total"] > 0
    assert [s["progress"]["done"] for s in seen] == sorted(s["progress"]["done"] for s in seen)
    assert seen[-1] == final


def test_keyboard_interrupt_cancels_the_job(gb, live):
    # A long report: every fixture prompt many times over, with ablation.
    prompts = [f"{i}: " + " ".join(PROMPTS * 2) for i in range(gb.models()["limits"]["max_report_prompts"])]
    job = gb.transport.post("/api/reports", {"prompts": prompts, "options": {"ablation": True}})

    def interrupt(update):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        jobs.wait(gb.transport, job, f"/api/reports/{job['id']}", label="report", progress=False,
                  on_update=interrupt)
    state = live.get(f"/api/reports/{job['id']}")
    assert state["status"] == "cancelled", state["status"]


def test_a_bad_report_raises_bad_request(gb):
    with pytest.raises(BadRequest):
        gb.report([], progress=False)


def test_explain(gb, capsys, monkeypatch):
    plain_progress(monkeypatch)
    prompt = "The red boat floated"
    explanation = gb.explain(prompt, methods=["saliency", "occlusion"], noise_samples=1)
    assert isinstance(explanation, dict) and explanation
    assert re.search(r"explanation: (\d+)/\1 \(done\)", capsys.readouterr().err)
    with pytest.raises(BadRequest) as caught:
        gb.explain(prompt, methods=["no-such-method"], progress=False)
    assert caught.value.parameter


def test_checkpoint_series(gb, capsys, monkeypatch):
    plain_progress(monkeypatch)
    series = gb.series()
    assert [s["name"] for s in series] == ["tiny-train"]
    report = gb.checkpoint_series("tiny-train", ablation=False)
    assert isinstance(report, dict) and report
    assert re.search(r"checkpoint series: (\d+)/\1 \(done\)", capsys.readouterr().err)
    with pytest.raises(BadRequest) as caught:
        gb.checkpoint_series("no-such-series", progress=False)
    assert caught.value.parameter == "series"
