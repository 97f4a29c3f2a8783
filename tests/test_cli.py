from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from agentroster import __version__
from agentroster.cli import main
from tests.conftest import CLEAN_CARD, EXAMPLES


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_python_dash_m_works():
    result = subprocess.run(
        [sys.executable, "-m", "agentroster", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and __version__ in result.stdout


def test_clean_roster_exits_0(roster):
    root = roster({"notes-helper.agent.yaml": CLEAN_CARD})
    result = run("lint", "--today", "2026-11-21", str(root))
    assert result.exit_code == 0, result.output
    assert "All checks passed (1 file, 1 agent)." in result.output


def test_error_findings_exit_1_and_text_format(roster, monkeypatch):
    monkeypatch.chdir(roster({"notes-helper.agent.yaml": CLEAN_CARD.replace("tier: 3", "tier: 5")}))
    result = run("lint", "--today", "2026-11-21", ".")
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first.startswith(
        "notes-helper.agent.yaml:10:7: error   C002 tier: integer 5 is not allowed"
    )
    assert first.endswith("(schema-violation)")
    assert result.output.splitlines()[-1] == "Found 1 error, 0 warnings (1 file, 1 agent)."


def test_warning_only_exits_0_unless_fail_on_warning(roster):
    root = roster({"other-name.agent.yaml": CLEAN_CARD})
    assert run("lint", str(root)).exit_code == 0
    (root / "agentroster.toml").write_text('fail-on = "warning"\n')
    assert run("lint", str(root)).exit_code == 1
    assert run("lint", "--exit-zero", str(root)).exit_code == 0


def test_json_contract(roster, monkeypatch):
    monkeypatch.chdir(roster({"notes-helper.agent.yaml": CLEAN_CARD + "unknown_field: 1\n"}))
    result = run("lint", "--format", "json", ".")
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert doc["tool"] == "agentroster" and doc["version"] == __version__
    assert doc["summary"] == {
        "files": 1,
        "agents": 1,
        "errors": 1,
        "warnings": 0,
        "infos": 0,
        "waived": 0,
        "baselined": 0,
    }
    [finding] = doc["findings"]
    assert finding == {
        "code": "C003",
        "name": "unknown-field",
        "severity": "error",
        "message": "unknown field 'unknown_field' at the top level",
        "path": "notes-helper.agent.yaml",
        "line": 17,
        "column": 1,
        "agent": "notes-helper",
    }


def test_paths_narrow_the_report_but_the_whole_roster_loads(roster, monkeypatch):
    root = roster(
        {
            "a/notes-helper.agent.yaml": CLEAN_CARD,
            "b/notes-helper.agent.yaml": CLEAN_CARD,
        }
    )
    monkeypatch.chdir(root)
    result = run("lint", "--format", "json", "a")
    doc = json.loads(result.output)
    # C005 needs both cards; only the card under a/ is reported
    assert [(f["code"], f["path"]) for f in doc["findings"]] == [
        ("C005", "a/notes-helper.agent.yaml")
    ]
    assert "b/notes-helper.agent.yaml" in doc["findings"][0]["message"]


def test_config_error_exits_2(roster):
    root = roster({"notes-helper.agent.yaml": CLEAN_CARD}, config="bogus = 1\n")
    result = CliRunner().invoke(main, ["lint", str(root)])
    assert result.exit_code == 2
    assert "unknown key 'bogus'" in result.output


def test_usage_error_exits_2():
    result = CliRunner().invoke(main, ["lint", "--format", "xml"])
    assert result.exit_code == 2
    result = CliRunner().invoke(main, ["lint", "--today", "21/11/2026"])
    assert result.exit_code == 2


def test_output_file_keeps_stdout_empty(roster, tmp_path):
    root = roster({"notes-helper.agent.yaml": CLEAN_CARD})
    out = tmp_path / "out" / "report.json"
    result = run("lint", "--format", "json", "--output", str(out), str(root))
    assert result.output == ""
    assert json.loads(out.read_text())["summary"]["agents"] == 1


def test_schema_command_prints_the_schema():
    result = run("schema")
    assert json.loads(result.output)["title"] == "agentroster agent card v1"


def test_example_roster_is_clean():
    result = run("lint", "--today", "2026-11-21", str(EXAMPLES / "roster"))
    assert result.exit_code == 0, result.output


def test_readme_quick_start_output_is_current(monkeypatch):
    # The README quotes `agentroster lint examples/roster` and `... examples/broken` (run from
    # the repository root): the first line of each finding shown, and the summary.
    monkeypatch.chdir(EXAMPLES.parent)
    readme = (EXAMPLES.parent / "README.md").read_text()
    clean = run("lint", "--today", "2026-11-21", "examples/roster").output.strip()
    assert f"The first prints `{clean}`" in readme
    broken = run("lint", "--today", "2026-11-21", "examples/broken").output.splitlines()
    quoted = readme.split("agentroster lint examples/broken\n```\n\n```text\n", 1)[1]
    quoted = quoted.split("```", 1)[0].splitlines()
    assert quoted[-1] == broken[-1]
    assert all(line in broken for line in quoted[:-1] if line != "...")


def test_only_the_commands_that_use_the_cache_take_no_cache():
    # diff reads both sides afresh every time; an option it ignored would be a lie
    result = run("diff", "--no-cache", "HEAD")
    assert result.exit_code == 2 and "No such option '--no-cache'" in result.output
    for command in ("lint", "build", "export"):
        assert "--no-cache" in run(command, "--help").output
