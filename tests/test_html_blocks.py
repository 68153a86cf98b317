"""Markdown between container tags on lines of their own (``<details>``, ``<div>``), parted from
them by blank lines, is rendered, as on GitHub and in Hugo: its links and cross-links work and
make backlinks; the tags are kept as written; code and tags without blank lines are left alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build, make_site, page, text_of
from lineartime import assert_linear

from generator.markup.htmlblocks import mark_container_lines
from generator.markup.markdown import render_body


@pytest.mark.parametrize(("body", "html"), [
    ("<details>\n<summary>Sources</summary>\n\n- [R](https://r.example/x)\n- *em*\n\n</details>\n",
     '<details>\n<summary>Sources</summary>\n<ul>\n<li><a href="https://r.example/x">R</a></li>\n<li><em>em</em></li>\n'
     "</ul>\n</details>"),
    ('<div class="box">\n\nInside **bold**.\n\n</div>\n', '<div class="box">\n<p>Inside <strong>bold</strong>.</p>\n</div>'),
    ("<details><summary>One</summary>\n\nText.\n\n</details>", "<details><summary>One</summary>\n<p>Text.</p>\n</details>"),
    ("<div>\n<div>\n\nDeep *x*.\n\n</div>\n\n</div>", "<div>\n<div>\n<p>Deep <em>x</em>.</p>\n</div>\n</div>"),
])
def test_markdown_inside_a_container_parted_by_blank_lines_is_rendered(body: str, html: str) -> None:
    rendered, notes = render_body(body)
    assert rendered.html == html and notes == []


@pytest.mark.parametrize("body", [
    "<div>\nRaw *text*, no blank line.\n</div>\n",
    "```html\n<details>\n\n</details>\n```\n",
    "<details>\n\nnever closed\n",
    "Text\n<div>\n\nx\n\n</div>\n",  # the tag is part of a paragraph
])
def test_other_html_is_left_to_python_markdown(body: str) -> None:
    assert mark_container_lines(body) == (body, [])


def test_a_cross_link_inside_details_links_and_makes_a_backlink(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "content/articles/a.md": ("---\ntitle: Alpha\ndate: 2024-12-05\n---\nIntro.\n\n<details>\n<summary>Sources"
                                  "</summary>\n\n- See [[b]] and [[nothere]].\n\n</details>\n"),
        "content/articles/b.md": "---\ntitle: Bravo\ndate: 2024-12-04\n---\nB.\n",
    })
    run = build(site)
    assert run.code == 0, run.text
    assert "content/articles/a.md:10: warning: link: [[nothere]]" in run.err
    details = page(site / "site", "articles/a/").one("details")
    assert [a.get("href") for a in details.iter("a")] == ["/articles/b/"]
    assert "Alpha" in text_of(page(site / "site", "articles/b/").root)  # the backlink


def test_many_containers_take_time_linear_in_their_number() -> None:
    assert_linear(lambda n: "<details>\n<summary>S</summary>\n\nx\n\n</details>\n\n" * n, mark_container_lines, 3_000)


def test_markdown_right_under_a_containers_opening_lines_is_a_warning_at_its_line() -> None:
    body = ("<details>\n<summary>Sources</summary>\n- [[alpha]]\n- b\n</details>\n\n"
            "<details>\n<summary>Parted</summary>\n\n- [[beta]]\n\n</details>\n\n"
            '<div class="box">\n<p>Only HTML, **kept**.</p>\n</div>\n\n```\n<div>\n- [[code]]\n</div>\n```\n')
    _, notes = render_body(body, 5)
    assert [(line, message.split(" is shown")[0]) for line, message in notes] == [(7, "Markdown inside <details>")]


def test_the_check_for_unparted_markdown_takes_time_linear_in_the_text() -> None:
    from generator.markup.htmlblocks import unparted_markdown

    assert_linear(lambda n: "<details>\n" + "text **x** " * n + "\n" + "<div>\n" + "a " * n + "\n",
                  lambda text: unparted_markdown(text, 1), 20_000)
