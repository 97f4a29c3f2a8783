"""The JSON contract: {"tool", "version", "findings": [...], "summary": {...}}."""

from __future__ import annotations

import json

from agentroster import __version__
from agentroster.findings import Report, Severity
from agentroster.report.base import RenderOptions


def render(report: Report, options: RenderOptions) -> str:
    document = {
        "tool": "agentroster",
        "version": __version__,
        "findings": [
            {
                "code": f.code,
                "name": f.name,
                "severity": f.severity.value,
                "message": f.message,
                "path": f.path,
                "line": f.line,
                "column": f.column,
                "agent": f.agent,
            }
            for f in report.findings
        ],
        "summary": {
            "files": report.files,
            "agents": report.agents,
            "errors": report.count(Severity.ERROR),
            "warnings": report.count(Severity.WARNING),
            "infos": report.count(Severity.INFO),
            "waived": report.waived,
            "baselined": report.baselined,
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
