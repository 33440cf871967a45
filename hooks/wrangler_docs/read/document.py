"""The result of reading a config file, whatever its format: the value, the source position
of every value, and the comment block above each member."""

from __future__ import annotations

import datetime
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ..diagnostics import ConfigPath, Diagnostic, SourceText

DEFAULT_MAX_BYTES = 8 * 1024 * 1024
"""Largest config file read, in bytes. Real wrangler configs are a few kilobytes."""

DEFAULT_MAX_DEPTH = 128
"""Deepest nesting of objects and arrays accepted. Real configs nest fewer than 10 levels."""


class TomlDateTime:
    """A TOML date, time or date-time value.

    smol-toml 1.9.0 reads an unquoted `compatibility_date = 2025-09-01` as a JavaScript Date,
    and wrangler 4.164.0 then reports `Expected "compatibility_date" to be of type string but
    got "2025-09-01"`, and `The field "vars.D" is a TOML date, which is not supported` in
    `vars`. This type is not a `str`, so every JSON Schema type check rejects it the same way;
    `str()` returns the text wrangler shows for it.
    """

    __slots__ = ("value",)

    def __init__(self, value: datetime.datetime | datetime.date | datetime.time) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TomlDateTime):
            return NotImplemented
        return self.value == other.value

    def __hash__(self) -> int:
        return hash(self.value)

    def __repr__(self) -> str:
        return f"TomlDateTime({self.value!r})"

    def __str__(self) -> str:
        return _iso_text(self.value)


def _iso_text(value: datetime.datetime | datetime.date | datetime.time) -> str:
    """Return the text smol-toml's `TomlDate.toISOString()` gives, at millisecond precision."""
    if isinstance(value, datetime.datetime):
        text = (
            f"{value.year:04d}-{value.month:02d}-{value.day:02d}T"
            f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
            f".{value.microsecond // 1000:03d}"
        )
        offset = value.utcoffset()
        if offset is None:
            return text
        if not offset:
            # NOTE: tomllib reads +00:00 as UTC too, so it shows as Z; smol-toml keeps +00:00.
            return text + "Z"
        sign = "-" if offset < datetime.timedelta(0) else "+"
        minutes = abs(offset) // datetime.timedelta(minutes=1)
        return f"{text}{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    if isinstance(value, datetime.date):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    return f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}.{value.microsecond // 1000:03d}"


class Span(NamedTuple):
    """The position of one member or element in the source, as character offsets.

    `key_start` and `key_end` are -1 for array elements and for the root value.
    `value_end` is one past the last character of the value.
    """

    key_start: int
    key_end: int
    value_start: int
    value_end: int


class ParsedDocument:
    """A parsed config file.

    `value` is None when the file could not be parsed; `diagnostics` then explains why.
    `spans` maps every path in the value to its position; `descriptions` maps a path to
    the text of the comment block written directly above that member or element.
    """

    __slots__ = ("descriptions", "diagnostics", "ok", "source", "spans", "value")

    def __init__(
        self,
        source: SourceText,
        value: Any = None,
        ok: bool = False,
        spans: dict[ConfigPath, Span] | None = None,
        descriptions: dict[ConfigPath, str] | None = None,
        diagnostics: list[Diagnostic] | None = None,
    ) -> None:
        self.source = source
        self.value = value
        self.ok = ok
        self.spans = spans if spans is not None else {}
        self.descriptions = descriptions if descriptions is not None else {}
        self.diagnostics = diagnostics if diagnostics is not None else []

    def nearest_span(self, path: Sequence[str | int]) -> tuple[ConfigPath, Span | None]:
        """Return the span of `path`, or of its nearest ancestor that has one."""
        current = tuple(path)
        while True:
            span = self.spans.get(current)
            if span is not None or not current:
                return current, span
            current = current[:-1]

    def value_range(self, path: Sequence[str | int]) -> tuple[int, int]:
        """Return (start, end) offsets of the value at `path` (or its nearest ancestor)."""
        _, span = self.nearest_span(path)
        if span is None:
            return 0, min(1, len(self.source.text))
        return span.value_start, span.value_end

    def key_range(self, path: Sequence[str | int]) -> tuple[int, int]:
        """Return (start, end) offsets of the key at `path`, or of the value for elements."""
        _, span = self.nearest_span(path)
        if span is None:
            return 0, min(1, len(self.source.text))
        if span.key_start < 0:
            return span.value_start, span.value_end
        return span.key_start, span.key_end

    def description(self, path: Sequence[str | int]) -> str:
        return self.descriptions.get(tuple(path), "")


def display_name_for(path: Path, base: Path | None) -> str:
    """Return `path` relative to `base`, with `..` when it lies outside, never absolute.

    Display names end up on published pages, so they must not reveal the build machine's
    folders. Without a base, or on another drive, the path is returned as given.
    """
    if base is None:
        return path.as_posix()
    try:
        return Path(os.path.relpath(path.resolve(), base.resolve())).as_posix()
    except ValueError:
        return path.as_posix()


def _is_blank(text: str) -> bool:
    return not text.strip(" \t\r\n")


def comment_blocks(text: str, comments: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Group comments, given as (start, end) offsets, into blocks on consecutive lines.

    A blank line ends a block. Each block starts at a comment that begins its own line, so a
    trailing comment after a value (`"a": 1, // note`) is never part of a block, not even of
    the one below it. Both the JSONC and the TOML reader turn these blocks into descriptions.
    """
    blocks: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    previous_end = -1
    for start, end in comments:
        if current:
            gap = text[previous_end:start]
            if _is_blank(gap) and gap.count("\n") <= 1:
                current.append((start, end))
                previous_end = end
                continue
            blocks.append(current)
            current = []
        line_start = text.rfind("\n", 0, start) + 1
        if _is_blank(text[line_start:start]):
            current = [(start, end)]
        previous_end = end
    if current:
        blocks.append(current)
    return blocks
