"""Reporters: pure functions from a Report to text, chosen by name (`reporter(name)`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from agentroster.report.base import RenderOptions, Reporter

__all__ = ["REPORTER_NAMES", "RenderOptions", "Reporter", "reporter"]


# Each format's module is imported only when that format is asked for, for start-up time: a
# lint prints one format, SARIF pulls in the whole rule registry, and text needs nothing.
def _text() -> Reporter:
    from agentroster.report import text

    return text.render


def _json() -> Reporter:
    from agentroster.report import json_report

    return json_report.render


def _sarif() -> Reporter:
    from agentroster.report import sarif

    return sarif.render


def _github() -> Reporter:
    from agentroster.report import github

    return github.render


def _gitlab() -> Reporter:
    from agentroster.report import gitlab

    return gitlab.render


_LOADER_BY_NAME: Mapping[str, Callable[[], Reporter]] = {
    "text": _text,
    "json": _json,
    "sarif": _sarif,
    "github": _github,
    "gitlab": _gitlab,
}

REPORTER_NAMES = tuple(_LOADER_BY_NAME)


def reporter(name: str) -> Reporter:
    """The reporter of the format `name` (one of REPORTER_NAMES; KeyError for another)."""
    return _LOADER_BY_NAME[name]()
