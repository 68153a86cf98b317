"""The one-document graph update equals a full graph build, structure by structure, for every edit kind.

For each kind of edit an author makes, a kept graph (built, then rendered, as a running builder
keeps it) is brought up to date with :func:`update_graph` where the builder would try it, and
must equal :func:`build_graph` run from scratch on the new sources: every field and property of
the graph, compared by value (``graphcheck.plain``). Where the update took the edit, every
document and term whose page, card or search row differs between the clean graphs before and
after must be in the reach it reported. Edits the update leaves to a full build must still give
the same graph (through the builder's kept related memo).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import make_site, pin_theme
from graphcheck import Session, clean_graph, edits_of, graph_fields, load, plain

from generator.build import Builder
from generator.graph.delta import GraphDelta, update_graph
from generator.graph.site import SiteGraph, build_graph
from generator.model.document import Document
from generator.verify import compare_folders

SITE: dict[str, str] = {
    "briefing.yaml": "title: Proof\nbase_url: https://example.org/\nrelated_limit: 3\n",
    "content/articles/alpha.md": """---
title: Alpha convoy
date: 2024-01-05
tags: [logistics, air defence]
actors: [Russia]
location: [{name: Aden, lat: 12.8, lon: 45.0}]
confidence: high
marking: TLP:AMBER
events:
  - date: 2024-01-03
    title: Convoy leaves
    actors: [Russian Federation, Wagner Group]
    location: Basra
---
The convoy crossed at dawn.

## Seen

Trucks near [[Aden]].
""",
    "content/articles/bravo.md": """---
