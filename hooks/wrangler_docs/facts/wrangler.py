"""Facts about wrangler's config format, read from wrangler 4.164.0.

Sources: its `config-schema.json` and the validator bundled in `wrangler-dist/cli.js`
(`normalizeAndValidateEnvironment`, `inheritable`, `notInheritable`, `findWranglerConfig`).
Nothing else in wrangler-docs hard-codes these lists.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import NamedTuple

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


class BindingKind(NamedTuple):
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


# --- Values the validator checks (workers-utils/src/config/validation.ts in 4.164.0) --------

# isValidR2BucketName: for `bucket_name` and `preview_bucket_name`.
R2_BUCKET_NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")

# isValidWorkflowName (workflows-shared/src/lib/validators.ts) for `workflows[].name`.
WORKFLOW_NAME_PATTERN = re.compile(r"^[a-zA-Z0-9_][a-zA-Z0-9-_]*$")
WORKFLOW_NAME_MAX_LENGTH = 64

# Fields the validator rejects with an error. `node_compat` is checked in every environment,
# `legacy_env` only at the top level.
REMOVED_ENVIRONMENT_FIELDS = {
    "node_compat": "Use the `nodejs_compat` compatibility flag instead, which wrangler v4 "
    "requires for Node.js APIs and polyfills.",
}
REMOVED_TOP_LEVEL_FIELDS = {
    "legacy_env": "Each environment already deploys as its own Worker named "
    '"<name>-<environment>", so removing the field changes nothing.',
}

# Durable Object `exports` entries in these states keep their class alive
# (isLiveDurableObjectExport). An entry without `state` is "created".
LIVE_EXPORT_STATES = ("created", "expecting-transfer")

# applyPythonConfig: a `main` ending in `.py` needs this compatibility flag.
PYTHON_MAIN_SUFFIX = ".py"
PYTHON_WORKERS_FLAG = "python_workers"

# Keys of top-level maps whose keys are binding names (friendlyBindingNames), checked for
# duplicates with every environment's bindings.
MODULE_MAP_BINDING_LABELS = {
    "wasm_modules": "Wasm module",
    "text_blobs": "Text blob",
    "data_blobs": "Data blob",
}

# Binding keys that validateBindingsHaveUniqueNames checks but BINDING_KINDS does not model.
UNMODELLED_BINDING_KINDS = (
    BindingKind("ai_search_namespace", "AI Search namespace", ("ai_search_namespaces",), "binding", ()),
    BindingKind("ai_search", "AI Search instance", ("ai_search",), "binding", ()),
    BindingKind("agent_memory", "Agent Memory", ("agent_memory",), "binding", ()),
    BindingKind("analytics", "Analytics SQL", ("analytics",), "binding", (), single=True),
    BindingKind("k2", "K2 stream", ("k2",), "binding", ()),
    BindingKind("artifacts", "Artifacts", ("artifacts",), "binding", ()),
    BindingKind("unsafe_hello_world", "Hello World", ("unsafe_hello_world",), "binding", ()),
    BindingKind("flagship", "Flagship", ("flagship",), "binding", ()),
    BindingKind("vpc_network", "VPC network", ("vpc_networks",), "binding", ()),
    BindingKind("logfwdr", "logfwdr", ("logfwdr", "bindings"), "name", ()),
    BindingKind("unsafe", "unsafe", ("unsafe", "bindings"), "name", ()),
)  # fmt: skip

# --- Compatibility flags, read from workerd 1.20261117.1 (the runtime wrangler 4.164.0 installs)
# by loading a Worker with each flag; workerd's compileCompatibilityFlags reports the errors.

WORKERD_VERSION = "1.20261117.1"
COMPATIBILITY_FLAGS_FILE = Path(__file__).with_name("compatibility_flags.txt")

# Cloudflare's page that lists every compatibility flag with its date.
COMPATIBILITY_FLAGS_DOCS_URL = (
    "https://developers.cloudflare.com/workers/configuration/compatibility-flags/"
)

# workerd's CompatDate::parse: exactly YYYY-MM-DD, years 2000 to 2999, months 1 to 12 and days
# 1 to 31 (so it accepts 2025-02-30). Anything else fails with "Invalid compatibility date".
WORKERD_COMPATIBILITY_DATE_PATTERN = re.compile(r"^2[0-9]{3}-[0-9]{2}-[0-9]{2}$")


@functools.cache
def compatibility_flags() -> frozenset[str]:
    """Return every compatibility flag workerd defines, read once from COMPATIBILITY_FLAGS_FILE."""
    names = set()
    for line in COMPATIBILITY_FLAGS_FILE.read_text(encoding="utf-8").splitlines():
        name = line.strip()
        if name and not name.startswith("#"):
            names.add(name)
    return frozenset(names)


# Flags that turn on by date: naming one with a compatibility_date on or after its date fails with
# "The compatibility flag X became the default as of DATE so does not need to be specified
# anymore". Flags whose default date is later than workerd's newest date are not listed.
COMPATIBILITY_FLAG_DEFAULT_DATES = {
    "allow_custom_ports": "2024-09-02", "allow_eval_during_startup": "2025-06-01",
    "assets_navigation_prefers_asset_serving": "2025-04-01",
    "bind_asynclocalstorage_snapshot_to_request": "2025-06-16",
    "blob_standard_mime_type": "2024-06-03", "brotli_content_encoding": "2024-04-29",
    "cache_api_compat_flags": "2025-04-19",
    "cache_api_request_cf_overrides_cache_rules": "2025-05-19",
    "cache_option_enabled": "2024-11-11", "cache_option_preserves_cache_control": "2026-11-17",
    "capture_async_api_throws": "2022-10-31", "containers_pid_namespace": "2026-04-01",
    "crypto_preserve_public_exponent": "2023-12-01", "delete_all_deletes_alarm": "2026-02-24",
    "diagnostics_channel_has_subscribers_getter": "2026-05-19",
    "disable_top_level_await_in_require": "2024-12-02",
    "dont_substitute_null_on_type_error": "2022-06-01",
    "durable_object_fetch_requires_full_url": "2021-11-10",
    "durable_object_io_tasks_prevent_eviction": "2026-10-01",
    "dynamic_dispatch_tunnel_exceptions": "2023-03-01", "enable_ctx_exports": "2025-11-17",
    "enable_fast_jsg_struct": "2025-12-03", "enable_navigator_language": "2025-05-19",
    "enable_python_external_sdk": "2026-04-21", "enable_request_signal": "2026-11-17",
    "enable_validate_workflow_entrypoint": "2025-09-20", "enable_weak_ref": "2025-05-05",
    "encoder_stream_spec_compliant_backpressure": "2026-03-24",
    "enhanced_error_serialization": "2026-04-21", "export_commonjs_default": "2022-10-31",
    "expose_global_message_channel": "2025-08-15", "fetch_iterable_type_support": "2026-02-19",
    "fetch_refuses_unknown_protocols": "2021-11-10", "fetch_standard_url": "2024-06-03",
    "fetcher_no_get_put_delete": "2024-03-26", "formdata_parser_supports_files": "2021-11-03",
    "global_navigator": "2022-03-21", "handle_cross_request_promise_resolution": "2024-10-14",
    "http_headers_getsetcookie": "2023-03-01",
    "internal_stream_byob_return_view": "2024-05-13",
    "internal_writable_stream_abort_clears_queue": "2024-09-02",
    "minimal_subrequests": "2022-04-05", "new_module_registry": "2026-11-17",
    "no_cf_botmanagement_default": "2023-08-01", "no_cots_on_external_fetch": "2022-03-08",
    "no_global_importscripts": "2024-03-04", "nodejs_compat": "2026-08-04",
    "nodejs_compat_v2": "2026-08-04", "nodejs_process_version_24": "2026-11-24",
    "pipe_to_backward_propagation": "2026-11-17", "python_no_global_handlers": "2025-08-14",
    "python_process_pth_files": "2026-05-26",
    "python_request_headers_preserve_commas": "2026-02-17",
    "python_workers_force_new_vendor_path": "2025-08-11",
    "queue_expose_error_codes": "2026-03-12", "queues_json_messages": "2024-03-18",
    "r2_list_honor_include": "2022-08-04", "request_cf_overrides_cache_rules": "2025-04-02",
    "require_returns_default_export": "2026-01-22",
    "response_redirect_url_standard": "2023-03-14", "rpc": "2024-04-03",
    "rpc_params_dup_stubs": "2026-01-20", "set_event_target_this": "2025-08-01",
    "set_forwardable_email_full_headers": "2025-08-01", "set_tostring_tag": "2024-09-26",
    "spec_compliant_dispatch_exceptions": "2026-09-15",
    "streams_byob_reader_detaches_buffer": "2021-11-10",
    "streams_enable_constructors": "2022-11-30", "strict_compression_checks": "2023-08-01",
    "strict_crypto_checks": "2023-08-01",
    "strip_authorization_on_cross_origin_redirect": "2025-09-01",
    "strip_bom_in_read_all_text": "2026-01-13", "text_decoder_cjk_decoder": "2026-03-03",
    "text_decoder_replace_surrogates": "2026-02-24",
    "throw_on_not_implemented_tls_options": "2026-06-16",
    "throw_on_unrecognized_import_assertion": "2025-06-16",
    "transformstream_enable_standard_constructor": "2022-11-30",
    "unhandled_rejection_after_microtask_checkpoint": "2026-03-03",
    "unique_ctx_per_invocation": "2025-03-10", "unwrap_custom_thenables": "2024-04-01",
    "upper_case_all_http_methods": "2024-10-14", "url_standard": "2022-10-31",
    "urlpattern_standard": "2025-05-01", "urlsearchparams_delete_has_value_arg": "2023-07-01",
    "vectorize_query_metadata_optional": "2023-11-08",
    "web_socket_auto_reply_to_close": "2026-04-07", "web_socket_compression": "2023-08-15",
    "websocket_close_reason_byte_limit": "2026-03-03",
    "websocket_standard_binary_type": "2026-03-17",
    "workers_api_getters_setters_on_prototype": "2022-01-31",
    "workflows_enable_fast_engine_creation": "2026-08-11",
    "workflows_preserve_non_retryable_error_message": "2026-05-14",
    "writable_stream_spec_compliant_writer": "2026-03-24",
}  # fmt: skip

# Flags that are on for every date, so naming one always fails.
COMPATIBILITY_FLAGS_ALWAYS_DEFAULT = frozenset({"r2_public_beta_bindings"})

# Experimental flags. Workers deployed to Cloudflare cannot use them ("is experimental and cannot
# yet be used in Workers deployed to Cloudflare"), and a local workerd needs --experimental.
EXPERIMENTAL_COMPATIBILITY_FLAGS = frozenset(
    {
        "allow_insecure_inefficient_logged_eval", "auto_inject_python_workers",
        "cache_reload_enabled", "connect_handler_starttls", "connect_pass_through",
        "d1_binding_jsrpc", "durable_object_get_existing", "durable_object_rename",
        "durable_object_snapshots", "enable_abortsignal_rpc", "enable_ctx_version_metadata",
        "enable_d1_with_sessions_api", "enable_nodejs_inspector_local_dev", "enable_version_api",
        "enable_web_file_system", "experimental", "expose_draining_reader",
        "expose_serialization_test_class", "increase_websocket_message_size", "js_rpc",
        "kv_direct_binding", "memory_cache_delete", "offpeak_location_hint", "precise_timers",
        "python_workers_development", "python_workers_durable_objects", "python_zstd_snapshot",
        "r2_binding_jsrpc", "replica_routing", "rpc_dispose_cancels_call", "rtti_api",
        "service_binding_extra_handlers", "spec_compliant_property_attributes",
        "streaming_tail_worker", "streams_no_default_auto_allocate_chunk_size",
        "tail_worker_user_spans", "typescript_implemented_streams", "typescript_strip_types",
        "unsafe_module", "unsupported_process_actual_platform", "wasm_memory_discard", "webgpu",
        "workflows_bindings_rpc", "workflows_step_rollback",
    }
)  # fmt: skip
