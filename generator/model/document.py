"""The documents of a site and the values their front matter holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from generator.model.dates import When
from generator.model.marking import MARKINGS  # noqa: F401 - also importable from here
from generator.model.pickling import pickled_as_call


class DocType(StrEnum):
    """What a content file is; the folder decides unless front matter sets ``type``."""

    ARTICLE = "article"
    NOTE = "note"
    PAGE = "page"
    ACTOR = "actor"
    LOCATION = "location"
    SOURCE = "source"


#: Folder under ``content/`` -> the type of the Markdown files in it.
FOLDER_TYPES = {
    "articles": DocType.ARTICLE,
    "notes": DocType.NOTE,
    "pages": DocType.PAGE,
    "actors": DocType.ACTOR,
    "locations": DocType.LOCATION,
    "sources": DocType.SOURCE,
}

CONFIDENCE_LEVELS = ("low", "moderate", "high")
RELIABILITY = {
    "A": "Completely reliable",
    "B": "Usually reliable",
    "C": "Fairly reliable",
    "D": "Not usually reliable",
    "E": "Unreliable",
    "F": "Reliability cannot be judged",
}
CREDIBILITY = {
    "1": "Confirmed by other sources",
    "2": "Probably true",
    "3": "Possibly true",
    "4": "Doubtful",
    "5": "Improbable",
    "6": "Truth cannot be judged",
}


@pickled_as_call
@dataclass(frozen=True, slots=True)
class Location:
    """A place a document is about; coordinates when the author or term page gives them."""

    name: str
    lat: float | None = None
    lon: float | None = None


@pickled_as_call
@dataclass(frozen=True, slots=True)
class Source:
    """Where an article's information came from, with its Admiralty grading."""

    name: str
    url: str | None = None
    reliability: str | None = None
    credibility: str | None = None
    #: The day the author read it, as written (``2024-12-06``).
    accessed: str | None = None

    @property
    def grading(self) -> str:
        """The Admiralty code, such as ``B2``, or ``""`` when not graded."""
        return f"{self.reliability or ''}{self.credibility or ''}"

    @property
    def reliability_text(self) -> str:
        """Words for the reliability letter."""
        return RELIABILITY.get(self.reliability or "", "")

    @property
    def credibility_text(self) -> str:
        """Words for the credibility digit."""
        return CREDIBILITY.get(self.credibility or "", "")


@pickled_as_call
@dataclass(frozen=True, slots=True)
class Event:
    """An extra timeline entry carried by a document."""

    when: When
    title: str
    locations: tuple[Location, ...] = ()
    actors: tuple[str, ...] = ()
    line: int = 0


#: Where a front matter text was written: (line, column, end line, end column); lines 1-based,
#: columns 0-based, the quote or block indicator (``>-``) included. See :mod:`generator.yamltree`.
Span = tuple[int, int, int, int]


@pickled_as_call
@dataclass(frozen=True, slots=True)
class KeyJudgment:
    """One of a note's key judgments (``key_judgments:``): its text, and the confidence and
    likelihood given with it (the likelihood as written; :mod:`generator.tradecraft` checks it
    against the site's scale)."""

    text: str
    confidence: str | None = None
    likelihood: str | None = None
    line: int = 0
    #: Where ``text`` and ``likelihood`` were written, for diagnostics that point at a word.
    span: Span | None = None
    likelihood_span: Span | None = None


@pickled_as_call
@dataclass(frozen=True, slots=True)
class LinkRef:
    """A ``[[target#anchor|label]]`` cross-link or a front matter reference, with its line."""

    target: str
    anchor: str = ""
    label: str = ""
    line: int = 0
    kind: str = "body"  # body, about, related, or file (a link to a Markdown file: markup/filelinks.py)


@pickled_as_call
@dataclass(eq=False)
class Document:
    """One content file, validated: what every page, list and feed is made from."""

    path: str  # relative to the site folder, POSIX
    type: DocType
    slug: str
    title: str
    when: When | None = None
    updated: When | None = None
    summary: str = ""
    summary_given: bool = False
    locations: tuple[Location, ...] = ()
    actors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    confidence: str | None = None
    #: The first of ``sources`` (kept for templates and code written for one source).
    source: Source | None = None
    #: Every source the document cites, in the order written (see generator.model.sourcing).
    sources: tuple[Source, ...] = ()
    about: tuple[LinkRef, ...] = ()
    related: tuple[LinkRef, ...] = ()
    events: tuple[Event, ...] = ()
    key_judgments: tuple[KeyJudgment, ...] = ()
    #: Who wrote it (``author:`` then ``authors:``), shown as the byline.
    authors: tuple[str, ...] = ()
    #: The date the information is current to (``as_of:``); pages fall back to updated/date.
    as_of: When | None = None
    draft: bool = False
    marking: str | None = None
    aliases: tuple[str, ...] = ()
    #: The files of the page's old addresses (``aliases: [/old/]``, ``redirect_from:``), each
    #: written as a page that sends the reader on (generator/model/moved.py).
    moved_from: tuple[str, ...] = ()
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    lines: dict[str, int] = field(default_factory=dict)
    #: Where the summary was written in the front matter (``None``: not given there).
    summary_span: Span | None = None
    #: Front matter lines that end in ``# briefing: allow``: the author's word that the
    #: tradecraft checks (generator.tradecraft) are to leave them alone.
    allowed_lines: frozenset[int] = frozenset()

    @property
    def is_dated(self) -> bool:
        """True when the document belongs on the timeline and in feeds."""
        return self.when is not None

    def line_of(self, key: str) -> int:
        """The line of a front matter key (or 1)."""
        return self.lines.get(key, 1)
