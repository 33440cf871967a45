"""Recognise vars that look like credentials, so they are neither committed nor published.

These are heuristics, not proof. The secret-in-vars rule and the pages share them, so what
the rule warns about is also what the pages refuse to show. The pages also hide a JSON var
that contains such a name or value anywhere inside it.
"""

from __future__ import annotations

import math
import re

# Word parts of a var name that mark a secret. The compounds cover names written without
# separators, such as APIKEY.
_SECRET_WORDS = frozenset(
    {
        "token", "secret", "key", "password", "passwd", "passphrase", "pwd", "credential",
        "credentials",
    }
)  # fmt: skip
# Word parts that mark a secret only as the last part: SMTP_PASS and BASIC_AUTH, but not
# PASS_THROUGH or AUTH_PROVIDER.
_SECRET_LAST_WORDS = frozenset({"pass", "auth"})
_SECRET_COMPOUNDS = frozenset(
    {"apikey", "secretkey", "accesskey", "privatekey", "authtoken", "accesstoken", "apitoken"}
)
# Word parts that make a key public: Stripe's publishable key, a Turnstile site key.
_PUBLIC_WORDS = frozenset({"public", "publishable", "pub"})
# A last word part that makes the var describe a secret rather than hold one:
# TOKEN_TTL, API_KEY_HEADER, SECRET_NAME, KEY_ID, MAX_TOKEN_LIMIT.
_METADATA_WORDS = frozenset(
    {
        "prefix", "suffix", "ttl", "header", "name", "names", "id", "ids", "length", "len",
        "size", "url", "uri", "endpoint", "path", "file", "type", "version", "expiry",
        "expires", "expiration", "lifetime", "timeout", "count", "limit", "max", "min",
        "enabled", "field", "param", "algorithm", "alg", "format", "kind", "mode", "issuer",
        "audience", "scope", "scopes", "domain", "host", "region", "days", "hours", "minutes",
        "seconds", "ms", "age", "duration", "location", "binding", "store", "label",
    }
)  # fmt: skip

