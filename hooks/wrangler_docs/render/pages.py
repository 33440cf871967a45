"""Render the generated pages from the Jinja templates in `templates/`.

Templates receive the model (Worker, OpenNextApp, diagnostics) and the facts modules, never
the raw config. Undefined names raise, so a template mistake fails the build.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .. import resources
from ..check.report import source_excerpt
from ..check.rules import all_rules
from ..check.secrets import looks_like_credential
from ..codes import CODES
from ..diagnostics import SourceText
from ..facts import opennext as opennext_facts
from ..facts import wrangler as wrangler_facts
from ..model import sharding
from ..model.cost import CostReport, TrafficAssumptions, cost_report_for_app
from ..model.opennext import queue_settings
from . import chart, escape
from .redact import excerpt_sources

if TYPE_CHECKING:
    import jinja2

    from ..model.opennext import OpenNextApp
    from ..model.worker import Var, Worker
    from ..project import Project

log = logging.getLogger(__name__)

TEMPLATES_DIR = resources.TEMPLATES_DIR

INSTANCES_LISTED = 500
"""Most Durable Object instance names the /sharding/ page lists. A config with more (a large
`baseShardSize` or replica count) gets the first ones and the count, so the page stays small."""
"""The built-in page templates."""


class PageSpec(NamedTuple):
    path: str
    """Path of the generated Markdown file inside docs_dir; the URL is derived from it."""
    template: str
    title: str
    per_worker: bool = True
    """False for pages the site has once, whatever the number of Workers."""


PAGES = (
    PageSpec("architecture.md", "architecture.md.j2", "Architecture"),
    PageSpec("queue.md", "queue.md.j2", "ISR queue"),
    PageSpec("sharding.md", "sharding.md.j2", "Tag cache sharding"),
    PageSpec("do-vs-d1.md", "do-vs-d1.md.j2", "Durable Objects vs D1"),
    PageSpec("bindings.md", "bindings.md.j2", "Bindings"),
    PageSpec("validation.md", "validation.md.j2", "Validation"),
    PageSpec("rules.md", "rules.md.j2", "Rules", per_worker=False),
)

OVERVIEW_PAGE = PageSpec("workers.md", "workers.md.j2", "Workers", per_worker=False)
"""The page that connects the Workers, generated only when the site lists several."""

DETAIL_LIMIT = 200
"""Problems shown with a source excerpt on /validation/; later ones are listed in a table."""
LIST_LIMIT = 2000
"""Problems listed on /validation/ at all; `wrangler-docs check` prints every one."""

DEFAULT_SAMPLE_TAGS = (
    "tag1",
    "tag2",
    "posts",
    "products",
    "user:42",
    "catégorie",
    "_N_T_/",
    "_N_T_/layout",
    "_N_T_/tag1",
    "_N_T_/blog/1",
)


def _contains(container: Any, item: Any) -> bool:
    try:
        return item in container
    except TypeError:
        return False


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Return a cache of compiled templates on disk, or None when none can be used.

    Compiling the page templates takes about 0.1 s of CPU, a tenth of a whole site build, and
    every `mkdocs build` is a new process. Jinja stores the compiled code in its per-user
    folder in the system temp directory, which it creates with mode 0700 and checks to be
    owned by the user. Entries are keyed by template name and checked against a hash of the
    template source, so an edited template is compiled again.
    """
    import jinja2

    class QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
        """A bytecode cache whose read and write failures only cost the compile time."""

        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except (OSError, EOFError, ValueError) as error:
                log.debug("compiled template cache not read: %s", error)
                bucket.reset()

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                super().dump_bytecode(bucket)
            except OSError as error:
                log.debug("compiled template cache not written: %s", error)

    try:
        return QuietBytecodeCache(pattern="__wrangler_docs_%s.cache")
    except (OSError, RuntimeError) as error:
        log.debug("compiled template cache disabled: %s", error)
        return None


@functools.lru_cache(maxsize=8)
def jinja_environment(template_dirs: tuple[Path, ...] = (TEMPLATES_DIR,)) -> jinja2.Environment:
    """Return the page environment for these template folders, built once per process."""
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(path) for path in template_dirs]),
        bytecode_cache=_bytecode_cache(),
        undefined=jinja2.StrictUndefined,
        finalize=escape.finalize,
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        text=escape.markdown_text,
        lines=escape.markdown_lines,
        code=escape.inline_code,
        mermaid=escape.mermaid_label,
        attr=escape.html_attribute,
        anchor=escape.anchor,
        code_block=escape.code_block,
    )
    environment.tests["contains"] = _contains
    environment.globals.update(
        opennext=opennext_facts,
        wrangler=wrangler_facts,
        shard_index=sharding.shard_index,
        is_soft_tag=sharding.is_soft_tag,
        durable_object_name=sharding.durable_object_name,
        instance_names=sharding.instance_names,
        instance_count=sharding.instance_count,
        instances_listed=INSTANCES_LISTED,
        queue_settings=queue_settings,
        cost_chart_svg=chart.cost_chart_svg,
    )
    return environment


