"""YAML to plain values with the line of every key, and no YAML surprises.

Only YAML's composer is used (the C one when available), with no implicit typing. Scalars stay text unless they are
quoted-free ``true``/``false``/``null``/numbers in free-form fields; fields with a known type
(dates, tags, confidence, ...) are converted later by the code that knows the field, so ``NO``,
``on`` and ``1.0`` as tags stay exactly as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from generator.model.text import strip_controls

_TAGS = {yaml.ScalarNode: "tag:yaml.org,2002:str", yaml.SequenceNode: "tag:yaml.org,2002:seq",
         yaml.MappingNode: "tag:yaml.org,2002:map"}


class _NodeResolution:
    """Tags for composed nodes without YAML's implicit typing: only node values, styles and
    marks are read here (values are typed by the field that reads them), and resolving each
    scalar against YAML's patterns was half the cost of composing a front matter."""

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        """The plain tag of a node's kind."""
        return _TAGS[kind]

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """Nothing to track (no path-based resolvers)."""

    def ascend_resolver(self) -> None:
        """Nothing to track (no path-based resolvers)."""


try:  # the C parser is an order of magnitude faster
    from yaml._yaml import CParser

    class _Loader(_NodeResolution, CParser):  # type: ignore[misc]
        """libyaml's parser and composer, with plain tags."""

        def __init__(self, stream: str):
            CParser.__init__(self, stream)
except ImportError:  # pragma: no cover - libyaml missing
    class _Loader(_NodeResolution, yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser,  # type: ignore[no-redef]
                  yaml.composer.Composer):
        """The pure-Python parser and composer, with plain tags."""

        def __init__(self, stream: str):
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)

#: Most values one YAML text may expand to: aliases can nest (a "billion laughs" file would
#: otherwise expand for minutes and exhaust memory).
MAX_VALUES = 100_000
#: Deepest nesting of lists and mappings a value may have (front matter needs two or three).
MAX_DEPTH = 50

_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")


@dataclass
class Scalar:
    """A plain or quoted scalar as written, with its line (1-based, within the whole file) and
    where it was written: from ``col`` (0-based, on ``line``; a quote or block indicator
    included) to ``end_col`` on ``end_line`` (0 when not known)."""

    text: str
    quoted: bool
    line: int
    col: int = 0
    end_line: int = 0
    end_col: int = 0

    def __str__(self) -> str:
        return self.text


class Mapping(dict):
    """A YAML mapping's values by key, with the line it starts on (kept out of the keys, so a
    key of any name, ``__line__`` included, is the author's own)."""

    line: int = 0


@dataclass
class YamlDoc:
    """A parsed YAML mapping: raw values keyed by name, and the line of each key."""

    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    duplicates: list[tuple[str, int]] = field(default_factory=list)


