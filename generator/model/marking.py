"""Traffic Light Protocol 2.0 markings: their order, their spelling, and who may see what."""

from __future__ import annotations

from collections.abc import Iterable

#: TLP 2.0 markings from the least to the most restricted (TLP:AMBER+STRICT above TLP:AMBER).
MARKINGS = ("TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED")
_RANK = {marking: rank for rank, marking in enumerate(MARKINGS)}
#: The marking of a document that has none, unless ``marking:`` in ``briefing.yaml`` says otherwise.
DEFAULT_MARKING = "TLP:CLEAR"
#: The audience of a build that leaves nothing out (``serve``, or ``build`` without ``--audience``).
EVERYONE_INSIDE = MARKINGS[-1]


def normalise_marking(word: str) -> tuple[str | None, str]:
    """``(marking, note)``: the TLP 2.0 marking ``word`` spells (any case, ``TLP:`` optional,
    ``TLP:WHITE`` read as TLP 1.0's name for ``TLP:CLEAR`` with a note), or ``(None, "")``."""
    norm = word.strip().upper().replace(" ", "")
    if not norm.startswith("TLP:"):
        norm = "TLP:" + norm.removeprefix("TLP")
    if norm == "TLP:WHITE":
        return "TLP:CLEAR", "TLP:WHITE is TLP 1.0; TLP 2.0 calls it TLP:CLEAR (used)"
    return (norm, "") if norm in _RANK else (None, "")


def rank(marking: str) -> int:
    """How restricted a (valid) marking is: 0 for TLP:CLEAR up to 4 for TLP:RED."""
    return _RANK[marking]


def visible_to(marking: str, audience: str | None) -> bool:
    """Whether a document marked ``marking`` may be shown to ``audience`` (``None``: everyone inside)."""
    return audience is None or _RANK[marking] <= _RANK[audience]


def lower(first: str, second: str | None) -> str:
    """The less restricted of two markings (``second`` may be ``None``: no limit)."""
    return first if second is None or _RANK[first] <= _RANK[second] else second


def highest(markings: Iterable[str | None]) -> str | None:
    """The most restricted of some markings (``None`` for none)."""
    found: str | None = None
    for marking in markings:
        if marking is not None and (found is None or _RANK[marking] > _RANK[found]):
            found = marking
    return found


def css_class(marking: str | None) -> str:
    """The CSS class suffix of a marking: ``TLP:AMBER+STRICT`` -> ``tlp-amber-strict``."""
    return (marking or "").lower().replace("tlp:", "tlp-").replace("+", "-")


def expected() -> str:
    """The markings, for messages."""
    return ", ".join(MARKINGS)
