"""Read wrangler.toml with positions and comment descriptions.

wrangler 4.164.0 reads TOML with smol-toml 1.9.0. Here `tomllib` (TOML 1.0.0) checks the
syntax and builds the value, and tree-sitter-toml 0.7.0 gives the position of every key,
table header, value and comment.

How a file is read:

1. `tomllib.loads` parses the text. Its error message names a line and column; that position
   becomes one diagnostic with a plain-words message, refined with a small lexical scan
   (the opening quote of an unclosed string, the bracket of an unclosed array) and, when
   `tomllib` reports only "at end of document", with tree-sitter's first error node.
2. One iterative walk over the tree-sitter tree records the span of every path, the start
   of each statement (key, table header or array element) and the nesting depth.
3. A comment block that ends on the line above a statement becomes the description of the
   path that statement defines. The first comment block of the file, when a blank line
   follows it, describes the whole config.

Offsets are character indices into the text, so columns count characters, not bytes.

Differences from wrangler 4.164.0, and why:

- TOML dates and times become `TomlDateTime`, which is not a string. smol-toml reads them
  as JavaScript Date objects, and wrangler rejects those where a string is expected and
  in `vars`.
- An integer outside JavaScript's safe range (more than 2**53 - 1 in size) is an error, as
  in smol-toml ("integer value cannot be represented losslessly").
- TOML 1.1 syntax that smol-toml 1.9.0 accepts (line breaks or a trailing comma inside an
  inline table, the `\\e` and `\\xHH` escapes, times without seconds) is an error here, with
  a hint that says so.
- Line breaks inside multi-line strings read as "\\n" in a CRLF file, because `tomllib`
  normalises them; smol-toml keeps "\\r\\n".
"""

from __future__ import annotations

import datetime
import json
import logging
import re
import threading
import tomllib
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..diagnostics import ConfigPath, SourceText, format_config_path
from ..facts.wrangler import VERSION as WRANGLER_VERSION
from .document import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_DEPTH,
    ParsedDocument,
    Span,
    TomlDateTime,
    comment_blocks,
)
from .jsonc import read_config_text

if TYPE_CHECKING:
    from tree_sitter import Node, Parser

logger = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_DEPTH",
    "MAX_SAFE_INTEGER",
    "TomlDateTime",
    "parse_toml",
    "read_toml_file",
]

MAX_SAFE_INTEGER = 2**53 - 1
"""JavaScript's Number.MAX_SAFE_INTEGER: smol-toml 1.9.0 rejects integers larger in size."""

_TOML_11_NOTE = (
    f"wrangler {WRANGLER_VERSION} reads TOML 1.1, which allows this, but wrangler-docs reads "
    "TOML 1.0."
)


# --------------------------------------------------------------------------- values


_DATE_TYPES = (datetime.date, datetime.time)  # datetime.datetime is a datetime.date


def _convert_values(value: Any) -> tuple[Any, list[ConfigPath]]:
    """Wrap dates and times in `TomlDateTime`, in place, without recursion.

    Return the value and the paths of integers outside JavaScript's safe range.
    """
    if isinstance(value, _DATE_TYPES):
        return TomlDateTime(value), []
    unsafe: list[ConfigPath] = []
    stack: list[tuple[Any, ConfigPath]] = [(value, ())]
    while stack:
        container, path = stack.pop()
        items = container.items() if isinstance(container, dict) else enumerate(container)
        for key, item in items:
            if isinstance(item, (dict, list)):
                stack.append((item, (*path, key)))
            elif isinstance(item, _DATE_TYPES):
                container[key] = TomlDateTime(item)
            elif type(item) is int and abs(item) > MAX_SAFE_INTEGER:
                unsafe.append((*path, key))
    return value, unsafe


# --------------------------------------------------------------------------- tree-sitter

_PARSE_LOCK = threading.Lock()
"""tree-sitter parsers are not thread-safe, so the shared parser is used by one thread at a time."""
_PARSER: Parser | None = None


def _parser() -> Parser:
    """Return the process-wide TOML parser, created on first use."""
    global _PARSER
    if _PARSER is None:
        import tree_sitter
        import tree_sitter_toml

        _PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_toml.language()))
    return _PARSER


def _parse_tree(text: str) -> Node:
    with _PARSE_LOCK:
        return _parser().parse(text.encode("utf-8")).root_node


