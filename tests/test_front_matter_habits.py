"""Front matter as a word processor leaves it: a date typed with en dashes is read (with a
warning), and curly quotes that break YAML are named in the error."""

from __future__ import annotations

from generator.model.document import DocType
from generator.model.frontmatter import parse_document

PATH = "content/articles/a.md"


def test_a_date_written_with_en_dashes_is_read_with_a_warning() -> None:
    doc, diags = parse_document(PATH, "---\ntitle: T\ndate: 2024–12–06\n---\nx\n", DocType.ARTICLE, "a")
    assert doc is not None and doc.when.iso == "2024-12-06"
    assert [str(d) for d in diags] == [f"{PATH}:3: warning: date: '2024–12–06' is written with dashes (–) where "
                                       "hyphens (-) go; read as '2024-12-06'"]


def test_curly_quotes_that_break_the_yaml_are_named_in_the_error() -> None:
    doc, diags = parse_document(PATH, "---\ntitle: T\ndate: 2024-12-06\nactors: “Russia’s: army”\n---\nx\n",
                                DocType.ARTICLE, "a")
    assert doc is None and len(diags) == 1
    assert str(diags[0]).startswith(f"{PATH}:4: front matter: ")
    assert "curly quotes (“ ” ‘ ’) are not YAML quotes" in diags[0].message


def test_a_title_in_curly_quotes_holding_a_colon_is_read_without_them_with_a_warning() -> None:
    doc, diags = parse_document(PATH, "---\ntitle: “Russia’s move: a “new” phase”\ndate: 2024-12-06\n---\nx\n",
                                DocType.ARTICLE, "a")
    assert doc.title == "Russia’s move: a “new” phase"
    assert [d.message for d in diags] == ["'Russia’s move: a “new” phase' holds ': ', which YAML reads as a key; "
                                          "read as the whole line (without the curly quotes around it, which are "
                                          "not YAML quotes) (quote it to say so)"]


def test_names_in_curly_quotes_are_the_names() -> None:
    doc, diags = parse_document(PATH, "---\ntitle: T\ndate: 2024-12-06\ntags: [“air defence”, ‘logistics’, «x»]\n"
                                      "actors: “Russia”\n---\nx\n", DocType.ARTICLE, "a")
    assert diags == [] and doc.tags == ("air defence", "logistics", "x") and doc.actors == ("Russia",)


def test_a_date_written_as_people_write_it_is_read_with_a_warning_and_one_that_reads_two_ways_is_an_error() -> None:
    for written in ("6 Dec 2024", "December 6, 2024", "Dec 6th, 2024", "2024/12/06"):
        doc, diags = parse_document(PATH, f"---\ntitle: T\ndate: {written}\n---\nx\n", DocType.ARTICLE, "a")
        assert doc.when.iso == "2024-12-06" and [d.message for d in diags] == [
            f"{written!r} is read as 2024-12-06; dates are written YYYY-MM-DD"], written
    doc, diags = parse_document(PATH, "---\ntitle: T\ndate: 12/06/2024\n---\nx\n", DocType.ARTICLE, "a")
    assert [str(d) for d in diags] == [f"{PATH}:3: date: '12/06/2024' reads two ways; write 2024-12-06 or "
                                       "2024-06-12 (YYYY-MM-DD)"]


def test_a_dotted_european_date_and_one_with_an_invisible_space_are_read() -> None:
    doc, diags = parse_document(PATH, "---\ntitle: T\ndate: 06.12.2024\n---\nx\n", DocType.ARTICLE, "a")
    assert doc.when.iso == "2024-12-06" and [d.message for d in diags] == [
        "'06.12.2024' is read as day, month, year: 2024-12-06; dates are written YYYY-MM-DD"]
    doc, diags = parse_document(PATH, "---\ntitle: T\ndate: \u200b2024-12-06\n---\nx\n", DocType.ARTICLE, "a")
    assert (doc.when.iso, diags) == ("2024-12-06", [])


