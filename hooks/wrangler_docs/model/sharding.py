"""OpenNext's tag-to-shard mapping for the sharded Durable Object tag cache.

This reproduces `generateShardId` from @opennextjs/aws 4.1.16 (`core/routing/queue.js`) and the
Durable Object naming of `doShardedTagCache` in @opennextjs/cloudflare 1.20.17
(`overrides/tag-cache/do-sharded-tag-cache.js`), so pages can show which Durable Object
instance stores a tag. The hash is cyrb128 (only its first 32-bit word), fed as the seed of one
mulberry32 step. All arithmetic is on 32-bit words, as JavaScript's `Math.imul` and `>>>` do it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any, NamedTuple

from ..facts import opennext
from .javascript import js_string

_MASK32 = 0xFFFFFFFF
_TWO_POW_32 = 4294967296

_CYRB128_SEEDS = (1779033703, 3144134277, 1013904242, 2773480762)
_CYRB128_MULTIPLIERS = (597399067, 2869860233, 951274213, 2716044179)
_MULBERRY32_INCREMENT = 0x6D2B79F5

NAN_SHARD = "NaN"
"""Shard index as JavaScript prints it when `baseShardSize` is undefined."""


class ShardingOptionError(ValueError):
    """A `doShardedTagCache` option that cannot be used to compute shard names.

    `path` is the option's position inside the options object, for example
    `("shardReplication", "numberOfSoftReplicas")`, so callers can point at it in the source.
    """

    def __init__(
        self, path: tuple[str, ...], message: str, hint: str = "", *, expression: bool = False
    ) -> None:
        super().__init__(message)
        self.path = path
        self.hint = hint
        self.expression = expression
        """True when the option is an expression the reader could not evaluate."""


def _imul(a: int, b: int) -> int:
    """Multiply like `Math.imul`, returning the low 32 bits as an unsigned word."""
    return ((a & _MASK32) * (b & _MASK32)) & _MASK32


def _utf16_code_units(text: str) -> list[int]:
    """Return the UTF-16 code units JavaScript's `charCodeAt` yields for `text`."""
    data = text.encode("utf-16-le", "surrogatepass")
    return [int.from_bytes(data[i : i + 2], "little") for i in range(0, len(data), 2)]


def cyrb128_h1(text: str) -> int:
    """Return the first 32-bit word of cyrb128 over the UTF-16 code units of `text`.

    Lone surrogates in `text` are hashed as the code units they are, as in JavaScript.
    """
    h1, h2, h3, h4 = _CYRB128_SEEDS
    m1, m2, m3, m4 = _CYRB128_MULTIPLIERS
    for unit in _utf16_code_units(text):
        h1 = h2 ^ _imul(h1 ^ unit, m1)
        h2 = h3 ^ _imul(h2 ^ unit, m2)
        h3 = h4 ^ _imul(h3 ^ unit, m3)
        h4 = h1 ^ _imul(h4 ^ unit, m4)
    h1 = _imul(h3 ^ (h1 >> 18), m1)
    h2 = _imul(h4 ^ (h2 >> 22), m2)
    h3 = _imul(h1 ^ (h3 >> 17), m3)
    h4 = _imul(h2 ^ (h4 >> 19), m4)
    return (h1 ^ h2 ^ h3 ^ h4) & _MASK32


def mulberry32_first(seed: int) -> int:
    """Return the first unsigned 32-bit output of mulberry32 seeded with `seed`."""
    t = (seed + _MULBERRY32_INCREMENT) & _MASK32
    t = _imul(t ^ (t >> 15), t | 1)
    t = t ^ ((t + _imul(t ^ (t >> 7), t | 61)) & _MASK32)
    return t ^ (t >> 14)


def _bucket(text: str, count: int) -> int:
    """Return `Math.floor(mulberry32(cyrb128(text))() * count)` as OpenNext computes it.

    The product of a 32-bit word and a count below 2**21 fits in a double's 53-bit mantissa,
    so the float arithmetic below is exact and equals `(r * count) >> 32`.
    """
    r = mulberry32_first(cyrb128_h1(text))
    return math.floor(r / _TWO_POW_32 * count)


def _require_positive_int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return value


def shard_index(tag: str, base_shard_size: int) -> int:
    """Return the shard index (0 to `base_shard_size` - 1) OpenNext gives `tag`.

    The index is computed over the whole tag, including a `_N_T_/` prefix.
    Raises ValueError when `base_shard_size` is not a positive integer.
    """
    size = _require_positive_int(base_shard_size, "baseShardSize")
    return _bucket(tag, size)


def message_group_id(
    path: str, concurrency: int = opennext.DEFAULT_MAX_REVALIDATE_CONCURRENCY
) -> str:
    """Return the `revalidate-<n>` message group, and so the queue Durable Object, of `path`.

    `concurrency` is `MAX_REVALIDATE_CONCURRENCY`. Raises ValueError unless it is a positive
    integer.
    """
    count = _require_positive_int(concurrency, opennext.MAX_REVALIDATE_CONCURRENCY_VAR)
    return f"revalidate-{_bucket(path, count)}"


