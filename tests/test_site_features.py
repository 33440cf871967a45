"""Site settings in real builds: several Workers, environment filter, hand-written pages with
Jinja, the drift check, template overrides and var values."""

from __future__ import annotations

import html
from pathlib import Path

import yaml

from conftest import REPO, copy_site, page_html, page_text, run_build

CRON_CONFIG = """{
  "name": "nightly-reports",
  "main": "src/cron.ts",
  "compatibility_date": "2025-09-15",
  "triggers": { "crons": ["0 3 * * *"] },
  "services": [
    // Asks the shop to rebuild its report pages.
    { "binding": "SHOP", "service": "northwind-shop" },
  ],
}
"""


def set_settings(site: Path, settings: dict, *, drop_nav: bool = False) -> None:
    path = site / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition("\nextra:\n")
    _, _, tail = rest.partition("\nmarkdown_extensions:")
    block = yaml.safe_dump({"extra": {"wrangler_docs": settings}}, sort_keys=False)
    text = f"{head}\n{block}\nmarkdown_extensions:{tail}"
    if drop_nav:
        text = text[: text.index("\nnav:")] + "\n"
    path.write_text(text, encoding="utf-8")


def write_page(site: Path, name: str, text: str) -> None:
    (site / "docs" / name).write_text(text, encoding="utf-8")


