"""Text escaped for XML (the feeds and the sitemap), as :mod:`xml.sax.saxutils` escapes it.

``xml.sax.saxutils`` imports ``urllib.request`` (and with it ``http.client``, ``email`` and
``ssl``): some 13 ms of every ``briefing build`` process, for two string functions.
"""

from __future__ import annotations

#: What :func:`quoteattr` escapes besides ``&``, ``<`` and ``>``.
_ATTRIBUTE_ENTITIES = (("\n", "&#10;"), ("\r", "&#13;"), ("\t", "&#9;"))


def escape(data: str) -> str:
    """``data`` with ``&``, ``<`` and ``>`` escaped (``xml.sax.saxutils.escape``)."""
    return data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(data: str) -> str:
    """``data`` escaped and quoted as an attribute value (``xml.sax.saxutils.quoteattr``):
    newlines, carriage returns and tabs escaped too, in double quotes unless it holds one and
    no single quote."""
    data = escape(data)
    for raw, entity in _ATTRIBUTE_ENTITIES:
        data = data.replace(raw, entity)
    if '"' in data:
        if "'" in data:
            return '"' + data.replace('"', "&quot;") + '"'
        return "'" + data + "'"
    return '"' + data + '"'
