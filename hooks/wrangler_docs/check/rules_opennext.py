"""Rules that apply to OpenNext apps, from @opennextjs/cloudflare 1.20.17.

Bindings are checked in the top level and in every `env.<name>` separately, because wrangler
does not inherit them and each environment deploys as its own Worker. Settings an environment
inherits (main, compatibility settings, assets, migrations) are checked where they are
written, so one mistake yields one diagnostic.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from ..diagnostics import ConfigPath, Diagnostic, Severity, did_you_mean, format_config_path
from ..facts import opennext as facts
from ..facts import wrangler as wrangler_facts
from ..model.javascript import js_parse_int, js_truthy
from ..model.opennext import OverrideUse
from ..model.worker import Binding, Environment, Migration
from ..read.opennext_ts import OverrideCall
from .rules import RuleContext, emit, emit_in_opennext, rule

_PACKAGE = f"{facts.PACKAGE} {facts.VERSION}"
_KINDS = {kind.kind: kind for kind in wrangler_facts.BINDING_KINDS}
_OPENNEXT_CLASSES = tuple(facts.DURABLE_OBJECT_CLASSES.values())
_CLASS_LIST = ", ".join(_OPENNEXT_CLASSES[:-1]) + f" and {_OPENNEXT_CLASSES[-1]}"
_CURRENT_NAMES = frozenset((*facts.BINDING_NAMES, *facts.VARIABLE_NAMES))
_KNOWN_VARIABLES = (*facts.VARIABLE_NAMES, facts.MAX_REVALIDATE_CONCURRENCY_VAR)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CAMEL_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_CLASS_BINDING_KINDS = ("durable_object", "workflow")
"""Binding kinds whose `class_name` must be exported by this Worker unless `script_name` is set."""


def _service_name(environment: Environment) -> str:
    """Return the name an environment deploys as, or a placeholder when it has none."""
    return environment.worker_name or "<worker name>"


def _worker_label(environment: Environment) -> str:
    if environment.worker_name:
        return f"the {environment.worker_name} Worker"
    return "this Worker"


# Reading the config


def _raw_value(context: RuleContext, path: Sequence[str | int]) -> Any:
    """Return the value at `path` in the parsed config, or None when it is absent."""
    value = context.document.value
    for part in path:
        if isinstance(part, int):
            if not isinstance(value, list) or not 0 <= part < len(value):
                return None
            value = value[part]
        else:
            if not isinstance(value, Mapping) or part not in value:
                return None
            value = value[part]
    return value


def _sets_key(context: RuleContext, environment: Environment, key: str) -> bool:
    """Return whether the top level, or an environment's own object, sets `key`.

    The top level always counts as setting it, so that a missing value is reported once,
    there, and not again in every environment that inherits the gap.
    """
    if environment.name is None:
        return True
    settings = _raw_value(context, environment.prefix)
    return isinstance(settings, Mapping) and key in settings


def _where(environment: Environment) -> str:
    return "at the top level" if environment.name is None else f"in env.{environment.name}"


def _config_path(environment: Environment, *keys: str | int) -> str:
    return format_config_path((*environment.prefix, *keys))


def _name_path(binding: Binding) -> ConfigPath:
    """Path of the binding's name: `name` for Durable Objects, `binding` for the others."""
    return (*binding.path, _KINDS[binding.kind].name_field)


def _list_key(kind: str) -> tuple[str, ...]:
    return _KINDS[kind].key


def _normalise_file(path: str) -> str:
    """Return a config file path without `./` prefixes or backslashes, for comparing."""
    text = path.replace("\\", "/")
    while text.startswith("./"):
        text = text[2:]
    return text


def _generated_main(environment: Environment) -> bool:
    return _normalise_file(environment.main) == facts.GENERATED_MAIN


def _class_words(name: str) -> list[str]:
    """Return the lower-case words of a class name, with `-ed` and `-s` endings removed."""
    words = []
    for word in _CAMEL_WORD.findall(name):
        word = word.lower()
        for ending in ("ed", "s"):
            if len(word) > 3 and word.endswith(ending):
                word = word[: -len(ending)]
                break
        words.append(word)
    return sorted(words)


def _close_class(name: str) -> str:
    """Return the OpenNext class `name` looks like a misspelling of, or "".

    Besides close spellings, this matches the same words in another order, as in
    `DOTagCacheShard` for `DOShardedTagCache`.
    """
    if name in _OPENNEXT_CLASSES:
        return ""
    match = did_you_mean(name, _OPENNEXT_CLASSES)
    if match:
        return match
    words = _class_words(name)
    for candidate in _OPENNEXT_CLASSES:
        if _class_words(candidate) == words:
            return candidate
    return ""


def _renamed(name: str) -> tuple[str, str] | None:
    """Return (current name, version that renamed it) when OpenNext renamed `name`."""
    current = facts.RENAMED_NAMES.get(name) or facts.RENAMED_VARIABLES.get(name)
    if current:
        return current, facts.RENAMED_IN_VERSION[name]
    for old_prefix, new_prefix, version in facts.RENAMED_PREFIXES:
        if name.startswith(old_prefix):
            candidate = new_prefix + name[len(old_prefix) :]
            if candidate in _CURRENT_NAMES:
                return candidate, version
    return None


def _class_bindings(environment: Environment) -> Iterator[Binding]:
    """Yield the bindings that name a class with `class_name`."""
    for binding in environment.bindings:
        if binding.kind in _CLASS_BINDING_KINDS and binding.detail("class_name"):
            yield binding


class _MigrationClass(NamedTuple):
    migration: Migration
    field: str
    position: int
    name: str

    @property
    def path(self) -> ConfigPath:
        return (*self.migration.path, self.field, self.position)


def _migration_classes(context: RuleContext) -> Iterator[_MigrationClass]:
    """Yield every class created by a migration, once per place it is written.

    Environments without their own `migrations` inherit the top level's list, which is
    yielded only once.
    """
    seen: set[ConfigPath] = set()
    for environment in context.worker.all_environments:
        for migration in environment.migrations:
            if migration.path in seen:
                continue
            seen.add(migration.path)
            for field in ("new_classes", "new_sqlite_classes"):
                items = _raw_value(context, (*migration.path, field))
                if not isinstance(items, list):
                    continue
                for index, item in enumerate(items):
                    if isinstance(item, str):
                        yield _MigrationClass(migration, field, index, item)