def test_a_marking_written_as_a_list_is_its_most_restricted_item() -> None:
    doc, diags = parse_document(PATH, "---\ntitle: T\ndate: 2024-12-06\nmarking: [TLP:RED]\n---\nx\n", DocType.ARTICLE, "a")
    assert (doc.marking, diags) == ("TLP:RED", [])
    doc, diags = parse_document(PATH, "---\ntitle: T\ndate: 2024-12-06\nmarking: [TLP:GREEN, TLP:AMBER]\n---\nx\n",
                                DocType.ARTICLE, "a")
    assert doc.marking == "TLP:AMBER" and [d.message for d in diags] == [
        "several markings; the most restricted, TLP:AMBER, is used"]


def _date(written: str) -> tuple[str | None, list[str]]:
    doc, diags = parse_document(PATH, f"---\ntitle: T\ndate: {written}\n---\nx\n", DocType.ARTICLE, "a")
    return (doc.when.iso if doc is not None and doc.when is not None else None), [str(d) for d in diags]


def test_a_time_zone_written_as_its_abbreviation_is_read_as_its_offset_with_a_warning() -> None:
    assert _date("2024-12-06 10:00 CET") == ("2024-12-06T09:00:00Z", [
        f"{PATH}:3: warning: date: '2024-12-06 10:00 CET' is read in CET (+01:00): 2024-12-06 10:00+01:00; "
        "a zone is written as its offset"])
    assert _date("2024-12-06 10:00:30 EDT")[0] == "2024-12-06T14:00:30Z"
    for utc in ("2024-12-06 10:00 GMT", "2024-12-06T10:00 utc", "2024-12-06 10:00UTC"):
        assert _date(utc) == ("2024-12-06T10:00:00Z", []), utc
    assert _date("2024-12-06T10:00+01") == ("2024-12-06T09:00:00Z", [])  # ISO 8601 offset in hours


def test_a_zone_abbreviation_that_names_several_zones_or_none_is_an_error_asking_for_the_offset() -> None:
    assert _date("2024-12-06 10:00 IST") == (None, [
        f"{PATH}:3: date: '2024-12-06 10:00 IST': IST names several zones (India +05:30, Israel +02:00 or "
        "Ireland +01:00); write the offset, such as 2024-12-06T10:00+05:30"])
    when, diags = _date("2024-12-06 10:00 XYZ")
    assert when is None and diags == [f"{PATH}:3: date: '2024-12-06 10:00 XYZ': 'XYZ' is not a time zone this "
                                      "tool knows; write the offset, such as 2024-12-06T10:00+01:00, or Z for UTC"]


def test_hashtags_after_a_key_yaml_took_for_a_comment_are_read_as_names_or_named_in_a_warning() -> None:
    doc, diags = parse_document(PATH, "---\ntitle: T\ndate: 2024-12-06\ntags: #osint #russia, #Syria\n"
                                      "summary: #1 priority\nactors: # none yet\n---\nx\n", DocType.ARTICLE, "a")
    assert doc.tags == ("osint", "russia", "Syria") and doc.actors == () and doc.summary == ""
    assert [str(d) for d in diags] == [
        f"{PATH}:4: warning: tags: '#osint #russia, #Syria' is a YAML comment after the colon; read as osint, "
        "russia, Syria (write tags: [osint, russia, Syria] to say so)",
        f"{PATH}:5: warning: summary: '#1 priority' is a YAML comment after the colon, so summary is empty; put "
        "the value in quotes: summary: \"#1 priority\""]


def test_a_file_saved_as_utf16_with_its_byte_order_mark_is_read(tmp_path) -> None:
    from conftest import build, make_site, page

    text = "---\ntitle: Café “quotes”\ndate: 2024-12-06\n---\nText – dash.\n"
    site = make_site(tmp_path, {"content/articles/a.md": text.encode("utf-16"),
                                "content/articles/b.md": b"\xfe\xff" + text.replace("Caf", "Big caf").encode("utf-16-be")})
    run = build(site)
    assert run.code == 0, run.text
    assert page(site / "site", "articles/a/").h1 == "Café “quotes”"
    assert page(site / "site", "articles/b/").h1 == "Big café “quotes”"


