"""Term pages, term indexes, confidence pages, aliases, slugs and path safety."""

from __future__ import annotations

from pathlib import Path

import pytest
from linkcheck import check_site
from navhelpers import (
    build,
    build_ok,
    by_id,
    doc,
    hrefs,
    html,
    links,
    main_el,
    run_cli,
    section,
    text,
    write_site,
)

HMEIMIM = doc("Hmeimim Air Base", None, "Russia's main air base in Syria, beside [[tartus|the port]].",
              aliases=["Hmeimim", "Khmeimim", "Khmeimim Air Base"], lat=35.4011, lon=35.9486,
              country="Syria", summary="Russia's main air base in Syria.")
RUSSIA = doc("Russia", None, "The Russian state and its armed forces.", aliases=["Russian Federation"],
             summary="The Russian state.")


def _site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "src", {
        "content/locations/hmeimim-air-base.md": HMEIMIM,
        "content/actors/russia.md": RUSSIA,
        "content/articles/old.md": doc("Old jets", "2024-11-01", "Jets landed.", location="Khmeimim",
                                       actors=["Russia"], tags=["Air Power"], confidence="high",
                                       summary="Jets landed at the base."),
        "content/articles/mid.md": doc("Mid convoy", "2024-11-15T08:30:00Z", "A convoy.",
                                       location=["Hmeimim", "Tartus"], actors=["russian federation"],
                                       tags=["air power", "logistics"], confidence="low"),
        "content/articles/new.md": doc("New airlift", "2024-12-01", "An airlift.",
                                       location={"name": "HMEIMIM AIR BASE"}, actors=["RUSSIA", "Turkey"],
                                       tags=["AIR POWER"],
                                       events=[{"date": "2024-12-03", "title": "Airlift ends",
                                                "location": "Khmeimim Air Base", "actors": ["Turkey"]}]),
        "content/notes/assess.md": doc("Assessing the airlift", "2024-12-02", "See [[Khmeimim]].",
                                       about=["new"], actors=["Russia"], tags=["logistics"],
                                       confidence="moderate"),
    })


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_ok(_site(tmp_path_factory.mktemp("tax")))


def _card_titles(el) -> list[str]:
    return [text(h) for h in el.iter() if "card-title" in (h.get("class") or "").split()]


def test_term_page_lists_documents_newest_first_with_date_type_summary_confidence(site: Path) -> None:
    tree = html(site, "tags/air-power/")
    docs = section(tree, "Documents")
    assert docs is not None
    assert _card_titles(docs) == ["New airlift", "Mid convoy", "Old jets"]
    cards = [c for c in docs.iter("article")]
    old = cards[-1]
    assert old.find(".//time").get("datetime") == "2024-11-01"
    assert "Article" in text(old)
    assert "Jets landed at the base." in text(old)
    assert "High confidence" in text(old)
    assert "/confidence/high/" in hrefs(old)


def test_term_page_has_its_own_timeline(site: Path) -> None:
    tree = html(site, "actors/turkey/")
    timeline = section(tree, "Timeline")
    assert timeline is not None
    titles = [text(h) for h in timeline.iter("h3")]
    assert titles == ["New airlift", "Airlift ends"]  # oldest first, the event carried by "new" included
    location = html(site, "locations/hmeimim-air-base/")
    assert "Airlift ends" in text(section(location, "Timeline"))


def test_location_page_shows_description_coordinates_and_merges_aliases(site: Path) -> None:
    tree = html(site, "locations/hmeimim-air-base/")
    main = main_el(tree)
    assert text(main.find(".//h1")) == "Hmeimim Air Base"
    body = text(main)
    assert "Russia's main air base in Syria." in body  # summary
    assert "the port" in body  # body, with its cross-link rendered
    assert "35.4011" in body and "35.9486" in body
    assert "Syria" in body
    for alias in ("Hmeimim", "Khmeimim"):
        assert alias in body
    # Every spelling (alias, case) lands on one page: all three documents are listed.
    assert sorted(_card_titles(section(tree, "Documents"))) == [
        "Mid convoy", "New airlift", "Old jets"]
    out_locations = {p.name for p in (site / "locations").iterdir() if p.is_dir()}
    assert out_locations == {"hmeimim-air-base", "tartus"}


def test_actor_page_with_description_and_alias(site: Path) -> None:
    tree = html(site, "actors/russia/")
    assert "The Russian state and its armed forces." in text(main_el(tree))
    assert sorted(_card_titles(section(tree, "Documents"))) == [
        "Assessing the airlift", "Mid convoy", "New airlift", "Old jets"]
    # The term page shows documents that link to it (the note's [[Khmeimim]] links the location).
    linked = section(html(site, "locations/hmeimim-air-base/"), "Linked from")
    assert linked is not None and "Assessing the airlift" in text(linked)


