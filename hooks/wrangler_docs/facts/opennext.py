"""Facts about @opennextjs/cloudflare that the checks and pages rely on.

Everything here was read from the npm package @opennextjs/cloudflare 1.20.17 (its `dist/`
code and `.d.ts` files) and its dependency @opennextjs/aws 4.1.16, unless a comment states
otherwise. Nothing else in wrangler-docs hard-codes these names or numbers.
"""

from __future__ import annotations

from typing import NamedTuple

VERSION = "1.20.17"
PACKAGE = "@opennextjs/cloudflare"

# Binding names OpenNext reads from `env` (the CloudflareEnv interface in
# dist/api/cloudflare-context.d.ts).
QUEUE_BINDING = "NEXT_CACHE_DO_QUEUE"
SHARDED_TAG_CACHE_BINDING = "NEXT_TAG_CACHE_DO_SHARDED"
SHARDED_TAG_CACHE_DLQ_BINDING = "NEXT_TAG_CACHE_DO_SHARDED_DLQ"
PURGE_BINDING = "NEXT_CACHE_DO_PURGE"
R2_CACHE_BINDING = "NEXT_INC_CACHE_R2_BUCKET"
KV_CACHE_BINDING = "NEXT_INC_CACHE_KV"
D1_TAG_CACHE_BINDING = "NEXT_TAG_CACHE_D1"
KV_TAG_CACHE_BINDING = "NEXT_TAG_CACHE_KV"
SELF_REFERENCE_BINDING = "WORKER_SELF_REFERENCE"
ASSETS_BINDING = "ASSETS"
IMAGES_BINDING = "IMAGES"

BINDING_NAMES = (
    QUEUE_BINDING,
    SHARDED_TAG_CACHE_BINDING,
    SHARDED_TAG_CACHE_DLQ_BINDING,
    PURGE_BINDING,
    R2_CACHE_BINDING,
    KV_CACHE_BINDING,
    D1_TAG_CACHE_BINDING,
    KV_TAG_CACHE_BINDING,
    SELF_REFERENCE_BINDING,
)

# Durable Object classes exported by the generated `.open-next/worker.js`
# (dist/cli/templates/worker.js), keyed by the binding name that must point at them.
QUEUE_CLASS = "DOQueueHandler"
SHARDED_TAG_CACHE_CLASS = "DOShardedTagCache"
PURGE_CLASS = "BucketCachePurge"

DURABLE_OBJECT_CLASSES = {
    QUEUE_BINDING: QUEUE_CLASS,
    SHARDED_TAG_CACHE_BINDING: SHARDED_TAG_CACHE_CLASS,
    PURGE_BINDING: PURGE_CLASS,
}

# `main` and `assets.directory` of an unmodified OpenNext build (docs get-started.mdx).
GENERATED_MAIN = ".open-next/worker.js"
GENERATED_ASSETS_DIRECTORY = ".open-next/assets"
OUTPUT_DIRECTORY = ".open-next/"

# Names OpenNext renamed. 0.6.0 renamed the bindings, 1.0.0-beta.0 renamed the queue class
# (packages/cloudflare/CHANGELOG.md).
RENAMED_NAMES = {
    "NEXT_CACHE_WORKERS_KV": KV_CACHE_BINDING,
    "NEXT_CACHE_R2_BUCKET": R2_CACHE_BINDING,
    "NEXT_CACHE_D1": D1_TAG_CACHE_BINDING,
    "NEXT_CACHE_DO_REVALIDATION": QUEUE_BINDING,
    "NEXT_CACHE_REVALIDATION_WORKER": SELF_REFERENCE_BINDING,
    "DurableObjectQueueHandler": QUEUE_CLASS,
}


class Override(NamedTuple):
    """One OpenNext override module that can appear in open-next.config.ts."""

    module: str
    slot: str
    """The defineCloudflareConfig key it is passed to."""
    label: str
    bindings: tuple[str, ...]
    """Bindings it reads from env."""


_OVERRIDES = "@opennextjs/cloudflare/overrides/"

