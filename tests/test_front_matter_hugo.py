"""Front matter as Hugo also reads it: TOML between ``+++`` lines and a JSON object opening the
file are read into the same fields as YAML (Hugo's ``[params]`` among them), with the same
checks at the lines they were written on; ``lastmod`` and Pelican's ``Modified`` are ``updated``,
and ``categories`` are tags."""

from __future__ import annotations

from pathlib import Path

from conftest import build, make_site, page

from generator.model.document import DocType
from generator.model.frontmatter import parse_document

PATH = "content/articles/a.md"

TOML = """+++
title = "Alpha from Hugo"
date = 2024-12-06T10:00:00Z
lastmod = 2024-12-07
tags = ["air defence", "logistics"]
draft = false
aliases = ["/posts/alpha-old/"]

[params]
confidence = "moderate"
actors = ["Russia"]
tags = ["ignored: the top one wins"]

[[sources]]
name = "Defence Blog"
grade = "C3"
+++
Body text.
"""

JSON = """{
  "title": "Bravo",
  "date": "2024-12-05",
  "tags": ["x"],
  "params": {"confidence": "high"}
}

Body B.
"""


def test_toml_front_matter_gives_the_fields_yaml_would_with_hugos_params() -> None:
    doc, diags = parse_document(PATH, TOML, DocType.ARTICLE, "a")
    assert diags == [] and doc is not None
    assert (doc.title, doc.when.iso, doc.updated.iso) == ("Alpha from Hugo", "2024-12-06T10:00:00Z", "2024-12-07")
    assert (doc.tags, doc.actors, doc.confidence) == (("air defence", "logistics"), ("Russia",), "moderate")
    assert [(s.name, s.grading) for s in doc.sources] == [("Defence Blog", "C3")]
    assert doc.moved_from == ("posts/alpha-old/index.html",)
    assert (doc.body, doc.body_line) == ("Body text.\n", 18)


def test_json_front_matter_gives_the_fields_yaml_would() -> None:
    doc, diags = parse_document(PATH, JSON, DocType.ARTICLE, "a")
    assert diags == [] and doc is not None
    assert (doc.title, doc.when.iso, doc.tags, doc.confidence) == ("Bravo", "2024-12-05", ("x",), "high")
    assert doc.body.strip() == "Body B."


def test_a_mistake_in_toml_or_json_is_reported_at_its_line() -> None:
    _, diags = parse_document(PATH, '+++\ntitle = "A"\ndate = 2024-12-06\nconfidence = "sure"\n+++\nx\n',
                              DocType.ARTICLE, "a")
    assert [(d.line, d.field) for d in diags] == [(4, "confidence")]
    _, diags = parse_document(PATH, '+++\ntitle = "A\n+++\nx\n', DocType.ARTICLE, "a")
    assert [str(d) for d in diags] == [f"{PATH}:2: front matter: TOML front matter: Illegal character '\\n'"]
    _, diags = parse_document(PATH, '+++\ntitle = "A"\nnever closed\n', DocType.ARTICLE, "a")
    assert [(d.line, d.field) for d in diags] == [(1, "front matter")] and "never closed" in diags[0].message
    _, diags = parse_document(PATH, '{\n  "title": "A",\n  "date": 2024\n  "x": 1\n}\nx\n', DocType.ARTICLE, "a")
    assert [(d.line, d.field) for d in diags] == [(4, "front matter")] and "JSON" in diags[0].message


def test_pelicans_modified_is_when_it_last_changed() -> None:
    doc, diags = parse_document(PATH, "Title: A\nDate: 2024-12-06\nModified: 2024-12-08\n\nBody.\n",
                                DocType.ARTICLE, "a")
    assert diags == [] and doc.updated.iso == "2024-12-08"


def test_a_site_written_for_hugo_builds_with_its_drafts_held_back(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "content/articles/a.md": TOML,
        "content/articles/b.md": JSON,
        "content/articles/d.md": '+++\ntitle = "Draft"\ndate = 2024-12-06\ndraft = true\n+++\nSecret.\n',
    })
    run = build(site)
    assert run.code == 0 and ": warning:" not in run.err, run.text
    out = site / "site"
    alpha = page(out, "articles/a/")
    assert alpha.h1 == "Alpha from Hugo" and "/actors/russia/" in alpha.hrefs()
    assert (out / "posts/alpha-old/index.html").is_file() and not (out / "articles/d").exists()


