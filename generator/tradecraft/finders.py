"""Finding likelihood words, confidence statements, probabilities and sentences in a text.

Every search starts from a plain word looked up with ``str.find`` (an anchor such as "likely",
"confiden", "chance") and reads the context around it with small anchored patterns: scanning a
document with one regular expression per rule cost milliseconds, this costs microseconds, and
a document without any anchor is passed over at once. Texts are searched lower-cased (ASCII
case only when lowering would change the length, so offsets stay the author's).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from generator.tradecraft.scales import BUILT_IN, HEDGES, Hedge, Scale, Term

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_SPACE = r"[\s*_]+"
#: Words before a term that make it a comparison, not a judgment ("more likely", "as likely as not").
_COMPARISON = re.compile(r"\b(?:more|most|less|least|as|not|how|so|too)[\s*_]+\Z")
#: "remote" is a likelihood only about a chance ("a remote chance", "the chance is remote").
_REMOTE_AFTER = re.compile(r"[\s*_]+(?:chance|possibility|prospect|likelihood|odds)\b")
_REMOTE_BEFORE = re.compile(r"\b(?:is|are|was|were|seems|remains)\s+\Z")
_LEVEL = r"(?:high|moderate|medium|low)"
_CONFIDENCE_BEFORE = re.compile(rf"\b{_LEVEL}[*_]*(?:\s+|-)[*_]*\Z")
_CONFIDENCE_AFTER = re.compile(rf"ce[*_]*(?:\s+(?:is|was|remains|stays|of|at)\s+|\s*:\s*)[*_]*{_LEVEL}\b")
_CONFIDENT_BEFORE = re.compile(r"\b(?:we\s+are|we['’]re|i\s+am|i['’]m)\s+(?:highly\s+|moderately\s+|fairly\s+|very\s+)?\Z")
_NUMBER = r"(\d{1,3}(?:\.\d+)?)"
_PERCENT = r"(?:%|per\s?cent\b|percent\b)"
_PROBABILITY = (rf"{_NUMBER}\s*(?:%|per\s?cent|percent)?\s*(?:-|–|—|to)\s*{_NUMBER}\s*{_PERCENT}"
                rf"|{_NUMBER}\s*{_PERCENT}|(\d{{1,4}})(?:\s+|-)(?:in|out\s+of)(?:\s+|-)(\d{{1,4}})\b")
#: A probability right after a term: "likely (73%)", "likely, 3 in 4,", "| Likely | 55-80% |".
_ADJACENT = re.compile(r"[\s*_()\[\],:;|~–—-]{0,12}(?:(?:a|an|about|around|roughly|approximately|approx\.|some|"
                       rf"c\.|ca\.)[\s(\[~]+)?(?:{_PROBABILITY})")
#: A probability in brackets of its own, where a sentence puts it ("will likely stay (73%).").
_BRACKETED = re.compile(r"\(\s*(?:(?:a|an|about|around|roughly|approximately|approx\.|some|c\.|ca\.)\s+)?"
                        rf"(?:{_PROBABILITY})(?=\s*\))")
#: A probability right before "chance", "probability", "likelihood" or "odds".
_BEFORE_CHANCE = re.compile(rf"(?:{_PROBABILITY})[\s*_]*\Z")
_CHANCE_WORDS = ("chance", "probability", "likelihood", "odds")
#: Parts of the words looked for: a text holding none of them has no likelihood word of the
#: built-in scales or hedges (one look per stem instead of one per word).
_STEMS = ("likel", "probab", "certain", "possib", "conceiv", "chance", "odds", "remote", "perhaps", "maybe",
          "rule", "exclud", "dismiss", "discount")
_BREAK = re.compile(r"[.!?][)\]\"'”’*_]*(?=\s|$)|\n[ \t]*\n|\||\n(?=[ \t]{0,3}(?:[-*+]|\d{1,9}[.)])[ \t]|[ \t]{0,3}#)"
                    r"|(?<=\n)[ \t]{0,3}#[^\n]*\n")
_ABBREVIATION = re.compile(r"(?:\b(?:e\.g|i\.e|etc|vs|cf|approx|incl|al|mr|mrs|ms|dr|st|no|gen|col|lt|maj|capt|"
                           r"sgt|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)|(?<!\w)[a-z])\Z")


@dataclass(frozen=True)
class Word:
    """A likelihood word found: where, as written, and what it is: a term (``own``: of the
    scale in use) or a hedge."""

    start: int
    end: int
    text: str
    term: Term | None
    own: bool
    hedge: Hedge | None = None


@dataclass(frozen=True)
class Probability:
    """A percentage or odds: its bounds in per cent, where it starts, and as written."""

    low: float
    high: float
    start: int
    written: str


def lowered(text: str) -> str:
    """``text`` in lower case, of the same length."""
    low = text.lower()
    return low if len(low) == len(text) else text.translate(_ASCII_LOWER)


def occurrences(text: str, word: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each occurrence of ``word`` standing as a whole word."""
    size = len(text)
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if (at == 0 or not text[at - 1].isalnum()) and (end == size or not text[end].isalnum()):
            yield at, end
        at = text.find(word, at + 1)


