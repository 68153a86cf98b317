"""One content file's bytes to a validated document and its rendered body (pure; picklable)."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

from generator.errors import Diagnostic, error, warning
from generator.markup.markdown import render_body
from generator.markup.outside import fetched_from_outside
from generator.markup.rendered import RenderedBody
from generator.markup.shortcodes import expand_shortcodes
from generator.model.document import DocType, Document
from generator.model.frontmatter import normalise_text, parse_document
from generator.model.judgments import redundant_heading
from generator.model.skeleton import placeholder_warnings
from generator.model.text import windows_1252
from generator.tradecraft.lint import lint_document
from generator.tradecraft.scales import ICD203, Scale

ParseResult = tuple[Document | None, RenderedBody | None, list[Diagnostic]]


def parse_file(rel: str, data: bytes, doc_type: str, default_slug: str, tz_name: str,
               scale: Scale | None = ICD203) -> ParseResult:
    """Decode, validate and render one Markdown file; every problem becomes a diagnostic
    (``scale``: the likelihood scale the estimative-language checks use; ``None``: none)."""
    decoded: list[Diagnostic] = []
    try:
        text = normalise_text(data)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        where = f"byte 0x{data[exc.start]:02x} at offset {exc.start}"
        legacy = windows_1252(data)
        if legacy is None:
            return None, None, [error(rel, line, "file", f"is not UTF-8 text ({where}); save it as UTF-8")]
        text = normalise_text(data, legacy)  # Notepad's "ANSI": curly quotes and dashes as one byte each
        decoded.append(warning(rel, line, "file", f"is not UTF-8 text ({where}): read as Windows-1252, as "
                                                  "Notepad saves 'ANSI'; save it as UTF-8"))
    tz = UTC if tz_name.upper() == "UTC" else ZoneInfo(tz_name)
    doc, diags = parse_document(rel, text, DocType(doc_type), default_slug, tz)
    diags = decoded + diags
    if doc is None:
        return None, None, diags
    diags += redundant_heading(rel, doc)
    diags += _title_again(rel, doc)
    if not doc.draft:  # a draft is work in progress: checked once it is published
        diags += placeholder_warnings(rel, text, doc.body_line)
        diags += lint_document(doc, text, scale)
    body, notes = render_body(doc.body, doc.body_line)
    body, more = expand_shortcodes(body, doc.body, doc.body_line, scale)
    notes += more
    if "//" in doc.body or ":\\" in doc.body or ":/" in doc.body or "\\\\" in doc.body:  # another site, C:\
        notes += fetched_from_outside(body.html, doc.body, doc.body_line)
    diags.extend(warning(rel, line, "body", message) for line, message in notes)
    doc.body = ""  # the rendered body is kept instead; the source text is not needed again
    return doc, body, diags


def _title_again(rel: str, doc: Document) -> list[Diagnostic]:
    """A warning when the body opens with the title as a ``#`` heading: the page shows the
    title above the body already, so it would show it twice, as two first-level headings. (A page
    without front matter takes its title from that heading: no warning.)"""
    first = doc.body.lstrip("\n").split("\n", 1)[0].strip()
    if "title" not in doc.lines or not first.startswith("# ") or " ".join(first[2:].strip(" #").split()).casefold() != \
            " ".join(doc.title.split()).casefold():
        return []
    line = doc.body_line + len(doc.body) - len(doc.body.lstrip("\n"))
    return [warning(rel, line, "body", "opens with the title as a heading, which the page shows above the body "
                                       "already; remove this line")]


def parse_batch(jobs: list[tuple]) -> list[ParseResult]:
    """Parse several files (one worker's share of a parallel build)."""
    return [parse_file(*job) for job in jobs]
