"""High confidence needs a basis: a document held at high confidence whose every cited source
is graded weak (reliability D-F, credibility 4-6) gets a warning that says why."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BASIC_SITE, make_site, run_cli

from generator.model.document import Source
from generator.tradecraft.basis import is_weak

ARTICLE = """\
---
title: Convoy seen near Tartus
date: 2024-12-06
confidence: {confidence}
source: {{name: Channel 9, reliability: {reliability}, credibility: {credibility}}}
---
A convoy was filmed on the coast road.
"""

NOTE = """\
---
title: What the convoy means
date: 2024-12-07
about: [convoy-seen-near-tartus]
confidence: high{allow}
key_judgments:
  - text: Russia is reinforcing Tartus.
    confidence: high
  - text: The convoy carries air defence.
    confidence: moderate
---
The convoy points to reinforcement.
"""


def _warnings(tmp_path: Path, *, confidence: str = "moderate", reliability: str = "D", credibility: str = "4",
              allow: str = "", note: bool = True) -> list[str]:
    files = {**BASIC_SITE, "content/articles/convoy-seen-near-tartus.md": ARTICLE.format(
        confidence=confidence, reliability=reliability, credibility=credibility)}
    if note:
        files["content/notes/convoy-means.md"] = NOTE.format(allow=allow)
    result = run_cli("check", "--source", make_site(tmp_path, files))
    assert result.code == 0, result.text
    return [line for line in result.err.splitlines() if "convoy" in line]


@pytest.mark.parametrize(("reliability", "credibility", "weak"), [
    ("D", "3", True), ("E", "2", True), ("F", "2", True), ("A", "4", True), ("B", "6", True), ("F", "", True),
    ("F", "1", False), ("C", "3", False), ("A", "1", False), ("", "3", False), ("", "", False),
])
def test_a_source_is_weak_when_its_reliability_or_its_information_is_poorly_graded(reliability, credibility, weak):
    source = Source("S", reliability=reliability or None, credibility=credibility or None)
    assert is_weak(source) is weak


def test_a_high_confidence_article_on_a_weak_source_is_warned_at_its_confidence(tmp_path: Path):
    assert _warnings(tmp_path, confidence="high", note=False) == [
        "content/articles/convoy-seen-near-tartus.md:4: warning: confidence: confidence is high, but every source is graded weak "
        "(Channel 9, D4): high confidence rests on good-quality information from several sources; give the basis "
        "for it, or lower the confidence"]


def test_a_high_confidence_note_is_judged_by_the_sources_of_the_articles_it_assesses(tmp_path: Path):
    assert _warnings(tmp_path) == [
        "content/notes/convoy-means.md:5: warning: confidence: confidence is high, but every source of the articles "
        "it assesses is graded weak (Channel 9, D4): high confidence rests on good-quality information from several "
        "sources; give the basis for it, or lower the confidence",
        "content/notes/convoy-means.md:7: warning: key_judgments[1].confidence: judgment 1's confidence is high, but every source "
        "of the articles it assesses is graded weak (Channel 9, D4): high confidence rests on good-quality "
        "information from several sources; give the basis for it, or lower the confidence"]


@pytest.mark.parametrize(("reliability", "credibility"), [("B", "2"), ("F", "1"), ("C", "3")])
def test_sources_graded_well_enough_give_no_warning(tmp_path: Path, reliability: str, credibility: str):
    assert _warnings(tmp_path, confidence="high", reliability=reliability, credibility=credibility) == []


def test_an_allow_comment_on_the_confidence_line_keeps_the_authors_word(tmp_path: Path):
    found = _warnings(tmp_path, allow="  # briefing: allow")
    assert [line.split(": warning:")[0] for line in found] == ["content/notes/convoy-means.md:7"]
