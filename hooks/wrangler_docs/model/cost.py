"""Monthly cost of OpenNext's tag cache on each backend: sharded Durable Objects, D1 and KV.

Operation counts follow the tag cache code of @opennextjs/cloudflare 1.20.17:

- Sharded Durable Objects (`doShardedTagCache`). A page request groups its tags by Durable
  Object name and makes one `getTagData` RPC per name. Each RPC is one billed Durable Object
  request, because Cloudflare bills every RPC method call on a stub as one request. A
  revalidation makes one `writeTags` RPC per distinct (kind, shard) among its tags, on every
  replica of that kind and, with regional replication, in each of the 6 regions.
- D1 (`d1NextModeTagCache`): one `SELECT ... WHERE tag IN (...)` per page request and one
  `INSERT` per revalidated tag.
- KV (`kvNextModeTagCache`): one bulk `get` per page request, billed per key, and one `put` per
  revalidated tag.

Rows read and written per query were counted by running OpenNext's own schemas and queries in
workerd 1.20261117.1 through Miniflare 5.20261117.0-beta. They were not checked against
production billing:

- An `IN` lookup of k tags on the unique tag index reads k + f rows when k >= 2 and f rows when
  k = 1, where f is the number of tags that have a row. A Durable Object's `getTagData`, on a
  table whose primary key is the tag, counts the same way.
- An upsert of one tag writes 2 rows (table and index) and reads 1 row if the tag had a row.

Prices come from `facts/pricing.json`. Costs are pro rata: usage beyond the included amount
times the unit price.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from ..facts import opennext as opennext_facts
from ..facts import pricing
from .sharding import DEFAULT_SHARDING_OPTIONS, ShardingOptions

if TYPE_CHECKING:
    from .opennext import OpenNextApp

PLAN_PAID = "paid"
PLAN_PAID_INCLUDED_USED = "paid-included-used"
PLAN_FREE = "free"
PLANS = (PLAN_PAID, PLAN_PAID_INCLUDED_USED, PLAN_FREE)
PLAN_LABELS = {
    PLAN_PAID: "Workers Paid",
    PLAN_PAID_INCLUDED_USED: "Workers Paid, included amounts used elsewhere",
    PLAN_FREE: "Workers Free",
}
PLAN_DESCRIPTIONS = {
    PLAN_PAID: "Workers Paid, with the monthly included amounts available to the tag cache",
    PLAN_PAID_INCLUDED_USED: "Workers Paid, with the monthly included amounts already used by "
    "other Workers on the account, so every operation is billed",
    PLAN_FREE: "Workers Free: no charges, but daily limits after which operations fail",
}

BACKEND_SHARDED = "sharded"
BACKEND_D1 = "d1"
BACKEND_KV = "kv"
BACKENDS = (BACKEND_SHARDED, BACKEND_D1, BACKEND_KV)
"""Backend keys, the same as `OpenNextApp.tag_cache_backend` and `TagCacheBackend.key`."""

DAYS_PER_MONTH = 30
"""Monthly quantities are divided by this to compare them with the free plan's daily limits."""

CHART_MIN_REQUESTS = 1_000_000
CHART_MAX_REQUESTS = 1_000_000_000
CHART_POINTS_PER_DECADE = 20

_MB_PER_GB = 1000
"""Cloudflare's Durable Objects pricing examples count 128 MB as 0.128 GB ("1,000,000 seconds
* 128 MB / 1 GB = 128,000 GB-s"), so duration uses decimal gigabytes."""


# --- Traffic assumptions ------------------------------------------------------------------


class _TrafficFields(NamedTuple):
    requests_per_month: int = 10_000_000
    """Page requests a month that consult the tag cache."""
    tags_per_request: int = 3
    """Distinct tags one page request checks, after OpenNext's per-request memo."""
    revalidations_per_month: int = 10_000
    """`revalidateTag` and `revalidatePath` calls a month."""
    tags_per_revalidation: int = 1
    """Tags each revalidation call writes; `revalidateTag(tag)` writes 1."""
    do_call_duration_ms: float = 5.0
    """Average wall-clock time of one Durable Object call, in milliseconds. Not measured."""
    soft_tag_share: float = 0.0
    """Share of the tags that are soft (`_N_T_/` path) tags, from 0 to 1."""
    found_tag_share: float = 1.0
    """Share of the checked tags that have a stored row (were revalidated before), from 0 to 1.
    1 gives the most rows read."""
    regional_cache_hit_rate: float = 0.0
    """Share of Durable Object read calls the Cache API serves, from 0 to 1. Used only when
    the config sets `regionalCache: true`."""
    plan: str = PLAN_PAID
    """One of "paid", "paid-included-used" or "free"."""


