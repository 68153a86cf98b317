"""Old addresses of a page: Hugo's ``aliases: [/old/url/]`` and Jekyll's ``redirect_from:``.

A document that moved (renamed, given another slug, brought over from another generator)
keeps its old links working: each old address gets a small page that sends the reader on
(``generator/render/redirects.py``). An alias written as a path (``/2019/old-title/``) is an
old address; any other alias is another name of the document, for cross-links (DESIGN.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from generator.yamltree import Scalar, is_null, line_of

#: Where a path's file name ends in one of these, the old address is that file, not a folder.
_PAGE_SUFFIXES = (".html", ".htm", ".xhtml")


def is_address(alias: str) -> bool:
    """True when an alias is an old address (a path from the site's root), not a name."""
    return alias.startswith("/")


def old_file(address: str) -> str | None:
    """The file an old address is written to (``/2019/old/`` -> ``2019/old/index.html``,
    ``/old.html`` -> ``old.html``, ``/old`` -> ``old/index.html`` as Hugo writes it), or None
    when the address cannot be a file of this site (``..``, a backslash, the root itself)."""
    path = address.split("#", 1)[0].split("?", 1)[0]
    path = unquote(path).strip()
    if "\\" in path or "\x00" in path:
        return None
    parts = [part for part in path.split("/") if part]
    if not parts or any(part in (".", "..") for part in parts):
        return None
    if parts[-1].lower().endswith(_PAGE_SUFFIXES):
        return "/".join(parts)
    return "/".join(parts) + "/index.html"


def moved_from(aliases: tuple[str, ...], redirect_from: Any,
               warn: Callable[[str, str, int | None], None]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split ``aliases`` into names and old addresses and add ``redirect_from``'s addresses.

    Returns ``(names, files)``: the aliases that are names, and the files of the old
    addresses (see :func:`old_file`), each once, in the order written. An address that cannot
    be one of this site is a warning (``warn(key, message, line)``) and left out.
    """
    names = tuple(alias for alias in aliases if not is_address(alias))
    written: list[tuple[str, str, int | None]] = [("aliases", alias, None) for alias in aliases if is_address(alias)]
    if redirect_from is not None and not is_null(redirect_from):
        for item in redirect_from if isinstance(redirect_from, list) else [redirect_from]:
            if isinstance(item, Scalar) and item.text.strip():
                text = item.text.strip()
                written.append(("redirect_from", text if text.startswith(("/", "http:", "https:")) else "/" + text,
                                line_of(item, 0) or None))
            elif not is_null(item):
                warn("redirect_from", "expected a list of old paths, such as /2019/old-title/", line_of(item, 0) or None)
    files: dict[str, None] = {}
    for key, address, line in written:
        if address.lower().startswith(("http://", "https://")):
            warn(key, f"{address!r} is an address, not a path; expected the old path on this site, "
                      "such as /2019/old-title/", line)
            continue
        found = old_file(address)
        if found is None:
            warn(key, f"{address!r} cannot be a page of this site; expected a path such as /2019/old-title/", line)
            continue
        files.setdefault(found)
    return names, tuple(files)
