"""Keep `vars` values off the published site, including the source excerpts of diagnostics.

Values of `vars` are often tokens or URLs with credentials, so the pages list vars by name.
A source excerpt on /validation/ would still show a value when a diagnostic points at its
line, so excerpts are cut from a copy of the source in which every var value is masked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..check.secrets import mask_credentials
from ..diagnostics import ConfigPath, Diagnostic, SourceText
from ..read.document import ParsedDocument, Span

if TYPE_CHECKING:
    from ..project import Project

MASK = "•"

_LINE_BREAKS = "\r\n"
_STRUCTURE = " \t\r\n{}[],:"


def _vars_object_length(path: ConfigPath) -> int:
    """Return the length of the `vars` object path that starts `path`, or 0 if none does."""
    if path[:1] == ("vars",):
        return 1
    if len(path) >= 3 and path[0] == "env" and path[2] == "vars":
        return 3
    return 0


def excerpt_sources(
    project: Project, keep: Callable[[str, object], bool] | None = None
) -> dict[str, SourceText]:
    """Return the project's sources to cut diagnostic excerpts from, with var values masked.

    Runs that look like credentials are masked in every source, which also covers a config
    that did not parse, whose var values are not known. Without diagnostics the sources are
    left out: nothing is excerpted from them, and masking a large config takes a while.
    `keep` is passed to `redacted_source`.
    """
    if not project.diagnostics:
        return {}
    sources = dict(project.sources)
    document = project.document
    if document.ok:
        sources[document.source.display_name] = redacted_source(document, keep)
    return {name: _without_credentials(source) for name, source in sources.items()}


def _without_credentials(source: SourceText) -> SourceText:
    text = mask_credentials(source.text, MASK)
    if text == source.text:
        return source
    return SourceText(text, source.display_name, source.path)


def without_credentials(diagnostic: Diagnostic) -> Diagnostic:
    """Return `diagnostic` with runs that look like credentials masked in its message and
    hint, which can quote a value from a config that did not parse."""
    message = mask_credentials(diagnostic.message, MASK)
    hint = mask_credentials(diagnostic.hint, MASK)
    if message == diagnostic.message and hint == diagnostic.hint:
        return diagnostic
    return diagnostic._replace(message=message, hint=hint)


def redacted_source(
    document: ParsedDocument, keep: Callable[[str, object], bool] | None = None
) -> SourceText:
    """Return the document's source with every var value replaced by mask characters.

    Every value below a `vars` object is masked except its line breaks, at any depth and
    however the file writes it: TOML sub-tables (`[vars.DB]`) and dotted keys
    (`vars.TOKEN = ...`) have spans outside the `vars` table's own span. In JSONC, the
    inside of each `vars` object is also masked except keys and punctuation, which covers
    values replaced by a duplicate key, since those have no span of their own. The masked
    text has the same length and line breaks, so every offset stays valid.
    `keep(name, value)` may return True to leave a var's value visible.
    """
    text = list(document.source.text)
    visible = bytearray(len(text))
    shown_members: dict[ConfigPath, bool] = {}
    inline_objects: list[Span] = []
    is_toml = document.source.display_name.lower().endswith(".toml")
    for path, span in document.spans.items():
        length = _vars_object_length(path)
        if not length:
            continue
        if len(path) == length:
            if not is_toml:
                inline_objects.append(span)
            continue
        if span.key_start >= 0:
            visible[span.key_start : span.key_end] = b"\x01" * (span.key_end - span.key_start)
        member = path[: length + 1]
        value_shown = shown_members.get(member)
        if value_shown is None:
            value_shown = keep is not None and keep(str(member[-1]), _value_at(document, member))
            shown_members[member] = value_shown
        if value_shown:
            visible[span.value_start : span.value_end] = b"\x01" * (
                span.value_end - span.value_start
            )
        elif not _has_children(document, path):
            _mask(text, span.value_start, span.value_end, _LINE_BREAKS)

    for span in inline_objects:
        for index in range(span.value_start + 1, max(span.value_start + 1, span.value_end - 1)):
            if not visible[index] and text[index] not in _STRUCTURE:
                text[index] = MASK
    return SourceText("".join(text), document.source.display_name, document.source.path)


def _mask(text: list[str], start: int, end: int, exempt: str) -> None:
    for index in range(start, end):
        if text[index] not in exempt:
            text[index] = MASK


def _has_children(document: ParsedDocument, path: ConfigPath) -> bool:
    value = _value_at(document, path)
    return isinstance(value, (dict, list)) and bool(value)


def _value_at(document: ParsedDocument, path: ConfigPath) -> object:
    value: object = document.value
    for part in path:
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
            value = value[part]
        else:
            return None
    return value