def _retired_classes(migrations: Sequence[Migration]) -> frozenset[str]:
    """Return classes that a migration renames away or deletes."""
    names: set[str] = set()
    for migration in migrations:
        names.update(old for old, _ in migration.renamed_classes)
        names.update(migration.deleted_classes)
    return frozenset(names)


# The overrides in open-next.config.ts


class _Requirement(NamedTuple):
    """A binding that an override in use reads from env."""

    binding: str
    use: OverrideUse
    location: str
    """Position of the override in open-next.config.ts, as `open-next.config.ts:5:21`."""


def _override_call(context: RuleContext, slot: str) -> OverrideCall | None:
    if context.opennext is None:
        return None
    config = context.opennext.slots.get(slot)
    return config.override if config is not None else None


def _location(context: RuleContext, offset: int) -> str:
    assert context.opennext is not None
    source = context.opennext.source
    line, column = source.line_column(offset)
    return f"{source.display_name}:{line}:{column}"


def _uses(context: RuleContext) -> tuple[OverrideUse, ...]:
    app = context.app
    if app is None:
        return ()
    uses = (app.incremental_cache, app.queue, app.tag_cache, app.cache_purge)
    return tuple(use for use in uses if use is not None)


def _requirements(context: RuleContext) -> tuple[_Requirement, ...]:
    """Return the bindings the overrides in open-next.config.ts read, in slot order."""
    assert context.app is not None
    requirements: list[_Requirement] = []
    purge_direct = context.app.purge_type != facts.PURGE_TYPE_DURABLE_OBJECT
    for use in _uses(context):
        if use.module == facts.CACHE_PURGE and purge_direct:
            continue
        call = _override_call(context, use.slot)
        location = _location(context, call.start) if call is not None else use.slot
        for name in use.bindings:
            if name in facts.BINDING_KIND_BY_NAME:
                requirements.append(_Requirement(name, use, location))
    return tuple(requirements)


def _overrides_fully_read(context: RuleContext) -> bool:
    """Return whether open-next.config.ts was read well enough to know every override."""
    config = context.opennext
    if config is None or not config.found:
        return False
    return not any(diagnostic.code == "WD050" for diagnostic in config.diagnostics)


def _readers_by_binding() -> dict[str, list[facts.Override]]:
    readers: dict[str, list[facts.Override]] = {}
    for override in facts.OVERRIDES.values():
        for name in override.bindings:
            readers.setdefault(name, []).append(override)
    for module, names in facts.OPTIONAL_OVERRIDE_BINDINGS.items():
        for name in names:
            readers.setdefault(name, []).append(facts.OVERRIDES[module])
    return readers


_READERS = _readers_by_binding()


def _a(label: str) -> str:
    """Return `label` with "a" or "an", reading a leading acronym letter by letter (an R2)."""
    first = label.split(" ")[0]
    acronym = first.isupper() or any(char.isdigit() for char in first)
    vowel_sound = "AEFHILMNORSX" if acronym else "AEIOU"
    return f"an {label}" if label[:1].upper() in vowel_sound else f"a {label}"


def _binding_example(name: str, environment: Environment) -> str:
    """Return what to add for binding `name`, for a hint."""
    kind = facts.BINDING_KIND_BY_NAME[name]
    if kind == "durable_object":
        class_name = facts.DURABLE_OBJECT_CLASSES[name]
        return (
            f'Add {{ "name": "{name}", "class_name": "{class_name}" }} to '
            f"`{_config_path(environment, 'durable_objects', 'bindings')}`, and create "
            f"{class_name} in a new_sqlite_classes migration."
        )
    if kind == "r2_bucket":
        return (
            f'Add {{ "binding": "{name}", "bucket_name": "<bucket name>" }} to '
            f"`{_config_path(environment, 'r2_buckets')}`."
        )
    if kind == "kv_namespace":
        return (
            f'Add {{ "binding": "{name}", "id": "<namespace id>" }} to '
            f"`{_config_path(environment, 'kv_namespaces')}`."
        )
    if kind == "d1_database":
        return (
            f'Add {{ "binding": "{name}", "database_name": "<name>", "database_id": "<id>" }} '
            f"to `{_config_path(environment, 'd1_databases')}`."
        )
    if kind == "service":
        return (
            f'Add {{ "binding": "{name}", "service": "{_service_name(environment)}" }} to '
            f"`{_config_path(environment, 'services')}`; the service is this Worker itself."
        )
    if kind == "assets":
        return (
            f'Set `{_config_path(environment, "assets")}` to {{ "directory": '
            f'"{facts.GENERATED_ASSETS_DIRECTORY}", "binding": "{name}" }}.'
        )
    return f"Add a {_KINDS[kind].label} binding named {name}."


def _near_miss(environment: Environment, name: str) -> str:
    """Return a bound name that looks like a renamed or misspelled `name`, or ""."""
    bound = [binding.name for binding in environment.bindings if binding.name not in _CURRENT_NAMES]
    for candidate in bound:
        renamed = _renamed(candidate)
        if renamed is not None and renamed[0] == name:
            return candidate
    return did_you_mean(name, bound)


# Bindings the overrides read


@rule(
    "WD301",
    Severity.ERROR,
    "Binding an override reads is missing",
    scope="opennext",
    explanation=(
        "Each cache override in open-next.config.ts reads its binding from env at run time, "
        "and neither the build nor wrangler checks that it exists. Without it, the sharded, D1 "
        "and KV tag caches turn themselves off silently, so revalidateTag and revalidatePath "
        'do nothing. The queues fail with "No durable object binding for cache revalidation" '
        'or "No service binding for cache revalidation worker", so stale ISR pages are never '
        're-rendered. Deploying with the R2 or KV incremental cache stops with "No R2 binding '
        '"NEXT_INC_CACHE_R2_BUCKET" found!" or its KV equivalent.'
    ),
    fix=(
        "Bind every name the overrides read, with the kind OpenNext expects, in the top level "
        "and in every environment, or remove the override from open-next.config.ts."
    ),
    source=(
        f"{_PACKAGE}: the CloudflareEnv interface (dist/api/cloudflare-context.d.ts) and the "
        "override code in dist/api/overrides/"
    ),
)
def check_override_bindings(context: RuleContext) -> Iterator[Diagnostic]:
    requirements = _requirements(context)
    for environment in context.worker.all_environments:
        for requirement in requirements:
            name = requirement.binding
            if environment.binding(name) is not None:
                continue
            key = _list_key(facts.BINDING_KIND_BY_NAME[name])
            if key[0] in environment.missing_non_inheritable:
                # WD311 reports the whole key missing from the environment.
                continue
            path = (*environment.prefix, *key)
            label = _KINDS[facts.BINDING_KIND_BY_NAME[name]].label
            exists = tuple(path) in context.document.spans
            where = (
                f"`{format_config_path(path)}` has none"
                if exists
                else f"there is no `{key[0]}` {_where(environment)}"
            )
            message = (
                f"{requirement.location} uses the {requirement.use.label}, which reads the "
                f"{label} binding {name}, but {where}"
            )
            hint = _binding_example(name, environment)
            near = _near_miss(environment, name)
            if near:
                hint = f"{near} is bound; rename it to {name}. " + hint
            yield emit(context, "WD301", message, path, hint=hint, at="value" if exists else "key")


