"""Small pieces of the fast path (see :mod:`generator.markup.fastpath`): its way of declining,
and attribute values escaped as Python-Markdown's serialiser escapes them. Texts themselves
(paragraphs, list items, cells and headings) are rendered by
:mod:`generator.markup.inline_fast`."""

from __future__ import annotations

import re

_ENTITY = re.compile(r"&(?:#[0-9]+|#x[0-9a-f]+|[0-9a-z]+);", re.I)


class _Bail(Exception):
    """The document uses something the fast path does not render exactly."""


def _attr(value: str) -> str:
    """An attribute value as Python-Markdown's HTML serialiser escapes it."""
    if _ENTITY.search(value):
        raise _Bail
    return value.replace("&", "&amp;").replace('"', "&quot;")
