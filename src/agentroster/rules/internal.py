"""E: the engine's own finding. E000 is defined with Finding and Report (findings.py), which
count it; this module puts it in the registry."""

from __future__ import annotations

from agentroster.findings import E000

RULES = (E000,)
