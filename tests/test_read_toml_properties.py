"""Property tests for reading wrangler.toml, on random documents and random edits of them.

A small TOML writer builds each document from a random value, choosing for every table how
to write it: a [table] header, [[array]] headers, dotted keys or an inline table. It also
writes random comments above statements and records which path each one describes.
"""

from __future__ import annotations

import datetime
import json
import math
import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wrangler_docs.read.toml import MAX_SAFE_INTEGER, TomlDateTime, parse_toml
from conftest import examples

NAME = "wrangler.toml"
SETTINGS = settings(max_examples=examples(200, ci=1000), deadline=None, suppress_health_check=[HealthCheck.too_slow])
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


# --------------------------------------------------------------------------- values

keys = st.one_of(
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,7}", fullmatch=True),
    st.text(max_size=6),
)
scalars = st.one_of(
    st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER),
    st.floats(allow_nan=False),
    st.booleans(),
    st.text(max_size=12),
    st.dates(min_value=datetime.date(1000, 1, 1)),
    st.times(),
    st.datetimes(min_value=datetime.datetime(1000, 1, 1)),
    st.datetimes(min_value=datetime.datetime(1000, 1, 1), timezones=st.just(datetime.UTC)),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(keys, children, max_size=4),
        # Lists of tables, which the writer may write as [[array]] headers.
        st.lists(st.dictionaries(keys, children, max_size=3), min_size=1, max_size=3),
    ),
    max_leaves=20,
)
documents = st.dictionaries(keys, values, max_size=6)
comment_texts = st.lists(
    st.from_regex(r"[ A-Za-z0-9.,;:!?'\"()#é☃-]{0,24}", fullmatch=True), min_size=1, max_size=3
)


# --------------------------------------------------------------------------- the writer


def _basic(text: str) -> str:
    """Return `text` as a TOML basic string body: JSON escapes, plus DEL, which TOML needs escaped."""
    return json.dumps(text, ensure_ascii=False)[1:-1].replace("\x7f", "\\u007f")


def _literal_allowed(text: str) -> bool:
    return (
        "'" not in text
        and not any(ord(char) < 0x20 and char != "\t" for char in text)
        and ("\x7f" not in text)
    )


