from __future__ import annotations

from pathlib import Path

import pytest

from tests.clean_roster import CleanRoster


@pytest.fixture
def clean(tmp_path: Path) -> CleanRoster:
    """A writable copy of the clean example roster (see tests/clean_roster.py)."""
    return CleanRoster(tmp_path / "roster")
