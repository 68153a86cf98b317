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
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from generator.errors import Diagnostic, warning
from generator.model.document import DocType, Document, KeyJudgment, Span
from generator.tradecraft.finders import (
    Finder,
    Probability,
    Word,
    adjacent_probability,
    bracketed_probabilities,
    chance_probabilities,
    confidences,
    lowered,
    sentence_of,
)
from generator.tradecraft.masking import ALLOW, judgment_sections, mask_inline, mask_markdown
from generator.tradecraft.scales import Scale, Term
from generator.tradecraft.spans import source_positions

LINTED = (DocType.ARTICLE, DocType.NOTE)

_ADMIRALTY = re.compile(r"\b(?:possibly|probably)\s+true\b")
_JUDGMENT_HEADINGS = ("key judg", "key find", "key assess")


@dataclass(frozen=True)
class Finding:
    """One problem at an offset of the text that was checked."""

    offset: int
    message: str


def _normal(text: str) -> str:
    return " ".join(re.split(r"[\s*_]+", text.lower())).strip()


@functools.lru_cache(maxsize=8)
def finder_for(scale: Scale) -> Finder:
    """The finder of a scale's words (made once per process)."""
    return Finder(scale)


def lint_text(text: str, scale: Scale, *, markdown: bool, confidence: str | None,
              judgment: bool = False, subject: str = "document") -> list[Finding]:
    """The findings of one text: a Markdown body (``markdown``) or a front matter text;
    ``judgment``: the text is a key judgment (modal verbs count); ``confidence``: the level
    the text is held at (``subject`` names what holds it, in messages)."""
    finder = finder_for(scale)
    low = lowered(text)
    modal = judgment or (markdown and "key " in low and any(h in low for h in _JUDGMENT_HEADINGS))
    present = finder.present(low)
    if not modal and not present:
        return []
    masked = mask_markdown(text) if markdown else mask_inline(text)
    low = lowered(masked)
    if " true" in low:
        low = _ADMIRALTY.sub(lambda m: " " * len(m.group()), low)
    sections = [(0, len(low))] if judgment else judgment_sections(low) if modal else []
    words = finder.words(low, masked, sections, present)
    if not words:
        return []
    findings: list[Finding] = []
    paired: dict[int, list[Probability]] = {}
    starts = [w.start for w in words]
    for word in words:
        near = adjacent_probability(low, word)
        if near is not None:
            paired.setdefault(word.start, []).append(near)
    taken = {p.start for found in paired.values() for p in found}
    # A probability before "chance" or in brackets of its own goes with the nearest term of its sentence.
    chances = chance_probabilities(low) if "chance" in low or "odds" in low or "probab" in low or "likeli" in low else []
    for found in [*chances, *(bracketed_probabilities(low) if "(" in low else ())]:
        if found.start in taken:
            continue
        taken.add(found.start)
        begin, end = sentence_of(low, found.start)
        near_words = words[bisect_left(starts, begin):bisect_left(starts, end)]
        if near_words:
            best = min(near_words, key=lambda w: min(abs(w.start - found.start), abs(w.end - found.start)))
            paired.setdefault(best.start, []).append(found)
    for word in words:
        if not word.own:
            findings.append(Finding(word.start, _off_scale(word, scale, paired.get(word.start))))
        elif word.term is not None:
            findings += [Finding(p.start, _misfit(p, word, scale)) for p in paired.get(word.start, ())
                         if not word.term.covers(p.low, p.high)]
    findings += _mixed(low, confidences(low), words, starts) if "confiden" in low else []
    if confidence == "low":
        findings += [Finding(w.start, _overreach(w, subject)) for w in words if w.own and w.term in finder.extremes]
    return sorted(findings, key=lambda f: f.offset)


def _percent(low: float, high: float) -> str:
    return f"{low:g}%" if low == high else f"{low:g}-{high:g}%"


def _choice(terms: list[Term]) -> str:
    labels = [t.label for t in terms]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


def _off_scale(word: Word, scale: Scale, near: list[Probability] | None) -> str:
    shown = _normal(word.text)
    if near:
        fits = [t for t in scale.terms if t.covers(near[0].low, near[0].high)]
        if fits:
            return f"'{shown}' is not a term of {scale.title}; for {_percent(near[0].low, near[0].high)} say " \
                   f"{_choice(fits)}"
    reading = word.hedge if word.hedge is not None else word.term
    assert reading is not None
    return f"'{shown}' is not a term of {scale.title}; nearest: {_choice(scale.nearest(reading.low, reading.high))}"


def _misfit(found: Probability, word: Word, scale: Scale) -> str:
    assert word.term is not None
    low, high = found.low, found.high
    message = f"{found.written} does not fit '{_normal(word.text)}', which means {word.term.range_text} on {scale.title}"
    fits = [t for t in scale.terms if t.covers(low, high)]
    if fits:
        return f"{message}; for {_percent(low, high)} say {_choice(fits)}"
    return f"{message}, and no one term covers {_percent(low, high)}; nearest: {_choice(scale.nearest(low, high))}"


def _mixed(low: str, statements: list[tuple[int, int]], words: list[Word], starts: list[int]) -> list[Finding]:
    found = []
    done: set[tuple[int, int]] = set()
    for start, end in statements:
        sentence = sentence_of(low, start)
        if sentence in done:
            continue
        inside = words[bisect_left(starts, sentence[0]):bisect_left(starts, sentence[1])]
        likelihood = next((w for w in inside if w.term is not None), None)
        if likelihood is None:
            continue
        done.add(sentence)
        found.append(Finding(start, f"'{_normal(low[start:end])}' and the likelihood '{_normal(likelihood.text)}' "
                             "are stated in one sentence; ICD 203 keeps the confidence in a judgment and the "
                             "likelihood of an event in separate sentences"))
    return found


def _overreach(word: Word, subject: str) -> str:
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
        found = lint_text(doc.summary, scale, markdown=False, confidence=doc.confidence)
        if found:
            lines = text.split("\n")
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
        masked = mask_inline(judgment.text)
        for word in finder_for(scale).words(lowered(masked), masked, []):
            if word.own and word.term is not None and word.term != stated:
                findings.append(Finding(word.start, f"judgment {number} says '{_normal(word.text)}' "
                                        f"({word.term.range_text}) but gives its likelihood as "
                                        f"'{judgment.likelihood}' ({stated.range_text}); make them agree"))
    diags = _placed(doc, f"key_judgments[{number}].text", lines, judgment.span, judgment.text, sorted(
        findings, key=lambda f: f.offset))
    if judgment.likelihood and stated is None:
        word = Word(0, 0, judgment.likelihood, None, False)
        term = finder_for(scale).lookup.get(_normal(judgment.likelihood))
        if term is not None:
            word = Word(0, 0, judgment.likelihood, term[0], False)
        message = (_off_scale(word, scale, None) if word.term is not None else
                   f"'{judgment.likelihood}' is not a term of {scale.title}; expected one of: "
                   + ", ".join(t.name for t in scale.terms))
        diags += _placed(doc, f"key_judgments[{number}].likelihood", lines, judgment.likelihood_span,
                         judgment.likelihood, [Finding(0, message)])
    return diags
