"""``briefing publish`` never overshares: each target gets a build for its ``max_marking``
(TLP:CLEAR unless its entry in briefing.yaml raises it), ``--audience`` only lowers it, a built
site's marker is checked, and a relative ``base_url`` is refused."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest
from audiencesite import CONFIG, files, leaks, left_out_count, write
from conftest import run_cli

from generator.build import Builder
from generator.errors import UsageError
from generator.guard import MARKER
from generator.publish import PublishOptions, publish_site
from generator.publish.progress import Progress


def _site(tmp_path: Path, targets: str = "") -> Path:
    """The canary site, with ``targets`` as its publish: section."""
    tree = files()
    tree["briefing.yaml"] = CONFIG + (f"publish:\n{targets}" if targets else "")
    return write(tmp_path / "src", tree)


def _audience_of(folder: Path) -> str:
    return json.loads((folder / MARKER).read_text())["audience"]


def test_a_target_given_on_the_command_line_gets_only_tlp_clear(tmp_path: Path) -> None:
    site = _site(tmp_path)
    www = tmp_path / "www"
    run = run_cli("publish", www, "--source", site)
    assert run.code == 0, run.text
    assert leaks(www, "TLP:CLEAR") == [] and (www / "notes/note-qclr/index.html").is_file()
    assert _audience_of(www) == "TLP:CLEAR"
    count = left_out_count("TLP:CLEAR")
    assert f"published to {www} for TLP:CLEAR ({count} documents above it left out)" in run.out


def test_a_named_target_raises_its_limit_and_the_command_line_may_only_lower_it(tmp_path: Path) -> None:
    partners = tmp_path / "partners"
    site = _site(tmp_path, f"  partners:\n    target: {partners}\n    max_marking: tlp:green\n"
                           f"  public: {tmp_path / 'public'}\n")
    run = run_cli("publish", "partners", "--source", site)
    assert run.code == 0, run.text
    assert leaks(partners, "TLP:GREEN") == [] and (partners / "notes/note-qgrn/index.html").is_file()
    assert _audience_of(partners) == "TLP:GREEN"
    # lowered for this publish
    run = run_cli("publish", "partners", "--source", site, "--audience", "TLP:CLEAR", "--delete")
    assert run.code == 0, run.text
    assert leaks(partners, "TLP:CLEAR") == [] and not (partners / "notes/note-qgrn").exists()
    # raised: refused, nothing built or sent, and the message says where the limit is set
    for target, above in (("partners", "TLP:AMBER"), ("public", "TLP:GREEN"), (str(tmp_path / "other"), "TLP:RED")):
        run = run_cli("publish", target, "--source", site, "--audience", above)
        assert run.code == 2, run.text
        assert "can only lower a target's limit" in run.err and f"max_marking: {above}" in run.err
        assert "briefing.yaml" in run.err and "Traceback" not in run.err
    assert _audience_of(partners) == "TLP:CLEAR" and not (tmp_path / "public").exists()
    assert not (tmp_path / "other").exists()


def test_a_dry_run_says_how_many_documents_are_left_out_and_changes_nothing(tmp_path: Path) -> None:
    site = _site(tmp_path, f"  partners:\n    target: {tmp_path / 'partners'}\n    max_marking: TLP:AMBER\n")
    run = run_cli("publish", "partners", "--source", site, "--dry-run")
    assert run.code == 0, run.text
    count = left_out_count("TLP:AMBER")
    assert f"for TLP:AMBER ({count} documents above it left out): would upload" in run.out
    assert f"built: 5 documents for TLP:AMBER ({count} documents above it left out)" in run.err
    assert "upload  notes/note-qamb/index.html" in run.out and "note-qstr" not in run.out
    assert not (tmp_path / "partners").exists()


def test_audience_in_briefing_yaml_lowers_every_target(tmp_path: Path) -> None:
    partners = tmp_path / "partners"
    site = _site(tmp_path, f"  partners:\n    target: {partners}\n    max_marking: TLP:RED\n")
    (site / "briefing.yaml").write_text((site / "briefing.yaml").read_text() + "audience: TLP:GREEN\n")
    assert run_cli("publish", "partners", "--source", site).code == 0
    assert _audience_of(partners) == "TLP:GREEN" and leaks(partners, "TLP:GREEN") == []


def test_an_invalid_max_marking_names_the_key_and_the_markings(tmp_path: Path) -> None:
    site = _site(tmp_path, f"  partners:\n    target: {tmp_path / 'p'}\n    max_marking: SECRET\n")
    run = run_cli("publish", "partners", "--source", site)
    assert run.code == 2
    assert "publish.partners.max_marking: 'SECRET' is not a TLP 2.0 marking" in run.err


def _built(source: Path, out: Path, audience: str | None) -> Path:
    builder = Builder(source, out, use_cache=False, jobs=1, audience=audience)
    assert builder.build().ok
    builder.close()
    return out


def test_publishing_a_built_folder_checks_the_audience_its_marker_records(tmp_path: Path) -> None:
    source = _site(tmp_path)
    quiet = Progress(stream=io.StringIO(), out=io.StringIO(), tty=False)
    everything = _built(source, tmp_path / "everything", None)
    options = PublishOptions(source=source, max_marking="TLP:GREEN")
    with pytest.raises(UsageError, match=r"built for TLP:RED .* may receive up to TLP:GREEN"):
        publish_site(everything, f"dir:{tmp_path / 'www'}", options, progress=quiet)
    assert not (tmp_path / "www").exists()
    (everything / MARKER).unlink()
    with pytest.raises(UsageError, match="records no audience"):
        publish_site(everything, f"dir:{tmp_path / 'www'}", options, progress=quiet)
    green = _built(source, tmp_path / "green", "TLP:GREEN")
    report = publish_site(green, f"dir:{tmp_path / 'www'}", options, progress=quiet)
    assert "for TLP:GREEN" in report.summary() and leaks(tmp_path / "www", "TLP:GREEN") == []


def test_publish_refuses_a_relative_base_url_and_says_where_to_set_it(tmp_path: Path) -> None:
    tree = files()
    tree["briefing.yaml"] = f"title: T\npublish:\n  public:\n    target: {tmp_path / 'pub'}\n"
    site = write(tmp_path / "src", tree)
    for args in (("public",), (str(tmp_path / "www"),), (str(tmp_path / "www"), "--base-url", "/briefs/")):
        run = run_cli("publish", *args, "--source", site)
        assert run.code == 2, run.text
        assert "not an absolute address" in run.err and "base_url: https://" in run.err
        assert "in briefing.yaml" in run.err
    assert "base_url: under publish: public:" in run_cli("publish", "public", "--source", site).err
    assert not (tmp_path / "www").exists() and not (tmp_path / "pub").exists()
    run = run_cli("publish", "public", "--source", site, "--base-url", "https://example.org/b/")
    assert run.code == 0, run.text
    # build only warns, on the line that sets it
    (site / "briefing.yaml").write_text("title: T\nbase_url: /b/\n")
    run = run_cli("build", "--source", site)
    assert run.code == 0 and "briefing.yaml:2: notice: base_url: '/b/' is a path" in run.err
    assert "0 warnings" in run.err  # a note on the terminal, not a content warning (--strict passes)
    assert run_cli("build", "--source", site, "--strict").code == 0


def test_init_writes_a_commented_base_url_line_and_the_default_marking(tmp_path: Path) -> None:
    assert run_cli("init", tmp_path / "brief").code == 0
    config = (tmp_path / "brief" / "briefing.yaml").read_text()
    assert "\n# base_url: https://" in config and "\nmarking: TLP:CLEAR\n" in config
    run = run_cli("publish", tmp_path / "www", "--source", tmp_path / "brief")
    assert run.code == 2 and "base_url" in run.err
    assert run_cli("publish", tmp_path / "www", "--source", tmp_path / "brief",
                   "--base-url", "https://example.org/").code == 0


def test_a_git_target_gets_only_what_its_limit_allows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "test@example.org")
    site = _site(tmp_path, "  pages:\n    target: git:gh-pages\n    max_marking: TLP:AMBER\n")

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(site), *args], check=True, capture_output=True, text=True).stdout

    git("init", "-q", "-b", "main")
    git("add", ".")
    git("commit", "-q", "-m", "sources")
    dry = run_cli("publish", "pages", "--source", site, "--dry-run")
    assert dry.code == 0 and f"for TLP:AMBER ({left_out_count('TLP:AMBER')} documents above it left out)" in dry.out
    assert run_cli("publish", "git:gh-pages", "--source", site, "--audience", "TLP:GREEN").code == 2
    run = run_cli("publish", "pages", "--source", site)
    assert run.code == 0, run.text
    names = git("ls-tree", "-r", "--name-only", "gh-pages").split()
    assert "notes/note-qamb/index.html" in names and not any("qstr" in n or "qred" in n for n in names)
    published = "".join(git("show", f"gh-pages:{name}") for name in names if not name.endswith(".png"))
    assert "zzqstr" not in published and "zzqred" not in published
    assert json.loads(git("show", f"gh-pages:{MARKER}"))["audience"] == "TLP:AMBER"
