"""The `wrangler-docs` command line: `check` validates a config, `shard` finds a tag's shard.

Heavy modules (jsonschema, tree-sitter) are imported only by the commands that need them,
so `wrangler-docs check` on a small config returns quickly.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .diagnostics import did_you_mean

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2

UNREADABLE_CODES = frozenset({"WD009"})
"""Codes that mean the file could not be read at all, which exits with EXIT_USAGE."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wrangler-docs",
        description="Validate a Cloudflare wrangler config and its open-next.config.ts, "
        "and look up tag cache shards.",
    )
    parser.add_argument("--version", action="version", version=f"wrangler-docs {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="validate a wrangler config",
        description="Validate a wrangler config and the open-next.config.ts beside it. "
        "Exit status: 0 no errors, 1 problems found, 2 usage error or unreadable file.",
    )
    check.add_argument(
        "configs",
        nargs="*",
        type=Path,
        metavar="CONFIG",
        help="config file (default: wrangler.json, wrangler.jsonc or wrangler.toml in the "
        "current folder, in that order, as wrangler looks for them). An open-next.config.ts "
        "stands for the wrangler config in its folder, so pre-commit can pass either.",
    )
    check.add_argument(
        "--env",
        metavar="NAME",
        help="report only problems of the top level and of environment NAME",
    )
    check.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="output format: compiler-style text (default), one JSON object, or GitHub "
        "Actions workflow annotations",
    )
    check.add_argument("--strict", action="store_true", help="exit with status 1 on warnings too")
    check.add_argument(
        "--opennext-config",
        type=Path,
        metavar="PATH",
        help="open-next.config.ts to read (default: the one beside the config, if present)",
    )
    check.add_argument(
        "--schema", type=Path, metavar="PATH", help="JSON Schema to validate against"
    )

    shard = commands.add_parser(
        "shard",
        help="print the tag cache shard and Durable Object names of tags",
        description="Print the shard each tag maps to in OpenNext's sharded Durable Object "
        "tag cache, and the names of the Durable Object instances that hold it.",
    )
    shard.add_argument("tags", nargs="+", metavar="TAG", help="tags or _N_T_/ path tags")
    shard.add_argument(
        "--base-shard-size",
        type=int,
        metavar="N",
        help="shards per tag kind (default: baseShardSize from open-next.config.ts in the "
        "current folder, else OpenNext's default)",
    )
    shard.add_argument(
        "--opennext-config",
        type=Path,
        metavar="PATH",
        help="open-next.config.ts to take the shard options from",
    )
    shard.add_argument("--json", action="store_true", help="print JSON instead of a table")

    from .cost_cli import add_cost_parser

    add_cost_parser(commands)
    return parser


def _filter_environment(diagnostics: list, env: str) -> list:  # type: ignore[type-arg]
    """Keep diagnostics of the top level and of `env`, dropping other environments'."""
    kept = []
    for diagnostic in diagnostics:
        path = diagnostic.path
        if path.startswith("env.") or path.startswith('env["'):
            if not (path.startswith(f"env.{env}") or path.startswith(f'env["{env}"]')):
                continue
            rest = path[len(f"env.{env}") :] if path.startswith(f"env.{env}") else ""
            if rest and rest[0] not in ".[":
                continue
        kept.append(diagnostic)
    return kept


def _configs_to_check(paths: list[Path]) -> tuple[list[Path], str]:
    """Return the wrangler configs to check, or ([], error message) on a usage error."""
    from .project import OPENNEXT_CONFIG_NAME, find_config

    if not paths:
        found = find_config(Path.cwd())
        if found is None:
            return [], (
                "no wrangler.json, wrangler.jsonc or wrangler.toml in "
                f"{Path.cwd()}; pass the config file as an argument."
            )
        return [found], ""
    configs: list[Path] = []
    for path in paths:
        if path.is_dir():
            return [], f"{path} is a folder; pass a config file."
        if path.name == OPENNEXT_CONFIG_NAME:
            found = find_config(path.parent)
            if found is None:
                return [], f"no wrangler config beside {path}."
            path = found
        if path not in configs:
            configs.append(path)
    return configs, ""


