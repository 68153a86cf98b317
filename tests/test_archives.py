"""Archives (/articles/, /notes/), paginated term pages and per-term Atom feeds, read back with parsers."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

from audiencesite import files, leaks, write
from conftest import Html, build_ok, make_site

from generator.build import Builder
from generator.verify import compare_folders

ATOM = "{http://www.w3.org/2005/Atom}"


def _site(tmp_path: Path, notes: int, paginate: int = 3) -> Path:
    tree: dict[str, str | bytes] = {"briefing.yaml": f"title: Arch\nbase_url: https://example.org/\npaginate: {paginate}\n"}
    for i in range(notes):
        tree[f"content/notes/n{i:02d}.md"] = (f"---\ntitle: Note {i:02d}\ndate: 2024-01-{i + 1:02d}\ntags: [alpha]\n"
                                            f"summary: Summary {i}.\n---\nText of note {i}.\n")
    return make_site(tmp_path, tree)


def _links(html: Html, rel: str) -> list[str]:
    return [e.get("href") for e in html.all("link") if e.get("rel") == rel]


def _card_titles(html: Html) -> list[str]:
    return ["".join(a.itertext()).strip() for ul in html.all("ul", cls="cards") for a in ul.iter("a")
            if a.get("href", "").rstrip("/").split("/")[-2:-1] == ["notes"]]


def test_the_notes_archive_is_paginated_newest_first_with_rel_links_and_a_page_count(tmp_path: Path) -> None:
    out = build_ok(_site(tmp_path, 7))
    first, second, third = (Html.load(out / p) for p in
                            ("notes/index.html", "notes/page/2/index.html", "notes/page/3/index.html"))
    assert not (out / "notes/page/1").exists() and not (out / "notes/page/4").exists()
    assert _links(first, "prev") == [] and _links(first, "next") == ["/notes/page/2/"]
    assert _links(second, "prev") == ["/notes/"] and _links(second, "next") == ["/notes/page/3/"]
    assert _links(third, "next") == []
    nav = second.one("nav", cls="pager")
    assert nav.get("aria-label")
    assert "Page 2 of 3" in "".join(nav.itertext())
    titles = [t for h in (first, second, third) for t in _card_titles(h)]
    assert titles == [f"Note {i:02d}" for i in range(6, -1, -1)]
    home = Html.load(out / "index.html")
    assert "/notes/" in home.hrefs() and "/articles/" in home.hrefs()
    sitemap = ElementTree.parse(out / "sitemap.xml").getroot()
    locs = {e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert {"https://example.org/notes/", "https://example.org/notes/page/3/", "https://example.org/articles/"} <= locs


def test_a_term_page_paginates_lists_each_document_once_and_links_its_atom_feed(tmp_path: Path) -> None:
    out = build_ok(_site(tmp_path, 5, paginate=2))
    pages = [Html.load(out / p) for p in ("tags/alpha/index.html", "tags/alpha/page/2/index.html",
                                          "tags/alpha/page/3/index.html")]
    seen = [t for h in pages for t in _card_titles(h)]
    assert len(seen) == len(set(seen)) == 5
    assert _links(pages[1], "prev") == ["/tags/alpha/"]
    feed_links = [e for e in pages[0].all("link") if e.get("type") == "application/atom+xml"]
    assert "/tags/alpha/feed.xml" in [e.get("href") for e in feed_links]
    assert "/tags/alpha/feed.xml" in pages[0].hrefs()
    feed = ElementTree.parse(out / "tags/alpha/feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}id") is not None and feed.find(f"{ATOM}updated") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [f"Note {i:02d}" for i in range(4, -1, -1)]
    self_link = [e.get("href") for e in feed.findall(f"{ATOM}link") if e.get("rel") == "self"]
    assert self_link == ["https://example.org/tags/alpha/feed.xml"]
    ElementTree.parse(out / "confidence/high/feed.xml")


def test_paginate_must_be_a_whole_number_of_one_or_more(tmp_path: Path) -> None:
    from generator.config import parse_config
    _, diags = parse_config("paginate: 0\n")
    assert [d.field for d in diags] == ["paginate"]


def test_archives_counts_and_term_feeds_leave_out_documents_above_the_audience(tmp_path: Path) -> None:
    site = write(tmp_path / "src", files())
    out = build_ok(site, "--audience", "TLP:GREEN")
    assert leaks(out, "TLP:GREEN") == []
    for feed in out.rglob("feed.xml"):
        ElementTree.parse(feed)


def test_adding_and_redating_documents_repaginates_as_a_clean_build(tmp_path: Path) -> None:
    site = _site(tmp_path, 6, paginate=2)
    out, clean = tmp_path / "out", tmp_path / "clean"
    builder = Builder(site, out, atomic_swap=False, jobs=1)
    try:
        assert builder.build().ok
        new = site / "content/notes/n99.md"
        new.write_text("---\ntitle: Note 99\ndate: 2024-02-01\ntags: [alpha]\n---\nNew.\n")
        edits = [new]
        old = site / "content/notes/n00.md"
        old.write_text(old.read_text().replace("2024-01-01", "2024-03-01"))
        edits.append(old)
        gone = site / "content/notes/n03.md"
        gone.unlink()
        edits.append(gone)
        for step in range(len(edits)):
            assert builder.build({edits[step]}).ok
        clean_builder = Builder(site, clean, use_cache=False, jobs=1)
        assert clean_builder.build().ok
        clean_builder.close()
        assert compare_folders(clean, out) == []
    finally:
        builder.close()
