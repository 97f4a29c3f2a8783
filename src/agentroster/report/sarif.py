"""SARIF 2.1.0 with what GitHub code scanning needs: full rule metadata, levels, physical
locations, and partial fingerprints that survive unrelated lines moving."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any

from agentroster import __version__
from agentroster.escape import json_text, uri_path
from agentroster.findings import FAMILIES, Finding, Report, Rule, Severity
from agentroster.report.base import RenderOptions
from agentroster.rules import RULES

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://github.com/agentroster/agentroster"


def _help_markdown(rule: Rule) -> str:
    return (
        f"{rule.summary}\n\n**Why:** {rule.rationale}\n\nFails:\n\n```yaml\n{rule.bad}\n```\n\n"
        f"Passes:\n\n```yaml\n{rule.good}\n```\n\n**Fix:** {rule.fix}"
    )


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": f"{rule.summary} {rule.rationale}"},
        "help": {"text": rule.explain(), "markdown": _help_markdown(rule)},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {"tags": ["agent-governance", FAMILIES[rule.family]]},
    }


def fingerprint(finding: Finding) -> str:
    """Identity of a finding that does not depend on its line: rule, file, agent, key path."""
    key = "/".join(str(part) for part in finding.key)
    text = f"{finding.code}\0{finding.path}\0{finding.agent or ''}\0{key}"
    # surrogatepass: a non-UTF-8 file name or key still has a stable fingerprint (and any
    # other text the same one as before)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def render(report: Report, options: RenderOptions) -> str:
    index = {rule.code: i for i, rule in enumerate(RULES)}
    seen: Counter[str] = Counter()
    results = []
    for f in report.findings:
        base = fingerprint(f)
        seen[base] += 1  # two findings of one rule on one node stay distinct, in order
        results.append(
            {
                "ruleId": f.code,
                "ruleIndex": index[f.code],
                "level": LEVEL[f.severity],
                "message": {"text": f.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": uri_path(f.path), "uriBaseId": "%SRCROOT%"},
                            "region": {"startLine": f.line, "startColumn": f.column},
                        }
                    }
                ],
                "partialFingerprints": {"agentroster/v1": f"{base}:{seen[base]}"},
                "properties": {"agent": f.agent, "name": f.name},
            }
        )
    document = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "agentroster",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFO_URI,
                        "rules": [_rule(rule) for rule in RULES],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    # messages may hold lone surrogates; see json_report
    return json_text(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"
