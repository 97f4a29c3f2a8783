from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
TODAY = dt.date(2026, 11, 21)  # every date rule in the tests runs on this day

CLEAN_CARD = """\
apiVersion: agentroster/v1
kind: AgentCard
id: notes-helper
name: Notes Helper
version: 1.0.0
description: Drafts meeting notes for employees to edit and send.
status: proposed
pattern: employee-enablement
mode: assist
tier: 3
owner: {name: Dana Whitfield, email: dana.whitfield@example.com}
sponsor: {name: Priya Raman, email: priya.raman@example.com, role: team}
escalation: {to: human:workplace-it}
monitoring: {dashboard: "https://dash.example.com/d/notes", metrics: [success_rate]}
audit: {enabled: true}
release_gate: {requires: [eval-threshold, security-review, privacy-impact, cost-approval]}
"""


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def roster(tmp_path: Path):
    """Write cards into a fresh roster directory: roster({"a.agent.yaml": text, ...})."""

    def make(files: dict[str, str | bytes], config: str = "") -> Path:
        (tmp_path / "agentroster.toml").write_text(config)
        for name, content in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content)
        return tmp_path

    return make


@pytest.fixture(autouse=True)
def _no_user_cache(monkeypatch, tmp_path_factory):
    """The cache of unchanged cards (cache.py) is off in tests, except where tests/test_cache.py
    turns it on: a test that changes code under a run (a monkeypatched rule) would otherwise
    read results cached before the change. A process a test starts gets a cache folder of
    its own, never the user's."""
    from agentroster.cache import CardCache

    monkeypatch.setenv("AGENTROSTER_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setattr(CardCache, "open", classmethod(lambda cls, *a, **k: None))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Property tests run without the coverage tracer (`pytest --cov`): hypothesis makes
    # millions of calls of its own, which the tracer made 2-3 times slower, for lines of
    # agentroster that the example-based tests cover line by line anyway.
    for item in items:
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.no_cover)
