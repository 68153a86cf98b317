"""Random edit sequences on a kept graph: after every step it equals a full graph build.

A Hypothesis rule-based machine keeps a small site in memory (articles and notes whose terms,
spellings, aliases, links, anchors, about/related, events, dates, markings and summaries it
edits at random, term pages with aliases and bodies that link documents, a plain page, a
document that comes and goes, drafts, settings) and a :class:`graphcheck.Session`: the graph a
running builder keeps, updated by :func:`update_graph` where the builder would try it. After
each step the kept graph must equal a clean :func:`build_graph` of the same files, field by
field, and the update's reported reach must hold every page that changed (see graphcheck).
"""

from __future__ import annotations

import os

from graphcheck import Session
from hypothesis import HealthCheck, Phase, seed, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

#: The documents: identity -> folder. ``golf`` comes and goes.
KINDS = {"alpha": "articles", "bravo": "articles", "charlie": "articles", "delta": "notes", "echo": "notes",
         "golf": "notes"}
NAMES = [n for n in KINDS if n != "golf"]
TAGS = ["logistics", "Logistics", "LOGISTICS", "air defence", "ports", "Ports"]
ACTORS = ["Russia", "Russian Federation", "RU", "Wagner Group", "wagner group", "Houthis", "Hamas"]
PLACES = ["Aden", "Adan", "Basra", "{name: Basra, lat: 30.5, lon: 47.8}", "{name: Aden, lat: 12.8, lon: 45.0}",
          "Mosul"]
REFS = [*NAMES, "golf", "alpha#seen", "bravo#seen|the sighting", "Russia", "Russian Federation", "Adan", "aden",
        "houthis", "Basra", "tags/logistics", "Ports", "Wagner Group", "missing", "Alpha convoy"]
DATES = [None, "2024-01-05", "2024-01-05", "2024-03-17", "2023-11-02", "2024-06-30T10:00:00Z", "2024"]
MARKINGS = [None, "TLP:CLEAR", "TLP:AMBER", "TLP:RED"]
CONFIDENCE = [None, "low", "moderate", "high"]
WORDS = ["Convoy", "Airlift", "Radar", "Harbour", "Ferry"]


