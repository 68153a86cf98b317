"""Links a reader can name: a link with no text (``[](https://x.org)``) or made only of an image
without alt text (``[![](logo.png)](https://x.org)``) gives a screen reader nothing to say and a
sighted reader nothing to see (accessibility checkers fail the page). The first shows its
address as its text; the second is named by its address (``aria-label``); each is a warning at
its line. One pass over the body's links, linear in the body.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from generator.markup.sourcelines import lines_written

#: A link and what it holds, up to its end tag, never past another link's tag.
_LINK = re.compile(r'<a\b([^<>]*)>((?:[^<]|<(?!/?a[\s>]))*)</a>')
#: A link whose content is empty, blank or starts with a tag: only such a link may have no name.
_MAY_BE_NAMELESS = re.compile(r"<a\b[^<>]*>\s*(?:</a>|<(?!/a>))")
_HREF = re.compile(r'\shref="([^"]*)"')
_NAMED = re.compile(r'\saria-label(?:ledby)?="[^"]*[^"\s][^"]*"')
_TAG = re.compile(r"<[^<>]*>")
_IMAGE = re.compile(r"<img\b")
_ALT_TEXT = re.compile(r'\salt="[^"]*[^"\s][^"]*"')


def named_links(out: str, source: str, body_line: int) -> tuple[str, list[tuple[int, str]]]:
    """``out`` (a body's HTML) with every link named (see the module's notes), and a warning
    (line in the file, message) for each link that had no name."""
    if "</a>" not in out or _MAY_BE_NAMELESS.search(out) is None:
        return out, []
    nameless: list[tuple[str, bool]] = []  # (address, made of an image)

    def name(found: re.Match[str]) -> str:
        attributes, inner = found.group(1), found.group(2)
        if "href=" not in attributes or _NAMED.search(attributes):
            return found.group(0)
        text = html.unescape(_TAG.sub("", inner)).strip() if "<" in inner else html.unescape(inner).strip()
        if text or _ALT_TEXT.search(inner):
            return found.group(0)
        href = _HREF.search(attributes)
        address = html.unescape(href.group(1)) if href else ""
        if not address:
            return found.group(0)
        shown = _shown(address)
        image = _IMAGE.search(inner) is not None
        nameless.append((address, image))
        if image:
            return f'<a{attributes} aria-label="{html.escape(shown)}">{inner}</a>'
        return f"<a{attributes}>{html.escape(shown, quote=False)}</a>"

    out = _LINK.sub(name, out)
    return out, _notes(nameless, source, body_line)


def _shown(address: str) -> str:
    """An address as a link's text: a web address without its scheme (``x.org/report``)."""
    parts = urlsplit(address)
    if parts.scheme in ("http", "https") and parts.netloc:
        return (parts.netloc + parts.path).rstrip("/") or address
    return address


def _notes(nameless: list[tuple[str, bool]], source: str, body_line: int) -> list[tuple[int, str]]:
    """A warning for each nameless link, at the line its address is written on."""
    notes: list[tuple[int, str]] = []
    lines = lines_written((address for address, _ in nameless), source, body_line)
    for line, (address, image) in zip(lines, nameless, strict=True):
        if image:
            notes.append((line, f"a link to {address} made only of an image with no alt text: a screen reader "
                                "cannot say where it leads; it is named by its address: describe the image "
                                "(![what it shows](...))"))
        else:
            notes.append((line, f"a link to {address} with no text: readers cannot see or hear it; it shows its "
                                f"address: write [the words to click]({address})"))
    return notes
