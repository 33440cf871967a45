"""Headless Chromium for the browser tests: prerequisites, a static server, offline routing.

Material for MkDocs 9.8 loads Mermaid from unpkg at run time and draws each diagram into a
closed shadow root. Pages are opened with every request outside 127.0.0.1 aborted, except the
Mermaid script, which is served from a local copy of the npm package.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import (
        Browser,
        BrowserContext,
        ConsoleMessage,
        Page,
        Request,
        Response,
        Route,
    )

REPO = Path(__file__).resolve().parents[1]

MERMAID_URL = "https://unpkg.com/mermaid@11/dist/mermaid.min.js"
"""The script Material for MkDocs 9.8.2 loads when a page has a diagram and no `window.mermaid`."""
MERMAID_MAJOR = 11
MERMAID_PACKAGE = REPO / ".cache" / "mermaid" / "package"
"""Where .ci/run unpacks the `mermaid` npm package. WRANGLER_DOCS_MERMAID_PACKAGE overrides it."""

VIEWPORT = {"width": 1280, "height": 800}
SCREENSHOT_VIEWPORT = {"width": 1280, "height": 900}

CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--no-first-run",
    "--mute-audio",
    # A second fence behind request routing: no host name except 127.0.0.1 resolves.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
)

FORCE_OPEN_SHADOW_ROOTS = (
    "const attach = Element.prototype.attachShadow;"
    "Element.prototype.attachShadow = function (init) {"
    "  return attach.call(this, { ...init, mode: 'open' });"
    "};"
)
"""Init script that turns Material's closed shadow roots into open ones, so tests can see the SVG."""

