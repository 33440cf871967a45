"""Tests for the tag cache cost model, its price data and the cost section of the page."""

from __future__ import annotations

import datetime
import functools
import json
import random
import re
import shutil
import string
from pathlib import Path

import markdown
import pytest
from conftest import REPO
from wrangler_docs.facts import pricing
from wrangler_docs.model.cost import (
    BACKEND_D1,
    BACKEND_KV,
    BACKEND_SHARDED,
    PLAN_FREE,
    PLAN_PAID_INCLUDED_USED,
    TrafficAssumptions,
    build_cost_report,
    cost_report_for_app,
    d1_rows_read_per_request,
    estimate_d1,
    estimate_kv,
    estimate_sharded,
    expected_alone,
    expected_distinct,
    format_count,
    format_usd,
    sharded_usage,
    soft_split,
    traffic_from_settings,
)
from wrangler_docs.model.sharding import (
    DEFAULT_SHARDING_OPTIONS,
    ShardingOptions,
    shard_index,
    sharding_options,
)
from wrangler_docs.project import load_project
from wrangler_docs.render.chart import cost_chart_svg
from wrangler_docs.render.pages import TEMPLATES_DIR, jinja_environment, page_context

WORKED_EXAMPLE = TrafficAssumptions(
    requests_per_month=10_000_000,
    tags_per_request=3,
    revalidations_per_month=10_000,
    tags_per_revalidation=1,
    soft_tag_share=0.0,
)
FOUR_SHARDS = sharding_options({"baseShardSize": 4}, True)


def item(estimate, key: str):  # type: ignore[no-untyped-def]
    return next(line for line in estimate.line_items if line.price.key == key)


# --- The worked example: 10M requests, 3 tags, 10,000 revalidations, 4 shards, 1 replica ---


def test_worked_example_read_calls_per_page() -> None:
    assert expected_distinct(4, 3) == 2.3125
    assert sharded_usage(WORKED_EXAMPLE, FOUR_SHARDS).read_calls_per_request == 2.3125


def test_worked_example_do_requests() -> None:
    requests = item(estimate_sharded(WORKED_EXAMPLE, FOUR_SHARDS), pricing.DO_REQUESTS)
    assert requests.quantity == pytest.approx(23_125_000 + 10_000)
    assert requests.included == 1_000_000
    assert requests.billable == pytest.approx(22_135_000)
    assert requests.cost == pytest.approx(22_135_000 * 0.15 / 1_000_000)
    assert format_usd(requests.cost) == "$3.32"


def test_worked_example_do_total() -> None:
    estimate = estimate_sharded(WORKED_EXAMPLE, FOUR_SHARDS)
    assert estimate.total == pytest.approx(3.32025)
    assert estimate.summary == "$3.32"


@pytest.mark.parametrize(
    ("key", "quantity"),
    [
        (pricing.DO_DURATION, 23_135_000 * 0.005 * 0.128),
        (pricing.DO_ROWS_READ, 10_000_000 * 4.3125 + 10_000),
        (pricing.DO_ROWS_WRITTEN, 20_000),
    ],
)
def test_worked_example_do_within_included(key: str, quantity: float) -> None:
    line = item(estimate_sharded(WORKED_EXAMPLE, FOUR_SHARDS), key)
    assert line.quantity == pytest.approx(quantity)
    assert line.cost == 0


def test_worked_example_d1_within_included() -> None:
    estimate = estimate_d1(WORKED_EXAMPLE)
    assert item(estimate, pricing.D1_ROWS_READ).quantity == 10_000_000 * 6 + 10_000
    assert item(estimate, pricing.D1_ROWS_WRITTEN).quantity == 20_000
    assert estimate.total == 0
    assert estimate.summary == "$0.00"


def test_worked_example_kv_reads() -> None:
    reads = item(estimate_kv(WORKED_EXAMPLE), pricing.KV_READS)
    assert reads.quantity == 30_000_000
    assert reads.billable == 20_000_000
    assert reads.cost == pytest.approx(10.0)


def test_worked_example_kv_total() -> None:
    estimate = estimate_kv(WORKED_EXAMPLE)
    assert estimate.total == pytest.approx(10.0)
    assert estimate.summary == "$10.00"


def test_defaults_are_worked_example() -> None:
    assert TrafficAssumptions() == WORKED_EXAMPLE
    assert DEFAULT_SHARDING_OPTIONS.base_shard_size == 4


