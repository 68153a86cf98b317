"""Raw HTML an author left unbalanced stays inside the body: an element never closed is closed at
the end of the body, an end tag that closes nothing the body opened is left out, each with a
warning at its line; the page around the body keeps its structure and passes the HTML checker's
rules on nesting. Markdown's own HTML is never touched."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build, make_site, page, text_of
from lineartime import assert_linear

from generator.markup.balance import balanced
from generator.markup.markdown import render_body

#: (HTML, balanced HTML, warnings as (line, message start)).
CASES = [
    ('<p>Intro.</p>\n<div class="box">\n<p>In.</p>', '<p>Intro.</p>\n<div class="box">\n<p>In.</p>\n</div>',
     [(2, "raw HTML: <div> is never closed; closed at the end of the body")]),
    ("<p>Text.</p>\n</div>\n<p>After </main> inline.</p>", "<p>Text.</p>\n\n<p>After  inline.</p>",
     [(2, "raw HTML: </div> closes nothing the body opened"), (3, "raw HTML: </main> closes nothing")]),
    ("<details><summary>More</summary>\n<p>Hidden.</p>",
     "<details><summary>More</summary>\n<p>Hidden.</p>\n</details>", [(1, "raw HTML: <details> is never closed")]),
    ("<p>a <span>b</p>\n<p>c</p>", "<p>a <span>b</span></p>\n<p>c</p>",
     [(1, "raw HTML: <span> is never closed; closed where its <p> ends")]),
    ("<ul><li>a<li>b</ul>\n<p>x<div>y</div>", "<ul><li>a</li><li>b</li></ul>\n<p>x</p><div>y</div>", []),
    ("<p>x</p><!-- note\n<p>y</p>", "<p>x</p><!-- note\n<p>y</p>-->", [(1, "raw HTML: a comment (<!--) is never")]),
    ('<script>var a = "<div>";</script><p>z</p>', '<script>var a = "<div>";</script><p>z</p>', []),
    ("<style>p{}\n<p>z</p>", "<style>p{}\n<p>z</p></style>", [(1, "raw HTML: <style> is never closed")]),
    ("</body><p>q</p>\n</html>", "<p>q</p>\n",
     [(1, "raw HTML: </body> belongs to the page"), (2, "raw HTML: </html> belongs to the page")]),
    ('<p>ok <em>fine</em> <img src="x.png"> <br/> <a href="/a">a</a></p>',
     '<p>ok <em>fine</em> <img src="x.png"> <br/> <a href="/a">a</a></p>', []),
]


@pytest.mark.parametrize(("html", "expected", "warned"), CASES)
def test_unbalanced_raw_html_is_balanced_as_a_browser_reads_it_with_a_warning_at_its_line(
        html: str, expected: str, warned: list[tuple[int, str]]) -> None:
    out, notes = balanced(html, html, 1)
    assert out == expected
    assert len(notes) == len(warned)
    for (line, message), (want_line, want_start) in zip(notes, warned, strict=True):
        assert (line, message[:len(want_start)]) == (want_line, want_start)


@pytest.mark.parametrize("body", [
    "# Title\n\nText with *em*, **strong**, `code` and [a link](/x).\n\n- a\n- b\n\n> quote\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "Raw <span class=\"x\">inline</span> and <b>bold</b>.\n\n<div class=\"box\">\n<p>Closed.</p>\n</div>\n",
    "```html\n<div>\n```\n\nAnd `</div>` in code.\n",
])
def test_balanced_html_and_code_are_left_exactly_as_they_are(body: str) -> None:
    rendered, notes = render_body(body, 5)
    assert balanced(rendered.html, body, 5) == (rendered.html, [])
    assert not [n for n in notes if "raw HTML" in n[1]]


def test_the_page_around_an_unbalanced_body_keeps_its_structure(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "content/articles/a.md": "---\ntitle: Alpha\ndate: 2024-12-05\n---\nIntro.\n\n<div class=\"box\">\n\nIn the box.\n",
        "content/articles/b.md": "---\ntitle: Bravo\ndate: 2024-12-04\n---\nText.\n\n</div></article>\n\nAfter.\n",
    })
    run = build(site)
    assert run.code == 0, run.text
    assert "content/articles/a.md:7: warning: body: raw HTML: <div> is never closed; closed at the end of the body" \
        in run.err
    assert "content/articles/b.md:7: warning: body: raw HTML: </div> closes nothing the body opened; left out" in run.err
    for slug in ("a", "b"):
        html = page(site / "site", f"articles/{slug}/")
        body_el = html.root.find("body")
        # The site footer is still the page's own, not inside the author's div or the article.
        assert "site-footer" in [(child.get("class") or "") for child in body_el]
        main = html.one("main")
        article = main.find("article")
        assert article is not None and article.find(".//div[@class='doc-body prose']") is not None
        assert "print-only doc-print" in [(child.get("class") or "") for child in article], slug
    box = page(site / "site", "articles/a/").one("div", "box")
    assert "In the box." in text_of(box)


@pytest.mark.parametrize("unit", ["<div>a\n", "</div>a\n", "<p><span>a</p>\n", "<!--a\n", "<ul><li>a<li>b\n",
                                  "<span>a</div>"])
def test_many_unbalanced_tags_take_time_linear_in_their_number(unit: str) -> None:
    assert_linear(lambda n: unit * n, lambda html: balanced(html, html, 1), 5_000)


@pytest.mark.parametrize(("body", "html"), [
    ("Text <div>inline div</div> more.", "<p>Text </p><div>inline div</div> more."),
    ("A <table><tr><td>x</td></tr></table> b.",
     '<p>A </p><div class="table-wrap" role="region" tabindex="0" aria-label="Table">\n<table><tr><td>x</td></tr></table>'
     "\n</div> b."),
])
def test_a_block_written_inside_a_paragraph_ends_the_paragraph_as_a_browser_ends_it(body: str, html: str) -> None:
    rendered, notes = render_body(body)
    assert (rendered.html, notes) == (html, [])
