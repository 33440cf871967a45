"""Rules that apply to every Worker: what wrangler 4.164.0, and the workerd runtime it installs,
reject or warn about beyond what the JSON Schema can express.

Rules read the Worker model, and the parsed document for values the model does not carry. A
rule about an inheritable key checks the top level and each environment that sets the key
itself, so a value an environment inherits is reported once, where it is written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from ..diagnostics import ConfigPath, Diagnostic, Severity, did_you_mean, format_config_path
from ..facts import opennext as opennext_facts
from ..facts import wrangler as facts
from ..model.worker import Environment
from ..read.document import TomlDateTime
from .rules import RuleContext, emit, rule
from .secrets import credential_kind, looks_like_credential, secret_name_word

_WRANGLER = f"wrangler {facts.VERSION}"
_VALIDATOR = f"{_WRANGLER}: normalizeAndValidateConfig (workers-utils/src/config/validation.ts)"
_WORKERD = f"workerd {facts.WORKERD_VERSION}: compileCompatibilityFlags"


# Reading the document


def _root(context: RuleContext) -> Mapping[str, Any]:
    value = context.document.value
    return value if isinstance(value, Mapping) else {}


def _settings(context: RuleContext, environment: Environment) -> Mapping[str, Any]:
    """Return the object an environment is written in: the root or `env.<name>`."""
    root = _root(context)
    if environment.name is None:
        return root
    section = root.get("env")
    settings = section.get(environment.name) if isinstance(section, Mapping) else None
    return settings if isinstance(settings, Mapping) else {}


def _setting_environments(
    context: RuleContext, key: str
) -> Iterator[tuple[Environment, Mapping[str, Any]]]:
    """Yield the top level and each environment that sets `key` itself, with its object."""
    for environment in context.worker.all_environments:
        settings = _settings(context, environment)
        if key in settings:
            yield environment, settings


def _effective(context: RuleContext, environment: Environment, key: str) -> tuple[Any, ConfigPath]:
    """Return the value `environment` uses for `key` and the path it is written at.

    An environment that does not set an inheritable key, or sets it to null, uses the top
    level's value, as wrangler's `inheritable` does.
    """
    settings = _settings(context, environment)
    if settings.get(key) is not None:
        return settings[key], (*environment.prefix, key)
    root = _root(context)
    if environment.name is not None and key in facts.INHERITABLE_KEYS and key in root:
        return root[key], (key,)
    return None, (*environment.prefix, key)


def _entries(value: Any) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """Yield (index, entry) for each object in a list. Other values yield nothing."""
    if not isinstance(value, list):
        return
    for index, entry in enumerate(value):
        if isinstance(entry, Mapping):
            yield index, entry


def _lookup(value: Any, keys: Sequence[str]) -> Any:
    for key in keys:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _env_label(environment: Environment) -> str:
    return "the top level" if environment.name is None else f'"env.{environment.name}"'


def _with_related(
    context: RuleContext, diagnostic: Diagnostic, path: ConfigPath, at: str = "value"
) -> Diagnostic:
    """Set the diagnostic's related position to the value at `path`, or to its key when `at`
    is "key", the way `emit` positions a diagnostic."""
    document = context.document
    offset = (document.key_range(path) if at == "key" else document.value_range(path))[0]
    source = document.source
    return diagnostic._replace(related=((source.display_name, *source.line_column(offset)),))


def _article(phrase: str) -> str:
    """Return "a" or "an" for a binding label. "R2" and "mTLS" start with a vowel sound."""
    if phrase[:1].lower() in "aeiou" or phrase.startswith(("R2", "mTLS")):
        return "an"
    return "a"


# Worker name


def _suggest_worker_name(value: str) -> str:
    """Turn a name into the closest one wrangler accepts, e.g. "My App!" -> "my-app"."""
    name = re.sub(r"[^a-z0-9_-]+", "-", value.lower())
    name = re.sub(r"-{2,}", "-", name).strip("-")
    return name or "my-worker"


@rule(
    "WD201",
    Severity.ERROR,
    "Invalid Worker name",
    scope="wrangler",
    explanation=(
        "wrangler rejects the whole config when a name contains capital letters, spaces or "
        "characters other than letters, digits, hyphens and underscores, so no wrangler "
        "command that reads the config runs, wrangler deploy and wrangler dev included."
    ),
    fix=(
        "Use lowercase letters, digits, hyphens and underscores, and start with a letter, digit "
        "or underscore."
    ),
    source=f"{_VALIDATOR}, isValidName",
)
def check_worker_name(context: RuleContext) -> Iterator[Diagnostic]:
    for environment, settings in _setting_environments(context, "name"):
        value = settings["name"]
        if not isinstance(value, str) or facts.WORKER_NAME_PATTERN.match(value):
            continue
        message = (
            f'Invalid Worker name "{value}", which may contain only lowercase letters, digits, '
            '"-" and "_"'
        )
        hint = f'Use "{_suggest_worker_name(value)}".'
        yield emit(context, "WD201", message, (*environment.prefix, "name"), hint=hint)


@rule(
    "WD202",
    Severity.WARNING,
    "Environment name makes an invalid Worker name",
    scope="wrangler",
    explanation=(
        "An environment without its own name deploys as <name>-<environment>. wrangler "
        "checks only the name values written in the file, so an environment key with "
        "capital letters or other characters gives a Worker name that the name check "
        "would reject."
    ),
    fix=(
        "Rename the environment to lowercase letters, digits, hyphens and underscores, or give "
        "it a name of its own."
    ),
    source=f"{_VALIDATOR}, isValidName and appendEnvName",
)
def check_environment_worker_name(context: RuleContext) -> Iterator[Diagnostic]:
    top_name = _root(context).get("name")
    if not isinstance(top_name, str) or not facts.WORKER_NAME_PATTERN.match(top_name):
        return
    for environment in context.worker.environments:
        if "name" in _settings(context, environment):
            continue
        worker_name = environment.worker_name
        if facts.WORKER_NAME_PATTERN.match(worker_name):
            continue
        message = (
            f'Environment "{environment.name}" deploys as "{worker_name}", which is not a '
            "valid Worker name"
        )
        hint = (
            f'Rename the environment to "{_suggest_worker_name(environment.name or "")}", '
            f'or set "name" in it.'
        )
        yield emit(context, "WD202", message, environment.prefix, hint=hint, at="key")


# Compatibility date

_LOOSE_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_DASHES = ("\u2013", "\u2014")


def _today() -> date:
    """Return today's date in UTC, the calendar workerd compares compatibility dates with."""
    return datetime.now(UTC).date()


def _compatibility_dates(context: RuleContext) -> Iterator[tuple[str, ConfigPath]]:
    for environment, settings in _setting_environments(context, "compatibility_date"):
        value = settings["compatibility_date"]
        if isinstance(value, str):
            yield value, (*environment.prefix, "compatibility_date")