# Values that are credentials by their form, with what they are. Each pattern needs the
# characters that follow the vendor's prefix, so that a bare prefix does not match.
_CREDENTIAL_PATTERNS = (
    (re.compile(r"\bsk_live_[0-9A-Za-z]{10,}"), "a Stripe secret key"),
    (re.compile(r"\bsk_test_[0-9A-Za-z]{10,}"), "a Stripe test secret key"),
    (re.compile(r"\brk_(?:live|test)_[0-9A-Za-z]{10,}"), "a Stripe restricted key"),
    (re.compile(r"\bgh[pousr]_[0-9A-Za-z]{30,}"), "a GitHub token"),
    (re.compile(r"\bgithub_pat_[0-9A-Za-z_]{30,}"), "a GitHub fine-grained token"),
    (re.compile(r"\bglpat-[0-9A-Za-z_-]{20,}"), "a GitLab access token"),
    (re.compile(r"\bxox[abprs]-[0-9A-Za-z-]{10,}"), "a Slack token"),
    (re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"), "an AWS access key ID"),
    (re.compile(r"\bAIza[0-9A-Za-z_-]{35}"), "a Google API key"),
    (re.compile(r"\bsk-ant-[0-9A-Za-z_-]{20,}"), "an Anthropic API key"),
    (re.compile(r"\bsk-(?:proj-)?[0-9A-Za-z_-]{20,}"), "an OpenAI API key"),
    (re.compile(r"\bnpm_[0-9A-Za-z]{30,}"), "an npm token"),
    (re.compile(r"\bSG\.[0-9A-Za-z_-]{16,}\.[0-9A-Za-z_-]{16,}"), "a SendGrid API key"),
    (re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"), "a private key"),
    (
        re.compile(r"\beyJ[0-9A-Za-z_-]{5,}\.eyJ[0-9A-Za-z_-]{5,}\.[0-9A-Za-z_-]*"),
        "a JSON Web Token",
    ),
    (re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@"), "a URL with a password"),
    (re.compile(r"\bBearer\s+[0-9A-Za-z._~+/=-]{16,}"), "a bearer token"),
    (
        re.compile(r"\bhooks\.slack\.com/(?:services|workflows)/[0-9A-Za-z/_-]{20,}"),
        "a Slack webhook URL",
    ),
    (
        re.compile(r"\bdiscord(?:app)?\.com/api/webhooks/\d+/[0-9A-Za-z_-]{20,}"),
        "a Discord webhook URL",
    ),
)

# Thresholds for a random-looking value, measured over 10,000 strings each (Python's random,
# seed 1). 24 random base62 or base64 characters average 4.24 bits of Shannon entropy per
# character, and 1% of them fall below 3.9. 32 characters average 4.55. 24 to 40 random hex
# characters stay below 3.97, and hex IDs and UUIDs also lack the capitals the check requires.
# Values with spaces, ":" or a file extension are never counted.
MIN_RANDOM_SECRET_LENGTH = 24
MIN_RANDOM_SECRET_ENTROPY = 4.0
_TOKEN_ALPHABET = re.compile(r"^[A-Za-z0-9+/=_.~-]+$")
_FILE_EXTENSION = re.compile(r"\.[A-Za-z]{1,5}$")


def _name_words(name: str) -> list[str]:
    """Split a var name into lower-case word parts: "apiKey" and "API_KEY" give api, key."""
    return [part.lower() for part in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", name)]


def secret_name_word(name: str) -> str:
    """Return the word part that makes `name` look like a secret's name, or ""."""
    words = _name_words(name)
    if not words or words[-1] in _METADATA_WORDS or _PUBLIC_WORDS.intersection(words):
        return ""
    for index, word in enumerate(words):
        if word == "key" and index > 0 and words[index - 1] == "site":
            continue  # A Turnstile or reCAPTCHA site key is public.
        if word in _SECRET_WORDS or word in _SECRET_COMPOUNDS:
            return word
    if words[-1] in _SECRET_LAST_WORDS:
        return words[-1]
    return ""


def shannon_entropy(text: str) -> float:
    """Return the Shannon entropy of `text`'s characters, in bits per character."""
    if not text:
        return 0.0
    counts: dict[str, int] = {}
    for char in text:
        counts[char] = counts.get(char, 0) + 1
    total = len(text)
    return -sum(count / total * math.log2(count / total) for count in counts.values())


def mask_credentials(text: str, mask: str) -> str:
    """Return `text` with every run that has a credential's form (a vendor token, a key, a
    URL with a password) replaced by as many `mask` characters, so offsets stay valid."""
    for pattern, _kind in _CREDENTIAL_PATTERNS:
        if pattern.search(text):
            text = pattern.sub(lambda match: mask * len(match.group()), text)
    return text


def credential_kind(value: str) -> str:
    """Return what a value looks like when it looks like a credential, or ""."""
    for pattern, kind in _CREDENTIAL_PATTERNS:
        if pattern.search(value):
            return kind
    text = value.strip()
    if len(text) < MIN_RANDOM_SECRET_LENGTH or not _TOKEN_ALPHABET.match(text):
        return ""
    if _FILE_EXTENSION.search(text):
        return ""
    mixed = (
        any(char.islower() for char in text)
        and any(char.isupper() for char in text)
        and any(char.isdigit() for char in text)
    )
    if mixed and shannon_entropy(text) >= MIN_RANDOM_SECRET_ENTROPY:
        return "a random key or token"
    return ""


def looks_like_credential(name: str, value: object) -> bool:
    """Return True when a var's name or value looks like a credential."""
    if secret_name_word(name):
        return True
    pending: list[object] = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str) and credential_kind(item):
            return True
        if isinstance(item, dict):
            if any(isinstance(key, str) and secret_name_word(key) for key in item):
                return True
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False
