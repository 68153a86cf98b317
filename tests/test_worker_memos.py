"""Render workers forked after a slice finished inherit what the builder kept of it (the
fragments and memo entries it sent back): a replacement worker is forked only once the
finished slice's results are taken in, and the pages stay what one process writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import make_site, snapshot

from generator.build import Builder
from generator.render import execute
from generator.render.execute import PARALLEL_PAGES
from generator.render.forking import ForkedSlices

DOCS = PARALLEL_PAGES + 40
pytestmark = pytest.mark.usefixtures("sole_thread")  # these fork, so no other thread may run
PLACES = {"Aleppo": (36.2, 37.16), "Damascus": (33.51, 36.29), "Homs": (34.73, 36.71), "Latakia": (35.52, 35.78)}


def _site(tmp_path: Path, name: str) -> Path:
    files = {}
    places = [f"{{name: {place}, lat: {lat}, lon: {lon}}}" for place, (lat, lon) in PLACES.items()]
    for i in range(DOCS):
        first = i % len(places)
        where = ", ".join(places[first : first + 1 + i % 2])  # one place or two: a few extents
        files[f"content/articles/a{i:04d}.md"] = (
            f"---\ntitle: Article {i}\ndate: 2024-02-{i % 28 + 1:02d}\ntags: [t{i % 5}]\n"
            f"location: [{where}]\n---\n\n"
            f"Article {i} reads on from [[a{(i + 1) % DOCS:04d}]] and answers [[a{(i * 7) % DOCS:04d}]].\n")
    return make_site(tmp_path, files, name)


def _build(site: Path, out: Path, jobs: int) -> None:
    builder = Builder(site, out, jobs=jobs, use_cache=False, one_shot=True)
    try:
        assert builder.build().ok
    finally:
        builder.close()


def test_many_slices_with_maps_and_backlinks_write_the_same_bytes_as_one_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = _site(tmp_path, "src")
    _build(site, tmp_path / "one", 1)
    monkeypatch.setattr(execute, "SLICE", 60)  # many slices: most workers are forked after others finished
    _build(site, tmp_path / "two", 2)
    one, two = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    assert one.keys() == two.keys()
    for rel in one:
        assert (tmp_path / "one" / rel).read_bytes() == (tmp_path / "two" / rel).read_bytes(), rel


def test_a_finished_worker_is_replaced_only_when_the_builder_asks() -> None:
    workers = ForkedSlices(lambda piece: os.getpid(), [[0], [1], [2]], 1)
    done = []
    while not done:
        done = workers.poll(None, refill=False)
    assert not workers._running and workers.pending  # nothing forked before the results are taken in
    workers.fill()
    assert len(workers._running) == 1
    while workers.busy:
        done += workers.poll(None)
    assert sorted(piece[0] for piece, _ in done) == [0, 1, 2]
