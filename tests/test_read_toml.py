"""Tests for reading wrangler.toml: values, positions, descriptions and diagnostics."""

from __future__ import annotations

import datetime
import os
import time
from pathlib import Path

import pytest
from wrangler_docs.diagnostics import Diagnostic, Severity
from wrangler_docs.read.document import ParsedDocument, Span
from wrangler_docs.read.jsonc import read_jsonc_file
from wrangler_docs.read.toml import MAX_SAFE_INTEGER, TomlDateTime, parse_toml, read_toml_file

NAME = "wrangler.toml"
REPO = Path(__file__).resolve().parents[1]
DEFAULT_TOML = REPO / "tests" / "data" / "wrangler.toml"


def parse(text: str, **kwargs: int) -> ParsedDocument:
    return parse_toml(text, NAME, **kwargs)


def only_diagnostic(document: ParsedDocument) -> Diagnostic:
    assert len(document.diagnostics) == 1, document.diagnostics
    return document.diagnostics[0]


def key_position(document: ParsedDocument, *path: str | int) -> tuple[int, int]:
    span = document.spans[tuple(path)]
    assert span.key_start >= 0
    return document.source.line_column(span.key_start)


def value_position(document: ParsedDocument, *path: str | int) -> tuple[int, int]:
    return document.source.line_column(document.spans[tuple(path)].value_start)


def key_text(document: ParsedDocument, *path: str | int) -> str:
    span = document.spans[tuple(path)]
    return document.source.text[span.key_start : span.key_end]


def value_text(document: ParsedDocument, *path: str | int) -> str:
    span = document.spans[tuple(path)]
    return document.source.text[span.value_start : span.value_end]


# --------------------------------------------------------------------------- values


def test_parse_tables_arrays_and_inline_tables() -> None:
    text = (
        'name = "api"\n'
        "flags = [1, 2.5, true]\n"
        'observability = { enabled = true, logs = { level = "info" } }\n'
        "[vars]\n"
        'A = "x"\n'
        "[[kv_namespaces]]\n"
        'binding = "CACHE"\n'
        "[[kv_namespaces]]\n"
        'binding = "OTHER"\n'
    )
    document = parse(text)

    assert document.ok
    assert document.diagnostics == []
    assert document.value == {
        "name": "api",
        "flags": [1, 2.5, True],
        "observability": {"enabled": True, "logs": {"level": "info"}},
        "vars": {"A": "x"},
        "kv_namespaces": [{"binding": "CACHE"}, {"binding": "OTHER"}],
    }


def test_parse_quoted_and_escaped_keys() -> None:
    document = parse('"$schema" = 1\n\'a.b\' = 2\n"\\u0041\\t" = 3\n"" = 4\n')

    assert document.value == {"$schema": 1, "a.b": 2, "A\t": 3, "": 4}
    assert key_position(document, "a.b") == (2, 1)
    assert key_text(document, "A\t") == '"\\u0041\\t"'
    assert key_text(document, "") == '""'


def test_parse_empty_document_is_empty_table() -> None:
    for text in ("", "\n\n", "# only a comment\n"):
        document = parse(text)
        assert document.ok
        assert document.value == {}
        assert document.diagnostics == []


def test_parse_byte_order_mark_in_text_is_ignored() -> None:
    document = parse('\ufeffname = "x"\n')

    assert document.value == {"name": "x"}
    assert key_position(document, "name") == (1, 2)


def test_parse_non_finite_floats_are_kept() -> None:
    # wrangler 4.164.0 accepts `cpu_ms = inf` and `N = nan` in vars.
    document = parse("a = inf\nb = -inf\nc = nan\n")

    assert document.value["a"] == float("inf")
    assert document.value["b"] == float("-inf")
    assert document.value["c"] != document.value["c"]


# --------------------------------------------------------------------------- dates and times

# What wrangler 4.164.0 printed for `compatibility_date = VALUE` in a wrangler.toml:
# `Expected "compatibility_date" to be of type string but got "SHOWN".`
WRANGLER_DATE_VERDICTS = [
    ("2025-09-01", datetime.date(2025, 9, 1), "2025-09-01"),
    (
        "2025-09-01T00:00:00Z",
        datetime.datetime(2025, 9, 1, tzinfo=datetime.UTC),
        "2025-09-01T00:00:00.000Z",
    ),
    ("2025-09-01T10:00:00", datetime.datetime(2025, 9, 1, 10), "2025-09-01T10:00:00.000"),
    ("10:00:00", datetime.time(10), "10:00:00.000"),
    (
        "1979-05-27 07:32:00Z",
        datetime.datetime(1979, 5, 27, 7, 32, tzinfo=datetime.UTC),
        "1979-05-27T07:32:00.000Z",
    ),
    (
        "1979-05-27T07:32:00.999999-08:00",
        datetime.datetime(
            1979, 5, 27, 7, 32, 0, 999999, tzinfo=datetime.timezone(datetime.timedelta(hours=-8))
        ),
        "1979-05-27T07:32:00.999-08:00",
    ),
]


@pytest.mark.parametrize(("toml_value", "python_value", "shown"), WRANGLER_DATE_VERDICTS)
def test_dates_become_toml_date_time(toml_value: str, python_value: object, shown: str) -> None:
    document = parse(f'name = "x"\ncompatibility_date = {toml_value}\n')
    value = document.value["compatibility_date"]

    assert document.ok
    assert isinstance(value, TomlDateTime)
    assert not isinstance(value, str)
    assert value.value == python_value
    assert str(value) == shown


