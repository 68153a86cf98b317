"""The sources a document cites: ``sources:`` (a list) or the single ``source:`` (a one-item list).

Each source has a ``name`` and optionally a ``url``, the date it was ``accessed`` and its
Admiralty grading (STANAG 2511): ``reliability`` A-F of the source and ``credibility`` 1-6 of
the information, or both at once as ``grade: B2`` (``reliability: B2`` is read the same way).
A source may also be written as its name alone. Problems are reported per item, as
``sources[i].field`` (``i`` counted from 1, as in ``key_judgments[i]``), all of them, never only the first.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, Protocol
from urllib.parse import urlsplit

from generator.model.document import CREDIBILITY, RELIABILITY, Source
from generator.yamltree import Scalar, is_null, line_of

_URL = re.compile(r"^(https?://|mailto:|/|\./|\.\./)[^\s<>\"]*$", re.I)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
KEYS = ("name", "url", "accessed", "reliability", "credibility", "grade")
SHAPE = "a name or a mapping {name, url, accessed, reliability, credibility}"


class Checker(Protocol):
    """What the front matter checker offers (see generator.model.frontmatter)."""

    lines: dict[str, int]

    def err(self, key: str, message: str, line: int | None = None) -> None: ...  # noqa: D102
    def warn(self, key: str, message: str, line: int | None = None) -> None: ...  # noqa: D102


#: A source written as nothing but a web address.
_WEB_ADDRESS = re.compile(r"https?://[^\s<>\"]+", re.I)


def parse_sources(check: Checker, values: dict[str, Any]) -> tuple[Source, ...]:
    """Every source a document cites, from ``sources:``, ``source:`` and ``source_url:``."""
    found: list[Source] = []
    url = _text(values.get("source_url"))
    if url is not None and not _URL.match(url):
        check.err("source_url", f"{url!r} is not a URL; expected https://...")
        url = None
    single = values.get("source")
    if single is not None and not is_null(single):
        if isinstance(single, list):
            found += _items(check, "source", single, url)
        else:
            item = _item(check, "source", single, url, check.lines.get("source", 1))
            found += [item] if item is not None else []
    elif url:
        found.append(Source(name=url, url=url))
    many = values.get("sources")
    if many is not None and not is_null(many):
        if not isinstance(many, list):  # ``sources: Reuters, AP``: two, as ``authors:`` reads it
            many = _names_in_line(many)
        found += _items(check, "sources", many, None)
    unique: dict[str, Source] = {}
    for source in found:
        unique.setdefault(source_key(source.name), source)
    return tuple(unique.values())


def source_key(name: str) -> str:
    """How a source name is compared: case and runs of white space do not count."""
    return " ".join(name.split()).casefold()


def _text(value: Any) -> str | None:
    if isinstance(value, Scalar) and not is_null(value):
        return value.text.strip() or None
    return None


def _items(check: Checker, key: str, items: list[Any], url: str | None) -> list[Source]:
    out: list[Source] = []
    for number, item in enumerate(items, 1):  # counted from 1, as authors count (and key_judgments[n])
        line = line_of(item, check.lines.get(key, 1))
        source = _item(check, f"{key}[{number}]", item, url, line)
        if source is not None:
            out.append(source)
    return out


def _item(check: Checker, where: str, item: Any, url: str | None, line: int) -> Source | None:
    if isinstance(item, Scalar):
        name = item.text.strip()
        if not name:
            check.err(where, f"is empty; expected {SHAPE}", line)
            return None
        if url is None and _WEB_ADDRESS.fullmatch(name):  # source: https://... is its own link
            url = name
        return Source(name=" ".join(name.split()), url=url)
    if isinstance(item, list) or not isinstance(item, dict):
        check.err(where, f"is a nested list; expected {SHAPE}", line)
        return None
    for key in item:
        if key not in KEYS:
            check.warn(f"{where}.{key}", f"unknown key; expected one of {', '.join(KEYS)}", line_of(item[key], line))
    name = _field(check, where, item, "name", line)
    own_url = _field(check, where, item, "url", line)
    if not name and own_url and "name" not in item and _URL.match(own_url) and _host(own_url):
        name = _host(own_url)  # {url: https://defence-blog.com/...}: named by its site, as a reader would
        check.warn(f"{where}.name", f"missing; named {name!r} from its address (expected the name of "
                                    "the source, such as Reuters)", line)
    if not name:
        if "name" not in item or is_null(item.get("name")):
            check.err(f"{where}.name", "missing; expected the name of the source, such as Reuters", line)
        return None
    if own_url and not _URL.match(own_url):
        check.err(f"{where}.url", f"{own_url!r} is not a URL; expected https://...", line_of(item.get("url"), line))
        own_url = None
    accessed = _field(check, where, item, "accessed", line)
    if accessed and not _DATE.match(accessed):
        check.err(f"{where}.accessed", f"{accessed!r} is not a date; expected a date such as 2024-12-06",
                  line_of(item.get("accessed"), line))
        accessed = None
    reliability = _field(check, where, item, "reliability", line)
    credibility = _field(check, where, item, "credibility", line)
    grade_field = "reliability"
    grade = _field(check, where, item, "grade", line)
    if grade:
        grade, note = written_grade(grade)
        if note:
            check.warn(f"{where}.grade", note, line_of(item.get("grade"), line))
    if grade and not reliability and not credibility:
        reliability, grade_field = grade, "grade"
    if reliability and len(reliability) == 2 and not credibility:
        reliability, credibility = reliability[0], reliability[1]
        if grade_field == "grade":
            credibility_field = "grade"
        else:
            credibility_field = "reliability"
    else:
        credibility_field = "credibility"
    if reliability:
        reliability = reliability.upper()
        if reliability not in RELIABILITY:
            check.err(f"{where}.{grade_field}", f"{reliability!r} is not a reliability grade; expected a letter "
                      "A-F (Admiralty grading: A completely reliable ... F cannot be judged)",
                      line_of(item.get(grade_field), line))
            reliability = None
    if credibility and credibility not in CREDIBILITY:
        check.err(f"{where}.{credibility_field}", f"{credibility!r} is not a credibility grade; expected a digit "
                  "1-6 (Admiralty grading: 1 confirmed ... 6 cannot be judged)",
                  line_of(item.get(credibility_field), line))
        credibility = None
    return Source(name=" ".join(name.split()), url=own_url or url, reliability=reliability,
                  credibility=credibility, accessed=accessed)


def _names_in_line(value: Any) -> list[Any]:
    """``sources: Reuters, AP`` as two names; a quoted line, or one holding an address, as one."""
    if not isinstance(value, Scalar) or value.quoted or "," not in value.text or "://" in value.text:
        return [value]
    parts = (part.strip().strip("\"'").strip() for part in value.text.split(","))
    return [dataclasses.replace(value, text=part) for part in parts if part]


def _host(url: str) -> str:
    """The site of a web address, without ``www.`` (``https://www.bbc.co.uk/x`` -> ``bbc.co.uk``)."""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def _field(check: Checker, where: str, item: dict[str, Any], key: str, line: int) -> str | None:
    value = item.get(key)
    if value is None or is_null(value):
        return None
    if not isinstance(value, Scalar):
        kind = "a list" if isinstance(value, list) else "a mapping"
        check.err(f"{where}.{key}", f"is {kind}; expected text", line_of(value, line))
        return None
    return value.text.strip() or None


#: The Admiralty scale's words, longest first (``not usually reliable`` before ``usually reliable``).
_GRADE_WORDS = sorted([(text.lower(), key) for key, text in (*RELIABILITY.items(), *CREDIBILITY.items())]
                      + [("reliability unknown", "F"), ("cannot be judged", "")], key=lambda pair: -len(pair[0]))
_GRADE_MARKS = re.compile(r"[\s./-]+")
_AFTERWORD = re.compile(r"\s*\(.*\)\s*$")


def written_grade(written: str) -> tuple[str, str | None]:
    """A grade as analysts write it, as its two characters: ``B-2``, ``B/2``, ``B 2`` and
    ``A1 (reliable)`` are ``B2`` and ``A1``; ``2B`` and ``usually reliable, probably true`` are
    ``B2`` with a note (the second of the pair) saying how it was read. Anything else comes
    back as written, for the grade check to report."""
    text = _AFTERWORD.sub("", written).strip() or written.strip()
    compact = _GRADE_MARKS.sub("", text).upper()
    if len(compact) == 2 and compact[0] in RELIABILITY and compact[1] in CREDIBILITY:
        return compact, None
    if len(compact) == 2 and compact[1] in RELIABILITY and compact[0] in CREDIBILITY:
        return compact[::-1], f"{written!r} is read as {compact[::-1]}: a grade is written letter first"
    low = " ".join(text.lower().replace(",", " ").replace(";", " ").split())
    letter = digit = ""
    for words, key in _GRADE_WORDS:
        if words in low:
            low = low.replace(words, " ")
            if key in RELIABILITY and not letter:
                letter = key
            elif key in CREDIBILITY and not digit:
                digit = key
    if letter and digit and not low.strip():
        return letter + digit, f"{written!r} is read as {letter}{digit}; a grade is written as its letter and digit"
    return written, None
