"""The command line: help, exit codes (0, 1, 2), and no traceback for a user's mistake."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import (
    BASIC_SITE,
    REPO,
    build,
    build_ok,
    chdir,
    make_site,
    page,
    run_cli,
    snapshot,
    tree,
)

COMMANDS = ("build", "check", "serve", "init", "new", "publish")


def _console_script() -> str:
    beside = Path(sys.executable).with_name("briefing")
    found = str(beside) if beside.exists() else shutil.which("briefing")
    if not found:
        pytest.skip("the briefing console script is not installed (pip install -e .)")
    return found


def _run(argv: list[str], cwd: Path = REPO, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=120, env={**os.environ, **env})


# -- help -------------------------------------------------------------------------------------

def test_briefing_help_lists_every_command():
    proc = _run([_console_script(), "--help"])
    assert proc.returncode == 0, proc.stderr
    for command in COMMANDS:
        assert f"    {command} " in proc.stdout, command


def test_python_m_generator_help_lists_every_command():
    proc = _run([sys.executable, "-m", "generator", "--help"])
    assert proc.returncode == 0, proc.stderr
    for command in COMMANDS:
        assert f"    {command} " in proc.stdout, command


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_help(command):
    result = run_cli(command, "--help")
    assert result.code == 0
    assert result.out.startswith(f"usage: briefing {command}")


def test_version():
    result = run_cli("--version")
    assert result.code == 0
    assert result.out.startswith("briefing ")


def test_no_command_prints_help_and_is_a_usage_error():
    result = run_cli()
    assert result.code == 2
    assert "build" in result.text


# -- usage errors: exit 2, a one-line message, no traceback -----------------------------------

@pytest.mark.parametrize("argv", [
    ["frobnicate"],
    ["build", "--bogus"],
    ["build", "--jobs", "many"],
    ["build", "--source", "/no/such/folder"],
    ["check", "--source", "/no/such/folder"],
    ["new", "memo", "Title"],
], ids=["unknown-command", "bad-option", "bad-option-value", "missing-source", "check-missing-source",
        "new-unknown-kind"])
def test_usage_errors_exit_2_without_traceback(argv):
    result = run_cli(*argv)
    assert result.code == 2, result.text
    assert "Traceback" not in result.text
    assert "error" in result.err or "does not exist" in result.err


def test_source_that_is_a_file_is_a_usage_error(tmp_path):
    (tmp_path / "f").write_text("x")
    assert run_cli("build", "--source", tmp_path / "f").code == 2


def test_unwritable_output_folder_is_an_error_without_traceback(basic_site, tmp_path, monkeypatch):
    real_mkdir = Path.mkdir

    def mkdir(self, *args, **kwargs):
        if "readonly" in str(self):
            raise PermissionError(13, "Permission denied", str(self))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    result = build(basic_site, "--output", tmp_path / "readonly" / "site")
    assert result.code == 1
    assert "Permission denied" in result.err and "readonly" in result.err


def test_user_errors_never_print_a_traceback_from_the_real_process(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE,
                                "content/notes/bad.md": "---\ntitle: Bad\ndate: 2024-02-30\n---\n",
                                "content/notes/latin.md": "---\ntitle: Caf\u00e9\n---\n".encode("latin-1"),
                                "templates/page.html": "{% if %}"})
    cases = [
        (["build", "--source", str(tmp_path / "missing")], 2),
        (["build", "--nope"], 2),
        (["build", "--source", str(site)], 1),
        (["check", "--source", str(site)], 1),
        (["build", "--source", str(site), "--output", str(site)], 2),
    ]
    for argv, code in cases:
        proc = _run([sys.executable, "-m", "generator", *argv], cwd=tmp_path)
        assert proc.returncode == code, (argv, proc.stderr)
        assert "Traceback" not in proc.stderr + proc.stdout, argv


# -- build ------------------------------------------------------------------------------------

def test_build_succeeds_with_exit_0_and_a_summary(basic_site):
    result = build(basic_site)
    assert result.code == 0
    assert "built:" in result.err
    assert (basic_site / "site" / "index.html").is_file()


def test_build_defaults_to_the_current_folder_and_site_output(basic_site):
    with chdir(basic_site):
        result = run_cli("build")
    assert result.code == 0, result.text
    assert (basic_site / "site" / "index.html").is_file()


def test_build_output_option(basic_site, tmp_path):
    build_ok(basic_site, "--output", tmp_path / "public")
    assert (tmp_path / "public" / "index.html").is_file()
    assert not (basic_site / "site").exists()


def test_quiet_build_prints_nothing_on_success(basic_site):
    result = build(basic_site, "--quiet")
    assert (result.code, result.out, result.err) == (0, "", "")


def test_quiet_build_still_prints_errors(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE, "content/notes/bad.md": "---\ntitle: Bad\ndate: 2024-02-30\n---\n"})
    result = build(site, "--quiet")
    assert result.code == 1
    assert "content/notes/bad.md:3: date:" in result.err


def test_content_errors_exit_1(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE, "content/notes/bad.md": "---\ntitle: Bad\n---\n"})
    result = build(site)
    assert result.code == 1
    assert "content/notes/bad.md:1: date: missing" in result.err


def test_build_with_no_cache_writes_no_cache(basic_site):
    build_ok(basic_site, "--no-cache")
    assert not (basic_site / ".briefing-cache").exists()


def test_build_with_one_job_and_many_files_matches_a_parallel_build(tmp_path):
    files = dict(BASIC_SITE)
    for n in range(450):  # above the thresholds for parsing and for rendering in parallel
        files[f"content/articles/a{n:03d}.md"] = (f"---\ntitle: Article {n}\ndate: 2024-01-{1 + n % 28:02d}\n"
                                                  f"tags: [t{n % 7}]\nactors: [Russia]\n---\nBody {n} [[Russia]].\n")
    site = make_site(tmp_path, files)
    one = build_ok(site, "--jobs", "1", "--no-cache", "--output", tmp_path / "one")
    many = build_ok(site, "--jobs", "4", "--no-cache", "--output", tmp_path / "many")
    names = sorted(p.relative_to(one).as_posix() for p in one.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(many).as_posix() for p in many.rglob("*") if p.is_file())
    for name in names:
        assert (one / name).read_bytes() == (many / name).read_bytes(), name
    before = snapshot(many)
    (site / "templates").mkdir()
    (site / "templates" / "article.html").write_text(
        '{% extends "document.html" %}{% block content %}{{ page.nope }}{% endblock %}', encoding="utf-8")
    result = build(site, "--jobs", "4", "--output", many)
    assert result.code == 1
    assert "templates/article.html:1: template:" in result.err
    assert snapshot(many) == before  # a failure in a worker leaves the previous site too
    assert sorted(p.name for p in tmp_path.iterdir()) == ["many", "one", "src"]  # no staging left


# -- check ------------------------------------------------------------------------------------

def test_check_validates_and_writes_nothing(basic_site):
    before = tree(basic_site)
    result = run_cli("check", "--source", basic_site)
    assert result.code == 0, result.text
    assert "check passed" in result.err
    assert tree(basic_site) == before


def test_check_reports_errors_with_exit_1(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE, "content/notes/bad.md":
                                "---\ntitle: Bad\ndate: 2024-12-01\nconfidence: certain\n---\n"})
    before = tree(site)
    result = run_cli("check", "--source", site)
    assert result.code == 1
    assert "content/notes/bad.md:4: confidence:" in result.err
    assert tree(site) == before


def test_check_strict_promotes_broken_links(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE, "content/notes/l.md":
                                "---\ntitle: L\ndate: 2024-12-01\n---\n[[nowhere]]\n"})
    assert run_cli("check", "--source", site).code == 0
    assert run_cli("check", "--source", site, "--strict").code == 1


# -- init and new (the contract) --------------------------------------------------------------

def test_init_makes_a_site_that_builds(tmp_path):
    result = run_cli("init", tmp_path / "demo")
    assert result.code == 0, result.text
    demo = tmp_path / "demo"
    assert (demo / "briefing.yaml").is_file()
    assert list((demo / "content" / "articles").glob("*.md"))
    assert list((demo / "content" / "notes").glob("*.md"))
    out = build_ok(demo)
    assert page(out, "").h1
    assert list((out / "articles").glob("*/index.html"))


def test_init_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "mine.txt").write_text("keep me")
    result = run_cli("init", tmp_path / "demo")
    assert result.code == 2
    assert "Traceback" not in result.text
    assert sorted(p.name for p in (tmp_path / "demo").iterdir()) == ["mine.txt"]


@pytest.mark.parametrize("kind", ["article", "note"])
def test_new_makes_a_document_that_builds(basic_site, kind):
    title = 'Convoy "seen": near Hama'
    result = run_cli("new", kind, title, "--source", basic_site)
    assert result.code == 0, result.text
    folder = basic_site / "content" / f"{kind}s"
    made = [p for p in folder.glob("*.md") if title in p.read_text(encoding="utf-8").replace('\\"', '"')]
    assert len(made) == 1
    out = build_ok(basic_site, "--drafts")
    pages = [p for p in (out / f"{kind}s").glob("*/index.html") if title in page(out, str(p.parent.relative_to(out))).h1]
    assert len(pages) == 1


def test_the_command_exits_at_once_with_its_code_and_all_its_output(basic_site, tmp_path):
    # `python -m generator` ends without interpreter teardown: the summary must still be flushed.
    proc = _run([sys.executable, "-m", "generator", "build", "--source", str(basic_site)], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.rstrip().splitlines()[-1].startswith("built:")
    (basic_site / "content" / "articles" / "broken.md").write_text("---\ntitle: [unclosed\n---\nx\n")
    proc = _run([sys.executable, "-m", "generator", "build", "--source", str(basic_site)], cwd=tmp_path)
    assert proc.returncode == 1
    assert "broken.md:2: front matter: a [ opened here is not closed" in proc.stderr and "untouched" in proc.stderr


def test_build_verify_reports_that_the_output_matches_a_clean_build(basic_site):
    build_ok(basic_site)
    result = build(basic_site, "--verify")  # the second build answers from the cache
    assert result.code == 0, result.text
    assert "verify: the output matches a clean build byte for byte" in result.text


# -- the process's end ------------------------------------------------------------------------
@pytest.mark.parametrize("process_ends", [True, False], ids=["briefing-process", "in-process"])
def test_a_build_that_ends_the_process_leaves_the_collector_paused(basic_site, tmp_path, process_ends):
    """`briefing build` ends right after its build: resuming the cyclic collector would only
    have its first pass go over every object the build made. Called in a process that goes on
    (tests, tools), the collector runs again afterwards."""
    import gc

    from generator.cli import main

    assert gc.isenabled()
    try:
        assert main(["build", "-q", "--source", str(basic_site), "--output", str(tmp_path / "out")],
                    process_ends=process_ends) == 0
        assert gc.isenabled() is not process_ends
    finally:
        gc.enable()


def test_serve_and_publish_are_not_one_build_commands():
    """Commands that go on after a build (serve rebuilds for hours, publish uploads) keep the
    collector running."""
    from generator.cli import ONE_BUILD_COMMANDS

    assert ONE_BUILD_COMMANDS <= set(COMMANDS) and not {"serve", "publish"} & ONE_BUILD_COMMANDS