def test_unquoted_compatibility_date_fails_schema_like_wrangler() -> None:
    # wrangler 4.164.0: Expected "compatibility_date" to be of type string but got "2025-09-01".
    from wrangler_docs.check.schema import check_schema

    text = 'name = "x"\nmain = "src/index.ts"\ncompatibility_date = 2025-09-01\n'
    diagnostics = check_schema(parse(text))

    assert [(d.code, d.line, d.column) for d in diagnostics] == [("WD102", 3, 22)]
    assert '"2025-09-01"' in diagnostics[0].message


def test_dates_inside_arrays_and_inline_tables_are_wrapped() -> None:
    document = parse("a = [2025-01-01, { d = 12:00:00 }]\n[[t]]\nd = 2025-02-03\n")

    assert document.value["a"][0] == TomlDateTime(datetime.date(2025, 1, 1))
    assert document.value["a"][1]["d"] == TomlDateTime(datetime.time(12))
    assert document.value["t"][0]["d"] == TomlDateTime(datetime.date(2025, 2, 3))


# --------------------------------------------------------------------------- integers


def test_unsafe_integer_is_rejected_like_wrangler() -> None:
    # wrangler 4.164.0 (smol-toml 1.9.0) reports at 3:10: "Invalid TOML document: integer
    # value cannot be represented losslessly".
    document = parse('name = "x"\n[limits]\ncpu_ms = 9007199254740993\n')
    diagnostic = only_diagnostic(document)

    assert not document.ok
    assert document.value is None
    assert diagnostic.code == "WD011"
    assert (diagnostic.line, diagnostic.column) == (3, 10)
    assert (diagnostic.end_line, diagnostic.end_column) == (3, 26)
    assert diagnostic.path == "limits.cpu_ms"
    assert "9007199254740993" in diagnostic.message


@pytest.mark.parametrize("number", [MAX_SAFE_INTEGER, -MAX_SAFE_INTEGER, 0x1F_FFFF_FFFF_FFFF])
def test_safe_integer_is_accepted(number: int) -> None:
    assert parse(f"a = {number}\n").value == {"a": number}


def test_first_unsafe_integer_in_document_order_is_reported() -> None:
    text = "a = [1, 2]\nb = { c = -9007199254740992 }\nd = 9007199254740992\n"
    diagnostic = only_diagnostic(parse(text))

    assert (diagnostic.line, diagnostic.column) == (2, 11)
    assert diagnostic.path == "b.c"


# --------------------------------------------------------------------------- positions

POSITIONS_SAMPLE = """\
name = "edge-api"
observability.enabled = true
limits = { cpu_ms = 50, "quoted key" = [1, 2] }
routes = [
  "a.example.com/*",
  { pattern = "b.example.com/*", zone_name = "example.com" },
]

[env.staging.vars]
API_URL = "https://staging.example.com"

[[d1_databases]]
binding = "DB"
database_id = "x"

[[d1_databases]]
binding = "OTHER"
"""

# (path, key line:column or None, value line:column, value text)
POSITIONS = [
    (("name",), (1, 1), (1, 8), '"edge-api"'),
    (("observability",), (2, 1), (2, 1), "observability.enabled = true"),
    (("observability", "enabled"), (2, 15), (2, 25), "true"),
    (("limits",), (3, 1), (3, 10), '{ cpu_ms = 50, "quoted key" = [1, 2] }'),
    (("limits", "cpu_ms"), (3, 12), (3, 21), "50"),
    (("limits", "quoted key"), (3, 25), (3, 40), "[1, 2]"),
    (("limits", "quoted key", 1), None, (3, 44), "2"),
    (("routes", 0), None, (5, 3), '"a.example.com/*"'),
    (("routes", 1), None, (6, 3), '{ pattern = "b.example.com/*", zone_name = "example.com" }'),
    (("routes", 1, "zone_name"), (6, 34), (6, 46), '"example.com"'),
    (("env",), (9, 2), (9, 1), '[env.staging.vars]\nAPI_URL = "https://staging.example.com"'),
    (("env", "staging"), (9, 6), (9, 1), '[env.staging.vars]\nAPI_URL = "https://staging.example.com"'),
    (("env", "staging", "vars"), (9, 14), (9, 1), '[env.staging.vars]\nAPI_URL = "https://staging.example.com"'),
    (("env", "staging", "vars", "API_URL"), (10, 1), (10, 11), '"https://staging.example.com"'),
    (("d1_databases",), (12, 3), (12, 1), '[[d1_databases]]\nbinding = "DB"\ndatabase_id = "x"\n\n[[d1_databases]]\nbinding = "OTHER"'),
    (("d1_databases", 0), None, (12, 1), '[[d1_databases]]\nbinding = "DB"\ndatabase_id = "x"'),
    (("d1_databases", 1), None, (16, 1), '[[d1_databases]]\nbinding = "OTHER"'),
    (("d1_databases", 1, "binding"), (17, 1), (17, 11), '"OTHER"'),
]  # fmt: skip


@pytest.mark.parametrize(("path", "key", "value", "text"), POSITIONS)
def test_positions_of_paths(
    path: tuple[str | int, ...], key: tuple[int, int] | None, value: tuple[int, int], text: str
) -> None:
    document = parse(POSITIONS_SAMPLE)
    span = document.spans[path]

    if key is None:
        assert span.key_start == -1
        assert span.key_end == -1
    else:
        assert key_position(document, *path) == key
    assert value_position(document, *path) == value
    assert value_text(document, *path) == text


