"""``confidence:`` as analysts write it, read as one of ICD 203's three levels.

``High``, ``moderate confidence`` and ``MODERATE`` are the levels as written. Words that can
only mean one level (``medium``, ``med``, ``hi``) are read as it with a warning; a range
(``moderate-high``, ``low to moderate``, ``moderate/high``) is read as its lower level, with a
warning (ICD 203 has three levels, and a claim is only as strong as its weaker reading); a
note in brackets after the level (``high (B2 sources)``) is passed over. Anything else is an
error naming the levels, with the nearest one as a hint.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from generator.model.document import CONFIDENCE_LEVELS

#: Words that mean one level.
_SAME = {"medium": "moderate", "med": "moderate", "mod": "moderate", "mid": "moderate", "hi": "high",
         "lo": "low"}
_RANGE = re.compile(r"\s*(?:-|–|—|/|\bto\b)\s*")
_AFTERWORD = re.compile(r"\s*\(.*\)\s*$")


def read_confidence(check: Any, value: Any, key: str = "confidence", line: int | None = None) -> str | None:
    """The level ``value`` names (``check`` collects the problems, as front matter's does)."""
    if isinstance(value, list | dict) and line is not None:
        check.err(key, f"confidence is a {'list' if isinstance(value, list) else 'mapping'}; expected low, "
                       "moderate or high", line)
        return None
    word = check.string(key, value)
    if not word:
        return None
    low = " ".join(_AFTERWORD.sub("", word).lower().split()).removesuffix(" confidence") or word.lower()
    if low in CONFIDENCE_LEVELS:
        return low
    if low in _SAME:
        check.warn(key, f"{word!r} is read as {_SAME[low]!r}; the levels are low, moderate and high", line)
        return _SAME[low]
    parts = [_SAME.get(part, part) for part in _RANGE.split(low) if part]
    if len(parts) == 2 and all(part in CONFIDENCE_LEVELS for part in parts):
        lower = min(parts, key=CONFIDENCE_LEVELS.index)
        check.warn(key, f"{word!r} is read as {lower!r}, the lower of the two: ICD 203 has three levels "
                        "(low, moderate, high); write the one the evidence supports", line)
        return lower
    hint = next(iter(difflib.get_close_matches(low, CONFIDENCE_LEVELS, 1, 0.6)), None)
    extra = f"; did you mean '{hint}'?" if hint else ""
    check.err(key, f"{word!r} is not a confidence level; expected low, moderate or high{extra}", line)
    return None