@pytest.mark.parametrize(
    ("backend", "total"),
    [
        # Every operation billed: 23,135,000 DO requests, 43,135,000 rows read, 20,000 rows
        # written and 14,806.4 GB-s.
        (BACKEND_SHARDED, 3.47025 + 0.043135 + 0.02 + 0.18508),
        (BACKEND_D1, 0.06001 + 0.02),
        (BACKEND_KV, 15.0 + 0.05),
    ],
)
def test_included_used_totals(backend: str, total: float) -> None:
    report = build_cost_report(WORKED_EXAMPLE, FOUR_SHARDS)
    assert report.estimate(backend, PLAN_PAID_INCLUDED_USED).total == pytest.approx(total, abs=1e-5)


# --- Free plan ------------------------------------------------------------------------------


def test_free_plan_costs_nothing() -> None:
    report = build_cost_report(WORKED_EXAMPLE.replace(plan=PLAN_FREE), FOUR_SHARDS)
    assert [estimate.total for estimate in report.selected] == [0, 0, 0]


@pytest.mark.parametrize(
    ("backend", "over"),
    [
        (BACKEND_SHARDED, ["Durable Object requests"]),
        (BACKEND_D1, []),
        (BACKEND_KV, ["KV keys read"]),
    ],
)
def test_free_plan_limits_exceeded(backend: str, over: list[str]) -> None:
    report = build_cost_report(WORKED_EXAMPLE, FOUR_SHARDS)
    estimate = report.estimate(backend, PLAN_FREE)
    assert [line.label for line in estimate.over_free_limits] == over


def test_free_plan_daily_average() -> None:
    report = build_cost_report(WORKED_EXAMPLE, FOUR_SHARDS)
    reads = item(report.estimate(BACKEND_KV, PLAN_FREE), pricing.KV_READS)
    assert reads.per_day == 1_000_000
    assert reads.arithmetic == (
        "30,000,000 / 30 days = 1,000,000 a day; limit 100,000 a day: over the limit"
    )


def test_free_plan_worker_requests() -> None:
    report = build_cost_report(WORKED_EXAMPLE, FOUR_SHARDS)
    assert report.worker_requests.per_day_text == "333,333"
    assert report.worker_requests.over_free_limit


def test_free_plan_summary_names_limit() -> None:
    report = build_cost_report(WORKED_EXAMPLE, FOUR_SHARDS)
    summary = report.estimate(BACKEND_KV, PLAN_FREE).summary
    assert summary == "fails: over the daily limit of KV keys read"


# --- The expected number of Durable Object calls, checked by simulation ----------------------


def _random_tags(rng: random.Random, count: int, prefix: str) -> list[str]:
    tags: set[str] = set()
    while len(tags) < count:
        tags.add(prefix + "".join(rng.choices(string.ascii_letters + string.digits, k=12)))
    return sorted(tags)


def _simulate(
    traffic: TrafficAssumptions, options: ShardingOptions, trials: int, seed: int
) -> tuple[float, float]:
    """Return the mean Durable Object calls and rows read per page over random tag sets.

    Shards come from the real hash, replicas are drawn per tag as OpenNext draws them, and
    every tag has a stored row.
    """
    rng = random.Random(seed)
    k = traffic.tags_per_request
    split = soft_split(k, traffic.soft_tag_share)
    calls = 0
    rows = 0
    for _ in range(trials):
        soft = split[0][0] if rng.random() < split[0][1] else split[-1][0]
        tags = _random_tags(rng, soft, "_N_T_/") + _random_tags(rng, k - soft, "")
        groups: dict[tuple[str, int, int], int] = {}
        for tag in tags:
            is_soft = tag.startswith("_N_T_/")
            replicas = options.soft_replicas if is_soft else options.hard_replicas
            assert options.base_shard_size is not None
            key = (
                "soft" if is_soft else "hard",
                shard_index(tag, options.base_shard_size),
                rng.randrange(replicas),
            )
            groups[key] = groups.get(key, 0) + 1
        calls += len(groups)
        rows += sum(2 * size if size >= 2 else 1 for size in groups.values())
    return calls / trials, rows / trials


