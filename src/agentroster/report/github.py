"""GitHub Actions workflow commands, then the full text report.

GitHub shows only ten annotations of each kind per step, so every finding is also printed as
a text line, and the summary closes the log."""

from __future__ import annotations

from agentroster.findings import Report, Severity
from agentroster.report import text
from agentroster.report.base import RenderOptions

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render(report: Report, options: RenderOptions) -> str:
    lines = [
        f"::{COMMAND[f.severity]} file={escape_property(f.path)},line={f.line},col={f.column},"
        f"title={escape_property(f'{f.code} {f.name}')}::{escape_data(f.message)}"
        for f in report.findings
    ]
    return "\n".join(lines) + ("\n" if lines else "") + text.render(report, RenderOptions())