def is_soft_tag(tag: str) -> bool:
    """Return whether `tag` is a soft tag, the kind `revalidatePath` writes."""
    return tag.startswith(opennext.SOFT_TAG_PREFIX)


class ShardingOptions(NamedTuple):
    """The settings of a `doShardedTagCache(...)` call that decide Durable Object names.

    `base_shard_size` is None when an options object was passed without `baseShardSize`.
    OpenNext then multiplies by undefined, so every tag of a kind lands in `shard-NaN`.
    """

    base_shard_size: int | None
    soft_replicas: int
    hard_replicas: int
    regional_replication: bool
    default_region: str
    regional_cache: bool
    regional_cache_ttl_sec: int
    max_write_retries: int
    explicit: bool
    """An options object was passed to `doShardedTagCache`."""


DEFAULT_SHARDING_OPTIONS = ShardingOptions(
    base_shard_size=opennext.DEFAULT_BASE_SHARD_SIZE,
    soft_replicas=1,
    hard_replicas=1,
    regional_replication=False,
    default_region=opennext.DEFAULT_REGION,
    regional_cache=False,
    regional_cache_ttl_sec=opennext.DEFAULT_REGIONAL_CACHE_TTL_SEC,
    max_write_retries=opennext.DEFAULT_WRITE_RETRIES,
    explicit=False,
)
"""Settings of `doShardedTagCache()` called without arguments, or passed uncalled to the config."""


