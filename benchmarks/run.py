"""Benchmarks of wrangler-docs, measured as whole processes on this machine.

Usage:
    python benchmarks/run.py [--quick] [--only NAME ...] [--rounds N] [--json PATH]
                             [--compare-venv PATH] [--instructions] [--source DIR] [--keep]

Run it with the Python of the environment wrangler-docs is installed in (for example
`.venv/bin/python benchmarks/run.py`). It measures four things:

build    `mkdocs build --strict` of the repository's site with the hooks, against the same
         pages pre-rendered as plain Markdown and built without the hooks (target: at most
         1.10 times the plain build).
check    `wrangler-docs check` against `check-jsonschema --force-filetype json5` with the same
         schema and config (target: at most 0.5 times check-jsonschema on a ~3 KB config).
scaling  `wrangler-docs check` on generated configs of about 3 KB, 300 KB and 3 MB (targets:
         about the same time per MB at 300 KB and 3 MB, and the 3 MB config in under 2 s).
serve    `mkdocs serve` with and without the hooks: the time from saving wrangler.jsonc (or the
         pre-rendered page) to the changed page being served (target: the hooks add less than
         150 ms).

Each benchmark runs a warm-up round, then interleaved rounds (the order of the variants
rotates each round) and reports medians of wall time, with the CPU time (user + system) of
the child processes beside them. Child processes write bytecode to a cache in the work folder
(PYTHONPYCACHEPREFIX), so runs after the warm-up are warm, as on a developer's machine, and
the source tree is left as it is. The warm-up also fills wrangler-docs' cache of compiled page
templates in the system temp directory. --instructions adds one run of the build and check
commands under valgrind, whose instruction counts do not depend on the machine's load. check-jsonschema and json5 are installed into their own
virtual environment (default: benchmarks/.venv), never into the project's.

The results are printed as a table and written as JSON (default: benchmarks/results.json).
--quick runs fewer rounds; its numbers are for a smoke check, not for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import platform
import random
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

BENCHMARKS_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS_DIR))

from generate_config import SIZES, generate_config
from plain_site import REPOSITORY, copy_site, make_plain_site

BENCHMARK_NAMES = ("build", "check", "scaling", "serve")
ROUNDS = {"build": 40, "check": 20, "scaling": 7, "serve": 20}
QUICK_ROUNDS = {"build": 3, "check": 5, "scaling": 3, "serve": 4}
COMPARE_PACKAGES = ("check-jsonschema", "json5")

TARGET_BUILD_RATIO = 1.10
TARGET_CHECK_RATIO = 0.5
TARGET_LARGE_SECONDS = 2.0
TARGET_PER_MB_SPREAD = 1.5
"""Largest accepted ratio between the per-MB times at 300 KB and 3 MB ("about the same")."""
TARGET_SERVE_ADDED_SECONDS = 0.150

SERVE_PAGE = "bindings/"
SERVE_COMMENT = "// Orders, carts and customer accounts."
SERVE_DESCRIPTION = "Orders, carts and customer accounts."
SERVE_TIMEOUT_SECONDS = 60.0
HTTP_POLL_SECONDS = 0.01


# -- measuring processes -----------------------------------------------------------------------


@dataclass
class Sample:
    wall: float
    """Seconds from start to exit."""
    cpu: float
    """User plus system CPU seconds of the process and its children."""


@dataclass
class Summary:
    name: str
    samples: list[Sample] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(sample.wall for sample in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(sample.cpu for sample in self.samples)

    def as_json(self) -> dict[str, Any]:
        walls = [sample.wall for sample in self.samples]
        return {
            "name": self.name,
            "runs": len(self.samples),
            "median_wall_s": round(self.wall, 4),
            "min_wall_s": round(min(walls), 4),
            "max_wall_s": round(max(walls), 4),
            "median_cpu_s": round(self.cpu, 4),
            "wall_s": [round(wall, 4) for wall in walls],
        }


@dataclass(frozen=True)
class Command:
    name: str
    argv: tuple[str, ...]
    cwd: Path
    expected_status: int = 0
    extra_env: tuple[tuple[str, str], ...] = ()
    """Variables set for this command only."""

    def environment(self, env: dict[str, str]) -> dict[str, str]:
        return {**env, **dict(self.extra_env)} if self.extra_env else env


def child_environment(work: Path) -> dict[str, str]:
    """Return the environment of every measured process."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PYTHONPATH", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["DISABLE_MKDOCS_2_WARNING"] = "true"
    return env


