"""An output folder that is not a briefing site is never emptied, and private folders are refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, build, build_ok, make_site, run_cli, tree

from generator import __version__
from generator.cli import main
from generator.guard import MARKER


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "src"
    (site / "content" / "articles").mkdir(parents=True)
    (site / "content" / "articles" / "a.md").write_text("---\ntitle: A\ndate: 2024-12-06\n---\nBody.\n")
    return site


def _published_site(tmp_path: Path) -> Path:
    """``_site`` with the absolute base_url publishing needs."""
    site = _site(tmp_path)
    (site / "briefing.yaml").write_text("base_url: https://example.org/\n")
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


# -- the output folder never holds what the site is made from (issue 15, item 1) ---------------

def _files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_refuses_an_output_folder_that_contains_the_content_folder(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"briefing.yaml": "title: T\ncontent_dir: docs/content\noutput: docs\n",
                                "docs/content/articles/a.md": "---\ntitle: A\ndate: 2024-12-06\n---\nBody.\n",
                                "docs/content/pages/about.md": "---\ntitle: About\n---\nAbout.\n",
                                "docs/index.html": "<p>an old build</p>"})
    before = _files_under(site / "docs")
    result = build(site)
    assert result.code == 2, result.text
    assert "contains the site's content folder docs/content/" in result.err
    assert "Traceback" not in result.text
    assert _files_under(site / "docs") == before


def test_build_refuses_an_output_folder_a_linked_content_folder_lies_in(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"briefing.yaml": "title: T\n"})
    out = tmp_path / "out"
    real_content = out / "content"
    (real_content / "articles").mkdir(parents=True)
    (real_content / "articles" / "a.md").write_text("---\ntitle: A\ndate: 2024-12-06\n---\nBody.\n")
    (out / "index.html").write_text("<p>an old build</p>")
    (site / "content").symlink_to(real_content, target_is_directory=True)
    result = build(site, "--output", out)
    assert result.code == 2, result.text
    assert "content folder content/" in result.err and "symbolic link" in result.err
    assert (real_content / "articles" / "a.md").is_file()


@pytest.mark.parametrize("what", ["cache", "static", "templates", "theme", "config"])
def test_build_refuses_an_output_folder_that_holds_another_input_of_the_site(tmp_path: Path, what: str) -> None:
    site = _site(tmp_path)
    out = tmp_path / "out"
    inside = out / "inputs"
    inside.mkdir(parents=True)
    (out / "index.html").write_text("<p>an old build</p>")
    if what == "cache":
        (site / "briefing.yaml").write_text(f"title: T\ncache_dir: {out / 'cache'}\n")
    elif what == "theme":
        (site / "briefing.yaml").write_text("title: T\ntheme: mine\n")
        (site / "themes").mkdir()
        (site / "themes" / "mine").symlink_to(inside, target_is_directory=True)
    elif what == "config":
        (inside / "briefing.yaml").write_text("title: T\n")
        (site / "briefing.yaml").symlink_to(inside / "briefing.yaml")
    else:
        (site / what).symlink_to(inside, target_is_directory=True)
    before = tree(out)
    result = build(site, "--output", out)
    assert result.code == 2, result.text
    assert "refusing to build into" in result.err and "it contains the site's" in result.err
    assert tree(out) == before


def test_publish_with_delete_refuses_a_folder_that_holds_the_content(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"briefing.yaml": "title: T\ncontent_dir: docs/content\n",
                                "docs/content/articles/a.md": "---\ntitle: A\ndate: 2024-12-06\n---\nBody.\n"})
    linked = make_site(tmp_path, {"briefing.yaml": "title: T\n"}, name="linked")
    target = tmp_path / "www"
    (target / "content" / "articles").mkdir(parents=True)
    (target / "content" / "articles" / "b.md").write_text("---\ntitle: B\ndate: 2024-12-06\n---\nBody.\n")
    (linked / "content").symlink_to(target / "content", target_is_directory=True)
    for source, folder in ((site, site / "docs"), (linked, target)):
        before = _files_under(folder)
        result = run_cli("publish", folder, "--source", source, "--delete", "--force", "--yes")
        assert result.code == 2, result.text
        assert "refusing to publish into" in result.err and "content folder" in result.err
        assert _files_under(folder) == before


# -- only a folder briefing wrote is cleaned (issue 15, item 2) ------------------------------------

def _hand_written(folder: Path) -> dict[str, bytes]:
    (folder / "thesis").mkdir(parents=True)
    (folder / "index.html").write_text("<h1>My home page, written by hand</h1>")
    (folder / "notes.txt").write_text("notes")
    (folder / "thesis" / "chapter1.tex").write_text("\\chapter{One}")
    return _files_under(folder)


def test_build_refuses_a_hand_written_folder_with_an_index_page_and_leaves_it_untouched(tmp_path: Path) -> None:
    site = _site(tmp_path)
    docs = tmp_path / "docs"
    before = _hand_written(docs)
    result = build(site, "--output", docs)
    assert result.code == 2, result.text
    message = result.err.strip()
    assert message.count("\n") == 0, message
    assert "is not a briefing site" in message and "--force" in message and "empty the folder" in message
    assert _files_under(docs) == before


def test_build_with_force_or_into_an_empty_folder_takes_a_hand_written_folder(tmp_path: Path) -> None:
    site = _site(tmp_path)
    docs = tmp_path / "docs"
    _hand_written(docs)
    build_ok(site, "--output", docs, "--force")
    assert not (docs / "notes.txt").exists() and not (docs / "thesis").exists()
    assert (docs / MARKER).is_file()
    build_ok(site, "--output", docs)  # now it is a briefing site: no --force needed
    empty = tmp_path / "empty"
    empty.mkdir()
    build_ok(site, "--output", empty)
    build_ok(site, "--output", tmp_path / "new" / "folder")


def test_a_build_leaves_a_deterministic_marker_that_an_unchanged_rebuild_does_not_rewrite(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out = build_ok(site)
    marker = json.loads((out / MARKER).read_text())
    assert marker == {"audience": "TLP:RED", "generator": "briefing", "version": __version__}  # everything inside
    stamp = (out / MARKER).stat().st_mtime_ns
    build_ok(site)
    build_ok(site, "--no-cache")
    assert (out / MARKER).stat().st_mtime_ns == stamp
    other = build_ok(site, "--output", tmp_path / "other", "--no-cache")
    assert (other / MARKER).read_bytes() == (out / MARKER).read_bytes()


def test_a_folder_built_before_the_marker_is_accepted_when_the_sites_cache_recorded_it(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out = build_ok(site)
    (out / MARKER).unlink()  # as an earlier version left it
    (out / "stale.html").write_text("from an earlier build")
    build_ok(site)
    assert (out / MARKER).is_file() and not (out / "stale.html").exists()
    (out / MARKER).unlink()
    assert build(site, "--no-cache").code == 2  # without the cache there is no record
    foreign = make_site(tmp_path, {"content/articles/a.md": "---\ntitle: A\ndate: 2024-12-06\n---\nB.\n"}, "other")
    assert build(foreign, "--output", out).code == 2  # another site's build is no record either


def test_a_folder_an_earlier_version_built_is_accepted_through_its_cache_record(tmp_path: Path, monkeypatch) -> None:
    import generator.cache

    site = _site(tmp_path)
    with monkeypatch.context() as patch:
        patch.setattr(generator.cache, "__version__", "0.0.1")  # the cache keys of an earlier version
        out = build_ok(site)
    (out / MARKER).unlink()  # that version left no marker
    build_ok(site)
    assert (out / MARKER).is_file()


def test_publish_with_delete_refuses_a_folder_briefing_did_not_write_unless_forced(tmp_path: Path) -> None:
    site = _published_site(tmp_path)
    docs = tmp_path / "www"
    before = _hand_written(docs)
    result = run_cli("publish", docs, "--source", site, "--delete")
    assert result.code == 2, result.text
    assert "refusing to publish with --delete" in result.err and "--force" in result.err
    assert _files_under(docs) == before
    assert run_cli("publish", docs, "--source", site, "--delete", "--force").code == 0
    assert not (docs / "notes.txt").exists() and (docs / MARKER).is_file()
    (docs / "stale.html").write_text("stale")
    assert run_cli("publish", docs, "--source", site, "--delete").code == 0  # it is briefing's now
    assert not (docs / "stale.html").exists()


def test_publish_without_delete_into_a_shared_folder_does_not_mark_it_as_briefings(tmp_path: Path) -> None:
    site = _published_site(tmp_path)
    www = tmp_path / "www"
    www.mkdir()
    (www / "other-app.html").write_text("another application's page")
    assert run_cli("publish", www, "--source", site).code == 0
    assert (www / "index.html").is_file() and not (www / MARKER).exists()
    result = run_cli("publish", www, "--source", site, "--delete")
    assert result.code == 2, result.text
    assert (www / "other-app.html").is_file()


def test_publish_refuses_to_overwrite_hand_written_files_of_a_folder_briefing_did_not_write(tmp_path: Path) -> None:
    site = _published_site(tmp_path)
    www = tmp_path / "www"
    www.mkdir()
    (www / "index.html").write_text("<p>the team's own home page</p>")
    for extra in ((), ("--dry-run",)):
        result = run_cli("publish", www, "--source", site, *extra)
        assert result.code == 2, result.text
        assert "would be overwritten" in result.err and "index.html" in result.err and "--force" in result.err
        assert (www / "index.html").read_text() == "<p>the team's own home page</p>"
    assert run_cli("publish", www, "--source", site, "--force").code == 0
    assert "the team's own home page" not in (www / "index.html").read_text()


def test_force_is_refused_for_an_s3_target(tmp_path: Path) -> None:
    result = run_cli("publish", "s3://bucket/prefix", "--source", _site(tmp_path), "--force")
    assert result.code == 2 and "--force applies only to git: and folder targets" in result.err


# -- killed builds leave no litter (issue 15, item 4 of this part) -----------------------------------

def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


_KILLED_BUILD = """
import os, signal, sys
from generator.build import Builder
from generator.output import WriteSession

