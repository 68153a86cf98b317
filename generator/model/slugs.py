"""Readable, stable, safe URL slugs for titles, file names and terms."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

_CYRILLIC = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
     "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya",
     "i", "yi", "ye", "g"],
    strict=True,
))
_GREEK = dict(zip(
    "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώςϊϋ",
    ["a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n", "x", "o", "p", "r",
     "s", "t", "y", "f", "ch", "ps", "o", "a", "e", "i", "i", "o", "y", "o", "s", "i", "y"],
    strict=True,
))
_ARABIC = dict(zip(
    "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإةى",
    ["a", "b", "t", "th", "j", "h", "kh", "d", "dh", "r", "z", "s", "sh", "s", "d", "t", "z",
     "", "gh", "f", "q", "k", "l", "m", "n", "h", "w", "y", "", "a", "a", "i", "a", "a"],
    strict=True,
))
#: Letters that decompose into an Arabic letter and a mark (a hamza seat), Persian and Urdu
#: letters, the elongation stroke, and Arabic-Indic and Persian digits.
_ARABIC_MORE = {"ئ": "", "ؤ": "w", "ٱ": "a", "ـ": "", "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g", "ک": "k",
                "ی": "y", "ے": "e", "ۀ": "h", "ہ": "h", "ھ": "h",
                **{chr(0x0660 + n): str(n) for n in range(10)}, **{chr(0x06F0 + n): str(n) for n in range(10)}}
#: ``ʾ`` and ``ʿ`` (hamza and ayn in transliterations such as ``Hayʾat``) are dropped.
_SPECIAL = {"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "đ": "d", "ł": "l", "þ": "th", "ı": "i", "&": " and ",
            "ʾ": "", "ʿ": ""}
_TABLE = str.maketrans({**_CYRILLIC, **_GREEK, **_ARABIC, **_ARABIC_MORE, **_SPECIAL})
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}[-_]")

MAX_LENGTH = 80


@lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """``Syrian rebels`` -> ``syrian-rebels``; ``Дамаск`` -> ``damask``; never empty.

    Latin letters lose their accents, Cyrillic, Greek and Arabic are transliterated, other
    scripts keep their letters; anything that is not a letter or digit becomes one hyphen, so
    a slug can never hold ``/``, ``\\`` or ``..``.
    """
    lowered = text.casefold().translate(_TABLE)
    if lowered.isascii():  # nothing to decompose: ASCII is its own NFKD form
        slug = _NON_WORD.sub("-", lowered).replace("_", "-")
    else:
        slug = _marks_kept(unicodedata.normalize("NFKD", lowered))
    slug = re.sub(r"-{2,}", "-", slug).strip("-")
    if len(slug) > MAX_LENGTH:
        slug = slug[:MAX_LENGTH].rsplit("-", 1)[0] or slug[:MAX_LENGTH]
    if not slug:
        slug = "x-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    return slug


def _marks_kept(decomposed: str) -> str:
    """A decomposed text with anything but letters, digits and marks made a hyphen, without
    the accents of Latin letters (``é`` -> ``e``) but with the marks other scripts spell with
    kept (Devanagari's and Thai's vowel signs: ``कील`` and ``कुल`` are two words). Hebrew's
    optional vowel points go, as accents do."""
    out: list[str] = []
    latin = True
    for char in decomposed:
        if unicodedata.category(char)[0] == "M":
            if not latin and not "\u0591" <= char <= "\u05c7":  # Hebrew points go, as accents do
                out.append(char)
            continue
        latin = char < "\u0250" or "\u1e00" <= char <= "\u1eff"
        out.append(char if char.isalnum() else "-")
    return "".join(out)


def slug_from_filename(stem: str) -> str:
    """The slug of a content file: its name without a leading ``YYYY-MM-DD-``."""
    return slugify(_DATE_PREFIX.sub("", stem))


@lru_cache(maxsize=65536)
def term_key(name: str) -> str:
    """The key under which terms match: case-insensitive, spacing-insensitive."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())
