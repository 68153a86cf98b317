"""Keep lists and quotes within a depth Python-Markdown can render.

Python-Markdown parses a list item's content, and a quote's, by calling itself again, and
its tree processors walk the result the same way: ``- `` written 3,000 times on one line, or
lists indented hundreds of levels deep, raise ``RecursionError``. No document means that
much nesting, so :func:`limit_nesting` keeps the first :data:`MAX_DEPTH` levels and shows
the rest of such a line as text: the next list or quote marker is escaped, and indentation
past the limit is dropped.

Checking costs one regular-expression search per document: only a line that starts with
:data:`MAX_DEPTH` or more characters that can open a list or quote, or indent one, is read
further.
"""

from __future__ import annotations

import re

#: Levels of list, quote and indentation kept; Python-Markdown fails at a few hundred.
MAX_DEPTH = 40
_DEEP_LINE = re.compile(rf"^[ \t>*+\-.)0-9]{{{MAX_DEPTH},}}", re.M)
#: One level of a line's prefix: a quote marker, a list marker with its space, or four
#: columns of indentation.
_LEVEL = re.compile(r"[ ]{0,3}(?:> ?|[*+-][ \t]+|[0-9]{1,9}[.)][ \t]+)|    |[ ]{0,3}\t")
_FENCE = re.compile(r"[ ]{0,3}(`{3,}|~{3,})")
_ESCAPABLE = re.compile(r">|[*+-](?=[ \t]|$)|[0-9]{1,9}[.)](?=[ \t]|$)")


def limit_nesting(text: str) -> tuple[str, list[int]]:
    """The text with every line nested deeper than :data:`MAX_DEPTH` levels cut back, and
    the (0-based) numbers of the lines cut back."""
    if _DEEP_LINE.search(text) is None:
        return text, []
    lines = text.split("\n")
    cut: list[int] = []
    fence = ""
    for number, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
            continue
        if opening:
            fence = opening.group(1)
            continue
        if not _DEEP_LINE.match(line):
            continue
        shallow = _cut(line)
        if shallow is not None:
            lines[number] = shallow
            cut.append(number)
    return ("\n".join(lines), cut) if cut else (text, [])


def _cut(line: str) -> str | None:
    """The line with its levels past :data:`MAX_DEPTH` shown as text, or ``None`` if it is
    not that deep."""
    pos = 0
    for _ in range(MAX_DEPTH):
        level = _LEVEL.match(line, pos)
        if level is None:
            return None
        pos = level.end()
    if _LEVEL.match(line, pos) is None:
        return None
    rest = line[pos:].lstrip(" \t")
    marker = _ESCAPABLE.match(rest)
    if marker is None:
        return line[:pos] + rest
    # A backslash before a marker's last character makes it text: ``\\-``, ``\\>``, ``1\\.``.
    split = marker.end() - 1
    return line[:pos] + rest[:split] + "\\" + rest[split:]
