"""Reading the content folder: a file that cannot be read is reported, in every read path."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_site

from generator import loading
from generator.build import Builder
from generator.cache import ParseCache

GOOD = "---\ntitle: Good\ndate: 2024-01-01\n---\nBody.\n"


def _site(tmp_path: Path) -> Path:
    return make_site(tmp_path, {"content/articles/good.md": GOOD, "content/articles/locked.md": GOOD}, "src")


def _refuse_locked(real):
    def fake(path, *args, **kwargs):
        if str(path).endswith("locked.md"):
            raise PermissionError(13, "Permission denied")
        return real(path, *args, **kwargs)
    return fake


def test_a_worker_batch_reports_a_file_it_cannot_read(tmp_path: Path) -> None:
    [(result, file_digest, slug)] = loading.read_batch(
        [("content/articles/gone.md", str(tmp_path / "gone.md"), "article", "gone", "UTC")])
    doc, body, diagnostics = result
    assert doc is None and body is None and file_digest == "" and slug == "gone"
    assert [str(d) for d in diagnostics] == [
        "content/articles/gone.md:1: file: cannot be read (No such file or directory); check its permissions"]


@pytest.mark.parametrize("use_cache, cache_has_parses", [(True, True), (True, False), (False, False)],
                         ids=["read-by-the-builder", "read-by-the-parser-for-a-new-cache", "read-by-the-parser"])
def test_an_unreadable_file_fails_the_build_with_its_name_and_no_traceback(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, use_cache: bool, cache_has_parses: bool) -> None:
    """The builder reads a file to look its parse up in a cache that holds parses; a new cache
    (nothing to look up) or none, and the parse workers read it."""
    site = _site(tmp_path)
    if cache_has_parses:
        cache = ParseCache(site / ".briefing-cache")
        cache.put_pickled("another file's parse", b"")
        cache.flush()
        cache.close()
    # The builder and the parse workers both read a file with the loading module's ``open``.
    monkeypatch.setattr(loading, "open", _refuse_locked(open), raising=False)
    builder = Builder(site, tmp_path / "out", jobs=1, use_cache=use_cache, one_shot=True)
    result = builder.build()
    builder.close()
    assert not result.ok
    assert [str(d) for d in result.errors] == [
        "content/articles/locked.md:1: file: cannot be read (Permission denied); check its permissions"]