def _number(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    return value.isoformat()


def _describe(lines: list[str]) -> str:
    """Return the description the reader should make from these comment lines."""
    texts = [line.strip().lstrip("#").strip() for line in lines]
    while texts and not texts[0]:
        texts.pop(0)
    while texts and not texts[-1]:
        texts.pop()
    return "\n".join(texts)


@dataclass
class _Writer:
    draw: Any
    lines: list[str] = field(default_factory=list)
    descriptions: dict[tuple[str | int, ...], str] = field(default_factory=dict)

    def comment_block(self, path: tuple[str | int, ...], indent: str = "") -> list[str]:
        """Return a comment block for the item at `path` and record its description."""
        comment = [f"{indent}#{line}" for line in self.draw(comment_texts)]
        description = _describe(comment)
        if description:
            self.descriptions[path] = description
        return comment

    def statement(self, path: tuple[str | int, ...], text: str) -> None:
        """Write one statement, maybe after a blank line or a comment block, maybe with a
        trailing comment."""
        if self.draw(st.integers(0, 4)) == 0:
            self.lines.append("")
        if self.draw(st.integers(0, 2)) == 0:
            self.lines.extend(self.comment_block(path))
        if self.draw(st.integers(0, 4)) == 0:
            text += " # trailing"
        self.lines.extend(text.split("\n"))

    def key(self, name: str) -> str:
        if _BARE_KEY.fullmatch(name) and self.draw(st.integers(0, 3)):
            return name
        if _literal_allowed(name) and self.draw(st.booleans()):
            return f"'{name}'"
        return f'"{_basic(name)}"'

    def string(self, text: str, *, one_line: bool) -> str:
        style = self.draw(st.integers(0, 3))
        if style == 1 and _literal_allowed(text):
            return f"'{text}'"
        if style == 2 and not one_line:
            # A line break right after the opening delimiter is not part of the string.
            return '"""' + self.draw(st.sampled_from(["", "\n"])) + _basic(text) + '"""'
        if style == 3 and not one_line and _literal_allowed(text):
            return f"'''{text}'''"
        return f'"{_basic(text)}"'

    def value(self, value: Any, path: tuple[str | int, ...], *, one_line: bool) -> str:
        """Return the TOML text of `value`; only a statement's own value may span lines."""
        if isinstance(value, dict):
            items = ", ".join(
                f"{self.key(key)} = {self.value(item, (*path, key), one_line=True)}"
                for key, item in value.items()
            )
            return "{ " + items + " }" if items else "{}"
        if isinstance(value, list):
            if one_line or not value or self.draw(st.integers(0, 2)):
                items = ", ".join(
                    self.value(item, (*path, index), one_line=one_line)
                    for index, item in enumerate(value)
                )
                return f"[{items}]"
            lines = ["["]
            for index, item in enumerate(value):
                if self.draw(st.integers(0, 2)) == 0:
                    lines.extend(self.comment_block((*path, index), indent="  "))
                lines.append(f"  {self.value(item, (*path, index), one_line=True)},")
            lines.append("]")
            return "\n".join(lines)
        if isinstance(value, str):
            return self.string(value, one_line=one_line)
        return _number(value)

    def table_body(
        self, header: tuple[str, ...], path: tuple[str | int, ...], table: dict[str, Any]
    ) -> None:
        later: list[tuple[str, str, Any]] = []
        for name, value in table.items():
            style = self.draw(st.integers(0, 3))
            if isinstance(value, dict) and style == 0:
                later.append(("table", name, value))
            elif (
                isinstance(value, list)
                and value
                and all(isinstance(item, dict) for item in value)
                and style <= 1
            ):
                later.append(("array", name, value))
            elif isinstance(value, dict) and value and style == 1:
                self.dotted(path, (name,), value)
            else:
                text = self.value(value, (*path, name), one_line=False)
                self.statement((*path, name), f"{self.key(name)} = {text}")
        for kind, name, value in later:
            names = (*header, name)
            dotted = ".".join(self.key(part) for part in names)
            if kind == "table":
                self.statement((*path, name), f"[{dotted}]")
                self.table_body(names, (*path, name), value)
            else:
                for index, element in enumerate(value):
                    self.statement((*path, name, index), f"[[{dotted}]]")
                    self.table_body(names, (*path, name, index), element)

    def dotted(
        self, path: tuple[str | int, ...], prefix: tuple[str, ...], table: dict[str, Any]
    ) -> None:
        for name, value in table.items():
            names = (*prefix, name)
            if isinstance(value, dict) and value and self.draw(st.booleans()):
                self.dotted(path, names, value)
            else:
                key = " . ".join(self.key(part) for part in names)
                text = self.value(value, (*path, *names), one_line=False)
                self.statement((*path, *names), f"{key} = {text}")


@dataclass(frozen=True)
class _Generated:
    text: str
    value: dict[str, Any]
    descriptions: dict[tuple[str | int, ...], str]


@st.composite
def toml_documents(draw: Any) -> _Generated:
    value = draw(documents)
    writer = _Writer(draw)
    if draw(st.booleans()):
        header = [f"# {line}" for line in draw(comment_texts)]
        writer.lines.extend([*header, ""])
        if _describe(header):
            writer.descriptions[()] = _describe(header)
    writer.table_body((), (), value)
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(writer.lines) + (newline if draw(st.booleans()) else "")
    return _Generated(text, value, writer.descriptions)


def _wrapped(value: Any) -> Any:
    """Return `value` with dates and times wrapped as the reader wraps them."""
    if isinstance(value, dict):
        return {key: _wrapped(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_wrapped(item) for item in value]
    if isinstance(value, (datetime.date, datetime.time)):
        return TomlDateTime(value)
    return value


def _paths(value: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    paths = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            paths.extend(_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            paths.extend(_paths(item, (*prefix, index)))
    return paths


def _at(value: Any, path: tuple[str | int, ...]) -> Any:
    for item in path:
        value = value[item]
    return value


# --------------------------------------------------------------------------- properties


@SETTINGS
@given(toml_documents())
def test_value_equals_generated_and_tomllib(document: _Generated) -> None:
    parsed = parse_toml(document.text, NAME)

    assert parsed.diagnostics == []
    assert parsed.ok
    assert parsed.value == _wrapped(document.value)
    assert parsed.value == _wrapped(tomllib.loads(document.text))


@SETTINGS
@given(toml_documents())
def test_every_path_has_span_at_its_tokens(document: _Generated) -> None:
    parsed = parse_toml(document.text, NAME)
    text = parsed.source.text

    for path in _paths(parsed.value):
        assert path in parsed.spans, path
        span = parsed.spans[path]
        if not path:
            continue
        if isinstance(path[-1], str):
            key_text = text[span.key_start : span.key_end]
            assert list(tomllib.loads(f"{key_text} = 1")) == [path[-1]]
        value = _at(parsed.value, path)
        value_text = text[span.value_start : span.value_end]
        if isinstance(value, dict) and value_text.startswith("["):
            continue  # a table written with a [header] or [[header]]
        if not isinstance(value, (dict, list)) or not value or span.key_start < 0:
            parsed_value = tomllib.loads(f"x = {value_text}")["x"]
            assert _wrapped(parsed_value) == value, path


@SETTINGS
@given(toml_documents())
def test_comments_above_statements_become_descriptions(document: _Generated) -> None:
    parsed = parse_toml(document.text, NAME)

    assert parsed.descriptions == document.descriptions


EDIT_CHARACTERS = st.sampled_from(
    list("=[]{}.,#\"'\\ \t\n\r0-:_aZé\x00\x7f\ufeff\xa0") + ['"""', "'''", "[[", "]]"]
)


@st.composite
def edited_documents(draw: Any) -> str:
    text = draw(toml_documents()).text
    for _ in range(draw(st.integers(1, 3))):
        position = draw(st.integers(0, len(text)))
        action = draw(st.integers(0, 2))
        if action == 0:
            text = text[:position] + draw(EDIT_CHARACTERS) + text[position:]
        elif action == 1:
            text = text[:position] + text[position + draw(st.integers(1, 5)) :]
        else:
            lines = text.split("\n")
            index = draw(st.integers(0, len(lines) - 1))
            lines.insert(index, lines[index])
            text = "\n".join(lines)
    return text


def _tomllib_verdict(text: str) -> Any:
    prepared = " " + text[1:] if text.startswith("\ufeff") else text
    try:
        return tomllib.loads(prepared)
    except tomllib.TOMLDecodeError:
        return None


@SETTINGS
@given(edited_documents())
def test_edited_document_ends_in_diagnostics(text: str) -> None:
    parsed = parse_toml(text, NAME)
    line_count = parsed.source.line_count

    for diagnostic in parsed.diagnostics:
        assert 1 <= diagnostic.line <= line_count, diagnostic
        assert 1 <= diagnostic.end_line <= line_count, diagnostic
        assert diagnostic.column >= 1
        assert diagnostic.column <= len(parsed.source.line_text(diagnostic.line)) + 2
        assert diagnostic.message
        assert diagnostic.hint
        for _, line, column in diagnostic.related:
            assert 1 <= line <= line_count
            assert column >= 1

    expected = _tomllib_verdict(text)
    errors = [diagnostic for diagnostic in parsed.diagnostics if diagnostic.is_error]
    if expected is None:
        assert not parsed.ok
        assert len(errors) == 1
    elif parsed.ok:
        assert errors == []
        assert parsed.value == _wrapped(expected)
    else:
        # Valid TOML that wrangler still rejects: an integer JavaScript cannot hold.
        assert [error.code for error in errors] == ["WD011"]
