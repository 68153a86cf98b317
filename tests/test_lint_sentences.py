"""The estimative-language lint on single sentences: each rule flags what it should, at the
exact line and column of the word in the file, and leaves alone what it should."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from generator.parsing import parse_file
from generator.tradecraft.scales import ICD203, PHIA, Scale

HEAD = "---\ntitle: Probe\ndate: 2024-12-06\n"
LINT_FIELDS = ("body", "summary", "key_judgments", "confidence")


@dataclass(frozen=True)
class Found:
    """One lint warning: where it points, the text there, and its message."""

    line: int
    column: int
    field: str
    at: str
    message: str


def lint(body: str, *, front: str = "confidence: moderate\n", scale: Scale | None = ICD203,
         kind: str = "note") -> list[Found]:
    """The lint warnings of a document with this front matter (after title and date) and body."""
    text = HEAD + front + "---\n" + body
    doc, _, diags = parse_file(f"content/{kind}s/probe.md", text.encode(), kind, "probe", "UTC", scale)
    assert doc is not None, [str(d) for d in diags]
    assert not any(d.is_error for d in diags), [str(d) for d in diags]
    lines = text.split("\n")
    return [Found(d.line, d.column, d.field, lines[d.line - 1][d.column - 1:] if d.column else "", d.message)
            for d in sorted(diags) if d.field in LINT_FIELDS]


def one(body: str, **kwargs) -> Found:
    found = lint(body, **kwargs)
    assert len(found) == 1, found
    return found[0]


# -- 1. likelihood words that are not on the scale ---------------------------------------------

@pytest.mark.parametrize(("sentence", "column", "word", "nearest"), [
    ("Russia will perhaps withdraw.", 13, "perhaps", "unlikely (20-45%) or roughly even chance (45-55%)"),
    ("Maybe the base falls.", 1, "maybe", "unlikely (20-45%) or roughly even chance (45-55%)"),
    ("The base will possibly fall.", 15, "possibly", "unlikely (20-45%) or roughly even chance (45-55%)"),
    ("It is possible that the base falls.", 7, "possible", "unlikely (20-45%) or roughly even chance (45-55%)"),
    ("A fall is quite possible.", 17, "possible", "unlikely (20-45%) or roughly even chance (45-55%)"),
    ("A fall cannot be ruled out.", 8, "cannot be ruled out", "very unlikely (5-20%) or unlikely (20-45%)"),
    ("We can't rule out a fall.", 4, "can't rule out", "very unlikely (5-20%) or unlikely (20-45%)"),
    ("We cannot exclude that it falls.", 4, "cannot exclude", "very unlikely (5-20%) or unlikely (20-45%)"),
    ("A fall cannot be discounted.", 8, "cannot be discounted", "very unlikely (5-20%) or unlikely (20-45%)"),
    ("Russia could conceivably stay.", 14, "conceivably", "very unlikely (5-20%) or unlikely (20-45%)"),
    ("It is highly likely that Russia stays.", 7, "highly likely", "very likely (80-95%)"),
    ("A realistic possibility remains.", 3, "realistic possibility", "unlikely (20-45%) or roughly even chance"),
])
def test_a_likelihood_word_off_the_icd203_scale_is_flagged_with_the_nearest_terms(sentence, column, word, nearest):
    found = one(sentence)
    assert (found.line, found.column, found.field) == (6, column, "body")
    assert found.at.lower().startswith(word.split()[0])
    assert found.message.startswith(f"'{word}' is not a term of ICD 203; nearest: {nearest}")


@pytest.mark.parametrize(("sentence", "column", "word", "nearest"), [
    ("It is possible that the base falls.", 7, "possible", "unlikely (25-35%) or realistic possibility (40-50%)"),
    ("Russia will very likely stay.", 13, "very likely", "highly likely (80-90%) or almost certain (95-100%)"),
    ("Russia will nearly certainly stay.", 13, "nearly certainly", "almost certain (95-100%)"),
    ("The chance is remote.", 15, "remote", "remote chance (0-5%)"),
    ("Russia will perhaps stay.", 13, "perhaps", "unlikely (25-35%) or realistic possibility (40-50%)"),
])
def test_a_likelihood_word_off_the_phia_yardstick_is_flagged_with_the_nearest_terms(sentence, column, word, nearest):
    found = one(sentence, scale=PHIA)
    assert (found.line, found.column) == (6, column)
    assert found.message == f"'{word}' is not a term of the PHIA probability yardstick; nearest: {nearest}"


@pytest.mark.parametrize("sentence", [
    "Russia will likely stay; a withdrawal is unlikely and a collapse very unlikely.",
    "It is almost certain. It is almost certainly so. A roughly even chance. Highly probable, improbable.",
    "There is almost no chance of that; the chance is remote, a remote chance.",
])
def test_every_spelling_on_the_icd203_scale_passes(sentence):
    assert lint(sentence) == []


@pytest.mark.parametrize("sentence", [
    "A realistic possibility. Highly likely, highly unlikely, likely, probably. A remote chance.",
    "It is almost certain; almost certainly; unlikely.",
])
def test_every_spelling_on_the_phia_yardstick_passes(sentence):
    assert lint(sentence, scale=PHIA) == []


@pytest.mark.parametrize("sentence", [
    "They took a possible route through the hills.",
    "Send it as soon as possible, or where possible.",
    "It is possible to reach the base by sea.",
    "The most likely outcome is a split; it is more likely than not, as likely as not.",
    "A remote village in the mountains.",
    "Credibility 3 (possibly true); credibility 2 (probably true).",
    "They could not possibly hold it.",
    "Radars could see low-flying aircraft, and the report may be late.",
    "How likely you think it is.",
    "We cannot exclude Turkey from the talks, nor dismiss its envoy.",
    "The likelihood of an attack, and the probability of a strike.",
])
def test_words_that_state_no_judgment_are_left_alone(sentence):
    assert lint(sentence) == []


def test_modal_verbs_count_in_a_key_judgments_section_only():
    body = ("Russia could stay.\n\n## Key judgements\n\n1. Russia might stay.\n2. It may go.\n\n"
            "### Detail\n\nIt could go.\n\n## Assessment\n\nRussia might stay.\n")
    found = lint(body)
    assert [(f.line, f.column, f.at.split()[0]) for f in found] == [(10, 11, "might"), (11, 7, "may"), (15, 4, "could")]
    assert found[0].message.startswith("'might' is not a term of ICD 203; nearest: unlikely (20-45%) or roughly even")


def test_may_as_a_month_is_not_a_modal_verb():
    assert lint("## Key judgments\n\n- Talks resume on 5 May 2025, after May 12.\n") == []


# -- 2. percentages and odds next to a term ----------------------------------------------------

@pytest.mark.parametrize(("sentence", "column", "message"), [
    ("Russia is very likely (73%) to stay.", 24,
     "73% does not fit 'very likely', which means 80-95% on ICD 203; for 73% say likely (55-80%)"),
    ("Russia is likely, 85 per cent, to stay.", 19,
     "85 per cent does not fit 'likely', which means 55-80% on ICD 203; for 85% say very likely (80-95%)"),
    ("A withdrawal is unlikely (3 in 4).", 27,
     "3 in 4 (75%) does not fit 'unlikely', which means 20-45% on ICD 203; for 75% say likely (55-80%)"),
    ("There is a 90% chance that Russia will likely stay.", 12,
     "90% does not fit 'likely', which means 55-80% on ICD 203; for 90% say very likely (80-95%)"),
    ("Russia is likely | 40-70% | to stay.", 20,
     "40-70% does not fit 'likely', which means 55-80% on ICD 203, and no one term covers 40-70%; nearest: "
     "roughly even chance (45-55%) or likely (55-80%)"),
    # In brackets of its own at the end of the clause, where analysts usually put it.
    ("Russia will very likely stay (73%).", 31,
     "73% does not fit 'very likely', which means 80-95% on ICD 203; for 73% say likely (55-80%)"),
    ("- Russia will likely stay in Syria (about 90%).", 43,
     "90% does not fit 'likely', which means 55-80% on ICD 203; for 90% say very likely (80-95%)"),
])
def test_a_percentage_outside_the_range_of_its_term_is_flagged(sentence, column, message):
    found = one(sentence)
    assert (found.line, found.column) == (6, column)
    assert found.at.startswith(message.split()[0])
    assert found.message == message


def test_a_percentage_in_a_gap_of_the_phia_yardstick_says_no_term_covers_it():
    found = one("A deal is unlikely (37%).", scale=PHIA)
    assert found.column == 21
    assert found.message == ("37% does not fit 'unlikely', which means 25-35% on the PHIA probability yardstick, "
                             "and no one term covers 37%; nearest: unlikely (25-35%) or realistic possibility (40-50%)")


@pytest.mark.parametrize("sentence", [
    "Russia is likely (55-80%) to stay and very likely (80%) to keep Tartus.",
    "A withdrawal is likely (3 in 4).",
    "About 20% of the fleet is likely to move.",
    "Russia holds 30 per cent of the base; it will likely stay.",
    "Russia will likely stay (60%).",
    "Russia will likely stay. The base holds a fifth of the fleet (20%).",
    "It is likely (see annex B) that they stay (2024).",
])
def test_a_percentage_that_fits_or_is_not_a_probability_of_the_term_passes(sentence):
    assert lint(sentence) == []


def test_a_percentage_next_to_an_off_scale_word_names_the_term_for_it():
    found = one("Russia will highly likely (85%) stay.")
    assert found.message == "'highly likely' is not a term of ICD 203; for 85% say very likely (80-95%)"


# -- 3. confidence and likelihood in one sentence -----------------------------------------------

@pytest.mark.parametrize(("sentence", "column", "phrase", "term"), [
    ("We assess with high confidence that Russia will likely stay.", 16, "high confidence", "likely"),
    ("With **moderate** confidence, a deal is unlikely.", 8, "moderate** confidence", "unlikely"),
    ("Our confidence is low that talks are highly likely.", 5, "confidence is low", "highly likely"),
    ("We are highly confident Russia will very likely stay.", 1, "we are highly confident", "very likely"),
])
def test_confidence_and_likelihood_in_one_sentence_are_flagged(sentence, column, phrase, term):
    found = [f for f in lint(sentence) if "one sentence" in f.message]
    assert [(f.line, f.column) for f in found] == [(6, column)]
    shown = " ".join(phrase.replace("*", "").split())
    assert found[0].message == (f"'{shown}' and the likelihood '{term}' are stated in one sentence; ICD 203 keeps "
                                "the confidence in a judgment and the likelihood of an event in separate sentences")


@pytest.mark.parametrize("body", [
    "Russia is **likely** to stay. *Moderate confidence.*\n",
    "Russia is likely to stay.\nWe hold this at low confidence.\n",
    "| Judgement | Likelihood | Confidence |\n| --- | --- | --- |\n| Russia stays | Likely | High confidence |\n",
    "We have high confidence in the source, e.g. its record.\n\nRussia will likely stay.\n",
    "1. Russia is likely to stay\n2. We have moderate confidence in that\n",
])
def test_confidence_and_likelihood_in_separate_sentences_pass(body):
    assert lint(body) == []


# -- 4. near-certain language at low confidence --------------------------------------------------

def test_almost_certainly_in_a_low_confidence_document_is_explained():
    found = one("Intro.\n\nRussia will almost certainly stay.\n", front="confidence: low\n")
    assert (found.line, found.column, found.at) == (8, 13, "almost certainly stay.")
    assert found.message == (
        "'almost certainly' (95-99%) in a document of low confidence: low confidence means the information is "
        "scant, questionable, fragmented or poorly corroborated, which cannot carry a judgment this close to "
        "certain; give the basis for a higher confidence, or state a less certain likelihood")


@pytest.mark.parametrize("confidence", ["moderate", "high"])
def test_almost_certainly_at_moderate_or_high_confidence_passes(confidence):
    assert lint("Russia will almost certainly stay.", front=f"confidence: {confidence}\n") == []


def test_almost_no_chance_at_low_confidence_is_flagged_too():
    found = one("There is almost no chance of a deal.", front="confidence: low\n")
    assert (found.column, found.message[:40]) == (10, "'almost no chance' (1-5%) in a document ")


def test_the_top_of_the_phia_yardstick_at_low_confidence_is_flagged():
    found = one("Russia will almost certainly stay.", front="confidence: low\n", scale=PHIA)
    assert found.message.startswith("'almost certainly' (95-100%) in a document of low confidence")


# -- what is not read -----------------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    "```\nperhaps in a fenced block\n```\n",
    "~~~python\nmaybe = 1\n~~~\n",
    "Text.\n\n    perhaps in an indented block\n",
    "Use `perhaps` or ``maybe ` here`` in code.\n",
    "> Perhaps, said the minister.\n",
    "> The minister said\nperhaps in a lazy continuation.\n",
    'He called it "possibly a deal" and “maybe not”.\n',
    "Perhaps this line is allowed. <!-- briefing: allow -->\n",
    "<!-- perhaps in a comment -->\n",
    "See [[perhaps-not|the note]] and <https://example.org/maybe> and [x](https://e.org/perhaps).\n",
    '<span title="perhaps">text</span>\n',
    "[maybe]: https://example.org/maybe\n",
])
def test_code_quotations_allowed_lines_and_markup_are_exempt(body):
    assert lint(body) == []


def test_an_allow_comment_exempts_its_own_line_only():
    found = lint("Perhaps here. <!-- briefing: allow -->\nBut maybe here.\n")
    assert [(f.line, f.column) for f in found] == [(7, 5)]


def test_text_after_a_quotation_and_a_code_block_is_read_again():
    body = "> Perhaps.\n\n```\nmaybe\n```\n\nReal perhaps.\n"
    assert [(f.line, f.column) for f in lint(body)] == [(12, 6)]


def test_an_unclosed_quote_or_backtick_does_not_hide_the_rest():
    found = lint('A stray " quote and ` tick; perhaps.\n')
    assert [(f.line, f.column) for f in found] == [(6, 29)]


# -- columns and lines ----------------------------------------------------------------------------

def test_columns_count_characters_and_lines_count_the_front_matter():
    front = "confidence: moderate\ntags: [a, b]\nactors:\n  - Russia\n"
    found = one("Intro.\n\nCafé\t— 🚀 perhaps.\n", front=front)
    assert (found.line, found.column, found.at) == (11, 10, "perhaps.")


def test_a_term_split_over_a_line_break_points_at_its_first_word():
    found = one("It is\nhighly\nlikely.\n")
    assert (found.line, found.column, found.message[:15]) == (7, 1, "'highly likely'")


def test_pages_actor_and_location_pages_and_drafts_are_not_linted():
    assert lint("Perhaps.", front="", kind="page") == []
    assert lint("Perhaps.", front="", kind="actor") == []
    assert lint("Perhaps.", front="draft: true\n") == []
    assert [f.column for f in lint("Perhaps.", kind="article")] == [1]


def test_no_scale_turns_the_lint_off():
    assert lint("Perhaps it is very likely (10%).", scale=None) == []
