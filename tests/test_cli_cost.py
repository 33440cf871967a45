"""`wrangler-docs cost`, run as the installed console script and in-process."""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO
from wrangler_docs.cost_cli import add_cost_parser, run_cost

SCRIPT = str(Path(sys.executable).parent / "wrangler-docs")
WORKED_EXAMPLE = ("--requests", "10000000", "--tags-per-request", "3", "--revalidations", "10000")


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SCRIPT, *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )


def run_in_process(
    args: list[str], capsys: pytest.CaptureFixture[str], cwd: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    """Parse `args` with a parser holding only the cost command, run it, return the output."""
    parser = argparse.ArgumentParser(prog="wrangler-docs")
    add_cost_parser(parser.add_subparsers(dest="command", required=True))
    monkeypatch.chdir(cwd)
    try:
        status = run_cost(parser.parse_args(["cost", *args]))
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def table_row(output: str, backend: str) -> list[str]:
    """Return the cells of a backend's row, split on runs of two or more spaces."""
    for line in output.splitlines():
        if line.startswith(backend):
            return re.split(r" {2,}", line.strip())
    raise AssertionError(f"no row for {backend} in:\n{output}")


def opennext_folder(tmp_path: Path, options: str) -> Path:
    """Write a wrangler.jsonc and an open-next.config.ts using the sharded tag cache."""
    folder = tmp_path / "app"
    folder.mkdir()
    shutil.copy2(REPO / "wrangler.jsonc", folder / "wrangler.jsonc")
    (folder / "open-next.config.ts").write_text(
        'import { defineCloudflareConfig } from "@opennextjs/cloudflare";\n'
        "import doShardedTagCache from "
        '"@opennextjs/cloudflare/overrides/tag-cache/do-sharded-tag-cache";\n'
        f"export default defineCloudflareConfig({{ tagCache: doShardedTagCache({options}) }});\n",
        encoding="utf-8",
    )
    return folder


# --- The installed console script ------------------------------------------------------------


def test_script_worked_example(tmp_path: Path) -> None:
    result = run("cost", *WORKED_EXAMPLE, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert table_row(result.stdout, "Sharded Durable Objects")[1].strip() == "$3.32"
    assert table_row(result.stdout, "D1")[1].strip() == "$0.00"
    assert table_row(result.stdout, "KV (experimental)")[1].strip() == "$10.00"


def test_script_reads_opennext_config() -> None:
    result = run("cost")
    assert result.returncode == 0, result.stderr
    assert "12 shards per tag kind, replicas: 4 soft, 2 hard" in result.stdout
    assert table_row(result.stdout, "Sharded Durable Objects *")[0].strip().endswith("*")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--plan", "gold"), "argument --plan: invalid choice: 'gold'"),
        (("--tags-per-request", "0"), "expected a whole number of at least 1, got '0'"),
        (("--requests", "lots"), "argument --requests: expected a whole number, got 'lots'"),
        (("missing/wrangler.jsonc",), "wrangler-docs: missing/wrangler.jsonc not found."),
    ],
)
def test_script_bad_arguments(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    result = run("cost", *args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert message in result.stderr


# --- In-process ---------------------------------------------------------------------------------


def test_cost_worked_example(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    status, out, err = run_in_process(list(WORKED_EXAMPLE), capsys, tmp_path, monkeypatch)
    assert status == 0, err
    assert table_row(out, "Sharded Durable Objects")[1:] == [
        "$3.32",
        "$3.72",
        "fails: over the daily limit of Durable Object requests",
    ]
    assert table_row(out, "KV (experimental)")[1:] == [
        "$10.00",
        "$15.05",
        "fails: over the daily limit of KV keys read",
    ]


def test_cost_defaults_without_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    status, out, _ = run_in_process([], capsys, tmp_path, monkeypatch)
    assert status == 0
    assert "4 shards per tag kind, replicas: 1 soft, 1 hard" in out
    assert "because there is no open-next.config.ts" in out
    assert "No backend is marked" in out


D1_ONLY_CONFIG = """{
  "name": "shop",
  "main": ".open-next/worker.js",
  "compatibility_date": "2025-04-01",
  "compatibility_flags": ["nodejs_compat"],
  "d1_databases": [
    { "binding": "NEXT_TAG_CACHE_D1", "database_id": "tags-id", "database_name": "tags" }
  ]
}
"""


def test_script_infers_backend_from_binding(tmp_path: Path) -> None:
    (tmp_path / "wrangler.jsonc").write_text(D1_ONLY_CONFIG, encoding="utf-8")
    result = run("cost", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert table_row(result.stdout, "D1")[0] == "D1 *"
    assert table_row(result.stdout, "Sharded")[0] == "Sharded Durable Objects"
    assert "inferred from the NEXT_TAG_CACHE_D1 binding" in result.stdout


def test_cost_infers_backend_for_named_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "wrangler.jsonc").write_text(D1_ONLY_CONFIG, encoding="utf-8")
    status, out, _ = run_in_process(["app/wrangler.jsonc"], capsys, tmp_path, monkeypatch)
    assert status == 0
    assert table_row(out, "D1")[0] == "D1 *"


def test_cost_prints_price_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, out, _ = run_in_process([], capsys, tmp_path, monkeypatch)
    assert "Prices read on 2026-12-04" in out


def test_cost_config_argument(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = opennext_folder(tmp_path, "{ baseShardSize: 8 }")
    status, out, err = run_in_process(
        [str(folder / "wrangler.jsonc")], capsys, tmp_path, monkeypatch
    )
    assert status == 0, err
    assert "8 shards per tag kind" in out
    assert "from app/open-next.config.ts" in out


def test_cost_shard_count_changes_cost(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = opennext_folder(tmp_path, "{ baseShardSize: 1 }")
    _, out, _ = run_in_process([str(folder / "wrangler.jsonc")], capsys, tmp_path, monkeypatch)
    # One shard and one replica: every page request is one call, 10,010,000 calls in all.
    assert table_row(out, "Sharded Durable Objects *")[1] == "$1.35"


def test_cost_details(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, out, _ = run_in_process(["--details"], capsys, tmp_path, monkeypatch)
    assert "    (23,135,000 - 1,000,000 included) × $0.15 per 1,000,000 requests = $3.32" in out


def test_cost_plan_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, out, _ = run_in_process(["--plan", "free"], capsys, tmp_path, monkeypatch)
    header = next(line for line in out.splitlines() if line.startswith("Backend"))
    assert header.endswith("Workers Free (assumed)")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--plan", "gold"], "invalid choice: 'gold'"),
        (["--soft-tag-share", "2"], "expected a number from 0 to 1, got '2'"),
        (["--do-call-ms", "-1"], "expected milliseconds of at least 0, got '-1'"),
        (["--tags-per-request", "1.5"], "expected a whole number of at least 1, got '1.5'"),
        (["nothere.jsonc"], "wrangler-docs: nothere.jsonc not found."),
        (["--opennext-config", "nothere.ts"], "wrangler-docs: nothere.ts not found."),
    ],
)
def test_cost_bad_arguments(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    message: str,
) -> None:
    status, out, err = run_in_process(args, capsys, tmp_path, monkeypatch)
    assert status == 2
    assert out == ""
    assert message in err


def test_cost_folder_argument(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    status, _, err = run_in_process([str(tmp_path)], capsys, tmp_path, monkeypatch)
    assert status == 2
    assert "is a folder; pass a config file." in err


def test_cost_invalid_shard_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = opennext_folder(tmp_path, "{ baseShardSize: 0 }")
    status, out, err = run_in_process(
        [str(folder / "open-next.config.ts")], capsys, tmp_path, monkeypatch
    )
    assert status == 2
    assert out == ""
    assert err == (
        "wrangler-docs: app/open-next.config.ts: tagCache: baseShardSize must be an integer of "
        "at least 1, got 0\n"
    )


def test_cost_unparsable_opennext_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "open-next.config.ts").write_text("export default {\n", encoding="utf-8")
    status, out, err = run_in_process([], capsys, tmp_path, monkeypatch)
    assert status == 2
    assert out == ""
    assert err.startswith("wrangler-docs: open-next.config.ts has 1 error")
