"""Heading ids on the Markdown fast path: each heading's slug made unique in document order,
as the table of contents step of Python-Markdown makes it (its ``unique``), written as an
attribute value. A run of headings with one name gets its ids in one go (a megabyte of equal
headings is 250,000 of them).

``unique`` gives a slug ``s`` taken by no id before it, then ``s_1``, ``s_2``, ... for the
same slug again, each the next suffix not taken (Python-Markdown 3.11 also notes, in
``counters``, the suffixes it found taken, to skip them next time). So a run of k headings
slugged ``s``, when ``s`` and ``s_1`` ... ``s_{k-1}`` are all free, no count is noted for
``s`` and ``s`` does not itself end in ``_<digits>`` (``unique`` would count on from those),
gets ``s``, ``s_1`` ... ``s_{k-1}`` and leaves ``counters[s] = k - 1``, as k calls would.
Any other run takes ``unique`` once per heading.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from itertools import groupby

from markdown.extensions.toc import IDCOUNT_RE, unique

from generator.markup.fastpath_text import _attr

#: Python-Markdown 3.11 keeps a cache of taken suffixes in ``unique``; older versions do not.
UNIQUE_COUNTERS = len(inspect.signature(unique).parameters) > 2
#: Where a heading's id goes in the page the fast path writes: ``\ue006<heading number>\ue007``.
ID_START, ID_END = "\ue006", "\ue007"
_MARKER = re.compile(f"{ID_START}([0-9]+){ID_END}")


#: Ids the default theme gives elements of a page that shows a body (``<main id="main">``, the
#: title, the sections around the body). A body heading slugged as one of them takes
#: ``<slug>-section`` instead, so that no id is on the page twice and its contents entry leads
#: to the heading (``tests/test_heading_ids.py`` checks this list against the theme).
THEME_IDS = frozenset({
    "main", "doc-title", "toc-heading", "kj-heading", "map-heading", "events-heading",
    "assessed-heading", "refs-heading", "docs-heading", "related-heading", "citations-heading",
    "term-timeline-heading", "articles-heading", "notes-heading", "recent-heading",
    "confidence-heading", "by-name", "by-count", "search-input", "search-help", "search-type",
    "search-tag", "search-confidence", "search-status", "search-results",
})


def clear_of_theme_ids(slug: str) -> str:
    """A heading's slug, or ``<slug>-section`` when the theme's page already has that id."""
    return f"{slug}-section" if slug in THEME_IDS else slug


def fill_heading_ids(page: str, texts: list[str], names: dict[int, str], slug_of: Callable[[str], str]) -> str:
    """``page`` with each heading's id marker replaced by its unique id, escaped as an attribute
    value. Heading n's text is ``texts[n]`` and its name (its HTML as its slug is made from)
    ``names[n]``; ``slug_of`` makes a slug from a name (and may decline the document). In one
    document a heading's slug follows from its text (equal headings' names differ only in their
    cross-links' numbers, not in what the links say), so it is made once a text."""
    pieces = _MARKER.split(page)  # text, heading number, text, heading number, ..., text
    by_text: dict[str, str] = {}

    def slug(number: int) -> str:
        text = texts[number]
        made = by_text.get(text)
        if made is None:
            made = by_text[text] = slug_of(names[number])
        return made
    slugs = list(map(slug, map(int, pieces[1::2])))
    written: list[str] = []  # each heading's id, escaped
    ids: set[str] = set()
    counters: dict[str, int] = {}
    for slug, run in groupby(slugs):
        count = sum(1 for _ in run)
        if count > 1 and _free_run(slug, count, ids, counters):
            taken = [f"{slug}_{n}" for n in range(1, count)]
            ids.add(slug)
            ids.update(taken)
            if UNIQUE_COUNTERS:
                counters[slug] = count - 1
            escaped = _attr(slug)  # "_<digits>" after it needs no escape and makes no entity
            written.append(escaped)
            written.extend(taken if escaped == slug else [f"{escaped}_{n}" for n in range(1, count)])
            continue
        for _ in range(count):
            written.append(_attr(unique(slug, ids, counters) if UNIQUE_COUNTERS else unique(slug, ids)))
    pieces[1::2] = written
    return "".join(pieces)


def _free_run(slug: str, count: int, ids: set[str], counters: dict[str, int]) -> bool:
    """Whether ``count`` headings slugged ``slug`` in a row get ``slug``, ``slug_1`` ... (see
    the module's notes)."""
    if not slug or slug in ids or counters.get(slug) or IDCOUNT_RE.match(slug):
        return False
    return not ids or not any(f"{slug}_{n}" in ids for n in range(1, count))
