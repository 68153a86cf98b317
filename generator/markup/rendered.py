"""A rendered body, as the site keeps it: its HTML packed, and what pages, search and the link
graph read from it."""

from __future__ import annotations

import sys
import zlib

from generator.model.document import LinkRef


class RenderedBody:
    """A body rendered to HTML once per content version; cacheable by content hash.

    A site holds one per document for the whole build, so it is kept small: the HTML is
    stored as compressed UTF-8 (``html`` expands it on each access; pages read it once), and
    words and heading ids recur across documents, so they are interned when a body is made or
    unpickled (bodies come back from worker processes and the cache pickled).
    """

    __slots__ = ("_packed", "links", "heading_ids", "first_paragraph", "words", "joined", "files")

    links: tuple[LinkRef, ...]
    heading_ids: tuple[str, ...]
    first_paragraph: str
    words: tuple[str, ...]  # the body's most frequent distinctive words, for search
    joined: tuple[str, ...]  # its first joined forms (``S-400`` -> ``s400``), for search
    #: The files it links or shows by a path from its Markdown file (``chart.png``), each as
    #: (path, line in the file): the build checks that the site has them (localfiles.py).
    files: tuple[tuple[str, int], ...]

    def __init__(self, html: str, links: tuple[LinkRef, ...], heading_ids: tuple[str, ...],
                 first_paragraph: str, words: tuple[str, ...], joined: tuple[str, ...] | None = None,
                 files: tuple[tuple[str, int], ...] = ()):
        """``joined`` is ``body_joined(html)`` when the caller has it already."""
        if joined is None:
            from generator.markup.joined import body_joined  # joined.py imports this module

            joined = body_joined(html)
        self._set(_pack(html), links, heading_ids, first_paragraph, words, joined, files)

    def _set(self, packed: bytes, links: tuple[LinkRef, ...], heading_ids: tuple[str, ...],
             first_paragraph: str, words: tuple[str, ...], joined: tuple[str, ...],
             files: tuple[tuple[str, int], ...] = ()) -> None:
        put = object.__setattr__
        put(self, "_packed", packed)
        put(self, "links", tuple(links))
        put(self, "heading_ids", tuple(map(sys.intern, heading_ids)))
        put(self, "first_paragraph", first_paragraph)
        put(self, "words", tuple(map(sys.intern, words)))
        put(self, "joined", tuple(map(sys.intern, joined)))
        put(self, "files", tuple(files) if files else ())

    @property
    def html(self) -> str:
        """The body's HTML, with cross-link placeholders."""
        return _unpack(self._packed)

    @property
    def packed(self) -> bytes:
        """The body's HTML compressed (:func:`unpack_html` gives it back): equal ones hold equal HTML."""
        return self._packed

    def _fields(self) -> tuple:
        return (self._packed, self.links, self.heading_ids, self.first_paragraph, self.words, self.joined, self.files)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"RenderedBody is immutable; cannot set {name!r}")

    def __reduce__(self) -> tuple:
        return (_restore_body, self._fields())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RenderedBody):
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return (f"RenderedBody(html={self.html!r}, links={self.links!r}, heading_ids={self.heading_ids!r}, "
                f"first_paragraph={self.first_paragraph!r}, words={self.words!r})")


def _pack(html_text: str) -> bytes:
    return zlib.compress(html_text.encode("utf-8"), 1)


def _unpack(packed: bytes) -> str:
    return zlib.decompress(packed).decode("utf-8")


def unpack_html(packed: bytes) -> str:
    """The HTML of a body's :attr:`RenderedBody.packed` form."""
    return _unpack(packed)


def unpack_head(packed: bytes, limit: int) -> bytes:
    """The first ``limit`` bytes (or fewer) of the UTF-8 HTML of a body's packed form, the
    rest left packed."""
    return zlib.decompressobj().decompress(packed, limit)


def _restore_body(packed: bytes, links: tuple[LinkRef, ...], heading_ids: tuple[str, ...],
                  first_paragraph: str, words: tuple[str, ...], joined: tuple[str, ...],
                  files: tuple[tuple[str, int], ...] = ()) -> RenderedBody:
    """Unpickle a body without compressing its HTML again (nor scanning it for joined forms)."""
    body = RenderedBody.__new__(RenderedBody)
    body._set(packed, links, heading_ids, first_paragraph, words, joined, files)
    return body


def restore_body_as_saved(packed: bytes, links: tuple[LinkRef, ...], heading_ids: tuple[str, ...],
                          first_paragraph: str, words: tuple[str, ...], joined: tuple[str, ...],
                          files: tuple[tuple[str, int], ...] = ()) -> RenderedBody:
    """Unpickle a body whose fields are as a body holds them (tuples, their texts the very
    objects of the body pickled: one pickle of many bodies shares them); not interned again."""
    body = RenderedBody.__new__(RenderedBody)
    put = object.__setattr__
    put(body, "_packed", packed)
    put(body, "links", links)
    put(body, "heading_ids", heading_ids)
    put(body, "first_paragraph", first_paragraph)
    put(body, "words", words)
    put(body, "joined", joined)
    put(body, "files", files)
    return body
