"""`path:line:col: severity CODE message (name)` lines and a summary.

The severity word is padded to the longest one ("warning"), so codes line up after it; with
colour it is coloured by severity (the word is there either way: colour is never the only
signal)."""

from __future__ import annotations

from agentroster.escape import terminal_text
from agentroster.findings import Report, Severity
from agentroster.report.base import RenderOptions

_COLORS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"
_WIDTH = max(len(s.value) for s in Severity)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(report: Report) -> str:
    """One line: counts by severity, files and agents, waived findings."""
    errors, warnings, infos = (
        report.count(s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
    )
    scope = f"{_plural(report.files, 'file')}, {_plural(report.agents, 'agent')}"
    waived = f"; {report.waived} waived" if report.waived else ""
    if report.baselined:
        waived += f"; {report.baselined} in baseline"
    if not report.findings:
        return f"All checks passed ({scope}{waived})."
    parts = [_plural(errors, "error"), _plural(warnings, "warning")]
    if infos:
        parts.append(_plural(infos, "info"))
    return f"Found {', '.join(parts)} ({scope}{waived})."


def render(report: Report, options: RenderOptions) -> str:
    """One line per finding, then the summary. Paths and messages (which quote card keys and
    values) are shown through `terminal_text`, so the only escape sequences in the output are
    the colours added here."""
    lines = []
    for f in report.findings:
        path, message = terminal_text(f.path), terminal_text(f.message)
        code, name = f.code, f.name  # the rule's own, from the registry
        level = f"{f.severity.value:<{_WIDTH}}"
        if options.color:
            color = _COLORS[f.severity]
            lines.append(
                f"{_BOLD}{path}{_RESET}:{f.line}:{f.column}: {color}{level}{_RESET} "
                f"{_BOLD}{code}{_RESET} {message} {_DIM}({name}){_RESET}"
            )
        else:
            lines.append(f"{path}:{f.line}:{f.column}: {level} {code} {message} ({name})")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"
