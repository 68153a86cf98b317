"""Terms (tags, actors, locations): case-insensitive matching, aliases, stable safe slugs."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from generator.errors import Diagnostic, error, warning
from generator.graph.urls import TAXONOMIES, TERM_PAGE_TYPES, term_path
from generator.model.document import Document
from generator.model.slugs import slugify, term_key


@dataclass(eq=False)
class Term:
    """One tag, actor or location, with its documents (newest first) and optional page."""

    kind: str
    slug: str
    name: str
    page: Document | None = None
    docs: list[Document] = field(default_factory=list)
    lat: float | None = None
    lon: float | None = None
    names: set[str] = field(default_factory=set)

    @property
    def path(self) -> str:
        """The URL path of the term page."""
        return term_path(self.kind, self.slug)

    @property
    def id(self) -> str:
        """A node id unique across the site graph."""
        return f"{self.kind}:{self.slug}"


@dataclass
class Taxonomies:
    """Every term of the site by kind and slug, and the terms of each document."""

    terms: dict[str, dict[str, Term]]
    by_key: dict[str, dict[str, Term]]
    of_doc: dict[str, dict[str, list[Term]]]

    def term(self, term_id: str) -> Term | None:
        """The term with this id (``kind:slug``), if any."""
        kind, _, slug = term_id.partition(":")
        return self.terms.get(kind, {}).get(slug)

    def lookup(self, kind: str, name: str) -> Term | None:
        """The term a name (or alias) denotes, if any."""
        return self.by_key[kind].get(term_key(name))


def _doc_names(doc: Document, kind: str) -> tuple[str, ...]:
    if kind == "tags":
        return doc.tags
    if kind == "actors":
        return doc.actors
    return tuple(loc.name for loc in doc.locations)


def build_taxonomies(docs: list[Document], term_pages: list[Document]) -> tuple[Taxonomies, list[Diagnostic]]:
    """Group documents by term; term pages and their aliases decide the canonical term."""
    diags: list[Diagnostic] = []
    terms: dict[str, dict[str, Term]] = {k: {} for k in TAXONOMIES}
    by_key: dict[str, dict[str, Term]] = {k: {} for k in TAXONOMIES}
    origin: dict[str, str] = {}

    def claim(kind: str, name: str, where: Document, line: int, page: Document | None = None) -> Term:
        key = term_key(name)
        found = by_key[kind].get(key)
        if found is not None:
            return found
        slug = page.slug if page is not None else slugify(name)
        existing = terms[kind].get(slug)
        if existing is not None:
            # Two spellings of one URL (``Air-Defence``, ``Air Defence``) are one term, as in Hugo;
            # a term page's own title is another matter: that is an error.
            report = error if page is not None else warning
            diags.append(report(where.path, line, kind,
                                f"the term {name!r} shares the URL /{kind}/{slug}/ with {existing.name!r} "
                                f"(from {origin[existing.id]})" + ("; rename one" if page is not None else
                                "; they are shown as one term: write one spelling, or make the other an "
                                "alias on a term page")))
            by_key[kind][key] = existing
            return existing
        term = Term(kind=kind, slug=slug, name=name, page=page)
        terms[kind][slug] = term
        by_key[kind][key] = term
        origin[term.id] = where.path
        return term

    for page in sorted(term_pages, key=lambda d: d.path):
        kind = TERM_PAGE_TYPES[page.type]
        term = claim(kind, page.title, page, page.line_of("title"), page)
        if term.page is not page:
            if term.page is not None:
                diags.append(error(page.path, page.line_of("title"), "title",
                                   f"{page.title!r} is already described by {term.page.path}"))
                continue
            term.page = page
        term.name = page.title
        term.lat, term.lon = page.lat, page.lon
        for alias in (page.slug, *page.aliases):
            key = term_key(alias)
            other = by_key[kind].get(key)
            if other is not None and other is not term:
                diags.append(error(page.path, page.line_of("aliases"), "aliases",
                                   f"{alias!r} already names {other.name!r} ({origin[other.id]})"))
                continue
            by_key[kind][key] = term

    of_doc: dict[str, dict[str, list[Term]]] = {}
    spellings: dict[str, dict[str, int]] = {}
    for doc in docs:
        mine: dict[str, list[Term]] = {}
        for kind in TAXONOMIES:
            field_name = "location" if kind == "locations" else kind
            line = doc.line_of(field_name)
            seen: list[Term] = []
            for name in _doc_names(doc, kind):
                term = claim(kind, name, doc, line)
                if term not in seen:
                    seen.append(term)
                    term.docs.append(doc)
                    term.names.add(name)
                    counts = spellings.setdefault(term.id, {})
                    counts[name] = counts.get(name, 0) + 1
            mine[kind] = seen
        for loc in doc.locations:
            term = by_key["locations"].get(term_key(loc.name))
            if term is not None and term.lat is None and loc.lat is not None:
                term.lat, term.lon = loc.lat, loc.lon
        of_doc[doc.path] = mine
    for kind_terms in terms.values():
        for term in kind_terms.values():
            term.docs.sort(key=newest_first)
            if term.page is None and term.id in spellings:
                # A term without a page is shown as its most used spelling (ties: the oldest
                # document's, as documents come newest first).
                term.name = max(reversed(spellings[term.id].items()), key=lambda item: item[1])[0]
    return Taxonomies(terms, by_key, of_doc), diags


def newest_first(doc: Document) -> tuple:
    """Sort key: dated documents newest first, then by title and path (deterministic)."""
    stamp = -doc.when.sort_key[0] if doc.when else float("inf")
    return (stamp, doc.title.casefold(), doc.path)


@dataclass
class TermChange:
    """What moving documents between terms did."""

    touched: set[str] = field(default_factory=set)  # ids of terms whose documents changed
    created: set[str] = field(default_factory=set)
    removed: list[Term] = field(default_factory=list)
    renamed: set[str] = field(default_factory=set)  # ids whose shown name changed
    respelled: set[str] = field(default_factory=set)  # ids whose spellings (``names``) changed
    moved: set[str] = field(default_factory=set)  # ids whose coordinates changed
    members: set[str] = field(default_factory=set)  # ids a document joined or left
    #: id -> paths of the term's first ``top`` documents before the change.
    tops: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _refresh(term: Term, by_key: dict[str, Term]) -> None:
    """Recompute a term's spellings, shown name and coordinates from its documents, exactly as
    :func:`build_taxonomies` derives them."""
    counts: dict[str, int] = {}
    names: set[str] = set()
    lat = lon = None
    if term.page is not None:
        lat, lon = term.page.lat, term.page.lon
    for doc in term.docs:
        for name in _doc_names(doc, term.kind):
            if by_key.get(term_key(name)) is term:
                names.add(name)
                counts[name] = counts.get(name, 0) + 1
                break
        if term.kind == "locations" and lat is None:
            for loc in doc.locations:
                if loc.lat is not None and by_key.get(term_key(loc.name)) is term:
                    lat, lon = loc.lat, loc.lon
                    break
    term.names = names
    term.lat, term.lon = lat, lon
    if term.page is None and counts:
        term.name = max(reversed(counts.items()), key=lambda item: item[1])[0]


def update_taxonomies(taxonomies: Taxonomies, old_docs: list[Document],
                      new_docs: list[Document], top: int = 0) -> TermChange | None:
    """Replace documents in their terms, in place, as a full rebuild would place them.

    ``change.tops`` keeps each touched term's first ``top`` documents from before the change.
    Returns ``None`` when the change needs a full rebuild (a new term whose URL another term
    already has: that is an error whose wording depends on every document).
    """
    change = TermChange()
    terms, by_key, of_doc = taxonomies.terms, taxonomies.by_key, taxonomies.of_doc
    touched: dict[str, Term] = {}
    before: dict[str, tuple[str, float | None, float | None, set[str]]] = {}
    was: dict[str, set[str]] = {}
    for doc in old_docs:
        was[doc.path] = {t.id for found in of_doc.get(doc.path, {}).values() for t in found}
        for kind_terms in of_doc.pop(doc.path, {}).values():
            for term in kind_terms:
                if term.id not in change.tops:
                    change.tops[term.id] = tuple(d.path for d in term.docs[:top])
                term.docs.remove(doc)
                touched[term.id] = term
    for doc in new_docs:
        mine: dict[str, list[Term]] = {}
        for kind in TAXONOMIES:
            seen: list[Term] = []
            for name in _doc_names(doc, kind):
                key = term_key(name)
                term = by_key[kind].get(key)
                if term is None:
                    slug = slugify(name)
                    if slug in terms[kind]:
                        return None
                    term = Term(kind=kind, slug=slug, name=name)
                    terms[kind][slug] = term
                    by_key[kind][key] = term
                    change.created.add(term.id)
                if term.id not in change.tops:
                    change.tops[term.id] = tuple(d.path for d in term.docs[:top])
                if term not in seen:
                    seen.append(term)
                    bisect.insort(term.docs, doc, key=newest_first)
                    touched[term.id] = term
            mine[kind] = seen
        of_doc[doc.path] = mine
        change.members |= was.get(doc.path, set()) ^ {t.id for found in mine.values() for t in found}
    for term_id, term in touched.items():
        before[term_id] = (term.name, term.lat, term.lon, term.names)
        if not term.docs and term.page is None:
            del terms[term.kind][term.slug]
            for key in [k for k, found in by_key[term.kind].items() if found is term]:
                del by_key[term.kind][key]
            change.removed.append(term)
            continue
        _refresh(term, by_key[term.kind])
        if term_id not in change.created:
            name, lat, lon, names = before[term_id]
            if name != term.name:
                change.renamed.add(term_id)
            if names != term.names:
                change.respelled.add(term_id)
            if (lat, lon) != (term.lat, term.lon):
                change.moved.add(term_id)
    change.touched = set(touched)
    return change
