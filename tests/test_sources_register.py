"""The source register: document pages list their sources with grades spelled out; ``/sources/``,
each source's page and ``sources.json`` count and list the citing documents; names that differ in
case or white space are one source, and aliases from ``briefing.yaml`` and ``content/sources/``
pages merge names. Under an audience nothing above it shows; after edits (a running builder and
a second ``briefing build``) the output equals a clean build byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import build_ok, make_site, page, run_cli, text_of
from editreplay import replay_in_builder, replay_with_cli


def _article(title: str, day: int, sources: str, marking: str = "TLP:CLEAR") -> str:
    return (f"---\ntitle: {title}\ndate: 2024-12-{day:02d}\nmarking: \"{marking}\"\nconfidence: moderate\n"
            f"sources:\n{sources}---\n{title} in a few words.\n")


FILES: dict[str, str] = {
    "briefing.yaml": "title: Source brief\nbase_url: https://example.org/\n"
                     "source_aliases:\n  Defence Blog: [DefenceBlog, defence-blog.com]\n",
    "content/articles/first.md": _article("First report", 1,
        "  - name: Reuters\n    url: https://www.reuters.com/world/x\n    accessed: 2024-12-01\n"
        "    reliability: B\n    credibility: 2\n"
        "  - name: Defence Blog\n    reliability: C\n    credibility: 3\n"),
    "content/articles/second.md": _article("Second report", 2,
        "  - name: '  reuters  '\n    reliability: B\n    credibility: 2\n"
        "  - {name: DefenceBlog, grade: C3}\n"),
    "content/articles/third.md": _article("Third report", 3, "  - {name: AP, grade: A1}\n"),
    "content/articles/secret.md": _article("Red report", 4,
        "  - {name: Zzsecret Wire, url: 'https://zzsecret.example/', grade: F6}\n"
        "  - {name: Reuters, grade: B2}\n", marking="TLP:RED"),
    "content/sources/associated-press.md": "---\ntitle: Associated Press\naliases: [AP]\n"
                                           "url: https://apnews.com/\nsummary: A news agency.\n---\n"
                                           "An international news agency.\n",
}


def _site(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    return make_site(tmp_path, files or FILES)


def _register(out: Path) -> dict[str, dict]:
    """The register page read back: name -> count, grades, citing titles, the entry's link."""
    html = page(out, "sources/")
    found = {}
    for item in html.root.iter("li"):
        if "source-entry-item" not in (item.get("class") or "").split():
            continue
        name_link = item.find("h2/a")
        cited_by = [a for a in item.iter("a") if a is not name_link]
        found[text_of(name_link)] = {
            "url": name_link.get("href"),
            "count": text_of(next(el for el in item.iter("span") if el.get("class") == "count")),
            "grades": [text_of(li) for ul in item.iter("ul") if ul.get("class") == "grades" for li in ul],
            "cited_by": sorted((text_of(a), a.get("href")) for a in cited_by),
        }
    return found


def test_a_document_page_lists_every_source_with_grades_spelled_out_link_and_date(tmp_path: Path) -> None:
    out = build_ok(_site(tmp_path))
    html = page(out, "articles/first/")
    items = html.all("dd", cls="source")
    assert len(items) == 2
    reuters, blog = items
    link = next(a for a in reuters.iter("a") if a.get("href") == "https://www.reuters.com/world/x")
    assert text_of(link) == "Reuters" and "external" in link.get("rel").split()
    assert "B2: usually reliable, probably true" in text_of(reuters)
    assert next(t for t in reuters.iter("time")).get("datetime") == "2024-12-01"
    assert "C3: fairly reliable, possibly true" in text_of(blog)
    assert [a.get("href") for a in blog.iter("a")] == ["/sources/defence-blog/"]
    assert any(text_of(dt) == "Sources" for dt in html.all("dt"))


