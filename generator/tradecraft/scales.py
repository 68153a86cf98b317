"""Likelihood scales: the words a site may use for how likely something is, and their ranges.

Two scales are built in:

- ``icd203``: US ODNI, Intelligence Community Directive 203, *Analytic Standards* (2015),
  standard 2.6(a): seven ranges from "almost no chance / remote" (01-05%) to "almost certain(ly) /
  nearly certain" (95-99%); either word of a pair may be used (public text:
  https://www.dni.gov/files/documents/ICD/ICD%20203%20Analytic%20Standards.pdf).
- ``phia``: UK Professional Head of Intelligence Assessment, *Probability Yardstick* (2019):
  seven ranges from "remote chance" (0-5%) to "almost certain" (95-100%), with deliberate gaps
  between them (35-40% has no term, for instance).

A site picks one with ``likelihood_scale:`` in ``briefing.yaml`` (``none`` turns the checks
off) and may define its own under ``likelihood_scales:``; :func:`read_scale_settings` validates
both. Words that carry likelihood on no scale ("perhaps", "maybe", "possibly", "it cannot be
ruled out", and in key judgments "could", "might", "may") are listed in :data:`HEDGES`, each
with a rough reading used only to suggest the nearest terms of the scale.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass
from typing import Any

from generator.errors import Diagnostic, error
from generator.yamltree import Mapping, Scalar, is_null, line_of

DEFAULT_SCALE = "icd203"
OFF = "none"


@dataclass(frozen=True)
class Term:
    """One range of a scale: its name, its bounds in per cent, and every spelling of it."""

    name: str
    low: float
    high: float
    #: Lower-case phrases that mean this term, the name first.
    spellings: tuple[str, ...]

    @property
    def range_text(self) -> str:
        """``55-80%``."""
        return f"{_number(self.low)}-{_number(self.high)}%"

    @property
    def label(self) -> str:
        """``likely (55-80%)``."""
        return f"{self.name} ({self.range_text})"

    def covers(self, low: float, high: float) -> bool:
        """Whether the probability ``low``-``high`` (per cent) lies inside this term's range."""
        return self.low - 1e-9 <= low and high <= self.high + 1e-9


@dataclass(frozen=True)
class Scale:
    """A likelihood scale: its key (as ``likelihood_scale:`` names it), a title for messages,
    and its terms from least to most likely."""

    key: str
    title: str
    terms: tuple[Term, ...]

    @property
    def ident(self) -> str:
        """A short stable id of the scale's content (part of each parse's cache key)."""
        return self.key + ":" + hashlib.blake2b(repr(self.terms).encode(), digest_size=6).hexdigest()

    def term_named(self, words: str) -> Term | None:
        """The term one of whose spellings is ``words`` (any case and spacing), else ``None``."""
        wanted = " ".join(words.lower().split())
        return next((t for t in self.terms if wanted in t.spellings), None)

    def nearest(self, low: float, high: float, count: int = 2) -> list[Term]:
        """The terms whose ranges lie nearest ``low``-``high``, in the scale's order: every term
        that covers it when one does, else the ``count`` nearest by the distance between midpoints."""
        covering = [t for t in self.terms if t.covers(low, high)]
        if covering:
            return covering
        middle = (low + high) / 2
        order = sorted(self.terms, key=lambda t: (abs((t.low + t.high) / 2 - middle), t.low))
        return sorted(order[:count], key=lambda t: (t.low, t.high))


def _number(value: float) -> str:
    return f"{value:g}"


ICD203 = Scale("icd203", "ICD 203", (
    Term("almost no chance", 1, 5, ("almost no chance", "remote")),
    Term("very unlikely", 5, 20, ("very unlikely", "highly improbable")),
    Term("unlikely", 20, 45, ("unlikely", "improbable", "improbably")),
    Term("roughly even chance", 45, 55, ("roughly even chance", "roughly even odds")),
    Term("likely", 55, 80, ("likely", "probable", "probably")),
    Term("very likely", 80, 95, ("very likely", "highly probable")),
    Term("almost certain", 95, 99, ("almost certain", "almost certainly", "nearly certain", "nearly certainly")),
))

PHIA = Scale("phia", "the PHIA probability yardstick", (
    Term("remote chance", 0, 5, ("remote chance",)),
    Term("highly unlikely", 10, 20, ("highly unlikely",)),
    Term("unlikely", 25, 35, ("unlikely",)),
    Term("realistic possibility", 40, 50, ("realistic possibility",)),
    Term("likely", 55, 75, ("likely", "probably")),
    Term("highly likely", 80, 90, ("highly likely",)),
    Term("almost certain", 95, 100, ("almost certain", "almost certainly")),
))

