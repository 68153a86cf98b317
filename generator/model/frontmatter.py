"""Split a content file into front matter and body, and validate the front matter."""

from __future__ import annotations

import difflib
import re
from datetime import UTC, tzinfo
from typing import Any

from generator.errors import Diagnostic, error, warning
from generator.model.commented import commented_values, quoted_text_lines
from generator.model.confidence import read_confidence
from generator.model.dates import DateValueError, When, human_date, parse_when, spelled_zone
from generator.model.document import (
    MARKINGS,
    DocType,
    Document,
    Event,
    LinkRef,
)
from generator.model.foreignfront import foreign_front
from generator.model.frontsplit import first_heading, opening_heading, split
from generator.model.holdback import held_back
from generator.model.judgments import parse_key_judgments, span_of
from generator.model.loosefences import fenced_as_meant
from generator.model.markedelsewhere import keys_holding_marking, marking_read_elsewhere
from generator.model.marking import highest, normalise_marking
from generator.model.moved import moved_from
from generator.model.placing import parse_locations
from generator.model.slugs import slugify
from generator.model.sourcing import parse_sources
from generator.model.text import may_hold_controls, plain_text, spaced_name, strip_controls
from generator.yamltree import Scalar, YamlSyntaxError, is_null, line_of, parse_mapping, plain, text

KNOWN_KEYS = (
    "title", "date", "updated", "summary", "location", "actors", "tags", "confidence",
    "source", "source_url", "about", "related", "events", "draft", "slug", "marking", "type",
    "aliases", "lat", "lon", "country", "template", "key_judgments", "sources", "author", "authors", "as_of",
    "redirect_from",
)
_SYNONYMS = {
    "tag": "tags", "actor": "actors", "locations": "location", "place": "location",
    "url": "source_url", "description": "summary", "alias": "aliases",
    "drafts": "draft", "tlp": "marking", "classification": "marking",
    "keywords": "tags", "latitude": "lat", "longitude": "lon", "lng": "lon", "event": "events",
    "key_judgements": "key_judgments", "judgments": "key_judgments", "judgements": "key_judgments",
    "keyjudgments": "key_judgments", "key-judgments": "key_judgments",
    "by": "authors", "byline": "authors", "asof": "as_of", "as-of": "as_of",
    "coordinates": "lat", "coords": "lat", "geo": "lat", "permalink": "slug", "layout": "template",
    "redirects": "redirect_from",
}
#: Other tools' taxonomies read as tags besides ``tags`` (Hugo's and Jekyll's ``categories``,
#: Pelican's ``Category``): each is a term page, as it was on the old site.
_MORE_TAGS = ("categories", "category")
#: Other tools' names for a field, read as the field when it is not given itself.
_OTHER_NAMES = {"lastmod": "updated", "modified": "updated", "excerpt": "summary", "bluf": "summary",
                "abstract": "summary"}


def _unquoted(name: str) -> str:
    """A name without the curly quotes a word processor put around it (``“air defence”``)."""
    if len(name) > 2 and name[0] in "“‘«" and name[-1] in "”’»":
        return name[1:-1].strip() or name
    return name


#: Dashes a date may be typed with (hyphen, non-breaking hyphen, figure, en and em dashes, minus).
_DASHES = re.compile("[\u2010-\u2015\u2212]")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_DOTTED = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}")
_TWO_WAYS = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")
_CURLY = re.compile("[\u2018\u2019\u201c\u201d]")
_NAME_SEPARATOR = re.compile("[,;]")
_URL = re.compile(r"^(https?://|mailto:|/|\./|\.\./)[^\s<>\"]*$", re.I)


def normalise_text(raw: bytes, content: str | None = None) -> str:
    """Decode UTF-8 (raises UnicodeDecodeError), or UTF-16 with its byte order mark (Notepad's
    "Unicode"), drop a BOM, turn CRLF and CR into LF, and drop control characters (see
    :mod:`generator.model.text`). ``content``: the text already decoded otherwise."""
    if content is None:
        content = raw.decode("utf-16") if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else raw.decode("utf-8")
    if content.startswith("\ufeff"):
        content = content[1:]
    if may_hold_controls(raw):
        content = strip_controls(content)
    return content.replace("\r\n", "\n").replace("\r", "\n")


