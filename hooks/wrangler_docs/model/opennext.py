"""The OpenNext side of a Worker: which overrides open-next.config.ts uses, with which
options, and the facts derived from them (shard instances, queue limits)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from ..facts import opennext as facts
from ..read.opennext_ts import OpenNextConfig, OverrideCall, SlotConfig
from .javascript import js_parse_int, js_truthy
from .sharding import ShardingOptionError, ShardingOptions, sharding_options
from .worker import Environment, Worker


class OverrideUse(NamedTuple):
    """One override in use, for example the sharded tag cache with its options."""

    slot: str
    module: str | None
    label: str
    options: Any
    has_options: bool
    wrappers: tuple[str, ...]
    """Labels of the wrappers around it, outermost first."""
    bindings: tuple[str, ...]
    """Bindings the override reads from env."""


class QueueSettings(NamedTuple):
    """The Durable Object queue's limits as the vars of one environment set them.

    None stands for JavaScript's NaN: the var is set, but `parseInt` reads no number from it.
    """

    environment: str
    instances: int
    max_revalidations: int | None
    timeout_ms: int | None
    retry_interval_ms: int | None
    max_retries: int | None
    sqlite_disabled: bool
    overridden: frozenset[str]
    """Names of the vars that changed a default."""

    @property
    def concurrent_revalidations(self) -> int | None:
        if self.max_revalidations is None:
            return None
        return self.instances * self.max_revalidations

    @property
    def retry_delays_ms(self) -> tuple[int, ...]:
        """Delay before each retry: 2 s first, then 2^(n+1) times the retry interval."""
        if self.max_retries is None or self.retry_interval_ms is None:
            return ()
        delays = [facts.QUEUE_FIRST_RETRY_MS]
        for retry_count in range(1, self.max_retries):
            delays.append(2 ** (retry_count + 1) * self.retry_interval_ms)
        return tuple(delays[: self.max_retries])


class OpenNextApp(NamedTuple):
    detected_by: tuple[str, ...]
    config_file: str | None
    incremental_cache: OverrideUse | None
    tag_cache: OverrideUse | None
    queue: OverrideUse | None
    cache_purge: OverrideUse | None
    tag_cache_backend: str | None
    """"sharded", "d1", "kv", or None when no tag cache is configured."""
    backend_from_bindings: bool
    """True when the backend was inferred from binding names because no open-next.config.ts
    was read."""
    sharding: ShardingOptions | None
    sharding_error: ShardingOptionError | None = None
    """The reason the sharded tag cache's options could not be used, if they could not."""

    @property
    def purge_type(self) -> str:
        if self.cache_purge is None or not isinstance(self.cache_purge.options, Mapping):
            return ""
        value = self.cache_purge.options.get("type")
        return value if isinstance(value, str) else ""


def _label(call: OverrideCall) -> str:
    known = facts.OVERRIDES.get(call.module or "")
    if known is not None:
        return known.label
    return call.local_name


def _override_use(slot: SlotConfig) -> OverrideUse | None:
    call = slot.override
    if call is None:
        return None
    known = facts.OVERRIDES.get(call.module or "")
    return OverrideUse(
        slot=slot.slot,
        module=call.module,
        label=_label(call),
        options=call.options,
        has_options=call.has_options,
        wrappers=tuple(_label(wrapper) for wrapper in slot.wrappers),
        bindings=known.bindings if known is not None else (),
    )


def detection_reasons(worker: Worker, opennext: OpenNextConfig | None) -> tuple[str, ...]:
    """Return why this Worker counts as an OpenNext app; empty when it does not."""
    reasons: list[str] = []
    if opennext is not None:
        reasons.append(f"{opennext.source.display_name} sits beside the config")
    if worker.top.main.lstrip("./").startswith(facts.OUTPUT_DIRECTORY.lstrip("./")):
        reasons.append(f"main points into {facts.OUTPUT_DIRECTORY}")
    names = {binding.name for env in worker.all_environments for binding in env.bindings}
    # A self-reference service binding alone is common outside OpenNext, so it does not count.
    signals = set(facts.BINDING_NAMES) - {facts.SELF_REFERENCE_BINDING}
    known = sorted(names.intersection(signals))
    if known:
        reasons.append("OpenNext binding names are present: " + ", ".join(known))
    return tuple(reasons)


_BACKENDS = {
    facts.TAG_CACHE_SHARDED: "sharded",
    facts.TAG_CACHE_D1: "d1",
    facts.TAG_CACHE_KV: "kv",
}

