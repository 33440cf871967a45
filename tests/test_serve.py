"""A real `mkdocs serve` on 127.0.0.1: config errors show on the pages and never stop it."""

from __future__ import annotations

import html
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import copy_site, mkdocs_env

BANNER = "The wrangler config has"
BROKEN = ('"class_name": "DOShardedTagCache"', '"class_name": 42')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return html.unescape(response.read().decode("utf-8"))


def wait_for(url: str, predicate, timeout: float = 60.0) -> str:  # type: ignore[no-untyped-def]
    """Fetch `url` until `predicate(body)` holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            last = fetch(url)
            if predicate(last):
                return last
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not reach the expected state; last body:\n{last[:2000]}")


class Server:
    def __init__(self, site: Path) -> None:
        self.site = site
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "mkdocs", "serve",
                "--dev-addr", f"127.0.0.1:{self.port}",
                "--livereload",
            ],
            cwd=site,
            env=mkdocs_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )  # fmt: skip

    def stop(self) -> str:
        self.process.terminate()
        try:
            output, _ = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            output, _ = self.process.communicate()
        return output


def set_config(site: Path, old: str, new: str) -> None:
    path = site / "wrangler.jsonc"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def served_site(tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    site = copy_site(tmp_path / "site")
    server = Server(site)
    try:
        yield server, site
    finally:
        server.stop()


def test_serve_shows_then_clears_banner(served_site: tuple[Server, Path]) -> None:
    server, site = served_site
    first = wait_for(server.url + "bindings/", lambda body: "NEXT_TAG_CACHE_DO_SHARDED" in body)
    assert BANNER not in first

    set_config(site, *BROKEN)
    broken = wait_for(server.url + "bindings/", lambda body: BANNER in body)
    assert "wrangler.jsonc:33:60" in broken
    assert "WD102" in broken
    assert server.process.poll() is None

    index = fetch(server.url)
    assert BANNER in index
    validation = fetch(server.url + "validation/")
    assert '"class_name": 42 },' in validation

    set_config(site, BROKEN[1], BROKEN[0])
    fixed = wait_for(server.url + "bindings/", lambda body: BANNER not in body)
    assert "DOShardedTagCache" in fixed


def test_serve_starts_on_broken_config(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    set_config(site, *BROKEN)
    server = Server(site)
    try:
        page = wait_for(server.url, lambda body: BANNER in body)
        assert "wrangler.jsonc:33:60" in page
        assert server.process.poll() is None
        set_config(site, BROKEN[1], BROKEN[0])
        wait_for(server.url, lambda body: BANNER not in body and "Northwind" in body)
    finally:
        output = server.stop()
    assert "Traceback" not in output


def test_serve_survives_syntax_error(served_site: tuple[Server, Path]) -> None:
    server, site = served_site
    wait_for(server.url, lambda body: "Northwind" in body)
    set_config(site, '"name": "northwind-shop",', '"name": "northwind-shop"')
    page = wait_for(server.url + "architecture/", lambda body: BANNER in body)
    assert "WD003" in page
    assert server.process.poll() is None
