"""HTTP byte ranges for the dev server (RFC 9110, section 14): which part of a file to send."""

from __future__ import annotations

from dataclasses import dataclass

#: More digits than any file size has: such a number is "past the end" (and never parsed).
_MAX_DIGITS = 18


@dataclass(frozen=True)
class ByteRange:
    """The bytes ``start`` to ``end`` (inclusive) of a file of ``size`` bytes."""

    start: int
    end: int
    size: int

    @property
    def length(self) -> int:
        """How many bytes the range holds."""
        return self.end - self.start + 1

    def content_range(self) -> str:
        """The ``Content-Range`` header of a 206 answer."""
        return f"bytes {self.start}-{self.end}/{self.size}"


#: A range header that no byte of the file satisfies (answer 416).
UNSATISFIABLE = ByteRange(-1, -2, -1)


def _number(text: str) -> int | None:
    """A non-negative decimal, ``None`` when ``text`` is not one; huge values are capped."""
    text = text.strip()
    if not text or not text.isascii() or not text.isdigit():
        return None
    return int(text) if len(text) <= _MAX_DIGITS else 10**_MAX_DIGITS


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """The range a ``Range`` header asks of a file of ``size`` bytes.

    ``None`` means "send the whole file" (no header, another unit, several ranges, or a header
    that does not parse, which the RFC says to ignore); :data:`UNSATISFIABLE` means answer 416.
    Supported: ``bytes=a-b``, ``bytes=a-`` and ``bytes=-n``.
    """
    if not header:
        return None
    unit, sep, spec = header.partition("=")
    if not sep or unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, dash, last = spec.partition("-")
    if not dash:
        return None
    if first.strip() == "":
        suffix = _number(last)
        if suffix is None:
            return None
        if suffix == 0 or size == 0:
            return UNSATISFIABLE
        return ByteRange(max(0, size - suffix), size - 1, size)
    start = _number(first)
    end = _number(last) if last.strip() else start
    if start is None or end is None or end < start:
        return None
    if start >= size:
        return UNSATISFIABLE
    return ByteRange(start, min(end, size - 1) if last.strip() else size - 1, size)
