"""Report layout on document pages, read back with a parser: the byline from ``author`` /
``authors``, the "As of" line, a table of contents on long documents whose links resolve to
heading ids, and the print-only permalink and print date. Errors in the new fields are
``file:line: field: ...``; restricted documents leave no byline behind; an edit stays fresh."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import BASIC_SITE, build, build_ok, make_site, page, text_of

from generator.build import Builder
from generator.render.toc import MAX_ENTRIES
from generator.verify import compare_folders

LONG = """\
---
title: A long assessment
date: 2024-12-09
updated: 2024-12-10
as_of: 2024-12-08
authors: [Ada Analyst, Ben Reviewer, Cy Editor]
confidence: moderate
---
Opening text of the assessment.

## Key judgements

One.

## What changed

Two.

### Detail on the change

Three.

## What to watch

Four.
"""

SHORT = """\
---
title: A short note
date: 2024-12-09T08:00:00Z
updated: 2024-12-11
author: Dee Writer
---
Only one heading below.

## Just one

Text.
"""

UNDATED_AS_OF = """\
---
title: Plain article
date: 2024-12-05
---
Text.
"""


def _site(tmp_path: Path, base_url: str = "https://example.org/brief/") -> Path:
    files = dict(BASIC_SITE)
    files["briefing.yaml"] = f"title: Test Brief\nbase_url: {base_url}\n"
    files["content/notes/long.md"] = LONG
    files["content/notes/short.md"] = SHORT
    files["content/articles/plain.md"] = UNDATED_AS_OF
    return make_site(tmp_path, files)


def _byline(html) -> str:
    return text_of(html.one("p", "doc-byline"))


def test_authors_are_a_byline_in_order_joined_with_and(tmp_path: Path) -> None:
    out = build_ok(_site(tmp_path))
    long = page(out, "notes/long/")
    assert [text_of(a) for a in long.all("span", "author")] == ["Ada Analyst", "Ben Reviewer", "Cy Editor"]
    assert _byline(long).startswith("By Ada Analyst, Ben Reviewer and Cy Editor")
    short = page(out, "notes/short/")
    assert [text_of(a) for a in short.all("span", "author")] == ["Dee Writer"]
    assert page(out, "articles/plain/").all("span", "author") == []


def test_as_of_is_the_given_date_else_updated_else_date(tmp_path: Path) -> None:
    out = build_ok(_site(tmp_path))
    cases = {"notes/long/": "2024-12-08", "notes/short/": "2024-12-11", "articles/plain/": "2024-12-05"}
    for url, day in cases.items():
        as_of = page(out, url).one("span", "as-of")
        assert text_of(as_of).startswith("As of "), url
        assert as_of.find("time").get("datetime").startswith(day), url


def test_long_documents_get_contents_whose_links_resolve_to_heading_ids(tmp_path: Path) -> None:
    out = build_ok(_site(tmp_path))
    long = page(out, "notes/long/")
    navs = long.all("nav", aria_label="Contents")
    assert len(navs) == 1
    links = [(a.get("href"), text_of(a)) for a in navs[0].iter("a")]
    assert [t for _, t in links] == ["Key judgements", "What changed", "Detail on the change", "What to watch"]
    ids = {el.get("id") for el in long.root.iter() if isinstance(el.tag, str) and el.get("id")}
    for href, _ in links:
        assert href.startswith("#") and href[1:] in ids, href
    body_headings = [el for el in long.one("div", "doc-body").iter() if el.tag in ("h2", "h3")]
    assert [h.get("id") for h in body_headings] == [h[1:] for h, _ in links]
    # one heading is not enough for a table of contents
    assert page(out, "notes/short/").all("nav", aria_label="Contents") == []


def test_a_document_of_thousands_of_headings_lists_the_first_500_and_counts_the_rest(tmp_path: Path) -> None:
    headings = "".join(f"## Part {i}\n\nText.\n\n### Detail {i}\n\nMore.\n\n" for i in range(1500))
    files = dict(BASIC_SITE)
    files["content/notes/book.md"] = "---\ntitle: Book\ndate: 2024-12-09\n---\n" + headings
    files["content/notes/exact.md"] = "---\ntitle: Exact\ndate: 2024-12-09\n---\n" + "".join(
        f"## Section {i}\n\nText.\n\n" for i in range(MAX_ENTRIES))
    out = build_ok(make_site(tmp_path, files))
    book = page(out, "notes/book/")
    nav = book.one("nav", aria_label="Contents")
    links = [(a.get("href"), text_of(a)) for a in nav.iter("a")]
    assert len(links) == MAX_ENTRIES
    assert links[:3] == [("#part-0", "Part 0"), ("#detail-0", "Detail 0"), ("#part-1", "Part 1")]
    assert links[-1] == (f"#detail-{MAX_ENTRIES // 2 - 1}", f"Detail {MAX_ENTRIES // 2 - 1}")
    assert text_of(nav.find(".//p[@class='toc-more']")) == f"and {3000 - MAX_ENTRIES:,} more headings in the text"
    ids = {el.get("id") for el in book.one("div", "doc-body").iter() if el.tag in ("h2", "h3")}
    assert len(ids) == 3000 and all(href[1:] in ids for href, _ in links)
    exact = page(out, "notes/exact/").one("nav", aria_label="Contents")
    assert len(list(exact.iter("a"))) == MAX_ENTRIES and exact.find(".//p[@class='toc-more']") is None


def test_print_only_permalink_is_absolute_and_print_date_is_filled_before_printing(tmp_path: Path) -> None:
    out = build_ok(_site(tmp_path))
    long = page(out, "notes/long/")
    footer = long.one("footer", "doc-print")
    assert "print-only" in footer.get("class").split()
    link = footer.find(".//a")
    assert link.get("href") == text_of(link) == "https://example.org/brief/notes/long/"
    assert footer.find(".//p[@class='print-date']") is not None
    scripts = " ".join(text_of(s) for s in long.all("script"))
    assert "beforeprint" in scripts and "print-date" in scripts
    # Nothing is loaded for it: the only scripts with a source are the site's own link previews.
    loaded = [s.get("src") for s in long.all("script") if s.get("src")]
    assert all(src.startswith("/brief/static/") and "print" not in src for src in loaded), loaded
    css = (Path(__file__).resolve().parent.parent / "themes/default/static/style.css").read_text()
    assert re.search(r"\.print-only,\s*\.print-date:empty\s*\{\s*display:\s*none", css)
    assert re.search(r"@media print\s*\{\s*\.print-only\s*\{\s*display:\s*block", css)


def test_permalink_is_rooted_when_base_url_is_a_path(tmp_path: Path) -> None:
    out = build_ok(_site(tmp_path, "/brief/"))
    link = page(out, "notes/long/").one("a", "permalink")
    assert link.get("href") == "/brief/notes/long/"


def test_print_date_falls_back_to_the_build_date(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1733875200")  # 2024-12-11
    out = build_ok(_site(tmp_path))
    date = page(out, "notes/long/").one("p", "print-date")
    assert text_of(date) == "Built 2024-12-11"


def test_bad_author_fields_are_reported_with_file_line_and_field(tmp_path: Path) -> None:
    files = dict(BASIC_SITE)
    files["content/notes/bad.md"] = ("---\ntitle: Bad\ndate: 2024-12-09\nauthor: [A, B]\n"
                                     "authors:\n  k: v\nas_of: yesterday\n---\nText.\n")
    result = build(make_site(tmp_path, files))
    assert result.code != 0
    for line, field in ((4, "author"), (6, "authors"), (7, "as_of")):
        assert re.search(rf"content/notes/bad\.md:{line}: {field}: ", result.text), result.text


def test_a_restricted_documents_author_is_absent_from_an_audience_build(tmp_path: Path) -> None:
    files = dict(BASIC_SITE)
    files["content/notes/red.md"] = ("---\ntitle: Red note\ndate: 2024-12-09\nmarking: TLP:RED\n"
                                     "author: Zed Secretname\n---\nText.\n")
    site = make_site(tmp_path, files)
    out = build_ok(site, "--audience", "TLP:CLEAR", "--output", tmp_path / "out")
    for path in out.rglob("*"):
        if path.is_file():
            assert b"Secretname" not in path.read_bytes(), path


def test_editing_authors_and_as_of_stays_equal_to_a_clean_build(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out, clean = tmp_path / "out", tmp_path / "clean"
    builder = Builder(site, out, atomic_swap=False, jobs=1)
    assert builder.build().ok
    path = site / "content/notes/long.md"
    path.write_text(LONG.replace("as_of: 2024-12-08\n", "").replace("Ben Reviewer, ", ""), encoding="utf-8")
    assert builder.build(changed={path}).ok
    fresh = Builder(site, clean, use_cache=False, jobs=1)
    assert fresh.build().ok
    fresh.close()
    builder.close()
    assert compare_folders(clean, out) == []
    assert page(out, "notes/long/").one("span", "as-of").find("time").get("datetime").startswith("2024-12-10")


def test_authors_written_on_one_line_with_commas_are_several_as_in_pelican() -> None:
    from generator.model.document import DocType
    from generator.model.frontmatter import parse_document

    def authors(value: str) -> tuple[str, ...]:
        text = f"---\ntitle: T\ndate: 2024-12-06\nauthors: {value}\n---\nBody.\n"
        doc, diags = parse_document(Path("content/notes/x.md"), text, DocType.NOTE, "x")
        assert diags == []
        return doc.authors
    assert authors("Ada Analyst, Ben Reviewer") == ("Ada Analyst", "Ben Reviewer")
    assert authors('"Reviewer, Ben"') == ("Reviewer, Ben",)  # quoted: one name
    assert authors("[Ada Analyst, 'Reviewer, Ben']") == ("Ada Analyst", "Reviewer, Ben")  # a list: its items
