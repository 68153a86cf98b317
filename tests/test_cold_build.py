"""What a cold one-shot build (`briefing build --no-cache`) keeps out of memory and work: the
memo records nothing it could only save, the kept views hold no part of a data file that only
a later build reads, backlink contexts are worked out once before the render workers fork, a
big site file's freed heap goes back to the system, and the faster placeholder check finds
what the full pattern finds. The pages are the same bytes either way."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import BASIC_SITE, make_site, snapshot

from generator.build import Builder
from generator.cache import ParseCache
from generator.memo import HELD, KINDS, MEMO, Memo
from generator.model import skeleton
from generator.output import Put
from generator.render import execute, outputs
from generator.render.execute import PARALLEL_PAGES
from generator.render.kept import kept_views

FILES = {
    "briefing.yaml": "title: Cold\nbase_url: https://example.org/\n",
    "content/locations/hama.md": "---\ntitle: Hama\nlat: 35.13\nlon: 36.75\n---\nA city on the Orontes.\n",
    "content/articles/alpha.md": ("---\ntitle: Alpha convoy\ndate: 2024-03-01\nsummary: A convoy.\n"
                                  "tags: [logistics]\nlocation: [Hama]\nsources:\n  - name: Wire\n---\n"
                                  "The convoy left at dawn.\n"),
    "content/notes/bravo.md": ("---\ntitle: Bravo note\ndate: 2024-03-02\ntags: [logistics]\nlocation: Hama\n---\n"
                               "The trucks of [[alpha]] reached the river on time. Nothing else.\n"),
}


def _builder(site: Path, out: Path, **kwargs) -> Builder:
    builder = Builder(site, out, **kwargs)
    assert builder.build().ok
    return builder


def _pool_site(tmp_path: Path, name: str) -> Path:
    files = {"briefing.yaml": "title: Pool\n"}
    docs = PARALLEL_PAGES + 40
    for i in range(docs):
        files[f"content/articles/a{i:04d}.md"] = (
            f"---\ntitle: Article {i}\ndate: 2024-02-{i % 28 + 1:02d}\ntags: [t{i % 5}]\n"
            f"location: {{name: Place {i % 4}, lat: {30 + i % 4}, lon: {35 + i % 3}}}\n---\n\n"
            f"Article {i} reads on from [[a{(i + 1) % docs:04d}]]. It answers [[a{(i * 7) % docs:04d}]].\n")
    return make_site(tmp_path, files, name)


def _bytes(folder: Path) -> dict[str, bytes]:
    return {rel: data for rel, (data, _mtime) in snapshot(folder).items()}


def test_a_build_without_a_cache_records_no_memo_entries(tmp_path: Path) -> None:
    site = make_site(tmp_path, FILES)
    builder = _builder(site, tmp_path / "out", use_cache=False, one_shot=True, jobs=1)
    try:
        assert not MEMO.recording
        assert all(not keys for keys in MEMO.used.values())
        # Only results that recur within the build are held, none of them pickled.
        assert all(kind in HELD and not isinstance(made, bytes) for kind, _key, made in MEMO.new)
        assert all(not MEMO.known[kind] for kind in KINDS if kind not in HELD)
    finally:
        builder.close()


def test_without_a_cache_the_memo_still_holds_what_recurs_within_a_build() -> None:
    memo = Memo()
    memo.begin(None)
    calls: list[int] = []

    def made(n: int) -> int:
        calls.append(n)
        return n * 2

    assert [memo.get("land", made, 3) for _ in range(3)] == [6, 6, 6]
    assert calls == [3]  # held: made once
    assert [memo.get("search", made, 4) for _ in range(2)] == [8, 8]
    assert calls == [3, 4, 4]  # not held: made each time, nothing kept
    used, new = memo.take_log()
    assert not any(used.values()) and [kind for kind, _key, _made in new] == ["land"]
    builder_side = Memo()
    builder_side.begin(None)
    builder_side.add_log((used, new))  # what a worker made, taken in: not made again
    assert builder_side.get("land", made, 3) == 6 and calls == [3, 4, 4]


def test_a_build_with_a_cache_still_records_its_memo_entries(tmp_path: Path) -> None:
    site = make_site(tmp_path, FILES)
    builder = _builder(site, tmp_path / "out", use_cache=True, one_shot=True, jobs=1)
    builder.close()
    cache = ParseCache(site / ".briefing-cache")
    try:
        assert cache.memo_entries("search")  # recorded, then saved for the next build
    finally:
        cache.close()


@pytest.mark.parametrize("one_shot", [True, False], ids=["one-shot", "running"])
def test_only_a_running_builders_kept_views_keep_the_data_file_parts(tmp_path: Path, one_shot: bool) -> None:
    """A one-shot build's kept views hold no part of a data file (only a later build in the
    same process would read them); a running builder's hold them for its next build."""
    site = make_site(tmp_path, FILES)
    builder = _builder(site, tmp_path / "out", use_cache=False, one_shot=one_shot, jobs=1)
    try:
        assert builder._last is not None
        kept = kept_views(builder._last.graph)
        parts = {"feeds": kept.feeds, "events": kept.events, "previews": kept.previews,
                 "timeline_bytes": kept.timeline_bytes, "previews_bytes": kept.previews_bytes}
        assert kept.lasting is not one_shot
        if one_shot:
            assert not any(parts.values()), parts.keys()
            assert kept.timeline_run is None and kept.sources_bytes is None and not kept.citation_texts
        else:
            assert all(parts.values()), [name for name, part in parts.items() if not part]
    finally:
        builder.close()


