"""Dates that keep their precision: a day is never shown with an invented time."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from functools import cached_property

from generator.model.pickling import pickled_as_call

_PATTERN = re.compile(
    r"^(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2})"
    r"(?:[T ](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?"
    r"\s*(?P<z>Z|z|UTC|[+-]\d{2}:?\d{2})?)?)?)?$"
)

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)


class DateValueError(ValueError):
    """Raised when text is not a date, or names a day that does not exist."""


#: What a date may be: shown in UTC (feeds, sitemaps) and in the site's timezone (pages), it
#: must still fall within the years Python's dates can hold.
RANGE_TEXT = "dates from 0001-01-01 to 9999-12-31 are supported, in UTC and in the site's timezone"


def _utc_stamp(moment: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ`` with a four-digit year (``strftime('%Y')`` drops zeros on Linux)."""
    utc = moment.astimezone(UTC)
    return f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}Z"


@pickled_as_call
@dataclass(frozen=True)
class When:
    """A point in time with its precision: ``year``, ``month``, ``day`` or ``minute``/``second``.

    ``moment`` is an aware datetime (the start of the period for coarse precisions) used for
    ordering; ``local`` is the same moment in the site's timezone, used for display.
    """

    moment: datetime
    precision: str
    local: datetime

    @property
    def has_time(self) -> bool:
        """True when the author gave a time of day."""
        return self.precision in ("minute", "second")

    @cached_property
    def iso(self) -> str:
        """Machine-readable form for ``<time datetime>``: only as precise as written."""
        if self.precision == "year":
            return f"{self.local.year:04d}"
        if self.precision == "month":
            return f"{self.local.year:04d}-{self.local.month:02d}"
        if self.precision == "day":
            return self.local.date().isoformat()
        return _utc_stamp(self.moment)

    @cached_property
    def rfc3339(self) -> str:
        """Full RFC 3339 timestamp in UTC (feeds and sitemaps need one)."""
        return _utc_stamp(self.moment)

    @cached_property
    def readable(self) -> str:
        """Human form without locale: ``6 December 2024``, ``6 December 2024, 14:30 UTC``."""
        d = self.local
        if self.precision == "year":
            return f"{d.year}"
        if self.precision == "month":
            return f"{MONTHS[d.month - 1]} {d.year}"
        text = f"{d.day} {MONTHS[d.month - 1]} {d.year}"
        if self.has_time:
            text += f", {d.hour:02d}:{d.minute:02d} {_zone_name(d)}"
        return text

    @cached_property
    def short(self) -> str:
        """Compact form for lists: ``2024-12-06`` or ``2024-12-06 14:30``."""
        d = self.local
        if not self.has_time:
            return self.iso
        return f"{d.date().isoformat()} {d.hour:02d}:{d.minute:02d}"

    @cached_property
    def sort_key(self) -> tuple[float, int]:
        """Orders by moment; a coarser entry sorts before finer ones on the same start."""
        rank = {"year": 0, "month": 1, "day": 2, "minute": 3, "second": 3}[self.precision]
        return (self.moment.timestamp(), rank)


def _zone_name(d: datetime) -> str:
    name = d.tzname() or "UTC"
    return "UTC" if name in ("UTC", "+00:00") else name


