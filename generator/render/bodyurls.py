"""The URLs in a body's HTML: links to other sites marked, and URLs relative to the Markdown
file (its images, copied next to it) made to point there from the page."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from generator.markup.localfiles import RELATIVE_ATTR, TAG_WITH_RELATIVE, in_content

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


#: Characters a URL may not hold as they are (the HTML checker refuses ``my chart.png``),
#: written as percent escapes; everything else is kept (non-ASCII letters are valid in an IRI).
_NOT_IN_URL = {ord(c): f"%{ord(c):02X}" for c in ' "<>\\^`{|}'}


def rebase_relative(fragment: str, folder: str, urls: Urls) -> str:
    """Relative URLs in a body point next to its Markdown file (where its images are copied),
    not below the document's own page URL: ``map.png`` in ``articles/x.md`` -> ``/base/articles/map.png``
    (Pelican's ``{static}/images/x.png`` is from the content folder: ``/base/images/x.png``).
    Only attributes of tags are rewritten, never text that looks like one."""
    def rebase(match: Any) -> str:
        value = match.group(2)
        cut = min((i for i in (value.find("?"), value.find("#")) if i >= 0), default=len(value))
        path, rest = html.unescape(value[:cut]), value[cut:]
        joined = in_content(folder, path)
        if not joined:  # outside the content folder, or the folder itself: as written
            return match.group(0)
        if path.endswith("/"):
            joined += "/"
        return f'{match.group(1)}{html.escape(urls.url(joined).translate(_NOT_IN_URL), quote=True)}{rest}"'

    def in_tag(match: Any) -> str:
        return RELATIVE_ATTR.sub(rebase, match.group(0))
    return TAG_WITH_RELATIVE.sub(in_tag, fragment)


def rooted_under_base(fragment: str, urls: Urls) -> str:
    """Rooted URLs in a body (``/pages/about/``, written as if the site were at the host's
    root) under the site's base path when it has one (``/briefs/pages/about/``, absolute in a
    feed); a URL already under it, such as a cross-link's, is left as it is, as is everything
    outside tags."""
    base = urls.base_path
    path = base if base.startswith("/") else (urlsplit(base).path or "/")
    if path == "/" or '="/' not in fragment:
        return fragment
    rest = re.escape(path[1:])
    attr = re.compile(rf'(\s(?:src|href|poster)=")/(?!/|{rest})([^"]*)"')
    if attr.search(fragment) is None:  # one pass in C: mostly there are none
        return fragment
    tag = re.compile(rf'<[a-zA-Z][^<>]*?\s(?:src|href|poster)="/(?!/|{rest})[^<>]*>')
    return tag.sub(lambda m: attr.sub(lambda a: f'{a.group(1)}{urls.url(a.group(2))}"', m.group(0)), fragment)
