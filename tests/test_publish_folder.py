"""Publishing to a folder: changed files only, deletes, dry run, max-deletes, interruptions."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator.errors import UsageError
from generator.guard import MARKER, build_marker
from generator.publish import PublishOptions, publish_site
from generator.publish import folder as folder_module
from generator.publish.plan import find_conflicts, make_plan, publish_phases
from generator.publish.progress import Progress

REPO = Path(__file__).resolve().parents[1]

SITE_V1 = {
    "index.html": "<h1>home v1</h1>",
    "articles/a/index.html": "<p>article a v1</p>",
    "articles/b/index.html": "<p>article b v1</p>",
    "static/style.3f2a9c1b.css": "body { color: black }",
    "feed.xml": "<feed>v1</feed>",
    MARKER: build_marker().decode(),  # a site briefing built, so --delete may clean it
}


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Create ``root`` holding ``files`` (path -> text)."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def earlier_publish(root: Path, files: dict[str, str]) -> Path:
    """A target folder an earlier publish of briefing wrote (it carries the marker), holding ``files``."""
    return write_tree(root, {**files, MARKER: build_marker().decode()})


def read_tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` as path -> text."""
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(root.rglob("*")) if p.is_file()}


def quiet() -> Progress:
    """A progress reporter that prints plain lines into buffers."""
    return Progress(stream=io.StringIO(), out=io.StringIO(), tty=False)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, Path]:
    """A source folder, a built site (v1) and a not yet existing target folder."""
    source = tmp_path / "src"
    source.mkdir()
    return {"source": source, "site": write_tree(tmp_path / "build", SITE_V1), "target": tmp_path / "www" / "briefs"}


def publish(env: dict[str, Path], progress: Progress | None = None, **options: object):
    """Publish ``env['site']`` to ``env['target']``."""
    opts = PublishOptions(source=env["source"], **options)  # type: ignore[arg-type]
    return publish_site(env["site"], f"dir:{env['target']}", opts, progress=progress or quiet())


# -- the pure plan ----------------------------------------------------------------------------


def test_plan_sorts_paths_into_upload_replace_unchanged_delete() -> None:
    local = {"a": "1", "b": "2", "c": "3"}
    remote = {"b": "2", "c": "old", "d": "4", "CNAME": "x"}
    plan = make_plan(local, remote, {"a": 1, "b": 1, "c": 1}, delete=True, protected={"CNAME"})
    assert plan.uploads == ("a",)
    assert plan.replaces == ("c",)
    assert plan.unchanged == ("b",)
    assert plan.deletes == ("d",)
    assert plan.protected == ("CNAME",)
    kept = make_plan(local, remote, {"a": 1, "b": 1, "c": 1}, protected={"CNAME"})
    assert kept.deletes == () and kept.stale == ("d",)


def test_unknown_remote_fingerprint_means_send_again() -> None:
    plan = make_plan({"a": "1"}, {"a": None}, {"a": 1})
    assert plan.replaces == ("a",)


def test_publish_order_assets_first_home_page_last() -> None:
    phases = publish_phases(["index.html", "feed.xml", "static/x.css", "a/b/index.html", "a/index.html"])
    assert phases == [["static/x.css"], ["a/b/index.html", "a/index.html"], ["feed.xml"], ["index.html"]]


def test_find_conflicts_between_files_and_folders() -> None:
    assert find_conflicts(["a/index.html"], ["a"]) == [("a/index.html", "a")]
    assert find_conflicts(["a"], ["a/old.html"]) == [("a", "a/old.html")]
    assert find_conflicts(["a/index.html"], ["b"]) == []


# -- publishing to a folder -------------------------------------------------------------------


def test_first_publish_copies_the_whole_site(env: dict[str, Path]) -> None:
    report = publish(env)
    assert read_tree(env["target"]) == SITE_V1
    assert len(report.plan.uploads) == len(SITE_V1)
    assert report.bytes_sent == sum(len(t) for t in SITE_V1.values())
    assert "published to" in report.summary() and f"{len(SITE_V1)} uploaded" in report.summary()


def test_second_publish_changes_nothing(env: dict[str, Path]) -> None:
    publish(env)
    before = {p: os.stat(env["target"] / p).st_mtime_ns for p in SITE_V1}
    report = publish(env)
    assert report.plan.changes_nothing and len(report.plan.unchanged) == len(SITE_V1)
    assert {p: os.stat(env["target"] / p).st_mtime_ns for p in SITE_V1} == before


