"""What the estimative-language checks do not read, and where sentences end.

:func:`mask_markdown` blanks out, in a copy of a Markdown body of the same length (newlines
kept, so every offset is still the author's line and column): fenced and indented code, inline
code, ``>`` quotations, text in double quotes ("..." and “...”), HTML comments and tags, URLs,
link destinations, the targets of ``[[...]]`` cross-links, reference definitions, and each line
that carries ``<!-- briefing: allow -->``. Every scan is linear in the text's size.
"""

from __future__ import annotations

import re
from bisect import bisect_right

ALLOW = "<!-- briefing: allow -->"

_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
_QUOTE_LINE = re.compile(r"^[ ]{0,3}>")
_LIST_ITEM = re.compile(r"^[ ]{0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_BLOCK_START = re.compile(r"^[ ]{0,3}(?:#|[-*+][ \t]|\d{1,9}[.)][ \t]|`{3,}|~{3,}|\|)")
_REFERENCE = re.compile(r"^[ ]{0,3}\[[^\]]+\]:[ \t]*\S")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_URL = re.compile(r"\b(?:https?|ftp|mailto):[^\s<>()\[\]]+|\bwww\.[^\s<>()\[\]]+")
_DESTINATION = re.compile(r"\]\([^()\s]*(?:\s+\"[^\"\n]*\")?\)")
_WIKI_TARGET = re.compile(r"\[\[[^\]|\n]*")
_TICKS_OR_BREAK = re.compile(r"`+|\n[ \t]*\n")
_QUOTES_OR_BREAK = re.compile(r"[\"“”]|\n[ \t]*\n")


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
    spans = [m.span() for m in _COMMENT.finditer(text)] if "<!--" in text else []
    text = apply(text, spans)
    if "`" in text:
        text = apply(text, _code_spans(text))
    spans = []
    if "<" in text:
        spans += [m.span() for m in _TAG.finditer(text)]
    if ":" in text or "www." in text:
        spans += [m.span() for m in _URL.finditer(text)]
    if "](" in text:
        spans += [(m.start() + 1, m.end()) for m in _DESTINATION.finditer(text)]
    if "[[" in text:
        spans += [(m.start() + 2, m.end()) for m in _WIKI_TARGET.finditer(text)]
    text = apply(text, spans)
    if '"' in text or "“" in text:
        text = apply(text, _quoted_spans(text))
    return text


def _block_spans(body: str) -> list[tuple[int, int]]:
    """Lines that are code, quotation, reference definitions or allowed, as (start, end)."""
    spans: list[tuple[int, int]] = []
    fence = ""
    lazy_quote = in_list = in_code = False
    blank_before = True
    start = 0
    for line in body.split("\n"):
        end = start + len(line)
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
    spans: list[tuple[int, int]] = []
    paragraph: list[tuple[int, int]] = []
    for match in _TICKS_OR_BREAK.finditer(text):
        if match.group().startswith("`"):
            paragraph.append(match.span())
            continue
        spans += _pair_runs(paragraph)
        paragraph = []
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
    spans: list[tuple[int, int]] = []
    opened = -1
    for match in _QUOTES_OR_BREAK.finditer(text):
        mark = match.group()
        if mark not in ('"', "“", "”"):
            opened = -1
        elif opened < 0:
            if mark != "”":
                opened = match.start()
        elif mark != "“":
            spans.append((opened, match.end()))
            opened = -1
    return spans


_BREAK = re.compile(r"[.!?][)\]\"'”’*_]*(?=\s|$)|\n[ \t]*\n|\||\n(?=[ \t]{0,3}(?:[-*+]|\d{1,9}[.)])[ \t])"
                    r"|\n(?=[ \t]{0,3}#)|(?<=\n)[ \t]{0,3}#[^\n]*\n")
_ABBREVIATION = re.compile(r"(?:\b(?:e\.g|i\.e|etc|vs|cf|approx|incl|al|Mr|Mrs|Ms|Dr|St|No|Gen|Col|Lt|Maj|Capt|"
                           r"Sgt|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)|(?<![\w.])[A-Z])$")


class Sentences:
    """Where sentences end in a (masked) text: at ``.``, ``!`` or ``?`` before a space (not
    after an abbreviation or an initial), at blank lines, table cells, list items and headings."""

    def __init__(self, text: str):
        ends: list[int] = []
        for match in _BREAK.finditer(text):
            if match.group()[0] == "." and _ABBREVIATION.search(text, max(0, match.start() - 8), match.start()):
                continue
            ends.append(match.end() if match.group()[0] in "#\n" else match.start())
        if text.startswith("#"):
            ends.append(text.find("\n") if "\n" in text else len(text))
        self.ends = sorted(ends)

    def of(self, offset: int) -> int:
        """The number of the sentence holding ``offset``."""
        return bisect_right(self.ends, offset)


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