SIMULATED = [
    (WORKED_EXAMPLE, FOUR_SHARDS),
    (
        TrafficAssumptions(tags_per_request=5, soft_tag_share=0.4),
        sharding_options(
            {
                "baseShardSize": 12,
                "shardReplication": {"numberOfSoftReplicas": 4, "numberOfHardReplicas": 2},
            },
            True,
        ),
    ),
    (
        TrafficAssumptions(tags_per_request=3, soft_tag_share=0.5),
        sharding_options(
            {
                "baseShardSize": 2,
                "shardReplication": {"numberOfSoftReplicas": 3, "numberOfHardReplicas": 1},
            },
            True,
        ),
    ),
]


@functools.cache
def _simulated(case: int) -> tuple[float, float]:
    traffic, options = SIMULATED[case]
    return _simulate(traffic, options, trials=20_000, seed=7 + case)


@pytest.mark.parametrize("case", range(len(SIMULATED)))
def test_read_calls_match_simulation(case: int) -> None:
    traffic, options = SIMULATED[case]
    expected = sharded_usage(traffic, options).read_calls_per_request
    assert _simulated(case)[0] == pytest.approx(expected, rel=0.02)


@pytest.mark.parametrize("case", range(len(SIMULATED)))
def test_rows_read_match_simulation(case: int) -> None:
    traffic, options = SIMULATED[case]
    expected = sharded_usage(traffic, options).rows_read_per_request
    assert _simulated(case)[1] == pytest.approx(expected, rel=0.02)


def test_write_calls_match_simulation() -> None:
    traffic = TrafficAssumptions(tags_per_revalidation=3)
    options = sharding_options(
        {
            "baseShardSize": 4,
            "shardReplication": {
                "numberOfSoftReplicas": 2,
                "numberOfHardReplicas": 3,
                "regionalReplication": {"defaultRegion": "weur"},
            },
        },
        True,
    )
    rng = random.Random(3)
    trials = 20_000
    calls = 0
    for _ in range(trials):
        shards = {shard_index(tag, 4) for tag in _random_tags(rng, 3, "")}
        calls += len(shards) * 3 * 6
    expected = sharded_usage(traffic, options).write_calls_per_revalidation
    assert calls / trials == pytest.approx(expected, rel=0.02)


# --- Model details --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slots", "draws", "expected"),
    [(1, 5, 1.0), (4, 0, 0.0), (4, 1, 1.0), (4, 3, 2.3125), (24, 2, 2 - 1 / 24)],
)
def test_expected_distinct(slots: int, draws: int, expected: float) -> None:
    assert expected_distinct(slots, draws) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("slots", "draws", "expected"), [(4, 0, 0.0), (4, 1, 1.0), (4, 3, 3 * 0.75**2), (1, 3, 0.0)]
)
def test_expected_alone(slots: int, draws: int, expected: float) -> None:
    assert expected_alone(slots, draws) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("count", "share", "expected"),
    [
        (3, 0.0, ((0, 1.0),)),
        (3, 1.0, ((3, 1.0),)),
        (4, 0.5, ((2, 1.0),)),
        (3, 0.5, ((1, 0.5), (2, 0.5))),
        (5, 0.1, ((0, 0.5), (1, 0.5))),
    ],
)
def test_soft_split(count: int, share: float, expected: tuple) -> None:  # type: ignore[type-arg]
    result = soft_split(count, share)
    assert [soft for soft, _ in result] == [soft for soft, _ in expected]
    assert [weight for _, weight in result] == pytest.approx([weight for _, weight in expected])


@pytest.mark.parametrize(
    ("tags", "found", "expected"), [(1, 1.0, 1.0), (1, 0.0, 0.0), (3, 0.0, 3.0), (3, 1 / 3, 4.0)]
)
def test_d1_rows_read_per_request(tags: int, found: float, expected: float) -> None:
    assert d1_rows_read_per_request(tags, found) == pytest.approx(expected)


def test_replicas_widen_read_instances() -> None:
    options = sharding_options(
        {"baseShardSize": 4, "shardReplication": {"numberOfHardReplicas": 4}}, True
    )
    usage = sharded_usage(WORKED_EXAMPLE, options)
    assert usage.read_instances == (4, 16)
    assert usage.read_calls_per_request == pytest.approx(16 * (1 - (15 / 16) ** 3))


