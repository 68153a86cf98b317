"""What a body would make a reader's browser fetch from another site: an image, a video, a
frame or a script with an address elsewhere. The built site loads nothing from outside itself
(readers may be air-gapped), so each is a warning at its line; the HTML is kept as written."""

from __future__ import annotations

import html
import re

#: An attribute a browser fetches on its own (not a link the reader may follow) whose value has
#: a scheme or starts with ``//``, in a start tag; what the element is, for the message.
_FETCHED = re.compile(r'<(img|video|audio|source|track|iframe|embed|object|script|link|input)\b[^<>]*?'
                      r'\s(?:src|poster|data|srcset|href)="((?:https?:)?//[^"]*)"', re.I)
_CODE = re.compile(r"<code[^>]*>.*?</code>", re.S)

_WHAT = {"img": "an image", "video": "a video", "audio": "a sound", "source": "a media file",
         "track": "a caption file", "iframe": "a frame", "embed": "an embedded file", "object": "an embedded file",
         "script": "a script", "link": "a style sheet or other file", "input": "an image"}


def fetched_from_outside(body_html: str, source: str, body_line: int) -> list[tuple[int, str]]:
    """A warning (line in the file, message) for each thing ``body_html`` would fetch from
    another site, outside code; ``source`` is the body's Markdown (for the lines)."""
    if "//" not in body_html:
        return []
    notes: list[tuple[int, str]] = []
    at = lines = 0  # where the last address was found, and the newlines before it
    for match in _FETCHED.finditer(_CODE.sub("", body_html) if "<code" in body_html else body_html):
        url = html.unescape(match.group(2))
        found = source.find(url, at)
        if found >= 0:
            lines += source.count("\n", at, found)
            at = found
        line = body_line + lines
        notes.append((line, f"{_WHAT[match.group(1).lower()]} from another site ({url}): a reader's browser fetches "
                            "it from there, which an offline or air-gapped reader cannot; save the file next "
                            "to the document and give its name"))
    return notes
