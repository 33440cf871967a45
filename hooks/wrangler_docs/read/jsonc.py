"""Read wrangler.jsonc with positions and comment descriptions.

The accepted language is the one wrangler 4.164.0 reads: `jsonc-parser` 3.2.0 with
`allowTrailingComma`, which is strict JSON plus `//` and `/* */` comments plus trailing commas.
JSON5 additions (single quotes, unquoted keys, NaN, Infinity, hexadecimal numbers, `+1`, `.5`,
`5.`, line continuations) are rejected, as are raw control characters inside strings.

How a file is read:

1. Comments and trailing commas are replaced with spaces, keeping line breaks, so every
   character of the blanked text sits at the same offset as in the source.
2. One iterative token pass over the blanked text checks the grammar, caps the nesting depth,
   records the span of every path and finds duplicate keys. The first syntax error becomes one
   diagnostic that points at the offending token.
3. Only a text that passed step 2 goes to `json.loads`, which builds the value.
4. A comment block that ends on the line above a member or element becomes its description.

Offsets are character indices into the decoded text, so columns count characters.
"""

from __future__ import annotations

import json
import logging
import re
import stat
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ..codes import CODES
from ..diagnostics import ConfigPath, Diagnostic, SourceText
from .document import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_DEPTH,
    ParsedDocument,
    Span,
    comment_blocks,
)

logger = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_DEPTH",
    "decode_config_bytes",
    "parse_jsonc",
    "read_config_text",
    "read_jsonc_file",
]

# --------------------------------------------------------------------------- decoding

_UTF8_BOM = b"\xef\xbb\xbf"

# Checked in this order by wrangler 4.164.0 (`removeBOMAndValidate`). UTF-32 LE must come
# before UTF-16 LE because both start with FF FE.
_UNSUPPORTED_BOMS = (
    (b"\x00\x00\xfe\xff", "UTF-32 BE"),
    (b"\xff\xfe\x00\x00", "UTF-32 LE"),
    (b"\xfe\xff", "UTF-16 BE"),
    (b"\xff\xfe", "UTF-16 LE"),
)


def _file_diagnostic(
    code: str, message: str, display_name: str, line: int = 1, column: int = 1, hint: str = ""
) -> Diagnostic:
    """Create an error diagnostic for a file that has no decoded text to point into."""
    return Diagnostic(
        severity=CODES[code].severity,
        code=code,
        message=message,
        file=display_name,
        line=line,
        column=column,
        hint=hint,
        end_line=line,
        end_column=column + 1,
    )


def decode_config_bytes(data: bytes, display_name: str) -> tuple[str | None, list[Diagnostic]]:
    """Decode a config file's bytes as UTF-8, the only encoding wrangler reads.

    A UTF-8 byte order mark is removed. A UTF-16 or UTF-32 byte order mark, or bytes that are
    not valid UTF-8, give `(None, [diagnostic])` with code WD006.
    """
    for bom, encoding in _UNSUPPORTED_BOMS:
        if data.startswith(bom):
            message = (
                f"{display_name} contains {encoding} byte order marker: the file is encoded as "
                f"{encoding}, but wrangler reads only UTF-8"
            )
            hint = "Save the file as UTF-8 without BOM."
            return None, [_file_diagnostic("WD006", message, display_name, hint=hint)]

    data = data.removeprefix(_UTF8_BOM)

    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        prefix = data[: error.start].decode("utf-8")
        line = prefix.count("\n") + 1
        column = len(prefix) - (prefix.rfind("\n") + 1) + 1
        message = (
            f"{display_name} is not valid UTF-8: byte 0x{data[error.start]:02X} at {line}:{column} "
            f"(byte offset {error.start}) cannot be decoded"
        )
        hint = "Save the file as UTF-8. wrangler reads configs only as UTF-8."
        return None, [_file_diagnostic("WD006", message, display_name, line, column, hint)]


# --------------------------------------------------------------------------- blanking

# A double-quoted string as jsonc-parser delimits it: it ends at the closing quote or, when
# unterminated, at the line break. The closing quote is optional so that an unterminated
# string is consumed once instead of being rescanned from every later quote (which would be
# quadratic). The loops are unrolled (`a*(?:b a*)*` instead of `(?:a|b)*`), so the engine
# moves through long strings without trying an alternative at every character.
_STRING_SPAN = r'"[^"\\\n\r]*(?:\\.[^"\\\n\r]*)*"?'
_CLOSED_COMMENT = r"//[^\n\r]*|/\*[^*]*\*+(?:[^/*][^*]*\*+)*/"
# The text after a trailing comma: spaces and comments, then `}` or `]`. The group is atomic
# because backtracking into it cannot find a different match. Without it, a long comment full
# of spaces would be rescanned once per space.
_BEFORE_CLOSER = r"(?>(?:[ \t\n\r]+|" + _CLOSED_COMMENT + r")*)[}\]]"

# Each match is a run of code and strings that stays as it is, then one of four endings. They
# are a comment (group 1), an unterminated block comment that runs to the end of the file as
# in jsonc-parser (group 2), a trailing comma (group 3) or the end of the text. The run always
# stops at one of these, and the atomic group keeps the engine from backtracking into it.
_BLANK = re.compile(
    r'(?>(?:[^"/,]+|' + _STRING_SPAN + r"|,(?!" + _BEFORE_CLOSER + r")|/(?![/*]))*)"
    r"(?:(" + _CLOSED_COMMENT + r")|(/\*.*)|(,)|\Z)",
    re.DOTALL,
)
_COMMENT_GROUP = 1
_TRAILING_COMMA_GROUP = 3
_NOT_LINE_BREAK = re.compile(r"[^\n\r]")

