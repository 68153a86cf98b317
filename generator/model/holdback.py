"""Front matter other tools use to hold a document back, read as briefing's ``draft: true``.

Pelican's ``status: draft`` and Jekyll's ``published: false`` hold a document back, as they do
there: an author who wrote them never meant it published. Hugo's ``publishDate`` and
``expiryDate`` schedule a document and take it down; briefing publishes what it builds, so each
is a warning saying so (the document is published, or held back with ``draft: true``).
"""

from __future__ import annotations

from typing import Any

from generator.yamltree import Scalar, is_null, text

#: Hugo's (and others') keys that schedule a document or take it down.
SCHEDULE_KEYS = ("publishdate", "publish_date", "expirydate", "expiry_date", "expires", "unpublishdate")


def held_back(check: Any, values: dict[str, Any]) -> bool:
    """Whether ``status: draft`` or ``published: false`` holds the document back (and a
    warning for each key that would schedule it or take it down)."""
    for key in [k for k in values if k.lower() in SCHEDULE_KEYS and not is_null(values[k])]:
        taken_down = key.lower().startswith(("expir", "unpub"))
        what = "take documents down" if taken_down else "schedule documents"
        check.warn(key, f"briefing does not {what}: this one is published with the rest of the site "
                        "(write draft: true to hold it back)")
    return _pelican_draft(check, values) | _unpublished(check, values)


def _pelican_draft(check: Any, values: dict[str, Any]) -> bool:
    """Whether Pelican's ``status: draft`` (any case) holds the document back, as it does in
    Pelican: an author who wrote it never meant it published. ``published`` is the other value
    Pelican takes; any other is a warning (the key is kept as ``page.meta``)."""
    key = next((k for k in values if k.lower() == "status"), None)
    if key is None or is_null(values[key]):
        return False
    word = text(values[key]).strip().lower()
    if word == "draft":
        return True
    if word != "published":
        check.warn(key, f"{text(values[key])!r} is not a status briefing knows; expected draft or "
                        "published (or use draft: true)")
    return False


def _unpublished(check: Any, values: dict[str, Any]) -> bool:
    """Whether Jekyll's ``published: false`` holds the document back, as it does in Jekyll; a
    value neither true nor false holds it back too, with a warning (never published by doubt)."""
    key = next((k for k in values if k.lower() == "published"), None)
    if key is None or is_null(values[key]) or not isinstance(values[key], Scalar):
        return False
    word = text(values[key]).strip().lower()
    if word in ("true", "yes", "on", "1"):
        return False
    if word not in ("false", "no", "off", "0"):
        check.warn(key, f"expected true or false, found {text(values[key])!r}; held back as a draft")
    return True
