"""Summaries and ``key_judgments:`` in front matter: validated, linted, and each warning at the
line and column where the word was written, however YAML folded or quoted it."""

from __future__ import annotations

import pytest

from generator.model.document import DocType, KeyJudgment
from generator.model.frontmatter import parse_document
from generator.parsing import parse_file
from generator.tradecraft.scales import ICD203

HEAD = "---\ntitle: Probe\ndate: 2024-12-06\n"


def diagnostics(front: str, body: str = "Body.\n", scale=ICD203) -> list[tuple[int, int, str, str, str]]:
    """(line, column, field, text at that place, message) of every diagnostic of the document."""
    text = HEAD + front + "---\n" + body
    _, _, diags = parse_file("content/notes/probe.md", text.encode(), "note", "probe", "UTC", scale)
    lines = text.split("\n")
    return [(d.line, d.column, d.field, lines[d.line - 1][d.column - 1:] if d.column else "", d.message)
            for d in sorted(diags)]


def judgments(front: str) -> tuple[tuple[KeyJudgment, ...], list[str]]:
    """The key judgments of a note with this front matter, and its diagnostics as printed."""
    doc, diags = parse_document("content/notes/probe.md", HEAD + front + "---\nBody.\n", DocType.NOTE, "probe")
    assert doc is not None
    return doc.key_judgments, [str(d) for d in diags]


# -- summaries ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("front", "line", "column"), [
    ("summary: Russia will perhaps stay.\n", 4, 22),
    ("summary: 'It''s a deal; perhaps.'\n", 4, 25),
    ('summary: "A \\"deal\\", \\u00e9 perhaps."\n', 4, 30),
    ("summary: >-\n  Russia will\n    stay, and\n  perhaps leave.\n", 7, 3),
    ("summary: |\n  Russia will\n  perhaps leave.\n", 6, 3),
    ("summary: Russia will stay,\n  and perhaps leave.\n", 5, 7),
])
def test_a_summary_warning_points_at_the_word_as_written(front, line, column):
    found = [d for d in diagnostics(front) if d[2] == "summary"]
    assert [(d[0], d[1]) for d in found] == [(line, column)]
    assert found[0][3].startswith("perhaps")


def test_a_summary_line_ending_in_an_allow_comment_is_skipped():
    assert diagnostics("summary: Russia will perhaps stay.  # briefing: allow\n") == []


def test_a_low_confidence_summary_saying_almost_certainly_is_flagged():
    found = diagnostics("confidence: low\nsummary: >-\n  Russia will almost\n  certainly stay.\n")
    assert [(d[0], d[1], d[2]) for d in found] == [(6, 15, "summary")]
    assert "in a document of low confidence" in found[0][4]


# -- key judgments: parsing ----------------------------------------------------------------------

def test_key_judgments_are_strings_or_mappings():
    found, diags = judgments(
        "key_judgments:\n"
        "  - Russia will likely stay.\n"
        "  - text: A deal is unlikely.\n"
        "    confidence: Moderate\n"
        "    likelihood: unlikely\n")
    assert diags == []
    assert [(j.text, j.confidence, j.likelihood, j.line) for j in found] == [
        ("Russia will likely stay.", None, None, 5),
        ("A deal is unlikely.", "moderate", "unlikely", 6)]


@pytest.mark.parametrize(("front", "message"), [
    ("key_judgments:\n  - confidence: high\n",
     "content/notes/probe.md:5: key_judgments[1].text: is missing; expected the judgment as a sentence"),
    ("key_judgments:\n  - text: [a, b]\n",
     "content/notes/probe.md:5: key_judgments[1].text: is a list; expected the judgment as a sentence"),
    ("key_judgments:\n  - text: X.\n    confidence: certain\n",
     "content/notes/probe.md:6: key_judgments[1].confidence: 'certain' is not a confidence level; expected low, moderate or high"),
    ("key_judgments:\n  - text: X.\n    confidence: mdoerate\n",
     "content/notes/probe.md:6: key_judgments[1].confidence: 'mdoerate' is not a confidence level; expected low, moderate or high; "
     "did you mean 'moderate'?"),
    ("key_judgments:\n  - Fine.\n  - [a, b]\n",
     "content/notes/probe.md:6: key_judgments[2]: is a nested list; expected a string, or a mapping "
     "{text, confidence, likelihood}"),
    ("key_judgments:\n  - ''\n",
     "content/notes/probe.md:5: key_judgments[1]: is empty; expected a string, or a mapping "
     "{text, confidence, likelihood}"),
    ("key_judgments:\n  text: X.\n",
     "content/notes/probe.md:5: key_judgments: expected a list of key judgments, each a string, or a mapping "
     "{text, confidence, likelihood}; found a single mapping (put '- ' before it to make it a list item)"),
    ("key_judgments:\n  - text: X.\n    likelihood: [a]\n",
     "content/notes/probe.md:6: key_judgments[1].likelihood: is a list; expected one term of the "
     "likelihood scale, such as likely"),
])
def test_a_malformed_key_judgment_is_an_error_on_its_line(front, message):
    _, diags = judgments(front)
    assert diags == [message]