class TrafficAssumptions(_TrafficFields):
    """The traffic a cost estimate is computed for. Field names are the mkdocs.yml setting keys.

    The defaults are a mid-sized site: 10 million page requests a month, each checking 3 tags,
    and 10,000 `revalidateTag` calls of one tag each. Creating one checks every value and
    raises ValueError on an invalid one; `replace` checks too, unlike the tuple's `_replace`.
    """

    __slots__ = ()

    def __new__(cls, *args: Any, **kwargs: Any) -> TrafficAssumptions:
        unchecked = _TrafficFields(*args, **kwargs)
        checked = [
            _checked_setting(name, value, name) for name, value in zip(unchecked._fields, unchecked)
        ]
        return super().__new__(cls, *checked)

    def replace(self, **changes: Any) -> TrafficAssumptions:
        """Return a copy with some fields changed. Raises ValueError on an invalid value."""
        return TrafficAssumptions(**{**self._asdict(), **changes})


_INT_MINIMUMS = {
    "requests_per_month": 0,
    "tags_per_request": 1,
    "revalidations_per_month": 0,
    "tags_per_revalidation": 1,
}
_SHARES = frozenset({"soft_tag_share", "found_tag_share", "regional_cache_hit_rate"})
SETTING_NAMES = _TrafficFields._fields


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _checked_setting(name: str, value: Any, label: str) -> Any:
    """Return `value` normalised for the setting `name`, or raise ValueError naming `label`."""
    if name in _INT_MINIMUMS:
        minimum = _INT_MINIMUMS[name]
        number = _whole_number(value)
        if number is None or number < minimum:
            raise ValueError(
                f"{label} must be a whole number of at least {minimum}, but got {value!r}."
            )
        return number
    if name == "plan":
        if value not in PLANS:
            raise ValueError(f"{label} must be one of {', '.join(PLANS)}, but got {value!r}.")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{label} must be a number, but got {value!r}.")
    if name in _SHARES:
        if not 0 <= value <= 1:
            raise ValueError(f"{label} must be a number from 0 to 1, but got {value!r}.")
        return float(value)
    if value < 0:
        raise ValueError(f"{label} must be a number of at least 0, but got {value!r}.")
    return float(value)


def traffic_from_settings(
    settings: Mapping[str, Any] | None, prefix: str = "extra.wrangler_docs.traffic"
) -> TrafficAssumptions:
    """Return the traffic assumptions of an `extra.wrangler_docs.traffic` mapping.

    Missing keys keep their defaults; None means no mapping. Raises ValueError naming the key
    (`prefix` + "." + key) when a key is unknown or a value is invalid.
    """
    if settings is None:
        return TrafficAssumptions()
    if not isinstance(settings, Mapping):
        raise ValueError(f"{prefix} must be a mapping, but got {settings!r}.")  # noqa: TRY004
    values: dict[str, Any] = {}
    for key, value in settings.items():
        if key not in SETTING_NAMES:
            raise ValueError(
                f"Unknown setting {prefix}.{key}; known settings: {', '.join(SETTING_NAMES)}."
            )
        values[key] = _checked_setting(key, value, f"{prefix}.{key}")
    return TrafficAssumptions(**values)


# --- Formatting shared by the page and the CLI ----------------------------------------------


def format_count(value: float) -> str:
    """Format a quantity with thousands separators: 2.3125, 23,135,000.

    Values of 1,000 or more are rounded to whole units; smaller ones keep up to 4 decimals.
    """
    nearest = round(value)
    if abs(value) >= 1000 or abs(value - nearest) <= 1e-9 * max(1.0, abs(value)):
        return f"{nearest:,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def format_usd(value: float) -> str:
    """Format dollars to the cent; a positive amount below half a cent shows as "< $0.01"."""
    if 0 < value < 0.005:
        return "< $0.01"
    return f"${value:,.2f}"


def format_unit_price(price: pricing.Price) -> str:
    """Format a price as Cloudflare states it, e.g. "$0.15 per 1,000,000 requests"."""
    amount = f"{price.price_usd:,.2f}" if price.price_usd >= 0.01 else f"{price.price_usd:g}"
    if price.per == 1:
        return f"${amount} per {price.unit}"
    return f"${amount} per {price.per:,} {price.unit}"


def format_share(value: float) -> str:
    return f"{value * 100:g}%"


def count_of(value: float, noun: str) -> str:
    """Format a quantity with its noun, adding "s" unless it is exactly 1: "2.3125 rows"."""
    text = format_count(value)
    return f"{text} {noun}" if text == "1" else f"{text} {noun}s"


# --- Line items and estimates ---------------------------------------------------------------