def parse_when(text: str, tz: tzinfo = UTC) -> When:
    """Parse ``2024-12-06``, ``2024-12-06 14:30``, ``2024-12-06T14:30:00Z``, ``2024-12`` or ``2024``.

    A date-time without a zone is in ``tz`` (the site's timezone, UTC by default).
    Raises :class:`DateValueError` with a reason a person understands.
    """
    raw = text.strip()
    m = _PATTERN.match(raw)
    if not m:
        raise DateValueError(
            f"{raw!r} is not a date; expected YYYY-MM-DD, 'YYYY-MM-DD HH:MM' or an ISO 8601 date-time"
        )
    year = int(m["y"])
    if year < 1:
        raise DateValueError(f"{raw!r}: there is no year 0; {RANGE_TEXT}")
    month = int(m["m"]) if m["m"] else 1
    day = int(m["d"]) if m["d"] else 1
    if not 1 <= month <= 12:
        raise DateValueError(f"{raw!r}: month {month} does not exist (1-12)")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise DateValueError(
            f"{raw!r}: day {day} does not exist ({MONTHS[month - 1]} {year} has {last} days)"
        )
    if m["H"] is None:
        precision = "day" if m["d"] else ("month" if m["m"] else "year")
        local = datetime(year, month, day, tzinfo=tz)
        _check_range(raw, local, tz)
        return When(local, precision, local)
    hour, minute, second = int(m["H"]), int(m["M"]), int(m["S"] or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise DateValueError(f"{raw!r}: {hour:02d}:{minute:02d}:{second:02d} is not a time of day")
    zone = m["z"]
    if zone is None:
        zinfo: tzinfo = tz
    elif zone in ("Z", "z", "UTC"):
        zinfo = UTC
    else:
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:])
        if hours > 23 or minutes > 59:
            raise DateValueError(f"{raw!r}: {zone} is not a UTC offset; expected -23:59 to +23:59")
        zinfo = timezone(sign * timedelta(hours=hours, minutes=minutes))
    moment = datetime(year, month, day, hour, minute, second, tzinfo=zinfo)
    local = _check_range(raw, moment, tz)
    precision = "second" if m["S"] and second else "minute"
    return When(moment, precision, local)


def _check_range(raw: str, moment: datetime, tz: tzinfo) -> datetime:
    """``moment`` in ``tz``; refuses a moment that UTC or ``tz`` would move out of the calendar."""
    try:
        moment.astimezone(UTC).timestamp()
        return moment.astimezone(tz)
    except (OverflowError, ValueError):
        raise DateValueError(f"{raw!r} is out of range; {RANGE_TEXT}") from None


def when_from_date(value: date, tz: tzinfo = UTC) -> When:
    """A :class:`When` of day precision for a calendar date."""
    local = datetime(value.year, value.month, value.day, tzinfo=tz)
    return When(local, "day", local)


_MONTHS = {name: number for number, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], 1) for name in names}
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]+)\.?,? (\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})")
_SLASHED = re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})")
_BASIC = re.compile(r"([12]\d{3})(\d{2})(\d{2})")
#: A time of day after such a date (``6 Dec 2024 14:30``, ``..., at 14:30 GMT``), and its zone.
_TIME_AFTER = re.compile(r"(?P<date>.+?),? (?:at )?(?P<time>\d{1,2}:\d{2}(?::\d{2})?)"
                         r"(?: (?P<zone>[A-Za-z]{1,5}(?:[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2}))?")
#: A date as mail and RSS write it (RFC 2822): ``Fri, 06 Dec 2024 10:00:00 GMT``.
_MAIL_DATE = re.compile(r"(?:[A-Za-z]{3}, )?\d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}(?::\d{2})? "
                        r"(?:[+-]\d{4}|GMT|UT|UTC|Z)")


def human_date(text: str) -> str | None:
    """``YYYY-MM-DD`` for a date written as people write it in English (``6 Dec 2024``,
    ``December 6, 2024``, ``2024/12/06``, ``2024.12.06``), with ``HH:MM`` and the zone as
    written when a time follows it (``6 Dec 2024 14:30 CET``); an ISO date-time for one written
    as mail and RSS write it (``Fri, 06 Dec 2024 10:00:00 GMT``); else ``None`` (``12/06/2024``
    reads two ways: none)."""
    text = " ".join(text.split())
    if _MAIL_DATE.fullmatch(text):
        try:
            return parsedate_to_datetime(text).isoformat()
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    if (timed := _TIME_AFTER.fullmatch(text)) is not None and (day := _day_only(timed["date"])) is not None:
        hours, rest = timed["time"].split(":", 1)
        zone = timed["zone"]
        return f"{day} {int(hours):02d}:{rest}" + (f" {zone}" if zone else "")
    return _day_only(text)


