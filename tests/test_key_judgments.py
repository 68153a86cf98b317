"""``key_judgments:``: the model, its validation (``file:line: key_judgments[N].field: ...``), the
estimative-language lint on judgment text at its place in the front matter, the warning when a
body heading repeats them, and the ``{{< likelihood-scale >}}`` shortcode."""

from __future__ import annotations

import html.parser

from generator.markup.markdown import render_body
from generator.markup.shortcodes import expand_shortcodes, likelihood_table
from generator.model.judgments import body_heading_line
from generator.parsing import parse_file
from generator.tradecraft.scales import ICD203, PHIA

HEAD = "---\ntitle: Probe\ndate: 2024-12-08\n"


def parse(front: str, body: str = "Body.\n", scale=ICD203):
    """The document and its diagnostics as printed."""
    text = HEAD + front + "---\n" + body
    doc, _, diags = parse_file("content/notes/probe.md", text.encode(), "note", "probe", "UTC", scale)
    return doc, [str(d) for d in sorted(diags)]


def test_strings_and_mappings_become_judgments_with_their_own_confidence_and_likelihood():
    doc, diags = parse("confidence: moderate\nkey_judgments:\n"
                       "  - Russia is likely to keep Tartus.\n"
                       "  - text: Russia is unlikely to reinforce Hama.\n"
                       "    confidence: low\n"
                       "    likelihood: Unlikely\n")
    assert diags == []
    first, second = doc.key_judgments
    assert (first.text, first.confidence, first.likelihood, first.line) == (
        "Russia is likely to keep Tartus.", None, None, 6)
    assert (second.text, second.confidence, second.likelihood, second.line) == (
        "Russia is unlikely to reinforce Hama.", "low", "Unlikely", 7)


def test_each_problem_names_the_judgment_and_field_on_its_own_line():
    _, diags = parse("key_judgments:\n"
                     "  - text: Fine.\n"          # 5
                     "    confidence: hgh\n"      # 6
                     "  - text: ''\n"             # 7
                     "  - {txt: Typo.}\n"         # 8
                     "  - [a, b]\n")              # 9
    assert diags == [
        "content/notes/probe.md:6: key_judgments[1].confidence: 'hgh' is not a confidence level; expected low, "
        "moderate or high; did you mean 'high'?",
        "content/notes/probe.md:7: key_judgments[2].text: is empty; expected the judgment as a sentence",
        "content/notes/probe.md:8: key_judgments[3].text: is missing; expected the judgment as a sentence",
        "content/notes/probe.md:8: warning: key_judgments[3].txt: unknown key; did you mean 'text'?",
        "content/notes/probe.md:9: key_judgments[4]: is a nested list; expected a string, or a mapping "
        "{text, confidence, likelihood}",
    ]


def test_a_likelihood_off_the_scale_is_a_warning_at_its_column():
    _, diags = parse("key_judgments:\n  - text: Russia stays.\n    likelihood: probable-ish\n")
    assert diags == [
        "content/notes/probe.md:6:17: warning: key_judgments[1].likelihood: 'probable-ish' is not a term of ICD 203; "
        "expected one of: almost no chance, very unlikely, unlikely, roughly even chance, likely, very likely, "
        "almost certain"]


def test_the_likelihood_is_checked_against_the_scale_in_use():
    front = "key_judgments:\n  - text: Russia stays.\n    likelihood: realistic possibility\n"
    assert parse(front, scale=PHIA)[1] == []
    assert parse(front)[1][0].startswith("content/notes/probe.md:6:17: warning: key_judgments[1].likelihood: "
                                         "'realistic possibility' is not a term of ICD 203")


def test_the_lint_points_into_the_front_matter_at_the_word():
    _, diags = parse("key_judgments:\n"
                     "  - Russia will perhaps stay.\n"            # 5, 'perhaps' at column 17
                     "  - text: >-\n"                             # 6
                     "      Turkey is involved,\n"                # 7
                     "      maybe with Moscow's consent.\n")      # 8, 'maybe' at column 7
    assert [d.split(": warning: ")[0] for d in diags] == ["content/notes/probe.md:5:17", "content/notes/probe.md:8:7"]
    assert "key_judgments[1].text: 'perhaps' is not a term of ICD 203" in diags[0]
    assert "key_judgments[2].text: 'maybe' is not a term of ICD 203" in diags[1]


def test_a_judgment_that_contradicts_its_stated_likelihood_is_flagged():
    _, diags = parse("key_judgments:\n  - text: Russia is very likely to leave.\n    likelihood: unlikely\n")
    assert diags == ["content/notes/probe.md:5:21: warning: key_judgments[1].text: judgment 1 says 'very likely' "
                     "(80-95%) but gives its likelihood as 'unlikely' (20-45%); make them agree"]


