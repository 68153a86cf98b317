"""Code fences opened the way GitHub, Hugo and MkDocs let authors open them.

Python-Markdown takes a fence's info only as a bare language (```` ```python ````), an
attribute list (```` ```{.python} ````) or ``hl_lines="..."``. A fence opened with more,
```` ```rust,ignore ````, ```` ```python title="x.py" ```` (MkDocs Material) or
```` ```go {hl_lines=[1]} ```` (Hugo), was not a fence at all: the next fence opened a block
instead of closing one, so the headings and text after it were shown as code and the code as
text. GitHub and CommonMark take the info's first word as the language and the rest as
extra. So such an opening line is given to the renderers as the fence and its language only,
when a closing fence follows; nothing else changes (the lines stay where they are).
"""

from __future__ import annotations

import re

#: An opening fence at the start of a line: the fence, then its info.
_OPEN = re.compile(r"(`{3,}|~{3,})[ ]*([^\n]*)")
#: The info Python-Markdown's fenced code step takes as it is (its own expression, in part).
_TAKEN = re.compile(r"""(?:\{[^\n]*\}|\.?[\w#.+-]*[ ]*(?:hl_lines=(["']).*?\1[ ]*)?)""")
#: The language at the start of an info (GitHub's first word; ``,`` or ``:`` ends it too), or
#: an attribute list that opens it (kept whole).
_LANGUAGE = re.compile(r"\{[^}\n]*\}|\.?([\w#+-][\w#.+-]*)")


def fences_opened_as_on_github(text: str) -> str:
    """``text`` with each fence whose info Python-Markdown would not take opened with its
    language only (see the module's notes)."""
    if "```" not in text and "~~~" not in text:
        return text
    lines = text.split("\n")
    changed = False
    fence: str | None = None
    opened = 0
    for number, line in enumerate(lines):
        if fence is not None:
            if line.rstrip(" ") == fence:
                fence = None
            continue
        found = _OPEN.fullmatch(line)
        if found is None:
            continue
        fence, info = found.group(1), found.group(2).rstrip(" ")
        opened = number
        if "`" in info and fence[0] == "`":  # ``` `code` ```: not a fence (CommonMark)
            fence = None
            continue
        if _TAKEN.fullmatch(info) is None and _closed_after(lines, number, fence):
            language = _LANGUAGE.match(info)
            lines[opened] = fence + (language.group(1) or language.group(0) if language else "")
            changed = True
    return "\n".join(lines) if changed else text


def _closed_after(lines: list[str], number: int, fence: str) -> bool:
    """Whether a line after ``number`` closes ``fence`` (looked at from there on, not copied)."""
    return any(lines[at].rstrip(" ") == fence for at in range(number + 1, len(lines)))