def _normal(text: str) -> str:
    return " ".join(re.split(r"[\s*_]+", text.lower())).strip()


class Finder:
    """A scale's words, ready to be found: its own terms, other scales' terms, the hedges."""

    def __init__(self, scale: Scale):
        self.scale = scale
        self.lookup: dict[str, tuple[Term, bool]] = {}
        for term in scale.terms:
            for spelling in term.spellings:
                self.lookup[spelling] = (term, True)
        for other in BUILT_IN.values():
            for term in other.terms:
                for spelling in term.spellings:
                    if spelling not in self.lookup and not any(spelling.startswith(own + " ") for own, (_, mine)
                                                               in self.lookup.items() if mine):
                        self.lookup[spelling] = (term, False)
        by_anchor: dict[str, list[str]] = {}
        for spelling in self.lookup:
            by_anchor.setdefault(spelling.split()[-1], []).append(spelling)
        self.anchors: list[tuple[str, re.Pattern[str]]] = []
        for anchor, spellings in sorted(by_anchor.items()):
            prefixes = sorted({" ".join(s.split()[:-1]) for s in spellings} - {""}, key=lambda p: (-len(p), p))
            optional = "|".join(_SPACE.join(map(re.escape, p.split())) + _SPACE for p in prefixes)
            self.anchors.append((anchor, re.compile(f"(?:{optional})?" + re.escape(anchor) + r"\Z" if optional
                                                    else re.escape(anchor) + r"\Z")))
        self.extremes = {scale.terms[0], scale.terms[-1]} if scale.terms else set()
        self.hedges = [(h, *(re.compile(p) if p else None for p in (
            h.before and f"(?:{h.before})\\Z", h.after, h.not_before and f"(?:{h.not_before})\\Z", h.not_after,
            h.also_after))) for h in HEDGES]
        #: Each stem, with the anchors of terms and hedges that hold it (a word of a scale of the
        #: site's own may be its own stem).
        self.stems: dict[str, set[str]] = {}
        for anchor in [a for a, _ in self.anchors] + [a for h in HEDGES if not h.judgments_only for a in h.anchors]:
            stem = next((s for s in _STEMS if s in anchor), anchor)
            self.stems.setdefault(stem, set()).add(anchor)

    def present(self, low: str) -> set[str]:
        """The anchors whose stem ``low`` holds (none: nothing can be found but modal verbs)."""
        found: set[str] = set()
        for stem, anchors in self.stems.items():
            if stem in low:
                found |= anchors
        return found

    def words(self, low: str, text: str, sections: list[tuple[int, int]], present: set[str] | None = None,
              ) -> list[Word]:
        """Every likelihood word of ``low`` (``text``: the same, as written), overlaps resolved in
        favour of the longer; modal verbs only inside ``sections``; ``present``: the anchors to
        look for, when :meth:`present` has told them already."""
        present = self.present(low) if present is None else present
        found = self._terms(low, text, present) + self._hedges(low, text, sections, present)
        found.sort(key=lambda w: (w.start, w.start - w.end))
        kept: list[Word] = []
        for word in found:
            if not kept or word.start >= kept[-1].end:
                kept.append(word)
        return kept

    def _terms(self, low: str, text: str, present: set[str]) -> list[Word]:
        out = []
        for anchor, pattern in self.anchors:
            if anchor not in present:
                continue
            for at, end in occurrences(low, anchor):
                match = pattern.search(low, max(0, at - 40), end)
                start = match.start() if match is not None else at
                if start > 0 and low[start - 1].isalnum():
                    start = at
                key = _normal(low[start:end])
                if key not in self.lookup or _COMPARISON.search(low, max(0, start - 8), start):
                    continue
                if key == "remote" and not (_REMOTE_AFTER.match(low, end) or _REMOTE_BEFORE.search(
                        low, max(0, start - 10), start)):
                    continue
                term, own = self.lookup[key]
                out.append(Word(start, end, text[start:end], term, own))
        return out

    def _hedges(self, low: str, text: str, sections: list[tuple[int, int]], present: set[str]) -> list[Word]:
        out = []
        for hedge, before, after, not_before, not_after, also_after in self.hedges:
            if hedge.judgments_only and not sections:
                continue
            for anchor in hedge.anchors:
                if not hedge.judgments_only and anchor not in present:
                    continue
                for at, end in occurrences(low, anchor):
                    if hedge.judgments_only and (text[at] == "M" and anchor == "may"
                                                 or not any(a <= at < b for a, b in sections)):
                        continue
                    if (not_before and not_before.search(low, max(0, at - 12), at)) or (
                            not_after and not_after.match(low, end)) or (also_after and not also_after.match(low, end)):
                        continue
                    start = at
                    if before or after:
                        context = before.search(low, max(0, at - 40), at) if before else None
                        if context is None and not (after and after.match(low, end)):
                            continue
                        if hedge.from_before and context is not None:
                            start = context.start()
                    out.append(Word(start, end, text[start:end], None, False, hedge))
        return out