def _day_only(text: str) -> str | None:
    """:func:`human_date` of a date without a time."""
    if found := _BASIC.fullmatch(text):  # ISO 8601's basic form, 20241206
        year, month, day = found.groups()
        return f"{year}-{month}-{day}" if 1 <= int(month) <= 12 and 1 <= int(day) <= 31 else None
    if found := _SLASHED.fullmatch(text):
        year, month, day = found.groups()
    elif found := _DAY_MONTH_YEAR.fullmatch(text):
        day, name, year = found.groups()
        month = str(_MONTHS.get(name.lower(), ""))
    elif found := _MONTH_DAY_YEAR.fullmatch(text):
        name, day, year = found.groups()
        month = str(_MONTHS.get(name.lower(), ""))
    else:
        return None
    if not month:
        return None
    return f"{year}-{int(month):02d}-{int(day):02d}"


#: Zone abbreviations that name one offset (as each is defined; CET is +01:00 in summer too).
ZONE_OFFSETS = {
    "WET": "+00:00", "WEST": "+01:00", "BST": "+01:00",
    "CET": "+01:00", "CEST": "+02:00", "MET": "+01:00", "MEST": "+02:00", "EET": "+02:00",
    "EEST": "+03:00", "MSK": "+03:00", "TRT": "+03:00", "GST": "+04:00", "PKT": "+05:00",
    "HKT": "+08:00", "SGT": "+08:00", "JST": "+09:00", "KST": "+09:00", "AEST": "+10:00",
    "AEDT": "+11:00", "NZST": "+12:00", "NZDT": "+13:00", "EST": "-05:00", "EDT": "-04:00",
    "CDT": "-05:00", "MST": "-07:00", "MDT": "-06:00", "PST": "-08:00", "PDT": "-07:00",
    "AKST": "-09:00", "HST": "-10:00",
}
#: Abbreviations that name more than one zone: the author must say which.
AMBIGUOUS_ZONES = {
    "IST": "India +05:30, Israel +02:00 or Ireland +01:00", "CST": "US Central -06:00 or China +08:00",
    "AST": "Arabia +03:00 or Atlantic -04:00", "ADT": "Arabia +04:00 or Atlantic -03:00",
}
_ZONE_WORD = re.compile(r"^(?P<when>\d{4}-\d{1,2}-\d{1,2}[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)"
                        r"\s*(?:(?P<word>[A-Za-z]{2,5})(?P<shift>[+-]\d{1,2}(?::?\d{2})?)?|(?P<hours>[+-]\d{2}))$")


def spelled_zone(text: str) -> tuple[str, str] | None:
    """A date-time whose zone is written as a word (``2024-12-06 10:00 CET``) or in hours alone
    (``...T10:00+01``): ``(the same with an ISO offset, what was read)``. Raises
    :class:`DateValueError` for a word that names several zones or none; ``None`` when
    ``text`` is not such a date-time."""
    found = _ZONE_WORD.match(text.strip())
    if found is None:
        return None
    if found["hours"]:
        return f"{found['when']}{found['hours']}:00", f"{found['hours']}:00"
    word = found["word"].upper()
    if word in ("UTC", "GMT", "UT") and found["shift"]:  # UTC+3, GMT-05:00
        sign, digits = found["shift"][0], found["shift"][1:].replace(":", "")
        hours, minutes = (digits, "00") if len(digits) <= 2 else (digits[:-2], digits[-2:])
        offset = f"{sign}{int(hours):02d}:{minutes}"
        return f"{found['when']}{offset}", f"{word}{found['shift']} ({offset})"
    if found["shift"]:
        raise DateValueError(f"{text.strip()!r}: {found['word']}{found['shift']} is not a zone this tool knows; "
                             "write the offset, such as 2024-12-06T10:00+01:00, or Z for UTC")
    if word in ("UTC", "Z", "GMT", "UT"):
        return f"{found['when']}Z", "UTC"
    if word in ZONE_OFFSETS:
        return f"{found['when']}{ZONE_OFFSETS[word]}", f"{word} ({ZONE_OFFSETS[word]})"
    if word in AMBIGUOUS_ZONES:
        raise DateValueError(f"{text.strip()!r}: {word} names several zones ({AMBIGUOUS_ZONES[word]}); "
                             "write the offset, such as 2024-12-06T10:00+05:30")
    raise DateValueError(f"{text.strip()!r}: {found['word']!r} is not a time zone this tool knows; write the "
                         "offset, such as 2024-12-06T10:00+01:00, or Z for UTC")
