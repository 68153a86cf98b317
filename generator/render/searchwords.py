"""The words the search index files a row under: folded words, joined forms, term rows.

Words are those of ``markup.markdown.word_set`` (case-folded, two or more letters, no stop
words) with accents taken off (``Ḥmeimim`` -> ``hmeimim``), plus the punctuation-free joined
form of tokens written with inner hyphens, dots, slashes or apostrophes (``S-400`` -> ``s400``,
``U.S.`` -> ``us``). ``static/search.js`` folds and joins a query the same way.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator

from generator.graph.taxonomy import Term
from generator.markup.markdown import STOPWORDS, word_set, words_of
from generator.model.marking import highest

#: A token of word characters joined by inner punctuation (``S-400``, ``Su-24``, ``U.S``).
#: It starts only where a word starts and never gives back letters (possessive ``++``): the
#: same matches as ``[^\W_]+(?:sep[^\W_]+)+``, without retrying from every letter of every
#: word (4.5x faster on a corpus's bodies, which every build after an edit scans).
_JOINED = re.compile(r"(?<![^\W_])[^\W_]++(?:[-\u2010\u2011./'\u2019][^\W_]++)+")
_SEPARATORS = re.compile(r"[-\u2010\u2011./'\u2019]")
_TAGS = re.compile(r"<[^>]+>")
#: At most this many joined forms of a body are indexed (its titles' and terms' all are).
BODY_JOINED = 16

TERM_TYPES = {"tags": "tag", "actors": "actor", "locations": "location"}


def fold(word: str) -> str:
    """A word without accents (``Ḥmeimim`` -> ``Hmeimim``); ASCII words come back as they are."""
    if word.isascii():
        return word
    return "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))


def _joined(text: str, body: bool = False) -> list[str]:
    """The joined forms of a text's joined tokens, folded. In a body, only tokens with a short
    or numeric part (``Su-24``, ``U.S.``, ``al-Assad``), not everyday hyphenated prose words."""
    return list(_iter_joined(text, body))


def _iter_joined(text: str, body: bool = False) -> Iterator[str]:
    """:func:`_joined` one form at a time (a caller wanting the first few stops early)."""
    for match in _JOINED.finditer(text):
        parts = _SEPARATORS.split(match.group())
        if body and not any(len(p) <= 2 or any(c.isdigit() for c in p) for p in parts):
            continue
        word = fold("".join(parts).casefold())
        if len(word) > 1 and word not in STOPWORDS:
            yield word


def query_words(text: str) -> list[str]:
    """A query's words as ``static/search.js`` splits it: joined tokens joined, then the words
    of ``words_of`` folded, without repeats (``"S-400 Ḥmeimim"`` -> ``["s400", "hmeimim"]``)."""
    joined = _JOINED.sub(lambda m: _SEPARATORS.sub("", m.group()), text)
    return list(dict.fromkeys(fold(w) for w in words_of(joined)))


def index_words(names: str, prose: str = "") -> set[str]:
    """The words titles and term names (``names``) and a summary (``prose``) are found by:
    folded, with the joined forms of every joined token of the names and of the summary's
    tokens with a short or numeric part."""
    words = {fold(w) for w in word_set(f"{names} {prose}")}
    words.update(_joined(names))
    words.update(_joined(prose, body=True))
    return words


def body_words(top: Iterable[str], html: str) -> set[str]:
    """A body's indexed words: its most frequent words folded, and its first joined forms."""
    words = {fold(w) for w in top}
    if html:
        seen: list[str] = []
        for word in _iter_joined(_TAGS.sub(" ", html), body=True):
            if word not in seen:
                seen.append(word)
                if len(seen) >= BODY_JOINED:
                    break
        words.update(seen)
    return words


def interned(words: set[str]) -> tuple[str, ...]:
    """Sorted words, one string each across rows."""
    return tuple(map(sys.intern, sorted(words)))


def aliases_of(term: Term) -> tuple[str, ...]:
    """A term's aliases (from its page: only pages this build shows reach the graph)."""
    return tuple(term.page.aliases) if term.page is not None else ()


def term_row_source(term: Term, marking_of, summary: str, url: str) -> tuple:
    """Everything a term's row is made from (equal sources make equal rows)."""
    page = term.page
    marking = highest([*(marking_of(d.marking) for d in term.docs),
                       marking_of(page.marking) if page is not None else None]) or ""
    return (term.kind, term.name, aliases_of(term), tuple(sorted(term.names)), summary, url, marking)


def term_row(source: tuple, clip) -> tuple[list, set[str]]:
    """A term's row (``[name, url, type, "", summary, marking, "", [], aliases]``) and its words."""
    kind, name, aliases, names, summary, url, marking = source
    row = [name, url, TERM_TYPES[kind], "", clip(summary), marking, "", [], list(aliases)]
    words = index_words(" ".join((name, *aliases, *names)), summary)
    return row, words