class _CharOffsets:
    """Convert tree-sitter positions (row, byte column) to character offsets."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._ascii = text.isascii()
        self._line_starts: list[int] = []
        self._rows: dict[int, tuple[int, bytes | None]] = {}
        """Start offset of each row seen, and its UTF-8 bytes when it is not ASCII."""
        if not self._ascii:
            self._line_starts = [0, *(match.end() for match in re.finditer("\n", text))]

    def _offset(self, byte: int, row: int, column: int) -> int:
        if self._ascii:
            return byte
        known = self._rows.get(row)
        if known is None:
            line_start = self._line_starts[min(row, len(self._line_starts) - 1)]
            line_end = self._text.find("\n", line_start)
            line = self._text[line_start : len(self._text) if line_end < 0 else line_end]
            known = (line_start, None if line.isascii() else line.encode("utf-8"))
            self._rows[row] = known
        line_start, encoded = known
        if encoded is None:
            return line_start + column
        return line_start + len(encoded[:column].decode("utf-8", "ignore"))

    def start(self, node: Node) -> int:
        point = node.start_point
        return self._offset(node.start_byte, point.row, point.column)

    def end(self, node: Node) -> int:
        point = node.end_point
        return self._offset(node.end_byte, point.row, point.column)


_BASIC_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))", re.DOTALL)
_SIMPLE_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


def _unescape(match: re.Match[str]) -> str:
    digits = match.group(1) or match.group(2)
    if digits is None:
        return _SIMPLE_ESCAPES.get(match.group(3), match.group(0))
    code = int(digits, 16)
    return chr(code) if code <= 0x10FFFF else match.group(0)


def _key_name(text: str) -> str:
    """Return the name a bare or quoted key part stands for."""
    if text.startswith("'"):
        return text[1:-1]
    if text.startswith('"'):
        return _BASIC_ESCAPE.sub(_unescape, text[1:-1])
    return text


class _Statement(NamedTuple):
    """A key = value pair or a table header, as the walk met it."""

    kind: str  # "pair", "table" or "array_table"
    path: ConfigPath  # the path its key names; an [[array]] header names the array
    start: int
    end: int
    key_start: int  # the whole key: every part of a dotted key
    key_end: int


class _Walker:
    """Walk a tree-sitter TOML tree once, in document order, without recursion.

    Records the span of every path, the statements, the comments and where the nesting
    first gets deeper than `max_depth`. Tolerates trees with errors: it skips what it
    cannot read.
    """

    def __init__(self, text: str, offsets: _CharOffsets, max_depth: int) -> None:
        self.text = text
        self.offsets = offsets
        self.max_depth = max_depth
        self.spans: dict[ConfigPath, Span] = {}
        self.statements: list[_Statement] = []
        self.comments: list[tuple[int, int]] = []
        self.item_starts: dict[int, ConfigPath] = {}
        """Start offset of each statement or array element, mapped to the path it defines."""
        self.too_deep: tuple[int, ConfigPath] | None = None
        self._implicit: set[ConfigPath] = set()
        self._array_table_counts: dict[ConfigPath, int] = {}

    # -- recording ---------------------------------------------------------------------------

    def _define(
        self, path: ConfigPath, span: Span, *, implicit: bool, container: bool, at: int
    ) -> None:
        """Record the span of `path`. An explicit definition replaces an implicit one."""
        if path not in self.spans or (path in self._implicit and not implicit):
            self.spans[path] = span
            if implicit:
                self._implicit.add(path)
            else:
                self._implicit.discard(path)
        if container:
            self._check_depth(path, at)

    def _check_depth(self, path: ConfigPath, at: int) -> None:
        """Record the first container, in document order, nested deeper than `max_depth`."""
        if self.too_deep is None and len(path) + 1 > self.max_depth:
            self.too_deep = (at, path)

    def _key_parts(self, node: Node) -> list[tuple[str, int, int]]:
        """Return (name, start, end) of each part of a bare, quoted or dotted key."""
        parts: list[tuple[str, int, int]] = []
        stack = [node]
        while stack:
            current = stack.pop()
            if current.type == "dotted_key":
                stack.extend(reversed(current.named_children))
            elif current.type in ("bare_key", "quoted_key"):
                start = self.offsets.start(current)
                end = self.offsets.end(current)
                parts.append((_key_name(self.text[start:end]), start, end))
        return parts

    # -- walking -----------------------------------------------------------------------------

    def walk(self, root: Node) -> None:
        # Work items: (kind, node, path). Children are pushed in reverse, so items are
        # handled in document order.
        stack: list[tuple[str, Node, ConfigPath]] = [
            ("top", child, ()) for child in reversed(root.children)
        ]
        while stack and self.too_deep is None:
            kind, node, path = stack.pop()
            if node.type == "comment":
                self.comments.append((self.offsets.start(node), self.offsets.end(node)))
            elif kind == "element":
                self._element(node, path, stack)
            elif node.type == "pair":
                self._pair(node, path, stack)
            elif node.type in ("table", "table_array_element"):
                self._table(node, stack)
            elif node.type == "ERROR":
                logger.debug("skipping a TOML syntax error node at byte %d", node.start_byte)

    def _table(self, node: Node, stack: list[tuple[str, Node, ConfigPath]]) -> None:
        is_array = node.type == "table_array_element"
        named = node.named_children
        if not named or named[0].type not in ("bare_key", "quoted_key", "dotted_key"):
            return
        parts = self._key_parts(named[0])
        if not parts:
            return
        start = self.offsets.start(node)
        end = self._table_end(node)

        # Resolve the header's key: a part that names an array of tables stands for its
        # last element, and a part seen for the first time creates an implicit table.
        path: ConfigPath = ()
        for name, key_start, key_end in parts[:-1]:
            path = (*path, name)
            count = self._array_table_counts.get(path)
            if count is not None:
                path = (*path, count - 1)
            else:
                span = Span(key_start, key_end, start, end)
                self._define(path, span, implicit=True, container=True, at=key_start)
        name, key_start, key_end = parts[-1]
        path = (*path, name)
        kind = "array_table" if is_array else "table"
        self.statements.append(_Statement(kind, path, start, end, parts[0][1], key_end))

        if is_array:
            count = self._array_table_counts.get(path, 0)
            self._array_table_counts[path] = count + 1
            first = self.spans.get(path) if count else None
            if first is None:
                array_span = Span(key_start, key_end, start, end)
            else:
                array_span = Span(first.key_start, first.key_end, first.value_start, end)
            self.spans[path] = array_span
            self._implicit.discard(path)
            self._check_depth(path, start)
            path = (*path, count)
            self._define(path, Span(-1, -1, start, end), implicit=False, container=True, at=start)
        else:
            span = Span(key_start, key_end, start, end)
            self._define(path, span, implicit=False, container=True, at=key_start)

        self.item_starts[start] = path
        for child in reversed(named[1:]):
            stack.append(("top", child, path))

    def _table_end(self, node: Node) -> int:
        """Return the end of the last pair's value in a table, or of its header."""
        last_pair = None
        closer = None
        for child in node.children:
            if child.type == "pair":
                last_pair = child
            elif child.type in ("]", "]]"):
                closer = child
        if last_pair is not None:
            value = self._pair_value(last_pair)
            return self.offsets.end(value if value is not None else last_pair)
        return self.offsets.end(closer if closer is not None else node)

    @staticmethod
    def _pair_value(node: Node) -> Node | None:
        named = [child for child in node.named_children if child.type != "comment"]
        return named[1] if len(named) >= 2 else None

    def _pair(
        self, node: Node, base: ConfigPath, stack: list[tuple[str, Node, ConfigPath]]
    ) -> None:
        for child in node.named_children:
            if child.type == "comment":
                self.comments.append((self.offsets.start(child), self.offsets.end(child)))
        value = self._pair_value(node)
        if value is None:
            return
        parts = self._key_parts(node.named_children[0])
        if not parts:
            return
        start = self.offsets.start(node)
        value_start = self.offsets.start(value)
        value_end = self.offsets.end(value)
        path = base
        for name, key_start, key_end in parts[:-1]:
            path = (*path, name)
            span = Span(key_start, key_end, start, value_end)
            self._define(path, span, implicit=True, container=True, at=key_start)
        name, key_start, key_end = parts[-1]
        path = (*path, name)
        container = value.type in ("array", "inline_table")
        span = Span(key_start, key_end, value_start, value_end)
        self._define(path, span, implicit=False, container=container, at=value_start)
        self.statements.append(_Statement("pair", path, start, value_end, parts[0][1], key_end))
        self.item_starts.setdefault(start, path)
        self._push_children(value, path, stack)

    def _element(
        self, node: Node, path: ConfigPath, stack: list[tuple[str, Node, ConfigPath]]
    ) -> None:
        start = self.offsets.start(node)
        container = node.type in ("array", "inline_table")
        self._define(
            path,
            Span(-1, -1, start, self.offsets.end(node)),
            implicit=False,
            container=container,
            at=start,
        )
        self.item_starts.setdefault(start, path)
        self._push_children(node, path, stack)

    @staticmethod
    def _push_children(
        node: Node, path: ConfigPath, stack: list[tuple[str, Node, ConfigPath]]
    ) -> None:
        if node.type == "array":
            items: list[tuple[str, Node, ConfigPath]] = []
            index = 0
            for child in node.named_children:
                if child.type == "comment":
                    items.append(("comment", child, path))
                else:
                    items.append(("element", child, (*path, index)))
                    index += 1
            stack.extend(reversed(items))
        elif node.type == "inline_table":
            stack.extend(("pair", child, path) for child in reversed(node.named_children))


