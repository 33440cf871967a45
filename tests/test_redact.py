"""Masking of var values in the source excerpts, for JSONC and TOML configs."""

from __future__ import annotations

from pathlib import Path

from wrangler_docs.project import load_project
from wrangler_docs.read.jsonc import parse_jsonc
from wrangler_docs.read.toml import parse_toml
from wrangler_docs.render.redact import MASK, excerpt_sources, redacted_source

SECRET = "sk_live_51HxQmZ2eZvKYlo2CAbCd"


def masked_toml(text: str) -> str:
    return redacted_source(parse_toml(text, "wrangler.toml")).text


def masked_jsonc(text: str) -> str:
    return redacted_source(parse_jsonc(text, "wrangler.jsonc")).text


def test_toml_table_value_masked() -> None:
    text = f'name = "app"\n\n[vars]\nTOKEN = "{SECRET}"\n'
    assert masked_toml(text) == f'name = "app"\n\n[vars]\nTOKEN = {MASK * (len(SECRET) + 2)}\n'


def test_toml_sub_table_values_masked() -> None:
    text = f'name = "app"\n\n[vars.DB]\npassword = "{SECRET}"\nport = 5432\n'
    masked = masked_toml(text)
    assert SECRET not in masked
    assert "5432" not in masked
    assert masked.splitlines()[2:4] == ["[vars.DB]", f"password = {MASK * (len(SECRET) + 2)}"]


def test_toml_dotted_key_value_masked() -> None:
    text = f'name = "app"\nvars.TOKEN = "{SECRET}"\n'
    assert masked_toml(text) == f'name = "app"\nvars.TOKEN = {MASK * (len(SECRET) + 2)}\n'


def test_toml_environment_header_kept() -> None:
    text = f'name = "app"\n\n[env.staging.vars]\nTOKEN = "{SECRET}"\n'
    assert masked_toml(text).splitlines()[2] == "[env.staging.vars]"


def test_toml_inline_table_and_array_masked() -> None:
    text = f'name = "app"\n\n[vars]\nDB = {{ password = "{SECRET}" }}\nHOSTS = ["a.example", "b"]\n'
    masked = masked_toml(text)
    assert SECRET not in masked
    assert "a.example" not in masked
    assert masked.splitlines()[3].startswith("DB = { password = ")


def test_toml_multiline_string_keeps_lines() -> None:
    text = f'name = "app"\n\n[vars]\nKEY = """\n{SECRET}\n"""\nmain = 1\n'
    masked = masked_toml(text)
    assert SECRET not in masked
    assert len(masked) == len(text)
    assert masked.count("\n") == text.count("\n")


def test_jsonc_nested_and_duplicate_values_masked() -> None:
    text = f'{{\n  "vars": {{ "A": "{SECRET}", "B": {{ "c": "x:y" }}, "A": "last" }}\n}}\n'
    masked = masked_jsonc(text)
    assert SECRET not in masked
    assert "x:y" not in masked
    assert "last" not in masked
    assert '"B"' in masked


def test_kept_values_stay_visible() -> None:
    text = f'name = "app"\n\n[vars.SHOP]\nname = "Northwind"\n[vars.DB]\npassword = "{SECRET}"\n'
    document = parse_toml(text, "wrangler.toml")
    masked = redacted_source(document, keep=lambda name, value: name == "SHOP").text
    assert 'name = "Northwind"' in masked
    assert SECRET not in masked


def test_masked_text_keeps_offsets() -> None:
    text = f'name = "app"\n\n[vars]\nTOKEN = "{SECRET}"\n[env.a.vars]\nX = 1\n'
    assert len(masked_toml(text)) == len(text)


def test_excerpt_sources_mask_config_with_diagnostics(tmp_path: Path) -> None:
    config = tmp_path / "wrangler.jsonc"
    config.write_text(f'{{\n  "name": "app",\n  "main": 1,\n  "vars": {{ "T": "{SECRET}" }}\n}}\n')
    sources = excerpt_sources(load_project(config, find_opennext=False))
    assert SECRET not in sources["wrangler.jsonc"].text
    assert '"main": 1' in sources["wrangler.jsonc"].text


def test_excerpt_sources_skip_clean_config(tmp_path: Path) -> None:
    config = tmp_path / "wrangler.jsonc"
    config.write_text('{\n  "name": "app",\n  "vars": { "SHOP": "Northwind" }\n}\n')
    project = load_project(config, find_opennext=False)
    assert not project.diagnostics
    assert "wrangler.jsonc" not in excerpt_sources(project)
