"""The built site in headless Chromium: diagrams, search, tabs, the serve banner, escaping.

Needs Debian's `chromium` and the `mermaid` npm package unpacked under .cache/mermaid (both
installed by .ci/run). Without them these tests skip locally and fail under CI=true.
Set WRANGLER_DOCS_SCREENSHOTS=DIR to also write screenshots to DIR.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import pytest
from browser_support import (
    REPO,
    SCREENSHOT_VIEWPORT,
    VIEWPORT,
    launch_chromium,
    mkdocs_serve,
    offline_session,
    rendered_diagrams,
    require,
    save_screenshot,
    serve_directory,
)
from conftest import copy_site, mkdocs_env, run_build
from wrangler_docs.project import load_project
from wrangler_docs.render.pages import PAGES

if TYPE_CHECKING:
    from playwright.sync_api import Browser

GENERATED_PAGES = tuple(spec.path.removesuffix(".md") + "/" for spec in PAGES)
BANNER = "The wrangler config has"
SEARCH_TERM = "NEXT_TAG_CACHE_DO_SHARDED"
HTML_VAR = "<img src=x onerror=window.__pwned=1>"
HTML_COMMENT = "<script>window.__pwned=2</script>"
EXPECTED_EXTERNAL_HOSTS: set[str] = set()
"""Hosts pages may request besides unpkg (Mermaid): none, because mkdocs.yml sets
`theme.font: false` and the icons are inline SVG."""
EXTERNAL_HOST_CASES = ["", *GENERATED_PAGES]

@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "playwright is not installed; pip install -e '.[test]'")
        raise
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def site_url(default_site: Path) -> Iterator[str]:
    with serve_directory(default_site / "site") as url:
        yield url


def diagram_nodes(site: Path) -> list[int]:
    """Return the node count of each environment's binding diagram, from the config.

    templates/_macros.md.j2 draws a visitor node, a Worker node, one node per binding and
    one per variable. The variables' subgraph is drawn as a cluster, not a node.
    """
    project = load_project(site / "wrangler.jsonc", root=site)
    assert project.worker is not None
    return [2 + len(env.bindings) + len(env.vars) for env in project.worker.all_environments]


def test_architecture_diagram_nodes(browser: Browser, site_url: str, default_site: Path) -> None:
    expected = diagram_nodes(default_site)
    with offline_session(browser, site_url, viewport=SCREENSHOT_VIEWPORT) as session:
        page = session.open(site_url + "architecture/")
        diagrams = rendered_diagrams(page, len(expected))
        save_screenshot(page, "architecture")
        problems = session.log.problems()

    top = diagrams[0]
    assert top["svg"]
    assert top["visible"]
    assert top["nodes"] == expected[0]
    assert [diagram["nodes"] for diagram in diagrams[: len(expected)]] == expected
    assert problems == []


def test_search_finds_binding(browser: Browser, site_url: str) -> None:
    with offline_session(browser, site_url) as session:
        page = session.open(site_url)
        search = page.locator("input.md-search__input")
        search.click()
        search.press_sequentially(SEARCH_TERM)
        results = page.locator(".md-search-result__item a")
        # The index loads in a web worker and results can arrive in batches, so the test waits
        # for the expected link itself. A busy 2-core machine can take several seconds.
        page.locator('.md-search-result__item a[href*="bindings/"]').first.wait_for(
            timeout=30_000
        )
        # Read every link in one call: Material re-renders the list as results arrive, so a
        # locator taken from an earlier list can point at a link that is gone.
        hrefs = results.evaluate_all("links => links.map(link => link.getAttribute('href'))")
        paths = [urlparse(href or "").path for href in hrefs]
        save_screenshot(page, "search")
        problems = session.log.problems()

    assert "/bindings/" in paths
    assert problems == []


@pytest.mark.parametrize("path", GENERATED_PAGES)
def test_generated_page_loads_cleanly(
    browser: Browser, site_url: str, default_site: Path, path: str
) -> None:
    html = (default_site / "site" / path / "index.html").read_text(encoding="utf-8")
    diagram_count = html.count('<pre class="mermaid">')
    with offline_session(browser, site_url) as session:
        page = session.open(site_url + path)
        diagrams = rendered_diagrams(page, diagram_count) if diagram_count else []
        unrendered = page.locator("pre.mermaid").count()
        heading = page.locator("article h1").first.inner_text()
        log = session.log

    assert all(diagram["svg"] for diagram in diagrams)
    assert unrendered == 0
    assert heading
    assert log.console_errors == []
    assert log.page_errors == []
    assert log.failed_local == []


@pytest.mark.parametrize("path", EXTERNAL_HOST_CASES)
def test_generated_page_external_hosts(browser: Browser, site_url: str, path: str) -> None:
    with offline_session(browser, site_url) as session:
        session.open(site_url + path)
        hosts = {urlparse(url).hostname for url in session.log.aborted_external}

    assert hosts <= EXPECTED_EXTERNAL_HOSTS


def test_environment_tab_switch(browser: Browser, site_url: str, default_site: Path) -> None:
    project = load_project(default_site / "wrangler.jsonc", root=default_site)
    assert project.worker is not None
    production = project.worker.environment("production")
    assert production is not None
    bucket = production.bindings_of("r2_bucket")[0].target

    with offline_session(browser, site_url) as session:
        page = session.open(site_url + "bindings/")
        cell = page.get_by_text(bucket, exact=True).first
        visible_before = cell.is_visible()
        page.locator(".tabbed-labels label", has_text="env.production").first.click()
        cell.wait_for(state="visible", timeout=5_000)
        visible_after = cell.is_visible()
        save_screenshot(page, "bindings-production")
        problems = session.log.problems()

    assert not visible_before
    assert visible_after
    assert problems == []


def test_serve_banner_in_viewport(browser: Browser, tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    config = site / "wrangler.jsonc"
    text = config.read_text(encoding="utf-8")
    assert '"class_name": "DOShardedTagCache"' in text
    config.write_text(
        text.replace('"class_name": "DOShardedTagCache"', '"class_name": 42', 1), encoding="utf-8"
    )

    boxes: dict[str, tuple[Any, Any]] = {}
    with (
        mkdocs_serve(site, mkdocs_env(), BANNER) as url,
        offline_session(browser, url, viewport=VIEWPORT) as session,
    ):
        for path in ("", "architecture/"):
            page = session.open(url + path)
            banner = page.locator(".admonition", has_text=BANNER).first
            banner.wait_for(state="visible", timeout=10_000)
            heading = page.locator("article h1").first
            boxes[path] = (banner.bounding_box(), heading.bounding_box())
            save_screenshot(page, f"serve-banner-{path.strip('/') or 'index'}")
        problems = session.log.problems()

    for path, (box, heading_box) in boxes.items():
        assert box is not None, path
        assert heading_box is not None, path
        assert box["x"] >= 0, path
        assert box["y"] >= 0, path
        assert box["x"] + box["width"] <= VIEWPORT["width"], path
        assert box["y"] + box["height"] <= VIEWPORT["height"], path
        assert box["y"] < heading_box["y"], path
    assert problems == []


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default site with var values shown, a var holding HTML in every environment, and
    a binding description holding a script element."""
    site = copy_site(tmp_path_factory.mktemp("hostile-site"))
    comment = "    // Incremental cache: rendered pages and fetch results, keyed by build.\n"
    edits = (
        ("mkdocs.yml", "  wrangler_docs:\n", "  wrangler_docs:\n    show_var_values: true\n"),
        ("wrangler.jsonc", '"vars": {\n', f'"vars": {{\n    "GREETING": "{HTML_VAR}",\n'),
        ("wrangler.jsonc", comment, f"    // {HTML_COMMENT}\n"),
    )
    for name, old, new in edits:
        path = site / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{name} no longer contains {old!r}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    result = run_build(site)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def hostile_url(hostile_site: Path) -> Iterator[str]:
    with serve_directory(hostile_site / "site") as url:
        yield url