class _Checker:
    """Collects diagnostics while converting raw YAML values of one file."""

    def __init__(self, path: str, lines: dict[str, int], tz: tzinfo):
        self.path = path
        self.lines = lines
        self.tz = tz
        self.diagnostics: list[Diagnostic] = []

    def err(self, key: str, message: str, line: int | None = None) -> None:
        self.diagnostics.append(error(self.path, line or self.lines.get(key, 1), key, message))

    def warn(self, key: str, message: str, line: int | None = None) -> None:
        self.diagnostics.append(warning(self.path, line or self.lines.get(key, 1), key, message))

    def string(self, key: str, value: Any, *, required: bool = False) -> str | None:
        if value is None or is_null(value):
            if required:
                self.err(key, "is empty; expected text")
            return None
        if isinstance(value, Scalar):
            return value.text.strip()
        self.err(key, f"expected text, found {'a list' if isinstance(value, list) else 'a mapping'}")
        return None

    def strings(self, key: str, value: Any, *, split_commas: bool = False) -> tuple[str, ...]:
        if value is None or is_null(value):
            return ()
        items = value if isinstance(value, list) else [value]
        out: list[str] = []
        for item in items:
            if isinstance(item, dict):
                name = item.get("name")
                if isinstance(name, Scalar) and name.text.strip():
                    out.append(name.text.strip())
                    continue
                self.err(key, "expected a list of names, found a mapping", line_of(item, 0))
                continue
            if isinstance(item, list):
                self.err(key, "expected a list of names, found a nested list", line_of(item, 0))
                continue
            if is_null(item):
                continue
            # ``tags: Syria, Russia`` (or ``Syria; Russia``, as a word processor's keywords)
            parts = _NAME_SEPARATOR.split(item.text) if split_commas and not item.quoted else [item.text]
            out.extend(_unquoted(spaced_name(p)) for p in parts if spaced_name(p))
        seen: dict[str, str] = {}
        for name in out:
            seen.setdefault(name.casefold(), name)
        return tuple(seen.values())

    def when(self, key: str, value: Any, line: int | None = None) -> When | None:
        if value is None or is_null(value):
            return None
        if not isinstance(value, Scalar):
            self.err(key, "expected a date such as 2024-12-06 or 2024-12-06T14:30:00Z", line)
            return None
        written = value.text
        if _INVISIBLE.search(written):  # a zero-width space pasted with the date
            written = _INVISIBLE.sub("", written)
        if _DOTTED.fullmatch(written.strip()):  # 06.12.2024, as most of Europe writes a date
            day, month, year = written.strip().split(".")
            written = f"{year}-{int(month):02d}-{int(day):02d}"
            self.warn(key, f"{value.text!r} is read as day, month, year: {written}; dates are written YYYY-MM-DD",
                      line or value.line)
        if _DASHES.search(written):  # 2024–12–06, typed or pasted with en dashes
            written = _DASHES.sub("-", written)
            self.warn(key, f"{value.text!r} is written with dashes (–) where hyphens (-) go; read as {written!r}",
                      line or value.line)
        if _TWO_WAYS.fullmatch(written.strip()):
            first, second, year = written.strip().split("/")
            self.err(key, f"{value.text!r} reads two ways; write {year}-{int(first):02d}-{int(second):02d} or "
                          f"{year}-{int(second):02d}-{int(first):02d} (YYYY-MM-DD)", line or value.line)
            return None
        human = human_date(written)
        if human is not None:  # 6 Dec 2024, Dec 6, 2024 14:30, 2024/12/06, Fri, 06 Dec 2024 10:00:00 GMT
            self.warn(key, f"{value.text!r} is read as {human}; dates are written YYYY-MM-DD", line or value.line)
            written = human
        try:
            zoned = spelled_zone(written)  # 2024-12-06 10:00 CET
        except DateValueError as exc:
            self.err(key, str(exc), line or value.line)
            return None
        if zoned is not None:
            written, zone = zoned
            if not zone.startswith(("UTC", "+", "-")) or "UTC+" in zone or "UTC-" in zone:
                self.warn(key, f"{value.text.strip()!r} is read in {zone}: {written}; a zone is written as "
                               "its offset", line or value.line)
        try:
            return parse_when(written, self.tz)
        except DateValueError as exc:
            self.err(key, str(exc), line or value.line)
            return None

    def boolean(self, key: str, value: Any) -> bool:
        if value is None or is_null(value):
            return False
        word = text(value).strip().lower()
        if word in ("true", "yes", "on", "1"):
            return True
        if word in ("false", "no", "off", "0"):
            return False
        self.err(key, f"expected true or false, found {text(value)!r}")
        return False

    def number(self, key: str, value: Any, low: float, high: float, line: int | None = None) -> float | None:
        if value is None or is_null(value):
            return None
        try:
            number = float(text(value))
        except ValueError:
            self.err(key, f"expected a number, found {text(value)!r}", line or line_of(value, 0))
            return None
        if not low <= number <= high:
            self.err(key, f"{number} is out of range; expected {low:g} to {high:g}", line or line_of(value, 0))
            return None
        return number


