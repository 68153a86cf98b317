"""Cross-links: resolve ``[[...]]``, ``about`` and ``related`` to targets; collect backlinks."""

from __future__ import annotations

import difflib
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field

from generator.errors import Diagnostic, notice, warning
from generator.graph.taxonomy import Taxonomies, Term
from generator.graph.urls import TAXONOMIES, TERM_PAGE_TYPES, doc_path
from generator.markup.filelinks import PELICAN_MARKER
from generator.model.document import DocType, Document, LinkRef
from generator.model.pickling import pickled_as_call
from generator.model.slugs import slugify, term_key

_TYPE_ORDER = {DocType.ARTICLE: 0, DocType.NOTE: 1, DocType.PAGE: 2}
#: Types whose link may name their folder (``[[notes/x]]``), and so tell apart a shared slug.
_FOLDERED = {DocType.ARTICLE, DocType.NOTE}
#: Unresolved links per document that get a "did you mean" hint; each hint compares the
#: target with every slug, so a document of thousands of broken links gets hints for the first.
HINTS_PER_DOCUMENT = 50


@pickled_as_call
@dataclass
class Target:
    """Something a link can point at: a document page or a term page."""

    id: str
    title: str
    path: str
    #: The ids a link's ``#anchor`` may name: the body's own tuple of them (a set per page
    #: would cost more memory than the few ids each page has cost to search).
    anchors: tuple[str, ...]
    doc: Document | None = None
    term: Term | None = None


@pickled_as_call
@dataclass(frozen=True)
class ResolvedLink:
    """A link as the page shows it: a target (or none) and the label to print."""

    ref: LinkRef
    target: Target | None
    anchor: str
    label: str
    #: The link names a document this build leaves out for its audience: shown as plain text.
    hidden: bool = False


def doc_id(doc: Document) -> str:
    """The node id of a document (term pages share their term's id)."""
    if doc.type in TERM_PAGE_TYPES:
        return f"{TERM_PAGE_TYPES[doc.type]}:{doc.slug}"
    return f"doc:{doc.path}"


def ref_keys(name: str) -> tuple[str, ...]:
    """Every lookup key :meth:`Resolver.resolve` may try for a link target."""
    raw = name.strip().strip("/")
    return (raw.casefold(), slugify(raw), term_key(raw))


def term_keys(term: Term, taxonomies: Taxonomies) -> set[str]:
    """Every key under which a term can be found: slug, qualified slug, name and aliases."""
    keys = {term.slug.casefold(), f"{term.kind}/{term.slug}".casefold(), term_key(term.name)}
    keys.update(key for key, found in taxonomies.by_key[term.kind].items() if found is term)
    return keys


