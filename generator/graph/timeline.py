"""The timeline: every dated document and ``events`` entry, in time order."""

from __future__ import annotations

from dataclasses import dataclass

from generator.graph.taxonomy import Taxonomies, Term
from generator.graph.urls import doc_path
from generator.model.dates import When
from generator.model.document import DocType, Document
from generator.model.pickling import pickled_as_call
from generator.model.slugs import term_key


@pickled_as_call
@dataclass(frozen=True)
class TimelineEntry:
    """One dated entry: a document, or an event carried by one."""

    id: str
    when: When
    title: str
    kind: str  # article, note, page or event
    doc: Document
    path: str  # URL path of the page the entry links to
    summary: str
    locations: tuple[Term | str, ...]
    actors: tuple[Term | str, ...]


def _terms(taxonomies: Taxonomies, kind: str, names: tuple[str, ...]) -> tuple[Term | str, ...]:
    out: list[Term | str] = []
    for name in names:
        term = taxonomies.by_key[kind].get(term_key(name))
        out.append(term if term is not None else name)
    return tuple(out)


def shown_term(term: Term | str | None) -> tuple | str | None:
    """A term as a page shows it: slug and name (a plain name when no term has it)."""
    return (term.slug, term.name) if isinstance(term, Term) else term


def entry_value(entry: TimelineEntry) -> tuple:
    """What a page shows of a timeline entry (its document's marking included)."""
    return (entry.id, entry.title, entry.when.iso, entry.path, entry.summary, entry.kind, entry.doc.title,
            entry.doc.marking, tuple(shown_term(t) for t in entry.locations),
            tuple(shown_term(t) for t in entry.actors))


def entry_key(entry: TimelineEntry) -> tuple:
    """Timeline order: oldest first, ties by title, then id (deterministic)."""
    return (entry.when.sort_key, entry.title.casefold(), entry.id)


def doc_entries(doc: Document, taxonomies: Taxonomies, summaries: dict[str, str]) -> list[TimelineEntry]:
    """The entries one document puts on the timeline: itself when dated, then its events."""
    if doc.type in (DocType.ACTOR, DocType.LOCATION):
        return []
    entries: list[TimelineEntry] = []
    path = doc_path(doc)
    mine = taxonomies.of_doc.get(doc.path, {})
    if doc.when is not None:
        entries.append(TimelineEntry(
            id=f"{doc.type.value}-{doc.slug}", when=doc.when, title=doc.title, kind=doc.type.value,
            doc=doc, path=path, summary=summaries.get(doc.path, ""),
            locations=tuple(mine.get("locations", ())), actors=tuple(mine.get("actors", ())),
        ))
    for index, event in enumerate(doc.events, 1):
        entries.append(TimelineEntry(
            id=f"event-{doc.type.value}-{doc.slug}-{index}", when=event.when, title=event.title, kind="event",
            doc=doc, path=path, summary="",
            locations=_terms(taxonomies, "locations", tuple(loc.name for loc in event.locations)),
            actors=_terms(taxonomies, "actors", event.actors),
        ))
    return entries


def build_timeline(docs: list[Document], taxonomies: Taxonomies, summaries: dict[str, str]) -> list[TimelineEntry]:
    """All timeline entries, oldest first (ties by title, then id: deterministic)."""
    entries: list[TimelineEntry] = []
    for doc in docs:
        entries.extend(doc_entries(doc, taxonomies, summaries))
    entries.sort(key=entry_key)
    return entries


def event_term_keys(doc: Document) -> set[tuple[str, str]]:
    """(kind, key) of every actor and location named in a document's events."""
    keys = {("actors", term_key(name)) for event in doc.events for name in event.actors}
    keys |= {("locations", term_key(loc.name)) for event in doc.events for loc in event.locations}
    return keys


def entry_terms(entry: TimelineEntry, taxonomies: Taxonomies) -> list[Term]:
    """The terms an entry mentions (its actors and locations; a document's tags too)."""
    mentioned: list[Term] = [t for t in (*entry.actors, *entry.locations) if not isinstance(t, str)]
    if entry.kind != "event":
        mentioned.extend(taxonomies.of_doc.get(entry.doc.path, {}).get("tags", ()))
    return list(dict.fromkeys(mentioned))


def entries_by_term(entries: list[TimelineEntry], taxonomies: Taxonomies) -> dict[str, list[TimelineEntry]]:
    """Each term's own small timeline: the entries that mention it, keyed by term id."""
    index: dict[str, list[TimelineEntry]] = {}
    for entry in entries:
        for term in entry_terms(entry, taxonomies):
            index.setdefault(term.id, []).append(entry)
    return index
