"""GitLab Code Quality report: a JSON array of {description, check_name, fingerprint, severity,
location: {path, lines: {begin}}}, as GitLab's merge-request widget reads it."""

from __future__ import annotations

import json
from collections import Counter

from agentroster.escape import json_text
from agentroster.findings import Report, Severity
from agentroster.report.base import RenderOptions
from agentroster.report.sarif import fingerprint

# GitLab's scale is info, minor, major, critical, blocker.
SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def render(report: Report, options: RenderOptions) -> str:
    seen: Counter[str] = Counter()
    issues = []
    for f in report.findings:
        base = fingerprint(f)
        seen[base] += 1
        issues.append(
            {
                "description": f"{f.code} {f.message}",
                "check_name": f"{f.code} {f.name}",
                "fingerprint": f"{base}:{seen[base]}",
                "severity": SEVERITY[f.severity],
                "location": {"path": f.path, "lines": {"begin": f.line}},
            }
        )
    # paths and messages may hold lone surrogates; see json_report
    return json_text(json.dumps(issues, indent=2, ensure_ascii=False)) + "\n"