class Resolver:
    """Looks targets up by slug, then title, then alias, case-insensitively; a link to a
    Markdown file (``markup/filelinks.py``) by the path of the document's file.

    Documents win over terms for a shared slug or title; the term part can be rebuilt alone
    when terms come and go, which is what a one-document rebuild needs.
    """

    def __init__(self, docs: list[Document], taxonomies: Taxonomies, anchors: dict[str, tuple[str, ...]],
                 hidden: Iterable[tuple[Document, str]] = (), content: str = "content"):
        self.doc_targets: dict[str, Target] = {}
        #: The content folder, from the site folder (Pelican's ``{filename}/x.md`` starts there).
        self.content = posixpath.normpath(content.replace("\\", "/")).strip("/")
        #: Lookup keys of the documents left out for the build's audience -> (document, why).
        self._hidden: dict[str, tuple[Document, str]] = {}
        self._hidden_file: dict[str, tuple[Document, str]] = {}
        for doc, why in sorted(hidden, key=lambda item: (_TYPE_ORDER.get(item[0].type, 3), item[0].path)):
            for key in _own_keys(doc):
                self._hidden.setdefault(key, (doc, why))
            self._hidden_file[doc.path] = (doc, why)
        #: Each document's file (from the site folder) -> its target; term pages' in ``_term_file``.
        self._doc_file: dict[str, Target] = {}
        #: A slug two documents share (an article's and a note's) -> the targets after the first.
        self._shared_slug: dict[str, list[Target]] = {}
        self._doc_slug: dict[str, Target] = {}
        self._doc_title: dict[str, Target] = {}
        self._doc_qualified: dict[str, Target] = {}
        self._doc_alias: dict[str, Target] = {}  # another name in a document's ``aliases:``
        ordered = sorted(docs, key=lambda d: (_TYPE_ORDER.get(d.type, 3), d.path))
        for doc in ordered:
            if doc.type in TERM_PAGE_TYPES:
                continue
            target = Target(doc_id(doc), doc.title, doc_path(doc), anchors.get(doc.path, ()), doc=doc)
            self.doc_targets[target.id] = target
            self._doc_file[doc.path] = target
            first = self._doc_slug.setdefault(doc.slug.casefold(), target)
            if first is not target and {doc.type, first.doc.type if first.doc else None} <= _FOLDERED:
                self._shared_slug.setdefault(doc.slug.casefold(), []).append(target)
            self._doc_title.setdefault(term_key(doc.title), target)
            self._doc_qualified[f"{doc_path(doc).split('/')[0]}/{doc.slug}".casefold()] = target
            for alias in doc.aliases:
                self._doc_alias.setdefault(term_key(alias), target)
        self.set_terms(taxonomies, anchors)

    def set_terms(self, taxonomies: Taxonomies, anchors: dict[str, tuple[str, ...]]) -> None:
        """(Re)build the term part of the lookup from the taxonomies."""
        self._slug_list: list[str] | None = None
        self._hints: dict[str, str] = {}
        self.term_targets: dict[str, Target] = {}
        self._term_slug: dict[str, Target] = {}
        self._term_title: dict[str, Target] = {}
        self._term_alias: dict[str, Target] = {}
        self._term_qualified: dict[str, Target] = {}
        self._term_file: dict[str, Target] = {}
        for kind in ("actors", "locations", "tags"):
            of_term: dict[int, Target] = {}
            for term in taxonomies.terms[kind].values():
                page_anchors = anchors.get(term.page.path, ()) if term.page else ()
                target = Target(term.id, term.name, term.path, page_anchors, term=term, doc=term.page)
                of_term[id(term)] = target
                self.term_targets[target.id] = target
                self._term_slug.setdefault(term.slug.casefold(), target)
                self._term_title.setdefault(term_key(term.name), target)
                self._term_qualified[f"{kind}/{term.slug}".casefold()] = target
                if term.page is not None:
                    self._term_file[term.page.path] = target
            for key, term in taxonomies.by_key[kind].items():  # every spelling and alias of a term
                found = of_term.get(id(term))
                if found is not None:
                    self._term_alias.setdefault(key, found)

    def target(self, target_id: str) -> Target | None:
        """The target with this node id, if any."""
        return self.doc_targets.get(target_id) or self.term_targets.get(target_id)

    def _slug(self, key: str) -> Target | None:
        return self._doc_slug.get(key) or self._term_slug.get(key)

    def resolve(self, name: str) -> Target | None:
        """The target a link names, or ``None``."""
        raw = name.strip().strip("/")
        key = raw.casefold()
        if "/" in key:
            found = self._term_qualified.get(key) or self._doc_qualified.get(key)
            if found is not None:
                return found
        tkey = term_key(raw)
        return (self._slug(key) or self._slug(slugify(raw)) or self._doc_title.get(tkey)
                or self._term_title.get(tkey) or self._term_alias.get(tkey) or self._doc_alias.get(tkey))

    def file_of(self, source: str, written: str) -> str:
        """The file (from the site folder) that a link written in ``source`` names: a path
        from ``source``'s folder, or, after Pelican's marker and a slash, from the content folder."""
        if written.startswith(PELICAN_MARKER):
            written = written[len(PELICAN_MARKER):]
            if written.startswith("/"):
                return posixpath.normpath(posixpath.join(self.content, written.lstrip("/")))
        return posixpath.normpath(posixpath.join(posixpath.dirname(source), written))

    def resolve_file(self, source: str, written: str) -> tuple[Target | None, tuple[Document, str] | None]:
        """The target of a link to a Markdown file written in ``source``, or else the left-out
        document (and why it is) the link names, if any."""
        path = self.file_of(source, written)
        found = self._doc_file.get(path) or self._term_file.get(path)
        return found, self._hidden_file.get(path) if found is None else None

    def others(self, name: str, found: Target) -> list[Target]:
        """The other documents a link found by a slug they share could mean (none when it is
        written with its folder, ``[[notes/x]]``, or found otherwise)."""
        key = name.strip().strip("/").casefold()
        if "/" in key or not self._shared_slug:
            return []
        others = self._shared_slug.get(key) or self._shared_slug.get(slugify(key)) or []
        return others if self._slug(key) is found or self._slug(slugify(key)) is found else []

    def hidden(self, name: str) -> tuple[Document, str] | None:
        """The left-out document (and why it is) that a link no shown target answers names, if any."""
        if not self._hidden:
            return None
        raw = name.strip().strip("/")
        for key in (raw.casefold(), slugify(raw), term_key(raw)):
            found = self._hidden.get(key)
            if found is not None:
                return found
        return None

    def _slugs(self) -> list[str]:
        if self._slug_list is None:
            self._slug_list = list(dict.fromkeys([*self._doc_slug, *self._term_slug]))
        return self._slug_list

    def closest(self, name: str) -> str | None:
        """The existing slug closest to a name, for "did you mean" hints."""
        found = difflib.get_close_matches(slugify(name), self._slugs(), 1, 0.6)
        return found[0] if found else None

    def hint(self, name: str) -> str:
        """``; did you mean 'x'?`` for a near slug; nothing when no slug is near (a far one
        would only mislead). Comparing with every slug is slow, so a hint is worked out once per name."""
        key = slugify(name)
        cached = self._hints.get(key)
        if cached is None:
            near = self.closest(name)
            cached = self._hints[key] = f"; did you mean '{near}'?" if near else ""
        return cached


