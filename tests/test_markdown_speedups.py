"""The Markdown speed-ups change nothing: tuned and plain Python-Markdown give the same HTML."""

from __future__ import annotations

import pickle
import random
import re
from collections import Counter
from pathlib import Path

import pytest

from generator.markup.markdown import STOPWORDS, _Renderer, render_markdown, top_words, words_of

CASES = [
    "Plain text without any inline markup at all.\n\n## A heading\n\nMore text.\n",
    "# Title {#custom-id}\n\n[TOC]\n\nText with \\[TOC\\] escaped and a line break  \nnext line.\n",
    "Tabs\tinside\t\nand a trailing tab before a newline \t\nx\n",
    "Entities &amp; &#91;x&#93; &copy; &#x41; and a & b; plus <span>inline *html*</span>.\n",
    "Auto <https://example.org/x> and mail <a@b.org> and <not a tag> and <!-- comment -->.\n",
    "`code [[not-a-link]]` and [[real-link|Label]] and [[slug#anchor]] and [[x\\|y]].\n",
    "![img](pic.png) ![ref][r] [ref][r] [short] [^1] and ![short].\n\n[r]: http://example.org \"T\"\n"
    "[short]: /short\n\n[^1]: A note with *em*, __strong__ and [[another#anchor]].\n",
    "## Heading with [[slug]] and *emphasis*\n\n{: .cls }\n\n| a | b |\n|---|---|\n| [[x\\|y]] | *z* |\n",
    "snake_case_name and *a*b* and **c** ***d*** and _e_ __f__ * g * and 2*3*4\n\n"
    "* item {: #id }\n* item two\n",
    "```python\nprint('[[x]]', 1 * 2)\n```\n\n    indented *code*\n\nAfter the code.\n",
    "```{.python hl_lines=\"1\" linenums=\"1\"}\nx = 1\ny = 2\n```\n\n~~~yaml\na: [1, 2]\n~~~\n\n"
    "```nosuchlanguage\nplain < text & more\n```\n\n```python hl_lines=\"2\"\na = 1\nb = 2\n```\n\n"
    "```{.json .extra #anchor}\n{\"k\": [true, null]}\n```\n\n```\nno language\n```\n",
    "<div markdown=\"1\">\n*x*\n</div>\n\nThe word TOC alone.\n\n# h\n\n# h\n",
    "Setext heading\n==============\n\n> quoted [link](http://a.b) and `tick` \\*not em\\*\n",
    "",
]


def _corpus() -> list[str]:
    root = Path(__file__).resolve().parent.parent
    texts = [path.read_text(encoding="utf-8") for folder in ("content", "docs")
             for path in sorted((root / folder).rglob("*.md"))]
    return CASES + texts


@pytest.mark.parametrize("index", range(len(_corpus())))
def test_tuned_renderer_matches_plain_markdown(index: int) -> None:
    text = _corpus()[index]
    tuned, plain = _Renderer(), _Renderer(tuned=False)
    assert tuned.render(text, 1) == plain.render(text, 1)


def test_one_renderer_reused_across_documents_matches_fresh_ones() -> None:
    tuned = _Renderer()
    for text in CASES + list(reversed(CASES)):
        assert tuned.render(text, 3) == _Renderer(tuned=False).render(text, 3)


def test_rendered_body_keeps_its_values_through_pickle() -> None:
    body = render_markdown("# Ünïcode Héading\n\nFirst [[x|label]] para.\n\nword word other\n", 5)
    assert "<h1 id=" in body.html and "\ue000" in body.html
    copy = pickle.loads(pickle.dumps(body, protocol=pickle.HIGHEST_PROTOCOL))
    assert copy == body and hash(copy) == hash(body)
    assert (copy.html, copy.links, copy.heading_ids, copy.first_paragraph, copy.words) == (
        body.html, body.links, body.heading_ids, body.first_paragraph, body.words)
    with pytest.raises(AttributeError):
        body.words = ()  # type: ignore[misc]


def test_top_words_rank_by_count_then_first_seen() -> None:
    text = "Delta alpha the beta alpha gamma beta delta epsilon and delta"
    assert top_words(text) == ("delta", "alpha", "beta", "gamma", "epsilon")
    assert top_words(text, 2) == ("delta", "alpha")


def _reference_top_words(text: str, limit: int = 48) -> tuple[str, ...]:
    """The definition: matches of ``[^\\W_]{2,}`` in the case-folded text, stop words out,
    ranked by count with ties in first-seen order."""
    counts = Counter(re.findall(r"[^\W_]{2,}", text.casefold()))
    for stop in STOPWORDS & set(counts):
        del counts[stop]
    return tuple(w for w, _ in sorted(counts.items(), key=lambda item: item[1], reverse=True)[:limit])


@pytest.mark.parametrize("alphabet", [
    "ab_c D1é—–’‘“”…xyzÉ9 .,;:!?'\"-\n\tß\u00a0ǅ²\u0301😀İﬁ٣ the ",
    "ab c d the and x_y—1 2 .,\n",
])
def test_search_words_are_the_word_expression_matches(alphabet: str) -> None:
    rnd = random.Random(alphabet)
    for _ in range(5000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 60)))
        assert top_words(text) == _reference_top_words(text), text
        assert words_of(text) == [w for w in re.findall(r"[^\W_]{2,}", text.casefold()) if w not in STOPWORDS]
