"""Body headings never skip a level under the page's title (the HTML checker rejects "h3
follows h1"): each is at most one level below the heading before it; one written higher stays."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build_ok, make_site, page
from lineartime import assert_linear

from generator.markup.outline import outline_without_gaps


@pytest.mark.parametrize(("html", "expected"), [
    ("<h3 id=\"a\">A</h3>\n<p>x</p>\n<h5 id=\"b\">B</h5>", "<h2 id=\"a\">A</h2>\n<p>x</p>\n<h3 id=\"b\">B</h3>"),
    ("<h2>A</h2><h4>B</h4><h2>C</h2><h6>D</h6>", "<h2>A</h2><h3>B</h3><h2>C</h2><h3>D</h3>"),
    ("<h1>One</h1><h3>Three</h3>", "<h1>One</h1><h2>Three</h2>"),
    ("<h2>A</h2><h3>B</h3><h4>C</h4><h2>D</h2>", "<h2>A</h2><h3>B</h3><h4>C</h4><h2>D</h2>"),
    ("<p>no headings, <code>&lt;h3&gt;</code></p>", "<p>no headings, <code>&lt;h3&gt;</code></p>"),
])
def test_each_heading_is_at_most_one_level_below_the_one_before(html: str, expected: str) -> None:
    assert outline_without_gaps(html) == expected


def test_a_built_page_has_no_heading_that_skips_a_level(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "content/articles/a.md": ("---\ntitle: Alpha\ndate: 2024-12-05\n---\n### Deep start\n\nText.\n\n"
                                  "##### Deeper\n\nMore.\n\n## Back up\n\n#### Under it\n"),
    })
    html = page(build_ok(site), "articles/a/")
    levels = [int(el.tag[1]) for el in html.root.iter() if isinstance(el.tag, str) and el.tag in
              ("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    contents = [a.get("href") for a in html.all("nav", aria_label="Contents")[0].iter("a")]
    assert contents == ["#deep-start", "#deeper", "#back-up", "#under-it"]


def test_many_headings_take_time_linear_in_their_number() -> None:
    assert_linear(lambda n: "<h3>a</h3><h6>b</h6>\n" * n, outline_without_gaps, 5_000)