def _date_problem(value: str) -> str:
    """Return why workerd rejects a compatibility date, or "" when it accepts it."""
    if any(dash in value for dash in _DASHES):
        return "which uses en-dashes or em-dashes instead of hyphens (-)"
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return "which is not written as YYYY-MM-DD"
    year, month, day = (int(part) for part in value.split("-"))
    if not 2000 <= year <= 2999:
        return "whose year is not from 2000 to 2999"
    if not 1 <= month <= 12:
        return f"which has no month {month}"
    if not 1 <= day <= 31:
        return f"which has no day {day}"
    return ""


def _date_parts(value: str) -> tuple[int, int, int] | None:
    """Return (year, month, day) of a date that workerd accepts, or None."""
    if not facts.WORKERD_COMPATIBILITY_DATE_PATTERN.match(value):
        return None
    year, month, day = (int(part) for part in value.split("-"))
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    return year, month, day


def _rewritten_date(value: str) -> str:
    """Return `value` written as YYYY-MM-DD when it is a loosely written real date, else ""."""
    text = value
    for dash in _DASHES:
        text = text.replace(dash, "-")
    match = _LOOSE_DATE.match(text)
    if match is None:
        return ""
    try:
        parsed = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return ""
    return parsed.isoformat()


@rule(
    "WD203",
    Severity.ERROR,
    "Invalid compatibility_date",
    scope="wrangler",
    explanation=(
        "wrangler rejects dates written with en-dashes or em-dashes and strings that "
        "JavaScript's Date cannot read. workerd, which runs the Worker both in wrangler dev "
        'and on Cloudflare, is stricter. It fails with "Invalid compatibility date" unless '
        'the date is exactly YYYY-MM-DD with a year from 2000 to 2999, so even "2025-4-1", '
        "which wrangler accepts, cannot run."
    ),
    fix="Write the date as YYYY-MM-DD with ASCII hyphens, for example 2025-04-01.",
    source=f"{_VALIDATOR}, isValidDateTimeStringFormat; {_WORKERD}, CompatDate::parse",
)
def check_compatibility_date(context: RuleContext) -> Iterator[Diagnostic]:
    for value, path in _compatibility_dates(context):
        problem = _date_problem(value)
        if not problem:
            continue
        rewritten = _rewritten_date(value)
        message = f'Invalid compatibility_date "{value}", {problem}'
        hint = f'Write "{rewritten}".' if rewritten else 'Use a date such as "2025-04-01".'
        yield emit(context, "WD203", message, path, hint=hint)


@rule(
    "WD204",
    Severity.WARNING,
    "compatibility_date is not a calendar date",
    scope="wrangler",
    explanation=(
        "workerd accepts any day from 1 to 31 in any month, and wrangler's JavaScript Date "
        "rolls 2025-02-30 over to 2025-03-02, so an impossible date deploys. It is almost "
        "always a typo, and the runtime behaviour it selects may not be the one intended."
    ),
    fix="Use the real date you meant, such as the last day of the month.",
    source=f"{_WORKERD}, CompatDate::parse",
)
def check_calendar_date(context: RuleContext) -> Iterator[Diagnostic]:
    for value, path in _compatibility_dates(context):
        parts = _date_parts(value)
        if parts is None:
            continue
        try:
            date(*parts)
        except ValueError:
            message = f'compatibility_date "{value}" is not a calendar date'
            yield emit(context, "WD204", message, path, hint="Use a date that exists.")


@rule(
    "WD205",
    Severity.ERROR,
    "compatibility_date in the future",
    scope="wrangler",
    explanation=(
        "wrangler reads any date, but workerd refuses a date after today in UTC (\"Can't set "
        'compatibility date in the future") on Cloudflare and in wrangler dev, so the Worker '
        "cannot be deployed or run until that day."
    ),
    fix="Use today's date or an earlier one.",
    source=f"{_WORKERD}, CompatDate::today",
)
def check_future_date(context: RuleContext) -> Iterator[Diagnostic]:
    today = _today()
    for value, path in _compatibility_dates(context):
        parts = _date_parts(value)
        if parts is None or parts <= (today.year, today.month, today.day):
            continue
        message = f'compatibility_date "{value}" is in the future (today is {today} in UTC)'
        hint = f'Use "{today}" or an earlier date.'
        yield emit(context, "WD205", message, path, hint=hint)


# Binding names


class _Named(NamedTuple):
    """One name in the Worker's `env` object: a binding, a var or a required secret."""

    name: str
    kind: str
    phrase: str
    """Phrase for one of them in a message, such as "a KV namespace binding"."""
    plural: str
    """Phrase for two of them, such as "KV namespace bindings"."""
    path: ConfigPath
    at: str


def _binding_phrases(label: str) -> tuple[str, str]:
    return f"{_article(label)} {label} binding", f"{label} bindings"


def _names_in(context: RuleContext, environment: Environment) -> list[_Named]:
    """Return every name `environment` puts into `env`, the way wrangler collects them."""
    names: list[_Named] = []
    name_fields = {kind.kind: kind.name_field for kind in facts.BINDING_KINDS}
    for binding in environment.bindings:
        phrase, plural = _binding_phrases(binding.label)
        path = (*binding.path, name_fields[binding.kind])
        names.append(_Named(binding.name, binding.kind, phrase, plural, path, "value"))

    settings = _settings(context, environment)
    for kind in facts.UNMODELLED_BINDING_KINDS:
        value = _lookup(settings, kind.key)
        phrase, plural = _binding_phrases(kind.label)
        items = [(None, value)] if kind.single else list(_entries(value))
        for index, entry in items:
            if not isinstance(entry, Mapping) or not isinstance(entry.get(kind.name_field), str):
                continue
            path = (*environment.prefix, *kind.key, *(() if index is None else (index,)))
            name_path = (*path, kind.name_field)
            names.append(
                _Named(entry[kind.name_field], kind.kind, phrase, plural, name_path, "value")
            )

    for var in environment.vars:
        names.append(_Named(var.name, "var", "a var", "vars", var.path, "key"))

    required = _lookup(settings, ("secrets", "required"))
    if isinstance(required, list):
        for index, name in enumerate(required):
            if isinstance(name, str):
                path = (*environment.prefix, "secrets", "required", index)
                phrase, plural = "a required secret", "required secrets"
                names.append(_Named(name, "secret", phrase, plural, path, "value"))

    names.extend(_assets_key_names(context, environment))

    root = _root(context)
    for key, label in facts.MODULE_MAP_BINDING_LABELS.items():
        value = root.get(key)
        if isinstance(value, Mapping):
            for name in value:
                phrase = f"{_article(label)} {label}"
                names.append(_Named(name, key, phrase, f"{label}s", (key, name), "key"))
    return names


