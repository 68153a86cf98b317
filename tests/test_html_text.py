"""The text of a body's HTML, found as runs between tags, gives the words the tag-stripping
expression gives."""

from __future__ import annotations

import random
import re

from generator.markup.htmltext import TAGS, text_runs
from generator.markup.joined import JOINED
from generator.markup.markdown import render_markdown

WORDS = re.compile(r"[^\W_]+")
PIECES = ["<", ">", "<>", "a", "bc", "S", "-", "4", "0", " ", "\n", ".", "'", "\u2019", "é", "&amp;",
          "<p>", "</p>", '<a href="x">', "</a>", '<a title="x>y">', "Su-24", "x>y", "<br/>"]


def _same_words(html: str) -> None:
    stripped, runs = TAGS.sub(" ", html), text_runs(html)
    assert WORDS.findall(runs) == WORDS.findall(stripped), html
    assert JOINED.findall(runs) == JOINED.findall(stripped), html


def test_text_runs_give_the_words_and_joined_tokens_of_stripped_tags_on_random_markup() -> None:
    rng = random.Random(15)
    for _ in range(20000):
        _same_words("".join(rng.choice(PIECES) for _ in range(rng.randint(0, 30))))


def test_text_runs_keep_text_before_the_first_tag_and_after_an_unclosed_one() -> None:
    assert text_runs("no tags at all") == "no tags at all"
    assert WORDS.findall(text_runs("lead>in <p>body</p> tail <unclosed rest")) == [
        "lead", "in", "body", "tail", "unclosed", "rest"]
    assert WORDS.findall(text_runs("only < opens")) == ["only", "opens"]


def test_text_runs_give_the_words_of_rendered_bodies() -> None:
    bodies = [
        "A *Su-24* and the S-400 near U.S. bases.[^1]\n\n[^1]: A note, with `code` and [a link](x.html).",
        "# Heading\n\n- one\n- two **bold**\n\n> quoted <b>raw</b> text & more\n\n<div>raw > html</div>",
        "| a | b |\n|---|---|\n| S-300 | al-Assad |\n",
    ]
    for body in bodies:
        _same_words(render_markdown(body).html)
