"""Whatever a config contains, the build ends in diagnostics or a safe site: values render as
text, secrets stay off the site, nothing is fetched, and nothing outside the project is read."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import copy_site, mkdocs_env, page_html, page_text, run_build

HOSTILE = """{
  "name": "hostile-app",
  "main": "src/index.ts",
  "compatibility_date": "2025-09-15",
  "kv_namespaces": [
    // <img src=x onerror=alert(1)> and **bold** and | pipes |
    { "binding": "CACHE|KV`x`]]", "id": "abc<script>alert(2)</script>" },
  ],
  "durable_objects": {
    "bindings": [{ "name": "ROOM", "class_name": "Room\\"]]; click x call alert" }],
  },
  "migrations": [{ "tag": "v1", "new_sqlite_classes": ["Room\\"]]; click x call alert"] }],
  "vars": {
    "PLAIN": "<img src=x onerror=alert(1)>",
    "KEY|WITH`TICKS`]]": "x",
    "EMOJI_\\ud83d\\ude00": "y",
  },
  "env": {
    "st\\"age": { "vars": { "PLAIN": "z" } },
  },
}
"""

SECRETS = {
    "GITHUB_TOKEN": "ghp_Q1w2E3r4T5y6U7i8O9p0AaSsDdFfGgHhJjKk",
    "STRIPE": "sk_live_51HxQmZ2eZvKYlo2CAbCdEfGh",
    "SESSION": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXZhbHVl",
    "OPAQUE": "q8Zr2Lx9Wm4Tv7Kp1Ns6Hd3Gf5Jb0Yc",
}


def hostile_site(tmp_path: Path) -> Path:
    site = copy_site(tmp_path / "site")
    (site / "wrangler.jsonc").write_text(HOSTILE, encoding="utf-8")
    (site / "open-next.config.ts").unlink()
    (site / "docs" / "index.md").write_text("# Hostile config\n", encoding="utf-8")
    return site


@pytest.fixture(scope="module")
def built_hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = hostile_site(tmp_path_factory.mktemp("hostile"))
    result = run_build(site, strict=False)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return site


def all_site_text(site: Path) -> str:
    parts = []
    for path in sorted((site / "site").rglob("*")):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".txt", ".js"):
            parts.append(path.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(parts)


@pytest.mark.parametrize("page", ["bindings", "architecture", "validation"])
def test_no_markup_from_config(built_hostile: Path, page: str) -> None:
    raw = page_html(built_hostile, page)
    assert "<img src=x" not in raw
    assert "<script>alert(2)" not in raw
    assert "<strong>bold</strong>" not in raw


def test_values_render_as_text(built_hostile: Path) -> None:
    text = page_text(built_hostile, "bindings")
    assert "<img src=x onerror=alert(1)> and **bold** and | pipes |" in text
    assert "CACHE|KV`x`]]" in text
    assert "abc<script>alert(2)</script>" in text
    assert "KEY|WITH`TICKS`]]" in text
    assert 'Room"]]; click x call alert' in text


def test_tables_keep_their_columns(built_hostile: Path) -> None:
    raw = page_html(built_hostile, "bindings")
    for row in re.findall(r"<tr>(.*?)</tr>", raw, re.S):
        cells = re.findall(r"<t[hd][^>]*>", row)
        assert len(cells) in (3, 4), row


def test_mermaid_labels_stay_inside_quotes(built_hostile: Path) -> None:
    raw = page_html(built_hostile, "architecture")
    blocks = re.findall(r'<pre class="mermaid"><code>(.*?)</code></pre>', raw, re.S)
    assert len(blocks) == 2  # top level and env.st"age; no request flow without OpenNext
    for block in blocks:
        source = html.unescape(block)
        for line in source.splitlines()[1:]:
            assert line.count('"') % 2 == 0, line
            outside_labels = re.sub(r'"[^"]*"', "", line)
            assert re.fullmatch(r"[\s\w\-.>\[\](){}/|]*", outside_labels), line
            assert "alert" not in outside_labels, line
        assert "```" not in source


def test_astral_escape_in_utf8_page(built_hostile: Path) -> None:
    raw = (built_hostile / "site" / "bindings" / "index.html").read_bytes().decode("utf-8")
    assert "EMOJI_😀" in html.unescape(raw)


def test_environment_name_with_quote(built_hostile: Path) -> None:
    assert 'env.st"age' in page_text(built_hostile, "bindings")


def test_var_values_not_published(built_hostile: Path) -> None:
    assert "onerror=alert(1)>\n" not in page_text(built_hostile, "bindings")
    everything = html.unescape(all_site_text(built_hostile))
    assert '"PLAIN": "<img' not in everything


def test_planted_secrets_stay_off_the_site(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    config = site / "wrangler.jsonc"
    text = config.read_text(encoding="utf-8")
    planted = "".join(f'    "{name}": "{value}",\n' for name, value in SECRETS.items())
    text = text.replace('"vars": {\n', '"vars": {\n' + planted, 1)
    text = text.replace('"vars": {\n', '"vars": {\n' + planted.replace("    ", "        "), 2)
    config.write_text(text, encoding="utf-8")
    result = run_build(site, strict=False)
    assert result.returncode == 0, result.stderr
    everything = all_site_text(site)
    assert (site / "site" / "search" / "search_index.json").is_file()
    for value in SECRETS.values():
        assert value not in everything
        assert value not in html.unescape(everything)
        assert value not in result.stderr


SOCKET_GUARD = """
import socket

class BlockedNetwork(OSError):
    pass

def _blocked(*args, **kwargs):
    raise BlockedNetwork("network access attempted during the build")

socket.socket.connect = _blocked
socket.socket.connect_ex = _blocked
socket.create_connection = _blocked
socket.getaddrinfo = _blocked
"""

OPEN_AUDIT = """
import os, sys

_log = open(os.environ["WD_OPEN_LOG"], "a", encoding="utf-8")

def _audit(event, args):
    if event in ("open", "os.listdir", "os.scandir") and args and isinstance(args[0], (str, bytes, os.PathLike)):
        _log.write(os.fsdecode(args[0]) + "\\n")
        _log.flush()

sys.addaudithook(_audit)
"""


def run_guarded_build(site: Path, guard: str, extra_env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    guard_dir = site.parent / "guard"
    guard_dir.mkdir(exist_ok=True)
    (guard_dir / "sitecustomize.py").write_text(textwrap.dedent(guard), encoding="utf-8")
    env = mkdocs_env()
    env["PYTHONPATH"] = str(guard_dir)
    env.update(extra_env or {})
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", "site"],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_build_without_network(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    config = site / "wrangler.jsonc"
    text = config.read_text(encoding="utf-8")
    text = text.replace(
        '"$schema": "node_modules/wrangler/config-schema.json"',
        '"$schema": "https://unpkg.com/wrangler/config-schema.json"',
    )
    config.write_text(text, encoding="utf-8")
    result = run_guarded_build(site, SOCKET_GUARD)
    assert result.returncode == 0, result.stderr
    assert "network access attempted" not in result.stderr


def test_guard_blocks_sockets(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    guard_dir = site.parent / "guard"
    guard_dir.mkdir()
    (guard_dir / "sitecustomize.py").write_text(SOCKET_GUARD, encoding="utf-8")
    env = mkdocs_env()
    env["PYTHONPATH"] = str(guard_dir)
    probe = "import socket; socket.create_connection(('127.0.0.1', 9))"
    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    assert "network access attempted" in result.stderr


def test_paths_outside_project_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "schema.json").write_text("{}", encoding="utf-8")
    (outside / "worker.js").write_text("export default {}", encoding="utf-8")
    (outside / "migrations").mkdir()
    site = copy_site(tmp_path / "site")
    config = site / "wrangler.jsonc"
    text = config.read_text(encoding="utf-8")
    text = text.replace('"node_modules/wrangler/config-schema.json"', '"../outside/schema.json"')
    text = text.replace('"main": ".open-next/worker.js"', '"main": "../outside/worker.js"')
    text = text.replace('"directory": ".open-next/assets"', f'"directory": "{outside}"')
    text = text.replace('"migrations_dir": "db/migrations"', '"migrations_dir": "../outside/migrations"')
    config.write_text(text, encoding="utf-8")
    log = tmp_path / "opened.txt"
    result = run_guarded_build(site, OPEN_AUDIT, {"WD_OPEN_LOG": str(log)})
    assert "Traceback" not in result.stderr
    opened = log.read_text(encoding="utf-8").splitlines()
    assert opened, "the audit hook recorded nothing"
    assert not [path for path in opened if str(outside) in path or "outside" in Path(path).parts]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "WD001"),
        (b"null", "WD102"),
        (b"[]", "WD102"),
        (b'"a string"', "WD102"),
        ("\ufeff{\n".encode("utf-16-le"), "WD006"),
        (b"[" * 100_000, "WD007"),
        (b'{ "limits": { "cpu_ms": ' + b"9" * 5000 + b" } }", "WD011"),
    ],
    ids=["empty", "null", "array", "string", "utf-16", "deep", "huge-int"],
)
def test_bad_input_ends_in_diagnostics(tmp_path: Path, content: bytes, code: str) -> None:
    site = copy_site(tmp_path / "site")
    (site / "wrangler.jsonc").write_bytes(content)
    result = run_build(site)
    assert result.returncode == 1
    assert f"error[{code}]" in result.stderr
    assert "Traceback" not in result.stderr


def test_bom_and_crlf_keep_columns(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    config = site / "wrangler.jsonc"
    text = config.read_text(encoding="utf-8").replace('"class_name": "DOShardedTagCache"', '"class_name": 42', 1)
    config.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    result = run_build(site)
    assert result.returncode == 1
    assert "wrangler.jsonc:33:60: error[WD102]" in result.stderr


def test_file_size_limit_is_configurable(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    settings = site / "mkdocs.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("    config: wrangler.jsonc\n", "    config: wrangler.jsonc\n    max_file_bytes: 1000\n"), encoding="utf-8")
    result = run_build(site)
    assert result.returncode == 1
    assert "error[WD008]" in result.stderr
    assert "larger than the limit of 1,000 bytes" in result.stderr


def test_one_megabyte_config_builds(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    config = site / "wrangler.jsonc"
    text = config.read_text(encoding="utf-8")
    filler = "".join(f'    "FILLER_{index:05d}": "{"x" * 60}",\n' for index in range(12_000))
    text = text.replace('"vars": {\n', '"vars": {\n' + filler, 1)
    config.write_text(text, encoding="utf-8")
    assert config.stat().st_size > 1_000_000
    result = run_build(site, strict=False)
    assert result.returncode == 0, result.stderr[-2000:]


def test_ten_megabyte_config_rejected(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    config = site / "wrangler.jsonc"
    config.write_text('{ "name": "big", "vars": { "A": "' + "x" * 10_500_000 + '" } }', encoding="utf-8")
    result = run_build(site)
    assert result.returncode == 1
    assert "error[WD008]" in result.stderr
    assert "Traceback" not in result.stderr


LOCAL_SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "properties": {
        "name": {"type": "string", "maxLength": 2},
        "limits": {"type": "object", "properties": {"cpu_ms": {"type": "number"}}},
    },
}


def test_local_schema_inside_project_is_used(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "node_modules" / "wrangler").mkdir(parents=True)
    (project / "node_modules" / "wrangler" / "config-schema.json").write_text(
        json.dumps(LOCAL_SCHEMA), encoding="utf-8"
    )
    (project / "wrangler.jsonc").write_text(
        '{\n  "$schema": "node_modules/wrangler/config-schema.json",\n  "name": "app",\n'
        '  "main": "src/index.ts",\n  "compatibility_date": "2025-09-15",\n'
        '  "limits": { "cpu_ms": "fast" }\n}\n',
        encoding="utf-8",
    )
    from wrangler_docs.project import load_project

    result = load_project(project / "wrangler.jsonc", root=project)
    names = [check.name for check in result.checks]
    assert "The config's own $schema (node_modules/wrangler/config-schema.json)" in names
    wrong_type = [d for d in result.diagnostics if d.code == "WD102"]
    assert [(d.line, d.column) for d in wrong_type] == [(6, 25)]
    too_long = [d for d in result.diagnostics if d.code == "WD105"]
    assert [(d.line, d.column, d.path) for d in too_long] == [(3, 11, "name")]


@pytest.mark.parametrize(
    ("schema", "reason"),
    [
        ("https://example.com/config-schema.json", "URLs are never fetched"),
        ("../outside.json", "outside the project folder"),
        ("node_modules/wrangler/config-schema.json", "does not exist"),
    ],
)
def test_local_schema_skipped(tmp_path: Path, schema: str, reason: str) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "outside.json").write_text(json.dumps(LOCAL_SCHEMA), encoding="utf-8")
    (project / "wrangler.jsonc").write_text(
        f'{{ "$schema": "{schema}", "name": "app", "main": "src/index.ts", '
        '"compatibility_date": "2025-09-15" }',
        encoding="utf-8",
    )
    from wrangler_docs.project import load_project

    result = load_project(project / "wrangler.jsonc", root=project)
    skipped = [check.skipped for check in result.checks if check.name == "The config's own $schema"]
    assert len(skipped) == 1
    assert reason in skipped[0]
