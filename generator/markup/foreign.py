"""Markup of other tools that is not read here, named at its line rather than shown silently:
MkDocs' admonitions (``!!! note "Title"`` and its folding ``???`` form), whose indented text
Python-Markdown shows as code. Python-Markdown's own admonition step was tried and left out: it
made a body of many rule lines take time quadratic in their number."""

from __future__ import annotations

import re

from generator.markup.fencing import Fences

_ADMONITION = re.compile(r"(?:!!!|\?\?\?\+?) ?[\w-]+(?: +[\w-]+)*(?: +\"[^\"]*\")? *")


def foreign_markup(source: str, body_line: int) -> list[tuple[int, str]]:
    """A warning (line in the file, message) for each admonition opened outside code."""
    if "!!!" not in source and "???" not in source:
        return []
    notes: list[tuple[int, str]] = []
    fences = Fences()
    for number, line in enumerate(source.split("\n")):
        if fences.is_fence(line) or fences.in_code:
            continue
        if line[:3] in ("!!!", "???") and _ADMONITION.fullmatch(line):
            notes.append((body_line + number, f"{line.strip()!r} is MkDocs' admonition, which is not read here (its "
                                              "indented text shows as code); write it as a quote: "
                                              "'> [!NOTE]' then '> text', as on GitHub"))
    return notes