@rule(
    "WD302",
    Severity.ERROR,
    "OpenNext binding of the wrong kind",
    scope="opennext",
    explanation=(
        "OpenNext calls the methods of the binding kind it expects, for example idFromName on "
        "a Durable Object namespace or get on an R2 bucket. A binding of another kind with the "
        "same name fails on the first cache access, and the overrides catch most such errors, "
        "so caching and revalidation stop without a visible error."
    ),
    fix="Move the binding to the list of the kind OpenNext reads, or rename it.",
    source=f"{_PACKAGE}: the CloudflareEnv interface in dist/api/cloudflare-context.d.ts",
)
def check_binding_kinds(context: RuleContext) -> Iterator[Diagnostic]:
    for environment in context.worker.all_environments:
        for binding in environment.bindings:
            expected = facts.BINDING_KIND_BY_NAME.get(binding.name)
            if binding.name not in facts.BINDING_NAMES or expected in (None, binding.kind):
                continue
            expected_kind = _KINDS[expected]
            message = (
                f"{binding.name} is bound as {_a(binding.label)}, but OpenNext reads it as "
                f"{_a(expected_kind.label)}"
            )
            hint = f"Move it to `{_config_path(environment, *expected_kind.key)}`."
            yield emit(context, "WD302", message, _name_path(binding), hint=hint)


@rule(
    "WD303",
    Severity.ERROR,
    "R2 incremental cache bucket has no bucket_name",
    scope="opennext",
    explanation=(
        "opennextjs-cloudflare deploy, upload and preview fill the R2 incremental cache with "
        "the build's pages before the Worker goes live, and they find the bucket through the "
        "binding's bucket_name. Without it they stop with 'R2 binding "
        '"NEXT_INC_CACHE_R2_BUCKET" is missing a bucket_name.\''
    ),
    fix="Set bucket_name to the R2 bucket that holds the incremental cache.",
    source=f"{_PACKAGE}: populateCache in dist/cli/commands/populate-cache.js",
)
def check_r2_bucket_name(context: RuleContext) -> Iterator[Diagnostic]:
    if not any(req.binding == facts.R2_CACHE_BINDING for req in _requirements(context)):
        return
    for environment in context.worker.all_environments:
        for binding in environment.bindings_of("r2_bucket"):
            if binding.name != facts.R2_CACHE_BINDING or binding.detail("bucket_name"):
                continue
            message = f"The R2 binding {binding.name} has no bucket_name"
            hint = 'Add "bucket_name": "<bucket name>" to this binding.'
            yield emit(context, "WD303", message, binding.path, hint=hint)


@rule(
    "WD304",
    Severity.WARNING,
    "OpenNext binding that no override reads",
    scope="opennext",
    explanation=(
        "OpenNext reads each of its bindings only from the override that needs it. A binding "
        "whose override is not in open-next.config.ts is never used, which usually means the "
        "override was meant to be configured and the app runs with a different cache than "
        "the config suggests."
    ),
    fix="Configure the override that reads the binding in open-next.config.ts, or remove it.",
    source=f"{_PACKAGE}: the override code in dist/api/overrides/",
)
def check_unused_bindings(context: RuleContext) -> Iterator[Diagnostic]:
    if not _overrides_fully_read(context):
        return
    assert context.opennext is not None
    used = {requirement.binding for requirement in _requirements(context)}
    used.update(facts.BINDINGS_READ_WITHOUT_OVERRIDE)
    for use in _uses(context):
        used.update(facts.OPTIONAL_OVERRIDE_BINDINGS.get(use.module or "", ()))
    unknown_slots = {
        name
        for name, slot in context.opennext.slots.items()
        if slot.override is None or slot.override.module not in facts.OVERRIDES
    }
    for environment in context.worker.all_environments:
        for binding in environment.bindings:
            if binding.name not in facts.BINDING_NAMES or binding.name in used:
                continue
            readers = _READERS.get(binding.name, [])
            if any(reader.slot in unknown_slots for reader in readers):
                # A custom override in that slot may read the binding.
                continue
            if binding.name == facts.PURGE_BINDING:
                labels = f'purgeCache({{ type: "{facts.PURGE_TYPE_DURABLE_OBJECT}" }})'
            else:
                labels = " or ".join(f"the {reader.label}" for reader in readers)
            message = (
                f"{binding.name} is bound, but {context.opennext.source.display_name} does not "
                f"use {labels}, the only override that reads it"
            )
            slot = readers[0].slot if readers else "the override"
            hint = f"Set {slot} in open-next.config.ts, or remove this binding."
            yield emit(context, "WD304", message, _name_path(binding), hint=hint)


# OpenNext's names


