"""End-to-end builds of real sites: pages at clean URLs, Markdown, links and URLs
(themes and escaping: test_build_themes.py)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import feedparser
import pytest
from conftest import (
    ARTICLE,
    BASIC_SITE,
    Html,
    build,
    build_ok,
    make_site,
    page,
    text_of,
)

from generator.markup.markdown import render_markdown

ARTICLE_URL = "articles/russia-moves-air-defence-to-hmeimim/"
NOTE_URL = "notes/coastal-bases/"


@pytest.fixture
def built(basic_site: Path) -> Path:
    """The basic site, built; returns the output folder."""
    return build_ok(basic_site)


# -- pages at the contract's clean URLs ----------------------------------------------------------

def test_article_page_at_clean_url_shows_every_fact(built):
    html = page(built, ARTICLE_URL)
    assert html.h1 == "Russia moves air defence to Hmeimim"
    assert html.title.startswith("Russia moves air defence to Hmeimim")
    assert html.one("time").get("datetime") == "2024-12-06"
    hrefs = html.hrefs()
    for href in ("/locations/hmeimim-air-base/", "/locations/tartus/", "/actors/russia/",
                 "/actors/syrian-rebels/", "/tags/air-defence/", "/tags/logistics/", "/confidence/high/"):
        assert href in hrefs, href
    tag_link = next(a for a in html.all("a") if a.get("href") == "/tags/air-defence/")
    assert text_of(tag_link) == "air defence"
    source = next(a for a in html.all("a") if a.get("href") == "https://example.com/wire/1")
    assert text_of(source) == "Example Wire"
    assert "B2" in html.text
    assert "B2: usually reliable, probably true" in html.text
    strong = html.one("strong")
    assert text_of(strong) == "S-400"
    assert text_of(html.one("h2", id="what-was-seen")) == "What was seen"


def test_article_slug_drops_the_date_prefix_of_the_file_name(built):
    assert (built / ARTICLE_URL / "index.html").is_file()
    assert not (built / "articles" / "2024-12-06-russia-moves-air-defence-to-hmeimim").exists()


def test_note_page_links_what_it_assesses_and_the_article_lists_it(built):
    note = page(built, NOTE_URL)
    assert note.h1 == "Coastal bases are Russia's priority"
    assert note.one("time").get("datetime") == "2024-12-08T09:30:00Z"
    assert "/" + ARTICLE_URL in note.hrefs()
    assert "/confidence/moderate/" in note.hrefs()
    article = page(built, ARTICLE_URL)
    assert "/" + NOTE_URL in article.hrefs()  # the backlink
    assert "Assessed in" in article.text


def test_cross_links_resolve_to_documents_headings_and_terms(built):
    note = page(built, NOTE_URL)
    sighting = next(a for a in note.all("a") if text_of(a) == "the sighting")
    assert sighting.get("href") == "/" + ARTICLE_URL + "#what-was-seen"
    russia = [a for a in note.all("a") if text_of(a) == "Russia"]
    assert any(a.get("href") == "/actors/russia/" for a in russia)


def test_plain_page_at_its_slug(built):
    html = page(built, "about/")
    assert html.h1 == "About this briefing"
    assert "An example briefing." in html.text


def test_term_pages_list_their_documents_and_show_the_description(built):
    russia = page(built, "actors/russia/")
    assert russia.h1 == "Russia"
    assert "Russia keeps two bases in Syria." in russia.text
    hrefs = russia.hrefs()
    assert "/" + ARTICLE_URL in hrefs and "/" + NOTE_URL in hrefs
    # newest first: the note (8 Dec) before the article (6 Dec)
    assert hrefs.index("/" + NOTE_URL) < hrefs.index("/" + ARTICLE_URL)
    tag = page(built, "tags/air-defence/")
    assert tag.h1 == "air defence"
    assert "/" + ARTICLE_URL in tag.hrefs()


@pytest.mark.parametrize("kind", ["tags", "actors", "locations"])
def test_term_indexes_link_every_term(built, kind):
    html = page(built, f"{kind}/")
    terms = {p.name for p in (built / kind).iterdir() if p.is_dir()}
    linked = {h.strip("/").split("/")[1] for h in html.hrefs() if h.startswith(f"/{kind}/") and h != f"/{kind}/"}
    assert terms == linked
    assert terms


def test_actor_index_shows_the_number_of_documents_of_each_actor(built):
    html = page(built, "actors/")
    counts = {}
    for li in html.all("li"):
        link = li.find("a")
        if link is not None and link.get("href", "").startswith("/actors/") and link.get("href") != "/actors/":
            numbers = re.findall(r"\d+", text_of(li)[len(text_of(link)):])
            counts.setdefault(link.get("href"), numbers[0] if numbers else None)
    assert counts == {"/actors/russia/": "2", "/actors/syrian-rebels/": "1"}


def test_aliases_of_a_term_page_gather_documents_under_one_term(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE, "content/articles/ru.md":
                                "---\ntitle: RF\ndate: 2024-12-01\nactors: [Russian Federation]\n---\nx\n"})
    out = build_ok(site)
    assert not (out / "actors" / "russian-federation").exists()
    assert "/articles/ru/" in page(out, "actors/russia/").hrefs()


def test_confidence_pages_list_documents_by_level(built):
    assert "/" + ARTICLE_URL in page(built, "confidence/high/").hrefs()
    assert "/" + NOTE_URL in page(built, "confidence/moderate/").hrefs()
    assert "/" + ARTICLE_URL not in page(built, "confidence/low/").hrefs()


def test_home_links_latest_documents_and_indexes(built):
    html = page(built, "")
    hrefs = html.hrefs()
    for href in ("/" + ARTICLE_URL, "/" + NOTE_URL, "/tags/", "/actors/", "/locations/", "/timeline/"):
        assert href in hrefs, href


def test_timeline_page_and_json_carry_documents_and_events(tmp_path):
    article = ARTICLE.replace("confidence: high\n", "confidence: high\nevents:\n  - date: 2024-11-30\n"
                              "    title: Convoy leaves Masyaf\n    location: Masyaf\n")
    site = make_site(tmp_path, {**BASIC_SITE, "content/articles/2024-12-06-russia-moves-air-defence-to-hmeimim.md": article})
    out = build_ok(site)
    html = page(out, "timeline/")
    text = html.text
    assert text.index("Convoy leaves Masyaf") < text.index("Russia moves air defence") < text.index("Coastal bases")
    data = json.loads((out / "timeline.json").read_text(encoding="utf-8"))
    headlines = [e["text"]["headline"] for e in data["events"]]
    assert headlines == ["Convoy leaves Masyaf", "Russia moves air defence to Hmeimim", "Coastal bases are Russia's priority"]
    assert data["events"][0]["start_date"]["year"] == 2024
    assert data["events"][0]["start_date"]["month"] == 11
    assert data["events"][0]["start_date"]["day"] == 30


def test_feed_is_valid_atom_with_articles_and_notes(built):
    feed = feedparser.parse((built / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    links = {entry.link for entry in feed.entries}
    assert links == {"https://example.org/" + ARTICLE_URL, "https://example.org/" + NOTE_URL}


def test_static_hosting_files_exist(built):
    for rel in ("sitemap.xml", "robots.txt", "404.html", "search/index.html", "search-index.json", "feed.xml",
                "timeline.json"):
        assert (built / rel).is_file(), rel
    sitemap = ElementTree.parse(built / "sitemap.xml").getroot()
    locs = {el.text for el in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert "https://example.org/" + ARTICLE_URL in locs
    assert "Sitemap: https://example.org/sitemap.xml" in (built / "robots.txt").read_text()
    json.loads((built / "search-index.json").read_text(encoding="utf-8"))


def test_drafts_are_left_out_unless_asked_for(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE, "content/articles/wip.md":
                                "---\ntitle: Work in progress\ndate: 2024-12-07\ndraft: true\n---\nWIP\n"})
    out = build_ok(site)
    assert not (out / "articles" / "wip").exists()
    assert "Work in progress" not in (out / "feed.xml").read_text(encoding="utf-8")
    out = build_ok(site, "--drafts")
    assert page(out, "articles/wip/").h1 == "Work in progress"


def test_two_documents_with_one_slug_are_an_error_naming_both(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE,
                                "content/articles/2024-01-01-same.md": "---\ntitle: A\ndate: 2024-01-01\n---\nA\n",
                                "content/articles/2024-02-02-same.md": "---\ntitle: B\ndate: 2024-02-02\n---\nB\n"})
    result = build(site)
    assert result.code == 1
    line = next(x for x in result.err.splitlines() if "same" in x)
    assert "content/articles/2024-01-01-same.md" in line and "content/articles/2024-02-02-same.md" in line


def test_content_files_are_copied_beside_their_pages_and_junk_is_skipped(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE,
                                "content/articles/img/map.png": b"\x89PNG fake",
                                "content/articles/.hidden.png": b"x",
                                "content/articles/notes.md~": "backup",
                                "content/articles/.draft.md.swp": b"swap",
                                "content/articles/#autosave#": "emacs"})
    out = build_ok(site)
    assert (out / "articles/img/map.png").read_bytes() == b"\x89PNG fake"
    for junk in (".hidden.png", "notes.md~", ".draft.md.swp", "#autosave#"):
        assert not (out / "articles" / junk).exists(), junk


def test_symlink_pointing_outside_the_site_is_not_copied(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not publish")
    site = make_site(tmp_path, BASIC_SITE)
    os.symlink(secret, site / "content" / "leak.txt")
    result = build(site)
    assert result.code == 0, result.text
    assert not (site / "site" / "leak.txt").exists()
    assert "content/leak.txt" in result.err and "outside" in result.err


# -- Markdown ----------------------------------------------------------------------------------

MARKDOWN_BODY = """\
Intro with `[[not-a-link]]` in code and a real [[coastal-bases]].

