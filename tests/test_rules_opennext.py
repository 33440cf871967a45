"""Tests for the OpenNext rules (WD3xx), run through the whole pipeline on real files."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from conftest import examples
from wrangler_docs.check.rules import RuleContext, all_rules
from wrangler_docs.diagnostics import Diagnostic, Severity
from wrangler_docs.model.opennext import build_opennext_app
from wrangler_docs.model.worker import build_worker
from wrangler_docs.project import Project, load_project
from wrangler_docs.read.jsonc import parse_jsonc
from wrangler_docs.read.opennext_ts import parse_opennext_config

REPO = Path(__file__).resolve().parents[1]

# A valid OpenNext app with one environment. Line numbers matter: the cases below edit
# single lines in place and assert exact positions.
CONFIG = """\
{
  "name": "shop",
  "main": ".open-next/worker.js",
  "compatibility_date": "2025-09-15",
  "compatibility_flags": ["nodejs_compat", "global_fetch_strictly_public"],
  "assets": { "directory": ".open-next/assets", "binding": "ASSETS" },
  "r2_buckets": [{ "binding": "NEXT_INC_CACHE_R2_BUCKET", "bucket_name": "shop-cache" }],
  "durable_objects": {
    "bindings": [
      { "name": "NEXT_CACHE_DO_QUEUE", "class_name": "DOQueueHandler" },
      { "name": "NEXT_TAG_CACHE_DO_SHARDED", "class_name": "DOShardedTagCache" },
    ],
  },
  "services": [{ "binding": "WORKER_SELF_REFERENCE", "service": "shop" }],
  "migrations": [{ "tag": "v1", "new_sqlite_classes": ["DOQueueHandler", "DOShardedTagCache"] }],
  "env": {
    "staging": {
      "r2_buckets": [{ "binding": "NEXT_INC_CACHE_R2_BUCKET", "bucket_name": "shop-stage" }],
      "durable_objects": {
        "bindings": [
          { "name": "NEXT_CACHE_DO_QUEUE", "class_name": "DOQueueHandler" },
          { "name": "NEXT_TAG_CACHE_DO_SHARDED", "class_name": "DOShardedTagCache" },
        ],
      },
      "services": [{ "binding": "WORKER_SELF_REFERENCE", "service": "shop-staging" }],
    },
  },
}
"""

OPENNEXT = """\
import { defineCloudflareConfig } from "@opennextjs/cloudflare";
import r2IncrementalCache from "@opennextjs/cloudflare/overrides/incremental-cache/r2-incremental-cache";
import doQueue from "@opennextjs/cloudflare/overrides/queue/do-queue";
import doShardedTagCache from "@opennextjs/cloudflare/overrides/tag-cache/do-sharded-tag-cache";

export default defineCloudflareConfig({
  incrementalCache: r2IncrementalCache,
  queue: doQueue,
  tagCache: doShardedTagCache({ baseShardSize: 12 }),
});
"""

OVERRIDES = "@opennextjs/cloudflare/overrides/"

# Lines of CONFIG that the cases replace.
TOP_R2 = '  "r2_buckets": [{ "binding": "NEXT_INC_CACHE_R2_BUCKET", "bucket_name": "shop-cache" }],'
TOP_QUEUE = '\n      { "name": "NEXT_CACHE_DO_QUEUE", "class_name": "DOQueueHandler" },'
TOP_SHARDED = '\n      { "name": "NEXT_TAG_CACHE_DO_SHARDED", "class_name": "DOShardedTagCache" },'
TOP_SERVICES = '  "services": [{ "binding": "WORKER_SELF_REFERENCE", "service": "shop" }],'
MIGRATIONS = '"new_sqlite_classes": ["DOQueueHandler", "DOShardedTagCache"]'
STAGING_SERVICES = '"service": "shop-staging"'
STAGING_DURABLE_OBJECTS = """\
      "durable_objects": {
        "bindings": [
          { "name": "NEXT_CACHE_DO_QUEUE", "class_name": "DOQueueHandler" },
          { "name": "NEXT_TAG_CACHE_DO_SHARDED", "class_name": "DOShardedTagCache" },
        ],
      },
