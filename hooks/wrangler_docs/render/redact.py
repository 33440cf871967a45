"""Keep `vars` values off the published site, including the source excerpts of diagnostics.

Values of `vars` are often tokens or URLs with credentials, so the pages list vars by name.
A source excerpt on /validation/ would still show a value when a diagnostic points at its
line, so excerpts are cut from a copy of the source in which every var value is masked.
"""

from __future__ import annotations

from collections.abc import Callable

from ..diagnostics import ConfigPath, SourceText
from ..read.document import ParsedDocument

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
    shown_members: dict[ConfigPath, bool] = {}
    inline_objects: list[ConfigPath] = []
    is_toml = document.source.display_name.lower().endswith(".toml")
    for path, span in document.spans.items():
        length = _vars_object_length(path)
        if not length:
            continue
        if len(path) == length:
            if not is_toml:
                inline_objects.append(path)
            continue
        member = path[: length + 1]
        if member not in shown_members:
            shown_members[member] = keep is not None and keep(
                str(member[-1]), _value_at(document, member)
            )
        if shown_members[member] or _has_children(document, path):
            continue
        _mask(text, span.value_start, span.value_end, _LINE_BREAKS)

    for path in inline_objects:
        span = document.spans[path]
        visible = bytearray(len(text))
        for member_path, member in document.spans.items():
            if member_path[: len(path)] != path or len(member_path) == len(path):
                continue
            visible[member.key_start : member.key_end] = b"\x01" * (
                member.key_end - member.key_start
            )
            if shown_members.get(member_path[: len(path) + 1]):
                length = member.value_end - member.value_start
                visible[member.value_start : member.value_end] = b"\x01" * length
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
