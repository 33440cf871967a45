"""Reporters: the same diagnostics as compiler-style text, JSON, or GitHub annotations."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from ..diagnostics import Diagnostic, SourceText, count_by_severity


def _cells(char: str) -> int:
    """Return how many terminal cells `char` takes: 2 for wide East Asian characters and
    emoji, 0 for combining marks, else 1."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def source_excerpt(diagnostic: Diagnostic, source: SourceText | None) -> str:
    """Return the diagnostic's source line and a caret line under its span.

    Tabs before the span are copied into the caret line, and the caret line counts terminal
    cells, so the carets line up after wide characters such as CJK or emoji too. An empty
    string when the source is not available.
    """
    if source is None or not source.text:
        return ""
    if diagnostic.line < 1 or diagnostic.line > source.line_count:
        return ""
    line_text = source.line_text(diagnostic.line)
    start = max(diagnostic.column - 1, 0)
    if diagnostic.end_line == diagnostic.line and diagnostic.end_column > diagnostic.column:
        width = diagnostic.end_column - diagnostic.column
    else:
        width = max(len(line_text) - start, 1) if diagnostic.end_line > diagnostic.line else 1
    width = max(1, min(width, max(len(line_text) - start, 1)))
    padding = "".join("\t" if char == "\t" else " " * _cells(char) for char in line_text[:start])
    width = max(1, sum(_cells(char) for char in line_text[start : start + width]))
    gutter = str(diagnostic.line)
    blank = " " * len(gutter)
    return f" {gutter} | {line_text}\n {blank} | {padding}{'^' * width}"


def format_text(diagnostic: Diagnostic, sources: Mapping[str, SourceText] | None = None) -> str:
    """Format one diagnostic like a compiler: headline, source excerpt, hint."""
    lines = [diagnostic.headline()]
    excerpt = source_excerpt(diagnostic, (sources or {}).get(diagnostic.file))
    if excerpt:
        lines.append(excerpt)
    for file, line, column in diagnostic.related:
        lines.append(f"  note: see also {file}:{line}:{column}")
    if diagnostic.hint:
        lines.append(f"  hint: {diagnostic.hint}")
    return "\n".join(lines)


def summary_line(diagnostics: Sequence[Diagnostic]) -> str:
    errors, warnings = count_by_severity(diagnostics)
    return f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"


def format_text_report(
    diagnostics: Sequence[Diagnostic], sources: Mapping[str, SourceText] | None = None
) -> str:
    """Format all diagnostics as text, followed by a summary line."""
    blocks = [format_text(diagnostic, sources) for diagnostic in diagnostics]
    blocks.append(summary_line(diagnostics))
    return "\n\n".join(blocks) + "\n"


def format_json_report(diagnostics: Sequence[Diagnostic]) -> str:
    errors, warnings = count_by_severity(diagnostics)
    document = {
        "diagnostics": [diagnostic.to_json() for diagnostic in diagnostics],
        "summary": {"errors": errors, "warnings": warnings},
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _escape_annotation_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_annotation_property(text: str) -> str:
    return _escape_annotation_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github_report(diagnostics: Iterable[Diagnostic]) -> str:
    """Format diagnostics as GitHub Actions workflow commands (`::error file=...::message`)."""
    lines = []
    for diagnostic in diagnostics:
        message = diagnostic.message
        if diagnostic.hint:
            message += f"\nhint: {diagnostic.hint}"
        properties = ",".join(
            [
                f"file={_escape_annotation_property(diagnostic.file)}",
                f"line={diagnostic.line}",
                f"col={diagnostic.column}",
                f"title={_escape_annotation_property(diagnostic.code)}",
            ]
        )
        lines.append(
            f"::{diagnostic.severity.value} {properties}::{_escape_annotation_data(message)}"
        )
    return "\n".join(lines) + ("\n" if lines else "")