"""
TAG_CACHE = "tagCache: doShardedTagCache({ baseShardSize: 12 }),"
QUEUE_IMPORT = 'import doQueue from "@opennextjs/cloudflare/overrides/queue/do-queue";'


def edit(text: str, edits: tuple[tuple[str, str], ...]) -> str:
    """Apply (old, new) replacements, each to the first occurrence, which must exist."""
    for old, new in edits:
        assert old in text, f"{old!r} is not in the text"
        text = text.replace(old, new, 1)
    return text


def check(tmp_path: Path, config: str, opennext: str | None = None) -> Project:
    (tmp_path / "wrangler.jsonc").write_text(config, encoding="utf-8")
    if opennext is not None:
        (tmp_path / "open-next.config.ts").write_text(opennext, encoding="utf-8")
    return load_project(tmp_path / "wrangler.jsonc")


def opennext_diagnostics(project: Project) -> list[Diagnostic]:
    return [diagnostic for diagnostic in project.diagnostics if diagnostic.code.startswith("WD3")]


@dataclass(frozen=True)
class Case:
    name: str
    code: str
    line: int
    column: int
    path: str
    message: str
    config: tuple[tuple[str, str], ...] = ()
    opennext: tuple[tuple[str, str], ...] = ()
    file: str = "wrangler.jsonc"
    count: int = 1
    """How many diagnostics of `code` are expected: one per environment that has the fault.
    The first in file order is the one checked."""


FAILING = [
    # WD301: a binding an override reads is missing.
    Case(
        "r2 list empty",
        "WD301",
        7,
        17,
        "r2_buckets",
        "open-next.config.ts:7:21 uses the R2 incremental cache, which reads the R2 bucket "
        "binding NEXT_INC_CACHE_R2_BUCKET, but `r2_buckets` has none",
        config=((TOP_R2, '  "r2_buckets": [],'),),
    ),
    Case(
        "r2 key absent",
        "WD301",
        1,
        1,
        "r2_buckets",
        "but there is no `r2_buckets` at the top level",
        config=((TOP_R2, '  "observability": { "enabled": true },'),),
    ),
    Case(
        "self reference missing",
        "WD301",
        14,
        15,
        "services",
        "open-next.config.ts:8:10 uses the Durable Object queue, which reads the Service binding "
        "WORKER_SELF_REFERENCE",
        config=((TOP_SERVICES, '  "services": [],'),),
    ),
    Case(
        "queue binding missing",
        "WD301",
        9,
        17,
        "durable_objects.bindings",
        "reads the Durable Object binding NEXT_CACHE_DO_QUEUE, but `durable_objects.bindings` "
        "has none",
        config=((TOP_QUEUE, ""),),
    ),
    Case(
        "sharded binding missing",
        "WD301",
        9,
        17,
        "durable_objects.bindings",
        "uses the Sharded Durable Object tag cache, which reads the Durable Object binding "
        "NEXT_TAG_CACHE_DO_SHARDED",
        config=((TOP_SHARDED, ""),),
    ),
    Case(
        "kv incremental cache",
        "WD301",
        1,
        1,
        "kv_namespaces",
        "uses the KV incremental cache, which reads the KV namespace binding NEXT_INC_CACHE_KV",
        opennext=(
            ("incremental-cache/r2-incremental-cache", "incremental-cache/kv-incremental-cache"),
        ),
        count=2,
    ),
    Case(
        "d1 tag cache",
        "WD301",
        1,
        1,
        "d1_databases",
        "uses the D1 tag cache, which reads the D1 database binding NEXT_TAG_CACHE_D1",
        opennext=(
            ("tag-cache/do-sharded-tag-cache", "tag-cache/d1-next-tag-cache"),
            (TAG_CACHE, "tagCache: doShardedTagCache,"),
        ),
        count=2,
    ),
    Case(
        "kv tag cache",
        "WD301",
        1,
        1,
        "kv_namespaces",
        "uses the KV tag cache, which reads the KV namespace binding NEXT_TAG_CACHE_KV",
        opennext=(
            ("tag-cache/do-sharded-tag-cache", "tag-cache/kv-next-tag-cache"),
            (TAG_CACHE, "tagCache: doShardedTagCache,"),
        ),
        count=2,
    ),
    Case(
        "memory queue",
        "WD301",
        14,
        15,
        "services",
        "uses the Memory queue, which reads the Service binding WORKER_SELF_REFERENCE",
        config=((TOP_SERVICES, '  "services": [],'),),
        opennext=(("queue/do-queue", "queue/memory-queue"),),
    ),
    Case(
        "purge durable object",
        "WD301",
        9,
        17,
        "durable_objects.bindings",
        "open-next.config.ts:11:15 uses the Cache purge, which reads the Durable Object binding "
        "NEXT_CACHE_DO_PURGE",
        opennext=(
            (
                QUEUE_IMPORT,
                QUEUE_IMPORT + f'\nimport {{ purgeCache }} from "{OVERRIDES}cache-purge/index";',
            ),
            (TAG_CACHE, TAG_CACHE + '\n  cachePurge: purgeCache({ type: "durableObject" }),'),
        ),
        count=2,
    ),
    Case(
        "environment list empty",
        "WD301",
        18,
        21,
        "env.staging.r2_buckets",
        "but `env.staging.r2_buckets` has none",
        config=(
            (
                '"r2_buckets": [{ "binding": "NEXT_INC_CACHE_R2_BUCKET", "bucket_name": "shop-stage" }]',
                '"r2_buckets": []',
            ),
        ),
    ),
    # WD302: an OpenNext binding name on the wrong kind of binding.
    Case(
        "r2 name on kv",
        "WD302",
        7,
        34,
        "kv_namespaces[0].binding",
        "NEXT_INC_CACHE_R2_BUCKET is bound as a KV namespace, but OpenNext reads it as an R2 "
        "bucket",
        config=(
            (
                TOP_R2,
                '  "kv_namespaces": [{ "binding": "NEXT_INC_CACHE_R2_BUCKET", "id": "abc" }],',
            ),
        ),
    ),
    # WD303: the R2 incremental cache binding has no bucket.
    Case(
        "r2 without bucket_name",
        "WD303",
        7,
        18,
        "r2_buckets[0]",
        "The R2 binding NEXT_INC_CACHE_R2_BUCKET has no bucket_name",
        config=((TOP_R2, '  "r2_buckets": [{ "binding": "NEXT_INC_CACHE_R2_BUCKET" }],'),),
    ),
    # WD304: an OpenNext binding that no configured override reads.
    Case(
        "d1 binding unused",
        "WD304",
        7,
        121,
        "d1_databases[0].binding",
        "NEXT_TAG_CACHE_D1 is bound, but open-next.config.ts does not use the D1 tag cache",
        config=(
            (
                TOP_R2,
                TOP_R2
                + ' "d1_databases": [{ "binding": "NEXT_TAG_CACHE_D1", "database_id": "x" }],',
            ),
        ),
    ),
    Case(
        "purge binding with direct purge",
        "WD304",
        10,
        17,
        "durable_objects.bindings[0].name",
        "NEXT_CACHE_DO_PURGE is bound, but open-next.config.ts does not use purgeCache({ type: "
        '"durableObject" }), the only override that reads it',
        config=(
            (
                TOP_QUEUE,
                '\n      { "name": "NEXT_CACHE_DO_PURGE", "class_name": "BucketCachePurge" },'
                + TOP_QUEUE[1:],
            ),
        ),
        opennext=(
            (
                QUEUE_IMPORT,
                QUEUE_IMPORT + f'\nimport {{ purgeCache }} from "{OVERRIDES}cache-purge/index";',
            ),
            (TAG_CACHE, TAG_CACHE + '\n  cachePurge: purgeCache({ type: "direct" }),'),
        ),
    ),
    # WD305: an OpenNext binding with another class.
    Case(
        "misspelled sharded class",
        "WD305",
        11,
        60,
        "durable_objects.bindings[1].class_name",
        "DOTagCacheShard is not an OpenNext class; did you mean DOShardedTagCache, the class "
        "NEXT_TAG_CACHE_DO_SHARDED needs?",
        config=((TOP_SHARDED, TOP_SHARDED.replace('"DOShardedTagCache"', '"DOTagCacheShard"')),),
    ),
    Case(
        "swapped classes",
        "WD305",
        10,
        54,
        "durable_objects.bindings[0].class_name",
        "NEXT_CACHE_DO_QUEUE must use OpenNext's class DOQueueHandler, not DOShardedTagCache",
        config=((TOP_QUEUE, TOP_QUEUE.replace('"DOQueueHandler"', '"DOShardedTagCache"')),),
    ),
    # WD306: names OpenNext renamed.
    Case(
        "renamed binding",
        "WD306",
        7,
        31,
        "r2_buckets[0].binding",
        "NEXT_CACHE_R2_BUCKET was renamed to NEXT_INC_CACHE_R2_BUCKET in @opennextjs/cloudflare "
        "0.6.0, so OpenNext 1.20.17 never reads NEXT_CACHE_R2_BUCKET",
        config=((TOP_R2, TOP_R2.replace("NEXT_INC_CACHE_R2_BUCKET", "NEXT_CACHE_R2_BUCKET")),),
    ),
    Case(
        "renamed prefix",
        "WD306",
        11,
        17,
        "durable_objects.bindings[1].name",
        "NEXT_CACHE_DO_SHARDED was renamed to NEXT_TAG_CACHE_DO_SHARDED in "
        "@opennextjs/cloudflare 0.6.0",
        config=((TOP_SHARDED, TOP_SHARDED.replace("NEXT_TAG_CACHE_DO", "NEXT_CACHE_DO")),),
    ),
    Case(
        "renamed class",
        "WD306",
        10,
        54,
        "durable_objects.bindings[0].class_name",
        "DurableObjectQueueHandler was renamed to DOQueueHandler in @opennextjs/cloudflare "
        "1.0.0-beta.0",
        config=((TOP_QUEUE, TOP_QUEUE.replace('"DOQueueHandler"', '"DurableObjectQueueHandler"')),),
    ),
    Case(
        "renamed class in migration",
        "WD306",
        15,
        56,
        "migrations[0].new_sqlite_classes[0]",
        "DurableObjectQueueHandler was renamed to DOQueueHandler in @opennextjs/cloudflare "
        "1.0.0-beta.0, so OpenNext 1.20.17 never reads DurableObjectQueueHandler, and the "
        "generated worker does not export it",
        config=(
            (MIGRATIONS, MIGRATIONS.replace('"DOQueueHandler"', '"DurableObjectQueueHandler"')),
        ),
    ),
    Case(
        "renamed variable",
        "WD306",
        14,
        86,
        "vars.NEXT_CACHE_DO_QUEUE_MAX_NUM_REVALIDATIONS",
        "NEXT_CACHE_DO_QUEUE_MAX_NUM_REVALIDATIONS was renamed to NEXT_CACHE_DO_QUEUE_MAX_RETRIES "
        "in @opennextjs/cloudflare 1.0.0-beta.0",
        config=(
            (
                TOP_SERVICES,
                TOP_SERVICES + ' "vars": { "NEXT_CACHE_DO_QUEUE_MAX_NUM_REVALIDATIONS": "3" },',
            ),
        ),
    ),
    Case(
        "renamed shard option",
        "WD306",
        9,
        33,
        "tagCache.numberOfShards",
        "doShardedTagCache option numberOfShards was replaced by baseShardSize in "
        "@opennextjs/cloudflare 0.6.0, so OpenNext 1.20.17 ignores it",
        opennext=((TAG_CACHE, "tagCache: doShardedTagCache({ numberOfShards: 12 }),"),),
        file="open-next.config.ts",
    ),
    Case(
        "renamed replication option",
        "WD306",
        9,
        52,
        "tagCache.enableShardReplication",
        "doShardedTagCache option enableShardReplication was replaced by shardReplication in "
        "@opennextjs/cloudflare 1.0.0-beta.0",
        opennext=(
            (
                TAG_CACHE,
                "tagCache: doShardedTagCache({ baseShardSize: 12, enableShardReplication: true }),",
            ),
        ),
        file="open-next.config.ts",
    ),
    # WD307: names one typo away from an OpenNext name.
    Case(
        "misspelled binding",
        "WD307",
        11,
        17,
        "durable_objects.bindings[1].name",
        "Binding NEXT_TAG_CACHE_DO_SHARDD is not read by OpenNext; did you mean "
        "NEXT_TAG_CACHE_DO_SHARDED?",
        config=((TOP_SHARDED, TOP_SHARDED.replace("_SHARDED", "_SHARDD")),),
    ),
    Case(
        "misspelled variable",
        "WD307",
        14,
        86,
        "vars.NEXT_CACHE_DO_QUEUE_MAX_RETRY",
        "Variable NEXT_CACHE_DO_QUEUE_MAX_RETRY is not read by OpenNext; did you mean "
        "NEXT_CACHE_DO_QUEUE_MAX_RETRIES?",
        config=(
            (TOP_SERVICES, TOP_SERVICES + ' "vars": { "NEXT_CACHE_DO_QUEUE_MAX_RETRY": "3" },'),
        ),
    ),
    Case(
        "misspelled migration class",
        "WD307",
        15,
        74,
        "migrations[0].new_sqlite_classes[1]",
        "Migration class DOShardedTagCach is not an OpenNext class; did you mean "
        "DOShardedTagCache?",
        config=((MIGRATIONS, MIGRATIONS.replace('"DOShardedTagCache"', '"DOShardedTagCach"')),),
    ),
    # WD310: OpenNext classes need SQLite storage.
    Case(
        "new_classes",
        "WD310",
        15,
        49,
        "migrations[0].new_classes[0]",
        "DOQueueHandler is created with new_classes, which gives it key-value storage, but "
        "OpenNext's class uses SQL and fails with \"SQL is not enabled for this Durable Object "
        'class."',
        config=(
            (
                MIGRATIONS,
                '"new_classes": ["DOQueueHandler"], "new_sqlite_classes": ["DOShardedTagCache"]',
            ),
        ),
    ),
    # WD311: an environment without a key that contains OpenNext bindings.
    Case(
        "environment without durable_objects",
        "WD311",
        17,
        5,
        "env.staging",
        "env.staging has no `durable_objects`, and environments do not inherit it, so the "
        "shop-staging Worker lacks NEXT_CACHE_DO_QUEUE, NEXT_TAG_CACHE_DO_SHARDED",
        config=((STAGING_DURABLE_OBJECTS, ""),),
    ),
    # WD313: an environment without a key that contains only the app's bindings.
    Case(
        "environment without app database",
        "WD313",
        17,
        5,
        "env.staging",
        '"d1_databases" exists at the top level, but not on "env.staging"',
        config=(
            (
                TOP_R2,
                TOP_R2 + ' "d1_databases": [{ "binding": "DB", "database_id": "x" }],',
            ),
        ),
    ),
    # WD312: the self reference must call this environment's Worker.
    Case(
        "staging calls production",
        "WD312",
        25,
        69,
        "env.staging.services[0].service",
        'WORKER_SELF_REFERENCE calls the Worker "shop", but in env.staging this Worker deploys '
        'as "shop-staging"',
        config=((STAGING_SERVICES, '"service": "shop"'),),
    ),
    Case(
        "top level calls another worker",
        "WD312",
        14,
        65,
        "services[0].service",
        'WORKER_SELF_REFERENCE calls the Worker "nextn", but at the top level this Worker '
        'deploys as "shop"',
        config=((TOP_SERVICES, TOP_SERVICES.replace('"shop"', '"nextn"')),),
    ),
    # WD320 to WD325: runtime settings.
    Case(
        "only nodejs_compat_v2",
        "WD320",
        5,
        27,
        "compatibility_flags[0]",
        "compatibility_flags at the top level has nodejs_compat_v2 but not nodejs_compat",
        config=(('["nodejs_compat", "global_fetch_strictly_public"]', '["nodejs_compat_v2"]'),),
    ),
    Case(
        "no nodejs_compat",
        "WD320",
        5,
        26,
        "compatibility_flags",
        "`compatibility_flags` does not contain nodejs_compat, which OpenNext needs",
        config=(('["nodejs_compat", "global_fetch_strictly_public"]', "[]"),),
    ),
    Case(
        "date before minimum",
        "WD321",
        4,
        25,
        "compatibility_date",
        "compatibility_date 2024-09-01 is before 2024-09-23, the earliest OpenNext supports",
        config=(('"2025-09-15"', '"2024-09-01"'),),
    ),
    Case(
        "date before FinalizationRegistry",
        "WD322",
        4,
        25,
        "compatibility_date",
        "compatibility_date 2025-02-04 is before 2025-05-05, so FinalizationRegistry is not "
        "defined at run time",
        config=(('"2025-09-15"', '"2025-02-04"'),),
    ),
    Case(
        "main inside output but not worker",
        "WD323",
        3,
        11,
        "main",
        "main .open-next/server-functions/default/handler.mjs is inside .open-next/ but is not "
        ".open-next/worker.js",
        config=(('".open-next/worker.js"', '".open-next/server-functions/default/handler.mjs"'),),
    ),
    Case(
        "assets elsewhere",
        "WD324",
        6,
        28,
        "assets.directory",
        "assets.directory public is not .open-next/assets",
        config=(('"directory": ".open-next/assets"', '"directory": "public"'),),
    ),
    Case(
        "assets missing",
        "WD324",
        1,
        1,
        "assets",
        "assets is not set at the top level, so no static file is served",
        config=(
            (
                '  "assets": { "directory": ".open-next/assets", "binding": "ASSETS" },',
                '  "observability": { "enabled": true },',
            ),
        ),
    ),
    Case(
        "app class with generated main",
        "WD325",
        10,
        42,
        "durable_objects.bindings[0].class_name",
        "VisitCounter is bound without script_name, but main is .open-next/worker.js, which "
        "exports only OpenNext's classes DOQueueHandler, DOShardedTagCache and BucketCachePurge; "
        "a custom worker entry must export VisitCounter and re-export OpenNext's classes",
        config=(
            (
                TOP_QUEUE,
                '\n      { "name": "COUNTER", "class_name": "VisitCounter" },' + TOP_QUEUE,
            ),
        ),
    ),
    Case(
        "app workflow with generated main",
        "WD325",
        14,
        149,
        "workflows[0].class_name",
        "Checkout is bound without script_name, but main is .open-next/worker.js",
        config=(
            (
                TOP_SERVICES,
                TOP_SERVICES + ' "workflows": [{ "binding": "CHECKOUT", "name": "checkout", '
                '"class_name": "Checkout" }],',
            ),
        ),
    ),
    # WD330 and WD331: options of doShardedTagCache.
    Case(
        "options without baseShardSize",
        "WD330",
        9,
        31,
        "tagCache.baseShardSize",
        "doShardedTagCache options have no baseShardSize, so every shard id is shard-NaN",
        opennext=((TAG_CACHE, "tagCache: doShardedTagCache({ regionalCache: true }),"),),
        file="open-next.config.ts",
    ),
    Case(
        "baseShardSize undefined",
        "WD330",
        9,
        48,
        "tagCache.baseShardSize",
        "baseShardSize is null or undefined",
        opennext=((TAG_CACHE, "tagCache: doShardedTagCache({ baseShardSize: undefined }),"),),
        file="open-next.config.ts",
    ),
    Case(
        "docs name for regional replication",
        "WD331",
        12,
        7,
        "tagCache.shardReplication.regionalReplicationOptions",
        "shardReplication.regionalReplicationOptions is the name in OpenNext's docs, but the "
        "code reads shardReplication.regionalReplication, so regional replication stays off",
        opennext=(
            (
                TAG_CACHE,
                (
                    "tagCache: doShardedTagCache({\n"
                    "    baseShardSize: 12,\n"
                    "    shardReplication: {\n"
                    '      regionalReplicationOptions: { defaultRegion: "weur" },\n'
                    "      numberOfSoftReplicas: 2,\n"
                    "      numberOfHardReplicas: 1,\n"
                    "    },\n"
                    "  }),"
                ),
            ),
        ),
        file="open-next.config.ts",
    ),
    Case(
        "misspelled option",
        "WD331",
        9,
        52,
        "tagCache.regionalCacheTTL",
        "doShardedTagCache has no option regionalCacheTTL, so it is ignored; did you mean "
        "regionalCacheTtlSec?",
        opennext=(
            (TAG_CACHE, "tagCache: doShardedTagCache({ baseShardSize: 12, regionalCacheTTL: 9 }),"),
        ),
        file="open-next.config.ts",
    ),
    # WD332: a queue var that parseInt reads as NaN or an unusable number.
    Case(
        "queue max revalidation zero string",
        "WD332",
        15,
        53,
        "vars.NEXT_CACHE_DO_QUEUE_MAX_REVALIDATION",
        "NEXT_CACHE_DO_QUEUE_MAX_REVALIDATION is 0, so every revalidation waits forever",
        config=(
            (
                TOP_SERVICES,
                TOP_SERVICES + '\n  "vars": { "NEXT_CACHE_DO_QUEUE_MAX_REVALIDATION": "0" },',
            ),
        ),
    ),
    Case(
        "queue retries not a number",
        "WD332",
        15,
        48,
        "vars.NEXT_CACHE_DO_QUEUE_MAX_RETRIES",
        "NEXT_CACHE_DO_QUEUE_MAX_RETRIES contains no number, so parseInt gives NaN and failed "
        "revalidations are retried without end",
        config=(
            (
                TOP_SERVICES,
                TOP_SERVICES + '\n  "vars": { "NEXT_CACHE_DO_QUEUE_MAX_RETRIES": "six" },',
            ),
        ),
    ),
]


@pytest.mark.parametrize("case", FAILING, ids=[case.name for case in FAILING])
def test_rule_reports_case(tmp_path: Path, case: Case) -> None:
    project = check(tmp_path, edit(CONFIG, case.config), edit(OPENNEXT, case.opennext))
    matches = [diagnostic for diagnostic in project.diagnostics if diagnostic.code == case.code]
    assert len(matches) == case.count, [item.headline() for item in project.diagnostics]
    diagnostic = matches[0]
    assert (diagnostic.file, diagnostic.line, diagnostic.column) == (
        case.file,
        case.line,
        case.column,
    )
    assert diagnostic.path == case.path
    assert case.message in diagnostic.message
    assert diagnostic.hint


@dataclass(frozen=True)
class Passing:
    name: str
    code: str
    config: tuple[tuple[str, str], ...] = ()
    opennext: tuple[tuple[str, str], ...] = ()


PASSING = [
    Passing(
        "purge binding with durable object purge",
        "WD301",
        config=(
            (
                TOP_QUEUE,
                '\n      { "name": "NEXT_CACHE_DO_PURGE", "class_name": "BucketCachePurge" },'
                + TOP_QUEUE[1:],
            ),
            (
                '\n          { "name": "NEXT_CACHE_DO_QUEUE"',
                (
                    '\n          { "name": "NEXT_CACHE_DO_PURGE", "class_name": "BucketCachePurge" },'
                    '\n          { "name": "NEXT_CACHE_DO_QUEUE"'
                ),
            ),
            (MIGRATIONS, MIGRATIONS.replace("]", ', "BucketCachePurge"]')),
        ),
        opennext=(
            (
                QUEUE_IMPORT,
                QUEUE_IMPORT + f'\nimport {{ purgeCache }} from "{OVERRIDES}cache-purge/index";',
            ),
            (TAG_CACHE, TAG_CACHE + '\n  cachePurge: purgeCache({ type: "durableObject" }),'),
        ),
    ),
    Passing(
        "direct purge needs no binding",
        "WD301",
        opennext=(
            (
                QUEUE_IMPORT,
                QUEUE_IMPORT + f'\nimport {{ purgeCache }} from "{OVERRIDES}cache-purge/index";',
            ),
            (TAG_CACHE, TAG_CACHE + "\n  cachePurge: purgeCache({}),"),
        ),
    ),
    Passing(
        "wrapped overrides",
        "WD301",
        opennext=(
            (
                QUEUE_IMPORT,
                QUEUE_IMPORT
                + f'\nimport {{ withRegionalCache }} from "{OVERRIDES}incremental-cache/regional-cache";'
                + f'\nimport queueCache from "{OVERRIDES}queue/queue-cache";',
            ),
            (
                "incrementalCache: r2IncrementalCache,",
                'incrementalCache: withRegionalCache(r2IncrementalCache, { mode: "long-lived" }),',
            ),
            ("queue: doQueue,", "queue: queueCache(doQueue),"),
        ),
    ),
    Passing(
        "self reference without a queue",
        "WD304",
        opennext=((QUEUE_IMPORT, ""), ("queue: doQueue,", "")),
        config=(
            (TOP_QUEUE, ""),
            ('\n          { "name": "NEXT_CACHE_DO_QUEUE", "class_name": "DOQueueHandler" },', ""),
        ),
    ),
    Passing(
        "custom tag cache may read any binding",
        "WD304",
        config=(
            (
                TOP_R2,
                TOP_R2
                + ' "d1_databases": [{ "binding": "NEXT_TAG_CACHE_D1", "database_id": "x" }],',
            ),
        ),
        opennext=((TAG_CACHE, "tagCache: { name: 'mine', mode: 'nextMode' } as never,"),),
    ),
    Passing(
        "renamed class with rename migration",
        "WD306",
        config=(
            (
                MIGRATIONS,
                MIGRATIONS.replace('"DOQueueHandler"', '"DurableObjectQueueHandler"')
                + ' }, { "tag": "v2", "renamed_classes": [{ "from": "DurableObjectQueueHandler", '
                '"to": "DOQueueHandler" }]',
            ),
        ),
    ),
    Passing(
        "app binding far from OpenNext names",
        "WD307",
        config=((TOP_R2, TOP_R2 + ' "kv_namespaces": [{ "binding": "SESSIONS", "id": "abc" }],'),),
    ),
    Passing(
        "exports with sqlite storage",
        "WD310",
        config=(
            (
                '  "migrations": [{ "tag": "v1", ' + MIGRATIONS + " }],",
                '  "exports": { "DOQueueHandler": { "type": "durable-object", "storage": "sqlite" } },',
            ),
        ),
    ),
    Passing(
        "app-only key missing from environment",
        "WD311",
        config=((TOP_R2, TOP_R2 + ' "kv_namespaces": [{ "binding": "SESSIONS", "id": "abc" }],'),),
    ),
    Passing(
        "missing key holds an OpenNext binding",
        "WD313",
        config=((STAGING_DURABLE_OBJECTS, ""),),
    ),
    Passing(
        "environment with its own name",
        "WD312",
        config=(
            ('    "staging": {', '    "staging": { "name": "shop-preview",'),
            (STAGING_SERVICES, '"service": "shop-preview"'),
        ),
    ),
    Passing("recommended date", "WD322", config=(('"2025-09-15"', '"2025-05-05"'),)),
    Passing("minimum date", "WD321", config=(('"2025-09-15"', '"2024-09-23"'),)),
    Passing(
        "main with dot slash",
        "WD323",
        config=(('".open-next/worker.js"', '"./.open-next/worker.js"'),),
    ),
    Passing("custom worker main", "WD323", config=(('".open-next/worker.js"', '"src/worker.ts"'),)),
    Passing(
        "assets with dot slash and slash",
        "WD324",
        config=(('"directory": ".open-next/assets"', '"directory": "./.open-next/assets/"'),),
    ),
    Passing(
        "app class with custom worker",
        "WD325",
        config=(
            ('".open-next/worker.js"', '"src/worker.ts"'),
            (TOP_QUEUE, '\n      { "name": "COUNTER", "class_name": "VisitCounter" },' + TOP_QUEUE),
        ),
    ),
    Passing(
        "app class in another worker",
        "WD325",
        config=(
            (
                TOP_QUEUE,
                '\n      { "name": "COUNTER", "class_name": "VisitCounter", "script_name": "counter" },'
                + TOP_QUEUE,
            ),
        ),
    ),
    Passing(
        "no options object", "WD330", opennext=((TAG_CACHE, "tagCache: doShardedTagCache(),"),)
    ),
    Passing(
        "regional replication spelled as the code reads it",
        "WD331",
        opennext=(
            (
                TAG_CACHE,
                (
                    "tagCache: doShardedTagCache({ baseShardSize: 12, shardReplication: { "
                    "numberOfSoftReplicas: 2, numberOfHardReplicas: 1, regionalReplication: { "
                    'defaultRegion: "weur" } } }),'
                ),
            ),
        ),
    ),
    Passing(
        "queue vars read by parseInt",
        "WD332",
        config=(
            (
                TOP_SERVICES,
                TOP_SERVICES
                + '\n  "vars": { "NEXT_CACHE_DO_QUEUE_MAX_REVALIDATION": "8 slots", '
                + '"NEXT_CACHE_DO_QUEUE_MAX_RETRIES": 0, "NEXT_CACHE_DO_QUEUE_RETRY_INTERVAL_MS": "" },',
            ),
        ),
    ),
]


@pytest.mark.parametrize("case", PASSING, ids=[case.name for case in PASSING])
def test_rule_accepts_case(tmp_path: Path, case: Passing) -> None:
    project = check(tmp_path, edit(CONFIG, case.config), edit(OPENNEXT, case.opennext))
    found = [
        diagnostic.headline() for diagnostic in project.diagnostics if diagnostic.code == case.code
    ]
    assert found == []


def test_base_config_is_clean(tmp_path: Path) -> None:
    project = check(tmp_path, CONFIG, OPENNEXT)
    assert project.app is not None
    assert [diagnostic.headline() for diagnostic in project.diagnostics] == []


def test_repository_config_is_clean(tmp_path: Path) -> None:
    for name in ("wrangler.jsonc", "open-next.config.ts"):
        shutil.copy2(REPO / name, tmp_path / name)
    project = load_project(tmp_path / "wrangler.jsonc")
    assert project.app is not None
    assert [diagnostic.headline() for diagnostic in project.diagnostics] == []


PLAIN_WORKER = """\
{
  "name": "edge-api",
  "main": "src/index.ts",
  "compatibility_date": "2023-01-01",
  "assets": { "directory": "public" },
  "kv_namespaces": [{ "binding": "NEXT_CACHE", "id": "abc" }],
  "durable_objects": { "bindings": [{ "name": "COUNTER", "class_name": "DOShardedTagCach" }] },
  "migrations": [{ "tag": "v1", "new_classes": ["DOShardedTagCach"] }],
}
"""


def test_plain_worker_gets_no_opennext_rules(tmp_path: Path) -> None:
    project = check(tmp_path, PLAIN_WORKER)
    assert project.app is None
    assert opennext_diagnostics(project) == []


def test_rules_without_opennext_config(tmp_path: Path) -> None:
    config = edit(CONFIG, ((TOP_R2, '  "r2_buckets": [],'),))
    project = check(tmp_path, config)
    assert project.app is not None
    assert opennext_diagnostics(project) == []


def test_environment_name_in_self_reference_hint(tmp_path: Path) -> None:
    config = edit(CONFIG, ((TOP_SERVICES, '  "services": [],'),))
    project = check(tmp_path, config, OPENNEXT)
    [diagnostic] = [item for item in project.diagnostics if item.code == "WD301"]
    assert '"service": "shop"' in diagnostic.hint


def test_renamed_binding_named_in_missing_hint(tmp_path: Path) -> None:
    config = edit(CONFIG, ((TOP_R2, TOP_R2.replace("NEXT_INC_CACHE_R2", "NEXT_CACHE_R2")),))
    project = check(tmp_path, config, OPENNEXT)
    [diagnostic] = [item for item in project.diagnostics if item.code == "WD301"]
    assert diagnostic.hint.startswith("NEXT_CACHE_R2_BUCKET is bound; rename it")


def test_inherited_settings_reported_once(tmp_path: Path) -> None:
    config = edit(CONFIG, (('"2025-09-15"', '"2024-01-01"'),))
    project = check(tmp_path, config, OPENNEXT)
    found = [item for item in project.diagnostics if item.code == "WD321"]
    assert len(found) == 1


def test_environment_setting_checked_where_written(tmp_path: Path) -> None:
    config = edit(CONFIG, (('    "staging": {', '    "staging": { "compatibility_flags": [],'),))
    project = check(tmp_path, config, OPENNEXT)
    [diagnostic] = [item for item in project.diagnostics if item.code == "WD320"]
    assert (diagnostic.line, diagnostic.column, diagnostic.path) == (
        17,
        41,
        "env.staging.compatibility_flags",
    )


MALFORMED = """\
{
  "name": 5,
  "main": [".open-next/worker.js"],
  "compatibility_date": "yesterday",
  "compatibility_flags": "nodejs_compat",
  "assets": ["public"],
  "r2_buckets": { "binding": "NEXT_INC_CACHE_R2_BUCKET" },
  "durable_objects": { "bindings": [7, { "name": "NEXT_CACHE_DO_QUEUE" }, { "class_name": "X" }] },
  "services": [{ "binding": "WORKER_SELF_REFERENCE", "service": 3 }],
  "migrations": [{ "new_classes": "DOQueueHandler" }, 4, { "new_classes": [1, "DOQueueHandler"] }],
  "exports": { "DOQueueHandler": 4, "DOShardedTagCache": { "storage": "legacy-kv" } },
  "vars": [1, 2],
  "env": { "a": 3, "b": { "durable_objects": null, "main": null }, "c": [] },
}
"""

MALFORMED_OPENNEXT = """\
import doShardedTagCache from "@opennextjs/cloudflare/overrides/tag-cache/do-sharded-tag-cache";
import purge from "@opennextjs/cloudflare/overrides/cache-purge/index";
export default {
  tagCache: doShardedTagCache({ shardReplication: 4, ...more }),
  cachePurge: purge(null),
  queue: "direct",
};
"""


def test_malformed_config_yields_diagnostics(tmp_path: Path) -> None:
    project = check(tmp_path, MALFORMED, MALFORMED_OPENNEXT)
    codes = {diagnostic.code for diagnostic in project.diagnostics}
    assert "WD310" in codes
    assert all(isinstance(diagnostic, Diagnostic) for diagnostic in project.diagnostics)


def test_every_rule_documented() -> None:
    rules = [item for item in all_rules() if item.code.startswith("WD3")]
    assert len(rules) >= 18
    for item in rules:
        assert item.scope == "opennext"
        assert item.explanation
        assert item.fix
        assert item.source.startswith("@opennextjs/cloudflare 1.20.17")


def test_severities() -> None:
    rules = {item.code: item.severity for item in all_rules()}
    warnings = {
        code
        for code, severity in rules.items()
        if code.startswith("WD3") and severity is Severity.WARNING
    }
    assert warnings == {"WD304", "WD307", "WD313", "WD322", "WD331", "WD332"}


# Values of every JSON type, with the names and strings the rules look for, so that random
# configs reach the rules' branches instead of failing the first type check.
WORDS = st.sampled_from(
    [
        "NEXT_INC_CACHE_R2_BUCKET",
        "NEXT_CACHE_DO_QUEUE",
        "NEXT_TAG_CACHE_DO_SHARDED",
        "NEXT_CACHE_R2_BUCKET",
        "WORKER_SELF_REFERENCE",
        "DOQueueHandler",
        "DurableObjectQueueHandler",
        "DOTagCacheShard",
        "nodejs_compat_v2",
        ".open-next/worker.js",
        ".open-next/x.js",
        "2024-01-01",
        "legacy-kv",
        "",
    ]
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | WORDS,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "name",
                    "binding",
                    "class_name",
                    "script_name",
                    "service",
                    "bucket_name",
                    "bindings",
                    "new_classes",
                    "new_sqlite_classes",
                    "renamed_classes",
                    "from",
                    "to",
                    "storage",
                    "directory",
                    "baseShardSize",
                    "numberOfShards",
                    "shardReplication",
                    "regionalReplicationOptions",
                    "type",
                ]
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)
CONFIG_KEYS = [
    "name",
    "main",
    "compatibility_date",
    "compatibility_flags",
    "assets",
    "r2_buckets",
    "kv_namespaces",
    "durable_objects",
    "services",
    "workflows",
    "migrations",
    "exports",
    "vars",
]


def run_opennext_rules(config: str, opennext: str) -> list[Diagnostic]:
    """Read both files and run only the OpenNext rules, so that other checks cannot mask them."""
    document = parse_jsonc(config, "wrangler.jsonc")
    worker = build_worker(document)
    if worker is None:
        return []
    opennext_config = parse_opennext_config(opennext, "open-next.config.ts")
    app = build_opennext_app(worker, opennext_config)
    context = RuleContext(document, worker, opennext_config, app)
    diagnostics: list[Diagnostic] = []
    for item in all_rules():
        if item.scope == "opennext":
            diagnostics.extend(item.check(context))
    return diagnostics


@settings(
    max_examples=examples(150, ci=1000),
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    top=st.dictionaries(st.sampled_from(CONFIG_KEYS), JSON_VALUES, max_size=8),
    env=st.dictionaries(st.sampled_from(CONFIG_KEYS), JSON_VALUES, max_size=4),
    tag_cache_options=JSON_VALUES,
    purge_options=JSON_VALUES,
)
def test_random_config_never_raises(
    top: dict, env: dict, tag_cache_options: object, purge_options: object
) -> None:
    config = dict(top, env={"staging": env})
    opennext = OPENNEXT.replace(
        QUEUE_IMPORT,
        QUEUE_IMPORT + f'\nimport {{ purgeCache }} from "{OVERRIDES}cache-purge/index";',
    ).replace(
        TAG_CACHE,
        f"tagCache: doShardedTagCache({json.dumps(tag_cache_options)}),\n"
        f"  cachePurge: purgeCache({json.dumps(purge_options)}),",
    )
    diagnostics = run_opennext_rules(json.dumps(config, indent=2), opennext)
    assert all(isinstance(diagnostic, Diagnostic) for diagnostic in diagnostics)


def test_nodejs_compat_default_from_date(tmp_path: Path) -> None:
    (tmp_path / "wrangler.jsonc").write_text(
        '{\n  "name": "app",\n  "main": ".open-next/worker.js",\n'
        '  "compatibility_date": "2026-08-04",\n  "compatibility_flags": [],\n'
        '  "assets": { "directory": ".open-next/assets", "binding": "ASSETS" }\n}\n',
        encoding="utf-8",
    )
    project = load_project(tmp_path / "wrangler.jsonc", find_opennext=False)
    assert [d.code for d in project.diagnostics if d.code == "WD320"] == []


def test_env_without_top_name(tmp_path: Path) -> None:
    config = CONFIG.replace('  "name": "shop",\n', "", 1)
    project = check(tmp_path, config, OPENNEXT)
    assert project.worker is not None
    staging = project.worker.environment("staging")
    assert staging is not None
    assert staging.worker_name == ""
    assert "WD312" not in [diagnostic.code for diagnostic in project.diagnostics]


def test_services_hint_without_name(tmp_path: Path) -> None:
    config = CONFIG.replace('  "name": "shop",\n', "", 1)
    config = config.replace(
        '      "services": [{ "binding": "WORKER_SELF_REFERENCE", "service": "shop-staging" }],\n',
        "",
        1,
    )
    project = check(tmp_path, config, OPENNEXT)
    found = [d for d in project.diagnostics if d.code == "WD311"]
    assert found
    assert "so this Worker lacks WORKER_SELF_REFERENCE" in found[0].message
    assert found[0].hint.endswith('with "service": "<worker name>".')


def test_shard_size_expression_warns(tmp_path: Path) -> None:
    opennext = OPENNEXT.replace("baseShardSize: 12", "baseShardSize: 4 * 3", 1)
    project = check(tmp_path, CONFIG, opennext)
    codes = [diagnostic.code for diagnostic in project.diagnostics]
    assert "WD052" in codes
    assert "WD054" not in codes
    assert project.error_count == 0
