"""Joined forms of tokens written with inner punctuation (``S-400`` -> ``s400``), folded.

A body's first joined forms are found once, when the body is rendered (:class:`RenderedBody`
keeps them, so they travel in the parse cache), rather than by scanning every body's HTML in
every build that remakes the search index. ``render/searchwords.py`` uses the same functions
for titles, term names and summaries, and ``static/search.js`` folds and joins a query alike.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterator

#: A token of word characters joined by inner punctuation (``S-400``, ``Su-24``, ``U.S``).
#: It starts only where a word starts and never gives back letters (possessive ``++``): the
#: same matches as ``[^\W_]+(?:sep[^\W_]+)+``, without retrying from every letter of every
#: word (4.5x faster on a corpus's bodies).
JOINED = re.compile(r"(?<![^\W_])[^\W_]++(?:[-\u2010\u2011./'\u2019][^\W_]++)+")
SEPARATORS = re.compile(r"[-\u2010\u2011./'\u2019]")
#: Where a joined token must be: a letter or digit, a separator, a letter or digit. Most of a
#: body has none, and this is found five times quicker than a token is matched at every word.
_JOINT = re.compile(r"[^\W_][-\u2010\u2011./'\u2019][^\W_]")
_TAGS = re.compile(r"<[^>]+>")
#: At most this many joined forms of a body are indexed (its titles' and terms' all are).
BODY_JOINED = 16


def fold(word: str) -> str:
    """A word without accents (``Ḥmeimim`` -> ``Hmeimim``); ASCII words come back as they are."""
    if word.isascii():
        return word
    return "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))


def iter_joined(text: str, body: bool = False) -> Iterator[str]:
    """The joined forms of a text's joined tokens, folded, one at a time. In a body, only
    tokens with a short or numeric part (``Su-24``, ``U.S.``, ``al-Assad``), not everyday
    hyphenated prose words."""
    from generator.markup.markdown import STOPWORDS  # markdown.py imports this module

    for match in joined_tokens(text):
        parts = SEPARATORS.split(match.group())
        if body and not any(len(p) <= 2 or any(c.isdigit() for c in p) for p in parts):
            continue
        word = fold("".join(parts).casefold())
        if len(word) > 1 and word not in STOPWORDS:
            yield word


def joined_tokens(text: str) -> Iterator[re.Match[str]]:
    """``JOINED.finditer(text)``, found from the joints: the leftmost joint from where the last
    token ended lies in the next token, which starts where the run of letters and digits
    (``str.isalnum``, as the expression has them) holding the joint starts (no token starts
    before it: its first joint would be further left)."""
    pos = 0
    find, match = _joint_finder(text), JOINED.match
    while (joint := find(pos)) >= 0:
        start = joint
        while start > pos and text[start - 1].isalnum():
            start -= 1
        found = match(text, start)
        if found is None:  # cannot happen (the joint is a token's); never loop on it
            pos = joint + 1
            continue
        yield found
        pos = found.end()


#: An ASCII text with fewer separators than one in this many characters (the text of a page
#: of markup: footnote references, links) has its joints found from its separators.
_SPARSE = 64


def _joint_finder(text: str) -> Callable[[int], int]:
    """Where ``_JOINT`` first matches in ``text`` from a position on (-1: nowhere). In an
    ASCII text the separators are ``-./'`` and a letter or digit is ``str.isalnum``; when
    they are few, they are found with ``str.find`` and their neighbours looked at, rather
    than the expression tried at every character."""
    if text.isascii() and sum(map(text.count, "-./'")) * _SPARSE < len(text):
        places: list[int] = []
        for separator in "-./'":
            at = text.find(separator, 1)
            while at >= 0:
                places.append(at)
                at = text.find(separator, at + 1)
        places.sort()
        end, count = len(text) - 1, len(places)

        def find(pos: int) -> int:
            index = bisect_left(places, pos + 1)
            while index < count:
                at = places[index]
                if at < end and text[at - 1].isalnum() and text[at + 1].isalnum():
                    return at - 1
                index += 1
            return -1
        return find

    def search(pos: int) -> int:
        joint = _JOINT.search(text, pos)
        return -1 if joint is None else joint.start()
    return search


def body_joined(html: str) -> tuple[str, ...]:
    """A body's first ``BODY_JOINED`` distinct joined forms, in the order they appear."""
    return joined_in(_TAGS.sub(" ", html)) if html else ()


def joined_in(text: str) -> tuple[str, ...]:
    """:func:`body_joined` of a body's HTML with its tags replaced by spaces."""
    seen: dict[str, None] = {}
    if text:
        for word in iter_joined(text, body=True):
            seen[word] = None
            if len(seen) >= BODY_JOINED:
                break
    return tuple(seen)
