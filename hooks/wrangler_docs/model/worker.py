"""Workers, environments and bindings, built from a parsed config.

The builders accept any value: entries of the wrong shape are skipped, because the schema
check reports them. Environments are resolved the way wrangler 4.164.0 resolves them (see
facts.wrangler): inheritable keys are copied from the top level, the others are not, and an
environment without its own `name` deploys as `<name>-<env>`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from ..diagnostics import ConfigPath
from ..facts import wrangler as wrangler_facts
from ..facts.wrangler import BindingKind
from ..read.document import ParsedDocument


class Binding(NamedTuple):
    """One binding of any kind, as the Worker receives it in `env`."""

    kind: str
    label: str
    name: str
    target: str
    """The resource the binding points at: a class, bucket, database, service, ..."""
    details: tuple[tuple[str, str], ...]
    """The other target fields that are set, as (field, value)."""
    description: str
    path: ConfigPath

    def detail(self, field: str) -> str:
        for key, value in self.details:
            if key == field:
                return value
        return ""


class Var(NamedTuple):
    """A plain-text or JSON variable from `vars`.

    Its text form leaves the value out, so `{{ worker }}` in a page does not publish it.
    """

    name: str
    value: Any
    description: str
    path: ConfigPath

    def __repr__(self) -> str:
        return f"Var(name={self.name!r}, value=<hidden>, path={self.path!r})"


class Migration(NamedTuple):
    tag: str
    new_classes: tuple[str, ...]
    new_sqlite_classes: tuple[str, ...]
    renamed_classes: tuple[tuple[str, str], ...]
    deleted_classes: tuple[str, ...]
    path: ConfigPath


class Environment(NamedTuple):
    """The settings one deployment gets: the top level (`name` None) or one `env.<name>`."""

    name: str | None
    worker_name: str
    main: str
    compatibility_date: str
    compatibility_flags: tuple[str, ...]
    routes: tuple[str, ...]
    """Route patterns and custom domains, custom domains marked " (custom domain)"."""
    bindings: tuple[Binding, ...]
    vars: tuple[Var, ...]
    migrations: tuple[Migration, ...]
    inherited: frozenset[str]
    """Keys this environment took from the top level."""
    missing_non_inheritable: tuple[str, ...]
    """Non-inheritable keys set at the top level but absent here."""
    prefix: ConfigPath
    """Path of this environment's object in the config: () or ("env", name)."""

    @property
    def label(self) -> str:
        return self.name if self.name is not None else "top level"

    def binding(self, name: str) -> Binding | None:
        for binding in self.bindings:
            if binding.name == name:
                return binding
        return None

    def bindings_of(self, kind: str) -> tuple[Binding, ...]:
        return tuple(binding for binding in self.bindings if binding.kind == kind)


class Worker(NamedTuple):
    """A Worker and all its environments, from one config file."""

    name: str
    config_file: str
    description: str
    top: Environment
    environments: tuple[Environment, ...]

    @property
    def all_environments(self) -> tuple[Environment, ...]:
        return (self.top, *self.environments)

    def environment(self, name: str | None) -> Environment | None:
        for environment in self.all_environments:
            if environment.name == name:
                return environment
        return None


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return ""


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(item for item in value if isinstance(item, str))


def _lookup(value: Any, key: tuple[str, ...]) -> Any:
    for part in key:
        # Testing dict first is only faster, because every dict is a Mapping.
        if not isinstance(value, (dict, Mapping)):
            return None
        value = value.get(part)
    return value


def _binding_from(
    kind: BindingKind, entry: Any, path: ConfigPath, document: ParsedDocument
) -> Binding | None:
    if not isinstance(entry, (dict, Mapping)):
        return None
    name = entry.get(kind.name_field)
    if not isinstance(name, str) or not name:
        return None
    details = tuple(
        (field, _text(entry[field]))
        for field in kind.target_fields
        if field in entry and _text(entry[field])
    )
    target = details[0][1] if details else ""
    description = document.description(path)
    if not description and kind.single:
        description = document.description(path[:-1]) if path else ""
    return Binding(
        kind=kind.kind,
        label=kind.label,
        name=name,
        target=target,
        details=details,
        description=description,
        path=path,
    )


def collect_bindings(
    settings: Mapping[str, Any], prefix: ConfigPath, document: ParsedDocument
) -> tuple[Binding, ...]:
    """Return every binding declared directly in `settings` (one environment's object)."""
    bindings: list[Binding] = []
    for kind in wrangler_facts.BINDING_KINDS:
        value = _lookup(settings, kind.key)
        if kind.single:
            binding = _binding_from(kind, value, prefix + kind.key, document)
            if binding is not None:
                bindings.append(binding)
            continue
        if not isinstance(value, list):
            continue
        for index, entry in enumerate(value):
            binding = _binding_from(kind, entry, prefix + kind.key + (index,), document)
            if binding is not None:
                bindings.append(binding)
    return tuple(bindings)


def collect_vars(
    settings: Mapping[str, Any], prefix: ConfigPath, document: ParsedDocument
) -> tuple[Var, ...]:
    value = settings.get("vars")
    if not isinstance(value, Mapping):
        return ()
    return tuple(
        Var(
            name=name,
            value=item,
            description=document.description(prefix + ("vars", name)),
            path=prefix + ("vars", name),
        )
        for name, item in value.items()
    )


