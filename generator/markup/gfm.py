"""The three things Hugo's and GitHub's Markdown do that Python-Markdown does not.

Authors coming from Hugo (Goldmark) or GitHub write:

* ``~~struck out~~``: shown struck out (``<del>``), not with its tildes;
* ``- [ ] open`` and ``- [x] done``: task list items, with a box ticked or not;
* a bare ``https://example.org/report`` or ``www.example.org``: a link.

Strike-through is an inline pattern of Python-Markdown's (:class:`StrikeExtension`), so it
nests with emphasis and links as other inline forms do and code spans keep their tildes. The
fast renderers decline a text holding ``~~`` (see :mod:`generator.markup.inline_fast`).

Task boxes and bare links are found in the rendered HTML (:func:`gfm_html`), which both
renderers give alike: boxes at the start of a list item, links in text outside tags, links,
code and preformatted blocks. Both passes are linear in the size of the HTML.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

#: ``~~text~~``: the text neither starts nor ends with a space and holds no ``~~`` (so a
#: search from each opening pair stops at the next pair: linear in the text).
STRIKE = r"(?<!~)~~(?!~)([^\s~](?:(?:[^~]|~(?!~))*?[^\s~])?)~~(?!~)"


class _StrikeProcessor(InlineProcessor):
    """``~~text~~`` as ``<del>text</del>``; the text's own inline forms are rendered after."""

    reads_forward = True  # reads only its match (see generator.markup.inline)

    def handleMatch(self, m: re.Match[str], data: str):  # noqa: N802 - Markdown's API name
        element = etree.Element("del")
        element.text = m.group(1)
        return element, m.start(0), m.end(0)


class StrikeExtension(Extension):
    """Registers ``~~strike-through~~`` before emphasis, after links and code."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API name
        md.inlinePatterns.register(_StrikeProcessor(STRIKE, md), "briefing-strike", 65)


#: A task box at the start of a list item, tight (``<li>[ ] ``) or loose (``<li>\n<p>[x] ``).
_TASK = re.compile(r"(<li>(?:\n?<p>)?)\[([ xX])\](?=[ \n])")
_BOX = {
    " ": '<input type="checkbox" class="task" disabled aria-label="not done">',
    "x": '<input type="checkbox" class="task" disabled checked aria-label="done">',
}

#: What the link finder stops at: an element whose text is left alone (its start), any other
#: tag, or the start of a bare web address (not inside a word or another address).
_SCAN = re.compile(
    r"<(a|code|pre|script|style|textarea)\b[^>]*>|<[^>]*>"
    r"|(?<![\w/@.:%&#=?+-])(?:https?://|www\.)(?=[\w-])[^\s<>\"]*")
_TAG_TEXT = re.compile(r"<[^>]*>")
_ADDRESS_IN_TEXT = re.compile(r"(?:https?://|www\.)[\w-]")
#: Characters a bare address does not end with (GitHub's rule): punctuation closing a sentence.
_TRAILING = "?!.,:*_~'"


#: A ``%`` in a link's or image's address that starts no escape (``?q=50%``, ``pic%.png``).
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_ADDRESS_WITH_PERCENT = re.compile(r'(\s(?:href|src|poster)=")([^"]*%[^"]*)"')


def gfm_html(out: str) -> str:
    """``out`` with task boxes and bare web addresses made what Hugo and GitHub make them, and
    a ``%`` that starts no escape in an address written ``%25``, as Goldmark writes it (the
    address means the same; as written it is not a valid URL)."""
    if "%" in out:
        out = _ADDRESS_WITH_PERCENT.sub(lambda m: m.group(1) + _LONE_PERCENT.sub("%25", m.group(2)) + '"', out)
    if "[" in out and "<li>" in out:
        out = _TASK.sub(lambda m: m.group(1) + _BOX[m.group(2).lower()], out)
    if ("://" in out or "www." in out) and _ADDRESS_IN_TEXT.search(_TAG_TEXT.sub(" ", out)):
        out = _linkify(out)  # some address is in text, not only in tags (one pass in C to know)
    return out


def _linkify(out: str) -> str:
    """Bare addresses in text as links; text inside links, code and scripts is left alone."""
    parts: list[str] = []
    at = 0
    unclosed: set[str] = set()  # elements with no closing tag from some point on
    for match in _SCAN.finditer(out):
        start = match.start()
        if start < at:  # inside an element skipped below
            continue
        name = match.group(1)
        if name is not None:
            close = -1 if name in unclosed else out.find(f"</{name}>", match.end())
            if close < 0:
                unclosed.add(name)  # none later either: each is looked for once (linear)
                continue
            parts.append(out[at:close])
            at = close
            continue
        text = match.group(0)
        if text.startswith("<"):
            continue
        address = _trimmed(text)
        href = address if "://" in address else "http://" + address
        parts.append(out[at:start])
        parts.append(f'<a href="{href}">{address}</a>')
        at = start + len(address)
    if not parts:
        return out
    parts.append(out[at:])
    return "".join(parts)


def _trimmed(address: str) -> str:
    """An address without the punctuation that ends its sentence, a closing bracket it does
    not open, or an entity (``&gt;``) at its end (each character looked at once or twice)."""
    end = len(address)
    unopened = address.count(")") - address.count("(")
    while end:
        last = address[end - 1]
        if last in _TRAILING:
            end -= 1
        elif last == ")" and unopened > 0:
            end -= 1
            unopened -= 1
        elif last == ";" and (entity := _ENTITY_END.search(address, max(0, end - 12), end)):
            end = entity.start()
        else:
            break
    return address[:end]


_ENTITY_END = re.compile(r"&[a-zA-Z0-9#]+;$")