def _assets_key_names(context: RuleContext, environment: Environment) -> Iterator[_Named]:
    """Yield the keys of an `assets` object that has no `binding`.

    wrangler 4.164.0's getBindingNames reads such an object as a map of binding names, so
    `"assets": {"directory": ...}` clashes with a var named "directory".
    """
    assets, path = _effective(context, environment, "assets")
    if not isinstance(assets, Mapping) or "binding" in assets:
        return
    phrase = 'a key of "assets" (wrangler reads the keys of "assets" without "binding" as names)'
    for key, value in assets.items():
        if value is not None:
            yield _Named(key, "assets_key", phrase, 'keys of "assets"', (*path, key), "key")


@rule(
    "WD206",
    Severity.ERROR,
    "Duplicate binding name",
    scope="wrangler",
    explanation=(
        "Every binding, var and required secret becomes a property of the Worker's env "
        "object, so two of them with one name cannot both be reached. wrangler rejects the "
        'config ("Bindings must have unique names").'
    ),
    fix="Rename one of them, and the code that reads it.",
    source=f"{_VALIDATOR}, validateBindingsHaveUniqueNames",
)
def check_duplicate_names(context: RuleContext) -> Iterator[Diagnostic]:
    document = context.document
    for environment in context.worker.all_environments:
        names = _names_in(context, environment)
        names.sort(key=lambda item: document.key_range(item.path)[0])
        first_by_name: dict[str, _Named] = {}
        for item in names:
            first = first_by_name.setdefault(item.name, item)
            if first is item:
                continue
            if first.kind == item.kind:
                used_by = f"two {item.plural}"
            else:
                used_by = f"{first.phrase} and {item.phrase}"
            message = f'"{item.name}" is used by {used_by}'
            hint = (
                f"Rename this one or the one at {format_config_path(first.path)}, because "
                "bindings, vars and secrets share the Worker's env object."
            )
            diagnostic = emit(context, "WD206", message, item.path, hint=hint, at=item.at)
            yield _with_related(context, diagnostic, first.path, first.at)


# Routes, lifecycle and removed fields


@rule(
    "WD207",
    Severity.ERROR,
    "route and routes together",
    scope="wrangler",
    explanation=(
        "wrangler rejects a config, or an environment, that sets both route and routes "
        '("Expected exactly one of the following fields ["routes","route"]").'
    ),
    fix="Move the route pattern into the routes list and delete route.",
    source=f"{_VALIDATOR}, isMutuallyExclusiveWith",
)
def check_route_and_routes(context: RuleContext) -> Iterator[Diagnostic]:
    for environment, settings in _setting_environments(context, "route"):
        if "routes" not in settings:
            continue
        path = (*environment.prefix, "route")
        message = f'"route" and "routes" are both set at {_env_label(environment)}'
        hint = 'Add the "route" pattern to "routes" and delete "route".'
        diagnostic = emit(context, "WD207", message, path, hint=hint, at="key")
        yield _with_related(context, diagnostic, (*environment.prefix, "routes"), "key")


def _durable_object_exports(value: Any) -> list[str]:
    """Return the class names of the `durable-object` entries of an `exports` object."""
    if not isinstance(value, Mapping):
        return []
    return [
        name
        for name, entry in value.items()
        if isinstance(entry, Mapping) and entry.get("type") == "durable-object"
    ]


@rule(
    "WD208",
    Severity.ERROR,
    "migrations and exports together",
    scope="wrangler",
    explanation=(
        "migrations and Durable Object entries in exports are two ways to declare the "
        "lifecycle of Durable Object classes, and wrangler rejects a config that uses both "
        '("migrations and exports are mutually exclusive").'
    ),
    fix="Keep either exports (wrangler 4.107 and later) or migrations.",
    source=f"{_VALIDATOR}, errorIfMigrationsAndExportsBothSet",
)
def check_migrations_and_exports(context: RuleContext) -> Iterator[Diagnostic]:
    for environment in context.worker.all_environments:
        settings = _settings(context, environment)
        if (
            environment.name is not None
            and "migrations" not in settings
            and "exports" not in settings
        ):
            continue  # Both are inherited, so the top level reports them.
        migrations, migrations_path = _effective(context, environment, "migrations")
        exports, exports_path = _effective(context, environment, "exports")
        classes = _durable_object_exports(exports)
        if not isinstance(migrations, list) or not migrations or not classes:
            continue
        message = (
            f'"migrations" and Durable Object entries in "exports" ({", ".join(classes)}) '
            f"cannot be used together"
        )
        hint = 'Declare each class in "exports" and delete "migrations", or the other way round.'
        diagnostic = emit(context, "WD208", message, migrations_path, hint=hint, at="key")
        yield _with_related(context, diagnostic, (*exports_path, classes[0]), "key")


@rule(
    "WD209",
    Severity.ERROR,
    "Removed field",
    scope="wrangler",
    explanation=(
        "wrangler v4 removed node_compat (in every environment) and legacy_env, and "
        "rejects a config that still sets them."
    ),
    fix="Delete the field. For node_compat, add the nodejs_compat compatibility flag instead.",
    source=f'{_VALIDATOR}, deprecated(..., "Removed", "error") and the legacy_env check',
)
def check_removed_fields(context: RuleContext) -> Iterator[Diagnostic]:
    root = _root(context)
    for key, hint in facts.REMOVED_TOP_LEVEL_FIELDS.items():
        if key in root:
            message = f'"{key}" is no longer supported by wrangler v4'
            yield emit(context, "WD209", message, (key,), hint=f"Delete it. {hint}", at="key")
    for key, hint in facts.REMOVED_ENVIRONMENT_FIELDS.items():
        for environment, _settings_object in _setting_environments(context, key):
            message = f'"{key}" was removed in wrangler v4'
            path = (*environment.prefix, key)
            yield emit(context, "WD209", message, path, hint=f"Delete it. {hint}", at="key")


# Resource names


@rule(
    "WD210",
    Severity.ERROR,
    "Invalid R2 bucket name",
    scope="wrangler",
    explanation=(
        "R2 bucket names are 3 to 63 lowercase letters, digits and hyphens that begin and end "
        "with a letter or digit. wrangler rejects a bucket_name or preview_bucket_name "
        "that breaks this, because no such bucket can exist."
    ),
    fix="Use the bucket's real name, as wrangler r2 bucket list shows it.",
    source=f"{_VALIDATOR}, isValidR2BucketName",
)
def check_r2_bucket_names(context: RuleContext) -> Iterator[Diagnostic]:
    for environment in context.worker.all_environments:
        buckets = _settings(context, environment).get("r2_buckets")
        for index, entry in _entries(buckets):
            for field in ("bucket_name", "preview_bucket_name"):
                value = entry.get(field)
                if not isinstance(value, str) or not value:
                    continue  # WD211 reports empty names.
                if facts.R2_BUCKET_NAME_PATTERN.match(value):
                    continue
                message = f'Invalid R2 bucket name "{value}" in {field}'
                suggestion = re.sub(r"[^a-z0-9-]+", "-", value.lower()).strip("-")
                hint = (
                    "Use 3 to 63 lowercase letters, digits and hyphens, starting and ending "
                    "with a letter or digit"
                )
                if facts.R2_BUCKET_NAME_PATTERN.match(suggestion):
                    hint += f', such as "{suggestion}"'
                path = (*environment.prefix, "r2_buckets", index, field)
                yield emit(context, "WD210", message, path, hint=hint + ".")