_BACKEND_BINDINGS = {
    facts.SHARDED_TAG_CACHE_BINDING: "sharded",
    facts.D1_TAG_CACHE_BINDING: "d1",
    facts.KV_TAG_CACHE_BINDING: "kv",
}


def backend_from_bindings(worker: Worker) -> tuple[str | None, str]:
    """Return the tag cache backend a Worker's top-level bindings point to, and that binding.

    OpenNext's tag caches each need a binding of a fixed name, so without open-next.config.ts
    the binding shows which one is in use. Returns (None, "") when no such binding exists.
    """
    for binding in worker.top.bindings:
        if binding.name in _BACKEND_BINDINGS:
            return _BACKEND_BINDINGS[binding.name], binding.name
    return None, ""


def build_opennext_app(worker: Worker, opennext: OpenNextConfig | None) -> OpenNextApp | None:
    """Return the OpenNext model, or None when the Worker is not an OpenNext app."""
    reasons = detection_reasons(worker, opennext)
    if not reasons:
        return None

    slots = opennext.slots if opennext is not None else {}
    uses = {name: _override_use(slot) for name, slot in slots.items()}
    tag_cache = uses.get("tagCache")
    backend = _BACKENDS.get(tag_cache.module or "") if tag_cache is not None else None
    from_bindings = False
    if opennext is None:
        inferred, _binding = backend_from_bindings(worker)
        if inferred is not None:
            backend, from_bindings = inferred, True

    sharding = None
    sharding_error = None
    if backend == "sharded" and tag_cache is not None:
        try:
            sharding = sharding_options(tag_cache.options, tag_cache.has_options)
        except ShardingOptionError as error:
            sharding_error = error

    return OpenNextApp(
        detected_by=reasons,
        config_file=opennext.source.display_name if opennext is not None else None,
        incremental_cache=uses.get("incrementalCache"),
        tag_cache=tag_cache,
        queue=uses.get("queue"),
        cache_purge=uses.get("cachePurge"),
        tag_cache_backend=backend,
        backend_from_bindings=from_bindings,
        sharding=sharding,
        sharding_error=sharding_error,
    )


def _int_var(environment: Environment, name: str, default: int) -> tuple[int, bool]:
    for var in environment.vars:
        if var.name != name:
            continue
        try:
            return int(str(var.value)), True
        except ValueError:
            return default, False
    return default, False


def _queue_var(environment: Environment, name: str, default: int) -> tuple[int | None, bool]:
    """Return what DOQueueHandler reads from var `name`, and whether the var set it.

    @opennextjs/cloudflare 1.20.17 reads `env.NAME ? parseInt(env.NAME) : DEFAULT`, so an
    empty string or the number 0 keeps the default, and text without a number gives NaN.
    """
    for var in environment.vars:
        if var.name == name and js_truthy(var.value):
            return js_parse_int(var.value), True
    return default, False


def queue_settings(environment: Environment) -> QueueSettings:
    """Return the queue limits for one environment, from its vars or OpenNext's defaults."""
    overridden: set[str] = set()
    values: dict[str, int | None] = {}
    for name, default in facts.QUEUE_DEFAULTS.items():
        value, was_set = _queue_var(environment, name, default)
        values[name] = value
        if was_set:
            overridden.add(name)
    instances, was_set = _int_var(
        environment, facts.MAX_REVALIDATE_CONCURRENCY_VAR, facts.DEFAULT_MAX_REVALIDATE_CONCURRENCY
    )
    if was_set:
        overridden.add(facts.MAX_REVALIDATE_CONCURRENCY_VAR)
    sqlite_disabled = any(
        var.name == facts.QUEUE_DISABLE_SQLITE_VAR and str(var.value) == "true"
        for var in environment.vars
    )
    return QueueSettings(
        environment=environment.label,
        instances=instances,
        max_revalidations=values["NEXT_CACHE_DO_QUEUE_MAX_REVALIDATION"],
        timeout_ms=values["NEXT_CACHE_DO_QUEUE_REVALIDATION_TIMEOUT_MS"],
        retry_interval_ms=values["NEXT_CACHE_DO_QUEUE_RETRY_INTERVAL_MS"],
        max_retries=values["NEXT_CACHE_DO_QUEUE_MAX_RETRIES"],
        sqlite_disabled=sqlite_disabled,
        overridden=frozenset(overridden),
    )
