"""Tests for the compiled validity test: it must agree with jsonschema on every instance."""

from __future__ import annotations

import copy
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, examples
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from wrangler_docs.check import schema as schema_module
from wrangler_docs.check.fast_schema import Unsupported, compile_validity_check, json_equal
from wrangler_docs.check.schema import check_schema, load_schema
from wrangler_docs.read.jsonc import parse_jsonc, read_jsonc_file

sys.path.insert(0, str(REPO / "benchmarks"))

from generate_config import generate_config

SCHEMA = load_schema()
FAST = compile_validity_check(SCHEMA)
VALIDATOR = Draft202012Validator(SCHEMA)
CORPUS = [
    path
    for path in sorted((REPO / "tests" / "corpus" / "wrangler").glob("*.json*"))
    if read_jsonc_file(path, path.name).ok
]
"""The corpus configs that parse, so that the schema check runs on them."""


def jsonschema_valid(validator: Any, instance: Any) -> bool:
    return next(iter(validator.iter_errors(instance)), None) is None


def test_shipped_schema_compiles() -> None:
    assert FAST is not None


def test_repository_config_valid() -> None:
    document = read_jsonc_file(REPO / "wrangler.jsonc", "wrangler.jsonc")

    assert FAST is not None
    assert FAST(document.value) is True


@pytest.mark.parametrize(
    "schema",
    [
        {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"},
        {"$id": "https://example.com/schema", "type": "object"},
        {"properties": {"a": {"$anchor": "a"}}},
        {"prefixItems": [{"type": "string"}]},
        {"type": "array", "uniqueItems": True},
        {"type": "number", "multipleOf": 2},
        {"unevaluatedProperties": False},
        {"definitions": {"a": {"type": "string"}}},
        {"properties": {"a": {"x-unknown": 1}}},
        {"anyOf": [{"type": "string"}, {"contains": {"type": "string"}}]},
        "not a schema",
    ],
    ids=lambda schema: json.dumps(schema)[:40],
)
def test_unsupported_schema_not_compiled(schema: Any) -> None:
    assert compile_validity_check(schema) is None


@dataclass(frozen=True)
class Case:
    name: str
    schema: Any
    instance: Any


CASES = [
    Case("true is not 1 in enum", {"enum": [1, 2]}, True),
    Case("1 is not true in const", {"const": True}, 1),
    Case("nested true is not 1", {"const": [1, {"a": 0}]}, [True, {"a": False}]),
    Case("equal nested values", {"const": [1, {"a": "x"}]}, [1, {"a": "x"}]),
    Case("float with integer value is integer", {"type": "integer"}, 3.0),
    Case("float is not integer", {"type": "integer"}, 3.5),
    Case("bool is not integer", {"type": "integer"}, True),
    Case("bool is not number", {"type": ["number", "null"]}, False),
    Case("null in type list", {"type": ["number", "null"]}, None),
    Case("minimum ignores strings", {"minimum": 5}, "1"),
    Case("minimum ignores bools", {"minimum": 5}, False),
    Case("below minimum", {"minimum": 5}, 4.999),
    Case("at exclusive maximum", {"exclusiveMaximum": 5}, 5),
    Case("string length in characters", {"maxLength": 2}, "éé"),
    Case("too many items", {"maxItems": 1}, [1, 2]),
    Case("pattern searches", {"pattern": "b"}, "abc"),
    Case("pattern misses", {"pattern": "^b"}, "abc"),
    Case(
        "pattern property allows key",
        {"patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": False},
        {"x-a": "1"},
    ),
    Case(
        "pattern property checks value",
        {"patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": False},
        {"x-a": 1},
    ),
    Case(
        "additional property against schema",
        {"properties": {"a": True}, "additionalProperties": {"type": "integer"}},
        {"a": "x", "b": "y"},
    ),
    Case(
        "additional property false",
        {"properties": {"a": True}, "additionalProperties": False},
        {"b": 1},
    ),
    Case("required missing", {"required": ["a", "b"]}, {"a": 1}),
    Case("required ignores arrays", {"required": ["a"]}, [1]),
    Case("dependent key missing", {"dependentRequired": {"a": ["b"]}}, {"a": 1}),
    Case("dependent key present", {"dependentRequired": {"a": ["b"]}}, {"a": 1, "b": 2}),
    Case(
        "if then applies",
        {"if": {"required": ["a"]}, "then": {"required": ["b"]}, "else": {"required": ["c"]}},
        {"a": 1},
    ),
    Case(
        "if else applies",
        {"if": {"required": ["a"]}, "then": {"required": ["b"]}, "else": {"required": ["c"]}},
        {"c": 1},
    ),
    Case("then without if is ignored", {"then": False}, 1),
    Case("one of two match", {"oneOf": [{"type": "integer"}, {"minimum": 0}]}, 3),
    Case("one of one match", {"oneOf": [{"type": "integer"}, {"minimum": 0}]}, -3),
    Case("any of none match", {"anyOf": [{"type": "string"}, {"type": "null"}]}, 3),
    Case("not", {"not": {"required": ["a", "b"]}}, {"a": 1, "b": 2}),
    Case("false schema in items", {"items": False}, [1]),
    Case("empty array against false items", {"items": False}, []),
    Case("property names", {"propertyNames": {"maxLength": 1}}, {"ab": 1}),
    Case(
        "recursive reference",
        {
            "$defs": {"node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/node"}}}},
            "$ref": "#/$defs/node",
        },
        {"next": {"next": {"next": 1}}},
    ),
    Case("reference to the root", {"properties": {"a": {"$ref": "#"}}, "type": "object"}, {"a": 1}),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_verdict_matches_jsonschema(case: Case) -> None:
    check = compile_validity_check(case.schema)
    assert check is not None

    assert check(case.instance) is jsonschema_valid(
        Draft202012Validator(case.schema), case.instance
    )


