"""Shared fixtures: temporary copies of the site, real MkDocs builds, and page text."""

from __future__ import annotations

import html.parser
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

REPO = Path(__file__).resolve().parents[1]
SITE_FILES = (
    "mkdocs.yml",
    "docs",
    "hooks",
    "templates",
    "schemas",
    "wrangler.jsonc",
    "open-next.config.ts",
)


def copy_site(destination: Path) -> Path:
    """Copy the files a site build reads into `destination` and return it."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in SITE_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(
                source, destination / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        elif source.exists():
            shutil.copy2(source, destination / name)
    return destination


def mkdocs_env() -> dict[str, str]:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["DISABLE_MKDOCS_2_WARNING"] = "true"
    env.pop("PYTHONPATH", None)
    return env


def run_build(site: Path, *, strict: bool = True) -> subprocess.CompletedProcess[str]:
    """Run a real `mkdocs build` in `site` and return the finished process."""
    command = [sys.executable, "-m", "mkdocs", "build", "--site-dir", "site"]
    if strict:
        command.append("--strict")
    return subprocess.run(
        command, cwd=site, env=mkdocs_env(), capture_output=True, text=True, timeout=300
    )


class _TextExtractor(html.parser.HTMLParser):
    """Collect the visible text inside <article>, the page body in Material."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if self.depth > 0 and not self.skip:
            self.parts.append(data)


def page_html(site: Path, page: str) -> str:
    path = site / "site" / (f"{page}/index.html" if page else "index.html")
    return path.read_text(encoding="utf-8")


def page_text(site: Path, page: str) -> str:
    """Return the text of a built page's article, with entities decoded."""
    extractor = _TextExtractor()
    extractor.feed(page_html(site, page))
    return "".join(extractor.parts)


@pytest.fixture(scope="session", autouse=True)
def session_temp_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Point TMPDIR at a folder of this test session, for this process and every build.

    Each site copy has its own template paths, so every build would otherwise leave compiled
    templates in Jinja's cache folder in the system temp directory.
    """
    folder = tmp_path_factory.mktemp("tmpdir")
    saved = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(folder)
    tempfile.tempdir = None
    yield folder
    if saved is None:
        os.environ.pop("TMPDIR", None)
    else:
        os.environ["TMPDIR"] = saved
    tempfile.tempdir = None


@pytest.fixture(scope="session")
def default_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own site, built once with --strict."""
    site = copy_site(tmp_path_factory.mktemp("default-site"))
    result = run_build(site)
    assert result.returncode == 0, result.stderr
    return site


def examples(local: int, ci: int | None = None) -> int:
    """Return hypothesis's example count: `local` here, and `ci` (default 10x) when CI is set."""
    if os.environ.get("CI"):
        return ci if ci is not None else local * 10
    return local


# Property tests without their own example count run 100 examples here and 3,000 in CI.
settings.register_profile("ci", max_examples=3000, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")
