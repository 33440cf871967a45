"""MkDocs hooks for wrangler-docs: list this file under `hooks:` in mkdocs.yml.

Each event forwards to `wrangler_docs.site`, where the work is done. The module keeps the
state of the current build between events.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from wrangler_docs.render.pages import PAGES
from wrangler_docs.site import build
from wrangler_docs.site.settings import SettingsError, parse_settings

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

_state = build.SiteState()


def on_startup(command: str, dirty: bool) -> None:
    _state.command = command


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _state.reset()
    try:
        settings = parse_settings(config.extra, config.config_file_path)
        build.load_site(_state, settings)
    except SettingsError as error:
        if not _state.serving:
            raise PluginError(str(error)) from None
        build.serve_log.error("%s", error)
        _state.fatal = str(error)
        return config

    build.log_diagnostics(_state)
    if _state.error_count and not _state.serving:
        raise PluginError(build.build_failure_message(_state))
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    if _state.projects:
        try:
            _state.pages = build.render_all(_state)
        except jinja2.TemplateError as error:
            raise PluginError(
                f"Template error: {build.describe_template_error(error)}"
            ) from None
    if _state.settings is not None:
        paths = build.generated_paths(_state)
    else:
        paths = [(spec.path, spec.title) for spec in PAGES]
    for path, title in paths:
        content = _state.pages.get(path)
        if content is None:
            reason = _state.fatal or "The config was not read."
            content = build.error_page(title, "wrangler-docs could not read the config", reason)
        existing = files.get_file_from_path(path)
        if existing is not None:
            build.build_log.warning(
                "%s is replaced by the page wrangler-docs generates; rename it.",
                existing.src_uri,
            )
            files.remove(existing)
        files.append(File.generated(config, path, content=content))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.file.generated_by is None and _state.projects:
        source_path = Path(page.file.abs_src_path or "")
        source = source_path.read_text(encoding="utf-8-sig") if source_path.is_file() else ""
        offset = build.body_line_offset(source, markdown)
        use_jinja = page.meta.get("jinja", True) is not False
        markdown, problems = build.check_hand_written(_state, markdown, offset, use_jinja)
        page_file = os.path.relpath(source_path, Path(config.config_file_path).parent)
        for problem in problems:
            line = f"{page_file}:{problem.line}:{problem.column}: {problem.message}"
            if _state.serving:
                build.serve_log.warning("%s", line)
            elif problem.error:
                raise PluginError(line)
            else:
                build.build_log.warning("%s", line)
        if problems and _state.serving:
            markdown = build.page_problem_notice(problems, page_file) + markdown
    return build.markdown_with_banner(_state, markdown, page.file.src_uri)


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: object) -> None:
    if _state.settings is None:
        return
    for path in _state.settings.watched_paths:
        server.watch(str(path))