def test_the_register_merges_names_and_aliases_counts_and_links_citing_documents(tmp_path: Path) -> None:
    out = build_ok(_site(tmp_path))
    reg = _register(out)
    assert set(reg) == {"Reuters", "Defence Blog", "Associated Press", "Zzsecret Wire"}
    assert reg["Reuters"]["count"] == "3 times"
    assert reg["Reuters"]["grades"] == ["B2: usually reliable, probably true"]
    assert reg["Reuters"]["cited_by"] == [("First report", "/articles/first/"), ("Red report", "/articles/secret/"),
                                          ("Second report", "/articles/second/")]
    # briefing.yaml's source_aliases: DefenceBlog is Defence Blog
    assert reg["Defence Blog"]["count"] == "2 times"
    # a content/sources page: AP is the Associated Press, and the page is the source's own
    assert reg["Associated Press"]["url"] == "/sources/associated-press/"
    assert reg["Associated Press"]["grades"] == ["A1: completely reliable, confirmed by other sources"]
    own = page(out, "sources/associated-press/")
    assert own.h1 == "Associated Press"
    assert "An international news agency." in own.text
    assert "https://apnews.com/" in own.hrefs()
    assert "/articles/third/" in own.hrefs()
    assert not (out / "sources" / "ap").exists()


def test_sources_json_holds_the_register(tmp_path: Path) -> None:
    out = build_ok(_site(tmp_path))
    data = json.loads((out / "sources.json").read_text(encoding="utf-8"))
    by_name = {s["name"]: s for s in data["sources"]}
    reuters = by_name["Reuters"]
    assert reuters["count"] == 3 and reuters["slug"] == "reuters"
    assert reuters["url"] == "https://example.org/sources/reuters/"
    assert reuters["grades"] == [{"grading": "B2", "text": "B2: usually reliable, probably true"}]
    assert {c["url"] for c in reuters["cited_by"]} == {
        "https://example.org/articles/first/", "https://example.org/articles/second/",
        "https://example.org/articles/secret/"}
    assert by_name["Defence Blog"]["aliases"] == ["DefenceBlog"]
    assert by_name["Associated Press"]["links"] == ["https://apnews.com/"]


def test_a_page_may_not_take_the_sources_slug(tmp_path: Path) -> None:
    files = dict(FILES)
    files["content/pages/sources.md"] = "---\ntitle: Sources\n---\nMine.\n"
    run = run_cli("build", "--source", _site(tmp_path, files), "-o", tmp_path / "out")
    assert run.code != 0 and "reserved" in run.text


@pytest.mark.parametrize("audience", ["TLP:CLEAR", "TLP:GREEN"])
def test_an_audience_build_shows_only_sources_of_shown_documents(tmp_path: Path, audience: str) -> None:
    site = _site(tmp_path)
    out = build_ok(site, "--audience", audience, "-o", tmp_path / "out")
    for path in out.rglob("*"):
        if path.is_file():
            assert b"zzsecret" not in path.read_bytes().lower(), path
            assert "zzsecret" not in path.name
    reg = _register(out)
    assert set(reg) == {"Reuters", "Defence Blog", "Associated Press"}
    assert reg["Reuters"]["count"] == "2 times"
    # counts and lists are those of a site built from only the visible documents
    visible = dict(FILES)
    del visible["content/articles/secret.md"]
    other = build_ok(_site(tmp_path / "visible", visible), "-o", tmp_path / "visible-out")
    assert (out / "sources.json").read_bytes() == (other / "sources.json").read_bytes()
    assert _register(out) == _register(other)
    names = sorted(p.name for p in (out / "sources").iterdir())
    assert names == sorted(p.name for p in (other / "sources").iterdir())


