"""Diagnostics (``file:line: field: message``) and the error classes of the project."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import total_ordering


class Severity(StrEnum):
    """How bad a diagnostic is: errors fail the build, warnings do not (unless strict), notices
    never (they say what a build did on purpose, such as a link to a document left out)."""

    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"


@total_ordering
@dataclass(frozen=True)
class Diagnostic:
    """One problem found in a user's files, printed as ``file:line: field: message``, or
    ``file:line:column: field: message`` when it points at a word (``column`` is 1-based)."""

    path: str
    line: int
    field: str
    message: str
    severity: Severity = Severity.ERROR
    column: int = 0

    def _order(self) -> tuple:
        return (self.path, self.line, self.column, self.field, self.message, self.severity)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Diagnostic):
            return NotImplemented
        return self._order() < other._order()

    def __str__(self) -> str:
        place = f"{printable_path(self.path)}:{self.line or 1}"  # always file:line, as tools and editors expect
        if self.column:
            place += f":{self.column}"
        label = "" if self.severity is Severity.ERROR else f"{self.severity.value}: "
        field = f"{printable_path(self.field)}: " if self.field else ""
        # One line per problem: a file or key named in the message is escaped like the path.
        return f"{place}: {label}{field}{printable_path(self.message)}"

    @property
    def is_error(self) -> bool:
        """True when this diagnostic fails the build."""
        return self.severity is Severity.ERROR

    @property
    def is_notice(self) -> bool:
        """True for a notice: neither a problem nor made one by ``--strict``."""
        return self.severity is Severity.NOTICE

    def promoted(self) -> Diagnostic:
        """This diagnostic as an error (what ``--strict`` does to warnings; a notice stays one)."""
        if self.severity is Severity.NOTICE:
            return self
        return Diagnostic(self.path, self.line, self.field, self.message, Severity.ERROR, self.column)


def printable_path(path: str) -> str:
    """``path`` (or any text of a message) on one line: control characters (a newline in a file name) shown as ``\\n``,
    ``\\x0b``, ..., and bytes that are not UTF-8 as ``\\xff``, so ``file:line:`` stays one line."""
    if path.isprintable():
        return path
    out = []
    for char in path:
        if char.isprintable():
            out.append(char)
        elif "\udc80" <= char <= "\udcff":  # an undecodable byte, as os.fsdecode keeps it
            out.append(f"\\x{ord(char) - 0xDC00:02x}")
        else:
            out.append(repr(char)[1:-1])
    return "".join(out)


def error(path: str, line: int, field: str, message: str) -> Diagnostic:
    """Make an error diagnostic."""
    return Diagnostic(path, line, field, message, Severity.ERROR)


def warning(path: str, line: int, field: str, message: str, column: int = 0) -> Diagnostic:
    """Make a warning diagnostic (``column``: 1-based, 0 when it names a whole line)."""
    return Diagnostic(path, line, field, message, Severity.WARNING, column)


def notice(path: str, line: int, field: str, message: str) -> Diagnostic:
    """Make a notice: something a build did on purpose that its user should know of."""
    return Diagnostic(path, line, field, message, Severity.NOTICE)


class BriefingError(Exception):
    """Base class of the errors a user can cause; the CLI prints them without a traceback."""

    exit_code = 1


class UsageError(BriefingError):
    """Raised when a command is called wrongly (bad option, refused folder, missing file)."""

    exit_code = 2


class BuildError(BriefingError):
    """Raised when a build fails; carries every diagnostic the build collected."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sorted(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class OutputFolderError(UsageError):
    """Raised when the output folder is dangerous (``/``, home, the source or a parent of it)."""