def _first_error_node(root: Node) -> Node | None:
    """Return the first ERROR or MISSING node in document order."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "ERROR" or node.is_missing:
            return node
        if node.has_error:
            stack.extend(reversed(node.children))
    return None


# --------------------------------------------------------------------------- descriptions


def _is_blank(text: str) -> bool:
    return not text.strip(" \t\r\n")




def _block_text(text: str, block: list[tuple[int, int]]) -> str:
    """Return a comment block's text without the `#` marks, its lines joined with newlines."""
    lines = [text[start:end].lstrip("#").strip() for start, end in block]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


_NON_SPACE = re.compile(r"[^ \t\r\n]")


def _attach_descriptions(
    text: str, comments: list[tuple[int, int]], item_starts: dict[int, ConfigPath]
) -> dict[ConfigPath, str]:
    """Map each path to the comment block that ends on the line just above its statement.

    In TOML, a comment above `[[durable_objects.bindings]]` sits inside the previous table,
    so blocks are matched by position, not by the tree: a block describes whatever statement
    starts on the next line. The first block of the file describes the root when a blank
    line (or the end of the file) follows it.
    """
    descriptions: dict[ConfigPath, str] = {}
    for index, block in enumerate(comment_blocks(text, sorted(comments))):
        block_end = block[-1][1]
        following = _NON_SPACE.search(text, block_end)
        path: ConfigPath | None = None
        if following is not None and text.count("\n", block_end, following.start()) == 1:
            path = item_starts.get(following.start())
        elif index == 0 and _is_blank(text[: block[0][0]]):
            path = ()
        if path is None:
            continue
        description = _block_text(text, block)
        if description:
            descriptions[path] = description
    return descriptions


# --------------------------------------------------------------------------- syntax errors


class _Problem(NamedTuple):
    code: str
    message: str
    start: int
    end: int
    hint: str = ""
    related: tuple[int, ...] = ()
    path: ConfigPath = ()


# `tomllib` messages that can mean a string is never closed. They report a basic string that
# runs to the end of the file, or a line break inside a one-line string. A literal string that
# runs to the end of the file gives `Expected "'"` or `Expected "\'\'\'"`, matched by prefix.
_UNCLOSED_STRING_MESSAGES = frozenset(
    ("Unterminated string", "Illegal character '\\n'", "Found invalid character '\\n'")
)

_TOMLLIB_POSITION = re.compile(
    r"^(.*) \(at (?:line (\d+), column (\d+)|end of document)\)$", re.DOTALL
)

