"""Tests for reading open-next.config.ts."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import examples
from wrangler_docs.diagnostics import Severity
from wrangler_docs.facts import opennext
from wrangler_docs.model.sharding import instance_names, sharding_options
from wrangler_docs.read.document import DEFAULT_MAX_BYTES, Span
from wrangler_docs.read.opennext_ts import (
    NonLiteral,
    OpenNextConfig,
    OverrideCall,
    parse_opennext_config,
    read_opennext_config_file,
)

NAME = "open-next.config.ts"
OVERRIDES = "@opennextjs/cloudflare/overrides/"

LARGE_SITE = """\
import { defineCloudflareConfig } from "@opennextjs/cloudflare";
import r2IncrementalCache from "@opennextjs/cloudflare/overrides/incremental-cache/r2-incremental-cache";
import { withRegionalCache } from "@opennextjs/cloudflare/overrides/incremental-cache/regional-cache";
import doShardedTagCache from "@opennextjs/cloudflare/overrides/tag-cache/do-sharded-tag-cache";
import doQueue from "@opennextjs/cloudflare/overrides/queue/do-queue";
import { purgeCache } from "@opennextjs/cloudflare/overrides/cache-purge/index";

export default defineCloudflareConfig({
  incrementalCache: withRegionalCache(r2IncrementalCache, { mode: "long-lived" }),
  queue: doQueue,
  // This is only required if you use On-demand revalidation
  tagCache: doShardedTagCache({
    baseShardSize: 12,
    regionalCache: true,
    shardReplication: {
      numberOfSoftReplicas: 4,
      numberOfHardReplicas: 2,
      regionalReplication: {
        defaultRegion: "enam",
      },
    },
  }),
  enableCacheInterception: true,
  cachePurge: purgeCache({ type: "durableObject" }),
});
"""


def parse(text: str) -> OpenNextConfig:
    return parse_opennext_config(textwrap.dedent(text), NAME)


def codes(config: OpenNextConfig) -> list[str]:
    return [diagnostic.code for diagnostic in config.diagnostics]


def position(config: OpenNextConfig, offset: int) -> tuple[int, int]:
    return config.source.line_column(offset)


def override(config: OpenNextConfig, slot: str) -> OverrideCall:
    call = config.slots[slot].override
    assert call is not None
    return call


def source_of(config: OpenNextConfig, start: int, end: int) -> str:
    return config.source.text[start:end]


# The documented large-site config


def test_large_site_found() -> None:
    config = parse(LARGE_SITE)
    assert config.found is True
    assert config.diagnostics == []


def test_large_site_slots() -> None:
    config = parse(LARGE_SITE)
    assert sorted(config.slots) == ["cachePurge", "incrementalCache", "queue", "tagCache"]
    assert config.options == {"enableCacheInterception": True}


def test_large_site_tag_cache_options() -> None:
    call = override(parse(LARGE_SITE), "tagCache")
    assert call.module == opennext.TAG_CACHE_SHARDED
    assert call.export == "default"
    assert call.local_name == "doShardedTagCache"
    assert call.called is True
    assert call.has_options is True
    assert call.options == {
        "baseShardSize": 12,
        "regionalCache": True,
        "shardReplication": {
            "numberOfSoftReplicas": 4,
            "numberOfHardReplicas": 2,
            "regionalReplication": {"defaultRegion": "enam"},
        },
    }


def test_large_site_option_positions() -> None:
    config = parse(LARGE_SITE)
    spans = override(config, "tagCache").option_spans
    size = spans[("baseShardSize",)]
    assert position(config, size.key_start) == (13, 5)
    assert position(config, size.value_start) == (13, 20)
    assert source_of(config, size.value_start, size.value_end) == "12"
    soft = spans[("shardReplication", "numberOfSoftReplicas")]
    assert position(config, soft.value_start) == (16, 29)
    region = spans[("shardReplication", "regionalReplication", "defaultRegion")]
    assert position(config, region.value_start) == (19, 24)
    assert source_of(config, region.value_start, region.value_end) == '"enam"'


def test_large_site_options_root_span() -> None:
    config = parse(LARGE_SITE)
    root = override(config, "tagCache").option_spans[()]
    assert root.key_start == -1
    assert position(config, root.value_start) == (12, 31)
    assert position(config, root.value_end) == (22, 4)


def test_large_site_call_position() -> None:
    config = parse(LARGE_SITE)
    call = override(config, "tagCache")
    assert position(config, call.start) == (12, 13)
    assert source_of(config, call.start, call.end).startswith("doShardedTagCache({")
    assert source_of(config, call.start, call.end).endswith("})")


def test_large_site_slot_position() -> None:
    config = parse(LARGE_SITE)
    slot = config.slots["queue"]
    assert position(config, slot.start) == (10, 10)
    assert source_of(config, slot.start, slot.end) == "doQueue"


def test_large_site_regional_cache_wrapper() -> None:
    config = parse(LARGE_SITE)
    slot = config.slots["incrementalCache"]
    assert slot.override is not None
    assert slot.override.module == opennext.INCREMENTAL_CACHE_R2
    assert slot.override.called is False
    assert slot.override.options is None
    assert len(slot.wrappers) == 1
    wrapper = slot.wrappers[0]
    assert wrapper.module == OVERRIDES + "incremental-cache/regional-cache"
    assert wrapper.export == "withRegionalCache"
    assert wrapper.options == {"mode": "long-lived"}
    assert position(config, wrapper.option_spans[("mode",)].value_start) == (9, 67)


def test_large_site_queue_reference() -> None:
    call = override(parse(LARGE_SITE), "queue")
    assert call.module == opennext.QUEUE_DO
    assert call.called is False
    assert call.has_options is False
    assert call.options is None
    assert call.option_spans == {}


def test_large_site_cache_purge() -> None:
    call = override(parse(LARGE_SITE), "cachePurge")
    assert call.module == opennext.CACHE_PURGE
    assert call.export == "purgeCache"
    assert call.options == {"type": "durableObject"}


def test_large_site_instance_names() -> None:
    call = override(parse(LARGE_SITE), "tagCache")
    names = instance_names(sharding_options(call.options, call.has_options))
    assert len(names) == 12 * (4 + 2) * len(opennext.AVAILABLE_REGIONS)


# Ways to export the config


def test_const_then_export_default() -> None:
    config = parse(
        """\
        import doQueue from "@opennextjs/cloudflare/overrides/queue/do-queue";
        const config = defineCloudflareConfig({ queue: doQueue });
        export default config;
        """
    )
    assert config.found is True
    assert override(config, "queue").module == opennext.QUEUE_DO


def test_export_as_default() -> None:
    config = parse(
        """\
        const config = defineCloudflareConfig({ enableCacheInterception: false });
        export { config as default };
        """
    )
    assert config.found is True
    assert config.options == {"enableCacheInterception": False}


def test_plain_object_export() -> None:
    config = parse(
        """\
        import doQueue from "@opennextjs/cloudflare/overrides/queue/do-queue";
        export default { queue: doQueue, enableCacheInterception: true };
        """
    )
    assert config.found is True
    assert override(config, "queue").module == opennext.QUEUE_DO
    assert config.options == {"enableCacheInterception": True}


def test_config_without_export_default() -> None:
    config = parse("const config = defineCloudflareConfig({ enableCacheInterception: true });\n")
    assert config.found is True
    assert config.options == {"enableCacheInterception": True}
    assert codes(config) == ["WD051"]
    diagnostic = config.diagnostics[0]
    assert (diagnostic.line, diagnostic.column) == (1, 16)
    assert "has no `export default`, so OpenNext's build stops" in diagnostic.message
    assert diagnostic.hint == "Add `export default config;`."


def test_empty_config_call() -> None:
    config = parse("export default defineCloudflareConfig();\n")
    assert config.found is True
    assert config.slots == {}
    assert config.diagnostics == []


def test_wrapped_export() -> None:
    config = parse(
        """\
        export default (defineCloudflareConfig({
          enableCacheInterception: (true as boolean),
        }) satisfies OpenNextConfig);
        """
    )
    assert config.found is True
    assert config.options == {"enableCacheInterception": True}


def test_config_object_from_const() -> None:
    config = parse(
        """\
        const options = { enableCacheInterception: true } as const;
        export default defineCloudflareConfig(options);
        """
    )
    assert config.options == {"enableCacheInterception": True}


def test_config_spread_of_const() -> None:
    config = parse(
        """\
        import doQueue from "@opennextjs/cloudflare/overrides/queue/do-queue";
        const base = { queue: doQueue };
        export default defineCloudflareConfig({ ...base, enableCacheInterception: true });
        """
    )
    assert override(config, "queue").module == opennext.QUEUE_DO
    assert config.options == {"enableCacheInterception": True}


def test_namespace_imports() -> None:
    config = parse(
        """\
        import * as cf from "@opennextjs/cloudflare";
        import * as sharded from "@opennextjs/cloudflare/overrides/tag-cache/do-sharded-tag-cache";
        export default cf.defineCloudflareConfig({ tagCache: sharded.default({ baseShardSize: 2 }) });
        """
    )
    call = override(config, "tagCache")
    assert call.module == opennext.TAG_CACHE_SHARDED
    assert call.export == "default"
    assert call.local_name == "sharded.default"
    assert call.options == {"baseShardSize": 2}


# Overrides, wrappers and names


def test_shorthand_through_const() -> None:
    config = parse(
        """\
        import doShardedTagCache from "@opennextjs/cloudflare/overrides/tag-cache/do-sharded-tag-cache";
        const tagCache = doShardedTagCache({ baseShardSize: 8 });
        export default defineCloudflareConfig({ tagCache });
        """
    )
    call = override(config, "tagCache")
    assert call.options == {"baseShardSize": 8}
    assert position(config, call.start) == (2, 18)
    assert position(config, call.option_spans[("baseShardSize",)].value_start) == (2, 53)
    slot = config.slots["tagCache"]
    assert position(config, slot.start) == (3, 41)


def test_aliased_named_import() -> None:
    config = parse(
        """\
        import r2 from "@opennextjs/cloudflare/overrides/incremental-cache/r2-incremental-cache";
        import { withRegionalCache as wrc } from "@opennextjs/cloudflare/overrides/incremental-cache/regional-cache";
        export default defineCloudflareConfig({ incrementalCache: wrc(r2, { mode: "short-lived" }) });
        """
    )
    wrapper = config.slots["incrementalCache"].wrappers[0]
    assert wrapper.local_name == "wrc"
    assert wrapper.export == "withRegionalCache"
    assert override(config, "incrementalCache").local_name == "r2"


def test_with_filter_wrapper() -> None:
    config = parse(
        """\
        import doShardedTagCache from "@opennextjs/cloudflare/overrides/tag-cache/do-sharded-tag-cache";
        import { withFilter, softTagFilter } from "@opennextjs/cloudflare/overrides/tag-cache/tag-cache-filter";
        export default defineCloudflareConfig({
          tagCache: withFilter({
            tagCache: doShardedTagCache({ baseShardSize: 12 }),
            filterFn: softTagFilter,
          }),
        });
        """
    )
    slot = config.slots["tagCache"]
    assert slot.override is not None
    assert slot.override.module == opennext.TAG_CACHE_SHARDED
    assert slot.override.options == {"baseShardSize": 12}
    assert [wrapper.export for wrapper in slot.wrappers] == ["withFilter"]
    assert slot.wrappers[0].options == {"filterFn": NonLiteral("softTagFilter")}
    assert config.diagnostics == []


def test_with_filter_inline_function() -> None:
    config = parse(
        """\
        import d1NextTagCache from "@opennextjs/cloudflare/overrides/tag-cache/d1-next-tag-cache";
        import { withFilter } from "@opennextjs/cloudflare/overrides/tag-cache/tag-cache-filter";
        export default defineCloudflareConfig({
          tagCache: withFilter({ tagCache: d1NextTagCache, filterFn: (tag) => !tag.startsWith("x") }),
        });
        """
    )
    assert override(config, "tagCache").module == opennext.TAG_CACHE_D1
    assert config.slots["tagCache"].wrappers[0].options["filterFn"] == NonLiteral(
        '(tag) => !tag.startsWith("x")'
    )
    assert config.diagnostics == []


def test_nested_wrappers_outermost_first() -> None:
    config = parse(
        """\
        import doQueue from "@opennextjs/cloudflare/overrides/queue/do-queue";
        import queueCache from "@opennextjs/cloudflare/overrides/queue/queue-cache";
        export default defineCloudflareConfig({
          queue: queueCache(queueCache(doQueue), { regionalCacheTtlSec: 5, waitForQueueAck: true }),
        });
        """
    )
    slot = config.slots["queue"]
    assert [wrapper.has_options for wrapper in slot.wrappers] == [True, False]
    assert slot.wrappers[0].options == {"regionalCacheTtlSec": 5, "waitForQueueAck": True}
    assert override(config, "queue").module == opennext.QUEUE_DO


def test_override_with_identifier_options_is_not_wrapper() -> None:
    config = parse(
        """\
        import { purgeCache } from "@opennextjs/cloudflare/overrides/cache-purge/index";
        import { purgeOptions } from "./purge";
        export default defineCloudflareConfig({ cachePurge: purgeCache(purgeOptions) });
        """
    )
    slot = config.slots["cachePurge"]
    assert slot.wrappers == ()
    assert override(config, "cachePurge").options == NonLiteral("purgeOptions")
    assert codes(config) == ["WD052"]


@pytest.mark.parametrize(
    ("argument", "has_options", "options"),
    [("", False, None), ("{}", True, {}), ("undefined", False, None), ("null", True, None)],
)
def test_has_options(argument: str, has_options: bool, options: object) -> None:
    config = parse(
        f"""\
        import doShardedTagCache from "@opennextjs/cloudflare/overrides/tag-cache/do-sharded-tag-cache";
        export default defineCloudflareConfig({{ tagCache: doShardedTagCache({argument}) }});
        """
    )
    call = override(config, "tagCache")
    assert call.called is True
    assert call.has_options is has_options
    assert call.options == options


def test_not_imported_identifier() -> None:
    config = parse("export default defineCloudflareConfig({ queue: myQueue });\n")
    call = override(config, "queue")
    assert call.module is None
    assert call.export == "myQueue"
    assert call.local_name == "myQueue"


def test_local_function_call() -> None:
    config = parse(
        """\
        function makeQueue() { return null; }
        export default defineCloudflareConfig({ queue: makeQueue() });
        """
    )
    call = override(config, "queue")
    assert call.module is None
    assert call.called is True
    assert call.has_options is False


def test_literal_slot_value_goes_to_options() -> None:
    config = parse(
        'export default defineCloudflareConfig({ queue: "direct", tagCache: "dummy" });\n'
    )
    assert config.slots == {}
    assert config.options == {"queue": "direct", "tagCache": "dummy"}


def test_inline_override_object() -> None:
    config = parse(
        """\
        export default defineCloudflareConfig({
          queue: { name: "custom", send: async () => {} },
        });
        """
    )
    assert config.slots["queue"].override is None
    assert config.slots["queue"].wrappers == ()
    assert config.diagnostics == []


def test_conditional_slot_value_warns() -> None:
    config = parse("export default defineCloudflareConfig({ queue: dev ? a : b });\n")
    assert config.slots["queue"].override is None
    assert codes(config) == ["WD052"]
    assert config.diagnostics[0].column == 48


# Literal values


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("1_000", 1000),
        ("-4", -4),
        ("+4", 4),
        ("-1.5e1", -15),
        ("0.5", 0.5),
        (".25", 0.25),
        ("4.0", 4),
        ("0x1F", 31),
        ("0o17", 15),
        ("0b101", 5),
        ("10n", 10),
        ("`plain`", "plain"),
        ("`two\nlines`", "two\nlines"),
        ("'single'", "single"),
        ('"tab\\there"', "tab\there"),
        ('"\\u{1F600}"', "😀"),
        ('"\\uD83D\\uDE00"', "😀"),
        ('"\\x41\\u0042"', "AB"),
        ('"\\q"', "q"),
        ('"line \\\ncontinued"', "line continued"),
        ('"ü😀"', "ü😀"),
        ("true", True),
        ("false", False),
        ("null", None),
        ("undefined", None),
        ("[1, 'a', [true]]", [1, "a", [True]]),
        ("[1, ...[2, 3]]", [1, 2, 3]),
        (
            "{ 'quoted-key': 1, 2: 'two', [`computed`]: 3 }",
            {"quoted-key": 1, "2": "two", "computed": 3},
        ),
        ("{ a: 1, a: 2 }", {"a": 2}),
        ("(4 as const)", 4),
        ("<number>4", 4),
        ("4!", 4),
        ("4 satisfies number", 4),
    ],
)
def test_literal_values(expression: str, value: object) -> None:
    config = parse_opennext_config(f"export default {{ x: {expression} }};\n", NAME)
    assert config.options == {"x": value}
    assert config.diagnostics == []


def test_option_resolved_through_const() -> None:
    config = parse(
        """\
        import doShardedTagCache from "@opennextjs/cloudflare/overrides/tag-cache/do-sharded-tag-cache";
        const SHARDS = 1_6;
        const REPLICATION = { numberOfSoftReplicas: 2, numberOfHardReplicas: 1 } as const;
        export default defineCloudflareConfig({
          tagCache: doShardedTagCache({ baseShardSize: SHARDS, shardReplication: REPLICATION }),
        });
        """
    )
    call = override(config, "tagCache")
    assert call.options == {
        "baseShardSize": 16,
        "shardReplication": {"numberOfSoftReplicas": 2, "numberOfHardReplicas": 1},
    }
    assert position(config, call.option_spans[("baseShardSize",)].value_start) == (5, 48)
    nested = call.option_spans[("shardReplication", "numberOfSoftReplicas")]
    assert position(config, nested.value_start) == (3, 45)


def test_negative_const() -> None:
    config = parse("const N = 3;\nexport default { x: -N };\n")
    assert config.options == {"x": -3}


# Non-literal values


def test_call_option_warns() -> None:
    config = parse(
        """\
        import doShardedTagCache from "@opennextjs/cloudflare/overrides/tag-cache/do-sharded-tag-cache";
        export default defineCloudflareConfig({
          tagCache: doShardedTagCache({ baseShardSize: getShards() }),
        });
        """
    )
    assert override(config, "tagCache").options == {"baseShardSize": NonLiteral("getShards()")}
    assert codes(config) == ["WD052"]
    diagnostic = config.diagnostics[0]
    assert diagnostic.severity is Severity.WARNING
    assert (diagnostic.line, diagnostic.column) == (3, 48)
    assert (diagnostic.end_line, diagnostic.end_column) == (3, 59)
    assert diagnostic.path == "tagCache.doShardedTagCache.baseShardSize"
    assert diagnostic.file == NAME
    assert "`getShards()` is not a literal" in diagnostic.message
    assert "cannot be documented" in diagnostic.message
    assert "literal" in diagnostic.hint


def test_unknown_identifier_option_warns() -> None:
    config = parse("export default defineCloudflareConfig({ enableCacheInterception: flag });\n")
    assert config.options == {"enableCacheInterception": NonLiteral("flag")}
    assert codes(config) == ["WD052"]
    assert config.diagnostics[0].column == 66
    assert config.diagnostics[0].path == "enableCacheInterception"


def test_imported_identifier_option_warns() -> None:
    config = parse('import { FLAG } from "./flags";\nexport default { x: FLAG };\n')
    assert config.options == {"x": NonLiteral("FLAG")}
    assert codes(config) == ["WD052"]


def test_template_substitution_warns() -> None:
    config = parse("const env = 'prod';\nexport default { x: `cache-${env}` };\n")
    assert config.options == {"x": NonLiteral("`cache-${env}`")}
    assert codes(config) == ["WD052"]
    assert (config.diagnostics[0].line, config.diagnostics[0].column) == (2, 21)


def test_unresolved_spread_warns() -> None:
    config = parse("export default { x: { ...other, a: 1 } };\n")
    assert config.options == {"x": {"a": 1}}
    assert codes(config) == ["WD052"]
    assert config.diagnostics[0].column == 23


def test_computed_key_warns() -> None:
    config = parse("export default { x: { [key]: 1 } };\n")
    assert config.options == {"x": {}}
    assert codes(config) == ["WD052"]


def test_const_cycle_warns() -> None:
    config = parse("const a = b;\nconst b = a;\nexport default { x: a };\n")
    assert config.options == {"x": NonLiteral("a")}
    assert codes(config) == ["WD052"]


def test_deep_nesting_reports() -> None:
    depth = 200
    config = parse_opennext_config(f"export default {{ x: {'[' * depth}{']' * depth} }};\n", NAME)
    assert "WD007" in codes(config)


# Syntax errors and missing config


def test_syntax_error_unexpected() -> None:
    config = parse("export default defineCloudflareConfig({ a: 1 b: 2 });\n")
    assert codes(config) == ["WD050"]
    diagnostic = config.diagnostics[0]
    assert diagnostic.severity is Severity.ERROR
    assert (diagnostic.line, diagnostic.column) == (1, 46)
    assert "unexpected `b: 2`" in diagnostic.message


def test_syntax_error_missing() -> None:
    config = parse("export default defineCloudflareConfig({ a: [1, 2 });\n")
    assert codes(config) == ["WD050"]
    assert (config.diagnostics[0].line, config.diagnostics[0].column) == (1, 49)
    assert "missing `]`" in config.diagnostics[0].message


def test_syntax_error_keeps_readable_parts() -> None:
    config = parse("export default defineCloudflareConfig({ a: 1 });\nconst x = ;\n")
    assert config.found is True
    assert config.options == {"a": 1}
    assert (config.diagnostics[0].line, config.diagnostics[0].column) == (2, 9)


def test_syntax_error_line_break_in_string() -> None:
    config = parse('export default { a: "one\ntwo" };\n')
    assert codes(config) == ["WD050"]
    assert (config.diagnostics[0].line, config.diagnostics[0].column) == (1, 21)


def test_syntax_error_suppresses_missing_config() -> None:
    config = parse("export default defineCloudflareConfig({\n")
    assert config.found is False
    assert codes(config) == ["WD050"]


def test_no_config() -> None:
    config = parse("export const unrelated = 1;\n")
    assert config.found is False
    assert codes(config) == ["WD051"]
    diagnostic = config.diagnostics[0]
    assert diagnostic.severity is Severity.WARNING
    assert (diagnostic.line, diagnostic.column) == (1, 1)
    assert "defineCloudflareConfig" in diagnostic.hint


def test_empty_file() -> None:
    config = parse("")
    assert config.found is False
    assert codes(config) == ["WD051"]
    assert (config.diagnostics[0].line, config.diagnostics[0].column) == (1, 1)


def test_default_export_not_config() -> None:
    config = parse("export default defineCloudflareConfig(makeConfig());\n")
    assert config.found is False
    assert codes(config) == ["WD051"]
    assert "defineCloudflareConfig(makeConfig())" in config.diagnostics[0].message


# Unknown override imports


def test_unknown_override_import_suggests() -> None:
    config = parse(
        """\
        import { purgeCache } from "@opennextjs/cloudflare/overrides/cache-purge";
        export default defineCloudflareConfig({ cachePurge: purgeCache({ type: "durableObject" }) });
        """
    )
    assert codes(config) == ["WD053"]
    diagnostic = config.diagnostics[0]
    assert diagnostic.severity is Severity.WARNING
    assert (diagnostic.line, diagnostic.column) == (1, 28)
    assert diagnostic.hint == f"Did you mean `{opennext.CACHE_PURGE}`?"
    assert override(config, "cachePurge").module == OVERRIDES + "cache-purge"


def test_unknown_override_import_typo() -> None:
    config = parse(
        'import t from "@opennextjs/cloudflare/overrides/tag-cache/do-sharded-tag-cach";\n'
        "export default defineCloudflareConfig({ tagCache: t });\n"
    )
    assert config.diagnostics[0].hint == f"Did you mean `{opennext.TAG_CACHE_SHARDED}`?"


def test_unknown_override_import_no_close_match() -> None:
    config = parse(
        'import x from "@opennextjs/cloudflare/overrides/something-else/entirely-unrelated";\n'
        "export default defineCloudflareConfig({});\n"
    )
    assert codes(config) == ["WD053"]
    assert config.diagnostics[0].hint == ""


def test_known_and_other_imports_pass() -> None:
    config = parse(
        """\
        import { defineCloudflareConfig } from "@opennextjs/cloudflare";
        import memoryQueue from "@opennextjs/cloudflare/overrides/queue/memory-queue";
        import { helper } from "./local";
        export default defineCloudflareConfig({ queue: memoryQueue });
        """
    )
    assert config.diagnostics == []


# Character offsets


def test_offsets_count_characters_not_bytes() -> None:
    config = parse(
        """\
        // Caché für 😀 Emoji
        import doShardedTagCache from "@opennextjs/cloudflare/overrides/tag-cache/do-sharded-tag-cache";
        export default defineCloudflareConfig({ /* ü */ tagCache: doShardedTagCache({ baseShardSize: "😀😀", x: f() }) });
        """
    )
    call = override(config, "tagCache")
    span = call.option_spans[("baseShardSize",)]
    assert source_of(config, span.value_start, span.value_end) == '"😀😀"'
    assert position(config, span.value_start) == (3, 94)
    assert call.options["baseShardSize"] == "😀😀"
    assert (config.diagnostics[0].line, config.diagnostics[0].column) == (3, 103)
    assert (config.diagnostics[0].end_line, config.diagnostics[0].end_column) == (3, 106)


def test_offsets_after_astral_on_same_line() -> None:
    config = parse_opennext_config('export default { s: "😀", n: 1 };\n', NAME)
    assert config.options == {"s": "😀", "n": 1}
    doc = parse_opennext_config('export default { s: "😀", n: f() };\n', NAME)
    assert (doc.diagnostics[0].line, doc.diagnostics[0].column) == (1, 29)


# Files


def test_read_file(tmp_path: Path) -> None:
    path = tmp_path / NAME
    path.write_text(LARGE_SITE, encoding="utf-8")
    config = read_opennext_config_file(path, NAME)
    assert config.found is True
    assert config.source.path == path
    assert config.source.display_name == NAME


def test_read_file_with_bom(tmp_path: Path) -> None:
    path = tmp_path / NAME
    path.write_bytes(b"\xef\xbb\xbfexport default { a: f() };\n")
    config = read_opennext_config_file(path, NAME)
    assert config.options == {"a": NonLiteral("f()")}
    assert (config.diagnostics[0].line, config.diagnostics[0].column) == (1, 21)


def test_read_missing_file(tmp_path: Path) -> None:
    config = read_opennext_config_file(tmp_path / "absent.ts", "absent.ts")
    assert config.found is False
    assert codes(config) == ["WD009"]
    assert config.diagnostics[0].file == "absent.ts"
    assert (config.diagnostics[0].line, config.diagnostics[0].column) == (1, 1)


def test_read_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / NAME
    path.write_bytes(b"export default {};\n// \xff\n")
    config = read_opennext_config_file(path, NAME)
    assert codes(config) == ["WD006"]
    assert (config.diagnostics[0].line, config.diagnostics[0].column) == (2, 4)
    assert "0xFF" in config.diagnostics[0].message


def test_read_too_large(tmp_path: Path) -> None:
    path = tmp_path / NAME
    path.write_bytes(b" " * (DEFAULT_MAX_BYTES + 1))
    config = read_opennext_config_file(path, NAME)
    assert codes(config) == ["WD008"]


def test_parse_too_large() -> None:
    config = parse_opennext_config(" " * (DEFAULT_MAX_BYTES + 1), NAME)
    assert codes(config) == ["WD008"]
    assert config.found is False


def test_import_does_not_load_tree_sitter() -> None:
    script = "import sys, wrangler_docs.read.opennext_ts; print('tree_sitter' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_option_span_type() -> None:
    call = override(parse(LARGE_SITE), "cachePurge")
    assert isinstance(call.option_spans[("type",)], Span)


# Robustness

_TOKENS = [
    "export",
    "default",
    "defineCloudflareConfig",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "...",
    "tagCache",
    "queue",
    "x",
    "1_0",
    "-",
    '"s',
    '"',
    "`",
    "${",
    "as const",
    "😀",
    "\n",
    "import d from",
    '"@opennextjs/cloudflare/overrides/queue/do-queue"',
    "const",
    "=",
    ";",
]


@settings(max_examples=examples(300, ci=2000), deadline=None)
@given(st.lists(st.sampled_from(_TOKENS), max_size=40))
def test_token_soup_never_raises(tokens: list[str]) -> None:
    config = parse_opennext_config(" ".join(tokens), NAME)
    assert isinstance(config.diagnostics, list)


@settings(max_examples=examples(200, ci=1000), deadline=None)
@given(st.text(max_size=200))
def test_any_text_never_raises(text: str) -> None:
    config = parse_opennext_config(text, NAME)
    assert isinstance(config.diagnostics, list)


@settings(max_examples=examples(200, ci=1000), deadline=None)
@given(st.integers(min_value=0, max_value=len(LARGE_SITE)), st.integers(min_value=1, max_value=40))
def test_truncated_config_never_raises(start: int, length: int) -> None:
    config = parse_opennext_config(LARGE_SITE[:start] + LARGE_SITE[start + length :], NAME)
    assert all(diagnostic.line >= 1 for diagnostic in config.diagnostics)


def test_misspelt_config_option() -> None:
    config = parse("export default defineCloudflareConfig({ tagcache: undefined });\n")
    assert codes(config) == ["WD055"]
    diagnostic = config.diagnostics[0]
    assert (diagnostic.line, diagnostic.column) == (1, 41)
    assert (
        diagnostic.message
        == "defineCloudflareConfig has no option `tagcache`, so OpenNext ignores it"
    )
    assert diagnostic.hint == "Did you mean `tagCache`?"
    assert config.options == {}


def test_unknown_option_of_plain_object_not_checked() -> None:
    config = parse("export default { default: { override: {} } };\n")
    assert codes(config) == []
