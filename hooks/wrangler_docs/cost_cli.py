"""`wrangler-docs cost`: the monthly cost of OpenNext's tag cache on each backend, in the terminal.

The estimate is the one the Durable Objects vs D1 page shows. The sharded tag cache options
come from open-next.config.ts beside the given config, or in the current folder, and default to
OpenNext's own defaults when there is no such file.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model.cost import CostReport, TrafficAssumptions
    from .model.sharding import ShardingOptions

EXIT_OK = 0
EXIT_USAGE = 2

_PLANS = ("paid", "paid-included-used", "free")
"""The plan names `model.cost.PLANS` accepts, repeated so building the parser imports nothing."""


class _UsageError(Exception):
    """A problem with the arguments or the files they name; exits with EXIT_USAGE."""


def _whole(text: str, minimum: int) -> int:
    try:
        value = float(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not math.isfinite(value) or not value.is_integer() or value < minimum:
        raise argparse.ArgumentTypeError(
            f"expected a whole number of at least {minimum}, got {text!r}"
        )
    return int(value)


def _count(text: str) -> int:
    """Parse a whole number of at least 0, written as 10000000, 10_000_000, 10,000,000 or 1e7."""
    return _whole(text, 0)


def _positive_count(text: str) -> int:
    return _whole(text, 1)


def _share(text: str) -> float:
    """Parse a share from 0 to 1, written as 0.25 or 25%."""
    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {text!r}") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {text!r}")
    return value


def _milliseconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected milliseconds, got {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"expected milliseconds of at least 0, got {text!r}")
    return value


# Option destination to TrafficAssumptions field.
_TRAFFIC_OPTIONS = {
    "requests": "requests_per_month",
    "tags_per_request": "tags_per_request",
    "revalidations": "revalidations_per_month",
    "tags_per_revalidation": "tags_per_revalidation",
    "soft_tag_share": "soft_tag_share",
    "found_tag_share": "found_tag_share",
    "do_call_ms": "do_call_duration_ms",
    "regional_cache_hit_rate": "regional_cache_hit_rate",
    "plan": "plan",
}


def add_cost_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `cost` command to the `add_subparsers()` result of the wrangler-docs parser."""
    parser = subparsers.add_parser(
        "cost",
        help="estimate the monthly cost of the tag cache on each backend",
        description="Estimate what OpenNext's tag cache costs a month on sharded Durable "
        "Objects, D1 and KV, at Cloudflare's list prices. Options not given keep the defaults "
        "shown in the output. Exit status: 0, or 2 on invalid arguments or an unusable "
        "open-next.config.ts.",
    )

    parser.add_argument(
        "config",
        nargs="?",
        type=Path,
        metavar="CONFIG",
        help="wrangler config or open-next.config.ts; the sharded tag cache options are read "
        "from open-next.config.ts in its folder (default: the current folder)",
    )

    # Traffic assumptions, one option per TrafficAssumptions field.
    parser.add_argument(
        "--requests", type=_count, metavar="N", help="page requests per month (default 10,000,000)"
    )
    parser.add_argument(
        "--tags-per-request",
        type=_positive_count,
        metavar="K",
        help="distinct tags each page request checks (default 3)",
    )
    parser.add_argument(
        "--revalidations",
        type=_count,
        metavar="R",
        help="revalidateTag and revalidatePath calls per month (default 10,000)",
    )
    parser.add_argument(
        "--tags-per-revalidation",
        type=_positive_count,
        metavar="T",
        help="tags each revalidation call writes (default 1)",
    )
    parser.add_argument(
        "--soft-tag-share",
        type=_share,
        metavar="S",
        help="share of tags that are soft (_N_T_/ path) tags, from 0 to 1 (default 0)",
    )
    parser.add_argument(
        "--found-tag-share",
        type=_share,
        metavar="F",
        help="share of checked tags that have a stored row, from 0 to 1 (default 1)",
    )
    parser.add_argument(
        "--do-call-ms",
        type=_milliseconds,
        metavar="MS",
        help="average duration of one Durable Object call in milliseconds (default 5)",
    )
    parser.add_argument(
        "--regional-cache-hit-rate",
        type=_share,
        metavar="H",
        help="share of Durable Object read calls the regional cache serves, used only with "
        "regionalCache: true (default 0)",
    )
    parser.add_argument(
        "--plan",
        choices=_PLANS,
        help="paid: included amounts count as free (default); paid-included-used: other "
        "workloads already use them; free: check the Workers Free daily limits",
    )

    parser.add_argument(
        "--opennext-config",
        type=Path,
        metavar="PATH",
        help="open-next.config.ts to read the tag cache from, instead of the one beside CONFIG",
    )
    parser.add_argument(
        "--details",
        action="store_true",
        help="also print every line item with its arithmetic",
    )


