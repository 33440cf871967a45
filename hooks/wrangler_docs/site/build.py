"""The work of the MkDocs hooks, kept out of the hook module so it can be tested directly.

Diagnostics are logged under `mkdocs.plugins.wrangler_docs` in build mode, where
`mkdocs build --strict` counts every warning. In serve mode they go to a logger outside the
`mkdocs` namespace and into the pages instead, because a failed first build makes
`mkdocs serve` exit, and a failed rebuild makes every request hang until the next good one.
"""

from __future__ import annotations

import logging
import posixpath
from collections.abc import Sequence
from typing import Any, NamedTuple

from ..diagnostics import Diagnostic, sort_diagnostics
from ..facts import opennext as opennext_facts
from ..facts import wrangler as wrangler_facts
from ..project import Project, load_project
from ..render import escape
from ..render.hand_written import (
    PageTemplateError,
    blank_jinja,
    find_stale_names,
    render_page_template,
)
from ..render.pages import (
    OVERVIEW_PAGE,
    PAGES,
    PageOptions,
    PageSpec,
    published_sources,
    render_page,
)
from .settings import Settings, SettingsError, WorkerSettings

build_log = logging.getLogger("mkdocs.plugins.wrangler_docs")
serve_log = logging.getLogger("wrangler_docs.serve")

VALIDATION_PAGE = "validation.md"
BANNER_LIMIT = 20
"""Diagnostics listed in the banner; /validation/ lists all of them."""


class SiteState:
    """The state of one build of the site, kept between MkDocs events.

    `fatal` is a problem that stopped the config from being read at all (serve mode only).
    """

    __slots__ = ("command", "fatal", "pages", "projects", "settings")

    def __init__(self, command: str = "build") -> None:
        self.command = command
        self.settings: Settings | None = None
        self.projects: list[Project] = []
        self.pages: dict[str, str] = {}
        self.fatal = ""

    @property
    def serving(self) -> bool:
        return self.command == "serve"

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return sort_diagnostics(d for project in self.projects for d in project.diagnostics)

    @property
    def error_count(self) -> int:
        return sum(project.error_count for project in self.projects)

    def reset(self) -> None:
        self.settings = None
        self.projects = []
        self.pages = {}
        self.fatal = ""


def load_worker(settings: Settings, worker: WorkerSettings) -> Project:
    if worker.config is None:
        raise SettingsError(
            f"No wrangler config found in {settings.root}: looked for "
            f"{', '.join(wrangler_facts.CONFIG_FILE_NAMES)}. "
            "Set extra.wrangler_docs.config in mkdocs.yml."
        )
    return load_project(
        worker.config,
        root=settings.root,
        opennext_path=worker.opennext_config,
        find_opennext=worker.find_opennext,
        schema_path=settings.schema,
        max_bytes=settings.max_file_bytes,
        max_depth=settings.max_depth,
    )


def load_site(state: SiteState, settings: Settings) -> None:
    """Read and check every Worker of the site, and check the environment filter."""
    state.settings = settings
    state.projects = [load_worker(settings, worker) for worker in settings.workers]
    if settings.environments is not None:
        declared = {
            env.name
            for project in state.projects
            if project.worker is not None
            for env in project.worker.environments
        }
        for name in settings.environments:
            if name not in declared:
                listed = ", ".join(sorted(str(env) for env in declared)) or "none"
                raise SettingsError(
                    f'extra.wrangler_docs.environments lists "{name}", which no config '
                    f"declares (declared: {listed})."
                )


def log_diagnostics(state: SiteState) -> None:
    """Log one line per diagnostic, then one summary line per Worker."""
    log = serve_log if state.serving else build_log
    for diagnostic in state.diagnostics:
        line = diagnostic.headline()
        if diagnostic.hint:
            line += f" (hint: {diagnostic.hint})"
        if diagnostic.is_error:
            log.error(line)
        else:
            log.warning(line)
    for project in state.projects:
        worker = project.worker
        environments = len(worker.all_environments) if worker is not None else 0
        build_log.info(
            "wrangler-docs: read %s (%d environment%s): %d error%s, %d warning%s",
            project.document.source.display_name,
            environments,
            "" if environments == 1 else "s",
            project.error_count,
            "" if project.error_count == 1 else "s",
            project.warning_count,
            "" if project.warning_count == 1 else "s",
        )


def build_failure_message(state: SiteState) -> str:
    count = state.error_count
    files = ", ".join(
        project.document.source.display_name for project in state.projects if project.error_count
    )
    return (
        f"{files}: {count} error{'s' if count != 1 else ''} in the wrangler config (listed "
        "above). Fix the config, or run `mkdocs serve` to see the problems on the pages."
    )