@rule(
    "WD305",
    Severity.ERROR,
    "Wrong Durable Object class for an OpenNext binding",
    scope="opennext",
    explanation=(
        "The generated .open-next/worker.js exports exactly DOQueueHandler, DOShardedTagCache "
        "and BucketCachePurge, and OpenNext calls their methods through NEXT_CACHE_DO_QUEUE, "
        "NEXT_TAG_CACHE_DO_SHARDED and NEXT_CACHE_DO_PURGE. Another class_name fails the "
        "deploy when the Worker does not export it, and breaks the queue, tag cache or purge "
        "when it does."
    ),
    fix="Set class_name to the class OpenNext pairs with the binding name.",
    source=f"{_PACKAGE}: dist/cli/templates/worker.js and dist/api/durable-objects/",
)
def check_opennext_classes(context: RuleContext) -> Iterator[Diagnostic]:
    for environment in context.worker.all_environments:
        for binding in environment.bindings_of("durable_object"):
            expected = facts.DURABLE_OBJECT_CLASSES.get(binding.name)
            class_name = binding.detail("class_name")
            if expected is None or not class_name or class_name == expected:
                continue
            if _renamed(class_name) is not None:
                continue  # WD306 names the current class.
            if _close_class(class_name) == expected:
                message = (
                    f"{class_name} is not an OpenNext class; did you mean {expected}, the class "
                    f"{binding.name} needs?"
                )
            else:
                message = f"{binding.name} must use OpenNext's class {expected}, not {class_name}"
            hint = f'Set "class_name": "{expected}", and use the same name in the migration.'
            yield emit(context, "WD305", message, (*binding.path, "class_name"), hint=hint)


def _renamed_message(old: str, current: str, version: str) -> str:
    return (
        f"{old} was renamed to {current} in {facts.PACKAGE} {version}, so OpenNext "
        f"{facts.VERSION} never reads {old}"
    )


@rule(
    "WD306",
    Severity.ERROR,
    "Name that OpenNext renamed",
    scope="opennext",
    explanation=(
        "OpenNext 0.6.0 renamed its bindings and variables (NEXT_CACHE_WORKERS_KV, "
        "NEXT_CACHE_R2_..., NEXT_CACHE_D1, NEXT_CACHE_DO_..., NEXT_CACHE_DO_REVALIDATION, "
        "NEXT_CACHE_REVALIDATION_WORKER) and the sharded tag cache's numberOfShards option. "
        "1.0.0-beta.0 renamed the queue class DurableObjectQueueHandler, the variable "
        "NEXT_CACHE_DO_QUEUE_MAX_NUM_REVALIDATIONS and the shard replication options. "
        "Current versions read only the new names, so a binding under an old name is missing "
        "at run time, an old class is not exported by the generated worker, and an old "
        "option or variable is ignored."
    ),
    fix="Use the current name. For a deployed class, add a migration with renamed_classes.",
    source=(
        f"{_PACKAGE}; renames from packages/cloudflare/CHANGELOG.md and the 0.5 to 0.6 and "
        "0.6 to 1.0.0-beta migration guides"
    ),
)
def check_renamed_names(context: RuleContext) -> Iterator[Diagnostic]:
    for environment in context.worker.all_environments:
        for binding in environment.bindings:
            renamed = _renamed(binding.name)
            if renamed is not None:
                current, version = renamed
                message = _renamed_message(binding.name, current, version)
                yield emit(
                    context, "WD306", message, _name_path(binding), hint=f"Rename it to {current}."
                )
        for variable in environment.vars:
            renamed = _renamed(variable.name)
            if renamed is not None:
                current, version = renamed
                message = _renamed_message(variable.name, current, version)
                yield emit(
                    context,
                    "WD306",
                    message,
                    variable.path,
                    hint=f"Rename it to {current}.",
                    at="key",
                )
        for binding in _class_bindings(environment):
            class_name = binding.detail("class_name")
            renamed = _renamed(class_name)
            if renamed is not None:
                current, version = renamed
                hint = (
                    f'Set "class_name": "{current}". If {class_name} was deployed, add a '
                    f'migration with "renamed_classes": [{{ "from": "{class_name}", '
                    f'"to": "{current}" }}].'
                )
                message = _renamed_message(class_name, current, version)
                yield emit(context, "WD306", message, (*binding.path, "class_name"), hint=hint)
    yield from _renamed_migration_classes(context)
    yield from _renamed_tag_cache_options(context)


def _renamed_migration_classes(context: RuleContext) -> Iterator[Diagnostic]:
    """Report old class names that a migration creates and no later one renames or deletes."""
    migrations = [
        migration
        for environment in context.worker.all_environments
        for migration in environment.migrations
    ]
    retired = _retired_classes(migrations)
    for entry in _migration_classes(context):
        renamed = _renamed(entry.name)
        if renamed is None or entry.name in retired:
            continue
        current, version = renamed
        message = (
            _renamed_message(entry.name, current, version)
            + ", and the generated worker does not export it"
        )
        hint = (
            f'Add a migration with "renamed_classes": [{{ "from": "{entry.name}", '
            f'"to": "{current}" }}], or create {current} instead if this migration was never '
            "deployed."
        )
        yield emit(context, "WD306", message, entry.path, hint=hint)


def _sharded_tag_cache_call(context: RuleContext) -> OverrideCall | None:
    """Return the doShardedTagCache(...) call of the config, when it has literal options."""
    call = _override_call(context, "tagCache")
    if call is None or call.module != facts.TAG_CACHE_SHARDED or not call.has_options:
        return None
    if not isinstance(call.options, Mapping):
        return None
    return call


def _renamed_tag_cache_options(context: RuleContext) -> Iterator[Diagnostic]:
    call = _sharded_tag_cache_call(context)
    if call is None:
        return
    for old, current, version in facts.RENAMED_SHARDED_TAG_CACHE_OPTIONS:
        span = call.option_spans.get((old,))
        if old not in call.options or span is None:
            continue
        message = (
            f"doShardedTagCache option {old} was replaced by {current} in {facts.PACKAGE} "
            f"{version}, so OpenNext {facts.VERSION} ignores it"
        )
        if current == "shardReplication":
            hint = "Use shardReplication: { numberOfSoftReplicas: <n>, numberOfHardReplicas: <n> }."
        else:
            hint = f"Rename it to {current}."
        yield emit_in_opennext(
            context,
            "WD306",
            message,
            span.key_start,
            span.key_end,
            path=("tagCache", old),
            hint=hint,
        )