BUILT_IN = {ICD203.key: ICD203, PHIA.key: PHIA}


@dataclass(frozen=True)
class Hedge:
    """A word that carries likelihood but is on no scale, with a rough reading (per cent) used
    to suggest terms. It is found by its ``anchors`` (lower-case words); ``before`` and
    ``after`` are context one of which must come right before or after an anchor for it to
    count (when given), ``not_before`` and ``not_after`` context that makes it not count;
    ``from_before``: the words reported start with the ``before`` context ("cannot be ruled
    out"); ``also_after``: context that must follow as well ("we cannot exclude *that*", not
    "we cannot exclude Turkey from the talks"). ``judgments_only`` words (modal verbs) are checked in key judgments only, where they
    stand in for a likelihood (elsewhere "could" is as often ability)."""

    name: str
    anchors: tuple[str, ...]
    low: float
    high: float
    judgments_only: bool = False
    before: str = ""
    after: str = ""
    not_before: str = ""
    not_after: str = ""
    from_before: bool = False
    also_after: str = ""


#: Hedges analysts are taught to avoid. The readings are this tool's: near the middle of the
#: scale for "perhaps" and kin (Reagan, Mosteller and Youtz, 1989, found "possible" read
#: anywhere from about 40 to 70%), lower for "cannot be ruled out".
HEDGES = (
    Hedge("perhaps", ("perhaps",), 35, 55),
    Hedge("maybe", ("maybe",), 35, 55),
    Hedge("possibly", ("possibly",), 35, 55, not_before=r"(?:\bnot|n['’]t|\bcannot)\s+"),
    Hedge("possible", ("possible", "conceivable"), 35, 55,
          before=r"\b(?:is|are|was|were|be|been|being|seems?|remains?|appears?|looks?)\s+"
                 r"(?:(?:quite|entirely|very|also|still|only|just|certainly|well|perfectly)\s+)?",
          after=r"\s+that\b", not_after=r"\s+(?:to|for)\b"),
    Hedge("conceivably", ("conceivably",), 10, 35),
    Hedge("cannot be ruled out", ("ruled out", "rule out"), 10, 35,
          before=r"\b(?:cannot|can['’]t|can not)\s+(?:be\s+)?", from_before=True),
    Hedge("cannot be excluded", ("excluded", "dismissed", "discounted"), 10, 35,
          before=r"\b(?:cannot|can['’]t|can not)\s+be\s+", from_before=True),
    Hedge("cannot exclude", ("exclude", "dismiss", "discount"), 10, 35,
          before=r"\b(?:cannot|can['’]t|can not)\s+", from_before=True, also_after=r"\s+(?:the\s+possibility|that)\b"),
    Hedge("could", ("could", "might", "may"), 20, 60, judgments_only=True, not_after=r"\s*\d"),
)


# -- settings -----------------------------------------------------------------------------

def scale_for(name: str, scales: dict[str, Any]) -> Scale | None:
    """The scale ``likelihood_scale`` names (``None`` for ``none``), from the built-ins or the
    site's own ``likelihood_scales`` (as :func:`read_scale_settings` left them)."""
    key = name.lower()
    if key == OFF:
        return None
    if key in BUILT_IN:
        return BUILT_IN[key]
    for own, items in scales.items():
        if own.lower() == key:
            terms = [Term(i["term"], i["range"][0], i["range"][1], tuple(i["spellings"])) for i in items]
            return Scale(own, f"the {own!r} scale", tuple(sorted(terms, key=lambda t: (t.low, t.high))))
    return ICD203  # not reached after validation


_RANGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%?\s*(?:-|–|—|to)\s*(\d+(?:\.\d+)?)\s*%?\s*$")
_ITEM = "'- term: low-high' (such as '- likely: 55-80') or {term, range, also}"


