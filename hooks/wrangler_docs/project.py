"""The pipeline every user shares (the MkDocs hook, the CLI and the tests): read the config
files, check them, and build the model the pages are rendered from."""

from __future__ import annotations

import contextlib
import gc
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from .diagnostics import Diagnostic, SourceText, count_by_severity, sort_diagnostics
from .facts import wrangler as wrangler_facts
from .model.opennext import OpenNextApp, build_opennext_app
from .model.sharding import ShardingOptionError
from .model.worker import Worker, build_worker
from .read.document import DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, ParsedDocument, display_name_for
from .read.opennext_ts import OpenNextConfig
from .render.redact import without_credentials

log = logging.getLogger(__name__)

OPENNEXT_CONFIG_NAME = "open-next.config.ts"


class CheckRun(NamedTuple):
    """One check that ran on one file, for the /validation/ page."""

    name: str
    file: str
    errors: int
    warnings: int
    skipped: str = ""
    """The reason the check did not run; empty when it ran."""


class Project(NamedTuple):
    root: Path
    config_path: Path
    document: ParsedDocument
    opennext: OpenNextConfig | None
    worker: Worker | None
    app: OpenNextApp | None
    diagnostics: list[Diagnostic]
    checks: list[CheckRun]
    sources: dict[str, SourceText]

    @property
    def error_count(self) -> int:
        return count_by_severity(self.diagnostics)[0]

    @property
    def warning_count(self) -> int:
        return count_by_severity(self.diagnostics)[1]


def find_config(directory: Path) -> Path | None:
    """Return the wrangler config in `directory`, trying names in wrangler's order."""
    for name in wrangler_facts.CONFIG_FILE_NAMES:
        candidate = directory / name
        if candidate.is_file():
            return candidate
    return None


def _read_config(path: Path, display: str, max_bytes: int, max_depth: int) -> ParsedDocument:
    """Read a config in the format wrangler picks by name: TOML for `.toml`, else JSONC."""
    if path.suffix == ".toml":
        from .read.toml import read_toml_file

        return read_toml_file(path, display, max_bytes=max_bytes, max_depth=max_depth)
    from .read.jsonc import read_jsonc_file

    return read_jsonc_file(path, display, max_bytes=max_bytes, max_depth=max_depth)


def _run(name: str, file: str, diagnostics: list[Diagnostic]) -> CheckRun:
    errors, warnings = count_by_severity(diagnostics)
    return CheckRun(name=name, file=file, errors=errors, warnings=warnings)


def local_schema_path(
    document: ParsedDocument, config_path: Path, root: Path
) -> tuple[Path | None, str]:
    """Return the local schema file the config's `$schema` names, or (None, why not).

    Only a file inside the project folder is read: a URL is never fetched, and a path that
    leads outside `root` (through `..`, an absolute path or a symbolic link) is ignored.
    """
    value = document.value.get("$schema") if isinstance(document.value, dict) else None
    if not isinstance(value, str) or not value:
        return None, ""
    if "://" in value:
        return None, f"{value} is a URL, and URLs are never fetched"
    candidate = (config_path.parent / value).resolve()
    try:
        candidate.relative_to(root.resolve())
    except ValueError:
        return None, f"{value} is outside the project folder"
    if not candidate.is_file():
        return None, f"{value} does not exist (install wrangler to check against it)"
    return candidate, ""


def _local_schema_diagnostics(
    document: ParsedDocument, schema: Path, already: list[Diagnostic]
) -> list[Diagnostic]:
    """Validate against the config's own schema, keeping only what was not reported yet."""
    from jsonschema.exceptions import SchemaError
    from referencing.exceptions import Unresolvable

    from .check.schema import check_schema, schema_file_problem

    reason = schema_file_problem(schema)
    if not reason:
        try:
            found = check_schema(document, schema)
        except (ValueError, OSError, SchemaError, Unresolvable) as error:
            reason = str(error)
        # Any other failure also comes from the file the config names, which can contain
        # anything (a package.json, say), so it is reported, never raised.
        except Exception as error:  # noqa: BLE001
            reason = f"{type(error).__name__}: {error}"
        else:
            seen = {(d.line, d.column, d.code) for d in already}
            return [d for d in found if (d.line, d.column, d.code) not in seen]
    start, end = document.value_range(("$schema",))
    first_line = (reason.splitlines() or [""])[0]
    return [
        document.source.warning(
            "WD106",
            f"The schema {schema.name} named by $schema could not be used: {first_line}",
            start,
            end,
            path=("$schema",),
            hint="Point $schema at wrangler's config-schema.json, or remove it.",
        )
    ]