@rule(
    "WD307",
    Severity.WARNING,
    "Name close to an OpenNext name",
    scope="opennext",
    explanation=(
        "OpenNext looks bindings, variables and classes up by their exact names. A name one "
        "typo away from one of them is most likely meant to be it, and OpenNext never reads "
        "it, so the binding is missing or the setting keeps its default."
    ),
    fix="Correct the spelling to the OpenNext name, or rename the item to something distinct.",
    source=f"{_PACKAGE}: the CloudflareEnv interface and dist/cli/templates/worker.js",
)
def check_misspelled_names(context: RuleContext) -> Iterator[Diagnostic]:
    for environment in context.worker.all_environments:
        for binding in environment.bindings:
            if binding.name in _CURRENT_NAMES or _renamed(binding.name) is not None:
                continue
            match = did_you_mean(binding.name, facts.BINDING_NAMES)
            if match:
                message = f"Binding {binding.name} is not read by OpenNext; did you mean {match}?"
                hint = f"Rename it to {match} if it is meant for OpenNext."
                yield emit(context, "WD307", message, _name_path(binding), hint=hint)
        for variable in environment.vars:
            if variable.name in _KNOWN_VARIABLES or _renamed(variable.name) is not None:
                continue
            match = did_you_mean(variable.name, _KNOWN_VARIABLES)
            if match:
                message = f"Variable {variable.name} is not read by OpenNext; did you mean {match}?"
                hint = f"Rename it to {match} if it is meant for OpenNext."
                yield emit(context, "WD307", message, variable.path, hint=hint, at="key")
        if _generated_main(environment):
            continue  # WD325 reports the app's classes, with the suggestion.
        for binding in _class_bindings(environment):
            class_name = binding.detail("class_name")
            if binding.name in facts.DURABLE_OBJECT_CLASSES:
                continue  # WD305 checks the class of OpenNext's own bindings.
            match = _close_class(class_name)
            if match and _renamed(class_name) is None:
                message = f"Class {class_name} is not an OpenNext class; did you mean {match}?"
                hint = f'Set "class_name": "{match}" if this binding is meant for OpenNext.'
                yield emit(context, "WD307", message, (*binding.path, "class_name"), hint=hint)
    for entry in _migration_classes(context):
        match = _close_class(entry.name)
        if match and _renamed(entry.name) is None:
            message = (
                f"Migration class {entry.name} is not an OpenNext class; did you mean {match}?"
            )
            hint = f"Write {match}, as class_name spells it."
            yield emit(context, "WD307", message, entry.path, hint=hint)


# Migrations


@rule(
    "WD310",
    Severity.ERROR,
    "OpenNext class without SQLite storage",
    scope="opennext",
    explanation=(
        "DOQueueHandler, DOShardedTagCache and BucketCachePurge use ctx.storage.sql in their "
        "constructors. A class created with new_classes gets key-value storage, so every "
        f'instance fails with "{facts.SQL_NOT_ENABLED_ERROR}" and the queue, tag cache or '
        "purge never works. The storage backend of a deployed class cannot be changed."
    ),
    fix=(
        'Create OpenNext\'s classes under new_sqlite_classes (or with storage "sqlite" in '
        "exports) before their first deploy."
    ),
    source=(
        f"{_PACKAGE}: dist/api/durable-objects/ (queue.js, sharded-tag-cache.js, "
        "bucket-cache-purge.js), and workerd's error for SQL on key-value storage"
    ),
)
def check_sqlite_classes(context: RuleContext) -> Iterator[Diagnostic]:
    for entry in _migration_classes(context):
        if entry.field != "new_classes" or entry.name not in _OPENNEXT_CLASSES:
            continue
        message = (
            f"{entry.name} is created with new_classes, which gives it key-value storage, but "
            f'OpenNext\'s class uses SQL and fails with "{facts.SQL_NOT_ENABLED_ERROR}"'
        )
        hint = (
            f"Move {entry.name} to new_sqlite_classes. Storage cannot be changed after the "
            "migration is deployed."
        )
        yield emit(context, "WD310", message, entry.path, hint=hint)
    seen: set[ConfigPath] = set()
    for environment in context.worker.all_environments:
        prefix = () if "exports" in environment.inherited else environment.prefix
        exports = _raw_value(context, (*prefix, "exports"))
        if not isinstance(exports, Mapping) or prefix in seen:
            continue
        seen.add(prefix)
        for class_name, settings in exports.items():
            if class_name not in _OPENNEXT_CLASSES or not isinstance(settings, Mapping):
                continue
            storage = settings.get("storage")
            if storage is None or storage == "sqlite":
                continue
            message = (
                f'{class_name} has storage "{storage}", but OpenNext\'s class uses SQL and '
                f'fails with "{facts.SQL_NOT_ENABLED_ERROR}"'
            )
            hint = 'Set "storage": "sqlite" before the class is first deployed.'
            path = (*prefix, "exports", class_name, "storage")
            yield emit(context, "WD310", message, path, hint=hint)


# Environments


def _needed_keys(context: RuleContext) -> dict[str, list[str]]:
    """Return the non-inheritable keys OpenNext needs, with the binding names they hold.

    A key is needed when an override in use reads a binding from it. The top level's
    OpenNext bindings count as needed when open-next.config.ts could not be read, because
    they are then the only sign of the overrides in use, and WORKER_SELF_REFERENCE always
    counts, because `res.revalidate` reads it.
    """
    needed: dict[str, list[str]] = {}

    def add(name: str) -> None:
        key = _list_key(facts.BINDING_KIND_BY_NAME[name])[0]
        if key in facts.OPENNEXT_REQUIRED_KEYS and name not in needed.setdefault(key, []):
            needed[key].append(name)

    for requirement in _requirements(context):
        add(requirement.binding)
    fully_read = _overrides_fully_read(context)
    for binding in context.worker.top.bindings:
        if facts.BINDING_KIND_BY_NAME.get(binding.name) != binding.kind:
            continue  # Not OpenNext's, or WD302 reports the wrong kind.
        if not fully_read or binding.name in facts.BINDINGS_READ_WITHOUT_OVERRIDE:
            add(binding.name)
    return needed


@rule(
    "WD311",
    Severity.ERROR,
    "Environment lacks bindings OpenNext needs",
    scope="opennext",
    explanation=(
        "wrangler does not inherit durable_objects, r2_buckets, d1_databases, kv_namespaces "
        "or services into env.<name>. An environment that leaves one out deploys without the "
        "OpenNext bindings it holds, so that environment's cache, queue or tag cache fails as "
        "if the binding were never declared, while the top level works."
    ),
    fix="Repeat the key in the environment, with that environment's own resources.",
    source=(
        f"{_PACKAGE} bindings; inheritance from wrangler {wrangler_facts.VERSION} "
        "(notInheritable in wrangler-dist/cli.js)"
    ),
)
def check_environment_keys(context: RuleContext) -> Iterator[Diagnostic]:
    needed = _needed_keys(context)
    for environment in context.worker.environments:
        for key in environment.missing_non_inheritable:
            names = needed.get(key)
            if not names:
                continue
            message = (
                f"env.{environment.name} has no `{key}`, and environments do not inherit it, "
                f"so {_worker_label(environment)} lacks {', '.join(names)}"
            )
            hint = f"Copy `{key}` from the top level into env.{environment.name}"
            if key == "services":
                hint += f', with "service": "{_service_name(environment)}"'
            else:
                hint += ", pointing at this environment's own resources"
            yield emit(context, "WD311", message, environment.prefix, hint=hint + ".", at="key")