OVERRIDES = {
    override.module: override
    for override in (
        Override(
            _OVERRIDES + "incremental-cache/r2-incremental-cache",
            "incrementalCache",
            "R2 incremental cache",
            (R2_CACHE_BINDING,),
        ),
        Override(
            _OVERRIDES + "incremental-cache/kv-incremental-cache",
            "incrementalCache",
            "KV incremental cache",
            (KV_CACHE_BINDING,),
        ),
        Override(
            _OVERRIDES + "incremental-cache/static-assets-incremental-cache",
            "incrementalCache",
            "Static assets incremental cache",
            (ASSETS_BINDING,),
        ),
        Override(
            _OVERRIDES + "incremental-cache/regional-cache",
            "incrementalCache",
            "Regional cache wrapper",
            (),
        ),
        Override(
            _OVERRIDES + "queue/do-queue",
            "queue",
            "Durable Object queue",
            (QUEUE_BINDING, SELF_REFERENCE_BINDING),
        ),
        Override(
            _OVERRIDES + "queue/memory-queue",
            "queue",
            "Memory queue",
            (SELF_REFERENCE_BINDING,),
        ),
        Override(_OVERRIDES + "queue/queue-cache", "queue", "Queue cache wrapper", ()),
        Override(
            _OVERRIDES + "tag-cache/do-sharded-tag-cache",
            "tagCache",
            "Sharded Durable Object tag cache",
            (SHARDED_TAG_CACHE_BINDING,),
        ),
        Override(
            _OVERRIDES + "tag-cache/d1-next-tag-cache",
            "tagCache",
            "D1 tag cache",
            (D1_TAG_CACHE_BINDING,),
        ),
        Override(
            _OVERRIDES + "tag-cache/kv-next-tag-cache",
            "tagCache",
            "KV tag cache",
            (KV_TAG_CACHE_BINDING,),
        ),
        Override(_OVERRIDES + "tag-cache/tag-cache-filter", "tagCache", "Tag cache filter", ()),
        Override(
            _OVERRIDES + "cache-purge/index",
            "cachePurge",
            "Cache purge",
            (PURGE_BINDING,),
        ),
    )
}

# The tag cache backends, by override module, as the pages name them.
TAG_CACHE_SHARDED = _OVERRIDES + "tag-cache/do-sharded-tag-cache"
TAG_CACHE_D1 = _OVERRIDES + "tag-cache/d1-next-tag-cache"
TAG_CACHE_KV = _OVERRIDES + "tag-cache/kv-next-tag-cache"
QUEUE_DO = _OVERRIDES + "queue/do-queue"
QUEUE_MEMORY = _OVERRIDES + "queue/memory-queue"
CACHE_PURGE = _OVERRIDES + "cache-purge/index"
INCREMENTAL_CACHE_R2 = _OVERRIDES + "incremental-cache/r2-incremental-cache"
INCREMENTAL_CACHE_KV = _OVERRIDES + "incremental-cache/kv-incremental-cache"

# Sharded tag cache (dist/api/overrides/tag-cache/do-sharded-tag-cache.js).
DEFAULT_BASE_SHARD_SIZE = 4
"""Applies only when doShardedTagCache() is called with no options object at all."""
DEFAULT_WRITE_RETRIES = 3
DEFAULT_REGION = "enam"
AVAILABLE_REGIONS = ("enam", "weur", "apac", "sam", "afr", "oc")
SOFT_TAG_PREFIX = "_N_T_/"
DEFAULT_REGIONAL_CACHE_TTL_SEC = 5
CONTINENT_REGIONS = {
    "AF": "afr",
    "AS": "apac",
    "EU": "weur",
    "NA": "enam",
    "OC": "oc",
    "SA": "sam",
}

# Durable Object queue (dist/api/durable-objects/queue.js) and @opennextjs/aws 4.1.16.
CONFIG_OPTIONS = (
    "incrementalCache",
    "tagCache",
    "queue",
    "cachePurge",
    "enableCacheInterception",
    "routePreloadingBehavior",
)
"""The keys of defineCloudflareConfig's argument: CloudflareOverrides in 1.20.17's
dist/api/config.d.ts."""

