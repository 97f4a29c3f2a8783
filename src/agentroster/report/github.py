"""GitHub Actions workflow commands, then the full text report.

GitHub shows only ten annotations of each kind per step, so every finding is also printed as
a text line, and the summary closes the log.

The runner reads every line of the log, so no line but the annotations made here may start a
workflow command: values are shown as in the text report (no line breaks, no control
characters) and escaped per the workflow-command rules inside annotations, and every plain
line goes through `github_log_line`."""

from __future__ import annotations

from agentroster.escape import github_data as escape_data
from agentroster.escape import github_log_line, terminal_text
from agentroster.escape import github_property as escape_property
from agentroster.findings import Report, Severity
from agentroster.report import text
from agentroster.report.base import RenderOptions

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(report: Report, options: RenderOptions) -> str:
    # The file property is the path as the text report shows it: for an ordinary name, the
    # path GitHub links to; a name with control characters is shown escaped and not linked.
    lines = [
        f"::{COMMAND[f.severity]} file={escape_property(terminal_text(f.path))},"
        f"line={f.line},col={f.column},title={escape_property(f'{f.code} {f.name}')}"
        f"::{escape_data(terminal_text(f.message))}"
        for f in report.findings
    ]
    plain = text.render(report, RenderOptions()).removesuffix("\n").split("\n")
    lines += [github_log_line(line) for line in plain]
    return "\n".join(lines) + "\n"
