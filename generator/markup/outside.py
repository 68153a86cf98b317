"""What a body would make a reader's browser fetch from another site: an image, a video, a
frame, a script, a drawing's image or a style's ``url(...)`` with an address elsewhere. The
built site loads nothing from outside itself (readers may be air-gapped), so each is a warning
at its line; the HTML is kept as written. So is a path on the author's own computer
(``C:\\Users\\...``, ``file:///...``), which no reader can open."""

from __future__ import annotations

import html
import re

from generator.markup.sourcelines import lines_written

#: An attribute a browser fetches on its own (not a link the reader may follow) whose value has
#: a scheme or starts with ``//``, in a start tag; what the element is, for the message.
_FETCHED = re.compile(r'<(img|video|audio|source|track|iframe|embed|object|script|link|input|image|use)\b[^<>]*?'
                      r'\s(?:src|poster|data|srcset|href|xlink:href)="((?:https?:)?//[^"]*)"', re.I)
#: Style a browser applies on its own: a ``style`` attribute's value or a ``<style>`` element.
_STYLE = re.compile(r'\sstyle="([^"]*)"|<style\b[^>]*>(.*?)</style\s*>', re.I | re.S)
#: An address CSS fetches: ``url(...)`` or ``@import "..."``, with a scheme or from ``//``.
_CSS_FETCH = re.compile(r"""(?:url\(\s*|@import\s+)(?:&quot;|&#x27;|&#39;|["'])?((?:https?:)?//[^"'()\s;&]+)""", re.I)
#: A path on the author's own computer in a link or image: ``C:\Users\...``, ``file:///...``.
_ON_COMPUTER = re.compile(r'\s(?:src|href|poster)="((?:file:|[a-zA-Z]:[\\/]|\\\\)[^"]*)"', re.I)
_CODE = re.compile(r"<code[^>]*>.*?</code>", re.S)

_WHAT = {"img": "an image", "video": "a video", "audio": "a sound", "source": "a media file",
         "track": "a caption file", "iframe": "a frame", "embed": "an embedded file", "object": "an embedded file",
         "script": "a script", "link": "a style sheet or other file", "input": "an image", "image": "an image",
         "use": "a drawing", "style": "a style's image, font or sheet"}


def fetched_from_outside(body_html: str, source: str, body_line: int) -> list[tuple[int, str]]:
    """A warning (line in the file, message) for each thing ``body_html`` would fetch from
    another site, outside code; ``source`` is the body's Markdown (for the lines)."""
    if "//" not in body_html and ":" not in body_html:
        return []
    text = _CODE.sub("", body_html) if "<code" in body_html else body_html
    found: list[tuple[int, str, str]] = []  # (offset in the HTML, address, message)
    for match in _FETCHED.finditer(text):
        url = html.unescape(match.group(2))
        found.append((match.start(), url, f"{_WHAT[match.group(1).lower()]} from another site ({url}): a reader's "
                                          "browser fetches it from there, which an offline or air-gapped reader "
                                          "cannot; save the file next to the document and give its name"))
    for style in _STYLE.finditer(text) if "style" in text else ():
        for fetch in _CSS_FETCH.finditer(style.group(1) or style.group(2) or ""):
            url = html.unescape(fetch.group(1))
            found.append((style.start(), url, f"{_WHAT['style']} from another site ({url}): a reader's browser "
                                              "fetches it from there, which an offline or air-gapped reader "
                                              "cannot; save the file in the site and give its path"))
    for local in _ON_COMPUTER.finditer(text) if ":" in text or "\\\\" in text else ():
        path = html.unescape(local.group(1))
        found.append((local.start(), path, f"a path on the author's computer ({path}): readers cannot open it, "
                                           "and it shows the author's folders; copy the file next to the "
                                           "document and give its name"))
    ordered = sorted(found, key=lambda item: item[0])
    lines = lines_written((url for _, url, _ in ordered), source, body_line)
    return [(line, message) for line, (_, _, message) in zip(lines, ordered, strict=True)]

