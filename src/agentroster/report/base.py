"""What every reporter is: a pure function from a Report and options to text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from agentroster.findings import Report


@dataclass(frozen=True)
class RenderOptions:
    color: bool = False


Reporter = Callable[[Report, RenderOptions], str]