| Unit | Place |
|------|-------|
| S-400 | Hmeimim |

```python
def moved(unit):
    return "[[also-not-a-link]]"
```

    indented [[still-not-a-link]]

A claim.[^1]

## Hello World

## Hello World

<div class="raw-author-html">kept</div>

[^1]: The footnote text.
"""


@pytest.fixture
def markdown_page(tmp_path) -> Html:
    site = make_site(tmp_path, {**BASIC_SITE, "content/articles/md.md":
                                "---\ntitle: Markdown\ndate: 2024-12-01\n---\n" + MARKDOWN_BODY})
    return page(build_ok(site), "articles/md/")


def test_markdown_tables(markdown_page):
    table = markdown_page.one("table")
    assert [text_of(th) for th in table.iter("th")] == ["Unit", "Place"]
    assert [text_of(td) for td in table.iter("td")] == ["S-400", "Hmeimim"]


def test_fenced_code_is_highlighted_with_pygments_classes(markdown_page):
    blocks = markdown_page.all("div", cls="highlight")
    assert len(blocks) == 2
    keyword = blocks[0].find(".//span[@class='k']")
    assert keyword is not None and keyword.text == "def"


def test_footnotes_link_both_ways(markdown_page):
    ref = next(a for a in markdown_page.all("a") if a.get("href") == "#fn:1")
    assert text_of(ref) == "1"
    note = markdown_page.one("li", id="fn:1")
    assert "The footnote text." in text_of(note)
    assert any(a.get("href") == "#fnref:1" for a in note.iter("a"))


def test_heading_ids_are_slugs_and_distinct(markdown_page):
    ids = [h.get("id") for h in markdown_page.all("h2") if "Hello World" in text_of(h)]
    assert ids == ["hello-world", "hello-world_1"]


def test_heading_ids_are_stable_across_renders():
    first = render_markdown("# Ünïcode Héading\n\n## Second\n").heading_ids
    second = render_markdown("# Ünïcode Héading\n\n## Second\n").heading_ids
    assert first == second == ("unicode-heading", "second")


def test_wikilinks_inside_code_are_left_as_written(markdown_page):
    code_texts = [text_of(c) for c in markdown_page.all("code")]
    assert "[[not-a-link]]" in code_texts
    assert any('"[[also-not-a-link]]"' in t for t in code_texts)
    assert any("indented [[still-not-a-link]]" in t for t in code_texts)
    real = next(a for a in markdown_page.all("a") if a.get("href") == "/" + NOTE_URL)
    assert text_of(real) == "Coastal bases are Russia's priority"


def test_raw_html_in_the_body_is_the_authors_own_and_kept(markdown_page):
    assert text_of(markdown_page.one("div", cls="raw-author-html")) == "kept"


def test_unresolved_cross_link_warns_with_file_and_line_and_strict_fails(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE, "content/notes/broken.md":
                                "---\ntitle: Broken\ndate: 2024-12-01\n---\nFirst line.\n\nSee [[no-such-thing]].\n"})
    result = build(site)
    assert result.code == 0, result.text
    assert "content/notes/broken.md:7: warning: link: [[no-such-thing]] matches no document" in result.err
    assert build(site, "--strict").code == 1


def _internal_refs(html: Html) -> list[str]:
    refs = []
    for el in html.root.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in ("href", "src"):
            value = el.get(attr)
            if value and not urlsplit(value).scheme and not value.startswith(("#", "//")):
                refs.append(value)
    return refs


def _target_exists(out: Path, base_path: str, url: str) -> bool:
    path = urlsplit(url).path
    assert path.startswith(base_path), url
    rel = path[len(base_path):]
    target = out / rel
    return (target / "index.html").is_file() if (rel == "" or rel.endswith("/")) else target.is_file()


def test_sub_path_base_url_makes_every_link_and_asset_resolve(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE, "content/notes/x.md":
                                "---\ntitle: X\ndate: 2024-12-09\n---\nSee [[Russia]] and [[about]].\n"})
    out = build_ok(site, "--base-url", "https://example.org/briefs/")
    checked = 0
    for path in out.rglob("*.html"):
        for ref in _internal_refs(Html.load(path)):
            assert _target_exists(out, "/briefs/", ref), f"{path.relative_to(out)}: {ref}"
            checked += 1
    assert checked > 100
    assert all(h.startswith("/briefs/static/") for h in page(out, "").stylesheets())
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert all(e.link.startswith("https://example.org/briefs/") for e in feed.entries)


def test_example_site_links_resolve_and_make_no_external_requests(built_example):
    out = built_example
    for path in out.rglob("*.html"):
        html = Html.load(path)
        for ref in _internal_refs(html):
            assert _target_exists(out, "/", ref), f"{path.relative_to(out)}: {ref}"
        for el in html.root.iter():
            if not isinstance(el.tag, str):
                continue
            loads = (el.tag in ("script", "img", "iframe", "video", "audio", "source") and el.get("src")) or \
                    (el.tag == "link" and set((el.get("rel") or "").split()) & {"stylesheet", "preload", "icon",
                                                                                 "modulepreload", "prefetch"}
                     and el.get("href"))
            assert not (loads and urlsplit(loads).scheme in ("http", "https")), (path, loads)
            assert not (loads and loads.startswith("//")), (path, loads)
    for css in out.rglob("*.css"):
        assert not re.search(r"(url\(\s*['\"]?(https?:)?//|@import\s+['\"]?(https?:)?//)", css.read_text()), css
    for js in out.rglob("*.js"):
        assert not re.search(r"(fetch|import)\(\s*['\"`]https?://", js.read_text()), js


def test_example_site_has_every_contract_url(built_example):
    out = built_example
    for rel in ("index.html", "tags/index.html", "actors/index.html", "locations/index.html",
                "confidence/low/index.html", "confidence/moderate/index.html", "confidence/high/index.html",
                "timeline/index.html", "timeline.json", "feed.xml", "sitemap.xml", "robots.txt", "404.html",
                "search/index.html", "search-index.json"):
        assert (out / rel).is_file(), rel
    assert list((out / "articles").glob("*/index.html"))
    assert list((out / "notes").glob("*/index.html"))
    assert list((out / "actors").glob("*/index.html"))
    assert list((out / "static").glob("style*.css"))



def test_sitemap_lastmod_is_the_date_the_author_wrote_in_the_site_timezone(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE, "briefing.yaml": "title: T\ntimezone: Asia/Tokyo\nbase_url: https://example.org/\n"})
    out = build_ok(site)
    sitemap = ElementTree.parse(out / "sitemap.xml").getroot()
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    lastmod = {u.findtext(f"{ns}loc"): u.findtext(f"{ns}lastmod") for u in sitemap.iter(f"{ns}url")}
    assert lastmod["https://example.org/" + ARTICLE_URL] == "2024-12-06"
    assert page(out, ARTICLE_URL).one("time").get("datetime") == "2024-12-06"


def test_images_next_to_the_text_that_uses_them_resolve_from_the_page(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE,
                                "content/articles/map.md": "---\ntitle: Map\ndate: 2024-12-01\n---\n"
                                                           "![the map](img/map.png) and [the report](files/r.pdf)\n",
                                "content/articles/img/map.png": b"PNG",
                                "content/articles/files/r.pdf": b"PDF"})
    out = build_ok(site, "--base-url", "https://example.org/briefs/")
    html = page(out, "articles/map/")
    src = html.one("img").get("src")
    assert _target_exists(out, "/briefs/", src), src
    href = next(a.get("href") for a in html.all("a") if text_of(a) == "the report")
    assert _target_exists(out, "/briefs/", href), href


def test_a_page_bundle_is_named_by_its_folder_and_its_files_sit_beside_its_page(tmp_path):
    site = make_site(tmp_path, {
        "content/articles/convoy/index.md": "---\ntitle: Convoy\ndate: 2024-12-05\n---\n![route](route.png)\n",
        "content/articles/convoy/route.png": b"\x89PNG\r\n\x1a\n",
        "content/articles/airlift/_index.md": "---\ntitle: Airlift\ndate: 2024-12-06\n---\nText.\n",
        "content/articles/index.md": "---\ntitle: Top index\ndate: 2024-12-04\n---\nText.\n",
    })
    out = build_ok(site)
    assert page(out, "articles/convoy/").one("img").get("src") == "/articles/convoy/route.png"
    assert (out / "articles" / "convoy" / "route.png").is_file()
    assert page(out, "articles/airlift/").h1 == "Airlift"
    assert page(out, "articles/index/").h1 == "Top index"  # not in a folder of its own: its name


def test_a_body_opening_with_its_title_as_a_heading_is_a_warning_and_a_page_titled_by_its_heading_is_not(tmp_path):
    site = make_site(tmp_path, {
        "content/articles/c.md": "---\ntitle: Convoy moves\ndate: 2024-12-05\n---\n\n# Convoy moves\n\nText.\n",
        "content/pages/method.md": "# Method\n\nHow we work.\n",
    })
    run = build(site)
    assert run.code == 0, run.text
    assert [line for line in run.err.splitlines() if ": warning: " in line] == [
        "content/articles/c.md:6: warning: body: opens with the title as a heading, which the page shows above "
        "the body already; remove this line"]
