"""Heading ids on the Markdown fast path (``markup/headingids.py``): the ids a run of equal
headings gets in one go are those Python-Markdown's table of contents gives one by one, whatever
ids came before; and runs of equal heading lines, in one block or in blocks of their own, render
as stock Python-Markdown renders them."""

from __future__ import annotations

import random
import re

import pytest
from conftest import bench_module
from markdown.extensions.toc import unique

from generator.markup.headingids import ID_END, ID_START, UNIQUE_COUNTERS, fill_heading_ids
from generator.markup.markdown import _Renderer, render_body

#: Slugs that meet each other's suffixes: ``a`` then ``a_1``, a slug that is itself numbered, ...
SLUGS = ["a", "a_1", "a_2", "a_3", "b", "a_1_1", "b_1", "x_10", "x", "x_9", "x_11", "", "q&r", 'q"r']


def _one_by_one(slugs: list[str]) -> list[str]:
    ids: set[str] = set()
    counters: dict[str, int] = {}
    made = [unique(slug, ids, counters) if UNIQUE_COUNTERS else unique(slug, ids) for slug in slugs]
    return [ident.replace("&", "&amp;").replace('"', "&quot;") for ident in made]


@pytest.mark.parametrize("seed", range(4))
def test_runs_of_equal_slugs_get_the_ids_unique_gives_one_by_one(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(400):
        slugs: list[str] = []
        for _ in range(rng.randint(1, 12)):
            slugs += [rng.choice(SLUGS)] * rng.choice([1, 1, 2, 3, 5, 12])
        page = "<p>x</p>".join(f'<h2 id="{ID_START}{n}{ID_END}">t</h2>' for n in range(len(slugs)))
        filled = fill_heading_ids(page, slugs, dict(enumerate(slugs)), lambda slug: slug)
        assert filled == "<p>x</p>".join(f'<h2 id="{ident}">t</h2>' for ident in _one_by_one(slugs)), slugs


#: Heading texts whose slugs meet: ``A`` and ``a``, ``a 1`` (``a-1``), ``a_1``, escapes,
#: footnote references and cross-links (renumbered per copy).
TEXTS = ["a", "A", "a_1", "a 1", "a-1", "a_2", "b", "Ünï", "x *y*", "a[^1]", "see [[slug]]", "a_1_1", "_a_"]


def _document(rng: random.Random) -> str:
    blocks = []
    for _ in range(rng.randint(1, 10)):
        level = "#" * rng.randint(1, 3)
        line = f"{level} {rng.choice(TEXTS)}"
        count = rng.choice([1, 2, 3, 7])
        shape = rng.random()
        if shape < 0.4:  # one block of heading lines
            blocks.append("\n".join([line] * count))
        elif shape < 0.8:  # blocks of their own
            blocks.extend([line] * count)
        else:  # lines of a paragraph around them
            blocks.append("\n".join(["some text", *([line] * count), "more text"]))
    return "\n\n".join(blocks) + "\n\n[^1]: The note.\n"


def test_runs_of_equal_headings_render_as_python_markdown_renders_them() -> None:
    rng = random.Random(3)
    fast, stock = _Renderer(), _Renderer(tuned=False)
    taken = 0
    for _ in range(600):
        text = _document(rng)
        fast.links.clear()
        fast.md.reset()
        html = fast.fast.render(text)
        if html is not None:
            taken += 1
            links = list(fast.links)
            assert (html, links) == (stock.convert(text), stock.links), text
    assert taken >= 300


@pytest.mark.parametrize("unit", ["# a\n", "## h\n\n", "### x [^1]\n", "## [[slug]] y\n\n"])
def test_doubling_a_body_of_equal_headings_about_doubles_its_render_time(unit: str) -> None:
    dense = bench_module("markdown_dense")
    body, doubled = (unit * count + "\n[^1]: The note.\n" for count in (10_000, 20_000))
    seen = []
    for _ in range(3):  # a burst of load may fail one measurement, not three
        single, double = dense.best_cpu(lambda: render_body(body)), dense.best_cpu(lambda: render_body(doubled))
        seen.append((round(single, 3), round(double, 3)))
        if double < 2.6 * single + 0.01:
            return
    pytest.fail(f"{seen}")


def test_the_reserved_ids_are_every_id_the_default_themes_templates_write() -> None:
    import re

    from conftest import REPO

    from generator.markup.headingids import THEME_IDS

    written = set()
    for template in (REPO / "themes" / "default" / "templates").rglob("*.html"):
        written |= set(re.findall(r'\sid="([a-z][a-z0-9-]*)"', template.read_text(encoding="utf-8")))
    assert written == THEME_IDS


def test_body_headings_named_like_the_pages_own_parts_get_ids_of_their_own(tmp_path) -> None:
    from collections import Counter

    from conftest import build_ok, make_site, page

    body = "\n\n".join(["Intro.", "## Main", "Text.", "## Doc title", "## Toc heading", "## Map heading",
                        "### Events heading", "## Main", "Closing."])
    site = make_site(tmp_path, {"content/notes/n.md": (
        "---\ntitle: Doc title\ndate: 2024-12-05\nconfidence: moderate\n"
        "location: {name: Latakia, lat: 35.52, lon: 35.79}\n"
        "key_judgments: [Russia will likely keep the base.]\n"
        "events: [{date: 2024-12-06, title: Convoy leaves}]\n---\n" + body + "\n")})
    html = page(build_ok(site), "notes/n/")
    ids = Counter(el.get("id") for el in html.all() if el.get("id"))
    assert [ident for ident, count in ids.items() if count > 1] == []
    assert {"main", "doc-title", "toc-heading", "map-heading", "kj-heading"} <= set(ids)
    headings = {el.get("id"): el for tag in ("h2", "h3") for el in html.all(tag)}
    toc = [a.get("href") for a in html.all("a") if (a.get("href") or "").startswith("#")
           and a.get("href")[1:] in headings and a.get("href") != "#main"]
    assert {"#main-section", "#main-section_1", "#doc-title-section", "#toc-heading-section",
            "#map-heading-section", "#events-heading-section"} <= set(toc)
    assert [" ".join(headings[h[1:]].itertext()) for h in ("#main-section", "#main-section_1")] == ["Main", "Main"]


def test_a_heading_with_a_cross_link_is_slugged_from_its_own_renderers_links_whatever_renderer_ran_before() -> None:
    from generator.markup.markdown import _local

    render_body("Text with [[another|Other words]] and [[more]].\n")  # this thread's renderer now holds links
    assert _local.renderer.links
    fast, stock = _Renderer(), _Renderer(tuned=False)
    text = "# see [[slug]]\n\nBody.\n"
    fast.links.clear()
    fast.md.reset()
    html = fast.fast.render(text)
    assert html is not None and html == stock.convert(text)
    assert html.startswith('<h1 id="see-slug">')


def test_ids_from_raw_html_and_attribute_lists_are_once_on_the_page_and_none_is_the_themes() -> None:
    from generator.markup.markdown import render_body

    rendered, _ = render_body('<div id="main">raw</div>\n\n<div id="x">a</div>\n\n<div id="x">b</div>\n\n'
                              "## X\n\n## Summary {#doc-title}\n\n`<b id=\"x\">` in code\n", 1)
    found = re.findall(r'<(\w+)[^<>]*\sid="([^"]*)"', rendered.html)
    assert found == [("div", "main-section"), ("div", "x_1"), ("div", "x_2"), ("h2", "x"),
                     ("h2", "doc-title-section")]
    assert rendered.heading_ids == ("x", "doc-title-section")
    assert '<code>&lt;b id="x"&gt;</code>' in rendered.html


def test_making_ids_unique_takes_time_linear_in_their_number() -> None:
    from lineartime import assert_linear

    from generator.markup.uniqueids import unique_ids

    assert_linear(lambda n: '<div id="a">x</div><h2 id="a">y</h2><p id="main">z</p>' * n, unique_ids, 5_000)


def test_a_link_to_a_heading_written_as_the_heading_reads_leads_to_it_and_one_to_nothing_is_a_warning() -> None:
    from generator.markup.markdown import render_body

    body = ("## Key Findings\n\nSee [a](#Key-Findings), [b](#key_findings), [c](<#Key Findings>), [d](#main),\n"
            "[e](#top), [f](#gone) and [g](#gone).\n\n## Two\n\n[h](#fn:9) [i](#also-gone)\n")
    rendered, notes = render_body(body, 5)
    hrefs = re.findall(r'href="([^"]*)"', rendered.html)
    assert hrefs == ["#key-findings"] * 3 + ["#main", "#top", "#gone", "#gone", "#fn:9", "#also-gone"]
    assert notes == [
        (8, "the link to #gone leads nowhere: this page has no heading or element with that id; its headings "
            "are #key-findings, #two"),
        (12, "the link to #also-gone leads nowhere: this page has no heading or element with that id; its "
             "headings are #key-findings, #two")]


def test_links_within_a_page_are_checked_in_time_linear_in_their_number() -> None:
    from lineartime import assert_linear

    from generator.markup.pageanchors import page_anchors

    def made(n: int) -> tuple[str, str]:
        html = "".join(f'<h2 id="h{i}">H</h2><a href="#H{i}">x</a><a href="#no{i}">y</a>' for i in range(n))
        source = "".join(f"## H\n[x](#H{i}) [y](#no{i})\n" for i in range(n))
        return html, source

    assert_linear(made, lambda given: page_anchors(given[0], given[1], 1), 2_000)
