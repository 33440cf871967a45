"""Real `mkdocs build --strict` runs on temporary copies of the site."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, copy_site, page_html, page_text, run_build

GENERATED_PAGES = ("architecture", "queue", "sharding", "do-vs-d1", "bindings", "validation")
DEFAULT_BINDINGS = (
    "ASSETS",
    "NEXT_INC_CACHE_R2_BUCKET",
    "NEXT_CACHE_DO_QUEUE",
    "NEXT_TAG_CACHE_DO_SHARDED",
    "NEXT_CACHE_DO_PURGE",
    "WORKER_SELF_REFERENCE",
    "DB",
    "STORE_NAME",
    "DEFAULT_CURRENCY",
)


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def mermaid_blocks(site: Path, page: str) -> list[str]:
    return re.findall(r'<pre class="mermaid"><code>(.*?)</code></pre>', page_html(site, page), re.S)


def test_default_build_log_is_clean(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site-copy")
    result = run_build(site)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    assert "ERROR" not in result.stderr
    assert (
        "wrangler-docs: read wrangler.jsonc (3 environments): 0 errors, 0 warnings" in result.stderr
    )


@pytest.mark.parametrize("page", GENERATED_PAGES)
def test_generated_page_exists(default_site: Path, page: str) -> None:
    assert (default_site / "site" / page / "index.html").is_file()


def test_generated_pages_not_written_to_docs(default_site: Path) -> None:
    written = sorted(path.name for path in (default_site / "docs").rglob("*.md"))
    assert written == ["index.md"]


@pytest.mark.parametrize("name", DEFAULT_BINDINGS)
def test_binding_on_bindings_page(default_site: Path, name: str) -> None:
    assert name in page_text(default_site, "bindings")


@pytest.mark.parametrize("name", DEFAULT_BINDINGS)
def test_binding_in_architecture_diagram(default_site: Path, name: str) -> None:
    diagrams = "\n".join(mermaid_blocks(default_site, "architecture"))
    assert name in diagrams


def test_binding_descriptions_from_comments(default_site: Path) -> None:
    text = page_text(default_site, "bindings")
    assert "Tag cache: when each tag and path was last revalidated, spread over shards." in text
    assert "Must name the staging Worker, not the top-level one." in text


def test_var_values_not_published(default_site: Path) -> None:
    for page in GENERATED_PAGES:
        assert "Northwind Shop (staging)" not in page_html(default_site, page)


def test_sharding_page_lists_instances(default_site: Path) -> None:
    text = page_text(default_site, "sharding")
    assert "tag-hard;shard-11;replica-2" in text
    assert "tag-soft;shard-11;replica-4" in text
    assert "tag-hard;shard-12;replica-1" not in text
    assert "tag-hard;shard-0;replica-3" not in text
    assert "72" in text


def test_sharding_sample_tags(default_site: Path) -> None:
    text = page_text(default_site, "sharding")
    assert "tag-hard;shard-3;replica-1" in text  # tag1 at 12 shards
    assert "tag-soft;shard-9;replica-1" in text  # _N_T_/tag1 at 12 shards


def test_do_vs_d1_marks_backend(default_site: Path) -> None:
    text = page_text(default_site, "do-vs-d1")
    assert "This config uses the Sharded Durable Objects tag cache" in text
    assert "1.20.17" in text


def test_queue_page_reads_vars(default_site: Path) -> None:
    text = page_text(default_site, "queue")
    assert "DOQueueHandler" in text
    assert "80" in text  # 10 instances x 8 concurrent revalidations at the top level
    assert "100" in text  # 10 x 10 in production


def test_validation_page_lists_checks(default_site: Path) -> None:
    text = page_text(default_site, "validation")
    assert "No problems found" in text
    assert "JSON Schema (draft 2020-12)" in text
    assert "open-next.config.ts" in text


def test_wrong_class_name_type_fails(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site-copy")
    edit(site / "wrangler.jsonc", '"class_name": "DOShardedTagCache"', '"class_name": 42')
    result = run_build(site)
    assert result.returncode == 1
    assert "wrangler.jsonc:33:60: error[WD102]" in result.stderr
    assert "Traceback" not in result.stderr


def test_schema_error_fails_without_strict(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site-copy")
    edit(site / "wrangler.jsonc", '"class_name": "DOShardedTagCache"', '"class_name": 42')
    result = run_build(site, strict=False)
    assert result.returncode == 1
    assert "wrangler.jsonc:33:60: error[WD102]" in result.stderr
    assert re.search(r"wrangler.jsonc: \d+ errors? in the wrangler config", result.stderr)
    assert "Traceback" not in result.stderr


def test_deleted_binding_disappears(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site-copy")
    config = site / "wrangler.jsonc"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r'\n(\s*)"d1_databases": \[.*?\n\1\],', "", text, flags=re.S)
    config.write_text(text, encoding="utf-8")
    assert '"binding": "DB"' not in text
    result = run_build(site)
    assert result.returncode == 0, result.stderr
    for page in GENERATED_PAGES:
        assert not re.search(r"\bDB\b", page_text(site, page)), page
        assert not re.search(r"\bDB\b", "\n".join(mermaid_blocks(site, page))), page


def test_base_shard_size_changes_instances(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site-copy")
    edit(site / "open-next.config.ts", "baseShardSize: 12", "baseShardSize: 3")
    result = run_build(site)
    assert result.returncode == 0, result.stderr
    text = page_text(site, "sharding")
    assert "tag-hard;shard-2;replica-2" in text
    assert "tag-hard;shard-3;replica-1" not in text
    assert "18" in text


def test_huge_base_shard_size_lists_first_instances(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site-copy")
    edit(site / "open-next.config.ts", "baseShardSize: 12", "baseShardSize: 10000000")
    result = run_build(site)
    assert result.returncode == 0, result.stderr
    text = page_text(site, "sharding")
    assert "These are the first 500 of the 60,000,000 names" in text
    assert "tag-soft;shard-499;replica-1" not in text
    assert (site / "site" / "sharding" / "index.html").stat().st_size < 500_000


def test_queue_var_without_number(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site-copy")
    old = '"NEXT_CACHE_DO_QUEUE_MAX_REVALIDATION": "8"'
    edit(site / "wrangler.jsonc", old, '"NEXT_CACHE_DO_QUEUE_MAX_REVALIDATION": "abc"')
    result = run_build(site)
    assert result.returncode == 1
    assert "wrangler.jsonc:59:45: warning[WD332]" in result.stderr
    result = run_build(site, strict=False)
    assert result.returncode == 0, result.stderr
    text = page_text(site, "queue")
    assert "NaN (NEXT_CACHE_DO_QUEUE_MAX_REVALIDATION contains no number)" in text
    assert "Concurrent revalidations in total\nno limit" in text


def cost_cell(site: Path, backend: str) -> str:
    raw = page_html(site, "do-vs-d1")
    row = re.search(rf"<tr>\s*<td>{backend}.*?</tr>", raw, re.S)
    assert row, raw
    return re.findall(r"<td>(.*?)</td>", row.group(0), re.S)[1]


def test_cost_table_on_do_vs_d1(default_site: Path) -> None:
    text = page_text(default_site, "do-vs-d1")
    assert "read on 2026-12-04" in text
    assert "10,000,000" in text
    assert "How these numbers are computed" in text
    assert "<svg" in page_html(default_site, "do-vs-d1")


def test_shard_count_changes_cost(tmp_path: Path, default_site: Path) -> None:
    site = copy_site(tmp_path / "site-copy")
    edit(site / "open-next.config.ts", "baseShardSize: 12", "baseShardSize: 2")
    result = run_build(site)
    assert result.returncode == 0, result.stderr
    before = cost_cell(default_site, "Sharded Durable Objects")
    after = cost_cell(site, "Sharded Durable Objects")
    assert before != after


def test_traffic_setting_changes_cost(tmp_path: Path, default_site: Path) -> None:
    site = copy_site(tmp_path / "site-copy")
    edit(site / "mkdocs.yml", "requests_per_month: 10000000", "requests_per_month: 500000000")
    result = run_build(site)
    assert result.returncode == 0, result.stderr
    assert "500,000,000" in page_text(site, "do-vs-d1")
    assert cost_cell(site, "KV") != cost_cell(default_site, "KV")


def test_toml_config_gives_same_pages(tmp_path: Path, default_site: Path) -> None:
    site = copy_site(tmp_path / "site-copy")
    (site / "wrangler.jsonc").unlink()
    shutil.copy(REPO / "tests" / "data" / "wrangler.toml", site / "wrangler.toml")
    edit(site / "mkdocs.yml", "config: wrangler.jsonc", "config: wrangler.toml")
    result = run_build(site)
    assert result.returncode == 0, result.stderr
    for page in GENERATED_PAGES:
        if page == "validation":
            continue
        toml_text = page_text(site, page).replace("wrangler.toml", "wrangler.jsonc")
        assert toml_text == page_text(default_site, page), page
    assert "Syntax (TOML)" in page_text(site, "validation")


def test_toml_error_has_position(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site-copy")
    (site / "wrangler.jsonc").unlink()
    text = (REPO / "tests" / "data" / "wrangler.toml").read_text(encoding="utf-8")
    (site / "wrangler.toml").write_text(text.replace('class_name = "DOShardedTagCache"', "class_name = 42", 1))
    edit(site / "mkdocs.yml", "config: wrangler.jsonc", "config: wrangler.toml")
    result = run_build(site)
    assert result.returncode == 1
    line = next(
        number
        for number, content in enumerate(text.splitlines(), start=1)
        if 'class_name = "DOShardedTagCache"' in content
    )
    assert f"wrangler.toml:{line}:14: error[WD102]" in result.stderr


def test_architecture_lists_worker_settings(default_site: Path) -> None:
    text = page_text(default_site, "architecture")
    assert ".open-next/worker.js" in text
    assert "2025-09-15" in text
    assert "global_fetch_strictly_public" in text
    assert "shop.example.com (custom domain)" in text
    assert "northwind-shop-production" in text
