"""Footnote references with no definition: Markdown leaves ``[^x]`` as written when no
``[^x]: text`` line defines it, which an author rarely means. A warning names each such
reference at its first line (code, and an escaped ``\\[^x]``, are meant as written). A footnote
defined twice is a warning too: Markdown keeps the last definition and drops the others."""

from __future__ import annotations

import html
import re

from generator.markup.fencing import lines_outside_code

#: The start of code in rendered HTML, where ``[^`` is what the author wrote.
_CODE_START = re.compile(r"<(pre|code)\b")
#: ``[^id]`` left as text in the HTML (an id without brackets: each try stops at the next
#: bracket, so ``[^`` written 100,000 times is no quadratic search).
_LEFT = re.compile(r"\[\^([^\[\]\s]+)\]")
#: ``[^id]`` in the source, not a definition (escaped ones are left out by their backslashes).
_WRITTEN = re.compile(r"\[\^([^\[\]\s]+)\](?!:)")
#: Warnings of one document at most; the rest are counted in one more.
MAX_WARNINGS = 10


def undefined_footnotes(html_text: str, body: str, body_line: int) -> list[tuple[int, str]]:
    """``(line, message)`` for each footnote reference the rendered ``html_text`` shows as
    written (outside code) and the source ``body`` (starting on ``body_line``) writes unescaped."""
    if "[^" not in html_text:
        return []
    left = {html.unescape(ident) for ident in _LEFT.findall(_outside_code(html_text))}
    if not left:
        return []
    found: dict[str, list[int]] = {}  # id -> [first line, references]
    line = last = 0
    for match in _WRITTEN.finditer(body):
        ident = match.group(1)
        if ident not in left:
            continue
        start = back = match.start()
        while back and body[back - 1] == "\\":
            back -= 1
        if (start - back) % 2:
            continue  # meant as written: an odd number of backslashes escapes the bracket
        line += body.count("\n", last, match.start())
        last = match.start()
        seen = found.get(ident)
        if seen is None:
            found[ident] = [line, 1]
        else:
            seen[1] += 1
    notes = []
    for ident, (first, count) in sorted(found.items(), key=lambda item: item[1][0])[:MAX_WARNINGS]:
        times = f" ({count} references)" if count > 1 else ""
        notes.append((body_line + first, f"footnote reference [^{ident}] has no definition, so it shows as "
                                         f"written{times}; define it on a line of its own: [^{ident}]: the note"))
    if len(found) > MAX_WARNINGS:
        more = len(found) - MAX_WARNINGS
        notes.append((notes[-1][0], f"and {more} more footnote reference{'s' if more != 1 else ''} "
                                    f"with no definition"))
    return notes


def _outside_code(text: str) -> str:
    """``text`` without its ``pre`` and ``code`` elements (an unclosed one runs to the end), in
    one pass."""
    out = []
    at = 0
    while True:
        start = _CODE_START.search(text, at)
        if start is None:
            out.append(text[at:])
            break
        out.append(text[at:start.start()])
        close = f"</{start.group(1)}>"
        end = text.find(close, start.end())
        if end < 0:
            break
        at = end + len(close)
    return "".join(out)


#: A footnote definition line: ``[^id]: text`` at the start of a line (up to three spaces in).
_DEFINITION = re.compile(r" {0,3}\[\^([^\[\]\s]+)\]:")


def footnotes_defined_twice(body: str, body_line: int) -> list[tuple[int, str]]:
    """``(line, message)`` for each footnote defined again: Markdown shows the last definition
    and drops the others without a word (outside fenced code; at most :data:`MAX_WARNINGS`)."""
    if "]:" not in body or "[^" not in body:
        return []
    first: dict[str, int] = {}
    notes: list[tuple[int, str]] = []
    for number, line in lines_outside_code(body.split("\n")):
        if not line.startswith(("[^", " [^", "  [^", "   [^")):
            continue
        found = _DEFINITION.match(line)
        if found is None:
            continue
        ident = found.group(1)
        if ident not in first:
            first[ident] = number
        elif len(notes) < MAX_WARNINGS:
            notes.append((body_line + number, f"footnote [^{ident}] is defined again (first on line "
                                              f"{body_line + first[ident]}): only this last definition is "
                                              "shown; give each note its own name"))
    return notes
