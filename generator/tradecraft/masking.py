"""What the estimative-language checks do not read.

:func:`mask_markdown` blanks out, in a copy of a Markdown body of the same length (newlines
kept, so every offset is still the author's line and column): fenced and indented code, inline
code, ``>`` quotations, text in double quotes ("..." and “...”), HTML comments and tags, URLs,
link destinations, the targets of ``[[...]]`` cross-links, reference definitions, and each line
that carries ``<!-- briefing: allow -->``. Every scan is linear in the text's size.
"""

from __future__ import annotations

import re

ALLOW = "<!-- briefing: allow -->"

_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
_QUOTE_LINE = re.compile(r"^[ ]{0,3}>")
_LIST_ITEM = re.compile(r"^[ ]{0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_BLOCK_START = re.compile(r"^[ ]{0,3}(?:#|[-*+][ \t]|\d{1,9}[.)][ \t]|`{3,}|~{3,}|\|)")
_REFERENCE = re.compile(r"^[ ]{0,3}\[[^\]]+\]:[ \t]*\S")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_URL_REST = re.compile(r"[^\s<>()\[\]\"]*")
_DESTINATION = re.compile(r"\]\([^()\s]*(?:\s+\"[^\"\n]*\")?\)")
_WIKI_TARGET = re.compile(r"\[\[[^\]|\n]*")
_PARAGRAPH = re.compile(r"\n[ \t]*\n")


def blank(text: str) -> str:
    """``text`` with every character but newlines turned into a space."""
    return re.sub(r"[^\n]", " ", text) if "\n" in text else " " * len(text)


def apply(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the ``(start, end)`` spans blanked out (they may overlap)."""
    if not spans:
        return text
    spans.sort()
    out: list[str] = []
    done = 0
    for start, end in spans:
        start = max(start, done)
        if end <= start:
            continue
        out.append(text[done:start])
        out.append(blank(text[start:end]))
        done = end
    out.append(text[done:])
    return "".join(out)


def mask_markdown(body: str) -> str:
    """The body with everything the checks must not read blanked out (see the module)."""
    return mask_inline(apply(body, _block_spans(body)))


def mask_inline(text: str) -> str:
    """Blank out inline code, comments, tags, URLs, link targets and quoted text (the checks'
    view of a summary or key judgment, and of a body once its blocks are masked)."""
    if "<!--" in text:
        text = apply(text, _comment_spans(text))
    if "`" in text:
        text = apply(text, _code_spans(text))
    spans = []
    if "<" in text:
        spans += [m.span() for m in _TAG.finditer(text)]
    if "://" in text or "mailto:" in text or "www." in text:
        spans += _url_spans(text)
    if "](" in text:
        spans += [(m.start() + 1, m.end()) for m in _DESTINATION.finditer(text)]
    if "[[" in text:
        spans += [(m.start() + 2, m.end()) for m in _WIKI_TARGET.finditer(text)]
    text = apply(text, spans)
    if '"' in text or "“" in text or "”" in text:
        text = apply(text, _quoted_spans(text))
    return text


def _comment_spans(text: str) -> list[tuple[int, int]]:
    """HTML comments (an unclosed ``<!--`` hides nothing but itself)."""
    spans = []
    start = text.find("<!--")
    while start >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            spans.append((start, start + 4))
            break
        spans.append((start, end + 3))
        start = text.find("<!--", end + 3)
    return spans


def _url_spans(text: str) -> list[tuple[int, int]]:
    """Addresses: ``scheme://...``, ``mailto:...`` and ``www....`` up to a space or bracket."""
    spans = []
    for marker in ("://", "mailto:", "www."):
        at = text.find(marker)
        while at >= 0:
            start = at
            while marker == "://" and start > 0 and (text[start - 1].isalnum() or text[start - 1] in "+.-"):
                start -= 1
            end = _URL_REST.match(text, at + len(marker)).end()  # type: ignore[union-attr]
            spans.append((start, end))
            at = text.find(marker, end)
    return spans


def _block_spans(body: str) -> list[tuple[int, int]]:
    """Lines that are code, quotation, reference definitions or allowed, as (start, end)."""
    spans: list[tuple[int, int]] = []
    fence = ""
    lazy_quote = in_list = in_code = False
    blank_before = True
    start = 0
    for line in body.split("\n"):
        end = start + len(line)
        first = line[:1]
        if not fence and not lazy_quote and not in_code and first.isalpha() and ALLOW not in line:
            in_list = False  # an ordinary paragraph line: the common case, decided at once
            blank_before = False
            start = end + 1
            continue
        stripped = line.strip()
        masked = True
        if fence:
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = ""
        elif (match := _FENCE.match(line)) is not None:
            fence = match.group(1)
        elif not stripped:
            masked = lazy_quote = False
        elif ALLOW in line or _REFERENCE.match(line):
            pass
        elif _QUOTE_LINE.match(line):
            lazy_quote = True
        elif lazy_quote and not _BLOCK_START.match(line):
            pass  # a lazy continuation line of the quotation above
        elif _indent(line) >= (8 if in_list else 4) and (blank_before or in_code):
            in_code = True
        else:
            masked = in_code = lazy_quote = False
            if _LIST_ITEM.match(line):
                in_list = True
            elif _indent(line) == 0:
                in_list = False
        if masked:
            spans.append((start, end))
        blank_before = not stripped
        start = end + 1
    return spans


def _indent(line: str) -> int:
    """Columns of leading white space (a tab counts as four)."""
    width = 0
    for char in line:
        if char == " ":
            width += 1
        elif char == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Inline code: a run of backticks up to the next run of the same length in its paragraph."""
    breaks = [m.start() for m in _PARAGRAPH.finditer(text)]
    spans: list[tuple[int, int]] = []
    paragraph: list[tuple[int, int]] = []
    index = 0
    at = text.find("`")
    while at >= 0:
        end = at + 1
        while end < len(text) and text[end] == "`":
            end += 1
        if index < len(breaks) and at > breaks[index]:
            spans += _pair_runs(paragraph)
            paragraph = []
            while index < len(breaks) and at > breaks[index]:
                index += 1
        paragraph.append((at, end))
        at = text.find("`", end)
    return spans + _pair_runs(paragraph)


def _pair_runs(runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    following: list[int] = [-1] * len(runs)
    last: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        size = runs[index][1] - runs[index][0]
        following[index] = last.get(size, -1)
        last[size] = index
    spans = []
    index = 0
    while index < len(runs):
        close = following[index]
        if close < 0:
            index += 1
            continue
        spans.append((runs[index][0], runs[close][1]))
        index = close + 1
    return spans


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Text between double quotes, closed within its paragraph."""
    marks = sorted(at for mark in '"“”' for at in _positions(text, mark))
    breaks = [m.start() for m in _PARAGRAPH.finditer(text)]
    spans: list[tuple[int, int]] = []
    opened = -1
    index = 0
    for at in marks:
        if index < len(breaks) and at > breaks[index]:
            opened = -1
            while index < len(breaks) and at > breaks[index]:
                index += 1
        mark = text[at]
        if opened < 0:
            if mark != "”":
                opened = at
        elif mark != "“":
            spans.append((opened, at + 1))
            opened = -1
    return spans


def _positions(text: str, char: str) -> list[int]:
    found = []
    at = text.find(char)
    while at >= 0:
        found.append(at)
        at = text.find(char, at + 1)
    return found


_HEADING = re.compile(r"^[ ]{0,3}(#{1,6})[ \t]+(.*)$", re.M)
_JUDGMENTS = re.compile(r"\bkey\s+(?:judge?ments?|findings|assessments?)\b", re.I)


def judgment_sections(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of sections under a heading such as "Key judgments" (to the next
    heading of the same or a higher level)."""
    sections: list[tuple[int, int]] = []
    open_level = 0
    open_at = 0
    for match in _HEADING.finditer(text):
        level = len(match.group(1))
        if open_level and level <= open_level:
            sections.append((open_at, match.start()))
            open_level = 0
        if not open_level and _JUDGMENTS.search(match.group(2)):
            open_level, open_at = level, match.end()
    if open_level:
        sections.append((open_at, len(text)))
    return sections