class LineItem(NamedTuple):
    """One billed metric of one backend for one month, with the arithmetic behind its cost."""

    price: pricing.Price
    quantity: float
    """Units used in a month."""
    derivation: str
    """The computation of `quantity` from the assumptions, as text."""
    plan: str
    included: float | None
    """Included amount counted as free on this plan; None on the free plan."""
    billable: float
    cost: float
    """US dollars; 0 on the free plan."""

    @property
    def label(self) -> str:
        return self.price.metric

    @property
    def quantity_text(self) -> str:
        return format_count(self.quantity)

    @property
    def per_day(self) -> float:
        """The monthly quantity spread over DAYS_PER_MONTH days."""
        return self.quantity / DAYS_PER_MONTH

    @property
    def per_day_text(self) -> str:
        """`per_day` rounded to a whole number and formatted."""
        return format_count(round(self.per_day))

    @property
    def free_limit_text(self) -> str:
        """The free plan's daily limit, formatted, or "none"."""
        limit = self.price.free_per_day
        return "none" if limit is None else format_count(limit)

    @property
    def over_free_limit(self) -> bool:
        """Whether `per_day` is over the free plan's daily limit for this metric."""
        limit = self.price.free_per_day
        return limit is not None and self.per_day > limit

    @property
    def arithmetic(self) -> str:
        """The cost computation in one line, as the page and the CLI show it."""
        unit_price = format_unit_price(self.price)
        if self.plan == PLAN_FREE:
            limit = self.price.free_per_day
            if limit is None:
                return "no daily limit on Workers Free"
            verdict = "over the limit" if self.over_free_limit else "within the limit"
            return (
                f"{format_count(self.quantity)} / {DAYS_PER_MONTH} days = "
                f"{self.per_day_text} a day; limit {format_count(limit)} a day: "
                f"{verdict}"
            )
        if self.included:
            if self.billable <= 0:
                return (
                    f"{format_count(self.quantity)} is within the {format_count(self.included)} "
                    "included: $0.00"
                )
            return (
                f"({format_count(self.quantity)} - {format_count(self.included)} included) "
                f"× {unit_price} = {format_usd(self.cost)}"
            )
        return f"{format_count(self.quantity)} × {unit_price} = {format_usd(self.cost)}"


def _billing(price: pricing.Price, quantity: float, plan: str) -> tuple[float | None, float, float]:
    """Return (included, billable, cost) of `quantity` units of `price` on `plan`."""
    if plan == PLAN_FREE:
        return None, 0.0, 0.0
    included = (price.included_per_month or 0.0) if plan == PLAN_PAID else 0.0
    billable = max(0.0, quantity - included)
    return included, billable, billable * price.unit_price


def line_item(price_key: str, quantity: float, derivation: str, plan: str) -> LineItem:
    """Return the cost of `quantity` units of the metric `price_key` on `plan`."""
    price = pricing.price(price_key)
    included, billable, cost = _billing(price, quantity, plan)
    return LineItem(price, quantity, derivation, plan, included, billable, cost)


class BackendEstimate(NamedTuple):
    """The monthly usage and cost of one tag cache backend on one plan."""

    backend: str
    label: str
    plan: str
    line_items: tuple[LineItem, ...]
    notes: tuple[str, ...] = ()

    @property
    def total(self) -> float:
        """US dollars a month beyond the Workers Paid minimum; 0 on the free plan."""
        return sum(item.cost for item in self.line_items)

    @property
    def over_free_limits(self) -> tuple[LineItem, ...]:
        """Line items whose daily average is over the free plan's daily limit."""
        return tuple(item for item in self.line_items if item.over_free_limit)

    @property
    def summary(self) -> str:
        """The table cell: a dollar amount, or on the free plan whether it fits the limits."""
        if self.plan != PLAN_FREE:
            return format_usd(self.total)
        over = self.over_free_limits
        if not over:
            return "$0.00, within the daily limits"
        names = ", ".join(item.label for item in over)
        return f"fails: over the daily limit of {names}"


# --- Sharded Durable Objects ----------------------------------------------------------------


def expected_distinct(slots: int, draws: int) -> float:
    """Return the expected number of distinct slots hit by `draws` uniform, independent picks.

    This is n * (1 - (1 - 1/n)^k) for n slots and k picks: each slot is missed by all picks
    with probability (1 - 1/n)^k. Raises ValueError unless `slots` >= 1 and `draws` >= 0.
    """
    if slots < 1 or draws < 0:
        raise ValueError(f"need slots >= 1 and draws >= 0, got {slots} and {draws}")
    return slots * (1.0 - (1.0 - 1.0 / slots) ** draws)


def expected_alone(slots: int, draws: int) -> float:
    """Return the expected number of picks that share their slot with no other pick.

    A pick is alone when the other k - 1 picks all miss its slot: k * (1 - 1/n)^(k - 1).
    """
    if draws == 0:
        return 0.0
    return draws * (1.0 - 1.0 / slots) ** (draws - 1)


def soft_split(count: int, share: float) -> tuple[tuple[int, float], ...]:
    """Return (soft tags, probability) pairs for `count` tags of which `share` are soft.

    When count * share is whole, every page has exactly that many soft tags. Otherwise a page
    has the whole number just below or just above it, with the probabilities that make the
    mean count * share. For 3 tags and a share of 0.5, that is 1 or 2 soft tags, each half of
    the time.
    """
    mean = count * share
    low = min(count, math.floor(mean + 1e-12))
    fraction = mean - low
    if fraction <= 1e-12 or low >= count:
        return ((low, 1.0),)
    return ((low, 1.0 - fraction), (low + 1, fraction))


