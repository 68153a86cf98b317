"""A bounded fuzz test of front matter, dates, YAML, file names and settings through the whole
build: whatever an author writes, the build answers with ``file:line: field: message`` lines and
exit 0 or 1, never a traceback; and parsing front matter takes time linear in its size.

Deterministic (``derandomize``, no example database) and bounded (a few dozen sites, a
deadline per site), so it runs the same in CI on every machine in well under half a minute.
"""

from __future__ import annotations

import gc
import os
import re
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from conftest import ARTICLE, NOTE, make_site, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.model.document import DocType
from generator.model.frontmatter import KNOWN_KEYS, parse_document

FUZZ = settings(max_examples=60, deadline=timedelta(seconds=10), derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
#: What the build may print: diagnostics, and its one-line summary.
LINE = re.compile(r"^(\S.*:\d+: (warning: )?.+|built: .+|build failed: .+|check (passed|failed): .+)$")

ODD_DATES = ["0000-01-01", "0001-01-01", "0001-01-01T00:00+01:00", "9999-12-31", "9999-12-31T23:59-01:00",
             "2024-02-30", "2024-13-01", "2024-01-01T24:00", "2024-01-01T10:00+24:00", "2024-01-01T10:00-99:99",
             "2024", "2024-1", "2024-01-01 10:00 Z", "2024-01-01T10:00:00.123456789+05:45", "yesterday", "",
             "2024-06-01T12:00:60", "1970-01-01T00:00Z", "+2024-01-01", "２０２４-01-01"]
dates = st.one_of(
    st.sampled_from(ODD_DATES),
    st.builds(lambda y, m, d, hh, mm, zone: f"{y:04d}-{m:02d}-{d:02d}T{hh:02d}:{mm:02d}{zone}",
              st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32), st.integers(0, 25), st.integers(0, 61),
              st.sampled_from(["", "Z", "+00:00", "-01:00", "+23:59", "+24:00", "-12:00", "+1400", "+14:00"])),
)
ODD_SCALARS = ["~", "null", "yes", "NO", "on", "1.0", "0x1F", "1e400", "9" * 4301, "-", "[", "{", "*x", "&a",
               "'", '"', "|", ">", ": ", "#", "\t", "\x0b", "\u2028", "[[x]]", "a: b", "%", "@", "`", "!!str",
               "\ufeff", "\x00", "\x1b[31m", "<script>alert(1)</script>", "../../etc/passwd", "TLP:RED", "A1",
               "F6", "moderate", "https://example.org/x", "javascript:alert(1)"]
scalars = st.one_of(st.text(max_size=20), st.sampled_from(ODD_SCALARS), dates, st.integers().map(str),
                    st.floats().map(str))
keys = st.one_of(st.sampled_from(KNOWN_KEYS), st.sampled_from(["Title", "DATE", "tag", "__line__", "?", "name",
                                                               "lat", "url", "reliability", "credibility"]),
                 st.text(min_size=1, max_size=10))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
                      max_leaves=8)
ODD_YAML = ["a: &a [*a]", "tags: " + "[" * 60 + "]" * 60, "x: *undefined", "title M", "\ttitle: tab",
            "title: a: b", "- a list at the top", "? complex\n: key", "x: !!python/object/apply:os.system [ls]",
            "a: !!binary AAAA", "<<: {title: merged}", "dup: 1\ndup: 2", "__line__: 5",
            "source:\n  __line__: x\n  name: s", "events:\n  - date: 9999-12-31T23:59-01:00\n    title: late",
            "events: [{date: 0000-01-01}]", "location: {name: X, lat: 91, lon: 1e999}", "about: [[[x]]]",
            "big: " + "9" * 5000, "title: >\n  folded\n  text", "date: [2024-01-01]", "title: {x: 1}",
            "%YAML 1.1", "---", "...", "'unclosed", "title: \"unclosed", "{", "tags: [a, b"]


def _emit(key: str, value: object, raw: bool) -> str:
    """One ``key: value`` entry: dumped as valid YAML, or written raw (maybe invalid)."""
    if raw:
        return f"{key}: {value}"
    return yaml.safe_dump({key: value}, default_flow_style=True, width=10**6, allow_unicode=True).strip()[1:-1]


