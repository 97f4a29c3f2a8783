from __future__ import annotations

import datetime as dt
import itertools

import pytest
from click.testing import CliRunner

from agentroster.cli import main
from agentroster.config import load_config
from agentroster.init import PATTERNS
from agentroster.pipeline import lint_roster

FILLED = {
    "'TODO: one paragraph: the job, what triggers it, its input and its output.'": (
        "Answers customers' questions about orders and hands fraud cases to a person."
    ),
    "'TODO: one accountable person'": "Dana Whitfield",
    "'TODO: sponsor'": "Priya Raman",
    "TODO@example.com": "dana.whitfield@example.com",
    "human:TODO": "human:care-escalations",
    "'TODO: https:// URL of the dashboard'": "'https://dash.example.com/d/agent'",
    "'TODO: the flag or procedure that stops the agent at once'": "flag agent-enabled",
    "'TODO: how consent is obtained'": "chat banner before the first message",
    "'TODO: knowledge source'": "HR policy library",
    "'TODO: who keeps it correct'": "sofia.rossi@example.com",
    "'TODO: model provider'": "anthropic",
    "'TODO: model name'": "claude-sonnet-4-5",
    "'TODO: the pinned model snapshot'": "claude-sonnet-4-5-20250929",
    "'TODO: how to go back to the previous version (flag, procedure, runbook)'": (
        "flag agent-previous-version"
    ),
}


def lint(root):
    today = dt.date.today()
    report = lint_roster(root, load_config(root), today=today, cwd=root)
    return [(f.code, f.line) for f in report.findings]


@pytest.mark.parametrize(("pattern", "tier"), list(itertools.product(PATTERNS, (1, 2, 3))))
def test_init_then_fill_in_lints_clean(tmp_path, pattern, tier):
    (tmp_path / "agentroster.toml").write_text("")
    result = CliRunner().invoke(
        main,
        ["init", str(tmp_path), "--id", "new-agent", "--pattern", pattern, "--tier", str(tier)],
    )
    assert result.exit_code == 0, result.output
    card = tmp_path / "new-agent.agent.yaml"
    text = card.read_text()

    # a tier below what the pattern's risk suggests is the user's call, and a T003 warning
    risky = pattern in ("external-engagement", "core-process") and tier > 1
    tier_line = next(n for n, x in enumerate(text.splitlines(), 1) if x.startswith("tier:"))
    expected = [("T003", tier_line)] if risky else []

    # unfilled: one C009 per placeholder, and nothing else
    findings = lint(tmp_path)
    placeholders = sum(line.count("TODO") for line in text.splitlines() if not line.startswith("#"))
    assert sorted(c for c, _ in findings) == ["C009"] * placeholders + [c for c, _ in expected]
    assert f"Fill in its {placeholders} TODO placeholders" in result.output

    for placeholder, value in FILLED.items():
        text = text.replace(placeholder, value)
    assert "TODO" not in "".join(x for x in text.splitlines() if not x.startswith("#"))
    card.write_text(text)
    assert lint(tmp_path) == expected


def test_init_refuses_to_overwrite_and_validates_the_id(tmp_path):
    args = ["init", str(tmp_path), "--id", "agent-one", "--pattern", "ai-first", "--tier", "2"]
    assert CliRunner().invoke(main, args).exit_code == 0
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 2 and "exists" in again.output
    assert CliRunner().invoke(main, [*args, "--force"]).exit_code == 0
    bad = ["init", str(tmp_path), "--id", "Agent_One", "--pattern", "ai-first", "--tier", "2"]
    result = CliRunner().invoke(main, bad)
    assert result.exit_code == 2 and "kebab-case" in result.output


def test_init_without_flags_off_a_terminal_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 2 and "missing --id, --pattern, --tier" in result.output


def test_pattern_choices_follow_the_model():
    import typing

    from agentroster.cli import PATTERN_CHOICES
    from agentroster.model import Pattern

    assert PATTERN_CHOICES == typing.get_args(Pattern) == PATTERNS


@pytest.mark.parametrize(("pattern", "tier"), list(itertools.product(PATTERNS, (1, 2, 3))))
def test_init_writes_the_v11_fields_the_tier_and_mode_need(pattern, tier):
    from agentroster.init import DEFAULT_MODE, card_text
    from agentroster.loader import load_text

    text = card_text("new-agent", pattern=pattern, tier=tier, today=dt.date(2026, 11, 21))
    card = load_text(text).data
    execute = DEFAULT_MODE[pattern] == "execute"
    assert card["sponsor"]["role"] == {1: "executive", 2: "manager", 3: "team"}[tier]
    assert card["model"]["version"].startswith("TODO")
    assert ("security-audit" in card["release_gate"]["requires"]) == (tier == 1)
    assert ("rollback" in card["release_gate"]) == execute
    needs_oversight = execute and pattern in ("core-process", "external-engagement")
    assert ("oversight" in card) == needs_oversight
    assert {"success_rate", "latency_p95", "cost_per_interaction", "escalation_rate"} <= set(
        card["monitoring"]["metrics"]
    )
    # lifecycle facts that are dates or numbers are named in a comment, not made up
    for absent in ("review", "cost", "slo", "deployed", "evals"):
        assert absent not in card
    comment = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    assert "review.metrics_last" in comment and "cost:" in comment
    assert ("slo in production" in comment) == (tier < 3)
    cadence = {1: "monthly at tier 1", 2: "monthly at tier 2", 3: "quarterly at tier 3"}[tier]
    assert cadence in comment