class ShardedUsage(NamedTuple):
    """Expected Durable Object operations of the sharded tag cache.

    Reads. A tag's shard comes from the hash of the tag, and with `shardReplication` the
    replica is drawn uniformly at random for every tag on every request. For tags whose hashes
    are spread uniformly, a tag of one kind therefore lands on any of shards x replicas
    instances of that kind with equal probability, independently of the other tags. k tags of
    one kind then hit n * (1 - (1 - 1/n)^k) distinct instances on average, with n = shards x
    replicas. Soft and hard tags never share an instance, so the two kinds add up. Reads go
    to the nearest region only, so regional replication does not change them.

    Writes. A revalidation writes each tag to every replica of its kind, in every region when
    regional replication is on, grouping tags of the same shard. Its RPCs are therefore the
    expected distinct shards among its tags of each kind (n = shards) times replicas times
    regions.
    """

    shards: int
    """Shards per kind in the model: `baseShardSize`, or 1 when it is missing (`shard-NaN`)."""
    soft_replicas: int
    hard_replicas: int
    regions: int
    """6 with regional replication, else 1."""
    soft_split: tuple[tuple[int, float], ...]
    """Soft tags per page request and their probabilities; see `soft_split`."""
    read_calls_per_request: float
    """Expected `getTagData` RPCs per page request without the regional cache."""
    regional_cache: bool
    regional_cache_hit_rate: float
    """The assumed share of read calls the Cache API serves; 0 when `regional_cache` is off."""
    rows_read_per_request: float
    """Expected SQLite rows read per page request, before the regional cache."""
    write_calls_per_revalidation: float
    rows_written_per_revalidation: float
    rows_read_per_revalidation: float
    """An upper bound: every written tag is assumed to have a row already."""

    @property
    def read_calls_text(self) -> str:
        return format_count(self.read_calls_per_request)

    @property
    def write_calls_text(self) -> str:
        return format_count(self.write_calls_per_revalidation)

    @property
    def billed_read_calls_per_request(self) -> float:
        return self.read_calls_per_request * (1.0 - self.regional_cache_hit_rate)

    @property
    def billed_rows_read_per_request(self) -> float:
        return self.rows_read_per_request * (1.0 - self.regional_cache_hit_rate)

    @property
    def read_instances(self) -> tuple[int, int]:
        """Instances a read can reach, per kind: (soft, hard) = shards x replicas."""
        return self.shards * self.soft_replicas, self.shards * self.hard_replicas

    def read_call_terms(self, tags: int) -> tuple[str, ...]:
        """Return the read-call formula for each possible soft/hard split, as text."""
        soft_slots, hard_slots = self.read_instances
        terms = []
        for soft, probability in self.soft_split:
            parts = []
            for kind, count, slots in (
                ("soft", soft, soft_slots),
                ("hard", tags - soft, hard_slots),
            ):
                if count == 0:
                    continue
                value = expected_distinct(slots, count)
                parts.append(
                    f"{count} {kind} tag{'s' if count != 1 else ''} over {slots} instance"
                    f"{'s' if slots != 1 else ''}: {slots} × (1 - (1 - 1/{slots})^{count}) = "
                    f"{format_count(value)}"
                )
            prefix = "" if probability == 1.0 else f"with probability {format_count(probability)}: "
            terms.append(prefix + "; ".join(parts))
        return tuple(terms)


def sharded_usage(traffic: TrafficAssumptions, options: ShardingOptions) -> ShardedUsage:
    """Return the expected operations of the sharded tag cache configured with `options`."""
    shards = options.base_shard_size if options.base_shard_size is not None else 1
    regions = len(opennext_facts.AVAILABLE_REGIONS) if options.regional_replication else 1
    soft_slots = shards * options.soft_replicas
    hard_slots = shards * options.hard_replicas
    k = traffic.tags_per_request
    found = traffic.found_tag_share

    read_split = soft_split(k, traffic.soft_tag_share)
    read_calls = 0.0
    rows_read = 0.0
    for soft, probability in read_split:
        hard = k - soft
        read_calls += probability * (
            expected_distinct(soft_slots, soft) + expected_distinct(hard_slots, hard)
        )
        # Rows per RPC of g tags, f of them found: g + f when g >= 2, f when g = 1. Summed over
        # a page's RPCs that is f + (k - tags alone in their RPC).
        alone = expected_alone(soft_slots, soft) + expected_alone(hard_slots, hard)
        rows_read += probability * (found * k + k - alone)

    t = traffic.tags_per_revalidation
    write_calls = 0.0
    for soft, probability in soft_split(t, traffic.soft_tag_share):
        write_calls += (
            probability
            * regions
            * (
                options.soft_replicas * expected_distinct(shards, soft)
                + options.hard_replicas * expected_distinct(shards, t - soft)
            )
        )
    share = traffic.soft_tag_share
    replica_copies = (
        regions * t * (share * options.soft_replicas + (1 - share) * options.hard_replicas)
    )

    return ShardedUsage(
        shards=shards,
        soft_replicas=options.soft_replicas,
        hard_replicas=options.hard_replicas,
        regions=regions,
        soft_split=read_split,
        read_calls_per_request=read_calls,
        regional_cache=options.regional_cache,
        regional_cache_hit_rate=traffic.regional_cache_hit_rate if options.regional_cache else 0.0,
        rows_read_per_request=rows_read,
        write_calls_per_revalidation=write_calls,
        rows_written_per_revalidation=2.0 * replica_copies,
        rows_read_per_revalidation=replica_copies,
    )