QUEUE_DEFAULTS = {
    "NEXT_CACHE_DO_QUEUE_MAX_REVALIDATION": 5,
    "NEXT_CACHE_DO_QUEUE_REVALIDATION_TIMEOUT_MS": 10_000,
    "NEXT_CACHE_DO_QUEUE_RETRY_INTERVAL_MS": 2_000,
    "NEXT_CACHE_DO_QUEUE_MAX_RETRIES": 6,
}

QUEUE_VAR_EFFECTS = {
    "NEXT_CACHE_DO_QUEUE_MAX_REVALIDATION": (
        "concurrent revalidations have no limit",
        1,
        "every revalidation waits forever for a free slot",
    ),
    "NEXT_CACHE_DO_QUEUE_REVALIDATION_TIMEOUT_MS": (
        "every revalidation fails, because AbortSignal.timeout rejects NaN",
        1,
        "every revalidation fails at once",
    ),
    "NEXT_CACHE_DO_QUEUE_RETRY_INTERVAL_MS": (
        "retry alarms get an invalid time",
        0,
        "retries are scheduled in the past",
    ),
    "NEXT_CACHE_DO_QUEUE_MAX_RETRIES": (
        "failed revalidations are retried without end",
        0,
        "failed revalidations are not retried",
    ),
}
"""Effects on DOQueueHandler (dist/api/durable-objects/queue.js) of a queue var that parseInt
reads as NaN, or as a number below the smallest usable one, keyed by var name:
(effect of NaN, smallest usable number, effect of a smaller number)."""

QUEUE_DISABLE_SQLITE_VAR = "NEXT_CACHE_DO_QUEUE_DISABLE_SQLITE"
MAX_REVALIDATE_CONCURRENCY_VAR = "MAX_REVALIDATE_CONCURRENCY"
DEFAULT_MAX_REVALIDATE_CONCURRENCY = 10
QUEUE_FIRST_RETRY_MS = 2_000
MEMORY_QUEUE_DEFAULT_TIMEOUT_MS = 10_000

# Cache purge (dist/api/durable-objects/bucket-cache-purge.js).
PURGE_BUFFER_VAR = "NEXT_CACHE_DO_PURGE_BUFFER_TIME_IN_SECONDS"
PURGE_DEFAULT_BUFFER_SECONDS = 5
PURGE_BATCH_SIZE = 100
PURGE_SECRETS = ("CACHE_PURGE_ZONE_ID", "CACHE_PURGE_API_TOKEN")

# Compatibility settings the docs require (get-started.mdx, troubleshooting.mdx).
REQUIRED_COMPATIBILITY_FLAGS = ("nodejs_compat",)
RECOMMENDED_COMPATIBILITY_FLAGS = ("nodejs_compat", "global_fetch_strictly_public")
MINIMUM_COMPATIBILITY_DATE = "2024-09-23"
RECOMMENDED_COMPATIBILITY_DATE = "2025-05-05"


class TagCacheBackend(NamedTuple):
    """Facts from OpenNext's code and docs about one tag cache backend."""

    key: str
    label: str
    module: str
    binding: str
    storage: str
    consistency: str
    build_scoping: str
    setup: str
    scaling: str
    recommended_for: str


