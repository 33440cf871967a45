"""The rule registry: checks that a schema cannot express, each with a code, a severity,
what breaks at run time when it fails, and the fix.

A rule is a function that takes a RuleContext and yields diagnostics. The `rule` decorator
registers it with its documentation. The /rules/ page is rendered from these records, so the
docs of the checks cannot drift from the checks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from ..diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from ..model.opennext import OpenNextApp
    from ..model.worker import Worker
    from ..read.document import ParsedDocument
    from ..read.opennext_ts import OpenNextConfig


class RuleContext(NamedTuple):
    """Everything a rule may look at. `app` is None unless the Worker is an OpenNext app."""

    document: ParsedDocument
    worker: Worker
    opennext: OpenNextConfig | None
    app: OpenNextApp | None


RuleCheck = Callable[[RuleContext], Iterable[Diagnostic]]


class Rule(NamedTuple):
    code: str
    severity: Severity
    title: str
    scope: str
    """"wrangler" for every Worker, "opennext" only for OpenNext apps."""
    explanation: str
    """The failure at run time, or at deploy, when the rule is broken."""
    fix: str
    source: str
    """The source of the fact behind the rule, with its version."""
    check: RuleCheck


REGISTRY: dict[str, Rule] = {}


def rule(
    code: str,
    severity: Severity,
    title: str,
    *,
    scope: str,
    explanation: str,
    fix: str,
    source: str,
) -> Callable[[RuleCheck], RuleCheck]:
    """Register the decorated function as the check of rule `code`."""
    if scope not in ("wrangler", "opennext"):
        raise ValueError(f"Rule {code}: scope must be 'wrangler' or 'opennext', not {scope!r}")

    def register(check: RuleCheck) -> RuleCheck:
        if code in REGISTRY:
            raise ValueError(f"Rule code {code} is registered twice")
        REGISTRY[code] = Rule(code, severity, title, scope, explanation, fix, source, check)
        return check

    return register


def load_rules() -> dict[str, Rule]:
    """Import every rule module, so that all rules are registered, and return the registry."""
    from . import rules_opennext, rules_wrangler  # noqa: F401  (imported to register)

    return REGISTRY


def all_rules() -> list[Rule]:
    """Return every registered rule, ordered by code."""
    return sorted(load_rules().values(), key=lambda item: item.code)


def run_rules(context: RuleContext) -> list[Diagnostic]:
    """Run every rule that applies to this Worker and return their diagnostics."""
    diagnostics: list[Diagnostic] = []
    for item in all_rules():
        if item.scope == "opennext" and context.app is None:
            continue
        diagnostics.extend(item.check(context))
    return diagnostics


def iter_environments(context: RuleContext) -> Iterator:  # type: ignore[type-arg]
    """Yield the top level and every named environment of the Worker."""
    yield from context.worker.all_environments


def emit(
    context: RuleContext,
    code: str,
    message: str,
    path: Sequence[str | int],
    *,
    hint: str = "",
    at: str = "value",
    related: Sequence[Sequence[str | int]] = (),
) -> Diagnostic:
    """Create rule `code`'s diagnostic at `path` in the wrangler config.

    `at` is "value" to point at the value, "key" to point at the member's key. A path that
    does not exist points at its nearest existing ancestor. `related` paths are listed as
    other positions.
    """
    document = context.document
    if at == "key":
        start, end = document.key_range(path)
    else:
        start, end = document.value_range(path)
    return document.source.diagnostic(
        REGISTRY[code].severity,
        code,
        message,
        start,
        end,
        path=path,
        hint=hint,
        related=[document.value_range(other)[0] for other in related],
    )


def emit_in_opennext(
    context: RuleContext,
    code: str,
    message: str,
    start: int,
    end: int,
    *,
    path: Sequence[str | int] = (),
    hint: str = "",
) -> Diagnostic:
    """Create rule `code`'s diagnostic at character offsets of open-next.config.ts."""
    assert context.opennext is not None
    return context.opennext.source.diagnostic(
        REGISTRY[code].severity, code, message, start, end, path=path, hint=hint
    )
