"""Markup of other tools that is not read here, named at its line rather than shown silently:
MkDocs' admonitions (``!!! note "Title"`` and its folding ``???`` form), whose indented text
Python-Markdown shows as code; definition lists (``Term`` then ``: definition``, as Hugo and
PHP Markdown Extra read them) and abbreviations (``*[NATO]: North Atlantic...``), shown as
their marks. Python-Markdown's own admonition and definition list steps were tried and left
out: each takes time quadratic in the lines of one block (many rule lines; one term with
thousands of definitions)."""

from __future__ import annotations

import re

from generator.markup.fencing import Fences

_ADMONITION = re.compile(r"(?:!!!|\?\?\?\+?) ?[\w-]+(?: +[\w-]+)*(?: +\"[^\"]*\")? *")
_DEFINITION = re.compile(r": {1,3}\S")
_ABBREVIATION = re.compile(r"\*\[[^\]]+\]: *\S")


def foreign_markup(source: str, body_line: int) -> list[tuple[int, str]]:
    """A warning (line in the file, message) for each admonition, definition list and
    abbreviation outside code."""
    if "!!!" not in source and "???" not in source and "\n:" not in source and "*[" not in source:
        return []
    notes: list[tuple[int, str]] = []
    fences = Fences()
    before = ""  # the line before, outside code
    for number, line in enumerate(source.split("\n")):
        if fences.is_fence(line) or fences.in_code:
            before = ""
            continue
        previous, before = before, line
        if line[:1] == ":" and _DEFINITION.match(line) and previous.strip() and previous[:1] != ":" \
                and not previous.lstrip().startswith(("-", "*", "+", ">", "|", "#")):
            notes.append((body_line + number, f"{previous.strip()!r} then {line.strip()!r} is a definition list "
                                              "(as Hugo reads it), which is not read here (the colon shows as "
                                              "text); write '**Term**: definition' or a list"))
        elif line[:2] == "*[" and _ABBREVIATION.match(line):
            notes.append((body_line + number, f"{line.strip()!r} defines an abbreviation, which is not read here "
                                              "(the line shows as text); spell the term out where it is first used"))
        elif line[:3] in ("!!!", "???") and _ADMONITION.fullmatch(line):
            notes.append((body_line + number, f"{line.strip()!r} is MkDocs' admonition, which is not read here (its "
                                              "indented text shows as code); write it as a quote: "
                                              "'> [!NOTE]' then '> text', as on GitHub"))
    return notes
