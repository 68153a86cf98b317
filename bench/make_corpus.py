#!/usr/bin/env python3
"""Write a deterministic corpus of briefing documents, for the tests and the benchmark.

The project's own generator: the tests (incremental oracle, Markdown fast path, link check)
and ``bench/run.py`` use it, so nothing outside the repository is read. Python standard library
only; run it from anywhere::

    python bench/make_corpus.py --docs 1000 --out bench/work/corpus-1k
    python bench/make_corpus.py --docs 1000 --out hugo-1k --flavor hugo
    python bench/make_corpus.py --docs 1000 --out pelican-1k --flavor pelican

Every draw comes from ``random.Random(seed)``: the same ``--docs`` and ``--seed`` give
byte-identical files, and every flavor holds the same documents. About 80% are articles and
20% notes; each has a title, date, summary, location (some with coordinates), actors, tags,
confidence and a source graded on the Admiralty scale; notes assess 1-3 articles (``about:``),
~10% carry ``events:``, ~30% ``related:``. Bodies run 500-900 words of plain Markdown
(headings, lists, a quote, emphasis, inline links and code, sometimes a table or a fenced
block) with 2-4 cross-links that all resolve, including ``[[slug#assessment]]`` (every
document has an ``## Assessment`` heading). Some actors and places get term pages with aliases.

The peer flavors write the same documents in Hugo's and Pelican's formats and copy the
configuration and templates kept in ``bench/peers/<tool>/``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

MARKER = ".bench-corpus"
FLAVORS = ("briefing", "hugo", "pelican")
PEERS = Path(__file__).resolve().parent / "peers"

#: Places: name, latitude, longitude, country.
PLACES = [
    ("Damascus", 33.51, 36.29, "Syria"), ("Aleppo", 36.20, 37.16, "Syria"),
    ("Hama", 35.13, 36.75, "Syria"), ("Homs", 34.73, 36.72, "Syria"),
    ("Idlib", 35.93, 36.63, "Syria"), ("Latakia", 35.52, 35.78, "Syria"),
    ("Tartus", 34.89, 35.89, "Syria"), ("Deir ez-Zor", 35.34, 40.14, "Syria"),
    ("Raqqa", 35.95, 39.01, "Syria"), ("Palmyra", 34.55, 38.27, "Syria"),
    ("Hmeimim Air Base", 35.40, 35.95, "Syria"), ("Al Tanf", 33.50, 38.62, "Syria"),
    ("Kyiv", 50.45, 30.52, "Ukraine"), ("Kharkiv", 49.99, 36.23, "Ukraine"),
    ("Odesa", 46.48, 30.72, "Ukraine"), ("Zaporizhzhia", 47.84, 35.14, "Ukraine"),
    ("Kherson", 46.64, 32.61, "Ukraine"), ("Bakhmut", 48.60, 38.00, "Ukraine"),
    ("Avdiivka", 48.14, 37.75, "Ukraine"), ("Sevastopol", 44.62, 33.53, "Ukraine"),
    ("Baghdad", 33.31, 44.37, "Iraq"), ("Mosul", 36.34, 43.13, "Iraq"),
    ("Erbil", 36.19, 44.01, "Iraq"), ("Basra", 30.51, 47.78, "Iraq"),
    ("Ain al-Asad", 33.80, 42.44, "Iraq"), ("Sanaa", 15.37, 44.19, "Yemen"),
    ("Hodeidah", 14.80, 42.95, "Yemen"), ("Aden", 12.79, 45.02, "Yemen"),
    ("Marib", 15.46, 45.32, "Yemen"), ("Tehran", 35.69, 51.39, "Iran"),
    ("Isfahan", 32.65, 51.67, "Iran"), ("Bandar Abbas", 27.18, 56.27, "Iran"),
    ("Tripoli", 32.89, 13.19, "Libya"), ("Benghazi", 32.12, 20.07, "Libya"),
    ("Sirte", 31.21, 16.59, "Libya"), ("Beirut", 33.89, 35.50, "Lebanon"),
    ("Bekaa Valley", 33.85, 35.90, "Lebanon"), ("Al Udeid", 25.12, 51.32, "Qatar"),
    ("Bab el-Mandeb", 12.58, 43.33, "Yemen"), ("Strait of Hormuz", 26.57, 56.25, "Iran"),
]

ACTORS = [
    "Russia", "Ukraine", "Iran", "Turkey", "United States", "Israel", "Hezbollah",
    "Houthis", "Syrian Arab Army", "Syrian rebels", "Hayat Tahrir al-Sham", "Islamic State",
    "Wagner Group", "Africa Corps", "Kurdish forces", "Iraqi government", "Popular Mobilization",
    "IRGC", "Quds Force", "Libyan National Army", "Government of National Unity", "Egypt",
    "Saudi Arabia", "United Arab Emirates", "Qatar", "Jordan", "NATO", "European Union",
    "United Nations", "China", "Belarus", "Black Sea Fleet", "Russian Aerospace Forces",
    "Ukrainian Navy", "Hamas", "Lebanese Armed Forces",
]

#: Term pages: (kind, name, aliases); no alias is itself an actor or place name.
TERM_PAGES = [
    ("actors", "Russia", ["Russian Federation"]),
    ("actors", "Hayat Tahrir al-Sham", ["HTS", "Tahrir al-Sham"]),
    ("actors", "Houthis", ["Ansar Allah"]),
    ("actors", "IRGC", ["Islamic Revolutionary Guard Corps"]),
    ("actors", "Wagner Group", ["PMC Wagner"]),
    ("actors", "Syrian Arab Army", ["SAA"]),
    ("actors", "Islamic State", ["ISIS", "Daesh"]),
    ("actors", "Popular Mobilization", ["PMF", "Hashd al-Shaabi"]),
    ("locations", "Hmeimim Air Base", ["Khmeimim", "Hmeimim"]),
    ("locations", "Kyiv", ["Kiev"]),
    ("locations", "Odesa", ["Odessa"]),
    ("locations", "Sanaa", ["San'a"]),
    ("locations", "Deir ez-Zor", ["Deir al-Zour"]),
    ("locations", "Al Tanf", ["At Tanf garrison"]),
]

SUBJECTS = ["air defence", "armour", "artillery", "logistics", "naval", "drone", "missile",
            "supply", "border", "port", "airfield", "rail", "fuel", "ammunition", "command",
            "electronic warfare", "reconnaissance", "militia", "sanctions", "shipping"]
ASPECTS = ["posture", "movements", "losses", "build-up", "withdrawal", "strikes", "deliveries",
           "routes", "capacity", "readiness", "exercises", "deployments"]
TAGS = sorted({f"{s} {a}" for s in SUBJECTS for a in ASPECTS[:7]} | set(SUBJECTS))[:151]

VERBS = ["moves", "repositions", "strikes", "reinforces", "withdraws from", "secures", "tests",
         "expands", "abandons", "resupplies", "targets", "fortifies"]
OBJECTS = ["forces near", "positions around", "supply lines to", "air defences at",
           "a depot in", "the corridor to", "units outside", "the airfield at", "port facilities in"]
SOURCES = [("Defence Blog", "https://defence-blog.example/"), ("Open Source Monitor", "https://osm.example/"),
           ("Regional Wire", "https://regional-wire.example/"), ("Satellite Review", "https://sat-review.example/"),
           ("Field Reports", "https://field-reports.example/"), ("Maritime Tracker", "https://maritime.example/"),
           ("Conflict Ledger", "https://ledger.example/"), ("State Television", "https://state-tv.example/")]
RELIABILITY = "AABBBBCCCCDDE"
CREDIBILITY = "1122223333445"
CONFIDENCE = ("low", "moderate", "moderate", "high")
MARKINGS = ("TLP:CLEAR", "TLP:GREEN", "TLP:AMBER")

NOUNS = ["convoy", "battery", "brigade", "depot", "checkpoint", "airstrip", "garrison", "column",
         "radar", "launcher", "warehouse", "bridge", "pipeline", "vessel", "helicopter", "platoon"]
ADJECTIVES = ["forward", "reinforced", "damaged", "mobile", "coastal", "northern", "southern",
              "improvised", "heavy", "light", "recent", "unconfirmed", "sustained", "limited"]
OBSERVERS = ["imagery", "local reporting", "official statements", "shipping data", "flight tracking",
             "social media footage", "intercepted traffic", "commercial satellites", "press briefings"]
CLAUSES = ["which suggests a change in priorities", "although the timing remains unclear",
           "consistent with earlier reporting", "in contrast to last month", "as the front shifts",
           "while supply routes stay contested", "despite repeated denials", "ahead of the winter"]
SECTIONS = ["Background", "What happened", "Context", "Indicators", "Sources and methods", "Outlook"]


@dataclass
class Doc:
    """One document, the same in every flavor."""

    kind: str  # "articles" or "notes"
    slug: str
    title: str
    when: dt.datetime
    date_style: int  # 0 a date, 1 "YYYY-MM-DD HH:MM", 2 ISO with Z
    summary: str
    locations: list[tuple[str, bool]]  # (place name, with coordinates)
    actors: list[str]
    tags: list[str]
    confidence: str
    source: tuple[str, str, str, str]  # name, url, reliability, credibility
    source_mapping: bool
    marking: str | None
    about: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    events: list[tuple[dt.date, str, str | None]] = field(default_factory=list)
    body: str = ""


def slugify(text: str) -> str:
    """The slug briefing gives an ASCII title: lower case, runs of other characters as one hyphen."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _title(rng: random.Random, used: set[str], actor: str, place: str) -> str:
    title = f"{actor} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {place}"
    while slugify(title) in used:
        title += f" {rng.choice(['again', 'report', 'update', 'follow-up', 'second', 'late'])}"
    used.add(slugify(title))
    return title[0].upper() + title[1:]


