"""Bodies dense with one form in every layout (one paragraph, many paragraphs, list items,
headings, many short blocks): each renders as stock Python-Markdown renders it, and in time
linear in its size.

The shapes and layouts are the bench's (``bench/markdown_dense.py``). A document of many
short blocks was quadratic in Python-Markdown's block parser (each block taken from the
front of a Python list: a megabyte of rules took 4 s, of footnote references 22 s); headings,
line breaks and rules went to Python-Markdown (2-7 s a megabyte) and are the fast path's now.
Times are processor seconds, the best of two runs with the collector paused, measured again
(up to three times) before failing on a busy machine.
"""

from __future__ import annotations

import random

import pytest
from conftest import bench_module
from markdown_fuzz import random_document

from generator.markup import markdown as markup
from generator.markup.frontlist import FrontList
from generator.markup.joined import body_joined
from generator.markup.markdown import _Renderer, render_body

DENSE = bench_module("markdown_dense")
SHAPES = sorted(DENSE.UNITS)
LAYOUTS = sorted(DENSE.LAYOUTS)
_STOCK: list[_Renderer] = []


def _stock() -> _Renderer:
    if not _STOCK:
        _STOCK.append(_Renderer(tuned=False))
    return _STOCK[0]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_dense_shape_in_every_layout_renders_as_python_markdown_renders_it(layout: str) -> None:
    for shape in SHAPES:
        body = DENSE.body_of(shape, layout, 3000)
        assert render_body(body, 3) == _stock().render(body, 3), (shape, layout)


#: Shapes and layouts the fast path takes whole (the rest go to Python-Markdown, with the
#: direct inline renderer inside it).
TAKEN = [("horizontal rules", layout) for layout in ("paragraph", "blocks", "headings")] + [
    ("hard line breaks", "paragraph"), ("hard line breaks", "paragraphs"), ("hard line breaks", "blocks"),
    ("autolinks", "paragraphs"), ("raw inline html", "blocks"),
] + [(shape, "headings") for shape in ("underscore emphasis", "escapes", "entities", "images",
                                        "links with titles", "autolinks", "raw inline html")]


@pytest.mark.parametrize(("shape", "layout"), TAKEN)
def test_the_fast_path_takes_rules_line_breaks_tags_at_line_starts_and_inline_forms_in_headings(
        shape: str, layout: str) -> None:
    body = DENSE.body_of(shape, layout, 3000)
    renderer = _Renderer()
    assert renderer.fast is not None
    html = renderer.fast.render(body)
    assert html is not None
    assert (html, renderer.links) == (_stock().convert(body), _stock().links)


def _best_cpu(body: str) -> float:
    return DENSE.best_cpu(lambda: render_body(body))


#: Layouts timed at n and 2n (one paragraph is timed by test_markdown_linear.py), with the
#: shapes timed in each.
TIMED = {"blocks": SHAPES, "headings": SHAPES, "paragraphs": ["hard line breaks", "footnote references"]}


@pytest.mark.parametrize("layout", sorted(TIMED))
def test_doubling_a_dense_body_in_each_layout_about_doubles_its_render_time(layout: str) -> None:
    slow: list[str] = []
    for shape in TIMED[layout]:
        body, doubled = DENSE.body_of(shape, layout, 25_000), DENSE.body_of(shape, layout, 50_000)
        seen = []
        for _ in range(3):  # a burst of load may fail one measurement, not three
            single, double = _best_cpu(body), _best_cpu(doubled)
            seen.append(f"{single:.3f} s at 25 KB, {double:.3f} s at 50 KB")
            if double < 2.6 * single + 0.01:
                break
        else:
            slow.append(f"{shape}: " + "; ".join(seen))
    assert not slow, slow


def test_short_blocks_through_python_markdown_take_time_linear_in_their_number() -> None:
    # The block parser's list: 200,000 blocks took 22 s (quadratic), here 20,000 and 40,000.
    renderer = _Renderer()
    renderer.fast = None
    bodies = ["a\n\n" * 20_000, "a\n\n" * 40_000]
    seen = []
    for _ in range(3):
        single, double = (DENSE.best_cpu(lambda b=body: renderer.convert(b)) for body in bodies)
        seen.append((round(single, 3), round(double, 3)))
        if double < 2.5 * single:
            return
    pytest.fail(f"{seen}")


def test_100_kb_of_rules_or_of_short_paragraphs_renders_at_well_under_a_second_a_megabyte() -> None:
    # 4.4 s and 1.2-1.8 s a megabyte before (rules went to Python-Markdown, whose block list
    # was quadratic); 0.3 s and 1.2-1.6 s now (a paragraph of one "**a**" each).
    for shape, per_megabyte in (("horizontal rules", 0.6), ("strong", 2.5)):
        body = DENSE.body_of(shape, "blocks", 100_000)
        took = min(_best_cpu(body) for _ in range(2))
        assert took < per_megabyte / 10, (shape, took)


