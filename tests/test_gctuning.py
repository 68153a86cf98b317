"""The garbage collector is paused during a build and left as it was found."""

from __future__ import annotations

import gc
import weakref

import pytest
from conftest import BASIC_SITE, make_site

from generator.build import Builder
from generator.gctuning import HeapBetweenBuilds, collector_paused


def test_collector_is_paused_inside_and_restored_after_even_on_error() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # a caller that had it off keeps it off
    finally:
        gc.enable()


def test_a_build_runs_with_the_collector_paused_and_resumes_it(tmp_path, monkeypatch) -> None:
    site = make_site(tmp_path, BASIC_SITE)
    seen = []
    import generator.build as build_module

    real = build_module.build_graph

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(build_module, "build_graph", spy)
    result = Builder(site, output=tmp_path / "out").build()
    assert result.ok and seen == [False]
    assert gc.isenabled()


class _Node:
    """Something that can sit in a reference cycle."""

    other: object = None


def test_a_running_builder_freezes_its_heap_between_builds_and_collects_cycles_every_so_often(
        tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(HeapBetweenBuilds, "FULL_EVERY", 3)
    gc.unfreeze()
    site = make_site(tmp_path, BASIC_SITE)
    builder = Builder(site, tmp_path / "out", atomic_swap=False, jobs=1)
    try:
        assert builder.build().ok
        assert gc.get_freeze_count() > 0  # the collector between builds skips the site
        garbage = _Node()
        garbage.other = garbage
        ref = weakref.ref(garbage)
        del garbage
        assert builder.build().ok  # the second build freezes the cycle with everything else
        gc.collect()
        assert ref() is not None
        assert builder.build().ok  # the third makes a full pass first
        assert ref() is None
    finally:
        builder.close()
    assert gc.get_freeze_count() == 0


def test_a_one_shot_build_leaves_the_heap_to_the_collector(tmp_path) -> None:
    gc.unfreeze()
    site = make_site(tmp_path, BASIC_SITE)
    builder = Builder(site, tmp_path / "out", jobs=1, one_shot=True)
    assert builder.build().ok
    builder.close()
    assert gc.get_freeze_count() == 0
