"""T011 review-due-soon: an info finding before a review falls due, at `review.last`."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from agentroster.cli import main
from tests.conftest import CLEAN_CARD

# tier 3: annual cadence; reviewed 2025-12-10, so due 2026-12-10 (line 17: `review:`)
CARD = CLEAN_CARD + "review: {last: 2025-12-10}\n"
LINE = CARD.splitlines().index("review: {last: 2025-12-10}") + 1


@pytest.fixture
def lint(tmp_path):
    (tmp_path / "agentroster.toml").write_text("")
    (tmp_path / "notes-helper.agent.yaml").write_text(CARD)
    old = os.getcwd()
    os.chdir(tmp_path)

    def run(*args: str) -> list[tuple[int, int, str, str]]:
        result = CliRunner().invoke(main, ["lint", "--select", "T", *args])
        assert result.exit_code in (0, 1), result.output  # 1: T004 is an error
        found = []
        for line in result.output.splitlines()[:-1]:
            where, rest = line.split(": ", 1)
            _, row, col = where.rsplit(":", 2)
            level, code = rest.split()[:2]
            found.append((int(row), int(col), level, code))
        return found

    yield run
    os.chdir(old)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ("2026-11-09", []),  # due in 31 days
        ("2026-11-10", [(LINE, 16, "info", "T011")]),  # due in 30 days: at the date value
        ("2026-12-10", [(LINE, 16, "info", "T011")]),  # due today: not yet overdue
        ("2026-12-11", [(LINE, 16, "error", "T004")]),  # overdue: T004 only
    ],
)
def test_due_soon_until_the_day_it_is_due_then_overdue(lint, today, expected):
    assert lint("--today", today) == expected


def test_the_window_comes_from_the_policy_and_the_command_line(lint, tmp_path):
    assert lint("--today", "2026-11-01", "--due-within", "40") == [(LINE, 16, "info", "T011")]
    (tmp_path / "agentroster.toml").write_text("[policy]\ndue-within = 7\n")
    assert lint("--today", "2026-11-10") == []
    assert lint("--today", "2026-12-03") == [(LINE, 16, "info", "T011")]


def test_the_message_names_the_due_date_and_the_fix(lint, tmp_path):
    result = CliRunner().invoke(main, ["lint", "--today", "2026-12-09"])
    assert (
        "info    T011 the governance review falls due in 1 day (2026-12-10: last 2025-12-10, "
        "annual cadence); schedule it, then update review.last (review-due-soon)"
    ) in result.output