def make_docs(count: int, rng: random.Random) -> list[Doc]:
    """Draw ``count`` documents' front matter (bodies come later, once every slug is known)."""
    start = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)
    used: set[str] = set()
    docs = []
    for _ in range(count):
        locations = [(p[0], rng.random() < 0.15) for p in rng.sample(PLACES, rng.choice((1, 1, 1, 2)))]
        actors = rng.sample(ACTORS, rng.randint(1, 4))
        title = _title(rng, used, actors[0], locations[0][0])
        when = start + dt.timedelta(minutes=rng.randrange(0, 2 * 365 * 24 * 60))
        source = rng.choice(SOURCES)
        confidence = rng.choice(CONFIDENCE)
        grade = (rng.choice(RELIABILITY), rng.choice(CREDIBILITY))
        if confidence == "high" and (grade[1] in "456" or (grade[0] in "DEF" and grade[1] != "1")):
            grade = ("B", "2")  # analysts hold high confidence on well-graded sources (no lint warning)
        docs.append(Doc(
            kind="notes" if rng.random() < 0.2 else "articles",
            slug=slugify(title), title=title, when=when.replace(second=0),
            date_style=rng.choices((0, 1, 2), (70, 15, 15))[0], summary="",
            locations=locations, actors=actors,
            tags=rng.sample(TAGS, rng.randint(1, 5)),
            confidence=confidence,
            source=(source[0], source[1], *grade),
            source_mapping=rng.random() < 0.2,
            marking=rng.choice(MARKINGS) if rng.random() < 0.2 else None,
        ))
    articles = [d.slug for d in docs if d.kind == "articles"] or [docs[0].slug]
    slugs = [d.slug for d in docs]
    for doc in docs:
        if doc.kind == "notes":
            doc.about = sorted(set(rng.sample(articles, min(len(articles), rng.randint(1, 3)))) - {doc.slug})
        if rng.random() < 0.3 and len(slugs) > 1:
            doc.related = sorted({s for s in rng.sample(slugs, min(len(slugs), 2)) if s != doc.slug})
        if rng.random() < 0.1:
            doc.events = [((doc.when - dt.timedelta(days=rng.randint(1, 20))).date(),
                           f"{rng.choice(ACTORS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {place}",
                           place if rng.random() < 0.6 else None)
                          for place in (rng.choice(PLACES)[0] for _ in range(rng.randint(1, 3)))]
    for doc in docs:
        doc.summary = _sentence(rng, doc).rstrip(".")
        doc.body = _body(rng, doc, docs)
    return docs