def test_terms_match_case_insensitively(site: Path) -> None:
    assert sorted(p.name for p in (site / "tags").iterdir() if p.is_dir()) == ["air-power", "logistics"]
    # Shown as the most used spelling (on a tie, the oldest document's).
    assert text(html(site, "tags/air-power/").find(".//h1")) == "Air Power"


def _index_rows(el) -> list[tuple[str, int, str]]:
    """``(name, count, href)`` of each row of a term index list."""
    rows = []
    for li in el.iter("li"):
        a = li.find("a")
        count = next(s for s in li.iter("span") if "count" in (s.get("class") or "").split())
        rows.append((text(a), int("".join(ch for ch in text(count) if ch.isdigit())), a.get("href")))
    return rows


def test_index_pages_count_terms_and_sort_by_name_and_count(site: Path) -> None:
    tree = html(site, "tags/")
    assert _index_rows(section(tree, "By name")) == [("Air Power", 3, "/tags/air-power/"),
                                                   ("logistics", 2, "/tags/logistics/")]
    assert _index_rows(section(tree, "By number")) == [("Air Power", 3, "/tags/air-power/"),
                                                     ("logistics", 2, "/tags/logistics/")]
    actors = html(site, "actors/")
    assert _index_rows(section(actors, "By name")) == [("Russia", 4, "/actors/russia/"),
                                                      ("Turkey", 1, "/actors/turkey/")]
    locations = html(site, "locations/")
    assert _index_rows(section(locations, "By name")) == [("Hmeimim Air Base", 3, "/locations/hmeimim-air-base/"),
                                                         ("Tartus", 1, "/locations/tartus/")]
    # Sorted by count, most first; ties by name.
    src = write_site(site.parent / "counts", {
        "content/articles/a.md": doc("A", "2024-01-01", "x", tags=["zulu", "alpha", "mike"]),
        "content/articles/b.md": doc("B", "2024-01-02", "x", tags=["zulu", "mike"]),
        "content/articles/c.md": doc("C", "2024-01-03", "x", tags=["zulu"]),
    })
    out = build_ok(src)
    tags = html(out, "tags/")
    assert [(n, c) for n, c, _ in _index_rows(section(tags, "By name"))] == [("alpha", 1), ("mike", 2), ("zulu", 3)]
    assert [(n, c) for n, c, _ in _index_rows(section(tags, "By number"))] == [("zulu", 3), ("mike", 2), ("alpha", 1)]


def test_confidence_pages(site: Path) -> None:
    for level, titles in (("high", ["Old jets"]), ("moderate", ["Assessing the airlift"]),
                          ("low", ["Mid convoy"])):
        tree = html(site, f"confidence/{level}/")
        assert _card_titles(main_el(tree)) == titles, level


def test_term_pages_have_no_dead_links(site: Path) -> None:
    report = check_site(site)
    assert report.ok, report.problems


# -- slugs -----------------------------------------------------------------------------

def test_slugs_are_readable_and_safe(tmp_path: Path) -> None:
    names = ["Syrian rebels", "Дамаск", "東京", "Ḥamā", "C++", "🙂", "Hay'at Tahrir al-Sham"]
    src = write_site(tmp_path / "src", {
        "content/articles/a.md": doc("A", "2024-01-01", "x", tags=names),
    })
    out = build_ok(src)
    slugs = {p.name for p in (out / "tags").iterdir() if p.is_dir()}
    assert "syrian-rebels" in slugs
    assert "damask" in slugs
    assert "hama" in slugs
    assert "hay-at-tahrir-al-sham" in slugs
    assert len(slugs) == len(names)
    for slug in slugs:
        assert slug and "%" not in slug and "/" not in slug and not slug.startswith(".")
    index = html(out, "tags/")
    assert sorted(t for t, _ in links(section(index, "By name"))) == sorted(names)
    assert check_site(out).ok


def test_two_spellings_sharing_a_slug_are_one_term_with_a_warning_naming_both(tmp_path: Path) -> None:
    src = write_site(tmp_path / "src", {
        "content/articles/a.md": doc("A", "2024-01-01", "x", tags=["Air-power"]),
        "content/articles/b.md": doc("B", "2024-01-02", "x", tags=["Air power!"]),
        "content/articles/c.md": doc("C", "2024-01-03", "x", tags=["air-power"]),
    })
    code, out, err = run_cli("build", "--source", str(src))
    assert code == 0, err
    warned = [line for line in err.splitlines() if "shares the URL" in line]
    assert len(warned) == 1 and warned[0].startswith("content/articles/b.md:4: warning: tags: "), err
    assert "the term 'Air power!' shares the URL /tags/air-power/ with 'air-power' (from content/articles/c.md)" \
        in warned[0]
    site = src / "site"
    assert [p.name for p in (site / "tags").iterdir() if p.is_dir()] == ["air-power"]
    term = html(site, "tags/air-power/")
    assert text(term.find(".//h1")) == "Air-power"  # spellings used alike: the oldest document's
    assert sorted(_card_titles(section(term, "Documents"))) == ["A", "B", "C"]
    assert "/tags/air-power/" in hrefs(html(site, "articles/b/"))
    assert run_cli("build", "--source", str(src), "--strict", "--quiet")[0] == 1


