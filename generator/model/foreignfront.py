"""Front matter written as Hugo also reads it: TOML between ``+++`` lines, or a JSON object
opening the file. Read into the same values YAML front matter gives (text with the line it
was written on), so every check and message is the same whichever way it was written.

Hugo keeps a site's own fields under ``[params]`` (TOML) or ``"params"`` (JSON): they are read
as fields of the document (``confidence``, ``actors``...), a field written at the top winning.
"""

from __future__ import annotations

import json
import re
import tomllib
from datetime import date, datetime, time
from typing import Any

from generator.model.frontsplit import FrontMatter
from generator.yamltree import MAX_DEPTH, Mapping, Scalar, YamlDoc, YamlSyntaxError

_TOML_ERROR_LINE = re.compile(r"\(at line (\d+), column \d+\)")
_TOML_KEY = re.compile(r"[ \t]*(?:\"([^\"\n]+)\"|'([^'\n]+)'|([A-Za-z0-9_-]+))[ \t]*=")
_TOML_TABLE = re.compile(r"[ \t]*\[\[?[ \t]*([A-Za-z0-9_.\"' -]+?)[ \t]*\]\]?")
_JSON_KEY = re.compile(r"[ \t]*\"((?:[^\"\\\n]|\\.)*)\"[ \t]*:")


def toml_block(content: str) -> tuple[str, int, str, int] | None:
    """``(TOML text, its first line, body, the body's first line)`` of a file opening with a
    ``+++`` line and closed by another, else ``None``."""
    if not content.startswith("+++"):
        return None
    lines = content.split("\n", 1)
    if lines[0].strip() != "+++" or len(lines) < 2:
        return None
    found = re.search(r"^\+\+\+[ \t]*$", lines[1], re.M)
    if found is None:
        raise YamlSyntaxError("starts with '+++' (TOML front matter) on line 1 but is never closed by a "
                              "'+++' line", 1)
    text = lines[1][:found.start()]
    body_start = found.end() + 1
    return text, 2, lines[1][body_start:], 2 + text.count("\n") + 1


def json_block(content: str) -> tuple[Any, str, str, int] | None:
    """``(the JSON object, its text, body, the body's first line)`` of a file opening with a
    JSON object (``{`` on the first line), else ``None``."""
    if not content.startswith("{"):
        return None
    try:
        found, end = json.JSONDecoder().raw_decode(content)
    except json.JSONDecodeError as exc:
        raise YamlSyntaxError(f"JSON front matter: {exc.msg}", exc.lineno) from None
    except RecursionError:
        raise YamlSyntaxError(f"JSON front matter nests lists or objects more than {MAX_DEPTH} levels deep",
                              1) from None
    if not isinstance(found, dict):
        return None
    text = content[:end]
    rest = content[end:]
    rest = rest[rest.find("\n") + 1:] if "\n" in rest else ""
    return found, text, rest, text.count("\n") + 2


def parse_toml(text: str, first_line: int) -> YamlDoc:
    """TOML front matter as :func:`generator.yamltree.parse_mapping` gives YAML's."""
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_ERROR_LINE.search(str(exc))
        line = int(found.group(1)) + first_line - 1 if found else first_line
        message = _TOML_ERROR_LINE.sub("", str(exc)).strip()
        raise YamlSyntaxError(f"TOML front matter: {message}", line) from None
    except RecursionError:
        raise YamlSyntaxError(f"TOML front matter nests lists or tables more than {MAX_DEPTH} levels deep",
                              first_line) from None
    return _as_doc(values, _key_lines(text, first_line, _TOML_KEY, _TOML_TABLE), first_line, text)


def parse_json(values: dict[str, Any], text: str) -> YamlDoc:
    """JSON front matter as :func:`generator.yamltree.parse_mapping` gives YAML's."""
    return _as_doc(values, _key_lines(text, 1, _JSON_KEY, None), 1, text)


