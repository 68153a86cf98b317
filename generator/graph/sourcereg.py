"""The source register: every source the shown documents cite, as one entry per source.

A source is known by its slug (:func:`~generator.model.slugs.slugify` of its name), so names
that differ only in case, white space or punctuation are one source. ``source_aliases:`` in
``briefing.yaml`` (``{canonical name: [alias, ...]}``) and the pages under
``content/sources/`` (their title, and their ``aliases``) map other names onto one source.

Everything here is made from the graph of one build, which holds only the documents shown to
the build's audience: a source cited only by documents left out is not in the register at
all. A shown source page (``content/sources/x.md``) nobody cites keeps its own page (links to
it must not break) but is not in the register, its counts or ``sources.json``.
Results are kept in ``graph.memo`` (made again for each graph, so never stale).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from generator.graph.site import SiteGraph
from generator.model.document import CREDIBILITY, RELIABILITY, DocType, Document, Source
from generator.model.slugs import slugify

#: Document types whose sources the register counts.
CITING = (DocType.ARTICLE, DocType.NOTE, DocType.PAGE)


@dataclass
class Citation:
    """One document citing a source, with what it wrote about it."""

    doc: Document
    source: Source


@dataclass
class RegisterEntry:
    """One source of the register and the shown documents that cite it."""

    slug: str
    name: str
    page: Document | None = None
    aliases: tuple[str, ...] = ()
    citations: list[Citation] = field(default_factory=list)

    @property
    def path(self) -> str:
        """The URL path of the source's own page."""
        return source_path(self.slug)

    @property
    def urls(self) -> list[str]:
        """The source's addresses: its page's ``url``, then those the documents give."""
        own = [self.page.meta["url"]] if self.page is not None and isinstance(self.page.meta.get("url"), str) else []
        return list(dict.fromkeys(own + sorted({c.source.url for c in self.citations if c.source.url})))

    @property
    def gradings(self) -> list[str]:
        """The distinct Admiralty gradings documents give the source, most used first."""
        counts = Counter(c.source.grading for c in self.citations if c.source.grading)
        return sorted(counts, key=lambda g: (-counts[g], g))


def source_path(slug: str) -> str:
    """The URL path of a source's page, such as ``sources/reuters/``."""
    return f"sources/{slug}/"


def grading_text(reliability: str | None, credibility: str | None) -> str:
    """The grading spelled out, such as ``B2: usually reliable, probably true`` ("" when ungraded)."""
    words = [RELIABILITY[reliability].lower()] if reliability in RELIABILITY else []
    words += [CREDIBILITY[credibility].lower()] if credibility in CREDIBILITY else []
    if not words:
        return ""
    return f"{reliability or ''}{credibility or ''}: {', '.join(words)}"


def text_of_grading(grading: str) -> str:
    """:func:`grading_text` of a code such as ``B2``, ``B`` or ``2``."""
    reliability = grading[0] if grading[:1] in RELIABILITY else None
    credibility = grading[-1] if grading[-1:] in CREDIBILITY else None
    return grading_text(reliability, credibility)


def alias_slugs(graph: SiteGraph) -> dict[str, tuple[str, str, Document | None]]:
    """Slug of every name a source may be written as -> (its source's slug, canonical name,
    source page). Source pages come first, then ``source_aliases`` in ``briefing.yaml``."""
    found = graph.memo.get("source_aliases")
    if found is not None:
        return found
    found = {}
    source = DocType.SOURCE  # looked up once: an enum member's lookup costs more than the test
    for page in sorted([d for d in graph.docs if d.type is source], key=lambda d: d.path):
        canonical = page.slug  # the page's own URL: where links to it lead
        for name in (page.title, page.slug, *page.aliases):
            found.setdefault(slugify(name), (canonical, page.title, page))
    settings = graph.config.source_aliases if isinstance(graph.config.source_aliases, dict) else {}
    for canonical_name in sorted(settings, key=str):
        name = str(canonical_name).strip()
        if not name:
            continue
        target = found.get(slugify(name), (slugify(name), name, None))
        aliases = settings[canonical_name]
        for alias in [name, *(aliases if isinstance(aliases, list) else [aliases])]:
            if alias is not None and str(alias).strip():
                found.setdefault(slugify(str(alias)), target)
    graph.memo["source_aliases"] = found
    return found


def source_slug(graph: SiteGraph, name: str) -> str:
    """The slug of the source a name stands for (after aliases)."""
    slug = slugify(name)
    known = alias_slugs(graph).get(slug)
    return known[0] if known is not None else slug


def register(graph: SiteGraph) -> list[RegisterEntry]:
    """Every cited source, by name (case-insensitive), each with its citations (newest first)."""
    found = graph.memo.get("source_register")
    if found is not None:
        return found
    aliases = alias_slugs(graph)
    entries: dict[str, RegisterEntry] = {}
    spellings: dict[str, Counter[str]] = {}
    for doc in graph.docs:  # newest first
        if doc.type not in CITING:
            continue
        for source in doc.sources:
            slug = slugify(source.name)
            slug, canonical, page = aliases.get(slug, (slug, "", None))
            entry = entries.get(slug)
            if entry is None:
                entry = entries[slug] = RegisterEntry(slug, canonical, page,
                                                      tuple(page.aliases) if page is not None else ())
            entry.citations.append(Citation(doc, source))
            counts = spellings.get(slug)
            if counts is None:  # not setdefault: that would make a Counter for every citation
                counts = spellings[slug] = Counter()
            counts[source.name] += 1
    for slug, entry in entries.items():
        if not entry.name:
            counts = spellings[slug]
            entry.name = min(counts, key=lambda n: (-counts[n], n))
        written = sorted(n for n in spellings[slug] if n != entry.name)
        entry.aliases = tuple(dict.fromkeys([*entry.aliases, *written]))
    found = graph.memo["source_register"] = sorted(entries.values(), key=lambda e: (e.name.casefold(), e.slug))
    return found


def uncited_pages(graph: SiteGraph) -> list[RegisterEntry]:
    """The shown ``content/sources/`` pages no shown document cites: they keep their own page
    (a link to one is never dead) but are not in the register, its counts or ``sources.json``."""
    cited = {entry.slug for entry in register(graph)}
    out: dict[str, RegisterEntry] = {}
    for slug, page in sorted((d.slug, d) for d in graph.docs if d.type is DocType.SOURCE):
        if slug not in cited and slug not in out:
            out[slug] = RegisterEntry(slug, page.title, page, tuple(page.aliases))
    return list(out.values())


def source_items(graph: SiteGraph, doc: Document, url: Any) -> list[dict[str, Any]]:
    """What a document page shows of each source it cites (``url`` makes a site URL of a path)."""
    return [{
        "name": s.name, "url": s.url, "accessed": s.accessed, "grading": s.grading,
        "reliability": s.reliability, "credibility": s.credibility,
        "reliability_text": s.reliability_text, "credibility_text": s.credibility_text,
        "grading_text": grading_text(s.reliability, s.credibility),
        "register_url": url(source_path(source_slug(graph, s.name))),
    } for s in doc.sources]
