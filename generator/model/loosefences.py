"""Front matter fences as authors mistype them, read as the ``---`` lines they mean.

* An opening or closing line of four or more dashes (``----``), indented by up to three spaces,
  or a dash a word processor made of three hyphens (``—``, ``–––``), when the line after the
  opening one is a ``key:`` line: read as ``---``, with a warning.
* Front matter opened by ``---`` and never closed, whose ``key:`` lines end at a blank line
  followed by text that is no ``key:`` line (the body): the blank line is read as the closing
  ``---``, with a warning. Anything less clear stays an error.

Lines are rewritten in place, one for one, so every line keeps its number.
"""

from __future__ import annotations

import re

#: A line that is meant as a fence but is not ``---`` (nor ``...``).
_LOOSE_FENCE = re.compile(r" {0,3}(?:-{4,}|-{3}[ \t]*|[—–]{1,3}|─{3,})[ \t]*")
_FENCE = re.compile(r"---[ \t]*")
_CLOSING = re.compile(r"(?:---|\.\.\.)[ \t]*")
_CLOSED = re.compile(r"\n(?:---|\.\.\.)[ \t]*(?:\n|$)")
#: A front matter line: ``key:`` at the start, a list item or an indented line under a key.
_KEY_LINE = re.compile(r"[A-Za-z_][\w .-]*:(?:[ \t].*)?")
_YAML_LINE = re.compile(r"[A-Za-z_][\w .-]*:(?:[ \t].*)?|[ \t]+\S.*|-[ \t].*|#.*")


def fenced_as_meant(content: str) -> tuple[str, list[tuple[int, str]]]:
    """``content`` with mistyped or missing front matter fences written as ``---`` (see the
    module's notes), and a warning (line, message) for each."""
    if not content or content[0] not in " -—–─\n":
        return content, []
    if content.startswith("---") and _FENCE.fullmatch(content[:content.find("\n")]) \
            and _CLOSED.search(content) is not None:
        return content, []  # fenced as written: the usual file, looked at no further
    lines = content.split("\n", 400)
    first = next((i for i, line in enumerate(lines[:50]) if line.strip()), None)
    if first is None or first + 1 >= len(lines) or not _KEY_LINE.fullmatch(lines[first + 1]):
        return content, []
    notes: list[tuple[int, str]] = []
    opening = lines[first]
    if not _FENCE.fullmatch(opening):
        if not _LOOSE_FENCE.fullmatch(opening):
            return content, []
        lines[first] = "---"
        notes.append((first + 1, f"{opening.rstrip()!r} opens the front matter; expected '---' (read as it)"))
    for number in range(first + 1, len(lines) - (len(lines) > 400)):
        line = lines[number]
        if _CLOSING.fullmatch(line):
            return _joined(lines, notes) if notes else (content, [])
        if _LOOSE_FENCE.fullmatch(line):
            lines[number] = "---"
            notes.append((number + 1, f"{line.rstrip()!r} closes the front matter; expected '---' (read as it)"))
            return _joined(lines, notes)
        if not line.strip():
            after = next((other for other in lines[number + 1:number + 50] if other.strip()), "")
            if after and not _YAML_LINE.fullmatch(after) and not _CLOSING.fullmatch(after):
                lines[number] = "---"
                notes.append((number + 1, "the front matter is never closed by a '---' line; it is read up to "
                                          "this blank line (write '---' here)"))
                return _joined(lines, notes)
            return content, []  # blank lines inside the front matter: no guess
        if not _YAML_LINE.fullmatch(line):
            return content, []
    return content, []


def _joined(lines: list[str], notes: list[tuple[int, str]]) -> tuple[str, list[tuple[int, str]]]:
    return "\n".join(lines), notes
