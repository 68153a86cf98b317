"""A build that resumes from a base reads memo entries (``generator/memo.py``) one by one when a
view asks for them, not all at its start: the same results, every entry read before workers
fork or a save drops the unused ones."""

from __future__ import annotations

from pathlib import Path

from generator.cache import ParseCache
from generator.memo import KINDS, Memo


def _double(x: int) -> int:
    _CALLS.append(x)
    return x * 2


_CALLS: list[int] = []


def _saved(tmp_path: Path) -> ParseCache:
    cache = ParseCache(tmp_path / "cache")
    memo = Memo()
    memo.begin(cache)
    assert [memo.get("search", _double, n) for n in (1, 2, 3)] == [2, 4, 6]
    memo.save(cache, complete=True)
    assert len(cache.memo_entries("search")) == 3
    return cache


def test_a_lazy_memo_reads_an_entry_when_asked_and_gives_the_same_result(tmp_path: Path) -> None:
    cache = _saved(tmp_path)
    _CALLS.clear()
    memo = Memo()
    memo.begin(cache, lazy=True)
    assert memo.known == {kind: {} for kind in KINDS}  # nothing read at the start
    assert memo.get("search", _double, 2) == 4 and memo.get("search", _double, 5) == 10
    assert _CALLS == [5]  # the saved result was read, the missing one made
    memo.load_all()  # as before workers fork: every saved entry, and what was made stays
    assert len(memo.known["search"]) == 3 and memo._lazy is None
    memo.save(cache, complete=False)
    assert len(cache.memo_entries("search")) == 4
    cache.close()


def test_a_complete_save_after_a_lazy_start_drops_only_the_unused(tmp_path: Path) -> None:
    cache = _saved(tmp_path)
    memo = Memo()
    memo.begin(cache, lazy=True)
    assert memo.get("search", _double, 1) == 2
    memo.save(cache, complete=True)  # reads the rest first: knows what was not used
    assert len(cache.memo_entries("search")) == 1
    cache.close()