def test_an_unknown_key_in_a_key_judgment_is_a_warning_with_a_guess():
    _, diags = judgments("key_judgments:\n  - text: X.\n    likelyhood: likely\n")
    assert diags == ["content/notes/probe.md:6: warning: key_judgments[1].likelyhood: unknown key; "
                     "did you mean 'likelihood'?"]


def test_key_judgements_spelt_the_british_way_gets_a_did_you_mean():
    _, diags = judgments("key_judgements:\n  - X.\n")
    assert diags == ["content/notes/probe.md:4: warning: key_judgements: unknown key; did you mean "
                     "'key_judgments'? (kept as page.meta.key_judgements)"]


# -- key judgments: lint ---------------------------------------------------------------------------

def test_key_judgment_warnings_point_at_the_word_in_each_form():
    found = diagnostics(
        "key_judgments:\n"
        "  - Russia will perhaps stay.\n"                         # 5
        "  - \"It is \\\"so\\\" possible that it goes.\"\n"         # 6
        "  - {text: Russia is very likely to go, likelihood: unlikely}\n"  # 7
        "  - text: |\n"                                           # 8
        "      Russia might go;\n"                                # 9
        "        it could stay.\n"                                # 10
        "    likelihood: perhaps\n"                               # 11
        "  - Russia will maybe go.  # briefing: allow\n")         # 12
    assert [(d[0], d[1], d[3].split()[0].strip("';,")) for d in found] == [
        (5, 17, "perhaps"), (6, 19, "possible"), (7, 22, "very"), (9, 14, "might"), (10, 12, "could"),
        (11, 17, "perhaps")]
    assert found[2][4] == ("judgment 3 says 'very likely' (80-95%) but gives its likelihood as 'unlikely' (20-45%); "
                           "make them agree")
    assert found[5][4] == ("'perhaps' is not a term of ICD 203; expected one of: almost no "
                           "chance, very unlikely, unlikely, roughly even chance, likely, very likely, almost certain")


def test_a_likelihood_from_another_scale_names_the_nearest_term():
    found = diagnostics("key_judgments:\n  - text: Russia stays.\n    likelihood: highly likely\n")
    assert [(d[0], d[1], d[4]) for d in found] == [
        (6, 17, "'highly likely' is not a term of ICD 203; nearest: very likely (80-95%)")]


def test_a_judgments_own_confidence_decides_whether_near_certainty_is_flagged():
    front = ("confidence: high\nkey_judgments:\n"
             "  - text: Russia will almost certainly stay.\n    confidence: low\n"
             "  - Russia will almost certainly keep Tartus.\n")
    found = diagnostics(front)
    assert [(d[0], d[1]) for d in found] == [(6, 23)]
    assert found[0][4].startswith("'almost certainly' (95-99%) in a judgment of low confidence")
    lowered = diagnostics(front.replace("confidence: high\n", "confidence: low\n", 1).replace(
        "    confidence: low\n", "    confidence: high\n"))
    assert [(d[0], d[1]) for d in lowered] == [(8, 17)]
    assert lowered[0][4].startswith("'almost certainly' (95-99%) in a document of low confidence")


def test_confidence_and_likelihood_in_one_key_judgment_sentence_are_flagged():
    found = diagnostics("key_judgments:\n  - We have high confidence Russia will likely stay.\n")
    assert [(d[0], d[1], d[3][:15]) for d in found] == [(5, 13, "high confidence")]
