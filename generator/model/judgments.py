"""``key_judgments:`` in front matter: a list of judgments, each a string or a mapping
``{text, confidence?, likelihood?}``, validated into :class:`KeyJudgment` values.

Problems name the judgment and its field, numbered from 1 as a reader counts the list:
``file:line: key_judgments[2].confidence: ...``.

Only the shape is checked here; whether a likelihood is a term of the site's scale, and what
the text says, is :mod:`generator.tradecraft`'s business (it knows the scale).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import Any, Protocol

from generator.errors import Diagnostic, warning
from generator.model.document import Document, KeyJudgment, Span
from generator.yamltree import Scalar, is_null, line_of

KEY = "key_judgments"
ITEM_KEYS = ("text", "confidence", "likelihood")
SHAPE = "a string, or a mapping {text, confidence, likelihood}"


class _Reporter(Protocol):
    """What the front matter checker offers: errors and warnings on a key, at a line."""

    lines: dict[str, int]

    def err(self, key: str, message: str, line: int | None = None) -> None: ...

    def warn(self, key: str, message: str, line: int | None = None) -> None: ...


def span_of(value: Scalar) -> Span | None:
    """Where a scalar was written, when the YAML reader said so."""
    return (value.line, value.col, value.end_line, value.end_col) if value.end_line else None


def parse_key_judgments(check: _Reporter, value: Any,
                        confidence_of: Callable[..., str | None]) -> tuple[KeyJudgment, ...]:
    """The judgments of a ``key_judgments:`` value; each problem reported on its own line.

    ``confidence_of(check, value, key, line)`` validates a confidence level (the front
    matter's own rule, so both read alike).
    """
    if value is None or is_null(value):
        return ()
    if isinstance(value, dict):
        check.err(KEY, f"expected a list of key judgments, each {SHAPE}; found a single mapping "
                       "(put '- ' before it to make it a list item)", line_of(value, 0) or None)
        return ()
    if isinstance(value, Scalar) and _BULLETED.fullmatch(value.text.strip()):
        return _bulleted(value)
    items = value if isinstance(value, list) else [value]
    out: list[KeyJudgment] = []
    for number, item in enumerate(items, 1):
        line = line_of(item, check.lines.get(KEY, 1))
        if isinstance(item, Scalar):
            if is_null(item) or not item.text.strip():
                check.err(f"{KEY}[{number}]", f"is empty; expected {SHAPE}", line)
                continue
            out.append(KeyJudgment(text=item.text.strip(), line=line, span=span_of(item)))
        elif isinstance(item, dict):
            judgment = _mapping(check, item, number, line, confidence_of)
            if judgment is not None:
                out.append(judgment)
        else:
            check.err(f"{KEY}[{number}]", f"is a nested list; expected {SHAPE}", line)
    return tuple(out)


#: A block of text written as a bulleted list (``key_judgments: |`` then ``- A`` and ``- B``).
_BULLETED = re.compile(r"(?:[-*] [^\n]*\S[^\n]*\n?)(?:(?:[-*] |  )[^\n]*\S[^\n]*\n?)+")


def _bulleted(value: Scalar) -> tuple[KeyJudgment, ...]:
    """The judgments of a block of text written as a bulleted list, one per bullet (a line
    indented under a bullet continues it), each on its line of the file."""
    out: list[KeyJudgment] = []
    for offset, line in enumerate(value.text.strip().split("\n")):
        if line[:2] in ("- ", "* "):
            out.append(KeyJudgment(text=line[2:].strip(), line=value.line + 1 + offset))
        elif out:
            last = out[-1]
            out[-1] = KeyJudgment(text=f"{last.text} {line.strip()}", line=last.line)
    return tuple(out)


def _mapping(check: _Reporter, item: dict, number: int, line: int,
             confidence_of: Callable[..., str | None]) -> KeyJudgment | None:
    for key in item:
        if key not in ITEM_KEYS:
            guess = difflib.get_close_matches(key.lower(), ITEM_KEYS, 1, 0.6)
            hint = f"did you mean '{guess[0]}'?" if guess else f"expected {', '.join(ITEM_KEYS)}"
            check.warn(f"{KEY}[{number}].{key}", f"unknown key; {hint}", line_of(item[key], line))
    text = item.get("text")
    if not isinstance(text, Scalar) or is_null(text) or not text.text.strip():
        found = "is missing" if "text" not in item else (
            "is a list" if isinstance(text, list) else "is a mapping" if isinstance(text, dict) else "is empty")
        check.err(f"{KEY}[{number}].text", f"{found}; expected the judgment as a sentence",
                  line_of(text, line))
        return None
    confidence = confidence_of(check, item.get("confidence"), f"{KEY}[{number}].confidence",
                               line_of(item.get("confidence"), line))
    likelihood = item.get("likelihood")
    word: str | None = None
    where: Span | None = None
    if isinstance(likelihood, Scalar):
        word = None if is_null(likelihood) else likelihood.text.strip() or None
        where = span_of(likelihood)
    elif likelihood is not None:
        check.err(f"{KEY}[{number}].likelihood", f"is a {'list' if isinstance(likelihood, list) else 'mapping'}; "
                       "expected one term of the likelihood scale, such as likely", line_of(likelihood, line))
    return KeyJudgment(text=text.text.strip(), confidence=confidence, likelihood=word, line=line,
                       span=span_of(text), likelihood_span=where if word else None)


#: An ATX heading "Key judgments" / "Key judgements" (any level, any case).
_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+key[ \t]+judge?ments?\b", re.IGNORECASE | re.MULTILINE)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def body_heading_line(body: str, body_line: int = 1) -> int | None:
    """The file line of a "Key judgments" heading in a Markdown body (outside fenced code),
    else ``None``."""
    if "udg" not in body:
        return None
    fence = ""
    for number, line in enumerate(body.split("\n")):
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
            continue
        if opened:
            fence = opened.group(1)
        elif _HEADING.match(line):
            return body_line + number
    return None


def redundant_heading(path: str, doc: Document) -> list[Diagnostic]:
    """A warning when a document gives ``key_judgments:`` and its body also has a "Key
    judgments" heading: the page would show them twice."""
    if not doc.key_judgments:
        return []
    line = body_heading_line(doc.body, doc.body_line)
    if line is None:
        return []
    return [warning(path, line, "body", f"a 'Key judgments' heading, while {KEY}: in the front matter "
                    f"(line {doc.lines.get(KEY, 1)}) gives them too and the page shows them in a box above "
                    "the body; keep one of the two (remove the heading and its list, or the front matter list)")]