# From the override sources in dist/api/overrides/tag-cache/ and the OpenNext docs
# (caching.mdx and perf.mdx, opennextjs/docs at 9adf5a23).
TAG_CACHE_BACKENDS = (
    TagCacheBackend(
        key="sharded",
        label="Sharded Durable Objects",
        module=TAG_CACHE_SHARDED,
        binding=SHARDED_TAG_CACHE_BINDING,
        storage="One SQLite table per Durable Object instance; tags spread over shards",
        consistency="Strong: each tag lives in one Durable Object (per replica)",
        build_scoping="Tags are not scoped by build: a revalidation survives a redeploy",
        setup=f"Bind the {SHARDED_TAG_CACHE_CLASS} class and create it with a new_sqlite_classes "
        "migration; the table is created by the Durable Object itself",
        scaling="baseShardSize, soft and hard replicas, regional replication, a Cache API "
        "layer in front (regionalCache), write retries and a dead-letter queue",
        recommended_for="Most sites, and any site with significant load or frequent "
        "revalidateTag / revalidatePath calls",
    ),
    TagCacheBackend(
        key="d1",
        label="D1",
        module=TAG_CACHE_D1,
        binding=D1_TAG_CACHE_BINDING,
        storage="One D1 database with a revalidations table (unique index on tag)",
        consistency="Strong: one primary database",
        build_scoping="Tags are prefixed with the build id, so every deploy starts empty",
        setup="Create the database with wrangler d1 create, bind it, and let "
        "opennextjs-cloudflare populateCache (run by deploy) create the table",
        scaling="None beyond D1 itself; one query per request for all of a page's tags",
        recommended_for="Low-traffic sites only",
    ),
    TagCacheBackend(
        key="kv",
        label="KV (experimental)",
        module=TAG_CACHE_KV,
        binding=KV_TAG_CACHE_BINDING,
        storage="One KV key per tag and build",
        consistency="Eventual: a revalidation can take up to 60 seconds to show everywhere",
        build_scoping="Tags are prefixed with the build id",
        setup="Create a KV namespace and bind it; no table to create",
        scaling="KV's global read caching; no shards",
        recommended_for="Not recommended by OpenNext's docs, which list only D1 and "
        "Durable Objects",
    ),
)


# Non-inheritable wrangler keys that contain the bindings OpenNext reads. An environment that
# leaves one out gets none of its bindings, because wrangler 4.164.0 does not inherit them.
OPENNEXT_REQUIRED_KEYS = frozenset(
    {"durable_objects", "r2_buckets", "d1_databases", "kv_namespaces", "services"}
)

# The binding kind (as facts.wrangler.BINDING_KINDS names it) each binding name must have,
# from the CloudflareEnv interface in dist/api/cloudflare-context.d.ts.
BINDING_KIND_BY_NAME = {
    QUEUE_BINDING: "durable_object",
    SHARDED_TAG_CACHE_BINDING: "durable_object",
    SHARDED_TAG_CACHE_DLQ_BINDING: "queue_producer",
    PURGE_BINDING: "durable_object",
    R2_CACHE_BINDING: "r2_bucket",
    KV_CACHE_BINDING: "kv_namespace",
    D1_TAG_CACHE_BINDING: "d1_database",
    KV_TAG_CACHE_BINDING: "kv_namespace",
    SELF_REFERENCE_BINDING: "service",
    ASSETS_BINDING: "assets",
    IMAGES_BINDING: "images",
}

# Bindings OpenNext reads whichever overrides open-next.config.ts uses. The Pages router's
# `res.revalidate` calls the Worker through WORKER_SELF_REFERENCE
# (dist/cli/build/patches/plugins/res-revalidate.js).
BINDINGS_READ_WITHOUT_OVERRIDE = (SELF_REFERENCE_BINDING,)

# Bindings an override reads only when they are bound. The sharded tag cache sends writes
# that keep failing to this queue (performWriteTagsWithRetry).
OPTIONAL_OVERRIDE_BINDINGS = {TAG_CACHE_SHARDED: (SHARDED_TAG_CACHE_DLQ_BINDING,)}

# purgeCache({ type }) in dist/api/overrides/cache-purge/index.js: "direct" (the default)
# calls the Cloudflare API from the request, "durableObject" buffers tags in
# NEXT_CACHE_DO_PURGE.
PURGE_TYPE_DURABLE_OBJECT = "durableObject"
PURGE_TYPE_DEFAULT = "direct"

# Plain variables OpenNext reads besides the queue and purge settings above. Both key
# prefixes default to DEFAULT_PREFIX of dist/api/overrides/internal.js.
R2_CACHE_PREFIX_VAR = "NEXT_INC_CACHE_R2_PREFIX"
KV_CACHE_PREFIX_VAR = "NEXT_INC_CACHE_KV_PREFIX"