@rule(
    "WD313",
    Severity.WARNING,
    "Environment lacks a key OpenNext does not read",
    scope="opennext",
    explanation=(
        "In an OpenNext app, a missing durable_objects, r2_buckets, d1_databases, "
        "kv_namespaces or services key is an error (WD311) when it holds bindings OpenNext "
        "reads. When it holds only the app's own bindings, the environment still deploys "
        "without them, so code that reads them gets undefined there; wrangler warns the same "
        "way when that environment is selected."
    ),
    fix="Repeat the key in the environment, with that environment's own values.",
    source=(
        f"{_PACKAGE} bindings; inheritance from wrangler {wrangler_facts.VERSION} "
        "(notInheritable in wrangler-dist/cli.js)"
    ),
)
def check_environment_app_keys(context: RuleContext) -> Iterator[Diagnostic]:
    needed = _needed_keys(context)
    for environment in context.worker.environments:
        for key in environment.missing_non_inheritable:
            if key not in facts.OPENNEXT_REQUIRED_KEYS or needed.get(key):
                continue
            message = (
                f'"{key}" exists at the top level, but not on "env.{environment.name}"; '
                "environments do not inherit it"
            )
            hint = f'Add "{key}" to "env.{environment.name}".'
            yield emit(context, "WD313", message, environment.prefix, hint=hint, at="key")


@rule(
    "WD312",
    Severity.ERROR,
    "WORKER_SELF_REFERENCE points at another Worker",
    scope="opennext",
    explanation=(
        "The queues and res.revalidate re-render a page by calling the Worker through "
        "WORKER_SELF_REFERENCE. When its service is another Worker's name, revalidation "
        "renders that Worker's pages (often production's from staging) or fails because the "
        "service does not exist. Each environment deploys as <name>-<env> unless it sets its "
        "own name."
    ),
    fix="Set the binding's service to the name this environment deploys as.",
    source=(
        f"{_PACKAGE}: dist/api/durable-objects/queue.js and "
        "dist/api/overrides/queue/memory-queue.js"
    ),
)
def check_self_reference(context: RuleContext) -> Iterator[Diagnostic]:
    for environment in context.worker.all_environments:
        expected = environment.worker_name
        for binding in environment.bindings_of("service"):
            service = binding.detail("service")
            if binding.name != facts.SELF_REFERENCE_BINDING or not service or not expected:
                continue
            if service == expected:
                continue
            message = (
                f'{binding.name} calls the Worker "{service}", but {_where(environment)} this '
                f'Worker deploys as "{expected}"'
            )
            hint = f'Set "service": "{expected}".'
            yield emit(context, "WD312", message, (*binding.path, "service"), hint=hint)


# Runtime settings


@rule(
    "WD320",
    Severity.ERROR,
    "nodejs_compat is not enabled",
    scope="opennext",
    explanation=(
        "The generated worker imports node: modules such as node:fs and node:crypto, which "
        "the Workers runtime provides only with the nodejs_compat flag. Without it the upload "
        'fails with "No such module "node:fs"" [code: 10021]. nodejs_compat_v2 alone does '
        "not replace it."
    ),
    fix='Add "nodejs_compat" to compatibility_flags.',
    source=f"{_PACKAGE}: docs get-started.mdx",
)
def check_nodejs_compat(context: RuleContext) -> Iterator[Diagnostic]:
    required = facts.REQUIRED_COMPATIBILITY_FLAGS
    for environment in context.worker.all_environments:
        if not _sets_key(context, environment, "compatibility_flags"):
            continue
        flags = environment.compatibility_flags
        path = (*environment.prefix, "compatibility_flags")
        for flag in required:
            if flag in flags:
                continue
            default_from = wrangler_facts.COMPATIBILITY_FLAG_DEFAULT_DATES.get(flag)
            if default_from and environment.compatibility_date >= default_from:
                continue  # The date turns the flag on, and workerd rejects it as redundant.
            if facts.NODEJS_COMPAT_V2_FLAG in flags:
                index = _raw_value(context, path).index(facts.NODEJS_COMPAT_V2_FLAG)
                message = (
                    f"compatibility_flags {_where(environment)} has "
                    f"{facts.NODEJS_COMPAT_V2_FLAG} but not {flag}, which OpenNext needs"
                )
                hint = f'Replace "{facts.NODEJS_COMPAT_V2_FLAG}" with "{flag}".'
                yield emit(context, "WD320", message, (*path, index), hint=hint)
                continue
            exists = tuple(path) in context.document.spans
            where = (
                f"`{format_config_path(path)}`"
                if exists
                else (f"compatibility_flags is not set {_where(environment)}, so it")
            )
            message = f"{where} does not contain {flag}, which OpenNext needs"
            hint = f'Add "{flag}" to compatibility_flags.'
            yield emit(context, "WD320", message, path, hint=hint, at="value" if exists else "key")


def _compatibility_dates(context: RuleContext) -> Iterator[tuple[Environment, str, ConfigPath]]:
    for environment in context.worker.all_environments:
        date = environment.compatibility_date
        if not _DATE.match(date) or not _sets_key(context, environment, "compatibility_date"):
            continue
        yield environment, date, (*environment.prefix, "compatibility_date")