def test_only_changed_files_are_copied(env: dict[str, Path]) -> None:
    publish(env)
    inodes = {p: os.stat(env["target"] / p).st_ino for p in SITE_V1}
    (env["site"] / "articles/a/index.html").write_text("<p>article a v2</p>", encoding="utf-8")
    write_tree(env["site"], {"articles/c/index.html": "<p>new</p>"})
    report = publish(env)
    assert report.plan.replaces == ("articles/a/index.html",)
    assert report.plan.uploads == ("articles/c/index.html",)
    assert read_tree(env["target"])["articles/a/index.html"] == "<p>article a v2</p>"
    for path in SITE_V1:
        if path != "articles/a/index.html":  # untouched files are the same files (not copies)
            assert os.stat(env["target"] / path).st_ino == inodes[path], path


def test_stale_files_are_kept_without_delete(env: dict[str, Path]) -> None:
    write_tree(env["target"], {"old/index.html": "stale", "robots.txt": "keep me"})
    report = publish(env)
    assert (env["target"] / "old/index.html").read_text() == "stale"
    assert report.plan.stale == ("old/index.html", "robots.txt")
    assert "2 stale files kept" in report.summary()


def test_delete_removes_stale_files_and_empty_folders(env: dict[str, Path]) -> None:
    earlier_publish(env["target"], {"old/deep/index.html": "stale", "robots.txt": "stale"})
    report = publish(env, delete=True)
    assert report.plan.deletes == ("old/deep/index.html", "robots.txt")
    assert read_tree(env["target"]) == SITE_V1
    assert not (env["target"] / "old").exists()


def test_dry_run_lists_changes_and_changes_nothing(env: dict[str, Path]) -> None:
    earlier_publish(env["target"], {"index.html": "old home", "gone.html": "stale", "feed.xml": SITE_V1["feed.xml"]})
    before = read_tree(env["target"])
    progress = quiet()
    report = publish(env, progress, dry_run=True, delete=True)
    assert read_tree(env["target"]) == before
    out = progress.out.getvalue()  # type: ignore[attr-defined]
    assert "upload  articles/a/index.html" in out
    assert "replace index.html" in out
    assert "delete  gone.html" in out
    assert "feed.xml" not in out.split("dry run")[0]
    assert report.dry_run and "nothing was changed" in out


def test_dry_run_into_missing_folder_creates_nothing(env: dict[str, Path]) -> None:
    publish(env, dry_run=True)
    assert not env["target"].exists()


def test_max_deletes_refuses_then_yes_confirms(env: dict[str, Path]) -> None:
    earlier_publish(env["target"], {f"old/{i}.html": "stale" for i in range(5)})
    before = read_tree(env["target"])
    with pytest.raises(UsageError, match="refusing to delete 5 files .*--max-deletes 3"):
        publish(env, delete=True, max_deletes=3)
    assert read_tree(env["target"]) == before  # refused before anything was written
    progress = quiet()
    publish(env, progress, dry_run=True, delete=True, max_deletes=3)
    assert "needs --yes" in progress.out.getvalue()  # type: ignore[attr-defined]
    publish(env, delete=True, max_deletes=3, yes=True)
    assert read_tree(env["target"]) == SITE_V1


def test_max_deletes_accepts_an_interactive_confirmation(env: dict[str, Path]) -> None:
    earlier_publish(env["target"], {f"old/{i}.html": "stale" for i in range(3)})
    opts = PublishOptions(source=env["source"], delete=True, max_deletes=1)
    asked = []
    publish_site(env["site"], f"dir:{env['target']}", opts, progress=quiet(),
                 confirm=lambda plan: asked.append(len(plan.deletes)) or True)
    assert asked == [3] and read_tree(env["target"]) == SITE_V1


def test_publish_swaps_the_folder_in_one_step(env: dict[str, Path]) -> None:
    publish(env)
    first = env["target"].stat().st_ino
    (env["site"] / "index.html").write_text("<h1>home v2</h1>", encoding="utf-8")
    publish(env)
    assert env["target"].stat().st_ino != first  # a new folder was exchanged for the old one
    assert not list(env["target"].parent.glob(".briefs*"))  # no staging folder left behind