def _own_keys(doc: Document) -> list[str]:
    """The keys a link may find a document by: its slug, its folder and slug, its title, and
    its aliases (for an actor or location page, its term's)."""
    keys = [doc.slug.casefold(), f"{doc_path(doc).split('/')[0]}/{doc.slug}".casefold(), term_key(doc.title)]
    return keys + [term_key(alias) for alias in doc.aliases]


def _backlink_order(doc: Document) -> tuple:
    return (-(doc.when.sort_key[0]) if doc.when else 0.0, doc.title.casefold(), doc.path)


@dataclass
class LinkGraph:
    """Every document's resolved links and every target's backlinks.

    Besides the lists pages show, it keeps what a one-document rebuild needs to redo only the
    links an edit can change: who links to each target, and which documents look up each key.
    """

    resolver: Resolver
    links: dict[str, list[ResolvedLink]]
    assessed_in: dict[str, list[Document]] = field(default_factory=dict)
    referenced_by: dict[str, list[Document]] = field(default_factory=dict)
    diagnostics: dict[str, list[Diagnostic]] = field(default_factory=dict)
    #: target id -> paths of documents linking to it from ``about`` / from elsewhere.
    raw_about: dict[str, set[str]] = field(default_factory=dict)
    raw_refs: dict[str, set[str]] = field(default_factory=dict)
    #: lookup key -> paths of documents with a link that tries it.
    by_key: dict[str, set[str]] = field(default_factory=dict)
    docs: dict[str, Document] = field(default_factory=dict)

    @property
    def targets(self) -> dict[str, Target]:
        """Every target by node id."""
        return {**self.resolver.doc_targets, **self.resolver.term_targets}

    def all_diagnostics(self) -> list[Diagnostic]:
        """The warnings of every document's links."""
        return [d for diags in self.diagnostics.values() for d in diags]

    def linkers(self, target_id: str) -> set[str]:
        """Paths of the documents (other than the target itself) that link to a target."""
        return self.raw_about.get(target_id, set()) | self.raw_refs.get(target_id, set())

    def forget(self, path: str) -> set[str]:
        """Drop a document's links; returns the target ids it linked to."""
        old = self.links.pop(path, [])
        self.diagnostics.pop(path, None)
        touched: set[str] = set()
        for link in old:
            for key in ref_keys(link.ref.target):
                users = self.by_key.get(key)
                if users is not None:
                    users.discard(path)
            if link.target is not None:
                touched.add(link.target.id)
                self.raw_about.get(link.target.id, set()).discard(path)
                self.raw_refs.get(link.target.id, set()).discard(path)
        return touched

    def add(self, doc: Document, body_links: tuple[LinkRef, ...]) -> set[str]:
        """Resolve a document's links and record its backlinks; returns the target ids it links to.

        A target written again in the same document is resolved once, and the same warning
        for it (a link that matches nothing, a heading that is not there) is given once, at its
        first line, naming the others (1 MB of one broken link is 125,000 of them)."""
        self.docs[doc.path] = doc
        resolver = self.resolver
        resolved: list[ResolvedLink] = []
        diags: list[Diagnostic] = []
        repeated: dict[tuple[str, str, str], list[int]] = {}  # (field, target, anchor) -> its lines
        keys: list[tuple[str, str, str] | None] = []  # per diagnostic, its key in ``repeated``
        touched: set[str] = set()
        me = doc_id(doc)
        hints = HINTS_PER_DOCUMENT
        told: set[str] = set()
        found_for: dict[tuple[bool, str], tuple[Target | None, tuple[Document, str] | None]] = {}
        for ref in (*body_links, *doc.about, *doc.related):
            by_file = ref.kind == "file" or names_a_file(ref)
            found = found_for.get((by_file, ref.target))
            if found is None:
                for key in ref_keys(ref.target):
                    self.by_key.setdefault(key, set()).add(doc.path)
                if by_file:
                    found = resolver.resolve_file(doc.path, ref.target)
                    if found == (None, None) and ref.kind != "file":  # about: articles/x.md, from content/
                        found = resolver.resolve_file(doc.path, f"{PELICAN_MARKER}/{ref.target}")
                else:
                    target = resolver.resolve(ref.target)
                    found = (target, resolver.hidden(ref.target) if target is None else None)
                found_for[(by_file, ref.target)] = found
            target, left_out = found
            field_name = "link" if ref.kind in ("body", "file") else ref.kind
            if left_out is not None:
                # Plain text with the words the author wrote: never the hidden title, never a link.
                resolved.append(ResolvedLink(ref, None, "", ref.label or ref.target, hidden=True))
                hidden_doc, why = left_out
                if hidden_doc.path not in told:  # once per pair of files
                    told.add(hidden_doc.path)
                    keys.append(None)
                    diags.append(notice(doc.path, ref.line, field_name,
                                        f"{_written(ref)} links to {hidden_doc.path}, which this build leaves "
                                        f"out ({why}); shown as plain text"))
                continue
            if target is None:
                lines = repeated.get((field_name, ref.target, ref.anchor))
                if lines is not None:
                    lines.append(ref.line)
                else:
                    hints -= 1
                    hint = resolver.hint(ref.target) if hints >= 0 and not by_file else ""
                    repeated[(field_name, ref.target, ref.anchor)] = [ref.line]
                    keys.append((field_name, ref.target, ref.anchor))
                    said = (f"names {resolver.file_of(doc.path, ref.target)}, which is no document of this site"
                            if by_file else f"matches no document, page or term{hint}")
                    diags.append(warning(doc.path, ref.line, field_name, f"{_written(ref)} {said}"))
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
                    lines = repeated.get((field_name, ref.target, ref.anchor))
                    if lines is not None:
                        lines.append(ref.line)
                    else:
                        near = difflib.get_close_matches(slugify(wanted), sorted(target.anchors), 1, 0.6)
                        extra = f"; did you mean '#{near[0]}'?" if near else ""
                        repeated[(field_name, ref.target, ref.anchor)] = [ref.line]
                        keys.append((field_name, ref.target, ref.anchor))
                        diags.append(warning(doc.path, ref.line, field_name,
                                             f"{_written(ref)}: {target.title!r} has no heading '#{wanted}'{extra}"))
            resolved.append(ResolvedLink(ref, target, anchor, ref.label or target.title))
            others = [] if by_file else resolver.others(ref.target, target)
            if others and (field_name, ref.target, "shared") not in repeated:
                repeated[(field_name, ref.target, "shared")] = [ref.line]
                keys.append((field_name, ref.target, "shared"))
                first, also = f"[[{target.path.strip('/')}]]", " or ".join(f"[[{o.path.strip('/')}]]" for o in others)
                diags.append(warning(doc.path, ref.line, field_name,
                                     f"{_written(ref)} matches {first} and {also}, which share the slug; it links "
                                     f"{first}; write {also} for the other"))
            elif others:
                repeated[(field_name, ref.target, "shared")].append(ref.line)
            touched.add(target.id)
            if target.id == me:
                continue
            bucket = self.raw_about if ref.kind == "about" else self.raw_refs
            bucket.setdefault(target.id, set()).add(doc.path)
        self.links[doc.path] = resolved
        if diags:
            self.diagnostics[doc.path] = [d if key is None else _with_others(d, repeated[key])
                                          for d, key in zip(diags, keys, strict=True)]
        return touched

    def users_of(self, keys: Iterable[str]) -> set[str]:
        """Paths of the documents with a link that tries any of these keys."""
        found: set[str] = set()
        for key in keys:
            found |= self.by_key.get(key, set())
        return found

    def finish(self, target_ids: Iterable[str]) -> None:
        """Recompute the backlink lists of these targets from who links to them."""
        docs = self.docs
        for target_id in target_ids:
            assessors = sorted((docs[p] for p in self.raw_about.get(target_id, ())), key=_backlink_order)
            assessor_paths = {d.path for d in assessors}
            refs = sorted((docs[p] for p in self.raw_refs.get(target_id, ()) if p not in assessor_paths),
                          key=_backlink_order)
            if assessors:
                self.assessed_in[target_id] = assessors
            else:
                self.assessed_in.pop(target_id, None)
            if refs:
                self.referenced_by[target_id] = refs
            else:
                self.referenced_by.pop(target_id, None)


