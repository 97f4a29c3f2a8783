"""Command-line rule selection, baselines for adoption, and empty input."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from agentroster.cli import main
from tests.conftest import CLEAN_CARD

TODAY = ["--today", "2026-11-21"]
# two findings: B002 (audit disabled, error) at line 15, T003 would need tier 2; C006 via name
NO_AUDIT = CLEAN_CARD.replace("audit: {enabled: true}", "audit: {enabled: false}")


@pytest.fixture
def run(tmp_path):
    (tmp_path / "agentroster.toml").write_text("")
    old = os.getcwd()
    os.chdir(tmp_path)

    def invoke(*args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(main, ["lint", *TODAY, *args])
        return result.exit_code, result.stdout, result.stderr

    yield invoke
    os.chdir(old)


def codes(stdout: str) -> list[str]:
    return [f["code"] for f in json.loads(stdout)["findings"]]


def write_card(name: str, text: str) -> Path:
    path = Path(name)
    path.write_text(text)
    return path


def test_select_ignore_extend_select_and_fail_on(run):
    write_card("notes-helper.agent.yaml", NO_AUDIT)
    write_card("misnamed.agent.yaml", CLEAN_CARD.replace("notes-helper", "other-helper"))
    code, out, _ = run("--format", "json")
    assert sorted(codes(out)) == ["B002", "C006"] and code == 1
    assert codes(run("--format", "json", "--select", "B")[1]) == ["B002"]
    assert codes(run("--format", "json", "--select", "owner-not-a-person,B002")[1]) == ["B002"]
    assert codes(run("--format", "json", "--ignore", "B002")[1]) == ["C006"]
    both = run("--format", "json", "--select", "C", "--extend-select", "B")[1]
    assert sorted(codes(both)) == ["B002", "C006"]
    # C006 is a warning: failing on errors only, ignoring the error, exits 0
    assert run("--ignore", "B002")[0] == 0
    assert run("--ignore", "B002", "--fail-on", "warning")[0] == 1


def test_an_unknown_selector_on_the_command_line_is_a_usage_error(run):
    write_card("notes-helper.agent.yaml", CLEAN_CARD)
    code, _, err = run("--select", "B01")
    assert code == 2
    assert "--select: 'B01' is not a rule code" in err


def test_baseline_hides_recorded_findings_and_reports_new_ones(run):
    card = write_card("notes-helper.agent.yaml", NO_AUDIT)
    code, _, err = run("--write-baseline", "baseline.json")
    assert code == 0 and "Wrote 1 finding" in err
    first = Path("baseline.json").read_text()
    assert json.loads(first)["findings"][0]["code"] == "B002"
    assert run("--write-baseline", "baseline.json")[0] == 0
    assert Path("baseline.json").read_text() == first  # stable bytes

    code, out, _ = run("--baseline", "baseline.json")
    assert code == 0 and "All checks passed" in out and "1 in baseline" in out

    # edits elsewhere in the card move the finding's line: still hidden
    card.write_text("# a comment\n# another\n" + NO_AUDIT)
    assert run("--baseline", "baseline.json")[0] == 0

    # a new defect is reported; the old one stays hidden
    card.write_text(NO_AUDIT.replace("tier: 3", "tier: 3\ntags: [x, TODO]"))
    code, out, _ = run("--baseline", "baseline.json", "--format", "json")
    assert codes(out) == ["C009"] and code == 1


def test_fixed_baseline_entries_are_reported_so_the_file_can_shrink(run):
    card = write_card("notes-helper.agent.yaml", NO_AUDIT)
    run("--write-baseline", "baseline.json")
    card.write_text(CLEAN_CARD)
    code, _, err = run("--baseline", "baseline.json")
    assert code == 0
    assert "1 baseline entry matched no finding (fixed)" in err


def test_the_baseline_from_the_config(run):
    write_card("notes-helper.agent.yaml", NO_AUDIT)
    run("--write-baseline", "known.json")
    Path("agentroster.toml").write_text('baseline = "known.json"\n')
    assert run()[0] == 0
    Path("agentroster.toml").write_text('baseline = "../outside.json"\n')
    code, _, err = run()
    assert code == 2 and "baseline" in err and "outside the roster root" in err


def test_a_broken_baseline_file_is_an_error(run):
    write_card("notes-helper.agent.yaml", CLEAN_CARD)
    Path("baseline.json").write_text("[1, 2]")
    code, _, err = run("--baseline", "baseline.json")
    assert code == 2 and "not a baseline file" in err


def test_an_explicit_path_without_cards_is_an_error(run):
    Path("empty").mkdir()
    code, _, err = run("empty")
    assert code == 2
    assert "no agent cards" in err and "empty" in err


def test_the_current_directory_without_cards_says_so(run):
    code, _, err = run()
    assert code == 0
    assert "no agent cards" in err
