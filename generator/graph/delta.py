"""One-document updates of the site graph: what a running preview does after a save.

:func:`update_graph` replaces edited articles and notes in an existing :class:`SiteGraph`
and works out which pages their edit can reach, so a rebuild re-plans those and nothing else.
It covers the edits authors make all day (body, tags, actors, locations, dates, summary,
confidence, links); anything else (new, deleted or renamed files, a changed title or slug,
term pages, plain pages, drafts) returns ``None`` and the caller builds the graph afresh.
The correctness oracle (``tests/test_incremental_oracle.py``) checks the result against clean
builds byte for byte; ``tests/test_graph_delta_equivalence.py`` and ``test_graph_delta_stateful.py``
check the updated graph against :func:`build_graph` field by field, for every edit kind, and
the reported reach against the pages that differ.
"""

from __future__ import annotations

import bisect
import dataclasses
from dataclasses import dataclass, field

from generator.graph.links import doc_id, term_keys
from generator.graph.related import PER_TERM, RelatedIndex
from generator.graph.site import SiteGraph, summary_of
from generator.graph.taxonomy import Term, newest_first, update_taxonomies
from generator.graph.timeline import (
    doc_entries,
    entry_key,
    entry_terms,
    entry_value,
    event_term_keys,
)
from generator.graph.urls import NOT_CONTENT, TERM_PAGE_TYPES
from generator.markup.rendered import RenderedBody
from generator.model.document import CONFIDENCE_LEVELS, DocType, Document
from generator.model.slugs import term_key

#: Document types a one-document update handles.
UPDATABLE = (DocType.ARTICLE, DocType.NOTE)


@dataclass
class GraphDelta:
    """What an update touched: the pages to re-plan, and facts the site-wide files need."""

    docs: set[str] = field(default_factory=set)  # paths of documents whose page must be re-planned
    terms: set[str] = field(default_factory=set)  # ids of terms whose page must be re-planned
    #: Of ``terms``, those whose pages after the first may differ too (the others' later pages
    #: show the same name, spellings, place and cards: their timeline and backlinks, which
    #: changed, are on the first page only).
    term_lists: set[str] = field(default_factory=set)
    removed_terms: list[Term] = field(default_factory=list)
    created_terms: set[str] = field(default_factory=set)
    changed: set[str] = field(default_factory=set)  # paths whose card, links or terms may differ
    renamed_terms: set[str] = field(default_factory=set)
    dates_changed: bool = False
    timeline_changed: bool = False
    #: The lists of documents whose pages may differ (``None``: every one): ``confidence:<level>``
    #: for a confidence level's pages, ``archive:articles`` and ``archive:notes`` for the archives.
    lists: set[str] | None = None
    #: The documents the update re-resolved, as they were: path -> (document, summary).
    before: dict[str, tuple[Document | None, str]] = field(default_factory=dict)


def updatable(old: Document | None, new: Document | None) -> bool:
    """Whether replacing ``old`` by ``new`` is an edit :func:`update_graph` handles."""
    return (old is not None and new is not None and old.type in UPDATABLE and new.type is old.type
            and new.slug == old.slug and new.title == old.title and new.path == old.path
            and new.aliases == old.aliases)  # (names links find it by: a full graph otherwise)


def _when_key(doc: Document) -> tuple:
    return (doc.when.sort_key if doc.when else None, doc.updated.sort_key if doc.updated else None)