# -- bodies -------------------------------------------------------------------------------

def _sentence(rng: random.Random, doc: Doc | None) -> str:
    actor = rng.choice(doc.actors if doc else ACTORS)
    place = rng.choice(doc.locations)[0] if doc else rng.choice(PLACES)[0]
    words = [actor, rng.choice(VERBS), rng.choice(["the", "one", "another"]), rng.choice(ADJECTIVES),
             rng.choice(NOUNS), "near", place, "according to", rng.choice(OBSERVERS)]
    if rng.random() < 0.5:
        words.append(rng.choice(CLAUSES))
    return " ".join(words) + "."


def _decorated(rng: random.Random, doc: Doc) -> str:
    text = _sentence(rng, doc)
    roll = rng.random()
    if roll < 0.15:
        noun = rng.choice(NOUNS)
        text = text.replace(f" {noun} ", f" *{noun}* ", 1) if f" {noun} " in text else text
    elif roll < 0.25:
        text = text.replace(" near ", " **near** ", 1)
    elif roll < 0.35:
        text = text[:-1] + f", see [{rng.choice(OBSERVERS)}]({doc.source[1]}reports/{rng.randint(100, 999)})."
    elif roll < 0.42:
        text = text[:-1] + f" (grid `{rng.randint(10, 99)}S-{rng.randint(1000, 9999)}`)."
    return text[0].upper() + text[1:]


