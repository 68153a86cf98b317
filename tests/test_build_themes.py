"""End-to-end builds with themes: front matter escaped on every page and in the feed, strict
templates failing with file and line, the lookup order of site, local and default theme
templates, and static files."""

from __future__ import annotations

import os
import re
from xml.etree import ElementTree

from conftest import BASIC_SITE, Html, build, build_ok, make_site, page, text_of

ARTICLE_URL = "articles/russia-moves-air-defence-to-hmeimim/"


# -- themes: escaping ---------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
HOSTILE_ARTICLE = f"""\
---
title: "{SCRIPT} title"
date: 2024-12-06
summary: "{IMG} summary"
tags: ["{SCRIPT}tag"]
actors: ["{IMG}actor"]
location: "{SCRIPT}place"
confidence: low
source:
  name: "{SCRIPT} wire"
  url: https://example.com/?a=1&b=2
events:
  - date: 2024-12-01
    title: "{SCRIPT} event"
---
Body.
"""


def _assert_inert(html: Html) -> None:
    for script in html.all("script"):
        assert "alert" not in "".join(script.itertext()) and "alert" not in (script.get("src") or ""), html.path
    for el in html.root.iter():
        if isinstance(el.tag, str):
            assert not any(name.startswith("on") for name in el.keys()), (html.path, el.tag, el.attrib)
    assert not html.all("img", src="x"), html.path


def test_front_matter_text_is_escaped_on_every_page(tmp_path):
    site = make_site(tmp_path, {"briefing.yaml": f'title: "{SCRIPT} site"\ndescription: "{IMG}"\n'
                                                 "base_url: https://example.org/\n",
                                "content/articles/hostile.md": HOSTILE_ARTICLE})
    out = build_ok(site)
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        _assert_inert(Html.load(path))
    article = page(out, "articles/hostile/")
    assert article.h1 == f"{SCRIPT} title"  # shown as text, not dropped
    assert f"{SCRIPT} wire" in article.text
    assert f"{IMG}actor" in article.text
    term_pages = [p for p in pages if p.parent.parent.name in ("tags", "actors", "locations")]
    assert len(term_pages) == 3
    assert f"{SCRIPT}tag" in page(out, "tags/").text
    assert f"{SCRIPT} title" in page(out, "").text
    assert f"{SCRIPT} event" in page(out, "timeline/").text


def test_front_matter_text_is_escaped_in_the_feed(tmp_path):
    site = make_site(tmp_path, {"briefing.yaml": f'title: "{SCRIPT} site"\nbase_url: https://example.org/\n',
                                "content/articles/hostile.md": HOSTILE_ARTICLE})
    out = build_ok(site)
    root = ElementTree.parse(out / "feed.xml").getroot()  # parses: nothing broke the XML
    atom = "{http://www.w3.org/2005/Atom}"
    assert root.find(f"{atom}title").text == f"{SCRIPT} site"
    entry = root.find(f"{atom}entry")
    assert entry.find(f"{atom}title").text == f"{SCRIPT} title"
    assert entry.find(f"{atom}summary").text == f"{IMG} summary"
    assert f"{SCRIPT}tag" in [c.get("term") for c in entry.findall(f"{atom}category")]


# -- themes: strict templates, lookup order, static --------------------------------------------

def test_undefined_variable_fails_the_build_with_the_templates_file_and_line(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE, "templates/article.html":
                                '{% extends "document.html" %}\n{% block content %}\n\n{{ page.no_such_field }}\n'
                                "{% endblock %}\n"})
    result = build(site)
    assert result.code == 1
    assert "Traceback" not in result.text
    line = next(x for x in result.err.splitlines() if "no_such_field" in x)
    assert re.search(r"templates/article\.html:4: template: ", line), line
    assert not (site / "site").exists()


def test_template_syntax_error_fails_the_build_with_file_and_line(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE, "templates/note.html":
                                '{% extends "document.html" %}\n{% block content %}\n{% if %}\n{% endblock %}\n'})
    result = build(site)
    assert result.code == 1
    assert "Traceback" not in result.text
    assert re.search(r"templates/note\.html:3: template: ", result.err), result.err


def test_site_template_overrides_one_theme_template(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE, "templates/404.html":
                                "<!DOCTYPE html><title>Lost</title><h1 id=custom>Site's own 404 for {{ site.title }}</h1>"})
    out = build_ok(site)
    html = Html.load(out / "404.html")
    assert html.one("h1", id="custom").text == "Site's own 404 for Test Brief"
    assert page(out, ARTICLE_URL).h1 == "Russia moves air defence to Hmeimim"  # others from the theme


def test_site_template_can_extend_the_default_theme_template(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE, "templates/page.html":
                                '{% extends "default/page.html" %}'
                                '{% block content %}<div id="wrapped">{{ super() }}</div>{% endblock %}'})
    out = build_ok(site)
    html = page(out, "about/")
    assert "An example briefing." in text_of(html.one("div", id="wrapped"))


def test_site_base_template_can_extend_the_default_base(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE, "templates/base.html":
                                '{% extends "default/base.html" %}'
                                '{% block head %}{{ super() }}<meta name="x-site" content="own">{% endblock %}'})
    out = build_ok(site)
    # the home and index templates do not override the head block, so the site's base shows
    for url in ("", "tags/"):
        assert page(out, url).one("meta", name="x-site").get("content") == "own"
    assert page(out, ARTICLE_URL).h1  # pages still render through the chain


def test_local_theme_chosen_in_config_falls_back_to_the_default(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE,
                                "briefing.yaml": "title: Test Brief\ntheme: mine\n",
                                "themes/mine/templates/page.html":
                                '{% extends "base.html" %}{% block content %}<p id="mine">{{ page.title }}</p>{% endblock %}',
                                "themes/mine/static/extra.txt": "from my theme"})
    out = build_ok(site)
    assert text_of(page(out, "about/").one("p", id="mine")) == "About this briefing"
    assert page(out, ARTICLE_URL).h1  # article.html from the default theme
    assert (out / "static/extra.txt").read_text() == "from my theme"


def test_theme_static_is_copied_and_site_static_overrides_it(tmp_path):
    site = make_site(tmp_path, {**BASIC_SITE, "static/style.css": "body { color: rebeccapurple }\n",
                                "static/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"})
    out = build_ok(site)
    sheets = page(out, "").stylesheets()
    style = next(h for h in sheets if "/style" in h)
    assert (out / style.lstrip("/")).read_text() == "body { color: rebeccapurple }\n"
    pygments = next(h for h in sheets if "/pygments" in h)
    assert ".highlight" in (out / pygments.lstrip("/")).read_text()  # the theme's, still copied
    assert (out / "static/logo.svg").is_file()


def test_a_template_edited_between_builds_of_one_process_shows_its_new_text(tmp_path):
    """Compiled templates are kept for the life of the process; an edit of the same size with
    its old timestamp restored, built with and without the cache, still shows."""
    site = make_site(tmp_path, {**BASIC_SITE, "templates/404.html":
                                "<!DOCTYPE html><title>Lost</title><h1 id=custom>First</h1>"})
    template = site / "templates" / "404.html"
    stamp = template.stat().st_mtime_ns
    for args, word in (((), "First"), (("--no-cache",), "Lower"), ((), "Upper")):
        template.write_text(f"<!DOCTYPE html><title>Lost</title><h1 id=custom>{word}</h1>", encoding="utf-8")
        os.utime(template, ns=(stamp, stamp))
        out = build_ok(site, *args)
        assert Html.load(out / "404.html").one("h1", id="custom").text == word
