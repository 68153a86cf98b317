"""Nothing from outside the site folder is read or published, whatever links or settings lead
there; the cache and OS litter are never published (issue 15, item 3)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BASIC_SITE, build, build_ok, make_site

from generator.serve.watcher import is_editor_noise
from generator.sources import is_ignored_name

SECRET = "-----BEGIN OPENSSH PRIVATE KEY-----\nnot for the web\n"


def _secret_folder(tmp_path: Path) -> Path:
    """A folder outside the site holding a private key (and, for content, a document)."""
    secret = tmp_path / "secret"
    (secret / "articles").mkdir(parents=True)
    (secret / "id_rsa").write_text(SECRET)
    (secret / "leak.css").write_text("body { color: red }")
    (secret / "articles" / "leak.md").write_text("---\ntitle: Leak\ndate: 2024-12-06\n---\nSecret words.\n")
    return secret


def _nothing_secret_in(folder: Path) -> None:
    assert not list(folder.rglob("id_rsa"))
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"not for the web" not in data and b"Secret words" not in data, path


def test_a_linked_static_folder_outside_the_site_is_not_copied_and_the_warning_names_the_link(tmp_path):
    secret = _secret_folder(tmp_path)
    site = make_site(tmp_path, BASIC_SITE)
    (site / "static").symlink_to(secret, target_is_directory=True)
    result = build(site)
    assert result.code == 0, result.text
    assert f"static:1: warning: file: symbolic link to {secret} points outside the site folder" in result.err
    _nothing_secret_in(site / "site")
    assert not (site / "site" / "static" / "leak.css").exists()


def test_a_linked_content_folder_outside_the_site_is_an_error_naming_the_link(tmp_path):
    secret = _secret_folder(tmp_path)
    site = make_site(tmp_path, {"briefing.yaml": "title: T\n"})
    (site / "content").symlink_to(secret, target_is_directory=True)
    result = build(site)
    assert result.code == 1, result.text
    assert f"content:1: file: symbolic link to {secret} points outside the site folder" in result.err
    assert "Traceback" not in result.text
    assert not (site / "site").exists()


def test_a_link_to_a_content_folder_inside_the_site_is_followed(tmp_path):
    site = make_site(tmp_path, {**{k: v for k, v in BASIC_SITE.items() if not k.startswith("content/")},
                                **{k.replace("content/", "sources/", 1): v for k, v in BASIC_SITE.items()
                                   if k.startswith("content/")}})
    (site / "content").symlink_to(site / "sources", target_is_directory=True)
    out = build_ok(site)
    assert (out / "notes" / "coastal-bases" / "index.html").is_file()


@pytest.mark.parametrize("setting", ["../secret", "SECRET", "content/../../secret", ".", ""])
def test_a_content_dir_outside_the_site_folder_is_an_error_on_its_line(tmp_path, setting):
    secret = _secret_folder(tmp_path)
    site = make_site(tmp_path, BASIC_SITE)
    value = str(secret) if setting == "SECRET" else setting
    (site / "briefing.yaml").write_text(f"title: T\ncontent_dir: '{value}'\n")
    result = build(site)
    assert result.code == 1, result.text
    assert "briefing.yaml:2: content_dir:" in result.err and "is not inside the site folder" in result.err
    assert "Traceback" not in result.text
    if (site / "site").exists():
        _nothing_secret_in(site / "site")


def test_a_linked_templates_folder_outside_the_site_is_not_used(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "base.html").write_text("<html><body>FOREIGN {{ 1 }}</body></html>")
    site = make_site(tmp_path, BASIC_SITE)
    (site / "templates").symlink_to(outside, target_is_directory=True)
    result = build(site)
    assert result.code == 0, result.text
    assert f"templates:1: warning: file: symbolic link to {outside}" in result.err
    assert "FOREIGN" not in (site / "site" / "index.html").read_text()


def test_a_linked_theme_folder_outside_the_site_is_not_read(tmp_path):
    secret = _secret_folder(tmp_path)
    (secret / "static").mkdir()
    (secret / "static" / "id_rsa").write_text(SECRET)
    site = make_site(tmp_path, {**BASIC_SITE, "briefing.yaml": "title: T\ntheme: mine\n"})
    (site / "themes").mkdir()
    (site / "themes" / "mine").symlink_to(secret, target_is_directory=True)
    result = build(site)
    assert result.code == 1, result.text  # there is no theme "mine" to use
    assert f"themes/mine:1: warning: file: symbolic link to {secret}" in result.err
    assert "no theme 'mine'" in result.err


def test_a_cache_folder_inside_the_content_folder_is_neither_read_nor_published(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE, "briefing.yaml": "title: T\ncache_dir: content/cache\n"})
    build_ok(site)
    assert (site / "content" / "cache" / "parse.sqlite").is_file()
    out = build_ok(site)  # the second build sees the cache the first one wrote
    assert not (out / "cache").exists()
    assert not [p for p in out.rglob("*") if "sqlite" in p.name]


LITTER = ["Thumbs.db", "desktop.ini", "Icon\r", "._photo.png", ".DS_Store", "ehthumbs.db"]


def test_os_litter_is_never_published(tmp_path):
    files: dict[str, str | bytes] = dict(BASIC_SITE)
    for name in LITTER:
        files[f"static/{name}"] = b"litter"
        files[f"content/articles/{name}"] = b"litter"
    files["static/photo.png"] = b"\x89PNG"
    out = build_ok(make_site(tmp_path, files))
    assert (out / "static" / "photo.png").is_file()
    for name in LITTER:
        assert not list(out.rglob(name)), name


@pytest.mark.parametrize("name", LITTER)
def test_os_litter_is_not_watched(name):
    assert is_ignored_name(name) and is_editor_noise(name)


def test_a_template_linked_outside_the_site_is_not_loaded_and_the_warning_names_it(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "partial.html").write_text("FOREIGN TEMPLATE")
    site = make_site(tmp_path, {**BASIC_SITE, "templates/page.html": "{% include 'partial.html' %}"})
    (site / "templates" / "partial.html").symlink_to(outside / "partial.html")
    result = build(site)
    assert result.code == 1, result.text
    assert "templates/page.html:1: template: template 'partial.html' not found" in result.err
    assert f"templates/partial.html:1: warning: file: symbolic link to {outside / 'partial.html'}" in result.err
    assert not (site / "site").exists()