def test_positions_every_path_present() -> None:
    document = parse(POSITIONS_SAMPLE)
    expected = {
        (),
        ("name",),
        ("observability",),
        ("observability", "enabled"),
        ("limits",),
        ("limits", "cpu_ms"),
        ("limits", "quoted key"),
        ("limits", "quoted key", 0),
        ("limits", "quoted key", 1),
        ("routes",),
        ("routes", 0),
        ("routes", 1),
        ("routes", 1, "pattern"),
        ("routes", 1, "zone_name"),
        ("env",),
        ("env", "staging"),
        ("env", "staging", "vars"),
        ("env", "staging", "vars", "API_URL"),
        ("d1_databases",),
        ("d1_databases", 0),
        ("d1_databases", 0, "binding"),
        ("d1_databases", 0, "database_id"),
        ("d1_databases", 1),
        ("d1_databases", 1, "binding"),
    }

    assert set(document.spans) == expected


def test_root_span_covers_the_file() -> None:
    document = parse(POSITIONS_SAMPLE)

    assert document.spans[()] == Span(-1, -1, 0, len(POSITIONS_SAMPLE))


def test_dotted_key_span_is_last_part() -> None:
    document = parse('a . "b c" . d = 1\n')

    assert key_text(document, "a") == "a"
    assert key_text(document, "a", "b c") == '"b c"'
    assert key_text(document, "a", "b c", "d") == "d"
    assert value_text(document, "a", "b c") == 'a . "b c" . d = 1'
    assert value_text(document, "a", "b c", "d") == "1"


def test_implicit_table_from_dotted_key_inside_table() -> None:
    document = parse("[t]\nx.y = 1\nx.z = 2\n")

    assert key_position(document, "t", "x") == (2, 1)
    assert value_text(document, "t", "x") == "x.y = 1"
    assert key_position(document, "t", "x", "z") == (3, 3)


def test_explicit_table_header_replaces_implicit_span() -> None:
    document = parse("[a.b]\nc = 1\n\n[a]\nd = 2\n")

    assert key_position(document, "a") == (4, 2)
    assert value_text(document, "a") == "[a]\nd = 2"
    assert value_text(document, "a", "b") == "[a.b]\nc = 1"


def test_table_value_ends_at_last_pair() -> None:
    document = parse("[a]\nb = 1 # trailing\n# above c\n\n[c]\n")

    assert value_text(document, "a") == "[a]\nb = 1"
    assert value_text(document, "c") == "[c]"


def test_nested_array_of_tables_indices() -> None:
    text = "[[a]]\nx = 1\n[[a.b]]\ny = 1\n[[a]]\nx = 2\n[[a.b]]\ny = 2\n[[a.b]]\ny = 3\n"
    document = parse(text)

    assert document.value == {"a": [{"x": 1, "b": [{"y": 1}]}, {"x": 2, "b": [{"y": 2}, {"y": 3}]}]}
    assert value_position(document, "a", 0, "b", 0, "y") == (4, 5)
    assert value_position(document, "a", 1, "b", 0) == (7, 1)
    assert value_position(document, "a", 1, "b", 1, "y") == (10, 5)
    assert key_position(document, "a", 1, "b") == (7, 5)


def test_sub_table_of_array_element() -> None:
    document = parse("[[a]]\nx = 1\n[a.sub]\ny = 2\n[[a]]\n[a.sub]\ny = 3\n")

    assert document.value == {"a": [{"x": 1, "sub": {"y": 2}}, {"sub": {"y": 3}}]}
    assert key_position(document, "a", 1, "sub") == (6, 4)
    assert value_position(document, "a", 1, "sub", "y") == (7, 5)


def test_positions_count_characters_not_bytes() -> None:
    text = '"välue" = "☃ 😀"\n"kéy ☃" = { "ü" = "x", b = 1 }\n'
    document = parse(text)

    assert value_position(document, "välue") == (1, 11)
    assert value_text(document, "välue") == '"☃ 😀"'
    assert key_position(document, "kéy ☃") == (2, 1)
    assert value_position(document, "kéy ☃") == (2, 11)
    assert key_position(document, "kéy ☃", "ü") == (2, 13)
    assert value_position(document, "kéy ☃", "ü") == (2, 19)
    assert key_position(document, "kéy ☃", "b") == (2, 24)
    assert value_position(document, "kéy ☃", "b") == (2, 28)


def test_positions_non_ascii_value_before_key() -> None:
    document = parse('a = ["😀😀", "é"]\nb = 1\n')

    assert value_position(document, "a", 1) == (1, 12)
    assert value_text(document, "a", 1) == '"é"'
    assert key_position(document, "b") == (2, 1)


def test_positions_count_tab_as_one_column() -> None:
    document = parse("[t]\n\ta\t=\t[\t1,\t2 ]\n")

    assert key_position(document, "t", "a") == (2, 2)
    assert value_position(document, "t", "a") == (2, 6)
    assert value_position(document, "t", "a", 1) == (2, 11)


def test_positions_in_crlf_file() -> None:
    text = '# c\r\na = 1\r\n\r\n[t]\r\nb = [\r\n  "x",\r\n]\r\n'
    document = parse(text)

    assert document.ok
    assert document.value == {"a": 1, "t": {"b": ["x"]}}
    assert key_position(document, "a") == (2, 1)
    assert value_position(document, "a") == (2, 5)
    assert value_text(document, "a") == "1"
    assert value_position(document, "t", "b", 0) == (6, 3)
    assert value_text(document, "t") == '[t]\r\nb = [\r\n  "x",\r\n]'
    assert document.descriptions == {("a",): "c"}


