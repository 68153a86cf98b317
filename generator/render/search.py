"""The offline search index (format 2, see docs/data-formats.md), kept up to date between builds."""

from __future__ import annotations

import bisect
import functools
import json
import sys

from generator.graph.site import SiteGraph
from generator.graph.urls import doc_path
from generator.markup.markdown import word_set
from generator.model.document import Document
from generator.render.kept import TermWatch
from generator.render.views import Urls, term_watch

SEARCH_SUMMARY = 140
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class SearchIndex:
    """A compact inverted index of the listed documents.

    ``d``: ``[title, url, type, date, summary, marking]`` rows (summaries cut at a word near 140
    characters); ``t``: words of titles, summaries and terms; ``b``: each document's most
    frequent distinctive body words (at most 48). Each word maps to its ascending row numbers
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

    def render(self, graph: SiteGraph, urls: Urls, docs: list[Document]) -> bytes:
        """The index as bytes. Each row is made again unless the inputs it reads are the same
        as last time (see ``_entry``); when the documents are in the same rows, only the rows
        that changed have their words' postings redone."""
        old = dict(zip(self.paths, self.entries, strict=True))
        watch = term_watch(graph, urls)
        entries = [_entry(graph, urls, doc, old.get(doc.path), watch) for doc in docs]
        paths = [d.path for d in docs]
        if paths == self.paths:
            for number, entry in enumerate(entries):
                if entry is not self.entries[number]:
                    self._update(number, entry)
        else:
            self._rebuild(entries, paths)
        t_words, b_words = self.encoded
        return ('{"v":2,"d":[' + ",".join(self.rows) + '],"t":{'
                + ",".join(_pair(w, t_words[w]) for w in sorted(t_words)) + '},"b":{'
                + ",".join(_pair(w, b_words[w]) for w in sorted(b_words)) + "}}\n").encode("utf-8")

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

    def _update(self, number: int, entry: tuple) -> None:
        old = self.entries[number]
        if entry is old:
            return
        self.entries[number] = entry
        self.rows[number] = entry[1]
        for field, postings, encoded in ((2, self.postings[0], self.encoded[0]), (3, self.postings[1], self.encoded[1])):
            before, after = set(old[field]), set(entry[field])
            for word in before - after:
                rows = postings[word]
                rows.remove(number)
                if rows:
                    encoded[word] = encode_postings(rows)
                else:
                    del postings[word], encoded[word]
            for word in after - before:
                rows = postings.setdefault(word, [])
                bisect.insort(rows, number)
                encoded[word] = encode_postings(rows)


@functools.lru_cache(maxsize=65536)
def _key_json(word: str) -> str:
    return _dumps(word)


def _pair(word: str, encoded: str) -> str:
    """``"word":"postings"`` as JSON (postings are base64 letters: nothing to escape)."""
    return _key_json(word) + ':"' + encoded + '"'


def _entry(graph: SiteGraph, urls: Urls, doc: Document, previous: tuple | None, watch: TermWatch) -> tuple:
    """A document's row: (what it was made from, row JSON, title/term words, body words).

    Documents and rendered bodies never change once made, so the same objects with the same
    summary, terms and base path make the same row (``previous`` is kept then). Its terms are
    the same when its term lists are the same object (they are replaced, never changed, when
    the document's terms change) and none of those terms changed since the row was made (the
    ``watch``); or, failing that, when the names it reads of them are equal."""
    summary = graph.summaries.get(doc.path, "")
    terms_of = graph.taxonomies.of_doc.get(doc.path, {})
    body = graph.bodies.get(doc.path)
    marking = graph.config.marking_of(doc.marking)
    base = (urls.base_path, marking)  # what the row shows besides the document and its terms
    if previous is not None:
        was = previous[0]
        if was[0] is doc and was[3] is body and was[1] == summary and was[4] == base:
            if was[5] is terms_of and was[6] is watch and was[7] >= 0 and (
                    watch.last_change <= was[7]
                    or watch.unchanged_since(was[7], tuple(t for found in terms_of.values() for t in found))):
                return previous
            canonical = tuple(t.name for found in terms_of.values() for t in found)
            if was[2] == canonical:
                return (_key(doc, summary, canonical, body, base, terms_of, watch), *previous[1:])
    canonical = tuple(t.name for found in terms_of.values() for t in found)
    key = _key(doc, summary, canonical, body, base, terms_of, watch)
    body_words = body.words if body else ()
    when = doc.when.short if doc.when else ""
    row = [doc.title, urls.url(doc_path(doc)), doc.type.value, when, _clip(summary, SEARCH_SUMMARY), marking]
    # Terms as written and as their term page names them (a location written "Khmeimim" is
    # found by "Hmeimim Air Base").
    terms = " ".join((*doc.tags, *doc.actors, *(loc.name for loc in doc.locations), *canonical, doc.confidence or ""))
    key_words = word_set(f"{doc.title} {summary} {terms}")
    # Words recur across documents: one string each (body words come interned already).
    return (key, _dumps(row), tuple(map(sys.intern, sorted(key_words))),
            tuple(sorted(set(body_words).difference(key_words))))


def _key(doc: Document, summary: str, canonical: tuple, body: object, base: tuple, terms_of: dict,
         watch: TermWatch) -> tuple:
    """What a row was made from, and the generation of the term watch it was made in."""
    terms = tuple(t for found in terms_of.values() for t in found)
    return (doc, summary, canonical, body, base, terms_of, watch, watch.generation if watch.covers(terms) else -1)


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
