"""A fast validity test for JSON Schema draft 2020-12 schemas that use common keywords.

`compile_validity_check(schema)` turns a schema into a predicate that returns True exactly
when jsonschema 4's `Draft202012Validator(schema).iter_errors(instance)` yields no error. It
is a fast path only: a valid config needs no more than this test, and an invalid one still
goes through jsonschema, which produces the errors. A schema that uses anything this module
does not implement with jsonschema's exact semantics (another draft, `$id`, `$anchor`,
`prefixItems`, `uniqueItems`, `multipleOf`, `unevaluated*`, a `$ref` outside the document,
an unknown keyword...) compiles to None, and the caller uses jsonschema alone.

Each subschema becomes a closure once, when an instance first reaches it, so a check does no
keyword lookups after the first instance, and jsonschema is never imported.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

Check = Callable[[Any], bool]

DRAFT_2020_12_IDS = frozenset(
    {
        "https://json-schema.org/draft/2020-12/schema",
        "https://json-schema.org/draft/2020-12/schema#",
    }
)
"""`$schema` values that select jsonschema's Draft202012Validator (no `$schema` does too)."""

_ANNOTATIONS = frozenset(
    {
        "$comment",
        "$defs",
        "$schema",
        "default",
        "deprecated",
        "description",
        "examples",
        "readOnly",
        "title",
        "writeOnly",
        # Without a format checker, jsonschema treats `format` as an annotation.
        "format",
        # Applied only through `if`, as in jsonschema.
        "then",
        "else",
    }
)

_TYPE_NAMES = frozenset({"array", "boolean", "integer", "null", "number", "object", "string"})


class Unsupported(Exception):
    """The schema uses something this module does not implement."""


def _always(_instance: Any) -> bool:
    return True


def _never(_instance: Any) -> bool:
    return False