# Each empty string wrangler rejects: (list key path, field, what the field names).
_NON_EMPTY_FIELDS = (
    (("kv_namespaces",), "id", "KV namespace ID"),
    (("r2_buckets",), "bucket_name", "R2 bucket name"),
    (("r2_buckets",), "preview_bucket_name", "R2 bucket name"),
    (("queues", "producers"), "queue", "queue name"),
)


@rule(
    "WD211",
    Severity.ERROR,
    "Empty resource name or ID",
    scope="wrangler",
    explanation=(
        "wrangler rejects a KV namespace id, an R2 bucket_name or preview_bucket_name, or "
        "a queue producer's queue that is an empty string, because it names no resource."
    ),
    fix="Fill in the ID or name of the resource, or delete the key.",
    source=f"{_VALIDATOR}, validateKVBinding, validateR2Binding and validateQueueBinding",
)
def check_empty_resource_names(context: RuleContext) -> Iterator[Diagnostic]:
    for environment in context.worker.all_environments:
        settings = _settings(context, environment)
        for key, field, resource in _NON_EMPTY_FIELDS:
            for index, entry in _entries(_lookup(settings, key)):
                if entry.get(field) != "":
                    continue
                path = (*environment.prefix, *key, index, field)
                message = f'Empty {resource} in "{field}"'
                hint = f'Set the {resource}, or delete "{field}".'
                yield emit(context, "WD211", message, path, hint=hint)


# Durable Object migrations


class _ClassEvent(NamedTuple):
    """A migration step that created, renamed or deleted a class, with its position."""

    tag: str
    action: str
    path: ConfigPath


def _migration_tag(entry: Mapping[str, Any], index: int) -> str:
    tag = entry.get("tag")
    return tag if isinstance(tag, str) else f"migrations[{index}]"


def _live_classes(
    migrations: Any, path: ConfigPath
) -> tuple[dict[str, _ClassEvent], dict[str, _ClassEvent]]:
    """Replay migrations and return (live classes, retired classes), each with its last event.

    Classes come to life through new_classes, new_sqlite_classes, renamed_classes `to` and
    transferred_classes `to`, and stop through deleted_classes and renamed_classes `from`.
    """
    live: dict[str, _ClassEvent] = {}
    retired: dict[str, _ClassEvent] = {}
    for index, entry in _entries(migrations):
        tag = _migration_tag(entry, index)
        base = (*path, index)
        for position, name in _string_items(entry.get("deleted_classes")):
            live.pop(name, None)
            retired[name] = _ClassEvent(tag, "deleted", (*base, "deleted_classes", position))
        for field in ("renamed_classes", "transferred_classes"):
            for position, item in _entries(entry.get(field)):
                source, target = item.get("from"), item.get("to")
                if field == "renamed_classes" and isinstance(source, str) and source in live:
                    del live[source]
                    action = f'renamed to "{target}"'
                    retired[source] = _ClassEvent(tag, action, (*base, field, position))
                if isinstance(target, str):
                    live[target] = _ClassEvent(tag, "created", (*base, field, position, "to"))
                    retired.pop(target, None)
        for field in ("new_classes", "new_sqlite_classes"):
            for position, name in _string_items(entry.get(field)):
                live[name] = _ClassEvent(tag, "created", (*base, field, position))
                retired.pop(name, None)
    return live, retired


def _string_items(value: Any) -> Iterator[tuple[int, str]]:
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                yield index, item


def _live_exports(exports: Any) -> set[str]:
    """Return the classes with a live `durable-object` entry in `exports`."""
    live: set[str] = set()
    if not isinstance(exports, Mapping):
        return live
    for name, entry in exports.items():
        if not isinstance(entry, Mapping) or entry.get("type") != "durable-object":
            continue
        if entry.get("state", "created") in facts.LIVE_EXPORT_STATES:
            live.add(name)
    return live


def _next_tag(migrations: Any) -> str:
    """Suggest a tag for a new migration: one past the highest `vN`, never a tag in use."""
    tags = [entry.get("tag") for _, entry in _entries(migrations)]
    numbers = [int(tag[1:]) for tag in tags if isinstance(tag, str) and re.fullmatch(r"v\d+", tag)]
    number = max(numbers, default=0) + 1
    while f"v{number}" in tags:
        number += 1
    return f"v{number}"


@rule(
    "WD212",
    Severity.ERROR,
    "Durable Object class has no migration",
    scope="wrangler",
    explanation=(
        "A Durable Object class this Worker defines must be created by a migration "
        "(new_sqlite_classes, new_classes, or a rename or transfer to it) or by a live "
        "exports entry. Without one, Cloudflare rejects the deploy with error 10061, because "
        "the class is not set up to implement Durable Objects. wrangler itself warns only when "
        "there are no migrations at all."
    ),
    fix='Add a migration, such as {"tag": "v2", "new_sqlite_classes": ["MyClass"]}.',
    source=f"{_VALIDATOR}, warnIfDurableObjectsHaveNoLifecycleConfig",
)
def check_durable_object_migrations(context: RuleContext) -> Iterator[Diagnostic]:
    for environment in context.worker.all_environments:
        migrations, migrations_path = _effective(context, environment, "migrations")
        exports, _ = _effective(context, environment, "exports")
        live, retired = _live_classes(migrations, migrations_path)
        exported = _live_exports(exports)
        uses_exports = bool(_durable_object_exports(exports)) and not _has_entries(migrations)
        for binding in environment.bindings_of("durable_object"):
            class_name = binding.detail("class_name")
            if not class_name or binding.detail("script_name"):
                continue
            if class_name in live or class_name in exported:
                continue
            path = (*binding.path, "class_name")
            yield _missing_class(context, class_name, path, migrations, retired, uses_exports)


def _has_entries(value: Any) -> bool:
    return isinstance(value, list) and len(value) > 0


