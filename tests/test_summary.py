"""A summary read from the first part of a long first paragraph is the whole paragraph's."""

from __future__ import annotations

import html
import random
import re

from generator.markup import summary
from generator.markup.markdown import _TAGS, PLACEHOLDER, render_markdown
from generator.markup.summary import SUMMARY_LENGTH, summarise

PIECES = ["word ", "longer-word ", "S-400 ", "<b>", "</b>", "<em>", "</em>", '<a href="x">', "</a>",
          "&amp;", "&#8617;", "&#160;", "&am", "p;", "&#12", "3;", "&lt;", " ", "\n", "\t", "\r", ",", ";",
          "\ue0000\ue001", "\ue0001\ue001", "\ue0009\ue001", "<", ">", "<>", "é", "&#x2014;", "&ampx",
          '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>',
          '<sup id="fnref2:12"><a class="footnote-ref" href="#fn:12">12</a></sup>']


def whole(fragment: str, labels: list[str] | None) -> str:
    """The summary as made from the whole paragraph (the definition)."""
    if labels is not None:
        fragment = PLACEHOLDER.sub(lambda m: html.escape(labels[int(m.group(1))])
                                   if int(m.group(1)) < len(labels) else "", fragment)
    fragment = re.sub(r'<sup id="fnref[^"]*"><a class="footnote-ref" [^>]*>\d+</a></sup>', "", fragment)
    text = " ".join(html.unescape(_TAGS.sub("", fragment)).split())
    if len(text) <= SUMMARY_LENGTH:
        return text
    return text[:SUMMARY_LENGTH].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def test_a_summary_read_from_a_first_part_equals_the_whole_paragraphs_on_random_markup(monkeypatch) -> None:
    monkeypatch.setattr(summary, "_FIRST_READ", 64)  # many parts tried, on short paragraphs
    rng = random.Random(280)
    for _ in range(3000):
        sparse = rng.random() < 0.5  # mostly markup, little text: the parts must grow
        weights = [1 if p.strip() and "<" not in p and "&" not in p else (6 if sparse else 1) for p in PIECES]
        fragment = "".join(rng.choices(PIECES, weights, k=rng.randint(0, 600)))
        labels = rng.choice([None, [], ["A & B"], ["one", "<two>", "three & four"]])
        assert summarise(fragment, labels) == whole(fragment, labels), (fragment, labels)


def test_the_summary_of_a_paragraph_of_a_hundred_thousand_cross_links() -> None:
    first = render_markdown("Lead words. " + "[[somewhere]] " * 100_000).first_paragraph
    labels = ["Some & where"] * 100_000
    assert summarise(first, labels) == whole(first, labels)
    assert summarise(first, labels).startswith("Lead words. Some & where Some & where")


def test_the_summary_of_a_paragraph_of_a_hundred_thousand_footnote_references() -> None:
    body = "A lead sentence. " + "[^1] " * 100_000 + "\n\n[^1]: The note.\n"
    first = render_markdown(body).first_paragraph
    assert len(first) > 5_000_000
    assert summarise(first) == whole(first, None)
    assert summarise(first) == "A lead sentence."  # the references are numbers, not words


def test_a_part_never_ends_inside_an_entity_or_a_tag_that_the_whole_closes_later(monkeypatch) -> None:
    """The cases a part could get wrong, at the cut itself: an entity whose name goes on after
    a tag (``&l<b>t;``: ``<`` in the whole, ``&l`` in the part), and a ``<`` closed only by the
    ``>`` of a later tag, or after a space (``<i abcdefgh<b>``, ``<i abcd efgh>``: a tag in the
    whole, text in the part)."""
    for lead, tail, first_read in (("x" * 279, "&l<b>t;</b>", 279), ("x" * 275, "<i abcdefgh<b>bold</b>", 278),
                                   ("x" * 275, "<i abcd efgh>bold", 278)):
        fragment = lead + tail + " and more words" * 30
        monkeypatch.setattr(summary, "_FIRST_READ", first_read)
        assert summarise(fragment) == whole(fragment, None), tail


def test_a_footnotes_number_is_no_part_of_a_summary_and_a_body_opening_with_an_image_is_summarised_by_its_text(
        tmp_path) -> None:
    from conftest import build_ok, make_site, page

    site = make_site(tmp_path, {
        "content/articles/noted.md": "---\ntitle: Noted\ndate: 2024-12-05\n---\nClaim.[^1] More & less.\n\n[^1]: A note.\n",
        "content/articles/pictured.md": "---\ntitle: Pictured\ndate: 2024-12-05\n---\n![A chart](chart.png)\n\nThe text.\n",
        "content/articles/chart.png": b"\x89PNG\r\n\x1a\n",
    })
    out = build_ok(site)
    for slug, expected in (("noted", "Claim. More & less."), ("pictured", "The text.")):
        meta = page(out, f"articles/{slug}/").one("meta", name="description")
        assert meta.get("content") == expected
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert "Claim.1" not in feed and "Claim. More &amp; less." in feed
