"""Where a content file's front matter ends and its body begins: YAML between ``---`` lines
(after blank lines, if any), or Pelican's own ``Title: ...`` lines up to the first blank line."""

from __future__ import annotations

import json
import re

from generator.model.text import plain_text
from generator.yamltree import YamlSyntaxError

_FENCE = re.compile(r"^---[ \t]*$")
_END = re.compile(r"^(---|\.\.\.)[ \t]*$")


class FrontMatter:
    """The parts of a content file: raw YAML text (with its first line) and the body."""

    def __init__(self, yaml_text: str | None, yaml_line: int, body: str, body_line: int):
        self.yaml_text = yaml_text
        self.yaml_line = yaml_line
        self.body = body
        self.body_line = body_line


def split(content: str) -> FrontMatter:
    """Split text at ``---`` fences; the text must already be decoded, BOM and CRLF removed.
    Blank lines before the first ``---`` are passed over; a file that opens with Pelican's own
    ``Title: ...`` lines (no fences) has those as its front matter (see :func:`pelican_block`)."""
    blank = len(content) - len(content.lstrip("\n"))
    if blank and content[blank:blank + 3] == "---":
        try:
            parts = split(content[blank:])
        except YamlSyntaxError:  # never closed: no front matter after all
            parts = FrontMatter(None, 1, content, 1)
        if parts.yaml_text is not None:
            return FrontMatter(parts.yaml_text, parts.yaml_line + blank, parts.body, parts.body_line + blank)
    first_end = content.find("\n")
    if not _FENCE.match(content if first_end < 0 else content[:first_end]):
        pelican = pelican_block(content)
        return pelican if pelican is not None else FrontMatter(None, 1, content, 1)
    # Look at the lines after the opening fence one by one (the body is not split into lines).
    start, number = first_end + 1, 1
    while first_end >= 0:
        stop = content.find("\n", start)
        if _END.match(content[start:] if stop < 0 else content[start:stop]):
            yaml_text = content[first_end + 1 : max(start - 1, first_end + 1)]
            return FrontMatter(yaml_text, 2, "" if stop < 0 else content[stop + 1 :], number + 2)
        if stop < 0:
            break
        start, number = stop + 1, number + 1
    raise YamlSyntaxError("starts with '---' on line 1 but is never closed by a '---' line", 1)


#: A line of Pelican's metadata: ``Key: value``.
_PELICAN_LINE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*)[ \t]*:[ \t]*(.*)")
#: A value YAML would read as something else than the text it is (quoted when it is one).
_NOT_PLAIN = re.compile(r"^[\[\]{}&*!|>'\"%@`#,?:-]|: | #|:$")


def pelican_block(content: str) -> FrontMatter | None:
    """Pelican's own metadata, ``Key: value`` lines up to the first blank line with ``Title:``
    among them (an indented line continues the one before), as YAML front matter on the same
    lines; ``None`` when the file does not open so."""
    end = content.find("\n\n")
    head = content if end < 0 else content[:end]
    lines = head.split("\n")
    if len(lines) > 100 or not lines[0] or lines[0][0] in " \t":
        return None
    yaml_lines: list[str] = []
    keys: list[str] = []
    for line in lines:
        found = _PELICAN_LINE.fullmatch(line)
        if found is not None:
            key, value = found.group(1), found.group(2).strip()
            keys.append(key.lower())
            yaml_lines.append(f"{key}: {json.dumps(value) if _NOT_PLAIN.search(value) else value}")
        elif line[:1] in (" ", "\t") and line.strip() and yaml_lines:  # continues the line before
            key, _, value = yaml_lines[-1].partition(": ")
            text = json.loads(value) if value.startswith('"') else value
            joined = f"{text} {line.strip()}".strip()
            yaml_lines[-1] = f"{key}: {json.dumps(joined) if _NOT_PLAIN.search(joined) else joined}"
            yaml_lines.append("")
        else:
            return None
    if "title" not in keys:
        return None
    body = "" if end < 0 else content[end + 2:]
    return FrontMatter("\n".join(yaml_lines), 1, body, len(lines) + 2)


def opening_heading(body: str) -> tuple[str, str] | None:
    """(title, body without it) when the body's first line with text is a ``# Title`` heading:
    the line is left blank, so the lines after it keep their numbers."""
    start = len(body) - len(body.lstrip("\n"))
    end = body.find("\n", start)
    end = len(body) if end < 0 else end
    first = body[start:end]
    if not first.startswith("# "):
        return None
    title = plain_text(first[2:].strip().rstrip("#").strip())
    return (title, body[:start] + body[end:]) if title else None


def first_heading(body: str) -> str | None:
    """The text of the body's first ``# Heading`` line, if any."""
    for line in body.split("\n"):
        if line.startswith("# "):
            return line[2:].strip()
    return None
