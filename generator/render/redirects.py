"""Pages at a document's old addresses that send the reader on to where it is now.

Hugo writes such a page for each of a page's ``aliases``, Jekyll's redirect plugin for each of
its ``redirect_from``: a moved briefing keeps the links others made to it. The page refreshes
at once to the new address, names it as canonical (search engines move their entry), asks not
to be indexed, and shows a link for a reader whose browser does not follow the refresh. It
names nothing of the document but its address: an audience build that leaves the document
out makes no page for it either (the document is not in the site graph).

An old address the site still uses (a page, a list, another document's old address) is
never overwritten: it is a warning at the document's line.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from generator.errors import Diagnostic, warning
from generator.graph.site import SiteGraph
from generator.render.planned import Output


def redirect_page(target: str, language: str) -> bytes:
    """The bytes of a page that sends the reader to ``target`` (a URL), valid HTML5."""
    url = escape(target, quote=True)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(language or "en", quote=True)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={url}">\n'
        f'<link rel="canonical" href="{url}">\n'
        "<title>This page has moved</title>\n"
        "</head>\n"
        "<body>\n"
        "<main>\n"
        "<h1>This page has moved</h1>\n"
        f'<p>It is now at <a href="{url}">{escape(target)}</a>.</p>\n'
        "</main>\n"
        "</body>\n"
        "</html>\n"
    ).encode()


def plan_redirects(graph: SiteGraph, pages: Iterable[Output]) -> tuple[list[tuple[str, str]], list[Diagnostic]]:
    """The old addresses to write, as ``(file, site-relative path of the page now)``, and a
    warning for each one that cannot be written.

    ``pages`` are every other output of the build: a document's page is the first output made
    from it (its own page, or its term's first page).
    """
    taken: set[str] = set()
    page_of: dict[str, str] = {}
    for out in pages:
        taken.add(out.path)
        if out.sources and out.sources[0] not in page_of:
            page_of[out.sources[0]] = out.path
    planned: dict[str, str] = {}  # file -> the document that has it
    found: list[tuple[str, str]] = []
    diags: list[Diagnostic] = []
    for doc in graph.docs:
        if not doc.moved_from:
            continue
        key = "redirect_from" if "redirect_from" in doc.lines else "aliases"
        line = doc.line_of(key)
        page = page_of.get(doc.path)
        if page is None:
            diags.append(warning(doc.path, line, key, "this document has no page of its own to send readers "
                                                      "on to; its old addresses are not written"))
            continue
        for old in doc.moved_from:
            shown = "/" + old.removesuffix("index.html")
            if old == page:
                diags.append(warning(doc.path, line, key, f"{shown} is this document's own address; "
                                                          "expected an old address it moved from"))
            elif old in taken:
                diags.append(warning(doc.path, line, key, f"{shown} is a page of this site; an old address "
                                                          "must be one the site no longer uses (left as it is)"))
            elif old in planned:
                diags.append(warning(doc.path, line, key, f"{shown} is also an old address of {planned[old]}; "
                                                          "it goes there"))
            else:
                planned[old] = doc.path
                found.append((old, page.removesuffix("index.html")))
    return found, diags