def confidences(low: str) -> list[tuple[int, int]]:
    """(start, end) of each statement of a confidence level: "high confidence", "confidence is
    low", "we are highly confident", "confidence: moderate"."""
    out = []
    at = low.find("confiden")
    while at >= 0:
        end = at + len("confiden")
        if low.startswith("ce", end):
            before = _CONFIDENCE_BEFORE.search(low, max(0, at - 16), at)
            after = _CONFIDENCE_AFTER.match(low, end)
            if before is not None:
                out.append((before.start(), end + 2))
            elif after is not None:
                out.append((at, after.end()))
        elif low.startswith("t", end):
            before = _CONFIDENT_BEFORE.search(low, max(0, at - 30), at)
            if before is not None:
                out.append((before.start(), end + 1))
        at = low.find("confiden", end)
    return out


def _probability(match: re.Match[str], offset: int) -> Probability | None:
    a, b, single, count, out_of = match.groups()[offset:offset + 5]
    if count is not None:
        n, m = int(count), int(out_of)
        if not 0 < m <= 1000 or n > m:
            return None
        low = high = 100 * n / m
    elif single is not None:
        low = high = float(single)
    else:
        low, high = float(a), float(b)
    if not 0 <= low <= high <= 100:
        return None
    start = match.start(next(i for i in range(offset + 1, offset + 6) if match.group(i) is not None))
    written = " ".join(match.string[start:match.end()].split())
    if count is not None:
        written += f" ({low:.3g}%)"
    return Probability(low, high, start, written)


def adjacent_probability(low: str, word: Word) -> Probability | None:
    """The probability written right after a word ("likely (73%)"), if any."""
    match = _ADJACENT.match(low, word.end)
    return _probability(match, 0) if match is not None else None


def chance_probabilities(low: str) -> list[Probability]:
    """Probabilities written before "chance", "probability", "likelihood" or "odds"."""
    out = []
    for word in _CHANCE_WORDS:
        for at, _ in occurrences(low, word):
            match = _BEFORE_CHANCE.search(low, max(0, at - 30), at)
            if match is None:
                continue
            found = _probability(match, 0)
            if found is not None and (found.start == 0 or low[found.start - 1] not in ".,") and not (
                    found.start > 0 and low[found.start - 1].isalnum()):
                out.append(found)
    return out


def bracketed_probabilities(low: str) -> list[Probability]:
    """Probabilities written in brackets of their own: "(73%)", "(about 3 in 4)"."""
    found = (_probability(match, 0) for match in _BRACKETED.finditer(low))
    return [p for p in found if p is not None]


def sentence_of(text: str, at: int, reach: int = 600) -> tuple[int, int]:
    """(start, end) of the sentence around offset ``at`` (at most ``reach`` either side): it
    ends at ``.``, ``!`` or ``?`` before a space (not after an abbreviation or an initial), at a
    blank line, a table cell, a list item or a heading."""
    start, end = max(0, at - reach), min(len(text), at + reach)
    found_start = start
    for match in _BREAK.finditer(text, start, at):
        if _is_break(text, match):
            found_start = match.end()
    for match in _BREAK.finditer(text, at, end):
        if _is_break(text, match):
            return found_start, match.end()
    return found_start, end


def _is_break(text: str, match: re.Match[str]) -> bool:
    return match.group()[0] != "." or _ABBREVIATION.search(lowered(text[max(0, match.start() - 8):match.start()])) \
        is None