_PLAIN_RUN = re.compile(r"""[^#"'\[\]{}]+""")
_ML_BASIC_REST = re.compile(r'[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""', re.DOTALL)
_BASIC_REST = re.compile(r'[^"\\\n]*(?:\\[^\n][^"\\\n]*)*"')
_LITERAL_REST = re.compile(r"[^'\n]*'")
_VALUE_CHARS = re.compile(r"[0-9A-Za-z_+\-.:]+")
_WORD = re.compile(r"[^\s,\]}#=]+")


class _ScanState(NamedTuple):
    """The strings, comments and brackets around an offset, found by `_scan`."""

    unclosed_string: int | None
    """Start of the first string that is never closed, if it starts before the offset."""
    open_brackets: list[int]
    """Offsets of the `[` and `{` still open at the offset, outermost first."""
    inside: str
    """"string" or "comment" when the offset lies inside one, else ""."""


def _scan(text: str, limit: int) -> _ScanState:
    """Scan strings, comments and brackets up to `limit`, the way TOML delimits them.

    Any quote outside a comment starts a string and any `#` outside a string starts a
    comment, so this needs no grammar and works on invalid files.
    """
    open_brackets: list[int] = []
    index = 0
    while index < limit:
        run = _PLAIN_RUN.match(text, index)
        if run is not None:
            index = run.end()
            continue
        char = text[index]
        if char == "#":
            line_end = text.find("\n", index)
            index = len(text) if line_end < 0 else line_end
            if index >= limit:
                return _ScanState(None, open_brackets, "comment")
        elif char in "\"'":
            end = _string_end(text, index, char)
            if end is None:
                return _ScanState(index, open_brackets, "string")
            if end > limit:
                return _ScanState(None, open_brackets, "string")
            index = end
        elif char in "[{":
            open_brackets.append(index)
            index += 1
        else:
            if open_brackets:
                open_brackets.pop()
            index += 1
    return _ScanState(None, open_brackets, "")


def _string_end(text: str, start: int, quote: str) -> int | None:
    """Return the offset after the string that starts at `start`, or None if it never ends."""
    if not text.startswith(quote * 3, start):
        pattern = _BASIC_REST if quote == '"' else _LITERAL_REST
        match = pattern.match(text, start + 1)
        return match.end() if match is not None else None
    if quote == '"':
        match = _ML_BASIC_REST.match(text, start + 3)
        if match is None:
            return None
        end = match.end()
    else:
        found = text.find("'''", start + 3)
        if found < 0:
            return None
        end = found + 3
    # One or two quotes right after the closing delimiter are part of the string.
    extra = 0
    while extra < 2 and text.startswith(quote, end + extra):
        extra += 1
    return end + extra


def _char_name(char: str) -> str:
    names = {
        "\x00": "NULL",
        "\t": "tab",
        "\n": "line feed",
        "\r": "carriage return",
        "\x0b": "vertical tab",
        "\x0c": "form feed",
        "\x1b": "escape",
        "\x7f": "delete",
    }
    return names.get(char) or unicodedata.name(char, "control character")


def _is_unusual(char: str) -> bool:
    """Return whether `char` is a control or invisible character that TOML does not allow here."""
    if char in " \t\n":
        return False
    return unicodedata.category(char) in ("Cc", "Cf", "Zs", "Zl", "Zp", "Co", "Cs")


def _unexpected_character(char: str, start: int, where: str = "") -> _Problem:
    message = f"Unexpected character U+{ord(char):04X} ({_char_name(char)}){where}"
    if char == "\x00":
        hint = "The file may be UTF-16 without a byte order marker, or not text; save it as UTF-8."
    elif char == "\r":
        hint = "Lines must end with \\n or \\r\\n; remove the lone carriage return."
    elif char.isspace() or unicodedata.category(char) in ("Cf", "Zs"):
        hint = "Only spaces and tabs may separate tokens; replace it with a space."
    else:
        hint = "Remove this character."
    return _Problem("WD001", message, start, start + 1, hint)


def _token_at(text: str, offset: int, pattern: re.Pattern[str] = _WORD) -> str:
    match = pattern.match(text, offset)
    return match.group() if match is not None else ""


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _position(source: SourceText, offset: int) -> str:
    line, column = source.line_column(offset)
    return f"{line}:{column}"


