"""The direct inline renderer (generator/markup/inline_fast.py) gives Python-Markdown's HTML.

Texts dense with inline forms, whole and broken the way authors write them (unbalanced
asterisks, intraword underscores, escapes, code spans with backticks inside, links with
titles, nested brackets, raw tags, entities, line breaks, footnote references), are rendered
by the tuned renderer with and without the fast path and by stock Python-Markdown, and must
give the same HTML and the same cross-links; a share of them must be taken by the direct
renderer, so that the comparison is not empty.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.markup.markdown import _Renderer

#: Inline forms, well made and broken.
FORMS = [
    "*a*", "**b**", "_c_", "__d__", "*two words*", "_two words_", "a*b*c", "x**y**z", "snake_case",
    "a_b_c", "_lead", "trail_", "**a*", "*a**", "***a***", "*a **b** c*", "**a *b* c**", "_a *b* c_",
    "*", "**", "_", "__", "2 * 3", "`code`", "`a*b_c`", "` spaced `", "``double``", "`un", "`a``b`",
    "\\*", "\\_", "\\`", "\\\\", "\\[", "\\]", "\\>", "\\a", "\\", "\\<", "\\&", "[a](b)", '[a](b "t")',
    '[a](b "t t")', "[a](b 't')", '[a](b "")', "[a](<b>)", "[a [b] c](d)", "[[a]](b)", "[*a*](b)",
    "[`c`](d)", "[a](b_c)", "[a](b", "[a]", "[", "]", "](", "![i](p.png)", '![i](p "t")', "![*i*](p)",
    "![](p)", "![", "[[t]]", "[[t|L]]", "[[t#a|L *x*]]", "[[", "]]", "[^1]", "[^2]", "[^9]", "[^",
    "<b>", "</b>", '<span class="x">', "</span>", "<br/>", "<del>", "<div>", "<!-- c -->", "<3",
    "a < b", "<http://e.com/a_b>", "<https://e.org?x=1&y=2>", "<a@b.c>", "&amp;", "&copy;", "&#91;",
    "&#x41;", "&#X41;", "AT&T", "&", ";", ">", "a > b", "(", ")", '"', "'", "!", "#", "|", "{x}",
    "[TOC]", "&#65 x", "&#x41", "&#65a", "&amp b", "<script>", "<style>", "<?x?>", "<!DOCTYPE x>",
    "<![CDATA[x]]>", "<p>", "</div>", "<hr>", "<hr/>", "<http://a.b/<c>", "<i>a</i>", '<a href="x">', "</a>",
    "<x-y>", "word", "Éé", "café_au_lait", "x  \ny", "x  \n  y", "  \n", "x   \ny", "\u00a0",
]
GLUE = [" ", " ", " ", "", "\n", ", "]
FOOTNOTES = "\n\n[^1]: one\n\n[^2]: two [^1]\n"

_text = st.lists(st.tuples(st.sampled_from(FORMS), st.sampled_from(GLUE)), min_size=1, max_size=30).map(
    lambda parts: "".join(form + glue for form, glue in parts).strip())
_layout = st.sampled_from(["{}", "- {}\n- {}", "{}\n\n{}", "> {}", "| a | b |\n|---|---|\n| {} | {} |",
                           "# {}\n\n{}", "1. {}", "[TOC]\n\n# {}\n\n## {}", "### {} ###",
                           # the fast path's headings (named as the table of contents names them),
                           # line breaks, rules and inline tags at a line's start
                           "## {}\n\n---\n\n## {}", "{}  \n{}  ", "<b>x</b> {}\n\n<http://a.b> {}",
                           "> {}  \n> {}", "## {}\n## {}\n\n* * *"])

_RENDERERS: list[_Renderer] = []
_TAKEN = [0, 0]


def _renderers() -> list[_Renderer]:
    if not _RENDERERS:  # reused across examples, as in a build
        _RENDERERS.extend([_Renderer(), _Renderer(), _Renderer(tuned=False)])
        _RENDERERS[1].fast = None  # Python-Markdown's blocks, the direct inline renderer
        inline = _RENDERERS[1].md.treeprocessors["inline"]
        render = inline.fast_inline.render

        def counted(text: str) -> str | None:
            out = render(text)
            _TAKEN[out is not None] += 1
            return out
        inline.fast_inline.render = counted
    return _RENDERERS


@settings(max_examples=600, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(_text, min_size=2, max_size=2), _layout, st.booleans(), st.booleans())
def test_dense_inline_text_renders_as_python_markdown_renders_it(
        texts: list[str], layout: str, footnotes: bool, references: bool) -> None:
    body = layout.format(*texts) + (FOOTNOTES if footnotes else "") + ("\n\n[a]: /ref\n" if references else "")
    fast, inline, plain = _renderers()
    expected = (plain.convert(body), list(plain.links))
    assert (inline.convert(body), list(inline.links)) == expected, body
    assert (fast.convert(body), list(fast.links)) == expected, body


def test_the_direct_renderer_takes_a_share_of_the_generated_texts() -> None:
    if not sum(_TAKEN):
        pytest.skip("runs after the differential test")
    declined, taken = _TAKEN
    assert taken > 0.2 * (taken + declined), (taken, declined)


DENSE = {
    "emphasis": "*a* " * 50,
    "underscores": "_a_ __b__ " * 50,
    "footnote references": "[^1] " * 50 + FOOTNOTES,
    "links with titles": '[a](b "t") ' * 50,
    "images": '![a](b) ![c](d "t") ' * 50,
    "autolinks": "<http://x.y/a_b> " * 50,
    "raw inline html": '<span class="k">a</span> ' * 50,
    "entities and escapes": "&amp; \\* \\_ &copy; " * 50,
    "line breaks": "a  \n" * 50 + "b",
    "a heading": "## " + "_a_ [b](c) `d` " * 50,
    "mixed": "*a* **b** _c_ `d` [e](f) ![g](h) [[i]] [^1] <http://j.k> <span>l</span> &amp; \\* m  \n" * 20
             + "end" + FOOTNOTES,
}


@pytest.mark.parametrize("name", sorted(DENSE))
def test_each_dense_shape_is_taken_by_the_direct_renderer_and_matches(name: str) -> None:
    body = DENSE[name]
    renderer = _Renderer()
    renderer.fast = None
    results: list[str | None] = []
    fast_inline = renderer.md.treeprocessors["inline"].fast_inline
    render = fast_inline.render
    fast_inline.render = lambda text: results.append(render(text)) or results[-1]
    got = renderer.convert(body)
    assert got == _Renderer(tuned=False).convert(body)
    assert results and results[0] is not None  # the dense paragraph itself was taken


#: Headings the fast path renders through the direct renderer, named (their ids) as the table
#: of contents step names them: from the HTML with escapes undone, tags taken out.
HEADINGS = [
    "## a \\> b", "## a \\* b \\_c\\_", "## \\\\", "## x \\[y\\](z)", "## _a_ __b__",
    "## ![alt text](p.png) words", '## [a](b "t") <b>c</b> <http://e.org/x_y>', "## &amp; &copy; &#91;",
    "## <span>\\></span>", "## a \\> b\n\n## a > b\n\n## a &gt; b", "## `\\*` x",
]


@pytest.mark.parametrize("text", HEADINGS)
def test_the_fast_path_names_headings_with_inline_forms_as_the_table_of_contents_does(text: str) -> None:
    renderer, stock = _Renderer(), _Renderer(tuned=False)
    assert renderer.fast is not None
    html = renderer.fast.render(text)
    assert html is not None, "expected the fast path to take this heading"
    assert html == stock.convert(text)
