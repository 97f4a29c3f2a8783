from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from agentroster.cli import main
from agentroster.config import load_config
from agentroster.pipeline import lint_roster
from agentroster.report import RenderOptions, reporter
from agentroster.report.github import escape_data, escape_property
from tests.conftest import CLEAN_CARD, EXAMPLES, TODAY
from tests.report.golden import GOLDEN, SUFFIX, broken_report, rendered

SARIF_SCHEMA = Path(__file__).resolve().parents[1] / "vendor" / "sarif-schema-2.1.0.json"


@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_golden(fmt):
    golden = (GOLDEN / f"broken.{SUFFIX[fmt]}").read_text(encoding="utf-8")
    assert rendered()[fmt] == golden, "run `python -m tests.report.golden` and review the diff"


def test_broken_shows_every_family():
    families = {f.code[0] for f in broken_report().findings}
    assert {"C", "B", "T", "P", "A", "L", "X", "W"} <= families


def test_sarif_is_valid_against_the_oasis_schema():
    schema = json.loads(SARIF_SCHEMA.read_text())
    validator_class = jsonschema.validators.validator_for(schema)
    doc = json.loads(rendered()["sarif"])
    validator_class(schema).validate(doc)
    run = doc["runs"][0]
    for rule in run["tool"]["driver"]["rules"]:
        assert rule["id"] and rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["defaultConfiguration"]["level"]
    assert run["results"]
    for result in run["results"]:
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert result["partialFingerprints"]["agentroster/v1"]
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def _fingerprints(root):
    report = lint_roster(root, load_config(root), today=TODAY, cwd=root)
    doc = json.loads(reporter("sarif")(report, RenderOptions()))
    return {
        (r["ruleId"], r["partialFingerprints"]["agentroster/v1"]): r["locations"][0][
            "physicalLocation"
        ]["region"]["startLine"]
        for r in doc["runs"][0]["results"]
    }


def test_fingerprints_survive_unrelated_lines_moving(roster):
    card = CLEAN_CARD.replace("audit: {enabled: true}", "audit: {enabled: false}")
    root = roster({"other.agent.yaml": card})
    before = _fingerprints(root)
    (root / "other.agent.yaml").write_text("# a comment\n# and another\n" + card)
    after = _fingerprints(root)
    assert before.keys() == after.keys() and len(before) == 2
    assert all(after[k] == before[k] + 2 for k in before)


def test_github_escaping():
    assert escape_data("50% done\nnext\r") == "50%25 done%0Anext%0D"
    assert escape_property("a:b,c") == "a%3Ab%2Cc"


def test_github_format_annotations_then_text():
    out = rendered()["github"].splitlines()
    assert out[0].startswith("::error file=examples/broken/autonomy/account-cleaner.agent.yaml,")
    assert any(line.startswith("::error ") for line in out)
    assert out[-1].startswith("Found ")


def test_color_only_when_asked(monkeypatch):
    args = ["lint", "--today", "2026-11-21", str(EXAMPLES / "broken" / "tier")]
    plain = CliRunner().invoke(main, args).output
    assert "\x1b[" not in plain  # not a terminal
    colored = CliRunner().invoke(main, [*args, "--color", "always"]).output
    assert "\x1b[33mwarning\x1b[0m \x1b[1mT003" in colored
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in CliRunner().invoke(main, [*args, "--color", "auto"]).output


def test_sarif_output_file_keeps_stdout_empty(tmp_path):
    out = tmp_path / "report.sarif"
    args = ["lint", "--format", "sarif", "-o", str(out), str(EXAMPLES / "broken")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and result.output == ""
    assert json.loads(out.read_text())["version"] == "2.1.0"


def test_repo_paths_are_posix(monkeypatch):
    monkeypatch.chdir(EXAMPLES.parent)
    result = CliRunner().invoke(main, ["lint", "--format", "json", "examples/broken"])
    assert all("\\" not in f["path"] for f in json.loads(result.output)["findings"])
