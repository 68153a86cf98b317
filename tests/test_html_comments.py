"""HTML comments in a body are a reviewer's notes: never published, in the page or the feed. A
comment opened on a line of its own and never closed hides what follows, as in Hugo and on
GitHub, with a warning at its line; ``<!--more-->`` ends the summary, as in Hugo."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

from conftest import Html, build, make_site, page, text_of

from generator.markup.markdown import render_body


def test_comments_are_left_out_of_the_page_and_the_feed_and_code_keeps_them(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "briefing.yaml": "title: T\nbase_url: https://example.org/\n",
        "content/articles/a.md": ("---\ntitle: Alpha\ndate: 2024-12-05\n---\n"
                                  "The convoy moved. <!-- source is ASSET-7 -->\n\n"
                                  "<!--\nReviewer: check the date with the desk.\n-->\n\n"
                                  "`<!-- shown as code -->`\n"),
    })
    run = build(site)
    assert run.code == 0, run.text
    raw = (site / "site/articles/a/index.html").read_text(encoding="utf-8")
    assert "ASSET-7" not in raw and "Reviewer" not in raw
    assert "&lt;!-- shown as code --&gt;" in raw
    feed = (site / "site/feed.xml").read_text(encoding="utf-8")
    assert "ASSET-7" not in feed and "Reviewer" not in feed
    atom = "{http://www.w3.org/2005/Atom}"
    entry = ElementTree.fromstring(feed.encode()).find(f"{atom}entry")
    assert "The convoy moved." in text_of(Html(entry.findtext(f"{atom}content")).root)


def test_a_comment_never_closed_hides_what_follows_with_a_warning_at_its_line(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "content/articles/a.md": ("---\ntitle: Alpha\ndate: 2024-12-05\n---\nShown.\n\n"
                                  "<!-- TODO: remove before publishing\n\nThe source's name.\n"),
        "content/articles/b.md": ("---\ntitle: Bravo\ndate: 2024-12-05\n---\n```html\n<!-- an example\n```\n\n"
                                  "Shown too. And <!-- inline, as text\n"),
    })
    run = build(site)
    assert run.code == 0, run.text
    assert "content/articles/a.md:7: warning: body: an HTML comment (<!--) is never closed: the text after it" in run.err
    assert "b.md" not in run.err
    alpha = text_of(page(site / "site", "articles/a/").one("div", "doc-body"))
    assert alpha == "Shown."
    bravo = text_of(page(site / "site", "articles/b/").one("div", "doc-body"))
    assert "<!-- an example" in bravo and "Shown too. And <!-- inline, as text" in bravo


def test_the_paragraphs_before_more_are_the_summary() -> None:
    rendered, _ = render_body("Intro para.\n\nSecond para.\n\n<!--more-->\n\nRest of the text.\n")
    assert rendered.first_paragraph == "Intro para. Second para."
    assert "<!--" not in rendered.html and "Rest of the text." in rendered.html