def test_aliases_on_a_term_page_avoid_the_collision(tmp_path: Path) -> None:
    src = write_site(tmp_path / "src", {
        "content/actors/hts.md": doc("Hay'at Tahrir al-Sham", None, "x", aliases=["HTS", "Hayat Tahrir al-Sham"]),
        "content/articles/a.md": doc("A", "2024-01-01", "x", actors=["HTS"]),
        "content/articles/b.md": doc("B", "2024-01-02", "x", actors=["Hayat Tahrir al-Sham"]),
    })
    out = build_ok(src)
    assert [p.name for p in (out / "actors").iterdir() if p.is_dir()] == ["hts"]
    assert sorted(_card_titles(section(html(out, "actors/hts/"), "Documents"))) == ["A", "B"]


@pytest.mark.parametrize("name", ["../x", "/etc", "a/b", "..", "../../outside", "..\\..\\win", "./.", "~root"])
def test_path_like_terms_stay_inside_their_folder(tmp_path: Path, name: str) -> None:
    src = write_site(tmp_path / "w" / "src", {
        "content/articles/a.md": doc("A", "2024-01-01", f"Link [[{name}]].", tags=[name], actors=[name],
                                     location=name),
    })
    out = tmp_path / "w" / "out"
    result, _ = build(src, out)
    assert result.ok, [str(d) for d in result.diagnostics]
    made = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")
                  if p.is_file() and not p.is_relative_to(src))
    assert made and all(p.startswith("w/out/") for p in made), made
    for kind in ("tags", "actors", "locations"):
        pages = [p for p in (out / kind).iterdir() if p.is_dir()]
        assert len(pages) == 1, (kind, pages)
        assert (pages[0] / "index.html").is_file()
        assert by_id(html(out, f"{kind}/"), "by-name") is not None
    assert not (out / "etc").exists() and not (out / "x").exists()
    report = check_site(out)
    assert report.ok, report.problems


def test_path_like_slug_in_front_matter_stays_inside(tmp_path: Path) -> None:
    src = write_site(tmp_path / "src", {
        "content/articles/a.md": doc("A", "2024-01-01", "x", slug="../../escape"),
        "content/actors/evil.md": doc("Evil", None, "x", slug="../../../etc"),
        "content/pages/p.md": doc("P", None, "x", slug="/etc/passwd"),
    })
    out = tmp_path / "out"
    result, _ = build(src, out)
    assert result.ok, [str(d) for d in result.diagnostics]
    assert sorted(d.path for d in result.warnings if d.field == "slug") == [
        "content/actors/evil.md", "content/articles/a.md", "content/pages/p.md"]
    made = [p for p in tmp_path.rglob("index.html") if not p.is_relative_to(out)]
    assert made == []
    for page in ("articles/escape/", "actors/etc/", "etc-passwd/"):
        assert (out / page / "index.html").is_file(), page
    assert check_site(out).ok


def test_arabic_and_persian_names_are_slugged_in_latin_letters_only() -> None:
    from generator.model.slugs import slugify

    assert slugify("هيئة تحرير الشام") == "hya-thryr-alsham"  # the hamza seat leaves no Arabic letter
    assert slugify("Ḥayʾat Taḥrīr al-Shām") == "hayat-tahrir-al-sham"
    assert slugify("سپاه پاسداران") == "spah-pasdaran"
    assert slugify("لواء ٤٤") == "lwa-44"
    for name in ("هيئة", "مؤتمر", "ـكـ", "گروه", "ی", "ۀ"):
        assert slugify(name).isascii(), (name, slugify(name))


def test_the_vowel_signs_of_indic_and_thai_names_stay_in_their_slugs_and_accents_go() -> None:
    from generator.model.slugs import slugify

    words = ["कील", "किल", "कुल", "कोल"]  # nail, -, total, coal: four words, four slugs
    assert len({slugify(w) for w in words}) == 4 and slugify("कील") == "कील"
    assert slugify("हिन्दी समाचार") == "हिन्दी-समाचार"
    assert slugify("தமிழ்") != slugify("தமிழ") and slugify("มาเลเซีย") == "มาเลเซีย"
    assert slugify("Café Olé!") == "cafe-ole" and slugify("Việt Nam") == "viet-nam"
    assert slugify("שָׁלוֹם") == slugify("שלום") == "שלום"  # Hebrew points, like accents, go