def run_once(command: Command, env: dict[str, str]) -> Sample:
    """Run `command` to the end and return its wall and CPU time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(
        command.argv,
        cwd=command.cwd,
        env=command.environment(env),
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != command.expected_status:
        raise RuntimeError(
            f"{command.name}: {' '.join(command.argv)} exited with {result.returncode}, "
            f"expected {command.expected_status}\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Sample(wall=wall, cpu=cpu)


def measure(commands: Sequence[Command], rounds: int, env: dict[str, str]) -> list[Summary]:
    """Run one warm-up round, then `rounds` interleaved rounds, rotating the order."""
    for command in commands:
        run_once(command, env)
    summaries = [Summary(command.name) for command in commands]
    for round_index in range(rounds):
        shift = round_index % len(commands)
        for position in range(len(commands)):
            index = (position + shift) % len(commands)
            summaries[index].samples.append(run_once(commands[index], env))
        print(f"  round {round_index + 1}/{rounds} done", file=sys.stderr)
    return summaries


# -- reporting ---------------------------------------------------------------------------------


def format_table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def summary_rows(summaries: Sequence[Summary]) -> list[list[str]]:
    rows = [["variant", "runs", "median wall s", "min wall s", "median CPU s"]]
    for summary in summaries:
        walls = [sample.wall for sample in summary.samples]
        rows.append(
            [
                summary.name,
                str(len(walls)),
                f"{summary.wall:.3f}",
                f"{min(walls):.3f}",
                f"{summary.cpu:.3f}",
            ]
        )
    return rows


def ratio_interval(
    first: Sequence[float], second: Sequence[float], level: float = 0.9, resamples: int = 2000
) -> tuple[float, float]:
    """Return a bootstrap interval for median(first) / median(second).

    Rounds are resampled as pairs, because both runs of a round share the machine's load at
    that moment. The seed is fixed, so the same samples always give the same interval.
    """
    rng = random.Random(0)
    pairs = list(zip(first, second))
    ratios = []
    for _ in range(resamples):
        drawn = rng.choices(pairs, k=len(pairs))
        ratios.append(
            statistics.median(a for a, _ in drawn) / statistics.median(b for _, b in drawn)
        )
    ratios.sort()
    tail = (1 - level) / 2
    return ratios[int(tail * resamples)], ratios[int((1 - tail) * resamples) - 1]


def target_line(label: str, value: float, limit: float, unit: str = "") -> dict[str, Any]:
    met = value <= limit
    print(f"  {label}: {value:.3f}{unit} (target <= {limit:g}{unit}): {'met' if met else 'MISSED'}")
    return {"label": label, "value": round(value, 4), "limit": limit, "met": met}


# -- the benchmarks ----------------------------------------------------------------------------


@dataclass
class Context:
    work: Path
    env: dict[str, str]
    rounds: dict[str, int]
    compare_venv: Path
    source: Path
    instructions: bool = False
    hooks_site: Path | None = None
    plain_site: Path | None = None

    def sites(self) -> tuple[Path, Path]:
        """Return the hooks site and its plain copy, made on first use."""
        if self.hooks_site is None or self.plain_site is None:
            self.hooks_site = copy_site(self.work / "hooks-site", self.source)
            print("making the plain copy of the site...", file=sys.stderr)
            self.plain_site = make_plain_site(
                self.hooks_site, self.work / "plain-site", self.work / "capture", self.env
            )
        return self.hooks_site, self.plain_site


def mkdocs_build(site: Path, name: str) -> Command:
    out = site.parent / f"{site.name}-out"
    argv = (sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(out))
    return Command(name, argv, site)


def count_instructions(command: Command, env: dict[str, str]) -> int | None:
    """Return the instructions `command` executes, counted by valgrind, or None without it.

    Unlike time, the count does not change with the load of the machine, so it shows the
    cost of a change when other processes make timings noisy.
    """
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    argv = [valgrind, "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    result = subprocess.run(
        [*argv, *command.argv],
        cwd=command.cwd,
        env=command.environment(env),
        capture_output=True,
        text=True,
        check=False,
    )
    match = re.search(r"I\s+refs:\s+([\d,]+)", result.stderr)
    if result.returncode != command.expected_status or match is None:
        print(f"  valgrind run of {command.name} failed", file=sys.stderr)
        return None
    return int(match.group(1).replace(",", ""))


def instruction_ratio(commands: Sequence[Command], env: dict[str, str]) -> dict[str, Any] | None:
    """Count the instructions of two commands and print their ratio."""
    print("  counting instructions with valgrind (about 20 times slower)...", file=sys.stderr)
    counts = [count_instructions(command, env) for command in commands]
    if None in counts:
        return None
    first, second = counts
    assert first is not None and second is not None
    ratio = first / second
    print(
        f"  instructions: {commands[0].name} {first / 1e6:,.0f} M, {commands[1].name} "
        f"{second / 1e6:,.0f} M, ratio {ratio:.3f}"
    )
    return {
        "tool": "valgrind --tool=cachegrind --cache-sim=no (I refs)",
        commands[0].name: first,
        commands[1].name: second,
        "ratio": round(ratio, 4),
    }


def benchmark_build(context: Context) -> dict[str, Any]:
    hooks_site, plain_site = context.sites()
    commands = [mkdocs_build(hooks_site, "with hooks"), mkdocs_build(plain_site, "plain Markdown")]
    summaries = measure(commands, context.rounds["build"], context.env)
    print(format_table(summary_rows(summaries)))
    ratio = summaries[0].wall / summaries[1].wall
    cpu_ratio = summaries[0].cpu / summaries[1].cpu
    print(f"  CPU ratio (hooks / plain): {cpu_ratio:.3f}")
    low, high = ratio_interval(
        [sample.wall for sample in summaries[0].samples],
        [sample.wall for sample in summaries[1].samples],
    )
    print(f"  wall ratio, 90% bootstrap interval over rounds: {low:.3f} to {high:.3f}")
    target = target_line("wall ratio (hooks / plain)", ratio, TARGET_BUILD_RATIO)
    results = {
        "command": "python -m mkdocs build --strict --quiet --site-dir DIR",
        "summaries": [summary.as_json() for summary in summaries],
        "wall_ratio": round(ratio, 4),
        "cpu_ratio": round(cpu_ratio, 4),
        "wall_ratio_interval_90": [round(low, 4), round(high, 4)],
        "added_wall_s": round(summaries[0].wall - summaries[1].wall, 4),
        "targets": [target],
    }
    if context.instructions:
        results["instructions"] = instruction_ratio(commands, context.env)
    return results


def wrangler_docs_extra_env(source: Path) -> tuple[tuple[str, str], ...]:
    """Return PYTHONPATH that imports the package from `source`, if it is not this checkout.

    A PYTHONPATH entry comes before the installed (or editable) copy of the package. MkDocs
    needs none, because it imports the hooks' package from the folder of the hooks file.
    """
    if source == REPOSITORY:
        return ()
    return (("PYTHONPATH", str(source / "hooks")),)


def wrangler_docs_command() -> tuple[str, ...]:
    script = Path(sys.executable).with_name("wrangler-docs")
    if script.is_file():
        return (str(script),)
    return (sys.executable, "-m", "wrangler_docs.cli")


def ensure_compare_venv(venv: Path) -> Path | None:
    """Return the check-jsonschema executable, installing it into `venv` if needed."""
    executable = venv / "bin" / "check-jsonschema"
    if executable.is_file():
        return executable
    print(f"installing {', '.join(COMPARE_PACKAGES)} into {venv}...", file=sys.stderr)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        subprocess.run([*pip, *COMPARE_PACKAGES], check=True, capture_output=True, text=True)
    except (OSError, subprocess.CalledProcessError) as error:
        output = getattr(error, "stderr", "") or ""
        print(f"  could not install check-jsonschema: {error}\n{output[-2000:]}", file=sys.stderr)
        return None
    return executable if executable.is_file() else None


def package_version(venv_python: Path, package: str) -> str:
    code = f"import importlib.metadata as m; print(m.version({package!r}))"
    result = subprocess.run(
        [str(venv_python), "-c", code], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() or "unknown"


def write_generated_configs(work: Path) -> dict[str, Path]:
    """Write one generated config per size, each alone in its own folder."""
    paths = {}
    for label, size in SIZES.items():
        folder = work / f"config-{label}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "wrangler.jsonc"
        path.write_text(generate_config(size), encoding="utf-8")
        paths[label] = path
    return paths


def benchmark_check(context: Context) -> dict[str, Any]:
    executable = ensure_compare_venv(context.compare_venv)
    if executable is None:
        return {"skipped": "check-jsonschema could not be installed"}
    hooks_site, _ = context.sites()
    configs = write_generated_configs(context.work)
    cases = {
        "generated 3 KB config (no open-next.config.ts beside it)": configs["3KB"],
        "repository wrangler.jsonc (open-next.config.ts beside it)": hooks_site / "wrangler.jsonc",
    }
    results: dict[str, Any] = {
        "versions": {
            package: package_version(context.compare_venv / "bin" / "python", package)
            for package in ("check-jsonschema", "json5", "jsonschema")
        },
        "cases": [],
        "targets": [],
    }
    for label, config in cases.items():
        print(f"{label}: {config.stat().st_size:,} bytes", file=sys.stderr)
        ours = Command(
            "wrangler-docs check",
            (*wrangler_docs_command(), "check", config.name),
            config.parent,
            extra_env=wrangler_docs_extra_env(context.source),
        )
        theirs = Command(
            "check-jsonschema",
            (
                str(executable),
                "--force-filetype",
                "json5",
                "--schemafile",
                str(context.source / "schemas" / "wrangler.schema.json"),
                config.name,
            ),
            config.parent,
        )
        summaries = measure([ours, theirs], context.rounds["check"], context.env)
        print(f"{label} ({config.stat().st_size:,} bytes)")
        print(format_table(summary_rows(summaries)))
        ratio = summaries[0].wall / summaries[1].wall
        print(f"  CPU ratio: {summaries[0].cpu / summaries[1].cpu:.3f}")
        target = target_line(
            "wall ratio (wrangler-docs / check-jsonschema)", ratio, TARGET_CHECK_RATIO
        )
        case = {
            "config": label,
            "bytes": config.stat().st_size,
            "summaries": [summary.as_json() for summary in summaries],
            "wall_ratio": round(ratio, 4),
            "cpu_ratio": round(summaries[0].cpu / summaries[1].cpu, 4),
        }
        if context.instructions:
            case["instructions"] = instruction_ratio([ours, theirs], context.env)
        results["cases"].append(case)
        results["targets"].append(target)
    return results


def benchmark_scaling(context: Context) -> dict[str, Any]:
    configs = write_generated_configs(context.work)
    commands = [
        Command(
            f"check {label}",
            (*wrangler_docs_command(), "check", path.name),
            path.parent,
            extra_env=wrangler_docs_extra_env(context.source),
        )
        for label, path in configs.items()
    ]
    summaries = measure(commands, context.rounds["scaling"], context.env)

    sizes = {label: path.stat().st_size for label, path in configs.items()}
    rows = [["config", "bytes", "median wall s", "median CPU s", "s per MB", "s per MB above 3 KB"]]
    cases = []
    small = summaries[0]
    for (label, size), summary in zip(sizes.items(), summaries):
        per_mb = summary.wall / (size / 1_000_000)
        # The time above the 3 KB run, per MB above it: the start-up cost taken out.
        marginal = None
        if summary is not small:
            marginal = (summary.wall - small.wall) / ((size - sizes["3KB"]) / 1_000_000)

        rows.append(
            [
                label,
                f"{size:,}",
                f"{summary.wall:.3f}",
                f"{summary.cpu:.3f}",
                f"{per_mb:.3f}",
                "" if marginal is None else f"{marginal:.3f}",
            ]
        )
        cases.append(
            {
                "config": label,
                "bytes": size,
                "summary": summary.as_json(),
                "s_per_mb": round(per_mb, 4),
                "s_per_mb_above_3kb": None if marginal is None else round(marginal, 4),
            }
        )
    print(format_table(rows))

    spread = cases[2]["s_per_mb_above_3kb"] / cases[1]["s_per_mb_above_3kb"]
    spread = max(spread, 1 / spread)
    targets = [
        target_line("3 MB config, median wall", summaries[2].wall, TARGET_LARGE_SECONDS, " s"),
        target_line(
            "per-MB time, 3 MB against 300 KB (larger / smaller)", spread, TARGET_PER_MB_SPREAD
        ),
    ]
    return {"command": "wrangler-docs check wrangler.jsonc", "cases": cases, "targets": targets}


# -- mkdocs serve ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServeProcess:
    """A `mkdocs serve` on 127.0.0.1 whose log lines are kept with the time they arrived."""

    def __init__(self, site: Path, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        argv = [
            sys.executable, "-m", "mkdocs", "serve", "--livereload",
            "--dev-addr", f"127.0.0.1:{self.port}",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            argv, cwd=site, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: list[tuple[float, str]] = []
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self.lock:
                self.lines.append((time.perf_counter(), line.rstrip("\n")))

    def line_times(self, start: float, end: float, text: str) -> list[float]:
        """Return when each log line containing `text` arrived between `start` and `end`."""
        with self.lock:
            return [stamp for stamp, line in self.lines if start <= stamp <= end and text in line]

    def fetch(self, page: str) -> str:
        with urllib.request.urlopen(self.url + page, timeout=SERVE_TIMEOUT_SECONDS) as response:
            return html.unescape(response.read().decode("utf-8"))

    def wait_for(self, page: str, predicate: Callable[[str], bool]) -> float:
        """Poll `page` until `predicate(body)` is true, and return the time it became true."""
        deadline = time.perf_counter() + SERVE_TIMEOUT_SECONDS
        while time.perf_counter() < deadline:
            try:
                if predicate(self.fetch(page)):
                    return time.perf_counter()
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if self.process.poll() is not None:
                break
            time.sleep(HTTP_POLL_SECONDS)
        with self.lock:
            log = "\n".join(line for _, line in self.lines[-40:])
        raise RuntimeError(f"{self.url}{page} did not show the change in time; log:\n{log}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclass
class Edit:
    """One saved change, and when the server noticed it, rebuilt the site and served it.

    The times are perf_counter() readings; the log lines are timed when they reach the pipe.
    """

    saved: float
    detected: float | None
    """The first "Detected file changes" line after the save."""
    build_started: float | None
    """The last "Building documentation..." line before the page was served."""
    built: float | None
    """The last "Reloading browsers" line before the page was served."""
    served: float
    builds: int
    """Builds between the save and the served page; more than 1 means a second change event."""

    @property
    def save_to_served(self) -> float:
        return self.served - self.saved

    @property
    def save_to_detected(self) -> float | None:
        return None if self.detected is None else self.detected - self.saved

    @property
    def detected_to_served(self) -> float | None:
        return None if self.detected is None else self.served - self.detected

    @property
    def build_duration(self) -> float | None:
        if self.build_started is None or self.built is None:
            return None
        return self.built - self.build_started

    def as_json(self) -> dict[str, Any]:
        def rounded(value: float | None) -> float | None:
            return None if value is None else round(value, 4)

        return {
            "save_to_served_s": rounded(self.save_to_served),
            "save_to_detected_s": rounded(self.save_to_detected),
            "detected_to_served_s": rounded(self.detected_to_served),
            "build_s": rounded(self.build_duration),
            "builds": self.builds,
        }


class ServedVariant:
    """One served site and the file whose edit changes its bindings page."""

    def __init__(self, name: str, site: Path, edited: Path, original: str, env: dict[str, str]):
        self.name = name
        self.edited = edited
        self.original = original
        self.base_text = edited.read_text(encoding="utf-8")
        if original not in self.base_text:
            raise RuntimeError(f"{edited} does not contain {original!r}")
        self.server = ServeProcess(site, env)
        self.edits: list[Edit] = []

    def save(self, marker: str) -> Edit:
        text = self.base_text.replace(self.original, f"{self.original} {marker}")
        saved = time.perf_counter()
        self.edited.write_text(text, encoding="utf-8")
        served = self.server.wait_for(SERVE_PAGE, lambda body: marker in body)
        # The reader thread may not have taken the last lines off the pipe yet.
        time.sleep(0.05)
        detected = self.server.line_times(saved, served, "Detected file changes")
        started = self.server.line_times(saved, served, "Building documentation")
        built = self.server.line_times(saved, served + 0.05, "Reloading browsers")
        return Edit(
            saved=saved,
            detected=detected[0] if detected else None,
            build_started=started[-1] if started else None,
            built=built[-1] if built else None,
            served=served,
            builds=len(started),
        )


def median_of(values: Sequence[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return statistics.median(present) if present else None


def benchmark_serve(context: Context) -> dict[str, Any]:
    hooks_site, plain_site = context.sites()
    variants = [
        ServedVariant(
            "with hooks", hooks_site, hooks_site / "wrangler.jsonc", SERVE_COMMENT, context.env
        ),
        ServedVariant(
            "plain Markdown",
            plain_site,
            plain_site / "docs" / "bindings.md",
            SERVE_DESCRIPTION,
            context.env,
        ),
    ]
    try:
        for variant in variants:
            variant.server.wait_for(SERVE_PAGE, lambda body: SERVE_DESCRIPTION in body)
        rounds = context.rounds["serve"]
        for round_index in range(rounds + 1):
            for offset in range(len(variants)):
                variant = variants[(round_index + offset) % len(variants)]
                marker = f"Revision {round_index} of {variant.name.split()[0]}"
                edit = variant.save(marker)
                if round_index > 0:  # Round 0 is the warm-up.
                    variant.edits.append(edit)
                # Let the watcher settle, so the next save starts a rebuild of its own.
                time.sleep(0.3)
            if round_index:
                print(f"  round {round_index}/{rounds} done", file=sys.stderr)
    finally:
        for variant in variants:
            variant.server.stop()
            variant.edited.write_text(variant.base_text, encoding="utf-8")

    rows = [
        [
            "variant",
            "edits",
            "save to served s",
            "save to detected s",
            "detected to served s",
            "build s",
            "edits with 2+ builds",
        ]
    ]
    results: dict[str, Any] = {"page": SERVE_PAGE, "variants": []}
    medians: dict[str, dict[str, float | None]] = {}
    for variant in variants:
        edits = variant.edits
        medians[variant.name] = {
            "save_to_served_s": median_of([edit.save_to_served for edit in edits]),
            "save_to_detected_s": median_of([edit.save_to_detected for edit in edits]),
            "detected_to_served_s": median_of([edit.detected_to_served for edit in edits]),
            "build_s": median_of([edit.build_duration for edit in edits]),
        }
        row = [variant.name, str(len(edits))]
        for value in medians[variant.name].values():
            row.append("n/a" if value is None else f"{value:.3f}")
        row.append(str(sum(1 for edit in edits if edit.builds > 1)))
        rows.append(row)
        results["variants"].append(
            {
                "name": variant.name,
                "edited": variant.edited.name,
                "medians": {
                    k: None if v is None else round(v, 4) for k, v in medians[variant.name].items()
                },
                "edits": [edit.as_json() for edit in variant.edits],
            }
        )
    print(format_table(rows))
    hooks, plain = medians["with hooks"], medians["plain Markdown"]
    added_total = hooks["save_to_served_s"] - plain["save_to_served_s"]  # type: ignore[operator]
    targets = [
        target_line(
            "added by the hooks, save to served", added_total, TARGET_SERVE_ADDED_SECONDS, " s"
        )
    ]
    for key, label in (
        ("detected_to_served_s", "added by the hooks, detected to served"),
        ("build_s", "added by the hooks, build alone"),
    ):
        if hooks[key] is not None and plain[key] is not None:
            added = hooks[key] - plain[key]  # type: ignore[operator]
            targets.append(target_line(label, added, TARGET_SERVE_ADDED_SECONDS, " s"))
    results["watcher"] = {
        "observer": "watchdog PollingObserver, 0.5 s interval (mkdocs 1.6 LiveReloadServer)",
        "debounce_s": 0.1,
        "note": (
            "save to served includes the polling wait (0 to 0.5 s) and the debounce; detected "
            "to served includes the debounce; build runs from 'Building documentation' to "
            "'Reloading browsers'"
        ),
    }
    results["targets"] = targets
    return results


# -- the machine -------------------------------------------------------------------------------


def machine_info() -> dict[str, Any]:
    cpu_model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        match = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        cpu_model = match.group(1).strip() if match else ""
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        match = re.search(r"^MemTotal:\s*(\d+) kB", meminfo.read_text(), re.MULTILINE)
        memory = f"{int(match.group(1)) / 1024 / 1024:.1f} GiB" if match else ""
    versions = {}
    for package in ("wrangler-docs", "mkdocs", "mkdocs-material", "jinja2", "jsonschema",
                    "tree-sitter", "tree-sitter-typescript", "pymdown-extensions", "watchdog"):  # fmt: skip
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return {
        "nproc": os.cpu_count(),
        "cpu_model": cpu_model,
        "memory": memory,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "packages": versions,
        "load_average": os.getloadavg(),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="run fewer rounds (a smoke check)")
    parser.add_argument(
        "--only", nargs="+", choices=BENCHMARK_NAMES, metavar="NAME",
        help=f"run only these benchmarks: {', '.join(BENCHMARK_NAMES)} (default: all)",
    )  # fmt: skip
    parser.add_argument(
        "--rounds", type=int, metavar="N", help="measured rounds of every benchmark"
    )
    parser.add_argument(
        "--json", type=Path, default=BENCHMARKS_DIR / "results.json", metavar="PATH",
        help="file the results are written to (default: benchmarks/results.json)",
    )  # fmt: skip
    parser.add_argument(
        "--compare-venv", type=Path, default=BENCHMARKS_DIR / ".venv", metavar="PATH",
        help="virtual environment with check-jsonschema (created if missing)",
    )  # fmt: skip
    parser.add_argument(
        "--instructions", action="store_true",
        help="also count the instructions of the build and check commands once with valgrind",
    )  # fmt: skip
    parser.add_argument(
        "--source", type=Path, default=REPOSITORY, metavar="DIR",
        help="wrangler-docs checkout to measure, e.g. an older commit unpacked with git archive "
        "(default: the one this script is in)",
    )  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)

    rounds = dict(QUICK_ROUNDS if args.quick else ROUNDS)
    if args.rounds is not None:
        if args.rounds < 1:
            parser.error("--rounds must be at least 1")
        rounds = dict.fromkeys(rounds, args.rounds)
    work = Path(tempfile.mkdtemp(prefix="wrangler-docs-bench-"))
    source = args.source.resolve()
    if not (source / "hooks" / "wrangler_docs").is_dir():
        parser.error(f"--source {source} is not a wrangler-docs checkout (no hooks/wrangler_docs)")
    context = Context(
        work,
        child_environment(work),
        rounds,
        args.compare_venv.resolve(),
        source,
        args.instructions,
    )
    results: dict[str, Any] = {
        "machine": machine_info(),
        "quick": args.quick,
        "rounds": rounds,
        "source": str(source),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    benchmarks = {
        "build": benchmark_build,
        "check": benchmark_check,
        "scaling": benchmark_scaling,
        "serve": benchmark_serve,
    }
    try:
        for name in args.only or BENCHMARK_NAMES:
            print(f"\n== {name}")
            results[name] = benchmarks[name](context)
    finally:
        if args.keep:
            print(f"work folder kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    results["load_average_after"] = os.getloadavg()
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nresults written to {args.json}")
    missed = [
        target["label"]
        for name in BENCHMARK_NAMES
        if isinstance(results.get(name), dict)
        for target in results[name].get("targets", [])
        if not target["met"]
    ]
    if missed:
        print("targets missed: " + "; ".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
