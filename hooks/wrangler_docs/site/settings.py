"""The `extra.wrangler_docs` block of mkdocs.yml, checked and resolved against its folder."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from ..diagnostics import did_you_mean
from ..model.cost import TrafficAssumptions, traffic_from_settings
from ..project import OPENNEXT_CONFIG_NAME, find_config
from ..read.document import DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH
from ..render.pages import DEFAULT_SAMPLE_TAGS, TEMPLATES_DIR
from ..resources import SCHEMAS_DIR

SETTINGS_KEY = "wrangler_docs"

_KNOWN_SETTINGS = (
    "config",
    "opennext_config",
    "workers",
    "schema",
    "environments",
    "templates_dir",
    "sample_tags",
    "show_var_values",
    "drift_ignore",
    "traffic",
    "max_file_bytes",
    "max_depth",
)
_WORKER_SETTINGS = ("config", "opennext_config", "slug")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class SettingsError(ValueError):
    """An invalid `extra.wrangler_docs` setting in mkdocs.yml."""


class WorkerSettings(NamedTuple):
    """One Worker of the site: its config, its open-next.config.ts, and its page folder."""

    config: Path | None
    opennext_config: Path | None
    find_opennext: bool
    slug: str
    """Folder of this Worker's generated pages; empty when the site has one Worker."""


class Settings(NamedTuple):
    root: Path
    workers: tuple[WorkerSettings, ...]
    schema: Path | None
    environments: tuple[str, ...] | None
    """Named environments to show on the pages; None shows all of them."""
    templates_dir: Path | None
    sample_tags: tuple[str, ...]
    show_var_values: bool
    drift_ignore: tuple[str, ...]
    traffic: TrafficAssumptions = TrafficAssumptions()
    max_file_bytes: int = DEFAULT_MAX_BYTES
    max_depth: int = DEFAULT_MAX_DEPTH

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        if self.templates_dir is None:
            return (TEMPLATES_DIR,)
        return (self.templates_dir, TEMPLATES_DIR)

    @property
    def watched_paths(self) -> list[Path]:
        """Files and folders whose change must rebuild the site under `mkdocs serve`."""
        paths = list(self.template_dirs)
        paths.append(self.schema if self.schema is not None else SCHEMAS_DIR)
        for worker in self.workers:
            if worker.config is None:
                continue
            paths.append(worker.config)
            paths.append(worker.opennext_config or worker.config.parent / OPENNEXT_CONFIG_NAME)
        return [path for path in paths if path.exists()]


def _name(key: str) -> str:
    return f"extra.{SETTINGS_KEY}.{key}"


def _reject_unknown(raw: Mapping[str, Any], known: tuple[str, ...], where: str) -> None:
    for key in raw:
        if key in known:
            continue
        close = did_you_mean(str(key), known, cutoff=0.7)
        suggestion = f' Did you mean "{close}"?' if close else ""
        raise SettingsError(
            f"Unknown setting {where}.{key}.{suggestion} Known settings: {', '.join(known)}."
        )


def _path(root: Path, raw: Mapping[str, Any], key: str, where: str) -> Path | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise SettingsError(f"{where}.{key} must be a path, but got {value!r}.")
    return root / value


def _positive_int(raw: Mapping[str, Any], key: str, default: int) -> int:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise SettingsError(f"{_name(key)} must be a positive integer, but got {value!r}.")
    return value


def _strings(raw: Mapping[str, Any], key: str, default: Any) -> Any:
    value = raw.get(key, default)
    if value is default:
        return default
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise SettingsError(f"{_name(key)} must be a list of strings, but got {value!r}.")
    return tuple(value)


