"""Footnotes on the Markdown fast path: references and definitions render exactly as stock
Python-Markdown renders them (HTML, links, the whole ``RenderedBody``), in every position the
fast path takes, or the document is declined; and in time linear in their number."""

from __future__ import annotations

import random
import re

import pytest
from conftest import bench_module
from markdown_fuzz import INLINE, WORDS, random_document

from generator.markup.linear_footnotes import MAX_BACKLINKS
from generator.markup.markdown import _Renderer, render_body

DENSE = bench_module("markdown_dense")
_PAIR: list[_Renderer] = []


def _both(text: str, *, declined_too: bool = True) -> tuple[str | None, list, str | None, list]:
    """The fast path's HTML and links (None when it declines), and stock Python-Markdown's
    (``None`` and ``[]`` for a declined text unless ``declined_too``)."""
    if not _PAIR:
        _PAIR.extend([_Renderer(), _Renderer(tuned=False)])
    fast, slow = _PAIR
    assert fast.fast is not None
    fast.links.clear()
    fast.md.reset()
    html = fast.fast.render(text)
    links = list(fast.links)
    if html is None:
        assert links == [], text  # a declined document leaves no links behind
        if not declined_too:
            return html, links, None, []
    slow.links.clear()
    slow.md.reset()
    return html, links, slow.md.convert(text), list(slow.links)


#: Footnoted documents the fast path takes (checked with the other constructs it takes in
#: ``test_markdown_fastpath.py``, against stock Python-Markdown).
TAKEN = {
    "in a paragraph": "Text[^1] and more[^a].\n\n[^1]: One.\n[^a]: Two.",
    "one reference many times": "a[^1] b[^1] c[^1]\n\nd[^1]\n\n[^1]: The note.",
    "references in list items": "- one[^1]\n- two[^2]\n\n1. three[^1]\n2. four\n\n[^1]: A.\n[^2]: B.",
    "references in headings": "# Title[^1]\n\n## [^1]\n\n## a [^2] b\n\n## a b\n\ntext\n\n[^1]: A.\n[^2]: B.",
    "the same heading twice with references": "## Same[^1]\n\n## Same[^2]\n\n## Same\n\n[^1]: A.\n\n[^2]: B.",
    "references in a quote": "> quoted[^1]\n>\n> more[^1] text\n\n[^1]: A.",
    "references in a table": "| a | b |\n| --- | --- |\n| x[^1] | y |\n| [^2] | z[^1] |\n\n[^1]: A.\n[^2]: B.",
    "references in emphasis and links": ("*em[^1]* **strong [^2]** [link [^1]](http://x.org) "
                                         "_u_[^2] [[target|label]][^1]\n\n[^1]: A.\n[^2]: B."),
    "references next to each other": "a[^1][^2][^1] b [^2][^2]\n\n[^1]: A.\n[^2]: B.",
    "definitions before the references": "[^1]: First.\n[^2]: Second.\n\nText[^2] then[^1].",
    "definitions in separate blocks": "Text[^x][^y].\n\n[^x]: X.\n\nMiddle.\n\n[^y]: Y.",
    "definitions in the middle": "a[^1]\n\n[^1]: A.\n\n# Heading\n\nb[^1]\n\n- c[^1]",
    "a footnote defined twice": "a[^1]\n\n[^1]: First text.\n\n[^1]: Second text.",
    "a footnote never referred to": "a[^1]\n\n[^1]: A.\n[^2]: Never used.",
    "inline forms in a definition": ("a[^1]\n\n[^1]: *em* **s** `code` [l](u) [[x|Y]] &amp; \\* <b>t</b> "
                                     "<http://e.org> ![i](p.png) _u_"),
    "cross-links in text and definitions": "[[a]][^1] [[b]]\n\n- [[c]][^2]\n\n[^1]: See [[d]].\n[^2]: [[e]]",
    "ids of words": "a[^note][^n.2][^x-y][^a_b]\n\n[^note]: N.\n[^n.2]: M.\n[^x-y]: O.\n[^a_b]: P.",
    "a definition without a space": "a[^1]\n\n[^1]:Tight.",
    "a definition with trailing spaces": "a[^1]\n\n[^1]: Spaced.   ",
    "only definitions": "[^1]: Lonely.",
    "definitions with pipes": "a[^1][^2]\n\n[^1]: a | b\n[^2]: x | --- | z",
    "a fence and footnotes": "a[^1]\n\n```\n[^1] in code\n```\n\n[^1]: A `code` span.",
    "a code span holding a reference": "`[^1]` and [^1]\n\n[^1]: A.",
    "the same texts again": ("[[a|b]] x[^1] *y*\n\n" * 4 + "## h [^1] [[c]]\n\n" * 3 + "## h [^2]\n\n" * 3
                             + "- [[c]][^2]\n" * 3 + "\n[[a|b]] x[^1] *y*\n\n[^1]: A [[d]].\n[^2]: B."),
    "the same headings with cross-links again": ("## [[a|Alpha]] x\n\n## [[b]] y[^1]\n\n" * 3
                                                 + "text [[a|Alpha]]\n\n[^1]: n"),
    "many footnotes": "".join(f"w{i}[^{i}] " for i in range(30)) + "\n\n"
                      + "".join(f"[^{i}]: Note {i}.\n" for i in range(29, -1, -1)),
}


