from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from agentroster.cli import main
from agentroster.export.base import ExportError
from agentroster.export.codeowners import BEGIN, END, pattern, section, stale
from tests.export.helpers import card, load

SPONSOR = "sponsor: {name: Priya Raman, email: priya.raman@example.com, role: executive}"


def test_a_line_per_card_with_owner_technical_owner_and_the_tier_1_sponsor(roster):
    root = roster(
        {
            "b/risky.agent.yaml": card("risky-agent", tier="1", sponsor=SPONSOR[9:]),
            "a/plain.agent.yaml": card(
                "plain-agent",
                technical_owner="{name: Tomas Lindqvist, email: tomas.lindqvist@example.com}",
            ),
            "c/same.agent.yaml": card(
                "same-agent",
                technical_owner="{name: Dana W, email: Dana.Whitfield@example.com}",
            ),
        }
    )
    assert section(load(root)).splitlines() == [
        BEGIN,
        "/a/plain.agent.yaml dana.whitfield@example.com tomas.lindqvist@example.com",
        "/b/risky.agent.yaml dana.whitfield@example.com priya.raman@example.com",
        "/c/same.agent.yaml dana.whitfield@example.com",  # one address once, case aside
        END,
    ]


def test_paths_are_from_the_base_folder(roster):
    root = roster({"team/x.agent.yaml": card()})
    assert f"/{root.name}/team/x.agent.yaml " in section(load(root), base=root.parent)


def test_spaces_are_escaped_and_odd_characters_refused():
    assert pattern("my agents/a b.agent.yaml") == "/my\\ agents/a\\ b.agent.yaml"
    for odd in ("#a.agent.yaml", "a*.agent.yaml", "[a].agent.yaml", "a\\b", "a\nb", "a\u202eb"):
        with pytest.raises(ExportError, match="CODEOWNERS cannot name"):
            pattern(odd)


def test_an_email_codeowners_cannot_hold_is_refused(roster):
    root = roster({"x.agent.yaml": card(owner="{name: Dana Whitfield, email: 'd#x@example.com'}")})
    with pytest.raises(ExportError, match=r"owner\.email 'd#x@example\.com' is not a plain email"):
        section(load(root))


def test_stale_compares_the_section_between_the_markers():
    expected = f"{BEGIN}\n/a.agent.yaml a@example.com\n{END}\n"
    file = f"* @org/platform\n\n{expected}/docs/ @org/docs\n"
    assert stale(file, expected) is None
    changed = file.replace("a@example.com", "b@example.com")
    assert stale(changed, expected) == (
        "line 4 is '/a.agent.yaml b@example.com', expected '/a.agent.yaml a@example.com'"
    )
    assert "no single section" in (stale("* @org/platform\n", expected) or "")
    longer = file.replace(END, f"/b.agent.yaml b@example.com\n{END}")
    assert stale(longer, expected) == "line 5 is '/b.agent.yaml b@example.com', expected '" + (
        END + "'"
    )


def test_check_fails_after_an_owner_changes(roster, monkeypatch):
    root = roster({"x.agent.yaml": card()})
    (root / ".git").mkdir()  # the repository's top: paths are written from here
    monkeypatch.chdir(root)
    runner = CliRunner()
    written = runner.invoke(main, ["export", "--format", "codeowners", "-o", "CODEOWNERS"])
    assert written.exit_code == 0, written.output
    assert "/x.agent.yaml dana.whitfield@example.com" in Path("CODEOWNERS").read_text()
    check = ["export", "--format", "codeowners", "--check", "CODEOWNERS"]
    assert runner.invoke(main, check).exit_code == 0
    card_file = root / "x.agent.yaml"
    card_file.write_text(card_file.read_text().replace("dana.whitfield@", "dana.w@"))
    result = runner.invoke(main, check)
    assert result.exit_code == 1
    assert "CODEOWNERS is stale" in result.output
