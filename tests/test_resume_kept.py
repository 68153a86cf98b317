"""A build in a new process carries on with the views the base build kept (``render/keptstate.py``):
they come back as the loaded graph's own objects, only what an edit reaches is made again, and
the output still equals a clean build."""

from __future__ import annotations

import pickle
from pathlib import Path
from types import SimpleNamespace

import pytest
from test_incremental_oracle import _clean_build, _corpus, _front, _write
from test_pooled_compare import _new_process_build

from generator import resume
from generator.build import Builder
from generator.render import feeds, previews, views
from generator.render.digest import SharedList, SharedView, view_digest
from generator.render.kept import KeptViews
from generator.render.keptstate import DISPATCH, portable, restored
from generator.verify import compare_folders


def _saved(site: Path) -> tuple[object, KeptViews | None]:
    with open(site / ".briefing-cache" / resume.FILE_NAME, "rb") as handle:
        state = pickle.load(handle)
    return state["graph"], restored(state["kept"])


def _counted(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[int]:
    calls = [0]
    real = getattr(module, name)

    def counting(*args, **kwargs):
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counting)
    return calls


def test_the_views_a_base_build_kept_come_back_as_the_loaded_graphs_own_objects(tmp_path: Path) -> None:
    site = _corpus(tmp_path, 30)
    _new_process_build(site, tmp_path / "out", jobs=1, resume=True)
    graph, kept = _saved(site)
    assert kept is not None
    assert kept.settings == graph.config.fingerprint()
    carded = [doc for doc in graph.docs if id(doc) in kept.cards]
    assert len(carded) >= 20
    for doc in carded:
        assert kept.cards[id(doc)][0] is doc
        card = kept.cards[id(doc)][3]
        assert isinstance(card, SharedView) and card.digest() == view_digest(dict(card))
    assert graph.timeline and all(kept.events[e.id][0] is e for e in graph.timeline)
    assert all(kept.previews[id(doc)][0] is doc for doc in graph.docs if id(doc) in kept.previews)
    watch = kept.terms
    terms = [t for kind in graph.taxonomies.terms.values() for t in kind.values()]
    assert terms and all(watch.seen[id(t)][0] is t for t in terms)


