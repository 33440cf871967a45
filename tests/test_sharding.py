"""Tests for OpenNext's tag-to-shard mapping.

The size 4 and size 12 vectors are the shard indexes @opennextjs/cloudflare 1.20.17 produces.
The other expected values come from running the JavaScript `cyrb128` and `generateShardId` of
@opennextjs/aws 4.1.16 under Node 20.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wrangler_docs.facts import opennext
from wrangler_docs.model.sharding import (
    DEFAULT_SHARDING_OPTIONS,
    ShardingOptionError,
    ShardingOptions,
    cyrb128_h1,
    durable_object_name,
    instance_count,
    instance_names,
    is_soft_tag,
    message_group_id,
    mulberry32_first,
    shard_id,
    shard_index,
    sharding_options,
)
from wrangler_docs.read.opennext_ts import NonLiteral

SIZE_4_VECTORS = [
    ("tag1", 1),
    ("tag2", 2),
    ("tag3", 0),
    ("tag4", 3),
    ("tag6", 1),
    ("_N_T_/tag1", 3),
    ("_N_T_/layout", 3),
    ("_N_T_/", 2),
    ("_N_T_/page", 2),
    ("posts", 0),
    ("products", 1),
    ("user:42", 0),
]

SIZE_12_VECTORS = [
    ("tag1", 3),
    ("tag2", 6),
    ("_N_T_/layout", 10),
    ("_N_T_/tag1", 9),
    ("posts", 0),
]

# (tag, size, cyrb128 h1, shard index), computed by the JavaScript code under Node.
NODE_VECTORS = [
    ("tag1", 4, 3418860979, 1),
    ("tag1", 1000, 3418860979, 292),
    ("", 4, 41608494, 0),
    ("é", 4, 1621247514, 2),
    ("é", 1000, 1621247514, 645),
    ("über-tag", 12, 1577363324, 6),
    ("日本語", 4, 2119793059, 0),
    ("😀", 4, 1049635535, 0),
    ("😀", 1000, 1049635535, 216),
    ("𝄞music", 1000, 3701381149, 393),
    ("_N_T_/😀/ü", 12, 1453647439, 5),
    ("_N_T_/😀/ü", 4, 1453647439, 1),
    ("a\ud83d", 7, 2162653236, 2),
    ("\x00", 3, 4169141705, 2),
    ("x", 999, 1126686311, 21),
]


@pytest.mark.parametrize(("tag", "expected"), SIZE_4_VECTORS)
def test_shard_index_size_4(tag: str, expected: int) -> None:
    assert shard_index(tag, 4) == expected


@pytest.mark.parametrize(("tag", "expected"), SIZE_12_VECTORS)
def test_shard_index_size_12(tag: str, expected: int) -> None:
    assert shard_index(tag, 12) == expected


@pytest.mark.parametrize(("tag", "size", "h1", "expected"), NODE_VECTORS)
def test_shard_index_matches_javascript(tag: str, size: int, h1: int, expected: int) -> None:
    assert cyrb128_h1(tag) == h1
    assert shard_index(tag, size) == expected


def test_cyrb128_hashes_utf16_code_units() -> None:
    # An astral character is two UTF-16 code units, so it must hash like its surrogate pair.
    assert cyrb128_h1("😀") == cyrb128_h1("\ud83d\ude00")


@pytest.mark.parametrize(
    ("path", "expected"),
    [("/", "revalidate-6"), ("/about", "revalidate-2"), ("/blog/1", "revalidate-0")],
)
def test_message_group_id_default(path: str, expected: str) -> None:
    assert message_group_id(path) == expected


def test_message_group_id_non_ascii() -> None:
    assert message_group_id("/blog/ünï") == "revalidate-6"


def test_message_group_id_custom_concurrency() -> None:
    assert message_group_id("tag1", 1000) == "revalidate-292"


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "10", None])
def test_message_group_id_invalid_concurrency(bad: object) -> None:
    with pytest.raises(ValueError, match="MAX_REVALIDATE_CONCURRENCY"):
        message_group_id("/", bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [0, -4, 2.5, True, "4", None])
def test_shard_index_invalid_size(bad: object) -> None:
    with pytest.raises(ValueError, match="baseShardSize must be a positive integer"):
        shard_index("tag1", bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("tag", "soft"),
    [("_N_T_/layout", True), ("_N_T_/", True), ("_N_T_", False), ("tag1", False), ("", False)],
)
def test_is_soft_tag(tag: str, soft: bool) -> None:
    assert is_soft_tag(tag) is soft


def test_defaults_without_options() -> None:
    opts = sharding_options(None, False)
    assert opts == DEFAULT_SHARDING_OPTIONS
    assert opts.base_shard_size == opennext.DEFAULT_BASE_SHARD_SIZE
    assert opts.explicit is False


def test_durable_object_name_hard_tag() -> None:
    assert durable_object_name("tag1", DEFAULT_SHARDING_OPTIONS) == "tag-hard;shard-1;replica-1"


def test_durable_object_name_soft_tag() -> None:
    assert (
        durable_object_name("_N_T_/tag1", DEFAULT_SHARDING_OPTIONS) == "tag-soft;shard-3;replica-1"
    )


def test_durable_object_name_replica_and_region() -> None:
    opts = sharding_options(
        {
            "baseShardSize": 4,
            "shardReplication": {
                "numberOfSoftReplicas": 4,
                "numberOfHardReplicas": 2,
                "regionalReplication": {"defaultRegion": "weur"},
            },
        },
        True,
    )
    name = durable_object_name("tag1", opts, replica=2, region="weur")
    assert name == "tag-hard;shard-1;replica-2;region-weur"


@pytest.mark.parametrize("replica", [0, 2, True])
def test_durable_object_name_replica_out_of_range(replica: int) -> None:
    with pytest.raises(ValueError, match="replica must be an integer from 1 to 1"):
        durable_object_name("tag1", DEFAULT_SHARDING_OPTIONS, replica=replica)


def test_durable_object_name_unknown_region() -> None:
    with pytest.raises(ValueError, match="region must be one of"):
        durable_object_name("tag1", DEFAULT_SHARDING_OPTIONS, region="eu")


def test_shard_id_without_replica() -> None:
    assert shard_id("_N_T_/layout", DEFAULT_SHARDING_OPTIONS) == "tag-soft;shard-3"


def test_options_without_base_shard_size_give_nan() -> None:
    # OpenNext's default of 4 applies only when no options object is passed at all.
    opts = sharding_options({"regionalCache": True}, True)
    assert opts.base_shard_size is None
    assert opts.regional_cache is True
    assert durable_object_name("tag1", opts) == "tag-hard;shard-NaN;replica-1"
    assert shard_id("_N_T_/x", opts) == "tag-soft;shard-NaN"


def test_nan_instance_names() -> None:
    opts = sharding_options({}, True)
    assert instance_names(opts) == ["tag-soft;shard-NaN;replica-1", "tag-hard;shard-NaN;replica-1"]


def test_null_base_shard_size_counts_as_absent() -> None:
    assert sharding_options({"baseShardSize": None}, True).base_shard_size is None


def test_sharding_options_full() -> None:
    opts = sharding_options(
        {
            "baseShardSize": 12,
            "regionalCache": True,
            "regionalCacheTtlSec": 10,
            "maxWriteRetries": 0,
            "shardReplication": {
                "numberOfSoftReplicas": 4,
                "numberOfHardReplicas": 2,
                "regionalReplication": {"defaultRegion": "apac"},
            },
        },
        True,
    )
    assert opts == ShardingOptions(
        base_shard_size=12,
        soft_replicas=4,
        hard_replicas=2,
        regional_replication=True,
        default_region="apac",
        regional_cache=True,
        regional_cache_ttl_sec=10,
        max_write_retries=0,
        explicit=True,
    )


def test_sharding_options_whole_float() -> None:
    assert sharding_options({"baseShardSize": 4.0}, True).base_shard_size == 4


def test_sharding_options_replication_defaults() -> None:
    opts = sharding_options({"baseShardSize": 2, "shardReplication": {}}, True)
    assert opts.soft_replicas == 1
    assert opts.hard_replicas == 1
    assert opts.regional_replication is False
    assert opts.default_region == opennext.DEFAULT_REGION


def test_sharding_options_regional_without_region() -> None:
    opts = sharding_options(
        {"baseShardSize": 2, "shardReplication": {"regionalReplication": {}}}, True
    )
    assert opts.regional_replication is True
    assert opts.default_region == opennext.DEFAULT_REGION


@pytest.mark.parametrize(
    ("options", "path", "message"),
    [
        (
            {"baseShardSize": 0},
            ("baseShardSize",),
            "baseShardSize must be an integer of at least 1",
        ),
        ({"baseShardSize": -4}, ("baseShardSize",), "at least 1, got -4"),
        ({"baseShardSize": 2.5}, ("baseShardSize",), "got 2.5"),
        ({"baseShardSize": "4"}, ("baseShardSize",), 'got "4"'),
        ({"baseShardSize": True}, ("baseShardSize",), "got true"),
        (
            {"shardReplication": {"numberOfSoftReplicas": 0}},
            ("shardReplication", "numberOfSoftReplicas"),
            "shardReplication.numberOfSoftReplicas must be an integer of at least 1",
        ),
        (
            {"shardReplication": {"numberOfHardReplicas": 1.5}},
            ("shardReplication", "numberOfHardReplicas"),
            "got 1.5",
        ),
        ({"shardReplication": True}, ("shardReplication",), "must be an object"),
        (
            {"shardReplication": {"regionalReplication": {"defaultRegion": "eu"}}},
            ("shardReplication", "regionalReplication", "defaultRegion"),
            'must be one of enam, weur, apac, sam, afr, oc, got "eu"',
        ),
        ({"regionalCache": "yes"}, ("regionalCache",), "must be true or false"),
        ({"regionalCacheTtlSec": -1}, ("regionalCacheTtlSec",), "at least 0"),
        ({"maxWriteRetries": 1.5}, ("maxWriteRetries",), "maxWriteRetries must be an integer"),
    ],
)
def test_sharding_options_invalid(options: dict, path: tuple, message: str) -> None:
    with pytest.raises(ShardingOptionError, match=message) as caught:
        sharding_options(options, True)
    assert caught.value.path == path


def test_sharding_options_not_an_object() -> None:
    with pytest.raises(ShardingOptionError, match="must be an object literal") as caught:
        sharding_options(4, True)
    assert caught.value.path == ()


def test_sharding_options_non_literal_value() -> None:
    with pytest.raises(ShardingOptionError, match="the expression `getSize\\(\\)`") as caught:
        sharding_options({"baseShardSize": NonLiteral("getSize()")}, True)
    assert caught.value.path == ("baseShardSize",)


def test_sharding_option_error_is_value_error() -> None:
    assert issubclass(ShardingOptionError, ValueError)


def test_instance_names_default() -> None:
    names = instance_names(DEFAULT_SHARDING_OPTIONS)
    assert names[:2] == ["tag-soft;shard-0;replica-1", "tag-soft;shard-1;replica-1"]
    assert names[-1] == "tag-hard;shard-3;replica-1"
    assert len(names) == 8


def test_instance_names_regional_order() -> None:
    opts = sharding_options(
        {
            "baseShardSize": 1,
            "shardReplication": {
                "numberOfSoftReplicas": 2,
                "numberOfHardReplicas": 1,
                "regionalReplication": {"defaultRegion": "enam"},
            },
        },
        True,
    )
    names = instance_names(opts)
    assert names[0] == "tag-soft;shard-0;replica-1;region-enam"
    assert names[5] == "tag-soft;shard-0;replica-1;region-oc"
    assert names[6] == "tag-soft;shard-0;replica-2;region-enam"
    assert names[12] == "tag-hard;shard-0;replica-1;region-enam"


@pytest.mark.parametrize(
    ("size", "soft", "hard", "regional", "expected"),
    [
        (4, 1, 1, False, 8),
        (12, 8, 2, False, 120),
        (12, 4, 2, True, 432),
        (3, 1, 5, True, 108),
    ],
)
def test_instance_count(size: int, soft: int, hard: int, regional: bool, expected: int) -> None:
    replication: dict = {"numberOfSoftReplicas": soft, "numberOfHardReplicas": hard}
    if regional:
        replication["regionalReplication"] = {"defaultRegion": "weur"}
    opts = sharding_options({"baseShardSize": size, "shardReplication": replication}, True)
    names = instance_names(opts)
    assert len(names) == expected
    assert instance_count(opts) == expected
    assert len(names) == size * (soft + hard) * (len(opennext.AVAILABLE_REGIONS) if regional else 1)
    assert len(set(names)) == len(names)
    assert instance_names(opts, limit=5) == names[:5]


def test_instance_names_limit_large_size() -> None:
    opts = sharding_options({"baseShardSize": 10_000_000}, True)
    names = instance_names(opts, limit=3)
    assert names == [
        "tag-soft;shard-0;replica-1",
        "tag-soft;shard-1;replica-1",
        "tag-soft;shard-2;replica-1",
    ]
    assert instance_count(opts) == 20_000_000


def test_instance_names_contain_every_tag() -> None:
    opts = sharding_options(
        {
            "baseShardSize": 5,
            "shardReplication": {"numberOfSoftReplicas": 3, "numberOfHardReplicas": 2},
        },
        True,
    )
    names = set(instance_names(opts))
    for tag, _ in SIZE_4_VECTORS:
        replicas = 3 if is_soft_tag(tag) else 2
        for replica in range(1, replicas + 1):
            assert durable_object_name(tag, opts, replica=replica) in names


@given(tag=st.text(), size=st.integers(min_value=1, max_value=1000))
def test_shard_index_in_range(tag: str, size: int) -> None:
    assert 0 <= shard_index(tag, size) < size


@given(tag=st.text(), size=st.integers(min_value=1, max_value=1000))
def test_shard_index_stable(tag: str, size: int) -> None:
    assert shard_index(tag, size) == shard_index(tag, size)


@given(tag=st.text(), size=st.integers(min_value=1, max_value=1000))
def test_shard_index_is_floor_formula(tag: str, size: int) -> None:
    r = mulberry32_first(cyrb128_h1(tag))
    assert shard_index(tag, size) == math.floor(r / 2**32 * size)
    assert shard_index(tag, size) == (r * size) >> 32


@given(
    tag=st.text(),
    sizes=st.lists(st.integers(min_value=1, max_value=1000), min_size=2, max_size=2),
)
def test_shard_index_monotonic_in_size(tag: str, sizes: list[int]) -> None:
    # floor(f * size) with one fixed f per tag never decreases as the size grows.
    small, large = sorted(sizes)
    assert shard_index(tag, small) <= shard_index(tag, large)


@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_mulberry32_output_is_uint32(seed: int) -> None:
    assert 0 <= mulberry32_first(seed) < 2**32


@given(tag=st.text())
def test_cyrb128_output_is_uint32(tag: str) -> None:
    assert 0 <= cyrb128_h1(tag) < 2**32


def test_option_error_hint_for_region() -> None:
    regional = {"regionalReplication": {"defaultRegion": "europe"}}
    with pytest.raises(ShardingOptionError) as raised:
        sharding_options({"shardReplication": regional}, True)
    assert raised.value.hint == "Use one of enam, weur, apac, sam, afr, oc."


def test_option_error_hint_for_expression() -> None:
    with pytest.raises(ShardingOptionError) as raised:
        sharding_options({"baseShardSize": NonLiteral("4 * 3")}, True)
    assert str(raised.value) == (
        "baseShardSize must be an integer of at least 1, got the expression `4 * 3`"
    )
    assert raised.value.hint.startswith("Write a whole number of at least 1 as a literal:")
