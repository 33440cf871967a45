"""The check against wrangler 4.164.0's own verdicts on the configs in tests/corpus/wrangler/.

verdicts.json contains the verdict wrangler's unstable_readConfig returned about each file, run without an
environment and then with each declared environment selected; the test itself needs no
Node.js. Two properties are checked: every config wrangler rejects gets at least one error,
and every config wrangler reads without a message gets no error, except the codes its
verdict lists under "stricter".
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from wrangler_docs.project import load_project

CORPUS = Path(__file__).resolve().parent / "corpus" / "wrangler"
VERDICTS = json.loads((CORPUS / "verdicts.json").read_text(encoding="utf-8"))
CONFIGS: dict[str, dict[str, object]] = VERDICTS["configs"]

REJECTED = sorted(name for name, verdict in CONFIGS.items() if not verdict["ok"])
SILENT = sorted(
    name
    for name, verdict in CONFIGS.items()
    if verdict["ok"] and not verdict["errors"] and not verdict["warnings"]
)
WARNED = sorted(name for name, verdict in CONFIGS.items() if verdict["ok"] and verdict["warnings"])


def error_codes(name: str) -> list[str]:
    project = load_project(CORPUS / name, root=CORPUS, find_opennext=False)
    return sorted({diagnostic.code for diagnostic in project.diagnostics if diagnostic.is_error})


def test_corpus_has_verdict_for_every_file() -> None:
    files = {path.name for path in CORPUS.iterdir() if path.name != "verdicts.json"}
    assert files == set(CONFIGS)


def test_corpus_records_wrangler_version() -> None:
    assert VERDICTS["wrangler"] == "4.164.0"


def test_corpus_size() -> None:
    assert len(CONFIGS) >= 40
    assert len(REJECTED) >= 30
    assert len(SILENT) >= 10


@pytest.mark.parametrize("name", REJECTED)
def test_rejected_config_gets_error(name: str) -> None:
    assert error_codes(name), CONFIGS[name]["errors"]


@pytest.mark.parametrize("name", SILENT)
def test_silently_accepted_config_gets_only_listed_errors(name: str) -> None:
    assert error_codes(name) == CONFIGS[name].get("stricter", [])


@pytest.mark.parametrize("name", WARNED)
def test_warned_config_gets_diagnostic(name: str) -> None:
    project = load_project(CORPUS / name, root=CORPUS, find_opennext=False)
    assert project.diagnostics, CONFIGS[name]["warnings"]