#: Footnoted documents it declines (checked there too).
DECLINED = {
    "a reference to no definition": "a[^1] b[^2]\n\n[^1]: A.",
    "a definition's lazy continuation": "a[^1]\n\n[^1]: A\ncontinued.",
    "a definition's indented continuation": "a[^1]\n\n[^1]: A.\n\n    More.",
    "a definition in a paragraph": "a[^1]\n[^1]: A.",
    "a definition in a quote": "a[^1]\n\n> [^1]: A.",
    "a definition in a list": "a[^1]\n\n- [^1]: A.",
    "a reference in a definition": "a[^1]\n\n[^1]: See [^2].\n[^2]: B.",
    "an id with a space": "a[^x y]\n\n[^x y]: A.",
    "an empty definition": "a[^1]\n\n[^1]:",
    "a definition of a heading": "a[^1]\n\n[^1]: # Heading",
    "a definition of a list": "a[^1]\n\n[^1]: - item",
    "a definition of a rule": "a[^1]\n\n[^1]: ---",
    "the footnotes marker": "a[^1]\n\n///Footnotes Go Here///\n\n[^1]: A.",
    "a list continued past a definition": "- a[^1]\n\n[^1]: A.\n\n- b",
    "a quote continued past a definition": "> a[^1]\n\n[^1]: A.\n\n> b",
    "an open reference": "a [^1 b\n\n[^1]: A.",
}


#: Words and inline forms that keep a block plain (no line breaks, pipes or tags).
SAFE = WORDS[:12] + [form for form in INLINE if not any(c in form for c in "\n|<")]


IDS = ["1", "2", "3", "a", "note", "x-y"]


def _sprinkled(rng: random.Random, text: str) -> str:
    """``text`` with footnote references put after some of its words."""
    words = text.split(" ")
    for _ in range(rng.randint(0, 4)):
        at = rng.randrange(len(words))
        if at == 0 or words[at] in ("|", ">", "-", "*", "+") and rng.random() < 0.9:
            continue  # mostly not where it would change the block (``-[^1]`` is no list item)
        words[at] += f"[^{rng.choice(IDS)}]"
    return " ".join(words)


def _definitions(rng: random.Random, ids: list[str]) -> str:
    lines = []
    for ident in ids:
        text = " ".join(rng.choice(INLINE + WORDS if roll < 0.04 else SAFE)
                        for roll in (rng.random() for _ in range(rng.randint(1, 5))))
        lines.append(f"[^{ident}]:{rng.choice([' ', ' ', ' ', '', '  '])}{text}")
    return "\n".join(lines)


def _plain_block(rng: random.Random) -> str:
    """A paragraph, heading, list, quote or table of plain words and inline forms."""
    def words() -> str:
        return " ".join(rng.choice(SAFE) for _ in range(rng.randint(1, 6)))
    kind = rng.choice(["p", "p", "h", "ul", "ol", "quote", "table"])
    if kind == "h":
        return "#" * rng.randint(1, 6) + " " + words()
    if kind in ("ul", "ol"):
        return "\n".join(("- " if kind == "ul" else f"{i + 1}. ") + words() for i in range(rng.randint(1, 4)))
    if kind == "quote":
        return "\n>\n".join("> " + words() for _ in range(rng.randint(1, 3)))
    if kind == "table":
        rows = [[words() for _ in range(2)] for _ in range(rng.randint(1, 3))]
        return "\n".join(["| a | b |", "| --- | :---: |"] + [f"| {x} | {y} |" for x, y in rows])
    return "\n".join(words() for _ in range(rng.randint(1, 3)))


def random_footnoted_document(rng: random.Random) -> str:
    """A random document with footnote references in its blocks and definitions around them
    (now and then one missing): of plain blocks, or of the fast path's fuzz blocks."""
    if rng.random() < 0.5:
        source = "\n\n".join(_plain_block(rng) for _ in range(rng.randint(1, 6)))
    else:
        source = random_document(rng)
    blocks = [_sprinkled(rng, block) for block in source.split("\n\n")]
    ids = rng.sample(IDS, len(IDS))
    if rng.random() < 0.1:
        ids.pop()
    while ids:
        at = rng.randint(1, len(ids))
        blocks.insert(rng.randint(0, len(blocks)), _definitions(rng, ids[:at]))
        ids = ids[at:]
    return "\n\n".join(blocks)


def _agrees_on(texts: list[str]) -> int:
    """Assert the fast path renders each text it takes as Python-Markdown does; how many it took."""
    taken = 0
    for text in texts:
        html, links, expected, expected_links = _both(text, declined_too=False)
        if html is not None:
            taken += 1
            assert (html, links) == (expected, expected_links), text
    return taken