def test_a_one_shot_build_keeps_the_views_it_carries_but_no_whole_file(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # Whole files' bytes are read only by a running builder's next build: a one-shot build that
    # keeps views for a build in a new process (which does not carry them) holds none.
    site = _corpus(tmp_path, 30)
    seen: list[KeptViews] = []
    real = resume.portable
    monkeypatch.setattr(resume, "portable", lambda kept: seen.append(kept) or real(kept))
    _new_process_build(site, tmp_path / "out", jobs=1, resume=True)
    (kept,) = seen
    assert kept.lasting and not kept.files
    assert kept.cards and kept.events and kept.previews
    assert (kept.timeline_bytes, kept.previews_bytes, kept.sources_bytes, kept.feeds) == (None, None, None, {})
    builder = Builder(site, tmp_path / "running", quiet=True, atomic_swap=False, jobs=1)
    try:
        assert builder.build().ok
        running = builder._search_memo["kept_views"]
        assert running.files and running.timeline_bytes and running.previews_bytes and running.feeds
    finally:
        builder.close()


def test_a_resumed_build_makes_again_only_the_views_an_edit_reaches(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    site = _corpus(tmp_path, 40)
    out = tmp_path / "out"
    _new_process_build(site, out, jobs=1, resume=True)
    path = sorted((site / "content" / "articles").glob("*.md"))[5]
    front, body = _front(path)
    _write(path, front, body + "\nA sentence nobody wrote before.\n")
    made = {name: _counted(monkeypatch, module, name)
            for module, name in ((views, "entry_view"), (views, "_card"), (feeds, "_event"),
                                 (previews, "_doc_record"), (feeds, "quote"))}  # quote: a sitemap line
    result = _new_process_build(site, out, jobs=1, resume=True)
    assert result.resumed and result.graph == "updated"
    # The edited document's own views at most (a card, its timeline entries' views and events).
    assert all(calls[0] <= 4 for calls in made.values()), {name: calls[0] for name, calls in made.items()}
    clean = tmp_path / "clean"
    _clean_build(site, clean)
    assert compare_folders(clean, out) == []
    assert "A sentence nobody wrote before." in (out / "articles" / path.stem / "index.html").read_text()


def test_without_the_carried_views_a_resumed_build_makes_every_view_again(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # The counterpart of the test above: what it counts is what the carried views save.
    site = _corpus(tmp_path, 40)
    out = tmp_path / "out"
    monkeypatch.setattr(resume, "portable", lambda kept: None)
    _new_process_build(site, out, jobs=1, resume=True)
    path = sorted((site / "content" / "articles").glob("*.md"))[5]
    front, body = _front(path)
    _write(path, front, body + "\nA sentence nobody wrote before.\n")
    events = _counted(monkeypatch, feeds, "_event")
    result = _new_process_build(site, out, jobs=1, resume=True)
    assert result.resumed
    assert events[0] >= 30


def test_every_field_of_the_kept_views_is_carried_or_made_again() -> None:
    # A new kind of kept view must be added to render/keptstate.py: until it is, nothing is carried.
    assert portable(KeptViews("settings")) is not None
    odd = KeptViews("settings")
    odd.something_new = {}
    assert portable(odd) is None
    assert portable(object()) is None
    assert restored({"not": "a record"}) is None
    assert restored(None) is None


def test_views_made_before_a_term_went_away_are_not_carried() -> None:
    kept = KeptViews("settings")
    term = SimpleNamespace(name="kept term")
    watch = kept.terms
    watch.generation = 5
    watch.seen = {id(term): (term, "shows")}
    watch.changed_at = {id(term): 2, 123456789: 4}  # 123456789: a term no graph holds any more
    old, new = SimpleNamespace(id="old"), SimpleNamespace(id="new")
    kept.entries = {id(old): (old, 3, "/", SharedView(a=1)), id(new): (new, 4, "/", SharedView(b=2))}
    kept.events = {"old": (old, 3, "", "{}", "TLP:CLEAR"), "new": (new, 5, "", "{}", "TLP:CLEAR")}
    kept.timeline_run = ([old, new], ["{}", "{}"], ("", "TLP:CLEAR"), 3, {id(term): {0}})
    back = restored(pickle.loads(_dumps({"kept": portable(kept), "term": term, "old": old, "new": new}))["kept"])
    assert back is not None
    assert [rec[0].id for rec in back.entries.values()] == ["new"]
    assert list(back.events) == ["new"]
    assert back.timeline_run is None
    (seen_term, shown), = back.terms.seen.values()
    assert shown == "shows" and back.terms.changed_at == {id(seen_term): 2}


def _dumps(value: object) -> bytes:
    import io

    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.dispatch_table = DISPATCH
    pickler.dump(value)
    return buffer.getvalue()


def test_shared_views_are_pickled_whole_for_a_new_process_with_the_digest_they_had() -> None:
    card = SharedView(title="Alpha", url="/a/")
    month = SharedList([card, card])
    digest = month.digest()
    back_month, back_card = pickle.loads(_dumps((month, card)))
    assert isinstance(back_month, SharedList) and isinstance(back_card, SharedView)
    assert back_month == month and back_card == card
    assert back_month[0] is back_card and back_month[1] is back_card  # shared once, as it was
    assert back_month.digest() == digest and back_card.digest() == view_digest(dict(card))
    # Pickled as a view's digest pickles it, a shared view is its digest only.
    assert pickle.loads(pickle.dumps(card)) == card.digest()


def test_a_carried_list_works_out_its_items_identities_only_when_first_asked_for(tmp_path: Path,
                                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.render import kept as kept_module

    site = _corpus(tmp_path, 30)
    _new_process_build(site, tmp_path / "out", jobs=1, resume=True)
    graph, kept = _saved(site)
    assert kept is not None and kept.lists and kept.card_lists
    assert all(rec[0] is None for rec in kept.lists.values())
    assert all(rec[1] is None for rec in kept.card_lists.values())
    monkeypatch.setattr(kept_module, "kept_views", lambda _graph: kept)
    slot, (_, carried) = next(iter(kept.lists.items()))
    # The same items (the loaded graph's own objects): the carried list itself, its ids now known.
    assert kept_module.shared_list(graph, slot, list(carried)) is carried
    assert kept.lists[slot][0] == tuple(map(id, carried))
    other, (_, carried_other) = list(kept.lists.items())[1]
    fresh = kept_module.shared_list(graph, other, [*carried_other, object()])
    assert fresh is not carried_other and kept.lists[other][1] is fresh
    slot, (docs, _, summaries, base_path, cards) = next(iter(kept.card_lists.items()))
    assert kept_module.shared_cards(graph, slot, list(docs), base_path, lambda: []) is cards
    assert kept.card_lists[slot][1] == tuple(map(id, docs))
