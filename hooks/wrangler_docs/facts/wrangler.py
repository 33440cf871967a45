"""Facts about wrangler's config format, read from wrangler 4.164.0.

Sources: its `config-schema.json` and the validator bundled in `wrangler-dist/cli.js`
(`normalizeAndValidateEnvironment`, `inheritable`, `notInheritable`, `findWranglerConfig`).
Nothing else in wrangler-docs hard-codes these lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VERSION = "4.164.0"

# findWranglerConfig: each name is searched for before the next is tried.
CONFIG_FILE_NAMES = ("wrangler.json", "wrangler.jsonc", "wrangler.toml")

# Cloudflare's reference page for every key of the config file.
CONFIGURATION_DOCS_URL = "https://developers.cloudflare.com/workers/wrangler/configuration/"

# The `name` check in the validator.
WORKER_NAME_PATTERN = re.compile(r"^$|^[a-z0-9_][a-z0-9-_]*$")

# Keys an environment inherits from the top level when it does not set them.
INHERITABLE_KEYS = frozenset(
    {
        "account_id", "name", "main", "compatibility_date", "compatibility_flags",
        "jsx_factory", "jsx_fragment", "tsconfig", "rules", "find_additional_modules",
        "preserve_file_names", "base_dir", "build", "no_bundle", "minify", "keep_names",
        "python_modules", "route", "routes", "triggers", "workers_dev", "preview_urls",
        "assets", "limits", "placement", "observability", "logpush", "logfwdr",
        "upload_source_maps", "first_party_worker", "access", "cache",
        "compliance_region", "previews", "migrations", "exports",
    }
)  # fmt: skip

# Keys that must be repeated in every `env.<name>`; wrangler warns when they are not.
NOT_INHERITABLE_KEYS = frozenset(
    {
        "durable_objects", "workflows", "kv_namespaces", "r2_buckets", "d1_databases",
        "services", "queues", "vectorize", "hyperdrive", "analytics_engine_datasets",
        "dispatch_namespaces", "mtls_certificates", "send_email", "pipelines",
        "secrets_store_secrets", "ratelimits", "vpc_services", "vpc_networks",
        "worker_loaders", "ai_search", "ai_search_namespaces", "agent_memory", "artifacts",
        "flagship", "k2", "unsafe_hello_world", "browser", "ai", "images", "stream",
        "media", "analytics", "version_metadata", "vars", "secrets", "define",
        "cloudchamber", "containers", "connect", "tail_consumers",
        "streaming_tail_consumers", "unsafe",
    }
)  # fmt: skip

# Keys valid only at the top level, never inside `env.<name>`.
TOP_LEVEL_ONLY_KEYS = frozenset(
    {
        "$schema", "env", "send_metrics", "dependencies_instrumentation", "keep_vars",
        "addresses", "pages_build_output_dir", "dev", "site", "wasm_modules",
        "text_blobs", "data_blobs", "alias",
    }
)  # fmt: skip


@dataclass(frozen=True)
class BindingKind:
    """One kind of binding: where it sits in the config and which fields describe it."""

    kind: str
    label: str
    key: tuple[str, ...]
    """Path of the list (or the single object) in the config, e.g. ("durable_objects", "bindings")."""
    name_field: str
    target_fields: tuple[str, ...]
    """Fields that name what the binding points at, most important first."""
    single: bool = False
    """True when the key contains one object instead of a list."""


BINDING_KINDS = (
    BindingKind("durable_object", "Durable Object", ("durable_objects", "bindings"), "name", ("class_name", "script_name", "environment")),
    BindingKind("kv_namespace", "KV namespace", ("kv_namespaces",), "binding", ("id", "preview_id")),
    BindingKind("r2_bucket", "R2 bucket", ("r2_buckets",), "binding", ("bucket_name", "preview_bucket_name", "jurisdiction")),
    BindingKind("d1_database", "D1 database", ("d1_databases",), "binding", ("database_name", "database_id", "preview_database_id")),
    BindingKind("service", "Service", ("services",), "binding", ("service", "entrypoint")),
    BindingKind("queue_producer", "Queue producer", ("queues", "producers"), "binding", ("queue",)),
    BindingKind("vectorize", "Vectorize index", ("vectorize",), "binding", ("index_name",)),
    BindingKind("hyperdrive", "Hyperdrive", ("hyperdrive",), "binding", ("id",)),
    BindingKind("analytics_engine", "Analytics Engine dataset", ("analytics_engine_datasets",), "binding", ("dataset",)),
    BindingKind("dispatch_namespace", "Dispatch namespace", ("dispatch_namespaces",), "binding", ("namespace",)),
    BindingKind("mtls_certificate", "mTLS certificate", ("mtls_certificates",), "binding", ("certificate_id",)),
    BindingKind("send_email", "Send email", ("send_email",), "name", ("destination_address", "allowed_destination_addresses")),
    BindingKind("workflow", "Workflow", ("workflows",), "binding", ("class_name", "name", "script_name")),
    BindingKind("pipeline", "Pipeline", ("pipelines",), "binding", ("pipeline",)),
    BindingKind("secrets_store_secret", "Secrets Store secret", ("secrets_store_secrets",), "binding", ("secret_name", "store_id")),
    BindingKind("ratelimit", "Rate limit", ("ratelimits",), "name", ("namespace_id",)),
    BindingKind("worker_loader", "Worker loader", ("worker_loaders",), "binding", ()),
    BindingKind("vpc_service", "VPC service", ("vpc_services",), "binding", ("service_id",)),
    BindingKind("assets", "Static assets", ("assets",), "binding", ("directory",), single=True),
    BindingKind("ai", "Workers AI", ("ai",), "binding", (), single=True),
    BindingKind("browser", "Browser Rendering", ("browser",), "binding", (), single=True),
    BindingKind("images", "Images", ("images",), "binding", (), single=True),
    BindingKind("version_metadata", "Version metadata", ("version_metadata",), "binding", (), single=True),
    BindingKind("media", "Media Transformations", ("media",), "binding", (), single=True),
    BindingKind("stream", "Stream", ("stream",), "binding", (), single=True),
)  # fmt: skip

VARS_KIND = BindingKind("var", "Variable", ("vars",), "", ())
