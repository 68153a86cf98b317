"""Home page, Atom feed, sitemap, robots.txt, 404, search index, and a sub-path base URL."""

from __future__ import annotations

import gzip
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest
from linkcheck import check_site
from navhelpers import build_ok, doc, hrefs, html, main_el, read_json, section, text, write_site
from test_search_index import decode

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

FILES = {
    "content/articles/first.md": doc("First & <foremost>", "2024-11-01", "Body with ![map](map.png) and [[second]].",
                                     tags=["air power"], actors=["Russia"], location="Дамаск",
                                     summary="The first one."),
    "content/articles/map.png": "not really a png",
    "content/articles/second.md": doc("Second", "2024-11-05T10:00:00Z", "Second body.", updated="2024-11-20",
                                      tags=["logistics", "東京"]),
    "content/notes/third.md": doc("Third note", "2024-11-10", "Note body about [[first]].", about=["first"],
                                  confidence="moderate"),
    "content/pages/about.md": doc("About", None, "About us."),
    "content/actors/russia.md": doc("Russia", None, "The state."),
    "content/locations/hmeimim.md": doc("Hmeimim Air Base", None, "The base.", aliases=["Khmeimim"]),
    "content/notes/fourth.md": doc("Fourth note", "2024-10-01", "Old note.", location="Khmeimim"),
}


def _src(root: Path) -> Path:
    return write_site(root, FILES, config="title: Feed Test\ndescription: A test.\nbase_url: https://example.org/\n")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_ok(_src(tmp_path_factory.mktemp("feeds") / "src"))


@pytest.fixture(scope="module")
def sub_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = _src(tmp_path_factory.mktemp("feeds-sub") / "src")
    return build_ok(src, base_url="https://example.org/briefs/")


def test_home_page_lists_latest_and_counts_and_links_indexes(site: Path) -> None:
    tree = html(site, "")
    main = main_el(tree)
    notes = section(tree, "Latest analyst notes")
    articles = section(tree, "Latest articles")
    assert hrefs(notes)[0] == "/notes/third/"
    titles = [text(h) for h in articles.iter("h3")]
    assert titles[:2] == ["Second", "First & <foremost>"]  # newest first, escaped text
    links = hrefs(main)
    for url in ("/actors/", "/locations/", "/tags/", "/timeline/"):
        assert url in links, url
    body = text(main)
    assert "2 articles" in body.replace("\n", " ") or "2 articles" in body
    assert "2 analyst notes" in body


def test_feed_parses_with_absolute_urls_and_dates(site: Path) -> None:
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Feed Test"
    assert feed.feed.link == "https://example.org/"
    entries = {e.title: e for e in feed.entries}
    assert set(entries) == {"First & <foremost>", "Second", "Third note", "Fourth note"}
    assert [e.title for e in feed.entries] == ["Third note", "Second", "First & <foremost>", "Fourth note"]
    first = entries["First & <foremost>"]
    assert first.link == "https://example.org/articles/first/"
    assert first.id == "https://example.org/articles/first/"
    assert first.published == "2024-11-01T00:00:00Z"
    assert entries["Second"].updated == "2024-11-20T00:00:00Z"
    assert first.summary == "The first one."
    content = first.content[0].value
    assert 'href="https://example.org/articles/second/"' in content
    # A relative image in the body resolves against the document's page, not the feed.
    assert 'src="https://example.org/articles/map.png"' in content or "xml:base" in (site / "feed.xml").read_text()
    assert {t.term for t in first.tags} >= {"article", "air power"}
    assert feed.feed.updated == "2024-11-20T00:00:00Z"


def test_feed_ids_are_stable_across_builds(site: Path, tmp_path: Path) -> None:
    again = build_ok(_src(tmp_path / "src"))
    assert (again / "feed.xml").read_bytes() == (site / "feed.xml").read_bytes()
    assert (again / "sitemap.xml").read_bytes() == (site / "sitemap.xml").read_bytes()
    assert (again / "search-index.json").read_bytes() == (site / "search-index.json").read_bytes()


def _sitemap_urls(out: Path) -> list[str]:
    root = ET.parse(out / "sitemap.xml").getroot()
    assert root.tag == f"{SM}urlset"
    return [u.findtext(f"{SM}loc") for u in root.iter(f"{SM}url")]


def _pages(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("index.html")}