def collect_migrations(value: Any, prefix: ConfigPath) -> tuple[Migration, ...]:
    if not isinstance(value, list):
        return ()
    migrations: list[Migration] = []
    for index, entry in enumerate(value):
        if not isinstance(entry, Mapping):
            continue
        renamed_entries = entry.get("renamed_classes")
        if not isinstance(renamed_entries, list):
            renamed_entries = []
        renamed = tuple(
            (item["from"], item["to"])
            for item in renamed_entries
            if isinstance(item, Mapping)
            and isinstance(item.get("from"), str)
            and isinstance(item.get("to"), str)
        )
        migrations.append(
            Migration(
                tag=_text(entry.get("tag")),
                new_classes=_strings(entry.get("new_classes")),
                new_sqlite_classes=_strings(entry.get("new_sqlite_classes")),
                renamed_classes=renamed,
                deleted_classes=_strings(entry.get("deleted_classes")),
                path=prefix + ("migrations", index),
            )
        )
    return tuple(migrations)


def _routes(settings: Mapping[str, Any]) -> tuple[str, ...]:
    """Return the patterns of `routes` (or `route`), marking custom domains."""
    value = settings.get("routes")
    if value is None:
        value = settings.get("route")
    entries = value if isinstance(value, list) else [value]
    routes: list[str] = []
    for entry in entries:
        if isinstance(entry, str) and entry:
            routes.append(entry)
        elif isinstance(entry, Mapping) and isinstance(entry.get("pattern"), str):
            suffix = " (custom domain)" if entry.get("custom_domain") is True else ""
            routes.append(entry["pattern"] + suffix)
    return tuple(routes)


def _environment(
    name: str | None,
    settings: Mapping[str, Any],
    top: Mapping[str, Any],
    document: ParsedDocument,
) -> Environment:
    prefix: ConfigPath = () if name is None else ("env", name)
    inherited: set[str] = set()
    effective: dict[str, Any] = dict(settings)
    if name is not None:
        for key in wrangler_facts.INHERITABLE_KEYS:
            if key not in settings and key in top:
                effective[key] = top[key]
                inherited.add(key)
    top_name = _text(top.get("name"))
    if name is None:
        worker_name = top_name
    elif isinstance(settings.get("name"), str):
        worker_name = settings["name"]
        inherited.discard("name")
    else:
        # wrangler 4.164.0's appendEnvName: "<top name>-<env>", and no name without a top one.
        worker_name = f"{top_name}-{name}" if top_name else ""

    migrations_prefix = () if "migrations" in inherited else prefix
    missing = ()
    if name is not None:
        missing = tuple(
            sorted(
                key
                for key in wrangler_facts.NOT_INHERITABLE_KEYS
                if key in top and key not in settings
            )
        )
    return Environment(
        name=name,
        worker_name=worker_name,
        main=_text(effective.get("main")),
        compatibility_date=_text(effective.get("compatibility_date")),
        compatibility_flags=_strings(effective.get("compatibility_flags")),
        routes=_routes(effective),
        bindings=collect_bindings(settings, prefix, document)
        + _inherited_single_bindings(inherited, top, document),
        vars=collect_vars(settings, prefix, document),
        migrations=collect_migrations(effective.get("migrations"), migrations_prefix),
        inherited=frozenset(inherited),
        missing_non_inheritable=missing,
        prefix=prefix,
    )


def _inherited_single_bindings(
    inherited: set[str], top: Mapping[str, Any], document: ParsedDocument
) -> tuple[Binding, ...]:
    """Return bindings an environment gets through inherited keys (only `assets` has one)."""
    if "assets" not in inherited:
        return ()
    inherited_top = {"assets": top["assets"]}
    return collect_bindings(inherited_top, (), document)


def _with_top_level_descriptions(environment: Environment, top: Environment) -> Environment:
    """Give undescribed bindings and vars the description of the same one at the top level.

    Environments repeat the top level's bindings, and people rarely repeat the comments.
    """
    bindings = []
    for binding in environment.bindings:
        if not binding.description:
            original = top.binding(binding.name)
            # Copying an empty description would give an equal binding, so it is skipped.
            if original is not None and original.kind == binding.kind and original.description:
                binding = binding._replace(description=original.description)
        bindings.append(binding)
    top_vars = {var.name: var for var in top.vars}
    variables = []
    for var in environment.vars:
        if not var.description and var.name in top_vars and top_vars[var.name].description:
            var = var._replace(description=top_vars[var.name].description)
        variables.append(var)
    return environment._replace(bindings=tuple(bindings), vars=tuple(variables))


def build_worker(document: ParsedDocument) -> Worker | None:
    """Build the Worker model from a parsed config, or None when the root is not an object."""
    root = document.value
    if not document.ok or not isinstance(root, Mapping):
        return None
    top = _environment(None, root, root, document)
    environments: list[Environment] = []
    env_section = root.get("env")
    if isinstance(env_section, Mapping):
        for env_name, settings in env_section.items():
            if isinstance(settings, Mapping):
                environment = _environment(env_name, settings, root, document)
                environments.append(_with_top_level_descriptions(environment, top))
    return Worker(
        name=top.worker_name,
        config_file=document.source.display_name,
        description=document.description(()),
        top=top,
        environments=tuple(environments),
    )
