from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator

from click.testing import CliRunner

from agentroster import rules as registry
from agentroster.cli import main
from agentroster.config import load_config
from agentroster.findings import Finding, Severity
from agentroster.pipeline import lint_roster
from agentroster.reading import display_path, display_paths
from agentroster.rules.base import CardContext
from tests.conftest import CLEAN_CARD, TODAY

NO_ESCALATION = CLEAN_CARD.replace("escalation: {to: human:workplace-it}\n", "")
WAIVER = (
    "waivers:\n  - {rule: B005, reason: desk being set up, approved_by: priya.raman@example.com, "
    "expires: EXPIRES}\n"
)


def lint(root, **kwargs):
    return lint_roster(root, load_config(root), today=TODAY, cwd=root, **kwargs)


def codes(report):
    return [(f.code, f.line) for f in report.findings]


def test_waiver_hides_until_expiry_inclusive_and_is_counted(roster):
    root = roster(
        {"notes-helper.agent.yaml": NO_ESCALATION + WAIVER.replace("EXPIRES", "2026-11-21")}
    )
    report = lint(root)
    assert report.findings == [] and report.waived == 1


def test_expired_waiver_reports_itself_and_the_hidden_finding(roster):
    root = roster(
        {"notes-helper.agent.yaml": NO_ESCALATION + WAIVER.replace("EXPIRES", "2026-11-20")}
    )
    assert sorted(c for c, _ in codes(lint(root))) == ["B005", "W001"]


def test_no_waivers_shows_everything(roster):
    root = roster(
        {"notes-helper.agent.yaml": NO_ESCALATION + WAIVER.replace("EXPIRES", "2027-01-31")}
    )
    report = lint(root, use_waivers=False)
    assert [c for c, _ in codes(report)] == ["B005"] and report.waived == 0


def test_waiver_more_than_a_year_ahead_hides_nothing(roster):
    root = roster(
        {"notes-helper.agent.yaml": NO_ESCALATION + WAIVER.replace("EXPIRES", "2027-11-22")}
    )
    assert sorted(c for c, _ in codes(lint(root))) == ["B005", "W002"]


def test_select_ignore_by_code_name_and_family(roster):
    files = {"other.agent.yaml": NO_ESCALATION}  # C006 and B005
    root = roster(files, config='ignore = ["B"]\n')
    assert [c for c, _ in codes(lint(root))] == ["C006"]
    root = roster(files, config='select = ["no-escalation-path"]\n')
    assert [c for c, _ in codes(lint(root))] == ["B005"]


def test_severity_override_and_per_path_ignores(roster):
    root = roster(
        {
            "other.agent.yaml": CLEAN_CARD,
            "legacy/old.agent.yaml": CLEAN_CARD.replace("notes-helper", "old-x"),
        },
        config=(
            '[severity]\nC006 = "error"\n[per-path-ignores]\n"legacy/*" = ["file-name-mismatch"]\n'
        ),
    )
    report = lint(root)
    assert [(f.path, f.code, f.severity) for f in report.findings] == [
        ("other.agent.yaml", "C006", Severity.ERROR)
    ]


def _boom(card: CardContext) -> Iterator[Finding]:
    raise ZeroDivisionError("division by zero")
    yield  # pragma: no cover


def test_a_crashing_rule_is_contained(roster, monkeypatch):
    # B002 gets a check that raises; every other rule is the real one
    patched = tuple(
        dataclasses.replace(r, check=_boom) if r.code == "B002" else r for r in registry.RULES
    )
    monkeypatch.setattr("agentroster.pipeline.RULES", patched)
    root = roster({"notes-helper.agent.yaml": NO_ESCALATION})
    report = lint(root)
    assert sorted(c for c, _ in codes(report)) == ["B005", "E000"]  # the other rules still ran
    e000 = next(f for f in report.findings if f.code == "E000")
    assert (
        "B002" in e000.message and "ZeroDivisionError" in e000.message and "report" in e000.message
    )
    assert e000.line == 3  # at the card's id

    result = CliRunner().invoke(main, ["lint", "--format", "json", str(root)])
    assert result.exit_code == 2
    assert json.loads(result.output)["summary"]["errors"] == 2


def test_machine_formats_stay_valid_when_a_rule_crashes(roster, monkeypatch):
    from pathlib import Path

    import jsonschema

    patched = tuple(
        dataclasses.replace(r, check=_boom) if r.code == "B002" else r for r in registry.RULES
    )
    monkeypatch.setattr("agentroster.pipeline.RULES", patched)
    root = roster({"notes-helper.agent.yaml": CLEAN_CARD})
    for fmt in ("json", "sarif", "gitlab"):
        result = CliRunner().invoke(main, ["lint", "--format", fmt, str(root)])
        assert result.exit_code == 2
        doc = json.loads(result.output)
        if fmt == "sarif":
            schema_path = Path(__file__).parent / "vendor" / "sarif-schema-2.1.0.json"
            schema = json.loads(schema_path.read_text())
            jsonschema.validators.validator_for(schema)(schema).validate(doc)
            assert doc["runs"][0]["results"][0]["ruleId"] == "E000"


def test_display_paths_match_display_path(tmp_path):
    root = tmp_path / "roster"
    files = [
        root / "a.agent.yaml",
        root / "team" / "b.agent.yaml",
        tmp_path / "elsewhere" / "c.agent.yaml",  # outside the working directory
        root / "team" / ".." / "d.agent.yaml",  # not normalised: the slow path
        root / "x" / "y" / "z" / "e.agent.yaml",
    ]
    for cwd in (root, tmp_path, root / "team", tmp_path / "roster-other", tmp_path.anchor):
        expected = [display_path(f, cwd) for f in files]
        assert display_paths(files, cwd) == expected
    assert display_paths(files[:2], root) == ["a.agent.yaml", "team/b.agent.yaml"]


def test_unchecked_cards_are_read_and_slimmed_without_card_rules(roster):
    from agentroster.pipeline import load_roster

    root = roster({"a.agent.yaml": NO_ESCALATION, "b.agent.yaml": NO_ESCALATION})  # B005 each
    config = load_config(root)
    loaded = load_roster(root, config, today=TODAY, cwd=root, unchecked=[root / "b.agent.yaml"])
    by_name = {f.file.name: f for f in loaded.files}
    assert [f.file.name for f in loaded.files] == ["a.agent.yaml", "b.agent.yaml"]
    assert "B005" in {f.code for f in by_name["a.agent.yaml"].findings}
    assert by_name["b.agent.yaml"].findings == [] and by_name["b.agent.yaml"].checked
    assert by_name["b.agent.yaml"].context is not None
    assert set(by_name["b.agent.yaml"].data) <= {"id", "handoffs", "escalation"}  # slimmed
