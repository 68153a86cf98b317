"""Audiences: a build for TLP:X holds nothing marked above it, in any file, as if it did not exist."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from audiencesite import (
    TOKENS,
    files,
    hidden_for,
    leaks,
    left_out_count,
    output_bytes,
    visible_only,
    write,
)
from conftest import Html, build, run_cli

from generator.build import Builder
from generator.model.marking import MARKINGS
from generator.verify import compare_folders

AUDIENCES = [*MARKINGS, None]


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("canary") / "src", files())


@pytest.fixture(scope="module")
def builds(source: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str | None, tuple[Path, object]]:
    """The canary site built once per audience (and once for everyone inside)."""
    done = {}
    for audience in AUDIENCES:
        out = tmp_path_factory.mktemp("out") / "site"
        builder = Builder(source, out, use_cache=False, jobs=1, audience=audience)
        result = builder.build()
        builder.close()
        assert result.ok, [str(d) for d in result.diagnostics]
        done[audience] = (out, result)
    return done


@pytest.mark.parametrize("audience", AUDIENCES)
def test_no_byte_of_any_output_carries_a_canary_marked_above_the_audience(builds, audience: str | None) -> None:
    out, _ = builds[audience]
    assert leaks(out, audience) == []


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_canary_at_or_below_the_audience_is_published(builds, audience: str | None) -> None:
    out, _ = builds[audience]
    everything = b"\n".join(rel.encode() + b"\n" + data.lower() for rel, data in output_bytes(out).items())
    for marking in MARKINGS:
        if marking in hidden_for(audience):
            continue
        t = TOKENS[marking]
        for field in ("title", "summary", "body", "tag", "actor", "place", "event", "source", "url", "file"):
            assert f"zz{t}{field}".encode() in everything, f"zz{t}{field} missing for {audience}"
        assert (out / f"notes/note-{t}-map.png").read_bytes() == f"zz{t}file".encode()


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_summary_counts_the_documents_left_out(builds, audience: str | None) -> None:
    _, result = builds[audience]
    assert result.left_out == left_out_count(audience)
    assert result.audience == audience
    if audience is None:
        assert "left out" not in result.summary()
    else:
        assert f"for {audience} ({left_out_count(audience)} documents above it left out)" in result.summary()


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_build_marker_records_the_audience(builds, audience: str | None) -> None:
    out, _ = builds[audience]
    assert json.loads((out / ".briefing-build.json").read_text())["audience"] == (audience or "TLP:RED")


def test_links_to_left_out_documents_are_plain_text_and_one_notice_per_pair(builds) -> None:
    out, result = builds["TLP:CLEAR"]
    page = Html.load(out / "articles/article-clear/index.html")
    body = page.one("div", "doc-body")
    text = " ".join("".join(body.itertext()).split())
    assert "the TLP:RED note" in text and "the red one" in text and "by title" in text
    hrefs = [a.get("href") or "" for a in body.iter("a")]
    assert [h for h in hrefs if "/notes/" in h] == ["/notes/note-qclr/"]
    for el in body.iter():  # plain text: no element of its own, neither a link nor a marked broken one
        assert "xref-missing" not in (el.get("class") or "")
    notices = [d for d in result.notices if d.path == "content/articles/article-clear.md"]
    named = sorted(d.message.split(" links to ")[1].split(",")[0] for d in notices)
    assert named == [f"content/notes/note-{TOKENS[m]}.md" for m in sorted(hidden_for("TLP:CLEAR"),
                                                                          key=lambda m: f"note-{TOKENS[m]}")]
    assert all(d.field == "link" for d in notices)  # reported at the first link, before related:
    assert not [d for d in result.warnings if "matches no document" in d.message]


def test_the_home_page_header_and_banners_show_the_audience_and_markings(builds) -> None:
    out, _ = builds["TLP:GREEN"]
    home = Html.load(out / "index.html")
    assert " ".join(home.one("p", "site-audience").itertext()).split() == ["Published", "for", "TLP:GREEN"]
    banners = home.all("p", "tlp-banner")
    assert len(banners) == 2 and all("TLP:GREEN" in "".join(b.itertext()) for b in banners)
    clear_note = Html.load(out / "notes/note-qclr/index.html")
    # Its own marking in its header; the page (which lists a TLP:GREEN card) is TLP:GREEN.
    assert "".join(clear_note.one("p", "doc-marking").itertext()).strip().endswith("TLP:CLEAR")
    style = "".join("".join(s.itertext()) for s in clear_note.all("style"))
    assert '@top-center { content: "TLP:' in style and '@bottom-center { content: "TLP:' in style
    everyone, _ = builds[None]
    assert Html.load(everyone / "index.html").all("p", "site-audience") == []


def test_data_files_carry_each_entrys_marking(builds) -> None:
    out, _ = builds[None]
    events = json.loads((out / "timeline.json").read_text())["events"]
    by_id = {e["unique_id"]: e["marking"] for e in events}
    assert by_id["note-note-qamb"] == "TLP:AMBER" and by_id["article-article-clear"] == "TLP:CLEAR"
    assert by_id["event-note-note-qstr-1"] == "TLP:AMBER+STRICT"
    rows = json.loads((out / "search-index.json").read_text())["d"]
    assert {row[1]: row[5] for row in rows}["/notes/note-qred/"] == "TLP:RED"
    feed = (out / "feed.xml").read_text()
    assert '<category scheme="https://www.first.org/tlp/" term="TLP:AMBER+STRICT"/>' in feed


@pytest.mark.parametrize("audience", ["TLP:CLEAR", "TLP:AMBER"])
def test_a_build_for_an_audience_equals_a_build_of_only_the_documents_it_may_see(
        builds, source: Path, tmp_path: Path, audience: str) -> None:
    out, _ = builds[audience]
    alone = visible_only(source, tmp_path / "alone", audience)
    builder = Builder(alone, tmp_path / "alone-out", use_cache=False, jobs=1, audience=audience)
    result = builder.build()
    builder.close()
    assert result.ok
    differences = compare_folders(tmp_path / "alone-out", out)
    # Only where the clear article links to a left-out note: plain text there, a marked broken
    # link in the site that never had the note (its page, and the feed that holds its body).
    assert differences == ["differs: articles/article-clear/index.html", "differs: feed.xml"]
    for kind in ("tags", "actors", "locations"):  # term counts and term pages as if alone
        assert (out / kind / "index.html").read_bytes() == (tmp_path / "alone-out" / kind / "index.html").read_bytes()


def test_term_pages_only_left_out_documents_made_do_not_exist(builds) -> None:
    out, _ = builds["TLP:CLEAR"]
    assert (out / "actors/russia/index.html").is_file()  # named by visible documents, described by none
    russia = Html.load(out / "actors/russia/index.html")
    assert russia.all("div", "doc-body") == [] and "Also known as" not in "".join(russia.root.itertext())
    assert not (out / "actors/zzqgrnactor").exists()
    assert not (out / "red-page").exists()
    everyone, _ = builds[None]
    assert (everyone / "actors/zzqgrnactor/index.html").is_file() and (everyone / "red-page/index.html").is_file()
    assert (everyone / "static/zzqredstatic.txt").is_file()


def test_marking_setting_is_the_default_of_documents_without_one(tmp_path: Path) -> None:
    tree = files()
    tree["briefing.yaml"] += "marking: TLP:AMBER\n"
    site = write(tmp_path / "src", tree)
    out = tmp_path / "out"
    builder = Builder(site, out, use_cache=False, jobs=1, audience="TLP:GREEN")
    result = builder.build()
    builder.close()
    assert result.ok and not (out / "articles/article-clear").exists()  # now TLP:AMBER, above TLP:GREEN
    assert leaks(out, "TLP:GREEN") == []


def test_audience_in_briefing_yaml_and_on_the_command_line(tmp_path: Path) -> None:
    tree = files()
    tree["briefing.yaml"] += "audience: green\n"
    site = write(tmp_path / "src", tree)
    run = build(site)
    assert run.code == 0, run.text
    assert "for TLP:GREEN" in run.err and leaks(site / "site", "TLP:GREEN") == []
    assert "article-clear.md:11: notice: link: [[note-qred]] links to content/notes/note-qred.md" in run.err
    run = build(site, "--audience", "TLP:CLEAR")
    assert run.code == 0 and leaks(site / "site", "TLP:CLEAR") == []
    bad = run_cli("build", "--source", site, "--audience", "SECRET")
    assert bad.code == 2 and "TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT, TLP:RED" in bad.err


def test_serve_shows_everything_unless_told_an_audience(tmp_path: Path) -> None:
    from generator.cli.serve_cmd import _make_builder

    tree = files()
    tree["briefing.yaml"] += "audience: TLP:CLEAR\n"
    site = write(tmp_path / "src", tree)
    for audience, out in ((None, tmp_path / "all"), ("TLP:AMBER", tmp_path / "amber")):
        builder = _make_builder(site, out, False, audience)
        assert builder.build().ok
        builder.close()
    assert leaks(tmp_path / "all", None) == [] and (tmp_path / "all/notes/note-qred/index.html").is_file()
    assert leaks(tmp_path / "amber", "TLP:AMBER") == [] and (tmp_path / "amber/notes/note-qamb/index.html").is_file()


def test_strict_does_not_fail_on_links_to_left_out_documents(source: Path, tmp_path: Path) -> None:
    run = run_cli("build", "--source", source, "-o", tmp_path / "out", "--audience", "TLP:CLEAR", "--strict")
    assert run.code == 0, run.text


def test_files_only_left_out_documents_reference_are_not_copied_however_they_are_referenced(tmp_path: Path) -> None:
    red = ("---\ntitle: Red\ndate: 2024-01-02\nmarking: TLP:RED\n---\n"
           "<img src='red one.png' alt=''> <img srcset=\"r1.png 1x, r2.png 2x\" alt=''>\n\n"
           "[brief](/notes/red%20brief.pdf) <video poster=rp.jpg></video> ![s](shared.png) "
           "<div style=\"background: url('bg.png')\"></div>\n")
    clear = "---\ntitle: Clear\ndate: 2024-01-01\n---\nShared ![s](shared.png), and untouched.png is nobody's.\n"
    tree: dict[str, str | bytes] = {"briefing.yaml": "title: T\n", "content/notes/red.md": red,
                                    "content/notes/clear.md": clear}
    names = ["red one.png", "r1.png", "r2.png", "red brief.pdf", "rp.jpg", "bg.png", "shared.png", "untouched.png"]
    tree.update({f"content/notes/{name}": b"bytes" for name in names})
    out = _built_for(write(tmp_path / "src", tree), tmp_path / "out", "TLP:CLEAR")
    assert sorted(p.name for p in (out / "notes").iterdir() if p.is_file() and p.name != "index.html") == ["shared.png", "untouched.png"]
    everything = _built_for(tmp_path / "src", tmp_path / "all", None)
    assert sorted(p.name for p in (everything / "notes").iterdir() if p.is_file() and p.name != "index.html") == sorted(names)


def _built_for(source: Path, out: Path, audience: str | None) -> Path:
    builder = Builder(source, out, use_cache=False, jobs=1, audience=audience)
    assert builder.build().ok
    builder.close()
    return out


def test_a_static_file_a_template_names_is_kept_whoever_else_references_it(tmp_path: Path) -> None:
    red = "---\ntitle: Red\ndate: 2024-01-02\nmarking: TLP:RED\n---\n![l](/static/logo.png) ![o](/static/only-red.png)\n"
    tree: dict[str, str | bytes] = {"briefing.yaml": "title: T\n", "content/notes/red.md": red,
                                    "static/logo.png": b"logo", "static/only-red.png": b"red",
                                    "templates/partials/brand.html": "<img src=\"{{ site.asset('logo.png') }}\" alt=\"\">\n"}
    out = _built_for(write(tmp_path / "src", tree), tmp_path / "out", "TLP:CLEAR")
    assert (out / "static/logo.png").is_file() and not (out / "static/only-red.png").exists()
