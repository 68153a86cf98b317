"""The offline search index (format 3, see docs/data-formats.md), kept up to date between builds."""

from __future__ import annotations

import bisect
import functools
import json
import sys

from generator.graph.site import SiteGraph
from generator.graph.taxonomy import Term
from generator.graph.urls import TAXONOMIES, doc_path
from generator.memo import memoized
from generator.model.document import Document
from generator.render.searchwords import (
    aliases_of,
    body_words,
    index_words,
    interned,
    term_row,
    term_row_source,
)
from generator.render.views import Urls

SEARCH_SUMMARY = 140
#: Rows per kept chunk of the index's bytes.
ROW_CHUNK = 256
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class SearchIndex:
    """A compact inverted index of the listed documents and of the terms.

    ``g``: tag names; ``d``: ``[title, url, type, date, summary, marking, confidence, tag
    numbers, aliases]`` rows, trailing empty fields left out (summaries cut at a word near 140
    characters; term rows have type ``tag``, ``actor`` or ``location`` and their aliases);
    ``t``: words of titles, summaries, terms and their aliases; ``b``: each document's most
    frequent distinctive body words (at most 48) and its first joined forms (``Su-24`` ->
    ``su24``). Words are folded and joined as in ``render/searchwords.py``. Each word maps to its ascending row numbers
    written as gaps in base64 VLQ, which keeps the index small on large sites.

    A running builder keeps one instance: after a one-document edit only that document's row
    and the postings of the words it gained or lost are redone.
    """

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.entries: list[tuple] = []  # per row: (key, row JSON, title/term words, body words)
        self.rows: list[str] = []  # per row: its row JSON (joined as it is)
        self.numbers: dict[str, int] = {}  # document path -> row number
        self.postings: tuple[dict[str, list[int]], dict[str, list[int]]] = ({}, {})
        self.encoded: tuple[dict[str, str], dict[str, str]] = ({}, {})
        # The index's bytes in parts kept between builds: rows in chunks of ROW_CHUNK, the
        # words of each field by their first two letters (sorting by that prefix and then
        # within it is sorting the whole list). A part is made again when something in it
        # changed (``None``, or its prefix among the dirty ones).
        self._row_parts: list[bytes | None] = []
        self._word_parts: tuple[dict[str, bytes], dict[str, bytes]] = ({}, {})
        self._by_prefix: tuple[dict[str, set[str]], dict[str, set[str]]] = ({}, {})
        self._dirty: tuple[set[str], set[str]] = (set(), set())

    def render(self, graph: SiteGraph, urls: Urls, docs: list[Document]) -> bytes:
        """The index as bytes: a row per document, then a row per term (tag, actor, location).
        Each row is made again unless what it is made from is the same as last time (see
        ``_entry``); when the rows are the same, only the rows that changed have their words'
        postings redone."""
        old = dict(zip(self.paths, self.entries, strict=True))
        tags = sorted(graph.taxonomies.terms["tags"].values(), key=lambda t: t.slug)
        tag_numbers = {t.id: n for n, t in enumerate(tags)}
        entries = [_entry(graph, urls, doc, old.get(doc.path), tag_numbers) for doc in docs]
        paths = [d.path for d in docs]
        for kind in TAXONOMIES:
            for term in sorted(graph.taxonomies.terms[kind].values(), key=lambda t: t.slug):
                key = "\0" + term.id
                entries.append(_term_entry(graph, urls, term, old.get(key)))
                paths.append(key)
        if paths == self.paths:
            for number, entry in enumerate(entries):
                if entry is not self.entries[number]:
                    self._update(number, entry)
        else:
            self._rebuild(entries, paths)
        return b"".join((b'{"v":3,"g":', _dumps([t.name for t in tags]).encode("utf-8"), b',"d":[',
                         b",".join(self._rows_bytes()), b'],"t":{', self._words_bytes(0),
                         b'},"b":{', self._words_bytes(1), b"}}\n"))

    def _rows_bytes(self) -> list[bytes]:
        """The rows' JSON in chunks, each made again only when one of its rows changed."""
        parts, rows = self._row_parts, self.rows
        for chunk, part in enumerate(parts):
            if part is None:
                parts[chunk] = ",".join(rows[chunk * ROW_CHUNK:(chunk + 1) * ROW_CHUNK]).encode("utf-8")
        return parts  # type: ignore[return-value]

    def _words_bytes(self, field: int) -> bytes:
        """One field's ``"word":"postings"`` pairs in sorted order, made again by prefix."""
        parts, by_prefix, encoded, dirty = (self._word_parts[field], self._by_prefix[field],
                                            self.encoded[field], self._dirty[field])
        for prefix in dirty:
            words = by_prefix.get(prefix)
            if words:
                parts[prefix] = ",".join(_pair(w, encoded[w]) for w in sorted(words)).encode("utf-8")
            else:
                parts.pop(prefix, None)
                by_prefix.pop(prefix, None)
        dirty.clear()
        return b",".join(parts[prefix] for prefix in sorted(parts))


    def _rebuild(self, entries: list[tuple], paths: list[str]) -> None:
        self.paths = paths
        self.entries = entries
        self.rows = [entry[1] for entry in self.entries]
        self.numbers = {path: number for number, path in enumerate(paths)}
        for field, postings, encoded in ((2, self.postings[0], self.encoded[0]), (3, self.postings[1], self.encoded[1])):
            fresh: dict[str, list[int]] = {}
            for number, entry in enumerate(self.entries):
                for word in entry[field]:
                    fresh.setdefault(word, []).append(number)
            kept = {w: encoded[w] for w, rows in fresh.items() if postings.get(w) == rows and w in encoded}
            postings.clear()
            postings.update(fresh)
            encoded.clear()
            encoded.update({w: kept.get(w) or encode_postings(rows) for w, rows in fresh.items()})
        self._row_parts = [None] * -(-len(self.rows) // ROW_CHUNK)
        for field in (0, 1):
            by_prefix = self._by_prefix[field]
            by_prefix.clear()
            for word in self.encoded[field]:
                by_prefix.setdefault(word[:2], set()).add(word)
            self._word_parts[field].clear()
            self._dirty[field].clear()
            self._dirty[field].update(by_prefix)

    def _update(self, number: int, entry: tuple) -> None:
        old = self.entries[number]
        if entry is old:
            return
        self.entries[number] = entry
        if entry[1] != self.rows[number]:
            self.rows[number] = entry[1]
            self._row_parts[number // ROW_CHUNK] = None
        for field, postings, encoded in ((2, self.postings[0], self.encoded[0]), (3, self.postings[1], self.encoded[1])):
            before, after = set(old[field]), set(entry[field])
            by_prefix, dirty = self._by_prefix[field - 2], self._dirty[field - 2]
            for word in before - after:
                rows = postings[word]
                rows.remove(number)
                dirty.add(word[:2])
                if rows:
                    encoded[word] = encode_postings(rows)
                else:
                    del postings[word], encoded[word]
                    by_prefix[word[:2]].discard(word)
            for word in after - before:
                rows = postings.setdefault(word, [])
                bisect.insort(rows, number)
                encoded[word] = encode_postings(rows)
                by_prefix.setdefault(word[:2], set()).add(word)
                dirty.add(word[:2])


@functools.lru_cache(maxsize=65536)
def _key_json(word: str) -> str:
    return _dumps(word)


def _pair(word: str, encoded: str) -> str:
    """``"word":"postings"`` as JSON (postings are base64 letters: nothing to escape)."""
    return _key_json(word) + ':"' + encoded + '"'


def _entry(graph: SiteGraph, urls: Urls, doc: Document, previous: tuple | None,
           tag_numbers: dict[str, int]) -> tuple:
    """A document's row: (what it was made from, row JSON, title/term words, body words).

    Documents and rendered bodies never change once made, so the same objects with the same
    summary, the same names and aliases of its terms, tag numbers, marking and base path make
    the same row (``previous`` is kept then). Aliases are read from the terms every build, so
    an alias edited on a term page reaches every row that names the term."""
    summary = graph.summaries.get(doc.path, "")
    terms_of = graph.taxonomies.of_doc.get(doc.path, {})
    body = graph.bodies.get(doc.path)
    marking = graph.config.marking_of(doc.marking)
    names = tuple((t.name, *aliases_of(t)) for found in terms_of.values() for t in found)
    tags = [tag_numbers[t.id] for t in terms_of.get("tags", ()) if t.id in tag_numbers]
    base = (urls.base_path, marking, names, tags)
    if previous is not None:
        was = previous[0]
        if was[0] is doc and was[1] is body and was[2] == summary and was[3] == base:
            return previous
    when = doc.when.short if doc.when else ""
    # Kept across processes (generator/memo.py) by exactly what the row is made from.
    made = memoized("search", _doc_row, doc.title, urls.url(doc_path(doc)), doc.type.value, when, summary, marking,
                    doc.confidence or "", tuple(tags),
                    (*doc.tags, *doc.actors, *(loc.name for loc in doc.locations)), names,
                    body.words if body else None, body.joined if body else None)
    # One string per word across rows (the memo's results come unpickled, each its own copy).
    return ((doc, body, summary, base), made[0], tuple(map(sys.intern, made[1])), tuple(map(sys.intern, made[2])))


def _doc_row(title: str, url: str, kind: str, when: str, summary: str, marking: str, confidence: str,
             tags: tuple[int, ...], written: tuple[str, ...], names: tuple[tuple[str, ...], ...],
             top: tuple[str, ...] | None, joined: tuple[str, ...] | None) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """A document's row JSON, title/term words and body words, from what it shows and the
    terms as written (``written``), with its terms' names and aliases (``names``)."""
    row = [title, url, kind, when, _clip(summary, SEARCH_SUMMARY), marking, confidence, list(tags)]
    while row and row[-1] in ("", []):
        row.pop()
    # Terms as written, as their term page names them and by its aliases (a location written
    # "Khmeimim" is found by "Hmeimim Air Base", and one written "Hmeimim Air Base" by "Khmeimim").
    terms = " ".join((*written, *(n for group in names for n in group), confidence))
    key_words = index_words(f"{title} {terms}", summary)
    found = body_words(top, joined) if top is not None and joined is not None else set()
    return _dumps(row), interned(key_words), interned(found - key_words)


def _term_entry(graph: SiteGraph, urls: Urls, term: Term, previous: tuple | None) -> tuple:
    """A term's row, kept while what it is made from is equal."""
    page = term.page
    source = term_row_source(term, graph.config.marking_of, page.summary if page else "", urls.url(term.path))
    if previous is not None and previous[0] == source:
        return previous
    row, words = term_row(source, lambda text: _clip(text, SEARCH_SUMMARY))
    while row and row[-1] in ("", []):
        row.pop()
    return (source, _dumps(row), interned(words), ())


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def _vlq(value: int) -> str:
    """One number in base64 VLQ: five bits a letter, lowest first, 32 set on all but the last."""
    out: list[str] = []
    while True:
        digit = value & 31
        value >>= 5
        if not value:
            out.append(_B64[digit])
            return "".join(out)
        out.append(_B64[digit | 32])


#: The encodings of the gaps most postings are made of.
_VLQ = [_vlq(value) for value in range(4096)]


def encode_postings(numbers: list[int]) -> str:
    """Ascending row numbers as gaps (first from -1, minus one) in base64 VLQ: ``[0, 1, 3]`` -> ``"AAB"``."""
    table, size = _VLQ, len(_VLQ)
    out: list[str] = []
    previous = -1
    for number in numbers:
        gap = number - previous - 1
        previous = number
        out.append(table[gap] if gap < size else _vlq(gap))
    return "".join(out)
