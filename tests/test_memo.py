"""Results kept across processes by a digest of their exact inputs (``generator/memo.py``): the
land outline of a map's extent, the sentences around a document's links, a document's search
row. A `briefing build` in a new process uses them instead of making them again, an edit whose
only effect goes through one of them gives the bytes of a clean build, and the memo holds only
what the site's views use now (a deleted document's entries go)."""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import pytest
from conftest import make_site, snapshot
from test_pooled_compare import _new_process_build

from generator.cache import ParseCache
from generator.geo import svgmap
from generator.memo import KINDS, MEMO, key_of
from generator.render import linkcontext, search

FILES = {
    "briefing.yaml": "title: Memo\nbase_url: https://example.org/\n",
    "content/locations/hama.md": "---\ntitle: Hama\nlat: 35.13\nlon: 36.75\n---\nA city on the Orontes.\n",
    "content/articles/alpha.md": ("---\ntitle: Alpha convoy\ndate: 2024-03-01\nsummary: A convoy.\n"
                                  "tags: [logistics]\nlocation: [Hama, {name: Tartus, lat: 34.89, lon: 35.89}]\n"
                                  "---\nThe convoy left at dawn.\n"),
    "content/notes/bravo.md": ("---\ntitle: Bravo note\ndate: 2024-03-02\ntags: [logistics]\nlocation: Hama\n---\n"
                               "Before that, little moved. The trucks of [[alpha]] reached the river on time. "
                               "Nothing else.\n"),
    "content/notes/charlie.md": ("---\ntitle: Charlie note\ndate: 2024-03-03\ntags: [air]\n---\n"
                                 "Aircraft were seen over the coast near [[alpha]].\n"),
}


def _build(site: Path, out: Path, *, use_cache: bool = True, jobs: int = 1):
    """A build as a new `briefing build` process makes it (nothing kept in memory from before)."""
    svgmap._land_path.cache_clear()
    return _new_process_build(site, out, jobs=jobs, use_cache=use_cache)


def _bytes(folder: Path) -> dict[str, bytes]:
    return {rel: data for rel, (data, _mtime) in snapshot(folder).items()}


def _clean_equal(site: Path, out: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    if clean.exists():
        shutil.rmtree(clean)
    _build(site, clean, use_cache=False)
    assert _bytes(out) == _bytes(clean)


def _memo_keys(site: Path) -> dict[str, set[str]]:
    cache = ParseCache(site / ".briefing-cache")
    try:
        return {kind: set(cache.memo_entries(kind)) for kind in KINDS}
    finally:
        cache.close()


def _counted(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[int]:
    """Count the calls of ``module.name`` (under its own name: the memo keys by it)."""
    real = getattr(module, name)
    calls: list[int] = []

    @functools.wraps(real)
    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)
    monkeypatch.setattr(module, name, counting)
    return calls


def test_a_new_process_uses_the_kept_results_instead_of_making_them_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path, FILES)
    out = tmp_path / "out"
    _build(site, out)
    (site / "content/notes/bravo.md").write_text(FILES["content/notes/bravo.md"] + "\nOne more sentence.\n",
                                                 encoding="utf-8")
    lands = _counted(monkeypatch, svgmap, "_land_path_of")
    contexts = _counted(monkeypatch, linkcontext, "_packed_contexts")
    rows = _counted(monkeypatch, search, "_doc_row")

    _build(site, out)

    assert lands == []  # no map moved
    assert len(contexts) == 1  # only the edited body's links are read again
    assert len(rows) == 1  # only the edited document's row is made again
    _clean_equal(site, out, tmp_path)


def test_an_edited_sentence_around_a_link_reaches_the_linked_page_as_a_clean_build_shows_it(tmp_path: Path) -> None:
    site = make_site(tmp_path, FILES)
    out = tmp_path / "out"
    _build(site, out)
    bravo = site / "content/notes/bravo.md"
    bravo.write_text(bravo.read_text().replace("reached the river on time", "turned back at the bridge"))

    _build(site, out)

    page = (out / "articles/alpha/index.html").read_text(encoding="utf-8")
    assert "turned back at the bridge" in page and "reached the river" not in page
    _clean_equal(site, out, tmp_path)


def test_a_moved_place_redraws_the_maps_that_show_it_as_a_clean_build_does(tmp_path: Path) -> None:
    site = make_site(tmp_path, FILES)
    out = tmp_path / "out"
    _build(site, out)
    before = (out / "notes/bravo/index.html").read_bytes()
    hama = site / "content/locations/hama.md"
    hama.write_text(hama.read_text().replace("lat: 35.13\nlon: 36.75", "lat: 15.35\nlon: 44.2"))

    _build(site, out)

    assert (out / "notes/bravo/index.html").read_bytes() != before
    _clean_equal(site, out, tmp_path)


