"""A list written right under a line of text, with no blank line between, renders as a list
(as GitHub and CommonMark show it), while the lines the build reports stay the file's own."""

from __future__ import annotations

import pytest

from generator.markup.listbreaks import lists_under_text
from generator.markup.markdown import render_body


@pytest.mark.parametrize(("text", "expected"), [
    ("Key points:\n- first\n- second\n", "Key points:\n\n- first\n- second\n"),
    ("**Key points:**\n* a\n* b", "**Key points:**\n\n* a\n* b"),
    ("Steps\n1. One\n2. Two", "Steps\n\n1. One\n2. Two"),
    ("Intro:\n- a\n- b\nthe b item's own line\n- c", "Intro:\n\n- a\n- b\nthe b item's own line\n- c"),
])
def test_a_list_right_under_a_line_of_text_gets_a_blank_line_before_it(text: str, expected: str) -> None:
    assert lists_under_text(text) == expected


@pytest.mark.parametrize("text", [
    "The year\n2024. was long",  # only an item numbered 1 starts a list under text
    "- item one\nits lazy line\n- item two",  # already a list
    "```\nText\n- code, not a list\n```\n",
    "A title\n- - -\n",  # a thematic break
    "> quoted\n- x", "    code\n- x", "a\n\n- b", "Text\n-not an item",
])
def test_what_is_not_a_list_under_text_is_left_as_written(text: str) -> None:
    assert lists_under_text(text) == text


def test_the_list_renders_as_a_list_and_its_links_keep_their_lines() -> None:
    body, notes = render_body("Key points:\n- first, see [[alpha]]\n- second [[bravo]]\n\nEnd.\n", body_line=5)
    assert body.html.startswith("<p>Key points:</p>\n<ul>\n<li>first, see \ue0000\ue001</li>")
    assert [(ref.target, ref.line) for ref in body.links] == [("alpha", 6), ("bravo", 7)]
    assert notes == []


def test_many_lists_under_lines_take_time_linear_in_their_number() -> None:
    import time

    def took(n: int) -> float:
        text = "Points:\n- a\n- b\n\n" * n
        start = time.process_time()
        lists_under_text(text)
        return time.process_time() - start
    took(1000)
    small, big = min(took(10_000) for _ in range(3)), min(took(40_000) for _ in range(3))
    assert big < 8 * small + 0.05, (small, big)


@pytest.mark.parametrize(("text", "expected"), [
    ("* top\n  * child\n  * child too\n* next", "* top\n    * child\n    * child too\n* next"),
    ("1. One\n2. Two\n   - nested by three", "1. One\n2. Two\n    - nested by three"),
    ("- a\n  - b\n    - c\n      c's own line\n\nAfter.", "- a\n    - b\n        - c\n            c's own line\n\nAfter."),
    ("- a\n  its text\n  - b\n\n  a's second paragraph\n", "- a\n    its text\n    - b\n\n    a's second paragraph\n"),
])
def test_a_list_nested_by_two_or_three_spaces_is_indented_four_a_level(text: str, expected: str) -> None:
    from generator.markup.listbreaks import lists_nested_by_two

    assert lists_nested_by_two(text) == expected


@pytest.mark.parametrize("text", [
    "- a\n    - b\n        - c\n- d",  # nested by four already
    "```\n- a\n  - b\n```\n",  # code
    "- a\n\t- b",  # a tab: left to Python-Markdown
    "Text\n  - not under an item",
])
def test_a_list_nested_by_four_code_and_tabs_are_left_as_written(text: str) -> None:
    from generator.markup.listbreaks import lists_nested_by_two

    assert lists_nested_by_two(text) == text


def test_a_list_nested_by_two_renders_nested_and_its_links_keep_their_lines() -> None:
    body, _ = render_body("Points:\n* top [[alpha]]\n  * child\n    * grandchild [[bravo]]\n* next\n", body_line=3)
    assert body.html == ("<p>Points:</p>\n<ul>\n<li>top \ue0000\ue001<ul>\n<li>child<ul>\n<li>grandchild \ue0001\ue001</li>\n"
                         "</ul>\n</li>\n</ul>\n</li>\n<li>next</li>\n</ul>")
    assert [(ref.target, ref.line) for ref in body.links] == [("alpha", 4), ("bravo", 6)]


def test_many_nested_items_take_time_linear_in_their_number() -> None:
    import time

    from generator.markup.listbreaks import lists_nested_by_two

    def took(n: int) -> float:
        text = "- a\n  - b\n" * n
        start = time.process_time()
        lists_nested_by_two(text)
        return time.process_time() - start
    took(1000)
    small, big = min(took(10_000) for _ in range(3)), min(took(40_000) for _ in range(3))
    assert big < 8 * small + 0.05, (small, big)