def test_regional_replication_multiplies_writes() -> None:
    options = sharding_options(
        {
            "baseShardSize": 4,
            "shardReplication": {"numberOfHardReplicas": 2, "regionalReplication": {}},
        },
        True,
    )
    usage = sharded_usage(WORKED_EXAMPLE, options)
    assert usage.write_calls_per_revalidation == 12
    assert usage.rows_written_per_revalidation == 24
    assert usage.read_calls_per_request == pytest.approx(8 * (1 - (7 / 8) ** 3))


def test_regional_cache_hit_rate_applies_when_on() -> None:
    traffic = WORKED_EXAMPLE.replace(regional_cache_hit_rate=0.5)
    options = sharding_options({"baseShardSize": 4, "regionalCache": True}, True)
    requests = item(estimate_sharded(traffic, options), pricing.DO_REQUESTS)
    assert requests.quantity == pytest.approx(23_125_000 * 0.5 + 10_000)


def test_regional_cache_hit_rate_ignored_when_off() -> None:
    traffic = WORKED_EXAMPLE.replace(regional_cache_hit_rate=0.5)
    requests = item(estimate_sharded(traffic, FOUR_SHARDS), pricing.DO_REQUESTS)
    assert requests.quantity == pytest.approx(23_135_000)


def test_missing_shard_size_uses_one_shard() -> None:
    options = sharding_options({"regionalCache": False}, True)
    usage = sharded_usage(WORKED_EXAMPLE, options)
    assert usage.shards == 1
    assert usage.read_calls_per_request == 1


def test_kv_bulk_limit_note() -> None:
    estimate = estimate_kv(WORKED_EXAMPLE.replace(tags_per_request=101))
    assert any("at most 100 keys" in note for note in estimate.notes)


def test_duration_uses_call_time() -> None:
    traffic = WORKED_EXAMPLE.replace(do_call_duration_ms=200.0)
    duration = item(estimate_sharded(traffic, FOUR_SHARDS), pricing.DO_DURATION)
    assert duration.quantity == pytest.approx(23_135_000 * 0.2 * 0.128)
    assert duration.cost == pytest.approx((592_256 - 400_000) * 12.5 / 1_000_000)


@pytest.mark.parametrize(
    ("value", "text"),
    [(2.3125, "2.3125"), (23_135_000.0, "23,135,000"), (14_459.375, "14,459"), (0.005, "0.005")],
)
def test_format_count(value: float, text: str) -> None:
    assert format_count(value) == text


@pytest.mark.parametrize(
    ("value", "text"), [(0.0, "$0.00"), (0.004, "< $0.01"), (3.32025, "$3.32"), (1495, "$1,495.00")]
)
def test_format_usd(value: float, text: str) -> None:
    assert format_usd(value) == text


# --- Traffic settings -------------------------------------------------------------------------


def test_settings_none_gives_defaults() -> None:
    assert traffic_from_settings(None) == TrafficAssumptions()


def test_settings_values_applied() -> None:
    traffic = traffic_from_settings(
        {"requests_per_month": 5.0e7, "soft_tag_share": 1, "plan": "free"}
    )
    assert traffic.requests_per_month == 50_000_000
    assert traffic.soft_tag_share == 1.0
    assert traffic.plan == "free"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            {"tags_per_request": 0},
            (
                "extra.wrangler_docs.traffic.tags_per_request must be a whole number of at "
                "least 1, but got 0."
            ),
        ),
        (
            {"requests_per_month": "10M"},
            (
                "extra.wrangler_docs.traffic.requests_per_month must be a whole number of at "
                "least 0, but got '10M'."
            ),
        ),
        (
            {"revalidations_per_month": True},
            (
                "extra.wrangler_docs.traffic.revalidations_per_month must be a whole number of at "
                "least 0, but got True."
            ),
        ),
        (
            {"tags_per_revalidation": 1.5},
            (
                "extra.wrangler_docs.traffic.tags_per_revalidation must be a whole number of at "
                "least 1, but got 1.5."
            ),
        ),
        (
            {"soft_tag_share": 1.5},
            "extra.wrangler_docs.traffic.soft_tag_share must be a number from 0 to 1, but got 1.5.",
        ),
        (
            {"regional_cache_hit_rate": float("nan")},
            "extra.wrangler_docs.traffic.regional_cache_hit_rate must be a number, but got nan.",
        ),
        (
            {"do_call_duration_ms": -1},
            (
                "extra.wrangler_docs.traffic.do_call_duration_ms must be a number of at least 0, "
                "but got -1."
            ),
        ),
        (
            {"plan": "pro"},
            (
                "extra.wrangler_docs.traffic.plan must be one of paid, paid-included-used, free, "
                "but got 'pro'."
            ),
        ),
        (
            {"requests": 5},
            (
                "Unknown setting extra.wrangler_docs.traffic.requests; known settings: "
                "requests_per_month, tags_per_request, revalidations_per_month, "
                "tags_per_revalidation, do_call_duration_ms, soft_tag_share, found_tag_share, "
                "regional_cache_hit_rate, plan."
            ),
        ),
    ],
)
def test_settings_invalid(settings: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValueError) as raised:
        traffic_from_settings(settings)
    assert str(raised.value) == message


