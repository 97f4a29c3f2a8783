"""The JSON contract: {"tool", "version", "findings": [...], "summary": {...}}.

Values are carried exactly, except lone surrogates (a non-UTF-8 file name, a YAML "\\uDC80"
escape in a key), which are not Unicode text: they appear as the text `\\udc80`, so the output
is UTF-8 and I-JSON that any parser reads (see `escape.json_text`)."""

from __future__ import annotations

import json

from agentroster import __version__
from agentroster.escape import json_text
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
    return json_text(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"
