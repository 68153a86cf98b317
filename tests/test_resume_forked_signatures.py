"""A resumed build (``generator/resume.py``) works out the data files' signatures in a forked
worker, which renders those that changed, while it works out the pages' itself: the output
equals a clean build after every kind of edit, and whatever the worker could not do, the
builder does."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from test_incremental_oracle import _corpus, _front, _write
from test_resume_new_process import EDITS, _build, _same_as_clean

from generator import resume
from generator.output import WriteSession


def _edit_article(site: Path, n: int) -> None:
    """A sentence added to an article's body: a graph update takes it (the build carries on)."""
    path = sorted((site / "content" / "articles").glob("*.md"))[n]
    front, body = _front(path)
    _write(path, front, body + f"\nA sentence added by edit {n}.\n")


@pytest.fixture
def handed(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The outputs handed to a forked worker, by path (a worker whatever the site's size)."""
    monkeypatch.setattr(resume, "FORK_SIGNATURES", 0)
    paths: list[list[str]] = []

    class Recorded(resume.ForkedSlices):
        def __init__(self, work, pieces, jobs):
            outputs = work.args[0]
            paths.extend([outputs[i].path for i in piece] for piece in pieces)
            super().__init__(work, pieces, jobs)

    monkeypatch.setattr(resume, "ForkedSlices", Recorded)
    return paths


def test_every_kind_of_edit_with_data_files_signed_in_a_forked_worker_equals_a_clean_build(
        tmp_path: Path, handed: list[list[str]]) -> None:
    site = _corpus(tmp_path, 40)
    out = tmp_path / "out"
    _build(site, out, jobs=2)
    rng = random.Random(23)
    forked = []
    for edit, resumes in EDITS:
        handed.clear()
        edit(site, rng)
        result = _build(site, out, jobs=2)
        assert result.resumed == resumes, edit.__name__
        if handed:  # the data files went to the worker, the pages stayed here
            assert "timeline.json" in handed[0] and not any(path.endswith(".html") for path in handed[0])
            forked.append(edit.__name__)
        _same_as_clean(site, out, tmp_path, edit.__name__)
    assert len(forked) >= 5, forked  # every edit a graph update takes


def test_one_job_signs_everything_in_the_builder(tmp_path: Path, handed: list[list[str]]) -> None:
    site = _corpus(tmp_path, 20)
    out = tmp_path / "out"
    _build(site, out, jobs=1)
    _edit_article(site, 3)
    assert _build(site, out, jobs=1).graph == "updated"
    assert handed == []
    _same_as_clean(site, out, tmp_path, "one job")


def test_data_files_edited_or_deleted_by_hand_are_made_again_by_the_forked_worker(
        tmp_path: Path, handed: list[list[str]]) -> None:
    site = _corpus(tmp_path, 20)
    out = tmp_path / "out"
    _build(site, out, jobs=2)
    (out / "timeline.json").write_text("edited by hand")
    (out / "sitemap.xml").unlink()
    _edit_article(site, 4)
    result = _build(site, out, jobs=2)
    assert result.graph == "updated" and handed
    assert {"timeline.json", "sitemap.xml"} <= set(result.written)
    _same_as_clean(site, out, tmp_path, "data files edited by hand")


def test_when_the_forked_worker_fails_the_builder_signs_its_share(
        tmp_path: Path, handed: list[list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    def fails(*args: object) -> None:
        raise RuntimeError("the worker fails")

    monkeypatch.setattr(resume, "_sign_or_render", fails)
    site = _corpus(tmp_path, 20)
    out = tmp_path / "out"
    _build(site, out, jobs=2)
    (out / "timeline.json").unlink()
    _edit_article(site, 5)
    result = _build(site, out, jobs=2)
    assert result.graph == "updated" and handed
    assert "timeline.json" in result.written
    _same_as_clean(site, out, tmp_path, "worker failed")


def test_a_data_file_the_forked_worker_fails_to_write_is_made_by_the_builder(
        tmp_path: Path, handed: list[list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    builder_pid = os.getpid()
    put = WriteSession.put

    def put_here_only(self: WriteSession, rel: str, data: bytes):
        if os.getpid() != builder_pid:
            raise OSError("no writes in the worker")
        return put(self, rel, data)

    monkeypatch.setattr(WriteSession, "put", put_here_only)
    site = _corpus(tmp_path, 20)
    out = tmp_path / "out"
    _build(site, out, jobs=2)
    (out / "timeline.json").unlink()
    (out / "feed.xml").write_text("edited by hand")
    _edit_article(site, 6)
    result = _build(site, out, jobs=2)
    assert result.graph == "updated" and handed
    assert {"timeline.json", "feed.xml"} <= set(result.written)
    _same_as_clean(site, out, tmp_path, "worker could not write")
