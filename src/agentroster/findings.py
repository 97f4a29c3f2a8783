"""Severity and Finding: the only things reporters see."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

KeyPath = tuple["str | int", ...]


class Severity(str, enum.Enum):
    """How much a finding matters; ordered info < warning < error."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at one place. Ordered by (path, line, column, code)."""

    path: str
    line: int
    column: int
    code: str
    name: str = field(compare=False)
    severity: Severity = field(compare=False)
    message: str = field(compare=False)
    agent: str | None = field(default=None, compare=False)
    key: KeyPath = field(default=(), compare=False)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)
