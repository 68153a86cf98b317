"""The card and entry partials write out the markup of macros in macros.html (for speed);
this keeps the two in step: each partial must contain exactly what the macros produce."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.render.env import make_environment

DATE = {"iso": "2024-12-06", "text": "6 December 2024", "short": "6 Dec 2024"}
CONFIDENCE = {"level": "moderate", "url": "/confidence/moderate/", "label": "Moderate confidence"}
TERMS = [{"name": "Hmeimim & co", "url": "/locations/hmeimim/"}, {"name": "Unlinked", "url": ""}]


@pytest.fixture()
def env(tmp_path: Path):
    return make_environment(tmp_path, "default")


def _macros(env):
    return env.get_template("partials/macros.html").module


def test_card_writes_the_date_confidence_and_marking_macros_markup(env) -> None:
    doc = {"type": "article", "type_label": "Article", "url": "/articles/x/", "title": "X <y>",
           "date": DATE, "confidence": CONFIDENCE, "marking": "TLP:AMBER+STRICT", "summary": "S"}
    card = env.get_template("partials/card.html").render(doc=doc, heading="h3")
    macros = _macros(env)
    for markup in (macros.date(DATE), macros.confidence(CONFIDENCE), macros.marking("TLP:AMBER+STRICT")):
        assert str(markup) and str(markup) in card


def test_entry_writes_the_date_term_links_and_marking_macros_markup(env) -> None:
    entry = {"kind": "event", "kind_label": "Event", "id": "e1", "url": "/articles/x/", "title": "T",
             "source_title": "Src", "date": DATE, "locations": TERMS, "actors": TERMS[:1], "marking": "TLP:GREEN"}
    html = env.get_template("partials/entry.html").render(e=entry, heading="h3")
    macros = _macros(env)
    for markup in (macros.date(DATE), macros.term_links(TERMS, "term-location"),
                   macros.term_links(TERMS[:1], "term-actor"), macros.marking("TLP:GREEN")):
        assert str(markup) and str(markup) in html
