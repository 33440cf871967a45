"""Smoke tests of the benchmark inputs, so they stay valid as the checks change. Nothing is timed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import REPO
from wrangler_docs.project import load_project

sys.path.insert(0, str(REPO / "benchmarks"))

from generate_config import SIZES, generate_config, parse_size
from plain_site import strip_hooks
from run import ratio_interval


def test_generated_3kb_config_valid(tmp_path: Path) -> None:
    config = tmp_path / "wrangler.jsonc"
    config.write_text(generate_config(SIZES["3KB"]), encoding="utf-8")

    project = load_project(config, root=tmp_path)

    assert [diagnostic.headline() for diagnostic in project.diagnostics] == []
    assert project.worker is not None
    assert len(project.worker.environments) >= 1


@pytest.mark.parametrize("label", ["3KB", "300KB"])
def test_generated_config_size_near_target(label: str) -> None:
    size = len(generate_config(SIZES[label]).encode("utf-8"))

    assert abs(size - SIZES[label]) <= 2_500


def test_generated_config_deterministic() -> None:
    assert generate_config(10_000) == generate_config(10_000)


@pytest.mark.parametrize(("text", "size"), [("3KB", 3_000), ("3MB", 3_000_000), ("512", 512)])
def test_parse_size_case(text: str, size: int) -> None:
    assert parse_size(text) == size


def test_strip_hooks_keeps_other_settings() -> None:
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")

    stripped = strip_hooks(config)

    assert "hooks:" not in stripped
    assert "wrangler_docs" not in stripped
    assert "markdown_extensions:" in stripped
    assert "nav:" in stripped


def test_ratio_interval_brackets_the_ratio() -> None:
    hooks = [1.10, 1.12, 1.08, 1.30, 1.11]
    plain = [1.00, 1.01, 0.99, 1.20, 1.00]

    low, high = ratio_interval(hooks, plain)

    assert low <= 1.10 / 1.00 <= high
    assert ratio_interval(hooks, plain) == (low, high)


def test_ratio_interval_of_equal_runs_is_one() -> None:
    assert ratio_interval([2.0] * 4, [2.0] * 4) == (1.0, 1.0)
