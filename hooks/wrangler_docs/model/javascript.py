"""JavaScript's reading of config values: String(), truthiness and parseInt().

OpenNext reads vars and options in JavaScript, so the pages and rules use these to show the
value it gets, not the value Python would get.
"""

from __future__ import annotations

import math
from typing import Any


def js_string(value: Any) -> str:
    """Return JavaScript's String(value) for a value read from a config."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        return repr(value)
    if isinstance(value, list):
        return ",".join("" if item is None else js_string(item) for item in value)
    if isinstance(value, dict):
        return "[object Object]"
    return str(value)


def js_truthy(value: Any) -> bool:
    """Return whether JavaScript treats a config value as true in a condition."""
    if value is None or value is False or value == "":
        return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value == value and value != 0
    return True


def js_parse_int(value: Any) -> int | None:
    """Return JavaScript's parseInt(value), or None for NaN."""
    text = js_string(value).lstrip()
    sign = 1
    if text[:1] in ("+", "-"):
        sign = -1 if text[0] == "-" else 1
        text = text[1:]
    base, digits = 10, "0123456789"
    if text[:2] in ("0x", "0X"):
        base, digits, text = 16, "0123456789abcdefABCDEF", text[2:]
    end = 0
    while end < len(text) and text[end] in digits:
        end += 1
    if end == 0:
        return None
    return sign * int(text[:end], base)
