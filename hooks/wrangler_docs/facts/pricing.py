"""Cloudflare prices for the tag cache cost estimate, loaded from `pricing.json` beside this file.

The JSON file is the only place the prices live. Each price names the page it was read from and
the date it was read, so a page can state how old its numbers are. Prices are in US dollars.
"""

from __future__ import annotations

import datetime
import functools
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

DATA_FILE = Path(__file__).with_name("pricing.json")

# Keys of the prices and constants in pricing.json.
WORKERS_SUBSCRIPTION = "workers.subscription"
WORKERS_REQUESTS = "workers.requests"
WORKERS_CPU = "workers.cpu"
DO_REQUESTS = "do.requests"
DO_DURATION = "do.duration"
DO_ROWS_READ = "do.rows_read"
DO_ROWS_WRITTEN = "do.rows_written"
DO_STORAGE = "do.storage"
D1_ROWS_READ = "d1.rows_read"
D1_ROWS_WRITTEN = "d1.rows_written"
D1_STORAGE = "d1.storage"
KV_READS = "kv.reads"
KV_WRITES = "kv.writes"
KV_DELETES = "kv.deletes"
KV_LISTS = "kv.lists"
KV_STORAGE = "kv.storage"
DO_BILLED_MEMORY_MB = "do.billed_memory_mb"
KV_BULK_READ_MAX_KEYS = "kv.bulk_read_max_keys"


class PricingDataError(ValueError):
    """pricing.json is malformed. This is a bug in the package, not in the user's input."""


class Source(NamedTuple):
    """A page prices were read from."""

    key: str
    title: str
    url: str
    file: str
    """The page's source file in its repository, or "" when not known."""
    version: str
    """The commit of `file` that was read, or ""."""


class Price(NamedTuple):
    """One billed metric: its price beyond the included amount, and its free-plan limits."""

    key: str
    product: str
    metric: str
    unit: str
    price_usd: float
    per: int
    """Number of units `price_usd` pays for, for example 1,000,000 requests."""
    included_per_month: float | None
    """Workers Paid allowance per account and month; None when nothing is included."""
    free_per_day: float | None
    """Workers Free limit per day (reset at 00:00 UTC); None when there is no daily limit."""
    free_total: float | None
    """Workers Free limit that is not per day, such as stored data; None when there is none."""
    source: Source
    read_on: datetime.date

    @property
    def unit_price(self) -> float:
        """Price of one unit in US dollars."""
        return self.price_usd / self.per


class Constant(NamedTuple):
    """A billing fact that is not a price, such as the memory a Durable Object is billed for."""

    key: str
    description: str
    value: float
    unit: str
    source: Source
    read_on: datetime.date


class PriceTable(NamedTuple):
    """Everything in pricing.json, checked and typed."""

    currency: str
    sources: Mapping[str, Source]
    prices: Mapping[str, Price]
    constants: Mapping[str, Constant]

    def price(self, key: str) -> Price:
        """Return the price `key`. Raises KeyError when there is none."""
        return self.prices[key]

    def constant(self, key: str) -> float:
        """Return the value of the constant `key`. Raises KeyError when there is none."""
        return self.constants[key].value

    @property
    def read_dates(self) -> tuple[datetime.date, ...]:
        """Every distinct date a price or constant was read on, oldest first."""
        dates = {price.read_on for price in self.prices.values()}
        dates.update(constant.read_on for constant in self.constants.values())
        return tuple(sorted(dates))


def _field(entry: Mapping[str, Any], name: str, kind: type | tuple[type, ...], where: str) -> Any:
    if name not in entry:
        raise PricingDataError(f"{where}: missing field {name!r}")
    value = entry[name]
    if isinstance(value, bool) or not isinstance(value, kind):
        raise PricingDataError(f"{where}: field {name!r} has the wrong type: {value!r}")
    return value


