"""``briefing publish``: a fresh build without drafts, named targets, options and exit codes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from generator.cli import main
from generator.errors import UsageError
from generator.guard import MARKER, build_marker
from generator.publish.media import CachePolicy
from generator.publish.targets import parse_target, resolve_target

ARTICLE = """---
title: Convoy sighted near Tartus
date: 2024-03-02
tags: [logistics]
---
A convoy was sighted.
"""

DRAFT = """---
title: Unreleased assessment
date: 2024-03-03
draft: true
---
Not for publication.
"""


def make_site(root: Path, config: str = "title: Test briefing\nbase_url: https://example.org/\n", **extra: str) -> Path:
    """A small site: one article, one draft, a config, and any ``extra`` files."""
    files = {"briefing.yaml": config, "content/articles/convoy.md": ARTICLE,
             "content/articles/unreleased.md": DRAFT, **extra}
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A site folder with a stale ``site/`` build output lying around."""
    root = make_site(tmp_path / "src")
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("STALE BUILD")
    return root


def test_publish_builds_fresh_and_never_ships_drafts(site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "www"
    assert main(["publish", str(target), "--source", str(site)]) == 0
    assert (target / "articles" / "convoy" / "index.html").is_file()
    assert not (target / "articles" / "unreleased").exists()
    assert "Unreleased assessment" not in "".join(p.read_text(errors="ignore") for p in target.rglob("*") if p.is_file())
    assert (target / "index.html").read_text() != "STALE BUILD"  # the user's old site/ is not what ships
    assert (site / "site" / "index.html").read_text() == "STALE BUILD"  # and it is left alone
    out = capsys.readouterr()
    assert "published to" in out.out and "uploaded" in out.out


def test_second_publish_sends_nothing(site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "www"
    assert main(["publish", str(target), "--source", str(site)]) == 0
    capsys.readouterr()
    assert main(["publish", str(target), "--source", str(site)]) == 0
    assert "0 uploaded" in capsys.readouterr().out


def test_failed_build_publishes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = ARTICLE.replace("tags: [logistics]", "confidence: certain")
    root = make_site(tmp_path / "src", **{"content/articles/bad.md": bad})
    target = tmp_path / "www"
    assert main(["publish", str(target), "--source", str(root)]) == 1
    assert not target.exists()
    assert "confidence" in capsys.readouterr().err


def test_dry_run_and_quiet(site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "www"
    assert main(["publish", f"dir:{target}", "--source", str(site), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "upload  articles/convoy/index.html" in out and "nothing was changed" in out
    assert not target.exists()
    assert main(["publish", f"dir:{target}", "--source", str(site), "--quiet"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    assert (target / "index.html").is_file()


def test_max_deletes_and_yes(site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "www"
    target.mkdir()
    for i in range(3):
        (target / f"old{i}.html").write_text("stale")
    (target / MARKER).write_bytes(build_marker())  # an earlier publish of briefing
    args = ["publish", str(target), "--source", str(site), "--delete", "--max-deletes", "2"]
    assert main(args) == 2
    assert "refusing to delete 3 files" in capsys.readouterr().err
    assert (target / "old0.html").exists() and not (target / "index.html").exists()
    assert main([*args, "--yes"]) == 0
    assert not (target / "old0.html").exists()


def test_named_target_from_briefing_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "www"
    config = (f"title: T\nbase_url: https://example.org/\npublish:\n  production:\n    target: {target}\n"
              "    delete: true\n    max_deletes: 5\n")
    root = make_site(tmp_path / "src", config)
    target.mkdir()
    (target / "stale.html").write_text("stale")
    (target / MARKER).write_bytes(build_marker())  # an earlier publish of briefing
    assert main(["publish", "production", "--source", str(root)]) == 0
    assert (target / "index.html").is_file() and not (target / "stale.html").exists()


def test_named_target_with_unknown_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = "publish:\n  production:\n    target: /srv/www\n    delet: true\n"
    root = make_site(tmp_path / "src", config)
    assert main(["publish", "production", "--source", str(root)]) == 2
    err = capsys.readouterr().err
    assert "publish.production.delet: unknown key; did you mean 'delete'?" in err
    assert "Traceback" not in err


def test_unknown_bare_word_is_not_taken_as_a_folder(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["publish", "prodution", "--source", str(site)]) == 2
    assert "unknown publish target" in capsys.readouterr().err
    assert not (Path.cwd() / "prodution").exists()


def test_option_for_another_kind_of_target_is_refused(site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["publish", str(tmp_path / "www"), "--source", str(site), "--endpoint-url", "http://x"]) == 2
    assert "--endpoint-url applies only to s3://" in capsys.readouterr().err


def test_missing_source_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["publish", str(tmp_path / "www"), "--source", str(tmp_path / "nope")]) == 2


def test_publish_to_git_branch_through_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = make_site(tmp_path / "src", "title: T\nbase_url: https://example.org/\n"
                     "publish:\n  pages:\n    target: git:gh-pages\n    remote: origin\n")
    remote = tmp_path / "remote.git"

    def git(*args: str, cwd: Path = root) -> str:
        return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout

    git("init", "-q", "--bare", str(remote), cwd=tmp_path)
    git("init", "-q", "-b", "main")
    git("add", ".")
    git("-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-q", "-m", "sources")
    git("remote", "add", "origin", str(remote))
    status = git("status", "--porcelain")
    assert main(["publish", "pages", "--source", str(root), "-m", "Publish from CI"]) == 0
    assert git("log", "-1", "--format=%s", "gh-pages", cwd=remote).strip() == "Publish from CI"
    names = git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).split()
    assert ".nojekyll" in names and "articles/convoy/index.html" in names
    assert not any(name.startswith("articles/unreleased") for name in names)
    assert git("status", "--porcelain") == status


# -- target specs ------------------------------------------------------------------------------


def test_target_specs() -> None:
    assert parse_target("/srv/www/briefs").kind == "dir"
    assert parse_target("dir:relative/out").path == Path("relative/out")
    git = parse_target("git:gh-pages")
    assert (git.kind, git.remote, git.branch) == ("git", None, "gh-pages")
    pushed = parse_target("git:git@github.com:me/briefs.git:gh-pages")
    assert (pushed.remote, pushed.branch) == ("git@github.com:me/briefs.git", "gh-pages")
    with pytest.raises(UsageError, match="unsupported target"):
        parse_target("ftp://example.org/site")


def test_named_targets_are_validated() -> None:
    named = {
        "prod": {"target": "s3://b/p", "endpoint_url": "https://s3.example.org",
                 "cache_control": {"html": "no-cache"}, "delete": True, "max_deletes": 10},
        "pages": {"target": "git", "branch": "main-pages", "remote": "origin"},
        "short": "/srv/www",
    }
    prod = resolve_target("prod", named)
    assert (prod.bucket, prod.endpoint_url, prod.delete, prod.max_deletes) == ("b", "https://s3.example.org", True, 10)
    assert prod.cache == CachePolicy(html="no-cache")
    assert (resolve_target("pages", named).branch, resolve_target("pages", named).remote) == ("main-pages", "origin")
    assert resolve_target("short", named).path == Path("/srv/www")
    with pytest.raises(UsageError, match="publish.x.endpoint_url: applies only to s3"):
        resolve_target("x", {"x": {"target": "git:gh-pages", "endpoint_url": "http://e"}})
    with pytest.raises(UsageError, match="publish.x.max_deletes: expected a whole number"):
        resolve_target("x", {"x": {"target": "/srv/www", "max_deletes": -1}})
    with pytest.raises(UsageError, match="did you mean 'prod'"):
        resolve_target("prd", named)


def test_named_target_base_url_reaches_the_build(tmp_path: Path) -> None:
    target = tmp_path / "www"
    config = f"title: T\npublish:\n  sub:\n    target: {target}\n    base_url: https://example.org/briefs/\n"
    root = make_site(tmp_path / "src", config)
    assert main(["publish", "sub", "--source", str(root), "--quiet"]) == 0
    assert "/briefs/articles/convoy/" in (target / "index.html").read_text()
