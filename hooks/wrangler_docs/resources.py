"""Locations of the schema and templates: the repository, or an installed wheel.

In a clone (and an editable install) they are the repository's `schemas/` and `templates/`
folders. A regular install, such as the one pre-commit makes, has no repository, so the wheel
carries copies as the `wrangler_docs._data` packages.
"""

from __future__ import annotations

from pathlib import Path

_REPOSITORY = Path(__file__).resolve().parents[2]
_PACKAGED = Path(__file__).resolve().parent / "_data"


def _folder(name: str) -> Path:
    in_repository = _REPOSITORY / name
    if in_repository.is_dir():
        return in_repository
    return _PACKAGED / name


SCHEMAS_DIR = _folder("schemas")
TEMPLATES_DIR = _folder("templates")