def test_crlf_inside_multiline_string_reads_as_newline() -> None:
    # NOTE: wrangler 4.164.0 keeps "\r\n" here (smol-toml does not normalise line breaks);
    # tomllib turns them into "\n".
    document = parse('a = """x\r\ny"""\r\n')

    assert document.value == {"a": "x\ny"}


def test_error_position_in_crlf_file() -> None:
    diagnostic = only_diagnostic(parse("a = 1\r\nb = tru\r\n"))

    assert (diagnostic.line, diagnostic.column) == (2, 5)


# --------------------------------------------------------------------------- descriptions

DESCRIBED = """\
# The Worker's config.
# Second line of the header.

# The Worker name,
# shown in the dashboard.
name = "api"
main = "src/index.ts" # not a description
## Paragraph one.
#
# Paragraph two.
compatibility_date = "2025-09-01"

# Separated by a blank line.

workers_dev = true
# Dotted key.
observability.enabled = true
crons = [
  # Every quarter hour.
  "*/15 * * * *",
  "0 * * * *", # trailing
]

# The shared variables.
[vars]
# The API's base URL.
API_URL = "https://example.com"
# Above the array-of-tables header, written inside the [vars] table.
[[kv_namespaces]]
binding = "CACHE"
id = "abc"

# Second namespace, after a blank line.
[[kv_namespaces]]
binding = "OTHER"
id = "def"
#
"""


def test_descriptions_of_keys_headers_and_elements() -> None:
    document = parse(DESCRIBED)

    assert document.ok
    assert document.descriptions == {
        (): "The Worker's config.\nSecond line of the header.",
        ("name",): "The Worker name,\nshown in the dashboard.",
        ("compatibility_date",): "Paragraph one.\n\nParagraph two.",
        ("observability", "enabled"): "Dotted key.",
        ("crons", 0): "Every quarter hour.",
        ("vars",): "The shared variables.",
        ("vars", "API_URL"): "The API's base URL.",
        ("kv_namespaces", 0): "Above the array-of-tables header, written inside the [vars] table.",
        ("kv_namespaces", 1): "Second namespace, after a blank line.",
    }


def test_description_method_returns_empty_for_undescribed() -> None:
    document = parse(DESCRIBED)

    assert document.description(["main"]) == ""
    assert document.description(["workers_dev"]) == ""
    assert document.description(["crons", 1]) == ""
    assert document.description(["kv_namespaces"]) == ""


def test_description_needs_item_on_next_line() -> None:
    document = parse("a = 0\n# far\n\nb = 1\n# near\nc = 2\n")

    assert document.descriptions == {("c",): "near"}


def test_root_description_needs_blank_line() -> None:
    assert parse("# header\nname = 1\n").descriptions == {("name",): "header"}
    assert parse("# header\n\nname = 1\n").descriptions == {(): "header"}
    assert parse("a = 1\n# not first\n\nname = 1\n").descriptions == {}


def test_description_trailing_comment_does_not_start_block() -> None:
    document = parse("a = 1 # trailing\nb = 2\n[t] # header note\nc = 3\n")

    assert document.descriptions == {}


def test_description_after_trailing_comment_line() -> None:
    document = parse("a = 1 # trailing\n# Describes b.\nb = 2\n")

    assert document.descriptions == {("b",): "Describes b."}


def test_description_empty_comment_is_not_kept() -> None:
    assert parse("#\na = 1\n").descriptions == {}


def test_description_comment_in_string_is_not_a_comment() -> None:
    document = parse('a = "# not a comment"\nb = """\n# still a string\n"""\n')

    assert document.descriptions == {}
    assert document.value["b"] == "# still a string\n"


def test_description_above_dotted_header_table() -> None:
    document = parse("# Staging variables.\n[env.staging.vars]\nA = 1\n")

    assert document.descriptions == {("env", "staging", "vars"): "Staging variables."}


# --------------------------------------------------------------------------- the default config


def test_default_config_toml_equals_jsonc() -> None:
    toml_document = read_toml_file(DEFAULT_TOML, NAME)
    jsonc_document = read_jsonc_file(REPO / "wrangler.jsonc", "wrangler.jsonc")

    assert toml_document.ok
    assert toml_document.diagnostics == []
    assert toml_document.value == jsonc_document.value


def test_default_config_toml_descriptions_equal_jsonc() -> None:
    toml_document = read_toml_file(DEFAULT_TOML, NAME)
    jsonc_document = read_jsonc_file(REPO / "wrangler.jsonc", "wrangler.jsonc")

    assert toml_document.descriptions == jsonc_document.descriptions
    assert toml_document.description(("durable_objects", "bindings", 1)) == (
        "Tag cache: when each tag and path was last revalidated, spread over shards."
    )


def test_default_config_toml_has_span_for_every_path() -> None:
    toml_document = read_toml_file(DEFAULT_TOML, NAME)
    jsonc_document = read_jsonc_file(REPO / "wrangler.jsonc", "wrangler.jsonc")

    assert set(toml_document.spans) == set(jsonc_document.spans)


