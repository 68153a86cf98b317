"""Key judgments in built sites: the boxed summary on a note's page, ``/judgments/``,
``judgments.json``, the ``/confidence/`` index and the likelihood-scale table; under an audience
(nothing above it appears, not even in counts) and after incremental edits (equal to a clean build)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import Html, make_site, page, run_cli, text_of
from editreplay import replay_in_builder, replay_with_cli

CONFIG = "title: Judged\nbase_url: https://example.org/brief/\n"


def _note(title: str, day: int, marking: str, confidence: str, judgments: str, body: str = "Assessment text.\n") -> str:
    return (f"---\ntitle: {title}\ndate: 2024-12-{day:02d}\nconfidence: {confidence}\nmarking: \"{marking}\"\n"
            f"key_judgments:\n{judgments}---\n{body}")


def files() -> dict[str, str]:
    """Three notes with key judgments at three markings and dates, one with a body heading only."""
    return {
        "briefing.yaml": CONFIG,
        "content/notes/coast.md": _note(
            "Coast first", 8, "TLP:CLEAR", "moderate",
            "  - Russia is likely to keep both coastal bases zzcoastone.\n"
            "  - text: Russia is unlikely to send ground reinforcements zzcoasttwo.\n"
            "    confidence: high\n"
            "    likelihood: unlikely\n"),
        "content/notes/airstrip.md": _note(
            "Airstrip", 6, "TLP:GREEN", "low",
            "  - text: The forward airstrip is being consolidated zzgreen.\n    likelihood: likely\n"),
        "content/notes/secret.md": _note(
            "Secret note zzambertitle", 9, "TLP:AMBER", "high",
            "  - Something held back zzamber.\n"),
        "content/notes/old-style.md": ("---\ntitle: Old style\ndate: 2024-12-01\nconfidence: low\n---\n"
                                       "## Key judgements\n\n1. Ankara is unlikely to object.\n"),
        "content/pages/method.md": "---\ntitle: Method\n---\nOur terms:\n\n{{< likelihood-scale >}}\n",
    }


def _built(tmp_path: Path, *args: str) -> Path:
    site = make_site(tmp_path, files())
    run = run_cli("build", "--source", site, "-o", site / "out", *args)
    assert run.code == 0, run.text
    return site / "out"


def _item_texts(el) -> list[str]:
    return [text_of(p) for p in el.iter("p") if "kj-text" in (p.get("class") or "").split()]


def test_a_note_shows_its_key_judgments_in_a_box_before_the_body(tmp_path: Path):
    out = _built(tmp_path)
    doc = page(out, "notes/coast/")
    box = doc.one("section", "key-judgments")
    assert text_of(doc.one("h2", id="kj-heading")) == "Key judgments"
    assert box.get("aria-labelledby") == "kj-heading"
    assert _item_texts(box) == ["Russia is likely to keep both coastal bases zzcoastone.",
                                "Russia is unlikely to send ground reinforcements zzcoasttwo."]
    labels = [text_of(p) for p in box.iter("p") if "kj-labels" in (p.get("class") or "")]
    assert labels == ["Moderate confidence", "Likelihood: unlikely (20-45%) High confidence"]
    # the box comes before the body, inside the article
    article = doc.one("article")
    order = [el for el in article.iter() if isinstance(el.tag, str) and (
        "key-judgments" in (el.get("class") or "") or "doc-body" in (el.get("class") or ""))]
    assert ["key-judgments" in (el.get("class") or "") for el in order] == [True, False]


def test_a_note_with_only_a_body_heading_keeps_it_and_gets_no_box(tmp_path: Path):
    out = _built(tmp_path)
    doc = page(out, "notes/old-style/")
    assert doc.all("section", "key-judgments") == []
    assert text_of(doc.one("h2", id="key-judgements")) == "Key judgements"


def test_the_judgments_page_groups_by_confidence_newest_first_each_linking_to_its_note(tmp_path: Path):
    out = _built(tmp_path)
    doc = page(out, "judgments/")
    groups = doc.all("section", "judgment-group")
    assert [g.get("aria-labelledby") for g in groups] == ["judgments-high", "judgments-moderate", "judgments-low"]
    texts = [_item_texts(g) for g in groups]
    assert texts == [["Something held back zzamber.", "Russia is unlikely to send ground reinforcements zzcoasttwo."],
                     ["Russia is likely to keep both coastal bases zzcoastone."],
                     ["The forward airstrip is being consolidated zzgreen."]]
    links = [a.get("href") for a in groups[0].iter("a") if a.get("href", "").startswith("/brief/notes/")]
    assert links == ["/brief/notes/secret/#kj-1", "/brief/notes/coast/#kj-2"]
    # the page carries the most restricted marking of what it shows
    assert text_of(doc.one("p", "tlp-banner-top")).endswith("TLP:AMBER")


def test_judgments_json_lists_every_judgment_with_its_note(tmp_path: Path):
    out = _built(tmp_path)
    data = json.loads((out / "judgments.json").read_text(encoding="utf-8"))
    assert (data["version"], data["scale"], data["count"]) == (1, "icd203", 4)
    assert [j["id"] for j in data["judgments"]] == [
        "notes/secret#kj-1", "notes/coast#kj-1", "notes/coast#kj-2", "notes/airstrip#kj-1"]
    second = data["judgments"][2]
    assert {k: second[k] for k in ("confidence", "confidence_stated", "likelihood", "likelihood_range")} == {
        "confidence": "high", "confidence_stated": "judgment", "likelihood": "unlikely", "likelihood_range": "20-45%"}
    assert second["document"] == {"title": "Coast first", "url": "https://example.org/brief/notes/coast/",
                                  "type": "note", "date": "2024-12-08", "marking": "TLP:CLEAR"}


def test_the_confidence_index_defines_each_level_and_counts_its_documents(tmp_path: Path):
    out = _built(tmp_path)
    doc = page(out, "confidence/")
    assert doc.h1 == "Confidence levels"
    terms = [text_of(dt) for dt in doc.all("dt")]
    assert terms == ["High confidence", "Moderate confidence", "Low confidence"]
    counts = [text_of(p) for p in doc.all("p", "count")]
    assert counts == ["1 document, 2 key judgments", "1 document, 1 key judgment", "2 documents, 1 key judgment"]
    hrefs = doc.hrefs()
    for level in ("high", "moderate", "low"):
        assert f"/brief/confidence/{level}/" in hrefs
        assert (out / "confidence" / level / "index.html").is_file()


def test_the_likelihood_scale_shortcode_renders_the_scale_in_use(tmp_path: Path):
    site = make_site(tmp_path, {**files(), "briefing.yaml": CONFIG + "likelihood_scale: phia\n"})
    assert run_cli("build", "--source", site, "-o", site / "out").code == 0
    doc = page(site / "out", "method/")
    table = doc.one("table", "likelihood-scale")
    rows = [[text_of(c) for c in tr if isinstance(c.tag, str)] for tr in table.iter("tr")]
    assert rows[0] == ["Term", "Probability"]
    assert rows[1:] == [["Remote chance", "0–5%"], ["Highly unlikely", "10–20%"], ["Unlikely", "25–35%"],
                        ["Realistic possibility", "40–50%"], ["Likely", "55–75%"], ["Highly likely", "80–90%"],
                        ["Almost certain", "95–100%"]]


def test_the_example_briefing_uses_key_judgments_and_the_scale_table(built_example: Path):
    data = json.loads((built_example / "judgments.json").read_text(encoding="utf-8"))
    assert data["count"] >= 3
    note = data["judgments"][0]["document"]["url"].split("/notes/")[1]
    assert Html.load(built_example / "notes" / note / "index.html").all("section", "key-judgments")
    assert page(built_example, "method/").all("table", "likelihood-scale")
    assert page(built_example, "judgments/").all("li", "judgment-item")


def test_both_a_front_matter_list_and_a_body_heading_is_a_check_warning(tmp_path: Path):
    tree = files()
    tree["content/notes/coast.md"] += "\n## Key judgments\n\n- Repeated.\n"
    site = make_site(tmp_path, tree)
    run = run_cli("check", "--source", site)
    assert run.code == 0
    assert re.search(r"content/notes/coast\.md:\d+: warning: body: a 'Key judgments' heading, while key_judgments:",
                     run.err), run.err
    assert run_cli("check", "--strict", "--source", site).code == 1


# -- audience -------------------------------------------------------------------------------------

def test_an_audience_build_shows_nothing_above_it_in_judgments_json_or_counts(tmp_path: Path):
    out = _built(tmp_path, "--audience", "TLP:GREEN")
    for rel in ("judgments/index.html", "judgments.json", "confidence/index.html"):
        data = (out / rel).read_text(encoding="utf-8")
        assert "zzamber" not in data, rel
    data = json.loads((out / "judgments.json").read_text(encoding="utf-8"))
    assert [j["id"] for j in data["judgments"]] == ["notes/coast#kj-1", "notes/coast#kj-2", "notes/airstrip#kj-1"]
    index = page(out, "confidence/")
    assert [text_of(p) for p in index.all("p", "count")] == [
        "0 documents, 1 key judgment", "1 document, 1 key judgment", "2 documents, 1 key judgment"]
    assert text_of(page(out, "judgments/").one("p", "tlp-banner-top")).endswith("TLP:GREEN")


# -- incremental ----------------------------------------------------------------------------------

def _edit(path: Path, old: str, new: str) -> Path:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


EDITS = [
    ("a judgment's text", lambda s: _edit(s / "content/notes/coast.md", "zzcoastone.", "zzcoastone, or not.")),
    ("a judgment's own confidence", lambda s: _edit(s / "content/notes/coast.md", "    confidence: high\n",
                                                    "    confidence: low\n")),
    ("a judgment's likelihood", lambda s: _edit(s / "content/notes/coast.md", "likelihood: unlikely",
                                                "likelihood: very unlikely")),
    ("a note's confidence", lambda s: _edit(s / "content/notes/airstrip.md", "confidence: low", "confidence: high")),
    ("a note marked above the audience", lambda s: _edit(s / "content/notes/airstrip.md", 'marking: "TLP:GREEN"',
                                                         'marking: "TLP:AMBER"')),
    ("and back", lambda s: _edit(s / "content/notes/airstrip.md", 'marking: "TLP:AMBER"', 'marking: "TLP:GREEN"')),
    ("a judgment added", lambda s: _edit(s / "content/notes/airstrip.md", "key_judgments:\n",
                                         "key_judgments:\n  - A new one zznew.\n")),
    ("the scale changes", lambda s: _edit(s / "briefing.yaml", "title:", "likelihood_scale: phia\ntitle:")),
]


@pytest.mark.parametrize("audience", ["TLP:GREEN", None])
def test_a_running_builder_told_of_each_judgment_edit_equals_a_clean_build(tmp_path: Path, audience: str | None):
    def no_canary(what: str, out: Path) -> None:
        if audience and what == "a note marked above the audience":
            assert "zzgreen" not in (out / "judgments.json").read_text(encoding="utf-8")

    replay_in_builder(make_site(tmp_path, files()), tmp_path / "preview", EDITS, audience, no_canary)


def test_a_second_briefing_build_after_each_judgment_edit_equals_a_clean_build(tmp_path: Path):
    out = tmp_path / "out"
    replay_with_cli(make_site(tmp_path, files()), out, EDITS)
    assert "zznew" in (out / "judgments.json").read_text(encoding="utf-8")


def test_briefing_init_scaffolds_a_method_page_with_the_scale_and_a_note_with_key_judgments(tmp_path: Path):
    site = tmp_path / "new-site"
    assert run_cli("init", site).code == 0
    run = run_cli("build", "--strict", "--source", site, "-o", site / "out")
    assert run.code == 0, run.text
    assert page(site / "out", "method/").all("table", "likelihood-scale")
    assert _item_texts(page(site / "out", "notes/first-assessment/").one("section", "key-judgments"))
