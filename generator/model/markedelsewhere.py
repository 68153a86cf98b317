"""A TLP marking written somewhere other than ``marking:``, read as the marking: fail closed.

Authors carry a document's handling marking the way their last tool or their report template
did: ``TLP: RED`` or ``classification: TLP:AMBER`` as a key, ``handling:`` (the label the
page itself prints), a ``TLP:RED`` tag, or a ``**TLP:AMBER**`` line at the top of the text, as
a Word report has it. Left as an unknown key, such a document was published as TLP:CLEAR to
every audience. So the most restricted of these becomes the document's marking when it has no
``marking:`` (the author's word, as if written there) or a less restricted one, with a warning
saying where it was read and how to write it. A ``marking:`` is never lowered here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from typing import Any

from generator.model.marking import normalise_marking, rank
from generator.yamltree import Scalar, line_of

#: Keys (lower case, without spaces, ``-`` or ``_``) that hold a marking when their value is one.
MARKING_KEYS = frozenset({"tlp", "tlpmarking", "tlplevel", "tlpcolour", "tlpcolor", "marking", "markings",
                          "classification", "handling", "handlingmarking", "sensitivity", "distribution"})
#: A line that is a TLP banner: ``TLP:AMBER``, ``**TLP: RED**``, ``# TLP:GREEN``, ``[TLP:CLEAR]``.
_BANNER = re.compile(r"[#>*_\[\s]*(TLP\s*:\s*(?:CLEAR|WHITE|GREEN|AMBER\s*\+\s*STRICT|AMBER|RED))[*_\]\s.]*",
                     re.I)
#: Characters a pasted key may carry that do not change what it says.
_KEY_NOISE = re.compile("[\\s\u00a0\u200b\u200c\u200d\u2060\ufeff_-]+")

Warn = Callable[[str, str, int], None]


def keys_holding_marking(values: Mapping[str, Any], known: Collection[str]) -> dict[str, tuple[str, str, int]]:
    """The front matter keys, other than the ``known`` ones, that hold a marking (see the
    module's notes): ``key -> (marking, value as written, line)``."""
    held: dict[str, tuple[str, str, int]] = {}
    for key, value in values.items():
        if key in known or not isinstance(value, Scalar):
            continue
        text = value.text.strip()
        if _KEY_NOISE.sub("", key.lower()) in MARKING_KEYS or text.upper().replace(" ", "").startswith("TLP:"):
            read, _ = normalise_marking(text)
            if read is not None:
                held[key] = (read, text, line_of(value, 0))
    return held


def marking_read_elsewhere(held: Mapping[str, tuple[str, str, int]], tags: tuple[str, ...], body: str,
                           body_line: int, marking: str | None, warn: Warn) -> str | None:
    """The document's marking, raised to the most restricted one written elsewhere: in the keys
    ``held`` (:func:`keys_holding_marking`), a tag, or a banner line opening or closing the
    text. ``warn(key, message, line)`` reports where a higher marking was read from."""
    found = [(read, repr(text), key, line) for key, (read, text, line) in held.items()]
    for tag in tags:
        if tag.upper().replace(" ", "").startswith("TLP:"):
            read, _ = normalise_marking(tag)
            if read is not None:
                found.append((read, f"the tag {tag!r}", "tags", 0))
    lines = [(number, line) for number, line in enumerate(body.split("\n")) if line.strip()]
    for number, line in (lines[:1] + lines[-1:]) if lines else []:
        banner = _BANNER.fullmatch(line)
        if banner is not None:
            read, _ = normalise_marking(re.sub(r"\s+", "", banner.group(1)))
            if read is not None:
                found.append((read, f"the line {line.strip()!r} of the text", "marking", body_line + number))
    if not found:
        return marking
    read, where, key, line = max(found, key=lambda item: rank(item[0]))
    if marking is not None and rank(read) <= rank(marking):
        return marking
    before = f"is marked {marking}" if marking else "gives no marking"
    warn(key, f"{where} reads as the marking {read}, while the document {before}; it is treated as "
              f"{read}: write marking: {read}", line)
    return read
