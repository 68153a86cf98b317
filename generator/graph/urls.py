"""The URL scheme of the contract: every page is ``<path>/index.html`` under the base path."""

from __future__ import annotations

from generator.model.document import DocType, Document

TAXONOMIES = ("tags", "actors", "locations")
TAXONOMY_TITLES = {"tags": "Tags", "actors": "Actors", "locations": "Locations"}
TAXONOMY_SINGULAR = {"tags": "Tag", "actors": "Actor", "locations": "Location"}
TERM_PAGE_TYPES = {DocType.ACTOR: "actors", DocType.LOCATION: "locations"}
SECTION_OF_TYPE = {DocType.ARTICLE: "articles", DocType.NOTE: "notes"}
#: Documents that describe something rather than report or assess: not on lists, timeline or feeds.
NOT_CONTENT = frozenset({*TERM_PAGE_TYPES, DocType.SOURCE})

#: First path segments the site itself uses; a plain page may not take them as its slug.
RESERVED = frozenset({
    "articles", "notes", "tags", "actors", "locations", "confidence", "timeline", "search",
    "static", "feed.xml", "sitemap.xml", "robots.txt", "404.html", "index.html",
    "timeline.json", "search-index.json", "__briefing__", "judgments", "judgments.json",
    "sources", "sources.json", "previews.json", "locations.geojson",
})

#: Slugs an article or note may not take: the archives' pages are ``articles/page/2/``...
SECTION_RESERVED = frozenset({"page", "feed.xml"})


def page_path(first: str, number: int) -> str:
    """The URL path of page ``number`` of a paginated list whose first page is ``first``
    (``articles/`` -> ``articles/page/2/``; page 1 is ``first`` itself)."""
    return first if number <= 1 else f"{first}page/{number}/"


def feed_path(first: str) -> str:
    """The URL path of the Atom feed of a term (``tags/x/`` -> ``tags/x/feed.xml``)."""
    return f"{first}feed.xml"


def doc_path(doc: Document) -> str:
    """The site-relative URL path of a document page, such as ``articles/x/``."""
    if doc.type in SECTION_OF_TYPE:
        return f"{SECTION_OF_TYPE[doc.type]}/{doc.slug}/"
    if doc.type in TERM_PAGE_TYPES:
        return f"{TERM_PAGE_TYPES[doc.type]}/{doc.slug}/"
    if doc.type is DocType.SOURCE:
        return f"sources/{doc.slug}/"
    return f"{doc.slug}/"


def term_path(kind: str, slug: str) -> str:
    """The URL path of a term page, such as ``actors/russia/``."""
    return f"{kind}/{slug}/"


def confidence_path(level: str) -> str:
    """The URL path of a confidence level's page."""
    return f"confidence/{level}/"


def output_file(url_path: str) -> str:
    """The file a URL path is written to: ``a/b/`` -> ``a/b/index.html``; ``""`` -> ``index.html``."""
    if url_path == "" or url_path.endswith("/"):
        return url_path + "index.html"
    return url_path
