"""`wrangler-docs shard`, run as the installed console script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO

SCRIPT = str(Path(sys.executable).parent / "wrangler-docs")


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SCRIPT, *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def test_shard_explicit_size(tmp_path: Path) -> None:
    result = run("shard", "tag1", "tag2", "_N_T_/tag1", "--base-shard-size", "4", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "base shard size: 4 (from --base-shard-size)"
    assert lines[1].split() == ["tag1", "hard", "shard-1", "tag-hard;shard-1;replica-1"]
    assert lines[2].split() == ["tag2", "hard", "shard-2", "tag-hard;shard-2;replica-1"]
    assert lines[3].split() == ["_N_T_/tag1", "soft", "shard-3", "tag-soft;shard-3;replica-1"]


def test_shard_reads_opennext_config() -> None:
    result = run("shard", "tag1", "--json")
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert output["base_shard_size"] == 12
    assert output["tags"][0]["shard"] == "shard-3"
    assert output["tags"][0]["durable_objects"] == [
        "tag-hard;shard-3;replica-1",
        "tag-hard;shard-3;replica-2",
    ]


def test_shard_default_without_config(tmp_path: Path) -> None:
    result = run("shard", "posts", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("base shard size: 4 (OpenNext's default")
    assert result.stdout.splitlines()[1].split()[2] == "shard-0"


def test_shard_non_ascii_tag(tmp_path: Path) -> None:
    result = run("shard", "--json", "--base-shard-size", "12", "catégorie", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["tags"][0]["shard"] == "shard-4"


def test_shard_rejects_zero_size(tmp_path: Path) -> None:
    result = run("shard", "tag1", "--base-shard-size", "0", cwd=tmp_path)
    assert result.returncode == 2
    assert "--base-shard-size must be a positive integer" in result.stderr


def test_shard_requires_a_tag(tmp_path: Path) -> None:
    result = run("shard", cwd=tmp_path)
    assert result.returncode == 2
