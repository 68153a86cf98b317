"""The content model's value classes pickle as a call of the class with their fields (a
resumed build loads some 200,000 of them): each comes back equal, and a class the call could
not give back whole is refused."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pytest
from conftest import BASIC_SITE, copy_example_site, make_site

from generator import resume
from generator.build import Builder
from generator.graph.links import ResolvedLink, Target
from generator.graph.timeline import TimelineEntry
from generator.loading import FileState
from generator.model.dates import When
from generator.model.document import Document, Event, KeyJudgment, LinkRef, Location, Source
from generator.model.pickling import pickled_as_call

CLASSES = [Document, When, TimelineEntry, Target, ResolvedLink, FileState, Location, Source, Event,
           KeyJudgment, LinkRef]


def _fields(obj: object) -> tuple:
    return tuple(getattr(obj, f.name) for f in dataclasses.fields(obj))  # type: ignore[arg-type]


def _shown(value: object, within: frozenset[int] = frozenset(), seen: dict[int, object] | None = None) -> object:
    """``value`` as plain nested tuples of reprs, sets sorted: a set's order follows its
    strings' hashes and the order it was filled in, so one rebuilt from a pickle may iterate in
    another order and still be equal. A value met again inside itself shows as ``...``; one
    met again elsewhere is shown once (``seen``)."""
    seen = {} if seen is None else seen
    if id(value) in within:
        return "..."
    if id(value) in seen:
        return seen[id(value)]
    inner = within | {id(value)}
    shown: object
    if isinstance(value, (set, frozenset)):
        shown = (type(value).__name__, tuple(sorted(repr(_shown(item, inner, seen)) for item in value)))
    elif isinstance(value, (list, tuple)):
        shown = (type(value).__name__, tuple(_shown(item, inner, seen) for item in value))
    elif isinstance(value, dict):
        shown = ("dict", tuple(sorted((repr(_shown(k, inner, seen)), repr(_shown(v, inner, seen)))
                                      for k, v in value.items())))
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        shown = (type(value).__name__, tuple(_shown(item, inner, seen) for item in _fields(value)))
    else:
        shown = repr(value)
    seen[id(value)] = shown
    return shown


def _built_graph(tmp_path: Path) -> tuple[Builder, object]:
    site = copy_example_site(tmp_path / "src")  # events, key judgments, sources, links...
    builder = Builder(site, tmp_path / "out", jobs=1, use_cache=False)
    assert builder.build().ok
    assert builder._last is not None
    return builder, builder._last.graph


def test_every_model_class_in_a_built_site_comes_back_from_a_pickle_with_the_same_fields(tmp_path: Path) -> None:
    builder, graph = _built_graph(tmp_path)
    seen: dict[type, list[object]] = {cls: [] for cls in CLASSES}
    objects: list[object] = [*graph.docs, *graph.timeline, *builder.loader.files.values()]
    objects += [link for links in graph.links.links.values() for link in links]
    for doc in graph.docs:
        objects += [doc.when, *doc.locations, *doc.sources, *doc.events, *doc.key_judgments, *doc.about]
    objects += [link.target for link in objects if isinstance(link, ResolvedLink) and link.target is not None]
    for obj in objects:
        if type(obj) in seen:
            seen[type(obj)].append(obj)
    missing = [cls.__name__ for cls, found in seen.items() if not found]
    assert not missing, f"the example site has none of {missing}: the check would pass on nothing"
    for cls, found in seen.items():
        reduced = found[0].__reduce__()
        assert reduced[0] is cls and reduced[1] == _fields(found[0]), cls.__name__
        back = pickle.loads(pickle.dumps(found, protocol=5))
        for old, new in zip(found, back, strict=True):
            assert type(new) is cls
            # Documents compare by identity (eq=False): their fields, which pickle as values, are compared.
            assert _shown(new) == _shown(old), cls.__name__
    # Identity inside one pickle holds (a timeline entry's document is the graph's document).
    docs, timeline = pickle.loads(pickle.dumps((graph.docs, graph.timeline), protocol=5))
    by_path = {id(d): d for d in docs}
    assert all(id(entry.doc) in by_path for entry in timeline)
    assert [d.path for d in docs] == [d.path for d in graph.docs]
    assert [(d.title, d.when, d.tags, d.lines) for d in docs] == [(d.title, d.when, d.tags, d.lines) for d in graph.docs]


def test_a_date_worked_out_again_after_a_pickle_shows_what_it_showed() -> None:
    from datetime import UTC, datetime

    when = When(datetime(2024, 12, 6, 14, 30, tzinfo=UTC), "minute", datetime(2024, 12, 6, 14, 30, tzinfo=UTC))
    shown = (when.iso, when.rfc3339, when.readable)
    back = pickle.loads(pickle.dumps(when))
    assert "iso" not in vars(back)  # a cached value is not carried: worked out again when asked
    assert (back.iso, back.rfc3339, back.readable) == shown and back == when


def test_a_class_the_call_could_not_give_back_whole_is_refused() -> None:
    @dataclasses.dataclass
    class Derived:
        a: int
        b: int = dataclasses.field(init=False, default=0)

    @dataclasses.dataclass
    class Checked:
        a: int

        def __post_init__(self) -> None:
            self.a = abs(self.a)

    for cls in (Derived, Checked):
        with pytest.raises(TypeError, match="pickled as a call only"):
            pickled_as_call(cls)


def test_a_resumed_build_loads_the_documents_its_base_saved(tmp_path: Path) -> None:
    site = make_site(tmp_path, BASIC_SITE)
    out = tmp_path / "out"
    first = Builder(site, out, jobs=1, one_shot=True)
    try:
        assert first.build().ok
    finally:
        first.close()
    with open(site / ".briefing-cache" / resume.FILE_NAME, "rb") as handle:
        state = pickle.load(handle)
    docs = state["graph"].docs
    assert docs and all(type(d) is Document for d in docs)
    files = state["files"]
    assert all(type(f) is FileState for f in files.values())
    # The loader's parses and the graph are one set of objects, as when they were saved.
    in_files = {id(f.result[0]) for f in files.values() if f.result[0] is not None}
    assert all(id(d) in in_files for d in docs if d.path in files)