class YamlSyntaxError(Exception):
    """Raised when text is not valid YAML; carries the 1-based line of the problem."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


def parse_mapping(text: str, first_line: int = 1) -> YamlDoc:
    """Parse ``text`` as a YAML mapping whose first line is ``first_line`` of its file.

    Values are :class:`Scalar`, ``list`` or ``dict`` (of the same); use :func:`plain` to turn
    a raw value into ordinary Python values.
    """
    offset = first_line - 1
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or str(exc)
        context = exc.context or ""
        if exc.context_mark is not None and "flow" in context and (
                mark is None or mark.line > exc.context_mark.line):
            # Found on a later line: the mistake is where the list or mapping was opened.
            found = f" by line {mark.line + 1 + offset}" if mark is not None else ""
            mark = exc.context_mark
            problem = (f"a {'[' if 'sequence' in context else '{'} opened here is not closed on its line "
                       f"({problem}{found}); close it, or quote a value that starts with it")
        line = (mark.line + 1 + offset) if mark else first_line
        if "could not find expected ':'" in problem and exc.context_mark is not None:
            # libyaml notices the missing colon on the next line; the mistake is on the key's.
            mark = exc.context_mark
            line = mark.line + 1 + offset
            shown = _line_text(text, mark.line)
            if ":" in _line_text(text, mark.line, 10**6):
                problem = f"expected 'key: value', found {shown!r}: a key may be at most 1024 characters long"
            else:
                problem = (f"expected 'key: value', found {shown!r} without a ':' after the key "
                           "(a value continued on another line must be indented under its key)")
        elif "quoted scalar" in context and exc.context_mark is not None:
            mark = exc.context_mark
            line = mark.line + 1 + offset
            problem = ("a quote opened here is never closed; close it on the same value, or write the value "
                       "without quotes")
        elif problem == "did not find expected key" and mark is not None:
            shown = _line_text(text, mark.line)
            hint = ("a list item must be indented under its key" if shown.startswith("-")
                    else "is it indented like the lines around it?")
            problem = f"expected 'key: value', found {shown!r} ({hint})"
        if "mapping values are not allowed" in problem:
            problem += " (a value containing ': ' must be quoted)"
        elif "maximum nesting depth" in problem:
            problem = f"lists or mappings are nested too deeply (more than {MAX_DEPTH} levels are refused)"
        elif "cannot start any token" in problem and mark is not None and _tab_at(text, mark.line):
            problem = "a tab indents this line; YAML indents with spaces only (replace the tab with spaces)"
        raise YamlSyntaxError(_tidy(problem), line) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(_tidy(str(exc)), first_line) from None
    except RecursionError:  # the pure-Python composer recurses once per level of nesting
        raise YamlSyntaxError(f"lists or mappings are nested too deeply (more than {MAX_DEPTH} levels are refused)",
                              first_line) from None
    doc = YamlDoc()
    budget = [MAX_VALUES]
    if node is None:
        return doc
    if not isinstance(node, yaml.MappingNode):
        raise YamlSyntaxError("expected 'key: value' lines, found " + _kind(node), node.start_mark.line + 1 + offset)
    for key_node, value_node in node.value:
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
        line = key_node.start_mark.line + 1 + offset
        if key in doc.values:
            doc.duplicates.append((key, line))
        try:
            doc.values[key] = _convert(value_node, offset, budget, set())
        except _TooBigError:
            raise YamlSyntaxError(f"'{key}' expands to more than {MAX_VALUES} values (nested aliases?)",
                                  line) from None
        except _TooDeepError:
            raise YamlSyntaxError(f"'{key}' nests lists or mappings more than {MAX_DEPTH} levels deep",
                                  line) from None
        except _CycleError:
            raise YamlSyntaxError(f"'{key}' contains itself through an alias (an &anchor used as *anchor "
                                  "inside its own value); a value cannot contain itself", line) from None
        doc.lines[key] = line
    return doc


def _tidy(message: str) -> str:
    return " ".join(message.split())


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.ScalarNode):
        return f"the text {node.value!r}"
    return "something else"


class _TooBigError(Exception):
    """Raised when aliases expand a value beyond :data:`MAX_VALUES`."""


class _TooDeepError(Exception):
    """Raised when a value nests beyond :data:`MAX_DEPTH`."""


class _CycleError(Exception):
    """Raised when an alias makes a value contain itself (``a: &a [*a]``)."""


def _convert(node: yaml.Node, offset: int, budget: list[int], open_nodes: set[int]) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooBigError
    line = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.ScalarNode):
        value = str(node.value)
        if node.style == '"':  # escapes such as \v or \x1b may spell control characters
            value = strip_controls(value)
        end = node.end_mark
        return Scalar(value, node.style in ("'", '"', "|", ">"), line, node.start_mark.column,
                      end.line + 1 + offset, end.column)
    if id(node) in open_nodes:
        raise _CycleError
    if len(open_nodes) >= MAX_DEPTH:
        raise _TooDeepError
    open_nodes.add(id(node))
    try:
        if isinstance(node, yaml.SequenceNode):
            return [_convert(item, offset, budget, open_nodes) for item in node.value]
        out = Mapping()
        out.line = line
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            out[key] = _convert(value_node, offset, budget, open_nodes)
        return out
    finally:
        open_nodes.discard(id(node))


def line_of(value: Any, default: int) -> int:
    """The line a raw value was written on, or ``default``."""
    if isinstance(value, Scalar):
        return value.line
    if isinstance(value, Mapping):
        return value.line or default
    if isinstance(value, list) and value:
        return line_of(value[0], default)
    return default


def is_null(value: Any) -> bool:
    """True for an empty value, ``~`` or ``null`` written without quotes."""
    return isinstance(value, Scalar) and not value.quoted and value.text in ("", "~", "null", "Null", "NULL")


def plain(value: Any) -> Any:
    """Raw value to Python: text stays text, except unquoted booleans, nulls and numbers."""
    if isinstance(value, Scalar):
        if value.quoted:
            return value.text
        text = value.text
        if is_null(value):
            return None
        low = text.lower()
        if low in ("true", "false"):
            return low == "true"
        if _INT.match(text):
            try:
                return int(text)
            except ValueError:  # more digits than Python turns into a number: keep the text
                return text
        if _FLOAT.match(text):
            return float(text)
        return text
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def text(value: Any) -> str:
    """Raw value as text exactly as written (lists and mappings are joined roughly)."""
    if isinstance(value, Scalar):
        return value.text
    if isinstance(value, list):
        return ", ".join(text(v) for v in value)
    return str(plain(value))


def _line_text(text: str, line: int, limit: int = 60) -> str:
    """Line ``line`` (0-based) of ``text``, stripped and cut to ``limit`` characters."""
    lines = text.split("\n")
    shown = lines[line].strip() if 0 <= line < len(lines) else ""
    return shown if len(shown) <= limit else shown[:limit - 3] + "..."


def _tab_at(text: str, line: int) -> bool:
    """Whether line ``line`` (0-based) of ``text`` starts with a tab among its indentation."""
    lines = text.split("\n")
    return 0 <= line < len(lines) and "\t" in lines[line][: len(lines[line]) - len(lines[line].lstrip())]
