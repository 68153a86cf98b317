"""One content file's bytes to a validated document and its rendered body (pure; picklable)."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

from generator.errors import Diagnostic, error, warning
from generator.markup.markdown import RenderedBody, render_body
from generator.markup.outside import fetched_from_outside
from generator.markup.shortcodes import expand_shortcodes
from generator.model.document import DocType, Document
from generator.model.frontmatter import normalise_text, parse_document
from generator.model.judgments import redundant_heading
from generator.model.skeleton import placeholder_warnings
from generator.tradecraft.lint import lint_document
from generator.tradecraft.scales import ICD203, Scale

ParseResult = tuple[Document | None, RenderedBody | None, list[Diagnostic]]


def parse_file(rel: str, data: bytes, doc_type: str, default_slug: str, tz_name: str,
               scale: Scale | None = ICD203) -> ParseResult:
    """Decode, validate and render one Markdown file; every problem becomes a diagnostic
    (``scale``: the likelihood scale the estimative-language checks use; ``None``: none)."""
    try:
        text = normalise_text(data)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, None, [error(rel, line, "file", f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); save it as UTF-8")]
    tz = UTC if tz_name.upper() == "UTC" else ZoneInfo(tz_name)
    doc, diags = parse_document(rel, text, DocType(doc_type), default_slug, tz)
    if doc is None:
        return None, None, diags
    diags += redundant_heading(rel, doc)
    if not doc.draft:  # a draft is work in progress: checked once it is published
        diags += placeholder_warnings(rel, text, doc.body_line)
        diags += lint_document(doc, text, scale)
    body, notes = render_body(doc.body, doc.body_line)
    body, more = expand_shortcodes(body, doc.body, doc.body_line, scale)
    notes += more
    notes += fetched_from_outside(body.html, doc.body, doc.body_line) if "//" in doc.body else []
    diags.extend(warning(rel, line, "body", message) for line, message in notes)
    doc.body = ""  # the rendered body is kept instead; the source text is not needed again
    return doc, body, diags


def parse_batch(jobs: list[tuple]) -> list[ParseResult]:
    """Parse several files (one worker's share of a parallel build)."""
    return [parse_file(*job) for job in jobs]