def _check_one(config: Path, args: argparse.Namespace) -> tuple[int, str, str]:
    """Check one config and return (exit status, report, usage error message)."""
    from .check.report import format_github_report, format_json_report, format_text_report
    from .project import load_project
    from .render.redact import excerpt_sources

    project = load_project(
        config,
        root=Path.cwd(),
        opennext_path=args.opennext_config,
        schema_path=args.schema,
    )
    diagnostics = project.diagnostics
    if args.env is not None:
        worker = project.worker
        if worker is not None and worker.environment(args.env) is None:
            names = [env.name for env in worker.environments if env.name]
            prefixed = [name for name in names if name.startswith(args.env)]
            close = prefixed[0] if prefixed else did_you_mean(args.env, names, cutoff=0.5)
            suggestion = f' Did you mean "{close}"?' if close else ""
            message = (
                f'wrangler-docs: no environment named "{args.env}" in {config} '
                f"(declared: {', '.join(names) or 'none'}).{suggestion}\n"
            )
            return EXIT_USAGE, "", message
        diagnostics = _filter_environment(diagnostics, args.env)

    if args.format == "json":
        report = format_json_report(diagnostics)
    elif args.format == "github":
        report = format_github_report(diagnostics)
    else:
        report = format_text_report(diagnostics, excerpt_sources(project))

    if any(diagnostic.code in UNREADABLE_CODES for diagnostic in diagnostics):
        return EXIT_USAGE, report, ""
    if any(diagnostic.is_error for diagnostic in diagnostics):
        return EXIT_PROBLEMS, report, ""
    if args.strict and diagnostics:
        return EXIT_PROBLEMS, report, ""
    return EXIT_OK, report, ""


def run_check(args: argparse.Namespace) -> int:
    configs, usage_error = _configs_to_check(args.configs)
    if usage_error:
        print(f"wrangler-docs: {usage_error}", file=sys.stderr)
        return EXIT_USAGE
    if args.opennext_config is not None and not args.opennext_config.is_file():
        print(f"wrangler-docs: {args.opennext_config} not found.", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "json" and len(configs) > 1:
        print("wrangler-docs: --format json takes one config at a time.", file=sys.stderr)
        return EXIT_USAGE
    if args.schema is not None:
        from .check.schema import schema_file_problem

        problem = schema_file_problem(args.schema)
        if problem:
            print(f"wrangler-docs: --schema: {problem}.", file=sys.stderr)
            return EXIT_USAGE

    status = EXIT_OK
    for config in configs:
        config_status, report, usage_message = _check_one(config, args)
        sys.stdout.write(report)
        sys.stderr.write(usage_message)
        status = max(status, config_status)
    return status


def _shard_options(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """Return ShardingOptions from --base-shard-size, open-next.config.ts, or the defaults."""
    from .facts import opennext as facts
    from .model.sharding import ShardingOptions, sharding_options

    if args.base_shard_size is not None:
        return sharding_options({"baseShardSize": args.base_shard_size}, True), None
    path = args.opennext_config or Path.cwd() / "open-next.config.ts"
    if path.is_file():
        from .read.opennext_ts import read_opennext_config_file

        config = read_opennext_config_file(path, path.name)
        slot = config.slots.get("tagCache")
        if slot is not None and slot.override is not None:
            if slot.override.module == facts.TAG_CACHE_SHARDED:
                call = slot.override
                return sharding_options(call.options, call.has_options), path
    options: ShardingOptions = sharding_options(None, False)
    return options, None


def run_shard(args: argparse.Namespace) -> int:
    from .facts import opennext as facts
    from .model.sharding import durable_object_name, is_soft_tag, shard_id

    if args.base_shard_size is not None and args.base_shard_size < 1:
        print("wrangler-docs: --base-shard-size must be a positive integer.", file=sys.stderr)
        return EXIT_USAGE
    try:
        options, source = _shard_options(args)
    except ValueError as error:
        print(f"wrangler-docs: {error}", file=sys.stderr)
        return EXIT_USAGE

    rows = []
    for tag in args.tags:
        soft = is_soft_tag(tag)
        replicas = options.soft_replicas if soft else options.hard_replicas
        regions = facts.AVAILABLE_REGIONS if options.regional_replication else (None,)
        names = [
            durable_object_name(tag, options, replica, region)
            for replica in range(1, replicas + 1)
            for region in regions
        ]
        rows.append(
            {
                "tag": tag,
                "kind": "soft" if soft else "hard",
                "shard": shard_id(tag, options).split(";")[-1],
                "durable_objects": names,
            }
        )

    if args.json:
        size = options.base_shard_size
        print(json.dumps({"base_shard_size": size, "tags": rows}, ensure_ascii=False, indent=2))
        return EXIT_OK
    size_text = "NaN" if options.base_shard_size is None else str(options.base_shard_size)
    if args.base_shard_size is not None:
        origin = " (from --base-shard-size)"
    elif source is not None:
        origin = f" (from {source})"
    else:
        origin = " (OpenNext's default: no open-next.config.ts with a sharded tag cache found)"
    print(f"base shard size: {size_text}{origin}")
    width = max(len(row["tag"]) for row in rows)
    for row in rows:
        names = ", ".join(row["durable_objects"])
        print(f"{row['tag']:<{width}}  {row['kind']}  {row['shard']:<9}  {names}")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    # A config can contain a lone surrogate escape ("\ud800"), which UTF-8 cannot encode, so
    # it is printed as an escape instead of failing.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args = _parser().parse_args(argv)
    if args.command == "check":
        return run_check(args)
    if args.command == "cost":
        from .cost_cli import run_cost

        return run_cost(args)
    return run_shard(args)


if __name__ == "__main__":
    sys.exit(main())