class _SyntaxErrorMapper:
    """Turn a `tomllib` error into one diagnostic with a plain-words message."""

    def __init__(self, source: SourceText, text: str) -> None:
        self.source = source
        self.text = text

    def problem(self, error: tomllib.TOMLDecodeError) -> _Problem:
        # Before Python 3.14 the position is only in the message: "(at line L, column C)" or
        # "(at end of document)".
        match = _TOMLLIB_POSITION.match(str(error))
        if match is None:
            return _Problem("WD001", f"Invalid TOML: {error}", 0, min(1, len(self.text)))
        message = match.group(1)
        if match.group(2) is None:
            offset = len(self.text)
        else:
            # tomllib counts columns in characters of the text with CRLF replaced by LF, which
            # changes no column before a line end.
            offset = self.source.offset_of(int(match.group(2)), int(match.group(3)))
        offset = max(0, min(offset, len(self.text)))
        problem = self._classify(message, offset)
        if problem is None:
            problem = self._fallback(message, offset)
        return problem

    def _char(self, offset: int) -> str:
        return self.text[offset] if offset < len(self.text) else ""

    def _classify(self, message: str, offset: int) -> _Problem | None:
        text = self.text
        char = self._char(offset)

        if message.startswith(("Cannot ", "Duplicate inline table key")):
            return self._duplicate(message, offset)
        if message in _UNCLOSED_STRING_MESSAGES or message.startswith("Expected \"'"):
            unclosed = self._unclosed_string(offset)
            if unclosed is not None:
                return unclosed
        if message.startswith(("Illegal character", "Found invalid character")) and char:
            return self._illegal_character(char, offset)
        if char and _is_unusual(char):
            return _unexpected_character(char, offset)

        if message == "Invalid statement":
            return self._invalid_statement(char, offset)
        if message == "Expected newline or end of document after a statement":
            return self._expected_newline(offset)
        if message == "Expected '=' after a key in a key/value pair":
            return self._expected_equals(char, offset)
        if message == "Invalid value":
            return self._invalid_value(char, offset)
        if message == "Invalid initial character for a key part":
            return self._invalid_key_start(char, offset)
        if message == "Expected ']' at the end of a table declaration":
            return _Problem(
                "WD001",
                "Missing ']' at the end of the table header",
                offset,
                offset + 1,
                "Close the header with ']', e.g. [env.staging]. Put keys that contain spaces or "
                "dots in double quotes.",
            )
        if message == "Expected ']]' at the end of an array declaration":
            return _Problem(
                "WD001",
                "Missing ']]' at the end of the array-of-tables header",
                offset,
                offset + 1,
                "Close the header with ']]', e.g. [[d1_databases]].",
            )
        if message == "Unclosed array":
            return self._unclosed(offset, "[", "array", "]")
        if message == "Unclosed inline table":
            return self._unclosed(offset, "{", "inline table", "}")
        if message == "Unescaped '\\' in a string":
            return self._bad_escape(offset)
        if message in ("Invalid hex value", "Escaped character is not a Unicode scalar value"):
            return self._bad_unicode_escape(message, offset)
        if message == "Invalid date or datetime":
            token = _token_at(text, offset, _VALUE_CHARS)
            return _Problem(
                "WD001",
                f"Invalid date or time {token}",
                offset,
                offset + max(1, len(token)),
                "Write a real date as YYYY-MM-DD, or put the text in double quotes. wrangler "
                'expects compatibility_date as a string: compatibility_date = "2025-09-01".',
            )
        return None

    def _fallback(self, message: str, offset: int) -> _Problem:
        """Report a message without a plain-words form, at the most precise position known.

        A `tomllib` position at the end of the document is the least precise one, so the
        start of tree-sitter's first error node is used instead when there is one.
        """
        start = offset
        if offset >= len(self.text):
            error_node = _first_error_node(_parse_tree(self.text))
            if error_node is not None:
                offsets = _CharOffsets(self.text)
                start = offsets.start(error_node)
        return _Problem(
            "WD001",
            f"Invalid TOML: {message}",
            start,
            start + 1,
            "Check the TOML syntax at this position.",
        )

    # -- one method per kind of error -------------------------------------------------------

    def _unclosed_string(self, offset: int) -> _Problem | None:
        start = _scan(self.text, min(offset + 1, len(self.text))).unclosed_string
        if start is None or start > offset:
            return None
        quote = self.text[start]
        multi = self.text.startswith(quote * 3, start)
        if multi:
            message = f"String is never closed: this {quote * 3} has no matching {quote * 3}"
            hint = f"Close the string with {quote * 3}."
        else:
            message = "String is never closed: a single-line string must end on its line"
            hint = (
                f"Close the string with {quote} on the same line, or use a multi-line string "
                f"{quote * 3}...{quote * 3}."
            )
        return _Problem("WD010", message, start, start + (3 if multi else 1), hint)

    def _illegal_character(self, char: str, offset: int) -> _Problem:
        inside = _scan(self.text, offset).inside
        where = f" in a {inside}" if inside else ""
        problem = _unexpected_character(char, offset, where)
        if inside == "string" and char not in "\r\n":
            hint = f"Write it as the escape \\u{ord(char):04X}."
            return _Problem(problem.code, problem.message, problem.start, problem.end, hint)
        return problem

    def _invalid_statement(self, char: str, offset: int) -> _Problem:
        if char == "=":
            return _Problem(
                "WD001", "Missing key before '='", offset, offset + 1, "Write key = value."
            )
        word = _token_at(self.text, offset)
        if char.isalnum() or char in "$@%&*!?/\\":
            return _Problem(
                "WD001",
                f"Invalid character {char!r} at the start of a key: bare keys may contain only "
                "ASCII letters, digits, '_' and '-'",
                offset,
                offset + max(1, len(word)),
                f"Put the key in double quotes: {_quoted(word)} = ...",
            )
        return _Problem(
            "WD001",
            f"Unexpected {char!r}: expected a key, a [table] header or a comment",
            offset,
            offset + 1,
            "Each line holds one key = value pair, a [table] or [[array]] header, or a comment.",
        )

    def _expected_newline(self, offset: int) -> _Problem:
        text = self.text
        token_start = offset
        while token_start > 0 and _VALUE_CHARS.match(text[token_start - 1]):
            token_start -= 1
        if token_start < offset:
            token = _token_at(text, token_start, _VALUE_CHARS)
            return self._bad_value_token(token, token_start)
        word = _token_at(text, offset) or text[offset : offset + 1]
        line_start = text.rfind("\n", 0, offset) + 1
        after = "table header" if text[line_start:offset].lstrip().startswith("[") else "value"
        return _Problem(
            "WD001",
            f"Unexpected {_quoted(word)} after the {after}: each statement must end its line",
            offset,
            offset + max(1, len(word)),
            "Put each key = value pair on its own line, and text that contains spaces in "
            "double quotes.",
        )

    def _bad_value_token(self, token: str, start: int) -> _Problem:
        end = start + max(1, len(token))
        if re.fullmatch(r"[+-]?0[0-9_]+(?:\.[0-9_]*)?(?:[eE][+-]?[0-9_]+)?", token):
            return _Problem(
                "WD001",
                f"Invalid number {token}: TOML numbers cannot start with a 0",
                start,
                end,
                "Remove the leading zeros, or put the value in double quotes.",
            )
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[Tt ]?\d{2}:\d{2}(?:[Zz]|[+-]\d{2}:\d{2})?", token) or (
            re.fullmatch(r"\d{2}:\d{2}", token)
        ):
            return _Problem(
                "WD001",
                f"Time without seconds: {token}",
                start,
                end,
                f"Write the seconds, as in 07:32:00. {_TOML_11_NOTE}",
            )
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", token):
            return _Problem(
                "WD001",
                f"Invalid date or time {token}",
                start,
                end,
                "Write a real date as YYYY-MM-DD, or put the text in double quotes.",
            )
        if re.fullmatch(r"[+-]?\.?[0-9][0-9A-Za-z_.+\-]*", token):
            return _Problem(
                "WD001",
                f"Invalid number {token}",
                start,
                end,
                "Underscores must sit between digits, a decimal point needs digits on both "
                "sides, and hexadecimal, octal and binary numbers need digits after 0x, 0o or "
                "0b. Or put the value in double quotes.",
            )
        return _Problem(
            "WD001",
            f"Invalid value {token}",
            start,
            end,
            f"Put text in double quotes: {_quoted(token)}.",
        )

    def _expected_equals(self, char: str, offset: int) -> _Problem:
        line_start = self.text.rfind("\n", 0, offset) + 1
        key = re.split(r"[{,]", self.text[line_start:offset])[-1].strip()
        word = _token_at(self.text, offset)
        if self.text.startswith(('"""', "'''"), offset - 2):
            return _Problem(
                "WD001",
                "A multi-line string cannot be a key",
                offset - 2,
                offset + 1,
                "Write the key as a bare word or a one-line string in quotes.",
            )
        if offset > 0 and self.text[offset - 1] not in " \t" and char not in "=:\n\r#":
            return _Problem(
                "WD001",
                f"Invalid character {char!r} in the key {key}{word}: bare keys may contain only "
                "ASCII letters, digits, '_' and '-'",
                offset,
                offset + 1,
                f"Put the key in double quotes: {_quoted(key + word)} = ...",
            )
        if char == ":":
            return _Problem(
                "WD001",
                f"Use '=' between the key {key} and its value, not ':'",
                offset,
                offset + 1,
                f"Write {key} = value.",
            )
        if char in ("", "\n", "\r", "#"):
            return _Problem(
                "WD001",
                f"Missing '=' and a value after the key {key}",
                offset,
                offset + 1,
                f"Write {key} = value.",
            )
        return _Problem(
            "WD001",
            f"Missing '=' after the key {key}, found {_quoted(word or char)}",
            offset,
            offset + max(1, len(word)),
            f"Write key = value. Put a key that contains spaces in double quotes: "
            f"{_quoted(key + ' ' + word)}.",
        )

    def _invalid_value(self, char: str, offset: int) -> _Problem:
        open_brackets = _scan(self.text, offset).open_brackets
        if not char and open_brackets:
            opener = self.text[open_brackets[-1]]
            if opener == "[":
                return self._unclosed(offset, "[", "array", "]")
            return self._unclosed(offset, "{", "inline table", "}")

        before = self.text[:offset].rstrip(" \t\r\n")
        if char in ("", "\n", "\r", "#") and before.endswith(("[", ",")):
            return _Problem(
                "WD001",
                "Expected a value or ']' in the array",
                offset,
                offset + 1,
                "Write the next element, or close the array with ']'.",
            )
        if char in ("", "\n", "\r", "#"):
            return _Problem(
                "WD001",
                "Missing value after '='",
                offset,
                offset + 1,
                "Write a value: a string in double quotes, a number, true, false, an array or an "
                "inline table.",
            )
        if char in ",]}":
            return _Problem(
                "WD001",
                f"Expected a value, found {char!r}",
                offset,
                offset + 1,
                "Remove the extra ',' or write the missing value.",
            )

        word = _token_at(self.text, offset)
        end = offset + max(1, len(word))
        if re.match(r"[+-]?\.?[0-9]", word):
            return self._bad_value_token(word, offset)
        if word.lower() in ("true", "false"):
            return _Problem(
                "WD001",
                f"TOML booleans are lower case, found {word}",
                offset,
                end,
                f"Write {word.lower()}.",
            )
        if word.lower() in ("null", "none", "nil"):
            return _Problem(
                "WD001",
                f"TOML has no null value, found {word}",
                offset,
                end,
                "Leave the key out, or write a value.",
            )
        return _Problem(
            "WD001",
            f"Invalid value {word}: text values must be in quotes",
            offset,
            end,
            f"Write {_quoted(word)}.",
        )

    def _invalid_key_start(self, char: str, offset: int) -> _Problem:
        open_brackets = _scan(self.text, offset).open_brackets
        in_inline_table = bool(open_brackets) and self.text[open_brackets[-1]] == "{"
        if in_inline_table and char == "}":
            return _Problem(
                "WD001",
                "Trailing comma before '}': in TOML 1.0 an inline table cannot end with ','",
                offset,
                offset + 1,
                f"Remove the ',' before '}}'. {_TOML_11_NOTE}",
            )
        if in_inline_table and char in ("", "\n", "\r", "#"):
            return _Problem(
                "WD001",
                "Line break inside an inline table: in TOML 1.0 an inline table must fit on "
                "one line",
                offset,
                offset + 1,
                "Write the inline table on one line, or use a [table] or [[array]] header "
                f"instead. {_TOML_11_NOTE}",
            )
        found = _quoted(_token_at(self.text, offset) or char) if char else "the end of the file"
        return _Problem(
            "WD001",
            f"Expected a key, found {found}",
            offset,
            offset + 1,
            "A key is a bare word of ASCII letters, digits, '_' and '-', or a string in quotes.",
        )

    def _unclosed(self, offset: int, opener: str, name: str, closer: str) -> _Problem:
        open_brackets = _scan(self.text, offset).open_brackets
        opened = next((i for i in reversed(open_brackets) if self.text[i] == opener), None)
        if offset >= len(self.text) and opened is not None:
            return _Problem(
                "WD001",
                f"This '{opener}' is never closed: the file ends before its '{closer}'",
                opened,
                opened + 1,
                f"Add the missing '{closer}'.",
            )
        where = f" opened at {_position(self.source, opened)}" if opened is not None else ""
        found = self._char(offset)
        if name == "inline table" and found in ("\n", "\r", "#"):
            hint = f"Close the inline table with '}}' on the same line. {_TOML_11_NOTE}"
        else:
            hint = f"Separate the elements with ',' and close the {name} with '{closer}'."
        return _Problem(
            "WD001",
            f"Missing ',' or '{closer}' in the {name}{where}",
            offset,
            offset + 1,
            hint,
            related=(opened,) if opened is not None else (),
        )

    def _bad_escape(self, offset: int) -> _Problem:
        # tomllib reports the position after the escape, or after the spaces that follow a
        # backslash meant to continue a line.
        found = self.text.rfind("\\", 0, offset)
        offset = found if found >= 0 else offset
        escape = self.text[offset : offset + 2]
        if escape[1:] in ("", "\n", "\r"):
            return _Problem(
                "WD001",
                "A backslash at the end of a line continues only a multi-line string",
                offset,
                offset + 1,
                'Use a multi-line string """...""", or remove the backslash.',
            )
        if escape in ("\\e", "\\x"):
            hint = f"Write \\u001B for \\e, or \\u00XX for \\xXX. {_TOML_11_NOTE}"
        elif escape.rstrip(" \t") == "\\":
            hint = "A backslash that continues a line must be the last character on it."
        else:
            hint = "Write \\\\ for a backslash, or use a literal string in single quotes."
        shown = escape.replace("\n", "\\n")
        return _Problem(
            "WD001", f"Invalid escape sequence {shown} in a string", offset, offset + 2, hint
        )

    def _bad_unicode_escape(self, message: str, offset: int) -> _Problem:
        start = self.text.rfind("\\", 0, offset)
        start = start if start >= 0 else offset
        token = self.text[start:offset] if message.startswith("Escaped") else ""
        detail = f"{token} is not a Unicode scalar value" if token else "expected hex digits"
        return _Problem(
            "WD001",
            f"Invalid Unicode escape: {detail}",
            start,
            max(offset, start + 2),
            "Write \\u with 4 hex digits or \\U with 8, for a code point outside U+D800-U+DFFF.",
        )

    def _duplicate(self, message: str, offset: int) -> _Problem:
        # The walk only locates statements here, so it must not stop at any depth.
        walker = _Walker(self.text, _CharOffsets(self.text), max_depth=1 << 30)
        walker.walk(_parse_tree(self.text))
        statement = _statement_at(walker.statements, offset)
        hint = (
            "Keep one of the two definitions. TOML, unlike JSON, does not allow a key or table "
            "to be defined twice, and wrangler rejects the file too."
        )
        if statement is None:
            return _Problem(
                "WD012", f"Key or table defined twice: {message}", offset, offset + 1, hint
            )
        earlier, relation = _conflict(walker.statements, statement)
        label = format_config_path(statement.path) or "(root)"
        described = {
            "pair": f"Key {_quoted(label)}",
            "table": f"Table [{label}]",
            "array_table": f"Array of tables [[{label}]]",
        }[statement.kind]
        if earlier is None:
            text = f"{described} conflicts with an earlier definition ({message})"
            related: tuple[int, ...] = ()
        else:
            where = _position(self.source, earlier.key_start)
            earlier_label = format_config_path(earlier.path)
            related = (earlier.key_start,)
            if relation == "same" and statement.kind == earlier.kind == "pair":
                text = f"Duplicate key {_quoted(label)}: it is already defined at {where}"
            elif relation == "same":
                text = f"{described} is already defined at {where}"
            elif relation == "value":
                text = (
                    f"{described} cannot be defined: {_quoted(earlier_label)} is already a "
                    f"value, set at {where}"
                )
            else:
                text = f"{described} is already defined at {where}, by {_quoted(earlier_label)}"
        return _Problem(
            "WD012",
            text,
            statement.key_start,
            statement.key_end,
            hint,
            related=related,
            path=statement.path,
        )


