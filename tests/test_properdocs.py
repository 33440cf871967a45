"""The site under ProperDocs, the MkDocs 1.x continuation, installed in a separate venv.

.ci/run (or tools/install-test-tools) creates .cache/properdocs-venv with properdocs and this
project. Keeping it apart means properdocs can never stand in for mkdocs in the test venv.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from browser_support import REPO, require
from conftest import copy_site, mkdocs_env, page_html, page_text
from wrangler_docs.render.pages import PAGES

PROPERDOCS_VENV = REPO / ".cache" / "properdocs-venv"
"""Where .ci/run installs ProperDocs. WRANGLER_DOCS_PROPERDOCS_VENV overrides it."""
PAGE_PATHS = ("", *(spec.path.removesuffix(".md") for spec in PAGES))


def properdocs_path() -> Path:
    venv = Path(os.environ.get("WRANGLER_DOCS_PROPERDOCS_VENV", PROPERDOCS_VENV))
    executable = venv / "bin" / "properdocs"
    require(
        executable.is_file(),
        f"{executable} is missing; run .ci/run or tools/install-test-tools to create it",
    )
    return executable


def properdocs_build(site: Path) -> subprocess.CompletedProcess[str]:
    """Run `properdocs build --strict` in `site`, reading its mkdocs.yml."""
    command = [
        str(properdocs_path()), "build", "--strict",
        "--config-file", "mkdocs.yml",
        "--site-dir", "site",
    ]  # fmt: skip
    return subprocess.run(
        command,
        cwd=site,
        env=mkdocs_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def properdocs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = copy_site(tmp_path_factory.mktemp("properdocs-site"))
    result = properdocs_build(site)
    assert result.returncode == 0, result.stderr
    return site


def test_properdocs_build_strict(properdocs_site: Path) -> None:
    generator = '<meta name="generator" content="mkdocs-ProperDocs'

    assert generator in page_html(properdocs_site, "")
    for path in PAGE_PATHS:
        assert (properdocs_site / "site" / path / "index.html").is_file(), path


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_properdocs_matches_mkdocs(properdocs_site: Path, default_site: Path, path: str) -> None:
    assert page_text(properdocs_site, path) == page_text(default_site, path)


def test_properdocs_fails_on_config_error(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    config = site / "wrangler.jsonc"
    text = config.read_text(encoding="utf-8")
    assert '"class_name": "DOShardedTagCache"' in text
    config.write_text(
        text.replace('"class_name": "DOShardedTagCache"', '"class_name": 42', 1), encoding="utf-8"
    )

    result = properdocs_build(site)

    assert result.returncode == 1
    assert "wrangler.jsonc:33:60" in result.stderr
    assert "WD102" in result.stderr
    assert "Traceback" not in result.stderr