def test_near_certainty_in_a_judgment_held_at_low_confidence_is_flagged():
    _, diags = parse("confidence: high\nkey_judgments:\n  - text: Russia will almost certainly stay.\n"
                     "    confidence: low\n")
    assert len(diags) == 1 and diags[0].startswith(
        "content/notes/probe.md:6:23: warning: key_judgments[1].text: 'almost certainly' (95-99%) in a judgment "
        "of low confidence")


def test_a_body_heading_alone_is_fine_and_with_the_front_matter_list_is_a_warning():
    body = "Intro.\n\n## Key judgements\n\n- Russia is likely to stay.\n"
    assert parse("", body)[1] == []
    _, diags = parse("key_judgments:\n  - Russia is likely to stay.\n", body)
    assert len(diags) == 1
    assert diags[0].startswith("content/notes/probe.md:9: warning: body: a 'Key judgments' heading, while "
                               "key_judgments: in the front matter (line 4) gives them too")


def test_the_heading_is_found_in_either_spelling_but_not_in_code():
    assert body_heading_line("# Key Judgments\n", 10) == 10
    assert body_heading_line("Text\n\n### key judgements\n", 3) == 5
    assert body_heading_line("```\n## Key judgments\n```\n") is None
    assert body_heading_line("Key judgments are below.\n") is None


class _Cells(html.parser.HTMLParser):
    """The text of every table cell and the caption."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self.caption = ""
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("td", "th", "caption"):
            self._in = tag
            if tag != "caption":
                self.cells.append("")

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "caption":
            self.caption += data
        elif self._in:
            self.cells[-1] += data


def test_the_likelihood_scale_table_lists_each_term_with_its_range():
    found = _Cells()
    found.feed(likelihood_table(PHIA))
    assert found.caption == "Likelihood terms: The PHIA probability yardstick"
    assert found.cells[:4] == ["Term", "Probability", "Remote chance", "0–5%"]
    assert found.cells[-2:] == ["Almost certain", "95–100%"]
    assert len(found.cells) == 2 + 2 * len(PHIA.terms)


def test_the_shortcode_is_replaced_only_alone_in_a_paragraph_and_not_in_code():
    source = "Intro.\n\n{{< likelihood-scale >}}\n\n`{{< likelihood-scale >}}`\n"
    body, notes = expand_shortcodes(render_body(source)[0], source, 5, ICD203)
    assert notes == []
    assert body.html.count('<table class="likelihood-scale">') == 1
    assert "<code>{{&lt; likelihood-scale &gt;}}</code>" in body.html


def test_an_unknown_shortcode_is_a_warning_on_its_line():
    text = HEAD + "---\nIntro.\n\n{{< likelihood-scales >}}\n"
    _, _, diags = parse_file("content/pages/m.md", text.encode(), "page", "m", "UTC", ICD203)
    assert [str(d) for d in diags] == [
        "content/pages/m.md:7: warning: body: unknown shortcode 'likelihood-scales'; did you mean "
        "'likelihood-scale'? (shown as written)"]


def test_every_shortcode_left_as_written_out_of_code_is_a_warning_at_its_line():
    body = ("Intro {{< ref \"foo\" >}} inline.\n\n{{< figure src=\"x.png\" >}}\n\n{{< youtube abc >}}\n\n"
            "{{% notice info %}}\nCareful.\n{{% /notice %}}\n\n{{< likelihood_scale >}}\n\n"
            "{{< likelihood-scale wide >}}\n\n`{{< figure >}}` and\n\n    {{< youtube x >}}\n\n{{< gallery >}}\n")
    text = HEAD + "---\n" + body
    _, _, diags = parse_file("content/pages/m.md", text.encode(), "page", "m", "UTC", ICD203)
    expected = "expected one of: likelihood-scale (shown as written)"
    # ref, figure, notice and youtube are Hugo's own, read as Hugo's users mean them (test_hugo_shortcodes.py)
    assert [str(d) for d in diags] == [
        "content/pages/m.md:9: warning: body: Hugo's youtube shortcode embeds content from another site, which a "
        "page here never loads; it is shown as a link to it",
        "content/pages/m.md:15: warning: body: unknown shortcode 'likelihood_scale'; did you mean "
        "'likelihood-scale'? (shown as written)",
        "content/pages/m.md:17: warning: body: shortcode 'likelihood-scale' takes no arguments and stands alone "
        "in its paragraph (shown as written)",
        f"content/pages/m.md:23: warning: body: unknown shortcode 'gallery'; {expected}"]


def test_a_site_without_a_scale_says_so_in_place_of_the_table():
    assert "names no likelihood scale" in likelihood_table(None)
