"""Diagnostics: one value type for every problem found in a config, and the source text
it points into.

A diagnostic carries 1-based line and column numbers counted in characters (not bytes,
not UTF-16 units), plus the end of the span it covers so reporters can draw carets.
"""

from __future__ import annotations

import bisect
import difflib
import enum
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

_NEWLINE = re.compile("\n")

ConfigPath = tuple[str | int, ...]
"""A location inside a config value: object keys and array indices, outermost first."""


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


class Diagnostic(NamedTuple):
    """A problem in a config file, with where it is and how to fix it."""

    severity: Severity
    code: str
    message: str
    file: str
    line: int
    column: int
    path: str = ""
    hint: str = ""
    end_line: int = 0
    end_column: int = 0
    related: tuple[tuple[str, int, int], ...] = ()
    """Other positions the message refers to, as (file, line, column)."""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.code)

    def headline(self) -> str:
        """Return the one-line form `file:line:col: severity[CODE] message`."""
        return (
            f"{self.file}:{self.line}:{self.column}: "
            f"{self.severity.value}[{self.code}] {self.message}"
        )

    def to_json(self) -> dict[str, object]:
        return {
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "hint": self.hint,
        }


def format_config_path(path: Sequence[str | int]) -> str:
    """Format a config path as `durable_objects.bindings[1].class_name`.

    Keys that are not plain identifiers are quoted, as in `vars["A.B"]`.
    """
    parts: list[str] = []
    for item in path:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif item.replace("_", "a").replace("-", "a").isalnum() and item[:1] != "$":
            parts.append(f".{item}" if parts else item)
        else:
            escaped = item.replace("\\", "\\\\").replace('"', '\\"')
            parts.append(f'["{escaped}"]')
    return "".join(parts)


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Return the diagnostics in file and position order, without exact duplicates."""
    unique = dict.fromkeys(diagnostics)
    return sorted(unique, key=Diagnostic.sort_key)


def count_by_severity(diagnostics: Iterable[Diagnostic]) -> tuple[int, int]:
    """Return (errors, warnings)."""
    errors = 0
    warnings = 0
    for diagnostic in diagnostics:
        if diagnostic.is_error:
            errors += 1
        else:
            warnings += 1
    return errors, warnings


class SourceText:
    """The text of one file, with offset to line:column conversion.

    Offsets are indices into `text`, a Python str, so they count characters.
    """

    def __init__(self, text: str, display_name: str, path: Path | None = None) -> None:
        self.text = text
        self.display_name = display_name
        self.path = path
        self._line_starts = [0]
        self._line_starts.extend(match.end() for match in _NEWLINE.finditer(text))

    def line_column(self, offset: int) -> tuple[int, int]:
        """Return the 1-based (line, column) of a character offset."""
        offset = max(0, min(offset, len(self.text)))
        line_index = bisect.bisect_right(self._line_starts, offset) - 1
        return line_index + 1, offset - self._line_starts[line_index] + 1

    def offset_of(self, line: int, column: int) -> int:
        """Return the character offset of a 1-based (line, column)."""
        line_index = max(0, min(line - 1, len(self._line_starts) - 1))
        return self._line_starts[line_index] + column - 1

    def line_text(self, line: int) -> str:
        """Return line `line` (1-based) without its line ending."""
        if line < 1 or line > len(self._line_starts):
            return ""
        start = self._line_starts[line - 1]
        end = self.text.find("\n", start)
        if end == -1:
            end = len(self.text)
        return self.text[start:end].rstrip("\r")

    @property
    def line_count(self) -> int:
        return len(self._line_starts)

    def diagnostic(
        self,
        severity: Severity,
        code: str,
        message: str,
        start: int,
        end: int | None = None,
        *,
        path: Sequence[str | int] = (),
        hint: str = "",
        related: Sequence[int] = (),
    ) -> Diagnostic:
        """Create a diagnostic for the characters `start` to `end` of this file."""
        line, column = self.line_column(start)
        end_line, end_column = self.line_column(end if end is not None else start + 1)
        related_positions = tuple(
            (self.display_name, *self.line_column(offset)) for offset in related
        )
        return Diagnostic(
            severity=severity,
            code=code,
            message=message,
            file=self.display_name,
            line=line,
            column=column,
            path=format_config_path(path),
            hint=hint,
            end_line=end_line,
            end_column=end_column,
            related=related_positions,
        )

    def error(
        self, code: str, message: str, start: int, end: int | None = None, **kw
    ) -> Diagnostic:  # type: ignore[no-untyped-def]
        return self.diagnostic(Severity.ERROR, code, message, start, end, **kw)

    def warning(
        self, code: str, message: str, start: int, end: int | None = None, **kw
    ) -> Diagnostic:  # type: ignore[no-untyped-def]
        return self.diagnostic(Severity.WARNING, code, message, start, end, **kw)


def did_you_mean(value: str, candidates: Iterable[str], cutoff: float = 0.75) -> str:
    """Return the candidate closest to `value` by difflib's ratio, or "" when none reaches
    `cutoff`."""
    matches = difflib.get_close_matches(value, list(candidates), n=1, cutoff=cutoff)
    return matches[0] if matches else ""
