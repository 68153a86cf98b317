"""Cross-links: resolve ``[[...]]``, ``about`` and ``related`` to targets; collect backlinks."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from generator.errors import Diagnostic, warning
from generator.graph.taxonomy import Taxonomies, Term
from generator.graph.urls import TAXONOMIES, TERM_PAGE_TYPES, doc_path
from generator.model.document import DocType, Document, LinkRef
from generator.model.slugs import slugify, term_key

_TYPE_ORDER = {DocType.ARTICLE: 0, DocType.NOTE: 1, DocType.PAGE: 2}
_PREFIXES = {"articles": DocType.ARTICLE, "article": DocType.ARTICLE, "notes": DocType.NOTE,
             "note": DocType.NOTE, "pages": DocType.PAGE, "page": DocType.PAGE}


@dataclass
class Target:
    """Something a link can point at: a document page or a term page."""

    id: str
    title: str
    path: str
    anchors: frozenset[str]
    doc: Document | None = None
    term: Term | None = None


@dataclass(frozen=True)
class ResolvedLink:
    """A link as the page shows it: a target (or none) and the label to print."""

    ref: LinkRef
    target: Target | None
    anchor: str
    label: str


@dataclass
class LinkGraph:
    """Every document's resolved links and every target's backlinks."""

    targets: dict[str, Target]
    links: dict[str, list[ResolvedLink]]
    assessed_in: dict[str, list[Document]] = field(default_factory=dict)
    referenced_by: dict[str, list[Document]] = field(default_factory=dict)


def doc_id(doc: Document) -> str:
    """The node id of a document (term pages share their term's id)."""
    if doc.type in TERM_PAGE_TYPES:
        return f"{TERM_PAGE_TYPES[doc.type]}:{doc.slug}"
    return f"doc:{doc.path}"


class Resolver:
    """Looks targets up by slug, then title, then alias, case-insensitively."""

    def __init__(self, docs: list[Document], taxonomies: Taxonomies, anchors: dict[str, frozenset[str]]):
        self.targets: dict[str, Target] = {}
        self.by_slug: dict[str, Target] = {}
        self.by_title: dict[str, Target] = {}
        self.by_alias: dict[str, Target] = {}
        self.qualified: dict[str, Target] = {}
        ordered = sorted(docs, key=lambda d: (_TYPE_ORDER.get(d.type, 3), d.path))
        for doc in ordered:
            if doc.type in TERM_PAGE_TYPES:
                continue
            target = Target(doc_id(doc), doc.title, doc_path(doc), anchors.get(doc.path, frozenset()), doc=doc)
            self.targets[target.id] = target
            self.by_slug.setdefault(doc.slug.casefold(), target)
            self.by_title.setdefault(term_key(doc.title), target)
            self.qualified[f"{doc_path(doc).split('/')[0]}/{doc.slug}".casefold()] = target
        for kind in ("actors", "locations", "tags"):
            of_term: dict[int, Target] = {}
            for term in taxonomies.terms[kind].values():
                page_anchors = anchors.get(term.page.path, frozenset()) if term.page else frozenset()
                target = Target(term.id, term.name, term.path, page_anchors, term=term, doc=term.page)
                of_term[id(term)] = target
                self.targets[target.id] = target
                self.by_slug.setdefault(term.slug.casefold(), target)
                self.by_title.setdefault(term_key(term.name), target)
                self.qualified[f"{kind}/{term.slug}".casefold()] = target
            for key, term in taxonomies.by_key[kind].items():  # every spelling and alias of a term
                found = of_term.get(id(term))
                if found is not None:
                    self.by_alias.setdefault(key, found)

    def resolve(self, name: str) -> Target | None:
        """The target a link names, or ``None``."""
        raw = name.strip().strip("/")
        key = raw.casefold()
        if "/" in key and key in self.qualified:
            return self.qualified[key]
        return (self.by_slug.get(key) or self.by_slug.get(slugify(raw))
                or self.by_title.get(term_key(raw)) or self.by_alias.get(term_key(raw)))

    def closest(self, name: str) -> str | None:
        """The existing slug closest to a name, for "did you mean" hints."""
        found = difflib.get_close_matches(slugify(name), list(self.by_slug), 1, 0.6)
        return found[0] if found else None

    def hint(self, name: str) -> str:
        """``; did you mean 'x'?`` for a near slug, else ``; the closest slug is 'x'``."""
        near = self.closest(name)
        if near:
            return f"; did you mean '{near}'?"
        far = difflib.get_close_matches(slugify(name), list(self.by_slug), 1, 0.0)
        return f"; the closest slug is '{far[0]}'" if far else ""


def resolve_links(docs: list[Document], body_links: dict[str, tuple[LinkRef, ...]],
                  taxonomies: Taxonomies, anchors: dict[str, frozenset[str]]) -> tuple[LinkGraph, list[Diagnostic]]:
    """Resolve every document's links; unresolved ones are warnings naming the closest slug."""
    resolver = Resolver(docs, taxonomies, anchors)
    graph = LinkGraph(targets=resolver.targets, links={})
    diags: list[Diagnostic] = []
    for doc in docs:
        resolved: list[ResolvedLink] = []
        me = doc_id(doc)
        for ref in (*body_links.get(doc.path, ()), *doc.about, *doc.related):
            field_name = "link" if ref.kind == "body" else ref.kind
            target = resolver.resolve(ref.target)
            written = f"[[{ref.target}{'#' + ref.anchor if ref.anchor else ''}]]" if ref.kind == "body" else repr(ref.target)
            if target is None:
                extra = resolver.hint(ref.target)
                diags.append(warning(doc.path, ref.line, field_name,
                                     f"{written} matches no document, page or term{extra}"))
                resolved.append(ResolvedLink(ref, None, "", ref.label or ref.target))
                continue
            anchor = ""
            if ref.anchor:
                wanted = ref.anchor.lstrip("#")
                if wanted in target.anchors:
                    anchor = wanted
                elif slugify(wanted) in target.anchors:
                    anchor = slugify(wanted)
                else:
                    near = difflib.get_close_matches(slugify(wanted), sorted(target.anchors), 1, 0.6)
                    extra = f"; did you mean '#{near[0]}'?" if near else ""
                    diags.append(warning(doc.path, ref.line, field_name,
                                         f"{written}: {target.title!r} has no heading '#{wanted}'{extra}"))
            resolved.append(ResolvedLink(ref, target, anchor, ref.label or target.title))
            if target.id == me:
                continue
            bucket = graph.assessed_in if ref.kind == "about" else graph.referenced_by
            listed = bucket.setdefault(target.id, [])
            if doc not in listed:
                listed.append(doc)
        graph.links[doc.path] = resolved
    for bucket in (graph.assessed_in, graph.referenced_by):
        for listed in bucket.values():
            listed.sort(key=lambda d: (-(d.when.sort_key[0]) if d.when else 0.0, d.title.casefold(), d.path))
    for target_id, assessors in graph.assessed_in.items():
        refs = graph.referenced_by.get(target_id)
        if refs:
            graph.referenced_by[target_id] = [d for d in refs if d not in assessors]
    return graph, diags


__all__ = ["TAXONOMIES", "LinkGraph", "ResolvedLink", "Resolver", "Target", "doc_id", "resolve_links"]