def describe_template_error(error: BaseException) -> str:
    """Return "file:line: Type: message" for a template error.

    A syntax error carries its file and line. An error while rendering (an undefined name,
    say) does not, so they are taken from the innermost traceback frame in a template file.
    """
    name = getattr(error, "filename", None) or getattr(error, "name", None)
    line = getattr(error, "lineno", None)
    if not (name and line):
        import traceback

        for frame in reversed(traceback.extract_tb(error.__traceback__)):
            if frame.filename.endswith(".j2") and frame.lineno is not None:
                name, line = frame.filename, frame.lineno
                break
    where = f"{name}:{line}: " if name and line else ""
    return f"{where}{type(error).__name__}: {error}"


def error_page(title: str, heading: str, message: str) -> str:
    """Return a page that shows one problem in a failure admonition, for serve mode."""
    return (
        f"# {escape.markdown_text(title)}\n\n"
        f'!!! failure "{escape.markdown_text(heading)}"\n\n'
        f"    {escape.markdown_text(message)}\n"
    )


def _page_path(spec: PageSpec, worker: WorkerSettings) -> str:
    return f"{worker.slug}/{spec.path}" if worker.slug and spec.per_worker else spec.path


def page_options(settings: Settings) -> PageOptions:
    return PageOptions(
        sample_tags=settings.sample_tags,
        show_var_values=settings.show_var_values,
        environments=settings.environments,
        template_dirs=settings.template_dirs,
        traffic=settings.traffic,
    )


def _specs(state: SiteState) -> list[tuple[PageSpec, int]]:
    """Return (page, index of its Worker) for every generated page of the site."""
    specs: list[tuple[PageSpec, int]] = []
    for index in range(len(state.projects)):
        specs.extend((spec, index) for spec in PAGES if spec.per_worker)
    specs.extend((spec, 0) for spec in PAGES if not spec.per_worker)
    if len(state.projects) > 1:
        specs.append((OVERVIEW_PAGE, 0))
    return specs


def generated_paths(state: SiteState) -> list[tuple[str, str]]:
    """Return (path inside docs_dir, title) of every page the site generates."""
    assert state.settings is not None
    paths = []
    for spec, index in _specs(state):
        worker = state.settings.workers[min(index, len(state.settings.workers) - 1)]
        paths.append((_page_path(spec, worker), spec.title))
    return paths


def render_all(state: SiteState) -> dict[str, str]:
    """Render every generated page. In serve mode a template error becomes page content."""
    import jinja2

    assert state.settings is not None
    options = page_options(state.settings)
    slugs = [worker.slug for worker in state.settings.workers]
    sources = [published_sources(project, options) for project in state.projects]
    pages: dict[str, str] = {}
    for spec, index in _specs(state):
        path = _page_path(spec, state.settings.workers[index])
        try:
            pages[path] = render_page(
                spec,
                state.projects[index],
                options,
                state.projects,
                {"slugs": slugs},
                sources[index],
            )
        except jinja2.TemplateError as error:
            if not state.serving:
                raise
            serve_log.error("Template error: %s", describe_template_error(error))
            pages[path] = error_page(
                spec.title, "This page could not be rendered", describe_template_error(error)
            )
    return pages


def banner(state: SiteState, page_src_uri: str) -> str:
    """Return a Material admonition listing the diagnostics, for the top of every page."""
    diagnostics = state.diagnostics
    if not diagnostics:
        return ""
    errors = sum(1 for diagnostic in diagnostics if diagnostic.is_error)
    warnings = len(diagnostics) - errors
    kind = "failure" if errors else "warning"
    title = (
        f"The wrangler config has {errors} error{'s' if errors != 1 else ''} and "
        f"{warnings} warning{'s' if warnings != 1 else ''}"
    )
    lines = [f'!!! {kind} "{escape.markdown_text(title)}"', ""]

    for diagnostic in diagnostics[:BANNER_LIMIT]:
        location = f"{diagnostic.file}:{diagnostic.line}:{diagnostic.column}"
        lines.append(
            f"    - {escape.inline_code(location)} {diagnostic.severity.value}"
            f"[{diagnostic.code}] {escape.markdown_text(diagnostic.message)}"
        )
    hidden = len(diagnostics) - BANNER_LIMIT
    if hidden > 0:
        lines.append(f"    - and {hidden} more")

    assert state.settings is not None
    first = next(index for index, project in enumerate(state.projects) if project.diagnostics)
    slug = state.settings.workers[first].slug
    target = f"{slug}/{VALIDATION_PAGE}" if slug else VALIDATION_PAGE
    link = posixpath.relpath(target, posixpath.dirname(page_src_uri) or ".")
    lines += ["", f"    [Every problem, with source excerpts]({link})", "", ""]
    return "\n".join(lines)


def markdown_with_banner(state: SiteState, markdown: str, page_src_uri: str) -> str:
    """Put the problems at the top of the page, in serve mode only."""
    if not state.serving:
        return markdown
    if state.fatal:
        heading = "wrangler-docs could not read the config"
        notice = error_page("", heading, state.fatal).split("\n", 2)[2]
        return notice + "\n" + markdown
    return banner(state, page_src_uri) + markdown


