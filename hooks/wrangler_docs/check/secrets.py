"""Recognise values that look like credentials, so they are never published or committed.

Heuristics, not proof: a name containing TOKEN, SECRET, KEY or PASSWORD as a word part, a
value with a known token prefix, or long random-looking text. Both the secret-in-vars rule
and the pages use this one function, so what the rule warns about is also what the pages
refuse to show.
"""

from __future__ import annotations

import math
import re
from collections import Counter

_NAME_WORDS = ("TOKEN", "SECRET", "KEY", "PASSWORD", "PASSWD", "CREDENTIAL", "PRIVATE")
_NAME_PART = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")

TOKEN_PREFIXES = (
    "sk_live_", "sk_test_", "rk_live_", "pk_live_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_",
    "github_pat_", "glpat-", "xoxb-", "xoxp-", "xoxa-", "xapp-", "AKIA", "ASIA", "AIza",
    "ya29.", "eyJ", "-----BEGIN", "SG.", "npm_", "pypi-", "hf_", "sk-", "shpat_", "dop_v1_",
)  # fmt: skip
"""Prefixes of well-known API keys and tokens (Stripe, GitHub, GitLab, Slack, AWS, Google,
JWTs, PEM keys, SendGrid, npm, PyPI, Hugging Face, OpenAI-style, Shopify, DigitalOcean)."""

MIN_RANDOM_LENGTH = 24
MIN_ENTROPY_BITS = 4.0
"""Shannon entropy per character above which a long value counts as random. English text
and URLs score about 3.5 to 4.2, so the value must also mix letter cases and digits."""


def name_parts(name: str) -> list[str]:
    """Split `API_KEY`, `apiKey` or `api-key` into upper-case word parts."""
    parts: list[str] = []
    for chunk in re.split(r"[^A-Za-z0-9]+", name):
        parts.extend(part.upper() for part in _NAME_PART.findall(chunk))
    return parts


def credential_name(name: str) -> bool:
    """Return True when a variable name marks a credential (`API_KEY`, `dbPassword`)."""
    return any(part in _NAME_WORDS for part in name_parts(name))


def _entropy(text: str) -> float:
    counts = Counter(text)
    total = len(text)
    return -sum(count / total * math.log2(count / total) for count in counts.values())


def credential_value(value: object) -> str:
    """Return why a value looks like a credential, or "" when it does not."""
    if not isinstance(value, str):
        return ""
    text = value.strip()
    for prefix in TOKEN_PREFIXES:
        if text.startswith(prefix) and len(text) >= len(prefix) + 8:
            return f"it starts with {prefix!r}, the prefix of a known token format"
    if len(text) >= MIN_RANDOM_LENGTH and " " not in text:
        mixed = (
            any(char.islower() for char in text)
            + any(char.isupper() for char in text)
            + any(char.isdigit() for char in text)
        )
        if mixed >= 2 and _entropy(text) >= MIN_ENTROPY_BITS and "://" not in text:
            return "it is long random-looking text"
    return ""


def looks_like_credential(name: str, value: object) -> bool:
    return credential_name(name) or bool(credential_value(value))
