"""Rosters for export tests: the clean card with edits, loaded as `export` loads them."""

from __future__ import annotations

from pathlib import Path

from agentroster.config import load_config
from agentroster.context import Roster
from agentroster.pipeline import load_roster
from tests.conftest import CLEAN_CARD, TODAY


def card(agent_id: str = "notes-helper", extra: str = "", **fields: str) -> str:
    """CLEAN_CARD with another id, top-level fields replaced (`name="..."`), lines added."""
    lines = CLEAN_CARD.replace("id: notes-helper", f"id: {agent_id}").splitlines()
    for key, value in fields.items():
        lines = [f"{key}: {value}" if line.startswith(f"{key}:") else line for line in lines]
        if not any(line.startswith(f"{key}:") for line in lines):
            lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n" + extra


def load(root: Path) -> Roster:
    return load_roster(root, load_config(root), today=TODAY, cwd=root)