#: A file name that starts with its date, as Jekyll names posts (``2024-12-06-title.md``).
_DATED_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})[-_]")


def _date_of_name(path: str, tz: tzinfo) -> When | None:
    """The date a file's name starts with, as Jekyll reads it when front matter gives none."""
    found = _DATED_NAME.match(path.rsplit("/", 1)[-1])
    if found is None:
        return None
    try:
        return parse_when(found.group(1), tz)
    except DateValueError:
        return None


def _missing(content: str) -> str:
    """Why no front matter was found, and what is expected."""
    expected = "expected the file to start with '---', then 'title: ...' and the other fields, then '---'"
    first = content.lstrip("\ufeff").split("\n", 1)[0].strip()
    if not first and content.lstrip().startswith("---"):
        return f"blank lines before the first '---'; {expected}"
    return f"missing; {expected}"


def parse_document(path: str, content: str, doc_type: DocType, default_slug: str,
                   tz: tzinfo = UTC) -> tuple[Document | None, list[Diagnostic]]:
    """Validate one content file's text into a :class:`Document` plus its diagnostics.

    Returns ``None`` for the document when an error makes it unusable; every problem of the
    file is reported, not only the first.
    """
    try:
        foreign = foreign_front(content)  # Hugo's TOML (+++) or JSON front matter
        if foreign is not None:
            parts, raw = foreign
        else:
            content, fences = fenced_as_meant(content)  # ----, —, or a '---' never closed
            parts = split(content)
            loose: list[tuple[int, str, str]] = []
            if parts.yaml_text is not None:  # title: Update: Russia moves, title: Issue #5
                parts.yaml_text, loose = quoted_text_lines(parts.yaml_text)
            raw = parse_mapping(parts.yaml_text, parts.yaml_line) if parts.yaml_text is not None else None
    except YamlSyntaxError as exc:
        written = content.split("\n", exc.line)[exc.line - 1] if exc.line >= 1 else ""
        hint = ("; curly quotes (“ ” ‘ ’) are not YAML quotes: write straight ones (\" or ')"
                if _CURLY.search(written) else "")
        return None, [error(path, exc.line, "front matter", f"{exc}{hint}")]
    if raw is None:
        if doc_type in (DocType.PAGE,):
            title = first_heading(parts.body)
            if title:
                return Document(path=path, type=doc_type, slug=default_slug, title=title,
                                body=parts.body, body_line=1), []
        when = _date_of_name(path, tz) if doc_type in (DocType.ARTICLE, DocType.NOTE) else None
        opening = opening_heading(parts.body) if when is not None else None
        if when is not None and opening is not None:  # 2024-12-06-convoy.md opening with '# Convoy'
            return Document(path=path, type=doc_type, slug=default_slug, title=opening[0], when=when,
                            body=opening[1], body_line=1), [
                warning(path, 1, "front matter", "missing: the title is read from the heading opening the body "
                                                 f"and the date from the file's name ({when.iso}); add front matter "
                                                 "(---, title: ..., date: ..., ---) to say so")]
        return None, [error(path, 1, "front matter", _missing(content))]
    check = _Checker(path, raw.lines, tz)
    for index, key, message in loose if foreign is None else ():
        check.warn(key, message, parts.yaml_line + index)
    for line, message in fences if foreign is None else ():
        check.warn("front matter", message, line)
    for key, line in raw.duplicates:
        check.err(key, "is given twice; the second value would silently win", line)
    values = raw.values
    for key in list(values):
        low = key.lower()
        if key not in KNOWN_KEYS and low in KNOWN_KEYS and low not in values:
            # Pelican and Jekyll habits: ``Title:``, ``Date:`` mean the same as ``title:``, ``date:``.
            values[low] = values.pop(key)
            raw.lines[low] = raw.lines.pop(key)
    commented_values(values, raw.lines, parts.yaml_text, parts.yaml_line, check.warn)  # tags: #osint
    for key in [k for k in values if k.lower() in _OTHER_NAMES]:  # Hugo's lastmod, Jekyll's excerpt...
        field = _OTHER_NAMES[key.lower()]
        if field not in values:
            values[field] = values.pop(key)
            raw.lines[field] = raw.lines.pop(key, 1)
    held = keys_holding_marking(values, KNOWN_KEYS)  # ``TLP: RED``: read as the marking below, not as a typo
    for key in values:
        if key in KNOWN_KEYS or key in held or (doc_type is DocType.SOURCE and key == "url"):
            continue
        guess = _SYNONYMS.get(key.lower()) or next(iter(difflib.get_close_matches(key.lower(), KNOWN_KEYS, 1, 0.75)), None)
        if guess:
            check.warn(key, f"unknown key; did you mean '{guess}'? (kept as page.meta.{key})")

    type_value = check.string("type", values.get("type"))
    if type_value:
        try:
            doc_type = DocType(type_value.lower())
        except ValueError:
            check.err("type", f"{type_value!r} is not a type; expected one of: article, note, page")
    title = check.string("title", values.get("title"))
    if title and any(mark in title for mark in "*_`["):  # **Breaking**: shown as its words, as a summary is
        title = plain_text(title) or title
    body = parts.body
    if not title and "title" not in values and (opening := opening_heading(body)) is not None:
        title, body = opening  # as MkDocs and Obsidian take it: the heading is the title, shown once
    if not title:
        if "title" not in values:
            check.err("title", "missing; every document needs a title (a 'title:' line, or a "
                               "'# Title' line opening the body)", 1)
        elif not isinstance(values["title"], list | dict):  # a list or mapping is already reported
            check.err("title", "is empty; expected text")
    slug = default_slug
    slug_text = check.string("slug", values.get("slug"))
    if slug_text:
        slug = slugify(slug_text)
        if slug != slug_text:
            check.warn("slug", f"{slug_text!r} is not URL-safe; using {slug!r}")
    when = check.when("date", values.get("date"))
    if when is None and "date" not in values:
        when = _date_of_name(path, check.tz)  # Jekyll's 2024-12-06-title.md
    if when is None and doc_type in (DocType.ARTICLE, DocType.NOTE) and "date" not in values:
        check.err("date", f"missing; every {doc_type.value} needs a date such as 2024-12-06", 1)
    elif when is None and doc_type in (DocType.ARTICLE, DocType.NOTE) and is_null(values.get("date")):
        check.err("date", "is empty; expected a date such as 2024-12-06")
    updated = check.when("updated", values.get("updated"))
    if when is not None and updated is not None and updated.moment < when.moment:
        check.warn("updated", f"{updated.iso} is before the date, {when.iso}; expected when the document "
                              "last changed, on or after its date")
    written_summary = check.string("summary", values.get("summary")) or ""
    summary = plain_text(written_summary)  # **bold** and [links] shown as their words on cards
    summary_value = values.get("summary")
    confidence = read_confidence(check, values.get("confidence"))
    tags = check.strings("tags", values.get("tags"), split_commas=True)
    for key in [k for k in values if k.lower() in _MORE_TAGS]:
        more = [tag for tag in check.strings(key, values[key], split_commas=True)
                if tag.casefold() not in {known.casefold() for known in tags}]
        tags = (*tags, *dict.fromkeys(more))
    marking = marking_read_elsewhere(held, tags, body, parts.body_line,  # fail closed
                                     _marking(check, values.get("marking")), check.warn)
    sources = parse_sources(check, values)
    aliases, old_files = moved_from(check.strings("aliases", values.get("aliases")), values.get("redirect_from"), check.warn)
    doc = Document(
        path=path,
        type=doc_type,
        slug=slug,
        title=title or default_slug,
        when=when,
        updated=updated,
        summary=summary,
        summary_given=bool(summary),
        locations=parse_locations(check, "location", values.get("location")),
        actors=check.strings("actors", values.get("actors"), split_commas=True),
        tags=tags,
        confidence=confidence,
        source=sources[0] if sources else None,
        sources=sources,
        about=_refs(check, "about", values.get("about")),
        related=_refs(check, "related", values.get("related")),
        events=_events(check, values.get("events")),
        key_judgments=parse_key_judgments(check, values.get("key_judgments"), read_confidence),
        authors=_authors(check, values.get("author"), values.get("authors")),
        as_of=check.when("as_of", values.get("as_of")),
        draft=check.boolean("draft", values.get("draft")) | held_back(check, values),
        marking=marking,
        aliases=aliases,
        moved_from=old_files,
        lat=check.number("lat", values.get("lat"), -90, 90),
        lon=check.number("lon", values.get("lon"), -180, 180),
        country=check.string("country", values.get("country")),
        meta={k: plain(v) for k, v in values.items() if k not in KNOWN_KEYS},
        body=body,
        body_line=parts.body_line,
        lines=dict(raw.lines),
        summary_span=span_of(summary_value) if summary and summary == written_summary
        and isinstance(summary_value, Scalar) else None,
        allowed_lines=_allowed_lines(parts.yaml_text, parts.yaml_line),
    )
    usable = title is not None and not any(
        d.is_error and d.field in ("title", "front matter") for d in check.diagnostics
    )
    return (doc if usable else None), check.diagnostics


