"""Freshness by construction: theme overrides that show everything their views hold stay fresh.

Every page template of the site is overridden by one that dumps, recursively, the whole view it
receives (``page``) and the whole ``site`` view (``viewdump.py``): every field of every linked,
backlinked or related document, term, timeline entry and setting is in the page's bytes. For each kind of
edit an author makes, the site is built, edited and built again, and the output must equal a
clean build byte for byte, both

* in a running builder told which files changed (what ``briefing serve`` does), and
* in a new one-shot builder with the same cache, into the output an earlier one-shot build
  wrote (what a second ``briefing build`` does).

Nothing here tells the engine what the overrides read: a page must be fresh whatever its
template reaches.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import viewdump
from conftest import Html, make_site, text_of

from generator.build import Builder
from generator.verify import compare_folders

#: The site's overrides: every page template's, and the dump macro (the card partial is not
#: overridden at first: an edit adds it).
OVERRIDES = {f"templates/{name}": text for name, text in viewdump.OVERRIDES.items() if name != "partials/card.html"}

SITE = {
    "briefing.yaml": ("title: Fresh\ndescription: A brief.\nbase_url: https://example.org/brief/\n"
                      "timezone: UTC\nfingerprint_assets: true\nrelated_limit: 3\n"
                      "params:\n  motto: first\n  team: [red, blue]\n"),
    "content/articles/alpha.md": (
        "---\ntitle: Alpha convoy\ndate: 2024-01-05T10:30:00Z\nsummary: Alpha summary.\nconfidence: moderate\n"
        "marking: TLP:AMBER\ntags: [logistics, ports]\nactors: [Russia]\nlocation: [Aden]\n---\n"
        "The convoy was seen.\n\n## Seen\n\nTrucks on the road.\n"),
    "content/articles/bravo.md": (
        "---\ntitle: Bravo airlift\ndate: 2024-02-01\nconfidence: low\ntags: [logistics]\n"
        "events:\n  - date: 2024-02-02\n    title: A clash\n    actors: [Russian Federation, Moscow]\n"
        "    location: Aden\n---\nSee [[alpha]] and [[alpha#seen|the sighting]].\n"),
    "content/articles/charlie.md": (
        "---\ntitle: Charlie radar\ndate: 2024-03-17\nsummary: Charlie summary.\ntags: [logistics, air defence]\n"
        "actors: [Wagner Group]\nlocation: [Basra]\n---\nA radar in Basra.\n"),
    "content/notes/delta.md": (
        "---\ntitle: Delta assessment\ndate: 2024-04-01\nabout: [alpha]\nrelated: [charlie]\n"
        "confidence: high\ntags: [ports]\n---\nWe assess the convoy.\n"),
    "content/notes/echo.md": (
        "---\ntitle: Echo note\ndate: 2024-05-01\nconfidence: low\ntags: [logistics]\n---\n"
        "We assess [[alpha]] and [[Russia]].\n"),
    "content/notes/foxtrot.md": (
        "---\ntitle: Foxtrot draft\ndate: 2024-05-02\ndraft: true\ntags: [ports]\n---\nSee [[alpha]].\n"),
    "content/actors/russia.md": (
        "---\ntitle: Russia\naliases: [Russian Federation]\nsummary: The Russian state.\n---\n"
        "See [[alpha]] for the convoy.\n"),
    "content/locations/aden.md": (
        "---\ntitle: Aden\naliases: [Adan]\nlat: 12.8\nlon: 45.0\n---\nA port; see [[charlie]].\n"),
    "content/pages/about.md": "---\ntitle: About\n---\nStart with [[bravo]].\n",
    "static/extra.css": "body { color: black; }\n",
    **OVERRIDES,
}


# -- edits ----------------------------------------------------------------------------------
Edit = Callable[[Path], set[Path]]


def replace(rel: str, old: str, new: str) -> Edit:
    """Replace ``old`` (which must be there) by ``new`` in one file."""
    def edit(site: Path) -> set[Path]:
        path = site / rel
        text = path.read_text()
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1))
        return {path}
    return edit


def write(rel: str, text: str | None) -> Edit:
    """Write one file (``None``: delete it)."""
    def edit(site: Path) -> set[Path]:
        path = site / rel
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        return {path}
    return edit


def rename(rel: str, new_rel: str) -> Edit:
    """Move one file."""
    def edit(site: Path) -> set[Path]:
        (site / rel).rename(site / new_rel)
        return {site / rel, site / new_rel}
    return edit


def both(*edits: Edit) -> Edit:
    """Several edits saved together."""
    def edit(site: Path) -> set[Path]:
        return set().union(*(e(site) for e in edits))
    return edit


ALPHA, BRAVO, CHARLIE = "content/articles/alpha.md", "content/articles/bravo.md", "content/articles/charlie.md"
DELTA, ECHO, FOXTROT = "content/notes/delta.md", "content/notes/echo.md", "content/notes/foxtrot.md"
RUSSIA, ADEN, CONFIG = "content/actors/russia.md", "content/locations/aden.md", "briefing.yaml"

EDITS: dict[str, Edit] = {
    # A document others link (bravo and echo in their bodies, delta in ``about``, russia's page).
    "linked-summary": replace(ALPHA, "summary: Alpha summary.", "summary: Alpha, revised."),
    "linked-summary-removed": replace(ALPHA, "summary: Alpha summary.\n", ""),
    "linked-title": replace(ALPHA, "title: Alpha convoy", "title: Alpha airlift"),
    "linked-date": replace(ALPHA, "date: 2024-01-05T10:30:00Z", "date: 2024-06-30"),
    "linked-date-time-of-day": replace(ALPHA, "T10:30:00Z", "T23:30:00Z"),
    "linked-confidence": replace(ALPHA, "confidence: moderate", "confidence: high"),
    "linked-confidence-removed": replace(ALPHA, "confidence: moderate\n", ""),
    "linked-marking": replace(ALPHA, "marking: TLP:AMBER", "marking: TLP:RED"),
    "linked-slug": replace(ALPHA, "title: Alpha convoy\n", "title: Alpha convoy\nslug: alpha-moved\n"),
    "linked-file-renamed": rename(ALPHA, "content/articles/alpha-renamed.md"),
    "linked-file-deleted": write(ALPHA, None),
    "linked-heading-renamed": replace(ALPHA, "## Seen", "## Observed"),
    "linked-body": replace(ALPHA, "The convoy was seen.", "The convoy was seen again."),
    # A document that links alpha: alpha's page lists it.
    "backlink-confidence": replace(ECHO, "confidence: low", "confidence: high"),
    "backlink-marking": replace(ECHO, "confidence: low\n", "confidence: low\nmarking: TLP:CLEAR\n"),
    "backlink-date": replace(ECHO, "date: 2024-05-01", "date: 2023-11-02"),
    "backlink-summary": replace(ECHO, "confidence: low\n", "confidence: low\nsummary: Echo summary.\n"),
    "backlink-removed": replace(ECHO, "[[alpha]] and ", ""),
    "backlink-added": replace(CHARLIE, "A radar in Basra.", "A radar in Basra; see [[alpha]]."),
    # Term pages (actors, locations): aliases, description, coordinates.
    "term-alias-added": replace(RUSSIA, "aliases: [Russian Federation]", "aliases: [Russian Federation, Moscow]"),
    "term-alias-removed": replace(RUSSIA, "aliases: [Russian Federation]", "aliases: []"),
    "term-alias-taken-by-another-term": replace(ADEN, "aliases: [Adan]", "aliases: [Adan, Basra]"),
    "term-description": replace(RUSSIA, "summary: The Russian state.", "summary: The Russian Federation."),
    "term-body-links": replace(RUSSIA, "See [[alpha]] for the convoy.", "See [[charlie]] and [[echo]]."),
    "term-title": replace(RUSSIA, "title: Russia\n", "title: Russian state\n"),
    "term-page-deleted": write(RUSSIA, None),
    "location-coordinates": replace(ADEN, "lat: 12.8", "lat: 12.79"),
    "location-coordinates-removed": replace(ADEN, "lat: 12.8\nlon: 45.0\n", ""),
    "location-page-added": write("content/locations/basra.md", "---\ntitle: Basra\nlat: 30.5\nlon: 47.8\n---\nA city.\n"),
    # A related document (delta names charlie; charlie shares tags with others).
    "related-date": replace(CHARLIE, "date: 2024-03-17", "date: 2024-07-01"),
    "related-summary": replace(CHARLIE, "summary: Charlie summary.", "summary: Charlie, revised."),
    "related-title": replace(CHARLIE, "title: Charlie radar", "title: Charlie launcher"),
    "related-confidence": replace(CHARLIE, "tags:", "confidence: high\ntags:"),
    # Terms of documents.
    "tag-added": replace(CHARLIE, "tags: [logistics, air defence]", "tags: [logistics, air defence, ports]"),
    "tag-removed": replace(ALPHA, "tags: [logistics, ports]", "tags: [logistics]"),
    "tag-renamed": replace(BRAVO, "tags: [logistics]", "tags: [supply]"),
    "tag-case-changed": replace(ALPHA, "tags: [logistics, ports]", "tags: [Logistics, ports]"),
    "tag-case-changed-everywhere": both(*(replace(p, "logistics", "Logistics") for p in (ALPHA, BRAVO, CHARLIE, ECHO))),
    "actor-added": replace(ECHO, "tags: [logistics]", "tags: [logistics]\nactors: [Wagner Group]"),
    "actor-added-by-alias": replace(ECHO, "tags: [logistics]", "tags: [logistics]\nactors: [Russian Federation]"),
    "actor-removed": replace(ALPHA, "actors: [Russia]\n", ""),
    "actor-renamed": replace(CHARLIE, "actors: [Wagner Group]", "actors: [Wagner]"),
    "actor-case-changed": replace(CHARLIE, "actors: [Wagner Group]", "actors: [wagner group]"),
    "location-added": replace(CHARLIE, "location: [Basra]", "location: [Basra, Aden]"),
    "location-removed": replace(ALPHA, "location: [Aden]\n", ""),
    "location-renamed": replace(CHARLIE, "location: [Basra]", "location: [Port of Basra]"),
    # Events.
    "event-added": replace(CHARLIE, "location: [Basra]\n", "location: [Basra]\nevents:\n  - date: 2024-03-01\n"
                           "    title: Radar lit\n    actors: [Wagner Group]\n    location: Basra\n"),
    "event-removed": replace(BRAVO, "events:\n  - date: 2024-02-02\n    title: A clash\n    actors: "
                             "[Russian Federation, Moscow]\n    location: Aden\n", ""),
    "event-changed": replace(BRAVO, "title: A clash", "title: A skirmish"),
    "event-actor-changed": replace(BRAVO, "[Russian Federation, Moscow]", "[Wagner Group]"),
    # about / related.
    "about-changed": replace(DELTA, "about: [alpha]", "about: [bravo]"),
    "about-names-a-term": replace(DELTA, "about: [alpha]", "about: [russia]"),
    "related-changed": replace(DELTA, "related: [charlie]", "related: [bravo, aden]"),
    "related-removed": replace(DELTA, "related: [charlie]\n", ""),
    # Drafts.
    "draft-on": replace(CHARLIE, "title: Charlie radar\n", "title: Charlie radar\ndraft: true\n"),
    "draft-off": replace(FOXTROT, "draft: true\n", ""),
    "linked-document-draft-on": replace(ALPHA, "title: Alpha convoy\n", "title: Alpha convoy\ndraft: true\n"),
    "linked-saved-unchanged": replace(ALPHA, "Trucks", "Trucks"),
    "linked-custom-field": replace(ALPHA, "summary:", "analyst: J. Doe\nsummary:"),
    "linked-template-chosen": replace(ALPHA, "summary:", "template: note.html\nsummary:"),
    "linked-moved-to-notes": rename(ALPHA, "content/notes/alpha.md"),
    "term-page-renamed": rename(RUSSIA, "content/actors/russian-federation.md"),
    "content-file-added": write("content/articles/map.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>\n"),
    # New documents and plain pages.
    "document-added": write("content/articles/golf.md", "---\ntitle: Golf ferry\ndate: 2024-01-06\n"
                            "tags: [ports]\nactors: [Russia]\nabout: [alpha]\n---\nSee [[alpha]].\n"),
    "page-title": replace("content/pages/about.md", "title: About", "title: About us"),
    "page-added": write("content/pages/method.md", "---\ntitle: Method\n---\nHow we work; see [[echo]].\n"),
    # Settings.
    "setting-params": replace(CONFIG, "motto: first", "motto: second"),
    "setting-params-nested": replace(CONFIG, "team: [red, blue]", "team: [red, green]"),
    "setting-title": replace(CONFIG, "title: Fresh", "title: Fresh two"),
    "setting-description": replace(CONFIG, "description: A brief.", "description: Another brief."),
    "setting-base-url": replace(CONFIG, "https://example.org/brief/", "https://example.org/other/"),
    "setting-timezone": replace(CONFIG, "timezone: UTC", "timezone: Asia/Tokyo"),
    "setting-related-limit": replace(CONFIG, "related_limit: 3", "related_limit: 1"),
    # Static files (fingerprinted names) and templates.
    "static-edited": replace("static/extra.css", "black", "navy"),
    "static-added": write("static/new.css", "p { margin: 0; }\n"),
    "static-removed": write("static/extra.css", None),
    "theme-static-overridden": write("static/style.css", "body { margin: 0; }\n"),
    "template-edited": replace("templates/article.html", "{{ super() }}", "{{ super() }}<!-- edited -->"),
    "template-partial-edited": replace("templates/partials/dump.html", "(callable)", "(a callable)"),
    "template-removed": write("templates/note.html", None),
    "template-added": write("templates/partials/card.html", viewdump.CARD),
}


# -- the check ------------------------------------------------------------------------------
@pytest.fixture
def tmp() -> Iterator[Path]:
    """A temporary folder, in memory where possible (``viewdump.scratch``)."""
    with viewdump.scratch("briefing-fresh-") as path:
        yield path


def _build(builder: Builder, changed: set[Path] | None = None) -> None:
    try:
        result = builder.build(changed=changed)
    finally:
        if builder.one_shot:
            builder.close()
    assert result.ok, [str(d) for d in result.errors]


def _clean(site: Path, out: Path, drafts: bool = False) -> Path:
    with viewdump.compiled_once():
        _build(Builder(site, out, use_cache=False, jobs=1, one_shot=True, drafts=drafts))
    return out


def _edited_twice(tmp_path: Path, edit: Edit, files: dict[str, str] = SITE,
                  drafts: bool = False) -> tuple[Path, Path, Path]:
    """Build the site (a running builder and a one-shot one), edit it, build again both ways;
    return (running builder's output, second one-shot build's output, a clean build's)."""
    site = make_site(tmp_path, files)
    running_out, again_out = tmp_path / "running", tmp_path / "again"
    running = Builder(site, running_out, atomic_swap=False, jobs=1, drafts=drafts)
    try:
        _build(running)
        _build(Builder(site, again_out, jobs=1, one_shot=True, drafts=drafts))
        changed = edit(site)
        _build(running, changed)
        _build(Builder(site, again_out, jobs=1, one_shot=True, drafts=drafts))
    finally:
        running.close()
    return running_out, again_out, _clean(site, tmp_path / "clean", drafts)


@pytest.mark.parametrize("kind", list(EDITS))
def test_a_site_whose_templates_dump_their_whole_views_stays_fresh_after_an_edit(tmp: Path, kind: str) -> None:
    running, again, clean = _edited_twice(tmp, EDITS[kind])
    assert compare_folders(clean, running) == [], "running builder told of the changed files"
    assert compare_folders(clean, again) == [], "new one-shot builder with the same cache"


@pytest.mark.parametrize("kind", ["draft-on", "draft-off", "linked-document-draft-on", "linked-summary"])
def test_with_drafts_shown_a_site_whose_templates_dump_their_whole_views_stays_fresh(tmp: Path, kind: str) -> None:
    # Drafts shown (``serve --drafts``): a draft flag turned on or off is a one-document update.
    running, again, clean = _edited_twice(tmp, EDITS[kind], drafts=True)
    assert Html.load(clean / "notes" / "foxtrot" / "index.html").h1 == "Foxtrot draft"
    assert compare_folders(clean, running) == [], "running builder told of the changed files"
    assert compare_folders(clean, again) == [], "new one-shot builder with the same cache"


def _dump(output: Path, url_path: str) -> str:
    return text_of(Html.load(output / url_path / "index.html").one("pre", "dump-page"))


def test_the_dumps_show_fields_of_linked_backlinked_and_related_documents_terms_and_settings(tmp: Path) -> None:
    out = _clean(make_site(tmp, SITE), tmp / "out")
    alpha = _dump(out, "articles/alpha")
    assert '"Echo note"' in alpha and '"Low confidence"' in alpha  # a backlink's title and confidence
    assert '"Delta assessment"' in alpha  # a note about alpha
    bravo = _dump(out, "articles/bravo")
    assert '"Alpha summary."' in bravo and '"TLP:AMBER"' in bravo  # a linked document's summary, marking
    delta = _dump(out, "notes/delta")
    assert '"2024-03-17"' in delta  # a related document's date
    russia = _dump(out, "actors/russia")
    assert '"Russian Federation"' in russia and '"The Russian state."' in russia
    assert "45.0" in text_of(Html.load(out / "locations" / "aden" / "index.html").one("pre", "dump-page"))
    site = text_of(Html.load(out / "index.html").one("pre", "dump-site"))
    assert 'motto="first"' in site and '"blue"' in site
    assert "static/extra." in site and "static/extra.css" not in site  # a fingerprinted asset name
    for page in ("timeline/index.html", "tags/index.html", "confidence/high/index.html", "about/index.html"):
        assert text_of(Html.load(out / page).one("pre", "dump-site")).startswith("{title=")


def test_builds_with_other_options_into_the_same_output_with_the_same_cache_equal_clean_builds(tmp: Path) -> None:
    # ``briefing build`` with --drafts, --base-url, without fingerprints, then plain again.
    site = make_site(tmp, SITE)
    out = tmp / "out"
    for options in ({}, {"drafts": True}, {}, {"base_url": "/elsewhere/"}, {"fingerprint": False}, {}):
        _build(Builder(site, out, jobs=1, one_shot=True, **options))
        clean = tmp / "clean"
        shutil.rmtree(clean, ignore_errors=True)
        with viewdump.compiled_once():
            _build(Builder(site, clean, use_cache=False, jobs=1, one_shot=True, **options))
        assert compare_folders(clean, out) == [], options


# -- stale pages these tests found (with the default theme) -----------------------------------
PLAIN = {path: text for path, text in SITE.items() if not path.startswith("templates/")}


def _fresh_both_ways(tmp_path: Path, edit: Edit) -> Path:
    """The clean output after ``edit``, having checked both rebuilds equal it."""
    running, again, clean = _edited_twice(tmp_path, edit, PLAIN)
    assert compare_folders(clean, running) == []
    assert compare_folders(clean, again) == []
    return clean


def test_a_running_builder_reads_documents_again_in_a_new_time_zone(tmp: Path) -> None:
    # The loader kept a file's parse while its stat was the same, though a parse reads the zone.
    clean = _fresh_both_ways(tmp, EDITS["setting-timezone"])
    when = Html.load(clean / "articles" / "alpha" / "index.html").one("time")
    assert (when.get("datetime"), text_of(when)) == ("2024-01-05T10:30:00Z", "5 January 2024, 19:30 JST")


def test_a_tag_written_a_new_way_shows_as_also_written_on_its_page_after_a_one_document_rebuild(
        tmp: Path) -> None:
    # The update moved alpha to the same term, so the term page was not re-planned.
    clean = _fresh_both_ways(tmp, EDITS["tag-case-changed"])
    facts = [text_of(div) for div in Html.load(clean / "tags" / "logistics" / "index.html").all("div")
             if div.find("dt") is not None]
    assert "Also writtenLogistics" in facts


def test_an_actor_renamed_by_a_case_change_is_shown_renamed_in_entries_on_other_term_pages(tmp: Path) -> None:
    # Terms are renamed in place, so the update's comparison of timeline entries saw no change
    # and the pages of charlie's tags and location kept its entry with the old actor name.
    clean = _fresh_both_ways(tmp, EDITS["actor-case-changed"])
    for page in ("tags/logistics", "tags/air-defence", "locations/basra"):
        actors = {text_of(a) for a in Html.load(clean / page / "index.html").all("a", "term-actor")}
        assert "wagner group" in actors and "Wagner Group" not in actors, page