def test_a_renamed_document_and_tag_reach_the_search_index_as_a_clean_build_writes_it(tmp_path: Path) -> None:
    site = make_site(tmp_path, FILES)
    out = tmp_path / "out"
    _build(site, out)
    charlie = site / "content/notes/charlie.md"
    charlie.write_text(charlie.read_text().replace("Charlie note", "Charlie sighting").replace("[air]", "[air, coast]"))

    _build(site, out)

    assert b"Charlie sighting" in (out / "search-index.json").read_bytes()
    _clean_equal(site, out, tmp_path)


def test_the_entries_of_a_deleted_document_are_pruned(tmp_path: Path) -> None:
    site = make_site(tmp_path, FILES)
    out = tmp_path / "out"
    _build(site, out)
    kept = _memo_keys(site)
    assert all(kept.values()), kept  # each kind holds something on this site
    (site / "content/notes/bravo.md").unlink()

    _build(site, out)

    # What is left is exactly what a first build of the site as it is now saves.
    fresh = make_site(tmp_path, {k: v for k, v in FILES.items() if k != "content/notes/bravo.md"}, "fresh")
    _build(fresh, tmp_path / "fresh-out")
    left = _memo_keys(site)
    assert left == _memo_keys(fresh)
    assert len(left["search"]) == len(kept["search"]) - 1
    assert left["contexts"] < kept["contexts"]


@pytest.mark.parametrize("write_out", ["at-the-end", "as-they-come"])
def test_a_render_pool_sends_back_what_its_workers_used_and_made(tmp_path: Path, monkeypatch, write_out: str) -> None:
    from generator import memo
    from generator.render.execute import PARALLEL_PAGES

    if write_out == "as-they-come":  # every worker's results written to the cache as it ends
        monkeypatch.setattr(memo, "WRITE_OUT", 1)

    files = {"briefing.yaml": "title: Pool\n"}
    for i in range(PARALLEL_PAGES + 20):
        files[f"content/articles/a{i:04d}.md"] = (
            f"---\ntitle: Article {i}\ndate: 2024-01-{i % 28 + 1:02d}\ntags: [t{i % 5}]\n"
            f"location: {{name: Place {i % 4}, lat: {10 + i % 4}, lon: {20 + i % 3}}}\n---\n"
            f"Body {i}. It links [[a{(i + 1) % (PARALLEL_PAGES + 20):04d}]] here.\n")
    pooled, serial = make_site(tmp_path, files, "pooled"), make_site(tmp_path, files, "serial")
    _build(pooled, tmp_path / "out-pooled", jobs=2)
    _build(serial, tmp_path / "out-serial", jobs=1)
    assert _memo_keys(pooled) == _memo_keys(serial)
    # A second pooled build (after an edit: not the no-change shortcut) keeps what its workers used.
    for site in (pooled, serial):
        first = site / "content/articles/a0000.md"
        first.write_text(first.read_text().replace("Body 0.", "Body zero."))
    _build(pooled, tmp_path / "out-pooled", jobs=2)
    _build(serial, tmp_path / "out-serial", jobs=1)
    assert _memo_keys(pooled) == _memo_keys(serial)
    assert _bytes(tmp_path / "out-pooled") == _bytes(tmp_path / "out-serial")


def test_keys_differ_with_the_inputs_and_the_kind() -> None:
    assert key_of("land", (1.0, 2.0)) != key_of("land", (1.0, 2.5))
    assert key_of("land", (1.0, 2.0)) != key_of("search", (1.0, 2.0))
    assert key_of("land", ("a", None)) == key_of("land", ("a", None))
    assert MEMO is not None


def test_results_of_a_kind_this_version_does_not_keep_are_dropped_by_a_complete_build(tmp_path: Path) -> None:
    site = make_site(tmp_path, FILES)
    _build(site, tmp_path / "out")
    cache = ParseCache(site / ".briefing-cache")
    try:
        cache.memo_update([("retired-kind", "k" * 40, b"x")], [])
        assert "k" * 40 in cache.memo_keys()
    finally:
        cache.close()
    charlie = site / "content/notes/charlie.md"
    charlie.write_text(charlie.read_text() + "\nOne more sentence.\n")  # a build, not the no-change shortcut
    _build(site, tmp_path / "out")
    cache = ParseCache(site / ".briefing-cache")
    try:
        assert "k" * 40 not in cache.memo_keys()
    finally:
        cache.close()
