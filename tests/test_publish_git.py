"""Publishing to a git branch: one commit per publish, CNAME kept, working tree untouched."""

from __future__ import annotations

import hashlib
import io
import subprocess
from pathlib import Path

import pytest

from generator.errors import BriefingError, UsageError
from generator.publish import PublishOptions, publish_site
from generator.publish.git import redact
from generator.publish.progress import Progress

SITE = {
    "index.html": "<h1>home</h1>",
    "articles/a/index.html": "<p>a</p>",
    "static/style.3f2a9c1b.css": "body{}",
}


@pytest.fixture(autouse=True)
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the user's git configuration out, and give commits a fixed identity."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "test@example.org")


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` and return its output."""
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Create ``root`` holding ``files``."""
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def branch_files(repo: Path, ref: str) -> dict[str, str]:
    """The files of ``ref`` in ``repo`` as path -> text."""
    names = git(repo, "ls-tree", "-r", "--name-only", ref).split()
    return {name: git(repo, "show", f"{ref}:{name}") for name in names}


def snapshot(repo: Path) -> tuple[str, str, str, dict[str, str]]:
    """HEAD, status, the index's bytes and the working files: what publishing must not touch."""
    index = hashlib.sha256((repo / ".git" / "index").read_bytes()).hexdigest()
    work = {p.relative_to(repo).as_posix(): p.read_text() for p in repo.rglob("*")
            if p.is_file() and ".git" not in p.parts}
    return git(repo, "rev-parse", "HEAD"), git(repo, "status", "--porcelain"), index, work


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A source repository on main with one commit, a staged change and an unstaged one."""
    src = tmp_path / "src"
    src.mkdir()
    git(src, "init", "-q", "-b", "main")
    write_tree(src, {"content/a.md": "# a", "briefing.yaml": "title: T\n"})
    git(src, "add", ".")
    git(src, "commit", "-q", "-m", "sources")
    write_tree(src, {"content/b.md": "# staged"})
    git(src, "add", "content/b.md")
    write_tree(src, {"content/a.md": "# edited, not staged"})
    return src


def publish(source: Path, site: Path, target: str, **options: object):
    """Publish ``site`` from the repository ``source`` to ``target``."""
    progress = Progress(stream=io.StringIO(), out=io.StringIO(), tty=False)
    return publish_site(site, target, PublishOptions(source=source, **options), progress=progress)  # type: ignore[arg-type]


def test_publish_commits_to_branch_without_touching_the_working_tree(repo: Path, tmp_path: Path) -> None:
    site = write_tree(tmp_path / "build", SITE)
    before = snapshot(repo)
    report = publish(repo, site, "git:gh-pages")
    assert snapshot(repo) == before  # HEAD, index, status and files all as they were
    assert branch_files(repo, "gh-pages") == {**SITE, ".nojekyll": ""}
    assert git(repo, "rev-list", "--count", "gh-pages").strip() == "1"
    message = git(repo, "log", "-1", "--format=%B", "gh-pages")
    assert message.startswith("Publish site (4 new, 0 changed, 0 deleted)")
    assert git(repo, "rev-parse", "HEAD").strip() in message  # names the source commit it was built from
    assert report.target.startswith("git branch gh-pages in ")


def test_second_publish_adds_one_commit_and_keeps_cname(repo: Path, tmp_path: Path) -> None:
    site = write_tree(tmp_path / "build", {**SITE, "CNAME": "briefs.example.org\n"})
    publish(repo, site, "git:gh-pages")
    first = git(repo, "rev-parse", "gh-pages").strip()
    (site / "CNAME").unlink()
    (site / "index.html").write_text("<h1>home v2</h1>")
    report = publish(repo, site, "git:gh-pages", delete=True, message="Nightly publish")
    assert report.plan.replaces == ("index.html",) and report.plan.deletes == ()
    files = branch_files(repo, "gh-pages")
    assert files["CNAME"] == "briefs.example.org\n" and files["index.html"] == "<h1>home v2</h1>"
    assert git(repo, "rev-parse", "gh-pages^").strip() == first  # history kept
    assert git(repo, "log", "-1", "--format=%s", "gh-pages").strip() == "Nightly publish"


def test_unchanged_site_makes_no_commit(repo: Path, tmp_path: Path) -> None:
    site = write_tree(tmp_path / "build", SITE)
    publish(repo, site, "git:gh-pages")
    tip = git(repo, "rev-parse", "gh-pages")
    report = publish(repo, site, "git:gh-pages")
    assert report.plan.changes_nothing and git(repo, "rev-parse", "gh-pages") == tip


def test_dry_run_and_stale_files(repo: Path, tmp_path: Path) -> None:
    site = write_tree(tmp_path / "build", {**SITE, "old.html": "old"})
    publish(repo, site, "git:gh-pages")
    tip = git(repo, "rev-parse", "gh-pages")
    (site / "old.html").unlink()
    report = publish(repo, site, "git:gh-pages", delete=True, dry_run=True)
    assert report.plan.deletes == ("old.html",) and git(repo, "rev-parse", "gh-pages") == tip
    kept = publish(repo, site, "git:gh-pages")
    assert kept.plan.stale == ("old.html",) and kept.plan.changes_nothing
    publish(repo, site, "git:gh-pages", delete=True)
    assert "old.html" not in branch_files(repo, "gh-pages")


def test_refuses_the_checked_out_branch(repo: Path, tmp_path: Path) -> None:
    site = write_tree(tmp_path / "build", SITE)
    with pytest.raises(UsageError, match="checked out"):
        publish(repo, site, "git:main")


def test_invalid_branch_and_missing_repository(tmp_path: Path) -> None:
    site = write_tree(tmp_path / "build", SITE)
    with pytest.raises(UsageError, match="not a valid branch name"):
        publish(tmp_path, site, "git:bad..name")
    with pytest.raises(UsageError, match="not in a git repository"):
        publish(tmp_path, site, "git:gh-pages")


@pytest.mark.parametrize("target", ["git:HEAD", "git:@", "git:-x", "git:--force", "git:origin:HEAD",
                                    "git:a b", "git:x\udcff", "git:tab\there", "git:x.lock"])
def test_publish_refuses_a_branch_name_git_would_read_as_a_revision_or_an_option(repo, tmp_path, target):
    site = write_tree(tmp_path / "build", SITE)
    before = git(repo, "for-each-ref")
    with pytest.raises(UsageError, match="is not a valid branch name: ") as caught:
        publish(repo, site, target)
    assert "\n" not in str(caught.value)
    assert git(repo, "for-each-ref") == before


def test_publish_refuses_a_remote_that_starts_with_a_dash(repo, tmp_path):
    site = write_tree(tmp_path / "build", SITE)
    with pytest.raises(UsageError, match="'-x' is not a valid remote"):
        publish(repo, site, "git:-x:gh-pages")


def test_publish_cli_reports_a_bad_branch_in_one_line_with_exit_2(repo):
    from conftest import run_cli

    result = run_cli("publish", "git:HEAD", "--source", repo)
    assert result.code == 2, result.text
    assert "Traceback" not in result.text
    assert "'HEAD' is not a valid branch name: HEAD names a commit in git, not a branch" in result.err


def test_push_to_a_remote_keeps_history_without_force(repo: Path, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(repo, "remote", "add", "origin", str(remote))
    site = write_tree(tmp_path / "build", SITE)
    before = snapshot(repo)
    publish(repo, site, "git:origin:gh-pages")
    assert snapshot(repo) == before
    assert branch_files(remote, "gh-pages") == {**SITE, ".nojekyll": ""}
    assert git(repo, "rev-parse", "origin/gh-pages") == git(remote, "rev-parse", "gh-pages")
    assert git(repo, "rev-parse", "gh-pages") == git(remote, "rev-parse", "gh-pages")

    # someone else publishes a CNAME from another clone; our next publish builds on it
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", "-b", "gh-pages", str(remote), str(other))
    write_tree(other, {"CNAME": "briefs.example.org\n"})
    git(other, "add", "CNAME")
    git(other, "commit", "-q", "-m", "custom domain")
    git(other, "push", "-q", "origin", "gh-pages")
    theirs = git(remote, "rev-parse", "gh-pages").strip()
    (site / "index.html").write_text("<h1>v2</h1>")
    publish(repo, site, "git:origin:gh-pages", delete=True)
    assert git(remote, "rev-parse", "gh-pages^").strip() == theirs
    assert branch_files(remote, "gh-pages")["CNAME"] == "briefs.example.org\n"
    assert git(remote, "rev-list", "--count", "gh-pages").strip() == "3"


def test_force_starts_a_new_history(repo: Path, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    site = write_tree(tmp_path / "build", SITE)
    publish(repo, site, f"git:{remote}:gh-pages")
    (site / "index.html").write_text("<h1>v2</h1>")
    publish(repo, site, f"git:{remote}:gh-pages", force=True)
    assert git(remote, "rev-list", "--count", "gh-pages").strip() == "1"
    assert branch_files(remote, "gh-pages")["index.html"] == "<h1>v2</h1>"


def test_publish_to_a_remote_from_outside_any_repository(tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    outside = tmp_path / "plain"
    outside.mkdir()
    site = write_tree(tmp_path / "build", SITE)
    publish(outside, site, f"git:{remote}:pages")
    assert branch_files(remote, "pages") == {**SITE, ".nojekyll": ""}
    assert not (outside / ".git").exists()


def test_failed_push_changes_nothing(repo: Path, tmp_path: Path) -> None:
    site = write_tree(tmp_path / "build", SITE)
    missing = tmp_path / "nowhere.git"
    with pytest.raises(BriefingError, match="git ls-remote failed"):
        publish(repo, site, f"git:{missing}:gh-pages")
    assert git(repo, "branch", "--list", "gh-pages") == ""


def test_push_rejected_when_remote_refuses(repo: Path, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'no publishing today' >&2\nexit 1\n")
    hook.chmod(0o755)
    site = write_tree(tmp_path / "build", SITE)
    with pytest.raises(BriefingError, match="push failed .*no publishing today"):
        publish(repo, site, f"git:{remote}:gh-pages")
    assert git(remote, "branch", "--list") == ""
    assert git(repo, "branch", "--list", "gh-pages") == ""  # local branch only moves after the push


def test_credentials_are_redacted() -> None:
    assert redact("fatal: https://user:s3cret@github.com/x.git not found") == \
        "fatal: https://***@github.com/x.git not found"
