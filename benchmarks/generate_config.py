"""Generate valid wrangler.jsonc files of a requested size for the benchmarks.

The config is a multi-tenant Worker: a top level with one binding of each common kind, then
one environment per tenant. Each environment repeats every binding with its own resource
names and IDs, because wrangler does not copy bindings into environments. Environments
differ in their number of KV namespaces, queues and vars, and carry `//` comments, so the
reader sees the same shapes as in a hand-written config. Output is deterministic.

Usage: python benchmarks/generate_config.py SIZE [OUTPUT]
SIZE is a byte count with an optional KB or MB suffix (1 KB = 1,000 bytes), e.g. 300KB.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

WORKER_NAME = "acme-storefront"
DURABLE_OBJECT_CLASSES = ("CartSession", "RateLimiter")
SIZES = {"3KB": 3_000, "300KB": 300_000, "3MB": 3_000_000}
"""The sizes the benchmark runs: a hand-sized config, a large one and a very large one."""

_REGIONS = ("eu", "us", "apac", "latam", "me", "af")


def _hex_id(*parts: object, length: int = 32) -> str:
    """Return a stable hexadecimal ID, shaped like a Cloudflare resource ID."""
    return hashlib.sha256(":".join(str(part) for part in parts).encode()).hexdigest()[:length]


def _uuid(*parts: object) -> str:
    text = _hex_id(*parts)
    return f"{text[:8]}-{text[8:12]}-4{text[13:16]}-8{text[17:20]}-{text[20:32]}"


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _bindings(scope: str, kv_count: int, queue_count: int) -> dict[str, object]:
    """Return the binding lists of the top level (`scope` "") or of one environment."""
    suffix = f"-{scope}" if scope else ""
    return {
        "kv_namespaces": [
            {"binding": f"KV_{index}", "id": _hex_id("kv", scope, index)}
            for index in range(kv_count)
        ],
        "r2_buckets": [
            {"binding": "ASSETS_BUCKET", "bucket_name": f"acme-assets{suffix}"},
            {"binding": "UPLOADS", "bucket_name": f"acme-uploads{suffix}", "jurisdiction": "eu"},
        ],
        "d1_databases": [
            {
                "binding": "DB",
                "database_name": f"acme-orders{suffix}",
                "database_id": _uuid("d1", scope),
                "migrations_dir": "db/migrations",
            }
        ],
        "durable_objects": {
            "bindings": [
                {"name": "CART", "class_name": "CartSession"},
                {"name": "RATE_LIMITER", "class_name": "RateLimiter"},
            ]
        },
        "services": [
            {"binding": "AUTH", "service": f"acme-auth{suffix}"},
            {"binding": "SEARCH", "service": "acme-search", "entrypoint": "SearchEntrypoint"},
        ],
        "queues": {
            "producers": [
                {"binding": f"QUEUE_{index}", "queue": f"acme-jobs-{index}{suffix}"}
                for index in range(queue_count)
            ],
            "consumers": [
                {
                    "queue": f"acme-jobs-{index}{suffix}",
                    "max_batch_size": 50,
                    "max_batch_timeout": 5,
                    "max_retries": 3,
                    "dead_letter_queue": f"acme-jobs-dlq{suffix}",
                }
                for index in range(queue_count)
            ],
        },
        "hyperdrive": [{"binding": "WAREHOUSE", "id": _hex_id("hyperdrive", scope)}],
        "analytics_engine_datasets": [{"binding": "EVENTS", "dataset": f"acme_events{suffix}"}],
    }


def _vars(scope: str, count: int) -> dict[str, str]:
    region = _REGIONS[int(_hex_id("region", scope, length=4), 16) % len(_REGIONS)]
    values = {
        "STORE_NAME": f"Acme Storefront ({scope or 'default'})",
        "DEFAULT_CURRENCY": "EUR" if region == "eu" else "USD",
        "REGION": region,
    }
    for index in range(count):
        values[f"FEATURE_FLAG_{index}"] = "on" if index % 3 else "off"
    return values


def _render_member(key: str, value: object, indent: str) -> list[str]:
    """Render one object member, one binding per line inside lists, with a trailing comma."""
    if isinstance(value, list) and value and isinstance(value[0], dict):
        lines = [f"{indent}{_json(key)}: ["]
        lines += [f"{indent}  {_json(item)}," for item in value]
        lines.append(f"{indent}],")
        return lines
    if isinstance(value, dict) and value and all(isinstance(v, list) for v in value.values()):
        lines = [f"{indent}{_json(key)}: {{"]
        for inner_key, inner_value in value.items():
            lines += _render_member(inner_key, inner_value, indent + "  ")
        lines.append(f"{indent}}},")
        return lines
    if isinstance(value, dict) and len(_json(value)) > 80:
        lines = [f"{indent}{_json(key)}: {{"]
        lines += [f"{indent}  {_json(k)}: {_json(v)}," for k, v in value.items()]
        lines.append(f"{indent}}},")
        return lines
    return [f"{indent}{_json(key)}: {_json(value)},"]


def _environment(index: int) -> tuple[str, list[str]]:
    """Return the name and rendered lines of tenant environment `index`."""
    name = f"tenant-{index:05d}"
    kv_count = 1 + index % 3
    queue_count = 1 + index % 2
    settings: dict[str, object] = {
        "routes": [{"pattern": f"{name}.shop.example.com/*", "zone_name": "example.com"}],
        **_bindings(name, kv_count, queue_count),
        "vars": _vars(name, 2 + index % 4),
    }
    lines = [
        f"    // Storefront of tenant {index}; deploys as {WORKER_NAME}-{name}.",
        f'    "{name}": {{',
    ]
    for key, value in settings.items():
        if key == "d1_databases":
            lines.append("      // Orders and carts of this tenant only.")
        lines += _render_member(key, value, "      ")
    lines.append("    },")
    return name, lines


def _top_level() -> list[str]:
    settings: dict[str, object] = {
        "name": WORKER_NAME,
        "main": "src/index.ts",
        "compatibility_date": "2025-09-15",
        "compatibility_flags": ["nodejs_compat"],
        "observability": {"enabled": True},
        "routes": [{"pattern": "shop.example.com/*", "zone_name": "example.com"}],
        "triggers": {"crons": ["*/15 * * * *"]},
        **_bindings("", 1, 1),
        "vars": _vars("", 2),
        "migrations": [{"tag": "v1", "new_sqlite_classes": list(DURABLE_OBJECT_CLASSES)}],
    }
    lines = ["// Acme Storefront: one Worker, one environment per tenant.", "{"]
    for key, value in settings.items():
        if key == "kv_namespaces":
            lines.append("  // Sessions and feature flags, one namespace per use.")
        lines += _render_member(key, value, "  ")
    return lines


def generate_config(target_bytes: int) -> str:
    """Return a valid wrangler.jsonc of about `target_bytes` bytes (UTF-8).

    Environments are added while the file stays closer to the target than without them, so
    the result is within one environment's size (about 2.5 KB) of the target.
    """
    head = _top_level()
    tail_with_env = ["  },", "}", ""]
    tail_without_env = ["}", ""]
    size = len("\n".join(head + tail_without_env).encode())
    environments: list[str] = []
    index = 0
    while True:
        _, lines = _environment(index)
        extra = len("\n".join(lines).encode()) + 1
        opening = 0 if environments else len(b'  "env": {\n') + len("  },\n")
        if abs(size + extra + opening - target_bytes) >= abs(size - target_bytes):
            break
        size += extra + opening
        environments += lines
        index += 1
    if not environments:
        return "\n".join(head + tail_without_env)
    return "\n".join(head + ['  "env": {'] + environments + tail_with_env)


def parse_size(text: str) -> int:
    """Parse `3KB`, `300KB`, `3MB` or a plain byte count (decimal units)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(KB|MB|B)?\s*", text, re.IGNORECASE)
    if match is None:
        raise ValueError(f"invalid size {text!r}: use a byte count or a number with KB or MB")
    number = float(match.group(1))
    unit = (match.group(2) or "B").upper()
    return int(number * {"B": 1, "KB": 1_000, "MB": 1_000_000}[unit])


def main(argv: list[str]) -> int:
    if not 1 <= len(argv) <= 2:
        sys.stderr.write(__doc__ or "")
        return 2
    try:
        size = parse_size(argv[0])
    except ValueError as error:
        sys.stderr.write(f"generate_config: {error}\n")
        return 2
    text = generate_config(size)
    if len(argv) == 2:
        Path(argv[1]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
