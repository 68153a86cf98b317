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
    doc, diags = parse_document(PATH, "---\ntitle: “Russia’s move: a “new” phase”\ndate: 2024-12-06\n---\nx\n",
                                DocType.ARTICLE, "a")
    assert doc is None and len(diags) == 1
    assert str(diags[0]).startswith(f"{PATH}:2: front matter: ")
    assert "curly quotes (“ ” ‘ ’) are not YAML quotes" in diags[0].message


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
