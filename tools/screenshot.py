"""Build the site and save a screenshot of one page, with its Mermaid diagrams drawn.

Refreshes the committed docs/images/architecture.png:

    python tools/screenshot.py

Uses the same offline browser setup as tests/test_browser.py: Debian's chromium and the
`mermaid` npm package unpacked under .cache/mermaid (see tools/install-test-tools).
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

import browser_support

log = logging.getLogger("screenshot")

HEADER_HEIGHT = 48
"""Height in CSS pixels of Material's sticky header, which stays on top when scrolled."""


def build_site(destination: Path) -> None:
    """Run `mkdocs build --strict` on the repository's site into `destination`."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    command = [
        sys.executable, "-m", "mkdocs", "build", "--strict",
        "--config-file", str(REPO / "mkdocs.yml"),
        "--site-dir", str(destination),
    ]  # fmt: skip
    subprocess.run(command, cwd=REPO, env=env, check=True)


def take_screenshot(site: Path, page_path: str, heading: str, output: Path) -> None:
    """Open `page_path` of the built `site`, scroll `heading` to the top, save a PNG."""
    from playwright.sync_api import sync_playwright

    with browser_support.serve_directory(site) as url, sync_playwright() as playwright:
        browser = browser_support.launch_chromium(playwright)
        try:
            with browser_support.offline_session(
                browser, url, viewport=browser_support.SCREENSHOT_VIEWPORT
            ) as session:
                page = session.open(url + page_path)
                diagram_count = page.locator("pre.mermaid, div.mermaid").count()
                if diagram_count:
                    browser_support.rendered_diagrams(page, diagram_count)
                if heading:
                    page.evaluate(
                        "([id, offset]) => window.scrollTo(0,"
                        " document.getElementById(id).getBoundingClientRect().top"
                        " + window.scrollY - offset)",
                        [heading, HEADER_HEIGHT + 8],
                    )
                problems = session.log.problems()
                if problems:
                    raise RuntimeError("The page loaded with problems:\n" + "\n".join(problems))
                output.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(output), animations="disabled")
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--output",
        type=Path,
        default=REPO / "docs" / "images" / "architecture.png",
        help="PNG file to write (default: docs/images/architecture.png)",
    )
    parser.add_argument("--page", default="architecture/", help="page path under the site root")
    parser.add_argument(
        "--heading",
        default="bindings",
        help="id of the heading to scroll to the top (empty: keep the top of the page)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    if shutil.which("chromium") is None:
        log.error("chromium is not installed; run `apt-get install chromium`.")
        return 1
    package = browser_support.mermaid_package()
    if not (package / "dist" / "mermaid.min.js").is_file():
        log.error("mermaid@11 is missing from %s; run tools/install-test-tools.", package)
        return 1

    with tempfile.TemporaryDirectory(prefix="wrangler-docs-shot-") as scratch:
        site = Path(scratch) / "site"
        build_site(site)
        take_screenshot(site, args.page, args.heading, args.output)
    log.info("Wrote %s", args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
