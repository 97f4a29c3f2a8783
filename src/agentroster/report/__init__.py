"""Reporters: pure functions from a Report to text. Chosen by name from REPORTER_BY_NAME."""

from __future__ import annotations

from collections.abc import Mapping

from agentroster.report.base import RenderOptions, Reporter

__all__ = ["REPORTER_NAMES", "RenderOptions", "Reporter", "reporter"]


def _registry() -> Mapping[str, Reporter]:
    # deferred for start-up time: SARIF pulls in the whole rule registry; text needs nothing
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
