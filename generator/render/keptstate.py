"""The views a build kept (``render/kept.py``), carried to a build in a new process.

A resumed build (``generator/resume.py``) does what a running builder does after a save, so it
can use what a running builder keeps: the cards, timeline entries and data-file parts of the
base build, each kept by the identity of the graph objects it was made from. Pickled in one
pickle with the site graph, those objects (documents, timeline entries, terms, sources as
written) come back as the very objects the loaded graph holds, so every check of
``render/kept.py`` (``rec[0] is doc``...) holds as it did; what is keyed by ``id()`` is keyed
again by the object it names. Nothing here says which fields a view reads: a carried view is
used under the same checks as in the process that made it.

What a term showed is carried with the term (:class:`~generator.render.kept.TermWatch`); a
term that went away cannot be (it is in no graph): views made before it went away are not
carried. Whole files' bytes and the backlink contexts are not carried (made again, cheaply,
from their carried parts; or only for the pages an edit reaches). A field of
:class:`~generator.render.kept.KeptViews` this module does not know stops it carrying anything:
a new kind of kept view must be added here (``tests/test_resume_kept.py`` says so).
"""

from __future__ import annotations

import copyreg
from typing import Any

from generator.render.digest import SharedList, SharedView
from generator.render.kept import KeptViews, TermWatch

#: Fields kept by ``id(record[0])``: carried as their records.
_BY_FIRST = ("cards", "entries", "months", "feed_entries", "previews", "citation_views", "citation_texts",
             "doc_files")
#: Fields keyed by text, carried as they are.
_AS_THEY_ARE = ("settings", "lasting", "card_of_path", "entry_of_id", "events", "citation_lists", "views",
                "lists", "card_lists", "groups", "timeline_run", "sitemap")
#: Fields not carried: made again from their carried parts (or, for contexts, for the pages rendered).
_NOT_CARRIED = {"timeline_bytes": None, "previews_bytes": None, "sources_bytes": None, "feeds": {}, "contexts": {},
                "files": False}
_TERM_WATCH = {"generation", "last_change", "seen", "changed_at", "_since", "_since_at"}


def portable(kept: Any) -> dict[str, Any] | None:
    """``kept`` as a picklable record whose keys name no ``id()`` (see the module's docstring);
    ``None`` when it is not a :class:`KeptViews` this module knows every field of."""
    if not isinstance(kept, KeptViews) or not isinstance(kept.terms, TermWatch):
        return None
    fields = vars(kept)
    if set(fields) != {*_BY_FIRST, *_AS_THEY_ARE, *_NOT_CARRIED, "terms"} or set(vars(kept.terms)) != _TERM_WATCH:
        return None
    watch = kept.terms
    gone = [g for key, g in watch.changed_at.items() if key not in watch.seen]
    # A view made before a term went away may show it: only views made since are carried.
    floor = max(gone, default=0)
    state: dict[str, Any] = {name: list(fields[name].values()) for name in _BY_FIRST}
    state.update({name: fields[name] for name in _AS_THEY_ARE})
    state["entries"] = [rec for rec in state["entries"] if rec[1] >= floor]
    state["events"] = {key: rec for key, rec in kept.events.items() if rec[1] >= floor}
    run = kept.timeline_run
    if run is not None and (run[3] < floor or not all(key in watch.seen for key in run[4])):
        run = None
    state["timeline_run"] = run and (*run[:4], [(watch.seen[key][0], places) for key, places in run[4].items()])
    state["lists"] = {slot: rec[1] for slot, rec in kept.lists.items()}
    state["card_lists"] = {slot: (rec[0], *rec[2:]) for slot, rec in kept.card_lists.items()}
    state["groups"] = {slot: rec[1:] for slot, rec in kept.groups.items()}
    state["terms"] = (watch.generation, watch.last_change, list(watch.seen.values()),
                      [(watch.seen[key][0], g) for key, g in watch.changed_at.items() if key in watch.seen])
    return state


def restored(state: Any) -> KeptViews | None:
    """The :class:`KeptViews` a :func:`portable` record was made from, its keys those of this
    process; ``None`` for anything else."""
    if not isinstance(state, dict):
        return None
    try:
        kept = KeptViews(state["settings"], lasting=state["lasting"])
        for name in _BY_FIRST:
            setattr(kept, name, {id(rec[0]): rec for rec in state[name]})
        for name in ("card_of_path", "entry_of_id", "events", "citation_lists", "views", "sitemap"):
            setattr(kept, name, state[name])
        for name, empty in _NOT_CARRIED.items():
            setattr(kept, name, empty)
        # The identities of a list's items are worked out when the list is first asked for
        # (``render/kept.py``): some 280,000 at 10,000 documents, of which an edit asks a few.
        kept.lists = {slot: (None, items) for slot, items in state["lists"].items()}
        kept.card_lists = {slot: (docs, None, *rest) for slot, (docs, *rest) in state["card_lists"].items()}
        kept.groups = {slot: (tuple(map(id, entries)), groups, entries)
                       for slot, (groups, entries) in state["groups"].items()}
        run = state["timeline_run"]
        kept.timeline_run = run and (*run[:4], {id(term): places for term, places in run[4]})
        generation, last_change, seen, changed_at = state["terms"]
        watch = kept.terms
        watch.generation, watch.last_change = generation, last_change
        watch.seen = {id(rec[0]): rec for rec in seen}
        watch.changed_at = {id(term): g for term, g in changed_at}
    except (KeyError, TypeError, ValueError, IndexError):
        return None
    return kept


def _reduce_view(view: SharedView) -> tuple:
    # A call of the class with its items, then its digest set in its slot: all done by the
    # unpickler itself, with no function of this module called per view.
    digest = getattr(view, "_digest", None)
    return SharedView, (dict(view),), None if digest is None else (None, {"_digest": digest})


def _reduce_list(items: SharedList) -> tuple:
    digest = getattr(items, "_digest", None)
    return SharedList, (list(items),), None if digest is None else (None, {"_digest": digest})


#: How a pickle of kept views writes shared views and lists: whole (a view's digest pickles only
#: its digest, see ``render/digest.py``), with the digest worked out for them.
DISPATCH = {**copyreg.dispatch_table, SharedView: _reduce_view, SharedList: _reduce_list}