def hand_written_context(state: SiteState) -> dict[str, Any]:
    """Return what hand-written pages can use through Jinja."""
    import jinja2

    workers = [project.worker for project in state.projects if project.worker is not None]
    first = state.projects[0] if state.projects else None

    def binding(name: str, environment: str | None = None, worker: str | None = None) -> Any:
        for candidate in workers:
            if worker is not None and candidate.name != worker:
                continue
            env = candidate.environment(environment)
            found = env.binding(name) if env is not None else None
            if found is not None:
                return found
        where = f" in environment {environment!r}" if environment else ""
        unread = [p.document.source.display_name for p in state.projects if not p.document.ok]
        reason = f" ({', '.join(unread)} could not be read)" if unread else ""
        raise jinja2.UndefinedError(
            f"no binding named {name!r}{where} in the listed configs{reason}"
        )

    return {
        "workers": workers,
        "worker": workers[0] if workers else None,
        "app": first.app if first is not None else None,
        "projects": state.projects,
        "binding": binding,
        "opennext": opennext_facts,
        "wrangler": wrangler_facts,
    }


def body_line_offset(source: str, markdown: str) -> int:
    """Return how many lines of the page file come before `markdown`, its front matter."""
    if markdown and source.endswith(markdown):
        return source[: len(source) - len(markdown)].count("\n")
    return 0


_LITERAL_BRACES = "${{"
"""Expression syntax of GitHub Actions. A page that shows a workflow contains it, and Jinja
reads it as its own."""


class PageProblem(NamedTuple):
    """A problem in a hand-written page, at a 1-based line of the page file."""

    line: int
    column: int
    message: str
    error: bool


def check_hand_written(
    state: SiteState, markdown: str, line_offset: int, use_jinja: bool
) -> tuple[str, list[PageProblem]]:
    """Render a hand-written page's Jinja, and run the drift check on the text written in it.

    The drift check reads the page with its Jinja blanked out: what Jinja outputs comes from
    the configs, and the lines and columns it reports stay those of the page file.
    """
    problems: list[PageProblem] = []
    checked = markdown
    if use_jinja and ("{{" in markdown or "{%" in markdown or "{#" in markdown):
        checked = blank_jinja(markdown)
        try:
            markdown = render_page_template(markdown, hand_written_context(state))
        except PageTemplateError as error:
            line = line_offset + (error.line or 1)
            message = f"Jinja error: {error.message}"
            if _LITERAL_BRACES in markdown:
                message += (
                    ". The page has GitHub Actions-style ${{ }} text: to show it as written, "
                    "add 'jinja: false' to the page's front matter, or wrap it in "
                    "{% raw %}...{% endraw %}"
                )
            problems.append(PageProblem(line, 1, message, True))
            return markdown, problems

    names: set[str] = set()
    classes: set[str] = set()
    for project in state.projects:
        if project.worker is None:
            continue
        for environment in project.worker.all_environments:
            names.update(binding.name for binding in environment.bindings)
            names.update(var.name for var in environment.vars)
            for durable_object in environment.bindings_of("durable_object"):
                classes.add(durable_object.target)
            for migration in environment.migrations:
                classes.update(migration.new_classes)
                classes.update(migration.new_sqlite_classes)
    ignored = set(state.settings.drift_ignore if state.settings else ())
    ignored.update(opennext_facts.QUEUE_DEFAULTS)
    known_classes = set(opennext_facts.DURABLE_OBJECT_CLASSES.values())
    known_classes.update(old for old in opennext_facts.RENAMED_NAMES if not old.isupper())
    for stale in find_stale_names(checked, names, classes, ignored, known_classes):
        message = f"`{stale.name}` is not declared in any listed wrangler config"
        renamed = opennext_facts.RENAMED_NAMES.get(stale.name)
        if renamed:
            message += f"; OpenNext renamed it to `{renamed}`"
        elif stale.suggestion:
            message += f"; did you mean `{stale.suggestion}`?"
        else:
            message += "; fix the page, or add the name to extra.wrangler_docs.drift_ignore"
        line = line_offset + stale.line if stale.line else 1
        problems.append(PageProblem(line, stale.column, message, False))
    return markdown, problems


def page_problem_notice(problems: Sequence[PageProblem], page_file: str) -> str:
    """Return an admonition listing a hand-written page's problems, for serve mode."""
    lines = ['!!! warning "This page has problems"', ""]
    for problem in problems:
        location = f"{page_file}:{problem.line}:{problem.column}"
        lines.append(
            f"    - {escape.inline_code(location)} {escape.markdown_text(problem.message)}"
        )
    return "\n".join(lines) + "\n\n"
