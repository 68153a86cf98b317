"""/timeline/ and /timeline.json: order, grouping, precision, links, timezone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from linkcheck import check_site
from navhelpers import build_ok, by_id, doc, hrefs, html, main_el, read_json, text, write_site

FILES = {
    "content/locations/hmeimim.md": doc("Hmeimim Air Base", None, "The base.", aliases=["Khmeimim"],
                                        slug="hmeimim-air-base"),
    "content/actors/russia.md": doc("Russia", None, "The state.", aliases=["RU"]),
    "content/articles/dec.md": doc("December report", "2024-12-06", "x", location="Khmeimim",
                                   actors=["Russia", "Turkey"], summary="The December report."),
    "content/articles/nov-time.md": doc("November with a time", "2024-11-30T23:30:00Z", "x",
                                        location=["Tartus"], actors=["RU"]),
    "content/articles/nov-day.md": doc("November by day", "2024-11-02", "x"),
    "content/notes/assess.md": doc("An assessment", "2024-12-07", "x", about=["dec"], actors=["Russia"],
                                   events=[
                                       {"date": "2023", "title": "Something in 2023", "actors": ["Russia"]},
                                       {"date": "2024-11", "title": "Sometime in November",
                                        "location": "Hmeimim Air Base"},
                                       {"date": "2024-12-06 14:00", "title": "Afternoon event",
                                        "location": ["Khmeimim", "Latakia"], "actors": ["RU", "Wagner"]},
                                   ]),
    "content/articles/undated-page-like.md": doc("Dated article without events", "2022-05-01", "x"),
    "content/pages/about.md": doc("About", None, "An undated page is not on the timeline."),
}

ORDER = ["Dated article without events", "Something in 2023", "Sometime in November", "November by day",
         "November with a time", "December report", "Afternoon event", "An assessment"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_ok(write_site(tmp_path_factory.mktemp("tl") / "src", FILES))


def _entries(el):
    return [li for li in el.iter("li") if "entry" in (li.get("class") or "").split()]


def _title(entry) -> str:
    return text(next(h for h in entry.iter() if "entry-title" in (h.get("class") or "").split()))


def test_every_dated_document_and_event_in_time_order(site: Path) -> None:
    tree = html(site, "timeline/")
    assert [_title(e) for e in _entries(main_el(tree))] == ORDER
    assert "About" not in [_title(e) for e in _entries(main_el(tree))]


def test_grouped_by_year_and_month(site: Path) -> None:
    main = main_el(html(site, "timeline/"))
    groups = [s for s in main.iter("section") if "month" in (s.get("class") or "").split()]
    labels = [text(g.find("h2")) for g in groups]
    assert labels == ["May 2022", "2023", "November 2024", "December 2024"]
    by_label = {text(g.find("h2")): [_title(e) for e in _entries(g)] for g in groups}
    assert by_label["2023"] == ["Something in 2023"]  # a year-only event is grouped under its year
    assert by_label["November 2024"] == ["Sometime in November", "November by day", "November with a time"]
    # The month navigation jumps to each group.
    nav = next(n for n in main.iter("nav") if "month-nav" in (n.get("class") or ""))
    assert hrefs(nav) == ["#" + g.get("id") for g in groups]
    assert check_site(site).ok


def test_entries_show_date_title_type_location_and_actors_linked(site: Path) -> None:
    main = main_el(html(site, "timeline/"))
    entries = {_title(e): e for e in _entries(main)}
    afternoon = entries["Afternoon event"]
    assert afternoon.get("data-kind") == "event"
    assert "Event" in text(afternoon)
    assert afternoon.find(".//time").get("datetime") == "2024-12-06T14:00:00Z"
    links = {text(a): a.get("href") for a in afternoon.iter("a")}
    assert links["Hmeimim Air Base"] == "/locations/hmeimim-air-base/"  # alias resolved
    assert links["Russia"] == "/actors/russia/"  # alias resolved
    assert links["Afternoon event"] == "/notes/assess/"  # the document carrying the event
    # Names that are no term (no document has them) are shown, not linked to nowhere.
    assert "Latakia" in text(afternoon) and "Latakia" not in links
    assert "Wagner" in text(afternoon) and "Wagner" not in links
    dec = entries["December report"]
    assert dec.get("data-kind") == "article"
    assert {text(a): a.get("href") for a in dec.iter("a")} == {
        "December report": "/articles/dec/", "Hmeimim Air Base": "/locations/hmeimim-air-base/",
        "Russia": "/actors/russia/", "Turkey": "/actors/turkey/"}
    assert entries["An assessment"].get("data-kind") == "note"


def test_document_page_lists_its_events_with_terms_linked(site: Path) -> None:
    tree = html(site, "notes/assess/")
    events = next(s for s in tree.iter("section") if "doc-events" in (s.get("class") or ""))
    items = {text(li).split(" (")[0]: li for li in events.iter("li")}
    assert list(items) == ["2023: Something in 2023", "November 2024: Sometime in November",
                           "6 December 2024, 14:00 UTC: Afternoon event"]
    afternoon = items["6 December 2024, 14:00 UTC: Afternoon event"]
    assert {text(a): a.get("href") for a in afternoon.iter("a")} == {
        "Hmeimim Air Base": "/locations/hmeimim-air-base/", "Russia": "/actors/russia/"}
    assert "Latakia" in text(afternoon) and "Wagner" in text(afternoon)


def test_dates_keep_their_precision(site: Path) -> None:
    main = main_el(html(site, "timeline/"))
    entries = {_title(e): e for e in _entries(main)}
    expected = {"Something in 2023": ("2023", "2023"), "Sometime in November": ("2024-11", "November 2024"),
                "November by day": ("2024-11-02", "2 November 2024"),
                "November with a time": ("2024-11-30T23:30:00Z", "30 November 2024, 23:30 UTC")}
    for title, (iso, shown) in expected.items():
        time = entries[title].find(".//time")
        assert time.get("datetime") == iso, title
        assert text(time) == shown, title
    for title in ("Something in 2023", "Sometime in November", "November by day", "December report"):
        assert not re.search(r"\d:\d\d", text(entries[title])), title
    # The document page shows the same dates.
    assert by_id(html(site, "articles/nov-day/"), "doc-title") is not None
    assert "00:00" not in text(main_el(html(site, "articles/nov-day/")))


def test_filter_by_type_works_without_script(site: Path) -> None:
    tree = html(site, "timeline/")
    form = next(f for f in tree.iter("form") if "timeline-filter" in (f.get("class") or ""))
    assert form.get("hidden") is not None  # shown by the script; the page is complete without it
    kinds = sorted(i.get("value") for i in form.iter("input"))
    assert kinds == ["article", "event", "note"]
    scripts = [s.get("src") for s in tree.iter("script") if s.get("src")]
    assert any("timeline" in s for s in scripts)


def test_timeline_json_matches_the_page(site: Path) -> None:
    data = read_json(site, "timeline.json")
    events = data["events"]
    assert [e["text"]["headline"] for e in events] == ORDER
    ids = [e["unique_id"] for e in events]
    assert len(set(ids)) == len(ids)
    page_ids = [e.get("id") for e in _entries(main_el(html(site, "timeline/")))]
    assert ids == page_ids  # a unique id is also the entry's anchor on /timeline/
    by_title = {e["text"]["headline"]: e for e in events}
    assert by_title["Something in 2023"]["start_date"] == {"year": 2023, "display_date": "2023", "iso": "2023"}
    month = by_title["Sometime in November"]["start_date"]
    assert (month["year"], month["month"]) == (2024, 11) and "day" not in month and "hour" not in month
    day = by_title["November by day"]["start_date"]
    assert (day["year"], day["month"], day["day"]) == (2024, 11, 2) and "hour" not in day
    timed = by_title["November with a time"]["start_date"]
    assert (timed["hour"], timed["minute"]) == (23, 30)
    assert by_title["December report"]["text"]["text"] == "The December report."
    assert {e["group"] for e in events} == {"Article", "Analyst note", "Event"}
    assert data["timezone"] == "UTC"
    assert data["title"]["text"]["headline"]
    afternoon = by_title["Afternoon event"]
    assert afternoon["locations"] == ["Hmeimim Air Base", "Latakia"]
    assert afternoon["actors"] == ["Russia", "Wagner"]
    for event in events:
        url = event["url"]
        assert url.startswith("/") and (site / url.lstrip("/") / "index.html").is_file(), url


def test_term_timelines(site: Path) -> None:
    tree = html(site, "actors/russia/")
    timeline = next(s for s in tree.iter("section") if "Timeline" in text(s.find("h2")))
    assert [_title(e) for e in _entries(timeline)] == [
        "Something in 2023", "November with a time", "December report", "Afternoon event", "An assessment"]


def test_site_timezone_moves_times_not_dates(tmp_path: Path) -> None:
    files = dict(FILES)
    out = build_ok(write_site(tmp_path / "src", files, config="title: T\ntimezone: Asia/Tokyo\n"))
    main = main_el(html(out, "timeline/"))
    entries = {_title(e): e for e in _entries(main)}
    # 23:30 UTC on 30 November is 08:30 on 1 December in Tokyo: shown and grouped there.
    timed = entries["November with a time"]
    assert "1 December 2024, 08:30" in text(timed)
    assert timed.find(".//time").get("datetime") == "2024-11-30T23:30:00Z"
    groups = {text(g.find("h2")): [_title(e) for e in _entries(g)] for g in main.iter("section")
              if "month" in (g.get("class") or "")}
    assert "November with a time" in groups["December 2024"]
    # A date without a time stays the date written.
    assert text(entries["November by day"].find(".//time")) == "2 November 2024"
    data = read_json(out, "timeline.json")
    assert data["timezone"] == "Asia/Tokyo"
    timed_json = next(e for e in data["events"] if e["text"]["headline"] == "November with a time")
    assert (timed_json["start_date"]["day"], timed_json["start_date"]["hour"]) == (1, 8)


def test_same_slug_in_two_types_gives_unique_entry_ids(tmp_path: Path) -> None:
    event = [{"date": "2024-01-02", "title": "An event"}]
    out = build_ok(write_site(tmp_path / "src", {
        "content/articles/same.md": doc("Article same", "2024-01-01", "x", events=event),
        "content/notes/same.md": doc("Note same", "2024-01-01", "x", events=event),
    }))
    ids = [e["unique_id"] for e in read_json(out, "timeline.json")["events"]]
    assert len(ids) == 4 and len(set(ids)) == 4, ids
    page_ids = [e.get("id") for e in _entries(main_el(html(out, "timeline/")))]
    assert len(set(page_ids)) == 4, page_ids


def test_empty_timeline(tmp_path: Path) -> None:
    out = build_ok(write_site(tmp_path / "src", {"content/pages/about.md": doc("About", None, "x")}))
    assert read_json(out, "timeline.json")["events"] == []
    assert "Nothing is dated yet" in text(main_el(html(out, "timeline/")))
