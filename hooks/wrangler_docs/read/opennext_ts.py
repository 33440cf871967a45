"""Read open-next.config.ts: which override fills each cache slot, and with which options.

The file is parsed with tree-sitter's TypeScript grammar and never executed. Only literal
values can be read. An option written as a call, or as an identifier that is not a top-level
`const` with a literal value, becomes a `NonLiteral` and yields a WD052 warning.

Supported shapes: `export default defineCloudflareConfig({...})`, `export default config` or
`export { config as default }` with `const config = defineCloudflareConfig(...)`, and a plain
`export default {...}` with the same keys. Without a default export, the first top-level
`const` initialised with `defineCloudflareConfig(...)` is documented, with a warning that
OpenNext's build stops on such a file.
"""

from __future__ import annotations

import bisect
import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..codes import CODES
from ..diagnostics import Diagnostic, SourceText, did_you_mean, format_config_path
from ..facts import opennext
from .document import DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, Span

if TYPE_CHECKING:
    from tree_sitter import Node, Parser

logger = logging.getLogger(__name__)

CONFIG_FUNCTION = "defineCloudflareConfig"
OVERRIDES_PREFIX = opennext.PACKAGE + "/overrides/"

SLOT_NAMES = frozenset(override.slot for override in opennext.OVERRIDES.values())
"""Keys of defineCloudflareConfig whose value is an override (incrementalCache, tagCache...)."""

_WRAPPING_NODES = frozenset(
    {
        "parenthesized_expression",
        "as_expression",
        "satisfies_expression",
        "non_null_expression",
        "type_assertion",
    }
)
_FUNCTION_NODES = frozenset(
    {
        "arrow_function",
        "function_expression",
        "function",
        "generator_function",
        "method_definition",
    }
)
_IDENTIFIER_NODES = frozenset({"identifier", "shorthand_property_identifier"})
_LITERAL_NODES = frozenset(
    {"string", "template_string", "number", "true", "false", "null", "undefined"}
)
_MAX_REFERENCE_CHAIN = 32
"""Maximum chain of `const a = b` aliases or nested wrappers followed."""
_SHORT_ERROR = 30
"""Maximum length of unparsable text quoted whole in a syntax error message, in characters."""
_MESSAGE_SNIPPET = 60
"""Maximum length of expression text quoted in a message, in characters."""

_SIMPLE_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    "0": "\0",
}
_LINE_TERMINATORS = ("\r\n", "\n", "\r", "\u2028", "\u2029")