def _amount(entry: Mapping[str, Any], name: str, where: str, optional: bool) -> float | None:
    value = entry.get(name)
    if value is None:
        if optional:
            return None
        raise PricingDataError(f"{where}: missing field {name!r}")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PricingDataError(f"{where}: field {name!r} must be a number, got {value!r}")
    if not math.isfinite(value) or value < 0:
        raise PricingDataError(f"{where}: field {name!r} must be a finite number >= 0")
    return float(value)


def _date(entry: Mapping[str, Any], where: str) -> datetime.date:
    text = _field(entry, "read_on", str, where)
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise PricingDataError(f"{where}: read_on {text!r} is not a YYYY-MM-DD date") from None


def _source(entry: Mapping[str, Any], sources: Mapping[str, Source], where: str) -> Source:
    key = _field(entry, "source", str, where)
    if key not in sources:
        raise PricingDataError(f"{where}: unknown source {key!r}")
    return sources[key]


def parse_price_table(data: Any) -> PriceTable:
    """Check and type the decoded contents of pricing.json. Raises PricingDataError."""
    if not isinstance(data, Mapping):
        raise PricingDataError("pricing data must be a JSON object")
    currency = _field(data, "currency", str, "pricing data")
    raw_sources = _field(data, "sources", Mapping, "pricing data")
    sources: dict[str, Source] = {}
    for key, entry in raw_sources.items():
        where = f"source {key!r}"
        if not isinstance(entry, Mapping):
            raise PricingDataError(f"{where} must be an object")
        sources[key] = Source(
            key=key,
            title=_field(entry, "title", str, where),
            url=_field(entry, "url", str, where),
            file=_field(entry, "file", str, where),
            version=_field(entry, "version", str, where),
        )

    prices: dict[str, Price] = {}
    for index, entry in enumerate(_field(data, "prices", list, "pricing data")):
        where = f"prices[{index}]"
        if not isinstance(entry, Mapping):
            raise PricingDataError(f"{where} must be an object")
        key = _field(entry, "key", str, where)
        if key in prices:
            raise PricingDataError(f"{where}: duplicate key {key!r}")
        per = _field(entry, "per", int, where)
        if per < 1:
            raise PricingDataError(f"{where}: field 'per' must be at least 1")
        price_usd = _amount(entry, "price_usd", where, optional=False)
        assert price_usd is not None
        prices[key] = Price(
            key=key,
            product=_field(entry, "product", str, where),
            metric=_field(entry, "metric", str, where),
            unit=_field(entry, "unit", str, where),
            price_usd=price_usd,
            per=per,
            included_per_month=_amount(entry, "included_per_month", where, optional=True),
            free_per_day=_amount(entry, "free_per_day", where, optional=True),
            free_total=_amount(entry, "free_total", where, optional=True),
            source=_source(entry, sources, where),
            read_on=_date(entry, where),
        )

    constants: dict[str, Constant] = {}
    for index, entry in enumerate(_field(data, "constants", list, "pricing data")):
        where = f"constants[{index}]"
        if not isinstance(entry, Mapping):
            raise PricingDataError(f"{where} must be an object")
        key = _field(entry, "key", str, where)
        value = _amount(entry, "value", where, optional=False)
        assert value is not None
        constants[key] = Constant(
            key=key,
            description=_field(entry, "description", str, where),
            value=value,
            unit=_field(entry, "unit", str, where),
            source=_source(entry, sources, where),
            read_on=_date(entry, where),
        )
    return PriceTable(currency=currency, sources=sources, prices=prices, constants=constants)


def load_price_table(path: Path = DATA_FILE) -> PriceTable:
    """Read and check a pricing file. Raises OSError or PricingDataError."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise PricingDataError(f"{path.name} is not valid JSON: {error}") from None
    return parse_price_table(data)


@functools.cache
def price_table() -> PriceTable:
    """Return the prices shipped with wrangler-docs, read from disk on the first call only."""
    return load_price_table(DATA_FILE)


def price(key: str) -> Price:
    """Return one shipped price, for example `price(DO_REQUESTS)`. Raises KeyError."""
    return price_table().price(key)
