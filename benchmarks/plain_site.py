"""Copies of the site for the benchmarks: the real one, and a plain one without the hooks.

The plain copy contains the same pages as the hooks build produces, written out as Markdown
files: every generated page, and every hand-written page after its Jinja is rendered. Its
mkdocs.yml has no `hooks:` and no `extra.wrangler_docs` block, so MkDocs builds it with no
wrangler-docs code at all. Building both shows what the hooks cost.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
SITE_FILES = (
    "mkdocs.yml",
    "docs",
    "hooks",
    "templates",
    "schemas",
    "wrangler.jsonc",
    "open-next.config.ts",
)
"""The files a site build reads, as the tests copy them."""

CAPTURE_HOOK = Path(__file__).resolve().with_name("capture_pages.py")
CAPTURE_DIR_VARIABLE = "WRANGLER_DOCS_CAPTURE_DIR"


def copy_site(destination: Path, source: Path = REPOSITORY) -> Path:
    """Copy the files a site build reads from `source` into `destination` and return it."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in SITE_FILES:
        path = source / name
        if path.is_dir():
            shutil.copytree(path, destination / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif path.exists():
            shutil.copy2(path, destination / name)
    return destination


def _block_end(lines: list[str], start: int, indent: int) -> int:
    """Return the index after the YAML block whose key line is `lines[start]`."""
    end = start + 1
    while end < len(lines):
        line = lines[end]
        stripped = line.strip()
        if stripped and len(line) - len(line.lstrip(" ")) <= indent:
            break
        end += 1
    # Blank lines and comments at the end belong to what follows.
    while end > start + 1 and (
        not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")
    ):
        end -= 1
    return end


def strip_hooks(config_text: str) -> str:
    """Return mkdocs.yml text without `hooks:` and without `extra.wrangler_docs`.

    Works on the text, because mkdocs.yml may hold `!!python/name:` tags that a plain YAML
    loader rejects. An `extra:` block left empty is removed too.
    """
    lines = config_text.splitlines()
    index = 0
    while index < len(lines):
        if lines[index].startswith("hooks:"):
            del lines[index : _block_end(lines, index, 0)]
            continue
        if lines[index].startswith("extra:"):
            extra_end = _block_end(lines, index, 0)
            inner = index + 1
            while inner < extra_end:
                if lines[inner].strip() == "wrangler_docs:":
                    indent = len(lines[inner]) - len(lines[inner].lstrip(" "))
                    removed = _block_end(lines, inner, indent) - inner
                    del lines[inner : inner + removed]
                    extra_end -= removed
                    continue
                inner += 1
            if not any(
                line.strip() and not line.lstrip().startswith("#")
                for line in lines[index + 1 : extra_end]
            ):
                del lines[index:extra_end]
                continue
        index += 1
    return "\n".join(lines) + "\n"


def add_capture_hook(config_text: str) -> str:
    """Return mkdocs.yml text with the capture hook listed after the existing hooks."""
    lines = config_text.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("hooks:"):
            end = _block_end(lines, index, 0)
            lines.insert(end, f"  - {CAPTURE_HOOK.as_posix()}")
            return "\n".join(lines) + "\n"
    raise ValueError("mkdocs.yml has no hooks: list")


def make_plain_site(site: Path, destination: Path, scratch: Path, env: dict[str, str]) -> Path:
    """Build `site` once with the capture hook and write the plain copy to `destination`.

    `scratch` is an empty folder for the capture build. Raises CalledProcessError when that
    build fails.
    """
    capture_site = copy_site(scratch / "capture-site", site)
    config = (site / "mkdocs.yml").read_text(encoding="utf-8")
    (capture_site / "mkdocs-capture.yml").write_text(add_capture_hook(config), encoding="utf-8")

    destination.mkdir(parents=True, exist_ok=True)
    shutil.copytree(site / "docs", destination / "docs", dirs_exist_ok=True)
    capture_env = dict(env)
    capture_env[CAPTURE_DIR_VARIABLE] = str(destination / "docs")
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "--quiet",
        "--config-file",
        "mkdocs-capture.yml",
        "--site-dir",
        str(scratch / "capture-out"),
    ]
    subprocess.run(command, cwd=capture_site, env=capture_env, check=True, capture_output=True)
    (destination / "mkdocs.yml").write_text(strip_hooks(config), encoding="utf-8")
    return destination


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("plain-site")
    work = target.with_name(target.name + "-scratch")
    make_plain_site(REPOSITORY, target, work, dict(os.environ))
    shutil.rmtree(work)
    print(f"wrote {target}")
