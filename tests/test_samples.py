"""Configs that reproduce faults people hit in real projects, each with the verdict a user
should get. The files are written exactly as given, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from wrangler_docs.check.rules import all_rules
from wrangler_docs.diagnostics import Diagnostic, Severity
from wrangler_docs.project import Project, load_project

R2_CACHE_WITHOUT_BINDING = """\
{
  "name": "catalog",
  "main": ".open-next/worker.js",
  "compatibility_date": "2025-09-01",
  "compatibility_flags": ["nodejs_compat", "global_fetch_strictly_public"],
  "assets": { "binding": "ASSETS", "directory": ".open-next/assets" },
  "r2_buckets": [],
  "services": [{ "binding": "WORKER_SELF_REFERENCE", "service": "catalog" }]
}
"""

R2_CACHE_OPENNEXT = """\
import { defineCloudflareConfig } from "@opennextjs/cloudflare";
import r2IncrementalCache from "@opennextjs/cloudflare/overrides/incremental-cache/r2-incremental-cache";

export default defineCloudflareConfig({
  incrementalCache: r2IncrementalCache,
});
"""

DO_CLASS_MISSING_FROM_MIGRATIONS = """\
{
  "name": "newsroom",
  "main": ".open-next/worker.js",
  "compatibility_date": "2025-09-01",
  "compatibility_flags": ["nodejs_compat"],
  "assets": { "binding": "ASSETS", "directory": ".open-next/assets" },
  "durable_objects": {
    "bindings": [
      { "name": "NEXT_CACHE_DO_QUEUE", "class_name": "DOQueueHandler" },
      { "name": "NEXT_TAG_CACHE_DO_SHARDED", "class_name": "DOShardedTagCache" },
    ],
  },
  "migrations": [{ "tag": "v1", "new_sqlite_classes": ["DOQueueHandler"] }],
  "services": [{ "binding": "WORKER_SELF_REFERENCE", "service": "newsroom" }],
}
"""

OWN_CLASS_WITH_GENERATED_MAIN = """\
{
  "name": "counter-app",
  "main": ".open-next/worker.js",
  "compatibility_date": "2025-09-01",
  "compatibility_flags": ["nodejs_compat"],
  "assets": { "binding": "ASSETS", "directory": ".open-next/assets" },
  "durable_objects": {
    "bindings": [
      // the app's own visit counter
      { "name": "COUNTER", "class_name": "VisitCounter" }
    ]
  },
  "migrations": [{ "tag": "v1", "new_sqlite_classes": ["VisitCounter"] }]
}
"""

JSON5_ONLY_SYNTAX = """\
{
  "name": "edge-api",
  main: "src/index.ts",
  "compatibility_date": '2025-09-01',
  "limits": { "cpu_ms": NaN }
}
"""

COMMENT_LIKE_TEXT_IN_STRINGS = """\
/* Scheduled jobs and routes for the edge API. */
{
  "name": "edge-api", // the Worker's name
  "main": "src/index.ts",
  "compatibility_date": "2025-09-01",
  "routes": [
    // every path under the zone
    { "pattern": "example.com/*", "zone_name": "example.com" },
  ],
  "triggers": {
    /* runs every quarter hour */
    "crons": ["*/15 * * * *"],
  },
  "vars": { "DOCS_URL": "https://example.com/docs//*not-a-comment*/" },
}
"""


def load(tmp_path: Path, config: str, opennext: str | None = None) -> Project:
    (tmp_path / "wrangler.jsonc").write_bytes(config.encode("utf-8"))
    if opennext is not None:
        (tmp_path / "open-next.config.ts").write_bytes(opennext.encode("utf-8"))
    return load_project(tmp_path / "wrangler.jsonc")


def errors(project: Project) -> list[Diagnostic]:
    return [diagnostic for diagnostic in project.diagnostics if diagnostic.is_error]


def at(project: Project, line: int, column: int) -> list[Diagnostic]:
    return [
        diagnostic
        for diagnostic in project.diagnostics
        if (diagnostic.file, diagnostic.line, diagnostic.column) == ("wrangler.jsonc", line, column)
    ]


def test_r2_cache_without_binding(tmp_path: Path) -> None:
    project = load(tmp_path, R2_CACHE_WITHOUT_BINDING, R2_CACHE_OPENNEXT)
    [diagnostic] = errors(project)
    assert diagnostic.code == "WD301"
    assert (diagnostic.line, diagnostic.column) == (7, 17)
    assert diagnostic.path == "r2_buckets"
    assert "NEXT_INC_CACHE_R2_BUCKET" in diagnostic.message
    assert "open-next.config.ts:5:21" in diagnostic.message


def migration_rule_codes() -> set[str]:
    """Return the codes of the wrangler rules about Durable Object migrations."""
    return {
        item.code
        for item in all_rules()
        if item.scope == "wrangler"
        and item.severity is Severity.ERROR
        and "migration" in f"{item.title} {item.explanation}".lower()
    }


def test_do_class_missing_from_migrations(tmp_path: Path) -> None:
    codes = migration_rule_codes()
    if not codes:
        pytest.xfail("no wrangler rule about Durable Object migrations is registered")
    project = load(tmp_path, DO_CLASS_MISSING_FROM_MIGRATIONS)
    found = [diagnostic for diagnostic in at(project, 10, 60) if diagnostic.code in codes]
    assert len(found) == 1, [diagnostic.headline() for diagnostic in project.diagnostics]
    diagnostic = found[0]
    assert diagnostic.is_error
    assert diagnostic.path == "durable_objects.bindings[1].class_name"
    assert "new_sqlite_classes" in f"{diagnostic.message} {diagnostic.hint}"


def test_do_class_missing_gets_no_opennext_error(tmp_path: Path) -> None:
    project = load(tmp_path, DO_CLASS_MISSING_FROM_MIGRATIONS)
    assert [item.headline() for item in errors(project) if item.code.startswith("WD3")] == []


def test_own_class_with_generated_main(tmp_path: Path) -> None:
    project = load(tmp_path, OWN_CLASS_WITH_GENERATED_MAIN)
    [diagnostic] = errors(project)
    assert diagnostic.code == "WD325"
    assert (diagnostic.line, diagnostic.column) == (10, 42)
    assert diagnostic.path == "durable_objects.bindings[0].class_name"
    assert "a custom worker entry must export VisitCounter" in diagnostic.message
    assert "re-export OpenNext's classes" in diagnostic.message


def test_json5_only_syntax(tmp_path: Path) -> None:
    project = load(tmp_path, JSON5_ONLY_SYNTAX)
    [diagnostic] = errors(project)
    assert diagnostic.code == "WD004"
    assert (diagnostic.line, diagnostic.column) == (3, 3)
    assert "the key main is not in double quotes" in diagnostic.message
    assert project.worker is None


def test_comment_like_text_in_strings(tmp_path: Path) -> None:
    project = load(tmp_path, COMMENT_LIKE_TEXT_IN_STRINGS)
    assert [diagnostic.headline() for diagnostic in project.diagnostics] == []
    value = project.document.value
    assert value["name"] == "edge-api"
    assert value["routes"][0]["pattern"] == "example.com/*"
    assert value["routes"][0]["zone_name"] == "example.com"
    assert value["triggers"]["crons"] == ["*/15 * * * *"]
    assert value["vars"]["DOCS_URL"] == "https://example.com/docs//*not-a-comment*/"
    assert project.app is None
