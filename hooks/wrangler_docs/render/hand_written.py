"""Hand-written pages: the loaded config through Jinja, and the drift check.

A page in docs/ is rendered as a Jinja template before Markdown, so it can write
`{{ binding("NEXT_TAG_CACHE_DO_SHARDED").target }}` instead of copying a class name. A page
opts out with `jinja: false` in its front matter.

The drift check reads the inline code of a page. A name written like a binding
(`UPPER_CASE_WITH_UNDERSCORES`) that no listed config declares, or a class-like name close to
a declared Durable Object class (`DOTagCacheShard` beside `DOShardedTagCache`), is reported
with its page line, because that is how hand-written docs go stale.
"""

from __future__ import annotations

import functools
import re
import traceback
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from ..diagnostics import did_you_mean

if TYPE_CHECKING:
    import jinja2

_TEMPLATE_NAME = "<page>"
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_BINDING_LIKE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")
_CLASS_LIKE = re.compile(r"^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$")
_DURABLE_OBJECT_STYLE = re.compile(r"^DO[A-Z][a-z]|DurableObject")
_JINJA_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_CLASS_CUTOFF = 0.6
"""Similarity (difflib ratio) above which a class-like name counts as a stale class name.
`DOTagCacheShard` against `DOShardedTagCache` scores 0.625."""


class PageTemplateError(Exception):
    """A Jinja error in a hand-written page, with the 1-based line in the page body."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False
    )


def _template_line(error: BaseException) -> int | None:
    line = getattr(error, "lineno", None)
    if isinstance(line, int):
        return line
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename == _TEMPLATE_NAME and frame.lineno is not None:
            return frame.lineno
    return None


def blank_jinja(markdown: str) -> str:
    """Return `markdown` with every Jinja expression, statement and comment blanked out.

    Each character of a `{{ }}`, `{% %}` or `{# #}` becomes a space, except line breaks, so
    the text written around them keeps its line and column in the page file.
    """
    return _JINJA_TAG.sub(lambda match: re.sub(r"[^\n]", " ", match.group()), markdown)


def render_page_template(markdown: str, context: Mapping[str, Any]) -> str:
    """Render a page body as Jinja. Raises PageTemplateError with the line of the mistake."""
    import jinja2

    try:
        template = _environment().from_string(markdown)
        template.filename = _TEMPLATE_NAME
        return template.render(context)
    except jinja2.TemplateSyntaxError as error:
        raise PageTemplateError(error.lineno, error.message or str(error)) from None
    except jinja2.TemplateError as error:
        raise PageTemplateError(_template_line(error), str(error)) from None


class StaleName(NamedTuple):
    """A name in a page's inline code that no listed config declares."""

    name: str
    line: int
    column: int
    suggestion: str


def _code_spans(markdown: str) -> Iterable[tuple[int, int, str]]:
    """Yield (line, column, text) of each inline code span outside fenced code blocks."""
    fence = ""
    for line_number, line in enumerate(markdown.splitlines(), start=1):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
            continue
        if opening:
            fence = opening.group(1)
            continue
        if line.startswith(("    ", "\t")) and not line.strip().startswith(("-", "*", "1")):
            continue
        for match in _INLINE_CODE.finditer(line):
            yield line_number, match.start(2) + 1, match.group(2).strip()


def find_stale_names(
    markdown: str,
    declared_names: Iterable[str],
    declared_classes: Iterable[str],
    ignored: Iterable[str] = (),
    known_classes: Iterable[str] = (),
) -> list[StaleName]:
    """Return the binding-like and class-like names in inline code that nothing declares.

    `declared_names` are binding and var names, `declared_classes` Durable Object classes.
    A class-like name counts when it is close to a declared class, is styled like a Durable
    Object class (`DOSomething`, `...DurableObject...`), or is in `known_classes` (classes a
    library exports) without being declared.
    """
    extra_classes = set(known_classes)
    names = set(declared_names)
    classes = set(declared_classes)
    skip = set(ignored)
    known = names | classes | skip
    stale: list[StaleName] = []
    for line, column, text in _code_spans(markdown):
        if text in known:
            continue
        if _BINDING_LIKE.match(text):
            stale.append(StaleName(text, line, column, did_you_mean(text, sorted(names))))
        elif _CLASS_LIKE.match(text):
            close = did_you_mean(text, sorted(classes), cutoff=_CLASS_CUTOFF)
            if close or _DURABLE_OBJECT_STYLE.search(text) or text in extra_classes:
                stale.append(StaleName(text, line, column, close))
    return stale