def _paragraph(rng: random.Random, doc: Doc, low: int = 3, high: int = 6) -> str:
    return " ".join(_decorated(rng, doc) for _ in range(rng.randint(low, high)))


def _cross_link(rng: random.Random, target: Doc) -> str:
    style = rng.randrange(3)
    if style == 0:
        return f"[[{target.slug}]]"
    if style == 1:
        return f"[[{target.slug}|{target.title.lower()}]]"
    return f"[[{target.slug}#assessment]]"


def _table(rng: random.Random, doc: Doc) -> str:
    rows = ["| Date | Place | Observation |", "| --- | --- | --- |"]
    for _ in range(rng.randint(2, 5)):
        day = (doc.when - dt.timedelta(days=rng.randint(0, 30))).date().isoformat()
        rows.append(f"| {day} | {rng.choice(doc.locations)[0]} | {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} |")
    return "\n".join(rows)


def _code(rng: random.Random, doc: Doc) -> str:
    lang = rng.choice(("python", "json", "yaml"))
    if lang == "json":
        text = json.dumps({"slug": doc.slug, "confidence": doc.confidence, "actors": doc.actors[:2]}, indent=2)
    elif lang == "yaml":
        text = f"sighting:\n  place: {doc.locations[0][0]}\n  count: {rng.randint(2, 40)}\n  grade: {doc.source[2]}"
    else:
        text = (f"def score(reports, floor={rng.randint(1, 5)}):\n"
                "    \"\"\"Count reports graded at or above the floor.\"\"\"\n"
                "    return sum(1 for r in reports if r.grade >= floor)")
    return f"```{lang}\n{text}\n```"


def _body(rng: random.Random, doc: Doc, docs: list[Doc]) -> str:
    """500-900 words of Markdown within what briefing's fast path renders."""
    others = [d for d in rng.sample(docs, min(len(docs), 6)) if d.slug != doc.slug][: rng.randint(2, 4)]
    target = rng.randint(500, 900)
    blocks: list[str] = [_paragraph(rng, doc, 2, 4)]
    extras = [
        "\n".join(f"- {_decorated(rng, doc)}" for _ in range(rng.randint(3, 5))),
        "\n".join(f"{i}. {_sentence(rng, doc)}" for i in range(1, rng.randint(3, 5) + 1)),
        "> " + _sentence(rng, doc),
    ]
    if rng.random() < 0.3:
        extras.append(_table(rng, doc))
    if rng.random() < 0.2:
        extras.append(_code(rng, doc))
    headings = rng.sample(SECTIONS, 3)
    for i, block in enumerate(extras):
        blocks += [f"## {headings[i % 3]}" if i < 3 else f"### {rng.choice(ADJECTIVES).capitalize()} details",
                   _paragraph(rng, doc), block]
    for link in others:
        blocks.append(f"{_decorated(rng, doc)} Compare {_cross_link(rng, link)}.")
    blocks.append("## Assessment")
    assessment: list[str] = []
    words = sum(len(b.split()) for b in blocks)
    while words < target:
        paragraph = _paragraph(rng, doc)
        assessment.append(paragraph)
        words += len(paragraph.split())
    blocks += assessment or [_paragraph(rng, doc)]
    return "\n\n".join(blocks) + "\n"


