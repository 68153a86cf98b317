"""The fast path's plain inline forms (headings' text, and any text when the direct inline
renderer is not installed): escaping and plain ``*em*``/``**strong**`` spans, exactly as
Python-Markdown gives them (see :mod:`generator.markup.fastpath`)."""

from __future__ import annotations

import re

_ENTITY = re.compile(r"&(?:#[0-9]+|#x[0-9a-f]+|[0-9a-z]+);", re.I)
#: An underscore is plain text only between two letters or digits (then it cannot delimit).
_LOOSE_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")


class _Bail(Exception):
    """The document uses something the fast path does not render exactly."""


def _emphasis(text: str) -> str:
    """Escape ``text`` and turn plain ``*em*`` and ``**strong**`` spans into tags.

    Every asterisk must belong to such a span: a run of exactly one or two, not touching
    another asterisk, around text without asterisks that neither starts nor ends with a space.
    Python-Markdown's delimiter pairing gives exactly these tags then; anything else declines.
    """
    if "_" in text and _LOOSE_UNDERSCORE.search(text):
        raise _Bail
    if "*" not in text:
        return _escape(text)
    out = []
    pos = 0
    start = text.find("*")
    while start >= 0:
        size = 2 if text.startswith("**", start) else 1
        if text.startswith("***", start):
            raise _Bail
        close = text.find("*" * size, start + size)
        if close < 0:
            raise _Bail
        inner = text[start + size:close]
        if (not inner or "*" in inner or inner[0] == " " or inner[-1] == " " or inner[0] == "\n"
                or inner[-1] == "\n" or text.startswith("*", close + size)):
            raise _Bail
        tag = "strong" if size == 2 else "em"
        out.append(_escape(text[pos:start]))
        out.append(f"<{tag}>{_escape(inner)}</{tag}>")
        pos = close + size
        start = text.find("*", pos)
    out.append(_escape(text[pos:]))
    return "".join(out)


def _escape(text: str) -> str:
    """Text as Python-Markdown's serialiser escapes it (no entities or ``<`` get this far)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _attr(value: str) -> str:
    """An attribute value as Python-Markdown's HTML serialiser escapes it."""
    if _ENTITY.search(value):
        raise _Bail
    return value.replace("&", "&amp;").replace('"', "&quot;")
