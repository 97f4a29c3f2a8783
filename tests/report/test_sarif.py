"""SARIF 2.1.0 output: valid against the OASIS schema, plus what GitHub code scanning relies
on - every rule described, levels, physical locations, fingerprints that stay put.

No golden file: the document is checked against the schema (tests/vendor) and the assertions
below; its bytes are not a contract.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from agentroster import __version__
from agentroster.findings import Report, Severity
from agentroster.report import RenderOptions, reporter
from agentroster.rules import RULE_BY_CODE, RULES
from tests.clean_roster import CleanRoster, put, sub
from tests.report.golden import broken_report

SARIF_SCHEMA = Path(__file__).resolve().parents[1] / "vendor" / "sarif-schema-2.1.0.json"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def sarif(report: Report) -> dict[str, Any]:
    return json.loads(reporter("sarif")(report, RenderOptions()))


@cache
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


@cache
def broken() -> tuple[Report, dict[str, Any]]:
    report = broken_report()
    return report, sarif(report)


def test_valid_against_the_oasis_schema():
    report, doc = broken()
    validator().validate(doc)
    assert doc["version"] == "2.1.0" and len(doc["runs"]) == 1
    assert len(doc["runs"][0]["results"]) == len(report.findings) > 20


def test_an_empty_report_is_valid_too():
    doc = sarif(Report([]))
    validator().validate(doc)
    assert doc["runs"][0]["results"] == []


def test_the_driver_describes_every_rule_in_registry_order():
    driver = broken()[1]["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("agentroster", __version__)
    assert [r["id"] for r in driver["rules"]] == [r.code for r in RULES]
    for entry in driver["rules"]:
        rule = RULE_BY_CODE[entry["id"]]
        assert entry["name"] == rule.name and entry["shortDescription"]["text"] == rule.summary
        assert entry["defaultConfiguration"]["level"] == LEVEL[rule.severity]
        assert entry["help"]["text"] == rule.explain()
        assert f"```yaml\n{rule.bad}\n```" in entry["help"]["markdown"]


def test_each_result_is_its_finding():
    report, doc = broken()
    run = doc["runs"][0]
    for finding, result in zip(report.findings, run["results"], strict=True):
        location = result["locations"][0]["physicalLocation"]
        assert result["ruleId"] == finding.code
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == finding.code
        assert result["level"] == LEVEL[finding.severity]
        assert result["message"]["text"] == finding.message
        assert location["artifactLocation"] == {"uri": finding.path, "uriBaseId": "%SRCROOT%"}
        assert location["region"] == {"startLine": finding.line, "startColumn": finding.column}
    assert {r["level"] for r in run["results"]} == {"error", "warning"}


def test_levels_follow_the_configured_severity_and_info_is_a_note(tmp_path):
    clean = CleanRoster(tmp_path / "roster")
    clean.configure('[severity]\nB002 = "warning"\n')
    clean.edit("meeting-notes", put("audit.enabled", False))
    clean.edit("campaign-drafter", put("release_gate.rollout", "canary"))  # L007 is info
    results = sarif(clean.lint())["runs"][0]["results"]
    assert sorted((r["ruleId"], r["level"]) for r in results) == [
        ("B002", "warning"),
        ("L007", "note"),
    ]


def fingerprints(clean: CleanRoster) -> dict[str, int]:
    """Fingerprint -> line of every result."""
    results = sarif(clean.lint())["runs"][0]["results"]
    return {r["partialFingerprints"]["agentroster/v1"]: line(r) for r in results}


def line(result: dict[str, Any]) -> int:
    return int(result["locations"][0]["physicalLocation"]["region"]["startLine"])


def test_fingerprints_survive_lines_moving_and_other_cards_changing(tmp_path):
    clean = CleanRoster(tmp_path / "roster")
    clean.edit(
        "meeting-notes", put("audit.enabled", False), put("monitoring.dashboard", "http://dash")
    )
    before = fingerprints(clean)
    clean.edit("meeting-notes", sub("description: >\n", "# moved\n# down\ndescription: >\n"))
    clean.edit("refund-assistant", put("tier", 2))  # a new finding elsewhere
    after = fingerprints(clean)
    assert len(before) == 2 and len(after) == 3
    assert {fp: after[fp] - 2 for fp in before} == before


def test_fingerprints_are_pinned():
    # Code scanning matches alerts across runs by this value: changing how it is computed
    # reopens every alert of every user, so a change here must be deliberate.
    report, doc = broken()
    pinned = {
        (f.code, f.path, f.line): r["partialFingerprints"]["agentroster/v1"]
        for f, r in zip(report.findings, doc["runs"][0]["results"], strict=True)
    }
    owner = ("B001", "examples/broken/baseline/team-owned.agent.yaml", 12)
    assert pinned[owner] == "63ec150e42ac0a0609913a064aaa798b:1"  # as in 0.1.0


def test_two_findings_of_one_rule_at_one_place_stay_distinct(tmp_path):
    clean = CleanRoster(tmp_path / "roster")
    clean.edit("refund-assistant", put("audit", {"enabled": True}))  # two T006 at `audit`
    results = sarif(clean.lint())["runs"][0]["results"]
    first, second = (r["partialFingerprints"]["agentroster/v1"] for r in results)
    assert [r["ruleId"] for r in results] == ["T006", "T006"]
    assert first.replace(":1", ":2") == second and first.endswith(":1")
