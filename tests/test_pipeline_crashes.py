"""A rule that raises is a bug in agentroster, not in the card: it becomes one E000 finding,
every other rule still runs, and the CLI exits 2 so CI notices (card rules: test_pipeline.py).
"""

from __future__ import annotations

import dataclasses
import json
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from agentroster import rules as registry
from agentroster.cli import main
from agentroster.findings import Finding
from agentroster.loader import load_text
from agentroster.validate import FieldUnavailable, validate
from tests.clean_roster import CLEAN, CleanRoster, drop, put, sub


def _boom(ctx: object) -> Iterator[Finding]:
    raise RuntimeError("graph exploded")
    yield  # pragma: no cover


@pytest.fixture
def h003_crashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """H003, a roster rule, raises; every other rule is the real one."""
    patched = tuple(
        dataclasses.replace(r, check=_boom) if r.code == "H003" else r for r in registry.RULES
    )
    monkeypatch.setattr("agentroster.pipeline.RULES", patched)


@pytest.fixture
def clean(tmp_path: Path) -> CleanRoster:
    return CleanRoster(tmp_path / "roster")


def test_a_crashing_roster_rule_is_one_e000_and_the_rest_is_reported(clean, h003_crashes):
    clean.edit("meeting-notes", drop("escalation"))  # a card rule's finding: B005
    clean.edit("refund-assistant", sub("- to: fraud-screener", "- to: fraud-screenr"))  # H001
    report = clean.lint()
    assert clean.found() == [
        ("close-reconciler", "E000", 4),  # at the id of the roster's first card
        ("meeting-notes", "B005", 2),
        ("refund-assistant", "H001", 34),
    ]
    [e000] = [f for f in report.findings if f.code == "E000"]
    assert e000.message.startswith("rule H003 (dead-end) crashed with RuntimeError: graph exploded")
    assert report.internal_errors == 1


def test_the_cli_exits_2_on_a_roster_rule_crash(clean, h003_crashes):
    result = CliRunner().invoke(
        main, ["lint", "--today", "2026-11-21", "--format", "json", str(clean.root)]
    )
    assert result.exit_code == 2
    assert [f["code"] for f in json.loads(result.output)["findings"]] == ["E000"]


def test_the_cli_exits_2_even_with_exit_zero(clean, h003_crashes):
    args = ["lint", "--today", "2026-11-21", "--exit-zero", str(clean.root)]
    assert CliRunner().invoke(main, args).exit_code == 2


def test_an_ignored_rule_that_would_crash_does_not_run(clean, h003_crashes):
    config = clean.root / "agentroster.toml"
    config.write_text('ignore = ["H003"]\n' + config.read_text(encoding="utf-8"), encoding="utf-8")
    assert clean.found() == []


def test_a_card_with_tainted_fields_survives_pickling():
    # the parallel reader sends validated cards from worker processes to the parent
    text = (CLEAN / "support" / "refund-assistant.agent.yaml").read_text(encoding="utf-8")
    loaded = load_text(put("tier", "high").apply(text)[0])
    view = validate(loaded.data, loaded.source_map).view()
    copy = pickle.loads(pickle.dumps(view))
    assert copy.id == "refund-assistant"
    with pytest.raises(FieldUnavailable):
        _ = copy.tier
