"""An output folder that is not a briefing site is never emptied, and private folders are refused."""

from __future__ import annotations

from pathlib import Path

from generator.cli import main


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "src"
    (site / "content" / "articles").mkdir(parents=True)
    (site / "content" / "articles" / "a.md").write_text("---\ntitle: A\ndate: 2024-12-06\n---\nBody.\n")
    return site


def test_a_non_empty_folder_that_is_not_a_site_is_refused_and_kept(tmp_path: Path, capsys) -> None:
    site = _site(tmp_path)
    precious = tmp_path / "Documents"
    precious.mkdir()
    (precious / "thesis.docx").write_text("years of work")
    code = main(["build", "--source", str(site), "--output", str(precious)])
    assert code == 2
    assert "is not a briefing site" in capsys.readouterr().err
    assert (precious / "thesis.docx").read_text() == "years of work"


def test_a_previous_output_and_an_empty_folder_are_accepted(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "CNAME").write_text("briefs.example.org\n")
    assert main(["build", "--source", str(site), "--output", str(out), "--quiet"]) == 0
    assert main(["build", "--source", str(site), "--output", str(out), "--quiet"]) == 0
    assert (out / "index.html").is_file() and (out / "CNAME").is_file()


def test_the_cache_and_git_folders_of_the_site_are_refused(tmp_path: Path) -> None:
    site = _site(tmp_path)
    for private in (".briefing-cache/site", ".git/site"):
        assert main(["build", "--source", str(site), "--output", str(site / private), "--quiet"]) == 2


def test_an_unknown_theme_is_an_error_on_its_line(tmp_path: Path, capsys) -> None:
    site = _site(tmp_path)
    (site / "briefing.yaml").write_text("title: T\ntheme: nosuchtheme\n")
    assert main(["build", "--source", str(site), "--quiet"]) == 1
    assert "briefing.yaml:2: theme: no theme 'nosuchtheme'" in capsys.readouterr().err
