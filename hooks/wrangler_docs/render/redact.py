"""Keep `vars` values off the published site, including the source excerpts of diagnostics.

Values of `vars` are often tokens or URLs with credentials, so the pages list vars by name.
A source excerpt on /validation/ would still show a value when a diagnostic points at its
line, so excerpts are cut from a copy of the source in which every var value is masked.
"""

from __future__ import annotations

from collections.abc import Callable

from ..diagnostics import SourceText
from ..read.document import ParsedDocument, Span

MASK = "•"


def _is_vars_object(path: tuple[str | int, ...]) -> bool:
    if path == ("vars",):
        return True
    return len(path) == 3 and path[0] == "env" and path[2] == "vars"


def _member_name(path: tuple[str | int, ...]) -> str:
    return str(path[-1])


def redacted_source(
    document: ParsedDocument, keep: Callable[[str, object], bool] | None = None
) -> SourceText:
    """Return the document's source with every var value replaced by mask characters.

    Inside each `vars` object, every character except line breaks, spaces, punctuation and
    the member keys is masked. That covers values replaced by a duplicate key too, which
    have no span of their own. The masked text has the same length and line breaks, so
    every offset stays valid. `keep(name, value)` may return True to leave a value visible.
    """
    text = list(document.source.text)
    members: dict[tuple[str | int, ...], list[tuple[tuple[str | int, ...], Span]]] = {}
    for member_path, member in document.spans.items():
        if member_path and _is_vars_object(member_path[:-1]):
            members.setdefault(member_path[:-1], []).append((member_path, member))
    for path, span in document.spans.items():
        if not _is_vars_object(path):
            continue
        visible = bytearray(len(text))
        for member_path, member in members.get(path, []):
            visible[member.key_start : member.key_end] = b"\x01" * (member.key_end - member.key_start)
            value = _value_at(document, member_path)
            if keep is not None and keep(_member_name(member_path), value):
                length = member.value_end - member.value_start
                visible[member.value_start : member.value_end] = b"\x01" * length
        for index in range(span.value_start + 1, max(span.value_start + 1, span.value_end - 1)):
            if visible[index] or text[index] in " \t\r\n{}[],:":
                continue
            text[index] = MASK
    return SourceText("".join(text), document.source.display_name, document.source.path)


def _value_at(document: ParsedDocument, path: tuple[str | int, ...]) -> object:
    value: object = document.value
    for part in path:
        if isinstance(value, dict) and part in value:
            value = value[part]
        else:
            return None
    return value