def test_several_workers_get_sections(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    (site / "cron").mkdir()
    (site / "cron" / "wrangler.jsonc").write_text(CRON_CONFIG, encoding="utf-8")
    set_settings(
        site,
        {
            "workers": [
                {"config": "wrangler.jsonc", "slug": "shop"},
                {"config": "cron/wrangler.jsonc"},
            ]
        },
        drop_nav=True,
    )
    write_page(site, "index.md", "# Home\n")
    result = run_build(site)
    assert result.returncode == 0, result.stderr
    assert "NEXT_TAG_CACHE_DO_SHARDED" in page_text(site, "shop/bindings")
    assert "SHOP" in page_text(site, "cron/bindings")
    assert "NEXT_TAG_CACHE_DO_SHARDED" not in page_text(site, "cron/bindings")
    overview = html.unescape(page_html(site, "workers"))
    assert 'w1 -- "SHOP" --> w0' in overview
    assert (site / "site" / "rules" / "index.html").is_file()


def test_environment_filter(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    set_settings(site, {"config": "wrangler.jsonc", "environments": ["production"]})
    result = run_build(site)
    assert result.returncode == 0, result.stderr
    text = page_text(site, "bindings")
    assert "northwind-shop-production" in text
    assert "northwind-shop-staging" not in text


def test_environment_filter_unknown_name(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    set_settings(site, {"config": "wrangler.jsonc", "environments": ["prod"]})
    result = run_build(site)
    assert result.returncode == 1
    assert 'lists "prod", which no config declares' in result.stderr


def test_jinja_in_hand_written_page(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    write_page(
        site,
        "notes.md",
        "# Notes\n\nQueue class: {{ binding('NEXT_CACHE_DO_QUEUE').target }}.\n",
    )
    result = run_build(site, strict=False)
    assert result.returncode == 0, result.stderr
    assert "Queue class: DOQueueHandler." in page_text(site, "notes")


def test_jinja_undefined_fails_with_line(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    write_page(site, "notes.md", "---\ntitle: Notes\n---\n# Notes\n\nText\n\n{{ nothing_here }}\n")
    result = run_build(site)
    assert result.returncode == 1
    assert "docs/notes.md:8:1: Jinja error: 'nothing_here' is undefined" in result.stderr


def test_jinja_missing_binding_fails(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    write_page(site, "notes.md", "# Notes\n\n{{ binding('NOPE').target }}\n")
    result = run_build(site)
    assert result.returncode == 1
    assert "docs/notes.md:3:1: Jinja error: no binding named 'NOPE'" in result.stderr


def test_actions_syntax_error_hint(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    write_page(site, "ci.md", "# CI\n\n    token: ${{ secrets.CLOUDFLARE_API_TOKEN }}\n")
    result = run_build(site)
    assert result.returncode == 1
    assert "docs/ci.md:3:1: Jinja error: 'secrets' is undefined. The page has" in result.stderr
    assert "add 'jinja: false' to the page's front matter" in result.stderr


def test_jinja_opt_out_keeps_braces(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    write_page(site, "notes.md", "---\njinja: false\n---\n# Notes\n\nLiteral {{ braces }} stay.\n")
    result = run_build(site, strict=False)
    assert result.returncode == 0, result.stderr
    assert "Literal {{ braces }} stay." in page_text(site, "notes")


def test_drift_check_reports_stale_class(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    write_page(
        site,
        "notes.md",
        "# Notes\n\nThe tag cache uses `DOTagCacheShard`\nwith `NEXT_TAG_CACHE_DO_SHARDED`.\n",
    )
    result = run_build(site)
    assert result.returncode == 1
    assert (
        "docs/notes.md:3:21: `DOTagCacheShard` is not declared in any listed wrangler config; "
        "did you mean `DOShardedTagCache`?"
    ) in result.stderr
    assert "NEXT_TAG_CACHE_DO_SHARDED` is not declared" not in result.stderr


def test_drift_check_line_after_jinja_loop(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    loop = "{% for name in ['A', 'B', 'C'] %}\n- {{ name }}\n{% endfor %}\n"
    write_page(site, "notes.md", f"# Notes\n\n{loop}\nOld cache: `NEXT_CACHE_D1`.\n")
    result = run_build(site)
    assert result.returncode == 1
    assert "docs/notes.md:7:13: `NEXT_CACHE_D1` is not declared" in result.stderr


def test_drift_check_skips_jinja_output(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    text = "# Notes\n\nQueue: `{{ binding('NEXT_CACHE_DO_QUEUE').target }}`\n{# `OLD_NAME_X` #}\n"
    write_page(site, "notes.md", text)
    result = run_build(site)
    assert result.returncode == 0, result.stderr
    assert "Queue: DOQueueHandler" in page_text(site, "notes")


def test_drift_check_reports_unknown_binding(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    write_page(
        site, "notes.md", "# Notes\n\nOld cache: `NEXT_CACHE_D1`.\n\n```\n`NOT_CHECKED`\n```\n"
    )
    result = run_build(site)
    assert result.returncode == 1
    assert (
        "docs/notes.md:3:13: `NEXT_CACHE_D1` is not declared in any listed wrangler config; "
        "OpenNext renamed it to `NEXT_TAG_CACHE_D1`"
    ) in result.stderr
    assert "NOT_CHECKED" not in result.stderr


def test_drift_ignore_setting(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    set_settings(site, {"config": "wrangler.jsonc", "drift_ignore": ["NEXT_CACHE_D1"]})
    write_page(site, "notes.md", "# Notes\n\nOld cache: `NEXT_CACHE_D1`.\n")
    result = run_build(site)
    assert result.returncode == 0, result.stderr


def test_template_override(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    (site / "overrides").mkdir()
    (site / "overrides" / "queue.md.j2").write_text(
        "# ISR queue\n\nCustom queue page for {{ worker.name }}.\n", encoding="utf-8"
    )
    set_settings(site, {"config": "wrangler.jsonc", "templates_dir": "overrides"})
    result = run_build(site)
    assert result.returncode == 0, result.stderr
    assert "Custom queue page for northwind-shop." in page_text(site, "queue")
    assert "Tag cache sharding" in page_text(site, "sharding")


def test_override_error_has_line(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    (site / "overrides").mkdir()
    (site / "overrides" / "queue.md.j2").write_text(
        "# ISR queue\n\n{{ nope.name }}\n", encoding="utf-8"
    )
    set_settings(site, {"config": "wrangler.jsonc", "templates_dir": "overrides"})
    result = run_build(site)
    assert result.returncode == 1
    queue = site / "overrides" / "queue.md.j2"
    assert f"Template error: {queue}:3: UndefinedError: 'nope' is undefined" in result.stderr


def test_var_values_hidden_by_default(default_site: Path) -> None:
    assert "Northwind Shop (staging)" not in page_text(default_site, "bindings")


def test_var_values_setting_shows_safe_values(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    config = site / "wrangler.jsonc"
    text = config.read_text(encoding="utf-8")
    text = text.replace(
        '"DEFAULT_CURRENCY": "EUR",\n    "NEXT',
        '"DEFAULT_CURRENCY": "EUR",\n    "PAYMENT_KEY": "sk_live_51HxQmZ2eZvKYlo2C",\n    "NEXT',
        1,
    )
    config.write_text(text, encoding="utf-8")
    set_settings(site, {"config": "wrangler.jsonc", "show_var_values": True})
    result = run_build(site, strict=False)
    assert result.returncode == 0, result.stderr
    bindings = page_text(site, "bindings")
    assert "Northwind Shop (staging)" in bindings
    assert "PAYMENT_KEY" in bindings
    for path in (site / "site").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".txt"):
            assert "sk_live_51HxQmZ2eZvKYlo2C" not in path.read_text(encoding="utf-8"), path


def toml_site(tmp_path: Path, old: str, new: str, **settings: object) -> tuple[Path, str]:
    """Copy the site with the test wrangler.toml, edited, in place of wrangler.jsonc."""
    site = copy_site(tmp_path / "site")
    (site / "wrangler.jsonc").unlink()
    text = (REPO / "tests" / "data" / "wrangler.toml").read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new)
    (site / "wrangler.toml").write_text(text, encoding="utf-8")
    set_settings(site, {"config": "wrangler.toml", **settings})
    return site, text


def test_nested_toml_dates_shown(tmp_path: Path) -> None:
    dates = "DAYS = [2025-12-01]\nSALE = { starts = 2025-12-01T10:00:00Z }\n"
    currency = 'DEFAULT_CURRENCY = "EUR"\n'
    site, _ = toml_site(tmp_path, currency, currency + dates, show_var_values=True)
    result = run_build(site, strict=False)
    assert result.returncode == 0, result.stderr
    bindings = page_text(site, "bindings")
    assert '["2025-12-01"]' in bindings
    assert '{"starts": "2025-12-01T10:00:00.000Z"}' in bindings
    assert "WD230" not in page_text(site, "validation")


def test_toml_date_var_fails_strict_build(tmp_path: Path) -> None:
    site, text = toml_site(tmp_path, 'STORE_NAME = "Northwind Shop"\n', "LAUNCH = 2025-12-01\n")
    result = run_build(site)
    assert result.returncode == 1
    line = text.splitlines().index("LAUNCH = 2025-12-01") + 1
    assert f"wrangler.toml:{line}:10: error[WD230]" in result.stderr


def test_missing_schema_setting_fails(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    set_settings(site, {"config": "wrangler.jsonc", "schema": "nope.json"})
    result = run_build(site)
    assert result.returncode == 1
    assert f"extra.wrangler_docs.schema: {site / 'nope.json'} was not found." in result.stderr


def test_unknown_setting_fails(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    set_settings(site, {"confg": "wrangler.jsonc"})
    result = run_build(site)
    assert result.returncode == 1
    assert 'Unknown setting extra.wrangler_docs.confg. Did you mean "config"?' in result.stderr


def test_worker_text_hides_var_values(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    write_page(site, "notes.md", "# Notes\n\n{{ worker.top.vars }}\n")
    result = run_build(site, strict=False)
    assert result.returncode == 0, result.stderr
    text = page_text(site, "notes")
    assert "STORE_NAME" in text
    assert "Northwind Shop" not in text