def _worker(root: Path, raw: Mapping[str, Any], where: str, slug: str) -> WorkerSettings:
    _reject_unknown(raw, _WORKER_SETTINGS, where)
    config = _path(root, raw, "config", where)
    if config is None:
        config = find_config(root)
    opennext_value = raw.get("opennext_config")
    if opennext_value is False:
        return WorkerSettings(config, None, False, slug)
    opennext = _path(root, raw, "opennext_config", where)
    return WorkerSettings(config, opennext, opennext is None, slug)


def _workers(root: Path, raw: Mapping[str, Any]) -> tuple[WorkerSettings, ...]:
    listed = raw.get("workers")
    if listed is None:
        single = {key: raw[key] for key in ("config", "opennext_config") if key in raw}
        return (_worker(root, single, f"extra.{SETTINGS_KEY}", ""),)
    if "config" in raw or "opennext_config" in raw:
        raise SettingsError(
            f"Set either {_name('config')} or {_name('workers')}, not both: with several "
            "Workers, give each entry of workers its own config."
        )
    if not isinstance(listed, list) or not listed:
        raise SettingsError(f"{_name('workers')} must be a non-empty list, but got {listed!r}.")
    workers: list[WorkerSettings] = []
    for index, entry in enumerate(listed):
        where = f"{_name('workers')}[{index}]"
        if not isinstance(entry, Mapping) or "config" not in entry:
            raise SettingsError(f"{where} must be a mapping with a config path, but got {entry!r}.")
        slug = entry.get("slug") or Path(str(entry["config"])).parent.name or f"worker-{index + 1}"
        slug = re.sub(r"[^a-z0-9-]+", "-", str(slug).lower()).strip("-")
        if len(listed) == 1:
            slug = ""
        elif not _SLUG.match(slug):
            raise SettingsError(f"{where}.slug must be lowercase letters, digits and dashes.")
        elif any(worker.slug == slug for worker in workers):
            raise SettingsError(f"{where}: two Workers use the page folder {slug!r}; set slug.")
        workers.append(_worker(root, entry, where, slug))
    return tuple(workers)


def parse_settings(extra: Mapping[str, Any], config_file_path: str | Path) -> Settings:
    """Read the `extra.wrangler_docs` settings. Raises SettingsError on an invalid value."""
    root = Path(config_file_path).resolve().parent
    raw = extra.get(SETTINGS_KEY) or {}
    if not isinstance(raw, Mapping):
        raise SettingsError(f"extra.{SETTINGS_KEY} must be a mapping, but got {raw!r}.")
    _reject_unknown(raw, _KNOWN_SETTINGS, f"extra.{SETTINGS_KEY}")

    show_values = raw.get("show_var_values", False)
    if not isinstance(show_values, bool):
        raise SettingsError(f"{_name('show_var_values')} must be true or false.")
    try:
        traffic = traffic_from_settings(raw.get("traffic"))
    except ValueError as error:
        raise SettingsError(str(error)) from None
    templates_dir = _path(root, raw, "templates_dir", f"extra.{SETTINGS_KEY}")
    if templates_dir is not None and not templates_dir.is_dir():
        raise SettingsError(f"{_name('templates_dir')}: {templates_dir} is not a folder.")

    schema = _path(root, raw, "schema", f"extra.{SETTINGS_KEY}")
    if schema is not None:
        from ..check.schema import schema_file_problem

        problem = schema_file_problem(schema)
        if problem:
            raise SettingsError(f"{_name('schema')}: {problem}.")

    return Settings(
        root=root,
        workers=_workers(root, raw),
        schema=schema,
        environments=_strings(raw, "environments", None),
        templates_dir=templates_dir,
        sample_tags=_strings(raw, "sample_tags", DEFAULT_SAMPLE_TAGS),
        show_var_values=show_values,
        drift_ignore=_strings(raw, "drift_ignore", ()),
        traffic=traffic,
        max_file_bytes=_positive_int(raw, "max_file_bytes", DEFAULT_MAX_BYTES),
        max_depth=_positive_int(raw, "max_depth", DEFAULT_MAX_DEPTH),
    )
