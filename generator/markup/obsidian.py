"""Obsidian's embeds, as analysts who keep their notes in Obsidian write them:

* ``![[chart.png]]`` (an image, a ``|300`` width after it) is the image ``chart.png`` beside
  the Markdown file, as ``![chart](chart.png)`` is (a missing file is the usual warning);
* ``![[Other note]]`` embeds another note's text, which a page here does not: it is the
  cross-link ``[[Other note]]``, with a warning.

Read before the Markdown, outside code (a fenced block, or a line holding a backtick, is left
as written). One pass over the lines, linear in the text; lines keep their numbers. Obsidian's
callouts (``> [!info] Title``) are read with GitHub's alerts (``generator/markup/gfm.py``).

Obsidian's comments (``%%a note to myself%%``, or ``%%`` lines around a block) are hidden in
Obsidian's reading view, so they are authors' notes: left out of the page, its feed entry and
its search words, as HTML comments are (:func:`comments_left_out`).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from generator.markup.fencing import Fences, lines_outside_code

_EMBED = re.compile(r"!\[\[([^\[\]|#\n]+)(?:#[^\[\]|\n]*)?(?:\|([^\[\]\n]*))?\]\]")
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp")


def embeds_read(source: str, body_line: int) -> tuple[str, list[tuple[int, str]]]:
    """``source`` with Obsidian's ``![[...]]`` embeds read as the module's notes say, and a
    warning (line in the file, message) for each note embedded (shown as a link)."""
    if "![[" not in source:
        return source, []
    lines = source.split("\n")
    notes: list[tuple[int, str]] = []
    for number, line in lines_outside_code(lines):
        if "![[" not in line or "`" in line:
            continue

        def swap(found: re.Match[str], number: int = number) -> str:
            name = found.group(1).strip()
            if name.lower().endswith(_IMAGE_SUFFIXES):
                width = (found.group(2) or "").strip()
                size = f"{{width={width.split('x')[0]}}}" if re.fullmatch(r"\d+(x\d+)?", width) else ""
                alt = name.rsplit("/", 1)[-1].rsplit(".", 1)[0].replace("]", "")
                return f"![{alt}]({quote(name, safe='/._-~')}){size}"
            notes.append((body_line + number, f"{found.group(0)!r} embeds another note, which a page here "
                                              "does not; it is shown as a link to it"))
            return "[[" + found.group(0)[3:]
        lines[number] = _EMBED.sub(swap, line)
    return "\n".join(lines), notes


#: What the comment pass stops at in a line: a comment's mark, or a run of backticks (a code span).
_COMMENT_OR_CODE = re.compile(r"%%|`+")


def comments_left_out(source: str, body_line: int) -> tuple[str, list[tuple[int, str]]]:
    """``source`` without Obsidian's ``%%comments%%`` (outside code; one may span lines, which
    are left blank, so the lines after keep their numbers), and a warning (line in the file,
    message) for one never closed: as in Obsidian, it hides the rest of the text."""
    if "%%" not in source:
        return source, []
    lines = source.split("\n")
    fences = Fences()
    opened: int | None = None  # the line of the comment open, if one is
    for number, line in enumerate(lines):
        if opened is None and (fences.is_fence(line) or fences.in_code or "%%" not in line):
            continue
        lines[number], opened = _without_comments(line, number, opened)
    notes: list[tuple[int, str]] = []
    if opened is not None:
        notes.append((body_line + opened, "an Obsidian comment (%%) is never closed: the text after it is left "
                                          "out of the page, as Obsidian hides it; close it with %%"))
    return "\n".join(lines), notes


def _without_comments(line: str, number: int, opened: int | None) -> tuple[str, int | None]:
    """One line without the comments in it (``opened``: the line a comment open at its start
    opened on); returns the line kept and the comment still open at its end, if any."""
    kept: list[str] = []
    at = pos = 0  # where the text to keep starts (out of a comment), and where to look on
    while (found := _COMMENT_OR_CODE.search(line, pos)) is not None:
        mark = found.group()
        pos = found.end()
        if mark == "%%":
            if opened is None:
                kept.append(line[at:found.start()])
                opened = number
            else:
                opened, at = None, pos
        elif opened is None:  # a code span's text is its own: a %% in it stays
            pos = _code_span_end(line, pos, mark)
    if opened is None:
        kept.append(line[at:])
    return "".join(kept), opened


def _code_span_end(line: str, start: int, ticks: str) -> int:
    """Where the code span opened by ``ticks`` (ending at ``start``) ends: after the next run of
    exactly as many backticks; ``start`` when none closes it (the backticks are text)."""
    end = line.find(ticks, start)
    while end >= 0:
        run = end + len(ticks)
        if line[run:run + 1] != "`":
            return run
        while line[run:run + 1] == "`":  # a longer run: no closer, and no part of one
            run += 1
        end = line.find(ticks, run)
    return start


#: An inline footnote, as Obsidian and Pandoc write one: ``^[the note's text]`` (no brackets in it).
_INLINE_NOTE = re.compile(r"\^\[([^\[\]\n]*[^\[\]\s][^\[\]\n]*)\]")


def inline_footnotes(source: str) -> str:
    """``source`` with each inline footnote (``^[text]``, outside code) made a footnote reference, its definition added after the
    body's last line (so every line keeps its number): the note is numbered and listed with
    the others, as Obsidian and Pandoc show it."""
    if "^[" not in source:
        return source
    lines = source.split("\n")
    notes: list[str] = []
    def note(found: re.Match[str]) -> str:
        notes.append(found.group(1).strip())
        return f"[^inline-{len(notes)}]"

    for number, line in lines_outside_code(lines):
        if "^[" not in line:
            continue
        if "`" not in line:
            lines[number] = _INLINE_NOTE.sub(note, line)
            continue
        kept: list[str] = []  # the line's text between code spans, read; the spans as written
        at = 0
        while (tick := line.find("`", at)) >= 0:
            run = tick
            while line[run:run + 1] == "`":
                run += 1
            end = _code_span_end(line, run, line[tick:run])
            kept.append(_INLINE_NOTE.sub(note, line[at:tick]) + line[tick:end])
            at = end if end > run else run
        kept.append(_INLINE_NOTE.sub(note, line[at:]))
        lines[number] = "".join(kept)
    if not notes:
        return source
    return "\n".join(lines) + "\n\n" + "\n".join(f"[^inline-{n}]: {text}" for n, text in enumerate(notes, 1)) + "\n"
