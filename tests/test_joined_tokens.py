"""Joined tokens (``S-400``, ``U.S.``) are found from their joints, exactly where the token
expression finds them scanning every word."""

from __future__ import annotations

import random
import re
import sys

from generator.markup.joined import JOINED, joined_in, joined_tokens


def test_a_letter_or_digit_to_the_token_expression_is_what_isalnum_says_for_every_character() -> None:
    # joined_tokens walks back over a token's first run with str.isalnum.
    word = re.compile(r"[^\W_]")
    assert [c for c in range(sys.maxunicode + 1) if (word.fullmatch(chr(c)) is not None) != chr(c).isalnum()] == []


def test_tokens_found_from_their_joints_are_those_the_expression_finds() -> None:
    pieces = [*"ab1Z9_ -./'\u2019\u2010\u2011é²٣Ḥ\u0301,;:!\n", "  ", "S-400", "U.S.", "al-Assad", "Su-24M"]
    rng = random.Random(7)
    for _ in range(30000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        assert [m.span() for m in joined_tokens(text)] == [m.span() for m in JOINED.finditer(text)], text


def test_a_bodys_joined_forms_come_in_the_order_written() -> None:
    text = "The S-400 and the Su-24 near Ḥmeimim, the U.S. view; well-known prose_word a_b-c 30.51"
    assert joined_in(text) == ("s400", "su24", "us", "bc", "3051")


def test_tokens_of_a_long_text_with_few_separators_are_those_the_expression_finds() -> None:
    # A text of markup (tags taken out) has few separators: they are found with str.find.
    pieces = [*"ab1Z9_ ,;:!\n", "  ", "   ", "word", "1", "S-400", "U.S.", "a.", "-", "x'y", "/"]
    weights = [40] * 15 + [1] * 7
    rng = random.Random(11)
    for _ in range(300):
        text = "".join(rng.choices(pieces, weights, k=rng.randint(100, 3000)))
        assert [m.span() for m in joined_tokens(text)] == [m.span() for m in JOINED.finditer(text)], text
