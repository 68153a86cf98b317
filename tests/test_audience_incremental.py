"""Incremental builds for an audience equal clean builds byte for byte: after a marking changes,
a left-out document is edited, a file's only readers change, the default marking or the audience
changes, in a running builder (what ``serve`` does) and in a second ``briefing build`` with the cache."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from audiencesite import files, leaks, write
from conftest import run_cli
from editreplay import replay_in_builder, replay_with_cli

from generator.build import Builder
from generator.verify import verify_output


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _marking(path: Path, marking: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'^marking: .*$', f'marking: "{marking}"', text, count=1, flags=re.M), encoding="utf-8")


#: (description, edit of the site folder returning the changed file) in the order applied.
EDITS = [
    ("a shown note is marked above the audience", lambda s: _marking(s / "content/notes/note-qclr.md", "TLP:RED")
     or s / "content/notes/note-qclr.md"),
    ("and back", lambda s: _marking(s / "content/notes/note-qclr.md", "TLP:CLEAR") or s / "content/notes/note-qclr.md"),
    ("a left-out note is marked for the audience", lambda s: _marking(s / "content/notes/note-qamb.md", "TLP:GREEN")
     or s / "content/notes/note-qamb.md"),
    ("a left-out note's body and title change", lambda s: _edit(s / "content/notes/note-qred.md", "title: Note zzqredtitle",
                                                                "title: Renamed zzqredtitle") or s / "content/notes/note-qred.md"),
    ("a shown note's body links to a left-out one", lambda s: _edit(s / "content/notes/note-qclr.md", "More zzqclrwords",
                                                                   "More zzqclrwords and [[note-qstr]]") or s / "content/notes/note-qclr.md"),
    ("a shown note shows the file of a left-out one", lambda s: _edit(s / "content/notes/note-qclr.md", "with a map:",
                                                                     "with a map ![x](note-qred-map.png):")
     or s / "content/notes/note-qclr.md"),
    ("a shown article is marked above the audience", lambda s: _edit(s / "content/articles/article-clear.md",
                                                                    "summary: What", "marking: TLP:AMBER\nsummary: What")
     or s / "content/articles/article-clear.md"),
    ("the site's default marking changes", lambda s: _edit(s / "briefing.yaml", "title:", "marking: TLP:GREEN\ntitle:")
     or s / "briefing.yaml"),
]


@pytest.mark.parametrize("audience", ["TLP:GREEN", None])
def test_a_running_builder_told_of_each_edit_equals_a_clean_build(tmp_path: Path, audience: str | None) -> None:
    def no_canary(what: str, out: Path) -> None:
        if audience and what == EDITS[0][0]:
            assert not any(b"zzqclr" in p.read_bytes() for p in out.rglob("*") if p.is_file())

    # As serve makes it: files replaced in place, the parse cache kept.
    graphs = replay_in_builder(write(tmp_path / "src", files()), tmp_path / "preview", EDITS, audience, no_canary)
    # Both ways were taken: a graph updated in place (an edit of a shown note) and built afresh
    # (a document left out or let in).
    assert {"updated", "full"} <= set(graphs)


def test_a_second_briefing_build_with_the_cache_equals_a_clean_build(tmp_path: Path) -> None:
    def no_canary(what: str, out: Path) -> None:
        if what == EDITS[0][0]:
            assert not any(b"zzqclr" in p.read_bytes() for p in out.rglob("*") if p.is_file())

    replay_with_cli(write(tmp_path / "src", files()), tmp_path / "out", EDITS, after=no_canary)


def test_changing_the_audience_between_builds_into_one_folder_equals_a_clean_build(tmp_path: Path) -> None:
    site = write(tmp_path / "src", files())
    out = tmp_path / "out"
    for audience in ("TLP:RED", "TLP:CLEAR", "TLP:AMBER+STRICT", None, "TLP:GREEN"):
        extra = ("--audience", audience) if audience else ()
        run = run_cli("build", "--source", site, "-o", out, *extra)
        assert run.code == 0, run.text
        assert verify_output(site, out, audience=audience) == [], audience
        assert leaks(out, audience) == [], audience
    # and audience: in briefing.yaml, which a running builder reads again on every build
    builder = Builder(site, out, quiet=True, atomic_swap=False, jobs=1)
    try:
        assert builder.build().ok
        _edit(site / "briefing.yaml", "title:", "audience: TLP:CLEAR\ntitle:")
        assert builder.build({site / "briefing.yaml"}).ok
        assert verify_output(site, out) == [] and leaks(out, "TLP:CLEAR") == []
    finally:
        builder.close()