class NonLiteral:
    """An option value the reader cannot evaluate, kept as its source text."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NonLiteral):
            return NotImplemented
        return self.text == other.text

    def __hash__(self) -> int:
        return hash(self.text)

    def __repr__(self) -> str:
        return f"NonLiteral({self.text!r})"

    def __str__(self) -> str:
        return self.text


class OverrideCall(NamedTuple):
    """One override or wrapper expression, such as `doShardedTagCache({ baseShardSize: 12 })`.

    `module` is the import path of the identifier, or None when it is not imported. `export` is
    "default" for a default import, otherwise the imported name. `options` is the literal
    value of the options argument, and `option_spans` maps option paths such as
    `("shardReplication", "numberOfSoftReplicas")` to their positions. The empty path is the
    whole options argument. `start` and `end` are character offsets of the expression.
    """

    module: str | None
    export: str
    local_name: str
    called: bool
    options: Any
    has_options: bool
    option_spans: dict[tuple, Span]
    start: int
    end: int


class SlotConfig(NamedTuple):
    """The value of one override key of the config, such as `tagCache`.

    `override` is the innermost override, which does the work. It is None for an inline
    object or function. `wrappers` lists the wrapping calls, outermost first.
    """

    slot: str
    override: OverrideCall | None
    wrappers: tuple[OverrideCall, ...]
    start: int
    end: int


class OpenNextConfig:
    """The settings of open-next.config.ts.

    `slots` contains override keys whose value is an override expression. An override key with
    a literal value, such as `queue: "direct"`, is stored in `options` with the other literal
    top-level keys instead.
    """

    __slots__ = ("diagnostics", "found", "options", "slots", "source")

    def __init__(
        self,
        source: SourceText,
        found: bool = False,
        slots: dict[str, SlotConfig] | None = None,
        options: dict[str, Any] | None = None,
        diagnostics: list[Diagnostic] | None = None,
    ) -> None:
        self.source = source
        self.found = found
        self.slots = slots if slots is not None else {}
        self.options = options if options is not None else {}
        self.diagnostics = diagnostics if diagnostics is not None else []


class _Import(NamedTuple):
    module: str
    export: str
    """The imported name, "default", or "*" for a namespace import."""


_PARSE_LOCK = threading.Lock()
"""tree-sitter parsers are not thread-safe, so the shared parser is used by one thread at a time."""
_PARSER: Parser | None = None


def _parser() -> Parser:
    """Return the process-wide TypeScript parser, created on first use."""
    global _PARSER
    if _PARSER is None:
        import tree_sitter
        import tree_sitter_typescript

        language = tree_sitter.Language(tree_sitter_typescript.language_typescript())
        _PARSER = tree_sitter.Parser(language)
    return _PARSER


class _CharOffsets:
    """Convert tree-sitter byte offsets into the UTF-8 text to character offsets."""

    def __init__(self, text: str) -> None:
        self._ends: list[int] = []
        self._extra: list[int] = []
        if text.isascii():
            return
        byte = 0
        extra = 0
        for char in text:
            code = ord(char)
            if code < 0x80:
                width = 1
            elif code < 0x800:
                width = 2
            elif code < 0x10000:
                width = 3
            else:
                width = 4
            byte += width
            if width > 1:
                extra += width - 1
                self._ends.append(byte)
                self._extra.append(extra)

    def char(self, byte: int) -> int:
        index = bisect.bisect_right(self._ends, byte) - 1
        return byte - (self._extra[index] if index >= 0 else 0)


def parse_opennext_config(text: str, display_name: str, path: Path | None = None) -> OpenNextConfig:
    """Read the config from the text of open-next.config.ts.

    Problems in the text are reported in `diagnostics`, not raised.
    """
    source = SourceText(text, display_name, path)
    config = OpenNextConfig(source=source)
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > DEFAULT_MAX_BYTES:
        config.diagnostics.append(
            _diagnostic(
                source,
                "WD008",
                f"{display_name} is {size} bytes, more than the {DEFAULT_MAX_BYTES} bytes read",
                0,
            )
        )
        return config
    _Reader(source, config).read()
    return config


def read_opennext_config_file(path: Path, display_name: str) -> OpenNextConfig:
    """Read open-next.config.ts from `path`, reporting unreadable files as diagnostics.

    File problems (missing, too large, not UTF-8) are reported as for wrangler configs.
    """
    from .jsonc import read_config_text

    text, diagnostics = read_config_text(path, display_name, DEFAULT_MAX_BYTES)
    if text is None:
        return OpenNextConfig(source=SourceText("", display_name, path), diagnostics=diagnostics)
    return parse_opennext_config(text, display_name, path)


def _diagnostic(
    source: SourceText,
    code: str,
    message: str,
    start: int,
    end: int | None = None,
    *,
    path: tuple[str | int, ...] = (),
    hint: str = "",
) -> Diagnostic:
    return source.diagnostic(CODES[code].severity, code, message, start, end, path=path, hint=hint)


def _snippet(text: str) -> str:
    """Return `text` on one line, shortened for quoting in a message."""
    line = " ".join(text.split())
    if len(line) > _MESSAGE_SNIPPET:
        return line[: _MESSAGE_SNIPPET - 1] + "…"
    return line


def _named(node: Node) -> list[Node]:
    """Return the named children of `node`, without comments."""
    return [child for child in node.named_children if child.type != "comment"]


def _unwrap(node: Node) -> Node:
    """Strip parentheses, `as`, `satisfies`, `<T>` and `!`, which do not change a value."""
    for _ in range(DEFAULT_MAX_DEPTH):
        if node.type not in _WRAPPING_NODES:
            return node
        children = _named(node)
        if not children:
            return node
        node = children[-1] if node.type == "type_assertion" else children[0]
    return node


def _js_number(text: str) -> int | float:
    """Return the value of a JavaScript numeric literal (separators, hex, octal, BigInt).

    Raises ValueError for text that is not a numeric literal.
    """
    raw = text.replace("_", "")
    if raw.endswith("n"):
        return int(raw[:-1], 0)
    lower = raw.lower()
    if lower.startswith(("0x", "0o", "0b")):
        return int(raw, 0)
    if len(raw) > 1 and raw.startswith("0") and raw.isdigit() and set(raw) <= set("01234567"):
        return int(raw, 8)
    return _normalise_number(float(raw))


def _normalise_number(value: float) -> int | float:
    """Return whole JavaScript numbers as int, since JavaScript prints 4.0 as 4."""
    if value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _decode_escape(escape: str) -> str:
    """Return the characters a JavaScript escape sequence such as `\\u{1F600}` stands for."""
    body = escape[1:]
    if not body:
        return ""
    if body in _LINE_TERMINATORS:
        return ""
    if body in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[body]
    try:
        if body.startswith("x") and len(body) == 3:
            return chr(int(body[1:], 16))
        if body.startswith("u{") and body.endswith("}"):
            return chr(int(body[2:-1], 16))
        if body.startswith("u") and len(body) == 5:
            return chr(int(body[1:], 16))
        if body.isdigit():
            return chr(int(body, 8))
    except ValueError:
        return body
    return body


def _join_surrogates(text: str) -> str:
    """Combine surrogate pairs written as two `\\u` escapes into one character."""
    if not any(0xD800 <= ord(char) <= 0xDFFF for char in text):
        return text
    try:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    except UnicodeDecodeError:
        return text


class _Reader:
    """State of reading one file: its top-level imports and consts, and the result."""

    def __init__(self, source: SourceText, config: OpenNextConfig) -> None:
        self.source = source
        self.text = source.text
        self.config = config
        self.offsets = _CharOffsets(self.text)
        self.imports: dict[str, _Import] = {}
        self.consts: dict[str, Node] = {}
        self.options_checked = False
        """True when the config is a defineCloudflareConfig(...) call, whose keys are known."""

    # Positions and text

    def start(self, node: Node) -> int:
        return self.offsets.char(node.start_byte)

    def end(self, node: Node) -> int:
        return self.offsets.char(node.end_byte)

    def node_text(self, node: Node) -> str:
        return self.text[self.start(node) : self.end(node)]

    def report(
        self, code: str, message: str, node: Node | None, *, path: tuple = (), hint: str = ""
    ) -> None:
        start = self.start(node) if node is not None else 0
        end = self.end(node) if node is not None else None
        self.config.diagnostics.append(
            _diagnostic(self.source, code, message, start, end, path=path, hint=hint)
        )

    # Whole file

    def read(self) -> None:
        data = self.text.encode("utf-8", "surrogatepass")
        with _PARSE_LOCK:
            tree = _parser().parse(data)
        root = tree.root_node
        has_syntax_error = root.has_error
        if has_syntax_error:
            self.report_syntax_error(root)
        self.collect_top_level(root)
        self.check_override_imports(root)

        config_node, missing_reason = self.find_config(root)
        if config_node is None:
            if not has_syntax_error:
                self.report("WD051", missing_reason, None, hint=self.config_hint())
        else:
            self.config.found = True
            # Keys next to a syntax error may be cut short, so they are not checked for typos.
            self.options_checked = self.options_checked and not has_syntax_error
            if config_node.type == "object":
                self.read_config_object(config_node)
        self.config.diagnostics[:] = _first_syntax_error_only(self.config.diagnostics)
        logger.debug(
            "%s: config found=%s, slots=%s",
            self.source.display_name,
            self.config.found,
            sorted(self.config.slots),
        )

    @staticmethod
    def config_hint() -> str:
        return (
            f"Export the config with `export default {CONFIG_FUNCTION}({{ ... }})`, "
            f"importing {CONFIG_FUNCTION} from {opennext.PACKAGE}."
        )

    def report_syntax_error(self, root: Node) -> None:
        first: Node | None = None
        stack = [root]
        while stack:
            node = stack.pop()
            if node.type == "ERROR" or node.is_missing:
                if first is None or node.start_byte < first.start_byte:
                    first = node
                continue
            stack.extend(child for child in node.children if child.has_error or child.is_missing)
        if first is None:
            first = root
        if first.is_missing:
            message = f"Syntax error: missing `{first.type}`"
        else:
            message = self.unexpected_message(first)
        self.report(
            "WD050",
            message,
            first,
            hint="Fix the TypeScript syntax. The parts of the config that parse are still read.",
        )

    def unexpected_message(self, node: Node) -> str:
        text = self.node_text(node).strip()
        if not text:
            return "Syntax error"
        if "\n" not in text and len(text) <= _SHORT_ERROR:
            return f"Syntax error: unexpected `{text}`"
        first_line = _snippet(text.splitlines()[0])
        return f"Syntax error: cannot parse the code starting with `{first_line}`"

    def collect_top_level(self, root: Node) -> None:
        for statement in _named(root):
            if statement.type == "import_statement":
                self.collect_import(statement)
                continue
            declaration = statement
            if statement.type == "export_statement":
                declaration = statement.child_by_field_name("declaration") or statement
            if declaration.type not in ("lexical_declaration", "variable_declaration"):
                continue
            for declarator in _named(declaration):
                if declarator.type != "variable_declarator":
                    continue
                name = declarator.child_by_field_name("name")
                value = declarator.child_by_field_name("value")
                if name is not None and value is not None and name.type == "identifier":
                    self.consts[self.node_text(name)] = value

    def collect_import(self, statement: Node) -> None:
        source_node = statement.child_by_field_name("source")
        if source_node is None:
            return
        module = self.string_value(source_node)
        clause = next((child for child in _named(statement) if child.type == "import_clause"), None)
        if clause is None:
            return
        for part in _named(clause):
            if part.type == "identifier":
                self.imports[self.node_text(part)] = _Import(module, "default")
            elif part.type == "namespace_import":
                names = [child for child in _named(part) if child.type == "identifier"]
                if names:
                    self.imports[self.node_text(names[-1])] = _Import(module, "*")
            elif part.type == "named_imports":
                for specifier in _named(part):
                    if specifier.type != "import_specifier":
                        continue
                    name = specifier.child_by_field_name("name")
                    alias = specifier.child_by_field_name("alias") or name
                    if name is None or alias is None:
                        continue
                    self.imports[self.node_text(alias)] = _Import(module, self.name_value(name))

    def check_override_imports(self, root: Node) -> None:
        known = sorted(module[len(OVERRIDES_PREFIX) :] for module in opennext.OVERRIDES)
        for statement in _named(root):
            if statement.type != "import_statement":
                continue
            source_node = statement.child_by_field_name("source")
            if source_node is None:
                continue
            module = self.string_value(source_node)
            if not module.startswith(OVERRIDES_PREFIX) or module in opennext.OVERRIDES:
                continue
            match = did_you_mean(module[len(OVERRIDES_PREFIX) :], known, cutoff=0.6)
            hint = f"Did you mean `{OVERRIDES_PREFIX}{match}`?" if match else ""
            self.report(
                "WD053",
                f"`{module}` is not an override module of {opennext.PACKAGE} {opennext.VERSION}",
                source_node,
                hint=hint,
            )

    def name_value(self, node: Node) -> str:
        """Return an identifier's name, or the value of a string used as a name."""
        if node.type == "string":
            return self.string_value(node)
        return self.node_text(node)

    # Finding the config

    def find_config(self, root: Node) -> tuple[Node | None, str]:
        """Return the config object node (or the empty call) and, if none, why not."""
        exported = self.default_export(root)
        if exported is None:
            for name, value in self.consts.items():
                candidate = self.resolve(value)
                if self.is_config_call(candidate):
                    exported = candidate
                    # @opennextjs/cloudflare 1.20.17's ensureCloudflareConfig stops the build
                    # when the file has no default export.
                    self.report(
                        "WD051",
                        f"`{name}` contains the {CONFIG_FUNCTION}(...) config, but the file has no "
                        "`export default`, so OpenNext's build stops: the config must be the "
                        "default export",
                        candidate,
                        hint=f"Add `export default {name};`.",
                    )
                    break
        if exported is None:
            return None, f"No `export default` of a {CONFIG_FUNCTION}(...) call or object found"
        target = self.resolve(exported)
        if self.is_config_call(target):
            self.options_checked = True
            arguments = self.arguments(target)
            if not arguments or self.is_undefined(arguments[0]):
                return target, ""
            target = self.resolve(arguments[0])
        if target.type == "object":
            return target, ""
        return None, (
            f"The default export `{_snippet(self.node_text(exported))}` is not a "
            f"{CONFIG_FUNCTION}(...) call with an object literal, so no config could be read"
        )

    def default_export(self, root: Node) -> Node | None:
        for statement in _named(root):
            if statement.type != "export_statement":
                continue
            if any(child.type == "default" for child in statement.children):
                value = statement.child_by_field_name("value")
                if value is not None:
                    return value
            for clause in _named(statement):
                if clause.type != "export_clause":
                    continue
                for specifier in _named(clause):
                    name = specifier.child_by_field_name("name")
                    alias = specifier.child_by_field_name("alias")
                    if (
                        name is not None
                        and alias is not None
                        and self.node_text(alias) == "default"
                    ):
                        return name
        return None

    def is_config_call(self, node: Node) -> bool:
        if node.type != "call_expression":
            return False
        callee = node.child_by_field_name("function")
        if callee is None:
            return False
        _, _, export = self.callee(callee)
        return export == CONFIG_FUNCTION

    def read_config_object(self, node: Node) -> None:
        for key, key_node, value_node, member in self.members(node, 0):
            if key is None or value_node is None:
                self.warn_non_literal(member, ())
                continue
            if self.options_checked and key not in opennext.CONFIG_OPTIONS:
                match = did_you_mean(key, opennext.CONFIG_OPTIONS, cutoff=0.6)
                hint = (
                    f"Did you mean `{match}`?"
                    if match
                    else (f"Known options: {', '.join(opennext.CONFIG_OPTIONS)}.")
                )
                self.report(
                    "WD055",
                    f"{CONFIG_FUNCTION} has no option `{key}`, so OpenNext ignores it",
                    key_node or member,
                    path=(key,),
                    hint=hint,
                )
                continue
            if key in SLOT_NAMES and not self.is_literal_node(self.resolve(value_node)):
                self.config.slots[key] = self.read_slot(key, value_node)
                continue
            spans: dict[tuple, Span] = {}
            self.config.options[key] = self.literal(value_node, (key,), spans, (), 0)

    # Slots and overrides

    def read_slot(self, slot: str, value_node: Node) -> SlotConfig:
        wrappers: list[OverrideCall] = []
        override: OverrideCall | None = None
        current: Node | None = value_node
        for _ in range(_MAX_REFERENCE_CHAIN):
            if current is None:
                break
            expr = self.resolve(current)
            if expr.type in _IDENTIFIER_NODES or expr.type == "member_expression":
                override = self.reference(expr)
                break
            if expr.type != "call_expression":
                if expr.type not in _FUNCTION_NODES and expr.type != "object":
                    self.warn_non_literal(expr, (slot,))
                break
            inner, options_node, exclude = self.split_wrapper(slot, expr)
            if inner is None:
                arguments = self.arguments(expr)
                override = self.call(expr, slot, arguments[0] if arguments else None, None)
                break
            wrappers.append(self.call(expr, slot, options_node, exclude))
            current = inner
        return SlotConfig(
            slot=slot,
            override=override,
            wrappers=tuple(wrappers),
            start=self.start(value_node),
            end=self.end(value_node),
        )

    def split_wrapper(self, slot: str, call: Node) -> tuple[Node | None, Node | None, str | None]:
        """Return (inner override, options argument, key to leave out) for a wrapper call.

        A call wraps another override when its first argument is an override expression, as
        in `withRegionalCache(r2IncrementalCache, { mode: "long-lived" })`, or an object with
        the slot's key, as in `withFilter({ tagCache: doShardedTagCache(), filterFn })`.
        Returns (None, None, None) when the call is itself the override.
        """
        arguments = self.arguments(call)
        if not arguments:
            return None, None, None
        callee = call.child_by_field_name("function")
        module = self.callee(callee)[1] if callee is not None else None
        known = opennext.OVERRIDES.get(module) if module is not None else None
        if known is not None and known.bindings:
            # An override that reads bindings is a storage backend, never a wrapper.
            return None, None, None
        first = self.resolve(arguments[0])
        if first.type == "object":
            for key, _, value_node, _ in self.members(first, 0):
                if key == slot and value_node is not None:
                    return value_node, arguments[0], slot
            return None, None, None
        if self.is_undefined(first):
            return None, None, None
        if first.type in _IDENTIFIER_NODES or first.type in (
            "member_expression",
            "call_expression",
        ):
            return arguments[0], (arguments[1] if len(arguments) > 1 else None), None
        return None, None, None

    def call(
        self, node: Node, slot: str, options_node: Node | None, exclude: str | None
    ) -> OverrideCall:
        callee = node.child_by_field_name("function")
        local_name, module, export = self.callee(callee) if callee is not None else ("", None, "")
        spans: dict[tuple, Span] = {}
        options: Any = None
        has_options = options_node is not None and not self.is_undefined(options_node)
        if has_options and options_node is not None:
            if exclude is not None:
                options_node = self.resolve(options_node)
            options = self.literal(options_node, (), spans, (slot, local_name), 0, exclude)
            value = _unwrap(options_node)
            spans[()] = Span(-1, -1, self.start(value), self.end(value))
        return OverrideCall(
            module=module,
            export=export,
            local_name=local_name,
            called=True,
            options=options,
            has_options=has_options,
            option_spans=spans,
            start=self.start(node),
            end=self.end(node),
        )

    def reference(self, node: Node) -> OverrideCall:
        local_name, module, export = self.callee(node)
        return OverrideCall(
            module=module,
            export=export,
            local_name=local_name,
            called=False,
            options=None,
            has_options=False,
            option_spans={},
            start=self.start(node),
            end=self.end(node),
        )

    def callee(self, node: Node) -> tuple[str, str | None, str]:
        """Return (name as written, import path or None, exported name) of a function."""
        target = self.resolve(node)
        if target.type in _IDENTIFIER_NODES or target.type == "member_expression":
            node = target
        text = self.node_text(node)
        if node.type in _IDENTIFIER_NODES:
            imported = self.imports.get(text)
            if imported is not None and imported.export != "*":
                return text, imported.module, imported.export
            return text, None, text
        if node.type == "member_expression":
            owner = _unwrap(node.child_by_field_name("object") or node)
            prop = node.child_by_field_name("property")
            if owner.type == "identifier" and prop is not None:
                imported = self.imports.get(self.node_text(owner))
                if imported is not None and imported.export == "*":
                    return text, imported.module, self.node_text(prop)
        return text, None, text

    # Values

    def resolve(self, node: Node) -> Node:
        """Unwrap `node` and follow identifiers through top-level `const` declarations."""
        node = _unwrap(node)
        seen: set[str] = set()
        while node.type in _IDENTIFIER_NODES:
            name = self.node_text(node)
            if name in self.imports or name in seen or name not in self.consts:
                break
            seen.add(name)
            node = _unwrap(self.consts[name])
        return node

    def arguments(self, call: Node) -> list[Node]:
        arguments = call.child_by_field_name("arguments")
        if arguments is None or arguments.type != "arguments":
            return []
        return _named(arguments)

    def is_undefined(self, node: Node) -> bool:
        node = _unwrap(node)
        return node.type == "undefined" or (
            node.type == "identifier" and self.node_text(node) == "undefined"
        )

    def is_literal_node(self, node: Node) -> bool:
        return node.type in _LITERAL_NODES or self.is_undefined(node)

    def members(
        self, node: Node, depth: int
    ) -> Iterator[tuple[str | None, Node | None, Node | None, Node]]:
        """Yield (key, key node, value node, member) for each member of an object literal.

        Spreads of top-level `const` objects are expanded in place. Members whose key or
        value cannot be read yield None for them.
        """
        for member in _named(node):
            if member.type == "pair":
                key_node = member.child_by_field_name("key")
                value_node = member.child_by_field_name("value")
                key = self.property_key(key_node) if key_node is not None else None
                yield key, key_node, value_node, member
            elif member.type == "shorthand_property_identifier":
                yield self.node_text(member), member, member, member
            elif member.type == "spread_element":
                targets = _named(member)
                target = self.resolve(targets[0]) if targets else member
                if target.type == "object" and depth < DEFAULT_MAX_DEPTH:
                    yield from self.members(target, depth + 1)
                else:
                    yield None, None, None, member
            elif member.type == "method_definition":
                key_node = member.child_by_field_name("name")
                key = self.property_key(key_node) if key_node is not None else None
                yield key, key_node, member, member
            elif member.type == "ERROR" or member.has_error:
                continue
            else:
                yield None, None, None, member

    def property_key(self, node: Node) -> str | None:
        if node.type in ("property_identifier", "identifier", "private_property_identifier"):
            return self.node_text(node)
        if node.type == "string":
            return self.string_value(node)
        if node.type == "computed_property_name":
            inner = _named(node)
            if not inner:
                return None
            node = self.resolve(inner[0])
            if node.type == "template_string" and not any(
                child.type == "template_substitution" for child in node.children
            ):
                return self.string_value(node)
            if node.type == "string":
                return self.string_value(node)
        if node.type == "number":
            try:
                return _js_key(_js_number(self.node_text(node)))
            except ValueError:
                return None
        return None

    def string_value(self, node: Node) -> str:
        """Return the value of a string or substitution-free template literal."""
        children = node.children
        if len(children) < 2:
            return ""
        parts: list[str] = []
        position = children[0].end_byte
        template = node.type == "template_string"
        for child in children[1:-1]:
            if child.type != "escape_sequence":
                continue
            parts.append(self.raw_text(position, child.start_byte, template))
            parts.append(_decode_escape(self.node_text(child)))
            position = child.end_byte
        parts.append(self.raw_text(position, children[-1].start_byte, template))
        value = "".join(parts)
        if not template and ("\n" in value or "\r" in value):
            self.report_line_break_in_string(node, parts)
        return _join_surrogates(value)

    def report_line_break_in_string(self, node: Node, parts: list[str]) -> None:
        """Report a raw line break inside quotes, which JavaScript rejects."""
        raw_parts = parts[0::2]
        if not any("\n" in part or "\r" in part for part in raw_parts):
            return
        self.report(
            "WD050",
            "Syntax error: unterminated string, a line break is not allowed inside quotes",
            node,
            hint="Close the string on the same line, write \\n for a line break, "
            "or use a template literal.",
        )

    def raw_text(self, start_byte: int, end_byte: int, template: bool) -> str:
        raw = self.text[self.offsets.char(start_byte) : self.offsets.char(end_byte)]
        if template:
            raw = raw.replace("\r\n", "\n").replace("\r", "\n")
        return raw

    def literal(
        self,
        node: Node,
        path: tuple,
        spans: dict[tuple, Span],
        context: tuple,
        depth: int,
        exclude: str | None = None,
    ) -> Any:
        """Return the Python value of a literal expression, recording member positions.

        `context` prefixes `path` in diagnostics. Non-literal parts become NonLiteral and
        yield a WD052 warning, except functions and names imported from OpenNext packages.
        """
        expr = _unwrap(node)
        if depth > DEFAULT_MAX_DEPTH:
            self.report(
                "WD007",
                f"Value nested more than {DEFAULT_MAX_DEPTH} levels deep",
                expr,
                path=(*context, *path),
            )
            return NonLiteral(_snippet(self.node_text(expr)))
        kind = expr.type
        if kind == "object":
            return self.object_literal(expr, path, spans, context, depth, exclude)
        if kind == "array":
            return self.array_literal(expr, path, spans, context, depth)
        if kind == "string":
            return self.string_value(expr)
        if kind == "template_string":
            if any(child.type == "template_substitution" for child in expr.children):
                return self.warn_non_literal(expr, (*context, *path))
            return self.string_value(expr)
        if kind == "number":
            try:
                return _js_number(self.node_text(expr))
            except ValueError:
                return self.warn_non_literal(expr, (*context, *path))
        if kind in ("true", "false"):
            return kind == "true"
        if kind in ("null", "undefined"):
            return None
        if kind == "unary_expression":
            return self.unary_literal(expr, path, spans, context, depth)
        if kind in _IDENTIFIER_NODES:
            return self.identifier_literal(expr, path, spans, context, depth)
        if kind in _FUNCTION_NODES:
            return NonLiteral(_snippet(self.node_text(expr)))
        if kind == "ERROR" or expr.is_missing or expr.has_error:
            return NonLiteral(_snippet(self.node_text(expr)))
        return self.warn_non_literal(expr, (*context, *path))

    def object_literal(
        self,
        node: Node,
        path: tuple,
        spans: dict[tuple, Span],
        context: tuple,
        depth: int,
        exclude: str | None,
    ) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, key_node, value_node, member in self.members(node, depth):
            if key is None or key_node is None or value_node is None:
                self.warn_non_literal(member, (*context, *path))
                continue
            if key == exclude:
                continue
            member_path = (*path, key)
            value_expr = _unwrap(value_node)
            spans[member_path] = Span(
                self.start(key_node),
                self.end(key_node),
                self.start(value_expr),
                self.end(value_expr),
            )
            result[key] = self.literal(value_node, member_path, spans, context, depth + 1)
        return result

    def array_literal(
        self, node: Node, path: tuple, spans: dict[tuple, Span], context: tuple, depth: int
    ) -> list[Any]:
        result: list[Any] = []
        for element in _named(node):
            if element.type == "spread_element":
                targets = _named(element)
                target = self.resolve(targets[0]) if targets else element
                if target.type == "array":
                    spread = self.array_literal(
                        target, (*path, len(result)), {}, context, depth + 1
                    )
                    result.extend(spread)
                else:
                    self.warn_non_literal(element, (*context, *path))
                continue
            element_path = (*path, len(result))
            value = _unwrap(element)
            spans[element_path] = Span(-1, -1, self.start(value), self.end(value))
            result.append(self.literal(element, element_path, spans, context, depth + 1))
        return result

    def unary_literal(
        self, node: Node, path: tuple, spans: dict[tuple, Span], context: tuple, depth: int
    ) -> Any:
        operator = node.child_by_field_name("operator")
        argument = node.child_by_field_name("argument")
        if operator is not None and argument is not None and operator.type in ("-", "+"):
            value = self.literal(argument, path, {}, context, depth + 1)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return _normalise_number(float(-value)) if operator.type == "-" else value
            if isinstance(value, NonLiteral):
                return NonLiteral(_snippet(self.node_text(node)))
        return self.warn_non_literal(node, (*context, *path))

    def identifier_literal(
        self, node: Node, path: tuple, spans: dict[tuple, Span], context: tuple, depth: int
    ) -> Any:
        name = self.node_text(node)
        if name == "undefined":
            return None
        if name == "NaN":
            return float("nan")
        if name == "Infinity":
            return float("inf")
        imported = self.imports.get(name)
        if imported is not None and imported.module.startswith("@opennextjs/"):
            return NonLiteral(name)
        resolved = self.resolve(node)
        if resolved.type in _IDENTIFIER_NODES:
            return self.warn_non_literal(node, (*context, *path))
        return self.literal(resolved, path, spans, context, depth + 1)

    def warn_non_literal(self, node: Node, path: tuple) -> NonLiteral:
        text = _snippet(self.node_text(node))
        where = f"`{format_config_path(path)}`" if path else "this value"
        self.report(
            "WD052",
            f"`{text}` is not a literal, so {where} cannot be documented",
            node,
            path=path,
            hint="Use a literal value (a number, string, boolean, object or array) or a "
            "top-level const with a literal value.",
        )
        return NonLiteral(text)


def _first_syntax_error_only(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Drop duplicates and every WD050 after the first, since later ones often follow from it."""
    unique = list(dict.fromkeys(diagnostics))
    syntax = [diagnostic for diagnostic in unique if diagnostic.code == "WD050"]
    if len(syntax) < 2:
        return unique
    first = min(syntax, key=Diagnostic.sort_key)
    return [
        diagnostic for diagnostic in unique if diagnostic.code != "WD050" or diagnostic is first
    ]


def _js_key(value: int | float) -> str:
    """Return the property name JavaScript makes of a numeric key, e.g. 1.0 -> "1"."""
    if isinstance(value, int):
        return str(value)
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return repr(value)