# After these characters a comma does not end a value, so it is left for the grammar check
# to reject: `[,]`, `{,}`, `[1,,]`, `{"a": ,}`.
_NO_VALUE_BEFORE = frozenset("[{,:")


def _follows_value(text: str, comma: int, comments: list[tuple[int, int]]) -> bool:
    """Return whether the code before `comma`, skipping spaces and comments, ends a value."""
    index = comma - 1
    comment = len(comments) - 1
    while index >= 0:
        if comment >= 0 and comments[comment][1] == index + 1:
            # Checked before spaces, because a comment can end with a space.
            index = comments[comment][0] - 1
            comment -= 1
        elif text[index] in " \t\n\r":
            index -= 1
        else:
            return text[index] not in _NO_VALUE_BEFORE
    return False


def _blank(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Return the text with comments and trailing commas blanked, and the comment offsets.

    Blanking replaces every character with a space but keeps line breaks, so offsets and
    line numbers in the blanked text are those of `text`. An unterminated block comment and
    a comma that follows no value stay, for the grammar check to report.
    """
    comments: list[tuple[int, int]] = []
    pieces: list[str] = []
    position = 0
    for match in _BLANK.finditer(text):
        group = match.lastindex
        if group is None:
            break
        start, end = match.span(group)
        if group == _COMMENT_GROUP:
            comments.append((start, end))
            if text[start + 1] == "/":
                blank = " " * (end - start)
            else:
                blank = _NOT_LINE_BREAK.sub(" ", text[start:end])
        elif group == _TRAILING_COMMA_GROUP and _follows_value(text, start, comments):
            blank = " "
        else:
            continue
        pieces.append(text[position:start])
        pieces.append(blank)
        position = end
    pieces.append(text[position:])
    blanked = "".join(pieces)

    if blanked.startswith("\ufeff"):
        # wrangler strips a leading byte order mark before parsing, so it is not a token.
        blanked = " " + blanked[1:]
    return blanked, comments


# --------------------------------------------------------------------------- grammar check

_VALID_STRING = r'"[^"\\\x00-\x1f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\x00-\x1f]*)*"'
_VALID_SCALAR = (
    _VALID_STRING + r"|(?:-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null)"
    # jsonc-parser reads a number or literal up to a space, a line break or one of {}[]:,"/
    r'(?![^ \t\n\r{}\[\]:,"/])'
)
_SPACES = r"[ \t\n\r]*"

# Single tokens of the blanked text. Whitespace matches nothing, so `finditer` skips it, and
# every other character is part of some token, so nothing is skipped silently.
_SIMPLE_TOKEN = re.compile(
    _VALID_STRING + r"|[{}\[\]:,]"
    r"|'[^'\\\n\r]*(?:\\[^\n\r][^'\\\n\r]*)*'"  # single-quoted string (JSON5)
    r'|[^ \t\n\r{}\[\]:,"/]+'  # numbers, literals and any other unknown content
    r"|[^ \t\n\r]"  # a quote that starts an invalid string, or a slash
)

# The same tokens, but common runs of valid tokens come as one match, so the loop runs fewer
# times. The runs are a key with its colon (group 1 is the key), a key with its colon and a
# scalar value (group 2 is the value), and a string or closing bracket with its comma. The
# scanner splits a joined match into single tokens when it does not fit the state.
_TOKEN = re.compile(
    r"(" + _VALID_STRING + r")"
    r"(?:" + _SPACES + r":(?:" + _SPACES + r"(" + _VALID_SCALAR + r")(?:" + _SPACES + r",)?)?"
    r"|" + _SPACES + r",)?"
    r"|[}\]](?:" + _SPACES + r",)?"
    r"|[{\[:,]"
    r"|'[^'\\\n\r]*(?:\\[^\n\r][^'\\\n\r]*)*'"
    r'|[^ \t\n\r{}\[\]:,"/]+'
    r"|[^ \t\n\r]"
)
_KEY_GROUP = 1
_VALUE_GROUP = 2
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_LITERALS = frozenset(("true", "false", "null"))
_NON_FINITE = frozenset(("NaN", "Infinity", "-Infinity", "+Infinity", "-NaN", "+NaN"))
# Number forms that wrangler rejects. They are plain strings, compiled through re's cache
# on first use, because only a broken config needs them.
_HEX_NUMBER = r"[+-]?0[xX][0-9a-fA-F]+"
_PLUS_NUMBER = r"\+(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_NO_LEADING_DIGIT = r"-?\.[0-9]+(?:[eE][+-]?[0-9]+)?"
_NO_TRAILING_DIGIT = r"-?[0-9]+\.(?:[eE][+-]?[0-9]+)?"
_LEADING_ZERO = r"-?0[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?"
_LITERAL_CASE = {"true": "true", "false": "false", "null": "null", "none": "null"}
_ESCAPES = frozenset('"\\/bfnrt')
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
_CONTROL_ESCAPES = {"\t": "\\t", "\b": "\\b", "\f": "\\f"}
_CONTROL_NAMES = {
    "\x00": "NULL",
    "\t": "tab",
    "\b": "backspace",
    "\x0b": "vertical tab",
    "\f": "form feed",
    "\x1b": "escape",
}

_EXPECT_VALUE = 0  # the root, after ':' and after ',' in an array
_EXPECT_VALUE_OR_CLOSE = 1  # after '['
_EXPECT_KEY = 2  # after ',' in an object
_EXPECT_KEY_OR_CLOSE = 3  # after '{'
_EXPECT_COLON = 4
_EXPECT_COMMA_OR_CLOSE = 5  # after a value inside an object or array
_EXPECT_END = 6  # after the root value


class _SyntaxProblem(Exception):
    """The first syntax error in a file, as offsets into its text."""

    def __init__(
        self,
        code: str,
        message: str,
        start: int,
        end: int | None = None,
        *,
        hint: str = "",
        related: Sequence[int] = (),
        path: ConfigPath = (),
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.start = start
        self.end = end
        self.hint = hint
        self.related = tuple(related)
        self.path = path


class _Frame:
    """An object or array that is open at the current token."""

    __slots__ = ("is_object", "key_end", "key_start", "keys", "next_index", "path", "start")

    def __init__(
        self, is_object: bool, path: ConfigPath, start: int, key_start: int, key_end: int
    ) -> None:
        self.is_object = is_object
        self.path = path
        self.start = start
        self.key_start = key_start
        self.key_end = key_end
        self.next_index = 0
        self.keys: dict[str, int] = {}


class _Duplicate(NamedTuple):
    path: ConfigPath
    first_start: int
    start: int
    end: int


def _describe_token(token: str) -> str:
    if len(token) > 30:
        token = token[:27] + "..."
    return f"'{token}'"


def _unexpected_character(char: str, start: int, path: ConfigPath) -> _SyntaxProblem:
    name = _CONTROL_NAMES.get(char) or unicodedata.name(char, "control character")
    message = f"Unexpected character U+{ord(char):04X} ({name})"
    if char == "\x00":
        hint = "The file may be UTF-16 without a byte order marker, or not text; save it as UTF-8."
    elif char.isspace() or unicodedata.category(char) in ("Cf", "Zs"):
        hint = "Only spaces, tabs and line breaks may separate tokens; replace it with a space."
    else:
        hint = "Remove this character."
    return _SyntaxProblem("WD001", message, start, start + 1, hint=hint, path=path)


def _json5_problem(
    display_name: str, what: str, start: int, end: int, hint: str, path: ConfigPath
) -> _SyntaxProblem:
    message = f"{display_name} does not allow JSON5 syntax: {what}"
    return _SyntaxProblem("WD004", message, start, end, hint=hint, path=path)


def _double_quoted(single_quoted: str) -> str:
    """Return the JSON form of a JSON5 single-quoted string token such as `'it\\'s'`."""
    body = single_quoted[1:-1]
    parts = []
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body):
            following = body[index + 1]
            parts.append("'" if following == "'" else char + following)
            index += 2
            continue
        parts.append('\\"' if char == '"' else char)
        index += 1
    return '"' + "".join(parts) + '"'


def _word_problem(
    word: str, start: int, is_key: bool, display_name: str, path: ConfigPath
) -> _SyntaxProblem:
    """Explain why a token that is not a string, number or literal is rejected."""
    end = start + len(word)
    first = word[0]
    if not first.isprintable() or first.isspace():
        return _unexpected_character(first, start, path)

    if first == "'":
        hint = "Use double quotes"
        if word.endswith("'") and len(word) > 1:
            hint += f": {_double_quoted(word)}"
        return _json5_problem(
            display_name,
            "strings must use double quotes, not single quotes",
            start,
            end,
            hint + ".",
            path,
        )

    if is_key and word.replace("$", "_").isidentifier():
        return _json5_problem(
            display_name,
            f"the key {word} is not in double quotes",
            start,
            end,
            f'Put the key in double quotes: "{word}".',
            path,
        )

    if is_key:
        message = f"Expected a key in double quotes, found {_describe_token(word)}"
        hint = f'Write the key as a string: "{word}".'
        return _SyntaxProblem("WD001", message, start, end, hint=hint, path=path)

    if word in _NON_FINITE:
        return _json5_problem(
            display_name,
            f"{word} is not a JSON number",
            start,
            end,
            'Use a finite number, null, or a string such as "Infinity".',
            path,
        )
    if re.fullmatch(_HEX_NUMBER, word):
        decimal = int(word, 16)
        return _json5_problem(
            display_name,
            f"the hexadecimal number {word} is not JSON",
            start,
            end,
            f"Write the number in decimal: {decimal}.",
            path,
        )
    if re.fullmatch(_PLUS_NUMBER, word):
        return _json5_problem(
            display_name,
            f"the number {word} starts with '+'",
            start,
            end,
            f"Remove the '+': {word[1:]}.",
            path,
        )
    if re.fullmatch(_NO_LEADING_DIGIT, word):
        fixed = word.replace(".", "0.", 1)
        return _json5_problem(
            display_name,
            f"the number {word} has no digit before the decimal point",
            start,
            end,
            f"Write {fixed}.",
            path,
        )
    if re.fullmatch(_NO_TRAILING_DIGIT, word):
        fixed = word.replace(".", ".0", 1)
        return _json5_problem(
            display_name,
            f"the number {word} has no digit after the decimal point",
            start,
            end,
            f"Write {fixed}, or leave out the '.'.",
            path,
        )
    if re.fullmatch(_LEADING_ZERO, word):
        message = f"Invalid number {word}: JSON numbers cannot start with a 0 followed by digits"
        hint = "Remove the leading zeros, or write the value as a string if the zeros matter."
        return _SyntaxProblem("WD001", message, start, end, hint=hint, path=path)

    literal = _LITERAL_CASE.get(word.lower())
    if literal is not None:
        message = f"Invalid value {word}: JSON literals are lower case"
        return _SyntaxProblem("WD001", message, start, end, hint=f"Write {literal}.", path=path)

    if word[0].isalpha() or word[0] in "_$":
        message = f"Invalid value {_describe_token(word)}: text values must be in double quotes"
        hint = f'Write "{word}" for a string, or true, false or null.'
        return _SyntaxProblem("WD001", message, start, end, hint=hint, path=path)

    if first.isdigit() or first == "-":
        message = f"Invalid number {_describe_token(word)}"
        hint = "JSON numbers are written like 12, -3.5 or 1.5e6."
        return _SyntaxProblem("WD001", message, start, end, hint=hint, path=path)

    message = f"Invalid value {_describe_token(word)}"
    hint = (
        "Write a string in double quotes, a JSON number, true, false, null, an object or an array."
    )
    return _SyntaxProblem("WD001", message, start, end, hint=hint, path=path)


def _string_problem(text: str, quote: int, display_name: str, path: ConfigPath) -> _SyntaxProblem:
    """Explain why the double-quoted string starting at `quote` is rejected."""
    length = len(text)
    index = quote + 1
    while index < length:
        char = text[index]
        if char == '"':
            break
        if char == "\\":
            following = text[index + 1] if index + 1 < length else ""
            if following in ("\n", "\r"):
                return _json5_problem(
                    display_name,
                    "a backslash at the end of a line cannot continue a string",
                    index,
                    index + 1,
                    "Put the string on one line; write a line break inside it as \\n.",
                    path,
                )
            if following == "":
                break
            if following == "u":
                digits = text[index + 2 : index + 6]
                if len(digits) < 4 or not all(digit in _HEX_DIGITS for digit in digits):
                    message = "Invalid \\u escape: it needs exactly four hexadecimal digits"
                    hint = "Write the character as \\u followed by four hex digits, e.g. \\u00e9."
                    return _SyntaxProblem("WD001", message, index, index + 2, hint=hint, path=path)
                index += 6
                continue
            if following not in _ESCAPES:
                message = f"Invalid escape sequence \\{following} in a string"
                hint = (
                    'The valid escapes are \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX; '
                    "write a backslash as \\\\."
                )
                return _SyntaxProblem("WD001", message, index, index + 2, hint=hint, path=path)
            index += 2
            continue
        if char in ("\n", "\r"):
            break
        if char < " ":
            escape = _CONTROL_ESCAPES.get(char, f"\\u{ord(char):04x}")
            name = _CONTROL_NAMES.get(char, "control character")
            message = f"Raw control character U+{ord(char):04X} ({name}) inside a string"
            hint = f"Write it as the escape {escape}."
            return _SyntaxProblem("WD001", message, index, index + 1, hint=hint, path=path)
        index += 1

    if index >= length or text[index] != '"':
        where = "file" if index >= length else "line"
        message = f'String is never closed: the {where} ends before its closing "'
        hint = 'Add the closing ". A line break inside a string is written \\n.'
        return _SyntaxProblem("WD010", message, quote, quote + 1, hint=hint, path=path)
    # Reached only if the blanking step and the scan disagree about where strings are, which
    # no test has produced.
    return _SyntaxProblem("WD001", "Invalid string", quote, index + 1, path=path)


class _ScanResult(NamedTuple):
    spans: dict[ConfigPath, Span]
    duplicates: list[_Duplicate]


class _Scanner:
    """Checks the grammar of blanked text and records the span of every path.

    The pass is iterative with an explicit stack, so deep input cannot exhaust the Python
    stack, and it stops at `max_depth`, so path tuples (which grow with depth) stay small.
    """

    def __init__(self, text: str, blanked: str, source: SourceText, max_depth: int) -> None:
        self.text = text
        self.blanked = blanked
        self.source = source
        self.display_name = source.display_name
        self.max_depth = max_depth
        int_limit = sys.get_int_max_str_digits()
        self.int_limit = int_limit if int_limit > 0 else None

    def scan(self) -> _ScanResult:
        """Return the spans and duplicate keys, or raise `_SyntaxProblem` at the first error."""
        blanked = self.blanked
        spans: dict[ConfigPath, Span] = {}
        duplicates: list[_Duplicate] = []
        stack: list[_Frame] = []
        frame: _Frame | None = None
        state = _EXPECT_VALUE
        key = ""
        key_start = key_end = -1
        last_end = 0
        int_limit = self.int_limit
        max_depth = self.max_depth
        literals = _LITERALS
        number = _NUMBER.fullmatch
        simple_tokens = _SIMPLE_TOKEN.finditer

        for joined in _TOKEN.finditer(blanked):
            # Fast paths: valid tokens in the state that expects them. Each one does what the
            # general steps below would do for the same tokens.
            text = joined.group()
            first = text[0]
            group = joined.lastindex
            if group is not None and (state == _EXPECT_KEY or state == _EXPECT_KEY_OR_CLOSE):
                key_start, key_end = joined.span(_KEY_GROUP)
                key = text[1 : key_end - key_start - 1]
                if "\\" in key:
                    key = json.loads(blanked[key_start:key_end])
                if group == _KEY_GROUP and text[-1] == ":":
                    state = _EXPECT_VALUE
                    continue
                if group == _VALUE_GROUP:
                    path = frame.path + (key,)
                    first_start = frame.keys.setdefault(key, key_start)
                    if first_start != key_start:
                        duplicates.append(_Duplicate(path, first_start, key_start, key_end))
                    start, last_end = joined.span(_VALUE_GROUP)
                    if int_limit is not None and last_end - start > int_limit:
                        self._check_int_digits(blanked[start:last_end], start, path)
                    spans[path] = Span(key_start, key_end, start, last_end)
                    state = _EXPECT_KEY if text[-1] == "," else _EXPECT_COMMA_OR_CLOSE
                    continue
            elif (
                group == _KEY_GROUP
                and text[-1] != ":"
                and frame is not None
                and (state == _EXPECT_VALUE or state == _EXPECT_VALUE_OR_CLOSE)
            ):
                # A string value, usually an array element, with the comma after it.
                if frame.is_object:
                    path = frame.path + (key,)
                    first_start = frame.keys.setdefault(key, key_start)
                    if first_start != key_start:
                        duplicates.append(_Duplicate(path, first_start, key_start, key_end))
                    item_key_start, item_key_end = key_start, key_end
                else:
                    path = frame.path + (frame.next_index,)
                    frame.next_index += 1
                    item_key_start = item_key_end = -1
                start, last_end = joined.span(_KEY_GROUP)
                spans[path] = Span(item_key_start, item_key_end, start, last_end)
                if text[-1] != ",":
                    state = _EXPECT_COMMA_OR_CLOSE
                else:
                    state = _EXPECT_KEY if frame.is_object else _EXPECT_VALUE
                continue
            elif first == "}" or first == "]":
                if frame is not None and (
                    state == _EXPECT_COMMA_OR_CLOSE
                    or (state == _EXPECT_KEY_OR_CLOSE and first == "}")
                    or (state == _EXPECT_VALUE_OR_CLOSE and first == "]")
                ):
                    if (first == "}") != frame.is_object:
                        raise self._mismatched_close(first, joined.start(), frame)
                    last_end = joined.start() + 1
                    spans[frame.path] = Span(frame.key_start, frame.key_end, frame.start, last_end)
                    stack.pop()
                    frame = stack[-1] if stack else None
                    if text[-1] != ",":
                        state = _EXPECT_COMMA_OR_CLOSE if frame is not None else _EXPECT_END
                        continue
                    if frame is None:
                        raise self._extra_content(",", joined.end() - 1, joined.end())
                    state = _EXPECT_KEY if frame.is_object else _EXPECT_VALUE
                    continue
            elif first == "{" or first == "[":
                if frame is not None and (
                    state == _EXPECT_VALUE or state == _EXPECT_VALUE_OR_CLOSE
                ):
                    if len(stack) >= max_depth:
                        raise self._too_deep(joined.start(), joined.end(), stack)
                    if frame.is_object:
                        path = frame.path + (key,)
                        first_start = frame.keys.setdefault(key, key_start)
                        if first_start != key_start:
                            duplicates.append(_Duplicate(path, first_start, key_start, key_end))
                        frame = _Frame(first == "{", path, joined.start(), key_start, key_end)
                    else:
                        path = frame.path + (frame.next_index,)
                        frame.next_index += 1
                        frame = _Frame(first == "{", path, joined.start(), -1, -1)
                    stack.append(frame)
                    state = _EXPECT_KEY_OR_CLOSE if first == "{" else _EXPECT_VALUE_OR_CLOSE
                    continue
            elif first == "," and state == _EXPECT_COMMA_OR_CLOSE:
                state = _EXPECT_KEY if frame.is_object else _EXPECT_VALUE
                continue

            # General steps: one single token at a time, reporting the first syntax error.
            for match in simple_tokens(blanked, joined.start(), joined.end()):
                token = match.group()
                char = token[0]
                start, end = match.span()

                if state == _EXPECT_COMMA_OR_CLOSE:
                    if char == ",":
                        state = _EXPECT_KEY if frame.is_object else _EXPECT_VALUE
                        continue
                    if char == "}" or char == "]":
                        if (char == "}") != frame.is_object:
                            raise self._mismatched_close(token, start, frame)
                        last_end = end
                        spans[frame.path] = Span(frame.key_start, frame.key_end, frame.start, end)
                        stack.pop()
                        frame = stack[-1] if stack else None
                        state = _EXPECT_COMMA_OR_CLOSE if frame is not None else _EXPECT_END
                        continue
                    raise self._after_value_problem(token, start, end, frame, last_end)

                if state == _EXPECT_KEY or state == _EXPECT_KEY_OR_CLOSE:
                    if char == '"' and len(token) > 1:
                        key = json.loads(token) if "\\" in token else token[1:-1]
                        key_start = start
                        key_end = end
                        state = _EXPECT_COLON
                        continue
                    if char == "}" and state == _EXPECT_KEY_OR_CLOSE:
                        last_end = end
                        spans[frame.path] = Span(frame.key_start, frame.key_end, frame.start, end)
                        stack.pop()
                        frame = stack[-1] if stack else None
                        state = _EXPECT_COMMA_OR_CLOSE if frame is not None else _EXPECT_END
                        continue
                    raise self._key_problem(token, start, end, frame, state)

                if state == _EXPECT_COLON:
                    if char == ":":
                        state = _EXPECT_VALUE
                        continue
                    raise self._colon_problem(token, start, end, frame, key)

                if state == _EXPECT_END:
                    raise self._extra_content(token, start, end)

                # A value is expected.
                if frame is None:
                    path = ()
                    item_key_start = item_key_end = -1
                elif frame.is_object:
                    path = frame.path + (key,)
                    item_key_start = key_start
                    item_key_end = key_end
                    first_start = frame.keys.setdefault(key, key_start)
                    if first_start != key_start:
                        duplicates.append(_Duplicate(path, first_start, key_start, key_end))
                else:
                    if char == "]" and state == _EXPECT_VALUE_OR_CLOSE:
                        last_end = end
                        spans[frame.path] = Span(frame.key_start, frame.key_end, frame.start, end)
                        stack.pop()
                        frame = stack[-1] if stack else None
                        state = _EXPECT_COMMA_OR_CLOSE if frame is not None else _EXPECT_END
                        continue
                    path = frame.path + (frame.next_index,)
                    frame.next_index += 1
                    item_key_start = item_key_end = -1

                if char == "{" or char == "[":
                    if len(stack) >= max_depth:
                        raise self._too_deep(start, end, stack)
                    frame = _Frame(char == "{", path, start, item_key_start, item_key_end)
                    stack.append(frame)
                    state = _EXPECT_KEY_OR_CLOSE if char == "{" else _EXPECT_VALUE_OR_CLOSE
                    continue

                if char == '"':
                    if len(token) == 1:
                        raise _string_problem(self.text, start, self.display_name, path)
                elif token not in literals:
                    if number(token) is None:
                        raise self._value_problem(token, start, end, frame, key, path)
                    if int_limit is not None and len(token) > int_limit:
                        self._check_int_digits(token, start, path)

                last_end = end
                spans[path] = Span(item_key_start, item_key_end, start, end)
                state = _EXPECT_COMMA_OR_CLOSE if frame is not None else _EXPECT_END

        if state != _EXPECT_END:
            raise self._end_of_file_problem(stack)
        return _ScanResult(spans, duplicates)

    # The helpers below build the diagnostic for one kind of error.

    def _position(self, offset: int) -> str:
        line, column = self.source.line_column(offset)
        return f"{line}:{column}"

    def _mismatched_close(self, token: str, start: int, frame: _Frame) -> _SyntaxProblem:
        expected = "}" if frame.is_object else "]"
        kind = "object" if frame.is_object else "array"
        message = (
            f"Expected ',' or '{expected}' but found '{token}': the {kind} opened at "
            f"{self._position(frame.start)} is not closed"
        )
        hint = f"Add '{expected}' to close the {kind} before this '{token}'."
        return _SyntaxProblem(
            "WD001", message, start, start + 1, hint=hint, related=(frame.start,), path=frame.path
        )

    def _after_value_problem(
        self, token: str, start: int, end: int, frame: _Frame, last_end: int
    ) -> _SyntaxProblem:
        char = token[0]
        if char == "/":
            return self._slash_problem(start, frame.path)
        if char == ":":
            if frame.is_object:
                message = "Unexpected ':' after a value"
                hint = "Put a ',' between members, and a key in double quotes before each ':'."
            else:
                message = "Unexpected ':' in an array: arrays hold values, not key-value pairs"
                hint = 'Use an object { "key": value } for key-value pairs.'
            return _SyntaxProblem("WD001", message, start, start + 1, hint=hint, path=frame.path)
        if not char.isprintable() or char.isspace():
            return _unexpected_character(char, start, frame.path)
        item = "member" if frame.is_object else "element"
        message = f"Missing comma before this {item}"
        hint = f"Add ',' after the previous {item}, which ends at {self._position(last_end - 1)}."
        return _SyntaxProblem("WD003", message, start, end, hint=hint, path=frame.path)

    def _key_problem(
        self, token: str, start: int, end: int, frame: _Frame, state: int
    ) -> _SyntaxProblem:
        char = token[0]
        if char == '"':
            return _string_problem(self.text, start, self.display_name, frame.path)
        if char == "/":
            return self._slash_problem(start, frame.path)
        if char == ",":
            message = "Extra comma: expected a key in double quotes"
            hint = "Remove this ','."
            return _SyntaxProblem("WD001", message, start, end, hint=hint, path=frame.path)
        if char in "{}[]:":
            expected = "a key in double quotes"
            if state == _EXPECT_KEY_OR_CLOSE:
                expected += " or '}'"
            message = f"Expected {expected}, found '{char}'"
            hint = 'Each member of an object is written "key": value.'
            return _SyntaxProblem("WD001", message, start, end, hint=hint, path=frame.path)
        return _word_problem(token, start, True, self.display_name, frame.path)

    def _colon_problem(
        self, token: str, start: int, end: int, frame: _Frame, key: str
    ) -> _SyntaxProblem:
        if token[0] == "/":
            return self._slash_problem(start, frame.path)
        quoted_key = json.dumps(key, ensure_ascii=False)
        message = f"Missing ':' after the key {quoted_key}, found {_describe_token(token)}"
        hint = f"Write {quoted_key}: value."
        return _SyntaxProblem("WD001", message, start, end, hint=hint, path=frame.path)

    def _value_problem(
        self, token: str, start: int, end: int, frame: _Frame | None, key: str, path: ConfigPath
    ) -> _SyntaxProblem:
        char = token[0]
        parent = frame.path if frame is not None else ()
        if char == "/":
            return self._slash_problem(start, parent)
        if char in ",}]:":
            if frame is not None and frame.is_object:
                quoted_key = json.dumps(key, ensure_ascii=False)
                message = f"Missing value for the key {quoted_key}, found '{char}'"
                hint = (
                    "Write a value after the ':': a string, number, true, false, null, "
                    "object or array."
                )
            elif char == ",":
                message = "Extra comma: expected an element"
                hint = "Remove this ','."
            else:
                message = f"Expected a value, found '{char}'"
                hint = "Write a value here: a string, number, true, false, null, object or array."
            return _SyntaxProblem("WD001", message, start, end, hint=hint, path=parent)
        return _word_problem(token, start, False, self.display_name, path)

    def _slash_problem(self, start: int, path: ConfigPath) -> _SyntaxProblem:
        if self.blanked.startswith("/*", start):
            message = "Block comment is never closed: this '/*' has no matching '*/'"
            hint = "Close the comment with */."
            return _SyntaxProblem("WD002", message, start, start + 2, hint=hint, path=path)
        message = "Unexpected '/': comments start with // or /*"
        hint = "Remove the '/', or put text that contains it in a double-quoted string."
        return _SyntaxProblem("WD001", message, start, start + 1, hint=hint, path=path)

    def _extra_content(self, token: str, start: int, end: int) -> _SyntaxProblem:
        if token[0] == "/":
            return self._slash_problem(start, ())
        message = "Unexpected content after the end of the top-level value"
        hint = (
            "A config file holds one JSON value: remove this, or move it inside the "
            "top-level object."
        )
        return _SyntaxProblem("WD001", message, start, end, hint=hint)

    def _too_deep(self, start: int, end: int, stack: list[_Frame]) -> _SyntaxProblem:
        message = f"Objects and arrays are nested more than {self.max_depth} levels deep here"
        hint = "wrangler configs nest only a few levels; check for brackets that are never closed."
        return _SyntaxProblem("WD007", message, start, end, hint=hint, path=stack[-1].path)

    def _check_int_digits(self, token: str, start: int, path: ConfigPath) -> None:
        """Raise WD011 for an integer longer than Python's int conversion limit.

        `token` is any value token; strings, literals and fractions pass."""
        if not token or token[0] not in "-0123456789":
            return
        if "." in token or "e" in token or "E" in token:
            return
        digits = len(token) - token.startswith("-")
        if self.int_limit is not None and digits > self.int_limit:
            message = (
                f"Integer with {digits} digits is longer than the {self.int_limit} digits "
                "Python converts"
            )
            hint = "Write it as a string, or in exponent notation such as 1e400."
            raise _SyntaxProblem("WD011", message, start, start + len(token), hint=hint, path=path)

    def _end_of_file_problem(self, stack: list[_Frame]) -> _SyntaxProblem:
        if not stack:
            # Only reached for text without any token; parse_jsonc reports that case itself.
            return _SyntaxProblem("WD001", "No value found", 0, 0)
        frame = stack[-1]
        opener, closer = ("{", "}") if frame.is_object else ("[", "]")
        message = f"This '{opener}' is never closed: the file ends before its '{closer}'"
        hint = (
            f"Add the missing '{closer}'. If this one is closed where you meant it to be, "
            "look for an unfinished value or bracket above."
        )
        return _SyntaxProblem(
            "WD001", message, frame.start, frame.start + 1, hint=hint, path=frame.path
        )


# --------------------------------------------------------------------------- descriptions

_NON_SPACE = re.compile(r"[^ \t\n\r]")


def _is_blank(text: str) -> bool:
    """Return whether `text` is empty or only spaces, tabs and line breaks."""
    return not text.strip(" \t\n\r")


def _comment_lines(raw: str) -> list[str]:
    """Return the text lines of one comment without its delimiters."""
    if raw.startswith("//"):
        return [raw.lstrip("/").strip()]
    lines = []
    for line in raw[2:-2].split("\n"):
        line = line.strip()
        if line.startswith("*"):
            line = line[1:].strip()
        lines.append(line)
    return lines


def _block_text(text: str, block: list[tuple[int, int]]) -> str:
    """Return the cleaned text of a comment block, its lines joined with newlines."""
    lines: list[str] = []
    previous_end = -1
    for start, end in block:
        comment_lines = _comment_lines(text[start:end])
        if lines and "\n" not in text[previous_end:start]:
            # A second comment on the same line continues that line.
            lines[-1] = f"{lines[-1]} {comment_lines[0]}".strip()
            comment_lines = comment_lines[1:]
        lines.extend(comment_lines)
        previous_end = end
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def _attach_descriptions(
    text: str, blanked: str, comments: list[tuple[int, int]], spans: dict[ConfigPath, Span]
) -> dict[ConfigPath, str]:
    """Map each path to the comment block that ends on the line just above it.

    The item must start on the line after the block: a blank line between them, or code
    after the block on its last line, breaks the link.
    """
    blocks_by_target: dict[int, list[tuple[int, int]]] = {}
    for block in comment_blocks(text, comments):
        block_end = block[-1][1]
        following = _NON_SPACE.search(blanked, block_end)
        if following is not None and blanked.count("\n", block_end, following.start()) == 1:
            blocks_by_target[following.start()] = block
    if not blocks_by_target:
        return {}

    descriptions: dict[ConfigPath, str] = {}
    for path, span in spans.items():
        item_start = span.key_start if span.key_start >= 0 else span.value_start
        block = blocks_by_target.get(item_start)
        if block is not None:
            description = _block_text(text, block)
            if description:
                descriptions[path] = description
    return descriptions


# --------------------------------------------------------------------------- entry points


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in JSON")


def _resolves(value: Any, path: ConfigPath) -> bool:
    for item in path:
        if isinstance(item, str):
            if not isinstance(value, dict) or item not in value:
                return False
        elif not isinstance(value, list) or item >= len(value):
            return False
        value = value[item]
    return True


def _duplicate_warnings(source: SourceText, duplicates: list[_Duplicate]) -> list[Diagnostic]:
    warnings = []
    for duplicate in duplicates:
        first_line, first_column = source.line_column(duplicate.first_start)
        line, column = source.line_column(duplicate.start)
        key = json.dumps(duplicate.path[-1], ensure_ascii=False)
        message = (
            f"Duplicate key {key} at {line}:{column}, first at {first_line}:{first_column}; "
            "wrangler keeps the last one"
        )
        hint = f"Remove one of the two. Only the value at {line}:{column} is used."
        warnings.append(
            source.warning(
                "WD005",
                message,
                duplicate.start,
                duplicate.end,
                path=duplicate.path,
                hint=hint,
                related=(duplicate.first_start,),
            )
        )
    return warnings


def parse_jsonc(
    text: str, display_name: str, path: Path | None = None, *, max_depth: int = DEFAULT_MAX_DEPTH
) -> ParsedDocument:
    """Parse the text of a wrangler.jsonc file as wrangler 4.164.0 reads it.

    Never raises for bad input: a syntax error gives a document with `ok=False`, `value=None`
    and one error diagnostic at the first problem. A valid file gives its value, the span of
    every path, the comment descriptions and a warning for each duplicate key.
    """
    source = SourceText(text, display_name, path)
    document = ParsedDocument(source=source)

    blanked, comments = _blank(text)
    if _is_blank(blanked):
        if _is_blank(text.removeprefix("\ufeff")):
            message = f"{display_name} is empty"
        else:
            message = f"{display_name} contains only comments and no value"
        hint = 'Write the config as a JSON object, e.g. { "name": "my-worker" }.'
        document.diagnostics.append(source.error("WD001", message, 0, 0, hint=hint))
        return document

    try:
        result = _Scanner(text, blanked, source, max_depth).scan()
    except _SyntaxProblem as problem:
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

    try:
        value = json.loads(blanked, parse_constant=_reject_constant)
    except RecursionError:
        message = "Objects and arrays are nested too deeply for Python's JSON reader"
        hint = "Lower max_depth, or reduce the nesting of the file."
        document.diagnostics.append(source.error("WD007", message, 0, 1, hint=hint))
        return document
    except ValueError as error:
        # The grammar check accepts only text json.loads reads, so this is an internal
        # mismatch; report it rather than raise.
        logger.error(
            "json.loads rejected %s after the grammar check passed: %s", display_name, error
        )
        offset = error.pos if isinstance(error, json.JSONDecodeError) else 0
        document.diagnostics.append(source.error("WD001", f"Invalid JSON: {error}", offset))
        return document

    spans = result.spans
    if result.duplicates:
        # The replaced values of duplicate keys may have left paths that no longer exist.
        spans = {item: span for item, span in spans.items() if _resolves(value, item)}
        document.diagnostics.extend(_duplicate_warnings(source, result.duplicates))

    document.value = value
    document.ok = True
    document.spans = spans
    document.descriptions = _attach_descriptions(text, blanked, comments, spans)
    logger.debug(
        "read %s: %d paths, %d comments, %d descriptions",
        display_name,
        len(spans),
        len(comments),
        len(document.descriptions),
    )
    return document


def read_config_text(
    path: Path, display_name: str, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[str | None, list[Diagnostic]]:
    """Read a config file's text, or return (None, diagnostics) when it cannot be read.

    A missing or unreadable file gives WD009 and a file larger than `max_bytes` gives WD008,
    both at 1:1 and without reading the content. Bytes that are not UTF-8 give WD006. The
    JSONC and TOML readers share this, so both formats reject the same files.
    """
    try:
        status = path.stat()
    except FileNotFoundError:
        message = f"{display_name} was not found"
        hint = "Check the path to the wrangler config."
        return None, [_file_diagnostic("WD009", message, display_name, hint=hint)]
    except OSError as error:
        message = f"Cannot read {display_name}: {error.strerror or error}"
        hint = "Check that the file exists and is readable."
        return None, [_file_diagnostic("WD009", message, display_name, hint=hint)]

    if not stat.S_ISREG(status.st_mode):
        kind = "a directory" if stat.S_ISDIR(status.st_mode) else "not a regular file"
        message = f"Cannot read {display_name}: it is {kind}"
        hint = "Point at the wrangler config file itself."
        return None, [_file_diagnostic("WD009", message, display_name, hint=hint)]

    if status.st_size > max_bytes:
        return None, [_too_large(display_name, status.st_size, max_bytes)]

    try:
        with path.open("rb") as stream:
            data = stream.read(max_bytes + 1)
    except OSError as error:
        message = f"Cannot read {display_name}: {error.strerror or error}"
        hint = "Check that the file is readable."
        return None, [_file_diagnostic("WD009", message, display_name, hint=hint)]
    if len(data) > max_bytes:
        # The file grew between the size check and the read.
        return None, [_too_large(display_name, len(data), max_bytes)]

    return decode_config_bytes(data, display_name)


def read_jsonc_file(
    path: Path,
    display_name: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> ParsedDocument:
    """Read and parse a wrangler.jsonc file (see `read_config_text` for unreadable files).

    Never raises for bad input.
    """
    text, diagnostics = read_config_text(path, display_name, max_bytes)
    if text is None:
        empty = ParsedDocument(source=SourceText("", display_name, path))
        empty.diagnostics.extend(diagnostics)
        return empty
    return parse_jsonc(text, display_name, path, max_depth=max_depth)


def _too_large(display_name: str, size: int, max_bytes: int) -> Diagnostic:
    message = f"{display_name} is {size:,} bytes, larger than the limit of {max_bytes:,} bytes"
    hint = "Check that the path points at the wrangler config; real configs are a few kilobytes."
    return _file_diagnostic("WD008", message, display_name, hint=hint)