def _missing_class(
    context: RuleContext,
    class_name: str,
    path: ConfigPath,
    migrations: Any,
    retired: dict[str, _ClassEvent],
    uses_exports: bool,
) -> Diagnostic:
    event = retired.get(class_name)
    if event is not None:
        message = (
            f'Durable Object class "{class_name}" is {event.action} by migration "{event.tag}"'
        )
    elif uses_exports:
        message = f'Durable Object class "{class_name}" has no live entry in "exports"'
    elif _has_entries(migrations):
        message = f'Durable Object class "{class_name}" is not created by any migration'
    else:
        message = f'Durable Object class "{class_name}" has no migration and no "exports" entry'

    if uses_exports:
        hint = (
            f'Add "{class_name}": {{"type": "durable-object", "storage": "sqlite"}} to "exports".'
        )
    else:
        tag = _next_tag(migrations)
        hint = (
            f'Add {{"tag": "{tag}", "new_sqlite_classes": ["{class_name}"]}} to the end of '
            '"migrations".'
        )
    diagnostic = emit(context, "WD212", message, path, hint=hint)
    if event is not None:
        diagnostic = _with_related(context, diagnostic, event.path)
    return diagnostic


def _own_migrations(context: RuleContext) -> Iterator[tuple[Any, ConfigPath]]:
    """Yield each `migrations` list written in the file, with its path."""
    for environment, settings in _setting_environments(context, "migrations"):
        yield settings["migrations"], (*environment.prefix, "migrations")


@rule(
    "WD213",
    Severity.ERROR,
    "Duplicate migration tag",
    scope="wrangler",
    explanation=(
        "At deploy, wrangler finds the deployed Worker's migration tag in the list and uploads "
        "the migrations after it. With a tag used twice it picks the first one, so it skips "
        "or repeats migrations, and Cloudflare rejects the upload or applies the wrong ones."
    ),
    fix="Give each migration a tag of its own, such as v1, v2, v3 in order.",
    source=f"{_WRANGLER}: getMigrationsToUpload",
)
def check_migration_tags(context: RuleContext) -> Iterator[Diagnostic]:
    for migrations, path in _own_migrations(context):
        first_by_tag: dict[str, ConfigPath] = {}
        for index, entry in _entries(migrations):
            tag = entry.get("tag")
            if not isinstance(tag, str):
                continue
            tag_path = (*path, index, "tag")
            first = first_by_tag.setdefault(tag, tag_path)
            if first == tag_path:
                continue
            message = f'Migration tag "{tag}" is used twice'
            hint = f'Use a new tag, such as "{_next_tag(migrations)}".'
            diagnostic = emit(context, "WD213", message, tag_path, hint=hint)
            yield _with_related(context, diagnostic, first)


@rule(
    "WD214",
    Severity.ERROR,
    "Migration that cannot be applied",
    scope="wrangler",
    explanation=(
        'wrangler dev replays the migrations in order and stops with "Cannot apply ... '
        'migration" when one creates a class that already exists (for example in '
        "new_classes and later in new_sqlite_classes), or deletes or renames a class that "
        "does not exist. Cloudflare rejects the same migrations at deploy. A class's storage "
        "backend cannot be changed by creating it again."
    ),
    fix="Create each class once, and delete or rename only classes that exist at that point.",
    source=f"{_WRANGLER}: getDurableObjectClassNameToUseSQLiteMap",
)
def check_migration_replay(context: RuleContext) -> Iterator[Diagnostic]:
    for migrations, path in _own_migrations(context):
        yield from _replay(context, migrations, path)


def _replay(context: RuleContext, migrations: Any, path: ConfigPath) -> Iterator[Diagnostic]:
    """Replay migrations as wrangler dev does, in its order within one migration."""
    created: dict[str, ConfigPath] = {}
    for index, entry in _entries(migrations):
        tag = _migration_tag(entry, index)
        base = (*path, index)
        for position, name in _string_items(entry.get("deleted_classes")):
            item_path = (*base, "deleted_classes", position)
            if created.pop(name, None) is None:
                message = f'Migration "{tag}" deletes class "{name}", which does not exist then'
                hint = (
                    "Remove it from deleted_classes, or create the class in an earlier migration."
                )
                yield emit(context, "WD214", message, item_path, hint=hint)
        for position, item in _entries(entry.get("renamed_classes")):
            source, target = item.get("from"), item.get("to")
            if not isinstance(source, str) or not isinstance(target, str):
                continue
            item_path = (*base, "renamed_classes", position, "from")
            if created.pop(source, None) is None:
                message = f'Migration "{tag}" renames class "{source}", which does not exist then'
                hint = "Rename a class that an earlier migration created."
                yield emit(context, "WD214", message, item_path, hint=hint)
            created[target] = item_path
        for field in ("new_classes", "new_sqlite_classes"):
            for position, name in _string_items(entry.get(field)):
                item_path = (*base, field, position)
                first = created.get(name)
                if first is None:
                    created[name] = item_path
                    continue
                message = f'Migration "{tag}" creates class "{name}" again in {field}'
                hint = (
                    f'Remove "{name}" from {field}, because a class is created once and its '
                    "storage backend cannot be changed afterwards."
                )
                diagnostic = emit(context, "WD214", message, item_path, hint=hint)
                yield _with_related(context, diagnostic, first)


@rule(
    "WD215",
    Severity.WARNING,
    "Durable Object script_name is this Worker",
    scope="wrangler",
    explanation=(
        "script_name is for classes another Worker defines. Pointing it at this Worker makes "
        "wrangler treat the class as external, so the binding skips the migration checks that "
        "apply to this Worker's own classes."
    ),
    fix="Delete script_name from the binding.",
    source=f"{_VALIDATOR}, warnIfDurableObjectsHaveNoLifecycleConfig",
)
def check_self_script_name(context: RuleContext) -> Iterator[Diagnostic]:
    for environment in context.worker.all_environments:
        for binding in environment.bindings_of("durable_object"):
            script_name = binding.detail("script_name")
            if not script_name or script_name != environment.worker_name:
                continue
            message = (
                f'Durable Object binding "{binding.name}" has "script_name": "{script_name}", '
                f"which is this Worker at {_env_label(environment)}"
            )
            hint = 'Delete "script_name", because classes of this Worker are bound without it.'
            yield emit(context, "WD215", message, (*binding.path, "script_name"), hint=hint)


# Environments


@rule(
    "WD216",
    Severity.WARNING,
    "Environment lacks a top-level key",
    scope="wrangler",
    explanation=(
        "Bindings, vars and a few other keys are not inherited by env.<name>. An environment "
        "that leaves out one the top level sets deploys without it, which is rarely intended. "
        "wrangler warns the same way when that environment is selected."
    ),
    fix="Repeat the key in the environment, with that environment's own values.",
    source=f"{_VALIDATOR}, notInheritable",
)
def check_missing_keys(context: RuleContext) -> Iterator[Diagnostic]:
    skipped = opennext_facts.OPENNEXT_REQUIRED_KEYS if context.app is not None else frozenset()
    for environment in context.worker.environments:
        for key in environment.missing_non_inheritable:
            if key in skipped:
                continue  # The OpenNext rules report these as errors.
            message = (
                f'"{key}" exists at the top level, but not on "env.{environment.name}", which '
                "does not inherit it"
            )
            hint = f'Add "{key}" to "env.{environment.name}".'
            yield emit(context, "WD216", message, environment.prefix, hint=hint, at="key")