def _label(backend: str) -> str:
    for known in opennext_facts.TAG_CACHE_BACKENDS:
        if known.key == backend:
            return known.label
    return backend


def _do_call_seconds(traffic: TrafficAssumptions) -> float:
    return traffic.do_call_duration_ms / 1000.0


def _do_memory_gb() -> float:
    return pricing.price_table().constant(pricing.DO_BILLED_MEMORY_MB) / _MB_PER_GB


def _sharded_quantities(
    traffic: TrafficAssumptions, usage: ShardedUsage, pages: int
) -> tuple[tuple[str, float], ...]:
    """Return (price key, monthly quantity) of each sharded line item, for `pages` requests."""
    revalidations = traffic.revalidations_per_month
    read_calls = pages * usage.billed_read_calls_per_request
    write_calls = revalidations * usage.write_calls_per_revalidation
    calls = read_calls + write_calls
    return (
        (pricing.DO_REQUESTS, calls),
        (pricing.DO_DURATION, calls * _do_call_seconds(traffic) * _do_memory_gb()),
        (
            pricing.DO_ROWS_READ,
            pages * usage.billed_rows_read_per_request
            + revalidations * usage.rows_read_per_revalidation,
        ),
        (pricing.DO_ROWS_WRITTEN, revalidations * usage.rows_written_per_revalidation),
    )


def estimate_sharded(
    traffic: TrafficAssumptions, options: ShardingOptions, plan: str | None = None
) -> BackendEstimate:
    """Return the monthly cost of the sharded Durable Object tag cache."""
    plan = plan or traffic.plan
    usage = sharded_usage(traffic, options)
    pages = traffic.requests_per_month
    revalidations = traffic.revalidations_per_month
    pages_text = count_of(pages, "page request")
    revalidations_text = count_of(revalidations, "revalidation")
    quantities = dict(_sharded_quantities(traffic, usage, pages))

    calls = quantities[pricing.DO_REQUESTS]
    cache_text = ""
    if usage.regional_cache:
        cache_text = f" × (1 - {format_share(usage.regional_cache_hit_rate)} regional cache hits)"
    requests = line_item(
        pricing.DO_REQUESTS,
        calls,
        f"{pages_text} × {count_of(usage.read_calls_per_request, 'read call')}{cache_text} "
        f"+ {revalidations_text} × {count_of(usage.write_calls_per_revalidation, 'write call')}",
        plan,
    )

    memory_gb = _do_memory_gb()
    seconds = _do_call_seconds(traffic)
    duration = line_item(
        pricing.DO_DURATION,
        quantities[pricing.DO_DURATION],
        f"{count_of(calls, 'call')} × {format_count(seconds)} s × {format_count(memory_gb)} GB",
        plan,
    )

    rows_read = line_item(
        pricing.DO_ROWS_READ,
        quantities[pricing.DO_ROWS_READ],
        f"{pages_text} × {count_of(usage.rows_read_per_request, 'row')}{cache_text} "
        f"+ {revalidations_text} × {count_of(usage.rows_read_per_revalidation, 'row')} "
        "(at most 1 per tag and replica written)",
        plan,
    )
    rows_written = line_item(
        pricing.DO_ROWS_WRITTEN,
        quantities[pricing.DO_ROWS_WRITTEN],
        f"{revalidations_text} × {count_of(usage.rows_written_per_revalidation, 'row')} "
        "(2 per tag, replica and region)",
        plan,
    )

    notes = [
        (
            "Duration is billed only while a call runs, because DOShardedTagCache can hibernate "
            "between calls and current Cloudflare docs do not bill hibernatable idle time."
        ),
        (
            "Writes are assumed to succeed on the first attempt; retries (up to maxWriteRetries) "
            "and the optional dead-letter queue are not counted."
        ),
        (
            "Stored data (about 12 KB per Durable Object plus one small row per tag) is far "
            "below the included 5 GB-month and is not estimated."
        ),
    ]
    if options.base_shard_size is None:
        notes.append(
            "baseShardSize is missing from the options, so every tag of a kind goes to one "
            "Durable Object (shard-NaN); the estimate uses 1 shard."
        )
    if usage.regional_cache:
        notes.append(
            f"regionalCache is on. The estimate assumes the Cache API serves "
            f"{format_share(usage.regional_cache_hit_rate)} of read calls "
            "(setting regional_cache_hit_rate). The real rate depends on how often each data "
            f"center reads a shard within the {options.regional_cache_ttl_sec} s TTL. It is 0 on "
            "workers.dev hostnames, and tags never revalidated are not cached unless "
            "regionalCacheDangerouslyPersistMissingTags is set."
        )
    return BackendEstimate(
        backend=BACKEND_SHARDED,
        label=_label(BACKEND_SHARDED),
        plan=plan,
        line_items=(requests, duration, rows_read, rows_written),
        notes=tuple(notes),
    )


# --- D1 and KV -----------------------------------------------------------------------------


def d1_rows_read_per_request(tags: int, found_share: float) -> float:
    """Return rows one `WHERE tag IN (...)` lookup reads: k + f for k >= 2, f for k = 1."""
    found = tags * found_share
    return found if tags == 1 else tags + found


