"""Render workers send back the land paths and link contexts they work out, and the builder
keeps them for the workers forked after: pages stay byte for byte what one process writes, and
a later worker draws no land and extracts no context an earlier one already did."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_site, snapshot

from generator.build import Builder
from generator.geo import svgmap
from generator.geo.svgmap import Extent, LandPaths
from generator.render import execute, workermemos
from generator.render.execute import PARALLEL_PAGES

DOCS = PARALLEL_PAGES + 40
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


def test_land_paths_are_recorded_only_while_recording_and_added_without_replacing() -> None:
    paths = LandPaths()
    here, there = Extent(35.0, 32.0, 39.0, 37.0), Extent(-10.0, 35.0, 5.0, 44.0)
    drawn = paths(here)
    assert paths.take_new() == []  # not recording: nothing to send back
    paths.recording = True
    assert paths(here) is drawn and paths.take_new() == []  # kept: not drawn again
    other = paths(there)
    assert paths.take_new() == [(there, other)] and paths.take_new() == []
    fresh = LandPaths()
    fresh.add([(there, other)])
    assert fresh(there) is other and fresh.take_new() == []
    fresh.add([(there, "M0,0Z")])
    assert fresh(there) is other  # an extent's path is never replaced


def test_workers_send_back_what_they_work_out_and_write_the_same_bytes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = _site(tmp_path, "src")
    _build(site, tmp_path / "one", 1)
    monkeypatch.setattr(execute, "SLICE", 60)  # many slices: most workers are forked after others finished
    received: list[workermemos.Made] = []
    real_add = workermemos.WorkerMemos.add

    def add(self: workermemos.WorkerMemos, made: workermemos.Made) -> None:
        received.append(made)
        real_add(self, made)

    monkeypatch.setattr(workermemos.WorkerMemos, "add", add)
    svgmap.land_paths.cache_clear()
    _build(site, tmp_path / "two", 2)
    one, two = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    assert one.keys() == two.keys()
    for rel in one:
        assert (tmp_path / "one" / rel).read_bytes() == (tmp_path / "two" / rel).read_bytes(), rel
    assert len(received) == -(-DOCS // 60)
    contexts = [path for made in received for path, _ in made[0]]
    land = [extent for made in received for extent, _ in made[1]]
    # Every document links two others, so each slice's backlinks need contexts of documents
    # outside it. A worker forked after a slice was collected inherits what that slice worked
    # out, so with two workers at a time each document's contexts (and each extent's land)
    # are worked out at most twice: by two workers running at once.
    assert len(set(contexts)) >= DOCS // 2
    assert len(contexts) <= 2 * len(set(contexts))
    assert 0 < len(land) <= 2 * len(set(land))
