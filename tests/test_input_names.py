"""Hostile and careless file names: bytes that are not UTF-8, a link to itself, folders nested
a thousand deep, a newline in a name, and a bad ``--endpoint-url``: each a one-line message
and exit 1 or 2, never a traceback."""

from __future__ import annotations

import io
import os
import subprocess
import time
from pathlib import Path

import pytest
from conftest import make_site, run_cli

from generator.errors import UsageError, error, printable_path
from generator.publish import PublishOptions, publish_site
from generator.publish.files import scan_site
from generator.publish.progress import Progress
from generator.publish.targets import endpoint_url, parse_named
from generator.serve.watcher import ChangeQueue, Watcher

SITE = {
    "briefing.yaml": "title: T\nbase_url: https://example.org/\n",
    "content/articles/fine.md": "---\ntitle: Fine\ndate: 2024-01-01\n---\nBody.\n",
}
NOT_UTF8 = os.fsdecode(b"\xffname.md")


def nest(root: Path, levels: int, leaf: str) -> None:
    """Make ``root/d/d/.../d/leaf`` ``levels`` folders deep (without recursion, unlike os.makedirs)."""
    fd = os.open(root, os.O_RDONLY)
    try:
        for _ in range(levels):
            os.mkdir("d", dir_fd=fd)
            inner = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        with open(os.open(leaf, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as handle:
            handle.write("---\ntitle: Deep\n---\nDeep.\n")
    finally:
        os.close(fd)


def unnest(root: Path) -> None:
    """Remove what :func:`nest` made, deepest first (shutil.rmtree recurses once per level)."""
    subprocess.run(["rm", "-rf", str(root / "d")], check=True)


def one_line_messages(text: str) -> list[str]:
    """The lines printed, none of them a traceback."""
    assert "Traceback" not in text
    return text.strip().splitlines()


def test_a_content_file_name_that_is_not_utf8_is_an_error_naming_it_escaped(tmp_path):
    site = make_site(tmp_path, SITE)
    (site / "content" / "articles" / NOT_UTF8).write_text("---\ntitle: X\ndate: 2024-01-01\n---\n")
    for command in ("build", "check"):
        result = run_cli(command, "--source", site)
        assert result.code == 1
        assert one_line_messages(result.text)[0] == (
            "content/articles/\\xffname.md:1: file: name is not valid UTF-8; rename it (names become URLs)")


def test_a_static_file_name_that_is_not_utf8_is_an_error_under_static(tmp_path):
    site = make_site(tmp_path, {**SITE, "static/ok.css": "body{}"})
    (site / "static" / os.fsdecode(b"\xfe.png")).write_bytes(b"x")
    result = run_cli("build", "--source", site)
    assert result.code == 1
    assert "static/\\xfe.png:1: file: name is not valid UTF-8" in one_line_messages(result.text)[0]


@pytest.mark.parametrize("where", ["content/loop", "content/articles/loop.md", "static/loop"])
def test_a_symbolic_link_to_itself_is_an_error_naming_it(tmp_path, where):
    site = make_site(tmp_path, {**SITE, "static/ok.css": "body{}"})
    os.symlink(Path(where).name, site / where)
    result = run_cli("build", "--source", site)
    assert result.code == 1
    assert one_line_messages(result.text)[0] == (
        f"{where}:1: file: symbolic link loops back on itself; remove it or point it at a file")


def test_two_links_pointing_at_each_other_are_an_error_too(tmp_path):
    site = make_site(tmp_path, SITE)
    os.symlink("b.md", site / "content" / "a.md")
    os.symlink("a.md", site / "content" / "b.md")
    result = run_cli("check", "--source", site)
    assert result.code == 1
    lines = one_line_messages(result.text)
    assert "content/a.md:1: file: symbolic link loops back on itself" in lines[0]
    assert "content/b.md:1: file: symbolic link loops back on itself" in lines[1]


@pytest.mark.parametrize("under", ["content", "static"])
def test_a_folder_1100_levels_deep_is_reported_not_a_recursion_error(tmp_path, under):
    site = make_site(tmp_path, {**SITE, "static/ok.css": "body{}"})
    nest(site / under, 1100, "x.md")
    try:
        for command in ("build", "check"):
            result = run_cli(command, "--source", site)
            assert result.code == 1, result.text
            lines = one_line_messages(result.text)
            assert lines[0].startswith(f"{under}/d/d/")
            assert lines[0].endswith(": file: folders nest more than 64 levels deep here; "
                                     "'d' and what is below it are not read")
    finally:
        unnest(site / under)


def test_a_folder_1600_levels_deep_costs_a_build_well_under_seconds(tmp_path):
    """The input snapshot resolved each folder's real path (one lookup per level above it):
    1,100 levels took 20 s. Each folder's real path now comes from its parent's."""
    site = make_site(tmp_path, SITE)
    nest(site / "content", 1600, "x.md")
    try:
        run_cli("build", "--source", site)
        started = time.perf_counter()
        result = run_cli("build", "--source", site)  # the no-change check walks every level
        took = time.perf_counter() - started
        assert result.code == 1 and "folders nest more than 64 levels deep" in result.text
        assert took < 3.0, f"a build over a folder 1,600 levels deep took {took:.1f} s"
    finally:
        unnest(site / "content")


@pytest.mark.parametrize("poll", [False, True], ids=["events", "poll"])
def test_serve_watches_a_site_with_a_folder_1100_levels_deep(tmp_path, poll):
    """watchdog walks folders recursively (once per level): past 1,000 levels serve stopped
    with a RecursionError before it served anything."""
    site = make_site(tmp_path, SITE)
    nest(site / "content", 1100, "x.md")
    queue = ChangeQueue(quiet=0.05)
    watcher = Watcher(queue, poll=poll, poll_interval=0.1)
    try:
        watcher.watch([site / "content"])
        watcher.start()
        time.sleep(0.3)
        edited = site / "content" / "pages" / "edited.md"
        edited.parent.mkdir(exist_ok=True)
        edited.write_text("---\ntitle: Edited\n---\nNow.\n", encoding="utf-8")
        batch = queue.get(timeout=10)
        assert batch is not None and edited in {p for p in batch.paths} | {p.parent for p in batch.paths}
    finally:
        watcher.stop()
        unnest(site / "content")


def test_a_folder_64_levels_deep_is_still_built(tmp_path):
    site = make_site(tmp_path, SITE)
    (site / "content" / "pages").mkdir()
    nest(site / "content" / "pages", 63, "deep.md")
    try:
        result = run_cli("build", "--source", site)
        assert result.code == 0, result.text
        assert "deep" in [p.parent.name for p in (site / "site").rglob("index.html")]
    finally:
        unnest(site / "content" / "pages")


def test_a_newline_in_a_file_name_stays_inside_one_message_line(tmp_path):
    site = make_site(tmp_path, {**SITE, "content/articles/bad\nname.md": "---\ntitle: B\ndate: 2024-13-01\n---\n"})
    result = run_cli("build", "--source", site)
    assert result.code == 1
    assert one_line_messages(result.text)[0] == (
        "content/articles/bad\\nname.md:3: date: '2024-13-01': month 13 does not exist (1-12)")


def test_printable_path_escapes_control_characters_and_undecodable_bytes():
    assert printable_path("a\nb\x0bc\td.md") == "a\\nb\\x0bc\\td.md"
    assert printable_path(os.fsdecode(b"caf\xe9.md")) == "caf\\xe9.md"
    assert printable_path("Ünïcødé/ok.md") == "Ünïcødé/ok.md"
    assert str(error("x\ny.md", 2, "title", "m")) == "x\\ny.md:2: title: m"


@pytest.mark.parametrize("url", ["not a url", "ftp://host", "https://", "http://host:port", "https://a b"])
def test_a_bad_endpoint_url_is_a_one_line_usage_error(tmp_path, url):
    site = make_site(tmp_path, SITE)
    result = run_cli("publish", "s3://bucket", "--source", site, "--endpoint-url", url)
    assert result.code == 2
    assert one_line_messages(result.text) == [
        f"--endpoint-url: {url!r} is not a URL; expected https://host or http://host:port"]


def test_an_endpoint_url_with_a_host_is_accepted():
    assert endpoint_url(" http://127.0.0.1:9000 ") == "http://127.0.0.1:9000"
    assert endpoint_url("https://s3.example.org/base") == "https://s3.example.org/base"


def test_a_bad_endpoint_url_in_a_named_target_names_the_setting():
    with pytest.raises(UsageError, match=r"publish\.prod\.endpoint_url: 'nope' is not a URL"):
        parse_named("prod", {"target": "s3://bucket", "endpoint_url": "nope"})


def test_publishing_a_folder_with_a_name_that_is_not_utf8_is_refused_naming_it(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("hi")
    (site / os.fsdecode(b"\xff.txt")).write_text("x")
    with pytest.raises(UsageError, match=r"\\xff\.txt: file name is not valid UTF-8"):
        scan_site(site)


def test_a_git_publish_of_a_site_with_a_name_that_is_not_utf8_fails_with_a_message(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    site = make_site(tmp_path, {**SITE, "static/ok.css": "body{}"})
    subprocess.run(["git", "-C", str(site), "init", "-q", "-b", "main"], check=True)
    (site / "static" / os.fsdecode(b"\xff.png")).write_bytes(b"x")
    result = run_cli("publish", "git:gh-pages", "--source", site)
    assert result.code == 1
    assert one_line_messages(result.text)[0].startswith("static/\\xff.png:1: file: name is not valid UTF-8")
    built = tmp_path / "built"
    built.mkdir()
    (built / os.fsdecode(b"\xff.png")).write_bytes(b"x")
    progress = Progress(stream=io.StringIO(), out=io.StringIO(), tty=False)
    with pytest.raises(UsageError, match="not valid UTF-8"):
        publish_site(built, "git:gh-pages", PublishOptions(source=site), progress=progress)  # type: ignore[arg-type]


def test_a_looping_link_saved_while_serving_is_reported_by_the_next_build(tmp_path):
    from generator.build import Builder

    site = make_site(tmp_path, SITE).resolve()
    builder = Builder(site, jobs=1)
    try:
        assert builder.build().ok
        loop = site / "content" / "articles" / "loop.md"
        os.symlink("loop.md", loop)
        result = builder.build(changed={loop})  # what the dev server's watcher passes
        assert [str(d) for d in result.diagnostics] == [
            "content/articles/loop.md:1: file: symbolic link loops back on itself; remove it or point it at a file"]
        bad = site / "content" / "articles" / os.fsdecode(b"\xff.md")
        os.unlink(loop)
        bad.write_text("---\ntitle: B\ndate: 2024-01-01\n---\n")
        result = builder.build(changed={bad})
        assert [str(d) for d in result.diagnostics] == [
            "content/articles/\\xff.md:1: file: name is not valid UTF-8; rename it (names become URLs)"]
    finally:
        builder.close()


def test_a_new_looping_link_is_not_hidden_by_the_no_change_shortcut(tmp_path):
    site = make_site(tmp_path, SITE)
    assert run_cli("build", "--source", site).code == 0
    os.symlink("loop.md", site / "content" / "loop.md")
    result = run_cli("build", "--source", site)  # a new process: the no-change check runs first
    assert result.code == 1
    assert "content/loop.md:1: file: symbolic link loops back on itself" in result.text


def test_a_templates_folder_1100_levels_deep_does_not_crash_the_build(tmp_path):
    site = make_site(tmp_path, {**SITE, "templates/README.txt": "site templates"})
    nest(site / "templates", 1100, "unused.html")
    try:
        result = run_cli("build", "--source", site)
        assert result.code == 0, result.text
        assert "Traceback" not in result.text
    finally:
        unnest(site / "templates")


@pytest.mark.parametrize("under", ["content", "static"])
def test_a_path_too_long_for_the_system_is_reported_not_a_crash(tmp_path, under):
    site = make_site(tmp_path, {**SITE, "static/ok.css": "body{}"})
    long_name = "n" * 250
    fd = os.open(site / under, os.O_RDONLY)
    try:
        for _ in range(20):  # about 5,000 characters: past PATH_MAX (4,096 on Linux)
            os.mkdir(long_name, dir_fd=fd)
            inner = os.open(long_name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
    finally:
        os.close(fd)
    try:
        for command in ("build", "check"):
            result = run_cli(command, "--source", site)
            assert result.code == 1
            lines = one_line_messages(result.text)
            assert lines[0].startswith(f"{under}/{long_name}/")
            assert lines[0].endswith(":1: file: folder cannot be read (File name too long); skipped")
    finally:
        subprocess.run(["rm", "-rf", str(site / under / long_name)], check=True)