def test_a_file_saved_as_windows_1252_is_read_with_a_warning_and_another_code_page_is_an_error(tmp_path) -> None:
    from conftest import build, make_site, page

    western = "---\ntitle: Café “quotes”\ndate: 2024-12-06\n---\nIt’s here – at last…\n"
    russian = "---\ntitle: Россия\ndate: 2024-12-06\n---\nТекст.\n"
    site = make_site(tmp_path, {"content/articles/a.md": western.encode("cp1252")})
    run = build(site)
    assert run.code == 0, run.text
    assert "content/articles/a.md:2: warning: file: is not UTF-8 text (byte 0xe9 at offset 14): read as " \
           "Windows-1252, as Notepad saves 'ANSI'; save it as UTF-8" in run.err
    alpha = page(site / "site", "articles/a/")
    assert alpha.h1 == "Café “quotes”" and "It’s here – at last…" in alpha.text
    (site / "content/articles/r.md").write_bytes(russian.encode("cp1251"))
    run = build(site)
    assert run.code == 1 and "content/articles/r.md:2: file: is not UTF-8 text (byte 0xd0 at offset 11); " \
                             "save it as UTF-8" in run.err


def test_a_bluf_or_excerpt_is_the_summary_when_none_is_given() -> None:
    for key in ("BLUF", "bluf", "excerpt", "abstract"):
        doc, diags = parse_document(PATH, f"---\ntitle: T\ndate: 2024-12-06\n{key}: Russia keeps the bases.\n---\nx\n",
                                    DocType.ARTICLE, "a")
        assert (doc.summary, doc.line_of("summary"), diags) == ("Russia keeps the bases.", 4, []), key
    doc, _ = parse_document(PATH, "---\ntitle: T\ndate: 2024-12-06\nsummary: S\nexcerpt: E\n---\nx\n", DocType.ARTICLE, "a")
    assert (doc.summary, doc.meta) == ("S", {"excerpt": "E"})


def test_a_date_with_a_time_as_people_mail_and_rss_write_it_is_read_with_a_warning() -> None:
    cases = {
        "06 December 2024 14:30": ("2024-12-06T14:30:00Z", "2024-12-06 14:30"),
        "December 6, 2024 at 9:05 CET": ("2024-12-06T08:05:00Z", "2024-12-06 09:05 CET"),
        "Fri, 06 Dec 2024 10:00:00 GMT": ("2024-12-06T10:00:00Z", "2024-12-06T10:00:00+00:00"),
        "6 Dec 2024 10:00:00 +0100": ("2024-12-06T09:00:00Z", "2024-12-06T10:00:00+01:00"),
        "2024.12.06": ("2024-12-06", "2024-12-06"),
        "20241206": ("2024-12-06", "2024-12-06"),
        "20241206 10:30": ("2024-12-06T10:30:00Z", "2024-12-06 10:30"),
    }
    for written, (iso, read) in cases.items():
        when, diags = _date(written)
        assert when == iso and diags[0] == f"{PATH}:3: warning: date: {written!r} is read as {read}; dates are " \
                                           "written YYYY-MM-DD", (written, when, diags)
    assert _date("2024-12-06 10:00 UTC+3") == ("2024-12-06T07:00:00Z", [
        f"{PATH}:3: warning: date: '2024-12-06 10:00 UTC+3' is read in UTC+3 (+03:00): 2024-12-06 10:00+03:00; "
        "a zone is written as its offset"])
    assert _date("2024-12-06 10:00 GMT-05:30")[0] == "2024-12-06T15:30:00Z"
    when, diags = _date("2024-12-06 10:00 CET+1")
    assert when is None and "CET+1 is not a zone this tool knows" in diags[0]
    assert _date("Fri, 06 Dec 2024 25:00:00 GMT")[0] is None  # no such hour: an error, not a guess
    assert _date("20241306")[0] is None and _date("2024120")[0] is None


