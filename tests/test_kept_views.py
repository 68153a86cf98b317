"""Views a running builder keeps between builds (render/kept.py): kept only while what they were
made from is the same, and the very same object when made again equal."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from generator.graph.taxonomy import Term
from generator.render.digest import SharedList, SharedView, view_digest
from generator.render.kept import KeptViews, TermWatch, kept_card, shared_list, shared_view


def _graph(kept: KeptViews) -> Any:
    """What the kept views read of a graph: its per-build memo, holding the builder's views."""
    return SimpleNamespace(memo={"kept_views": kept})


def _view(term: Term) -> dict[str, Any]:
    return {"name": term.name, "slug": term.slug}


def test_a_term_renamed_in_place_is_seen_as_changed_after_the_generation_that_saw_it() -> None:
    russia, aden = Term("actors", "russia", "Russia"), Term("locations", "aden", "Aden")
    watch = TermWatch()
    watch.advance([russia, aden], _view)
    made = watch.generation
    watch.advance([russia, aden], _view)
    assert watch.unchanged_since(made, (russia, aden))
    russia.name = "Russian Federation"
    watch.advance([russia, aden], _view)
    assert not watch.unchanged_since(made, (russia,))
    assert watch.unchanged_since(made, (aden, "a name with no term"))


def test_a_term_that_went_away_counts_as_changed_and_a_new_one_changes_nothing_else() -> None:
    russia, aden = Term("actors", "russia", "Russia"), Term("locations", "aden", "Aden")
    watch = TermWatch()
    watch.advance([russia, aden], _view)
    made = watch.generation
    wagner = Term("actors", "wagner", "Wagner")
    watch.advance([russia, aden, wagner], _view)
    assert watch.unchanged_since(made, (russia, aden))
    watch.advance([russia, wagner], _view)
    assert not watch.unchanged_since(made, (aden,))
    assert watch.covers((russia, wagner, "plain"))
    assert not watch.covers((aden,))


def test_a_card_is_kept_for_the_same_document_and_summary_and_made_again_otherwise() -> None:
    kept = KeptViews()
    graph = _graph(kept)
    doc = SimpleNamespace(path="content/articles/a.md")
    made: list[str] = []

    def make(title: str) -> SharedView:
        made.append(title)
        return SharedView({"title": title})

    first = kept_card(graph, doc, "summary", "/", lambda: make("A"))
    assert kept_card(graph, doc, "summary", "/", lambda: make("A")) is first
    assert made == ["A"]
    changed = kept_card(graph, doc, "other summary", "/", lambda: make("B"))
    assert changed == {"title": "B"} and changed is not first


def test_a_card_made_again_equal_is_the_card_it_replaces() -> None:
    kept = KeptViews()
    graph = _graph(kept)
    old_doc, new_doc = SimpleNamespace(path="content/a.md"), SimpleNamespace(path="content/a.md")
    first = kept_card(graph, old_doc, "s", "/", lambda: SharedView({"title": "A"}))
    again = kept_card(graph, new_doc, "s", "/", lambda: SharedView({"title": "A"}))
    assert again is first


def test_a_list_of_the_same_views_is_the_same_shared_list_with_the_same_digest() -> None:
    kept = KeptViews()
    graph = _graph(kept)
    a, b = SharedView({"t": "a"}), SharedView({"t": "b"})
    first = shared_list(graph, "slot", [a, b])
    assert isinstance(first, SharedList)
    assert shared_list(graph, "slot", [a, b]) is first
    other = shared_list(graph, "slot", [b, a])
    assert other is not first and other.digest() != first.digest()
    # The digest of a page holding the list is that of the list's own items.
    assert view_digest({"x": first}) == view_digest({"x": shared_list(graph, "elsewhere", [a, b])})


def test_a_shared_view_is_reused_only_while_equal() -> None:
    kept = KeptViews()
    graph = _graph(kept)
    first = shared_view(graph, "g", {"label": "May 2024", "entries": []})
    assert shared_view(graph, "g", {"label": "May 2024", "entries": []}) is first
    assert shared_view(graph, "g", {"label": "June 2024", "entries": []}) is not first