def test_settings_not_mapping() -> None:
    with pytest.raises(ValueError, match=r"^extra\.wrangler_docs\.traffic must be a mapping"):
        traffic_from_settings([1, 2])  # type: ignore[arg-type]


def test_assumptions_reject_invalid_value() -> None:
    with pytest.raises(ValueError, match="^tags_per_request must be"):
        TrafficAssumptions(tags_per_request=0)


# --- Price data ------------------------------------------------------------------------------


def test_price_table_loaded_once() -> None:
    assert pricing.price_table() is pricing.price_table()


def test_every_price_has_source_and_date() -> None:
    for price in pricing.price_table().prices.values():
        assert price.source.url.startswith("https://developers.cloudflare.com/"), price.key
        assert isinstance(price.read_on, datetime.date), price.key


@pytest.mark.parametrize(
    ("key", "price_usd", "per", "included", "free_per_day"),
    [
        (pricing.DO_REQUESTS, 0.15, 1_000_000, 1_000_000, 100_000),
        (pricing.DO_DURATION, 12.5, 1_000_000, 400_000, 13_000),
        (pricing.DO_ROWS_READ, 0.001, 1_000_000, 25_000_000_000, 5_000_000),
        (pricing.DO_ROWS_WRITTEN, 1.0, 1_000_000, 50_000_000, 100_000),
        (pricing.D1_ROWS_READ, 0.001, 1_000_000, 25_000_000_000, 5_000_000),
        (pricing.D1_ROWS_WRITTEN, 1.0, 1_000_000, 50_000_000, 100_000),
        (pricing.KV_READS, 0.5, 1_000_000, 10_000_000, 100_000),
        (pricing.KV_WRITES, 5.0, 1_000_000, 1_000_000, 1_000),
        (pricing.WORKERS_REQUESTS, 0.3, 1_000_000, 10_000_000, 100_000),
    ],
)
def test_shipped_prices(
    key: str, price_usd: float, per: int, included: float, free_per_day: float
) -> None:
    price = pricing.price(key)
    assert (price.price_usd, price.per) == (price_usd, per)
    assert price.included_per_month == included
    assert price.free_per_day == free_per_day


def test_subscription_minimum() -> None:
    assert pricing.price(pricing.WORKERS_SUBSCRIPTION).price_usd == 5.0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda data: data["prices"][0].pop("read_on"), "missing field 'read_on'"),
        (lambda data: data["prices"][0].update(read_on="May 2026"), "not a YYYY-MM-DD date"),
        (lambda data: data["prices"][0].update(source="nowhere"), "unknown source 'nowhere'"),
        (lambda data: data["prices"][0].update(price_usd=-1), "must be a finite number >= 0"),
        (lambda data: data["prices"].append(dict(data["prices"][0])), "duplicate key"),
    ],
)
def test_malformed_price_data(change, message: str) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(pricing.DATA_FILE.read_text(encoding="utf-8"))
    change(data)
    with pytest.raises(pricing.PricingDataError, match=re.escape(message)):
        pricing.parse_price_table(data)


# --- The numbers follow open-next.config.ts ---------------------------------------------------


def _project_with_shards(tmp_path: Path, size: int):  # type: ignore[no-untyped-def]
    folder = tmp_path / f"shards-{size}"
    folder.mkdir()
    shutil.copy2(REPO / "wrangler.jsonc", folder / "wrangler.jsonc")
    text = (REPO / "open-next.config.ts").read_text(encoding="utf-8")
    assert "baseShardSize: 12" in text
    (folder / "open-next.config.ts").write_text(
        text.replace("baseShardSize: 12", f"baseShardSize: {size}"), encoding="utf-8"
    )
    return load_project(folder / "wrangler.jsonc", root=folder)