def _list_binding_kinds() -> Iterator[facts.BindingKind]:
    for kind in (*facts.BINDING_KINDS, *facts.UNMODELLED_BINDING_KINDS):
        if not kind.single:
            yield kind


def _names_of(value: Any, name_field: str) -> list[str]:
    return [
        entry[name_field] for _, entry in _entries(value) if isinstance(entry.get(name_field), str)
    ]


@rule(
    "WD217",
    Severity.WARNING,
    "Environment lacks a top-level binding",
    scope="wrangler",
    explanation=(
        "An environment that sets a binding list replaces the top level's list. A binding "
        "the top level has and the environment's list lacks is missing from that environment, "
        "so code reading it gets undefined there. wrangler warns the same way when that "
        "environment is selected."
    ),
    fix="Add the binding to the environment's list, or delete it from the top level.",
    source=f"{_VALIDATOR}, validateBindingArray, validateBindingsProperty and validateVars",
)
def check_missing_bindings(context: RuleContext) -> Iterator[Diagnostic]:
    root = _root(context)
    for environment in context.worker.environments:
        settings = _settings(context, environment)
        for kind in _list_binding_kinds():
            top_value = _lookup(root, kind.key)
            env_value = _lookup(settings, kind.key)
            if not isinstance(top_value, list) or not isinstance(env_value, list):
                continue
            present = set(_names_of(env_value, kind.name_field))
            where = ".".join(kind.key)
            for name in _names_of(top_value, kind.name_field):
                if name in present:
                    continue
                message = (
                    f'There is a {where} binding with name "{name}" at the top level, but not '
                    f'on "env.{environment.name}"'
                )
                hint = f'Add a binding for "{name}" to "env.{environment.name}.{where}".'
                path = (*environment.prefix, *kind.key)
                yield emit(context, "WD217", message, path, hint=hint, at="key")

        top_vars, env_vars = root.get("vars"), settings.get("vars")
        if isinstance(top_vars, Mapping) and isinstance(env_vars, Mapping):
            for name in top_vars:
                if name in env_vars:
                    continue
                message = (
                    f'Var "{name}" exists at the top level, but not on '
                    f'"env.{environment.name}.vars"'
                )
                hint = f'Add "{name}" to "env.{environment.name}.vars".'
                if looks_like_credential(str(name), top_vars[name]):
                    # WD224 recommends moving such a var out of vars, so the hint does not copy it.
                    hint = (
                        f'"{name}" looks like a secret: run `wrangler secret put {name} --env '
                        f"{environment.name}` instead of adding it to vars."
                    )
                path = (*environment.prefix, "vars")
                yield emit(context, "WD217", message, path, hint=hint, at="key")


@rule(
    "WD218",
    Severity.WARNING,
    "Environment inherits custom domains",
    scope="wrangler",
    explanation=(
        "An environment without its own routes inherits the top level's, custom domains "
        "included. Deploying that environment moves those custom domains from the top-level "
        "Worker to the environment's Worker."
    ),
    fix='Add "routes": [] to the environment, or give it routes of its own.',
    source=f"{_VALIDATOR}, validateRoutes",
)
def check_inherited_custom_domains(context: RuleContext) -> Iterator[Diagnostic]:
    routes = _root(context).get("routes")
    domains = [
        entry["pattern"]
        for _, entry in _entries(routes)
        if entry.get("custom_domain") is True and isinstance(entry.get("pattern"), str)
    ]
    if not domains:
        return
    for environment in context.worker.environments:
        if "routes" in _settings(context, environment):
            continue
        listed = ", ".join(domains)
        message = (
            f'"env.{environment.name}" inherits the custom domain(s) {listed} from the '
            'top-level "routes"'
        )
        hint = f'Add "routes": [] to "env.{environment.name}", or give it its own routes.'
        yield emit(context, "WD218", message, environment.prefix, hint=hint, at="key")


# Compatibility flags


def _flag_lists(context: RuleContext) -> Iterator[tuple[Environment, list[Any], ConfigPath]]:
    for environment, settings in _setting_environments(context, "compatibility_flags"):
        flags = settings["compatibility_flags"]
        if isinstance(flags, list):
            yield environment, flags, (*environment.prefix, "compatibility_flags")


@rule(
    "WD219",
    Severity.WARNING,
    "Unknown compatibility flag",
    scope="wrangler",
    explanation=(
        'workerd refuses to run a Worker with a flag it does not know ("No such compatibility '
        f'flag"). The list checked is that of workerd {facts.WORKERD_VERSION}, and a newer '
        "runtime on Cloudflare may know flags added since."
    ),
    fix="Correct the spelling, or remove the flag.",
    source=f"{_WORKERD}; the flag names compiled into workerd {facts.WORKERD_VERSION}",
)
def check_unknown_flags(context: RuleContext) -> Iterator[Diagnostic]:
    known = facts.compatibility_flags()
    for _environment, flags, path in _flag_lists(context):
        for index, flag in enumerate(flags):
            if not isinstance(flag, str) or flag in known:
                continue
            suggestion = did_you_mean(flag, sorted(known))
            if suggestion:
                hint = f'Did you mean "{suggestion}"?'
            else:
                hint = f"Check the name against {facts.COMPATIBILITY_FLAGS_DOCS_URL}."
            message = f'Unknown compatibility flag "{flag}"'
            yield emit(context, "WD219", message, (*path, index), hint=hint)


@rule(
    "WD220",
    Severity.ERROR,
    "Duplicate compatibility flag",
    scope="wrangler",
    explanation=(
        "workerd refuses to run a Worker whose compatibility_flags name a flag twice "
        '("Compatibility flag specified multiple times"), on Cloudflare and in wrangler dev.'
    ),
    fix="Delete the repeated flag.",
    source=_WORKERD,
)
def check_duplicate_flags(context: RuleContext) -> Iterator[Diagnostic]:
    for _environment, flags, path in _flag_lists(context):
        first_index: dict[str, int] = {}
        for index, flag in enumerate(flags):
            if not isinstance(flag, str):
                continue
            first = first_index.setdefault(flag, index)
            if first == index:
                continue
            message = f'Compatibility flag "{flag}" is listed twice'
            diagnostic = emit(context, "WD220", message, (*path, index), hint="Delete this one.")
            yield _with_related(context, diagnostic, (*path, first))


