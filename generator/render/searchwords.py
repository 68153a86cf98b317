"""The words the search index files a row under: folded words, joined forms, term rows.

Words are those of ``markup.markdown.word_set`` (case-folded, two or more letters, no stop
words) with accents taken off (``Ḥmeimim`` -> ``hmeimim``), plus the punctuation-free joined
form of tokens written with inner hyphens, dots, slashes or apostrophes (``S-400`` -> ``s400``,
``U.S.`` -> ``us``). ``static/search.js`` folds and joins a query the same way.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from operator import attrgetter

from generator.graph.taxonomy import Term
from generator.markup.joined import JOINED, SEPARATORS, fold, iter_joined
from generator.markup.markdown import word_set, words_of
from generator.model.marking import highest

TERM_TYPES = {"tags": "tag", "actors": "actor", "locations": "location"}


def _joined(text: str, body: bool = False) -> list[str]:
    """The joined forms of a text's joined tokens, folded (see ``markup.joined.iter_joined``)."""
    return list(iter_joined(text, body))


def query_words(text: str) -> list[str]:
    """A query's words as ``static/search.js`` splits it: joined tokens joined, then the words
    of ``words_of`` folded, without repeats (``"S-400 Ḥmeimim"`` -> ``["s400", "hmeimim"]``)."""
    joined = JOINED.sub(lambda m: SEPARATORS.sub("", m.group()), text)
    return list(dict.fromkeys(fold(w) for w in words_of(joined)))


def index_words(names: str, prose: str = "") -> set[str]:
    """The words titles and term names (``names``) and a summary (``prose``) are found by:
    folded, with the joined forms of every joined token of the names and of the summary's
    tokens with a short or numeric part."""
    words = {fold(w) for w in word_set(f"{names} {prose}")}
    words.update(_joined(names))
    words.update(_joined(prose, body=True))
    return words


def body_words(top: Iterable[str], joined: Iterable[str]) -> set[str]:
    """A body's indexed words: its most frequent words folded, and its first joined forms
    (``RenderedBody.joined``, found when the body was rendered)."""
    words = {fold(w) for w in top}
    words.update(joined)
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
    # Each distinct marking once (a term may hold thousands of documents, of a few markings).
    marking = highest([*(marking_of(m) for m in set(map(attrgetter("marking"), term.docs))),
                       marking_of(page.marking) if page is not None else None]) or ""
    return (term.kind, term.name, aliases_of(term), tuple(sorted(term.names)), summary, url, marking)


def term_row(source: tuple, clip) -> tuple[list, set[str]]:
    """A term's row (``[name, url, type, "", summary, marking, "", [], aliases]``) and its words."""
    kind, name, aliases, names, summary, url, marking = source
    row = [name, url, TERM_TYPES[kind], "", clip(summary), marking, "", [], list(aliases)]
    words = index_words(" ".join((name, *aliases, *names)), summary)
    return row, words
