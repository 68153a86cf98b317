"""The estimative-language lint in whole sites: ``check`` and ``build`` report it as
``file:line:column`` warnings (errors under ``--strict``), the example briefing passes, the
scale settings are validated, and a rebuild reports exactly what a clean build does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import BASIC_SITE, copy_example_site, make_site, run_cli

from generator.build import Builder
from generator.config import parse_config

NOTE = """\
---
title: Outlook for the coast
date: 2024-12-08
about: [russia-moves-air-defence-to-hmeimim]
confidence: low
summary: Russia will perhaps stay.
key_judgments:
  - text: Russia is very likely to keep Tartus.
    likelihood: likely
---
We assess with moderate confidence that Russia will likely stay.

Russia will almost certainly keep Hmeimim; a withdrawal is unlikely (60%).

> Perhaps, said the minister.
"""

EXPECTED = [
    "content/notes/outlook.md:6:22: summary: 'perhaps' is not a term of ICD 203; nearest: unlikely (20-45%) or "
    "roughly even chance (45-55%)",
    "content/notes/outlook.md:8:21: key_judgments[1].text: judgment 1 says 'very likely' (80-95%) but gives its likelihood "
    "as 'likely' (55-80%); make them agree",
    "content/notes/outlook.md:11:16: body: 'moderate confidence' and the likelihood 'likely' are stated in one "
    "sentence; ICD 203 keeps the confidence in a judgment and the likelihood of an event in separate sentences",
    "content/notes/outlook.md:13:13: body: 'almost certainly' (95-99%) in a document of low confidence: low "
    "confidence means the information is scant, questionable, fragmented or poorly corroborated, which cannot "
    "carry a judgment this close to certain; give the basis for a higher confidence, or state a less certain "
    "likelihood",
    "content/notes/outlook.md:13:70: body: 60% does not fit 'unlikely', which means 20-45% on ICD 203; for 60% "
    "say likely (55-80%)",
]


def _site(tmp_path: Path, **extra: str) -> Path:
    return make_site(tmp_path, {**BASIC_SITE, "content/notes/outlook.md": NOTE, **extra})


def test_check_strict_fails_on_estimative_language_naming_file_line_and_column(tmp_path: Path):
    result = run_cli("check", "--strict", "--source", _site(tmp_path))
    assert result.code == 1
    assert result.err.splitlines() == [*EXPECTED, "check failed: 5 errors, 0 warnings"]


def test_check_without_strict_passes_and_prints_the_warnings(tmp_path: Path):
    result = run_cli("check", "--source", _site(tmp_path))
    assert result.code == 0
    lines = result.err.splitlines()
    assert lines[:-1] == [line.replace(": ", ": warning: ", 1) for line in EXPECTED]
    assert lines[-1] == "check passed: 5 documents, 5 warnings"


def test_build_reports_the_same_warnings_and_strict_build_fails(tmp_path: Path):
    site = _site(tmp_path)
    built = run_cli("build", "--source", site, "--output", tmp_path / "out")
    assert built.code == 0
    assert [line for line in built.err.splitlines() if "warning:" in line] == [
        line.replace(": ", ": warning: ", 1) for line in EXPECTED]
    strict = run_cli("build", "--strict", "--source", site, "--output", tmp_path / "out")
    assert strict.code == 1
    assert strict.err.splitlines()[:-1] == EXPECTED


def test_check_strict_passes_on_the_example_briefing(tmp_path: Path):
    site = copy_example_site(tmp_path / "example")
    result = run_cli("check", "--strict", "--source", site)
    assert result.code == 0, result.text
    (line,) = result.err.splitlines()
    assert re.fullmatch(r"check passed: \d+ documents, 0 warnings", line), line


def test_a_phia_site_reads_the_same_note_against_the_yardstick(tmp_path: Path):
    site = _site(tmp_path, **{"briefing.yaml": BASIC_SITE["briefing.yaml"] + "likelihood_scale: phia\n"})
    result = run_cli("check", "--source", site)
    assert result.code == 0
    found = [line for line in result.err.splitlines() if "outlook.md" in line]
    assert found[0] == ("content/notes/outlook.md:6:22: warning: summary: 'perhaps' is not a term of the PHIA "
                        "probability yardstick; nearest: unlikely (25-35%) or realistic possibility (40-50%)")
    assert any(line.startswith("content/notes/outlook.md:8:21: warning: key_judgments[1].text: 'very likely' is not a term "
                               "of the PHIA probability yardstick") for line in found)


def test_a_site_scale_of_its_own_is_used(tmp_path: Path):
    config = BASIC_SITE["briefing.yaml"] + (
        "likelihood_scale: house\nlikelihood_scales:\n  house:\n    - remote: 0-10\n    - unlikely: 10-40\n"
        "    - even chance: 40-60\n    - likely / probably: 60-90\n    - almost certain / almost certainly: 90-100\n")
    note = "---\ntitle: T\ndate: 2024-12-08\n---\nRussia will very likely stay, and likely (65%) keep Tartus.\n"
    site = make_site(tmp_path, {**BASIC_SITE, "briefing.yaml": config, "content/notes/t.md": note})
    result = run_cli("check", "--strict", "--source", site)
    assert result.err.splitlines()[:-1] == [
        "content/notes/t.md:5:13: body: 'very likely' is not a term of the 'house' scale; nearest: likely (60-90%) "
        "or almost certain (90-100%)"]


def test_likelihood_scale_none_turns_the_lint_off(tmp_path: Path):
    site = _site(tmp_path, **{"briefing.yaml": BASIC_SITE["briefing.yaml"] + "likelihood_scale: none\n"})
    result = run_cli("check", "--strict", "--source", site)
    assert result.code == 0, result.text


@pytest.mark.parametrize(("text", "expected"), [
    ("likelihood_scale: icd\n",
     "briefing.yaml:1: likelihood_scale: no scale 'icd'; expected icd203, phia, none (or a scale of your own under "
     "likelihood_scales); did you mean 'icd203'?"),
    ("likelihood_scale: [phia]\n", "briefing.yaml:1: likelihood_scale: expected the name of a scale: icd203, phia, none"),
    ("likelihood_scales: [a]\n", "briefing.yaml:1: likelihood_scales: expected a mapping of scale names to lists of "
     "terms, each '- term: low-high' (such as '- likely: 55-80') or {term, range, also}"),
    ("likelihood_scales:\n  phia:\n    - likely: 1-2\n",
     "briefing.yaml:3: likelihood_scales: 'phia' is the name of a built-in setting; choose another name"),
    ("likelihood_scales:\n  house: likely\n", "briefing.yaml:2: likelihood_scales: house: expected a list of terms, "
     "each '- term: low-high' (such as '- likely: 55-80') or {term, range, also}"),
    ("likelihood_scales:\n  house:\n    - likely: high\n",
     "briefing.yaml:3: likelihood_scales: house: 'likely': expected a range in per cent such as 55-80, found 'high'"),
    ("likelihood_scales:\n  house:\n    - likely: 80-60\n",
     "briefing.yaml:3: likelihood_scales: house: 'likely': the range 80-60 must run upwards, within 0-100"),
    ("likelihood_scales:\n  house:\n    - likely: 60-120%\n",
     "briefing.yaml:3: likelihood_scales: house: 'likely': the range 60-120 must run upwards, within 0-100"),
    ("likelihood_scales:\n  house:\n    - likely: 60-90\n    - {term: probably / likely, range: [60, 90]}\n",
     "briefing.yaml:4: likelihood_scales: house: 'likely' is already a term of this scale (line 3)"),
    ("likelihood_scales:\n  house:\n    - {term: likely, rnage: 60-90}\n",
     "briefing.yaml:3: likelihood_scales: house: unknown key 'rnage' in a term; expected term, range, also"),
    ("likelihood_scales:\n  house:\n    - {term: likely, range: 60-90, also: [{a: b}]}\n",
     "briefing.yaml:3: likelihood_scales: house: 'also' expects other words for the same term, such as "
     "[probably, probable]"),
])
def test_a_mistake_in_the_scale_settings_is_an_error_on_its_line(text, expected):
    _, diags = parse_config(text)
    assert [str(d) for d in diags] == [expected]


def test_a_scale_of_its_own_is_read_in_both_forms():
    config, diags = parse_config("likelihood_scale: House\nlikelihood_scales:\n  house:\n    - remote: 0-10%\n"
                                 "    - {term: likely, range: [60, 90], also: [probably, probable]}\n")
    assert diags == []
    scale = config.scale
    assert scale is not None and scale.key == "house"
    assert [(t.name, t.low, t.high, t.spellings) for t in scale.terms] == [
        ("remote", 0, 10, ("remote",)), ("likely", 60, 90, ("likely", "probably", "probable"))]


def test_a_bad_scale_setting_fails_check_with_exit_1(tmp_path: Path):
    site = _site(tmp_path, **{"briefing.yaml": "likelihood_scale: phai\n"})
    result = run_cli("check", "--source", site)
    assert result.code == 1
    assert "briefing.yaml:1: likelihood_scale: no scale 'phai'" in result.err
    assert "Traceback" not in result.text


# -- incremental builds --------------------------------------------------------------------------

def _clean(site: Path, out: Path) -> list[str]:
    builder = Builder(site, out, jobs=1, use_cache=False, one_shot=True)
    try:
        return [str(d) for d in builder.build().diagnostics]
    finally:
        builder.close()


def test_a_rebuild_reports_the_warnings_a_clean_build_does(tmp_path: Path):
    site = _site(tmp_path)
    note = site / "content/notes/outlook.md"
    builder = Builder(site, tmp_path / "out", jobs=1)
    try:
        first = [str(d) for d in builder.build().diagnostics]
        assert first == _clean(site, tmp_path / "clean0")
        note.write_text(NOTE.replace("perhaps", "likely").replace("(60%)", "(30%)"), encoding="utf-8")
        edited = [str(d) for d in builder.build({note}).diagnostics]
        assert edited == _clean(site, tmp_path / "clean1") and len(edited) == len(first) - 2
        config = site / "briefing.yaml"
        config.write_text(config.read_text() + "likelihood_scale: phia\n", encoding="utf-8")
        rescaled = [str(d) for d in builder.build({config}).diagnostics]
        assert rescaled == _clean(site, tmp_path / "clean2") and "PHIA" in "".join(rescaled)
    finally:
        builder.close()
    again = Builder(site, tmp_path / "out", jobs=1)  # a new process, reading the parse cache
    try:
        assert [str(d) for d in again.build().diagnostics] == rescaled
    finally:
        again.close()