@rule(
    "WD221",
    Severity.ERROR,
    "Compatibility flag that is already the default",
    scope="wrangler",
    explanation=(
        "A flag that turns a behaviour on becomes the default from a given date. workerd "
        "refuses to run a Worker that names such a flag with a compatibility_date on or after "
        'that date ("... became the default as of ... so does not need to be specified '
        'anymore"), on Cloudflare and in wrangler dev.'
    ),
    fix="Delete the flag, because the compatibility_date already turns it on.",
    source=f"{_WORKERD}; dates read from workerd {facts.WORKERD_VERSION}",
)
def check_default_flags(context: RuleContext) -> Iterator[Diagnostic]:
    for environment in context.worker.all_environments:
        settings = _settings(context, environment)
        own = "compatibility_flags" in settings or "compatibility_date" in settings
        if environment.name is not None and not own:
            continue  # Both come from the top level, which reports them.
        flags, path = _effective(context, environment, "compatibility_flags")
        if not isinstance(flags, list):
            continue
        compatibility_date = environment.compatibility_date
        parts = _date_parts(compatibility_date)
        for index, flag in enumerate(flags):
            if not isinstance(flag, str):
                continue
            if flag in facts.COMPATIBILITY_FLAGS_ALWAYS_DEFAULT:
                message = f'Compatibility flag "{flag}" is on for every date'
            else:
                since = facts.COMPATIBILITY_FLAG_DEFAULT_DATES.get(flag)
                if since is None or parts is None or compatibility_date < since:
                    continue
                message = (
                    f'Compatibility flag "{flag}" is the default since {since}, and '
                    f'compatibility_date is "{compatibility_date}"'
                )
            yield emit(context, "WD221", message, (*path, index), hint="Delete the flag.")


@rule(
    "WD222",
    Severity.WARNING,
    "Experimental compatibility flag",
    scope="wrangler",
    explanation=(
        "workerd marks some flags experimental. Workers deployed to Cloudflare cannot use them "
        '("is experimental and cannot yet be used in Workers deployed to Cloudflare"), and '
        "local runs need workerd's --experimental switch."
    ),
    fix="Remove the flag before deploying, unless Cloudflare has enabled it for the account.",
    source=f"{_WORKERD}; experimental flags read from workerd {facts.WORKERD_VERSION}",
)
def check_experimental_flags(context: RuleContext) -> Iterator[Diagnostic]:
    for _environment, flags, path in _flag_lists(context):
        for index, flag in enumerate(flags):
            if isinstance(flag, str) and flag in facts.EXPERIMENTAL_COMPATIBILITY_FLAGS:
                message = f'Compatibility flag "{flag}" is experimental'
                hint = "Remove it before deploying to Cloudflare."
                yield emit(context, "WD222", message, (*path, index), hint=hint)


@rule(
    "WD223",
    Severity.ERROR,
    "Python Worker without python_workers",
    scope="wrangler",
    explanation=(
        'When main is a .py file, wrangler stops with "The python_workers compatibility '
        'flag is required to use Python." before it builds or runs anything.'
    ),
    fix='Add "python_workers" to compatibility_flags.',
    source=f"{_WRANGLER}: applyPythonConfig",
)
def check_python_flag(context: RuleContext) -> Iterator[Diagnostic]:
    for environment in context.worker.all_environments:
        main, main_path = _effective(context, environment, "main")
        if not isinstance(main, str) or not main.endswith(facts.PYTHON_MAIN_SUFFIX):
            continue
        if facts.PYTHON_WORKERS_FLAG in environment.compatibility_flags:
            continue
        settings = _settings(context, environment)
        own = "main" in settings or "compatibility_flags" in settings
        if environment.name is not None and not own:
            continue  # Both come from the top level, which reports them.
        flags, flags_path = _effective(context, environment, "compatibility_flags")
        path = flags_path if isinstance(flags, list) else main_path
        message = (
            f'"main" is the Python file "{main}", but compatibility_flags lacks '
            f'"{facts.PYTHON_WORKERS_FLAG}" at {_env_label(environment)}'
        )
        hint = f'Add "{facts.PYTHON_WORKERS_FLAG}" to compatibility_flags.'
        yield emit(context, "WD223", message, path, hint=hint)


# Secrets in vars


@rule(
    "WD224",
    Severity.WARNING,
    "Secret in vars",
    scope="wrangler",
    explanation=(
        "Values in vars are plain text. They are committed with the config, uploaded as "
        "plain-text bindings and shown in the Cloudflare dashboard. A var whose name says it "
        "holds a token, key, secret or password, or whose value looks like one, leaks it."
    ),
    fix=(
        "Delete the var and store the value with wrangler secret put NAME. To document the "
        "name, list it in secrets.required."
    ),
    source=(
        "Cloudflare Workers docs on secrets; value forms of Stripe, GitHub, GitLab, Slack, AWS, "
        "Google, OpenAI, Anthropic, npm and SendGrid credentials"
    ),
)
def check_secret_vars(context: RuleContext) -> Iterator[Diagnostic]:
    for environment in context.worker.all_environments:
        for var in environment.vars:
            if not isinstance(var.value, str) or not var.value.strip():
                continue
            kind = credential_kind(var.value)
            word = secret_name_word(var.name)
            if kind:
                reason = f"its value looks like {kind}"
            elif word:
                reason = f'its name contains "{word.upper()}"'
            else:
                continue
            command = f"wrangler secret put {var.name}"
            if environment.name is not None:
                command += f" --env {environment.name}"
            message = f'Var "{var.name}" looks like a secret, because {reason}'
            hint = f"Delete it from vars and run `{command}` to store it as a secret."
            yield emit(context, "WD224", message, var.path, hint=hint, at="key")


# Other values wrangler checks


@rule(
    "WD225",
    Severity.WARNING,
    "Empty value that wrangler ignores",
    scope="wrangler",
    explanation=(
        "wrangler treats an empty route or account_id as if it were not set and warns "
        "about it, so the value does nothing."
    ),
    fix="Delete the key, or fill in the value.",
    source=f"{_VALIDATOR}, mutateEmptyStringRouteValue and mutateEmptyStringAccountIDValue",
)
def check_ignored_empty_values(context: RuleContext) -> Iterator[Diagnostic]:
    for key in ("route", "account_id"):
        for environment, settings in _setting_environments(context, key):
            if settings[key] != "":
                continue
            message = f'"{key}" is an empty string, which wrangler ignores'
            hint = f'Delete "{key}", or set it.'
            yield emit(context, "WD225", message, (*environment.prefix, key), hint=hint)