def _list(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


class Model:
    """What each file of the site holds."""

    def __init__(self) -> None:
        self.docs = {name: {"title": f"{name.title()} {WORDS[i % 5].lower()}", "slug": None, "stem": name,
                            "date": DATES[1 + i % 5], "updated": None, "draft": name == "golf", "present": True,
                            "tags": [TAGS[i % 5]], "actors": [ACTORS[i % 4]], "locations": [PLACES[i % 3]],
                            "about": ["alpha"] if KINDS[name] == "notes" else [], "related": [],
                            "events": [], "marking": None, "confidence": CONFIDENCE[i % 4], "summary": None,
                            "heading": name in ("alpha", "charlie"), "links": [REFS[(i * 3) % len(REFS)]]}
                     for i, name in enumerate(KINDS)}
        self.terms = {"actors/russia": {"title": "Russia", "aliases": ["Russian Federation", "RU"],
                                        "links": ["alpha"], "coords": False, "present": True},
                      "locations/aden": {"title": "Aden", "aliases": ["Adan"], "links": ["charlie#seen"],
                                         "coords": True, "present": True},
                      "locations/basra": {"title": "Basra", "aliases": [], "links": ["bravo"], "coords": False,
                                          "present": False}}
        self.page_links = ["bravo", "alpha#seen"]
        self.related_limit = 3

    def files(self) -> dict[str, str]:
        out = {"briefing.yaml": f"title: Proof\nbase_url: https://example.org/\nrelated_limit: {self.related_limit}\n",
               "content/pages/about.md": "---\ntitle: About\n---\nStart with "
                                         + " and ".join(f"[[{r}]]" for r in self.page_links) + ".\n"}
        for name, d in self.docs.items():
            if d["present"]:
                out[f"content/{KINDS[name]}/{d['stem']}.md"] = self._doc(d)
        for where, t in self.terms.items():
            if t["present"]:
                head = f"title: {t['title']}\naliases: {_list(t['aliases'])}\n" + ("lat: 12.8\nlon: 45.0\n" if t["coords"] else "")
                out[f"content/{where}.md"] = f"---\n{head}---\nSee {', '.join(f'[[{r}]]' for r in t['links'])}.\n"
        return out

    @staticmethod
    def _doc(d: dict) -> str:
        front = [f"title: {d['title']}"]
        for key in ("slug", "date", "updated", "marking", "confidence", "summary"):
            if d[key]:
                front.append(f"{key}: {d[key]}")
        if d["draft"]:
            front.append("draft: true")
        front += [f"tags: {_list(d['tags'])}", f"actors: {_list(d['actors'])}", f"location: {_list(d['locations'])}"]
        for key in ("about", "related"):
            if d[key]:
                front.append(f"{key}: {_list(d[key])}")
        if d["events"]:
            front.append("events:" + "".join(f"\n  - date: 2024-02-0{i + 1}\n    title: Clash {i}\n    actors: "
                                             f"{_list(actors)}\n    location: {place}"
                                             for i, (actors, place) in enumerate(d["events"])))
        links = " ".join(f"See [[{r}]]." for r in d["links"])
        body = f"The {d['title']} report. {links}\n" + ("\n## Seen\n\nMore.\n" if d["heading"] else "")
        return "---\n" + "\n".join(front) + "\n---\n" + body


names = st.sampled_from(NAMES)
terms = st.sampled_from(["actors/russia", "locations/aden", "locations/basra"])


class KeptGraph(RuleBasedStateMachine):
    """Edits a site held in memory; the kept graph must equal a full build after each step."""

    def __init__(self) -> None:
        super().__init__()
        self.model = Model()
        self.session: Session | None = None

    @initialize(drafts=st.booleans(), limit=st.sampled_from([0, 3]))
    def start(self, drafts: bool, limit: int) -> None:
        self.model.related_limit = limit
        self.session = Session(self.model.files(), drafts=drafts)

    # -- edits the update takes -----------------------------------------------------------
    @rule(name=names, refs=st.lists(st.sampled_from(REFS), max_size=3), heading=st.booleans())
    def body(self, name: str, refs: list[str], heading: bool) -> None:
        self.model.docs[name].update(links=refs, heading=heading)

    @rule(name=names, key=st.sampled_from(["tags", "actors", "locations"]), data=st.data())
    def terms_of(self, name: str, key: str, data: st.DataObject) -> None:
        pool = {"tags": TAGS, "actors": ACTORS, "locations": PLACES}[key]
        self.model.docs[name][key] = data.draw(st.lists(st.sampled_from(pool), max_size=3, unique=True))

    @rule(name=names, key=st.sampled_from(["date", "updated"]), date=st.sampled_from(DATES))
    def dates(self, name: str, key: str, date: str | None) -> None:
        self.model.docs[name][key] = date

    @rule(name=names, key=st.sampled_from(["about", "related"]),
          refs=st.lists(st.sampled_from([*NAMES, "golf", "russia", "aden", "Ports", "missing"]), max_size=2, unique=True))
    def about_related(self, name: str, key: str, refs: list[str]) -> None:
        self.model.docs[name][key] = refs

    @rule(name=names, events=st.lists(st.tuples(st.lists(st.sampled_from(ACTORS), max_size=2, unique=True),
                                                st.sampled_from(["Aden", "Adan", "Basra", "Mosul"])), max_size=2))
    def events(self, name: str, events: list) -> None:
        self.model.docs[name]["events"] = events

    @rule(name=names, marking=st.sampled_from(MARKINGS), confidence=st.sampled_from(CONFIDENCE),
          summary=st.sampled_from([None, "A summary.", "Another summary."]))
    def card(self, name: str, marking: str | None, confidence: str | None, summary: str | None) -> None:
        self.model.docs[name].update(marking=marking, confidence=confidence, summary=summary)

    @rule(name=st.sampled_from(list(KINDS)))
    def toggle_draft(self, name: str) -> None:
        self.model.docs[name]["draft"] = not self.model.docs[name]["draft"]

    # -- edits built afresh -------------------------------------------------------------
    @rule(name=names, word=st.sampled_from(WORDS), slug=st.sampled_from([None, "moved"]),
          stem=st.sampled_from(["", "-2"]))
    def title_slug_file(self, name: str, word: str, slug: str | None, stem: str) -> None:
        self.model.docs[name].update(title=f"{name.title()} {word.lower()}", slug=f"{name}-{slug}" if slug else None,
                                     stem=name + stem)

    @rule(term=terms, aliases=st.lists(st.sampled_from(["Russian Federation", "RU", "Adan", "Wagner Group", "Mosul"]),
                                       max_size=2, unique=True),
          refs=st.lists(st.sampled_from(REFS), max_size=2), coords=st.booleans(), present=st.booleans(),
          page=st.none() | st.lists(st.sampled_from(REFS), max_size=3))
    def term_or_plain_page(self, term: str, aliases: list[str], refs: list[str], coords: bool, present: bool,
                           page: list[str] | None) -> None:
        if page is not None:
            self.model.page_links = page
        else:
            self.model.terms[term].update(aliases=aliases, links=refs, coords=coords, present=present)

    @rule(golf=st.booleans(), limit=st.sampled_from([0, 1, 3]))
    def golf_or_settings(self, golf: bool, limit: int) -> None:
        if golf:
            self.model.docs["golf"]["present"] = not self.model.docs["golf"]["present"]
        else:
            self.model.related_limit = limit

    @invariant()
    def kept_graph_equals_a_full_build(self) -> None:
        if self.session is not None:
            self.session.apply(self.model.files())  # asserts equality and reach


#: Bounded for the default suite (about 20 s). BRIEFING_GRAPH_EXAMPLES / _STEPS search longer,
#: BRIEFING_GRAPH_SEED elsewhere; BRIEFING_GRAPH_SHRINK=1 shrinks a failure before it becomes a
#: named regression test in test_graph_delta_equivalence.py.
_EXAMPLES = int(os.environ.get("BRIEFING_GRAPH_EXAMPLES", "40"))
_STEPS = int(os.environ.get("BRIEFING_GRAPH_STEPS", "12"))
_SEED = os.environ.get("BRIEFING_GRAPH_SEED")
KeptGraph.TestCase.settings = settings(
    max_examples=_EXAMPLES, stateful_step_count=_STEPS, deadline=None, derandomize=_SEED is None, database=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate, *([Phase.shrink] if os.environ.get("BRIEFING_GRAPH_SHRINK") else [])])
if _SEED is not None:
    KeptGraph.TestCase = seed(int(_SEED))(KeptGraph.TestCase)
test_a_kept_graph_through_random_edits_equals_a_full_build = KeptGraph.TestCase