DEFAULT_POSITIONS = [
    (("$schema",), (5, 1), '"node_modules/wrangler/config-schema.json"'),
    (("compatibility_flags", 1), None, '"global_fetch_strictly_public"'),
    (("observability", "enabled"), (10, 19), "true"),
    (("assets",), (13, 2), None),
    (("r2_buckets", 0), None, None),
    (("durable_objects", "bindings"), (23, 19), None),
    (("durable_objects", "bindings", 2), None, None),
    (("durable_objects", "bindings", 2, "class_name"), (33, 1), '"BucketCachePurge"'),
    (("env", "staging"), (59, 6), "[env.staging]"),
    (("env", "staging", "d1_databases", 0, "database_name"), (86, 1), '"northwind-shop-staging"'),
    (("env", "production", "routes", 0, "custom_domain"), (97, 43), "true"),
    (("env", "production", "vars", "NEXT_CACHE_DO_QUEUE_MAX_REVALIDATION"), (129, 1), '"10"'),
]


@pytest.mark.parametrize(("path", "key", "text"), DEFAULT_POSITIONS)
def test_default_config_toml_positions(
    path: tuple[str | int, ...], key: tuple[int, int] | None, text: str | None
) -> None:
    document = read_toml_file(DEFAULT_TOML, NAME)
    span = document.spans[path]

    if key is None:
        assert span.key_start == -1
    else:
        assert key_position(document, *path) == key
        assert key_text(document, *path).strip('"') == path[-1]
    if text is not None:
        assert value_text(document, *path) == text
    else:
        header = document.source.line_text(document.source.line_column(span.value_start)[0])
        assert header.startswith("[")


# --------------------------------------------------------------------------- syntax errors

# (text, code, line, column, message substring)
SYNTAX_ERRORS = [
    # Strings that are never closed: at the opening quote.
    ('name = "x\nmain = "y"\n', "WD010", 1, 8, "String is never closed"),
    ("a = 'abc", "WD010", 1, 5, "String is never closed"),
    ('a = """abc\nb = 1', "WD010", 1, 5, 'this """ has no matching """'),
    ("a = '''abc\n", "WD010", 1, 5, "this ''' has no matching '''"),
    ("a = 'abc\nb = 'c'\n", "WD010", 1, 5, "String is never closed"),
    # Values.
    ("name =\n", "WD001", 1, 7, "Missing value after '='"),
    ("a = 1\nb = \nc = 3", "WD001", 2, 5, "Missing value after '='"),
    ("name = my-worker\n", "WD001", 1, 8, "Invalid value my-worker: text values must be in quotes"),
    ("workers_dev = True\n", "WD001", 1, 15, "TOML booleans are lower case"),
    ("a = null\n", "WD001", 1, 5, "TOML has no null value"),
    ("a = [1,,2]\n", "WD001", 1, 8, "Expected a value, found ','"),
    ("a = 01\n", "WD001", 1, 5, "Invalid number 01: TOML numbers cannot start with a 0"),
    ("a = 1__0\n", "WD001", 1, 5, "Invalid number 1__0"),
    ("a = .5\n", "WD001", 1, 5, "Invalid number .5"),
    ("a = 0x\n", "WD001", 1, 5, "Invalid number 0x"),
    ("a = 2025-13-01\n", "WD001", 1, 5, "Invalid date or time 2025-13-01"),
    ("a = 2025-02-30\n", "WD001", 1, 5, "Invalid date or time 2025-02-30"),
    # Statements.
    ("a = 1 2\n", "WD001", 1, 7, 'Unexpected "2" after the value'),
    ("[a]]\n", "WD001", 1, 4, 'Unexpected "]" after the table header'),
    ('name "x"\n', "WD001", 1, 6, "Missing '=' after the key name"),
    ('name: "x"\n', "WD001", 1, 5, "Use '=' between the key name and its value, not ':'"),
    ("name\n", "WD001", 1, 5, "Missing '=' and a value after the key name"),
    ("= 1\n", "WD001", 1, 1, "Missing key before '='"),
    ("ä = 1\n", "WD001", 1, 1, "Invalid character 'ä' at the start of a key"),
    ("aä = 1\n", "WD001", 1, 2, "Invalid character 'ä' in the key aä"),
    ("[a\nb = 1\n", "WD001", 1, 3, "Missing ']' at the end of the table header"),
    ("[[a]\nb = 1\n", "WD001", 1, 4, "Missing ']]' at the end of the array-of-tables header"),
    ("[a.]\n", "WD001", 1, 4, 'Expected a key, found "]"'),
    # Brackets.
    ("a = [1, 2\nb = 1\n", "WD001", 2, 1, "Missing ',' or ']' in the array opened at 1:5"),
    ("a = { x = 1\nb = 2\n", "WD001", 1, 12, "Missing ',' or '}' in the inline table opened at 1:5"),
    ("a = [1, 2", "WD001", 1, 5, "This '[' is never closed"),
    ('compatibility_flags = ["a",\n', "WD001", 1, 23, "This '[' is never closed"),
    # Escapes and characters.
    ('a = "\\q"\n', "WD001", 1, 6, "Invalid escape sequence \\q"),
    ('a = "\\uD800"\n', "WD001", 1, 6, "\\uD800 is not a Unicode scalar value"),
    ('a = "\\u12"\n', "WD001", 1, 6, "Invalid Unicode escape"),
    ('a = "x\x01y"\n', "WD001", 1, 7, "Unexpected character U+0001 (control character) in a string"),
    ("# c\x01\na = 1\n", "WD001", 1, 4, "in a comment"),
    ('name =\xa0"x"\n', "WD001", 1, 7, "Unexpected character U+00A0 (NO-BREAK SPACE)"),
    ("a = 1\rb = 2\n", "WD001", 1, 6, "Unexpected character U+000D (carriage return)"),
    ('a = 1\n\ufeffb = 2\n', "WD001", 2, 1, "Unexpected character U+FEFF"),
    ("a = 1\x00\n", "WD001", 1, 6, "U+0000"),
    ('a = "\\\nb"\n', "WD001", 1, 6, "A backslash at the end of a line continues only"),
    ('"""\n', "WD001", 1, 1, "A multi-line string cannot be a key"),
    ("[\n", "WD001", 1, 2, "Expected a key, found"),
    ("a = [\n", "WD001", 1, 5, "This '[' is never closed"),
    ("a = [1,\n# c\n", "WD001", 1, 5, "This '[' is never closed"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "code", "line", "column", "message"), SYNTAX_ERRORS)
