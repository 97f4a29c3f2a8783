"""Exports other tools read: A2A AgentCards, a CycloneDX BOM, a Backstage catalog, CODEOWNERS.

Pure functions of a linted roster, one module per format (docs/exports.md maps every field).
Each exporter takes the roster and `base`, the folder card paths are written relative to (the
repository's top), and returns the whole text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from agentroster.context import Roster
from agentroster.export import a2a, backstage, codeowners, cyclonedx

Exporter = Callable[[Roster, Path | None], str]

EXPORTER_BY_NAME: dict[str, Exporter] = {
    "a2a": lambda roster, base: a2a.array(roster),
    "cyclonedx": lambda roster, base: cyclonedx.bom_text(roster, base=base),
    "backstage": lambda roster, base: backstage.catalog(roster, base=base),
    "codeowners": lambda roster, base: codeowners.section(roster, base=base),
}