title: Bravo airlift
date: 2024-02-10
tags: [logistics]
actors: [Russian Federation]
location: Basra
related: [alpha]
confidence: moderate
---
Bravo report. See [[alpha#seen]] and [[houthis]].
""",
    "content/articles/charlie.md": """---
title: Charlie harbour
date: 2023-11-02
tags: [ports]
actors: [Wagner Group]
location: Adan
summary: A harbour seen from the sea.
---
Charlie report; see [[delta]].

## Harbour

Ships.
""",
    "content/notes/hotel.md": """---
title: Hotel note
date: 2024-02-20
tags: [LOGISTICS]
---
A quiet note: it links nothing and nothing links it.
""",
    "content/actors/wagner-group.md": """---
title: Wagner Group
---
Seen at [[charlie#harbour]].
""",
    "content/notes/delta.md": """---
title: Delta assessment
date: 2024-03-01T09:30:00Z
about: [alpha]
actors: [RU]
tags: [Logistics]
confidence: low
---
We assess [[alpha#seen|the sighting]], [[Russia]] and [[tags/logistics]].
""",
    "content/notes/echo.md": """---
title: Echo note
date: 2024-01-05
about: [russia]
related: [bravo, charlie]
---
Echo links [[echo-missing]] and [[Basra]].
""",
    "content/articles/foxtrot.md": """---
title: Foxtrot draft
date: 2024-04-01
draft: true
tags: [ports]
actors: [Russia]
---
A draft about [[alpha]].
""",
    "content/actors/russia.md": """---
title: Russia
aliases: [Russian Federation, RU]
summary: The Russian state.
---
Russia moved [[alpha]] and [[bravo#seen]].
""",
    "content/locations/aden.md": """---
title: Aden
aliases: [Adan]
country: YE
---
See [[charlie]] and [[alpha#seen|the sighting]].
""",
    "content/pages/about.md": """---
title: About
---
Start with [[bravo]] and [[alpha#seen]].
""",
}


def front(files: dict[str, str], rel: str, key: str, value: str | None) -> dict[str, str]:
    """``files`` with a top-level front matter key of ``rel`` set (``None``: removed)."""
    text = files[rel]
    head, _, body = text[4:].partition("\n---\n")
    head = re.sub(rf"^{key}:.*(\n  .*)*\n?", "", head + "\n", flags=re.M).rstrip("\n")
    if value is not None:
        head += f"\n{key}: {value}"
    return {**files, rel: f"---\n{head}\n---\n{body}"}


def body(files: dict[str, str], rel: str, new: Callable[[str], str]) -> dict[str, str]:
    """``files`` with the body of ``rel`` rewritten."""
    head, sep, text = files[rel].partition("\n---\n")
    return {**files, rel: head + sep + new(text)}


A, B, C = "content/articles/alpha.md", "content/articles/bravo.md", "content/articles/charlie.md"
D, E, F = "content/notes/delta.md", "content/notes/echo.md", "content/articles/foxtrot.md"
H = "content/notes/hotel.md"
RUSSIA, ADEN, ABOUT = "content/actors/russia.md", "content/locations/aden.md", "content/pages/about.md"

#: Edits the update takes: (name, edit).
UPDATED: list[tuple[str, Callable[[dict[str, str]], dict[str, str]]]] = [
    ("body text", lambda f: body(f, A, lambda t: t.replace("crossed at dawn", "crossed at dusk"))),
    ("body text after the first paragraph", lambda f: body(f, A, lambda t: t + "\nMore trucks.\n")),
    ("heading linked by others removed", lambda f: body(f, A, lambda t: t.replace("## Seen", "Seen:"))),
    ("heading added that a broken anchor names", lambda f: body(f, B, lambda t: "## Seen\n\n" + t)),
    ("body link added", lambda f: body(f, B, lambda t: t + "Also [[charlie]].\n")),
    ("body link removed", lambda f: body(f, C, lambda t: t.replace("; see [[delta]]", "."))),
    ("heading only a term page links removed", lambda f: body(f, C, lambda t: t.replace("## Harbour", "Harbour:"))),
    ("body link to an alias", lambda f: body(f, E, lambda t: t + "And [[Russian Federation]], [[Adan]].\n")),
    ("summary given", lambda f: front(f, A, "summary", "A convoy.")),
    ("summary dropped", lambda f: front(f, C, "summary", None)),
    ("date moved later", lambda f: front(f, C, "date", "2024-05-01")),
    ("date tied with another", lambda f: front(f, B, "date", "2024-01-05")),
    ("date removed", lambda f: front(f, E, "date", None)),
    ("updated date added", lambda f: front(f, B, "updated", "2024-06-01")),
    ("tag added (new term)", lambda f: front(f, A, "tags", "[logistics, air defence, new tag]")),
    ("tag removed (term goes)", lambda f: front(f, C, "tags", "[]")),
    ("tag spelling that renames the term", lambda f: front(f, A, "tags", "[Logistics, air defence]")),
    ("tag moved to another term", lambda f: front(f, D, "tags", "[ports]")),
    ("actor added (term with a page)", lambda f: front(f, C, "actors", "[Wagner Group, Russia]")),
    ("actor by alias swapped", lambda f: front(f, B, "actors", "[Wagner Group]")),
    ("actor that events and links name comes", lambda f: front(f, B, "actors", "[Russian Federation, Houthis]")),
    ("actor named by an event goes", lambda f: front(f, C, "actors", "[]")),
    ("location by alias", lambda f: front(f, B, "location", "Adan")),
    ("location with coordinates", lambda f: front(f, B, "location", "[{name: Basra, lat: 30.5, lon: 47.8}]")),
    ("location a body links goes", lambda f: front(f, B, "location", "[]")),
    ("location coordinates dropped", lambda f: front(f, A, "location", "Aden")),
    ("about changed", lambda f: front(f, D, "about", "[bravo]")),
    ("about a term changed", lambda f: front(f, E, "about", "[aden, Wagner Group]")),
    ("about dropped", lambda f: front(f, D, "about", None)),
    ("related changed", lambda f: front(f, B, "related", "[charlie, missing]")),
    ("related to a term", lambda f: front(f, E, "related", "[russia]")),
    ("events dropped", lambda f: front(f, A, "events", None)),
    ("events added naming a new actor",
     lambda f: front(f, E, "events", "\n  - date: 2024-02-02\n    title: A clash\n    actors: [Hamas, RU]\n"
                                     "    location: Adan")),
    ("marking changed", lambda f: front(f, A, "marking", "TLP:RED")),
    ("marking dropped", lambda f: front(f, A, "marking", None)),
    ("confidence changed", lambda f: front(f, B, "confidence", "high")),
    ("confidence dropped", lambda f: front(f, D, "confidence", None)),
    ("two documents at once", lambda f: front(front(f, B, "tags", "[ports]"), C, "tags", "[logistics]")),
    ("saved unchanged", lambda f: dict(f)),
]

#: Edits a running builder builds afresh for (the update must not take them wrongly).
REBUILT: list[tuple[str, Callable[[dict[str, str]], dict[str, str]]]] = [
    ("title changed", lambda f: front(f, A, "title", "Alpha airlift")),
    ("slug changed", lambda f: front(f, A, "slug", "alpha-moved")),
    ("file renamed", lambda f: {**{k: v for k, v in f.items() if k != C}, "content/articles/charlie-2.md": f[C]}),
    ("draft on", lambda f: front(f, B, "draft", "true")),
    ("draft off", lambda f: front(f, F, "draft", None)),
    ("document added", lambda f: {**f, "content/notes/golf.md": "---\ntitle: Golf\ndate: 2024-02-11\n"
                                  "tags: [ports]\nabout: [charlie]\n---\nSee [[alpha]].\n"}),
    ("document deleted", lambda f: {k: v for k, v in f.items() if k != B}),
    ("term page alias added", lambda f: front(f, RUSSIA, "aliases", "[Russian Federation, RU, Wagner Group]")),
    ("term page alias removed", lambda f: front(f, RUSSIA, "aliases", "[RU]")),
    ("term page body links", lambda f: body(f, ADEN, lambda t: "See [[bravo]] and [[delta]].\n")),
    ("term page coordinates", lambda f: front(f, ADEN, "lat", "12.8\nlon: 45.0")),
    ("term page added", lambda f: {**f, "content/locations/basra.md": "---\ntitle: Basra\n---\nSee [[bravo]].\n"}),
    ("term page deleted", lambda f: {k: v for k, v in f.items() if k != ADEN}),
    ("plain page links", lambda f: body(f, ABOUT, lambda t: "Read [[charlie]], [[russia]].\n")),
    ("config changed", lambda f: {**f, "briefing.yaml": f["briefing.yaml"].replace("related_limit: 3", "related_limit: 1")}),
    ("config and a document", lambda f: body({**f, "briefing.yaml": "title: Other\nbase_url: /b/\n"}, A,
                                             lambda t: t + "More.\n")),
]


@pytest.mark.parametrize(("name", "edit"), UPDATED, ids=[n for n, _ in UPDATED])
def test_an_updated_graph_equals_a_full_build_and_reports_what_it_reached(name: str, edit: Callable) -> None:
    session = Session(SITE)
    assert session.apply(edit(SITE)) == "updated", name


@pytest.mark.parametrize(("name", "edit"), REBUILT, ids=[n for n, _ in REBUILT])
def test_edits_the_update_refuses_still_give_the_full_build(name: str, edit: Callable) -> None:
    session = Session(SITE)
    assert session.apply(edit(SITE)) == "rebuilt", name


@pytest.mark.parametrize(("name", "edit"), UPDATED, ids=[n for n, _ in UPDATED])
def test_without_related_documents_the_update_still_reaches_every_changed_page(name: str, edit: Callable) -> None:
    # Related lists reach many pages by themselves; without them each other way must hold.
    files = {**SITE, "briefing.yaml": SITE["briefing.yaml"].replace("related_limit: 3", "related_limit: 0")}
    session = Session(files)
    assert session.apply(edit(files)) == "updated", name


@pytest.mark.parametrize(("name", "edit"), UPDATED, ids=[n for n, _ in UPDATED])
def test_with_drafts_shown_the_update_equals_a_full_build(name: str, edit: Callable) -> None:
    session = Session(SITE, drafts=True)
    assert session.apply(edit(SITE)) == "updated", name


def test_drafts_shown_a_draft_flag_turned_on_or_off_is_an_update() -> None:
    session = Session(SITE, drafts=True)
    assert session.apply(front(SITE, B, "draft", "true")) == "updated"
    assert session.apply(front(session.files, F, "draft", None)) == "updated"


def test_every_edit_in_turn_on_one_kept_graph_equals_a_full_build() -> None:
    # The kept graph is the last update's: what each update leaves must serve the next.
    session = Session(SITE)
    files = SITE
    keeping = [edit for name, edit in REBUILT if name not in ("file renamed", "document deleted", "term page deleted")]
    for edit in [*(e for _, e in UPDATED), *keeping, *(e for _, e in UPDATED[::-1])]:
        files = edit(files)
        session.apply(files)
    assert session.updates > len(UPDATED)


def test_the_comparison_covers_every_field_and_property_of_the_graph() -> None:
    graph = clean_graph(SITE)
    data = plain(graph)
    names = set(graph_fields(graph))
    assert {"docs", "taxonomies", "links", "timeline", "term_timelines", "related", "by_confidence",
            "by_path", "event_index", "listed", "entries_by_doc", "pages", "content_docs"} <= names
    assert names <= set(data), sorted(names - set(data))
    # A field added to the graph is compared without a word in graphcheck.
    assert set(SiteGraph.__dataclass_fields__) <= names
    assert data["related"]["results"]["content/notes/delta.md"], "related results are compared"


# -- regressions the proof found ----------------------------------------------------------
def _updated(files: dict[str, str], edited: dict[str, str]
             ) -> tuple[SiteGraph, SiteGraph, GraphDelta, dict[str, Document]]:
    """(graph before, graph the update made, its delta, new documents by path) for one edit."""
    old = load(files)
    graph = build_graph(old.config, old.docs, old.bodies)
    changed = {rel for rel in edited if files.get(rel) != edited[rel]}
    new = load(edited, previous=old, changed=changed)
    pairs = edits_of(old, new, changed, graph, drafts=False)
    assert pairs
    before = dataclasses.replace(graph)
    outcome = update_graph(graph, pairs)
    assert outcome is not None
    return before, outcome[0], outcome[1], {doc.path: doc for doc in new.docs}


def test_timeline_entries_an_edit_leaves_as_they_were_hold_the_new_document() -> None:
    # Text after the first paragraph leaves alpha's timeline entries as pages show them; the
    # update kept the old entry objects, whose ``doc`` was the old document.
    before, graph, _, docs = _updated(SITE, body(SITE, A, lambda t: t + "\nMore trucks.\n"))
    alpha = docs[A]
    entries = [e for e in graph.timeline if e.doc.path == A]
    assert len(entries) == 2
    assert all(e.doc is alpha for e in entries)
    assert all(e.doc is alpha for e in graph.entries_by_doc[A])
    assert all(e.doc is alpha for t in graph.term_timelines.values() for e in t if e.doc.path == A)
    assert graph.timeline is before.timeline, "the same entries keep the same list (what pages derive from it)"


def test_a_term_whose_spellings_change_but_not_its_name_has_its_page_planned_again() -> None:
    # 'logistics' is written logistics (twice), Logistics and LOGISTICS: hotel's LOGISTICS
    # becoming logistics keeps the shown name but drops a spelling the term page lists under
    # "also written"; the update reported only renamed (and moved) terms, so the page was kept.
    edited = front(SITE, H, "tags", "[logistics]")
    before, graph, delta, _ = _updated(SITE, edited)
    term = graph.taxonomies.term("tags:logistics")
    assert term is not None and term.name == "logistics" and term.names == {"logistics", "Logistics"}
    assert "tags:logistics" in delta.terms
    assert Session(SITE).apply(edited) == "updated"


def test_a_renamed_term_replans_the_term_pages_whose_timelines_show_an_entry_naming_it() -> None:
    # Basra has no page: bravo's 'basra' makes it shown as basra. Alpha's event names it, and
    # that entry is on the Wagner Group page's timeline; the entry itself was not redone (its
    # term object was renamed in place), so the timeline looked unchanged and the page was kept.
    # (Echo's link to Basra is taken out: its new label would change the timeline anyway.)
    files = body(SITE, E, lambda t: t.replace(" and [[Basra]]", ""))
    edited = front(files, B, "location", "basra")
    _, graph, delta, _ = _updated(files, edited)
    assert not delta.timeline_changed
    assert "locations:basra" in delta.renamed_terms
    wagner = graph.term_timelines["actors:wagner-group"]
    assert any(t.name == "basra" for e in wagner for t in e.locations if not isinstance(t, str))
    assert "actors:wagner-group" in delta.terms
    assert Session(files).apply(edited) == "updated"


def test_a_term_that_comes_or_goes_redoes_the_did_you_mean_hints_of_other_broken_links() -> None:
    # A broken link's hint names the nearest of every slug. Bravo naming Mosul makes a slug
    # near charlie's [[mosul-city]]; charlie's warning was left without the hint (and kept it
    # when the term went again).
    files = body(SITE, C, lambda t: t + "See [[mosul-city]].\n")
    edited = front(files, B, "location", "[Basra, Mosul]")

    def hints(graph: SiteGraph) -> list[str]:
        return [d.message for d in graph.links.diagnostics.get(C, []) if "mosul-city" in d.message]

    _, graph, _, _ = _updated(files, edited)
    assert hints(graph) == ["[[mosul-city]] matches no document, page or term; did you mean 'mosul'?"]
    _, graph, _, _ = _updated(edited, files)
    assert hints(graph) == ["[[mosul-city]] matches no document, page or term"]
    session = Session(files)
    assert session.apply(edited) == "updated"
    assert session.apply(files) == "updated"


# -- the same edits through a running builder, byte for byte ----------------------------------
def _running_build_equals_clean(tmp_path: Path, files: dict[str, str], edited: dict[str, str]) -> str:
    """Build ``files`` with a running builder, save ``edited`` and build again; the output must
    equal a clean build's. Returns which graph the second build used ("updated" or "full")."""
    site = pin_theme(make_site(tmp_path, files))
    running, clean = tmp_path / "running", tmp_path / "clean"
    builder = Builder(site, running, atomic_swap=False, jobs=1)
    try:
        assert builder.build().ok
        changed = {site / rel for rel in set(files) | set(edited) if files.get(rel) != edited.get(rel)}
        for rel in changed:
            rel_path = rel.relative_to(site).as_posix()
            if rel_path in edited:
                rel.write_text(edited[rel_path], encoding="utf-8")
            else:
                rel.unlink()
        result = builder.build(changed=changed)
    finally:
        builder.close()
    assert result.ok
    fresh = Builder(site, clean, use_cache=False, jobs=1)
    try:
        assert fresh.build().ok
    finally:
        fresh.close()
    assert compare_folders(clean, running) == []
    return result.graph


@pytest.mark.parametrize("case", ["respelled", "renamed on a timeline"])
def test_the_fixed_reach_shows_in_a_running_builders_output(tmp_path: Path, case: str) -> None:
    # The term pages these edits change were kept from the last build before the fixes above.
    if case == "respelled":
        files, edited = SITE, front(SITE, H, "tags", "[logistics]")
    else:
        files = body(SITE, E, lambda t: t.replace(" and [[Basra]]", ""))
        edited = front(files, B, "location", "basra")
    assert _running_build_equals_clean(tmp_path, files, edited) == "updated"


def test_a_settings_change_saved_with_a_document_builds_the_graph_afresh(tmp_path: Path) -> None:
    # update_graph keeps the graph's settings: the builder must not call it when they change.
    edited = body({**SITE, "briefing.yaml": SITE["briefing.yaml"].replace("related_limit: 3", "related_limit: 1")},
                  A, lambda t: t + "More.\n")
    assert _running_build_equals_clean(tmp_path, SITE, edited) == "full"
