"""The whole site graph, built from documents (see ``graph.delta`` for one-document updates)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from generator.config import SiteConfig
from generator.errors import Diagnostic, error
from generator.graph.links import LinkGraph, ResolvedLink, resolve_links
from generator.graph.related import RelatedIndex
from generator.graph.taxonomy import Taxonomies, build_taxonomies, newest_first
from generator.graph.timeline import TimelineEntry, build_timeline, entries_by_term, event_term_keys
from generator.graph.urls import (
    NOT_CONTENT,
    RESERVED,
    SECTION_OF_TYPE,
    SECTION_RESERVED,
    TERM_PAGE_TYPES,
    doc_path,
)
from generator.markup.rendered import RenderedBody
from generator.markup.summary import summarise
from generator.model.document import CONFIDENCE_LEVELS, DocType, Document


@dataclass
class SiteGraph:
    """Everything the pages are made from: documents, terms, links, backlinks, timeline."""

    config: SiteConfig
    docs: list[Document]
    bodies: dict[str, RenderedBody]
    summaries: dict[str, str]
    taxonomies: Taxonomies
    links: LinkGraph
    timeline: list[TimelineEntry]
    term_timelines: dict[str, list[TimelineEntry]]
    related: RelatedIndex
    by_confidence: dict[str, list[Document]]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: Errors about slugs and terms (a one-document rebuild is only tried when there are none).
    structural_diagnostics: list[Diagnostic] = field(default_factory=list)
    by_path: dict[str, Document] = field(default_factory=dict)
    #: (kind, term key) of each actor and location named in events -> paths of those documents.
    event_index: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    #: Per-build memo for views derived from the graph (cards, timeline entries).
    memo: dict[str, dict] = field(default_factory=dict)

    @property
    def content_docs(self) -> list[Document]:
        """Every document except actor, location and source pages, newest first."""
        return [d for d in self.docs if d.type not in NOT_CONTENT]

    @cached_property
    def listed(self) -> list[Document]:
        """Articles and notes, newest first (what the home page, feed and search list)."""
        return [d for d in self.docs if d.type in (DocType.ARTICLE, DocType.NOTE)]

    @cached_property
    def entries_by_doc(self) -> dict[str, list[TimelineEntry]]:
        """Each document's timeline entries, in timeline order, by document path."""
        found: dict[str, list[TimelineEntry]] = {}
        for entry in self.timeline:
            found.setdefault(entry.doc.path, []).append(entry)
        return found

    @cached_property
    def pages(self) -> list[Document]:
        """Plain pages, in document order (what the navigation lists)."""
        return [d for d in self.docs if d.type is DocType.PAGE]

    def links_of(self, doc: Document) -> list[ResolvedLink]:
        """The resolved links of a document, in the order written."""
        return self.links.links.get(doc.path, [])


def build_graph(config: SiteConfig, docs: list[Document], bodies: dict[str, RenderedBody],
                related_memo: dict | None = None, hidden: Iterable[tuple[Document, str]] = ()) -> SiteGraph:
    """Assemble the site graph from validated documents and their rendered bodies.

    ``docs`` are what the build shows: documents left out for its audience never reach the
    graph. ``hidden`` names them (with why) only so that links to them read as plain text
    rather than as broken (see :func:`~generator.graph.links.resolve_links`)."""
    diags: list[Diagnostic] = []
    docs = sorted(docs, key=newest_first)
    seen: dict[tuple[str, str], Document] = {}
    unique: list[Document] = []
    for doc in docs:
        if doc.type is DocType.PAGE and doc.slug.split("/")[0] in RESERVED:
            diags.append(error(doc.path, doc.line_of("slug"), "slug",
                               f"the page slug {doc.slug!r} is reserved for the site's own pages; choose another"))
            continue
        if doc.type in SECTION_OF_TYPE and doc.slug.split("/")[0] in SECTION_RESERVED:
            diags.append(error(doc.path, doc.line_of("slug"), "slug",
                               f"the slug {doc.slug!r} is reserved for the {SECTION_OF_TYPE[doc.type]} archive's "
                               f"pages; choose another"))
            continue
        where = doc_path(doc)
        if (doc.type.value, where) in seen:
            other = seen[(doc.type.value, where)]
            diags.append(error(doc.path, doc.line_of("slug"), "slug",
                               f"{doc.type.value}s {other.path} and {doc.path} both have the slug {doc.slug!r}"))
            continue
        seen[(doc.type.value, where)] = doc
        unique.append(doc)
    docs = unique
    content_docs = [d for d in docs if d.type not in NOT_CONTENT]
    term_pages = [d for d in docs if d.type in TERM_PAGE_TYPES]
    taxonomies, tax_diags = build_taxonomies(content_docs, term_pages)
    diags += tax_diags
    anchors = {path: body.heading_ids for path, body in bodies.items()}
    body_links = {path: body.links for path, body in bodies.items()}
    links, link_diags = resolve_links(docs, body_links, taxonomies, anchors, hidden, config.content_dir)
    summaries = {doc.path: summary_of(doc, bodies, links) for doc in docs}
    structural = list(diags)
    diags += link_diags
    timeline = build_timeline(content_docs, taxonomies, summaries)
    by_confidence = {level: [d for d in content_docs if d.confidence == level] for level in CONFIDENCE_LEVELS}
    if related_memo:  # rankings kept for documents that are gone would only pile up
        shown = {doc.path for doc in docs}
        for path in [path for path in related_memo if path not in shown]:
            del related_memo[path]
    related = RelatedIndex(content_docs, taxonomies, config.related_limit, related_memo)
    return SiteGraph(config=config, docs=docs, bodies=bodies, summaries=summaries,
                     taxonomies=taxonomies, links=links, timeline=timeline,
                     term_timelines=entries_by_term(timeline, taxonomies), related=related,
                     by_confidence=by_confidence, diagnostics=diags, structural_diagnostics=structural,
                     by_path={d.path: d for d in docs}, event_index=index_events(docs))


def summary_of(doc: Document, bodies: dict[str, RenderedBody], links: LinkGraph) -> str:
    """A document's summary: given in front matter, else made from its first paragraph."""
    if doc.summary:
        return doc.summary
    if doc.path in bodies:
        labels = [link.label for link in links.links.get(doc.path, [])]
        return summarise(bodies[doc.path].first_paragraph, labels)
    return ""


def index_events(docs: list[Document]) -> dict[tuple[str, str], set[str]]:
    """(kind, term key) of every actor and location named in events -> the documents naming it."""
    index: dict[tuple[str, str], set[str]] = {}
    for doc in docs:
        if doc.events:
            for key in event_term_keys(doc):
                index.setdefault(key, set()).add(doc.path)
    return index
