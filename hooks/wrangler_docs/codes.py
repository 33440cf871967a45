"""Every diagnostic code wrangler-docs can report, with its default severity and title.

Codes are stable: users search for them, silence them and link to them, so a code is never
reused for a different problem.

- WD0xx: reading wrangler.jsonc or wrangler.toml (syntax, encoding, limits)
- WD05x: reading open-next.config.ts
- WD1xx: the JSON Schema
- WD2xx: wrangler's own rules that a schema cannot express
- WD3xx: OpenNext rules
"""

from __future__ import annotations

from typing import NamedTuple

from .diagnostics import Severity


class Code(NamedTuple):
    code: str
    severity: Severity
    title: str


_E = Severity.ERROR
_W = Severity.WARNING

_ALL = [
    Code("WD001", _E, "Syntax error"),
    Code("WD002", _E, "Unterminated block comment"),
    Code("WD003", _E, "Missing comma"),
    Code("WD004", _E, "JSON5 syntax that wrangler rejects"),
    Code("WD005", _W, "Duplicate key"),
    Code("WD006", _E, "Unsupported file encoding"),
    Code("WD007", _E, "Nesting too deep"),
    Code("WD008", _E, "File too large"),
    Code("WD009", _E, "File not found or unreadable"),
    Code("WD010", _E, "Unterminated string"),
    Code("WD011", _E, "Number out of range"),
    Code("WD012", _E, "Key or table defined twice in TOML"),
    Code("WD050", _E, "open-next.config.ts syntax error"),
    Code("WD051", _W, "No OpenNext config found in open-next.config.ts"),
    Code("WD052", _W, "Override option is not a literal"),
    Code("WD053", _W, "Unknown override import"),
    Code("WD054", _E, "Invalid sharded tag cache option"),
    Code("WD055", _W, "Unknown defineCloudflareConfig option"),
    Code("WD101", _W, "Unknown key"),
    Code("WD102", _E, "Wrong type"),
    Code("WD103", _E, "Missing required key"),
    Code("WD104", _E, "Value not allowed"),
    Code("WD105", _E, "Invalid value"),
    Code("WD106", _W, "The config's own $schema could not be used"),
]

CODES: dict[str, Code] = {code.code: code for code in _ALL}
