"""Data files a running builder assembles from parts kept by the identity of what each part is
made from (term feeds, ``previews.json``, ``sources.json``, ``timeline.json``, the search
index): after tag, body,
summary, title and source edits the output equals a clean build byte for byte, and the files
are written exactly as ``json.dumps`` writes them."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import make_site
from editreplay import replay_in_builder


def _article(title: str, day: int, tags: str, source: str, summary: str = "") -> str:
    extra = f"summary: {summary}\n" if summary else ""
    return (f"---\ntitle: {title}\ndate: 2024-11-{day:02d}\ntags: [{tags}]\nactors: [Russia]\n{extra}"
            f"sources:\n  - name: {source}\n    reliability: B\n    credibility: 2\n"
            f"---\n{title} seen near the coast. See [[second]].\n")


FILES = {
    "briefing.yaml": "title: Kept data\nbase_url: https://example.org/\npaginate: 2\nfeed_limit: 2\n",
    "content/articles/first.md": _article("First convoy", 1, "logistics, air defence", "Reuters"),
    "content/articles/second.md": _article("Second convoy", 2, "logistics", "Reuters", "A short summary."),
    "content/articles/third.md": _article("Third convoy", 3, "armour", "Defence Blog"),
    "content/notes/fourth.md": _article("Fourth note", 4, "logistics, armour", "Reuters"),
    "content/actors/russia.md": "---\ntitle: Russia\naliases: [RF]\n---\nSee [[first]].\n",
}


def _rewrite(rel: str, old: str, new: str):
    def edit(site: Path) -> Path:
        path = site / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new), encoding="utf-8")
        return path
    return edit


def _write(rel: str, text: str):
    def edit(site: Path) -> Path:
        path = site / rel
        path.write_text(text, encoding="utf-8")
        return path
    return edit


EDITS = [
    ("a tag added that sorts first", _rewrite("content/articles/third.md", "[armour]", "[aaa new, armour]")),
    ("a body edit", _rewrite("content/articles/second.md", "seen near the coast", "seen inland")),
    ("the new tag removed", _rewrite("content/articles/third.md", "[aaa new, armour]", "[armour]")),
    ("a summary edit", _rewrite("content/articles/second.md", "A short summary.", "Another summary.")),
    ("a title edit", _rewrite("content/articles/first.md", "title: First convoy", "title: First airlift")),
    ("a source grading edit", _rewrite("content/articles/first.md", "credibility: 2", "credibility: 3")),
    ("a source renamed", _rewrite("content/articles/third.md", "name: Defence Blog", "name: Reuters")),
    ("a tag on every list", _rewrite("content/notes/fourth.md", "[logistics, armour]", "[logistics, armour, zz]")),
    ("an actor's page renamed", _rewrite("content/actors/russia.md", "title: Russia", "title: Russian Federation")),
    ("an alias on the actor's page", _rewrite("content/actors/russia.md", "aliases: [RF]", "aliases: [RF, Moscow]")),
    ("a new article", _write("content/articles/fifth.md", _article("Fifth convoy", 5, "zz", "Tass"))),
]


def test_data_files_equal_a_clean_build_after_each_edit_in_a_running_builder(tmp_path: Path) -> None:
    site = make_site(tmp_path, FILES)
    seen: list[str] = []

    def after(what: str, out: Path) -> None:
        seen.append(what)
        _check_canonical_json(out)

    replay_in_builder(site, tmp_path / "out", EDITS, None, after)
    assert len(seen) == len(EDITS)


def _check_canonical_json(out: Path) -> None:
    """The files assembled from kept parts are the bytes ``json.dumps`` writes for their data."""
    sources = (out / "sources.json").read_text(encoding="utf-8")
    data = json.loads(sources)
    assert data["sources"], "the register lists the cited sources"
    assert sources == json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    index = (out / "search-index.json").read_text(encoding="utf-8")
    assert index == json.dumps(json.loads(index), ensure_ascii=False, separators=(",", ":")) + "\n"
    previews = (out / "previews.json").read_text(encoding="utf-8")
    data = json.loads(previews)
    assert data["pages"]
    assert previews == json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def test_an_empty_register_is_written_as_json_dumps_writes_it(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"briefing.yaml": "title: Empty\n",
                                "content/articles/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\nText.\n"})
    replay_in_builder(site, tmp_path / "out", [("a body edit", _rewrite("content/articles/a.md", "Text", "More"))],
                      None)
    text = (tmp_path / "out" / "sources.json").read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