def test_report_follows_shard_count(tmp_path: Path) -> None:
    reports = {
        size: cost_report_for_app(_project_with_shards(tmp_path, size).app, TrafficAssumptions())
        for size in (4, 12)
    }
    assert reports[4] is not None and reports[12] is not None
    assert reports[4].sharding.base_shard_size == 4
    assert reports[12].sharding.base_shard_size == 12
    totals = {size: report.estimate(BACKEND_SHARDED).total for size, report in reports.items()}
    assert totals[4] < totals[12]


def test_report_marks_backend_in_use(tmp_path: Path) -> None:
    report = cost_report_for_app(_project_with_shards(tmp_path, 12).app, TrafficAssumptions())
    assert report is not None
    assert report.backend_in_use == BACKEND_SHARDED
    assert report.sharding_origin == "from open-next.config.ts"


def test_report_none_without_app() -> None:
    assert cost_report_for_app(None, TrafficAssumptions()) is None


# --- The page section --------------------------------------------------------------------------


def _render(project, cost) -> str:  # type: ignore[no-untyped-def]
    environment = jinja_environment((TEMPLATES_DIR,))
    environment.globals.setdefault("cost_chart_svg", cost_chart_svg)
    context = page_context(project)
    context["cost"] = cost
    return environment.get_template("_cost.md.j2").render(context)


@pytest.fixture(scope="module")
def repo_project():  # type: ignore[no-untyped-def]
    return load_project(REPO / "wrangler.jsonc", root=REPO)


def test_section_empty_without_report(repo_project) -> None:  # type: ignore[no-untyped-def]
    assert _render(repo_project, None).strip() == ""


def test_section_states_price_date(repo_project) -> None:  # type: ignore[no-untyped-def]
    text = _render(repo_project, cost_report_for_app(repo_project.app, TrafficAssumptions()))
    assert "list prices read on 2026&#45;12&#45;04" in text


def test_section_lists_every_assumption(repo_project) -> None:  # type: ignore[no-untyped-def]
    report = cost_report_for_app(repo_project.app, TrafficAssumptions())
    text = _render(repo_project, report)
    for setting in (
        "requests_per_month",
        "tags_per_request",
        "revalidations_per_month",
        "tags_per_revalidation",
        "do_call_duration_ms",
        "soft_tag_share",
        "found_tag_share",
        "regional_cache_hit_rate",
        "plan",
    ):
        assert f"<code>{setting.replace('_', '&#95;')}</code>" in text, setting


def test_section_marks_backend_in_use(repo_project) -> None:  # type: ignore[no-untyped-def]
    text = _render(repo_project, cost_report_for_app(repo_project.app, TrafficAssumptions()))
    assert "| Sharded Durable Objects :material-check-bold: **in use** |" in text


def test_section_numbers_follow_report(repo_project) -> None:  # type: ignore[no-untyped-def]
    four = build_cost_report(TrafficAssumptions(), FOUR_SHARDS, backend_in_use=BACKEND_SHARDED)
    text = _render(repo_project, four)
    assert "| Sharded Durable Objects :material-check-bold: **in use** | **&#36;3.32** |" in text
    assert "| KV &#40;experimental&#41; | **&#36;10.00** |" in text


def test_section_chart_is_raw_block(repo_project) -> None:  # type: ignore[no-untyped-def]
    text = _render(repo_project, cost_report_for_app(repo_project.app, TrafficAssumptions()))
    lines = text.split("\n")
    start = lines.index('<figure class="wrangler-docs-chart">')
    end = lines.index("</figure>")
    assert lines[start - 1] == ""
    assert lines[end + 1] == ""
    assert all(line for line in lines[start:end])


def test_section_markdown_html(repo_project) -> None:  # type: ignore[no-untyped-def]
    text = _render(repo_project, cost_report_for_app(repo_project.app, TrafficAssumptions()))
    html = markdown.markdown(
        text, extensions=["admonition", "attr_list", "md_in_html", "tables", "pymdownx.details"]
    )
    assert '<figure class="wrangler-docs-chart">\n<svg ' in html
    assert "<p><svg" not in html
    assert "<summary>How these numbers are computed</summary>" in html
    assert html.count("<table>") == 5
