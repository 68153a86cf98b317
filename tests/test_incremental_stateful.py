"""The stateful oracle: random sites through random edit sequences equal clean builds, byte for byte.

A Hypothesis rule-based state machine keeps a model of a small site (articles, notes, actor and
location pages with aliases and bodies that link documents, plain pages that link documents,
static files, settings) whose every page template is overridden by one that dumps the whole
view it receives, ``page`` and ``site`` (``viewdump.py``): a page kept when anything it could
show changed is caught. The rules edit a document's body, links, title, slug, file name, date
(and time of day), draft flag, tags, actors and locations (new names, and the same ones
written another way), about/related, events, marking, confidence and summary, or delete and
restore it; a term page's aliases, body links, summary, coordinates and title, or delete and
restore it; a plain page's links and title, a second plain page; the template overrides
(edited, removed, restored), static files (fingerprinted names), and settings (title,
``params``, ``base_url``, time zone, related limit); one edits two documents at once. Each
rule edits the model and writes the files it changed; after every step a running
:class:`Builder` (kept across steps, told which files changed, as ``serve`` does) must leave
exactly what a clean build of the same sources writes. Every other step a new one-shot builder
with the same cache folder, building into an output folder it last built some edits ago (what
``briefing build`` run again does), must do the same: it carries on from the state the last
complete build saved (``generator/resume.py``) whenever the edits since allow it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import viewdump
from conftest import make_site
from hypothesis import HealthCheck, Phase, seed, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from generator.build import Builder
from generator.verify import compare_folders

#: The documents of the model: identity -> folder (identities stay, files and slugs move).
KINDS = {"alpha": "articles", "bravo": "articles", "charlie": "articles", "delta": "notes", "echo": "notes"}
NAMES = list(KINDS)
TERMS = {"russia": "actors", "aden": "locations"}
TAGS = ["air defence", "logistics", "Logistics", "ports"]
ACTORS = ["Russia", "Russian Federation", "Wagner Group", "wagner group", "Moscow"]
PLACES = ["Aden", "Port of Aden", "port of aden", "Basra"]
TERM_TITLES = {"russia": ["Russia", "Russian state"], "aden": ["Aden", "Aden port"]}
ALIASES = ["Russian Federation", "Moscow", "RU", "Port of Aden", "Adan"]
MARKINGS = [None, "TLP:CLEAR", "TLP:AMBER", "TLP:RED"]
CONFIDENCE = [None, "low", "moderate", "high"]
DATES = ["2024-01-05", "2024-03-17T01:15:00+02:00", "2024-06-30T23:30:00Z", "2025-02-11", "2023-11-02"]
WORDS = ["convoy", "airlift", "radar", "harbour", "ferry", "launcher"]

#: Every page template and the card partial overridden to show all they receive.
OVERRIDES = viewdump.OVERRIDES


def _list(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


class Site:
    """The model of the site: what each source file holds, written out on demand."""

    def __init__(self, root: Path):
        self.root = root
        self.docs = {name: {"stem": name, "title": f"{name.title()} {WORDS[i]}", "slug": None,
                            "date": DATES[i], "draft": False, "tags": [TAGS[i % 2]],
                            "actors": ["Russia"] + (["Wagner Group"] if i == 2 else []) if i % 2 == 0 else [],
                            "locations": ["Aden"] if i == 1 else ["Basra"] if i == 3 else [],
                            "about": ["alpha"] if KINDS[name] == "notes" else [],
                            "related": ["charlie"] if name == "delta" else [],
                            "events": ["Russian Federation"] if name == "bravo" else None,
                            "marking": None, "confidence": CONFIDENCE[i % 4], "summary": None,
                            "body": f"The {WORDS[i]} was seen." + (" See [[alpha]]." if name == "echo" else "")}
                     for i, name in enumerate(NAMES)}
        self.terms = {"russia": {"aliases": ["Russian Federation"], "body": "See [[alpha]] for the convoy.",
                                 "summary": None, "coords": False, "title": "Russia", "present": True},
                      "aden": {"aliases": [], "body": "A port.", "summary": None, "coords": True, "title": "Aden",
                               "present": True}}
        self.page_body = "About this briefing; start with [[bravo]]."
        self.page_title = "About"
        self.second_page = False
        self.config = {"title": "Oracle", "motto": "first", "base_url": "https://example.org/",
                       "timezone": "UTC", "related_limit": 5}

    # -- files ------------------------------------------------------------------------
    def doc_file(self, name: str) -> Path:
        return self.root / "content" / KINDS[name] / f"{self.docs[name]['stem']}.md"

    def write_doc(self, name: str) -> Path:
        d = self.docs[name]
        front = [f"title: {d['title']}", f"date: {d['date']}"]
        if d["slug"]:
            front.append(f"slug: {d['slug']}")
        if d["draft"]:
            front.append("draft: true")
        front += [f"tags: {_list(d['tags'])}", f"actors: {_list(d['actors'])}", f"location: {_list(d['locations'])}"]
        if d["about"]:
            front.append(f"about: {_list(d['about'])}")
        if d["related"]:
            front.append(f"related: {_list(d['related'])}")
        if d["confidence"]:
            front.append(f"confidence: {d['confidence']}")
        if d["marking"]:
            front.append(f"marking: {d['marking']}")
        if d["summary"]:
            front.append(f"summary: {d['summary']}")
        if d["events"] is not None:
            front.append(f"events:\n  - date: 2024-02-02T22:00:00Z\n    title: A clash\n    actors: {_list(d['events'])}\n"
                         "    location: Aden")
        path = self.doc_file(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("---\n" + "\n".join(front) + "\n---\n" + d["body"] + "\n")
        return path

    def write_term(self, name: str) -> Path:
        t = self.terms[name]
        path = self.root / "content" / TERMS[name] / f"{name}.md"
        if not t["present"]:
            path.unlink(missing_ok=True)
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        extra = (f"summary: {t['summary']}\n" if t["summary"] else "") + ("lat: 12.8\nlon: 45.0\n" if t["coords"] else "")
        path.write_text(f"---\ntitle: {t['title']}\naliases: {_list(t['aliases'])}\n{extra}---\n{t['body']}\n")
        return path

    def write_page(self) -> Path:
        path = self.root / "content" / "pages" / "about.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\ntitle: {self.page_title}\n---\n{self.page_body}\n")
        return path

    def write_second_page(self) -> Path:
        path = self.root / "content" / "pages" / "method.md"
        if self.second_page:
            path.write_text("---\ntitle: Method\n---\nHow we work; see [[echo]] and [[aden]].\n")
        else:
            path.unlink(missing_ok=True)
        return path

    def write_config(self) -> Path:
        path = self.root / "briefing.yaml"
        c = self.config
        path.write_text(f"title: {c['title']}\nbase_url: {c['base_url']}\ntimezone: {c['timezone']}\n"
                        f"related_limit: {c['related_limit']}\nfingerprint_assets: true\n"
                        f"params:\n  motto: {c['motto']}\n")
        return path

    def write_all(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.write_config()
        for name in NAMES:
            self.write_doc(name)
        for name in TERMS:
            self.write_term(name)
        self.write_page()
        templates = self.root / "templates"
        templates.mkdir(parents=True, exist_ok=True)
        for name, text in OVERRIDES.items():
            (templates / name).parent.mkdir(parents=True, exist_ok=True)
            (templates / name).write_text(text)
        (self.root / "static").mkdir(exist_ok=True)
        (self.root / "static" / "note.txt").write_text("static one\n")
        (self.root / "static" / "extra.css").write_text("p { margin: 0; }\n")


def _clean_build(site: Path, out: Path) -> tuple[bool, list[str]]:
    if out.exists():
        shutil.rmtree(out)
    builder = Builder(site, out, use_cache=False, jobs=1, one_shot=True)  # as ``briefing build --no-cache``
    try:
        with viewdump.compiled_once():
            result = builder.build()
    finally:
        builder.close()
    return result.ok, sorted(str(d) for d in result.errors)


docs = st.sampled_from(NAMES)
terms = st.sampled_from(list(TERMS))
words = st.sampled_from(WORDS)


class IncrementalSite(RuleBasedStateMachine):
    """Edits a small site and checks every incremental build against a clean one."""

    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="briefing-stateful-", dir=viewdump.MEMORY))
        self.site = Site(self.tmp / "site")
        self.out = self.tmp / "out"
        self.clean = self.tmp / "clean"
        self.cli_out = self.tmp / "cli"
        self.builder: Builder | None = None
        self.changed: set[Path] = set()
        self.steps = 0
        self.log: list[str] = []

    #: How many new-process builds carried on from the saved state (True) or did not (False).
    resumed: Counter[bool] = Counter()

    @initialize()
    def first_build(self) -> None:
        self.site.write_all()
        self.builder = Builder(self.site.root, self.out, atomic_swap=False, jobs=1)
        assert self.builder.build().ok
        first = Builder(self.site.root, self.cli_out, jobs=1, one_shot=True)
        assert first.build().ok
        first.close()

    def teardown(self) -> None:
        if self.builder is not None:
            self.builder.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _touch(self, *paths: Path) -> None:
        self.changed.update(paths)

    # -- documents --------------------------------------------------------------------
    @rule(name=docs, word=words)
    def edit_body(self, name: str, word: str) -> None:
        self.site.docs[name]["body"] += f" The {word} moved."
        self._touch(self.site.write_doc(name))

    def _file_link(self, ref: str, start: str) -> str:
        """``[...](<start>/<folder>/<file>.md)`` to a file as named now (a later rename breaks it)."""
        name, _, anchor = ref.removeprefix("file:").partition("#")
        where = f"{KINDS[name]}/{self.site.docs[name]['stem']}.md" if name in KINDS else f"{TERMS[name]}/{name}.md"
        return f"[the {name} file]({start}/{where}{'#' + anchor if anchor else ''})"

    @rule(name=docs, refs=st.lists(st.sampled_from([*NAMES, "russia", "aden", "Russian Federation", "alpha#seen",
                                                    "file:alpha", "file:bravo#seen", "file:russia"]),
                                   max_size=3), heading=st.booleans(), pelican=st.booleans())
    def body_links(self, name: str, refs: list[str], heading: bool, pelican: bool) -> None:
        links = " ".join(f"See {self._file_link(t, '{filename}' if pelican else '..')}." if t.startswith("file:")
                         else f"See [[{t}]]." for t in refs if t != name)
        self.site.docs[name]["body"] = ("## Seen\n\n" if heading else "") + f"The {name} report. {links}"
        self._touch(self.site.write_doc(name))

    @rule(name=docs, word=words)
    def edit_title(self, name: str, word: str) -> None:
        self.site.docs[name]["title"] = f"{name.title()} {word}"
        self._touch(self.site.write_doc(name))

    @rule(name=docs, slug=st.sampled_from([None, "moved", "elsewhere"]))
    def change_slug(self, name: str, slug: str | None) -> None:
        self.site.docs[name]["slug"] = f"{name}-{slug}" if slug else None
        self._touch(self.site.write_doc(name))

    @rule(name=docs, stem=st.sampled_from(["", "-renamed", "-2"]))
    def rename_file(self, name: str, stem: str) -> None:
        old = self.site.doc_file(name)
        self.site.docs[name]["stem"] = name + stem
        new = self.site.doc_file(name)
        if new != old and old.exists():
            old.rename(new)
        self._touch(old, self.site.write_doc(name))

    @rule(name=docs, date=st.sampled_from(DATES))
    def change_date(self, name: str, date: str) -> None:
        self.site.docs[name]["date"] = date
        self._touch(self.site.write_doc(name))

    @rule(name=docs)
    def toggle_draft(self, name: str) -> None:
        self.site.docs[name]["draft"] = not self.site.docs[name]["draft"]
        self._touch(self.site.write_doc(name))

    @rule(name=docs)
    def delete_or_restore_file(self, name: str) -> None:
        path = self.site.doc_file(name)
        if path.exists():
            path.unlink()
            self._touch(path)
        else:
            self._touch(self.site.write_doc(name))

    @rule(name=docs, key=st.sampled_from(["tags", "actors", "locations"]), data=st.data())
    def change_terms(self, name: str, key: str, data: st.DataObject) -> None:
        choices = {"tags": TAGS, "actors": ACTORS, "locations": PLACES}[key]
        self.site.docs[name][key] = data.draw(st.lists(st.sampled_from(choices), max_size=2, unique=True))
        self._touch(self.site.write_doc(name))

    @rule(first=docs, second=docs, key=st.sampled_from(["tags", "actors", "locations"]), data=st.data(),
          date=st.sampled_from(DATES))
    def edit_two_at_once(self, first: str, second: str, key: str, data: st.DataObject, date: str) -> None:
        # Saved together: one rebuild told of both files.
        self.change_terms(first, key, data)
        self.change_date(second, date)

    @rule(name=docs, data=st.data())
    def respell_terms(self, name: str, data: st.DataObject) -> None:
        # The same terms written another way: a term's shown name and spellings can change.
        doc = self.site.docs[name]
        key = data.draw(st.sampled_from([k for k in ("tags", "actors", "locations") if doc[k]] or ["tags"]))
        doc[key] = [t.lower() if t != t.lower() else t.title() for t in doc[key]]
        self._touch(self.site.write_doc(name))

    @rule(name=docs, key=st.sampled_from(["about", "related"]), refs=st.lists(
        st.sampled_from([*NAMES, "russia", "alpha-moved"]), max_size=2, unique=True))
    def change_about_related(self, name: str, key: str, refs: list[str]) -> None:
        self.site.docs[name][key] = [t for t in refs if t != name]
        self._touch(self.site.write_doc(name))

    @rule(name=docs, actors=st.none() | st.lists(st.sampled_from(ACTORS), max_size=2, unique=True))
    def set_events(self, name: str, actors: list[str] | None) -> None:
        self.site.docs[name]["events"] = actors
        self._touch(self.site.write_doc(name))

    @rule(name=docs, marking=st.sampled_from(MARKINGS), confidence=st.sampled_from(CONFIDENCE))
    def change_marking(self, name: str, marking: str | None, confidence: str | None) -> None:
        self.site.docs[name]["marking"] = marking
        self.site.docs[name]["confidence"] = confidence
        self._touch(self.site.write_doc(name))

    @rule(name=docs, word=st.sampled_from([None, *WORDS]))
    def change_summary(self, name: str, word: str | None) -> None:
        self.site.docs[name]["summary"] = f"Summary of the {word}." if word else None
        self._touch(self.site.write_doc(name))

    # -- term pages and the plain page ------------------------------------------------
    @rule(term=terms, alias=st.sampled_from(ALIASES))
    def toggle_alias(self, term: str, alias: str) -> None:
        aliases = self.site.terms[term]["aliases"]
        if alias in aliases:
            aliases.remove(alias)
        else:
            aliases.append(alias)
        self._touch(self.site.write_term(term))

    @rule(term=terms, refs=st.lists(st.sampled_from([*NAMES, "aden", "russia", "missing", "file:charlie"]), max_size=3))
    def term_body_links(self, term: str, refs: list[str]) -> None:
        self.site.terms[term]["body"] = "See " + " and ".join(
            self._file_link(t, "..") if t.startswith("file:") else f"[[{t}]]" for t in refs) + "."
        self._touch(self.site.write_term(term))

    @rule(term=terms, word=st.sampled_from([None, *WORDS]), coords=st.booleans())
    def term_facts(self, term: str, word: str | None, coords: bool) -> None:
        self.site.terms[term]["summary"] = f"Known for the {word}." if word else None
        self.site.terms[term]["coords"] = coords
        self._touch(self.site.write_term(term))

    @rule(term=terms, data=st.data())
    def term_title(self, term: str, data: st.DataObject) -> None:
        self.site.terms[term]["title"] = data.draw(st.sampled_from(TERM_TITLES[term]))
        self._touch(self.site.write_term(term))

    @rule(term=terms)
    def delete_or_restore_term_page(self, term: str) -> None:
        self.site.terms[term]["present"] = not self.site.terms[term]["present"]
        self._touch(self.site.write_term(term))

    @rule(refs=st.lists(st.sampled_from([*NAMES, "russia"]), max_size=3),
          title=st.sampled_from(["About", "About us"]))
    def page_links(self, refs: list[str], title: str) -> None:
        self.site.page_body = "Read " + ", ".join(f"[[{t}]]" for t in refs) + "."
        self.site.page_title = title
        self._touch(self.site.write_page())

    @rule()
    def toggle_second_page(self) -> None:
        self.site.second_page = not self.site.second_page
        self._touch(self.site.write_second_page())

    # -- templates, static files, settings --------------------------------------------
    @rule(name=st.sampled_from(sorted(OVERRIDES)), present=st.booleans(), word=words)
    def template_override(self, name: str, present: bool, word: str) -> None:
        path = self.site.root / "templates" / name
        if present or name == "partials/dump.html":  # every other override imports it
            path.write_text(viewdump.marked(OVERRIDES[name], word))
        elif path.exists():
            path.unlink()
        self._touch(path)

    @rule(name=st.sampled_from(["note.txt", "extra.css", "style.css"]), text=st.sampled_from(["", "a", "b\n"]),
          remove=st.booleans())
    def static_file(self, name: str, text: str, remove: bool) -> None:
        path = self.site.root / "static" / name
        if remove:
            path.unlink(missing_ok=True)
        else:
            path.write_text(text)
        self._touch(path)

    @rule(title=st.sampled_from(["Oracle", "Oracle two"]), motto=st.sampled_from(["first", "second", "third"]),
          base_url=st.sampled_from(["https://example.org/", "https://example.org/brief/", "/"]),
          timezone=st.sampled_from(["UTC", "Asia/Tokyo", "America/New_York"]), related_limit=st.sampled_from([5, 1]))
    def edit_config(self, title: str, motto: str, base_url: str, timezone: str, related_limit: int) -> None:
        self.site.config = {"title": title, "motto": motto, "base_url": base_url, "timezone": timezone,
                            "related_limit": related_limit}
        self._touch(self.site.write_config())

    # -- the check --------------------------------------------------------------------
    @invariant()
    def output_equals_a_clean_build(self) -> None:
        if self.builder is None:
            return
        changed, self.changed = self.changed, set()
        self.steps += 1
        result = self.builder.build(changed=changed)
        ok, errors = _clean_build(self.site.root, self.clean)
        assert result.ok == ok, (sorted(str(d) for d in result.errors), errors)
        if ok:
            assert compare_folders(self.clean, self.out) == [], "running builder"
        if self.steps % 2 == 0:
            # ``briefing build`` run again: a new builder with state from the cache only, into
            # an output folder that last saw the site some edits ago. It carries on from the
            # state the last complete build saved (generator/resume.py) unless the edits since
            # rule that out (a file added or removed, templates or settings changed...).
            again = Builder(self.site.root, self.cli_out, jobs=1, one_shot=True)
            try:
                result = again.build()
            finally:
                again.close()
            IncrementalSite.resumed[result.resumed] += 1
            assert result.ok == ok
            if ok:
                assert compare_folders(self.clean, self.cli_out) == [], "new builder with the cache"


#: Bounded for the default suite. BRIEFING_ORACLE_EXAMPLES / _STEPS search longer, _SEED elsewhere,
#: _SHRINK=1 shrinks a failure (minutes) before it becomes a named regression test below.
_EXAMPLES = int(os.environ.get("BRIEFING_ORACLE_EXAMPLES", "20"))
_SEED = os.environ.get("BRIEFING_ORACLE_SEED")
_STEPS = int(os.environ.get("BRIEFING_ORACLE_STEPS", "12"))
_PHASES = [Phase.explicit, Phase.generate, *([Phase.shrink] if os.environ.get("BRIEFING_ORACLE_SHRINK") else [])]
IncrementalSite.TestCase.settings = settings(
    max_examples=_EXAMPLES, stateful_step_count=_STEPS, deadline=None, derandomize=_SEED is None, database=None,
    suppress_health_check=list(HealthCheck), phases=_PHASES)
if _SEED is not None:
    IncrementalSite.TestCase = seed(int(_SEED))(IncrementalSite.TestCase)
test_incremental_builds_of_random_edit_sequences_equal_clean_builds = IncrementalSite.TestCase


# -- regressions the machine found ------------------------------------------------------
def _two_builds(tmp_path: Path, files: dict[str, str], edit: dict[str, str]) -> tuple[Path, Path, Path]:
    """Build ``files``, apply ``edit`` and build again in the running builder and (into a second
    output) in a new builder with the cache; return (running output, new-builder output, clean)."""
    site = make_site(tmp_path, files)
    running, again, clean = tmp_path / "running", tmp_path / "again", tmp_path / "clean"
    builder = Builder(site, running, atomic_swap=False, jobs=1)
    assert builder.build().ok
    first = Builder(site, again, jobs=1, one_shot=True)
    assert first.build().ok
    first.close()
    for rel, text in edit.items():
        (site / rel).write_text(text)
    assert builder.build(changed={site / rel for rel in edit}).ok
    builder.close()
    second = Builder(site, again, jobs=1, one_shot=True)  # as briefing build: carries on from the first
    assert second.build().ok
    second.close()
    assert _clean_build(site, clean) == (True, [])
    return running, again, clean


TERM_LINKS_SITE = {
    "briefing.yaml": "title: T\nbase_url: https://example.org/\n",
    "content/articles/alpha.md": "---\ntitle: Alpha convoy\ndate: 2024-01-05\n---\nText.\n",
    "content/articles/bravo.md": "---\ntitle: Bravo\ndate: 2024-01-06\nactors: [Russia]\n---\nText.\n",
    "content/actors/russia.md": "---\ntitle: Russia\n---\nSee [[alpha]] for the convoy.\n",
}


def test_renaming_a_document_updates_the_link_text_on_a_term_page_that_links_it(tmp_path: Path) -> None:
    edit = {"content/articles/alpha.md": "---\ntitle: Alpha airlift\ndate: 2024-01-05\n---\nText.\n"}
    running, again, clean = _two_builds(tmp_path, TERM_LINKS_SITE, edit)
    for out in (running, again):
        assert "Alpha airlift" in (out / "actors" / "russia" / "index.html").read_text()
        assert compare_folders(clean, out) == []


def test_a_new_slug_marks_the_link_broken_on_a_term_page_that_linked_the_old_one(tmp_path: Path) -> None:
    edit = {"content/articles/alpha.md": "---\ntitle: Alpha convoy\ndate: 2024-01-05\nslug: alpha-moved\n---\nText.\n"}
    running, again, clean = _two_builds(tmp_path, TERM_LINKS_SITE, edit)
    for out in (running, again):
        assert "Unresolved link: alpha" in (out / "actors" / "russia" / "index.html").read_text()
        assert compare_folders(clean, out) == []


RELATED_TERM_SITE = {
    **TERM_LINKS_SITE,
    "content/notes/delta.md": "---\ntitle: Delta\ndate: 2024-01-07\nabout: [alpha]\nrelated: [bravo]\n---\nText.\n",
}


def test_a_term_page_has_one_card_whether_it_links_a_document_or_a_document_names_it_related(
        tmp_path: Path) -> None:
    # alpha's page lists russia (whose body links alpha) under "linked from"; delta then names
    # russia as related. Both lists show russia's card, made once per build by URL: it must be
    # the same card either way, or a page depends on which was rendered first.
    edit = {"content/notes/delta.md": RELATED_TERM_SITE["content/notes/delta.md"].replace("[bravo]", "[russia]")}
    running, again, clean = _two_builds(tmp_path, RELATED_TERM_SITE, edit)
    for out in (running, again):
        assert compare_folders(clean, out) == []
    alpha = (clean / "articles" / "alpha" / "index.html").read_text()
    delta = (clean / "notes" / "delta" / "index.html").read_text()
    # alpha's backlinks show russia as an entry with its sentence (render/linkcontext.py), not a card.
    assert 'backlink backlink-actor"' in alpha and 'card-actor">' in delta
    assert "card-actors" not in alpha + delta
