"""Tests for reading wrangler.jsonc: values, positions, descriptions and diagnostics."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from wrangler_docs.diagnostics import Diagnostic, Severity
from wrangler_docs.read.document import ParsedDocument, Span
from wrangler_docs.read.jsonc import decode_config_bytes, parse_jsonc, read_jsonc_file

NAME = "wrangler.jsonc"

# The JSON5-only sample: single quotes, an unquoted key and NaN. The first of them, in
# reading order, is the unquoted key `main` on line 3.
JSON5_SAMPLE = """\
{
  "name": "edge-api",
  main: "src/index.ts",
  "compatibility_date": '2025-09-01',
  "limits": { "cpu_ms": NaN }
}
"""

# A valid config whose strings look like comments, next to real comments.
COMMENT_LIKE_SAMPLE = """\
/* Scheduled jobs and routes for the edge API. */
{
  "name": "edge-api", // the Worker's name
  "main": "src/index.ts",
  "compatibility_date": "2025-09-01",
  "routes": [
    // every path under the zone
    { "pattern": "example.com/*", "zone_name": "example.com" },
  ],
  "triggers": {
    /* runs every quarter hour */
    "crons": ["*/15 * * * *"],
  },
  "vars": { "DOCS_URL": "https://example.com/docs//*not-a-comment*/" },
}
"""


def parse(text: str, **kwargs: int) -> ParsedDocument:
    return parse_jsonc(text, NAME, **kwargs)


def only_diagnostic(document: ParsedDocument) -> Diagnostic:
    assert len(document.diagnostics) == 1, document.diagnostics
    return document.diagnostics[0]


def position(document: ParsedDocument, offset: int) -> tuple[int, int]:
    return document.source.line_column(offset)


def key_position(document: ParsedDocument, *path: str | int) -> tuple[int, int]:
    span = document.spans[tuple(path)]
    assert span.key_start >= 0
    return position(document, span.key_start)


def value_position(document: ParsedDocument, *path: str | int) -> tuple[int, int]:
    return position(document, document.spans[tuple(path)].value_start)


def value_text(document: ParsedDocument, *path: str | int) -> str:
    span = document.spans[tuple(path)]
    return document.source.text[span.value_start : span.value_end]


# --------------------------------------------------------------------------- valid input


def test_parse_trailing_commas_and_comments() -> None:
    document = parse('// head\n{ /* a */ "name": "x", "list": [1, 2,], // t\n}')

    assert document.ok
    assert document.value == {"name": "x", "list": [1, 2]}
    assert document.diagnostics == []


def test_parse_comment_like_sample_keeps_strings() -> None:
    document = parse(COMMENT_LIKE_SAMPLE)

    assert document.ok
    assert document.diagnostics == []
    assert document.value["routes"][0]["pattern"] == "example.com/*"
    assert document.value["triggers"]["crons"] == ["*/15 * * * *"]
    assert document.value["vars"]["DOCS_URL"] == "https://example.com/docs//*not-a-comment*/"
    assert document.value["name"] == "edge-api"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"*/15 * * * *"', "*/15 * * * *"),
        ('"example.com/*"', "example.com/*"),
        ('"https://x/*y*/"', "https://x/*y*/"),
        ('"\\"//"', '"//'),
        ('"a // b /* c */ d"', "a // b /* c */ d"),
        ('"trailing,]"', "trailing,]"),
        ('"\\\\"', "\\"),
        ('"\\/"', "/"),
    ],
)
def test_parse_comment_like_text_in_string(text: str, expected: str) -> None:
    document = parse(f'{{"a": {text}, "b": [{text},]}}')

    assert document.diagnostics == []
    assert document.value == {"a": expected, "b": [expected]}


def test_parse_surrogate_pair_escape_gives_one_character() -> None:
    document = parse('{"emoji": "\\ud83d\\ude00"}')

    assert document.value == {"emoji": "😀"}
    assert len(document.value["emoji"]) == 1


def test_parse_escaped_key_is_unescaped_in_paths() -> None:
    document = parse('{"\\u0041\\"b": {"\\ud83d\\ude00": 1}, "tab\\t": [true]}')

    assert document.value == {'A"b': {"😀": 1}, "tab\t": [True]}
    assert ('A"b',) in document.spans
    assert ('A"b', "😀") in document.spans
    assert ("tab\t", 0) in document.spans
    assert key_position(document, 'A"b') == (1, 2)


def test_parse_non_object_root() -> None:
    document = parse("[1, 2,]")

    assert document.value == [1, 2]
    assert document.spans[()] == Span(-1, -1, 0, 7)


def test_parse_large_exponent_becomes_infinity() -> None:
    document = parse('{"a": 1e400, "b": -0.5E+3, "c": -0}')

    assert document.ok
    assert document.value == {"a": float("inf"), "b": -500.0, "c": 0}


def test_parse_byte_order_mark_in_text_is_ignored() -> None:
    document = parse('\ufeff{"a": 1}')

    assert document.value == {"a": 1}
    assert key_position(document, "a") == (1, 3)


# Verdicts of wrangler 4.164.0 (`unstable_readConfig` on each text saved as a .jsonc file):
# None means no parse error, otherwise the jsonc-parser error wrangler reports first.
WRANGLER_VERDICTS = [
    ("trailing_commas", '{"name": "x", "a": [1, 2,], }', None),
    ("trailing_comma_then_comment", '{"name": "x", /* c */ }', None),
    ("trailing_comma_line_comment", '{"a": [1, // c\n], }', None),
    ("comments", '// head\n{ /* a */ "name": "x" // t\n}', None),
    ("empty_array_comma", '{"a": [,]}', "ValueExpected"),
    ("empty_object_comma", '{"a": {,}}', "ValueExpected"),
    ("double_comma_array", '{"a": [1,,]}', "ValueExpected"),
    ("double_comma_object", '{"a":1,,}', "PropertyNameExpected"),
    ("missing_value", '{"a": ,}', "ValueExpected"),
    ("missing_colon", '{"a" 1}', "ColonExpected"),
    ("missing_comma", '{ "name": "A" "class_name": "B" }', "CommaExpected"),
    ("single_quotes", "{\"a\": 'x'}", "InvalidSymbol"),
    ("unquoted_key", "{a: 1}", "InvalidSymbol"),
    ("nan", '{"a": NaN}', "InvalidSymbol"),
    ("infinity", '{"a": Infinity}', "InvalidSymbol"),
    ("minus_infinity", '{"a": -Infinity}', "InvalidSymbol"),
    ("hex", '{"a": 0x10}', "InvalidSymbol"),
    ("plus", '{"a": +1}', "InvalidSymbol"),
    ("leading_dot", '{"a": .5}', "InvalidSymbol"),
    ("trailing_dot", '{"a": 5.}', "UnexpectedEndOfNumber"),
    ("leading_zero", '{"a": 01}', "CommaExpected"),
    ("line_continuation", '{"a": "x\\\ny"}', "InvalidEscapeCharacter"),
    ("raw_tab", '{"a": "x\ty"}', "InvalidCharacter"),
    ("raw_newline", '{"a": "x\ny"}', "UnexpectedEndOfString"),
    ("unterminated_comment", '{"a": 1 /* x', "UnexpectedEndOfComment"),
    ("unclosed_brace", '{"a": {"b": 1}', "CloseBraceExpected"),
    ("extra_data", "{} {}", "EndOfFileExpected"),
    ("empty", "", "ValueExpected"),
    ("only_comment", "// nothing\n", "ValueExpected"),
    ("surrogates", '{"a": "\\ud83d\\ude00"}', None),
    ("lone_surrogate", '{"a": "\\ud800"}', None),
    ("bad_escape", '{"a": "\\x"}', "InvalidEscapeCharacter"),
    ("short_unicode", '{"a": "\\u12"}', "InvalidUnicode"),
    ("nbsp", '{"a":\xa01}', "InvalidSymbol"),
    ("vertical_tab", '{"a":\x0b1}', "InvalidSymbol"),
    ("form_feed", '{"a":\x0c1}', "InvalidSymbol"),
    ("capital_true", '{"a": True}', "InvalidSymbol"),
    ("exponent", '{"a": 1e400, "b": -0.5E+3}', None),
    ("bad_exponent", '{"a": 1e}', "UnexpectedEndOfNumber"),
    ("del_char_in_string", '{"a": "x\x7fy"}', None),
    (
        "comment_like_strings",
        '{"a": "*/15 * * * *", "b": "example.com/*", "c": "https://x/*y*/", "d": "\\"//"}',
        None,
    ),
    ("slash", '{"a": 1, /}', "InvalidSymbol"),
    ("mid_bom", '{"a":\ufeff1}', "InvalidSymbol"),
    ("crlf", '{\r\n  "a": 1,\r\n  // c\r\n}\r\n', None),
    ("lone_cr_comment", '{"a": 1 // c\r}', None),
    ("top_level_comma", "{},", "EndOfFileExpected"),
    ("array_root", "[1, 2,]", None),
    ("duplicate", '{"a": 1, "a": 2}', None),
    ("line_separator_in_string", '{"a": "x\u2028y"}', None),
    ("partial_true", '{"a": tru}', "InvalidSymbol"),
    ("comment_at_eof_no_newline", '{"a": 1}//c', None),
    ("block_comment_at_eof", '{"a": 1}/**/', None),
    ("missing_comma_array", '{"a": [1 2]}', "CommaExpected"),
    ("trailing_comma_then_block", '{"a": 1, "b": 2,/* x */}', None),
    ("escaped_slash", '{"a": "\\/"}', None),
    ("minus_zero", '{"a": -0}', None),
    ("lone_minus", '{"a": -}', "InvalidSymbol"),
    ("spaced_trailing_comma", '{"a" : 1 , }', None),
    ("slash_star_slash", "/*/ {}", "UnexpectedEndOfComment"),
    ("comment_after_string", '{"a": "x"// c\n}', None),
    ("comma_comment_comma", '{"a":1,/**/,}', "PropertyNameExpected"),
    ("empty_array_trailing", '{ "a": [ ] , }', None),
    ("escaped_key", '{"\\u0041": 1}', None),
    ("nul_after_root", '{"a":1}\x00', "InvalidSymbol"),
    ("bad_exponent_sign", '{"a": 1.0e+}', "UnexpectedEndOfNumber"),
    ("root_string", '"x"', None),
    ("missing_comma_after_comment", '{"a": "b" /* c */ "d": 1}', "CommaExpected"),
    ("digits_then_letters", '{"a": 12ab}', "InvalidSymbol"),
    ("number_then_string", '{"a": 1"b"}', "CommaExpected"),
    ("colon_after_value", '{"a": "b": 1}', "CommaExpected"),
    ("array_key_value", '["a": 1]', "CommaExpected"),
    ("mismatched_close", '{"a": [1, 2}', "CommaExpected"),
    ("unterminated_string_eof", '{"a": "abc', "UnexpectedEndOfString"),
    ("backslash_eof", '{"a": "abc\\', "UnexpectedEndOfString"),
    ("whitespace_only", " \n\t\n", "ValueExpected"),
]


@pytest.mark.parametrize(
    ("text", "wrangler_error"),
    [case[1:] for case in WRANGLER_VERDICTS],
    ids=[case[0] for case in WRANGLER_VERDICTS],
)
def test_parse_accepts_what_wrangler_accepts(text: str, wrangler_error: str | None) -> None:
    document = parse(text)

    assert document.ok is (wrangler_error is None)
    errors = [diagnostic for diagnostic in document.diagnostics if diagnostic.is_error]
    assert len(errors) == (0 if wrangler_error is None else 1)


# --------------------------------------------------------------------------- diagnostics

# (text, code, line, column, message substring)
SYNTAX_ERRORS = [
    # Unterminated block comment: at the `/*`.
    ('{"a": 1 /* x', "WD002", 1, 9, "Block comment is never closed"),
    ('{\n  "a": 1\n  /* never\n  closed\n}', "WD002", 3, 3, "has no matching '*/'"),
    ("/*/ {}", "WD002", 1, 1, "Block comment is never closed"),
    # Missing comma: at the start of the second member or element.
    ('{ "name": "A" "class_name": "B" }', "WD003", 1, 15, "Missing comma before this member"),
    ('{"a": [1 2]}', "WD003", 1, 10, "Missing comma before this element"),
    ('{"a": 1\n  "b": 2}', "WD003", 2, 3, "Missing comma before this member"),
    ('{"a": "b" /* c */ "d": 1}', "WD003", 1, 19, "Missing comma before this member"),
    ('{"a": 1"b"}', "WD003", 1, 8, "Missing comma before this member"),
    ('{"a": {} "b": 1}', "WD003", 1, 10, "Missing comma before this member"),
    ("[{} {}]", "WD003", 1, 5, "Missing comma before this element"),
    # JSON5 syntax.
    ("{\"a\": 'x'}", "WD004", 1, 7, "wrangler.jsonc does not allow JSON5 syntax"),
    ("{'a': 1}", "WD004", 1, 2, "strings must use double quotes"),
    ("{a: 1}", "WD004", 1, 2, "the key a is not in double quotes"),
    ('{"a": 1, $b_2: 1}', "WD004", 1, 10, "the key $b_2 is not in double quotes"),
    ('{"a": NaN}', "WD004", 1, 7, "NaN is not a JSON number"),
    ('{"a": Infinity}', "WD004", 1, 7, "Infinity is not a JSON number"),
    ('{"a": -Infinity}', "WD004", 1, 7, "-Infinity is not a JSON number"),
    ('{"a": 0x10}', "WD004", 1, 7, "the hexadecimal number 0x10 is not JSON"),
    ('{"a": +1}', "WD004", 1, 7, "the number +1 starts with '+'"),
    ('{"a": .5}', "WD004", 1, 7, "the number .5 has no digit before the decimal point"),
    ('{"a": 5.}', "WD004", 1, 7, "the number 5. has no digit after the decimal point"),
    ('{"a": "x\\\ny"}', "WD004", 1, 9, "a backslash at the end of a line cannot continue"),
    ("[1, NaN]", "WD004", 1, 5, "NaN is not a JSON number"),
    # Unterminated string: at its opening quote.
    ('{"a": "abc\n}', "WD010", 1, 7, "the line ends before its closing"),
    ('{"a": "abc', "WD010", 1, 7, "the file ends before its closing"),
    ('{"a": "abc\\', "WD010", 1, 7, "String is never closed"),
    ('{"abc\n: 1}', "WD010", 1, 2, "String is never closed"),
    ('{"a": "x // y\n}', "WD010", 1, 7, "String is never closed"),
    # Other syntax errors.
    ('{"a": [,]}', "WD001", 1, 8, "Extra comma: expected an element"),
    ('{"a": {,}}', "WD001", 1, 8, "Extra comma: expected a key"),
    ('{"a": [1,,]}', "WD001", 1, 10, "Extra comma: expected an element"),
    ('{"a":1,,}', "WD001", 1, 8, "Extra comma: expected a key"),
    ('{"a":1,/**/,}', "WD001", 1, 12, "Extra comma: expected a key"),
    ('{"a": ,}', "WD001", 1, 7, 'Missing value for the key "a"'),
    ('{"a": }', "WD001", 1, 7, 'Missing value for the key "a"'),
    ('{"a" 1}', "WD001", 1, 6, "Missing ':' after the key \"a\""),
    ('{"a" ,}', "WD001", 1, 7, "Missing ':' after the key \"a\""),
    ('{"a": {"b": 1}', "WD001", 1, 1, "This '{' is never closed"),
    ('{"a": [1, 2', "WD001", 1, 7, "This '[' is never closed"),
    ('{"a": [1, 2}', "WD001", 1, 12, "the array opened at 1:7 is not closed"),
    ('[{"a": 1]', "WD001", 1, 9, "the object opened at 1:2 is not closed"),
    ("{} {}", "WD001", 1, 4, "Unexpected content after the end of the top-level value"),
    ("{},", "WD001", 1, 3, "Unexpected content after the end of the top-level value"),
    ('{"a": 1}x', "WD001", 1, 9, "Unexpected content after the end"),
    ("", "WD001", 1, 1, "wrangler.jsonc is empty"),
    (" \n\t\n", "WD001", 1, 1, "wrangler.jsonc is empty"),
    ("// nothing\n/* here */", "WD001", 1, 1, "contains only comments and no value"),
    ('{"a": 01}', "WD001", 1, 7, "JSON numbers cannot start with a 0"),
    ('{"a": 1e}', "WD001", 1, 7, "Invalid number '1e'"),
    ('{"a": -}', "WD001", 1, 7, "Invalid number '-'"),
    ('{"a": 12ab}', "WD001", 1, 7, "Invalid number '12ab'"),
    ('{"a": True}', "WD001", 1, 7, "JSON literals are lower case"),
    ('{"a": tru}', "WD001", 1, 7, "text values must be in double quotes"),
    ('{"a": yes}', "WD001", 1, 7, "text values must be in double quotes"),
    ("{1: 2}", "WD001", 1, 2, "Expected a key in double quotes, found '1'"),
    ("{]", "WD001", 1, 2, "Expected a key in double quotes or '}', found ']'"),
    ('{"a": 1, /}', "WD001", 1, 10, "Unexpected '/'"),
    ('{"a":\xa01}', "WD001", 1, 6, "Unexpected character U+00A0 (NO-BREAK SPACE)"),
    ('{"a":\ufeff1}', "WD001", 1, 6, "Unexpected character U+FEFF"),
    ('{"a":\x0b1}', "WD001", 1, 6, "Unexpected character U+000B (vertical tab)"),
    ('{"a": "x\ty"}', "WD001", 1, 9, "Raw control character U+0009 (tab) inside a string"),
    ('{"a": "x\x01"}', "WD001", 1, 9, "Raw control character U+0001"),
    ('{"a": "\\x"}', "WD001", 1, 8, "Invalid escape sequence \\x"),
    ('{"a": "\\u12"}', "WD001", 1, 8, "Invalid \\u escape"),
    ('{"a": "b": 1}', "WD001", 1, 10, "Unexpected ':' after a value"),
    ('["a": 1]', "WD001", 1, 5, "Unexpected ':' in an array"),
    ('{"a":1}\x00', "WD001", 1, 8, "Unexpected content after the end"),
]


@pytest.mark.parametrize(("text", "code", "line", "column", "message"), SYNTAX_ERRORS)
def test_parse_reports_syntax_error(
    text: str, code: str, line: int, column: int, message: str
) -> None:
    document = parse(text)
    diagnostic = only_diagnostic(document)

    assert not document.ok
    assert document.value is None
    assert diagnostic.severity is Severity.ERROR
    assert diagnostic.code == code
    assert (diagnostic.line, diagnostic.column) == (line, column)
    assert message in diagnostic.message
    assert diagnostic.hint
    assert diagnostic.file == NAME


def test_parse_json5_sample_reports_unquoted_key_first() -> None:
    diagnostic = only_diagnostic(parse(JSON5_SAMPLE))

    assert diagnostic.code == "WD004"
    assert (diagnostic.line, diagnostic.column) == (3, 3)
    assert diagnostic.message.startswith("wrangler.jsonc does not allow JSON5 syntax")
    assert diagnostic.hint == 'Put the key in double quotes: "main".'


def test_parse_json5_sample_reports_single_quotes_next() -> None:
    text = JSON5_SAMPLE.replace("  main:", '  "main":')
    diagnostic = only_diagnostic(parse(text))

    assert diagnostic.code == "WD004"
    assert (diagnostic.line, diagnostic.column) == (4, 25)
    assert "strings must use double quotes" in diagnostic.message
    assert diagnostic.hint == 'Use double quotes: "2025-09-01".'


def test_parse_json5_sample_reports_nan_last() -> None:
    text = JSON5_SAMPLE.replace("  main:", '  "main":').replace("'2025-09-01'", '"2025-09-01"')
    diagnostic = only_diagnostic(parse(text))

    assert diagnostic.code == "WD004"
    assert (diagnostic.line, diagnostic.column) == (5, 25)
    assert "NaN is not a JSON number" in diagnostic.message
    assert diagnostic.path == "limits.cpu_ms"


def test_json5_message_names_the_file() -> None:
    document = parse_jsonc("{'a': 1}", "apps/web/wrangler.jsonc")
    diagnostic = only_diagnostic(document)

    assert "apps/web/wrangler.jsonc does not allow JSON5 syntax" in diagnostic.message
    assert diagnostic.file == "apps/web/wrangler.jsonc"


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ('{"a": 0x1F}', "Write the number in decimal: 31."),
        ('{"a": +1.5}', "Remove the '+': 1.5."),
        ('{"a": -.5}', "Write -0.5."),
        ('{"a": 5.}', "Write 5.0, or leave out the '.'."),
        ('{"a": \'it\\\'s "x"\'}', 'Use double quotes: "it\'s \\"x\\"".'),
        ('{"a": False}', "Write false."),
        ('{"a": None}', "Write null."),
        ('{"a": "x\ty"}', "Write it as the escape \\t."),
    ],
)
def test_parse_hint_shows_the_json_form(text: str, hint: str) -> None:
    assert only_diagnostic(parse(text)).hint == hint


def test_missing_comma_hint_names_previous_value_end() -> None:
    text = '{\n  "durable_objects": {\n    "bindings": [\n      { "name": "A" "class_name": "B" }\n    ]\n  }\n}'
    diagnostic = only_diagnostic(parse(text))

    assert diagnostic.code == "WD003"
    assert (diagnostic.line, diagnostic.column) == (4, 21)
    assert diagnostic.message == "Missing comma before this member"
    assert diagnostic.hint == "Add ',' after the previous member, which ends at 4:19."
    assert diagnostic.path == "durable_objects.bindings[0]"
    assert (diagnostic.end_line, diagnostic.end_column) == (4, 33)


def test_unclosed_brace_points_at_innermost_open_bracket() -> None:
    text = '{\n  "a": {\n    "b": [1, 2,\n'
    diagnostic = only_diagnostic(parse(text))

    assert (diagnostic.line, diagnostic.column) == (3, 10)
    assert diagnostic.message == "This '[' is never closed: the file ends before its ']'"
    assert diagnostic.path == "a.b"


def test_mismatched_close_relates_to_opener() -> None:
    diagnostic = only_diagnostic(parse('{\n  "a": [1, 2}\n'))

    assert (diagnostic.line, diagnostic.column) == (2, 13)
    assert diagnostic.related == ((NAME, 2, 8),)


def test_only_first_syntax_error_is_reported() -> None:
    document = parse("{a: 'b', c: NaN, \"d\" 1")

    assert [(d.code, d.line, d.column) for d in document.diagnostics] == [("WD004", 1, 2)]


# --------------------------------------------------------------------------- positions


def test_positions_of_keys_and_values() -> None:
    text = '{\n  "name": "edge-api",\n  "vars": { "A": 1, "B": [true, null] },\n}\n'
    document = parse(text)

    assert key_position(document, "name") == (2, 3)
    assert value_position(document, "name") == (2, 11)
    assert value_text(document, "name") == '"edge-api"'
    assert key_position(document, "vars") == (3, 3)
    assert value_position(document, "vars") == (3, 11)
    assert value_text(document, "vars") == '{ "A": 1, "B": [true, null] }'
    assert value_position(document, "vars", "B", 1) == (3, 33)
    assert value_text(document, "vars", "B", 1) == "null"
    assert document.spans[("vars", "B", 0)].key_start == -1
    assert value_position(document) == (1, 1)
    assert value_text(document) == text.rstrip("\n")


def test_positions_count_characters_not_bytes() -> None:
    text = '{"välue ☃": "😀 x", "k": 1}'
    document = parse(text)

    assert key_position(document, "välue ☃") == (1, 2)
    assert value_position(document, "välue ☃") == (1, 13)
    assert key_position(document, "k") == (1, 20)
    assert value_position(document, "k") == (1, 25)


def test_positions_count_tab_as_one_column() -> None:
    document = parse('{\n\t"a":\t[\t1,\t2 ]\n}')

    assert key_position(document, "a") == (2, 2)
    assert value_position(document, "a") == (2, 7)
    assert value_position(document, "a", 1) == (2, 12)


def test_positions_in_crlf_file() -> None:
    text = '{\r\n  // c\r\n  "a": 1,\r\n  "b": [\r\n    "x",\r\n  ],\r\n}\r\n'
    document = parse(text)

    assert document.value == {"a": 1, "b": ["x"]}
    assert key_position(document, "a") == (3, 3)
    assert value_position(document, "a") == (3, 8)
    assert value_position(document, "b", 0) == (5, 5)
    assert document.descriptions == {("a",): "c"}


def test_error_position_in_crlf_file() -> None:
    diagnostic = only_diagnostic(parse('{\r\n  "a": 1,\r\n  "b": tru\r\n}\r\n'))

    assert (diagnostic.line, diagnostic.column) == (3, 8)


def test_unterminated_string_in_crlf_file() -> None:
    diagnostic = only_diagnostic(parse('{\r\n  "a": "abc\r\n}\r\n'))

    assert diagnostic.code == "WD010"
    assert (diagnostic.line, diagnostic.column) == (2, 8)


def test_positions_every_path_present() -> None:
    document = parse('{"a": {"b": [1, {"c": []}], "d": {}}, "e": ""}')

    assert set(document.spans) == {
        (),
        ("a",),
        ("a", "b"),
        ("a", "b", 0),
        ("a", "b", 1),
        ("a", "b", 1, "c"),
        ("a", "d"),
        ("e",),
    }


def test_positions_key_end_is_after_closing_quote() -> None:
    document = parse('{"name" : "x"}')
    span = document.spans[("name",)]

    assert document.source.text[span.key_start : span.key_end] == '"name"'
    assert document.source.text[span.value_start : span.value_end] == '"x"'


# --------------------------------------------------------------------------- descriptions

DESCRIBED = """\
// The Worker's config.
{
  /* The Worker name,
   * shown in the dashboard. */
  "name": "api",
  // First line.
  // Second line.
  "main": "src/index.ts", // not a description
  // Paragraph one.
  //
  // Paragraph two.
  "compatibility_date": "2025-09-01",

  // Separated by a blank line.

  "workers_dev": true,
  /** JSDoc style. */
  "kv_namespaces": [
    // The cache namespace.
    { "binding": "CACHE", "id": "abc" },
    /* inline */ { "binding": "OTHER", "id": "def" },
  ],
  "a": 1, // trailing comment after a
  // Describes b, not continued from the trailing comment above.
  "b": 2,
  /* one */ /* two */
  "c": 3,
  // Above a closing brace.
}
"""


def test_descriptions_of_members_and_elements() -> None:
    document = parse(DESCRIBED)

    assert document.ok
    assert document.descriptions == {
        (): "The Worker's config.",
        ("name",): "The Worker name,\nshown in the dashboard.",
        ("main",): "First line.\nSecond line.",
        ("compatibility_date",): "Paragraph one.\n\nParagraph two.",
        ("kv_namespaces",): "JSDoc style.",
        ("kv_namespaces", 0): "The cache namespace.",
        ("b",): "Describes b, not continued from the trailing comment above.",
        ("c",): "one two",
    }


def test_description_method_returns_empty_for_undescribed() -> None:
    document = parse(DESCRIBED)

    assert document.description(["workers_dev"]) == ""
    assert document.description(["kv_namespaces", 1]) == ""
    assert document.description(["a"]) == ""


def test_description_needs_item_on_next_line() -> None:
    document = parse('{\n  // far\n\n  "a": 1,\n  // near\n  "b": 2\n}')

    assert document.descriptions == {("b",): "near"}


def test_description_of_root_breaks_at_blank_line() -> None:
    assert parse("/* header */\n\n{}").descriptions == {}
    assert parse("/* header */\n{}").descriptions == {(): "header"}


def test_description_ignores_comment_before_code() -> None:
    document = parse('{\n  /* not above */ "a": 1\n}')

    assert document.descriptions == {}


def test_description_of_nested_items() -> None:
    document = parse(COMMENT_LIKE_SAMPLE)

    assert document.descriptions == {
        (): "Scheduled jobs and routes for the edge API.",
        ("routes", 0): "every path under the zone",
        ("triggers", "crons"): "runs every quarter hour",
    }


def test_description_empty_comment_is_not_kept() -> None:
    assert parse('{\n  //\n  "a": 1\n}').descriptions == {}
    assert parse('{\n  /**/\n  "a": 1\n}').descriptions == {}


def test_description_skips_empty_comment_on_same_line() -> None:
    assert parse("/* a */ /**/\n{}").descriptions == {(): "a"}
    assert parse("/**/ /* a */\n{}").descriptions == {(): "a"}


def test_description_of_crlf_block_comment() -> None:
    assert parse("/*\r\n * x\r\n */\r\n{}").descriptions == {(): "x"}


# --------------------------------------------------------------------------- duplicate keys


def test_duplicate_key_warns_at_second_key() -> None:
    text = '{\n  "name": "a",\n  "main": "x",\n  "name": "b"\n}'
    document = parse(text)
    diagnostic = only_diagnostic(document)

    assert document.ok
    assert document.value == {"name": "b", "main": "x"}
    assert diagnostic.severity is Severity.WARNING
    assert diagnostic.code == "WD005"
    assert (diagnostic.line, diagnostic.column) == (4, 3)
    assert diagnostic.message == (
        'Duplicate key "name" at 4:3, first at 2:3; wrangler keeps the last one'
    )
    assert diagnostic.related == ((NAME, 2, 3),)
    assert diagnostic.path == "name"
    assert value_text(document, "name") == '"b"'


def test_duplicate_key_with_escape_is_detected() -> None:
    diagnostic = only_diagnostic(parse('{"a": 1, "\\u0061": 2}'))

    assert diagnostic.code == "WD005"
    assert (diagnostic.line, diagnostic.column) == (1, 10)


def test_duplicate_key_in_nested_objects_is_separate() -> None:
    document = parse('{"a": {"x": 1}, "b": {"x": 2}}')

    assert document.diagnostics == []


def test_duplicate_key_third_occurrence_names_first() -> None:
    document = parse('{"k": 1, "k": 2, "k": 3}')

    messages = [diagnostic.message for diagnostic in document.diagnostics]
    assert messages == [
        'Duplicate key "k" at 1:10, first at 1:2; wrangler keeps the last one',
        'Duplicate key "k" at 1:18, first at 1:2; wrangler keeps the last one',
    ]
    assert document.value == {"k": 3}


def test_duplicate_key_drops_spans_of_replaced_value() -> None:
    document = parse('{"a": {"x": 1, "y": [1, 2]}, "a": {"x": 2}}')

    assert document.value == {"a": {"x": 2}}
    assert set(document.spans) == {(), ("a",), ("a", "x")}
    assert value_text(document, "a", "x") == "2"


def test_duplicate_container_keys_are_detected() -> None:
    document = parse('{"env": {}, "env": []}')

    assert [diagnostic.code for diagnostic in document.diagnostics] == ["WD005"]
    assert document.value == {"env": []}


# --------------------------------------------------------------------------- limits


@pytest.mark.parametrize("opener", ["[", '{"a":'])
def test_deep_nesting_is_rejected_without_recursion(opener: str) -> None:
    depth = 100_000
    closer = "]" if opener == "[" else "}"
    text = opener * depth + "1" + closer * depth

    started = time.perf_counter()
    document = parse(text)
    elapsed = time.perf_counter() - started

    diagnostic = only_diagnostic(document)
    assert diagnostic.code == "WD007"
    assert diagnostic.line == 1
    assert diagnostic.column == 128 * len(opener) + 1
    assert "more than 128 levels" in diagnostic.message
    assert elapsed < 5


def test_nesting_at_max_depth_is_accepted() -> None:
    text = "[" * 10 + "]" * 10

    assert parse(text, max_depth=10).ok
    diagnostic = only_diagnostic(parse(text, max_depth=9))
    assert diagnostic.code == "WD007"
    assert diagnostic.column == 10


def test_nesting_deeper_than_json_module_limit() -> None:
    text = "[" * 3000 + "]" * 3000

    diagnostic = only_diagnostic(parse(text, max_depth=5000))
    assert diagnostic.code == "WD007"


@pytest.mark.parametrize(
    ("template", "column"),
    [('{"big": NUMBER}', 9), ("[1, NUMBER]", 5), ('{"a": [NUMBER,]}', 8), ("NUMBER", 1)],
)
def test_huge_integer_is_located(template: str, column: int) -> None:
    text = template.replace("NUMBER", "-" + "7" * 5000)
    diagnostic = only_diagnostic(parse(text))

    assert diagnostic.code == "WD011"
    assert (diagnostic.line, diagnostic.column) == (1, column)
    assert "5000 digits" in diagnostic.message


@pytest.mark.parametrize("template", ['{"a": "STRING"}', '["STRING"]', '{"a": ["x", "STRING"]}'])
def test_long_string_is_accepted(template: str) -> None:
    document = parse(template.replace("STRING", "a" * 5000))

    assert document.ok
    assert document.diagnostics == []


def test_long_float_is_accepted() -> None:
    document = parse('{"a": 0.' + "3" * 5000 + ', "b": 1' + "0" * 400 + ".5}")

    assert document.ok
    assert document.value["a"] == pytest.approx(1 / 3)


# --------------------------------------------------------------------------- trailing commas


@pytest.mark.parametrize(
    "text",
    [
        "[1,]",
        "[1 ,\n]",
        '{"a": 1,}',
        '{"a": 1, // c\n}',
        '{"a": 1, /* c */ }',
        '{"a": [1, /* c */ /* d */\n // e\n ], }',
        '{ "a": [ ] , }',
        '{"a": {},}',
        "[null //: \n,]",
        '{"a": 1 /* x */ ,}',
    ],
)
def test_trailing_comma_is_accepted(text: str) -> None:
    document = parse(text)

    assert document.ok
    assert document.diagnostics == []


@pytest.mark.parametrize(
    ("text", "column"),
    [("[,]", 2), ("{,}", 2), ("[1,,]", 4), ('{"a":1,,}', 8), ("[1, , ]", 5), ('{"a": ,}', 7)],
)
def test_trailing_comma_without_value_is_rejected(text: str, column: int) -> None:
    diagnostic = only_diagnostic(parse(text))

    assert diagnostic.code == "WD001"
    assert (diagnostic.line, diagnostic.column) == (1, column)


def test_trailing_comma_span_excludes_comma() -> None:
    document = parse('{"a": [1, 2, ], }')

    assert value_text(document, "a") == "[1, 2, ]"
    assert value_text(document, "a", 1) == "2"


# --------------------------------------------------------------------------- encodings


def test_decode_strips_utf8_bom() -> None:
    text, diagnostics = decode_config_bytes(b'\xef\xbb\xbf{"a": 1}', NAME)

    assert text == '{"a": 1}'
    assert diagnostics == []


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ('{"a": 1}'.encode("utf-16-le"), None),
        (b"\xff\xfe" + '{"a": 1}'.encode("utf-16-le"), "UTF-16 LE"),
        (b"\xfe\xff" + '{"a": 1}'.encode("utf-16-be"), "UTF-16 BE"),
        (b"\xff\xfe\x00\x00" + '{"a": 1}'.encode("utf-32-le"), "UTF-32 LE"),
        (b"\x00\x00\xfe\xff" + '{"a": 1}'.encode("utf-32-be"), "UTF-32 BE"),
    ],
)
def test_decode_rejects_utf16_and_utf32_boms(data: bytes, encoding: str | None) -> None:
    text, diagnostics = decode_config_bytes(data, NAME)

    if encoding is None:
        # Without a byte order mark, UTF-16 is valid UTF-8 full of NUL characters.
        assert text is not None
        diagnostic = only_diagnostic(parse(text))
        assert "U+0000" in diagnostic.message
        assert "UTF-16" in diagnostic.hint
        return
    assert text is None
    assert len(diagnostics) == 1
    diagnostic = diagnostics[0]
    assert diagnostic.code == "WD006"
    assert (diagnostic.line, diagnostic.column) == (1, 1)
    assert f"contains {encoding} byte order marker" in diagnostic.message
    assert diagnostic.hint == "Save the file as UTF-8 without BOM."


def test_decode_reports_position_of_invalid_utf8() -> None:
    data = '{\n  "välue": "☃'.encode() + b"\xff" + b'"\n}'
    text, diagnostics = decode_config_bytes(data, NAME)

    assert text is None
    diagnostic = diagnostics[0]
    assert diagnostic.code == "WD006"
    assert (diagnostic.line, diagnostic.column) == (2, 14)
    assert "byte 0xFF at 2:14" in diagnostic.message
    assert "byte offset 18" in diagnostic.message


def test_decode_reports_truncated_utf8_sequence() -> None:
    text, diagnostics = decode_config_bytes(b'{"a": "\xe2\x98', NAME)

    assert text is None
    assert (diagnostics[0].line, diagnostics[0].column) == (1, 8)


# --------------------------------------------------------------------------- files


def test_read_file_parses_content(tmp_path: Path) -> None:
    path = tmp_path / "wrangler.jsonc"
    path.write_bytes(b'\xef\xbb\xbf// hi\r\n{"name": "x",}\r\n')

    document = read_jsonc_file(path, NAME)

    assert document.ok
    assert document.value == {"name": "x"}
    assert document.source.path == path
    assert key_position(document, "name") == (2, 2)


def test_read_file_reports_syntax_error(tmp_path: Path) -> None:
    path = tmp_path / "wrangler.jsonc"
    path.write_text(JSON5_SAMPLE, encoding="utf-8")

    diagnostic = only_diagnostic(read_jsonc_file(path, NAME))

    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("WD004", 3, 3)


def test_read_missing_file(tmp_path: Path) -> None:
    document = read_jsonc_file(tmp_path / "missing.jsonc", "missing.jsonc")
    diagnostic = only_diagnostic(document)

    assert not document.ok
    assert diagnostic.code == "WD009"
    assert (diagnostic.line, diagnostic.column) == (1, 1)
    assert diagnostic.message == "missing.jsonc was not found"
    assert diagnostic.file == "missing.jsonc"


def test_read_directory(tmp_path: Path) -> None:
    diagnostic = only_diagnostic(read_jsonc_file(tmp_path, "config"))

    assert diagnostic.code == "WD009"
    assert "it is a directory" in diagnostic.message


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read files without read permission")
def test_read_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "wrangler.jsonc"
    path.write_text("{}", encoding="utf-8")
    path.chmod(0)

    diagnostic = only_diagnostic(read_jsonc_file(path, NAME))

    assert diagnostic.code == "WD009"
    assert (diagnostic.line, diagnostic.column) == (1, 1)


def test_read_file_larger_than_limit(tmp_path: Path) -> None:
    path = tmp_path / "wrangler.jsonc"
    path.write_text('{"a": "' + "x" * 2000 + '"}', encoding="utf-8")

    diagnostic = only_diagnostic(read_jsonc_file(path, NAME, max_bytes=1000))

    assert diagnostic.code == "WD008"
    assert (diagnostic.line, diagnostic.column) == (1, 1)
    assert diagnostic.message == (
        "wrangler.jsonc is 2,009 bytes, larger than the limit of 1,000 bytes"
    )


def test_read_file_at_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "wrangler.jsonc"
    path.write_text('{"a": 1}', encoding="utf-8")

    assert read_jsonc_file(path, NAME, max_bytes=8).ok


def test_read_utf16_file(tmp_path: Path) -> None:
    path = tmp_path / "wrangler.jsonc"
    path.write_text('{"a": 1}', encoding="utf-16")

    diagnostic = only_diagnostic(read_jsonc_file(path, NAME))

    assert diagnostic.code == "WD006"
    assert "UTF-16 LE byte order marker" in diagnostic.message


def test_read_file_passes_max_depth(tmp_path: Path) -> None:
    path = tmp_path / "wrangler.jsonc"
    path.write_text("[[[1]]]", encoding="utf-8")

    assert only_diagnostic(read_jsonc_file(path, NAME, max_depth=2)).code == "WD007"


# --------------------------------------------------------------------------- speed


def _large_config(environments: int) -> tuple[str, dict[str, object]]:
    """Return a config with a comment above every binding and trailing commas, and its value."""
    value: dict[str, object] = {"name": "big"}
    lines = ["/* header */", "{", '  "name": "big",']
    for environment in range(environments):
        section: dict[str, object] = {}
        lines.append(f'  "env{environment}": {{')
        for kind in ("kv_namespaces", "r2_buckets", "d1_databases"):
            bindings = []
            lines.append(f'    "{kind}": [')
            for index in range(12):
                binding = {"binding": f"B_{index}", "id": f"{index:032x}", "n": index}
                bindings.append(binding)
                lines.append(f"      // binding {index}, välue ☃")
                lines.append(f"      {json.dumps(binding, ensure_ascii=False)},")
            lines.append("    ],")
            section[kind] = bindings
        variables = {"URL": "https://example.com/*", "CRON": "*/15 * * * *"}
        section["vars"] = variables
        lines.append(f'    "vars": {json.dumps(variables)}, // trailing')
        lines.append("  },")
        value[f"env{environment}"] = section
    lines.append("}")
    return "\n".join(lines) + "\n", value


def test_large_config_parses_quickly() -> None:
    text, value = _large_config(600)
    assert len(text) > 2_000_000

    started = time.perf_counter()
    document = parse(text)
    elapsed = time.perf_counter() - started

    assert document.ok
    assert document.value == value
    assert len(document.descriptions) == 600 * 36 + 1
    assert document.descriptions[("env599", "d1_databases", 11)] == "binding 11, välue ☃"
    # A generous bound for slow CI machines. On a 2-vCPU VM a 3 MB config takes about 0.7 s,
    # and a pass that turned quadratic would take minutes.
    assert elapsed < 10


@pytest.mark.parametrize(
    "text",
    [
        "/* " * 100_000,
        '{"a": 1, //' + " " * 200_000 + "\n x}",
        '"\\"' * 100_000,
        "[" + '"a' * 100_000,
        "," * 200_000,
        "{" + ', "a"' * 100_000,
        "[" + "1 " * 200_000,
    ],
    ids=[
        "open-comments",
        "spaces-in-comment",
        "escaped-quotes",
        "lone-quotes",
        "commas",
        "keys",
        "numbers",
    ],
)
def test_adversarial_input_is_linear(text: str) -> None:
    started = time.perf_counter()
    document = parse(text)
    elapsed = time.perf_counter() - started

    assert not document.ok
    assert len(document.diagnostics) == 1
    assert elapsed < 5
