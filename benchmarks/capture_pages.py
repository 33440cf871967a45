"""MkDocs hook that writes each page's final Markdown to a folder, for the plain copy.

List it after `hooks/wrangler_docs_hooks.py` under `hooks:`, so that its `on_page_markdown`
receives the Markdown that wrangler-docs produced, and set WRANGLER_DOCS_CAPTURE_DIR to the
folder. The page's front matter is written back above the Markdown as YAML.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

CAPTURE_DIR_VARIABLE = "WRANGLER_DOCS_CAPTURE_DIR"


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    destination = Path(os.environ[CAPTURE_DIR_VARIABLE]) / page.file.src_uri
    destination.parent.mkdir(parents=True, exist_ok=True)
    front_matter = ""
    if page.meta:
        front_matter = "---\n" + yaml.safe_dump(dict(page.meta), allow_unicode=True) + "---\n\n"
    destination.write_text(front_matter + markdown, encoding="utf-8")
    return markdown