def _statement_at(statements: list[_Statement], offset: int) -> _Statement | None:
    """Return the innermost statement whose text contains `offset`."""
    found = None
    for statement in statements:
        contains = statement.start <= offset <= statement.end
        if contains and (found is None or statement.start >= found.start):
            found = statement
    return found


def _conflict(statements: list[_Statement], statement: _Statement) -> tuple[_Statement | None, str]:
    """Return the earlier statement that `statement` conflicts with, and how."""
    earlier = [item for item in statements if item.start < statement.start]
    for item in earlier:
        if item.path == statement.path and not (item.kind == statement.kind == "array_table"):
            return item, "same"
    for item in earlier:
        size = len(item.path)
        if (
            item.kind == "pair"
            and size < len(statement.path)
            and statement.path[:size] == item.path
        ):
            return item, "value"
    for item in earlier:
        if item.path[: len(statement.path)] == statement.path:
            return item, "inside"
    return None, ""


# --------------------------------------------------------------------------- entry points


def _resolves(value: Any, path: ConfigPath) -> bool:
    for item in path:
        if isinstance(item, str):
            if not isinstance(value, dict) or item not in value:
                return False
        elif not isinstance(value, list) or item >= len(value):
            return False
        value = value[item]
    return True


def _error_document(source: SourceText, problem: _Problem) -> ParsedDocument:
    document = ParsedDocument(source=source)
    document.diagnostics.append(
        source.error(
            problem.code,
            problem.message,
            problem.start,
            problem.end,
            hint=problem.hint,
            related=problem.related,
            path=problem.path,
        )
    )
    return document