VARIABLE_NAMES = (
    *QUEUE_DEFAULTS,
    QUEUE_DISABLE_SQLITE_VAR,
    PURGE_BUFFER_VAR,
    R2_CACHE_PREFIX_VAR,
    KV_CACHE_PREFIX_VAR,
)

# Version of @opennextjs/cloudflare that renamed each entry of RENAMED_NAMES and
# RENAMED_VARIABLES (packages/cloudflare/CHANGELOG.md and the migration guides
# migrate-from-0.5-to-0.6.mdx and migrate-from-0.6-to-1.0.0-beta.mdx of opennextjs/docs).
RENAMED_VARIABLES = {"NEXT_CACHE_DO_QUEUE_MAX_NUM_REVALIDATIONS": "NEXT_CACHE_DO_QUEUE_MAX_RETRIES"}
RENAMED_IN_VERSION = {
    "NEXT_CACHE_WORKERS_KV": "0.6.0",
    "NEXT_CACHE_R2_BUCKET": "0.6.0",
    "NEXT_CACHE_D1": "0.6.0",
    "NEXT_CACHE_DO_REVALIDATION": "0.6.0",
    "NEXT_CACHE_REVALIDATION_WORKER": "0.6.0",
    "DurableObjectQueueHandler": "1.0.0-beta.0",
    "NEXT_CACHE_DO_QUEUE_MAX_NUM_REVALIDATIONS": "1.0.0-beta.0",
}

# 0.6.0 also renamed whole prefixes: `NEXT_CACHE_R2_...` to `NEXT_INC_CACHE_R2_...` and
# `NEXT_CACHE_DO_...` to `NEXT_TAG_CACHE_DO_...`. A prefix rename only applies when the new
# name is one OpenNext reads today, since NEXT_CACHE_DO_QUEUE and NEXT_CACHE_DO_PURGE are
# current names that start with the old prefix.
RENAMED_PREFIXES = (
    ("NEXT_CACHE_R2_", "NEXT_INC_CACHE_R2_", "0.6.0"),
    ("NEXT_CACHE_DO_", "NEXT_TAG_CACHE_DO_", "0.6.0"),
)

# Options of doShardedTagCache(), by their path in the options object
# (ShardedDOTagCacheOptions in dist/api/overrides/tag-cache/do-sharded-tag-cache.d.ts).
SHARDED_TAG_CACHE_OPTIONS = {
    (): (
        "baseShardSize",
        "regionalCache",
        "regionalCacheTtlSec",
        "regionalCacheDangerouslyPersistMissingTags",
        "shardReplication",
        "maxWriteRetries",
    ),
    ("shardReplication",): ("numberOfSoftReplicas", "numberOfHardReplicas", "regionalReplication"),
    ("shardReplication", "regionalReplication"): ("defaultRegion",),
}

# Option names doShardedTagCache() no longer reads, as (old, new, version). The first
# sharded tag cache used `numberOfShards`, which 0.6.0 replaced by `baseShardSize`.
# 1.0.0-beta.0 folded `enableShardReplication` and `shardReplicationOptions` into
# `shardReplication`.
RENAMED_SHARDED_TAG_CACHE_OPTIONS = (
    ("numberOfShards", "baseShardSize", "0.6.0"),
    ("enableShardReplication", "shardReplication", "1.0.0-beta.0"),
    ("shardReplicationOptions", "shardReplication", "1.0.0-beta.0"),
)

# OpenNext's docs (caching.mdx, opennextjs/docs at 9adf5a23) call the regional replication
# option `regionalReplicationOptions`, but the code reads `shardReplication.regionalReplication`.
REGIONAL_REPLICATION_DOCS_NAME = "regionalReplicationOptions"

# A flag people set instead of nodejs_compat. It does not enable the `node:` modules the
# generated worker imports, so the upload fails with `No such module "node:fs"` [code: 10021].
NODEJS_COMPAT_V2_FLAG = "nodejs_compat_v2"

# workerd's error when a Durable Object created with `new_classes` (key-value storage) uses
# `ctx.storage.sql`, as all three OpenNext classes do in their constructors.
SQL_NOT_ENABLED_ERROR = "SQL is not enabled for this Durable Object class."
