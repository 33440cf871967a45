"""Tests for the JSON Schema of wrangler.jsonc and the mapping of its errors to diagnostics."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from wrangler_docs.check.schema import (
    DEFAULT_SCHEMA_PATH,
    check_schema,
    load_schema,
    schema_validator,
)
from wrangler_docs.diagnostics import Diagnostic, Severity
from wrangler_docs.facts.wrangler import (
    BINDING_KINDS,
    INHERITABLE_KEYS,
    NOT_INHERITABLE_KEYS,
    TOP_LEVEL_ONLY_KEYS,
    BindingKind,
)
from wrangler_docs.project import load_project
from wrangler_docs.read.jsonc import parse_jsonc


def lines(*rows: str) -> str:
    """Join rows into a file text, so that row N of the call is line N of the file."""
    return "\n".join(rows) + "\n"


def check(text: str) -> list[Diagnostic]:
    document = parse_jsonc(text, "wrangler.jsonc")
    assert document.ok, [d.headline() for d in document.diagnostics]
    return check_schema(document)


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    code: str
    line: int
    column: int
    path: str
    message: str
    hint: str = ""


CASES = [
    Case(
        "unknown top-level key",
        lines(
            "{",
            '  "name": "app",',
            '  "compat_date": "2025-04-01"',
            "}",
        ),
        "WD101", 3, 3, "compat_date",
        'Unknown key "compat_date" in the top level',
        'did you mean "compatibility_date"?',
    ),
    Case(
        "unknown key in Durable Object binding",
        lines(
            "{",
            '  "durable_objects": {',
            '    "bindings": [',
            '      { "name": "QUEUE", "class_name": "DOQueueHandler", "remote": true }',
            "    ]",
            "  }",
            "}",
        ),
        "WD101", 4, 58, "durable_objects.bindings[0].remote",
        'Unknown key "remote" in durable_objects.bindings[0]',
        '"name", "class_name", "script_name", "environment"',
    ),
    Case(
        "misspelled key in Durable Object binding",
        lines(
            "{",
            '  "durable_objects": {',
            '    "bindings": [',
            '      { "name": "QUEUE", "class_name": "Q", "scriptname": "other" }',
            "    ]",
            "  }",
            "}",
        ),
        "WD101", 4, 45, "durable_objects.bindings[0].scriptname",
        'Unknown key "scriptname"',
        'did you mean "script_name"?',
    ),
    Case(
        "class_name is a number",
        lines(
            "{",
            '  "durable_objects": {',
            '    "bindings": [',
            '      { "name": "QUEUE", "class_name": 42 }',
            "    ]",
            "  }",
            "}",
        ),
        "WD102", 4, 40, "durable_objects.bindings[0].class_name",
        '"class_name" must be a string, but got 42',
        'Put the value in double quotes: "42".',
    ),
    Case(
        "class_name missing",
        lines(
            "{",
            '  "durable_objects": {',
            '    "bindings": [',
            '      { "name": "QUEUE" }',
            "    ]",
            "  }",
            "}",
        ),
        "WD103", 4, 7, "durable_objects.bindings[0]",
        'Missing required key "class_name"',
        'Add "class_name"',
    ),
    Case(
        "not_found_handling spa",
        lines(
            "{",
            '  "assets": { "directory": "dist", "not_found_handling": "spa" }',
            "}",
        ),
        "WD104", 2, 58, "assets.not_found_handling",
        '"not_found_handling" must be one of "single-page-application", "404-page", "none",'
        ' but got "spa"',
        'did you mean "single-page-application"?',
    ),
    Case(
        "html_handling prefix",
        lines(
            "{",
            '  "assets": { "html_handling": "auto" }',
            "}",
        ),
        "WD104", 2, 32, "assets.html_handling",
        'but got "auto"',
        'did you mean "auto-trailing-slash"?',
    ),
    Case(
        "unknown key in env.staging",
        lines(
            "{",
            '  "env": {',
            '    "staging": {',
            '      "nmae": "app-staging"',
            "    }",
            "  }",
            "}",
        ),
        "WD101", 4, 7, "env.staging.nmae",
        'Unknown key "nmae" in env.staging',
        'did you mean "name"?',
    ),
    Case(
        "top-level-only key in env.staging",
        lines(
            "{",
            '  "env": {',
            '    "staging": {',
            '      "keep_vars": true',
            "    }",
            "  }",
            "}",
        ),
        "WD101", 4, 7, "env.staging.keep_vars",
        '"keep_vars" is valid only at the top level, not in env.staging',
        "Move it to the top level",
    ),
    Case(
        "r2_buckets is an object",
        lines(
            "{",
            '  "r2_buckets": { "binding": "CACHE", "bucket_name": "cache" }',
            "}",
        ),
        "WD102", 2, 17, "r2_buckets",
        '"r2_buckets" must be an array, but got {"binding": "CACHE", "bucket_name": "cache"}',
        "Put the object in a list",
    ),
    Case(
        "r2_buckets wrong type in env",
        lines(
            "{",
            '  "env": { "staging": { "r2_buckets": { "binding": "CACHE" } } }',
            "}",
        ),
        "WD102", 2, 39, "env.staging.r2_buckets",
        '"r2_buckets" must be an array',
    ),
    Case(
        "workers_dev quoted",
        lines(
            "{",
            '  "workers_dev": "true"',
            "}",
        ),
        "WD102", 2, 18, "workers_dev",
        '"workers_dev" must be a boolean, but got "true"',
        "Write true without quotes.",
    ),
    Case(
        "compatibility_flags is a string",
        lines(
            "{",
            '  "compatibility_flags": "nodejs_compat"',
            "}",
        ),
        "WD102", 2, 26, "compatibility_flags",
        '"compatibility_flags" must be an array, but got "nodejs_compat"',
        'Write a list: ["nodejs_compat"].',
    ),
    Case(
        "migration without tag",
        lines(
            "{",
            '  "migrations": [',
            '    { "new_sqlite_classes": ["DOQueueHandler"] }',
            "  ]",
            "}",
        ),
        "WD103", 3, 5, "migrations[0]",
        'Missing required key "tag"',
    ),
    Case(
        "renamed class without to",
        lines(
            "{",
            '  "migrations": [',
            '    { "tag": "v2", "renamed_classes": [{ "from": "Old" }] }',
            "  ]",
            "}",
        ),
        "WD103", 3, 40, "migrations[0].renamed_classes[0]",
        'Missing required key "to"',
    ),
    Case(
        "service binding without service",
        lines(
            "{",
            '  "services": [{ "binding": "SELF" }]',
            "}",
        ),
        "WD103", 2, 16, "services[0]",
        'Missing required key "service"',
    ),
    Case(
        "route object without zone",
        lines(
            "{",
            '  "routes": [{ "pattern": "example.com/*" }]',
            "}",
        ),
        "WD103", 2, 14, "routes[0]",
        'Missing one of "zone_id", "zone_name", "custom_domain"',
    ),
    Case(
        "route with zone_id and zone_name",
        lines(
            "{",
            '  "routes": [{ "pattern": "a.com/*", "zone_id": "1", "zone_name": "a.com" }]',
            "}",
        ),
        "WD105", 2, 14, "routes[0]",
        '"zone_id" and "zone_name" cannot be used together',
    ),
    Case(
        "environment without script_name",
        lines(
            "{",
            '  "durable_objects": {',
            '    "bindings": [{ "name": "Q", "class_name": "Q", "environment": "prod" }]',
            "  }",
            "}",
        ),
        "WD103", 3, 18, "durable_objects.bindings[0]",
        'Missing key "script_name", which "environment" requires',
    ),
    Case(
        "observability without a switch",
        lines(
            "{",
            '  "observability": { "head_sampling_rate": 0.5 }',
            "}",
        ),
        "WD103", 2, 20, "observability",
        'Missing one of "enabled", "logs.enabled", "traces.enabled", "issues.enabled"',
    ),
    Case(
        "head_sampling_rate above 1",
        lines(
            "{",
            '  "observability": { "enabled": true, "head_sampling_rate": 2 }',
            "}",
        ),
        "WD105", 2, 61, "observability.head_sampling_rate",
        '"head_sampling_rate" must be at most 1, but got 2',
    ),
    Case(
        "export type misspelled",
        lines(
            "{",
            '  "exports": { "Counter": { "type": "durable_object", "storage": "sqlite" } }',
            "}",
        ),
        "WD104", 2, 37, "exports.Counter.type",
        'but got "durable_object"',
        'did you mean "durable-object"?',
    ),
    Case(
        "queue consumer of type http",
        lines(
            "{",
            '  "queues": { "consumers": [{ "queue": "jobs", "type": "http" }] }',
            "}",
        ),
        "WD104", 2, 56, "queues.consumers[0].type",
        '"type" must be "worker", but got "http"',
    ),
    # wrangler 4.164.0 reads a top-level [] without a message, but a config that is not an
    # object has no settings, so it is reported.
    Case(
        "root is an array",
        "[]\n",
        "WD102", 1, 1, "",
        "The configuration must be a JSON object, but got []",
    ),
    Case(
        "root is null",
        "null\n",
        "WD102", 1, 1, "",
        "The configuration must be a JSON object, but got null",
    ),
    Case(
        "root is a string after a comment",
        lines("// the worker", '  "my-worker"'),
        "WD102", 2, 3, "",
        'The configuration must be a JSON object, but got "my-worker"',
    ),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_check_schema_case(case: Case) -> None:
    diagnostics = check(case.text)

    assert len(diagnostics) == 1, [d.headline() for d in diagnostics]
    diagnostic = diagnostics[0]
    assert diagnostic.code == case.code
    assert (diagnostic.line, diagnostic.column) == (case.line, case.column)
    assert diagnostic.path == case.path
    assert case.message in diagnostic.message
    assert case.hint in diagnostic.hint
    expected = Severity.WARNING if case.code == "WD101" else Severity.ERROR
    assert diagnostic.severity is expected


def test_unknown_key_spans_key() -> None:
    (diagnostic,) = check(lines("{", '  "compat_date": "2025-04-01"', "}"))

    assert (diagnostic.end_line, diagnostic.end_column) == (2, 16)


def test_wrong_type_spans_value() -> None:
    (diagnostic,) = check(lines("{", '  "main": ["src/index.js"]', "}"))

    assert (diagnostic.line, diagnostic.column) == (2, 11)
    assert (diagnostic.end_line, diagnostic.end_column) == (2, 27)


def test_missing_key_one_line_object_spans_object() -> None:
    (diagnostic,) = check(lines("{", '  "services": [{ "binding": "SELF" }]', "}"))

    assert (diagnostic.end_line, diagnostic.end_column) == (2, 37)


def test_missing_key_multiline_object_spans_brace() -> None:
    text = lines(
        "{",
        '  "durable_objects": {',
        '    "bindings": [',
        "      {",
        '        "name": "QUEUE"',
        "      }",
        "    ]",
        "  }",
        "}",
    )
    (diagnostic,) = check(text)

    assert (diagnostic.line, diagnostic.column) == (4, 7)
    assert (diagnostic.end_line, diagnostic.end_column) == (4, 8)


def test_missing_keys_reported_separately() -> None:
    diagnostics = check(lines("{", '  "workflows": [{ "binding": "FLOW" }]', "}"))

    messages = [diagnostic.message for diagnostic in diagnostics]
    assert messages == ['Missing required key "name"', 'Missing required key "class_name"']


def test_long_value_truncated() -> None:
    flags = [f"flag_number_{index}" for index in range(20)]
    text = lines("{", f'  "compatibility_date": {json.dumps(flags)}', "}")
    (diagnostic,) = check(text)

    value_text = diagnostic.message.split("but got ", 1)[1]
    assert len(value_text) == 60
    assert value_text.endswith("...")


def test_diagnostics_in_source_order() -> None:
    text = lines(
        "{",
        '  "workers_dev": "yes",',
        '  "compat_date": "2025-04-01",',
        '  "main": 1',
        "}",
    )
    diagnostics = check(text)

    assert [(d.line, d.code) for d in diagnostics] == [(2, "WD102"), (3, "WD101"), (4, "WD102")]


def test_every_diagnostic_has_path() -> None:
    text = lines(
        "{",
        '  "durable_objects": { "bindings": [{ "name": 1, "x": 2 }] },',
        '  "assets": { "html_handling": "none!" }',
        "}",
    )
    diagnostics = check(text)

    assert len(diagnostics) == 4
    assert all(diagnostic.path for diagnostic in diagnostics)


def test_unparsed_document_gives_nothing() -> None:
    document = parse_jsonc('{ "name": "app" "main": "x" }', "wrangler.jsonc")

    assert not document.ok
    assert check_schema(document) == []


# The configs below were checked with wrangler 4.164.0's own validator (unstable_readConfig,
# top level and every environment): it reports neither errors nor warnings for any of them.
OPENNEXT_SAMPLE = lines(
    "// A valid OpenNext-style Worker config (Next.js on Cloudflare Workers).",
    "// JSONC: comments and trailing commas are accepted by wrangler.",
    "{",
    '  "$schema": "node_modules/wrangler/config-schema.json",',
    '  "name": "my-next-app",',
    '  "main": ".open-next/worker.js",',
    '  "compatibility_date": "2025-04-01",',
    '  "compatibility_flags": ["nodejs_compat", "global_fetch_strictly_public"],',
    '  "assets": {',
    '    "binding": "ASSETS",',
    '    "directory": ".open-next/assets",',
    "  },",
    '  "r2_buckets": [',
    "    // OpenNext incremental cache",
    '    { "binding": "NEXT_INC_CACHE_R2_BUCKET", "bucket_name": "my-next-app-inc-cache" },',
    "  ],",
    '  "durable_objects": {',
    '    "bindings": [',
    '      { "name": "NEXT_CACHE_DO_QUEUE", "class_name": "DOQueueHandler" },',
    '      { "name": "NEXT_TAG_CACHE_DO_SHARDED", "class_name": "DOShardedTagCache" },',
    "    ],",
    "  },",
    '  "migrations": [',
    '    { "tag": "v1", "new_sqlite_classes": ["DOQueueHandler", "DOShardedTagCache"] },',
    "  ],",
    '  "services": [',
    '    { "binding": "WORKER_SELF_REFERENCE", "service": "my-next-app" },',
    "  ],",
    '  "observability": { "enabled": true },',
    "}",
)

DO_BINDINGS = (
    '"durable_objects": { "bindings": ['
    '{ "name": "A", "class_name": "A" }, { "name": "B", "class_name": "B" }] }'
)

ACCEPTED = {
    "opennext sample": OPENNEXT_SAMPLE,
    "migration omits a bound class": (
        f'{{ "name": "app", {DO_BINDINGS},'
        ' "migrations": [{ "tag": "v1", "new_sqlite_classes": ["A"] }] }'
    ),
    "migration tags out of order and repeated": (
        f'{{ "name": "app", {DO_BINDINGS}, "migrations": ['
        '{ "tag": "v2", "new_sqlite_classes": ["A"] }, { "tag": "v1", "new_classes": ["B"] },'
        ' { "tag": "v1", "new_sqlite_classes": ["B"] }] }'
    ),
    "future and short compatibility dates": (
        '{ "name": "app", "compatibility_date": "2999-01-01",'
        ' "env": { "old": { "compatibility_date": "2025-4-1" } } }'
    ),
    "no compatibility_date and no main": '{ "name": "app" }',
    "empty object": "{}",
    "duplicate keys, comments, trailing commas": lines(
        "// header",
        "{",
        '  "name": "app",',
        '  "name": "app-two", /* the last one wins */',
        '  "compatibility_date": "2025-04-01",',
        "}",
    ),
    "empty durable_objects": '{ "name": "app", "durable_objects": {} }',
    "external Durable Object without migration": (
        '{ "name": "app", "durable_objects": { "bindings": ['
        '{ "name": "A", "class_name": "A", "script_name": "other", "environment": "prod" }] } }'
    ),
    "null keys wrangler reads as absent": (
        '{ "name": "app", "migrations": null, "exports": null, "triggers": null,'
        ' "limits": null, "env": null }'
    ),
    "route shapes": (
        '{ "name": "app", "routes": ["example.com/*",'
        ' { "pattern": "a.example.com/*", "zone_name": "example.com" },'
        ' { "pattern": "b.example.com/*", "zone_id": "z", "custom_domain": false },'
        ' { "pattern": "c.example.com", "custom_domain": true, "enabled": false,'
        ' "previews_enabled": true }] }'
    ),
    "placement variants": (
        '{ "name": "app", "placement": { "mode": "smart", "hint": "wnam" },'
        ' "env": { "a": { "placement": { "region": "aws:us-east-1" } },'
        ' "b": { "placement": { "mode": "targeted", "host": "db.example.com" } },'
        ' "c": { "placement": { "mode": "off" } } } }'
    ),
    "observability switches": (
        '{ "name": "app", "observability": { "logs": { "enabled": false } },'
        ' "env": { "a": { "observability": { "issues": { "enabled": true } } } } }'
    ),
    "export states": (
        '{ "name": "app", "exports": {'
        ' "A": { "type": "durable-object", "storage": "sqlite" },'
        ' "Old": { "type": "durable-object", "state": "deleted" },'
        ' "R": { "type": "durable-object", "state": "renamed", "renamed_to": "R2" },'
        ' "T": { "type": "durable-object", "state": "transferred", "transferred_to": "other" },'
        ' "E": { "type": "durable-object", "state": "expecting-transfer", "storage": "sqlite",'
        ' "transfer_from": "other" },'
        ' "W": { "type": "workflow", "name": "wf" },'
        ' "default": { "type": "worker", "cache": { "enabled": true } } } }'
    ),
    "every binding kind": json.dumps(
        {
            "name": "app",
            "main": "src/index.js",
            "compatibility_date": "2025-04-01",
            "durable_objects": {
                "bindings": [{"name": "DO_A", "class_name": "A"}],
                "code_update_strategy": {"mode": "deferred", "max_delay": 300},
            },
            "migrations": [
                {
                    "tag": "v1",
                    "new_sqlite_classes": ["A"],
                    "new_classes": ["C"],
                    "renamed_classes": [{"from": "C", "to": "D"}],
                    "transferred_classes": [{"from": "X", "from_script": "s", "to": "E"}],
                    "deleted_classes": ["D"],
                }
            ],
            "kv_namespaces": [{"binding": "KV", "id": "0123", "preview_id": "456"}],
            "r2_buckets": [{"binding": "R2", "bucket_name": "my-bucket", "jurisdiction": "eu"}],
            "d1_databases": [
                {
                    "binding": "DB",
                    "database_name": "db",
                    "database_id": "x",
                    "migrations_dir": "migrations",
                }
            ],
            "services": [
                {"binding": "S", "service": "other", "entrypoint": "Api", "props": {"a": 1}},
                {"binding": "S2", "service": "other", "environment": "production"},
            ],
            "queues": {
                "producers": [{"binding": "QP", "queue": "jobs"}],
                "consumers": [{"queue": "jobs", "type": "worker", "max_batch_size": 10}],
            },
            "vectorize": [{"binding": "V", "index_name": "idx"}],
            "hyperdrive": [{"binding": "H", "id": "hid"}],
            "analytics_engine_datasets": [{"binding": "AE", "dataset": "ds"}],
            "dispatch_namespaces": [
                {"binding": "DN", "namespace": "ns", "outbound": {"service": "out"}}
            ],
            "mtls_certificates": [{"binding": "M", "certificate_id": "cid"}],
            "send_email": [
                {"name": "E1", "destination_address": "a@example.com"},
                {"name": "E2", "allowed_destination_addresses": ["a@example.com"]},
            ],
            "workflows": [
                {"binding": "W", "name": "my-wf", "class_name": "MyWf", "schedules": "0 * * * *"}
            ],
            "pipelines": [{"binding": "P", "stream": "sid"}],
            "secrets_store_secrets": [{"binding": "SS", "store_id": "st", "secret_name": "sec"}],
            "ratelimits": [
                {"name": "RL", "namespace_id": "1001", "simple": {"limit": 100, "period": 60}}
            ],
            "worker_loaders": [{"binding": "LOADER"}],
            "vpc_services": [{"binding": "VPC", "service_id": "svc"}],
            "ai": {"binding": "AI", "remote": True},
            "browser": {"binding": "BROWSER"},
            "images": {"binding": "IMAGES"},
            "version_metadata": {"binding": "CF_VERSION"},
            "media": {"binding": "MEDIA"},
            "stream": {"binding": "STREAM"},
            "vars": {"A": "x", "B": {"nested": [1, 2, {"c": None}]}, "C": 3, "D": True},
            "assets": {
                "directory": "./public",
                "binding": "ASSETS",
                "html_handling": "drop-trailing-slash",
                "not_found_handling": "single-page-application",
                "run_worker_first": ["/api/*"],
            },
            "triggers": {"crons": ["*/5 * * * *"]},
            "observability": {
                "enabled": True,
                "head_sampling_rate": 0.5,
                "logs": {"enabled": True, "invocation_logs": True},
                "traces": {"enabled": False},
            },
            "limits": {"cpu_ms": 100},
            "secrets": {"required": ["API_KEY"]},
            "define": {"DEBUG": "false"},
            "tail_consumers": [{"service": "tail"}],
            "rules": [{"type": "Text", "globs": ["**/*.txt"]}],
            "keep_vars": True,
            "alias": {"foo": "./bar"},
            "dev": {"port": 8787},
        },
        indent=2,
    ),
}


@pytest.mark.parametrize("text", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_wrangler_accepted_config_clean(text: str) -> None:
    diagnostics = check(text)

    assert [diagnostic.headline() for diagnostic in diagnostics] == []


def test_validator_built_once() -> None:
    first = schema_validator()

    assert schema_validator() is first
    assert schema_validator(DEFAULT_SCHEMA_PATH) is first


def test_custom_schema_path(tmp_path: Path) -> None:
    schema_path = tmp_path / "tiny.schema.json"
    tiny_schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": ["name"],
    }
    schema_path.write_text(json.dumps(tiny_schema), encoding="utf-8")
    document = parse_jsonc("{}", "wrangler.jsonc")

    diagnostics = check_schema(document, schema_path)

    assert [diagnostic.code for diagnostic in diagnostics] == ["WD103"]
    assert schema_validator(schema_path) is not schema_validator()


def test_schema_valid_under_metaschema() -> None:
    schema = load_schema()

    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_schema_top_level_keys() -> None:
    schema = load_schema()
    top_level = set(schema["properties"])
    environment = set(schema["$defs"]["Environment"]["properties"])

    assert len(top_level) == 91
    assert len(environment) == 78
    assert top_level - environment == TOP_LEVEL_ONLY_KEYS
    assert environment == INHERITABLE_KEYS | NOT_INHERITABLE_KEYS
    assert schema["additionalProperties"] is False
    assert schema["$defs"]["Environment"]["additionalProperties"] is False


def _deref(schema: dict, node: dict) -> dict:
    """Follow `$ref`s (local JSON pointers) until a node without one."""
    while "$ref" in node:
        target = schema
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _binding_definition(schema: dict, kind: BindingKind) -> dict:
    """Return the schema of one binding of `kind`."""
    node = schema["$defs"]["Environment"]
    for key in kind.key:
        node = _deref(schema, node["properties"][key])
    if not kind.single:
        node = _deref(schema, node["items"])
    return node


@pytest.mark.parametrize("kind", BINDING_KINDS, ids=lambda kind: kind.kind)
def test_binding_kind_defined(kind: BindingKind) -> None:
    definition = _binding_definition(load_schema(), kind)

    assert definition["additionalProperties"] is False
    assert kind.name_field in definition["properties"]
    for field in kind.target_fields:
        assert field in definition["properties"], field
    if kind.kind != "assets":  # wrangler 4.164.0 does not require assets.binding.
        assert kind.name_field in definition["required"]


def _schema_keys() -> list[str]:
    """Return every property name used anywhere in the schema."""
    keys: set[str] = set()
    pending: list[object] = [load_schema()]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            properties = node.get("properties")
            if isinstance(properties, dict):
                keys.update(properties)
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return sorted(keys)


_KEYS = st.sampled_from(_schema_keys()) | st.text(max_size=6)
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["", "sqlite", "durable-object", "none", "2025-04-01"])
)
_VALUES = st.recursive(
    _SCALARS,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_KEYS, children, max_size=4),
    max_leaves=25,
)


@settings(max_examples=examples(300, ci=2000), deadline=None)
@given(_VALUES | st.dictionaries(_KEYS, _VALUES, max_size=6))
def test_check_schema_any_value_no_crash(value: object) -> None:
    text = json.dumps(value, indent=1)
    document = parse_jsonc(text, "wrangler.jsonc")

    diagnostics = check_schema(document)

    line_count = text.count("\n") + 1
    for diagnostic in diagnostics:
        assert 1 <= diagnostic.line <= line_count
        assert diagnostic.column >= 1
        assert len(diagnostic.message) < 400


def test_edited_schema_is_read_again(tmp_path: Path) -> None:
    import os

    schema = tmp_path / "schema.json"
    schema.write_text('{"type": "object"}', encoding="utf-8")
    document = parse_jsonc('{ "name": 1 }', "wrangler.jsonc")
    assert check_schema(document, schema) == []
    schema.write_text(
        '{"type": "object", "properties": {"name": {"type": "string"}}}', encoding="utf-8"
    )
    later = schema.stat().st_mtime_ns + 1_000_000_000
    os.utime(schema, ns=(later, later))
    assert [d.code for d in check_schema(document, schema)] == ["WD102"]


def test_unknown_key_without_unit_suffix(tmp_path: Path) -> None:
    config = tmp_path / "wrangler.jsonc"
    config.write_text('{ "name": "app", "limits": { "cpu": 50 } }', encoding="utf-8")
    found = [d for d in load_project(config).diagnostics if d.code == "WD101"]
    assert [(d.line, d.column, d.hint) for d in found] == [
        (1, 30, 'Check the spelling: did you mean "cpu_ms"?')
    ]