def test_config_html_shown_as_text(browser: Browser, hostile_url: str) -> None:
    with offline_session(browser, hostile_url) as session:
        page = session.open(hostile_url + "bindings/")
        article = page.locator("article").inner_text()
        pwned = page.evaluate("() => typeof window.__pwned")
        images = page.locator('article img[src="x"]').count()
        save_screenshot(page, "escaped-config-html")
        problems = session.log.problems()

    assert HTML_VAR in article
    assert HTML_COMMENT in article
    assert pwned == "undefined"
    assert images == 0
    assert problems == []


@pytest.mark.parametrize("path", ("", *GENERATED_PAGES))
def test_config_html_never_runs(browser: Browser, hostile_url: str, path: str) -> None:
    with offline_session(browser, hostile_url) as session:
        page = session.open(hostile_url + path)
        pwned = page.evaluate("() => typeof window.__pwned")
        problems = session.log.problems()

    assert pwned == "undefined"
    assert problems == []


def test_committed_screenshot_png() -> None:
    data = (REPO / "docs" / "images" / "architecture.png").read_bytes()
    width, height = struct.unpack(">II", data[16:24])

    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert (width, height) == (SCREENSHOT_VIEWPORT["width"], SCREENSHOT_VIEWPORT["height"])
    assert len(data) < 1_000_000
