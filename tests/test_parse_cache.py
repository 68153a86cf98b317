"""The parse cache holds the entries of the files there now and nothing else: a deleted or
edited file's entry goes, in a running builder and in a new process alike, and no number of
edits makes it grow."""

from __future__ import annotations

import pickle
import sqlite3
from pathlib import Path

import pytest
from conftest import make_site

from generator import __version__
from generator.build import Builder
from generator.cache import ParseCache
from generator.sources import digest

ARTICLE = "---\ntitle: Article {n}\ndate: 2024-01-{day:02d}\ntags: [t{n}]\n---\nBody {n}, version {v}.\n"
CACHE = ".briefing-cache"


def _site(tmp_path: Path, count: int = 6) -> Path:
    files = {"briefing.yaml": "title: T\nbase_url: https://example.org/\n"}
    for n in range(count):
        files[f"content/articles/a{n}.md"] = ARTICLE.format(n=n, day=n % 28 + 1, v=0)
    return make_site(tmp_path, files)


def _entries(site: Path) -> dict[str, str]:
    """What the cache holds: the file each entry was made from, and that file's content hash
    (read off the keys; the cache is opened afresh, as a new process would)."""
    cache = ParseCache(site / CACHE)
    try:
        keys = cache.entry_keys()
    finally:
        cache.close()
    found: dict[str, str] = {}
    for key in keys:
        version, _schema, _parser, rel, content = key.split("\x1f")
        assert version == __version__, key
        assert rel not in found, f"two entries for {rel}"
        found[rel] = content.split(":", 1)[0]
    return found


def _live(site: Path) -> dict[str, str]:
    """Every Markdown file there now, with the hash of its bytes."""
    return {p.relative_to(site).as_posix(): digest(p.read_bytes())
            for p in sorted((site / "content").rglob("*.md"))}


def _build(site: Path, builder: Builder | None = None, changed: set[Path] | None = None) -> None:
    own = builder is None
    builder = builder or Builder(site, site.parent / "out", jobs=1)
    try:
        assert builder.build(changed).ok
    finally:
        if own:
            builder.close()


def test_a_new_build_drops_the_entries_of_files_deleted_or_edited_since_the_last(tmp_path: Path) -> None:
    site = _site(tmp_path)
    _build(site)
    assert _entries(site) == _live(site) and len(_live(site)) == 6
    (site / "content/articles/a1.md").unlink()
    (site / "content/articles/a2.md").write_text(ARTICLE.format(n=2, day=3, v=1))
    (site / "content/articles/new.md").write_text(ARTICLE.format(n=9, day=9, v=0))
    _build(site)
    assert "content/articles/a1.md" not in _entries(site)
    assert _entries(site) == _live(site) and len(_live(site)) == 6


def test_a_running_builder_drops_the_entry_of_each_file_it_is_told_changed(tmp_path: Path) -> None:
    site = _site(tmp_path)
    builder = Builder(site, tmp_path / "out", jobs=1, atomic_swap=False)  # as serve runs it
    try:
        _build(site, builder)
        edited, deleted = site / "content/articles/a0.md", site / "content/articles/a3.md"
        edited.write_text(ARTICLE.format(n=0, day=1, v=1))
        _build(site, builder, {edited})
        assert _entries(site) == _live(site)
        deleted.unlink()
        _build(site, builder, {deleted})
        assert _entries(site) == _live(site) and len(_live(site)) == 5
        assert sorted(builder.loader.files) == sorted(_live(site))  # the loader's own copies too
    finally:
        builder.close()


def test_many_edits_leave_one_entry_per_file(tmp_path: Path) -> None:
    site = _site(tmp_path, count=4)
    builder = Builder(site, tmp_path / "out", jobs=1, atomic_swap=False)
    target = site / "content/articles/a1.md"
    try:
        for v in range(1, 61):
            target.write_text(ARTICLE.format(n=1, day=2, v=v))
            # Most edits are named to the builder (a save in serve); every tenth is found by a
            # full scan, as after a folder change.
            _build(site, builder, None if v % 10 == 0 else {target})
            assert len(_entries(site)) == 4, f"after edit {v}"
    finally:
        builder.close()
    for v in range(61, 71):  # edited while no build runs, then built by a new process
        target.write_text(ARTICLE.format(n=1, day=2, v=v))
        _build(site)
    assert _entries(site) == _live(site) and len(_entries(site)) == 4


def test_entries_and_state_saved_by_another_version_are_dropped(tmp_path: Path) -> None:
    site = _site(tmp_path)
    _build(site)
    older, oldest = "0.0.1\x1f1\x1f0000000000000000\x1f", "0.0.0\x1f1\x1f0000000000000000\x1f"
    db = sqlite3.connect(str(site / CACHE / "parse.sqlite"))
    with db:
        db.execute("INSERT INTO entries VALUES (?, ?)", (older + "content/articles/a0.md\x1fx:article:a0:UTC", b""))
        db.executemany("INSERT INTO state VALUES (?, ?)", [
            (older + "manifest", pickle.dumps({})), (older + "signatures", pickle.dumps(None)),
            (older + "output", pickle.dumps(str(tmp_path / "out"))),  # the folder built into now
            (oldest + "output", pickle.dumps(str(tmp_path / "elsewhere"))),
        ])
    db.close()
    (site / "content/articles/a0.md").write_text(ARTICLE.format(n=0, day=1, v=5))
    _build(site)
    assert _entries(site) == _live(site)
    db = sqlite3.connect(str(site / CACHE / "parse.sqlite"))
    keys = [key for (key,) in db.execute("SELECT key FROM state")]
    db.close()
    # Another folder an older version built into stays known; the rest is this version's.
    assert [key for key in keys if not key.startswith(__version__ + "\x1f")] == [oldest + "output"]
    names = [key.rsplit("\x1f", 1)[-1] for key in keys]
    assert len(names) == len(set(names)) + 1 and names.count("output") == 2