def test_parse_reports_syntax_error(
    text: str, code: str, line: int, column: int, message: str
) -> None:
    document = parse(text)
    diagnostic = only_diagnostic(document)

    assert not document.ok
    assert document.value is None
    assert document.spans == {}
    assert diagnostic.severity is Severity.ERROR
    assert diagnostic.code == code
    assert (diagnostic.line, diagnostic.column) == (line, column)
    assert message in diagnostic.message
    assert diagnostic.hint
    assert diagnostic.file == NAME


def test_end_of_document_error_uses_tree_sitter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A tomllib message without a plain-words form, positioned only "at end of document":
    # the start of tree-sitter's first error node is more precise.
    import tomllib

    def loads(text: str) -> object:
        raise tomllib.TOMLDecodeError("Some new problem (at end of document)")

    monkeypatch.setattr(tomllib, "loads", loads)
    diagnostic = only_diagnostic(parse("a = 1\nb = = 2\nc = 3\n"))

    assert diagnostic.code == "WD001"
    assert diagnostic.message == "Invalid TOML: Some new problem"
    # tree-sitter-toml 0.7.0 starts its error node at the first '='.
    assert (diagnostic.line, diagnostic.column) == (2, 3)


def test_import_does_not_load_tree_sitter() -> None:
    import subprocess
    import sys

    code = "import sys, wrangler_docs.read.toml; print('tree_sitter' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )

    assert result.stdout.strip() == "False"


def test_unclosed_array_relates_to_opener() -> None:
    diagnostic = only_diagnostic(parse("x = 1\na = [\n  1,\n  2\nb = 1\n"))

    assert (diagnostic.line, diagnostic.column) == (5, 1)
    assert diagnostic.related == ((NAME, 2, 5),)


# Syntax from TOML 1.1 that wrangler 4.164.0 (smol-toml 1.9.0) accepts but tomllib, a TOML
# 1.0 reader, rejects: (text, line, column, message substring).
TOML_11_SYNTAX = [
    ("o = { enabled = true,\n  rate = 1 }\n", 1, 22, "Line break inside an inline table"),
    ("o = { enabled = true, }\n", 1, 23, "Trailing comma before '}'"),
    ('name = "x\\e"\n', 1, 10, "Invalid escape sequence \\e"),
    ('name = "\\x41"\n', 1, 9, "Invalid escape sequence \\x"),
    ("[vars]\nT = 07:32\n", 2, 5, "Time without seconds: 07:32"),
    ("d = 2025-09-01T07:32Z\n", 1, 5, "Time without seconds"),
]


@pytest.mark.parametrize(("text", "line", "column", "message"), TOML_11_SYNTAX)
def test_toml_11_syntax_is_rejected_with_hint(
    text: str, line: int, column: int, message: str
) -> None:
    diagnostic = only_diagnostic(parse(text))

    assert diagnostic.code == "WD001"
    assert (diagnostic.line, diagnostic.column) == (line, column)
    assert message in diagnostic.message
    assert "TOML 1.1" in diagnostic.hint


# Verdicts of wrangler 4.164.0 (`unstable_readConfig` on each text saved as wrangler.toml):
# None means no parse error, else the line:column of smol-toml's error (1-based column).
# The last column is where wrangler-docs reports the error, when that differs.
WRANGLER_VERDICTS = [
    ("valid", 'name = "x"\n', None, None),
    ("crlf", 'name = "x"\r\n[vars]\r\nA = "1"\r\n', None, None),
    ("dotted_keys", 'name = "x"\nobservability.enabled = true\n', None, None),
    ("bom", '\ufeffname = "x"\n', None, None),
    ("empty", "", None, None),
    ("only_comments", "# nothing here\n", None, None),
    ("nan_inf", 'name = "x"\n[vars]\nN = nan\nI = -inf\n', None, None),
    ("safe_integer", 'name = "x"\n[limits]\ncpu_ms = 9007199254740991\n', None, None),
    ("duplicate_key", 'name = "x"\nname = "y"\n', (2, 1), None),
    ("duplicate_table", 'name = "x"\n[vars]\nA = "1"\n[vars]\nB = "2"\n', (4, 2), None),
    ("value_then_table", 'name = "x"\nvars = 1\n[vars]\n', (3, 2), None),
    ("inline_duplicate", "a = { x = 1, x = 2 }\n", (1, 14), None),
    ("missing_value", "name =\n", (1, 7), None),
    ("unquoted_string", "name = my-worker\n", (1, 8), None),
    ("missing_equals", 'name "x"\n', (1, 6), None),
    ("colon", 'name: "x"\n', (1, 5), None),
    ("leading_zero", "a = 01\n", (1, 5), None),
    ("capital_true", "workers_dev = True\n", (1, 15), None),
    ("nbsp", 'name =\xa0"x"\n', (1, 7), None),
    ("unsafe_integer", 'name = "x"\n[limits]\ncpu_ms = 9007199254740993\n', (3, 10), None),
    ("non_ascii_bare_key", 'name = "x"\n[vars]\nä = "1"\n', (3, 1), None),
    ("lone_cr", "a = 1\rb = 2\n", (1, 6), None),
    # wrangler points at the line break or the end of the file, wrangler-docs at the opening
    # quote or bracket.
    ("unclosed_string", 'name = "x\nmain = "y"\n', (1, 10), (1, 8)),
    ("unclosed_array", 'compatibility_flags = ["a",\n', (2, 1), (1, 23)),
    # wrangler points at the character after the backslash, wrangler-docs at the backslash.
    ("bad_escape", 'name = "x\\q"\n', (1, 11), (1, 10)),
]


