"""How the queue limits are read from vars, as DOQueueHandler reads them with parseInt."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from wrangler_docs.model.javascript import js_parse_int, js_truthy
from wrangler_docs.model.opennext import queue_settings
from wrangler_docs.model.worker import Environment
from wrangler_docs.project import load_project

MAX = "NEXT_CACHE_DO_QUEUE_MAX_REVALIDATION"


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("8", 8),
        ("  12px", 12),
        ("-3", -3),
        ("0x10", 16),
        ("abc", None),
        ("", None),
        (8.5, 8),
        (1e21, 1),
        (True, None),
        ([7, 2], 7),
        ({"a": 1}, None),
    ],
)
def test_js_parse_int(value: Any, number: int | None) -> None:
    assert js_parse_int(value) == number


@pytest.mark.parametrize(
    ("value", "truthy"),
    [("", False), (0, False), (0.0, False), (False, False), (None, False), ("0", True), ([], True)],
)
def test_js_truthy(value: Any, truthy: bool) -> None:
    assert js_truthy(value) is truthy


def top_level(tmp_path: Path, value: Any) -> Environment:
    config = tmp_path / "wrangler.jsonc"
    config.write_text(json.dumps({"name": "shop", "vars": {MAX: value}}), encoding="utf-8")
    worker = load_project(config, find_opennext=False).worker
    assert worker is not None
    return worker.top


@pytest.mark.parametrize(
    ("value", "limit", "total"),
    [("8", 8, 80), (0, 5, 50), ("", 5, 50), (8.5, 8, 80), ("abc", None, None), ("0", 0, 0)],
)
def test_max_revalidations_from_var(
    tmp_path: Path, value: Any, limit: int | None, total: int | None
) -> None:
    settings = queue_settings(top_level(tmp_path, value))
    assert settings.max_revalidations == limit
    assert settings.concurrent_revalidations == total
