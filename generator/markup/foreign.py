"""Markup of other tools that is not read here, named at its line rather than shown silently:
MkDocs' admonitions (``!!! note "Title"`` and its folding ``???`` form), whose indented text
Python-Markdown shows as code. Python-Markdown's own admonition step was tried and left out: it
made a body of many rule lines take time quadratic in their number."""

from __future__ import annotations

import re

_ADMONITION = re.compile(r"(?:!!!|\?\?\?\+?) ?[\w-]+(?: +[\w-]+)*(?: +\"[^\"]*\")? *")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


def foreign_markup(source: str, body_line: int) -> list[tuple[int, str]]:
    """A warning (line in the file, message) for each admonition opened outside code."""
    if "!!!" not in source and "???" not in source:
        return []
    notes: list[tuple[int, str]] = []
    fence: str | None = None
    for number, line in enumerate(source.split("\n")):
        fenced = _FENCE.match(line)
        if fenced is not None:
            mark = fenced.group(1)
            if fence is None:
                fence = mark
            elif mark[0] == fence[0] and len(mark) >= len(fence) and not line.strip(" " + mark[0]):
                fence = None
            continue
        if fence is None and line[:3] in ("!!!", "???") and _ADMONITION.fullmatch(line):
            notes.append((body_line + number, f"{line.strip()!r} is MkDocs' admonition, which is not read here (its "
                                              "indented text shows as code); write it as a quote: "
                                              "'> [!NOTE]' then '> text', as on GitHub"))
    return notes
