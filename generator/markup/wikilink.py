"""The ``[[target#anchor|label]]`` cross-link syntax, shared by both Markdown renderers."""

from __future__ import annotations

import functools

from generator.model.document import LinkRef

#: A cross-link. Authors wrap long lines, so a link may run over a line break (never over a
#: blank line: a paragraph is rendered on its own); the parts are then read with their
#: whitespace collapsed. No part holds a ``[``: each try of the pattern then stops at the
#: next bracket, so a text full of ``[[`` is searched in linear time (with ``[`` allowed, each
#: ``[[`` was searched to the end of the paragraph).
WIKILINK = r"\[\[([^\[\]|#]+)(?:#([^\[\]|]*))?(?:\|([^\[\]]*))?\]\]"


@functools.lru_cache(maxsize=4096)
def wikilink_ref(inner: str) -> LinkRef:
    """The link written as ``[[inner]]`` (a body link; its line is found later). The same text
    gives the same (immutable) link: a document may write one link thousands of times."""
    target, _, label = inner.partition("|")
    target, _, anchor = target.partition("#")
    return LinkRef(target=_collapse(target), anchor=_collapse(anchor), label=_collapse(label), kind="body")


def _collapse(text: str) -> str:
    return " ".join(text.split()) if "\n" in text else text.strip()
