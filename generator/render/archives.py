"""Paginated lists: the ``/articles/`` and ``/notes/`` archives, the pages of terms and
confidence levels beyond ``paginate:`` documents, and the per-term Atom feeds.

Every list here is made from the site graph, which holds only the documents the build shows
(documents above the audience never reach it), so counts, page numbers and feeds are the
audience's. Pages go through the planner (their signature is the digest of the view they
render), feeds are data outputs (the digest of their bytes).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from generator.graph.urls import feed_path, output_file, page_path
from generator.model.document import DocType, Document
from generator.render import feeds
from generator.render.kept import shared_cards
from generator.render.views import Urls, banner, cards, markings_of

if TYPE_CHECKING:
    from generator.graph.site import SiteGraph
    from generator.render.outputs import Planner
    from generator.render.planned import Output

T = TypeVar("T")

ARCHIVE_TITLES = {"articles": "Articles", "notes": "Notes"}


def chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """``items`` in pages of ``size`` (at least one page, empty when there are no items)."""
    size = max(1, size)
    return [items[i: i + size] for i in range(0, len(items), size)] or [items[:0]]


def pager(first: str, number: int, count: int, total: int, urls: Urls) -> dict[str, Any]:
    """What a page shows of its place in a paginated list whose first page is ``first``:
    its number, the number of pages, and the URLs of the previous and next pages."""
    return {"number": number, "count": count, "total": total,
            "first": urls.url(first),
            "prev": urls.url(page_path(first, number - 1)) if number > 1 else None,
            "next": urls.url(page_path(first, number + 1)) if number < count else None}


def page_title(title: str, number: int) -> str:
    """A list's title with its page number after the first page."""
    return title if number <= 1 else f"{title} (page {number})"


def paginated(planner: Planner, first: str, template: str, docs: Sequence[Document], slot: str,
              view_of: Callable[[int, dict[str, Any], Any], dict[str, Any]],
              sources: tuple[str, ...] = ()) -> list[Output]:
    """One page output per ``paginate:`` documents of ``docs``: ``view_of(number, pager,
    documents)`` makes page ``number``'s view from its pager and its shared list of cards."""
    graph, urls = planner.graph, planner.urls
    pages = chunks(docs, graph.config.paginate)
    out = []
    for number, part in enumerate(pages, 1):
        def view(number: int = number, part: Sequence[Document] = part) -> dict[str, Any]:
            docs = list(part)
            documents = shared_cards(graph, f"{slot}|documents|{number}", docs, urls.base_path,
                                     lambda: cards(graph, docs, urls))
            return view_of(number, pager(first, number, len(pages), len(docs), urls), documents)
        out.append(planner._page(output_file(page_path(first, number)), template, view, sources))
    return out


def page_files(first: str, docs: Sequence[Document], size: int) -> list[str]:
    """The files of a paginated list's pages."""
    return [output_file(page_path(first, n)) for n in range(1, len(chunks(docs, size)) + 1)]


def archive_lists(graph: SiteGraph) -> list[tuple[str, list[Document]]]:
    """The ``/articles/`` and ``/notes/`` archives' documents: every shown one of the type, newest first."""
    return [(section, [d for d in graph.listed if d.type is kind])
            for kind, section in ((DocType.ARTICLE, "articles"), (DocType.NOTE, "notes"))]


def archive_outputs(planner: Planner, section: str, docs: list[Document]) -> list[Output]:
    """The pages of one archive (``section``: ``articles`` or ``notes``) listing ``docs``."""
    title = ARCHIVE_TITLES[section]

    def view(number: int, pages: dict[str, Any], documents: Any) -> dict[str, Any]:
        return {"kind": section, "title": page_title(title, number), "heading": title,
                "url": planner.urls.url(page_path(f"{section}/", number)),
                "documents": documents, "pager": pages, "banner": banner(*markings_of(documents))}
    return paginated(planner, f"{section}/", "archive.html", docs, f"archive:{section}", view)


def feed_output(planner: Planner, first: str, title: str, docs: Sequence[Document]) -> Output:
    """The Atom feed of a term or confidence level: its newest ``feed_limit`` documents, with
    their summaries (the site feed carries the full text)."""
    graph, urls = planner.graph, planner.urls
    limit = graph.config.feed_limit
    shown = list(docs[:limit] if limit else docs)
    return planner._data(feed_path(first), lambda: feeds.atom_feed(
        graph, urls, shown, title=f"{title} · {graph.config.title}", page=first,
        self_path=feed_path(first), content=False))


def feed_link(first: str, title: str, urls: Urls) -> dict[str, str]:
    """The feed a term page links to (in its head and visibly)."""
    return {"url": urls.url(feed_path(first)), "title": title}