# -- flavors ------------------------------------------------------------------------------

def _q(text: str) -> str:
    """A YAML scalar: plain where that is safe, else double-quoted."""
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9 .'-]*", text) and not text.endswith(" ") and \
            text.lower() not in ("yes", "no", "on", "off", "true", "false", "null"):
        return text
    return json.dumps(text, ensure_ascii=False)


def _ylist(key: str, items: list[str], flow: bool) -> list[str]:
    if flow:
        return [f"{key}: [{', '.join(_q(i) for i in items)}]"]
    return [f"{key}:", *(f"  - {_q(i)}" for i in items)]


def _date(doc: Doc) -> str:
    if doc.date_style == 0:
        return doc.when.date().isoformat()
    if doc.date_style == 1:
        return f'"{doc.when:%Y-%m-%d %H:%M}"'
    return doc.when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _place(name: str) -> tuple[float, float]:
    return next((lat, lon) for n, lat, lon, _ in PLACES if n == name)


def briefing_document(doc: Doc, _docs: dict[str, Doc]) -> str:
    """The document in briefing's own format."""
    flow = len(doc.slug) % 2 == 0
    lines = [f"title: {_q(doc.title)}", f"date: {_date(doc)}", f"summary: {_q(doc.summary)}"]
    places = [f"{{name: {_q(n)}, lat: {_place(n)[0]}, lon: {_place(n)[1]}}}" if coords else _q(n)
              for n, coords in doc.locations]
    lines.append(f"location: {places[0]}" if len(places) == 1 else f"location: [{', '.join(places)}]")
    lines += _ylist("actors", doc.actors, flow) + _ylist("tags", doc.tags, not flow)
    lines.append(f"confidence: {doc.confidence}")
    name, url, rel, cred = doc.source
    if doc.source_mapping:
        lines.append(f"source: {{name: {_q(name)}, url: \"{url}\", reliability: {rel}, credibility: {cred}}}")
    else:
        lines += [f"source: {_q(name)}", f"source_url: {url}"]
    if doc.marking:
        lines.append(f'marking: "{doc.marking}"')
    if doc.about:
        lines += _ylist("about", doc.about, True)
    if doc.related:
        lines += _ylist("related", doc.related, False)
    if doc.events:
        lines.append("events:")
        for day, title, place in doc.events:
            lines.append(f"  - date: {day.isoformat()}")
            lines.append(f"    title: {_q(title)}")
            if place:
                lines.append(f"    location: {_q(place)}")
    return "---\n" + "\n".join(lines) + "\n---\n\n" + doc.body


_WIKI = re.compile(r"\[\[([a-z0-9-]+)(#[a-z0-9-]+)?(?:\|([^\]]+))?\]\]")


def _links(body: str, docs: dict[str, Doc], target) -> str:
    def sub(match: re.Match[str]) -> str:
        doc = docs[match.group(1)]
        return f"[{match.group(3) or doc.title}]({target(doc)}{match.group(2) or ''})"
    return _WIKI.sub(sub, body)


def hugo_document(doc: Doc, docs: dict[str, Doc]) -> str:
    """The document for Hugo: YAML front matter with the four taxonomies, relref links."""
    lines = [f"title: {_q(doc.title)}", f"date: {doc.when.strftime('%Y-%m-%dT%H:%M:%SZ')}",
             f"summary: {_q(doc.summary)}"]
    lines += _ylist("locations", [n for n, _ in doc.locations], True)
    lines += _ylist("actors", doc.actors, True) + _ylist("tags", doc.tags, True)
    lines.append(f"confidence: [{doc.confidence}]")
    name, url, rel, cred = doc.source
    lines += ["params:", f"  source: {_q(name)}", f"  source_url: {url}", f"  grade: {rel}{cred}"]
    if doc.about:
        lines += ["  about:", *(f"    - /{docs[s].kind}/{s}.md" for s in doc.about)]
    body = _links(doc.body, docs, lambda d: f'{{{{< relref "/{d.kind}/{d.slug}.md" >}}}}')
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body