def _is_number_value(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_type(instance: Any, name: str) -> bool:
    """Apply jsonschema 4's draft 2020-12 type checker."""
    if name == "object":
        return isinstance(instance, dict)
    if name == "string":
        return isinstance(instance, str)
    if name == "array":
        return isinstance(instance, list)
    if name == "boolean":
        return isinstance(instance, bool)
    if name == "null":
        return instance is None
    if isinstance(instance, bool):
        return False
    if name == "integer":
        return isinstance(instance, int) or (isinstance(instance, float) and instance.is_integer())
    return isinstance(instance, numbers.Number)


def _unbool(value: Any, true: object = object(), false: object = object()) -> Any:
    if value is True:
        return true
    if value is False:
        return false
    return value


def json_equal(one: Any, two: Any) -> bool:
    """Compare like jsonschema 4's `_utils.equal`: `True` differs from `1`, even nested."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return one == two
    if isinstance(one, Sequence) and isinstance(two, Sequence):
        return len(one) == len(two) and all(json_equal(i, j) for i, j in zip(one, two))
    if isinstance(one, Mapping) and isinstance(two, Mapping):
        if len(one) != len(two):
            return False
        return all(key in two and json_equal(value, two[key]) for key, value in one.items())
    return _unbool(one) == _unbool(two)


def _compile_pattern(pattern: Any) -> re.Pattern[str]:
    if not isinstance(pattern, str):
        raise Unsupported("pattern is not a string")
    try:
        return re.compile(pattern)
    except re.error as error:
        raise Unsupported(f"pattern {pattern!r} does not compile: {error}") from None


class _Compiler:
    """Compile the subschemas of one schema document, sharing the targets of `$ref`.

    The subschemas of `properties` and the targets of `$ref` are compiled when an instance
    first reaches them, because a config uses a small part of a schema such as wrangler's.
    Compiling one of them can then raise Unsupported from inside a check.
    """

    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.references: dict[str, Check] = {}

    def compile(self, schema: Any) -> Check:
        if schema is True:
            return _always
        if schema is False:
            return _never
        if not isinstance(schema, dict):
            raise Unsupported(f"a schema must be an object or a boolean, not {schema!r}")

        checks: list[Check] = []
        for keyword, value in schema.items():
            if keyword in _ANNOTATIONS:
                continue
            build = _KEYWORDS.get(keyword)
            if build is None:
                raise Unsupported(f"keyword {keyword!r}")
            check = build(self, value, schema)
            if check is not None:
                checks.append(check)
        return _all_of(checks)

    def reference(self, ref: Any) -> Check:
        """Return a check that defers to the target of a `#/...` pointer, compiled on first use."""
        target = _resolve(self.root, ref)
        references = self.references
        if ref not in references:

            def compile_target(instance: Any) -> bool:
                references[ref] = self.compile(target)
                return references[ref](instance)

            references[ref] = compile_target
        return lambda instance: references[ref](instance)


def _resolve(root: dict[str, Any], ref: Any) -> Any:
    """Return the subschema a `#/...` JSON pointer names. Raises Unsupported otherwise."""
    if not isinstance(ref, str) or not (ref == "#" or ref.startswith("#/")):
        raise Unsupported(f"$ref {ref!r} is not a pointer into this document")
    if "~" in ref or "%" in ref:
        raise Unsupported(f"$ref {ref!r} uses escapes")
    target: Any = root
    for part in ref[2:].split("/") if ref != "#" else []:
        if not isinstance(target, dict) or part not in target:
            raise Unsupported(f"$ref {ref!r} does not resolve")
        target = target[part]
    return target


def _all_of(checks: list[Check]) -> Check:
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda instance: first(instance) and second(instance)
    frozen = tuple(checks)
    return lambda instance: all(check(instance) for check in frozen)


# -- one builder per keyword: (compiler, keyword value, whole schema) -> check or None ----------


def _type(compiler: _Compiler, value: Any, schema: dict[str, Any]) -> Check:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(name in _TYPE_NAMES for name in names):
        raise Unsupported(f"type {value!r}")
    plain = {"object": dict, "string": str, "array": list}
    if len(names) == 1 and names[0] in plain:
        python_type = plain[names[0]]
        return lambda instance: isinstance(instance, python_type)
    frozen = tuple(names)
    return lambda instance: any(_is_type(instance, name) for name in frozen)


def _enum(compiler: _Compiler, value: Any, schema: dict[str, Any]) -> Check:
    if not isinstance(value, list):
        raise Unsupported("enum is not an array")
    allowed = tuple(value)
    return lambda instance: any(json_equal(item, instance) for item in allowed)


def _const(compiler: _Compiler, value: Any, schema: dict[str, Any]) -> Check:
    return lambda instance: json_equal(instance, value)


def _properties(compiler: _Compiler, value: Any, schema: dict[str, Any]) -> Check:
    if not isinstance(value, dict):
        raise Unsupported("properties is not an object")
    compiled: dict[str, Check] = {}

    def check(instance: Any) -> bool:
        if not isinstance(instance, dict):
            return True
        for name, item in instance.items():
            property_check = compiled.get(name)
            if property_check is None:
                if name not in value:
                    continue
                property_check = compiled[name] = compiler.compile(value[name])
            if property_check is not _always and not property_check(item):
                return False
        return True

    return check


def _pattern_properties(compiler: _Compiler, value: Any, schema: dict[str, Any]) -> Check:
    if not isinstance(value, dict):
        raise Unsupported("patternProperties is not an object")
    compiled = tuple(
        (_compile_pattern(pattern).search, compiler.compile(subschema))
        for pattern, subschema in value.items()
    )

    def check(instance: Any) -> bool:
        if not isinstance(instance, dict):
            return True
        for search, pattern_check in compiled:
            for name, item in instance.items():
                if search(name) and not pattern_check(item):
                    return False
        return True

    return check


def _additional_properties(compiler: _Compiler, value: Any, schema: dict[str, Any]) -> Check:
    known = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    if not isinstance(known, dict) or not isinstance(patterns, dict):
        raise Unsupported("properties or patternProperties is not an object")
    # jsonschema joins the patterns into one alternation to find additional properties.
    search = _compile_pattern("|".join(patterns)).search if patterns else None

    def extras(instance: dict[str, Any]) -> list[str]:
        return [
            name
            for name in instance
            if name not in known and not (search is not None and search(name))
        ]

    if isinstance(value, dict):
        extra_check = compiler.compile(value)
        return lambda instance: (
            not isinstance(instance, dict)
            or all(extra_check(instance[name]) for name in extras(instance))
        )
    if value is True:
        return _always
    if value is False:
        if search is None:
            known_names = known.keys()
            return lambda instance: not isinstance(instance, dict) or instance.keys() <= known_names
        return lambda instance: not isinstance(instance, dict) or not extras(instance)
    raise Unsupported(f"additionalProperties {value!r}")


def _required(compiler: _Compiler, value: Any, schema: dict[str, Any]) -> Check:
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise Unsupported("required is not an array of strings")
    names = frozenset(value)
    return lambda instance: not isinstance(instance, dict) or instance.keys() >= names


def _dependent_required(compiler: _Compiler, value: Any, schema: dict[str, Any]) -> Check:
    if not isinstance(value, dict) or not all(
        isinstance(needed, list) and all(isinstance(name, str) for name in needed)
        for needed in value.values()
    ):
        raise Unsupported("dependentRequired is not an object of string arrays")
    pairs = tuple((key, tuple(needed)) for key, needed in value.items())
    return lambda instance: (
        not isinstance(instance, dict)
        or all(
            key not in instance or all(name in instance for name in needed) for key, needed in pairs
        )
    )


def _items(compiler: _Compiler, value: Any, schema: dict[str, Any]) -> Check:
    if "prefixItems" in schema:
        raise Unsupported("prefixItems")
    item_check = compiler.compile(value)
    if item_check is _always:
        return _always
    return lambda instance: (
        not isinstance(instance, list) or all(item_check(item) for item in instance)
    )


def _bound(compare: Callable[[Any, Any], bool]) -> Callable[[_Compiler, Any, dict], Check]:
    def build(compiler: _Compiler, value: Any, schema: dict[str, Any]) -> Check:
        if not _is_number_value(value):
            raise Unsupported(f"bound {value!r} is not a number")
        return lambda instance: not _is_type(instance, "number") or compare(instance, value)

    return build


def _size(
    python_type: type, compare: Callable[[int, int], bool]
) -> Callable[[_Compiler, Any, dict], Check]:
    def build(compiler: _Compiler, value: Any, schema: dict[str, Any]) -> Check:
        if not _is_count(value):
            raise Unsupported(f"size limit {value!r} is not a non-negative integer")
        return lambda instance: (
            not isinstance(instance, python_type) or compare(len(instance), value)
        )

    return build


def _pattern(compiler: _Compiler, value: Any, schema: dict[str, Any]) -> Check:
    search = _compile_pattern(value).search
    return lambda instance: not isinstance(instance, str) or search(instance) is not None


def _property_names(compiler: _Compiler, value: Any, schema: dict[str, Any]) -> Check:
    name_check = compiler.compile(value)
    return lambda instance: (
        not isinstance(instance, dict) or all(name_check(name) for name in instance)
    )


def _subschemas(compiler: _Compiler, value: Any) -> tuple[Check, ...]:
    if not isinstance(value, list) or not value:
        raise Unsupported("a list of subschemas is empty or not an array")
    return tuple(compiler.compile(subschema) for subschema in value)


def _all_of_keyword(compiler: _Compiler, value: Any, schema: dict[str, Any]) -> Check:
    return _all_of(list(_subschemas(compiler, value)))


def _any_of(compiler: _Compiler, value: Any, schema: dict[str, Any]) -> Check:
    checks = _subschemas(compiler, value)
    return lambda instance: any(check(instance) for check in checks)


def _one_of(compiler: _Compiler, value: Any, schema: dict[str, Any]) -> Check:
    checks = _subschemas(compiler, value)
    return lambda instance: sum(1 for check in checks if check(instance)) == 1


def _not(compiler: _Compiler, value: Any, schema: dict[str, Any]) -> Check:
    inner = compiler.compile(value)
    return lambda instance: not inner(instance)


def _if(compiler: _Compiler, value: Any, schema: dict[str, Any]) -> Check:
    condition = compiler.compile(value)
    then = compiler.compile(schema["then"]) if "then" in schema else _always
    otherwise = compiler.compile(schema["else"]) if "else" in schema else _always
    return lambda instance: then(instance) if condition(instance) else otherwise(instance)


def _ref(compiler: _Compiler, value: Any, schema: dict[str, Any]) -> Check:
    return compiler.reference(value)


_KEYWORDS: dict[str, Callable[[_Compiler, Any, dict[str, Any]], Check | None]] = {
    "type": _type,
    "enum": _enum,
    "const": _const,
    "properties": _properties,
    "patternProperties": _pattern_properties,
    "additionalProperties": _additional_properties,
    "required": _required,
    "dependentRequired": _dependent_required,
    "items": _items,
    "minimum": _bound(lambda instance, bound: not instance < bound),
    "maximum": _bound(lambda instance, bound: not instance > bound),
    "exclusiveMinimum": _bound(lambda instance, bound: not instance <= bound),
    "exclusiveMaximum": _bound(lambda instance, bound: not instance >= bound),
    "minItems": _size(list, lambda size, limit: size >= limit),
    "maxItems": _size(list, lambda size, limit: size <= limit),
    "minLength": _size(str, lambda size, limit: size >= limit),
    "maxLength": _size(str, lambda size, limit: size <= limit),
    "minProperties": _size(dict, lambda size, limit: size >= limit),
    "maxProperties": _size(dict, lambda size, limit: size <= limit),
    "pattern": _pattern,
    "propertyNames": _property_names,
    "allOf": _all_of_keyword,
    "anyOf": _any_of,
    "oneOf": _one_of,
    "not": _not,
    "if": _if,
    "$ref": _ref,
}


_SUBSCHEMA = frozenset(
    {"items", "additionalProperties", "propertyNames", "not", "if", "then", "else"}
)
_SUBSCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf"})
_SUBSCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs"})


def _check_keywords(schema: Any) -> None:
    """Raise Unsupported if any subschema uses a keyword this module does not implement.

    Only the keyword names are checked here. The values are checked when a subschema is
    compiled, which for most subschemas happens during a check.
    """
    pending = [schema]
    while pending:
        current = pending.pop()
        if isinstance(current, bool):
            continue
        if not isinstance(current, dict):
            raise Unsupported(f"a schema must be an object or a boolean, not {current!r}")
        for keyword, value in current.items():
            if keyword not in _KEYWORDS and keyword not in _ANNOTATIONS:
                raise Unsupported(f"keyword {keyword!r}")
            if keyword in _SUBSCHEMA:
                pending.append(value)
            elif keyword in _SUBSCHEMA_LISTS and isinstance(value, list):
                pending.extend(value)
            elif keyword in _SUBSCHEMA_MAPS and isinstance(value, dict):
                pending.extend(value.values())


def compile_validity_check(schema: Any) -> Check | None:
    """Return a predicate that is True exactly when jsonschema finds no error, or None.

    None means the schema is not a draft 2020-12 schema made only of the keywords above, so
    the caller must validate with jsonschema. Parts of the schema are compiled on first use,
    so the predicate raises Unsupported when such a part has a keyword value this module
    cannot check, such as a pattern Python cannot compile. The caller must then use jsonschema
    too.
    """
    if isinstance(schema, dict) and schema.get("$schema", next(iter(DRAFT_2020_12_IDS))) not in (
        DRAFT_2020_12_IDS
    ):
        return None
    try:
        _check_keywords(schema)
        return _Compiler(schema if isinstance(schema, dict) else {}).compile(schema)
    except Unsupported:
        return None
