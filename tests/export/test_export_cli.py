from __future__ import annotations

from click.testing import CliRunner

from agentroster.cli import main
from tests.conftest import EXAMPLES, REPO
from tests.export.helpers import card
from tests.export_golden import FILE_BY_FORMAT, GOLDEN, rendered


def test_golden_exports_of_the_example_roster():
    for name, text in rendered().items():
        assert (GOLDEN / name).read_text() == text, (
            f"{name}: run `python -m tests.export_golden` and review the diff"
        )


def test_the_command_writes_the_golden_bytes(monkeypatch):
    monkeypatch.chdir(REPO)
    for fmt, name in FILE_BY_FORMAT.items():
        args = ["export", "--format", fmt, "--today", "2026-11-21", str(EXAMPLES / "roster")]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        assert result.output == (GOLDEN / name).read_text()


def test_error_findings_refuse_the_export_unless_allowed(roster):
    root = roster({"x.agent.yaml": card(owner="{name: AI Team, email: ai-team@example.com}")})
    args = ["export", "--format", "backstage", str(root)]
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 1
    assert "refusing to export" in refused.output
    allowed = CliRunner().invoke(main, [*args, "--allow-findings"])
    assert allowed.exit_code == 0 and "name: notes-helper" in allowed.output


def test_split_and_check_belong_to_their_format(tmp_path):
    result = CliRunner().invoke(main, ["export", "--format", "cyclonedx", "--split", "x"])
    assert result.exit_code == 2 and "--split works with --format a2a only" in result.output