def _edit(path: Path, old: str, new: str) -> Path:
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, path)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _new(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


#: (what, edit of the site folder returning the changed file), applied in order.
EDITS = [
    ("a document's sources change", lambda s: _edit(s / "content/articles/second.md", "  - {name: DefenceBlog, grade: C3}\n",
                                                     "  - {name: DefenceBlog, grade: D4}\n  - {name: BBC, grade: B2}\n")),
    ("a document's source is regraded", lambda s: _edit(s / "content/articles/first.md", "reliability: B", "reliability: A")),
    ("an alias in briefing.yaml", lambda s: _edit(s / "briefing.yaml", "[DefenceBlog,", "[BBC, DefenceBlog,")),
    ("an alias is removed from briefing.yaml", lambda s: _edit(s / "briefing.yaml", "[BBC, DefenceBlog,", "[DefenceBlog,")),
    ("a source page gains an alias", lambda s: _edit(s / "content/sources/associated-press.md", "aliases: [AP]",
                                                     "aliases: [AP, Reuters]")),
    ("a source page's body changes", lambda s: _edit(s / "content/sources/associated-press.md", "international",
                                                      "American")),
    ("a new source page", lambda s: _new(s / "content/sources/bbc.md",
                                         "---\ntitle: British Broadcasting Corporation\naliases: [BBC]\n---\nA broadcaster.\n")),
    ("a left-out document's sources change", lambda s: _edit(s / "content/articles/secret.md", "Zzsecret Wire",
                                                             "Zzsecret Other")),
    ("a source page is deleted", lambda s: (s / "content/sources/bbc.md").unlink() or s / "content/sources/bbc.md"),
]


@pytest.mark.parametrize("audience", [None, "TLP:GREEN"])
def test_a_running_builder_told_of_each_edit_equals_a_clean_build(tmp_path: Path, audience: str | None) -> None:
    graphs = replay_in_builder(_site(tmp_path), tmp_path / "preview", EDITS, audience)
    assert "updated" in graphs  # a document edit took the one-document update


def test_a_second_briefing_build_with_the_cache_equals_a_clean_build(tmp_path: Path) -> None:
    replay_with_cli(_site(tmp_path), tmp_path / "out", EDITS)


def test_a_source_page_no_document_cites_keeps_its_page_but_is_not_in_the_register(tmp_path: Path) -> None:
    files = dict(FILES)
    files["content/sources/wire.md"] = "---\ntitle: Example Wire Service\naliases: [Wire]\n---\nA wire.\n"
    files["content/articles/third.md"] = _article("Third report", 3, "  - {name: AP, grade: A1}\n").replace(
        "in a few words.", "in a few words; see [[wire]].")
    out = build_ok(_site(tmp_path, files), "--strict")
    own = page(out, "sources/wire/")  # the link's target exists
    assert own.h1 == "Example Wire Service" and "No document cites" in own.text
    assert "/sources/wire/" in page(out, "articles/third/").hrefs()
    assert "Example Wire Service" not in _register(out)
    assert "Example Wire Service" not in (out / "sources.json").read_text(encoding="utf-8")
    # cited under another of its names, it is one source, at the page's address
    files["content/articles/third.md"] = _article("Third report", 3, "  - {name: wire, grade: B2}\n")
    out = build_ok(_site(tmp_path / "again", files))
    assert _register(out)["Example Wire Service"]["url"] == "/sources/wire/"


def test_grades_as_analysts_write_them_are_read_and_a_reversed_or_spelled_one_with_a_note() -> None:
    from generator.model.sourcing import written_grade

    for written in ("B2", "b2", "B-2", "B/2", "B 2", "B.2", "B2 (usually reliable, probably true)"):
        assert written_grade(written) == ("B2", None), written
    assert written_grade("2B") == ("B2", "'2B' is read as B2: a grade is written letter first")
    assert written_grade("Usually reliable; probably true") == (
        "B2", "'Usually reliable; probably true' is read as B2; a grade is written as its letter and digit")
    assert written_grade("not usually reliable, truth cannot be judged")[0] == "D6"
    for left in ("Z9", "B7", "reliable", "usually reliable", "very reliable, probably true"):
        assert written_grade(left) == (left, None), left


def test_a_spelled_grade_builds_with_a_warning_and_shows_on_the_page(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/articles/a.md": "---\ntitle: A\ndate: 2024-12-05\nsources:\n"
                                                         "  - {name: Wire, grade: B-2}\n"
                                                         "  - {name: Channel, grade: 5E}\n---\nText.\n"})
    run = run_cli("build", "--source", site)
    assert run.code == 0 and run.err.count(": warning:") == 1, run.text
    assert "a.md:6: warning: sources[2].grade: '5E' is read as E5" in run.err
    text = text_of(page(site / "site", "articles/a/").one("main"))
    assert "B2" in text and "E5" in text