ALLOW_COMMENT = re.compile(r"#\s*briefing:\s*allow\s*$")


def _allowed_lines(yaml_text: str | None, first_line: int) -> frozenset[int]:
    """Front matter lines ending in ``# briefing: allow`` (file line numbers)."""
    if not yaml_text or "briefing:" not in yaml_text:
        return frozenset()
    return frozenset(first_line + number for number, line in enumerate(yaml_text.split("\n"))
                     if ALLOW_COMMENT.search(line))


def _authors(check: _Checker, author: Any, authors: Any) -> tuple[str, ...]:
    """``author: Name`` (text) and ``authors: [Name, ...]`` (a list, or as in Pelican a line of
    names parted by commas, unless quoted), together, in order."""
    one = check.string("author", author) if not isinstance(author, list) else None
    if isinstance(author, list):
        check.err("author", "expected one name; for several use 'authors: [Name, Name]'",
                  line_of(author, 0))
    many = check.strings("authors", authors, split_commas=not isinstance(authors, list))
    seen = dict.fromkeys(name.casefold() for name in ((one,) if one else ()))
    return ((one,) if one else ()) + tuple(n for n in many if n.casefold() not in seen)


def _marking(check: _Checker, value: Any) -> str | None:
    if isinstance(value, list) and value and all(isinstance(item, Scalar) for item in value):
        # ``marking: [TLP:RED]``, or several: the most restricted of them (never the least)
        read = [_marking(check, item) for item in value]
        if None in read:
            return None
        if len(read) > 1:
            check.warn("marking", f"several markings; the most restricted, {highest(read)}, is used")
        return highest(read)
    word = check.string("marking", value)
    if not word:
        return None
    norm, note = normalise_marking(word)
    if note:
        check.warn("marking", note)
    if norm is not None:
        return norm
    check.err("marking", f"{word!r} is not a TLP 2.0 marking; expected one of {', '.join(MARKINGS)}")
    return None


