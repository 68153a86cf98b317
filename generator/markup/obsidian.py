"""Obsidian's embeds, as analysts who keep their notes in Obsidian write them:

* ``![[chart.png]]`` (an image, a ``|300`` width after it) is the image ``chart.png`` beside
  the Markdown file, as ``![chart](chart.png)`` is (a missing file is the usual warning);
* ``![[Other note]]`` embeds another note's text, which a page here does not: it is the
  cross-link ``[[Other note]]``, with a warning.

Read before the Markdown, outside code (a fenced block, or a line holding a backtick, is left
as written). One pass over the lines, linear in the text; lines keep their numbers. Obsidian's
callouts (``> [!info] Title``) are read with GitHub's alerts (``generator/markup/gfm.py``).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from generator.markup.fencing import lines_outside_code

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
