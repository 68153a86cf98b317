"""``briefing new`` and ``briefing init``: found from any sub-folder, whole files or none,
clean titles, and a user's own ``.gitignore`` kept."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BASIC_SITE, REPO, build_ok, chdir, make_site, run_cli


def _md_files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and "site" not in p.parts}


def test_new_from_a_sub_folder_writes_into_the_site_not_a_nested_content_folder(tmp_path):
    site = make_site(tmp_path, BASIC_SITE)
    with chdir(site / "content" / "articles"):
        result = run_cli("new", "article", "Convoy near Hama")
    assert result.code == 0, result.text
    assert (site / "content" / "articles" / "convoy-near-hama.md").is_file()
    assert not (site / "content" / "articles" / "content").exists()


def test_new_uses_the_content_dir_setting_of_the_site(tmp_path):
    site = make_site(tmp_path, {"briefing.yaml": "title: T\ncontent_dir: docs\n", "docs/pages/about.md": "# About\n"})
    with chdir(site / "docs" / "pages"):
        result = run_cli("new", "note", "Coastal bases")
    assert result.code == 0, result.text
    assert (site / "docs" / "notes" / "coastal-bases.md").is_file()
    assert not (site / "content").exists()


def test_new_outside_any_site_says_so_and_writes_nothing(tmp_path):
    lone = tmp_path / "not-a-site" / "deeper"
    lone.mkdir(parents=True)
    with chdir(lone):
        result = run_cli("new", "article", "Lost")
    assert result.code == 2
    assert "no site found in" in result.err and "briefing init" in result.err
    assert "Traceback" not in result.text
    assert not any(tmp_path.rglob("*.md"))


def test_new_that_fails_while_writing_leaves_no_file_behind(tmp_path):
    site = make_site(tmp_path, BASIC_SITE)
    before = _md_files(site)

    def small_files() -> None:  # any file over 64 bytes fails to write (EFBIG), as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))

    done = subprocess.run([sys.executable, "-m", "generator", "new", "article", "Half written", "--source", site],
                          cwd=REPO, capture_output=True, text=True, timeout=60, preexec_fn=small_files,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert _md_files(site) == before  # no empty or partial .md, no temporary file
    build_ok(site)


def test_new_refuses_to_overwrite_and_keeps_the_existing_file(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE, "content/articles/taken.md": "mine\n"})
    result = run_cli("new", "article", "Taken", "--source", site)
    assert result.code == 2
    assert "already exists" in result.err
    assert (site / "content" / "articles" / "taken.md").read_text() == "mine\n"


@pytest.mark.parametrize("raw", [b"R\xe9sum\xe9", b"two\nlines \xff"])
def test_new_with_a_title_that_is_not_utf8_is_a_one_line_usage_error(tmp_path, raw):
    site = make_site(tmp_path, BASIC_SITE)
    before = _md_files(site)
    result = run_cli("new", "note", os.fsdecode(raw), "--source", site)  # as argv gives it
    assert result.code == 2, result.text
    assert "Traceback" not in result.text
    assert result.err.strip().count("\n") == 0
    assert "is not UTF-8 text" in result.err
    assert _md_files(site) == before


def test_new_with_control_characters_in_the_title_writes_a_clean_title_that_builds(tmp_path):
    site = make_site(tmp_path, BASIC_SITE)
    result = run_cli("new", "article", "Tab\there\nnew line\x0bvertical\x07bell", "--source", site)
    assert result.code == 0, result.text
    made = site / "content" / "articles" / "tab-here-new-line-verticalbell.md"
    assert 'title: "Tab here new line verticalbell"\n' in made.read_text(encoding="utf-8")
    out = build_ok(site, "--drafts")
    assert (out / "articles").is_dir()


def test_new_with_an_empty_or_blank_title_is_a_usage_error(tmp_path):
    site = make_site(tmp_path, BASIC_SITE)
    for title in ("", " \t\x0b "):
        result = run_cli("new", "note", title, "--source", site)
        assert result.code == 2, result.text
        assert "the title is empty" in result.err


def test_init_adds_its_lines_to_an_existing_gitignore_and_keeps_the_users_own(tmp_path):
    target = tmp_path / "demo"
    target.mkdir()
    (target / ".gitignore").write_text("*.pdf\nsecrets/", encoding="utf-8")
    result = run_cli("init", target)
    assert result.code == 0, result.text
    assert (target / ".gitignore").read_text(encoding="utf-8") == "*.pdf\nsecrets/\nsite/\n.briefing-cache/\n"


def test_init_leaves_a_gitignore_that_already_ignores_the_output_alone(tmp_path):
    target = tmp_path / "demo"
    target.mkdir()
    mine = "# mine\n/site/\n.briefing-cache/\n"
    (target / ".gitignore").write_text(mine, encoding="utf-8")
    assert run_cli("init", target).code == 0
    assert (target / ".gitignore").read_text(encoding="utf-8") == mine


def test_init_writes_a_gitignore_for_the_output_and_the_cache(tmp_path):
    assert run_cli("init", tmp_path / "demo").code == 0
    assert (tmp_path / "demo" / ".gitignore").read_text(encoding="utf-8") == "site/\n.briefing-cache/\n"


def test_init_does_not_write_through_a_gitignore_that_is_a_link(tmp_path):
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("not the site's\n", encoding="utf-8")
    target = tmp_path / "demo"
    target.mkdir()
    (target / ".gitignore").symlink_to(elsewhere)
    assert run_cli("init", target).code == 0
    assert elsewhere.read_text(encoding="utf-8") == "not the site's\n"
