"""Bounded fuzzing of Markdown bodies: no input raises, none takes superlinear time, and
paragraphs of many links and other inline constructs render exactly as Python-Markdown does.

Bodies are made from the tokens that have broken Markdown renderers (brackets, cross-links,
list and quote markers, backticks and fences, raw HTML, entities, control characters,
unicode) in random order, with long runs of one token; each goes through the parse and
render of one document, and a few through a whole small build. Hypothesis runs a fixed,
derandomized set of examples, so the test is repeatable and bounded in time.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from conftest import BASIC_SITE, build, make_site
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_fuzz import LINKY

from generator.markup.markdown import PLACEHOLDER, _Renderer, render_body
from generator.parsing import parse_file

TOKENS = [
    "[[", "]]", "|", "#", "[", "]", "](", "(", ")", "- ", "* ", "+ ", "1. ", "2) ", ">", "> ",
    "`", "```", "~~~", "```python\n", "    ", "\t", "<", "</", "<div>", "<!--", "-->", "&amp;",
    "&#x27;", "&", ";", "*", "**", "_", "__", "\\", "!", "![", "[^", "[^1]: ", "{:", "}", ":",
    "---", "===", "|---|", "[TOC]", "http://e.com", "<http://e.com>", "a@b.c", '"', "'",
    "\n", "\n\n", " ", "  \n", "word", "Éé", "日本", "🙂", "\u200b", "\u00a0", "\x0b", "\x0c",
    "\x00", "\x1b", "\ue000", "\ue001", "\ud7ff", "[[a]]", "[[a#b|c]]", "[a](b)", '[a](b "t")',
    "[a][b]", "[b]: /u\n",
]

_piece = st.one_of(
    st.sampled_from(TOKENS),
    st.text(max_size=8),
    st.tuples(st.sampled_from(TOKENS), st.integers(2, 3000)).map(lambda run: run[0] * run[1]),
)
BODIES = st.lists(_piece, max_size=40).map("".join)
#: Seconds one body of at most a few kilobytes may take (the old quadratic cases took tens).
BODY_SECONDS = 2.0


def _parse(body: str) -> float:
    data = ("---\ntitle: Fuzz\n---\n" + body).encode("utf-8", "surrogatepass")
    start = time.perf_counter()
    doc, rendered, diags = parse_file("content/pages/fuzz.md", data, "page", "fuzz", "UTC")
    took = time.perf_counter() - start
    if doc is not None:
        assert rendered is not None
        if "\ue000" not in body:  # every link placeholder in the HTML is a recorded link
            assert all(int(m.group(1)) < len(rendered.links) for m in PLACEHOLDER.finditer(rendered.html))
    else:
        assert diags, "a document that is not made says why"
    return took


@settings(max_examples=250, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(BODIES)
def test_any_body_parses_and_renders_without_an_exception_in_bounded_time(body: str) -> None:
    assert _parse(body) < BODY_SECONDS, repr(body[:200])


@settings(max_examples=60, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(BODIES.filter(lambda body: len(body) > 200))
def test_doubling_a_body_at_most_about_doubles_its_render_time(body: str) -> None:
    def seconds(text: str) -> float:
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            render_body(text)
            best = min(best, time.perf_counter() - start)
        return best

    # Measured again before failing: on a busy machine one slow sample is noise, a superlinear
    # body is slow every time.
    for _ in range(3):
        single, double = seconds(body), seconds(body + body)
        if double < 3 * single + 0.05:
            return
    raise AssertionError((single, double, repr(body[:200])))


#: Paragraphs of many inline constructs (links, open brackets, cross-links, images,
#: references, emphasis, code, raw HTML, escapes), with runs of one; block markers now and then.
_inline_piece = st.one_of(
    st.sampled_from(LINKY + ["[r]: /u\n", "[^1]: n\n", "  \n", "\n\n", "- ", "> ", "_a_", "a_b", "***",
                             "\\\\", "\\`", "*abcdefghijkl*"]),
    st.tuples(st.sampled_from(LINKY), st.integers(2, 60)).map(lambda run: run[0] * run[1]),
)
PARAGRAPHS = st.lists(_inline_piece, max_size=30).map("".join)
_PAIR: list[_Renderer] = []


@settings(max_examples=300, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(PARAGRAPHS)
def test_paragraphs_of_many_links_render_exactly_as_python_markdown_renders_them(body: str) -> None:
    if not _PAIR:  # reused across examples, as in a build
        _PAIR.extend([_Renderer(), _Renderer(), _Renderer(tuned=False)])
        _PAIR[1].fast = None  # Python-Markdown with the speed-ups and the linear inline pass
    tuned, inline, plain = _PAIR
    expected = plain.render(body, 1)
    assert tuned.render(body, 1) == expected
    assert inline.render(body, 1) == expected


@settings(max_examples=8, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(BODIES, BODIES)
def test_a_site_of_fuzzed_bodies_builds_or_reports_errors_without_a_traceback(page: str, note: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        site = make_site(Path(folder), {
            **BASIC_SITE,
            "content/pages/fuzz.md": "---\ntitle: Fuzz page\n---\n" + page,
            "content/notes/fuzz.md": "---\ntitle: Fuzz note\ndate: 2024-12-09\nabout: [russia]\n---\n" + note,
        })
        result = build(site)  # an exception escaping the CLI fails the test with its traceback
        assert result.code in (0, 1), result.text
        assert "Traceback" not in result.text
        if result.code == 0:
            assert (site / "site" / "fuzz" / "index.html").is_file()