def read_scale_settings(values: dict[str, Any], lines: dict[str, int],
                        path: str) -> tuple[str, dict[str, list[dict[str, Any]]], list[Diagnostic]]:
    """``likelihood_scale`` and ``likelihood_scales`` from raw ``briefing.yaml`` values: the
    scale's name, the site's scales as plain data, and an error on its line for each mistake."""
    diags: list[Diagnostic] = []
    scales: dict[str, list[dict[str, Any]]] = {}
    raw_scales = values.get("likelihood_scales")
    if raw_scales is not None and not is_null(raw_scales):
        line = lines.get("likelihood_scales", 1)
        if not isinstance(raw_scales, dict):
            diags.append(error(path, line, "likelihood_scales", "expected a mapping of scale names to lists of "
                                                                f"terms, each {_ITEM}"))
        else:
            for name, items in raw_scales.items():
                where = line_of(items, line)
                if name.lower() in (*BUILT_IN, OFF):
                    diags.append(error(path, where, "likelihood_scales",
                                       f"{name!r} is the name of a built-in setting; choose another name"))
                    continue
                terms = _scale_terms(name, items, where, path, diags)
                if terms:
                    scales[name] = terms
    name = DEFAULT_SCALE
    raw_name = values.get("likelihood_scale")
    if raw_name is not None and not is_null(raw_name):
        line = lines.get("likelihood_scale", 1)
        known = [*BUILT_IN, OFF, *scales]
        if not isinstance(raw_name, Scalar) or not raw_name.text.strip():
            diags.append(error(path, line, "likelihood_scale", f"expected the name of a scale: {', '.join(known)}"))
        else:
            wanted = raw_name.text.strip()
            if wanted.lower() in [k.lower() for k in known]:
                name = wanted
            elif not any(d.field == "likelihood_scales" for d in diags):
                guess = difflib.get_close_matches(wanted.lower(), [k.lower() for k in known], 1, 0.6)
                hint = f"; did you mean '{guess[0]}'?" if guess else ""
                diags.append(error(path, line, "likelihood_scale",
                                   f"no scale {wanted!r}; expected {', '.join(known)} (or a scale of your own "
                                   f"under likelihood_scales){hint}"))
    return name, scales, diags


def _scale_terms(name: str, items: Any, line: int, path: str, diags: list[Diagnostic]) -> list[dict[str, Any]]:
    where = name
    if not isinstance(items, list) or not items:
        diags.append(error(path, line, "likelihood_scales",
                           f"{name}: expected a list of terms, each {_ITEM}"))
        return []
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for item in items:
        item_line = line_of(item, line)
        parsed = _term(item, item_line, where, path, diags)
        if parsed is None:
            continue
        clash = [s for s in parsed["spellings"] if s in seen]
        if clash:
            diags.append(error(path, item_line, "likelihood_scales",
                               f"{name}: {clash[0]!r} is already a term of this scale (line {seen[clash[0]]})"))
            continue
        seen.update((s, item_line) for s in parsed["spellings"])
        out.append(parsed)
    return out


def _term(item: Any, line: int, where: str, path: str, diags: list[Diagnostic]) -> dict[str, Any] | None:
    def fail(message: str) -> None:
        diags.append(error(path, line, "likelihood_scales", f"{where}: {message}"))

    if not isinstance(item, Mapping) or not item:
        fail(f"expected {_ITEM}")
        return None
    if "term" in item:
        for key in item:
            if key not in ("term", "range", "also"):
                fail(f"unknown key {key!r} in a term; expected term, range, also")
                return None
        words, raw_range, also = item.get("term"), item.get("range"), item.get("also")
    elif len(item) == 1:
        (word_text, raw_range), = item.items()
        words, also = Scalar(word_text, False, line), None
    else:
        fail(f"expected {_ITEM}, found a mapping with {len(item)} keys")
        return None
    if not isinstance(words, Scalar) or not words.text.strip():
        fail("a term needs its words, such as 'likely'")
        return None
    spellings = [" ".join(w.lower().split()) for w in words.text.split("/") if w.strip()]
    if also is not None and not is_null(also):
        extra = also if isinstance(also, list) else [also]
        if not all(isinstance(a, Scalar) and a.text.strip() for a in extra):
            fail("'also' expects other words for the same term, such as [probably, probable]")
            return None
        spellings += [" ".join(a.text.lower().split()) for a in extra]
    bounds = _bounds(raw_range)
    shown = words.text.strip()
    if bounds is None:
        fail(f"{shown!r}: expected a range in per cent such as 55-80, found "
             f"{'nothing' if raw_range is None or is_null(raw_range) else _shown(raw_range)}")
        return None
    low, high = bounds
    if not 0 <= low <= high <= 100:
        fail(f"{shown!r}: the range {_number(low)}-{_number(high)} must run upwards, within 0-100")
        return None
    return {"term": spellings[0], "range": [low, high], "spellings": list(dict.fromkeys(spellings))}


def _bounds(value: Any) -> tuple[float, float] | None:
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, Scalar) for v in value):
        text = f"{value[0].text}-{value[1].text}"
    elif isinstance(value, Scalar):
        text = value.text
    else:
        return None
    match = _RANGE.match(text)
    return (float(match.group(1)), float(match.group(2))) if match else None


def _shown(value: Any) -> str:
    if isinstance(value, Scalar):
        return repr(value.text)
    return "a list" if isinstance(value, list) else "a mapping"