def test_a_title_or_summary_holding_a_colon_or_a_hashtag_is_read_whole_with_a_warning() -> None:
    doc, diags = parse_document(PATH, "---\ntitle: Update: Russia moves #5\ndate: 2024-12-06\n"
                                      "summary: BLUF: the convoy moved north # a note meant as one\n"
                                      "source: Reuters: Moscow bureau\n---\nx\n", DocType.ARTICLE, "a")
    assert doc.title == "Update: Russia moves #5" and doc.summary == "BLUF: the convoy moved north"
    assert [s.name for s in doc.sources] == ["Reuters: Moscow bureau"]
    assert [str(d) for d in diags] == [
        f"{PATH}:2: warning: title: 'Update: Russia moves #5' holds ': ', which YAML reads as a key; read as "
        "the whole line (quote it to say so)",
        f"{PATH}:4: warning: summary: 'BLUF: the convoy moved north' holds ': ', which YAML reads as a key; "
        "read as the whole line (quote it to say so)",
        f"{PATH}:5: warning: source: 'Reuters: Moscow bureau' holds ': ', which YAML reads as a key; read as "
        "the whole line (quote it to say so)"]
    doc, diags = parse_document(PATH, "---\ntitle: Issue #5 of the brief\ndate: 2024-12-06\n---\nx\n",
                                DocType.ARTICLE, "a")
    assert doc.title == "Issue #5 of the brief" and "' #', which YAML reads as a comment" in diags[0].message
    for fine in ('"Quoted: fine"', "Time 10:30 and https://x.org/a", "Convoy # working title"):
        doc, diags = parse_document(PATH, f"---\ntitle: {fine}\ndate: 2024-12-06\n---\nx\n", DocType.ARTICLE, "a")
        assert diags == [] and doc.title in (fine.strip('"'), "Convoy"), fine


def test_front_matter_fences_as_authors_mistype_them_are_read_with_a_warning() -> None:
    from generator.parsing import parse_file

    cases = {
        b"----\ntitle: T\ndate: 2024-12-06\n----\nBody.\n": [(1, "'----' opens"), (4, "'----' closes")],
        b" ---\ntitle: T\ndate: 2024-12-06\n ---\nBody.\n": [(1, "' ---' opens"), (4, "' ---' closes")],
        "\u2014\ntitle: T\ndate: 2024-12-06\n\u2014\nBody.\n".encode(): [(1, "'\u2014' opens"), (4, "'\u2014' closes")],
        b"---\ntitle: T\ndate: 2024-12-06\n\nBody.\n": [(4, "the front matter is never closed")],
    }
    for data, expected in cases.items():
        doc, body, diags = parse_file(PATH, data, "article", "a", "UTC")
        assert doc.title == "T" and body.html == "<p>Body.</p>", data
        assert [(d.line, d.message.split(" the front matter;")[0][:len(m)]) for d, (_, m) in zip(diags, expected,
                                                                                               strict=True)] \
            == expected and all(not d.is_error for d in diags), (data, [str(d) for d in diags])
    for unclear in (b"---\ntitle: T\n\ndate: 2024-12-06\n", b"---\ntitle: T\ndate: 2024-12-06\n\n- item\n",
                    b"----\n\nJust a rule.\n"):
        doc, _, diags = parse_file(PATH, unclear, "article", "a", "UTC")
        assert doc is None and diags[0].is_error and diags[0].field == "front matter", unclear


def test_names_pasted_with_non_breaking_or_zero_width_spaces_are_the_names_as_typed() -> None:
    doc, diags = parse_document(PATH, "---\ntitle: T\ndate: 2024-12-06\n"
                                      "tags: [air\u00a0defence, \"air  defence\", \u200blogistics]\n"
                                      "actors: [Russia\u00a0]\nlocation: [\"Hama\u00a0city\", {name: \"Tartus\u00a0port\"}]\n"
                                      "---\nx\n", DocType.ARTICLE, "a")
    assert diags == []
    assert doc.tags == ("air defence", "logistics") and doc.actors == ("Russia",)
    assert [loc.name for loc in doc.locations] == ["Hama city", "Tartus port"]