def test_front_list_behaves_as_the_list_the_block_processors_are_written_for() -> None:
    rng = random.Random(5)
    for _ in range(200):
        items = [str(i) for i in range(rng.randint(0, 6))]
        plain, front = list(items), FrontList(items)
        for _ in range(20):
            op = rng.choice(["pop0", "insert0", "pop", "insert", "get", "set", "append"])
            if op in ("pop0", "pop", "get", "set") and not plain:
                with pytest.raises(IndexError):
                    (front.pop(0) if op == "pop0" else front[0])
                continue
            index = rng.randint(-len(plain), len(plain) - 1) if plain else 0
            value = str(rng.random())
            if op == "pop0":
                assert front.pop(0) == plain.pop(0)
            elif op == "pop":
                assert front.pop(index) == plain.pop(index)
            elif op == "insert0":
                front.insert(0, value)
                plain.insert(0, value)
            elif op == "insert":
                front.insert(index, value)
                plain.insert(index, value)
            elif op == "get":
                assert front[index] == plain[index] and front[0] == plain[0]
            elif op == "set":
                front[index] = value
                plain[index] = value
            else:
                front.append(value)
                plain.append(value)
            assert list(front) == plain and len(front) == len(plain) and bool(front) == bool(plain)
            assert front[1:3] == plain[1:3]


def test_the_block_parser_of_the_tuned_renderer_works_on_a_front_list() -> None:
    renderer = _Renderer()
    seen: list[type] = []
    parse_blocks = renderer.md.parser.parseBlocks

    def spy(parent: object, blocks: object) -> None:
        seen.append(type(blocks))
        parse_blocks(parent, blocks)

    renderer.md.parser.parseBlocks = spy
    renderer.fast = None
    body = "> a\n>\n> b\n\n- c\n\n    d\n\n---\n\n[^1]\n\n[^1]: n\n\n    more"
    assert renderer.convert(body) == _stock().convert(body)
    assert seen and set(seen) == {FrontList} | ({list} if list in seen else set())
    assert seen[0] is FrontList


def test_words_and_joined_forms_come_out_as_from_the_html_each() -> None:
    rng = random.Random(11)
    bodies = [random_document(rng) for _ in range(300)] + [
        "S-400 and Su-24 [^1] [^1] [[a-b]] `x-1`\n\n[^1]: U.S. note &#8617; &amp;",
        "```\nS-300 in code\n```\n\nT-72 and &#8617;",
    ]
    for body in bodies:
        rendered = render_body(body)[0]
        html = rendered.html
        assert rendered.joined == body_joined(html), body
        assert rendered.words == markup.top_words(markup._text_of(html)), body


#: Lines for runs of headings, rules and setext headings, and lines that end such a run or
#: are nearly of it (a closing backslash, a pipe, an indent, a text line, a list marker).
RUN_LINES = ["# h", "## h ##", "###### h", "####### h", "#", "##", "# a \\", "# a \\\\", "# a \\#", "#a",
             "---", "- - -", "***", "* * *", "___", "===", "-----  ", "=-", "text", "- item", "1. one",
             "> quote", "| a |", "a | b", " # indented", "    code", "[^1]: note", "a  ", "<b>x</b>", "",
             "# [^1]", "[^1]"]


def test_runs_of_headings_rules_and_setext_headings_render_as_python_markdown_renders_them() -> None:
    tuned = _Renderer()
    tuned.fast = None  # Python-Markdown's blocks, which the runs are split for
    rng = random.Random(23)
    for _ in range(700):
        lines = [rng.choice(RUN_LINES[:17] if rng.random() < 0.85 else RUN_LINES) for _ in range(rng.randint(1, 14))]
        body = "\n".join(lines) + rng.choice(["", "\n\n[^1]: n", "\n\nafter"])
        if rng.random() < 0.2:
            body = "> " + body.replace("\n", "\n> ")
        assert (tuned.convert(body), tuned.links) == (_stock().convert(body), _stock().links), body


@pytest.mark.parametrize("unit", ["# h\n", "- - -\n", "a\n---\n", "# h\nb\n===\n***\n"])
def test_runs_of_heading_and_rule_lines_through_python_markdown_take_linear_time(unit: str) -> None:
    # 10,000 heading lines in a row took 2.4 s, 20,000 four times that (each taken from the
    # block and the rest read again from its start).
    renderer = _Renderer()
    renderer.fast = None
    bodies = [unit * 4000, unit * 8000]
    seen = []
    for _ in range(3):
        single, double = (DENSE.best_cpu(lambda b=body: renderer.convert(b)) for body in bodies)
        seen.append((round(single, 3), round(double, 3)))
        if double < 2.5 * single + 0.005:
            return
    pytest.fail(f"{seen}")