@rule(
    "WD321",
    Severity.ERROR,
    "compatibility_date too old for OpenNext",
    scope="opennext",
    explanation=(
        "Before 2024-09-23 nodejs_compat provides only part of the Node.js APIs, and the "
        "generated worker fails to load modules it imports. OpenNext's docs require "
        "2024-09-23 or later."
    ),
    fix=f"Set compatibility_date to {facts.RECOMMENDED_COMPATIBILITY_DATE} or later.",
    source=f"{_PACKAGE}: docs get-started.mdx",
)
def check_minimum_date(context: RuleContext) -> Iterator[Diagnostic]:
    minimum = facts.MINIMUM_COMPATIBILITY_DATE
    for environment, date, path in _compatibility_dates(context):
        if date >= minimum:
            continue
        message = f"compatibility_date {date} is before {minimum}, the earliest OpenNext supports"
        hint = f'Set "compatibility_date" to {facts.RECOMMENDED_COMPATIBILITY_DATE} or later.'
        yield emit(context, "WD321", message, path, hint=hint)


@rule(
    "WD322",
    Severity.WARNING,
    "compatibility_date lacks FinalizationRegistry",
    scope="opennext",
    explanation=(
        "Before 2025-05-05 the Workers runtime has no FinalizationRegistry, and pages fail "
        'with "ReferenceError: FinalizationRegistry is not defined" (HTTP 500), typically '
        "after a revalidation."
    ),
    fix=f"Set compatibility_date to {facts.RECOMMENDED_COMPATIBILITY_DATE} or later.",
    source=f"{_PACKAGE}: docs troubleshooting.mdx",
)
def check_recommended_date(context: RuleContext) -> Iterator[Diagnostic]:
    minimum = facts.MINIMUM_COMPATIBILITY_DATE
    recommended = facts.RECOMMENDED_COMPATIBILITY_DATE
    for environment, date, path in _compatibility_dates(context):
        if date < minimum or date >= recommended:
            continue
        message = (
            f"compatibility_date {date} is before {recommended}, so FinalizationRegistry is "
            "not defined at run time"
        )
        hint = f'Set "compatibility_date" to {recommended} or later.'
        yield emit(context, "WD322", message, path, hint=hint)


@rule(
    "WD323",
    Severity.ERROR,
    "main is not the OpenNext worker",
    scope="opennext",
    explanation=(
        f"opennextjs-cloudflare build writes the Worker entry to {facts.GENERATED_MAIN}; the "
        f"other files in {facts.OUTPUT_DIRECTORY} are modules it imports and do not handle "
        "requests. Without main, wrangler deploys only the static assets and no page is "
        "rendered. A custom worker outside .open-next/ is the documented exception."
    ),
    fix=(f'Set "main" to "{facts.GENERATED_MAIN}", or to a custom worker that imports it.'),
    source=f"{_PACKAGE}: dist/cli/templates/worker.js and docs get-started.mdx",
)
def check_main(context: RuleContext) -> Iterator[Diagnostic]:
    for environment in context.worker.all_environments:
        if not _sets_key(context, environment, "main"):
            continue
        path = (*environment.prefix, "main")
        hint = f'Set "main": "{facts.GENERATED_MAIN}".'
        if not environment.main:
            message = f"main is not set {_where(environment)}, so no page is rendered by Next.js"
            yield emit(context, "WD323", message, path, hint=hint, at="key")
            continue
        main = _normalise_file(environment.main)
        if main.startswith(facts.OUTPUT_DIRECTORY) and main != facts.GENERATED_MAIN:
            message = (
                f"main {environment.main} is inside {facts.OUTPUT_DIRECTORY} but is not "
                f"{facts.GENERATED_MAIN}, the Worker entry OpenNext generates"
            )
            yield emit(context, "WD323", message, path, hint=hint)


@rule(
    "WD324",
    Severity.ERROR,
    "assets.directory is not OpenNext's output",
    scope="opennext",
    explanation=(
        f"opennextjs-cloudflare build copies the static files and prerendered pages to "
        f"{facts.GENERATED_ASSETS_DIRECTORY}. With another directory, or without assets, the "
        "Worker serves none of them: scripts, styles and images return 404."
    ),
    fix=(
        f'Set "assets": {{ "directory": "{facts.GENERATED_ASSETS_DIRECTORY}", "binding": '
        f'"{facts.ASSETS_BINDING}" }}.'
    ),
    source=f"{_PACKAGE}: docs get-started.mdx",
)
def check_assets(context: RuleContext) -> Iterator[Diagnostic]:
    expected = facts.GENERATED_ASSETS_DIRECTORY
    hint = f'Set "assets": {{ "directory": "{expected}", "binding": "{facts.ASSETS_BINDING}" }}.'
    for environment in context.worker.all_environments:
        if not _sets_key(context, environment, "assets"):
            continue
        path = (*environment.prefix, "assets")
        assets = _raw_value(context, path)
        if assets is None:
            message = f"assets is not set {_where(environment)}, so no static file is served"
            yield emit(context, "WD324", message, path, hint=hint, at="key")
            continue
        if not isinstance(assets, Mapping):
            continue  # The schema check reports the type.
        directory = assets.get("directory")
        if not isinstance(directory, str):
            message = f"assets {_where(environment)} has no directory"
            yield emit(context, "WD324", message, path, hint=hint)
            continue
        if _normalise_file(directory).rstrip("/") != expected:
            message = (
                f"assets.directory {directory} is not {expected}, where OpenNext writes the "
                "static files"
            )
            yield emit(
                context,
                "WD324",
                message,
                (*path, "directory"),
                hint=f'Set "directory": "{expected}".',
            )


@rule(
    "WD325",
    Severity.ERROR,
    "App class needs a custom worker",
    scope="opennext",
    explanation=(
        f"A binding without script_name names a class this Worker must export. "
        f"{facts.GENERATED_MAIN} exports only OpenNext's classes "
        f"({_CLASS_LIST}), so wrangler rejects the deploy: 'You should export these "
        f"objects from your entrypoint, {facts.GENERATED_MAIN}.'"
    ),
    fix=(
        "Write a custom worker that exports the class, re-exports OpenNext's classes from "
        f"{facts.GENERATED_MAIN} and passes fetch to its default export. Point main at it."
    ),
    source=f"{_PACKAGE}: dist/cli/templates/worker.js and docs howtos/custom-worker.mdx",
)
def check_app_classes(context: RuleContext) -> Iterator[Diagnostic]:
    reexport = ", ".join(_OPENNEXT_CLASSES)
    for environment in context.worker.all_environments:
        if not _generated_main(environment):
            continue
        for binding in _class_bindings(environment):
            class_name = binding.detail("class_name")
            if binding.detail("script_name") or class_name in _OPENNEXT_CLASSES:
                continue
            if _renamed(class_name) is not None or binding.name in facts.DURABLE_OBJECT_CLASSES:
                continue  # WD306 or WD305 reports these.
            message = (
                f"{class_name} is bound without script_name, but main is {facts.GENERATED_MAIN}, "
                f"which exports only OpenNext's classes {_CLASS_LIST}; a custom worker entry must "
                f"export {class_name} and re-export OpenNext's classes"
            )
            match = _close_class(class_name)
            if match:
                message += f"; did you mean {match}?"
                hint = f'Set "class_name": "{match}" if this binding is meant for OpenNext.'
            else:
                hint = (
                    f"Write a custom worker (for example worker.ts) that exports {class_name}, "
                    f'adds `export {{ {reexport} }} from "./{facts.GENERATED_MAIN}"` and passes '
                    f"fetch to the default export of {facts.GENERATED_MAIN}; then point main at it."
                )
            yield emit(context, "WD325", message, (*binding.path, "class_name"), hint=hint)


