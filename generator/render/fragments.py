"""Partials rendered once per build and reused: the ``cached`` and ``cached_each`` template globals.

Cards and timeline entries recur on many list pages (a document's card is on each of its
term pages, its confidence page, its neighbours' pages); rendering each once per build, and
joining a list of them in Python rather than in a template loop, keeps large sites fast.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import jinja2
from markupsafe import Markup


class FragmentCache:
    """One build's rendered partials, by template and key."""

    def __init__(self, env: jinja2.Environment, site_view: Callable[[], dict[str, Any]]):
        self.env = env
        self.site_view = site_view
        self._done: dict[tuple[str, str], Markup] = {}
        #: Fragments made since :meth:`take_new` was last called, while ``recording``: a
        #: worker process sends them back so the builder need not render them again.
        self.recording = False
        self._new: list[tuple[tuple[str, str], str]] = []

    def cached(self, template: str, key: str, **context: Any) -> Markup:
        """``template`` rendered with ``context`` (and ``site``), once per build and ``key``;
        leading and trailing newlines are dropped."""
        memo_key = (template, key)
        found = self._done.get(memo_key)
        if found is None:
            html = self.env.get_template(template).render(site=self.site_view(), **context)
            found = self._done[memo_key] = Markup(html.strip("\n"))  # noqa: S704 - rendered with autoescape
            if self.recording:
                self._new.append((memo_key, str(found)))
        return found

    def take_new(self) -> list[tuple[tuple[str, str], str]]:
        """The fragments made since the last call (while recording), as plain picklable pairs."""
        new, self._new = self._new, []
        return new

    def add(self, made: list[tuple[tuple[str, str], str]]) -> None:
        """Keep fragments made elsewhere in this build (by a worker, from the same inputs)."""
        done = self._done
        for key, html in made:
            if key not in done:
                done[key] = Markup(html)  # noqa: S704 - rendered with autoescape by a worker

    def cached_each(self, template: str, items: Iterable[Any], name: str, key: str, heading: Any,
                    before: str = "", after: str = "") -> Markup:
        """``cached(template, item.<key> ~ "|" ~ heading, <name>=item, heading=heading)`` for
        each item, each between ``before`` and ``after`` (markup the template writes), joined.

        The same as a template loop over ``cached`` with the same keys, without a template
        call per item.
        """
        getattr_ = self.env.getattr
        done = self._done
        parts: list[str] = []
        suffix = f"|{heading}"
        for item in items:
            memo_key = (template, f"{getattr_(item, key)}{suffix}")
            found = done.get(memo_key)
            if found is None:
                found = self.cached(template, memo_key[1], **{name: item, "heading": heading})
            parts.append(f"{before}{found}{after}")
        return Markup("".join(parts))  # noqa: S704 - rendered partials and the template's own markup


class FragmentGlobals:
    """The template globals ``cached`` and ``cached_each``, forwarding to the current build's cache.

    Globals, so macros imported without context can reach them. Jinja keeps imported template
    modules (and the globals they saw) between builds, so the globals are stable objects that
    forward to whichever build is rendering.
    """

    def __init__(self) -> None:
        self.cache: FragmentCache | None = None

    def cached(self, template: str, key: str, **context: Any) -> Markup:
        """See :meth:`FragmentCache.cached`."""
        assert self.cache is not None
        return self.cache.cached(template, key, **context)

    def cached_each(self, template: str, items: Iterable[Any], name: str, key: str, heading: Any,
                    before: str = "", after: str = "") -> Markup:
        """See :meth:`FragmentCache.cached_each`."""
        assert self.cache is not None
        return self.cache.cached_each(template, items, name, key, heading, before, after)


#: The partials list pages show of a document, and the heading level the default theme's
#: ``card_list`` and ``timeline_list`` macros give them.
CARD, ENTRY, LIST_HEADING = "partials/card.html", "partials/entry.html", "h3"


def list_partials(cache: FragmentCache, card: dict[str, Any], entries: list[dict[str, Any]]) -> None:
    """Render what list pages show of one document, keyed as the default theme's ``card_list``
    and ``timeline_list`` key it: its card, and its timeline entries."""
    cache.cached(CARD, f"{card['url']}|{LIST_HEADING}", doc=card, heading=LIST_HEADING)
    for entry in entries:
        cache.cached(ENTRY, f"{entry['id']}|{LIST_HEADING}", e=entry, heading=LIST_HEADING)


def install(env: jinja2.Environment, cache: FragmentCache) -> None:
    """Make ``cache`` the one the environment's ``cached`` and ``cached_each`` globals use."""
    forward = env.globals.get("_briefing_fragments")
    if not isinstance(forward, FragmentGlobals):
        forward = env.globals["_briefing_fragments"] = FragmentGlobals()
        env.globals["cached"] = forward.cached
        env.globals["cached_each"] = forward.cached_each
    forward.cache = cache
