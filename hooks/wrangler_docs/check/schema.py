"""Check a parsed wrangler config against `schemas/wrangler.schema.json`.

Each jsonschema error becomes a Diagnostic at the source position of the key or value it is
about (one per unknown or missing key), and repeats for one location are dropped. Codes: WD101 unknown key (a warning, because wrangler only warns), WD102 wrong type,
WD103 missing required key, WD104 value not in an enum, WD105 any other invalid value.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..codes import CODES
from ..diagnostics import (
    ConfigPath,
    Diagnostic,
    did_you_mean,
    format_config_path,
    sort_diagnostics,
)
from ..facts.wrangler import CONFIGURATION_DOCS_URL, TOP_LEVEL_ONLY_KEYS, VERSION
from ..read.document import ParsedDocument
from .fast_schema import Unsupported, compile_validity_check

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

from ..resources import SCHEMAS_DIR

logger = logging.getLogger(__name__)

DEFAULT_SCHEMA_PATH = SCHEMAS_DIR / "wrangler.schema.json"
"""The schema shipped with wrangler-docs: `schemas/wrangler.schema.json` in the repository."""

MAX_SHOWN_CHARS = 60
"""Maximum length, in characters, of a config value quoted in a message or hint."""

MAX_LISTED_KEYS = 12
"""Objects with at most this many allowed keys get them listed in an unknown-key hint."""

KEY_MATCH_CUTOFF = 0.75
"""difflib similarity needed before an unknown key gets a "did you mean" suggestion."""

_TYPE_NAMES = {
    "string": "a string",
    "number": "a number",
    "integer": "an integer",
    "boolean": "a boolean",
    "array": "an array",
    "object": "an object",
    "null": "null",
}


_SIZE_UNITS = {
    "minItems": "items",
    "maxItems": "items",
    "minLength": "characters",
    "maxLength": "characters",
    "minProperties": "keys",
    "maxProperties": "keys",
}


_JSON_TYPE_NAMES = {
    list: "array", str: "string", int: "number", float: "number", bool: "boolean",
    type(None): "null",
}  # fmt: skip


def schema_file_problem(path: Path) -> str:
    """Return why `path` cannot be used as a JSON Schema file, or "" when it can be."""
    if path.is_dir():
        return f"{path} is a folder, not a schema file"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return f"{path} was not found"
    except (OSError, UnicodeDecodeError) as error:
        return f"{path} could not be read: {error}"
    try:
        schema = json.loads(text)
    except json.JSONDecodeError as error:
        return f"{path} is not valid JSON: {error.msg} at {error.lineno}:{error.colno}"
    if not isinstance(schema, dict):
        kind = _JSON_TYPE_NAMES.get(type(schema), "value")
        return f"{path} contains a JSON {kind}, but a schema is a JSON object"
    return ""


def load_schema(schema_path: Path | None = None) -> dict[str, Any]:
    """Read the schema file (the repository's own by default) and return it as a dict."""
    path = schema_path if schema_path is not None else DEFAULT_SCHEMA_PATH
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


def schema_validator(schema_path: Path | None = None) -> Validator:
    """Return the validator for a schema file, built once per process per path.

    The draft is the one the schema's `$schema` names (2020-12 when it names none), so
    wrangler's own draft-07 `config-schema.json` works too. The schema is not checked
    against the metaschema here; a unit test does that once for the repository's schema.
    """
    path = schema_path if schema_path is not None else DEFAULT_SCHEMA_PATH
    return _validator_for(*_file_version(path.resolve()))


def _file_version(path: Path) -> tuple[Path, int, int]:
    """Return a cache key that changes when the schema file is edited, as under mkdocs serve."""
    try:
        stat = path.stat()
    except OSError:
        return path, 0, 0
    return path, stat.st_mtime_ns, stat.st_size


@functools.lru_cache(maxsize=8)
def _validator_for(path: Path, mtime_ns: int, size: int) -> Validator:
    from jsonschema import Draft202012Validator
    from jsonschema.validators import validator_for

    logger.debug("building the JSON Schema validator for %s", path)
    schema = load_schema(path)
    validator_class = validator_for(schema, default=Draft202012Validator)
    return validator_class(schema)


@functools.lru_cache(maxsize=8)
def _validity_check_for(path: Path, mtime_ns: int, size: int) -> Callable[[Any], bool] | None:
    """Return the compiled validity test of a schema file, or None if it cannot be compiled."""
    check = compile_validity_check(load_schema(path))
    logger.debug("fast validity test for %s: %s", path, "none" if check is None else "compiled")
    return check


def check_schema(document: ParsedDocument, schema_path: Path | None = None) -> list[Diagnostic]:
    """Validate the document's value and return diagnostics in source order.

    Returns nothing for a document that could not be parsed: the reader has reported that.
    A value that the compiled validity test accepts has no jsonschema errors, so jsonschema
    runs (and is imported) only for values with problems and for schemas the test cannot
    compile.
    """
    if not document.ok:
        return []

    path = (schema_path if schema_path is not None else DEFAULT_SCHEMA_PATH).resolve()
    try:
        fast_check = _validity_check_for(*_file_version(path))
    except (OSError, ValueError):
        fast_check = None  # schema_validator raises the same error below.
    if fast_check is not None:
        try:
            valid = fast_check(document.value)
        except Unsupported as error:
            logger.debug("fast validity test not usable for %s: %s", path, error)
            valid = False
        if valid:
            logger.debug("%s: 0 schema diagnostics", document.source.display_name)
            return []

    validator = schema_validator(schema_path)
    mapper = _ErrorMapper(document)
    diagnostics: list[Diagnostic] = []
    for error in validator.iter_errors(document.value):
        diagnostics.extend(mapper.map(error))

    logger.debug("%s: %d schema diagnostics", document.source.display_name, len(diagnostics))
    return sort_diagnostics(diagnostics)


class _ErrorMapper:
    """Turn jsonschema errors into diagnostics for one document, without repeats."""

    def __init__(self, document: ParsedDocument) -> None:
        self.document = document
        self.source = document.source
        self.reported: set[tuple[str, ConfigPath, str]] = set()

    def map(self, error: ValidationError, at: ConfigPath | None = None) -> Iterator[Diagnostic]:
        """Yield the diagnostics for one error.

        `at` overrides the position: errors picked from inside an anyOf or oneOf are reported
        at the path of the anyOf or oneOf itself.
        """
        path: ConfigPath = tuple(error.absolute_path) if at is None else at
        kind = error.validator

        if kind == "additionalProperties" and error.validator_value is False:
            yield from self._unknown_keys(error, path)
        elif kind == "type":
            yield from self._once("WD102", path, "", lambda: self._wrong_type(error, path))
        elif kind == "required":
            yield from self._missing_keys(error, path)
        elif kind == "dependentRequired":
            yield from self._missing_dependencies(error, path)
        elif kind in ("enum", "const"):
            yield from self._once("WD104", path, "", lambda: self._not_allowed(error, path))
        elif kind in ("anyOf", "oneOf"):
            yield from self._alternatives(error, path)
        else:
            yield from self._once("WD105", path, kind, lambda: self._invalid(error, path))

    # -- helpers shared by every kind ----------------------------------------------------------

    def _once(
        self, code: str, path: ConfigPath, detail: str, build: Callable[[], Diagnostic]
    ) -> Iterator[Diagnostic]:
        """Yield `build()` unless a diagnostic with the same code, path and detail was made."""
        marker = (code, path, detail)
        if marker in self.reported:
            return
        self.reported.add(marker)
        yield build()

    def _at_value(self, code: str, path: ConfigPath, message: str, hint: str) -> Diagnostic:
        start, end = self.document.value_range(path)
        return self.source.diagnostic(
            CODES[code].severity, code, message, start, end, path=path, hint=hint
        )

    def _at_object_start(self, code: str, path: ConfigPath, message: str, hint: str) -> Diagnostic:
        """Point at the object's opening brace, spanning the object when it fits on one line."""
        start, end = self.document.value_range(path)
        if "\n" in self.source.text[start:end]:
            end = start + 1
        return self.source.diagnostic(
            CODES[code].severity, code, message, start, end, path=path, hint=hint
        )

    # -- one method per kind of error ----------------------------------------------------------

    def _unknown_keys(self, error: ValidationError, path: ConfigPath) -> Iterator[Diagnostic]:
        instance = error.instance
        if not isinstance(instance, dict):
            return
        allowed = list(error.schema.get("properties", {}))
        patterns = list(error.schema.get("patternProperties", {}))
        where = format_config_path(path) or "the top level"

        for key in instance:
            if key in allowed or any(re.search(pattern, key) for pattern in patterns):
                continue
            key_path = (*path, key)
            marker = ("WD101", key_path, "")
            if marker in self.reported:
                continue
            self.reported.add(marker)

            if len(path) == 2 and path[0] == "env" and key in TOP_LEVEL_ONLY_KEYS:
                message = f'"{key}" is valid only at the top level, not in {where}'
                hint = "Move it to the top level of the file: wrangler reads it only there."
            else:
                message = f'Unknown key "{_truncate(key)}" in {_truncate(where)}'
                hint = _unknown_key_hint(key, allowed)

            start, end = self.document.key_range(key_path)
            yield self.source.diagnostic(
                CODES["WD101"].severity, "WD101", message, start, end, path=key_path, hint=hint
            )

    def _wrong_type(self, error: ValidationError, path: ConfigPath) -> Diagnostic:
        expected = _expected_types(error.validator_value)
        value_text = _show(error.instance)
        if path:
            message = f'"{_label(path)}" must be {expected}, but got {value_text}'
        else:
            message = f"The configuration must be a JSON object, but got {value_text}"
        hint = _type_hint(error.validator_value, error.instance, path)
        return self._at_value("WD102", path, message, hint)

    def _missing_keys(self, error: ValidationError, path: ConfigPath) -> Iterator[Diagnostic]:
        instance = error.instance
        if not isinstance(instance, dict):
            return
        properties = error.schema.get("properties", {})
        for key in error.validator_value:
            if key in instance:
                continue
            marker = ("WD103", path, key)
            if marker in self.reported:
                continue
            self.reported.add(marker)
            description = properties.get(key, {}).get("description", "")
            if description:
                hint = f'Add "{key}" ({_lower_first(description).rstrip(".")}).'
            else:
                hint = f'Add "{key}" to this object.'
            message = f'Missing required key "{key}"'
            yield self._at_object_start("WD103", path, message, hint)

    def _missing_dependencies(
        self, error: ValidationError, path: ConfigPath
    ) -> Iterator[Diagnostic]:
        instance = error.instance
        if not isinstance(instance, dict):
            return
        for key, needed in error.validator_value.items():
            if key not in instance:
                continue
            for other in needed:
                if other in instance:
                    continue
                marker = ("WD103", path, other)
                if marker in self.reported:
                    continue
                self.reported.add(marker)
                message = f'Missing key "{other}", which "{key}" requires'
                hint = f'Add "{other}", or remove "{key}".'
                yield self._at_object_start("WD103", path, message, hint)

    def _not_allowed(self, error: ValidationError, path: ConfigPath) -> Diagnostic:
        if error.validator == "const":
            allowed = [error.validator_value]
        else:
            allowed = list(error.validator_value)
        listed = ", ".join(_show(value) for value in allowed)
        value_text = _show(error.instance)
        if len(allowed) == 1:
            message = f'"{_label(path)}" must be {listed}, but got {value_text}'
        else:
            message = f'"{_label(path)}" must be one of {listed}, but got {value_text}'

        suggestion = _suggest_value(error.instance, allowed)
        if suggestion is not None:
            hint = f"Check the spelling: did you mean {_show(suggestion)}?"
        elif len(allowed) == 1:
            hint = f"Use {listed}."
        else:
            hint = "Use one of the listed values."
        return self._at_value("WD104", path, message, hint)

    def _alternatives(self, error: ValidationError, path: ConfigPath) -> Iterator[Diagnostic]:
        from jsonschema.exceptions import best_match

        context = list(error.context or [])
        if context and all(sub.validator == "required" for sub in context):
            names = _alternative_names(context, path)
            if names:
                listed = ", ".join(f'"{name}"' for name in names)
                yield from self._once(
                    "WD103",
                    path,
                    listed,
                    lambda: self._at_object_start(
                        "WD103", path, f"Missing one of {listed}", "Add one of these keys."
                    ),
                )
                return

        best = best_match(context)
        if best is None:
            yield from self._once("WD105", path, "", lambda: self._invalid(error, path))
            return
        yield from self.map(best, at=path)

    def _invalid(self, error: ValidationError, path: ConfigPath) -> Diagnostic:
        label = _label(path)
        value_text = _show(error.instance)
        value = error.validator_value
        kind = error.validator

        if kind == "minimum":
            message = f'"{label}" must be at least {value}, but got {value_text}'
            hint = f"Use a number of {value} or more."
        elif kind == "maximum":
            message = f'"{label}" must be at most {value}, but got {value_text}'
            hint = f"Use a number of {value} or less."
        elif kind == "exclusiveMinimum":
            message = f'"{label}" must be greater than {value}, but got {value_text}'
            hint = f"Use a number greater than {value}."
        elif kind == "exclusiveMaximum":
            message = f'"{label}" must be less than {value}, but got {value_text}'
            hint = f"Use a number less than {value}."
        elif kind in _SIZE_UNITS and kind.startswith("min"):
            unit = _SIZE_UNITS[kind]
            message = f'"{label}" must have at least {value} {unit}, but got {value_text}'
            hint = f"Give it {value} {unit} or more."
        elif kind in _SIZE_UNITS:
            unit = _SIZE_UNITS[kind]
            message = f'"{label}" must have at most {value} {unit}, but got {value_text}'
            hint = f"Give it {value} {unit} or fewer."
        elif kind == "pattern":
            message = f'"{label}" must match the pattern {value}, but got {value_text}'
            hint = "Change the value to match the pattern."
        elif kind == "uniqueItems":
            message = f'"{label}" must not contain the same item twice'
            hint = "Remove the repeated items."
        elif kind == "not" and isinstance(value, dict) and "required" in value:
            keys = " and ".join(f'"{key}"' for key in value["required"])
            message = f"{keys} cannot be used together"
            hint = "Remove one of them."
        else:
            message = f'"{label}" is invalid: {_truncate(error.message)}'
            hint = f"Compare the value with {CONFIGURATION_DOCS_URL}."
        return self._at_value("WD105", path, message, hint)


def _label(path: Sequence[str | int]) -> str:
    """Name a value by its last key and any array indices after it: `bindings[0]`."""
    for index in range(len(path) - 1, -1, -1):
        item = path[index]
        if isinstance(item, str):
            return _truncate(item + format_config_path(("_", *path[index + 1 :]))[1:])
    return _truncate(format_config_path(path)) or "the configuration"


def _truncate(text: str) -> str:
    if len(text) <= MAX_SHOWN_CHARS:
        return text
    return text[: MAX_SHOWN_CHARS - 3] + "..."


def _show(value: Any) -> str:
    """Return a value as JSON text, cut to MAX_SHOWN_CHARS."""
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return _truncate(text)


def _expected_types(types: str | list[str]) -> str:
    names = [types] if isinstance(types, str) else list(types)
    if len(names) > 1 and "null" in names:
        names.remove("null")
    return " or ".join(_TYPE_NAMES.get(name, name) for name in names)


def _type_hint(types: str | list[str], value: Any, path: ConfigPath) -> str:
    """Say how to rewrite `value` as one of `types`."""
    names = {types} if isinstance(types, str) else set(types)
    if not path:
        return 'Write the configuration as one JSON object: { "name": "my-worker", ... }.'
    if "array" in names:
        if isinstance(value, dict):
            return "Put the object in a list: [ { ... } ]."
        if isinstance(value, str):
            return f"Write a list: [{_show(value)}]."
    if "string" in names:
        if isinstance(value, (int, float, bool)):
            return f"Put the value in double quotes: {_show(json.dumps(value))}."
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
            return "Use the string on its own, without the square brackets."
    if "boolean" in names:
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return f"Write {value.lower()} without quotes."
        return "Use true or false."
    if "number" in names and isinstance(value, str):
        try:
            float(value)
        except ValueError:
            pass
        else:
            return "Remove the quotes around the number."
    if "object" in names and isinstance(value, list):
        return 'Use an object with keys and values: { "key": value }.'
    return f"Change the value to {_expected_types(types)}."


def _unknown_key_hint(key: str, allowed: Sequence[str]) -> str:
    match = did_you_mean(key, allowed, cutoff=KEY_MATCH_CUTOFF)
    if not match:
        # A key written without its unit suffix, such as "cpu" for "cpu_ms".
        extended = [name for name in allowed if name.startswith(key + "_")]
        match = extended[0] if len(extended) == 1 else ""
    if match:
        return f'Check the spelling: did you mean "{match}"?'
    if 0 < len(allowed) <= MAX_LISTED_KEYS:
        listed = ", ".join(f'"{name}"' for name in allowed)
        return f"Remove it, or use one of the keys allowed here: {listed}."
    return (
        f"Remove it, or look up the key names that wrangler {VERSION} accepts at"
        f" {CONFIGURATION_DOCS_URL}."
    )


def _suggest_value(value: Any, allowed: Sequence[Any]) -> Any | None:
    """Return the allowed string value `value` was most likely meant to be, if any."""
    if not isinstance(value, str):
        return None
    candidates = [item for item in allowed if isinstance(item, str)]
    lowered = value.lower()

    for candidate in candidates:
        if candidate.lower() == lowered:
            return candidate
    for candidate in candidates:
        initials = "".join(word[:1] for word in re.split(r"[-_\s]+", candidate) if word)
        if len(initials) > 1 and initials.lower() == lowered:
            return candidate
    if len(lowered) >= 3:
        prefixed = [item for item in candidates if item.lower().startswith(lowered)]
        if len(prefixed) == 1:
            return prefixed[0]
    return did_you_mean(value, candidates, cutoff=KEY_MATCH_CUTOFF) or None


def _alternative_names(context: Sequence[ValidationError], path: ConfigPath) -> list[str]:
    """Name the keys of `required` alternatives, e.g. `enabled` or `logs.enabled`.

    A branch that needs an object key which itself needs one key (such as
    `{"required": ["logs"], "properties": {"logs": {"required": ["enabled"]}}}`) is named by
    the inner key, `logs.enabled`.
    """
    names: list[str] = []
    for sub in context:
        relative = tuple(sub.absolute_path)[len(path) :]
        instance = sub.instance if isinstance(sub.instance, dict) else {}
        properties = sub.schema.get("properties", {})
        for key in sub.validator_value:
            if key in instance:
                continue
            inner = properties.get(key, {}).get("required", [])
            parts: tuple[str | int, ...] = (*relative, key)
            if len(inner) == 1:
                parts = (*parts, inner[0])
            name = ".".join(str(part) for part in parts)
            if name not in names:
                names.append(name)
    return names


def _lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word is an acronym such as `ID`."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]
