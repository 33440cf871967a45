"""Escaping for each place a config value can land on a generated page.

Config values are text written by people, and the site is public: a value must show as the
same text on the page, never become Markdown or HTML, break a table, or end a Mermaid block.
Every filter returns `Markup`, so the page environment's default escaping skips its output.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

# Characters that Markdown, Python-Markdown's extensions or HTML give a meaning to. Each is
# written as a numeric character reference, which every Markdown processor passes through as
# the literal character.
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]()<>#+!|~&\"'=:$^-]")
_MARKDOWN_REFERENCES = {char: f"&#{ord(char)};" for char in "\\`*_{}[]()<>#+!|~&\"'=:$^-"}
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")
_MERMAID_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 _./,-")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def markdown_text(value: Any) -> Markup:
    """Escape a value for Markdown prose, a table cell or a heading, on one line."""
    text = _LINE_BREAKS.sub(" ", _text(value))
    return Markup(_MARKDOWN_SPECIAL.sub(lambda match: _MARKDOWN_REFERENCES[match.group()], text))


def markdown_lines(value: Any) -> Markup:
    """Escape a value for a table cell, keeping its line breaks as `<br>`."""
    lines = _LINE_BREAKS.split(_text(value))
    return Markup("<br>").join(markdown_text(line) for line in lines)


def inline_code(value: Any) -> Markup:
    """Escape a value as inline code. Safe inside table cells, unlike backticks."""
    text = _text(value)
    if not text:
        return Markup("")
    return Markup("<code>") + markdown_text(text) + Markup("</code>")


def mermaid_label(value: Any) -> Markup:
    """Escape a value for a quoted Mermaid label, using Mermaid's `#<decimal>;` entity codes."""
    text = _LINE_BREAKS.sub(" ", _text(value))
    escaped = "".join(char if char in _MERMAID_SAFE else f"#{ord(char)};" for char in text)
    return Markup(escaped)


def html_attribute(value: Any) -> Markup:
    """Escape a value for a double-quoted HTML attribute."""
    text = _text(value)
    return Markup(
        text.replace("&", "&amp;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )


def anchor(value: Any) -> Markup:
    """Turn a value into a lowercase HTML id made of letters, digits and dashes."""
    slug = re.sub(r"[^a-z0-9]+", "-", _text(value).lower()).strip("-")
    return Markup(slug or "item")


def code_block(value: Any, language: str = "text") -> Markup:
    """Wrap text in a fenced code block whose fence no line of the text can close."""
    text = _text(value)
    longest = max((len(run) for run in re.findall(r"`+|~+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return Markup(f"{fence}{language}\n{text}\n{fence}")


def finalize(value: Any) -> Any:
    """Escape every `{{ }}` output that no filter marked safe, for Markdown prose."""
    if isinstance(value, Markup):
        return value
    return markdown_text(value)
