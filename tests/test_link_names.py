"""A link with no text, or made only of an image with no alt text, is named by its address
(shown, or as its ``aria-label``) with a warning at its line: a reader can see or hear each."""

from __future__ import annotations

from pathlib import Path

from conftest import Html, build, make_site, page, text_of
from lineartime import assert_linear

from generator.markup.linknames import named_links
from generator.markup.markdown import render_body


def test_a_link_with_no_text_shows_its_address_and_an_image_link_without_alt_is_named_by_it() -> None:
    rendered, notes = render_body("Intro.\n\n[![](logo.png)](https://x.org) [](https://y.org/a/b/)\n"
                                  "[ ](/pages/about/) [ok](q) [![Logo](l.png)](w) <a href=\"u\" aria-label=\"U\"></a>\n\n"
                                  "`[](https://code.org)`\n", 5)
    html = Html(rendered.html)
    links = [(a.get("href"), a.get("aria-label"), text_of(a)) for a in html.all("a")]
    assert links == [("https://x.org", "x.org", ""), ("https://y.org/a/b/", None, "y.org/a/b"),
                     ("/pages/about/", None, "/pages/about/"), ("q", None, "ok"), ("w", None, ""), ("u", "U", "")]
    assert [(line, message.split(":")[0]) for line, message in notes] == [
        (7, "a link to https"), (7, "a link to https"), (8, "a link to /pages/about/ with no text")]
    assert "made only of an image" in notes[0][1] and "with no text" in notes[1][1]


def test_a_built_page_names_every_link(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/articles/a.md": "---\ntitle: A\ndate: 2024-12-05\n---\n"
                                                         "See [](https://example.org/report) and [](b.md).\n",
                                "content/articles/b.md": "---\ntitle: Bravo\ndate: 2024-12-05\n---\nB.\n"})
    run = build(site)
    assert run.code == 0 and run.err.count(": warning:") == 1, run.text
    body = page(site / "site", "articles/a/").one("div", "doc-body")
    assert [text_of(a) for a in body.iter("a")] == ["example.org/report", "Bravo"]


def test_links_are_named_in_time_linear_in_their_number() -> None:
    def made(n: int) -> tuple[str, str]:
        html = "".join(f'<a href="https://e.org/{i}"></a><a href="x"><img alt="" src="i.png"></a> <a href="y">t</a>'
                       for i in range(n))
        return html, "".join(f"[](https://e.org/{i}) [![](i.png)](x) [t](y)\n" for i in range(n))

    assert_linear(made, lambda given: named_links(given[0], given[1], 1), 2_000)