def test_invalid_pattern_raises_unsupported_on_use() -> None:
    check = compile_validity_check({"properties": {"a": {"pattern": "("}}})
    assert check is not None

    with pytest.raises(Unsupported):
        check({"a": "x"})


@pytest.mark.parametrize(
    ("one", "two", "equal"),
    [(1, True, False), (0, False, False), (1, 1.0, True), ([1], (1,), True), ("1", 1, False)],
)
def test_json_equal_case(one: Any, two: Any, equal: bool) -> None:
    assert json_equal(one, two) is equal


@pytest.mark.parametrize("path", CORPUS, ids=lambda path: path.name)
def test_corpus_diagnostics_unchanged(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    document = read_jsonc_file(path, path.name)

    fast = check_schema(document)
    monkeypatch.setattr(schema_module, "_validity_check_for", lambda *key: None)
    slow = check_schema(document)

    assert fast == slow


# Values that matter to the schema: its enum and const values, and its property names.
def _schema_words(node: Any, keys: set[str], values: list[Any]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("properties", "patternProperties", "$defs", "dependentRequired"):
                keys.update(value)
                for item in value.values():
                    _schema_words(item, keys, values)
            elif key == "enum":
                values.extend(value)
            elif key == "const":
                values.append(value)
            elif key not in ("required", "examples", "default", "description"):
                _schema_words(value, keys, values)
    elif isinstance(node, list):
        for item in node:
            _schema_words(item, keys, values)


_KEYS: set[str] = set()
_SCHEMA_VALUES: list[Any] = []
_schema_words(SCHEMA, _KEYS, _SCHEMA_VALUES)
_SCALARS = st.one_of(
    st.sampled_from(_SCHEMA_VALUES),
    st.none(),
    st.booleans(),
    st.integers(min_value=-3, max_value=2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "x", "2025-01-01", "my-worker", "eu"]),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(sorted(_KEYS)), children, max_size=3)
    ),
    max_leaves=12,
)


_BASES = [
    read_jsonc_file(REPO / "wrangler.jsonc", "wrangler.jsonc").value,
    parse_jsonc(generate_config(3_000), "wrangler.jsonc").value,
]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    paths = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            paths.extend(_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            paths.extend(_paths(item, (*prefix, index)))
    return paths


@settings(max_examples=examples(300, ci=3000), deadline=None)
@given(st.data())
def test_mutated_config_verdict_matches_jsonschema(data: st.DataObject) -> None:
    config = copy.deepcopy(data.draw(st.sampled_from(_BASES)))
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        path = data.draw(st.sampled_from(_paths(config)[1:]))
        parent = config
        for part in path[:-1]:
            parent = parent[part]
        if isinstance(parent, dict) and data.draw(st.booleans()):
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(_VALUES)
    assert FAST is not None

    assert FAST(config) is jsonschema_valid(VALIDATOR, config)
