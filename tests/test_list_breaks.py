"""Lists as GitHub and CommonMark have them: a list written right under a line of text, with no
blank line between, and a list nested by two or three spaces render as lists (``listbreaks.py``
changes only the text the renderers see), while the lines the build reports stay the file's own."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from lineartime import assert_linear

from generator.markup.listbreaks import lists_nested_by_two, lists_under_text, pasted_lists
from generator.markup.markdown import render_body

#: (text, what the renderers are given): a list under text gets a blank line before it; what
#: is not one is left as written.
UNDER_TEXT = [
    ("Key points:\n- first\n- second\n", "Key points:\n\n- first\n- second\n"),
    ("**Key points:**\n* a\n* b", "**Key points:**\n\n* a\n* b"),
    ("Steps\n1. One\n2. Two", "Steps\n\n1. One\n2. Two"),
    ("Intro:\n- a\n- b\nthe b item's own line\n- c", "Intro:\n\n- a\n- b\nthe b item's own line\n- c"),
    *((text, text) for text in [
        "The year\n2024. was long",  # only an item numbered 1 starts a list under text
        "- item one\nits lazy line\n- item two",  # already a list
        "```\nText\n- code, not a list\n```\n",
        "A title\n- - -\n",  # a thematic break
        "> quoted\n- x", "    code\n- x", "a\n\n- b", "Text\n-not an item"]),
]

#: (text, what the renderers are given): nested by two or three, indented four a level; nested
#: by four, code and tabs left as written.
NESTED = [
    ("* top\n  * child\n  * child too\n* next", "* top\n    * child\n    * child too\n* next"),
    ("1. One\n2. Two\n   - nested by three", "1. One\n2. Two\n    - nested by three"),
    ("- a\n  - b\n    - c\n      c's own line\n\nAfter.", "- a\n    - b\n        - c\n            c's own line\n\nAfter."),
    ("- a\n  its text\n  - b\n\n  a's second paragraph\n", "- a\n    its text\n    - b\n\n    a's second paragraph\n"),
    *((text, text) for text in [
        "- a\n    - b\n        - c\n- d",  # nested by four already
        "```\n- a\n  - b\n```\n",  # code
        "- a\n\t- b",  # a tab: left to Python-Markdown
        "Text\n  - not under an item"]),
]


@pytest.mark.parametrize(("text", "given"), UNDER_TEXT)
def test_a_list_right_under_a_line_of_text_gets_a_blank_line_before_it_and_nothing_else_changes(
        text: str, given: str) -> None:
    assert lists_under_text(text) == given


@pytest.mark.parametrize(("text", "given"), NESTED)
def test_a_list_nested_by_two_or_three_spaces_is_indented_four_a_level_and_nothing_else_changes(
        text: str, given: str) -> None:
    assert lists_nested_by_two(text) == given


@pytest.mark.parametrize(("body", "html", "lines"), [
    ("Key points:\n- first, see [[alpha]]\n- second [[bravo]]\n\nEnd.\n",
     "<p>Key points:</p>\n<ul>\n<li>first, see \ue0000\ue001</li>\n<li>second \ue0001\ue001</li>\n</ul>\n<p>End.</p>",
     [("alpha", 6), ("bravo", 7)]),
    ("Points:\n* top [[alpha]]\n  * child\n    * grandchild [[bravo]]\n* next\n",
     "<p>Points:</p>\n<ul>\n<li>top \ue0000\ue001<ul>\n<li>child<ul>\n<li>grandchild \ue0001\ue001</li>\n"
     "</ul>\n</li>\n</ul>\n</li>\n<li>next</li>\n</ul>",
     [("alpha", 6), ("bravo", 8)]),
], ids=["under text", "nested by two"])
def test_the_list_renders_as_a_list_and_its_links_keep_their_lines(body: str, html: str, lines: list) -> None:
    rendered, notes = render_body(body, body_line=5)
    assert rendered.html == html
    assert [(ref.target, ref.line) for ref in rendered.links] == lines
    assert notes == []


@pytest.mark.parametrize(("change", "unit"), [(lists_under_text, "Points:\n- a\n- b\n\n"),
                                              (lists_nested_by_two, "- a\n  - b\n")],
                         ids=["under text", "nested by two"])
def test_many_lists_take_time_linear_in_their_number(change: Callable[[str], str], unit: str) -> None:
    assert_linear(lambda n: unit * n, change, 10_000)


def test_a_list_under_text_in_any_paragraph_is_a_list() -> None:
    rendered, _ = render_body("Intro.\n\nKey points:\n- first\n- second\n\nSteps:\n1. one\n2. two\n", 1)
    assert rendered.html == ("<p>Intro.</p>\n<p>Key points:</p>\n<ul>\n<li>first</li>\n<li>second</li>\n</ul>\n"
                             "<p>Steps:</p>\n<ol>\n<li>one</li>\n<li>two</li>\n</ol>")


def test_bullets_pasted_from_a_word_processor_and_items_numbered_1_paren_are_lists() -> None:
    rendered, _ = render_body("Intro.\n\nKey points:\n• First\n• Second\n  ◦ under it\n\nSteps:\n1) One\n2) Two\n\n"
                              "```\n• code\n1) code\n```\n\nPrices (5) rose · slowly.\n", 1)
    assert rendered.html.startswith(
        "<p>Intro.</p>\n<p>Key points:</p>\n<ul>\n<li>First</li>\n<li>Second<ul>\n<li>under it</li>\n</ul>\n"
        "</li>\n</ul>\n<p>Steps:</p>\n<ol>\n<li>One</li>\n<li>Two</li>\n</ol>\n")
    assert "<code>• code\n1) code\n</code>" in rendered.html and "<p>Prices (5) rose · slowly.</p>" in rendered.html


def test_a_number_and_parenthesis_inside_a_paragraph_stays_its_text() -> None:
    rendered, _ = render_body("In step\n2) we wait.\n", 1)
    assert rendered.html == "<p>In step\n2) we wait.</p>"


def test_pasted_bullets_are_read_in_time_linear_in_their_number() -> None:
    assert_linear(lambda n: "• a\n  ◦ b\n1) c\ntext (d)\n" * n, pasted_lists, 20_000)


def test_a_list_under_text_right_after_a_heading_is_a_list() -> None:
    rendered, _ = render_body("Intro.\n\n## Key findings\n### Detail\nThe main points are:\n- first\n- second\n", 1)
    assert rendered.html == ('<p>Intro.</p>\n<h2 id="key-findings">Key findings</h2>\n<h3 id="detail">Detail</h3>\n'
                             "<p>The main points are:</p>\n<ul>\n<li>first</li>\n<li>second</li>\n</ul>")


def test_headings_and_items_in_one_block_are_read_in_linear_time() -> None:
    assert_linear(lambda n: "# h\n" * n + "- a\n" * n + "text\n- b\n" * n, lists_under_text, 5_000)


def test_a_paragraph_under_an_item_indented_to_its_text_stays_in_the_item() -> None:
    rendered, _ = render_body("1. one\n\n   more on one\n2. two\n\n- a\n\n  more on a\n- b\n", 1)
    assert rendered.html == ("<ol>\n<li>\n<p>one</p>\n<p>more on one</p>\n</li>\n<li>\n<p>two</p>\n</li>\n</ol>\n"
                             "<ul>\n<li>\n<p>a</p>\n<p>more on a</p>\n</li>\n<li>\n<p>b</p>\n</li>\n</ul>")


def test_paragraphs_under_items_are_read_in_linear_time() -> None:
    assert_linear(lambda n: "1. one\n\n   more\n2. two\n" * n, lists_nested_by_two, 5_000)