def test_a_build_that_finds_no_content_folder_keeps_the_cache(tmp_path: Path) -> None:
    site = _site(tmp_path)
    _build(site)
    before = _entries(site)
    (site / "content").rename(site / "parked")
    builder = Builder(site, tmp_path / "out", jobs=1)
    try:
        assert not builder.build().ok
    finally:
        builder.close()
    assert _entries(site) == before  # the folder may be back for the next build
    (site / "parked").rename(site / "content")
    _build(site)
    assert _entries(site) == _live(site)


@pytest.mark.parametrize("library", ["markdown", "pygments", "yaml"])
def test_another_version_of_a_parsing_library_misses_every_entry(tmp_path: Path, monkeypatch, library: str) -> None:
    # An upgraded Python-Markdown (or Pygments, or PyYAML) may turn the same file into other
    # HTML or values: what the old one made is not reused, and is pruned by the next build.
    import importlib

    from generator import cache

    site = _site(tmp_path)
    _build(site)
    before = ParseCache.key("content/articles/a0.md", "x")
    monkeypatch.setattr(importlib.import_module(library), "__version__", "999.0")
    cache._parser_fingerprint.cache_clear()
    try:
        assert ParseCache.key("content/articles/a0.md", "x") != before
        builder = Builder(site, tmp_path / "out", jobs=1)
        try:
            result = builder.build()
        finally:
            builder.close()
        assert result.ok and result.parsed == 6  # every file parsed again
        assert _entries(site) == _live(site)
    finally:
        monkeypatch.undo()
        cache._parser_fingerprint.cache_clear()


def test_a_running_builder_keeps_related_rankings_only_for_documents_there_now(tmp_path: Path) -> None:
    site = _site(tmp_path)
    builder = Builder(site, tmp_path / "out", jobs=1, atomic_swap=False)
    try:
        _build(site, builder)
        assert "content/articles/a4.md" in builder._related_memo
        for n in range(4, 6):
            doomed = site / f"content/articles/a{n}.md"
            doomed.unlink()
            _build(site, builder, {doomed})
        (site / "content/articles/a0.md").rename(site / "content/articles/renamed.md")
        _build(site, builder)
        assert set(builder._related_memo) <= set(_live(site))
        assert "content/articles/renamed.md" in builder._related_memo
    finally:
        builder.close()


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_first_build_fills_a_new_cache_with_every_parse_a_later_process_finds(tmp_path: Path, jobs: int) -> None:
    """A new cache holds nothing to look up, so the parse workers read the files (the builder
    never holds their bytes) and hand back each parse pickled, which the cache keeps under the
    file's hash: a later process parses nothing again."""
    site = _site(tmp_path, count=70)  # enough for the parse pool
    first = Builder(site, tmp_path / "out", jobs=jobs, one_shot=True)
    try:
        result = first.build()
    finally:
        first.close()
    assert result.ok and result.parsed == 70
    assert _entries(site) == _live(site)
    later = Builder(site, tmp_path / "elsewhere", jobs=jobs, one_shot=True)  # no snapshot, no base there
    try:
        again = later.build()
    finally:
        later.close()
    assert again.ok and again.parsed == 0
    assert (tmp_path / "elsewhere" / "articles" / "a69" / "index.html").read_bytes() == \
        (tmp_path / "out" / "articles" / "a69" / "index.html").read_bytes()


def test_saves_held_together_are_committed_at_commit_or_close_and_parses_at_once(tmp_path: Path) -> None:
    # A one-shot build commits its last saves (states, memo) together, one sync of the file
    # rather than one per save: another connection sees none of them before the commit, all
    # of them after. Parses are committed as written (the database is not held locked).
    folder = tmp_path / "cache"
    cache = ParseCache(folder, together=True)
    other = ParseCache(folder)
    try:
        cache.put("k1", ("parsed",))
        cache.flush()
        assert other.entry_keys() == ["k1"]
        cache.set_state("signatures", {"a": 1})
        cache.memo_update([("search", "m1", b"row")], [])
        assert cache.get_state("signatures") == {"a": 1}
        assert other.get_state("signatures") is None and other.memo_keys() == []
        cache.commit()
        assert other.get_state("signatures") == {"a": 1} and other.memo_keys() == ["m1"]
        cache.set_state("manifest", {"x": ("d", 1, 2)})
        cache.close()
        assert other.get_state("manifest") == {"x": ("d", 1, 2)}
    finally:
        other.close()


def test_a_one_shot_build_leaves_its_saves_committed_when_it_returns(tmp_path: Path) -> None:
    site = _site(tmp_path)
    builder = Builder(site, one_shot=True)
    try:
        assert builder.build().ok
        reader = ParseCache(site / ".briefing-cache")
        try:  # read while the builder is still open: its saves are committed
            assert reader.get_state("signatures") is not None and reader.get_state("manifest")
            assert len(reader.entry_keys()) == 6
        finally:
            reader.close()
    finally:
        builder.close()