def die(self):
    os.kill(os.getpid(), signal.SIGKILL)

WriteSession.commit = die
Builder(sys.argv[1], sys.argv[2], one_shot=True).build()
"""


def test_a_killed_builds_staging_folder_is_removed_by_the_next_build(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-c", _KILLED_BUILD, str(site), str(out)], capture_output=True,
                         text=True, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=120)
    assert run.returncode == -9, run.stderr
    left = sorted(p.name for p in tmp_path.glob(".out.staging-*"))
    assert len(left) == 1 and any((tmp_path / left[0]).rglob("index.html"))
    build_ok(site, "--output", out)
    assert not list(tmp_path.glob(".out.*"))
    assert (out / "index.html").is_file()


def test_leftovers_of_dead_builds_go_and_those_of_live_builds_stay(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out = build_ok(site)
    dead, live = _dead_pid(), os.getppid()
    for kind in ("staging", "old", "undo"):
        (site / f".site.{kind}-{dead}" / "articles").mkdir(parents=True)
        (site / f".site.{kind}-{dead}" / "articles" / "index.html").write_text("left over")
    (site / f".site.staging-{live}").mkdir()
    (site / f".site.staging-{live}" / "index.html").write_text("a build under way")
    build_ok(site)
    assert sorted(p.name for p in site.glob(".site.*")) == [f".site.staging-{live}"]
    assert (out / "index.html").is_file()
    assert not any("left over" in p.read_text(errors="replace") for p in out.rglob("*.html"))


def test_a_build_killed_between_the_two_renames_of_a_swap_is_undone(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out = build_ok(site)
    (out / "CNAME").write_text("briefs.example.org\n")
    dead = _dead_pid()
    staging, old = site / f".site.staging-{dead}", site / f".site.old-{dead}"
    staging.mkdir()
    os.rename(out / "CNAME", staging / "CNAME")  # the hosting file was moved into the new tree
    os.rename(out, old)  # and the old tree aside; then the process was killed
    build_ok(site)
    assert (out / "CNAME").read_text() == "briefs.example.org\n"
    assert (out / "index.html").is_file() and (out / MARKER).is_file()
    assert not list(site.glob(".site.*"))
