"""The estimative-language lint: how articles and notes say how likely something is.

Checked in bodies, summaries and key judgments (``key_judgments:``) of articles and notes,
against the site's likelihood scale (:mod:`generator.tradecraft.scales`):

1. a likelihood word that is not a term of the scale ("perhaps", "maybe", "possibly", "it is
   possible that", "cannot be ruled out", another scale's term such as "highly likely" on ICD
   203; and in key judgments "could", "might", "may") is reported with the nearest terms;
2. a percentage or odds ("73%", "3 in 4") next to a term whose range excludes it;
3. a confidence level and a likelihood term in one sentence (ICD 203, standard 2.6(b): "must
   not combine a confidence level and a degree of likelihood ... in the same sentence");
4. the scale's extreme terms ("almost certainly", "almost no chance") in a document or judgment
   whose confidence is low (ICD 203's low confidence: information that is scant, questionable,
   fragmented or poorly corroborated cannot carry a near-certain judgment).

Code, ``>`` quotations, text in double quotes and lines carrying ``<!-- briefing: allow -->``
are not read (:mod:`generator.tradecraft.masking`); in front matter, a line ending in
``# briefing: allow`` is skipped. "possibly true" and "probably true" are the Admiralty
credibility grades 3 and 2 (STANAG 2511), not judgments, and are left alone.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from dataclasses import dataclass

from generator.errors import Diagnostic, warning
from generator.model.document import DocType, Document, KeyJudgment, Span
from generator.tradecraft.masking import (
    ALLOW,
    Sentences,
    judgment_sections,
    mask_inline,
    mask_markdown,
)
from generator.tradecraft.scales import BUILT_IN, HEDGES, Hedge, Scale, Term
from generator.tradecraft.spans import source_positions

LINTED = (DocType.ARTICLE, DocType.NOTE)

#: Words before a term that make it a comparison, not a judgment ("more likely", "as likely as not").
_NOT_A_JUDGMENT = r"(?<!\bmore )(?<!\bmost )(?<!\bless )(?<!\bleast )(?<!\bas )(?<!\bnot )(?<!\bhow )(?<!\bso )" \
                  r"(?<!\btoo )"
#: "remote" is a likelihood only about a chance ("a remote chance", "the chance is remote").
_REMOTE = (r"remote(?=[\s*_]+(?:chance|possibility|prospect|likelihood|odds)\b)"
           r"|(?:(?<=\bis )|(?<=\bare )|(?<=\bwas )|(?<=\bwere )|(?<=\bseems )|(?<=\bremains ))remote")
_ADMIRALTY = re.compile(r"\b(?:possibly|probably)\s+true\b", re.I)
_NUMBER = r"(\d{1,3}(?:\.\d+)?)"
_PROBABILITY = re.compile(
    rf"(?<![\w.,]){_NUMBER}\s*(?:%|per\s?cent|percent)?\s*(?:-|–|—|to)\s*{_NUMBER}\s*(?:%|per\s?cent\b|percent\b)"
    rf"|(?<![\w.,]){_NUMBER}\s*(?:%|per\s?cent\b|percent\b)"
    r"|(?<![\w.,])(\d{1,4})(?:\s+|-)(?:in|out\s+of)(?:\s+|-)(\d{1,4})\b", re.I)
_CHANCE_AFTER = re.compile(r"[\s*_]*(?:chance|probability|likelihood|odds)\b", re.I)
_GAP = re.compile(r"[\s*_()\[\],:;|~–—-]*(?:(?:a|an|about|around|roughly|approximately|approx\.|some|c\.|ca\.)"
                  r"[\s(\[~]+)?", re.I)
_CONFIDENCE = re.compile(
    r"\b(?:high|moderate|medium|low)[*_]*(?:\s+|-)[*_]*confidence\b"
    r"|\bconfidence[*_]*\s+(?:is|was|remains|stays|of|at)\s+[*_]*(?:high|moderate|medium|low)\b"
    r"|\b(?:we\s+are|we're|i\s+am|i'm)\s+(?:highly\s+|moderately\s+|fairly\s+|very\s+)?confident\b"
    r"|\bconfidence\s*:\s*[*_]*(?:high|moderate|medium|low)\b", re.I)
_JUDGMENT_HEADING = re.compile(r"\bkey\s+(?:judge?ments?|findings|assessments?)\b", re.I)


@dataclass(frozen=True)
class Finding:
    """One problem at an offset of the text that was checked."""

    offset: int
    message: str


@dataclass(frozen=True)
class _Word:
    """A likelihood word found: where, as written, and the term it is (``own``: of the scale)."""

    start: int
    end: int
    text: str
    term: Term | None
    own: bool
    hedge: Hedge | None = None


class Patterns:
    """A scale's words compiled once: its own terms, other scales' terms, the hedges."""

    def __init__(self, scale: Scale):
        self.scale = scale
        self.lookup: dict[str, tuple[Term, bool]] = {}
        own = [(s, t) for t in scale.terms for s in t.spellings]
        for spelling, term in own:
            self.lookup[spelling] = (term, True)
        own_regex = re.compile("|".join(_spelling_regex(s) for s, _ in own), re.I)
        for other in BUILT_IN.values():
            for term in other.terms:
                for spelling in term.spellings:
                    if spelling not in self.lookup and not own_regex.match(spelling):
                        self.lookup[spelling] = (term, False)
        spellings = sorted(self.lookup, key=lambda s: (-len(s), s))
        self.words = re.compile(_NOT_A_JUDGMENT + r"\b(?:" + "|".join(_spelling_regex(s) for s in spellings)
                                + r")\b", re.I)
        self.extremes = {scale.terms[0], scale.terms[-1]} if scale.terms else set()
        self.hedges = [(h, re.compile(h.pattern, 0 if h.judgments_only else re.I)) for h in HEDGES]
        stems = {w for s in self.lookup for w in s.split()} | {"possib", "perhaps", "maybe", "conceiv", "rule",
                                                                 "exclud", "dismiss", "discount"}
        self.trigger = re.compile("|".join(sorted(map(re.escape, stems))), re.I)


def _spelling_regex(spelling: str) -> str:
    if spelling == "remote":
        return _REMOTE
    return r"[\s*_]+".join(re.escape(w) for w in spelling.split())


@functools.lru_cache(maxsize=8)
def patterns_for(scale: Scale) -> Patterns:
    """The compiled patterns of a scale (kept per process)."""
    return Patterns(scale)


def _normal(text: str) -> str:
    return " ".join(re.split(r"[\s*_]+", text.lower())).strip()


def lint_text(text: str, scale: Scale, *, markdown: bool, confidence: str | None,
              judgment: bool = False, subject: str = "document") -> list[Finding]:
    """The findings of one text: a Markdown body (``markdown``) or a front matter text;
    ``judgment``: the text is a key judgment (modal verbs count); ``confidence``: the level
    the text is held at (``subject`` names what holds it, in messages)."""
    pats = patterns_for(scale)
    modal_sections = judgment or (markdown and _JUDGMENT_HEADING.search(text) is not None)
    if not pats.trigger.search(text) and not modal_sections:
        return []
    masked = mask_markdown(text) if markdown else mask_inline(text)
    if "true" in masked:
        masked = _ADMIRALTY.sub(lambda m: " " * len(m.group()), masked)
    words = [_Word(m.start(), m.end(), m.group(), *pats.lookup[key])
             for m in pats.words.finditer(masked) if (key := _normal(m.group())) in pats.lookup]
    sections = [(0, len(masked))] if judgment else judgment_sections(masked) if modal_sections else []
    for hedge, regex in pats.hedges:
        for match in regex.finditer(masked):
            group = "w" if match.groupdict().get("w") else "w2" if match.groupdict().get("w2") else 0
            start, end = match.span(group)
            if hedge.judgments_only and not any(a <= start < b for a, b in sections):
                continue
            words.append(_Word(start, end, match.group(group), None, False, hedge))
    words.sort(key=lambda w: w.start)
    probabilities = [_probability(m) for m in _PROBABILITY.finditer(masked)] if any(c.isdigit() for c in masked) \
        else []
    probabilities = [p for p in probabilities if p is not None]
    confidences = list(_CONFIDENCE.finditer(masked)) if "onfiden" in masked.lower() else []
    sentences = Sentences(masked) if confidences or any(p[3] for p in probabilities) else None
    paired = _pair(masked, words, probabilities, sentences)
    findings: list[Finding] = []
    for word in words:
        if not word.own:
            findings.append(Finding(word.start, _off_scale(word, scale, paired.get(word.start))))
    by_start = {w.start: w for w in words}
    for word_start, (low, high, start, written) in _pairs_flat(paired):
        word = by_start[word_start]
        if word.own and word.term is not None and not word.term.covers(low, high):
            findings.append(Finding(start, _misfit(written, low, high, word, scale)))
    if sentences is not None:
        findings += _mixed(confidences, words, sentences)
    if confidence == "low":
        for word in words:
            if word.own and word.term in pats.extremes:
                findings.append(Finding(word.start, _overreach(word, subject)))
    return sorted(findings, key=lambda f: f.offset)


def _probability(match: re.Match[str]) -> tuple[float, float, int, bool, str] | None:
    """(low, high, start, followed by "chance"/"probability", as written) of a percentage or odds."""
    a, b, single, count, out_of = match.groups()
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
    chance = _CHANCE_AFTER.match(match.string, match.end()) is not None
    written = " ".join(match.group().split())
    if count is not None:
        written += f" ({low:.3g}%)"
    return low, high, match.start(), chance, written


def _pair(text: str, words: list[_Word], probabilities: list[tuple], sentences: Sentences | None,
          ) -> dict[int, list[tuple[float, float, int, str]]]:
    """Each probability paired with the likelihood word it stands next to (directly after
    it), or, when it is a "N% chance", with the nearest word of its sentence."""
    paired: dict[int, list[tuple[float, float, int, str]]] = {}
    starts = [w.start for w in words]
    for low, high, start, chance, written in probabilities:
        index = bisect_right(starts, start) - 1
        word = words[index] if index >= 0 else None
        if word is not None and start - word.end <= 40 and _GAP.fullmatch(text, word.end, start):
            paired.setdefault(word.start, []).append((low, high, start, written))
            continue
        if not chance or sentences is None:
            continue
        sentence = sentences.of(start)
        near = [w for w in words if sentences.of(w.start) == sentence]
        if near:
            best = min(near, key=lambda w: min(abs(w.start - start), abs(w.end - start)))
            paired.setdefault(best.start, []).append((low, high, start, written))
    return paired


def _pairs_flat(paired: dict[int, list[tuple[float, float, int, str]]],
                ) -> list[tuple[int, tuple[float, float, int, str]]]:
    return [(word, p) for word, found in sorted(paired.items()) for p in found]


def _percent(low: float, high: float) -> str:
    return f"{low:g}%" if low == high else f"{low:g}-{high:g}%"


def _choice(terms: list[Term]) -> str:
    labels = [t.label for t in terms]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


def _off_scale(word: _Word, scale: Scale, near: list[tuple[float, float, int, str]] | None) -> str:
    shown = _normal(word.text)
    if near:
        low, high, _, _ = near[0]
        fits = [t for t in scale.terms if t.covers(low, high)]
        if fits:
            return f"'{shown}' is not a term of {scale.title}; for {_percent(low, high)} say {_choice(fits)}"
    if word.hedge is not None:
        low, high = word.hedge.low, word.hedge.high
    else:
        assert word.term is not None
        low, high = word.term.low, word.term.high
    return f"'{shown}' is not a term of {scale.title}; nearest: {_choice(scale.nearest(low, high))}"


def _misfit(shown: str, low: float, high: float, word: _Word, scale: Scale) -> str:
    assert word.term is not None
    message = f"{shown} does not fit '{_normal(word.text)}', which means {word.term.range_text} on {scale.title}"
    fits = [t for t in scale.terms if t.covers(low, high)]
    if fits:
        return f"{message}; for {_percent(low, high)} say {_choice(fits)}"
    return f"{message}, and no one term covers {_percent(low, high)}; nearest: {_choice(scale.nearest(low, high))}"


def _mixed(confidences: list[re.Match[str]], words: list[_Word], sentences: Sentences) -> list[Finding]:
    found = []
    done: set[int] = set()
    for match in confidences:
        sentence = sentences.of(match.start())
        if sentence in done:
            continue
        likelihood = next((w for w in words if w.term is not None and sentences.of(w.start) == sentence), None)
        if likelihood is None:
            continue
        done.add(sentence)
        found.append(Finding(match.start(), f"'{_normal(match.group())}' and the likelihood "
                             f"'{_normal(likelihood.text)}' are stated in one sentence; ICD 203 keeps the "
                             "confidence in a judgment and the likelihood of an event in separate sentences"))
    return found


def _overreach(word: _Word, subject: str) -> str:
    assert word.term is not None
    return (f"'{_normal(word.text)}' ({word.term.range_text}) in a {subject} of low confidence: low confidence "
            "means the information is scant, questionable, fragmented or poorly corroborated, which cannot "
            "carry a judgment this close to certain; give the basis for a higher confidence, or state a "
            "less certain likelihood")


# -- a document -------------------------------------------------------------------------------

def lint_document(doc: Document, text: str, scale: Scale | None) -> list[Diagnostic]:
    """The estimative-language warnings of an article or note (``text``: the whole file as
    read, front matter included, so lines and columns are the file's own)."""
    if scale is None or doc.type not in LINTED:
        return []
    diags: list[Diagnostic] = []
    findings = lint_text(doc.body, scale, markdown=True, confidence=doc.confidence)
    if findings:
        breaks = [m.start() for m in re.finditer("\n", doc.body)]
        for finding in findings:
            before = bisect_right(breaks, finding.offset - 1)
            column = finding.offset - (breaks[before - 1] + 1 if before else 0) + 1
            diags.append(warning(doc.path, doc.body_line + before, "body", finding.message, column))
    lines: list[str] = []
    if doc.summary and doc.summary_span:
        lines = text.split("\n")
        found = lint_text(doc.summary, scale, markdown=False, confidence=doc.confidence)
        diags += _placed(doc, "summary", lines, doc.summary_span, doc.summary, found)
    for number, judgment in enumerate(doc.key_judgments, 1):
        lines = lines or text.split("\n")
        diags += _judgment(doc, number, judgment, scale, lines)
    return diags


def _placed(doc: Document, field: str, lines: list[str], span: Span | None, value: str,
            findings: list[Finding]) -> list[Diagnostic]:
    """Front matter findings as warnings at their place in the file (none on a line that ends
    in ``# briefing: allow`` or holds ``<!-- briefing: allow -->``)."""
    if not findings:
        return []
    if span is None:
        return [warning(doc.path, 1, field, f.message) for f in findings]
    places = source_positions(lines, span, value, [f.offset for f in findings])
    out = []
    for finding in findings:
        line, column = places[finding.offset]
        if line in doc.allowed_lines or (line - 1 < len(lines) and ALLOW in lines[line - 1]):
            continue
        out.append(warning(doc.path, line, field, finding.message, column))
    return out


def _judgment(doc: Document, number: int, judgment: KeyJudgment, scale: Scale, lines: list[str]) -> list[Diagnostic]:
    level = judgment.confidence or doc.confidence
    findings = lint_text(judgment.text, scale, markdown=False, confidence=level, judgment=True,
                         subject="judgment" if judgment.confidence else "document")
    stated = scale.term_named(judgment.likelihood) if judgment.likelihood else None
    if stated is not None:
        pats = patterns_for(scale)
        masked = mask_inline(judgment.text)
        for match in pats.words.finditer(masked):
            term, own = pats.lookup[_normal(match.group())]
            if own and term != stated:
                findings.append(Finding(match.start(), f"judgment {number} says '{_normal(match.group())}' "
                                        f"({term.range_text}) but gives its likelihood as '{judgment.likelihood}' "
                                        f"({stated.range_text}); make them agree"))
    diags = _placed(doc, "key_judgments", lines, judgment.span, judgment.text, sorted(
        findings, key=lambda f: f.offset))
    if judgment.likelihood and stated is None:
        word = _Word(0, 0, judgment.likelihood, None, False)
        term = patterns_for(scale).lookup.get(_normal(judgment.likelihood))
        if term is not None:
            word = _Word(0, 0, judgment.likelihood, term[0], False)
        message = (_off_scale(word, scale, None) if word.term is not None else
                   f"'{judgment.likelihood}' is not a term of {scale.title}; expected one of: "
                   + ", ".join(t.name for t in scale.terms))
        diags += _placed(doc, "key_judgments", lines, judgment.likelihood_span, judgment.likelihood,
                         [Finding(0, f"judgment {number}: likelihood {message}")])
    return diags
