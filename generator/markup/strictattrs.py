"""Attribute lists only where they are written as attributes: ``{#id .class key=value}``.

Python-Markdown's ``attr_list`` takes any text in braces at the end of a paragraph, heading,
list item or cell, or right after an inline element, as attributes, bare words included: a
line ``{redacted}`` or ``{name withheld by request}`` vanished from the page and became
``<p redacted>`` (invalid HTML), and ``## Set {1, 2, 3}`` lost its braces. Hugo (Goldmark)
and kramdown read braces as attributes only when every part is an id (``#x``), a class
(``.x``) or a ``key=value``; so does this copy of the extension's step. Any other text in
braces stays text.
"""

from __future__ import annotations

import re

import markdown
from markdown.extensions.attr_list import AttrListTreeprocessor

#: One attribute: ``#id``, ``.class`` or ``key=value`` (the value quoted, or a word).
_ONE = r"""(?:[#.][^\s{}=#.'"]+|[^\s{}='"#.][^\s{}='"]*=(?:"[^"\n]*"|'[^'\n]*'|[^\s{}'"]+))"""
#: Braces holding attributes only (kramdown's ``{: ...}`` too), as the extension's ``BASE_RE``.
BASE_RE = rf"\{{\:?[ ]*({_ONE}(?:[ ]+{_ONE})*)[ ]*\}}"


class StrictAttrListTreeprocessor(AttrListTreeprocessor):
    """Python-Markdown's attribute list step, for braces that hold attributes only."""

    BASE_RE = BASE_RE
    HEADER_RE = re.compile(rf"[ ]+{BASE_RE}[ ]*$")
    BLOCK_RE = re.compile(rf"\n[ ]*{BASE_RE}[ ]*$")
    INLINE_RE = re.compile(rf"^{BASE_RE}")


def strict_attr_lists(md: markdown.Markdown) -> None:
    """Put :class:`StrictAttrListTreeprocessor` in place of ``md``'s attribute list step."""
    if "attr_list" in md.treeprocessors:
        md.treeprocessors.register(StrictAttrListTreeprocessor(md), "attr_list", ATTR_LIST_PRIORITY)


#: Where the extension registers its step (its documented priority).
ATTR_LIST_PRIORITY = 8