def _whole_number(value: Any) -> int | None:
    """Return `value` as an int when it is a JavaScript number with no fraction."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _option_int(
    options: Mapping[str, Any], path: tuple[str, ...], default: int, minimum: int
) -> int:
    value = options.get(path[-1])
    if value is None:
        return default
    number = _whole_number(value)
    if number is None or number < minimum:
        raise ShardingOptionError(
            path,
            f"{'.'.join(path)} must be an integer of at least {minimum}, got {_describe(value)}",
            _literal_hint(value, f"Write a whole number of at least {minimum}."),
            expression=_is_expression(value),
        )
    return number


def _option_bool(options: Mapping[str, Any], path: tuple[str, ...]) -> bool:
    value = options.get(path[-1])
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ShardingOptionError(
            path,
            f"{'.'.join(path)} must be true or false, got {_describe(value)}",
            _literal_hint(value, "Write true or false."),
            expression=_is_expression(value),
        )
    return value


def _option_object(options: Mapping[str, Any], path: tuple[str, ...]) -> Mapping[str, Any] | None:
    value = options.get(path[-1])
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ShardingOptionError(
            path,
            f"{'.'.join(path)} must be an object, got {_describe(value)}",
            _literal_hint(value, "Write an object literal: { ... }."),
            expression=_is_expression(value),
        )
    return value


def _describe(value: Any) -> str:
    """Return `value` as the message shows it: a JavaScript literal as JavaScript writes it, an
    expression by its source."""
    text = getattr(value, "text", None)
    if isinstance(text, str):
        return f"the expression `{text}`"
    if isinstance(value, (str, list, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return js_string(value)


def _is_expression(value: Any) -> bool:
    return isinstance(getattr(value, "text", None), str)


def _literal_hint(value: Any, fix: str) -> str:
    """Return the hint for an unusable option: `fix`, and for an expression why it is needed."""
    if _is_expression(value):
        return (
            f"{fix.rstrip('.')} as a literal: wrangler-docs reads open-next.config.ts without "
            "running it, so it needs the value written out."
        )
    return fix


def sharding_options(options: Any, has_options: bool) -> ShardingOptions:
    """Return the sharding settings of `doShardedTagCache(options)`.

    Pass `OverrideCall.options` and `OverrideCall.has_options`. Defaults follow
    @opennextjs/cloudflare 1.20.17: `baseShardSize` defaults to 4 only when no options object
    is passed, replicas default to 1, `defaultRegion` to "enam", `regionalCacheTtlSec` to 5 and
    `maxWriteRetries` to 3. Null or undefined values count as absent.

    Raises ShardingOptionError (a ValueError) with the option's path when a value is not a
    literal of the right type, a size or replica count is below 1, or the region is unknown.
    """
    if not has_options:
        return DEFAULT_SHARDING_OPTIONS
    if not isinstance(options, Mapping):
        raise ShardingOptionError(
            (), f"doShardedTagCache options must be an object literal, got {_describe(options)}"
        )

    # NOTE: JavaScript turns `baseShardSize: null` into shard-0, not shard-NaN. The reader gives
    # None for both null and undefined, so null is treated here like a missing size.
    base_shard_size: int | None = None
    if options.get("baseShardSize") is not None:
        base_shard_size = _option_int(options, ("baseShardSize",), 0, 1)

    soft_replicas = 1
    hard_replicas = 1
    regional_replication = False
    default_region = opennext.DEFAULT_REGION
    replication = _option_object(options, ("shardReplication",))
    if replication is not None:
        soft_path = ("shardReplication", "numberOfSoftReplicas")
        hard_path = ("shardReplication", "numberOfHardReplicas")
        soft_replicas = _option_int(replication, soft_path, 1, 1)
        hard_replicas = _option_int(replication, hard_path, 1, 1)
        regional_path = ("shardReplication", "regionalReplication")
        regional = _option_object(replication, regional_path)
        if regional is not None:
            regional_replication = True
            region = regional.get("defaultRegion")
            if region is not None:
                if region not in opennext.AVAILABLE_REGIONS:
                    raise ShardingOptionError(
                        (*regional_path, "defaultRegion"),
                        f"shardReplication.regionalReplication.defaultRegion must be one of "
                        f"{', '.join(opennext.AVAILABLE_REGIONS)}, got {_describe(region)}",
                        _literal_hint(
                            region, f"Use one of {', '.join(opennext.AVAILABLE_REGIONS)}."
                        ),
                    )
                default_region = region

    return ShardingOptions(
        base_shard_size=base_shard_size,
        soft_replicas=soft_replicas,
        hard_replicas=hard_replicas,
        regional_replication=regional_replication,
        default_region=default_region,
        regional_cache=_option_bool(options, ("regionalCache",)),
        regional_cache_ttl_sec=_option_int(
            options, ("regionalCacheTtlSec",), opennext.DEFAULT_REGIONAL_CACHE_TTL_SEC, 0
        ),
        max_write_retries=_option_int(
            options, ("maxWriteRetries",), opennext.DEFAULT_WRITE_RETRIES, 0
        ),
        explicit=True,
    )


def _base_shard_id(tag: str, opts: ShardingOptions) -> str:
    if opts.base_shard_size is None:
        return f"shard-{NAN_SHARD}"
    return f"shard-{shard_index(tag, opts.base_shard_size)}"


def shard_id(tag: str, opts: ShardingOptions) -> str:
    """Return the shard of `tag` without replica or region, e.g. `tag-hard;shard-1`."""
    kind = "soft" if is_soft_tag(tag) else "hard"
    return f"tag-{kind};{_base_shard_id(tag, opts)}"


def durable_object_name(
    tag: str, opts: ShardingOptions, replica: int = 1, region: str | None = None
) -> str:
    """Return the name passed to `idFromName` for `tag` on one replica and region.

    Example: `tag-soft;shard-3;replica-1`, or `tag-hard;shard-1;replica-2;region-weur`.
    Raises ValueError when `replica` is outside 1 to the replica count for the tag's kind, or
    `region` is not one of the regions OpenNext replicates to.
    """
    replicas = opts.soft_replicas if is_soft_tag(tag) else opts.hard_replicas
    if isinstance(replica, bool) or not isinstance(replica, int) or not 1 <= replica <= replicas:
        raise ValueError(f"replica must be an integer from 1 to {replicas}, got {replica!r}")
    name = f"{shard_id(tag, opts)};replica-{replica}"
    if region is None:
        return name
    if region not in opennext.AVAILABLE_REGIONS:
        raise ValueError(
            f"region must be one of {', '.join(opennext.AVAILABLE_REGIONS)}, got {region!r}"
        )
    return f"{name};region-{region}"


def instance_count(opts: ShardingOptions) -> int:
    """Return how many Durable Object names the tag cache can use:
    shards x (soft + hard replicas) x (6 regions with regional replication, else 1)."""
    if opts.base_shard_size is None:
        shards = 1
    else:
        shards = _require_positive_int(opts.base_shard_size, "baseShardSize")
    regions = len(opennext.AVAILABLE_REGIONS) if opts.regional_replication else 1
    return shards * (opts.soft_replicas + opts.hard_replicas) * regions


def instance_names(opts: ShardingOptions, limit: int | None = None) -> list[str]:
    """Return the Durable Object names the tag cache can use, soft shards first, at most
    `limit` of them (all when `limit` is None).

    Order: soft then hard, then shard index, then replica, then region in OpenNext's
    AVAILABLE_REGIONS order. Regions are added only with regional replication, where writes go
    to all of them. `instance_count` gives the full count without building the list.
    """
    if opts.base_shard_size is None:
        size = 1
    else:
        size = _require_positive_int(opts.base_shard_size, "baseShardSize")
    regions: tuple[str | None, ...] = (
        opennext.AVAILABLE_REGIONS if opts.regional_replication else (None,)
    )
    total = instance_count(opts) if limit is None else min(limit, instance_count(opts))
    names: list[str] = []
    for kind, replicas in (("soft", opts.soft_replicas), ("hard", opts.hard_replicas)):
        for index in range(size):
            shard = f"shard-{NAN_SHARD}" if opts.base_shard_size is None else f"shard-{index}"
            for replica in range(1, replicas + 1):
                base = f"tag-{kind};{shard};replica-{replica}"
                for region in regions:
                    if len(names) >= total:
                        return names
                    names.append(base if region is None else f"{base};region-{region}")
    return names
