"""Drafts appear nowhere without --drafts, and everywhere with it."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from linkcheck import check_site
from navhelpers import (
    all_text,
    build,
    doc,
    hrefs,
    html,
    main_el,
    read_json,
    section,
    text,
    write_site,
)

#: The public article links the draft by slug (its author's own text keeps ``zanzibar-draft``),
#: so only the draft's title and words are looked for.
SECRET_WORDS = ("Zanzibar", "xylophonic", "secret-tag", "Secret Tag", "Wagner Secret",
                "wagner-secret", "Secret Place", "secret-place", "Hidden Page", "hidden-page",
                "Draft Actor", "draft-actor", "Draft event")

FILES = {
    "content/articles/public.md": doc("Public report", "2024-10-01", "Public text about [[zanzibar-draft|the draft]].",
                                      tags=["common"], actors=["Russia"], confidence="high"),
    "content/notes/public-note.md": doc("Public note", "2024-10-02", "A public note.", about=["public"],
                                        tags=["common"]),
    "content/notes/zanzibar-draft.md": doc(
        "Zanzibar draft", "2024-12-01", "A xylophonic assessment of [[public]] and [[Hidden Page]].",
        draft=True, about=["public"], related=["public-note"], tags=["common", "Secret Tag"],
        actors=["Russia", "Wagner Secret"], location="Secret Place", confidence="low",
        events=[{"date": "2024-12-02", "title": "Draft event", "location": "Secret Place"}]),
    "content/articles/draft-article.md": doc("Zanzibar article", "2024-12-03", "xylophonic", draft=True,
                                             tags=["Secret Tag"], confidence="moderate"),
    "content/pages/hidden.md": doc("Hidden Page", None, "xylophonic", draft=True, slug="hidden-page"),
    "content/actors/draft-actor.md": doc("Draft Actor", None, "xylophonic", draft=True),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    src = write_site(tmp_path_factory.mktemp("drafts") / "src", FILES,
                     config="title: Drafts\nbase_url: https://example.org/\n")
    result, out = build(src)
    assert result.ok, [str(d) for d in result.diagnostics]
    return result, out


def test_drafts_appear_nowhere(built) -> None:
    _, out = built
    for rel, content in all_text(out).items():
        for word in SECRET_WORDS:
            assert word not in content, (rel, word)
    names = {p.relative_to(out).as_posix() for p in out.rglob("*")}
    for word in ("zanzibar", "draft-article", "hidden", "secret", "wagner", "draft-actor"):
        assert not any(word in n for n in names), word


def test_drafts_do_not_count(built) -> None:
    _, out = built
    tags = html(out, "tags/")
    assert "1" not in text(section(tags, "By name")).replace("common", "")  # only "common", with 2
    common = html(out, "tags/common/")
    assert len([a for a in section(common, "Documents").iter("article")]) == 2
    for level, count in (("low", 0), ("moderate", 0), ("high", 1)):
        page = main_el(html(out, f"confidence/{level}/"))
        assert len(list(page.iter("article"))) == count, level
    home = text(main_el(html(out, "")))
    assert "1 articles" in home or "1 article" in home
    assert "1 analyst notes" in home or "1 analyst note" in home


def test_drafts_are_not_backlinks_feed_timeline_or_search(built) -> None:
    result, out = built
    public = html(out, "articles/public/")
    assessed = section(public, "Assessed in")
    assert hrefs(assessed) == ["/notes/public-note/"]
    assert section(public, "Referenced by") is None
    note = html(out, "notes/public-note/")
    assert section(note, "Referenced by") is None
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert sorted(e.title for e in feed.entries) == ["Public note", "Public report"]
    assert [e["text"]["headline"] for e in read_json(out, "timeline.json")["events"]] == [
        "Public report", "Public note"]
    assert sorted(row[0] for row in read_json(out, "search-index.json")["d"]
                  if row[2] in ("article", "note")) == ["Public note", "Public report"]
    # The public link to the draft is reported and rendered as text, not a dead link.
    assert any(d.path == "content/articles/public.md" and "zanzibar-draft" in d.message
               for d in result.warnings)
    assert check_site(out).ok


def test_with_drafts_they_appear(tmp_path: Path) -> None:
    src = write_site(tmp_path / "src", FILES, config="title: Drafts\nbase_url: https://example.org/\n")
    result, out = build(src, drafts=True)
    assert result.ok, [str(d) for d in result.diagnostics]
    assert result.warnings == [], [str(d) for d in result.warnings]
    for url in ("notes/zanzibar-draft/", "articles/draft-article/", "hidden-page/", "tags/secret-tag/",
                "actors/wagner-secret/", "actors/draft-actor/", "locations/secret-place/"):
        assert (out / url / "index.html").is_file(), url
    page = html(out, "notes/zanzibar-draft/")
    assert "Draft" in text(page.find(".//header"))
    assert "/notes/zanzibar-draft/" in hrefs(section(html(out, "articles/public/"), "Assessed in"))
    assert "Draft event" in [e["text"]["headline"] for e in read_json(out, "timeline.json")["events"]]
    assert check_site(out).ok


@pytest.mark.parametrize(("held", "out", "odd", "odd_shown", "warned"), [
    ("Status: draft", "status: published", "status: hidden", True,
     "content/articles/odd.md:4: warning: status: 'hidden' is not a status briefing knows"),  # Pelican
    ("published: false", "published: true", "published: soon", False,  # Jekyll; held back by doubt
     "content/articles/odd.md:4: warning: published: expected true or false, found 'soon'; held back"),
], ids=["pelican status", "jekyll published"])
def test_another_tools_draft_marker_holds_a_document_back_and_an_unclear_one_is_a_warning(
        tmp_path: Path, held: str, out: str, odd: str, odd_shown: bool, warned: str) -> None:
    from conftest import build as run_build
    from conftest import make_site

    site = make_site(tmp_path, {
        "content/articles/held.md": f"---\nTitle: Held back\nDate: 2024-12-05\n{held}\n---\nNot yet.\n",
        "content/articles/out.md": f"---\ntitle: Out\ndate: 2024-12-05\n{out}\n---\nOut now.\n",
        "content/articles/odd.md": f"---\ntitle: Odd\ndate: 2024-12-05\n{odd}\n---\nOdd.\n",
    })
    result = run_build(site)
    assert result.code == 0, result.text
    built = site / "site"
    assert not (built / "articles" / "held").exists()
    assert "Held back" not in (built / "feed.xml").read_text(encoding="utf-8")
    assert (built / "articles" / "out" / "index.html").is_file()
    assert (built / "articles" / "odd" / "index.html").is_file() == odd_shown
    assert warned in result.text
    assert "held.md" not in result.text  # a draft left out is no warning
    shown = run_build(site, "--drafts", "--output", tmp_path / "all")
    assert shown.code == 0 and (tmp_path / "all" / "articles" / "held" / "index.html").is_file()


def test_hugos_publish_and_expiry_dates_are_warnings_saying_the_document_is_published(tmp_path: Path) -> None:
    from conftest import build as run_build
    from conftest import make_site

    site = make_site(tmp_path, {
        "content/articles/later.md": "---\ntitle: Later\ndate: 2024-12-05\npublishDate: 2030-01-01\n---\nSoon.\n",
        "content/articles/gone.md": "---\ntitle: Gone\ndate: 2024-12-05\nexpiryDate: 2020-01-01\n---\nOld.\n",
    })
    result = run_build(site)
    assert result.code == 0, result.text
    assert "content/articles/later.md:4: warning: publishDate: briefing does not schedule documents: this one " \
           "is published with the rest of the site (write draft: true to hold it back)" in result.err
    assert "content/articles/gone.md:4: warning: expiryDate: briefing does not take documents down" in result.err
    assert (site / "site" / "articles" / "later" / "index.html").is_file()


def test_a_jekyll_post_named_with_its_date_takes_that_date_when_front_matter_gives_none(tmp_path: Path) -> None:
    from conftest import build as run_build
    from conftest import make_site, page

    site = make_site(tmp_path, {
        "content/articles/2024-12-06-hello-world.md": "---\ntitle: Hello\n---\nText.\n",
        "content/articles/2024-12-07-dated.md": "---\ntitle: Dated\ndate: 2024-11-01\n---\nText.\n",
        "content/articles/2024-13-45-bad.md": "---\ntitle: Bad\n---\nText.\n",
    })
    result = run_build(site)
    assert result.code == 1  # a name that is no date gives no date: the error says date is missing
    assert "2024-13-45-bad.md:1: date: missing" in result.text and "hello-world" not in result.text
    (site / "content/articles/2024-13-45-bad.md").unlink()
    assert run_build(site).code == 0
    times = {slug: page(site / "site", f"articles/{slug}/").one("time").get("datetime") for slug in ("hello-world", "dated")}
    assert times == {"hello-world": "2024-12-06", "dated": "2024-11-01"}
