"""Reader aids: internal vs external links, /previews.json, the timeline component's data and
markup; audience-safe and fresh after incremental edits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Html, make_site

from generator.build import Builder
from generator.render.previews import SUMMARY_LIMIT, truncate
from generator.verify import compare_folders

LONG = "A long summary sentence about air defence systems moving along the coast. " * 6

FILES = {
    "briefing.yaml": "title: Reader site\nbase_url: https://example.org/\n",
    "content/articles/alpha.md": (
        "---\ntitle: Alpha report\ndate: 2024-12-06\nconfidence: moderate\ntags: [air defence]\n"
        "actors: [Russia]\nlocation: [Tartus]\nmarking: TLP:CLEAR\n"
        f"summary: {LONG.strip()}\n---\n"
        "See [[beta]] and [[Russia]], and [an outside source](https://outside.example/x).\n"
        "Also [our own page](https://example.org/about/).\n"
    ),
    "content/articles/beta.md": (
        "---\ntitle: Beta report\ndate: 2023-01-10\nconfidence: high\ntags: [basing]\nactors: [Iran]\n"
        "summary: Beta in short.\n---\nBeta body, back to [[alpha]].\n"
    ),
    "content/notes/secret.md": (
        "---\ntitle: Crimson note\ndate: 2024-06-01\nmarking: TLP:RED\nconfidence: low\ntags: [crimsontag]\n"
        "actors: [Russia]\nsummary: Crimson summary words.\n---\nCrimson body about [[alpha]].\n"
    ),
    "content/actors/russia.md": "---\ntitle: Russia\nsummary: The Russian state.\n---\nRussia text.\n",
    "content/pages/about.md": "---\ntitle: About\n---\nAbout text.\n",
}


def _build(src: Path, out: Path, audience: str | None = None) -> Path:
    builder = Builder(src, out, use_cache=False, jobs=1, audience=audience)
    result = builder.build()
    builder.close()
    assert result.ok, [str(d) for d in result.diagnostics]
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("reader")
    return _build(make_site(root, FILES), root / "out")


@pytest.fixture(scope="module")
def amber(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("reader-amber")
    return _build(make_site(root, FILES), root / "out", audience="TLP:AMBER")


def _json(out: Path, name: str) -> dict:
    return json.loads((out / name).read_text(encoding="utf-8"))


def test_body_cross_links_are_internal_and_outside_links_marked_external(site: Path) -> None:
    page = Html.load(site / "articles" / "alpha" / "index.html")
    body = next(d for d in page.all("div") if "doc-body" in (d.get("class") or "").split())
    links = {a.get("href"): (a.get("class") or "").split() for a in body.iter("a")}
    assert "xref" in links["/articles/beta/"]
    assert "xref" in links["/actors/russia/"]
    assert links["https://outside.example/x"] == ["external"]
    # A link to the site's own absolute address is not external.
    assert "external" not in links["https://example.org/about/"]


def test_backlink_and_related_cards_link_as_internal(site: Path) -> None:
    page = Html.load(site / "articles" / "beta" / "index.html")
    aside = next(a for a in page.all("aside") if "doc-links" in (a.get("class") or ""))
    hrefs = {a.get("href"): (a.get("class") or "").split() for a in aside.iter() if a.get("href")}
    assert "internal" in hrefs["/articles/alpha/"]
    assert not any("external" in c for c in hrefs.values())


def test_every_page_loads_the_preview_script_and_the_reader_styles_from_the_site(site: Path) -> None:
    page = Html.load(site / "articles" / "alpha" / "index.html")
    scripts = [s for s in page.all("script") if s.get("src") and "previews" in s.get("src")]
    assert len(scripts) == 1 and scripts[0].get("data-previews") == "/previews.json"
    assert scripts[0].get("src").startswith("/static/")
    assert any("reader" in href for href in page.stylesheets())


def test_previews_json_holds_every_shown_page_with_its_card_fields(site: Path) -> None:
    pages = _json(site, "previews.json")["pages"]
    alpha = pages["/articles/alpha/"]
    assert alpha["t"] == "Alpha report" and alpha["k"] == "Article"
    assert alpha["d"] == "6 December 2024" and alpha["c"] == "Moderate confidence"
    assert alpha["m"] == "TLP:CLEAR"
    assert len(alpha["s"]) <= SUMMARY_LIMIT and alpha["s"].endswith("…")
    assert pages["/articles/beta/"]["s"] == "Beta in short."
    assert pages["/actors/russia/"]["k"] == "Actor" and pages["/actors/russia/"]["s"] == "The Russian state."
    assert "/about/" in pages and "/notes/secret/" in pages
    # Every key is a page the build wrote.
    for url in pages:
        assert (site / url.strip("/") / "index.html").is_file(), url


def test_previews_json_is_small_per_page(site: Path) -> None:
    data = (site / "previews.json").read_bytes()
    pages = _json(site, "previews.json")["pages"]
    assert len(data) / len(pages) < 400


def test_truncate_cuts_at_a_word_and_keeps_short_text() -> None:
    assert truncate("short text") == "short text"
    cut = truncate("word " * 100, 40)
    assert len(cut) <= 40 and cut.endswith("…") and "wor…" not in cut


def test_timeline_json_carries_what_the_filters_need(site: Path) -> None:
    events = {e["text"]["headline"]: e for e in _json(site, "timeline.json")["events"]}
    alpha = events["Alpha report"]
    assert alpha["tags"] == ["air defence"] and alpha["confidence"] == "moderate"
    assert alpha["actors"] == ["Russia"] and alpha["locations"] == ["Tartus"]
    assert events["Beta report"]["confidence"] == "high"


def test_timeline_page_and_term_pages_carry_the_component(site: Path) -> None:
    timeline = Html.load(site / "timeline" / "index.html")
    roots = [e for e in timeline.all() if e.get("data-timeline")]
    assert [r.get("data-timeline") for r in roots] == ["/timeline.json"]
    entries = [li for li in timeline.all("li") if "entry" in (li.get("class") or "").split()]
    assert entries and all(li.get("hidden") is None and li.get("id") for li in entries)
    term = Html.load(site / "actors" / "russia" / "index.html")
    assert [e.get("data-timeline") for e in term.all() if e.get("data-timeline")] == ["/timeline.json"]
    assert any("timeline" in (s.get("src") or "") for s in term.all("script"))
    ids = {e["unique_id"] for e in _json(site, "timeline.json")["events"]}
    term_entries = [li.get("id") for li in term.all("li") if "entry" in (li.get("class") or "").split()]
    assert term_entries and set(term_entries) <= ids  # the script finds each entry's data


def test_an_audience_build_leaves_hidden_documents_out_of_previews_and_timeline_data(site: Path, amber: Path) -> None:
    assert "/notes/secret/" in _json(site, "previews.json")["pages"]
    for name in ("previews.json", "timeline.json"):
        text = (amber / name).read_text(encoding="utf-8")
        for word in ("Crimson", "crimsontag", "secret", "TLP:RED"):
            assert word not in text, (name, word)
    assert "/articles/alpha/" in _json(amber, "previews.json")["pages"]
    # The timeline's filter data names only what shown entries carry.
    tags = {t for e in _json(amber, "timeline.json")["events"] for t in e["tags"]}
    assert tags == {"air defence", "basing"}


EDITS = [
    ("content/articles/beta.md", "title: Beta report", "title: Beta report renamed"),
    ("content/articles/beta.md", "summary: Beta in short.", "summary: Beta summary rewritten."),
    ("content/articles/beta.md", "confidence: high", "confidence: low"),
    ("content/articles/beta.md", "date: 2023-01-10", "date: 2022-05-02"),
    ("content/articles/beta.md", "actors: [Iran]", "actors: [Iran]\nmarking: TLP:GREEN"),
    ("content/articles/alpha.md", "tags: [air defence]", "tags: [air defence, logistics]"),
    ("content/actors/russia.md", "summary: The Russian state.", "summary: Moscow's government."),
]


@pytest.mark.parametrize("edit", EDITS, ids=[e[2].splitlines()[-1] for e in EDITS])
def test_an_edit_re_renders_previews_and_timeline_data_as_a_clean_build(tmp_path: Path, edit: tuple) -> None:
    src = make_site(tmp_path, FILES)
    out = tmp_path / "out"
    builder = Builder(src, out, jobs=1)
    assert builder.build().ok
    before = {n: (out / n).read_bytes() for n in ("previews.json", "timeline.json")}
    rel, old, new = edit
    path = src / rel
    path.write_text(path.read_text().replace(old, new))
    assert builder.build({path}).ok  # a running builder told of the change
    builder.close()
    clean = _build(src, tmp_path / "clean")
    assert compare_folders(clean, out) == []
    after = {n: (out / n).read_bytes() for n in ("previews.json", "timeline.json")}
    assert after["previews.json"] != before["previews.json"]
    # Across processes: a new builder from the cache agrees too.
    path.write_text(path.read_text().replace(new, old))
    second = Builder(src, out, jobs=1)
    assert second.build().ok
    second.close()
    assert (out / "previews.json").read_bytes() == before["previews.json"]
    assert (out / "timeline.json").read_bytes() == before["timeline.json"]