def _traffic(args: argparse.Namespace) -> TrafficAssumptions:
    from .model.cost import TrafficAssumptions

    changes = {
        field: getattr(args, option)
        for option, field in _TRAFFIC_OPTIONS.items()
        if getattr(args, option, None) is not None
    }
    try:
        return TrafficAssumptions(**changes)
    except ValueError as error:
        raise _UsageError(str(error)) from None


def _opennext_path(args: argparse.Namespace) -> Path:
    from .project import OPENNEXT_CONFIG_NAME

    if args.opennext_config is not None:
        if not args.opennext_config.is_file():
            raise _UsageError(f"{args.opennext_config} not found.")
        return args.opennext_config
    config = args.config
    if config is None:
        return Path.cwd() / OPENNEXT_CONFIG_NAME
    if config.is_dir():
        raise _UsageError(f"{config} is a folder; pass a config file.")
    if not config.is_file():
        raise _UsageError(f"{config} not found.")
    if config.name == OPENNEXT_CONFIG_NAME:
        return config
    return config.parent / OPENNEXT_CONFIG_NAME


def _display(path: Path) -> str:
    """Return `path` relative to the current folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _wrangler_config(args: argparse.Namespace) -> Path | None:
    """Return the wrangler config the arguments name or the current folder holds, if any."""
    from .project import OPENNEXT_CONFIG_NAME, find_config

    config = args.config
    if config is None:
        return find_config(Path.cwd())
    if config.name == OPENNEXT_CONFIG_NAME:
        return find_config(config.parent)
    return config if config.is_file() else None


def _backend_from_bindings(wrangler_config: Path | None) -> tuple[str | None, str]:
    """Return the tag cache backend the config's bindings show, with a note saying so."""
    from .model.opennext import backend_from_bindings
    from .project import load_project

    if wrangler_config is None:
        return None, ""
    worker = load_project(wrangler_config, find_opennext=False).worker
    if worker is None:
        return None, ""
    backend, binding = backend_from_bindings(worker)
    if backend is None:
        return None, ""
    return backend, f"; the backend in use is inferred from the {binding} binding"


