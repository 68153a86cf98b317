"""A `briefing build` in a new process, on a site big enough for the render pool, compares each
document page with the digest the last build saved in the worker that would render it: it
renders only what changed, makes again a file deleted by hand, saves what a clean build saves,
and writes the bytes of a clean build."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_site, snapshot

from generator.build import Builder
from generator.cache import ParseCache
from generator.render import execute
from generator.render.execute import PARALLEL_PAGES
from generator.resume import discard

DOCS = PARALLEL_PAGES + 40


def _article(i: int, extra: str = "") -> str:
    return (f"---\ntitle: Article {i}\ndate: 2024-01-{i % 28 + 1:02d}\nsummary: About article {i}.\n"
            f"tags: [t{i % 7}, common]\nactors: [Actor {i % 5}]\nlocation: Place {i % 3}\n"
            f"confidence: moderate\n---\n\nBody {i} links [[a{(i + 1) % DOCS:04d}]].{extra}\n")


def _site(tmp_path: Path) -> Path:
    return make_site(tmp_path, {f"content/articles/a{i:04d}.md": _article(i) for i in range(DOCS)}, "src")


def _new_process_build(site: Path, out: Path, jobs: int = 2, use_cache: bool = True, resume: bool = False):
    """A build as `briefing build` makes it: a one-shot builder, closed after one build. Unless
    ``resume``, without the state the last complete build saved for carrying on from it
    (``generator/resume.py``): as a new process builds when it cannot carry on, comparing
    every output with the digest saved for it."""
    if not resume:
        discard(site / ".briefing-cache")
    builder = Builder(site, out, jobs=jobs, use_cache=use_cache, one_shot=True)
    try:
        result = builder.build()
    finally:
        builder.close()
    assert result.ok, [str(d) for d in result.errors]
    return result


def _saved_signatures(site: Path) -> dict:
    cache = ParseCache(site / ".briefing-cache")
    try:
        return cache.get_state("signatures")
    finally:
        cache.close()


def _bytes(folder: Path) -> dict[str, bytes]:
    return {rel: data for rel, (data, _mtime) in snapshot(folder).items()}


def record_slices(monkeypatch: pytest.MonkeyPatch, **sizes: int) -> list[list[int]]:
    """The slices of outputs the builder hands to forked workers, recorded as it hands them;
    ``sizes`` sets the module's thresholds for the test (``COMPARE_SLICE=150``...)."""
    for name, value in sizes.items():
        monkeypatch.setattr(execute, name, value)
    handed: list[list[int]] = []

    class Recorded(execute.ForkedSlices):
        def __init__(self, work, pieces, jobs):
            handed.extend(pieces)
            super().__init__(work, pieces, jobs)

    monkeypatch.setattr(execute, "ForkedSlices", Recorded)
    return handed


@pytest.fixture
def slices(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """The slices of outputs handed to forked workers, as the builder makes them (small
    enough here that several workers compare, one after another)."""
    return record_slices(monkeypatch, COMPARE_SLICE=150)


def test_a_new_process_after_a_one_document_edit_compares_in_the_workers_and_renders_only_what_changed(
        tmp_path: Path, slices: list[list[int]]) -> None:
    site = _site(tmp_path)
    out = tmp_path / "out"
    cold = _new_process_build(site, out)
    before = _bytes(out)
    slices.clear()
    (site / "content/articles/a0007.md").write_text(_article(7, " An edited sentence."), encoding="utf-8")

    edited = _new_process_build(site, out)

    assert len(slices) > 2 and sum(map(len, slices)) == DOCS  # every document page compared in a worker
    assert edited.rendered < cold.rendered // 20, f"rendered {edited.rendered} of {cold.rendered}"
    clean = tmp_path / "clean"
    _new_process_build(site, clean, use_cache=False)
    after = _bytes(out)
    assert after == _bytes(clean)
    changed = {rel for rel in after if before.get(rel) != after[rel]}
    assert "articles/a0007/index.html" in changed
    assert set(edited.written) == changed
    assert edited.unchanged == len(after) - len(changed)


def test_a_pooled_comparison_renders_what_a_single_process_comparison_renders(tmp_path: Path) -> None:
    sites = {}
    for jobs in (1, 2):
        site = sites[jobs] = _site(tmp_path / f"jobs{jobs}")
        _new_process_build(site, tmp_path / f"out{jobs}", jobs)
        (site / "content/articles/a0011.md").write_text(_article(11, " An edited sentence."), encoding="utf-8")
    serial, pooled = (_new_process_build(sites[jobs], tmp_path / f"out{jobs}", jobs) for jobs in (1, 2))
    assert 0 < pooled.rendered == serial.rendered
    assert sorted(pooled.written) == sorted(serial.written)
    assert _bytes(tmp_path / "out1") == _bytes(tmp_path / "out2")


def test_a_pooled_comparison_saves_the_digests_a_clean_build_saves(tmp_path: Path) -> None:
    # The next process compares against what this one saved: a kept page's digest is the one
    # saved before, a rendered page's the one its worker worked out.
    site = _site(tmp_path)
    _new_process_build(site, tmp_path / "out")
    (site / "content/articles/a0003.md").write_text(_article(3, " An edited sentence."), encoding="utf-8")
    _new_process_build(site, tmp_path / "out")
    compared = _saved_signatures(site)
    _new_process_build(site, tmp_path / "clean")  # another output: nothing to compare with
    clean = _saved_signatures(site)
    assert compared["outputs"] and compared["global"] == clean["global"]
    assert compared["outputs"] == clean["outputs"]


def test_output_files_deleted_or_edited_by_hand_are_made_again_by_a_new_process(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out = tmp_path / "out"
    _new_process_build(site, out)
    expected = _bytes(out)
    deleted = ["articles/a0100/index.html", "tags/t3/index.html"]  # a pooled page, a site-wide one
    for rel in deleted:
        (out / rel).unlink()
    (out / "articles/a0200/index.html").write_text("<p>edited by hand</p>", encoding="utf-8")

    again = _new_process_build(site, out)

    assert _bytes(out) == expected
    assert sorted(again.written) == sorted([*deleted, "articles/a0200/index.html"])
    assert again.rendered == 3


def test_pages_a_dead_comparing_worker_left_are_compared_by_the_builder(
        tmp_path: Path, slices: list[list[int]], monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    site = _site(tmp_path)
    out = tmp_path / "out"
    _new_process_build(site, out)
    (site / "content/articles/a0002.md").write_text(_article(2, " An edited sentence."), encoding="utf-8")
    real, marker = execute._render_chunk, tmp_path / "died"

    def first_worker_dies(indices: list[int]):
        try:
            os.close(os.open(marker, os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return real(indices)
        os._exit(3)

    monkeypatch.setattr(execute, "_render_chunk", first_worker_dies)
    edited = _new_process_build(site, out)
    assert marker.exists() and len(slices) > 2
    assert "articles/a0002/index.html" in edited.written
    assert edited.rendered < DOCS // 20
    _new_process_build(site, tmp_path / "clean", use_cache=False)
    assert _bytes(out) == _bytes(tmp_path / "clean")