#: A warning given once for a link written many times names at most this many other lines.
OTHER_LINES = 5


def _with_others(diag: Diagnostic, lines: list[int]) -> Diagnostic:
    """A link's warning, naming the other ``lines`` (after its own, the first) where the same
    link has the same fault."""
    if len(lines) < 2:
        return diag
    others = lines[1:]
    shown = ", ".join(str(n) for n in others[:OTHER_LINES])
    more = f" and {len(others) - OTHER_LINES:,} more" if len(others) > OTHER_LINES else ""
    where = "line" if len(others) == 1 else "lines"
    return warning(diag.path, diag.line, diag.field, f"{diag.message} (also on {where} {shown}{more})")


def names_a_file(ref: LinkRef) -> bool:
    """Whether an ``about`` or ``related`` entry is a Markdown file's path (``../articles/x.md``),
    found as a body's link to one is: from the document's folder (or else the content folder)."""
    return ref.kind in ("about", "related") and ref.target.lower().endswith((".md", ".markdown"))


def _written(ref: LinkRef) -> str:
    """A link as its author wrote it, for messages."""
    anchor = f"#{ref.anchor}" if ref.anchor else ""
    if ref.kind == "file":
        return f"[{ref.label}]({ref.target}{anchor})"
    return f"[[{ref.target}{anchor}]]" if ref.kind == "body" else repr(ref.target)


def resolve_links(docs: list[Document], body_links: dict[str, tuple[LinkRef, ...]],
                  taxonomies: Taxonomies, anchors: dict[str, tuple[str, ...]],
                  hidden: Iterable[tuple[Document, str]] = (), content: str = "content"
                  ) -> tuple[LinkGraph, list[Diagnostic]]:
    """Resolve every document's links; unresolved ones are warnings naming a near slug, if any.
    A link that only a ``hidden`` document (left out for the audience, with why) answers is
    shown as plain text, with a notice naming both files. ``content``: the content folder."""
    graph = LinkGraph(resolver=Resolver(docs, taxonomies, anchors, hidden, content), links={})
    touched: set[str] = set()
    for doc in docs:
        touched |= graph.add(doc, body_links.get(doc.path, ()))
    graph.finish(sorted(touched))
    return graph, graph.all_diagnostics()


__all__ = ["TAXONOMIES", "LinkGraph", "ResolvedLink", "Resolver", "Target", "doc_id", "ref_keys",
           "resolve_links", "term_keys"]