def _sharding_diagnostic(opennext: OpenNextConfig, error: ShardingOptionError) -> Diagnostic:
    """Point at the sharded tag cache option that cannot be used."""
    slot = opennext.slots["tagCache"]
    call = slot.override
    start, end = slot.start, slot.end
    if call is not None:
        span = call.option_spans.get(tuple(error.path)) or call.option_spans.get(())
        start, end = (span.value_start, span.value_end) if span else (call.start, call.end)
    return opennext.source.error(
        "WD054",
        str(error),
        start,
        end,
        path=("tagCache", *error.path),
        hint=error.hint or "Pass the options as OpenNext's doShardedTagCache expects them.",
    )


@contextlib.contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector, and restore its state on exit.

    Reading a config allocates many objects that stay alive while the model is built, and
    their allocations trigger collections, each full one walking every object of the process.
    On a 3 MB config those collections took a tenth of `wrangler-docs check`. Reference
    counting still frees memory as usual while the collector is paused.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_project(
    config_path: Path,
    *,
    root: Path | None = None,
    opennext_path: Path | None = None,
    find_opennext: bool = True,
    schema_path: Path | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> Project:
    """Read, check and model one Worker config and its open-next.config.ts.

    `root` is the folder file names are shown relative to. Without `opennext_path`, an
    open-next.config.ts beside the config is read when `find_opennext` is true.
    """
    with _cyclic_gc_paused():
        return _load_project(
            config_path,
            root=root,
            opennext_path=opennext_path,
            find_opennext=find_opennext,
            schema_path=schema_path,
            max_bytes=max_bytes,
            max_depth=max_depth,
        )


def _load_project(
    config_path: Path,
    *,
    root: Path | None,
    opennext_path: Path | None,
    find_opennext: bool,
    schema_path: Path | None,
    max_bytes: int,
    max_depth: int,
) -> Project:
    root = root if root is not None else config_path.parent
    display = display_name_for(config_path, root)
    document = _read_config(config_path, display, max_bytes, max_depth)
    diagnostics = list(document.diagnostics)
    syntax = "TOML" if config_path.suffix == ".toml" else "JSONC as wrangler reads it"
    checks = [_run(f"Syntax ({syntax})", display, document.diagnostics)]
    sources = {display: document.source}

    if document.ok:
        from .check.schema import check_schema

        schema_diagnostics = check_schema(document, schema_path)
        diagnostics.extend(schema_diagnostics)
        checks.append(_run("JSON Schema (draft 2020-12)", display, schema_diagnostics))
        local_schema, reason = local_schema_path(document, config_path, root)
        if local_schema is not None:
            extra = _local_schema_diagnostics(document, local_schema, diagnostics)
            diagnostics.extend(extra)
            label = display_name_for(local_schema, root)
            checks.append(_run(f"The config's own $schema ({label})", display, extra))
        elif reason:
            checks.append(CheckRun("The config's own $schema", display, 0, 0, skipped=reason))
    else:
        checks.append(
            CheckRun("JSON Schema (draft 2020-12)", display, 0, 0, skipped="the file did not parse")
        )

    if opennext_path is None and find_opennext:
        candidate = config_path.parent / OPENNEXT_CONFIG_NAME
        opennext_path = candidate if candidate.is_file() else None
    opennext: OpenNextConfig | None = None
    if opennext_path is not None:
        from .read.opennext_ts import read_opennext_config_file

        opennext_display = display_name_for(opennext_path, root)
        opennext = read_opennext_config_file(opennext_path, opennext_display)
        diagnostics.extend(opennext.diagnostics)
        checks.append(_run("OpenNext config (TypeScript)", opennext_display, opennext.diagnostics))
        sources[opennext_display] = opennext.source

    worker = build_worker(document)
    app = build_opennext_app(worker, opennext) if worker is not None else None
    # An option the reader could not evaluate already has its WD052 warning: OpenNext may
    # accept it, so it is not also an error.
    error = app.sharding_error if app is not None else None
    if opennext is not None and error is not None and not error.expression:
        diagnostics.append(_sharding_diagnostic(opennext, error))

    if worker is not None:
        from .check.rules import RuleContext, run_rules

        rule_diagnostics = run_rules(RuleContext(document, worker, opennext, app))
        diagnostics.extend(rule_diagnostics)
        wrangler_rules = [d for d in rule_diagnostics if d.code.startswith("WD2")]
        opennext_rules = [d for d in rule_diagnostics if d.code.startswith("WD3")]
        checks.append(_run(f"wrangler {wrangler_facts.VERSION} rules", display, wrangler_rules))
        if app is not None:
            checks.append(_run("OpenNext rules", display, opennext_rules))
        else:
            checks.append(CheckRun("OpenNext rules", display, 0, 0, skipped="not an OpenNext app"))

    return Project(
        root=root,
        config_path=config_path,
        document=document,
        opennext=opennext,
        worker=worker,
        app=app,
        diagnostics=[without_credentials(d) for d in sort_diagnostics(diagnostics)],
        checks=checks,
        sources=sources,
    )