def _too_deep_problem(max_depth: int, at: int, path: ConfigPath) -> _Problem:
    return _Problem(
        "WD007",
        f"Tables and arrays are nested more than {max_depth} levels deep here",
        at,
        at + 1,
        "wrangler configs nest only a few levels; check for brackets that are never closed.",
        path=path,
    )


def parse_toml(
    text: str, display_name: str, path: Path | None = None, *, max_depth: int = DEFAULT_MAX_DEPTH
) -> ParsedDocument:
    """Parse the text of a wrangler.toml file as wrangler 4.164.0 reads it.

    Never raises for bad input: a syntax error, a key defined twice, an integer JavaScript
    cannot hold or nesting deeper than `max_depth` gives a document with `ok=False`,
    `value=None` and one error diagnostic. A valid file gives its value (dates and times as
    `TomlDateTime`), the span of every path and the comment descriptions.
    """
    source = SourceText(text, display_name, path)
    # wrangler skips a leading byte order mark; a space keeps every offset in place.
    prepared = " " + text[1:] if text.startswith("\ufeff") else text

    try:
        value = tomllib.loads(prepared)
    except tomllib.TOMLDecodeError as error:
        problem = _SyntaxErrorMapper(source, prepared).problem(error)
        return _error_document(source, problem)
    except RecursionError:
        walker = _Walker(prepared, _CharOffsets(prepared), max_depth)
        walker.walk(_parse_tree(prepared))
        if walker.too_deep is not None:
            return _error_document(source, _too_deep_problem(max_depth, *walker.too_deep))
        problem = _Problem(
            "WD007",
            "Arrays and inline tables are nested too deeply for Python's TOML reader",
            0,
            min(1, len(text)),
            "Reduce the nesting of the file.",
        )
        return _error_document(source, problem)

    walker = _Walker(prepared, _CharOffsets(prepared), max_depth)
    walker.walk(_parse_tree(prepared))
    if walker.too_deep is not None:
        return _error_document(source, _too_deep_problem(max_depth, *walker.too_deep))

    value, unsafe = _convert_values(value)
    # A safety net: tree-sitter-toml and tomllib agree on every file seen so far, but a path
    # that only the tree has must not reach callers.
    spans = {item: span for item, span in walker.spans.items() if _resolves(value, item)}
    if len(spans) != len(walker.spans):
        logger.debug(
            "%s: %d spans do not match tomllib's value",
            display_name,
            len(walker.spans) - len(spans),
        )
    spans[()] = Span(-1, -1, 0, len(text))

    if unsafe:
        first = min(unsafe, key=lambda item: spans[item].value_start if item in spans else 0)
        start, end = (
            (spans[first].value_start, spans[first].value_end) if first in spans else (0, 1)
        )
        problem = _Problem(
            "WD011",
            f"Integer {text[start:end]} is too large for wrangler: JavaScript numbers hold "
            f"integers only up to {MAX_SAFE_INTEGER} exactly",
            start,
            end,
            "Write it as a string, or as a float such as 1e20.",
            path=first,
        )
        return _error_document(source, problem)

    document = ParsedDocument(source=source, value=value, ok=True, spans=spans)
    document.descriptions = _attach_descriptions(prepared, walker.comments, walker.item_starts)
    logger.debug(
        "read %s: %d paths, %d comments, %d descriptions",
        display_name,
        len(spans),
        len(walker.comments),
        len(document.descriptions),
    )
    return document


# --------------------------------------------------------------------------- files


def read_toml_file(
    path: Path,
    display_name: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> ParsedDocument:
    """Read and parse a wrangler.toml file.

    A missing or unreadable file gives WD009, a file larger than `max_bytes` gives WD008 and
    a file that is not UTF-8 gives WD006, all without parsing. Never raises for bad input.
    """
    text, diagnostics = read_config_text(path, display_name, max_bytes)
    if text is None:
        empty = ParsedDocument(source=SourceText("", display_name, path))
        empty.diagnostics.extend(diagnostics)
        return empty
    return parse_toml(text, display_name, path, max_depth=max_depth)
