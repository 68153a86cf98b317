"""The Markdown fast path gives Python-Markdown's HTML and links exactly, or declines."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_fuzz import random_document
from test_markdown_fastpath_notes import DECLINED as FOOTNOTES_DECLINED
from test_markdown_fastpath_notes import TAKEN as FOOTNOTES_TAKEN

from generator.markup.markdown import _Renderer, render_markdown

REPO = Path(__file__).resolve().parent.parent
CORPUS_SCRIPT = REPO / "bench" / "make_corpus.py"  # the project's own corpus generator


class _Pair:
    """The fast path and plain Python-Markdown, each reused across documents (as in a build)."""

    def __init__(self) -> None:
        self.fast, self.slow = _Renderer(), _Renderer(tuned=False)
        assert self.fast.fast is not None

    def fast_only(self, text: str) -> tuple[str | None, list]:
        """The fast path's HTML and links (None when it declines)."""
        self.fast.links.clear()
        self.fast.md.reset()
        html = self.fast.fast.render(text)
        return html, list(self.fast.links)

    def slow_only(self, text: str) -> tuple[str, list]:
        """Python-Markdown's HTML and links."""
        self.slow.links.clear()
        self.slow.md.reset()
        return self.slow.md.convert(text), list(self.slow.links)

    def both(self, text: str) -> tuple[str | None, list, str, list]:
        """The fast path's HTML and links (None when it declines) and Python-Markdown's."""
        return (*self.fast_only(text), *self.slow_only(text))

    def taken(self, texts: list[str]) -> int:
        """How many of ``texts`` the fast path renders; each exactly as Python-Markdown does,
        and a declined one leaving no links behind (Python-Markdown renders only the taken
        ones: a declined document is rendered by Python-Markdown itself in a build)."""
        count = 0
        for text in texts:
            html, links = self.fast_only(text)
            if html is None:
                assert links == [], text
                continue
            count += 1
            assert (html, links) == self.slow_only(text), text
        return count


def _both(text: str) -> tuple[str | None, list, str, list]:
    return _Pair().both(text)


def _bodies(paths: list[Path]) -> list[str]:
    out = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        out.append(text.split("\n---\n", 1)[1] if text.startswith("---\n") else text)
    return out


def test_fast_path_matches_python_markdown_on_the_example_site() -> None:
    assert _Pair().taken(_bodies(sorted((REPO / "content").rglob("*.md")))) >= 12  # all but footnotes


def test_fast_path_matches_python_markdown_on_a_generated_corpus(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(CORPUS_SCRIPT), "--docs", "300", "--out", str(tmp_path)],
                   check=True, capture_output=True)
    paths = sorted((tmp_path / "content").glob("*/*.md"))
    assert len([p for p in paths if p.parent.name in ("articles", "notes")]) == 300
    assert _Pair().taken(_bodies(paths)) == len(paths)  # the corpus (term pages too) is plain Markdown throughout


@pytest.mark.parametrize("seed", range(4))
def test_fast_path_matches_python_markdown_on_random_documents(seed: int) -> None:
    rng = random.Random(seed)
    assert _Pair().taken([random_document(rng) for _ in range(3000)]) >= 250


