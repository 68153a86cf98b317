"""HTML pasted from a word processor or an old site is made what HTML5 allows (the checker
rejected each obsolete element), a raw image without alt text is a warning, and Markdown in a
title is shown as its words."""

from __future__ import annotations

from pathlib import Path

from conftest import Html, build, make_site, page, text_of
from lineartime import assert_linear

from generator.markup.markdown import render_body
from generator.markup.obsolete import current_html
from generator.model.document import DocType
from generator.model.frontmatter import parse_document

BODY = """<center class="lead">Centered</center>

<p><font color="red" size="3" face="Arial">Red</font> <tt>mono</tt> <big>big</big> <strike>old</strike>
<acronym title="North Atlantic Treaty Organization">NATO</acronym><o:p></o:p></p>

<img src="x.png" border="0">

```
<center>kept in code</center> <img src="c.png">
```
"""


def test_obsolete_and_office_elements_become_html5_and_code_keeps_them() -> None:
    rendered, notes = render_body(BODY, 5)
    html = Html(rendered.html)
    assert html.one("div", cls="center").get("class") == "center lead"
    assert [(s.get("style"), text_of(s)) for s in html.all("span") if text_of(s)] == [(None, "Red"), (None, "big")]
    assert [text_of(e) for e in html.all("s")] == ["old"]
    assert html.one("abbr").get("title") == "North Atlantic Treaty Organization"
    assert not [e for e in html.root.iter() if isinstance(e.tag, str) and e.tag in
                ("center", "font", "tt", "big", "strike", "acronym") or ":" in str(e.tag)]
    assert html.one("img").get("alt") == ""
    assert "&lt;center&gt;kept in code&lt;/center&gt;" in rendered.html
    assert [(line, message.split(":")[0]) for line, message in notes] == [(10, "an <img> without alt text")]


def test_a_page_with_pasted_html_has_no_obsolete_element_and_a_plain_title(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "content/articles/a.md": '---\ntitle: "**Breaking**: Russia moves _assets_"\ndate: 2024-12-06\n---\n'
                                 "<center>Centered</center>\n",
    })
    assert build(site).code == 0
    alpha = page(site / "site", "articles/a/")
    assert alpha.h1 == "Breaking: Russia moves assets" and alpha.title.startswith("Breaking: Russia moves assets")
    assert not alpha.all("center") and alpha.one("div", cls="center") is not None


def test_named_anchors_are_ids_and_words_own_style_properties_go() -> None:
    rendered, _ = render_body('<p style="margin:0in;mso-add-space:auto;color:navy">Kept</p>\n\n'
                              "<a name=\"two words\" class=\"x\">x</a> <A NAME='caps'>y</A> "
                              "<a href=\"#caps\" name=\"both\">z</a> <span style='mso-x:1; tab-stops:1in'>w</span>"
                              "\n\n`<a name=\"code\">`\n", 1)
    html = Html(rendered.html)
    assert html.one("p").get("style") == "margin:0in;color:navy"
    assert [(a.get("id"), a.get("name"), a.get("href")) for a in html.all("a")] == [
        ("two-words", None, None), ("caps", None, None), (None, "both", "#caps")]
    assert html.one("span").get("style") is None
    assert '<code>&lt;a name="code"&gt;</code>' in rendered.html


def test_titles_keep_marks_that_are_not_markdown() -> None:
    for title in ("C++ and foo_bar_baz", "Rate 5*3*2", "x * y"):
        doc, _ = parse_document("content/articles/a.md", f"---\ntitle: {title}\ndate: 2024-12-06\n---\nx\n",
                                DocType.ARTICLE, "a")
        assert doc.title == title


def test_pasted_html_is_made_current_in_time_linear_in_its_size() -> None:
    assert_linear(lambda n: '<font color="red">a</font><o:p></o:p><img src=x> <center><a name="x"> '
                            '<b style="mso-a:1;color:red">' * n,
                  current_html, 5_000)
