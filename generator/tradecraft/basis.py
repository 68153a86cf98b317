"""Whether a document's confidence has a basis in what it cites.

ICD 203 practice reserves **high** confidence for judgments resting on good-quality
information from several sources (or on an issue whose nature allows a solid judgment). A
document held at high confidence whose every cited source is graded weak on the Admiralty
scale (STANAG 2511 / AJP-2.1) gets a warning that says so. A source is weak when its
information is graded 4-6 (doubtful, improbable, cannot be judged), or its reliability D-F
(not usually reliable, unreliable, cannot be judged) unless its information is graded 1:
the two grades are independent, and information confirmed by other sources stands even from
a source whose reliability cannot be judged. An ungraded source is not counted as weak.

The sources a document cites are all of its ``sources`` (a single ``source`` is a list of one);
a note that cites none of its own is judged by the sources of the articles it assesses
(``about``). A ``confidence:`` line ending in ``# briefing: allow`` is left alone (the body
gives the basis, as when a judgment rests on long-known facts rather than the reports).
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.errors import Diagnostic, warning
from generator.graph.site import SiteGraph
from generator.model.document import DocType, Document, Source

WEAK_RELIABILITY = frozenset("DEF")
WEAK_CREDIBILITY = frozenset("456")


def is_weak(source: Source) -> bool:
    """Whether a source's grading gives no ground for confidence (see the module)."""
    if source.credibility in WEAK_CREDIBILITY:
        return True
    return source.reliability in WEAK_RELIABILITY and source.credibility != "1"


def cited_sources(doc: Document) -> list[Source]:
    """The sources a document cites itself."""
    if doc.sources:
        return list(doc.sources)
    return [doc.source] if doc.source is not None else []


def basis_warnings(graph: SiteGraph) -> list[Diagnostic]:
    """A warning for each article, note or key judgment held at high confidence whose every
    cited source is graded weak."""
    found: list[Diagnostic] = []
    for doc in graph.listed:
        if doc.draft:  # checked once published, like the rest of the tradecraft checks
            continue
        if doc.confidence != "high" and not doc.key_judgments:  # the quick case: nothing held high
            continue
        levels = [(doc.confidence, doc.line_of("confidence"), "confidence", "confidence")]
        levels += [(kj.confidence, kj.line, f"key_judgments[{n}].confidence", f"judgment {n}'s confidence")
                   for n, kj in enumerate(doc.key_judgments, 1)]
        if not any(level[0] == "high" for level in levels):
            continue
        sources, through = cited_sources(doc), ""
        if not sources and doc.type is DocType.NOTE:
            sources, through = _assessed_sources(graph, doc), " of the articles it assesses"
        if not sources or not all(is_weak(s) for s in sources):
            continue
        grades = "; ".join(f"{s.name}, {s.grading}" for s in _unique(sources))
        for level, line, field, what in levels:
            if level != "high" or line in doc.allowed_lines:
                continue
            found.append(warning(doc.path, line, field,
                                 f"{what} is high, but every source{through} is graded weak ({grades}): high "
                                 "confidence rests on good-quality information from several sources; give the "
                                 "basis for it, or lower the confidence"))
    return found


def _assessed_sources(graph: SiteGraph, doc: Document) -> list[Source]:
    out: list[Source] = []
    for link in graph.links_of(doc):
        target = link.target.doc if link.target is not None else None
        if link.ref.kind == "about" and target is not None and target is not doc:
            out += cited_sources(target)
    return out


def _unique(sources: Iterable[Source]) -> list[Source]:
    return list(dict.fromkeys(sources))
