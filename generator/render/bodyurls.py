"""The URLs in a body's HTML: links to other sites marked, and URLs relative to the Markdown
file (its images, copied next to it) made to point there from the page."""

from __future__ import annotations

import html
import posixpath
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.render.views import Urls

#: A link the Markdown renderers wrote (``href`` first) to another site: a scheme-relative
#: URL or one with a scheme (``mailto:`` and the like included).
_OFFSITE_LINK = re.compile(r'<a href="((?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)[^"]*)"')


def mark_external(fragment: str, own_base: str = "") -> str:
    """``fragment`` with each link to another site marked ``class="external"`` (links under
    the site's own absolute base stay as they are: they are internal)."""
    def mark(match: re.Match[str]) -> str:
        href = match.group(1)
        if own_base and href.startswith(own_base):
            return match.group(0)
        return f'<a class="external" href="{href}"'
    return _OFFSITE_LINK.sub(mark, fragment)


#: ``src``/``href``/``poster`` attributes whose value is relative to the Markdown file
#: (no scheme, not rooted, not only a fragment or query).
_RELATIVE_ATTR = re.compile(r'(\s(?:src|href|poster)=")(?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#|\?|")([^"]*)"')


_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
_URL_ATTRS = ('src="', 'href="', 'poster="')


def may_be_relative(fragment: str) -> bool:
    """Whether ``_RELATIVE_ATTR`` can match: some ``src``/``href``/``poster`` value that is
    not rooted, a fragment, a query, empty or with a scheme. A quick scan (pages mostly
    link rooted or absolute URLs) that only ever errs towards True."""
    for attr in _URL_ATTRS:
        at = fragment.find(attr)
        seen = 0
        while at >= 0:
            value = at + len(attr)
            if fragment[value:value + 1] not in ("/", "#", "?", '"') and not _SCHEME.match(fragment, value):
                return True
            seen += 1
            if seen == _COUNT_FROM and _all_safe(fragment, attr, value):
                break
            at = fragment.find(attr, value)
    return False


#: After this many values of one attribute, the rest are counted by how they start.
_COUNT_FROM = 64


def _all_safe(fragment: str, attr: str, start: int) -> bool:
    """Whether every value of ``attr`` from ``start`` on starts with ``#``, ``/``, ``?`` or
    ends at once (counted: a page of many footnotes has a link to one each)."""
    left = fragment.count(attr, start)
    for head in ("#", "/", "?", '"'):
        if not left:
            break
        left -= fragment.count(attr + head, start)
    return not left


def rebase_relative(fragment: str, folder: str, urls: Urls) -> str:
    """Relative URLs in a body point next to its Markdown file (where its images are copied),
    not below the document's own page URL: ``map.png`` in ``articles/x.md`` -> ``/base/articles/map.png``."""
    def rebase(match: Any) -> str:
        value = match.group(2)
        cut = min((i for i in (value.find("?"), value.find("#")) if i >= 0), default=len(value))
        path, rest = html.unescape(value[:cut]), value[cut:]
        joined = posixpath.normpath(posixpath.join(folder, path))
        if joined.startswith("..") or joined == ".":
            return match.group(0)
        if path.endswith("/"):
            joined += "/"
        return f'{match.group(1)}{html.escape(urls.url(joined), quote=True)}{rest}"'
    return _RELATIVE_ATTR.sub(rebase, fragment)
