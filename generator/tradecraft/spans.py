"""Where a character of a front matter text was written: YAML folds lines, drops indentation,
and reads quotes and escapes, so a text's offsets are matched back to its source."""

from __future__ import annotations

from generator.model.document import Span

_ESCAPE_LENGTHS = {"x": 4, "u": 6, "U": 10}


def source_positions(lines: list[str], span: Span, value: str, offsets: list[int]) -> dict[int, tuple[int, int]]:
    """The (line, 1-based column) in the file of each of ``offsets`` into ``value``, the text a
    scalar written at ``span`` stands for (``lines``: the file's lines). The value and its source
    are walked side by side: white space in one matches any run of it in the other, a quote or
    escape matches the character it stands for."""
    first, col, last, _ = span
    source, starts = _region(lines, first, col, max(last, first))
    style = source[:1]
    at = 0
    if style in ("|", ">"):
        at = source.find("\n") + 1 if "\n" in source else len(source)  # content starts on the next line
    elif style in ("'", '"'):
        at = 1
    wanted = sorted(set(offsets))
    found: dict[int, tuple[int, int]] = {}
    cursor = 0
    for index, char in enumerate(value):
        if cursor == len(wanted):
            break
        if char.isspace():
            if at < len(source) and source[at].isspace():
                at += 1
        else:
            while at < len(source) and source[at] != char and (source[at].isspace() or source[at] == "\\"):
                if source[at] == "\\" and style == '"':
                    if at + 1 < len(source) and source[at + 1] == "\n":  # a line continued
                        at += 2
                        continue
                    break
                at += 1
        if index == wanted[cursor]:
            found[index] = _place(starts, first, col, min(at, len(source) - 1))
            cursor += 1
        if char.isspace():
            continue
        if at < len(source) and source[at] == "\\" and style == '"' and char != "\\":
            at += _ESCAPE_LENGTHS.get(source[at + 1 : at + 2], 2)
        elif style == "'" and char == "'" and source[at : at + 2] == "''":
            at += 2
        else:
            at += 1
    fallback = _place(starts, first, col, 0)
    return {offset: found.get(offset, fallback) for offset in offsets}


def _region(lines: list[str], first: int, col: int, last: int) -> tuple[str, list[int]]:
    """The source text from (first, col) to the end of line ``last``, and where each line starts."""
    chunk = [lines[first - 1][col:] if first - 1 < len(lines) else ""]
    chunk += lines[first:last]
    starts = []
    offset = 0
    for piece in chunk:
        starts.append(offset)
        offset += len(piece) + 1
    return "\n".join(chunk), starts


def _place(starts: list[int], first: int, col: int, at: int) -> tuple[int, int]:
    """(line, 1-based column) of offset ``at`` into the region."""
    line = 0
    while line + 1 < len(starts) and starts[line + 1] <= at:
        line += 1
    column = at - starts[line] + (col if line == 0 else 0)
    return first + line, column + 1
