"""A value YAML took for a comment: ``tags: #osint #russia`` is a key with nothing after it
(``#`` after a space opens a comment), so the tags were lost without a word. Hashtags for a
list of names (``tags``, ``actors``) are read as those names, with a warning; for any other key
the warning says to quote the value."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from generator.yamltree import Scalar, is_null

#: Keys whose value is a list of names: hashtags written there are the names.
NAME_LISTS = ("tags", "actors", "keywords", "categories")
_HASHTAG = re.compile(r"#([^\s#,]+)")


def commented_values(values: dict[str, Any], lines: dict[str, int], yaml_text: str | None, yaml_line: int,
                     warn: Callable[[str, str, int | None], None]) -> None:
    """Read (or name, in a warning) each value written after a key as a YAML comment."""
    if not yaml_text or "#" not in yaml_text:
        return
    written = yaml_text.split("\n")
    for key, value in list(values.items()):
        if not is_null(value) or key not in lines:
            continue
        index = lines[key] - yaml_line
        line = written[index] if 0 <= index < len(written) else ""
        _, colon, after = line.partition(":")
        after = after.strip()
        if not colon or not after.startswith("#") or after[1:2].isspace() or len(after) == 1:
            continue  # (``key: # a note`` is a comment as meant)
        names = _HASHTAG.findall(after)
        if key.lower() in NAME_LISTS and names:
            values[key] = [Scalar(name, True, lines[key]) for name in names]
            warn(key, f"{after!r} is a YAML comment after the colon; read as {', '.join(names)} (write "
                      f"{key}: [{', '.join(names)}] to say so)", lines[key])
        else:
            warn(key, f"{after!r} is a YAML comment after the colon, so {key} is empty; put the value in "
                      f"quotes: {key}: \"{after}\"", lines[key])


#: Keys holding one line of text, whose value authors write unquoted whatever it holds.
TEXT_KEYS = ("title", "summary", "description", "subtitle", "bluf", "excerpt", "abstract", "source", "author")
#: A top-level line of such a key whose plain (unquoted) value holds ``: `` (which YAML reads as
#: a mapping, an error) or `` #`` before a word or digit (``Issue #5``, which YAML reads as a
#: comment, cutting the value short).
_LOOSE_TEXT = re.compile(r"(?i)(" + "|".join(TEXT_KEYS) + r""")(\s*:[ \t]+)(?![\s"'\[{|>&*!%@`])([^\n]*?(?::(?:\s|$)|[ \t]#[^\s#])[^\n]*)$""")
_MAY_BE_LOOSE = re.compile(r"(?im)^(?:" + "|".join(TEXT_KEYS) + r")\s*:[ \t]+[^\n]*?(?::(?:[ \t]|$)|[ \t]#[^\s#])")
#: A comment at the end of such a line, meant as one (``# working title``: a space after ``#``).
_MEANT_COMMENT = re.compile(r"[ \t]+#[ \t].*$")


def quoted_text_lines(yaml_text: str) -> tuple[str, list[tuple[int, str, str]]]:
    """``yaml_text`` with each top-level ``title:`` (summary, description...) line whose plain
    value YAML would misread (see ``_LOOSE_TEXT``) quoted as the whole of what follows the
    colon, and for each a note (index of the line, key, message)."""
    if _MAY_BE_LOOSE.search(yaml_text) is None:  # one pass in C: mostly no such line
        return yaml_text, []
    lines = yaml_text.split("\n")
    notes: list[tuple[int, str, str]] = []
    for index, line in enumerate(lines):
        found = _LOOSE_TEXT.fullmatch(line)
        if found is None:
            continue
        key, value = found.group(1), _MEANT_COMMENT.sub("", found.group(3)).rstrip()
        if ": " not in value + " " and " #" not in value:
            continue  # only a comment meant as one
        curly = len(value) > 2 and value[0] in "“‘" and value[-1] in "”’"
        if curly:  # “Russia’s move: a new phase”, a word processor's quotes: not part of the title
            value = value[1:-1]
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        lines[index] = f'{key}{found.group(2)}"{escaped}"'
        why = "': ', which YAML reads as a key" if ": " in value + " " else "' #', which YAML reads as a comment"
        said = " (without the curly quotes around it, which are not YAML quotes)" if curly else ""
        notes.append((index, key, f"{value!r} holds {why}; read as the whole line{said} (quote it to say so)"))
    return "\n".join(lines), notes