entries = st.one_of(
    st.builds(_emit, keys, values, st.booleans()),
    st.builds(lambda d: f"date: {d}", dates),
    st.builds(lambda d: f"updated: {d}", dates),
    st.builds(lambda d, t: f"events:\n  - date: {d}\n    title: {t}", dates, st.sampled_from(["E", "", "[x]"])),
    st.sampled_from(ODD_YAML),
)
front_matters = st.lists(entries, max_size=8).map("\n".join)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A valid document with a few characters inserted, deleted or lines repeated."""
    text = draw(st.sampled_from([ARTICLE, NOTE]))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "delete", "repeat"]))
        if kind == "insert":
            text = text[:at] + draw(st.sampled_from(list(":-[]{}&*!|>'\"#\t\n ") + ["\x0b", "é"])) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + 1:]
        else:
            start = text.rfind("\n", 0, at) + 1
            end = text.find("\n", at)
            line = text[start:] if end < 0 else text[start:end + 1]
            text = text[:start] + line + text[start:]
    return text


names = st.one_of(
    st.text(st.characters(blacklist_characters="/\x00", blacklist_categories=["Cs"]), min_size=1, max_size=16),
    st.binary(min_size=1, max_size=12).map(lambda b: os.fsdecode(b.replace(b"/", b"\xff").replace(b"\x00", b"\xfe"))),
    st.sampled_from(["a\nb", "with space", "Ünïcode", "CON", "x" * 200, "-rf", "a.b.c", "#x#", "~x"]),
).filter(lambda n: n not in (".", ".."))
documents = st.tuples(
    st.sampled_from(["articles", "notes", "pages", "actors", "locations", "misc", ""]),
    names,
    st.one_of(front_matters.map(lambda fm: f"---\n{fm}\n---\nBody with [[a-link]].\n"), mutated()),
)
configs = st.builds(
    lambda zone, extra: f"title: Fuzz\nbase_url: https://example.org/\ntimezone: {zone}\n{extra}",
    st.sampled_from(["UTC", "UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "America/New_York", "Nope/Zone"]),
    st.sampled_from(["", "", "", "", "", "params: &p [*p]\n", "home_limit: " + "9" * 4301 + "\n", "title M\n", "feed_limit: -1\n",
                     "params: {a: " + "[" * 80 + "]" * 80 + "}\n"]),
)


def _check_answer(text: str, code: int) -> None:
    """The build answered as a tool should: exit 0 or 1, only messages a person can act on."""
    assert "Traceback" not in text
    assert code in (0, 1), text
    for line in text.splitlines():
        assert LINE.match(line), f"not a file:line: message or a summary: {line!r}"


@FUZZ
@given(config=configs, docs=st.lists(documents, min_size=1, max_size=4))
def test_random_front_matter_names_and_settings_never_crash_a_build_or_a_check(config, docs):
    with tempfile.TemporaryDirectory() as scratch:
        files: dict[str, str | bytes] = {"briefing.yaml": config}
        site = make_site(Path(scratch), files)
        for number, (folder, name, text) in enumerate(docs):
            where = site / "content" / folder
            where.mkdir(parents=True, exist_ok=True)
            try:
                (where / f"{number}{name}.md").write_text(text, encoding="utf-8", errors="surrogateescape")
            except OSError:  # a name this file system refuses (too long, ...) is not the build's concern
                (where / f"{number}.md").write_text(text, encoding="utf-8", errors="surrogateescape")
        for command in ("build", "check"):
            result = run_cli(command, "--source", site)  # an exception escaping main fails the test
            _check_answer(result.text, result.code)


@FUZZ
@given(front=front_matters, tz=st.sampled_from(["UTC", "Pacific/Kiritimati", "America/New_York"]))
def test_random_front_matter_parses_into_a_document_or_diagnostics(front, tz):
    from zoneinfo import ZoneInfo

    doc, diags = parse_document("content/articles/x.md", f"---\n{front}\n---\nBody.\n", DocType.ARTICLE, "x",
                                ZoneInfo(tz))
    assert doc is not None or any(d.is_error for d in diags)
    for diagnostic in diags:
        assert "\n" not in str(diagnostic).split(": ", 1)[0]
        assert diagnostic.line >= 1 or diagnostic.line == 0


SHAPES = {
    "many keys": lambda n: "".join(f"key{i}: value {i}\n" for i in range(n)),
    "many unknown keys close to known ones": lambda n: "".join(f"titel{i}: x\n" for i in range(n)),
    "many list items": lambda n: "tags: [" + ", ".join(f"t{i}" for i in range(n)) + "]\n",
    "many about entries": lambda n: "about:\n" + "".join(f"  - '[[target {i}]]'\n" for i in range(n)),
    "many events": lambda n: "events:\n" + "".join(f"  - {{date: 2024-01-{i % 28 + 1:02d}, title: e{i}}}\n"
                                                   for i in range(n)),
    "many bad dates": lambda n: "events:\n" + "".join(f"  - {{date: 0000-01-{i % 28 + 1:02d}, title: e}}\n"
                                                      for i in range(n)),
    "many locations": lambda n: "location:\n" + "".join(f"  - {{name: p{i}, lat: 1, lon: 2}}\n" for i in range(n)),
    "many aliases": lambda n: "a: &a [x, y]\nb: [" + ", ".join("*a" for _ in range(n)) + "]\n",
    "a long title": lambda n: "title: " + "word " * (20 * n) + "\n",
    "many duplicate keys": lambda n: "".join("dup: 1\n" for _ in range(n)),
}


def _seconds(front: str) -> float:
    """The best of three timings of parsing ``front``, without the collector's pauses."""
    text = f"---\ntitle: T\ndate: 2024-01-01\n{front}---\nBody.\n"
    best = float("inf")
    gc.collect()
    gc.disable()
    try:
        for _ in range(3):
            start = time.perf_counter()
            parse_document("content/articles/x.md", text, DocType.ARTICLE, "x")
            best = min(best, time.perf_counter() - start)
    finally:
        gc.enable()
    return best


@pytest.mark.parametrize("shape", list(SHAPES))
def test_front_matter_takes_time_linear_in_its_size(shape):
    make = SHAPES[shape]
    # Quadratic time would be 4x on every try; a loaded machine can slow one try (not three).
    tries = []
    for _ in range(3):
        small, double = _seconds(make(2000)), _seconds(make(4000))
        tries.append((small, double))
        if double < 3 * small + 0.05:
            break
    else:
        raise AssertionError((shape, tries))
