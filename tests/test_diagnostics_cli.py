"""Each kind of diagnostic, through the installed `wrangler-docs check`, in text and JSON form."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

SCRIPT = str(Path(sys.executable).parent / "wrangler-docs")


@dataclass(frozen=True)
class Case:
    name: str
    config: str
    code: str
    line: int
    column: int
    path: str
    message: str
    hint: str
    severity: str = "error"


CASES = [
    Case(
        "unknown key with did-you-mean",
        '{\n  "name": "app",\n  "compatiblity_date": "2025-09-01"\n}\n',
        "WD101", 3, 3, "compatiblity_date",
        'Unknown key "compatiblity_date" in the top level',
        'did you mean "compatibility_date"?',
        "warning",
    ),
    Case(
        "unknown key in a binding",
        '{\n  "name": "app",\n  "durable_objects": {\n    "bindings": [\n'
        '      { "name": "Q", "class_name": "Q", "klass": "x" }\n    ]\n  },\n'
        '  "migrations": [{ "tag": "v1", "new_sqlite_classes": ["Q"] }]\n}\n',
        "WD101", 5, 41, "durable_objects.bindings[0].klass",
        'Unknown key "klass" in durable_objects.bindings[0]',
        '"class_name"',
        "warning",
    ),
    Case(
        "wrong value type",
        '{\n  "name": "app",\n  "workers_dev": "yes"\n}\n',
        "WD102", 3, 18, "workers_dev",
        '"workers_dev" must be a boolean, but got "yes"',
        "Use true or false.",
    ),
    Case(
        "missing key points at the object",
        '{\n  "name": "app",\n  "services": [\n    { "binding": "SELF" }\n  ]\n}\n',
        "WD103", 4, 5, "services[0]",
        'Missing required key "service"',
        'Add "service"',
    ),
    Case(
        "value not allowed",
        '{\n  "name": "app",\n'
        '  "assets": { "directory": "public", "not_found_handling": "spa" }\n}\n',
        "WD104", 3, 60, "assets.not_found_handling",
        '"not_found_handling" must be one of "single-page-application", "404-page", "none"',
        'did you mean "single-page-application"?',
    ),
    Case(
        "duplicate key",
        '{\n  "name": "app",\n  "main": "a.js",\n  "main": "b.js"\n}\n',
        "WD005", 4, 3, "main",
        'Duplicate key "main" at 4:3, first at 3:3; wrangler keeps the last one',
        "Remove one of the two.",
        "warning",
    ),
    Case(
        "unterminated block comment",
        '{\n  "name": "app",\n  /* todo\n  "main": "a.js"\n}\n',
        "WD002", 3, 3, "",
        "Block comment is never closed",
        "Close the comment with */.",
    ),
    Case(
        "missing comma between members",
        '{\n  "name": "app"\n  "main": "a.js"\n}\n',
        "WD003", 3, 3, "",
        "Missing comma before this member",
        "Add ',' after the previous member, which ends at 2:15.",
    ),
    Case(
        "single-quoted string",
        "{\n  \"name\": 'app'\n}\n",
        "WD004", 2, 11, "name",
        "wrangler.jsonc does not allow JSON5 syntax: strings must use double quotes",
        'Use double quotes: "app".',
    ),
    Case(
        "unquoted key",
        '{\n  name: "app"\n}\n',
        "WD004", 2, 3, "",
        "wrangler.jsonc does not allow JSON5 syntax: the key name is not in double quotes",
        'Put the key in double quotes: "name".',
    ),
    Case(
        "stray character",
        '{\n  "name": "app",\n  @\n}\n',
        "WD001", 3, 3, "",
        "found '@'",
        "",
    ),
]  # fmt: skip


def run_check(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SCRIPT, "check", str(config), *args],
        cwd=config.parent,
        capture_output=True,
        text=True,
        timeout=60,
    )


def write_config(tmp_path: Path, text: str) -> Path:
    config = tmp_path / "wrangler.jsonc"
    config.write_text(text, encoding="utf-8")
    return config


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_diagnostic_json_form(tmp_path: Path, case: Case) -> None:
    result = run_check(write_config(tmp_path, case.config), "--format", "json")
    output = json.loads(result.stdout)
    matching = [item for item in output["diagnostics"] if item["code"] == case.code]
    assert len(matching) == 1, output
    diagnostic = matching[0]
    assert diagnostic["file"] == "wrangler.jsonc"
    assert (diagnostic["line"], diagnostic["column"]) == (case.line, case.column)
    assert diagnostic["severity"] == case.severity
    assert diagnostic["path"] == case.path
    assert case.message in diagnostic["message"]
    assert case.hint in diagnostic["hint"]
    assert set(diagnostic) == {
        "severity", "code", "message", "file", "line", "column", "path", "hint"
    }  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_diagnostic_text_form(tmp_path: Path, case: Case) -> None:
    config = write_config(tmp_path, case.config)
    result = run_check(config)
    headline = f"wrangler.jsonc:{case.line}:{case.column}: {case.severity}[{case.code}] "
    lines = result.stdout.splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith(headline))
    assert case.message in lines[index]
    source_line = case.config.splitlines()[case.line - 1]
    assert lines[index + 1] == f" {case.line} | {source_line}"
    caret_line = lines[index + 2]
    prefix = f" {' ' * len(str(case.line))} | "
    assert caret_line.startswith(prefix)
    assert caret_line[len(prefix) :].index("^") == case.column - 1


def test_exit_code_for_errors(tmp_path: Path) -> None:
    result = run_check(write_config(tmp_path, CASES[2].config))
    assert result.returncode == 1


def test_exit_code_for_warnings(tmp_path: Path) -> None:
    config = write_config(tmp_path, CASES[0].config)
    assert run_check(config).returncode == 0
    assert run_check(config, "--strict").returncode == 1


def test_exit_code_for_missing_file(tmp_path: Path) -> None:
    result = run_check(tmp_path / "wrangler.jsonc")
    assert result.returncode == 2
    assert "was not found" in result.stdout


def test_exit_code_for_bad_option(tmp_path: Path) -> None:
    result = run_check(write_config(tmp_path, "{}"), "--format", "xml")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_caret_counts_wide_characters(tmp_path: Path) -> None:
    config = write_config(tmp_path, '{\n  "name": "app", "vars": { "店名": "x" }, "main": 1\n}\n')
    lines = run_check(config).stdout.splitlines()
    assert lines[0] == 'wrangler.jsonc:2:49: error[WD102] "main" must be a string, but got 1'
    assert lines[2] == "   | " + " " * 50 + "^"


def test_caret_keeps_tabs(tmp_path: Path) -> None:
    config = write_config(tmp_path, '{\n\t"name": "app",\n\t"workers_dev":\t"yes"\n}\n')
    lines = run_check(config).stdout.splitlines()
    assert (
        lines[0]
        == 'wrangler.jsonc:3:17: error[WD102] "workers_dev" must be a boolean, but got "yes"'
    )
    assert lines[1] == ' 3 | \t"workers_dev":\t"yes"'
    assert lines[2] == "   | \t              \t^^^^^"
    assert lines[3] == "  hint: Use true or false."


def test_diagnostics_sorted_by_position(tmp_path: Path) -> None:
    config = write_config(
        tmp_path,
        '{\n  "name": "app",\n  "workers_dev": "yes",\n  "compat_date": 1,\n  "main": 5\n}\n',
    )
    output = json.loads(run_check(config, "--format", "json").stdout)
    positions = [(item["line"], item["column"]) for item in output["diagnostics"]]
    assert positions == sorted(positions)
    assert output["summary"] == {"errors": 2, "warnings": 1}


def test_github_annotations(tmp_path: Path) -> None:
    result = run_check(write_config(tmp_path, CASES[2].config), "--format", "github")
    first = result.stdout.splitlines()[0]
    assert first.startswith("::error file=wrangler.jsonc,line=3,col=18,title=WD102::")
    assert '"workers_dev" must be a boolean' in first


def test_finds_config_like_wrangler(tmp_path: Path) -> None:
    (tmp_path / "wrangler.jsonc").write_text('{ "name": "from-jsonc", "main": 1 }')
    (tmp_path / "wrangler.json").write_text('{ "name": "from-json" }')
    result = subprocess.run(
        [SCRIPT, "check", "--format", "json"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout
    assert json.loads(result.stdout)["diagnostics"] == []


def test_no_config_found(tmp_path: Path) -> None:
    result = subprocess.run([SCRIPT, "check"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 2
    assert "no wrangler.json, wrangler.jsonc or wrangler.toml" in result.stderr


def test_env_filter(tmp_path: Path) -> None:
    config = write_config(
        tmp_path,
        '{\n  "name": "app",\n  "env": {\n    "staging": { "workers_dev": "no" },\n'
        '    "production": { "workers_dev": 1 }\n  }\n}\n',
    )
    output = json.loads(run_check(config, "--env", "staging", "--format", "json").stdout)
    paths = [item["path"] for item in output["diagnostics"]]
    assert paths == ["env.staging.workers_dev"]


def test_env_filter_unknown_environment(tmp_path: Path) -> None:
    config = write_config(tmp_path, '{ "name": "app", "env": { "staging": {} } }')
    result = run_check(config, "--env", "prod")
    assert result.returncode == 2
    assert 'no environment named "prod"' in result.stderr
    assert "declared: staging" in result.stderr


def test_opennext_config_problem_points_into_ts(tmp_path: Path) -> None:
    config = write_config(tmp_path, '{ "name": "app", "main": ".open-next/worker.js" }')
    (tmp_path / "open-next.config.ts").write_text(
        'import { defineCloudflareConfig } from "@opennextjs/cloudflare";\n'
        "export default defineCloudflareConfig({\n"
        "  incrementalCache: ,\n"
        "});\n",
        encoding="utf-8",
    )
    output = json.loads(run_check(config, "--format", "json").stdout)
    in_ts = [item for item in output["diagnostics"] if item["file"] == "open-next.config.ts"]
    assert in_ts
    assert in_ts[0]["code"] == "WD050"
    assert (in_ts[0]["line"], in_ts[0]["column"]) == (3, 20)


def test_env_filter_suggests_close_name(tmp_path: Path) -> None:
    config = write_config(tmp_path, '{ "name": "app", "env": { "production": {} } }')
    result = run_check(config, "--env", "prod")
    assert result.returncode == 2
    assert 'Did you mean "production"?' in result.stderr


def test_text_excerpt_masks_var_values(tmp_path: Path) -> None:
    config = write_config(
        tmp_path,
        '{\n  "name": "app",\n  "vars": { "API_TOKEN": "sk_live_51HxQmZ2eZvKYlo2CAbCd" }\n}\n',
    )
    result = run_check(config)
    assert "API_TOKEN" in result.stdout
    assert "sk_live_51HxQmZ2eZvKYlo2CAbCd" not in result.stdout


@pytest.mark.parametrize("output", ["text", "json", "github"])
def test_secret_masked_in_unparsed_config(tmp_path: Path, output: str) -> None:
    secret = "sk_live_51HxQmZ2eZvKYlo2CAbCdEf"
    config = write_config(
        tmp_path, f'{{\n  "name": "app",\n  "vars": {{ "K": \'{secret}\' }}\n}}\n'
    )
    result = run_check(config, "--format", output)
    assert result.returncode == 1
    assert "WD004" in result.stdout
    assert secret not in result.stdout
    assert secret not in result.stderr


@pytest.mark.parametrize(
    ("schema_text", "problem"),
    [
        (None, "nope.json was not found."),
        (
            "{",
            "nope.json is not valid JSON: Expecting property name enclosed in double quotes at 1:2.",
        ),
        ("[1]", "nope.json contains a JSON array, but a schema is a JSON object."),
    ],
)
def test_unusable_schema_option(tmp_path: Path, schema_text: str | None, problem: str) -> None:
    if schema_text is not None:
        (tmp_path / "nope.json").write_text(schema_text, encoding="utf-8")
    config = write_config(tmp_path, '{ "name": "app" }')
    result = run_check(config, "--schema", "nope.json")
    assert result.returncode == 2
    assert result.stderr == f"wrangler-docs: --schema: {problem}\n"


def test_schema_option_folder(tmp_path: Path) -> None:
    config = write_config(tmp_path, '{ "name": "app" }')
    result = run_check(config, "--schema", str(tmp_path))
    assert result.returncode == 2
    assert "is a folder, not a schema file" in result.stderr


def test_own_schema_not_a_schema(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{ "type": "module" }', encoding="utf-8")
    config = write_config(tmp_path, '{ "$schema": "./package.json", "name": "app" }')
    result = run_check(config)
    assert result.returncode == 0
    assert result.stdout.startswith("wrangler.jsonc:1:14: warning[WD106] The schema package.json")
    assert "Traceback" not in result.stderr


def test_lone_surrogate_printed_as_escape(tmp_path: Path) -> None:
    config = write_config(tmp_path, '{"name":"w","ma\\ud800in":"x"}')
    result = run_check(config)
    assert result.returncode == 0
    assert result.stdout.startswith('wrangler.jsonc:1:13: warning[WD101] Unknown key "ma\\ud800in"')


def test_config_outside_folder_shown_relative(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "docs-site").mkdir()
    (tmp_path / "app" / "wrangler.jsonc").write_text('{ "name": "app", "main": 1 }')
    result = subprocess.run(
        [SCRIPT, "check", "../app/wrangler.jsonc"],
        cwd=tmp_path / "docs-site",
        capture_output=True,
        text=True,
    )
    assert result.stdout.startswith("../app/wrangler.jsonc:1:26: error[WD102]")
    assert str(tmp_path) not in result.stdout