def test_in_place_fallback_gives_the_same_result(env: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    def no_exchange(first: Path, second: Path) -> None:
        raise OSError(38, "not supported")

    monkeypatch.setattr(folder_module, "_exchange", no_exchange)
    publish(env)
    first = env["target"].stat().st_ino
    write_tree(env["target"], {"old.html": "stale"})
    (env["site"] / "index.html").write_text("<h1>home v2</h1>", encoding="utf-8")
    progress = quiet()
    publish(env, progress, delete=True)
    assert env["target"].stat().st_ino == first
    assert read_tree(env["target"]) == {**SITE_V1, "index.html": "<h1>home v2</h1>"}
    lines = progress.stream.getvalue().splitlines()  # type: ignore[attr-defined]
    assert lines == ["replaced index.html (16 B)", "deleted old.html"]


def test_file_and_folder_conflict_needs_delete(env: dict[str, Path]) -> None:
    earlier_publish(env["target"], {"articles": "a file where the site has a folder"})
    with pytest.raises(UsageError, match="a file and a folder"):
        publish(env)
    publish(env, delete=True)
    assert read_tree(env["target"]) == SITE_V1


@pytest.mark.parametrize("where", ["source", "parent", "home", "content"])
def test_refuses_dangerous_folders(env: dict[str, Path], where: str) -> None:
    target = {"source": env["source"], "parent": env["source"].parent, "home": Path.home(),
              "content": env["source"] / "content" / "www"}[where]
    opts = PublishOptions(source=env["source"], delete=True)
    with pytest.raises(UsageError, match="refusing"):
        publish_site(env["site"], f"dir:{target}", opts, progress=quiet())


_KILLER = """
import os, signal, sys
from pathlib import Path
from generator.publish import PublishOptions, publish_site
from generator.publish import folder
from generator.publish.progress import Progress

site, target, source, mode, limit = sys.argv[1:6]
copied = 0
real_copy = folder._copy_bytes

def copy_then_die(src, dst):
    global copied
    copied += 1
    if copied > int(limit):
        os.kill(os.getpid(), signal.SIGKILL)
    real_copy(src, dst)

folder._copy_bytes = copy_then_die
if mode == "in-place":
    def no_exchange(first, second):
        raise OSError(38, "not supported")
    folder._exchange = no_exchange
publish_site(Path(site), "dir:" + target, PublishOptions(source=Path(source), delete=True),
             progress=Progress(tty=False))
"""


@pytest.mark.parametrize("mode", ["swap", "in-place"])
def test_killed_publish_leaves_old_or_reported_files_and_rerun_completes(env: dict[str, Path], mode: str) -> None:
    publish(env)
    v2 = {path: text.replace("v1", "v2") for path, text in SITE_V1.items()}
    v2["articles/new/index.html"] = "<p>new v2</p>"
    write_tree(env["site"], v2)
    env_vars = {**os.environ, "PYTHONPATH": str(REPO)}
    run = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_KILLER), str(env["site"]), str(env["target"]),
         str(env["source"]), mode, "3"],
        capture_output=True, text=True, env=env_vars, timeout=60)
    assert run.returncode == -9, run.stderr
    reported = [line.split()[1] for line in run.stderr.splitlines() if line.startswith(("uploaded", "replaced"))]
    now = read_tree(env["target"])
    if mode == "swap":
        assert reported == [] and now == SITE_V1  # the old site, untouched
    else:
        assert len(reported) == 3
        for path in reported:
            assert now[path] == v2[path]
        for path, text in now.items():  # every file is whole: old or new, never half-written
            assert text in (SITE_V1.get(path), v2.get(path)), path
    publish(env)
    assert read_tree(env["target"]) == v2
    leftovers = [p for p in env["target"].parent.rglob("*") if "briefing-tmp-" in p.name or "briefing-stage-" in p.name]
    assert leftovers == []


def test_progress_bar_on_a_terminal_and_lines_elsewhere() -> None:
    bar = Progress(stream=io.StringIO(), out=io.StringIO(), tty=True)
    bar.begin(2, 3000)
    bar.advance("uploaded", "a.html", 1000)
    bar.advance("uploaded", "b.html", 2000)
    bar.end()
    drawn = bar.stream.getvalue()  # type: ignore[attr-defined]
    assert "publishing [" in drawn and "2/2 files" in drawn and drawn.endswith("\r\033[K")
    lines = Progress(stream=io.StringIO(), out=io.StringIO(), tty=False)
    lines.begin(1, 10)
    lines.advance("deleted", "old.html")
    assert lines.stream.getvalue() == "deleted old.html\n"  # type: ignore[attr-defined]
    silent = Progress(quiet=True, stream=io.StringIO(), out=io.StringIO(), tty=True)
    silent.begin(1, 1)
    silent.advance("uploaded", "a", 1)
    silent.result("summary")
    assert silent.stream.getvalue() == silent.out.getvalue() == ""  # type: ignore[attr-defined]