def update_graph(graph: SiteGraph, edits: list[tuple[Document, Document, RenderedBody]]
                 ) -> tuple[SiteGraph, GraphDelta] | None:
    """Replace documents (old, new, new body) in ``graph``; ``None`` when a full rebuild is needed.

    The old graph's term and link structures are updated in place, so it must not be used
    afterwards (whatever the outcome).
    """
    if graph.structural_diagnostics or not edits:
        return None
    if not all(updatable(old, new) for old, new, _ in edits):
        return None
    delta = GraphDelta()
    old_docs = [old for old, _, _ in edits]
    new_docs = [new for _, new, _ in edits]
    paths = {doc.path for doc in new_docs}
    by_path = dict(graph.by_path)
    bodies = dict(graph.bodies)
    for _, new, body in edits:
        by_path[new.path] = new
        bodies[new.path] = body
    delta.dates_changed = any(_when_key(old) != _when_key(new) for old, new, _ in edits)
    docs = list(graph.docs)
    for old, new, _ in edits:
        docs[docs.index(old)] = new
    if delta.dates_changed:
        docs.sort(key=newest_first)

    # Terms: move the documents, in place.
    taxonomies = graph.taxonomies
    change = update_taxonomies(taxonomies, old_docs, new_docs, PER_TERM)
    if change is None:
        return None
    delta.created_terms = change.created
    delta.removed_terms = change.removed
    delta.renamed_terms = change.renamed
    changed_terms = [*change.removed, *(t for kind in taxonomies.terms.values() for t in kind.values()
                                        if t.id in change.created or t.id in change.renamed)]
    changed_keys: set[str] = set()
    for term in changed_terms:
        changed_keys |= term_keys(term, taxonomies)

    # Links: re-resolve the edited documents and every document whose lookups can now differ.
    links = graph.links
    redo = set(paths)
    if changed_terms:
        page_paths = {t.page.path for kind in taxonomies.terms.values() for t in kind.values() if t.page}
        anchors = {p: bodies[p].heading_ids for p in page_paths if p in bodies}
        links.resolver.set_terms(taxonomies, anchors)
        redo |= links.users_of(changed_keys)
        for term in changed_terms:
            redo |= links.linkers(term.id)
    for _, new, body in edits:
        target = links.resolver.doc_targets.get(doc_id(new))
        if target is None:
            return None
        target.doc = new
        anchors_now = body.heading_ids
        if anchors_now != target.anchors:
            target.anchors = anchors_now
            redo |= links.linkers(target.id)
    touched_targets: set[str] = set()
    ordered = sorted(redo)
    for path in ordered:
        touched_targets |= links.forget(path)
    for path in ordered:
        doc = by_path[path]
        body = bodies.get(path)
        touched_targets |= links.add(doc, body.links if body is not None else ())
    links.finish(sorted(touched_targets))
    if change.created or change.removed:
        # A broken link's "did you mean" hint is the nearest of every slug, and slugs came or
        # went: redo the warnings of the other documents with a broken link (their links
        # resolve as before, so their pages and backlinks stay as they are).
        for path in sorted(p for p in links.diagnostics  # every broken link has a warning
                           if p not in redo and any(link.target is None for link in links.links.get(p, ()))):
            body = bodies.get(path)
            links.forget(path)
            links.add(by_path[path], body.links if body is not None else ())
    for term in change.removed:
        links.assessed_in.pop(term.id, None)
        links.referenced_by.pop(term.id, None)

    summaries = dict(graph.summaries)
    for path in redo:
        delta.before[path] = (graph.by_path.get(path), graph.summaries.get(path, ""))
        summaries[path] = summary_of(by_path[path], bodies, links)
    delta.changed = set(redo)

    # Events that name a term that came or went now show it differently.
    event_index = graph.event_index
    for old in old_docs:
        for key in event_term_keys(old):
            event_index.get(key, set()).discard(old.path)
    for new in new_docs:
        for key in event_term_keys(new):
            event_index.setdefault(key, set()).add(new.path)
    event_docs: set[str] = set()
    for term in changed_terms:
        kind = term.kind
        keys = {term_key(term.name), *(term_key(n) for n in term.names)}
        for key in keys:
            event_docs |= event_index.get((kind, key), set())

    # Timeline: redo the entries of every document whose entries can differ.
    redo_entries = redo | event_docs
    entries_by_doc = graph.entries_by_doc
    old_entries = [e for p in redo_entries for e in entries_by_doc.get(p, ())]
    new_entries = [e for p in sorted(redo_entries) for e in doc_entries(by_path[p], taxonomies, summaries)]
    timeline = graph.timeline
    term_timelines = graph.term_timelines
    entry_term_ids: set[str] = set(change.touched)
    if old_entries or new_entries:
        delta.timeline_changed = (sorted((entry_key(e), entry_value(e)) for e in old_entries)
                                  != sorted((entry_key(e), entry_value(e)) for e in new_entries))
        if delta.timeline_changed:
            timeline = [e for e in graph.timeline if e.doc.path not in redo_entries]
            for entry in new_entries:
                bisect.insort(timeline, entry, key=entry_key)
        else:
            # The same entries as pages show them: keep the list (what was derived from it
            # stays valid), but with the new entries in place of the old, whose ``doc`` is
            # the old document (each entry keeps its place: same id, so the same sort key).
            for entry in new_entries:
                at = bisect.bisect_left(timeline, entry_key(entry), key=entry_key)
                timeline[at] = entry
        entries_by_doc = dict(entries_by_doc)
        for path in redo_entries:
            entries_by_doc.pop(path, None)
        for entry in sorted(new_entries, key=entry_key):
            entries_by_doc.setdefault(entry.doc.path, []).append(entry)
        for entry in old_entries:
            entry_term_ids.update(t.id for t in (*entry.actors, *entry.locations) if not isinstance(t, str))
        new_terms_of: dict[int, set[str]] = {}
        for entry in new_entries:
            ids = {t.id for t in entry_terms(entry, taxonomies)}
            new_terms_of[id(entry)] = ids
            entry_term_ids |= ids
        term_timelines = dict(term_timelines)
        for term_id in entry_term_ids:
            kept = [e for e in term_timelines.get(term_id, []) if e.doc.path not in redo_entries]
            for entry in new_entries:
                if term_id in new_terms_of[id(entry)]:
                    bisect.insort(kept, entry, key=entry_key)
            if kept:
                term_timelines[term_id] = kept
            else:
                term_timelines.pop(term_id, None)
    for term in change.removed:
        term_timelines.pop(term.id, None)

    replaced = {id(old): new for old, new, _ in edits}
    if delta.dates_changed or any(old.confidence != new.confidence for old, new, _ in edits):
        by_confidence = {level: [d for d in docs if d.type not in NOT_CONTENT and d.confidence == level]
                         for level in CONFIDENCE_LEVELS}
    else:
        by_confidence = dict(graph.by_confidence)
        for level in {old.confidence for old, _, _ in edits if old.confidence in by_confidence}:
            by_confidence[level] = [replaced.get(id(d), d) for d in by_confidence[level]]
    if delta.dates_changed:
        related = RelatedIndex([d for d in docs if d.type not in NOT_CONTENT], taxonomies,
                               graph.related.limit, graph.related.memo)
    else:
        related = RelatedIndex([], taxonomies, graph.related.limit, graph.related.memo, graph.related.rank, by_path)

    # Pages to re-plan.
    dirty_docs = set(redo) | event_docs
    # A term page shows its documents' cards in order, its own timeline, its backlinks and
    # the spellings its documents give it.
    dirty_terms = change.members | change.created | change.renamed | change.moved | change.respelled
    cards_changed = delta.dates_changed or any(
        _card_value(graph.by_path.get(p), graph.summaries) != _card_value(by_path[p], summaries) for p in redo)
    if cards_changed:
        dirty_terms |= change.touched
        for path in redo:
            dirty_terms.update(t.id for found in taxonomies.of_doc.get(path, {}).values() for t in found)
    whole_terms = set(dirty_terms)  # what follows is on a term's first page only
    if delta.timeline_changed:
        dirty_terms |= entry_term_ids
    # An entry shows its terms' names: a renamed term changes the timeline of every term
    # page showing an entry that names it (the entries themselves may not have changed).
    for term_id in change.renamed:
        for entry in term_timelines.get(term_id, ()):
            dirty_terms.update(t.id for t in entry_terms(entry, taxonomies))
    # Terms are renamed in place, so the comparison of entries above cannot see a new name:
    # every entry that shows a term that came, went or was renamed changes on the page of
    # each term it is listed under.
    if changed_terms:
        showing = redo_entries | {d.path for term in changed_terms for d in term.docs}
        for path in showing:
            for entry in entries_by_doc.get(path, ()):
                dirty_terms.update(t.id for t in entry_terms(entry, taxonomies))
    for target_id in touched_targets:
        if target_id.startswith("doc:"):
            dirty_docs.add(target_id[4:])
        else:
            dirty_terms.add(target_id)
    for path in redo:
        dirty_docs |= links.linkers(f"doc:{path}")
    # A related list shows its documents' cards, ranked by the terms they share and then by
    # date: with the same cards, dates and term memberships, every list is as it was.
    if cards_changed or delta.dates_changed or change.members or changed_terms:
        for path, (_, result) in graph.related.memo.items():
            if not redo.isdisjoint(result):  # (no set made per document, as intersection would)
                dirty_docs.add(path)
    # A confidence level's pages and the archives list their documents' cards in order (a
    # level's pages with every level's count): the same dates, confidences and cards, the same pages.
    if delta.dates_changed or any(old.confidence != new.confidence for old, new, _ in edits):
        delta.lists = None
    elif cards_changed:
        delta.lists = {f"confidence:{by_path[p].confidence}" for p in redo if by_path[p].confidence}
        delta.lists |= {f"archive:{by_path[p].type.value}s" for p in redo}
    else:
        delta.lists = set()
    for term_id in change.touched:
        term = taxonomies.term(term_id)
        before = change.tops.get(term_id, ())
        after = tuple(d.path for d in term.docs[:PER_TERM]) if term is not None else ()
        if before != after or (delta.dates_changed and paths.intersection(before + after)):
            members = {d.path for d in term.docs} if term is not None else set()
            dirty_docs |= members | paths
    for term in changed_terms:
        dirty_docs |= {d.path for d in term.docs}
    # A document page's map draws its locations where their terms are: a moved term moves
    # the marker on the page of every document naming it.
    for term_id in change.moved:
        term = taxonomies.term(term_id)
        if term is not None:
            dirty_docs |= {d.path for d in term.docs}
    for path in dirty_docs:
        doc = by_path.get(path)
        if doc is None:
            continue
        if doc.type in TERM_PAGE_TYPES:
            dirty_terms.add(doc_id(doc))
        else:
            delta.docs.add(path)
    delta.terms = dirty_terms - {t.id for t in change.removed}
    delta.term_lists = whole_terms & delta.terms

    new_graph = dataclasses.replace(
        graph, docs=docs, bodies=bodies, summaries=summaries, timeline=timeline, term_timelines=term_timelines,
        related=related, by_confidence=by_confidence, by_path=by_path, event_index=event_index,
        diagnostics=links.all_diagnostics(), memo={})
    if not delta.dates_changed:  # the same order: carry the list of articles and notes over
        listed = [replaced.get(id(d), d) for d in graph.listed]
        new_graph.__dict__["listed"] = listed  # the cached_property's own slot
    new_graph.__dict__["entries_by_doc"] = entries_by_doc
    if "pages" in graph.__dict__:  # an update replaces articles and notes only
        new_graph.__dict__["pages"] = graph.__dict__["pages"]
    return new_graph, delta


def _card_value(doc: Document | None, summaries: dict[str, str]) -> tuple | None:
    """What lists show of a document beyond its title and URL (which an update keeps)."""
    if doc is None:
        return None
    return (doc.when.iso if doc.when else None, doc.confidence, doc.marking, summaries.get(doc.path, ""))


__all__ = ["UPDATABLE", "GraphDelta", "update_graph", "updatable"]