def test_sitemap_lists_every_page_with_absolute_urls(site: Path) -> None:
    urls = _sitemap_urls(site)
    assert len(urls) == len(set(urls))
    files = set()
    for url in urls:
        parts = urlsplit(url)
        assert (parts.scheme, parts.netloc) == ("https", "example.org"), url
        assert url.isascii(), url  # non-ASCII slugs are percent-encoded in the sitemap
        rel = unquote(parts.path).lstrip("/")
        target = rel + "index.html" if rel == "" or rel.endswith("/") else rel
        assert (site / target).is_file(), url
        files.add(target)
    assert files == _pages(site)
    assert "https://example.org/locations/%D0%B4%D0%B0%D0%BC%D0%B0%D1%81%D0%BA/" not in urls  # slugs are transliterated
    assert "https://example.org/locations/damask/" in urls
    assert "https://example.org/tags/%E6%9D%B1%E4%BA%AC/" in urls
    lastmods = {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod")
                for u in ET.parse(site / "sitemap.xml").getroot().iter(f"{SM}url")}
    assert lastmods["https://example.org/articles/second/"] == "2024-11-20"


def test_robots_and_404(site: Path) -> None:
    robots = (site / "robots.txt").read_text()
    assert "Sitemap: https://example.org/sitemap.xml" in robots
    assert "User-agent: *" in robots
    tree = html(site, "404.html")
    assert "/" in hrefs(main_el(tree))
    for a in hrefs(tree):
        assert a.startswith(("/", "https://", "http://", "#")), a  # works from any depth


def test_search_page_and_index(site: Path) -> None:
    tree = html(site, "search/")
    form = tree.find(".//form")
    assert form is not None and form.get("data-index") == "/search-index.json"
    field = form.find(".//input")
    assert field is not None and field.get("type") == "search"
    label = tree.find(f".//label[@for='{field.get('id')}']")
    assert label is not None  # keyboard and screen reader usable
    data = read_json(site, "search-index.json")
    assert data["v"] == 3
    data["t"] = {w: decode(p) for w, p in data["t"].items()}
    data["b"] = {w: decode(p) for w, p in data["b"].items()}
    # Document rows first, then the terms' rows (tests/test_search_index.py reads those).
    titles = [row[0] if row[2] in ("article", "note") else None for row in data["d"]]
    assert sorted(t for t in titles if t) == ["First & <foremost>", "Fourth note", "Second", "Third note"]
    row = data["d"][titles.index("First & <foremost>")]
    assert row[1] == "/articles/first/" and row[2] == "article" and row[3] == "2024-11-01"
    assert row[4] == "The first one."
    first = titles.index("First & <foremost>")
    for word in ("foremost", "air", "power", "russia", "дамаск"):  # title, tags, actors, locations
        assert first in data["t"].get(word, []), word
    second = titles.index("Second")
    assert second in data["t"]["logistics"]
    assert titles.index("Third note") in data["t"]["moderate"]  # confidence
    assert second in data["b"]["body"] or second in data["t"].get("body", [])  # body text
    assert all(word == word.lower() for word in data["t"])
    # A term is found by its term page's name as well as the spelling written.
    fourth = titles.index("Fourth note")
    for word in ("khmeimim", "hmeimim", "base"):
        assert fourth in data["t"][word], word


def test_search_index_stays_small(tmp_path: Path) -> None:
    """About 200 documents of 300 words: the index is a few hundred bytes per document."""
    words = ("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar "
             "papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu").split()
    files = {}
    for i in range(200):
        body = " ".join(f"{words[(i * 7 + j) % len(words)]}{j % 40}" for j in range(300))
        files[f"content/articles/doc-{i}.md"] = doc(f"Document number {i}", f"2024-01-{i % 28 + 1:02d}", body,
                                                    tags=[f"tag {i % 10}"], actors=[f"Actor {i % 7}"])
    out = build_ok(write_site(tmp_path / "src", files))
    raw = (out / "search-index.json").read_bytes()
    data = json.loads(raw)
    assert len([row for row in data["d"] if row[2] == "article"]) == 200
    assert len(raw) < 200 * 1500, len(raw)
    assert len(gzip.compress(raw)) < 200 * 400