def _d1_quantities(traffic: TrafficAssumptions, pages: int) -> tuple[tuple[str, float], ...]:
    """Return (price key, monthly quantity) of each D1 line item, for `pages` requests."""
    revalidations = traffic.revalidations_per_month
    t = traffic.tags_per_revalidation
    per_request = d1_rows_read_per_request(traffic.tags_per_request, traffic.found_tag_share)
    return (
        (pricing.D1_ROWS_READ, pages * per_request + revalidations * t),
        (pricing.D1_ROWS_WRITTEN, revalidations * 2 * t),
    )


def estimate_d1(traffic: TrafficAssumptions, plan: str | None = None) -> BackendEstimate:
    """Return the monthly cost of the D1 tag cache."""
    plan = plan or traffic.plan
    pages = traffic.requests_per_month
    revalidations = traffic.revalidations_per_month
    t = traffic.tags_per_revalidation
    per_request = d1_rows_read_per_request(traffic.tags_per_request, traffic.found_tag_share)
    quantities = dict(_d1_quantities(traffic, pages))
    rows_read = line_item(
        pricing.D1_ROWS_READ,
        quantities[pricing.D1_ROWS_READ],
        f"{count_of(pages, 'page request')} × {count_of(per_request, 'row')} "
        f"+ {count_of(revalidations, 'revalidation')} × {count_of(t, 'row')} "
        "(at most 1 per tag written)",
        plan,
    )
    rows_written = line_item(
        pricing.D1_ROWS_WRITTEN,
        quantities[pricing.D1_ROWS_WRITTEN],
        f"{count_of(revalidations, 'revalidation')} × {count_of(2 * t, 'row')} "
        "(2 per tag: table and index)",
        plan,
    )
    notes = (
        (
            "Each page request is assumed to fetch all its tags in one query. OpenNext makes "
            "another query when a later call in the same request checks new tags."
        ),
        (
            "Rows are keyed by build id, so right after a deploy no tag has a row until it is "
            "revalidated again, and the table grows with every build; storage is not estimated."
        ),
    )
    return BackendEstimate(
        backend=BACKEND_D1,
        label=_label(BACKEND_D1),
        plan=plan,
        line_items=(rows_read, rows_written),
        notes=notes,
    )


def _kv_quantities(traffic: TrafficAssumptions, pages: int) -> tuple[tuple[str, float], ...]:
    """Return (price key, monthly quantity) of each KV line item, for `pages` requests."""
    return (
        (pricing.KV_READS, pages * traffic.tags_per_request),
        (pricing.KV_WRITES, traffic.revalidations_per_month * traffic.tags_per_revalidation),
    )


def estimate_kv(traffic: TrafficAssumptions, plan: str | None = None) -> BackendEstimate:
    """Return the monthly cost of the KV tag cache."""
    plan = plan or traffic.plan
    pages = traffic.requests_per_month
    revalidations = traffic.revalidations_per_month
    k = traffic.tags_per_request
    t = traffic.tags_per_revalidation
    quantities = dict(_kv_quantities(traffic, pages))

    reads = line_item(
        pricing.KV_READS,
        quantities[pricing.KV_READS],
        f"{count_of(pages, 'page request')} × {count_of(k, 'key')} (missing keys are billed too)",
        plan,
    )
    writes = line_item(
        pricing.KV_WRITES,
        quantities[pricing.KV_WRITES],
        f"{count_of(revalidations, 'revalidation')} × {count_of(t, 'key')}",
        plan,
    )

    notes = [
        "Keys are scoped by build id and OpenNext does not delete them; storage is not estimated.",
    ]
    bulk_limit = pricing.price_table().constant(pricing.KV_BULK_READ_MAX_KEYS)
    if k > bulk_limit:
        notes.append(
            f"A bulk read takes at most {format_count(bulk_limit)} keys. OpenNext passes all of "
            f"a page's tags to one bulk read, so pages checking {k} tags exceed that limit, and "
            "this estimate does not cover what happens then."
        )
    return BackendEstimate(
        backend=BACKEND_KV,
        label=_label(BACKEND_KV),
        plan=plan,
        line_items=(reads, writes),
        notes=tuple(notes),
    )


def estimate_all(
    traffic: TrafficAssumptions, options: ShardingOptions, plan: str | None = None
) -> tuple[BackendEstimate, ...]:
    """Return the estimates of every backend, in BACKENDS order."""
    return (
        estimate_sharded(traffic, options, plan),
        estimate_d1(traffic, plan),
        estimate_kv(traffic, plan),
    )


# --- Chart data ----------------------------------------------------------------------------


class CostCurve(NamedTuple):
    """Monthly cost of each backend over a range of page requests per month."""

    plan: str
    requests: tuple[int, ...]
    totals: Mapping[str, tuple[float, ...]]
    """Backend key to the cost at each entry of `requests`."""


def chart_requests(
    start: int = CHART_MIN_REQUESTS,
    stop: int = CHART_MAX_REQUESTS,
    points_per_decade: int = CHART_POINTS_PER_DECADE,
) -> tuple[int, ...]:
    """Return request counts spaced evenly on a log scale from `start` to `stop`."""
    decades = math.log10(stop / start)
    steps = round(decades * points_per_decade)
    return tuple(round(start * 10 ** (step / points_per_decade)) for step in range(steps + 1))