def _tag_cache(
    path: Path, wrangler_config: Path | None = None
) -> tuple[str | None, ShardingOptions, str]:
    """Return (backend in use, sharded options, where the options come from) for `path`.

    Without an open-next.config.ts at `path`, the backend in use is inferred from the
    bindings of `wrangler_config`, as the generated pages do.
    """
    from .facts import opennext as facts
    from .model.cost import BACKEND_D1, BACKEND_KV, BACKEND_SHARDED
    from .model.sharding import DEFAULT_SHARDING_OPTIONS, ShardingOptionError, sharding_options

    defaults = "OpenNext's defaults (doShardedTagCache() without options)"
    if not path.is_file():
        backend, note = _backend_from_bindings(wrangler_config)
        origin = f"{defaults}, because there is no {_display(path)}{note}"
        return backend, DEFAULT_SHARDING_OPTIONS, origin

    from .read.opennext_ts import read_opennext_config_file

    display = _display(path)
    config = read_opennext_config_file(path, display)
    errors = [diagnostic for diagnostic in config.diagnostics if diagnostic.is_error]
    if errors:
        raise _UsageError(
            f"{display} has {len(errors)} error{'s' if len(errors) != 1 else ''}, the first: "
            f"{errors[0].headline()}. Run `wrangler-docs check` for all of them."
        )
    slot = config.slots.get("tagCache")
    call = slot.override if slot is not None else None
    backends = {
        facts.TAG_CACHE_SHARDED: BACKEND_SHARDED,
        facts.TAG_CACHE_D1: BACKEND_D1,
        facts.TAG_CACHE_KV: BACKEND_KV,
    }
    backend = backends.get(call.module or "") if call is not None else None
    if backend != BACKEND_SHARDED or call is None:
        reason = "it does not use the sharded tag cache"
        return backend, DEFAULT_SHARDING_OPTIONS, f"{defaults}, because {display} {reason}"
    try:
        options = sharding_options(call.options, call.has_options)
    except ShardingOptionError as error:
        raise _UsageError(f"{display}: tagCache: {error}") from None
    return backend, options, f"from {display}"


def _table(rows: list[list[str]]) -> list[str]:
    """Align `rows` into columns separated by two spaces; the first row is the header."""
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows
    ]


def format_cost_report(report: CostReport, details: bool = False) -> str:
    """Return the terminal version of the page's cost table, with its assumptions."""
    from .model.cost import PLAN_FREE, PLAN_LABELS, PLANS

    lines = [
        (
            f"Tag cache cost per month, in US dollars beyond the {report.subscription} "
            "Workers Paid minimum per account"
        ),
        f"Prices read on {report.price_dates}; check the live Cloudflare pricing pages.",
        "",
        "Assumptions:",
    ]
    label_width = max(len(assumption.label) for assumption in report.assumptions)
    for assumption in report.assumptions:
        lines.append(f"  {assumption.label.ljust(label_width)}  {assumption.value}")
    lines.append("")

    header = ["Backend"] + [
        PLAN_LABELS[plan] + (" (assumed)" if plan == report.plan else "") for plan in PLANS
    ]
    rows = [header]
    for row in report.rows:
        label = row[0].label + (" *" if row[0].backend == report.backend_in_use else "")
        rows.append([label] + [estimate.summary for estimate in row])
    lines.extend(_table(rows))
    if report.backend_in_use is not None:
        lines.append("* the backend this config uses")
    else:
        lines.append("No backend is marked: no open-next.config.ts tag cache was recognized.")

    workers = report.worker_requests
    verdict = "over" if workers.over_free_limit else "within"
    lines.append(
        f"On {PLAN_LABELS[PLAN_FREE]}, the page requests alone ({workers.per_day_text} a day) "
        f"are {verdict} the limit of {workers.free_limit_text} Worker requests a day."
    )

    if details:
        for estimate in report.selected:
            lines.extend(["", f"{estimate.label} ({PLAN_LABELS[estimate.plan]}):"])
            for item in estimate.line_items:
                lines.append(f"  {item.label}: {item.derivation}")
                lines.append(f"    {item.arithmetic}")
            for note in estimate.notes:
                lines.append(f"  Note: {note}")
    return "\n".join(lines) + "\n"


def run_cost(args: argparse.Namespace) -> int:
    """Print the cost estimate for the parsed `cost` arguments; return the exit status."""
    from .model.cost import build_cost_report

    try:
        traffic = _traffic(args)
        backend, options, origin = _tag_cache(_opennext_path(args), _wrangler_config(args))
    except _UsageError as error:
        print(f"wrangler-docs: {error}", file=sys.stderr)
        return EXIT_USAGE
    report = build_cost_report(traffic, options, origin, backend)
    sys.stdout.write(format_cost_report(report, details=getattr(args, "details", False)))
    return EXIT_OK