@pytest.mark.parametrize(
    ("text", "wrangler_error", "ours"),
    [case[1:] for case in WRANGLER_VERDICTS],
    ids=[case[0] for case in WRANGLER_VERDICTS],
)
def test_parse_agrees_with_wrangler_verdict(
    text: str, wrangler_error: tuple[int, int] | None, ours: tuple[int, int] | None
) -> None:
    document = parse(text)
    errors = [diagnostic for diagnostic in document.diagnostics if diagnostic.is_error]

    assert document.ok is (wrangler_error is None)
    assert len(errors) == (0 if wrangler_error is None else 1)
    if errors:
        assert (errors[0].line, errors[0].column) == (ours or wrangler_error)


def test_only_first_syntax_error_is_reported() -> None:
    document = parse("a = tru\nb = \nc = [1,,]\n")

    assert [(d.code, d.line, d.column) for d in document.diagnostics] == [("WD001", 1, 5)]


# --------------------------------------------------------------------------- keys defined twice


def test_duplicate_key_is_error_at_second_key() -> None:
    text = 'name = "a"\nmain = "x"\nname = "b"\n'
    document = parse(text)
    diagnostic = only_diagnostic(document)

    assert not document.ok
    assert document.value is None
    assert diagnostic.severity is Severity.ERROR
    assert diagnostic.code == "WD012"
    assert (diagnostic.line, diagnostic.column) == (3, 1)
    assert (diagnostic.end_line, diagnostic.end_column) == (3, 5)
    assert diagnostic.message == 'Duplicate key "name": it is already defined at 1:1'
    assert diagnostic.related == ((NAME, 1, 1),)
    assert diagnostic.path == "name"


# (text, line, column, message, related line:column)
DEFINED_TWICE = [
    ("a = 1\na = 2", 2, 1, 'Duplicate key "a": it is already defined at 1:1', (1, 1)),
    ("'a' = 1\n\"a\" = 2\n", 2, 1, 'Duplicate key "a"', (1, 1)),
    ("[a]\nx = 1\n[a]\ny = 2\n", 3, 2, "Table [a] is already defined at 1:2", (1, 2)),
    ("a = 1\n[a]\n", 2, 2, "Table [a] is already defined at 1:1", (1, 1)),
    ("a.b = 1\n[a]\nc = 2\n", 2, 2, 'Table [a] is already defined at 1:1, by "a.b"', (1, 1)),
    ("a = { x = 1, x = 2 }\n", 1, 14, 'Duplicate key "a.x"', (1, 7)),
    ("a = 1\na = { x = 1 }\n", 2, 1, 'Duplicate key "a"', (1, 1)),
    ("a.b = 1\na.b.c = 2\n", 2, 1, '"a.b" is already a value, set at 1:1', (1, 1)),
    ("a = [1]\n[[a]]\n", 2, 3, "Array of tables [[a]] is already defined at 1:1", (1, 1)),
    ("[a]\nb = 1\n[[a]]\n", 3, 3, "Array of tables [[a]] is already defined at 1:2", (1, 2)),
    ("[[a]]\nx = 1\n[[a]]\nx = 2\n[a.x]\n", 5, 2, "Table [a[1].x] is already defined at 4:1", (4, 1)),
    ("a = {b = 1}\na.c = 2\n", 2, 1, '"a" is already a value, set at 1:1', (1, 1)),
    ("[t]\nb = 1\n\n[u]\nc = 2\n\n[t]\n", 7, 2, "Table [t] is already defined at 1:2", (1, 2)),
    ("[e.s.vars]\nA = 1\n[e.s.vars]\n", 3, 2, "Table [e.s.vars]", (1, 2)),
]  # fmt: skip


@pytest.mark.parametrize(("text", "line", "column", "message", "related"), DEFINED_TWICE)
def test_key_defined_twice_points_at_second(
    text: str, line: int, column: int, message: str, related: tuple[int, int]
) -> None:
    diagnostic = only_diagnostic(parse(text))

    assert diagnostic.code == "WD012"
    assert diagnostic.severity is Severity.ERROR
    assert (diagnostic.line, diagnostic.column) == (line, column)
    assert message in diagnostic.message
    assert diagnostic.related == ((NAME, *related),)
    assert "defined twice" in diagnostic.hint


def test_key_defined_twice_range_covers_dotted_key() -> None:
    diagnostic = only_diagnostic(parse("[t]\na.b = 1\na . b = 2\n"))

    assert (diagnostic.line, diagnostic.column) == (3, 1)
    assert (diagnostic.end_line, diagnostic.end_column) == (3, 6)
    assert diagnostic.path == "t.a.b"