DIAGRAMS_SCRIPT = """() => [...document.querySelectorAll('div.mermaid')].map((host) => {
    const svg = host.shadowRoot && host.shadowRoot.querySelector('svg');
    return {
        svg: Boolean(svg),
        nodes: svg ? svg.querySelectorAll('g.node').length : 0,
        visible: host.checkVisibility(),
    };
})"""
"""Returns one {svg, nodes, visible} record per diagram Material has rendered on the page."""


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def require(condition: bool, reason: str) -> None:
    """Skip the test when `condition` is false, or fail it under CI, where nothing may skip."""
    if condition:
        return
    if in_ci():
        pytest.fail(f"{reason} (CI=true, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str:
    """Return the path of Debian's chromium, which Playwright drives instead of its own build."""
    path = shutil.which("chromium")
    require(path is not None, "chromium is not installed; run `apt-get install chromium`")
    assert path is not None
    return path


def mermaid_package() -> Path:
    return Path(os.environ.get("WRANGLER_DOCS_MERMAID_PACKAGE", MERMAID_PACKAGE))


@functools.cache
def mermaid_script() -> bytes:
    """Return dist/mermaid.min.js from the local copy of the `mermaid` npm package."""
    package = mermaid_package()
    script = package / "dist" / "mermaid.min.js"
    require(
        script.is_file(),
        f"{script} is missing; run .ci/run or `tools/install-test-tools` to unpack mermaid@11",
    )
    version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    assert version.split(".")[0] == str(MERMAID_MAJOR), (
        f"{package} contains mermaid {version}, but Material loads mermaid@{MERMAID_MAJOR}"
    )
    return script.read_bytes()


def screenshot_dir() -> Path | None:
    """Return the folder named by WRANGLER_DOCS_SCREENSHOTS, created, or None when unset."""
    value = os.environ.get("WRANGLER_DOCS_SCREENSHOTS")
    if not value:
        return None
    folder = Path(value)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save_screenshot(page: Page, name: str) -> None:
    """Write a screenshot of the viewport to the screenshot folder, when one is set."""
    folder = screenshot_dir()
    if folder is not None:
        page.screenshot(path=str(folder / f"{name}.png"))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """Serve `directory` over HTTP on 127.0.0.1 from a thread, and yield the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="static-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def launch_chromium(playwright: Any) -> Browser:
    return playwright.chromium.launch(
        executable_path=chromium_path(), headless=True, args=list(CHROMIUM_ARGS)
    )


@dataclass
class PageLog:
    """What went wrong while pages of one browser context loaded."""

    base: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_local: list[str] = field(default_factory=list)
    """Requests to the test server that failed or returned an HTTP error status."""
    aborted_external: list[str] = field(default_factory=list)
    """Requests outside 127.0.0.1 that the route handler aborted."""
    closed: bool = False
    """Set before the context closes, so requests cancelled by closing are not recorded."""

    def on_console(self, message: ConsoleMessage) -> None:
        if self.closed or message.type != "error":
            return
        # Chromium logs "Failed to load resource" for each aborted request. Those requests
        # are recorded in aborted_external instead.
        if message.location.get("url") in self.aborted_external:
            return
        self.console_errors.append(f"{message.text} ({message.location.get('url')})")

    def on_page_error(self, error: Exception) -> None:
        if not self.closed:
            self.page_errors.append(str(error))

    def on_request_failed(self, request: Request) -> None:
        if not self.closed and request.url.startswith(self.base):
            self.failed_local.append(f"{request.url}: {request.failure}")

    def on_response(self, response: Response) -> None:
        if not self.closed and response.url.startswith(self.base) and response.status >= 400:
            self.failed_local.append(f"{response.url}: HTTP {response.status}")

    def problems(self) -> list[str]:
        return [
            *(f"console error: {text}" for text in self.console_errors),
            *(f"page error: {text}" for text in self.page_errors),
            *(f"failed request: {text}" for text in self.failed_local),
        ]


@dataclass
class OfflineSession:
    """A browser context that reaches only the test server, and the log of its pages."""

    context: BrowserContext
    log: PageLog

    def open(self, url: str) -> Page:
        """Open `url` in a new tab and wait until the network is idle."""
        page = self.context.new_page()
        page.on("console", self.log.on_console)
        page.on("pageerror", self.log.on_page_error)
        page.on("requestfailed", self.log.on_request_failed)
        page.on("response", self.log.on_response)
        page.goto(url, wait_until="networkidle")
        return page


@contextmanager
def offline_session(
    browser: Browser, base: str, *, viewport: dict[str, int] | None = None
) -> Iterator[OfflineSession]:
    """Open a browser context that reaches only `base`, with Mermaid served from disk.

    Every other request is aborted and recorded in the log's `aborted_external`.
    """
    script = mermaid_script()
    log = PageLog(base=base)
    context = browser.new_context(viewport=viewport or VIEWPORT)

    def route(route: Route) -> None:
        url = route.request.url
        if url == MERMAID_URL:
            route.fulfill(status=200, body=script, content_type="text/javascript")
        elif url.startswith(base):
            route.continue_()
        else:
            if not log.closed:
                log.aborted_external.append(url)
            route.abort()

    context.route("**/*", route)
    context.add_init_script(FORCE_OPEN_SHADOW_ROOTS)
    try:
        yield OfflineSession(context, log)
    finally:
        log.closed = True
        context.close()


def rendered_diagrams(page: Page, expected: int) -> list[dict[str, Any]]:
    """Wait until `expected` diagrams are drawn as SVG, then return their records."""
    page.wait_for_function(
        """(expected) => {
            const hosts = [...document.querySelectorAll('div.mermaid')];
            return hosts.length >= expected
                && hosts.every((host) => host.shadowRoot && host.shadowRoot.querySelector('svg'));
        }""",
        arg=expected,
        timeout=20_000,
    )
    return page.evaluate(DIAGRAMS_SCRIPT)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_body(url: str, text: str, process: subprocess.Popen[str], timeout: float) -> None:
    """Poll `url` until its body contains `text`, and fail early if `process` exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"mkdocs serve exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if text in response.read().decode("utf-8", "replace"):
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not contain {text!r} within {timeout:.0f} s")


@contextmanager
def mkdocs_serve(site: Path, env: dict[str, str], ready_text: str) -> Iterator[str]:
    """Run a real `mkdocs serve` for `site` on 127.0.0.1, and yield its URL once the home page
    contains `ready_text`.

    Live reload is off, so no long-polling request delays network idle. The server's output
    goes to `site/serve.log`.
    """
    port = free_port()
    command = [
        sys.executable, "-m", "mkdocs", "serve",
        "--dev-addr", f"127.0.0.1:{port}",
        "--no-livereload",
    ]  # fmt: skip
    log_path = site / "serve.log"
    url = f"http://127.0.0.1:{port}/"
    with log_path.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(
            command, cwd=site, env=env, stdout=output, stderr=subprocess.STDOUT, text=True
        )
        try:
            try:
                wait_for_body(url, ready_text, process, timeout=60)
            except AssertionError as error:
                tail = log_path.read_text(encoding="utf-8")[-3000:]
                raise AssertionError(f"{error}\nmkdocs serve output:\n{tail}") from None
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