def cost_curve(
    traffic: TrafficAssumptions, options: ShardingOptions, requests: Iterable[int] | None = None
) -> CostCurve:
    """Return each backend's cost for every request count, other assumptions unchanged.

    The free plan costs nothing, so for it the curve shows the Workers Paid costs.
    """
    plan = PLAN_PAID if traffic.plan == PLAN_FREE else traffic.plan
    grid = tuple(requests) if requests is not None else chart_requests()
    totals: dict[str, list[float]] = {backend: [] for backend in BACKENDS}
    # The totals of estimate_all for each request count, without the derivation texts, which
    # take most of its time. The sharded usage per request does not depend on the count.
    usage = sharded_usage(traffic, options)
    for count in grid:
        pages = _checked_setting("requests_per_month", count, "requests_per_month")
        for backend, quantities in (
            (BACKEND_SHARDED, _sharded_quantities(traffic, usage, pages)),
            (BACKEND_D1, _d1_quantities(traffic, pages)),
            (BACKEND_KV, _kv_quantities(traffic, pages)),
        ):
            totals[backend].append(
                sum(_billing(pricing.price(key), quantity, plan)[2] for key, quantity in quantities)
            )
    return CostCurve(
        plan=plan,
        requests=grid,
        totals={backend: tuple(values) for backend, values in totals.items()},
    )


# --- The report ----------------------------------------------------------------------------


class Assumption(NamedTuple):
    """One stated input of the estimate, for the page and the CLI."""

    label: str
    value: str
    setting: str
    """The mkdocs.yml key under extra.wrangler_docs.traffic, or "" when no setting changes it."""
    fixed_by: str = ""
    """The source of the value when `setting` is "": "open-next.config.ts" or "the model"."""


def describe_sharding(options: ShardingOptions) -> str:
    """Describe the options that change the sharded tag cache's usage, in one sentence."""
    if options.base_shard_size is None:
        shards = "1 shard per tag kind (shard-NaN, because baseShardSize is missing)"
    else:
        size = options.base_shard_size
        shards = f"{size} shard{'s' if size != 1 else ''} per tag kind"
    replicas = f"replicas: {options.soft_replicas} soft, {options.hard_replicas} hard"
    regional = (
        "regional replication (6 regions)"
        if options.regional_replication
        else ("no regional replication")
    )
    cache = (
        f"regional cache on ({options.regional_cache_ttl_sec} s TTL)"
        if options.regional_cache
        else "regional cache off"
    )
    return f"{shards}, {replicas}, {regional}, {cache}"