def test_one_shot_and_running_builds_write_the_same_bytes(tmp_path: Path) -> None:
    site = make_site(tmp_path, FILES)
    for name, one_shot in (("once", True), ("kept", False)):
        _builder(site, tmp_path / name, use_cache=False, one_shot=one_shot, jobs=1).close()
    assert _bytes(tmp_path / "once") == _bytes(tmp_path / "kept")


@pytest.mark.usefixtures("sole_thread")  # forks render workers
def test_output_with_prepared_contexts_equals_output_without(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = _pool_site(tmp_path, "src")
    builder = _builder(site, tmp_path / "prepared", use_cache=False, one_shot=True, jobs=2)
    try:  # every linking document's contexts were worked out in the builder, before the fork
        graph = builder._last.graph
        linking = {d.path for found in (graph.links.referenced_by, graph.links.assessed_in)
                   for docs in found.values() for d in docs}
        assert linking and linking <= set(kept_views(graph).contexts)
    finally:
        builder.close()
    _builder(site, tmp_path / "serial", use_cache=False, one_shot=True, jobs=1).close()
    monkeypatch.setattr(outputs, "prepare_contexts", lambda graph: None)
    _builder(site, tmp_path / "unprepared", use_cache=False, one_shot=True, jobs=2).close()
    prepared = _bytes(tmp_path / "prepared")
    assert prepared == _bytes(tmp_path / "unprepared")
    assert prepared == _bytes(tmp_path / "serial")


def test_only_a_big_site_file_hands_its_freed_heap_back(monkeypatch: pytest.MonkeyPatch) -> None:
    released: list[int] = []
    monkeypatch.setattr(execute, "_release_free_heap", lambda: released.append(1))
    execute._after_own(Put("feed.xml", True, "d", 1000))
    assert released == []
    execute._after_own(Put("search-index.json", True, "d", execute.BIG_FILE + 1))
    assert released == [1]
    execute._release_free_heap()  # the real one: harmless wherever it runs


def test_the_fast_placeholder_check_finds_what_the_full_pattern_finds() -> None:
    texts = ["", "-", "\n", "- \n", "a\n-\nb", "a\n - \n", "a\n\t*", "x-\n", "a\n-b", "+\n", " \n+ \t",
             "a\n\n-\r\n", "title: x # placeholder: y\n", *skeleton.BODY_LINES, *skeleton.OLD_LINES]
    rng = random.Random(16)
    texts += ["".join(rng.choice("-*+ \t\na\r#") for _ in range(rng.randint(0, 9))) for _ in range(5000)]
    for text in texts:
        assert skeleton.suspect(text) == (skeleton._SUSPECT.search(text) is not None), repr(text)


def test_a_first_build_with_a_cache_makes_each_data_file_once(tmp_path: Path, monkeypatch) -> None:
    """Signed after its render, a data file (feed, search index...) is not made a second time
    for its signature, nor held to the end of the build."""
    from collections import Counter

    from generator.render import datafiles

    made: Counter[int] = Counter()
    real = datafiles.DataFile.bytes

    def counting(self: datafiles.DataFile) -> bytes:
        if self.data is None:
            made[id(self)] += 1
        return real(self)

    monkeypatch.setattr(datafiles.DataFile, "bytes", counting)
    site = make_site(tmp_path, BASIC_SITE)
    assert Builder(site, tmp_path / "out", quiet=True, one_shot=True, jobs=1).build().ok
    assert len(made) > 5 and set(made.values()) == {1}
