"""Property tests for reading wrangler.jsonc: round trips with comments, and robustness."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wrangler_docs.read.document import ParsedDocument
from wrangler_docs.read.jsonc import decode_config_bytes, parse_jsonc
from conftest import examples

NAME = "wrangler.jsonc"
PROPERTY_SETTINGS = settings(
    max_examples=examples(200, ci=2000), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=25,
)

# Comment text may contain anything that looks like JSON or like another comment, except what
# would end the comment early.
comment_text = st.text(alphabet=st.sampled_from(list(" ab/*\"',:{}[]\\é☃\t")), max_size=12)


class _Writer:
    """A JSONC writer with random layout that records where each value and key went."""

    def __init__(self, data: st.DataObject) -> None:
        self.data = data
        self.parts: list[str] = []
        self.length = 0
        self.spans: dict[tuple[str | int, ...], tuple[int, int, int, int]] = {}
        self.ensure_ascii = data.draw(st.booleans())

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def gap(self) -> None:
        """Write what may stand between two tokens: nothing, spaces or a comment."""
        kind = self.data.draw(st.sampled_from(["", " ", "\n  ", "\t", "\r\n", "line", "block"]))
        if kind == "line":
            text = self.data.draw(comment_text)
            self.write(f" //{text}\n")
        elif kind == "block":
            text = self.data.draw(comment_text).replace("*/", "* /")
            self.write(f"/*{text}*/")
        else:
            self.write(kind)

    def value(self, value: Any, path: tuple[str | int, ...], key: tuple[int, int]) -> None:
        start = self.length
        if isinstance(value, dict):
            self.members(value, path)
        elif isinstance(value, list):
            self.elements(value, path)
        else:
            self.write(json.dumps(value, ensure_ascii=self.ensure_ascii))
        self.spans[path] = (key[0], key[1], start, self.length)

    def members(self, value: dict[str, Any], path: tuple[str | int, ...]) -> None:
        self.write("{")
        for index, (key, item) in enumerate(value.items()):
            self.gap()
            key_start = self.length
            self.write(json.dumps(key, ensure_ascii=self.ensure_ascii))
            key_end = self.length
            self.gap()
            self.write(":")
            self.gap()
            self.value(item, path + (key,), (key_start, key_end))
            self.gap()
            self.separator(index, len(value))
        self.gap()
        self.write("}")

    def elements(self, value: list[Any], path: tuple[str | int, ...]) -> None:
        self.write("[")
        for index, item in enumerate(value):
            self.gap()
            self.value(item, path + (index,), (-1, -1))
            self.gap()
            self.separator(index, len(value))
        self.gap()
        self.write("]")

    def separator(self, index: int, count: int) -> None:
        if index < count - 1 or self.data.draw(st.booleans()):
            self.write(",")

    def text(self) -> str:
        return "".join(self.parts)


def _check_invariants(document: ParsedDocument) -> None:
    """Assert the invariants of every parsed document, valid or not."""
    line_count = document.source.line_count
    for diagnostic in document.diagnostics:
        assert 1 <= diagnostic.line <= line_count, diagnostic
        assert diagnostic.column >= 1, diagnostic
        assert diagnostic.code.startswith("WD"), diagnostic
        assert diagnostic.message, diagnostic
    errors = [diagnostic for diagnostic in document.diagnostics if diagnostic.is_error]
    assert document.ok is (not errors)
    if not document.ok:
        assert len(errors) == 1
        assert document.value is None
    length = len(document.source.text)
    for span in document.spans.values():
        assert 0 <= span.value_start < span.value_end <= length
        if span.key_start >= 0:
            assert span.key_start < span.key_end <= span.value_start
        else:
            assert span.key_end == -1


@PROPERTY_SETTINGS
@given(value=json_values, data=st.data())
def test_round_trip_with_comments(value: Any, data: st.DataObject) -> None:
    writer = _Writer(data)
    writer.gap()
    writer.value(value, (), (-1, -1))
    writer.gap()
    text = writer.text()

    document = parse_jsonc(text, NAME)

    assert document.diagnostics == []
    assert document.value == value
    assert set(document.spans) == set(writer.spans)
    for path, (key_start, key_end, value_start, value_end) in writer.spans.items():
        span = document.spans[path]
        assert (span.key_start, span.key_end) == (key_start, key_end), path
        assert (span.value_start, span.value_end) == (value_start, value_end), path


# The leading `//`, `/*` and `*` of a comment are delimiters, so text for a description does
# not start with a slash or a star (the cleaning of those is tested with examples).
description_text = comment_text.map(lambda text: text.replace("*/", "* /")).filter(
    lambda text: text.strip()[:1] not in ("/", "*")
)


@PROPERTY_SETTINGS
@given(
    members=st.lists(
        st.tuples(st.text(alphabet="abcdefgh_", min_size=1, max_size=6), description_text),
        max_size=6,
        unique_by=lambda member: member[0],
    ),
    style=st.sampled_from(["line", "block"]),
)
def test_comment_above_member_becomes_description(
    members: list[tuple[str, str]], style: str
) -> None:
    lines = ["{"]
    for key, comment in members:
        lines.append(f"  // {comment}" if style == "line" else f"  /* {comment} */")
        lines.append(f'  "{key}": 1,')
    lines.append("}")

    document = parse_jsonc("\n".join(lines), NAME)

    expected = {(key,): comment.strip() for key, comment in members if comment.strip()}
    assert document.descriptions == expected


@PROPERTY_SETTINGS
@given(text=st.text(max_size=200))
def test_arbitrary_text_never_raises(text: str) -> None:
    _check_invariants(parse_jsonc(text, NAME))


json_like_text = st.text(
    alphabet=st.sampled_from(list("{}[]:,\"'/*\\ \t\r\nabtrueflsn0123456789.-+eExX\u00a0é")),
    max_size=120,
)


@PROPERTY_SETTINGS
@given(text=json_like_text)
def test_json_like_text_never_raises(text: str) -> None:
    _check_invariants(parse_jsonc(text, NAME))


BASE_CONFIG = """\
/* Worker */
{
  "name": "edge-api", // the Worker's name
  "main": ".open-next/worker.js",
  "compatibility_flags": ["nodejs_compat", "global_fetch_strictly_public"],
  "routes": [
    // every path under the zone
    { "pattern": "example.com/*", "zone_name": "example.com" },
  ],
  "triggers": { "crons": ["*/15 * * * *"] },
  "vars": { "DOCS_URL": "https://example.com/docs", "RATE": 0.5, "ON": true },
  "durable_objects": {
    "bindings": [
      { "name": "NEXT_CACHE_DO_QUEUE", "class_name": "DOQueueHandler" },
    ],
  },
  "migrations": [{ "tag": "v1", "new_sqlite_classes": ["DOQueueHandler"] }],
}
"""


@st.composite
def mutated_configs(draw: st.DrawFn) -> str:
    """Return BASE_CONFIG with characters deleted, inserted or swapped, or truncated."""
    text = BASE_CONFIG
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(st.sampled_from(["delete", "insert", "swap", "truncate"]))
        if not text:
            break
        position = draw(st.integers(min_value=0, max_value=len(text) - 1))
        if kind == "delete":
            length = draw(st.integers(min_value=1, max_value=8))
            text = text[:position] + text[position + length :]
        elif kind == "insert":
            insertion = draw(json_like_text.filter(bool))
            text = text[:position] + insertion[:4] + text[position:]
        elif kind == "swap":
            other = draw(st.integers(min_value=0, max_value=len(text) - 1))
            first, second = sorted((position, other))
            length = draw(st.integers(min_value=1, max_value=6))
            if first + length <= second:
                text = (
                    text[:first]
                    + text[second : second + length]
                    + text[first + length : second]
                    + text[first : first + length]
                    + text[second + length :]
                )
        else:
            text = text[:position]
    return text


def test_base_config_is_valid() -> None:
    document = parse_jsonc(BASE_CONFIG, NAME)

    assert document.ok
    assert document.diagnostics == []


@PROPERTY_SETTINGS
@given(text=mutated_configs())
def test_mutated_config_never_raises(text: str) -> None:
    _check_invariants(parse_jsonc(text, NAME))


@PROPERTY_SETTINGS
@given(data=st.binary(max_size=200) | mutated_configs().map(lambda text: text.encode()[:-3]))
def test_random_bytes_never_raise(data: bytes) -> None:
    text, diagnostics = decode_config_bytes(data, NAME)

    if text is None:
        assert len(diagnostics) == 1
        assert diagnostics[0].code == "WD006"
        assert diagnostics[0].line >= 1
        assert diagnostics[0].column >= 1
        return
    assert diagnostics == []
    _check_invariants(parse_jsonc(text, NAME))