def _key_lines(text: str, first_line: int, key: re.Pattern[str], table: re.Pattern[str] | None) -> dict[str, int]:
    """The first line each key (or table) name is written on, counted in the file."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.split("\n")):
        found = key.match(line) or (table.fullmatch(line.split("#", 1)[0].rstrip()) if table else None)
        if found is not None:
            name = next((g for g in found.groups() if g is not None), "")
            lines.setdefault(name.strip("\"'").split(".")[0], first_line + number)
    return lines


class _Places:
    """Finds where each text value was written, in order, for warnings that point at a word
    (the lines of the front matter; a value is looked for from where the last one was found,
    over a few lines at most, so the search stays linear)."""

    def __init__(self, text: str, first_line: int):
        self.lines = text.split("\n")
        self.first_line = first_line
        self.at = (0, 0)  # (index of the line, column) after the last value found

    def start(self, line: int) -> None:
        """Look from the start of the file's ``line`` on (a key's own line)."""
        self.at = (max(line - self.first_line, 0), 0)

    def find(self, value: str) -> tuple[int, int, int, int] | None:
        """The span ``(line, col, end_line, end_col)`` of ``value`` written in quotes on one line."""
        if "\n" in value or "\\" in value:
            return None
        index, col = self.at
        for number in range(index, min(index + 8, len(self.lines))):
            line = self.lines[number]
            for quote in ('"', "'"):
                begin = col if number == index else 0  # near where the last one ended: bounded
                found = line.find(quote + value + quote, begin, begin + len(value) + 258)
                if found >= 0:
                    end = found + len(value) + 2
                    self.at = (number, end)
                    return (self.first_line + number, found, self.first_line + number, end)
        return None


def _as_doc(values: dict[str, Any], lines: dict[str, int], first_line: int, text: str) -> YamlDoc:
    doc = YamlDoc()
    places = _Places(text, first_line)
    params = values.get("params")
    for key, value in values.items():
        if key == "params" and isinstance(params, dict):
            continue
        places.start(lines.get(key, first_line))
        doc.values[key] = _raw(value, lines.get(key, first_line), 0, places)
        doc.lines[key] = lines.get(key, first_line)
    if isinstance(params, dict):  # Hugo's own place for a site's fields
        for key, value in params.items():
            if key not in doc.values:
                line = lines.get(key, lines.get("params", first_line))
                places.start(line)
                doc.values[key] = _raw(value, line, 0, places)
                doc.lines[key] = line
    return doc


def _raw(value: Any, line: int, depth: int, places: _Places) -> Any:
    """A TOML or JSON value as YAML front matter's raw value (text with its line)."""
    if depth > MAX_DEPTH:
        raise YamlSyntaxError(f"front matter nests lists or tables more than {MAX_DEPTH} levels deep", line)
    if isinstance(value, dict):
        out = Mapping({str(k): _raw(v, line, depth + 1, places) for k, v in value.items()})
        out.line = line
        return out
    if isinstance(value, list):
        return [_raw(v, line, depth + 1, places) for v in value]
    if isinstance(value, str):
        span = places.find(value)
        return Scalar(value, True, line) if span is None else Scalar(value, True, *span)
    if value is None:
        return Scalar("null", False, line)
    if isinstance(value, bool):
        return Scalar("true" if value else "false", False, line)
    if isinstance(value, datetime | date | time):
        return Scalar(value.isoformat(), False, line)
    return Scalar(str(value), False, line)


def foreign_front(content: str) -> tuple[FrontMatter, YamlDoc] | None:
    """The parts and values of a file whose front matter is TOML or JSON, else ``None``.
    Raises :class:`YamlSyntaxError` (with the file's line) for one that does not parse."""
    toml = toml_block(content)
    if toml is not None:
        text, line, body, body_line = toml
        return FrontMatter(text, line, body, body_line), parse_toml(text, line)
    found = json_block(content)
    if found is not None:
        values, text, body, body_line = found
        return FrontMatter(text, 1, body, body_line), parse_json(values, text)
    return None