def pelican_document(doc: Doc, docs: dict[str, Doc]) -> str:
    """The document for Pelican: Markdown metadata lines, {filename} links."""
    name, url, rel, cred = doc.source
    lines = [f"Title: {doc.title}", f"Date: {doc.when:%Y-%m-%d %H:%M}", f"Slug: {doc.slug}",
             f"Category: {doc.kind}", f"Summary: {doc.summary}", f"Tags: {', '.join(doc.tags)}",
             f"Actors: {'; '.join(doc.actors)}", f"Locations: {'; '.join(n for n, _ in doc.locations)}",
             f"Confidence: {doc.confidence}", f"Source: {name}", f"Source_url: {url}",
             f"Grade: {rel}{cred}"]
    if doc.about:
        lines.append(f"About: {'; '.join(doc.about)}")
    body = _links(doc.body, docs, lambda d: f"{{filename}}/{d.kind}/{d.slug}.md")
    return "\n".join(lines) + "\n\n" + body


def briefing_term(kind: str, name: str, aliases: list[str]) -> str:
    """A term page (an actor or a place) with its aliases."""
    lines = [f"title: {_q(name)}", f"aliases: [{', '.join(_q(a) for a in aliases)}]"]
    if kind == "locations":
        place = next(p for p in PLACES if p[0] == name)
        lines += [f"lat: {place[1]}", f"lon: {place[2]}", f"country: {place[3]}"]
    lines.append(f"summary: {_q(name + ' as followed in this briefing')}")
    return "---\n" + "\n".join(lines) + f"\n---\n\nWhat is known about {name}, and how it is reported.\n"


RENDER = {"briefing": briefing_document, "hugo": hugo_document, "pelican": pelican_document}


def write_corpus(out: Path, docs: int, seed: int, flavor: str) -> int:
    """Write the corpus into ``out`` (which must be empty or absent); returns files written."""
    rng = random.Random(seed)
    made = make_docs(docs, rng)
    by_slug = {d.slug: d for d in made}
    written = 0
    for kind in ("articles", "notes"):
        (out / "content" / kind).mkdir(parents=True, exist_ok=True)
    for doc in made:
        path = out / "content" / doc.kind / f"{doc.slug}.md"
        path.write_text(RENDER[flavor](doc, by_slug), encoding="utf-8", newline="\n")
        written += 1
    if flavor == "briefing":
        for kind, name, aliases in TERM_PAGES:
            (out / "content" / kind).mkdir(parents=True, exist_ok=True)
            (out / "content" / kind / f"{slugify(name)}.md").write_text(
                briefing_term(kind, name, aliases), encoding="utf-8", newline="\n")
            written += 1
        (out / "briefing.yaml").write_text("title: Benchmark briefing\nbase_url: https://example.org/\n",
                                           encoding="utf-8")
    else:
        shutil.copytree(PEERS / flavor, out, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return written


def prepare(out: Path, force: bool) -> None:
    """Make ``out`` ready: absent or empty, or (with ``force``) a folder this tool wrote."""
    if out.exists() and not out.is_dir():
        sys.exit(f"make_corpus: {out} is not a folder")
    if out.is_dir() and any(out.iterdir()):
        if not (out / MARKER).is_file():
            sys.exit(f"make_corpus: {out} is not empty and was not written by this tool "
                     f"({MARKER} missing); choose an empty folder")
        if not force:
            sys.exit(f"make_corpus: {out} already holds a corpus; add --force to replace it")
        shutil.rmtree(out)


def main(argv: list[str] | None = None) -> int:
    """The command line: ``--docs N --out DIR [--flavor F] [--seed S] [--force]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1000, help="number of documents (default 1000)")
    parser.add_argument("--out", type=Path, required=True, help="output folder (empty or absent)")
    parser.add_argument("--flavor", choices=FLAVORS, default="briefing", help="format to write")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument("--force", action="store_true", help="replace a corpus this tool wrote")
    args = parser.parse_args(argv)
    if args.docs < 1:
        parser.error("--docs must be at least 1")
    prepare(args.out, args.force)
    args.out.mkdir(parents=True, exist_ok=True)
    count = write_corpus(args.out, args.docs, args.seed, args.flavor)
    (args.out / MARKER).write_text(
        json.dumps({"docs": args.docs, "seed": args.seed, "flavor": args.flavor}) + "\n", encoding="utf-8")
    print(f"make_corpus: {count} files ({args.flavor}) in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