# Options of the sharded tag cache


@rule(
    "WD330",
    Severity.ERROR,
    "Sharded tag cache options lack baseShardSize",
    scope="opennext",
    explanation=(
        "doShardedTagCache defaults baseShardSize to 4 only when it is called without an "
        "options object. With an object that lacks it, the shard index is computed with "
        "undefined, every shard id becomes shard-NaN, and all tags of a kind share one "
        "Durable Object, which then limits every revalidation and tag lookup."
    ),
    fix="Set baseShardSize in the options object, for example baseShardSize: 4.",
    source=f"{_PACKAGE}: dist/api/overrides/tag-cache/do-sharded-tag-cache.js",
)
def check_base_shard_size(context: RuleContext) -> Iterator[Diagnostic]:
    call = _sharded_tag_cache_call(context)
    if call is None or call.options.get("baseShardSize") is not None:
        return
    if "numberOfShards" in call.options:
        return  # WD306 names the option to rename.
    span = call.option_spans.get(("baseShardSize",)) or call.option_spans.get(())
    if span is None:
        return
    if "baseShardSize" in call.options:
        message = (
            "baseShardSize is null or undefined, so all tags of a kind share one shard and one "
            "Durable Object"
        )
    else:
        message = (
            "doShardedTagCache options have no baseShardSize, so every shard id is shard-NaN "
            "and all tags of a kind share one Durable Object"
        )
    hint = (
        f"Add baseShardSize: {facts.DEFAULT_BASE_SHARD_SIZE} (or more). OpenNext uses "
        f"{facts.DEFAULT_BASE_SHARD_SIZE} only when no options object is passed."
    )
    yield emit_in_opennext(
        context,
        "WD330",
        message,
        span.value_start,
        span.value_end,
        path=("tagCache", "baseShardSize"),
        hint=hint,
    )


@rule(
    "WD331",
    Severity.WARNING,
    "Unknown sharded tag cache option",
    scope="opennext",
    explanation=(
        "doShardedTagCache ignores options it does not know, so a misspelled option keeps "
        "its default. OpenNext's docs call the regional replication option "
        "regionalReplicationOptions, but the code reads shardReplication.regionalReplication, "
        "so the documented spelling leaves regional replication off."
    ),
    fix="Use the option names of ShardedDOTagCacheOptions.",
    source=f"{_PACKAGE}: dist/api/overrides/tag-cache/do-sharded-tag-cache.d.ts",
)
def check_tag_cache_options(context: RuleContext) -> Iterator[Diagnostic]:
    call = _sharded_tag_cache_call(context)
    if call is None:
        return
    renamed = {old for old, _, _ in facts.RENAMED_SHARDED_TAG_CACHE_OPTIONS}
    for parent, known in facts.SHARDED_TAG_CACHE_OPTIONS.items():
        options = call.options
        for key in parent:
            options = options.get(key) if isinstance(options, Mapping) else None
        if not isinstance(options, Mapping):
            continue
        for key in options:
            path = (*parent, key)
            span = call.option_spans.get(path)
            if key in known or span is None or (not parent and key in renamed):
                continue
            name = ".".join(path)
            if key == facts.REGIONAL_REPLICATION_DOCS_NAME:
                message = (
                    f"{name} is the name in OpenNext's docs, but the code reads "
                    "shardReplication.regionalReplication, so regional replication stays off"
                )
                hint = "Rename it to regionalReplication, inside shardReplication."
            else:
                lower_case = {name.lower(): name for name in known}
                match = lower_case.get(did_you_mean(key.lower(), list(lower_case)), "")
                message = f"doShardedTagCache has no option {name}, so it is ignored"
                if match:
                    message += f"; did you mean {match}?"
                hint = f"Known options here: {', '.join(known)}."
            yield emit_in_opennext(
                context,
                "WD331",
                message,
                span.key_start,
                span.key_end,
                path=("tagCache", *path),
                hint=hint,
            )


@rule(
    "WD332",
    Severity.WARNING,
    "Queue setting the queue cannot use",
    scope="opennext",
    explanation=(
        "DOQueueHandler reads each NEXT_CACHE_DO_QUEUE_* var with parseInt when the var is set "
        "and not empty or 0. Text with no number in front gives NaN, which removes the "
        "concurrency limit, breaks the revalidation timeout and alarms, or makes retries "
        "never stop; a value of 0 or less in a string makes revalidations wait forever or "
        "fail at once."
    ),
    fix='Set the var to a positive whole number in a string, such as "8", or remove it.',
    source=f"{_PACKAGE}: the DOQueueHandler constructor in dist/api/durable-objects/queue.js",
)
def check_queue_vars(context: RuleContext) -> Iterator[Diagnostic]:
    for environment in context.worker.all_environments:
        for var in environment.vars:
            effects = facts.QUEUE_VAR_EFFECTS.get(var.name)
            if effects is None or not js_truthy(var.value):
                continue
            nan_effect, minimum, low_effect = effects
            number = js_parse_int(var.value)
            if number is None:
                message = f"{var.name} contains no number, so parseInt gives NaN and {nan_effect}"
            elif number < minimum:
                message = f"{var.name} is {number}, so {low_effect}"
            else:
                continue
            default = facts.QUEUE_DEFAULTS[var.name]
            hint = f'Set it to a whole number in a string, such as "{default}", or remove it.'
            yield emit(context, "WD332", message, var.path, hint=hint)