def test_same_key_in_two_array_elements_is_allowed() -> None:
    document = parse("[[a]]\nx = 1\n[[a]]\nx = 2\n")

    assert document.ok
    assert document.value == {"a": [{"x": 1}, {"x": 2}]}


def test_key_defined_twice_in_crlf_file() -> None:
    diagnostic = only_diagnostic(parse("a = 1\r\nb = 2\r\na = 3\r\n"))

    assert (diagnostic.line, diagnostic.column) == (3, 1)
    assert diagnostic.related == ((NAME, 1, 1),)


# --------------------------------------------------------------------------- limits


def test_deep_array_nesting_is_rejected_without_recursion() -> None:
    depth = 100_000
    text = "a = " + "[" * depth + "]" * depth + "\n"

    started = time.perf_counter()
    document = parse(text)
    elapsed = time.perf_counter() - started

    diagnostic = only_diagnostic(document)
    assert diagnostic.code == "WD007"
    # The root table is level 1, so the 128th '[' opens level 129.
    assert (diagnostic.line, diagnostic.column) == (1, 4 + 128)
    assert "more than 128 levels" in diagnostic.message
    assert elapsed < 10


def test_deep_table_header_is_rejected() -> None:
    text = "[" + ".".join(["k"] * 200) + "]\n"
    diagnostic = only_diagnostic(parse(text))

    assert diagnostic.code == "WD007"
    # The 128th key part opens level 129.
    assert (diagnostic.line, diagnostic.column) == (1, 2 + 127 * 2)


def test_nesting_at_max_depth_is_accepted() -> None:
    text = "a = " + "[" * 9 + "]" * 9 + "\n"

    assert parse(text, max_depth=10).ok
    diagnostic = only_diagnostic(parse(text, max_depth=9))
    assert diagnostic.code == "WD007"
    assert diagnostic.column == 13


def test_nesting_deeper_than_python_recursion_limit() -> None:
    text = "a = " + "[" * 3000 + "]" * 3000 + "\n"

    diagnostic = only_diagnostic(parse(text, max_depth=5000))
    assert diagnostic.code == "WD007"
    assert "too deeply" in diagnostic.message


# --------------------------------------------------------------------------- files


def test_read_file_reports_missing_file(tmp_path: Path) -> None:
    document = read_toml_file(tmp_path / "wrangler.toml", NAME)
    diagnostic = only_diagnostic(document)

    assert diagnostic.code == "WD009"
    assert diagnostic.message == "wrangler.toml was not found"
    assert (diagnostic.line, diagnostic.column) == (1, 1)


def test_read_file_reports_directory(tmp_path: Path) -> None:
    diagnostic = only_diagnostic(read_toml_file(tmp_path, NAME))

    assert diagnostic.code == "WD009"
    assert "it is a directory" in diagnostic.message


def test_read_file_rejects_large_file_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "wrangler.toml"
    path.write_text('name = "x"\n' * 100)

    diagnostic = only_diagnostic(read_toml_file(path, NAME, max_bytes=100))
    assert diagnostic.code == "WD008"
    assert diagnostic.message == (
        "wrangler.toml is 1,100 bytes, larger than the limit of 100 bytes"
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_read_file_reports_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "wrangler.toml"
    path.write_text('name = "x"\n')
    path.chmod(0)

    assert only_diagnostic(read_toml_file(path, NAME)).code == "WD009"


def test_read_file_strips_utf8_bom(tmp_path: Path) -> None:
    path = tmp_path / "wrangler.toml"
    path.write_bytes(b'\xef\xbb\xbfname = "x"\n')
    document = read_toml_file(path, NAME)

    assert document.value == {"name": "x"}
    assert key_position(document, "name") == (1, 1)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (b"\xff\xfe" + 'name = "x"'.encode("utf-16-le"), "UTF-16 LE"),
        (b"\xfe\xff" + 'name = "x"'.encode("utf-16-be"), "UTF-16 BE"),
        (b"\xff\xfe\x00\x00" + 'name = "x"'.encode("utf-32-le"), "UTF-32 LE"),
    ],
)
def test_read_file_rejects_utf16_and_utf32(tmp_path: Path, data: bytes, encoding: str) -> None:
    path = tmp_path / "wrangler.toml"
    path.write_bytes(data)
    diagnostic = only_diagnostic(read_toml_file(path, NAME))

    assert diagnostic.code == "WD006"
    assert f"contains {encoding} byte order marker" in diagnostic.message


def test_read_file_reports_invalid_utf8_position(tmp_path: Path) -> None:
    path = tmp_path / "wrangler.toml"
    path.write_bytes('name = "x"\nvälue = "☃'.encode() + b"\xff" + b'"\n')
    diagnostic = only_diagnostic(read_toml_file(path, NAME))

    assert diagnostic.code == "WD006"
    assert (diagnostic.line, diagnostic.column) == (2, 11)


def test_read_file_utf16_without_bom_reports_nul(tmp_path: Path) -> None:
    path = tmp_path / "wrangler.toml"
    path.write_bytes('name = "x"\n'.encode("utf-16-le"))
    diagnostic = only_diagnostic(read_toml_file(path, NAME))

    assert diagnostic.code == "WD001"
    assert "U+0000" in diagnostic.message
    assert "UTF-16" in diagnostic.hint
