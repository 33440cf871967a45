"""Tests for the wrangler rules (WD2xx): each rule on a config that fails and one that passes,
run through the whole pipeline so that the schema, the model and the other rules take part."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from wrangler_docs.check import rules_wrangler
from wrangler_docs.check.rules import Rule, all_rules
from wrangler_docs.check.secrets import (
    MIN_RANDOM_SECRET_ENTROPY,
    credential_kind,
    looks_like_credential,
    secret_name_word,
    shannon_entropy,
)
from wrangler_docs.diagnostics import Diagnostic, Severity
from wrangler_docs.facts import wrangler as wrangler_facts
from wrangler_docs.project import load_project

REPO = Path(__file__).resolve().parents[1]


def lines(*rows: str) -> str:
    """Join rows into a file text, so that row N of the call is line N of the file."""
    return "\n".join(rows) + "\n"


def diagnose(tmp_path: Path, text: str, file: str = "wrangler.jsonc") -> list[Diagnostic]:
    """Run the whole pipeline on `text`, saved as `file`, and return every diagnostic."""
    config = tmp_path / file
    config.write_text(text, encoding="utf-8")
    return load_project(config, find_opennext=False).diagnostics


def config(**settings: object) -> str:
    """Return a valid Worker config with `settings` added, one top-level key per line."""
    values: dict[str, object] = {
        "name": "shop",
        "main": "src/index.ts",
        "compatibility_date": "2025-04-01",
    }
    values.update(settings)
    members = [f"  {json.dumps(key)}: {json.dumps(value)}" for key, value in values.items()]
    return "{\n" + ",\n".join(members) + "\n}\n"


def codes(diagnostics: list[Diagnostic]) -> list[str]:
    return [diagnostic.code for diagnostic in diagnostics]


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    code: str
    line: int
    column: int
    path: str
    message: str
    file: str = "wrangler.jsonc"


TOML_START = 'name = "shop"\nmain = "src/index.ts"\ncompatibility_date = "2025-04-01"\n'


FAILING = [
    Case(
        "worker name with capitals",
        config(name="My_App!"),
        "WD201", 2, 11, "name",
        'Invalid Worker name "My_App!"',
    ),
    Case(
        "environment name with a space",
        config(env={"staging": {"name": "Staging App"}}),
        "WD201", 5, 31, "env.staging.name",
        'Invalid Worker name "Staging App"',
    ),
    Case(
        "environment key with capitals",
        config(env={"Staging": {}}),
        "WD202", 5, 11, "env.Staging",
        'Environment "Staging" deploys as "shop-Staging"',
    ),
    Case(
        "date without zero padding",
        config(compatibility_date="2025-4-1"),
        "WD203", 4, 25, "compatibility_date",
        'Invalid compatibility_date "2025-4-1", which is not written as YYYY-MM-DD',
    ),
    Case(
        "date with month 13",
        config(compatibility_date="2025-13-45"),
        "WD203", 4, 25, "compatibility_date",
        'Invalid compatibility_date "2025-13-45", which has no month 13',
    ),
    Case(
        "date with en-dashes",
        config(compatibility_date="2025\u201304\u201301"),
        "WD203", 4, 25, "compatibility_date",
        "which uses en-dashes or em-dashes instead of hyphens (-)",
    ),
    Case(
        "date before 2000",
        config(compatibility_date="1999-12-31"),
        "WD203", 4, 25, "compatibility_date",
        'Invalid compatibility_date "1999-12-31", whose year is not from 2000 to 2999',
    ),
    Case(
        "environment date",
        config(env={"staging": {"compatibility_date": "2025/04/01"}}),
        "WD203", 5, 45, "env.staging.compatibility_date",
        'Invalid compatibility_date "2025/04/01"',
    ),
    Case(
        "february 30",
        config(compatibility_date="2025-02-30"),
        "WD204", 4, 25, "compatibility_date",
        'compatibility_date "2025-02-30" is not a calendar date',
    ),
    Case(
        "date in the future",
        config(compatibility_date="2999-01-01"),
        "WD205", 4, 25, "compatibility_date",
        'compatibility_date "2999-01-01" is in the future',
    ),
    Case(
        "KV and R2 binding with one name",
        lines(
            "{",
            '  "name": "shop", "main": "src/index.ts", "compatibility_date": "2025-04-01",',
            '  "kv_namespaces": [{ "binding": "CACHE", "id": "0f2ac74b" }],',
            '  "r2_buckets": [{ "binding": "CACHE", "bucket_name": "shop-cache" }]',
            "}",
        ),
        "WD206", 4, 31, "r2_buckets[0].binding",
        '"CACHE" is used by a KV namespace binding and an R2 bucket binding',
    ),
    Case(
        "two KV bindings with one name",
        lines(
            "{",
            '  "name": "shop", "main": "src/index.ts", "compatibility_date": "2025-04-01",',
            '  "kv_namespaces": [',
            '    { "binding": "CACHE", "id": "0f2ac74b" },',
            '    { "binding": "CACHE", "id": "9a1b2c3d" }',
            "  ]",
            "}",
        ),
        "WD206", 5, 18, "kv_namespaces[1].binding",
        '"CACHE" is used by two KV namespace bindings',
    ),
    Case(
        "var named like the assets binding",
        lines(
            "{",
            '  "name": "shop", "main": "src/index.ts", "compatibility_date": "2025-04-01",',
            '  "assets": { "directory": "public", "binding": "ASSETS" },',
            '  "vars": { "ASSETS": "x" }',
            "}",
        ),
        "WD206", 4, 13, "vars.ASSETS",
        '"ASSETS" is used by a Static assets binding and a var',
    ),
    Case(
        "var named like a required secret",
        lines(
            "{",
            '  "name": "shop", "main": "src/index.ts", "compatibility_date": "2025-04-01",',
            '  "vars": { "STRIPE_ACCOUNT": "acct_1" },',
            '  "secrets": { "required": ["STRIPE_ACCOUNT"] }',
            "}",
        ),
        "WD206", 4, 29, "secrets.required[0]",
        '"STRIPE_ACCOUNT" is used by a var and a required secret',
    ),
    Case(
        "var named like a key of assets without binding",
        lines(
            "{",
            '  "name": "shop", "main": "src/index.ts", "compatibility_date": "2025-04-01",',
            '  "vars": { "directory": "x" },',
            '  "assets": { "directory": "public" }',
            "}",
        ),
        "WD206", 4, 15, "assets.directory",
        '"directory" is used by a var and a key of "assets"',
    ),
    Case(
        "environment var named like its D1 binding",
        lines(
            "{",
            '  "name": "shop", "main": "src/index.ts", "compatibility_date": "2025-04-01",',
            '  "env": { "staging": {',
            '    "d1_databases": [{ "binding": "DB", "database_id": "6f1c2a7e" }],',
            '    "vars": { "DB": "x" }',
            "  } }",
            "}",
        ),
        "WD206", 5, 15, "env.staging.vars.DB",
        '"DB" is used by a D1 database binding and a var',
    ),
    Case(
        "route and routes",
        config(route="shop.example.com/*", routes=["api.example.com/*"]),
        "WD207", 5, 3, "route",
        '"route" and "routes" are both set at the top level',
    ),
    Case(
        "route and routes in an environment",
        config(env={"staging": {"route": "a.example.com/*", "routes": []}}),
        "WD207", 5, 23, "env.staging.route",
        '"route" and "routes" are both set at "env.staging"',
    ),
    Case(
        "migrations and exports",
        config(
            migrations=[{"tag": "v1", "new_sqlite_classes": ["Room"]}],
            exports={"Room": {"type": "durable-object", "storage": "sqlite"}},
        ),
        "WD208", 5, 3, "migrations",
        '"migrations" and Durable Object entries in "exports" (Room) cannot be used together',
    ),
    Case(
        "environment exports with inherited migrations",
        config(
            migrations=[{"tag": "v1", "new_sqlite_classes": ["Room"]}],
            env={"staging": {"exports": {"Room": {"type": "durable-object", "storage": "sqlite"}}}},
        ),
        "WD208", 5, 3, "migrations",
        '"migrations" and Durable Object entries in "exports" (Room)',
    ),
    Case(
        "node_compat",
        config(node_compat=True),
        "WD209", 5, 3, "node_compat",
        '"node_compat" was removed in wrangler v4',
    ),
    Case(
        "node_compat in an environment",
        config(env={"staging": {"node_compat": True}}),
        "WD209", 5, 23, "env.staging.node_compat",
        '"node_compat" was removed in wrangler v4',
    ),
    Case(
        "legacy_env",
        config(legacy_env=False),
        "WD209", 5, 3, "legacy_env",
        '"legacy_env" is no longer supported by wrangler v4',
    ),
    Case(
        "R2 bucket name with capitals",
        config(r2_buckets=[{"binding": "B", "bucket_name": "My_Bucket"}]),
        "WD210", 5, 50, "r2_buckets[0].bucket_name",
        'Invalid R2 bucket name "My_Bucket" in bucket_name',
    ),
    Case(
        "R2 preview bucket name too short",
        config(r2_buckets=[{"binding": "B", "bucket_name": "abc", "preview_bucket_name": "ab"}]),
        "WD210", 5, 80, "r2_buckets[0].preview_bucket_name",
        'Invalid R2 bucket name "ab" in preview_bucket_name',
    ),
    Case(
        "empty KV namespace id",
        config(kv_namespaces=[{"binding": "KV", "id": ""}]),
        "WD211", 5, 45, "kv_namespaces[0].id",
        'Empty KV namespace ID in "id"',
    ),
    Case(
        "empty R2 bucket name",
        config(r2_buckets=[{"binding": "B", "bucket_name": ""}]),
        "WD211", 5, 50, "r2_buckets[0].bucket_name",
        'Empty R2 bucket name in "bucket_name"',
    ),
    Case(
        "empty queue name",
        config(queues={"producers": [{"binding": "Q", "queue": ""}]}),
        "WD211", 5, 54, "queues.producers[0].queue",
        'Empty queue name in "queue"',
    ),
    Case(
        "class missing from migrations",
        lines(
            "{",
            '  "name": "shop", "main": "src/index.ts", "compatibility_date": "2025-04-01",',
            '  "durable_objects": { "bindings": [',
            '    { "name": "ROOMS", "class_name": "ChatRoom" },',
            '    { "name": "COUNTER", "class_name": "Counter" }',
            "  ] },",
            '  "migrations": [{ "tag": "v1", "new_sqlite_classes": ["ChatRoom"] }]',
            "}",
        ),
        "WD212", 5, 40, "durable_objects.bindings[1].class_name",
        'Durable Object class "Counter" is not created by any migration',
    ),
    Case(
        "class without any lifecycle",
        config(durable_objects={"bindings": [{"name": "ROOMS", "class_name": "ChatRoom"}]}),
        "WD212", 5, 68, "durable_objects.bindings[0].class_name",
        'Durable Object class "ChatRoom" has no migration and no "exports" entry',
    ),
    Case(
        "class deleted by a migration",
        config(
            durable_objects={"bindings": [{"name": "ROOMS", "class_name": "ChatRoom"}]},
            migrations=[
                {"tag": "v1", "new_sqlite_classes": ["ChatRoom"]},
                {"tag": "v2", "deleted_classes": ["ChatRoom"]},
            ],
        ),
        "WD212", 5, 68, "durable_objects.bindings[0].class_name",
        'Durable Object class "ChatRoom" is deleted by migration "v2"',
    ),
    Case(
        "class renamed away",
        config(
            durable_objects={"bindings": [{"name": "ROOMS", "class_name": "Room"}]},
            migrations=[
                {"tag": "v1", "new_sqlite_classes": ["Room"]},
                {"tag": "v2", "renamed_classes": [{"from": "Room", "to": "ChatRoom"}]},
            ],
        ),
        "WD212", 5, 68, "durable_objects.bindings[0].class_name",
        'Durable Object class "Room" is renamed to "ChatRoom" by migration "v2"',
    ),
    Case(
        "class missing from exports",
        config(
            durable_objects={"bindings": [{"name": "ROOMS", "class_name": "ChatRoom"}]},
            exports={"Lobby": {"type": "durable-object", "storage": "sqlite"}},
        ),
        "WD212", 5, 68, "durable_objects.bindings[0].class_name",
        'Durable Object class "ChatRoom" has no live entry in "exports"',
    ),
    Case(
        "class of an environment missing from inherited migrations",
        config(
            migrations=[{"tag": "v1", "new_sqlite_classes": ["ChatRoom"]}],
            env={
                "staging": {
                    "durable_objects": {"bindings": [{"name": "L", "class_name": "Lobby"}]}
                }
            },
        ),
        "WD212", 6, 84, "env.staging.durable_objects.bindings[0].class_name",
        'Durable Object class "Lobby" is not created by any migration',
    ),
    Case(
        "migration tag used twice",
        lines(
            "{",
            '  "name": "shop", "main": "src/index.ts", "compatibility_date": "2025-04-01",',
            '  "migrations": [',
            '    { "tag": "v1", "new_sqlite_classes": ["A"] },',
            '    { "tag": "v1", "new_sqlite_classes": ["B"] }',
            "  ]",
            "}",
        ),
        "WD213", 5, 14, "migrations[1].tag",
        'Migration tag "v1" is used twice',
    ),
    Case(
        "class in new_classes and later new_sqlite_classes",
        lines(
            "{",
            '  "name": "shop", "main": "src/index.ts", "compatibility_date": "2025-04-01",',
            '  "migrations": [',
            '    { "tag": "v1", "new_classes": ["Room"] },',
            '    { "tag": "v2", "new_sqlite_classes": ["Room"] }',
            "  ]",
            "}",
        ),
        "WD214", 5, 43, "migrations[1].new_sqlite_classes[0]",
        'Migration "v2" creates class "Room" again in new_sqlite_classes',
    ),
    Case(
        "deleting a class that does not exist",
        config(migrations=[{"tag": "v1", "deleted_classes": ["Ghost"]}]),
        "WD214", 5, 52, "migrations[0].deleted_classes[0]",
        'Migration "v1" deletes class "Ghost", which does not exist then',
    ),
    Case(
        "renaming a class that does not exist",
        config(migrations=[{"tag": "v1", "renamed_classes": [{"from": "A", "to": "B"}]}]),
        "WD214", 5, 61, "migrations[0].renamed_classes[0].from",
        'Migration "v1" renames class "A", which does not exist then',
    ),
    Case(
        "script_name naming this Worker",
        config(
            durable_objects={
                "bindings": [{"name": "R", "class_name": "Room", "script_name": "shop"}]
            },
        ),
        "WD215", 5, 87, "durable_objects.bindings[0].script_name",
        'Durable Object binding "R" has "script_name": "shop"',
    ),
    Case(
        "environment without the top-level vars",
        config(vars={"A": "1"}, env={"staging": {}}),
        "WD216", 6, 11, "env.staging",
        '"vars" exists at the top level, but not on "env.staging"',
    ),
    Case(
        "environment list without a top-level binding",
        config(
            kv_namespaces=[{"binding": "A", "id": "1"}, {"binding": "B", "id": "2"}],
            env={"staging": {"kv_namespaces": [{"binding": "A", "id": "3"}]}},
        ),
        "WD217", 6, 23, "env.staging.kv_namespaces",
        'There is a kv_namespaces binding with name "B" at the top level, but not on '
        '"env.staging"',
    ),
    Case(
        "environment vars without a top-level var",
        config(vars={"A": "1", "B": "2"}, env={"staging": {"vars": {"A": "3"}}}),
        "WD217", 6, 23, "env.staging.vars",
        'Var "B" exists at the top level, but not on "env.staging.vars"',
    ),
    Case(
        "environment inheriting a custom domain",
        config(routes=[{"pattern": "shop.example.com", "custom_domain": True}], env={"dev": {}}),
        "WD218", 6, 11, "env.dev",
        '"env.dev" inherits the custom domain(s) shop.example.com',
    ),
    Case(
        "misspelt compatibility flag",
        config(compatibility_flags=["nodejs_compt"]),
        "WD219", 5, 27, "compatibility_flags[0]",
        'Unknown compatibility flag "nodejs_compt"',
    ),
    Case(
        "flag listed twice",
        config(compatibility_flags=["nodejs_compat", "nodejs_compat"]),
        "WD220", 5, 44, "compatibility_flags[1]",
        'Compatibility flag "nodejs_compat" is listed twice',
    ),
    Case(
        "flag that is the default for the date",
        config(compatibility_date="2026-09-01", compatibility_flags=["nodejs_compat"]),
        "WD221", 5, 27, "compatibility_flags[0]",
        'Compatibility flag "nodejs_compat" is the default since 2026-08-04',
    ),
    Case(
        "flag that is on for every date",
        config(compatibility_flags=["r2_public_beta_bindings"]),
        "WD221", 5, 27, "compatibility_flags[0]",
        'Compatibility flag "r2_public_beta_bindings" is on for every date',
    ),
    Case(
        "experimental flag",
        config(compatibility_flags=["webgpu"]),
        "WD222", 5, 27, "compatibility_flags[0]",
        'Compatibility flag "webgpu" is experimental',
    ),
    Case(
        "Python main without python_workers",
        config(main="src/entry.py"),
        "WD223", 3, 11, "main",
        '"main" is the Python file "src/entry.py", but compatibility_flags lacks '
        '"python_workers"',
    ),
    Case(
        "Python main with other flags",
        config(main="src/entry.py", compatibility_flags=["nodejs_compat"]),
        "WD223", 5, 26, "compatibility_flags",
        'compatibility_flags lacks "python_workers"',
    ),
    Case(
        "var named like an API key",
        config(vars={"apiKey": "abc123"}),
        "WD224", 5, 12, "vars.apiKey",
        'Var "apiKey" looks like a secret, because its name contains "KEY"',
    ),
    Case(
        "var holding a GitHub token",
        config(vars={"GH": "ghp_" + "a1B2c3D4e5F6g7H8i9J0" * 2}),
        "WD224", 5, 12, "vars.GH",
        'Var "GH" looks like a secret, because its value looks like a GitHub token',
    ),
    Case(
        "environment var holding a database URL with a password",
        config(env={"staging": {"vars": {"DATABASE_URL": "postgres://app:hunter2@db/x"}}}),
        "WD224", 5, 32, "env.staging.vars.DATABASE_URL",
        "its value looks like a URL with a password",
    ),
    Case(
        "empty route",
        config(route=""),
        "WD225", 5, 12, "route",
        '"route" is an empty string, which wrangler ignores',
    ),
    Case(
        "empty account_id",
        config(account_id=""),
        "WD225", 5, 17, "account_id",
        '"account_id" is an empty string, which wrangler ignores',
    ),
    Case(
        "Workflow name with spaces",
        config(workflows=[{"binding": "W", "name": "check out", "class_name": "Flow"}]),
        "WD226", 5, 42, "workflows[0].name",
        'Invalid Workflow name "check out"',
    ),
    Case(
        "two Workflows with one name",
        lines(
            "{",
            '  "name": "shop", "main": "src/index.ts", "compatibility_date": "2025-04-01",',
            '  "workflows": [',
            '    { "binding": "A", "name": "flow", "class_name": "A" },',
            '    { "binding": "B", "name": "flow", "class_name": "B" }',
            "  ]",
            "}",
        ),
        "WD226", 5, 31, "workflows[1].name",
        'Workflow name "flow" is used by two Workflow bindings',
    ),
    Case(
        "send_email with both destination fields",
        config(
            send_email=[
                {
                    "name": "MAIL",
                    "destination_address": "a@example.com",
                    "allowed_destination_addresses": ["b@example.com"],
                }
            ]
        ),
        "WD227", 5, 75, "send_email[0].allowed_destination_addresses",
        'cannot have both "destination_address" and "allowed_destination_addresses"',
    ),
    Case(
        "placement hint and region",
        config(placement={"mode": "smart", "hint": "wnam", "region": "aws:us-east-1"}),
        "WD228", 5, 34, "placement.hint",
        '"placement" cannot have both "hint" (Smart Placement) and "region"',
    ),
    Case(
        "placement hint without smart mode",
        config(placement={"mode": "off", "hint": "wnam"}),
        "WD228", 5, 32, "placement.hint",
        '"placement.hint" can only be set when "placement.mode" is "smart"',
    ),
    Case(
        "placement with two targets",
        config(placement={"region": "aws:us-east-1", "host": "db.example.com:5432"}),
        "WD228", 5, 44, "placement.host",
        'placement fields "region", "host" cannot be used together',
    ),
    Case(
        "placement target with smart mode",
        config(placement={"mode": "smart", "region": "aws:us-east-1"}),
        "WD228", 5, 17, "placement.mode",
        '"placement.mode" must be "targeted" with "region", not "smart"',
    ),
    Case(
        "placement targeted mode without a target",
        config(placement={"mode": "targeted"}),
        "WD228", 5, 17, "placement.mode",
        '"placement.mode" is "targeted", but "region", "host" and "hostname" are unset',
    ),
    Case(
        "unsafe settings",
        config(unsafe={"metadata": {}}),
        "WD229", 5, 3, "unsafe",
        '"unsafe" settings are experimental',
    ),
    Case(
        "TOML date in vars",
        TOML_START + "[vars]\nLAUNCH = 2025-12-01\n",
        "WD230", 5, 10, "vars.LAUNCH",
        'Var "LAUNCH" is a TOML date',
        file="wrangler.toml",
    ),
    Case(
        "TOML date-time in environment vars",
        TOML_START + "[env.staging.vars]\nWHEN = 1979-05-27T07:32:00Z\n",
        "WD230", 5, 8, "env.staging.vars.WHEN",
        'Var "WHEN" is a TOML date',
        file="wrangler.toml",
    ),
]  # fmt: skip


@pytest.mark.parametrize("case", FAILING, ids=lambda case: case.name)
def test_rule_reports(tmp_path: Path, case: Case) -> None:
    diagnostics = diagnose(tmp_path, case.text, case.file)
    found = [d for d in diagnostics if d.code == case.code]
    assert found, f"no {case.code} in {codes(diagnostics)}"
    diagnostic = found[0]
    assert (diagnostic.line, diagnostic.column) == (case.line, case.column)
    assert diagnostic.path == case.path
    assert case.message in diagnostic.message
    assert diagnostic.hint
    assert diagnostic.severity is all_rules_by_code()[case.code].severity


@dataclass(frozen=True)
class Passing:
    name: str
    text: str
    code: str
    file: str = "wrangler.jsonc"


PASSING = [
    Passing("lowercase name with dash and underscore", config(name="shop_api-2"), "WD201"),
    Passing("empty name", config(name=""), "WD201"),
    Passing("environment with its own name", config(env={"Staging": {"name": "s"}}), "WD202"),
    Passing("lowercase environment key", config(env={"staging": {}}), "WD202"),
    Passing("padded date", config(compatibility_date="2025-04-01"), "WD203"),
    Passing("february 28", config(compatibility_date="2025-02-28"), "WD204"),
    Passing("leap day", config(compatibility_date="2024-02-29"), "WD204"),
    Passing("past date", config(compatibility_date="2021-11-03"), "WD205"),
    Passing(
        "distinct names of every kind",
        config(
            kv_namespaces=[{"binding": "KV", "id": "1"}],
            r2_buckets=[{"binding": "R2", "bucket_name": "shop-r2"}],
            vars={"MODE": "live"},
            secrets={"required": ["TOKEN_SECRET"]},
            assets={"directory": "public", "binding": "ASSETS"},
        ),
        "WD206",
    ),
    Passing(
        "same name in two environments",
        config(vars={"A": "1"}, env={"staging": {"vars": {"A": "2"}}}),
        "WD206",
    ),
    Passing("routes only", config(routes=["a.example.com/*"]), "WD207"),
    Passing(
        "environment route with inherited routes",
        config(routes=["a.example.com/*"], env={"staging": {"route": "b.example.com/*"}}),
        "WD207",
    ),
    Passing(
        "exports without durable-object entries",
        config(
            migrations=[{"tag": "v1", "new_sqlite_classes": ["Room"]}],
            exports={"Api": {"type": "worker"}},
        ),
        "WD208",
    ),
    Passing("no removed field", config(compatibility_flags=["nodejs_compat"]), "WD209"),
    Passing(
        "valid bucket names",
        config(r2_buckets=[{"binding": "B", "bucket_name": "a-1", "preview_bucket_name": "b2b"}]),
        "WD210",
    ),
    Passing("KV binding without id", config(kv_namespaces=[{"binding": "KV"}]), "WD211"),
    Passing(
        "class created, renamed and transferred",
        config(
            durable_objects={
                "bindings": [
                    {"name": "A", "class_name": "ChatRoom"},
                    {"name": "B", "class_name": "Moved"},
                    {"name": "C", "class_name": "Old"},
                ]
            },
            migrations=[
                {"tag": "v1", "new_classes": ["Old"], "new_sqlite_classes": ["Room"]},
                {"tag": "v2", "renamed_classes": [{"from": "Room", "to": "ChatRoom"}]},
                {
                    "tag": "v3",
                    "transferred_classes": [{"from": "M", "from_script": "x", "to": "Moved"}],
                },
            ],
        ),
        "WD212",
    ),
    Passing(
        "class with a live export",
        config(
            durable_objects={"bindings": [{"name": "A", "class_name": "Room"}]},
            exports={"Room": {"type": "durable-object", "storage": "sqlite"}},
        ),
        "WD212",
    ),
    Passing(
        "class of another Worker",
        config(
            durable_objects={"bindings": [{"name": "A", "class_name": "R", "script_name": "x"}]}
        ),
        "WD212",
    ),
    Passing(
        "environment with null migrations inherits them",
        config(
            migrations=[{"tag": "v1", "new_sqlite_classes": ["Room"]}],
            durable_objects={"bindings": [{"name": "R", "class_name": "Room"}]},
            env={
                "staging": {
                    "migrations": None,
                    "durable_objects": {"bindings": [{"name": "R", "class_name": "Room"}]},
                }
            },
        ),
        "WD212",
    ),
    Passing(
        "tags in order",
        config(migrations=[{"tag": "v1", "new_sqlite_classes": ["A"]}, {"tag": "v2"}]),
        "WD213",
    ),
    Passing(
        "class deleted and created again",
        config(
            migrations=[
                {"tag": "v1", "new_classes": ["A"]},
                {"tag": "v2", "deleted_classes": ["A"]},
                {"tag": "v3", "new_sqlite_classes": ["A"]},
            ]
        ),
        "WD214",
    ),
    Passing(
        "script_name of another Worker",
        config(
            durable_objects={"bindings": [{"name": "A", "class_name": "R", "script_name": "x"}]}
        ),
        "WD215",
    ),
    Passing(
        "environment with every key",
        config(vars={"A": "1"}, env={"staging": {"vars": {"A": "2"}}}),
        "WD216",
    ),
    Passing(
        "environment list with every binding",
        config(
            kv_namespaces=[{"binding": "A", "id": "1"}],
            env={"staging": {"kv_namespaces": [{"binding": "A", "id": "3"}]}},
        ),
        "WD217",
    ),
    Passing(
        "environment with its own routes",
        config(
            routes=[{"pattern": "shop.example.com", "custom_domain": True}],
            env={"dev": {"routes": []}},
        ),
        "WD218",
    ),
    Passing("known flags", config(compatibility_flags=["nodejs_compat"]), "WD219"),
    Passing(
        "distinct flags",
        config(compatibility_flags=["nodejs_compat", "global_fetch_strictly_public"]),
        "WD220",
    ),
    Passing(
        "flag before its default date",
        config(compatibility_date="2026-08-03", compatibility_flags=["nodejs_compat"]),
        "WD221",
    ),
    Passing(
        "flag that is not experimental", config(compatibility_flags=["nodejs_compat"]), "WD222"
    ),
    Passing(
        "Python main with python_workers",
        config(main="src/entry.py", compatibility_flags=["python_workers"]),
        "WD223",
    ),
    Passing(
        "plain vars",
        config(
            vars={
                "STORE_NAME": "Shop",
                "MONKEY": "banana",
                "CACHE_KEY_PREFIX": "v1",
                "STRIPE_PUBLISHABLE_KEY": "pk_live_123",
                "TURNSTILE_SITE_KEY": "0x4AAAAAAA",
                "MAX_TOKENS": "1024",
                "ACCOUNT_ID": "6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b",
                "API_URL": "https://api.example.com/v1/items/12345",
                "TOKEN_TTL": "3600",
                "API_KEY": "",
                "SECRET_NUMBER": 42,
            }
        ),
        "WD224",
    ),
    Passing("route with a pattern", config(route="shop.example.com/*"), "WD225"),
    Passing(
        "Workflow names",
        config(
            workflows=[
                {"binding": "A", "name": "flow_1", "class_name": "A"},
                {"binding": "B", "name": "flow-2", "class_name": "B"},
            ]
        ),
        "WD226",
    ),
    Passing(
        "send_email with one destination field",
        config(send_email=[{"name": "MAIL", "destination_address": "a@example.com"}]),
        "WD227",
    ),
    Passing("smart placement", config(placement={"mode": "smart", "hint": "wnam"}), "WD228"),
    Passing("targeted placement", config(placement={"region": "aws:us-east-1"}), "WD228"),
    Passing("no unsafe settings", config(), "WD229"),
    Passing(
        "TOML date as a string",
        TOML_START + '[vars]\nLAUNCH = "2025-12-01"\n',
        "WD230",
        file="wrangler.toml",
    ),
    Passing(
        "TOML dates inside object and array vars",
        TOML_START + "[vars]\nDAYS = [2025-12-01]\n[vars.SALE]\nstarts = 2025-12-01\n",
        "WD230",
        file="wrangler.toml",
    ),
]


@pytest.mark.parametrize("case", PASSING, ids=lambda case: case.name)
def test_rule_passes(tmp_path: Path, case: Passing) -> None:
    assert case.code not in codes(diagnose(tmp_path, case.text, case.file))


def all_rules_by_code() -> dict[str, Rule]:
    return {item.code: item for item in all_rules()}


def test_every_rule_has_cases() -> None:
    wrangler_codes = {item.code for item in all_rules() if item.scope == "wrangler"}
    assert wrangler_codes == {case.code for case in FAILING}
    assert wrangler_codes == {case.code for case in PASSING}


@pytest.mark.parametrize(
    "item", [r for r in all_rules() if r.scope == "wrangler"], ids=lambda r: r.code
)
def test_rule_documentation(item: Rule) -> None:
    assert item.code.startswith("WD2")
    assert item.explanation.endswith(".")
    assert item.fix.endswith(".")
    assert item.source


# Whole configs


PLAIN_WORKER = lines(
    "// A plain Worker with bindings of most kinds and two complete environments.",
    "{",
    '  "$schema": "node_modules/wrangler/config-schema.json",',
    '  "name": "shop-api",',
    '  "main": "src/index.ts",',
    '  "compatibility_date": "2025-04-01",',
    '  "compatibility_flags": ["nodejs_compat"],',
    '  "observability": { "enabled": true },',
    '  "routes": [{ "pattern": "api.example.com/*", "zone_name": "example.com" }],',
    '  "assets": { "directory": "public", "binding": "ASSETS" },',
    '  "kv_namespaces": [{ "binding": "SESSIONS", "id": "0f2ac74b498b48028cb68387c421e279" }],',
    '  "r2_buckets": [{ "binding": "UPLOADS", "bucket_name": "shop-uploads" }],',
    '  "d1_databases": [{ "binding": "DB", "database_name": "shop", "database_id": "6f1c" }],',
    '  "services": [{ "binding": "AUTH", "service": "auth-worker" }],',
    '  "queues": { "producers": [{ "binding": "EMAILS", "queue": "shop-emails" }] },',
    '  "durable_objects": { "bindings": [{ "name": "ROOMS", "class_name": "ChatRoom" }] },',
    '  "migrations": [{ "tag": "v1", "new_sqlite_classes": ["ChatRoom"] }],',
    '  "vars": { "STORE_NAME": "Shop", "DEFAULT_CURRENCY": "EUR" },',
    '  "secrets": { "required": ["STRIPE_SECRET_KEY"] },',
    '  "env": {',
    '    "staging": {',
    '      "routes": [{ "pattern": "api.staging.example.com/*", "zone_name": "example.com" }],',
    '      "kv_namespaces": [{ "binding": "SESSIONS", "id": "9a1b2c3d4e5f40718293a4b5c6d7e8f9" }],',
    '      "r2_buckets": [{ "binding": "UPLOADS", "bucket_name": "shop-uploads-staging" }],',
    '      "d1_databases": [{ "binding": "DB", "database_name": "shop-staging" }],',
    '      "services": [{ "binding": "AUTH", "service": "auth-worker-staging" }],',
    '      "queues": { "producers": [{ "binding": "EMAILS", "queue": "shop-emails-staging" }] },',
    '      "durable_objects": { "bindings": [{ "name": "ROOMS", "class_name": "ChatRoom" }] },',
    '      "vars": { "STORE_NAME": "Shop (staging)", "DEFAULT_CURRENCY": "EUR" },',
    '      "secrets": { "required": ["STRIPE_SECRET_KEY"] }',
    "    }",
    "  }",
    "}",
)


def test_plain_worker_has_no_diagnostics(tmp_path: Path) -> None:
    assert [d.headline() for d in diagnose(tmp_path, PLAIN_WORKER)] == []


def test_repository_config_has_no_diagnostics() -> None:
    project = load_project(REPO / "wrangler.jsonc", root=REPO)
    assert [d.headline() for d in project.diagnostics] == []


@pytest.mark.parametrize(
    "text",
    [
        "null",
        '"worker"',
        "[]",
        "{}",
        '{"env": {"staging": null}, "migrations": [null]}',
        '{"durable_objects": {"bindings": [null, 3, {"name": 1}]}}',
        '{"vars": [1], "secrets": {"required": "X"}, "compatibility_flags": [1, null]}',
        '{"migrations": [{"tag": 1, "renamed_classes": [{"from": 1}], "deleted_classes": 2}]}',
        '{"placement": {"hint": 3, "region": null}, "workflows": [{"name": 5}]}',
        '{"exports": {"A": null}, "assets": [], "routes": {"a": 1}, "env": []}',
        '{"name": 5, "compatibility_date": ["2025-04-01"], "r2_buckets": "x"}',
        '{"env": {"s": {"vars": "x", "kv_namespaces": {}, "durable_objects": []}}, "vars": {}}',
    ],
)
def test_malformed_config_ends_in_diagnostics(tmp_path: Path, text: str) -> None:
    diagnostics = diagnose(tmp_path, text)
    assert all(isinstance(d, Diagnostic) for d in diagnostics)


# Details of single rules


def test_duplicate_name_points_at_first_binding(tmp_path: Path) -> None:
    case = next(case for case in FAILING if case.name == "KV and R2 binding with one name")
    diagnostic = next(d for d in diagnose(tmp_path, case.text) if d.code == "WD206")
    assert diagnostic.related == (("wrangler.jsonc", 3, 34),)


def test_duplicate_var_points_at_var_key(tmp_path: Path) -> None:
    case = next(case for case in FAILING if case.name == "var named like a required secret")
    diagnostic = next(d for d in diagnose(tmp_path, case.text) if d.code == "WD206")
    assert diagnostic.related == (("wrangler.jsonc", 3, 13),)


def test_duplicate_inherited_assets_reported_in_environment(tmp_path: Path) -> None:
    text = config(
        assets={"directory": "public", "binding": "ASSETS"},
        env={"staging": {"vars": {"ASSETS": "x"}}},
    )
    found = [d for d in diagnose(tmp_path, text) if d.code == "WD206"]
    assert [d.path for d in found] == ["env.staging.vars.ASSETS"]


def test_migration_tag_points_at_first_tag(tmp_path: Path) -> None:
    case = next(case for case in FAILING if case.code == "WD213")
    diagnostic = next(d for d in diagnose(tmp_path, case.text) if d.code == "WD213")
    assert diagnostic.related == (("wrangler.jsonc", 4, 14),)
    assert 'such as "v2"' in diagnostic.hint


def test_migration_hint_suggests_next_tag(tmp_path: Path) -> None:
    case = next(case for case in FAILING if case.name == "class missing from migrations")
    diagnostic = next(d for d in diagnose(tmp_path, case.text) if d.code == "WD212")
    assert '{"tag": "v2", "new_sqlite_classes": ["Counter"]}' in diagnostic.hint


def test_migration_hint_without_migrations_suggests_v1(tmp_path: Path) -> None:
    case = next(case for case in FAILING if case.name == "class without any lifecycle")
    diagnostic = next(d for d in diagnose(tmp_path, case.text) if d.code == "WD212")
    assert '{"tag": "v1", "new_sqlite_classes": ["ChatRoom"]}' in diagnostic.hint


def test_migration_hint_with_exports_suggests_export(tmp_path: Path) -> None:
    case = next(case for case in FAILING if case.name == "class missing from exports")
    diagnostic = next(d for d in diagnose(tmp_path, case.text) if d.code == "WD212")
    assert '"ChatRoom": {"type": "durable-object", "storage": "sqlite"}' in diagnostic.hint


def test_replay_points_at_first_creation(tmp_path: Path) -> None:
    case = next(case for case in FAILING if case.code == "WD214")
    diagnostic = next(d for d in diagnose(tmp_path, case.text) if d.code == "WD214")
    assert diagnostic.related == (("wrangler.jsonc", 4, 36),)


def test_inherited_migrations_reported_once(tmp_path: Path) -> None:
    text = config(
        migrations=[{"tag": "v1"}, {"tag": "v1"}],
        env={"a": {}, "b": {}},
    )
    found = [d for d in diagnose(tmp_path, text) if d.code == "WD213"]
    assert [d.path for d in found] == ["migrations[1].tag"]


def test_unknown_flag_suggests_close_match(tmp_path: Path) -> None:
    text = config(compatibility_flags=["nodejs_compt"])
    diagnostic = next(d for d in diagnose(tmp_path, text) if d.code == "WD219")
    assert diagnostic.hint == 'Did you mean "nodejs_compat"?'


def test_unknown_flag_without_close_match(tmp_path: Path) -> None:
    text = config(compatibility_flags=["zzzz"])
    diagnostic = next(d for d in diagnose(tmp_path, text) if d.code == "WD219")
    assert wrangler_facts.COMPATIBILITY_FLAGS_DOCS_URL in diagnostic.hint


def test_duplicate_flag_points_at_first(tmp_path: Path) -> None:
    text = config(compatibility_flags=["nodejs_compat", "nodejs_compat"])
    diagnostic = next(d for d in diagnose(tmp_path, text) if d.code == "WD220")
    assert diagnostic.related == (("wrangler.jsonc", 5, 27),)


def test_flags_inherited_by_environment_reported_once(tmp_path: Path) -> None:
    text = config(compatibility_flags=["nodejs_compt"], env={"a": {}, "b": {}})
    assert codes(diagnose(tmp_path, text)).count("WD219") == 1


def test_default_flag_with_environment_date(tmp_path: Path) -> None:
    text = config(
        compatibility_flags=["nodejs_compat"],
        env={"next": {"compatibility_date": "2026-09-01"}},
    )
    found = [d for d in diagnose(tmp_path, text) if d.code == "WD221"]
    assert [d.path for d in found] == ["compatibility_flags[0]"]
    assert 'compatibility_date is "2026-09-01"' in found[0].message


def test_future_date_boundary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rules_wrangler, "_today", lambda: date(2026, 1, 31))
    assert "WD205" not in codes(diagnose(tmp_path, config(compatibility_date="2026-01-31")))
    assert "WD205" in codes(diagnose(tmp_path, config(compatibility_date="2026-02-01")))


def test_invalid_date_hint_rewrites_date(tmp_path: Path) -> None:
    text = config(compatibility_date="2025-4-1")
    diagnostic = next(d for d in diagnose(tmp_path, text) if d.code == "WD203")
    assert diagnostic.hint == 'Write "2025-04-01".'


def test_worker_name_hint(tmp_path: Path) -> None:
    diagnostic = next(d for d in diagnose(tmp_path, config(name="My App")) if d.code == "WD201")
    assert diagnostic.hint == 'Use "my-app".'


def test_secret_value_never_shown(tmp_path: Path) -> None:
    token = "ghp_" + "Zq8vK2mN4pR6tW1xY3bC5dF7gH9jL0aS2eU4"
    text = config(vars={"API_TOKEN": token, "OTHER": token})
    found = [d for d in diagnose(tmp_path, text) if d.code == "WD224"]
    assert len(found) == 2
    for diagnostic in found:
        assert token not in diagnostic.message
        assert token not in diagnostic.hint


def test_secret_hint_names_environment(tmp_path: Path) -> None:
    text = config(env={"staging": {"vars": {"API_TOKEN": "abc"}}})
    diagnostic = next(d for d in diagnose(tmp_path, text) if d.code == "WD224")
    assert "`wrangler secret put API_TOKEN --env staging`" in diagnostic.hint


def test_opennext_app_skips_keys_opennext_reports(tmp_path: Path) -> None:
    text = config(
        main=".open-next/worker.js",
        r2_buckets=[{"binding": "NEXT_INC_CACHE_R2_BUCKET", "bucket_name": "shop-cache"}],
        vars={"A": "1"},
        env={"staging": {}},
    )
    found = [d.message for d in diagnose(tmp_path, text) if d.code == "WD216"]
    assert len(found) == 1
    assert found[0].startswith('"vars" exists at the top level')


def test_plain_worker_reports_every_missing_key(tmp_path: Path) -> None:
    text = config(
        r2_buckets=[{"binding": "UPLOADS", "bucket_name": "shop-uploads"}],
        vars={"A": "1"},
        env={"staging": {}},
    )
    assert codes(diagnose(tmp_path, text)).count("WD216") == 2


# Secret detection


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("API_KEY", "key"),
        ("apiKey", "key"),
        ("APIKEY", "apikey"),
        ("GITHUB_TOKEN", "token"),
        ("CLIENT_SECRET", "secret"),
        ("DB_PASSWORD", "password"),
        ("SECRET_KEY_BASE", "secret"),
        ("MONKEY", ""),
        ("TOKENIZER", ""),
        ("MAX_TOKENS", ""),
        ("CACHE_KEY_PREFIX", ""),
        ("TOKEN_TTL", ""),
        ("AWS_ACCESS_KEY_ID", ""),
        ("STRIPE_PUBLISHABLE_KEY", ""),
        ("PUBLIC_KEY", ""),
        ("TURNSTILE_SITE_KEY", ""),
        ("KEYBOARD_LAYOUT", ""),
        ("SMTP_PASS", "pass"),
        ("DB_PWD", "pwd"),
        ("BASIC_AUTH", "auth"),
        ("PASS_THROUGH", ""),
        ("AUTH_PROVIDER", ""),
    ],
)
def test_secret_name_word(name: str, word: str) -> None:
    assert secret_name_word(name) == word


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc", "a Stripe secret key"),
        ("xoxb-" + "1234567890-abcdefghij", "a Slack token"),
        ("AKIA" + "IOSFODNN7EXAMPLE", "an AWS access key ID"),
        ("AIza" + "SyA1234567890abcdefghijklmnopqrstuv", "a Google API key"),
        ("glpat-" + "xxxxxxxxxxxxxxxxxxxx", "a GitLab access token"),
        ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig", "a JSON Web Token"),
        ("-----BEGIN PRIVATE KEY-----\nMIIE", "a private key"),
        ("redis://default:s3cret@cache.example.com:6379", "a URL with a password"),
        ("Zq8vK2mN4pR6tW1xY3bC5dF7gH9j", "a random key or token"),
        ("Northwind Shop", ""),
        ("6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b", ""),
        ("0f2ac74b498b48028cb68387c421e279", ""),
        ("https://api.example.com/v1/items/12345", ""),
        ("assets/Images/Banner2024Large.png", ""),
        ("AKIA", ""),
        ("sk_live_", ""),
        ("Bearer " + "abcdefghijklmnop1234", "a bearer token"),
        (
            "https://hooks.slack.com/services/" + "T0000/B0000/XXXXXXXXXXXXXXXX",
            "a Slack webhook URL",
        ),
        (
            "https://discord.com/api/webhooks/123/" + "abcdefghijklmnopqrstuv",
            "a Discord webhook URL",
        ),
    ],
)
def test_credential_kind(value: str, kind: str) -> None:
    assert credential_kind(value) == kind


@pytest.mark.parametrize(
    ("value", "hidden"),
    [
        ({"db": {"password": "x"}}, True),
        ({"hosts": ["a", "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"]}, True),
        ({"region": "weur", "retries": [1, 2]}, False),
    ],
)
def test_json_var_looks_like_credential(value: object, hidden: bool) -> None:
    assert looks_like_credential("SETTINGS", value) is hidden


def test_entropy_of_random_text_passes_threshold() -> None:
    assert shannon_entropy("Zq8vK2mN4pR6tW1xY3bC5dF7gH9j") >= MIN_RANDOM_SECRET_ENTROPY


def test_entropy_of_repeated_text() -> None:
    assert shannon_entropy("aaaa") == 0.0


def test_entropy_of_two_symbols() -> None:
    assert shannon_entropy("abab") == 1.0


# Facts


def test_compatibility_flags_loaded_once() -> None:
    assert wrangler_facts.compatibility_flags() is wrangler_facts.compatibility_flags()


def test_compatibility_flags_skip_comments() -> None:
    flags = wrangler_facts.compatibility_flags()
    assert "nodejs_compat" in flags
    assert not any(flag.startswith("#") for flag in flags)


def test_flag_tables_name_known_flags() -> None:
    known = wrangler_facts.compatibility_flags()
    assert set(wrangler_facts.COMPATIBILITY_FLAG_DEFAULT_DATES) <= known
    assert wrangler_facts.EXPERIMENTAL_COMPATIBILITY_FLAGS <= known
    assert wrangler_facts.COMPATIBILITY_FLAGS_ALWAYS_DEFAULT <= known


def test_rule_severities() -> None:
    rules = all_rules_by_code()
    assert rules["WD212"].severity is Severity.ERROR
    assert rules["WD216"].severity is Severity.WARNING
    assert rules["WD224"].severity is Severity.WARNING


def test_missing_secret_var_hint_suggests_secret(tmp_path: Path) -> None:
    text = config(vars={"API_TOKEN": "x", "SHOP": "y"}, env={"staging": {"vars": {}}})
    hints = {d.message.split('"')[1]: d.hint for d in diagnose(tmp_path, text) if d.code == "WD217"}
    assert hints["API_TOKEN"] == (
        '"API_TOKEN" looks like a secret: run `wrangler secret put API_TOKEN --env staging` '
        "instead of adding it to vars."
    )
    assert hints["SHOP"] == 'Add "SHOP" to "env.staging.vars".'
