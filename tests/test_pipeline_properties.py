"""Property tests over the whole pipeline: any file ends in diagnostics and rendered pages,
never in an exception."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, examples
from wrangler_docs.project import load_project
from wrangler_docs.render.pages import PageOptions, render_pages

DEFAULT = (REPO / "wrangler.jsonc").read_text(encoding="utf-8")
OPENNEXT = (REPO / "open-next.config.ts").read_text(encoding="utf-8")
TOKENS = re.findall(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+', DEFAULT)

PROPERTY_SETTINGS = settings(
    max_examples=examples(60, ci=600),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def run_pipeline(tmp: Path, config: bytes, opennext: str | None = OPENNEXT) -> None:
    (tmp / "wrangler.jsonc").write_bytes(config)
    opennext_path = tmp / "open-next.config.ts"
    if opennext is None:
        opennext_path.unlink(missing_ok=True)
    else:
        opennext_path.write_text(opennext, encoding="utf-8")
    project = load_project(tmp / "wrangler.jsonc", root=tmp)
    for diagnostic in project.diagnostics:
        assert diagnostic.line >= 1
        assert diagnostic.column >= 1
    pages = render_pages(project, PageOptions(show_var_values=True))
    assert set(pages) >= {"bindings.md", "architecture.md", "validation.md"}
    for text in pages.values():
        text.encode("utf-8")


@PROPERTY_SETTINGS
@given(data=st.data())
def test_deleted_characters(tmp_path: Path, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(DEFAULT) - 1))
    length = data.draw(st.integers(1, 40))
    run_pipeline(tmp_path, (DEFAULT[:start] + DEFAULT[start + length :]).encode("utf-8"))


@PROPERTY_SETTINGS
@given(data=st.data())
def test_swapped_tokens(tmp_path: Path, data: st.DataObject) -> None:
    tokens = list(TOKENS)
    first = data.draw(st.integers(0, len(tokens) - 1))
    second = data.draw(st.integers(0, len(tokens) - 1))
    tokens[first], tokens[second] = tokens[second], tokens[first]
    run_pipeline(tmp_path, " ".join(tokens).encode("utf-8"))


@PROPERTY_SETTINGS
@given(cut=st.integers(0, len(DEFAULT)))
def test_truncated(tmp_path: Path, cut: int) -> None:
    run_pipeline(tmp_path, DEFAULT[:cut].encode("utf-8"))


@PROPERTY_SETTINGS
@given(data=st.data())
def test_random_bytes_inserted(tmp_path: Path, data: st.DataObject) -> None:
    raw = DEFAULT.encode("utf-8")
    position = data.draw(st.integers(0, len(raw)))
    noise = data.draw(st.binary(min_size=1, max_size=16))
    run_pipeline(tmp_path, raw[:position] + noise + raw[position:])


@PROPERTY_SETTINGS
@given(
    value=st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
        lambda children: st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=12), children, max_size=4),
        max_leaves=12,
    ),
    key=st.sampled_from(
        ["vars", "durable_objects", "migrations", "services", "env", "assets", "r2_buckets",
         "compatibility_flags", "main", "name", "d1_databases", "kv_namespaces"]
    ),
)  # fmt: skip
def test_any_value_under_a_known_key(tmp_path: Path, value: object, key: str) -> None:
    import json

    config = json.loads(re.sub(r"//[^\n]*|/\*.*?\*/|,(\s*[}\]])", r"\1", DEFAULT, flags=re.S))
    config[key] = value
    run_pipeline(tmp_path, json.dumps(config, ensure_ascii=False).encode("utf-8"))


@PROPERTY_SETTINGS
@given(data=st.data())
def test_mutated_opennext_config(tmp_path: Path, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(OPENNEXT) - 1))
    replacement = data.draw(st.text(max_size=12))
    mutated = OPENNEXT[:start] + replacement + OPENNEXT[start + 5 :]
    run_pipeline(tmp_path, DEFAULT.encode("utf-8"), mutated)