def _refs(check: _Checker, key: str, value: Any) -> tuple[LinkRef, ...]:
    refs = []
    # The line of each item by its text, found once (looking it up per name was quadratic).
    item_lines = {item.text.strip(): item.line for item in value if isinstance(item, Scalar)} \
        if isinstance(value, list) else {}
    for name in check.strings(key, value):
        target = name.strip().strip("[]").strip()
        anchor = ""
        if "#" in target:
            target, anchor = target.split("#", 1)
        line = item_lines.get(name, check.lines.get(key, 1))
        refs.append(LinkRef(target=target.strip(), anchor=anchor.strip(), line=line, kind=key))
    return tuple(refs)


def _events(check: _Checker, value: Any) -> tuple[Event, ...]:
    if value is None or is_null(value):
        return ()
    if not isinstance(value, list):
        check.err("events", "expected a list of {date, title, location?, actors?}")
        return ()
    out = []
    for item in value:
        line = line_of(item, check.lines.get("events", 1))
        if not isinstance(item, dict):
            check.err("events", "each event is a mapping with date and title", line)
            continue
        when = check.when("events", item.get("date"), line_of(item.get("date"), line))
        title = check.string("events", item.get("title"))
        if "date" not in item:
            check.err("events", "an event needs a date", line)
        if not title:
            check.err("events", "an event needs a title", line)
        for key in item:
            if key not in ("date", "title", "location", "actors", "summary"):
                check.warn("events", f"unknown key '{key}' in an event; expected date, title, location, actors",
                           line_of(item[key], line))
        if when and title:
            out.append(Event(when=when, title=title,
                             locations=parse_locations(check, "events", item.get("location")),
                             actors=check.strings("events", item.get("actors")), line=line))
    return tuple(out)