@pytest.mark.parametrize("seed", range(3))
def test_fast_path_matches_python_markdown_on_random_documents_with_footnotes(seed: int) -> None:
    rng = random.Random(seed)
    assert _agrees_on([random_footnoted_document(rng) for _ in range(1500)]) >= 300


@pytest.mark.parametrize("layout", sorted(DENSE.LAYOUTS))
def test_dense_footnote_references_are_the_fast_paths_in_every_layout(layout: str) -> None:
    body = DENSE.body_of("footnote references", layout, 3000)
    html, links, expected, expected_links = _both(body)
    assert html is not None
    assert (html, links) == (expected, expected_links)


def _distinct(count: int) -> str:
    """``count`` footnotes, each referred to twice, in paragraphs, headings and list items."""
    refs = [f"w[^{i}] x[^{i}]" for i in range(count)]
    blocks = [f"## h {ref}" if i % 3 == 0 else f"- {ref}" if i % 3 == 1 else ref for i, ref in enumerate(refs)]
    return "\n\n".join(blocks) + "\n\n" + "\n".join(f"[^{i}]: Note *{i}*." for i in range(count))


def test_doubling_the_footnotes_of_a_body_about_doubles_its_render_time() -> None:
    renderer = _Renderer()
    assert renderer.fast is not None and renderer.fast.render(_distinct(50)) is not None
    body, doubled = _distinct(2000), _distinct(4000)
    seen = []
    for _ in range(3):  # a burst of load may fail one measurement, not three
        single = DENSE.best_cpu(lambda: render_body(body))
        double = DENSE.best_cpu(lambda: render_body(doubled))
        seen.append((round(single, 3), round(double, 3)))
        if double < 2.6 * single + 0.01:
            return
    pytest.fail(f"{seen}")


def _runs(rng: random.Random) -> str:
    """Blocks of runs of references to one footnote (given their ids in one go), among single
    references and runs mixing footnotes (given theirs one by one), the same block often
    repeated (equal paragraphs, items or headings in a row are rendered in one go), with
    plain, cross-linked and long texts and rules among them."""
    ids = ["1", "a", "x-y"]
    blocks = []
    for _ in range(rng.randint(1, 12)):
        run = [rng.choice(ids[:1] if rng.random() < 0.6 else ids) for _ in range(rng.randint(1, 9))]
        text = rng.choice([" ", "", " w "]).join(f"[^{ident}]" for ident in run)
        block = rng.choice([text, text, f"## h {text}", f"- {text}", f"t {text} u", "plain words",
                            f"see [[slug]] {text}", f"{text} " + "long " * 120, f"{text}\nnext line",
                            "## plain", f"## h [[slug]] {text}", f"### {text} x", f"- a\n- {text}", "---", "* * *"])
        blocks.extend([block] * rng.randint(1, 3))
    blocks.append("\n".join(f"[^{ident}]: Note {ident}." for ident in ids))
    return "\n\n".join(blocks)


def test_runs_of_references_to_one_footnote_render_as_python_markdown_renders_them() -> None:
    rng = random.Random(7)
    assert _agrees_on([_runs(rng) for _ in range(400)]) >= 100


def _stock_html(text: str) -> str:
    """Python-Markdown's own HTML, with the renderer's settings and no change of ours."""
    import markdown

    from generator.markup.markdown import _heading_slug

    md = markdown.Markdown(extensions=["footnotes", "toc"], output_format="html",
                           extension_configs={"footnotes": {"UNIQUE_IDS": False},
                                              "toc": {"slugify": _heading_slug, "permalink": False}})
    return md.convert(text)


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("count", [1, 2, MAX_BACKLINKS, MAX_BACKLINKS + 1, 3 * MAX_BACKLINKS])
def test_a_footnote_links_back_to_its_first_hundred_references_and_each_reference_keeps_its_id(
        count: int, fast: bool) -> None:
    text = "## Cited [^n]\n\nText " + "[^n] " * (count - 1) + "end.\n\n[^n]: The note.\n"
    renderer = _Renderer()
    if not fast:
        renderer.fast = None
    html = renderer.convert(text)
    if fast:  # the fast path took it
        renderer.md.reset()
        assert renderer.fast.render(text) == html
    references = re.findall(r'<sup id="(fnref\d*:n)"><a class="footnote-ref" href="#fn:n">1</a></sup>', html)
    backlinks = re.findall(r'<a class="footnote-backref" href="#(fnref\d*:n)"', html)
    assert references == ["fnref:n", *(f"fnref{i}:n" for i in range(2, count + 1))]
    assert backlinks == references[:MAX_BACKLINKS]
    # Python-Markdown's HTML but for the back-links past the hundredth
    stock = re.sub(r'<a class="footnote-backref" href="#fnref(\d+):n"[^>]*>&#8617;</a>',
                   lambda m: "" if int(m.group(1)) > MAX_BACKLINKS else m.group(0), _stock_html(text))
    assert html == stock