ACCEPTED = {
    "para": "One *two* **three** `four & 5 > 4` [six](http://x.org/?a=1&b=2) [[seven|Eight]] & > \"q\"\nsecond line",
    "headings": "# Title\n\n## Same\n\n## Same\n\nText\n### Right after text\nMore text",
    "lists": "- one\n- two\n  wrapped on\n\n1. first\n2. second\n\n- again",
    "quote": "> quoted *words*\n>\n> — Attribution, 1 May 2024",
    "table": "| A | B | C |\n| :--- | :---: | ---: |\n| 1 | [[x]] | |\n| *y* | `z` | w |",
    "fence": "Text.\n\n```python\nx = {'a': 1}\n```\n\n~~~\nplain < text\n~~~",
    "wrapped link": "See [[assad-government|Assad\ngovernment]] and [[Hmeimim Air\nBase]].",
    "snake": "A snake_case_name stays as it is.",
    "open brackets": "[a](b) [[a](b) [ and [[x]] ]] [c [[d|e]\nnext [line]",
    # Rendered by the direct inline renderer (generator/markup/inline_fast.py):
    "escape": "a \\*literal\\* star",
    "entity": "Caf&eacute; &amp; AT&T",
    "image": "![alt](pic.png) and ![b](c.png \"a title\")",
    "underscore emphasis": "some _emphasis_ and __strong__ here",
    "link with a title": '[a](b "the title")',
    "raw inline html": 'Text with <b>bold</b>, <span class="k">a span</span>, <http://e.org/a_b> and 2 < 3.',
    "raw html at a line start": "<b>bold</b> first.\n<i>and</i> on the next line\n\n<http://e.org> too",
    "line breaks": "one  \ntwo  \nthree  \n\nfour  \n\n> five  \n> six  ",
    "rules": "a\n\n---\n\n***\n\n___\n\n- - -\n\n* * *\n\n-----  \n\n> ---\n\n- a\n\n---\n\n- b",
    "rules in one block": "- --- ---\n* * *\n___\n\n---\n- - -",
    "escapes in headings": "# a \\*literal\\* star\n\n## a \\> b \\\\\n\n## a \\[b\\](c) \\_d\\_",
    "inline forms in headings": ('## ![alt](pic.png) _em_ __strong__ &amp; &copy; [a](b "t") <b>c</b> <http://e.org>\n\n'
                                 "## [[x|Label *y*]] `code \\*` *em* 2 < 3\n\n## ![alt](pic.png)"),
    # Footnotes (generator/markup/fastpath_notes.py):
    "footnote": "Text[^1].\n\n[^1]: The note.",
    "footnote in a heading": "## a [^1]\n\n[^1]: The note.",
}


ACCEPTED.update({f"footnotes: {name}": text for name, text in FOOTNOTES_TAKEN.items()})


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_fast_path_renders_common_constructs(name: str) -> None:
    html, links, expected, expected_links = _both(ACCEPTED[name])
    assert html is not None, "expected the fast path to render this"
    assert (html, links) == (expected, expected_links)


DECLINED = {
    "raw html block": "Text with <div>a block</div> tag.",
    "raw html comment": "Text <!-- hidden --> here.",
    "setext": "Title\n=====",
    "loose list": "- one\n\n- two",
    "line break in a list item": "- one  \n- two",
    "line break before an indented line": "one  \n  two",
    "heading ending in a backslash": "## a \\",
    "rule in a list item": "- a\n- ---",
    "rule in a paragraph": "a\n***\nb",
    "rule over an underline": "* * *\n---",
    "attribute list": "## Heading {#custom}",
    "reference link": "[x][ref]\n\n[ref]: http://example.org",
    "reference in a list": "- [ref]: http://example.org\n- item",
    "reference in a quote": "> [ref]: http://example.org",
    "reference with a wrapped name": "[a\nref]: http://example.org\n\nText.",
    "odd asterisks": "2 * 3 * 4",
    "nested emphasis": "*a **b** c*",
    "indented code": "Text\n\n    code",
    "fence in a paragraph": "Text\n```\ncode\n```",
    "unclosed fence": "```\ncode",
    "tab": "a\tb",
    "toc marker": "[TOC]\n\n## A",
    "list right after text": "Text:\n- a\n- b",
    "hash tag line": "#tag at the start",
    "character reference without its semicolon": "x &#65 y",
    "escaped pipe in a table": "| a | b |\n|---|---|\n| x \\| y | z |",
}


DECLINED.update({f"footnotes: {name}": text for name, text in FOOTNOTES_DECLINED.items()})


@pytest.mark.parametrize("name", sorted(DECLINED))
def test_fast_path_declines_what_it_cannot_render_exactly(name: str) -> None:
    html, links, _, _ = _both(DECLINED[name])
    assert html is None and links == []


def test_render_markdown_uses_either_path_with_the_same_result() -> None:
    for text in list(ACCEPTED.values()) + list(DECLINED.values()):
        assert render_markdown(text, 4) == _Renderer(tuned=False).render(text, 4)[0]


def test_wrapped_cross_link_is_a_link_with_its_label_on_one_line() -> None:
    body = render_markdown("Intro.\n\nSee the [[assad-government|Assad\ngovernment]] here.\n", 10)
    assert "[[" not in body.html
    (ref,) = body.links
    assert (ref.target, ref.label, ref.line) == ("assad-government", "Assad government", 12)
