"""The garbage collector is paused during a build and left as it was found."""

from __future__ import annotations

import gc

import pytest
from conftest import BASIC_SITE, make_site

from generator.build import Builder
from generator.gctuning import collector_paused


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