@rule(
    "WD226",
    Severity.ERROR,
    "Invalid Workflow name",
    scope="wrangler",
    explanation=(
        "A Workflow's name is 1 to 64 letters, digits, underscores and hyphens, starting with "
        "a letter, digit or underscore, and each Workflow binding of a Worker needs its own "
        "name. wrangler rejects the config otherwise."
    ),
    fix="Rename the Workflow.",
    source=(
        f"{_VALIDATOR}, validateWorkflowBinding and validateUniqueNameProperty; isValidWorkflowName"
    ),
)
def check_workflow_names(context: RuleContext) -> Iterator[Diagnostic]:
    for environment in context.worker.all_environments:
        workflows = _settings(context, environment).get("workflows")
        first_by_name: dict[str, ConfigPath] = {}
        for index, entry in _entries(workflows):
            name = entry.get("name")
            if not isinstance(name, str):
                continue
            path = (*environment.prefix, "workflows", index, "name")
            valid = (
                len(name) <= facts.WORKFLOW_NAME_MAX_LENGTH
                and facts.WORKFLOW_NAME_PATTERN.match(name) is not None
            )
            if not valid:
                message = f'Invalid Workflow name "{name}"'
                hint = (
                    f"Use 1 to {facts.WORKFLOW_NAME_MAX_LENGTH} letters, digits, underscores and "
                    "hyphens, starting with a letter, digit or underscore."
                )
                yield emit(context, "WD226", message, path, hint=hint)
                continue
            first = first_by_name.setdefault(name, path)
            if first != path:
                message = f'Workflow name "{name}" is used by two Workflow bindings'
                diagnostic = emit(context, "WD226", message, path, hint="Rename one of them.")
                yield _with_related(context, diagnostic, first)


@rule(
    "WD227",
    Severity.ERROR,
    "Send email binding with two destination fields",
    scope="wrangler",
    explanation=(
        "A send_email binding restricts where it sends either to one destination_address "
        "or to a list of allowed_destination_addresses, and wrangler rejects a binding with "
        "both."
    ),
    fix="Keep one of the two fields.",
    source=f"{_VALIDATOR}, validateSendEmailBinding",
)
def check_send_email(context: RuleContext) -> Iterator[Diagnostic]:
    for environment in context.worker.all_environments:
        for index, entry in _entries(_settings(context, environment).get("send_email")):
            if "destination_address" not in entry or "allowed_destination_addresses" not in entry:
                continue
            path = (*environment.prefix, "send_email", index, "allowed_destination_addresses")
            message = (
                'A send_email binding cannot have both "destination_address" and '
                '"allowed_destination_addresses"'
            )
            hint = 'Move the address into "allowed_destination_addresses", or drop the list.'
            yield emit(context, "WD227", message, path, hint=hint, at="key")


_TARGETED_PLACEMENT_FIELDS = ("region", "host", "hostname")


def _placement_problems(placement: Mapping[str, Any]) -> Iterator[tuple[str, str, str]]:
    """Yield (field, message, hint) for each placement rule wrangler 4.164.0 enforces."""
    targeted = [field for field in _TARGETED_PLACEMENT_FIELDS if field in placement]
    mode = placement.get("mode")
    if "hint" in placement and targeted:
        message = '"placement" cannot have both "hint" (Smart Placement) and ' + ", ".join(
            f'"{field}"' for field in targeted
        )
        yield "hint", message, 'Keep "hint" with "mode": "smart", or the targeted field.'
        return
    if "hint" in placement:
        if (placement.get("hint") and mode != "smart") or mode not in (None, "off", "smart"):
            message = '"placement.hint" can only be set when "placement.mode" is "smart"'
            yield "hint", message, 'Set "mode": "smart", or delete "hint".'
        return
    if not targeted and mode == "targeted":
        message = '"placement.mode" is "targeted", but "region", "host" and "hostname" are unset'
        yield "mode", message, 'Add one of "region", "host" or "hostname".'
    if targeted:
        if mode is not None and mode != "targeted":
            mode_text = json.dumps(mode)
            message = f'"placement.mode" must be "targeted" with "{targeted[0]}", not {mode_text}'
            yield "mode", message, 'Set "mode": "targeted", or delete "mode".'
        for field in targeted:
            if placement.get(field) == "":
                yield field, f'"placement.{field}" is an empty string', f'Set "{field}".'
        if len(targeted) > 1:
            listed = ", ".join(f'"{field}"' for field in targeted)
            yield targeted[1], f"placement fields {listed} cannot be used together", "Keep one."


@rule(
    "WD228",
    Severity.ERROR,
    "Invalid placement",
    scope="wrangler",
    explanation=(
        'placement is either Smart Placement (mode "smart", optionally with a hint) or '
        "targeted placement (one of region, host or hostname). wrangler rejects a "
        "mix of the two, a hint without smart mode, and more than one target."
    ),
    fix="Keep the fields of one placement form.",
    source=f"{_VALIDATOR}, normalizeAndValidatePlacement",
)
def check_placement(context: RuleContext) -> Iterator[Diagnostic]:
    for environment, settings in _setting_environments(context, "placement"):
        placement = settings["placement"]
        if not isinstance(placement, Mapping):
            continue
        for field, message, hint in _placement_problems(placement):
            path = (*environment.prefix, "placement", field)
            yield emit(context, "WD228", message, path, hint=hint, at="key")


@rule(
    "WD229",
    Severity.WARNING,
    "Experimental unsafe settings",
    scope="wrangler",
    explanation=(
        "Settings under unsafe are experimental, and wrangler warns that they may change or "
        "break in any release."
    ),
    fix="Use a documented binding if one exists, and pin the wrangler version otherwise.",
    source=f'{_VALIDATOR}, experimental(..., "unsafe")',
)
def check_unsafe(context: RuleContext) -> Iterator[Diagnostic]:
    top_has_unsafe = "unsafe" in _root(context)
    for environment, _settings_object in _setting_environments(context, "unsafe"):
        if environment.name is not None and top_has_unsafe:
            continue  # wrangler warns once, for the top level.
        message = '"unsafe" settings are experimental and may change or break at any time'
        path = (*environment.prefix, "unsafe")
        yield emit(context, "WD229", message, path, hint="Pin the wrangler version.", at="key")


@rule(
    "WD230",
    Severity.ERROR,
    "TOML date in vars",
    scope="wrangler",
    explanation=(
        "In wrangler.toml, an unquoted date or time such as LAUNCH = 2025-12-01 is a TOML "
        "date, not a string. wrangler rejects a var whose value is a TOML date, so no wrangler "
        "command that reads the config runs. Dates nested inside an object or array var are "
        "accepted and reach the Worker as ISO 8601 strings."
    ),
    fix="Put the value in double quotes.",
    source=f"{_VALIDATOR}, validateVars",
)
def check_toml_date_vars(context: RuleContext) -> Iterator[Diagnostic]:
    text = context.document.source.text
    for environment, settings in _setting_environments(context, "vars"):
        variables = settings["vars"]
        if not isinstance(variables, Mapping):
            continue
        for name, value in variables.items():
            if not isinstance(value, TomlDateTime):
                continue
            path = (*environment.prefix, "vars", name)
            message = f'Var "{name}" is a TOML date, which wrangler does not accept in vars'
            start, end = context.document.value_range(path)
            hint = f'Put the value in double quotes: {name} = "{text[start:end]}".'
            yield emit(context, "WD230", message, path, hint=hint)
