"""The offline search index (format 3, see docs/data-formats.md), kept up to date between builds."""

from __future__ import annotations

import bisect
import functools
import json
import sys
from operator import attrgetter
from typing import Any

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
        # Each field's words with their row numbers as written (``encoded``), and, decoded from
        # those when an edit first needs them, as lists (``postings``: a cache that is not
        # saved, so a new process loads strings rather than hundreds of thousands of numbers).
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
        #: the last build's names of each term, tag numbers (both by id(term)) and base path
        self._shape: tuple[dict[int, tuple[str, ...]], dict[int, int], str] | None = None

    def __getstate__(self) -> dict[str, Any]:
        """What is saved: everything but the decoded postings, which ``encoded`` holds."""
        state = self.__dict__.copy()
        state["postings"] = ({}, {})
        return state

    def _rows_of(self, field: int, word: str) -> list[int] | None:
        """The row numbers of ``word`` in ``field`` (0: titles and terms, 1: bodies), decoded
        from its postings as written the first time they are asked for; ``None`` if none."""
        postings = self.postings[field]
        rows = postings.get(word)
        if rows is None:
            written = self.encoded[field].get(word)
            if written is not None:
                rows = postings[word] = decode_postings(written)
        return rows

    def render(self, graph: SiteGraph, urls: Urls, docs: list[Document]) -> bytes:
        """The index as bytes: a row per document, then a row per term (tag, actor, location).
        Each row is made again unless what it is made from is the same as last time (see
        ``_entry``); when the rows are the same, only the rows that changed have their words'
        postings redone."""
        old = dict(zip(self.paths, self.entries, strict=True))
        tags = sorted(graph.taxonomies.terms["tags"].values(), key=lambda t: t.slug)
        tag_numbers = {t.id: n for n, t in enumerate(tags)}
        tag_numbers.update({id(t): n for n, t in enumerate(tags)})  # by the object too: quicker
        # Each term's names once per build (a term is named by thousands of rows).
        names_of = {id(t): (t.name, *aliases_of(t)) for kind in TAXONOMIES for t in graph.taxonomies.terms[kind].values()}
        recheck = self._recheck(graph, urls, names_of, tags)
        summaries, bodies, of_doc = graph.summaries, graph.bodies, graph.taxonomies.of_doc
        entries = []
        for doc in docs:
            previous = old.get(doc.path)
            if recheck is not None and previous is not None and doc.path not in recheck:
                was = previous[0]
                # The same document, body and terms (a document's terms are replaced, never
                # changed, by a graph update) whose names and numbers did not change: the same row.
                if was[0] is doc and was[1] is bodies.get(doc.path) and was[5] is of_doc.get(doc.path) \
                        and was[2] == summaries.get(doc.path, ""):
                    entries.append(previous)
                    continue
            entries.append(_entry(graph, urls, doc, previous, tag_numbers, names_of))
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
        elif self.paths:
            self._renumber(entries, paths)
        else:
            self._rebuild(entries, paths)
        return b"".join((b'{"v":3,"g":', _dumps([t.name for t in tags]).encode("utf-8"), b',"d":[',
                         b",".join(self._rows_bytes()), b'],"t":{', self._words_bytes(0),
                         b'},"b":{', self._words_bytes(1), b"}}\n"))

    def _recheck(self, graph: SiteGraph, urls: Urls, names_of: dict[int, tuple[str, ...]],
                 tags: list[Term]) -> set[str] | None:
        """The paths of the documents that name a term whose names or tag number changed since
        the last build (``None``: every row is checked, as after other settings)."""
        numbers = {id(t): n for n, t in enumerate(tags)}
        last, self._shape = self._shape, (names_of, numbers, urls.base_path)
        if last is None or last[2] != urls.base_path:
            return None
        changed = {k for k, v in names_of.items() if last[0].get(k) != v}
        changed.update(k for k in last[0] if k not in names_of)
        changed.update(k for k, n in numbers.items() if last[1].get(k) != n)
        changed.update(k for k in last[1] if k not in numbers)
        recheck: set[str] = set()
        for kind in TAXONOMIES:
            for term in graph.taxonomies.terms[kind].values():
                if id(term) in changed:
                    recheck.update(map(attrgetter("path"), term.docs))
        return recheck

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
            kept = {w: encoded[w] for w, rows in fresh.items() if self._rows_of(field - 2, w) == rows}
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

    def _renumber(self, entries: list[tuple], paths: list[str]) -> None:
        """Rows added, removed or moved (a new term, a document gone): the postings of the
        words of every row whose number or words changed are made again from the rows that
        kept both; the others are kept as they are."""
        old_numbers, old_entries, old_rows = self.numbers, self.entries, self.rows
        stable = bytearray(len(old_entries))  # old rows whose number and words are the same
        moved: list[int] = []  # new rows that are not
        for number, path in enumerate(paths):
            was = old_numbers.get(path)
            if was == number and old_entries[was][2] is entries[number][2] \
                    and old_entries[was][3] is entries[number][3]:
                stable[was] = 1
            else:
                moved.append(number)
        self.paths = paths
        self.entries = entries
        self.rows = [entry[1] for entry in entries]
        self.numbers = {path: number for number, path in enumerate(paths)}
        for field in (0, 1):
            postings, encoded = self.postings[field], self.encoded[field]
            by_prefix, dirty = self._by_prefix[field], self._dirty[field]
            gained: dict[str, list[int]] = {}
            for number in moved:
                for word in entries[number][field + 2]:
                    gained.setdefault(word, []).append(number)
            touched = set(gained)
            for number, entry in enumerate(old_entries):
                if not stable[number]:
                    touched.update(entry[field + 2])
            for word in touched:
                was = self._rows_of(field, word)
                rows = [n for n in was or () if stable[n]]
                extra = gained.get(word)
                if extra:
                    rows = sorted(rows + extra) if rows else extra
                if rows:
                    if was != rows:
                        postings[word] = rows
                        encoded[word] = encode_postings(rows)
                        dirty.add(word[:2])
                        by_prefix.setdefault(word[:2], set()).add(word)
                elif was is not None:
                    postings.pop(word, None)
                    del encoded[word]
                    by_prefix[word[:2]].discard(word)
                    dirty.add(word[:2])
        chunks = -(-len(self.rows) // ROW_CHUNK)
        parts = self._row_parts[:chunks] + [None] * max(0, chunks - len(self._row_parts))
        for chunk in range(chunks):
            span = slice(chunk * ROW_CHUNK, (chunk + 1) * ROW_CHUNK)
            if parts[chunk] is not None and old_rows[span] != self.rows[span]:
                parts[chunk] = None
        self._row_parts = parts

    def _update(self, number: int, entry: tuple) -> None:
        old = self.entries[number]
        if entry is old:
            return
        self.entries[number] = entry
        if entry[1] != self.rows[number]:
            self.rows[number] = entry[1]
            self._row_parts[number // ROW_CHUNK] = None
        for field, postings, encoded in ((2, self.postings[0], self.encoded[0]), (3, self.postings[1], self.encoded[1])):
            if old[field] is entry[field]:  # the same words (only the row changed)
                continue
            before, after = set(old[field]), set(entry[field])
            by_prefix, dirty = self._by_prefix[field - 2], self._dirty[field - 2]
            for word in before - after:
                rows = self._rows_of(field - 2, word)
                rows.remove(number)  # type: ignore[union-attr]
                dirty.add(word[:2])
                if rows:
                    encoded[word] = encode_postings(rows)
                else:
                    del postings[word], encoded[word]
                    by_prefix[word[:2]].discard(word)
            for word in after - before:
                rows = self._rows_of(field - 2, word)
                if rows is None:
                    rows = postings[word] = []
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
           tag_numbers: dict[Any, int], names_of: dict[int, tuple[str, ...]] | None = None) -> tuple:
    """A document's row: (what it was made from, row JSON, title/term words, body words).

    Documents and rendered bodies never change once made, so the same objects with the same
    summary and the same names and aliases of its terms make the same words, and with the
    same tag numbers, marking and base path the same row JSON (``previous``'s parts are kept
    then: a new tag renumbering the tags remakes the rows' JSON, not their words). Aliases are
    read from the terms every build, so an alias edited on a term page reaches every row that
    names the term."""
    summary = graph.summaries.get(doc.path, "")
    terms_of = graph.taxonomies.of_doc.get(doc.path, {})
    body = graph.bodies.get(doc.path)
    marking = graph.config.marking_of(doc.marking)
    names_of = names_of or {}
    names = tuple([names_of.get(id(t)) or (t.name, *aliases_of(t)) for found in terms_of.values() for t in found])
    # A tag found by its object is that term (ids of live objects are unique), else by its id.
    tags = [n for t in terms_of.get("tags", ())
            if (n := tag_numbers.get(id(t))) is not None or (n := tag_numbers.get(t.id)) is not None]
    base = (urls.base_path, marking, tags)
    row = key_words = found = head = None
    if previous is not None:
        was = previous[0]
        if was[0] is doc and was[1] is body and was[2] == summary:
            if was[3] == names:
                key_words, found = previous[2], previous[3]
            if was[4] == base:
                if key_words is not None:
                    return previous
                row = previous[1]
            elif was[4][:2] == base[:2]:  # only the tag numbers differ: the fields before them are kept
                head = was[6]
    if row is None and key_words is None and head is None:
        # Nothing to keep: kept across processes (generator/memo.py) by exactly what the row is made from.
        when = doc.when.short if doc.when else ""
        made = memoized("search", _doc_row, doc.title, urls.url(doc_path(doc)), doc.type.value, when, summary,
                        marking, doc.confidence or "", tuple(tags),
                        (*doc.tags, *doc.actors, *(loc.name for loc in doc.locations)), names,
                        body.words if body else None, body.joined if body else None)
        # One string per word across rows (the memo's results come unpickled, each its own copy).
        return ((doc, body, summary, names, base, terms_of, None), made[0],
                tuple(map(sys.intern, made[1])), tuple(map(sys.intern, made[2])))
    if row is None:
        if head is None:
            when = doc.when.short if doc.when else ""
            # The row's fields before its tag numbers, as JSON without the closing bracket.
            head = _dumps([doc.title, urls.url(doc_path(doc)), doc.type.value, when,
                           _clip(summary, SEARCH_SUMMARY), marking, doc.confidence or ""])[:-1]
        if tags:  # written as _dumps writes the whole row
            row = head + ",[" + ",".join(map(str, tags)) + "]]"
        else:  # trailing empty fields left out
            fields = json.loads(head + "]")
            while fields and fields[-1] in ("", []):
                fields.pop()
            row = _dumps(fields)
    source = (doc, body, summary, names, base, terms_of, head)
    if key_words is None:
        # Terms as written, as their term page names them and by its aliases (a location written
        # "Khmeimim" is found by "Hmeimim Air Base", and one written "Hmeimim Air Base" by "Khmeimim").
        terms = " ".join((*doc.tags, *doc.actors, *(loc.name for loc in doc.locations),
                          *(n for group in names for n in group), doc.confidence or ""))
        words = index_words(f"{doc.title} {terms}", summary)
        body_found = body_words(body.words, body.joined) if body else set()
        key_words, found = interned(words), interned(body_found - words)
    return (source, row, key_words, found)


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


_B64_VALUE = {letter: value for value, letter in enumerate(_B64)}


def decode_postings(written: str) -> list[int]:
    """The row numbers ``encode_postings`` wrote: ``"AAB"`` -> ``[0, 1, 3]``."""
    values, numbers = _B64_VALUE, []
    previous, gap, shift = -1, 0, 0
    for letter in written:
        digit = values[letter]
        gap |= (digit & 31) << shift
        if digit & 32:
            shift += 5
            continue
        previous += gap + 1
        numbers.append(previous)
        gap = shift = 0
    return numbers