class CostReport(NamedTuple):
    """The tag cache cost estimate of one app: every backend on every plan, plus chart data."""

    traffic: TrafficAssumptions
    sharding: ShardingOptions
    """The options the sharded estimate uses."""
    sharding_origin: str
    """The origin of `sharding` as a phrase: "from open-next.config.ts", or why defaults apply."""
    backend_in_use: str | None
    """The app's backend key, or None when it configures none or it is unknown."""
    sharded: ShardedUsage
    estimates: Mapping[str, tuple[BackendEstimate, ...]]
    """Plan to the estimates of every backend, in BACKENDS order."""
    curve: CostCurve

    @property
    def plan(self) -> str:
        return self.traffic.plan

    @property
    def plan_label(self) -> str:
        return PLAN_LABELS[self.traffic.plan]

    @property
    def selected(self) -> tuple[BackendEstimate, ...]:
        """The estimates on the assumed plan."""
        return self.estimates[self.traffic.plan]

    def estimate(self, backend: str, plan: str | None = None) -> BackendEstimate:
        """Return one backend's estimate, on the assumed plan unless `plan` is given."""
        for estimate in self.estimates[plan or self.traffic.plan]:
            if estimate.backend == backend:
                return estimate
        raise KeyError(backend)

    @property
    def plans(self) -> tuple[str, ...]:
        return PLANS

    @property
    def plan_labels(self) -> Mapping[str, str]:
        return PLAN_LABELS

    @property
    def rows(self) -> tuple[tuple[BackendEstimate, ...], ...]:
        """One tuple per backend, with its estimate on each plan in PLANS order."""
        return tuple(tuple(self.estimate(backend, plan) for plan in PLANS) for backend in BACKENDS)

    @property
    def price_dates(self) -> str:
        """The dates the prices were read on, comma-separated."""
        return ", ".join(date.isoformat() for date in pricing.price_table().read_dates)

    @property
    def sources(self) -> tuple[pricing.Source, ...]:
        """The pages the prices used by this report come from, in first-use order."""
        seen: dict[str, pricing.Source] = {}
        for estimate in self.selected:
            for item in estimate.line_items:
                seen.setdefault(item.price.source.key, item.price.source)
        subscription = pricing.price(pricing.WORKERS_SUBSCRIPTION).source
        seen.setdefault(subscription.key, subscription)
        return tuple(seen.values())

    @property
    def do_billed_memory(self) -> str:
        """The memory a Durable Object is billed for, formatted: "128 MB"."""
        megabytes = pricing.price_table().constant(pricing.DO_BILLED_MEMORY_MB)
        return f"{format_count(megabytes)} MB"

    @property
    def do_request_price(self) -> str:
        """The price of one million Durable Object requests, formatted."""
        return format_usd(pricing.price(pricing.DO_REQUESTS).price_usd)

    @property
    def do_duration_price(self) -> str:
        """The price of one million GB-s of Durable Object duration, formatted."""
        return format_usd(pricing.price(pricing.DO_DURATION).price_usd)

    @property
    def subscription(self) -> str:
        """The Workers Paid minimum charge, formatted."""
        return format_usd(pricing.price(pricing.WORKERS_SUBSCRIPTION).price_usd)

    @property
    def worker_requests(self) -> LineItem:
        """The page requests as Worker requests on the free plan, to check the daily limit."""
        return line_item(
            pricing.WORKERS_REQUESTS,
            self.traffic.requests_per_month,
            "one Worker request per page request",
            PLAN_FREE,
        )

    @property
    def assumptions(self) -> tuple[Assumption, ...]:
        traffic = self.traffic
        hit_rate = format_share(traffic.regional_cache_hit_rate)
        if not self.sharding.regional_cache:
            hit_rate += " (not used: regionalCache is off)"
        return (
            Assumption(
                "Page requests per month",
                format_count(traffic.requests_per_month),
                "requests_per_month",
            ),
            Assumption(
                "Distinct tags checked per page request",
                format_count(traffic.tags_per_request),
                "tags_per_request",
            ),
            Assumption(
                "Soft (path) tags among them",
                format_share(traffic.soft_tag_share),
                "soft_tag_share",
            ),
            Assumption(
                "Checked tags that have a stored row",
                format_share(traffic.found_tag_share),
                "found_tag_share",
            ),
            Assumption(
                "revalidateTag / revalidatePath calls per month",
                format_count(traffic.revalidations_per_month),
                "revalidations_per_month",
            ),
            Assumption(
                "Tags written per revalidation call",
                format_count(traffic.tags_per_revalidation),
                "tags_per_revalidation",
            ),
            Assumption(
                "Average Durable Object call duration",
                f"{format_count(traffic.do_call_duration_ms)} ms",
                "do_call_duration_ms",
            ),
            Assumption(
                "Durable Object read calls served by the regional cache",
                hit_rate,
                "regional_cache_hit_rate",
            ),
            Assumption("Plan", PLAN_DESCRIPTIONS[traffic.plan], "plan"),
            Assumption(
                "Sharded tag cache options",
                f"{describe_sharding(self.sharding)}, {self.sharding_origin}",
                "",
                "open-next.config.ts",
            ),
            Assumption(
                "Tag hashes",
                "spread uniformly over the shards, as a hash does on average; a fixed set of "
                "tags can collide more or less than that",
                "",
                "the model",
            ),
            Assumption(
                "Month",
                f"{DAYS_PER_MONTH} days, to compare with the free plan's daily limits",
                "",
                "the model",
            ),
        )


def build_cost_report(
    traffic: TrafficAssumptions,
    sharding: ShardingOptions = DEFAULT_SHARDING_OPTIONS,
    sharding_origin: str = "OpenNext's defaults",
    backend_in_use: str | None = None,
) -> CostReport:
    """Return the estimate of every backend on every plan for `traffic`."""
    estimates = {plan: estimate_all(traffic, sharding, plan) for plan in PLANS}
    return CostReport(
        traffic=traffic,
        sharding=sharding,
        sharding_origin=sharding_origin,
        backend_in_use=backend_in_use if backend_in_use in BACKENDS else None,
        sharded=sharded_usage(traffic, sharding),
        estimates=estimates,
        curve=cost_curve(traffic, sharding),
    )


def cost_report_for_app(app: OpenNextApp | None, traffic: TrafficAssumptions) -> CostReport | None:
    """Return the estimate for an `OpenNextApp`, or None when `app` is None.

    The sharded estimate uses the app's `doShardedTagCache` options when it uses that backend
    and they could be read, and OpenNext's defaults (`doShardedTagCache()` with no options)
    otherwise.
    """
    if app is None:
        return None
    backend = app.tag_cache_backend
    config = app.config_file or "open-next.config.ts"
    defaults = "OpenNext's defaults (doShardedTagCache() without options)"
    if backend == BACKEND_SHARDED and app.sharding is not None:
        sharding, origin = app.sharding, f"from {config}"
    elif backend == BACKEND_SHARDED and app.sharding_error is not None:
        sharding = DEFAULT_SHARDING_OPTIONS
        origin = f"{defaults}, because the options in {config} could not be used"
    elif backend == BACKEND_SHARDED:
        sharding = DEFAULT_SHARDING_OPTIONS
        origin = f"{defaults}, because no open-next.config.ts was read"
    else:
        sharding = DEFAULT_SHARDING_OPTIONS
        origin = f"{defaults}, because this app does not use the sharded tag cache"
    return build_cost_report(traffic, sharding, origin, backend)