def test_sub_path_base_url(sub_site: Path) -> None:
    report = check_site(sub_site, "/briefs/", "https://example.org/briefs/")
    assert report.ok, report.problems[:20]
    assert report.links > 50
    for page in sorted(sub_site.rglob("*.html")):
        tree = html(sub_site, page.relative_to(sub_site).as_posix())
        for el in tree.iter():
            for attr in ("href", "src", "action", "data-index"):
                value = el.get(attr)
                if value is None or value.startswith(("#", "mailto:")) or "://" in value:
                    if value and "://" in value and "example.org" in value:
                        assert value.startswith("https://example.org/briefs/"), (page, value)
                    continue
                assert value.startswith("/briefs/"), (page, attr, value)
    feed = feedparser.parse((sub_site / "feed.xml").read_bytes())
    assert not feed.bozo
    assert all(e.link.startswith("https://example.org/briefs/") for e in feed.entries)
    assert all(u.startswith("https://example.org/briefs/") for u in _sitemap_urls(sub_site))
    assert "Sitemap: https://example.org/briefs/sitemap.xml" in (sub_site / "robots.txt").read_text()
    data = read_json(sub_site, "search-index.json")
    assert all(row[1].startswith("/briefs/") for row in data["d"])
    assert all(e["url"].startswith("https://example.org/briefs/") or e["url"].startswith("/briefs/")
               for e in read_json(sub_site, "timeline.json")["events"])


def test_example_site_feed_and_sitemap(tmp_path: Path) -> None:
    from navhelpers import REPO, build

    result, out = build(REPO, tmp_path / "out")
    assert result.ok, [str(d) for d in result.diagnostics]
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not feed.bozo and len(feed.entries) >= 6
    assert {unquote(urlsplit(u).path) for u in _sitemap_urls(out)} == {
        "/" + p[: -len("index.html")] for p in _pages(out)}


def test_feed_text_is_escaped_and_quoted_as_the_standard_library_does() -> None:
    from xml.sax.saxutils import escape as sax_escape
    from xml.sax.saxutils import quoteattr as sax_quoteattr

    from generator.render.xmltext import escape, quoteattr

    samples = ["", "plain", "a & b < c > d", "say \"hi\"", "it's", "both \" and '", "line\nnext\r\ttab",
               "&amp; already", "Ünïcode — ok", "<\"'&>\n"]
    for sample in samples:
        assert escape(sample) == sax_escape(sample)
        assert quoteattr(sample) == sax_quoteattr(sample)


def test_an_entry_with_its_content_is_the_entry_made_as_text_cleaned_and_encoded() -> None:
    import random

    from markupsafe import Markup

    from generator.model.text import strip_controls
    from generator.render.feeds import _entry_bytes, _entry_xml

    rng = random.Random(5)
    pieces = ["<p>", "</p>", "&amp;", "&", "<", ">", "a", " ", "é", "\u2014", "\x00", "\x0b", "\x7f", "\x85",
              '<content type="html">', "\ue000", "\n", "\t"]
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        title = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        fields = (title or "t", "urn:x", "/a/", "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z", "article",
                  "TLP:CLEAR", ("x", title), title)
        for content in (text, Markup(text)):  # noqa: S704 - a test of escaping
            expected = strip_controls(_entry_xml(*fields, str(content))).encode("utf-8")
            assert _entry_bytes(_entry_xml(*fields, ""), content) == expected, (title, text)


def test_an_entry_whose_body_is_too_long_for_the_feed_carries_its_summary_and_link(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A body over ``FEED_CONTENT_MAX`` characters of HTML (1 MB of footnote references makes
    35 MB) is given in the site feed by its summary and link; the other entries keep their
    content, and the document's own page its whole body."""
    from generator.render import feeds

    monkeypatch.setattr(feeds, "FEED_CONTENT_MAX", 4000)
    long_body = "\n\n".join(f"Paragraph {n} of the long report, with [[short]] in it." for n in range(120))
    src = write_site(tmp_path / "src", {
        "content/articles/long.md": doc("Long report", "2024-11-02", long_body, summary="A long one."),
        "content/articles/short.md": doc("Short report", "2024-11-01", "A short body with *emphasis*."),
    }, config="title: Feed Test\nbase_url: https://example.org/\n")
    out = build_ok(src)
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    entries = {e.title: e for e in feed.entries}
    long_entry, short_entry = entries["Long report"], entries["Short report"]
    assert "content" not in long_entry
    assert long_entry.summary == "A long one."
    assert long_entry.link == "https://example.org/articles/long/"
    assert "<em>emphasis</em>" in short_entry.content[0].value
    assert "Paragraph 119 of the long report" in text(main_el(html(out, "articles/long/")))