class PageOptions(NamedTuple):
    """Site settings that change what the pages show."""

    sample_tags: tuple[str, ...] = DEFAULT_SAMPLE_TAGS
    show_var_values: bool = False
    """Show the values of vars that do not look like credentials."""
    environments: tuple[str, ...] | None = None
    """Named environments to show; None shows all of them."""
    template_dirs: tuple[Path, ...] = (TEMPLATES_DIR,)
    traffic: TrafficAssumptions = TrafficAssumptions()
    """Traffic the tag cache cost estimate is computed for."""


DEFAULT_OPTIONS = PageOptions()


def _shown_worker(project: Project, options: PageOptions) -> Worker | None:
    worker = project.worker
    if worker is None or options.environments is None:
        return worker
    kept = tuple(env for env in worker.environments if env.name in options.environments)
    return worker._replace(environments=kept)


def _var_value(var: Var, options: PageOptions) -> str | None:
    """Return the text of a var's value for the pages, or None when it must stay hidden."""
    if not options.show_var_values or looks_like_credential(var.name, var.value):
        return None
    if isinstance(var.value, str):
        return var.value
    return json.dumps(var.value, ensure_ascii=False, default=str)


class ServiceEdge(NamedTuple):
    """A service binding from one listed Worker (by index) to another."""

    source: int
    target: int
    label: str


def service_edges(projects: Sequence[Project]) -> list[ServiceEdge]:
    """Return the service bindings between the listed Workers, in every environment."""
    owners: dict[str, int] = {}
    for index, project in enumerate(projects):
        if project.worker is None:
            continue
        for environment in project.worker.all_environments:
            owners.setdefault(environment.worker_name, index)
    edges: list[ServiceEdge] = []
    for index, project in enumerate(projects):
        if project.worker is None:
            continue
        for environment in project.worker.all_environments:
            for binding in environment.bindings_of("service"):
                target = owners.get(binding.target)
                if target is None or target == index:
                    continue
                label = binding.name
                if environment.name is not None:
                    label += f" ({environment.name})"
                edge = ServiceEdge(index, target, label)
                if edge not in edges:
                    edges.append(edge)
    return edges


def published_sources(project: Project, options: PageOptions) -> dict[str, SourceText]:
    """Return the sources that excerpts on the pages are cut from, with var values masked."""
    keep = None
    if options.show_var_values:
        keep = lambda name, value: not looks_like_credential(name, value)  # noqa: E731
    return excerpt_sources(project, keep)


_COST_REPORTS: dict[tuple[int, TrafficAssumptions], tuple[OpenNextApp, CostReport | None]] = {}
_COST_REPORTS_KEPT = 8


def _cost_report(app: OpenNextApp | None, traffic: TrafficAssumptions) -> CostReport | None:
    """Return `cost_report_for_app(app, traffic)`, computed once per app object.

    Every page of a Worker gets the same report, and computing it takes milliseconds. Both
    inputs are NamedTuples that nothing changes after they are built, so the report of
    one app object stays the same. The app is kept with its report, so its id cannot be
    reused while the entry exists.
    """
    key = (id(app), traffic)
    cached = _COST_REPORTS.get(key)
    if cached is not None and cached[0] is app:
        return cached[1]
    report = cost_report_for_app(app, traffic)
    if len(_COST_REPORTS) >= _COST_REPORTS_KEPT:
        _COST_REPORTS.clear()
    _COST_REPORTS[key] = (app, report)
    return report


def page_context(
    project: Project,
    options: PageOptions = DEFAULT_OPTIONS,
    projects: Sequence[Project] = (),
    sources: Mapping[str, SourceText] | None = None,
) -> dict[str, Any]:
    """Return the variables every page template receives."""
    if sources is None:
        sources = published_sources(project, options)
    return {
        "project": project,
        "projects": tuple(projects) or (project,),
        "worker": _shown_worker(project, options),
        "app": project.app,
        "diagnostics": project.diagnostics,
        "cost": _cost_report(project.app, options.traffic),
        "detail_limit": DETAIL_LIMIT,
        "list_limit": LIST_LIMIT,
        "checks": project.checks,
        "sample_tags": options.sample_tags,
        "var_value": lambda var: _var_value(var, options),
        "show_var_values": options.show_var_values,
        "rules": all_rules(),
        "service_edges": service_edges,
        "reading_codes": [code for code in CODES.values() if code.code < "WD2"],
        "excerpt": lambda diagnostic: source_excerpt(diagnostic, sources.get(diagnostic.file)),
    }


def render_page(
    spec: PageSpec,
    project: Project,
    options: PageOptions = DEFAULT_OPTIONS,
    projects: Sequence[Project] = (),
    extra: Mapping[str, Any] | None = None,
    sources: Mapping[str, SourceText] | None = None,
) -> str:
    """Render one generated page to Markdown. Raises jinja2.TemplateError on template mistakes."""
    template = jinja_environment(options.template_dirs).get_template(spec.template)
    context = page_context(project, options, projects, sources)
    context.update(extra or {})
    return template.render(context, page=spec)


def render_pages(project: Project, options: PageOptions = DEFAULT_OPTIONS) -> dict[str, str]:
    """Render every generated page of one Worker, keyed by its path inside docs_dir."""
    sources = published_sources(project, options)
    return {spec.path: render_page(spec, project, options, sources=sources) for spec in PAGES}