def test_hugos_and_jekylls_categories_and_pelicans_category_are_tags_each_with_its_page(tmp_path: Path) -> None:
    doc, diags = parse_document(PATH, "---\ntitle: A\ndate: 2024-12-06\ntags: [osint, Syria]\n"
                                      "categories: [Analysis, syria]\n---\nBody.\n", DocType.ARTICLE, "a")
    assert diags == [] and doc.tags == ("osint", "Syria", "Analysis")
    doc, diags = parse_document(PATH, "Title: B\nDate: 2024-12-06\nCategory: Logistics\n\nBody.\n",
                                DocType.ARTICLE, "b")
    assert diags == [] and doc.tags == ("Logistics",)
    site = make_site(tmp_path, {"content/articles/a.md": '+++\ntitle = "A"\ndate = 2024-12-06\n'
                                                         'categories = ["Analysis"]\n+++\nBody.\n'})
    run = build(site)
    assert run.code == 0 and ": warning:" not in run.err, run.text
    assert "/articles/a/" in page(site / "site", "tags/analysis/").hrefs()


def test_estimative_words_in_toml_values_are_warned_at_their_line_and_column() -> None:
    from generator.parsing import parse_file
    from generator.tradecraft.scales import ICD203

    text = ('+++\ntitle = "Echo"\ndate = 2024-12-06\nkey_judgments = [\n  "Withdrawal is highly likely.",\n]\n'
            'summary = "It will maybe stay."\n+++\nBody.\n')
    _, _, diags = parse_file(PATH, text.encode(), "article", "a", "UTC", ICD203)
    assert sorted((d.line, d.column, d.field) for d in diags) == [(5, 18, "key_judgments[1].text"), (7, 20, "summary")]


def test_toml_front_matter_is_read_in_time_linear_in_its_size() -> None:
    from lineartime import assert_linear

    from generator.model.foreignfront import parse_toml

    def made(n: int) -> str:
        return ("tags = [" + ", ".join(f'"t\\u0041{i}"' for i in range(n)) + "]\n"
                + "actors = [\n" + "".join(f'  "a{i}",\n' for i in range(n)) + "]\n")
    assert_linear(made, lambda text: parse_toml(text, 2), 2_000)


def test_hugos_list_page_texts_are_left_out_with_a_warning_and_bundles_still_read(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "content/_index.md": "---\ntitle: Home intro\n---\nWelcome.\n",
        "content/articles/_index.md": "---\ntitle: All articles\n---\nIntro.\n",
        "content/articles/x/_index.md": "---\ntitle: Bundle\ndate: 2024-12-06\n---\nA bundle.\n",
    })
    run = build(site)
    assert run.code == 0, run.text
    assert [line.split(" is not read")[0] for line in run.err.splitlines() if "warning: file:" in line] == [
        "content/_index.md:1: warning: file: Hugo's text for the list at /",
        "content/articles/_index.md:1: warning: file: Hugo's text for the list at /articles/"]
    out = site / "site"
    assert page(out, "articles/x/").h1 == "Bundle"
    assert not (out / "_index").exists() and not [p for p in out.rglob("*") if "Welcome" in p.name]
    assert b"Intro." not in b"".join(p.read_bytes() for p in out.rglob("*.html"))


def test_posts_kept_in_hugos_or_a_blogs_folder_are_articles_with_a_note_and_other_folders_plain_pages(
        tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "content/posts/p.md": "---\ntitle: Post\ndate: 2024-12-05\ntags: [osint]\n---\nText.\n",
        "content/Blog/b.md": "---\ntitle: Blog\ndate: 2024-12-04\n---\nText.\n",
        "content/reports/r.md": "---\ntitle: Report\ndate: 2024-12-03\n---\nText.\n",
    })
    run = build(site)
    assert run.code == 0, run.text
    warned = sorted(line.split(": warning: file: ")[0] for line in run.err.splitlines() if ": warning: file: " in line)
    assert warned == ["content/Blog/b.md:1", "content/posts/p.md:1", "content/reports/r.md:1"]
    assert "built as an article" in run.err and "built as a plain page" in run.err
    out = site / "site"
    assert page(out, "articles/p/").h1 == "Post" and page(out, "articles/b/").h1 == "Blog"
    assert page(out, "r/").h1 == "Report"
    assert "/articles/p/" in page(out, "timeline/").hrefs()
