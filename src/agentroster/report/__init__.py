"""Reporters: pure functions from a Report to text. Chosen by name from REPORTER_BY_NAME."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from agentroster.engine import Report


@dataclass(frozen=True)
class RenderOptions:
    color: bool = False


Reporter = Callable[[Report, RenderOptions], str]


def _registry() -> Mapping[str, Reporter]:
    from agentroster.report import github, gitlab, json_report, sarif, text

    return {
        "text": text.render,
        "json": json_report.render,
        "sarif": sarif.render,
        "github": github.render,
        "gitlab": gitlab.render,
    }


REPORTER_NAMES = ("text", "json", "sarif", "github", "gitlab")


def reporter(name: str) -> Reporter:
    return _registry()[name]
