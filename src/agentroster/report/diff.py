"""`agentroster diff` reports: pure functions from a ChangeReport to text, Markdown or JSON.

The JSON document is a contract (docs/diff.md): keys are only ever added. Every value from the
repository (ids, paths, field values, messages) is escaped for where it lands: terminal text,
Markdown (escape.markdown_*), JSON (escape.json_text).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from agentroster import __version__
from agentroster.escape import json_text, markdown_code, markdown_text, terminal_text
from agentroster.findings import Finding
from agentroster.review import AgentDiff, ChangeReport

FORMAT = "agentroster-diff/1"
_MAX_VALUE = 120  # characters of a field value shown in text and Markdown


def _short(value: str | None) -> str:
    if value is None:
        return "(absent)"
    text = " ".join(value.split())
    return text if len(text) <= _MAX_VALUE else text[: _MAX_VALUE - 1] + "…"


def _headline(change: ChangeReport) -> str:
    counts = ", ".join(f"{change.count(s)} {s}" for s in ("changed", "renamed", "added", "removed"))
    return (
        f"{counts}, {change.unchanged} unchanged; "
        f"{len(change.introduced)} findings introduced, {len(change.resolved)} resolved"
    )


def _agent_title(a: AgentDiff) -> str:
    title = f"{a.agent} ({a.status}, tier {a.tier})"
    if a.old_agent and a.old_agent != a.agent:
        title += f", was {a.old_agent}"
    return title


def _moved(a: AgentDiff) -> bool:
    return bool(a.old_path) and a.old_path != a.path


def _finding_line(f: Finding) -> str:
    return f"{f.path}:{f.line}:{f.column}: {f.severity.value} {f.code} {f.message} ({f.name})"


# -- text ------------------------------------------------------------------------------------------
def render_text(change: ChangeReport) -> str:
    """Plain text for a terminal."""
    t = terminal_text
    lines = [f"Changes from {t(change.base)} to {t(change.head)}: {_headline(change)}"]
    for a in change.agents:
        lines.append("")
        path = f"{a.old_path} -> {a.path}" if _moved(a) else a.path
        lines.append(t(f"{_agent_title(a)}  {path}"))
        for c in a.fields:
            mark = f"MATERIAL ({c.kind}): {c.why}" if c.material else f"not material: {c.why}"
            lines.append(t(f"  {c.field}: {_short(c.old)} -> {_short(c.new)}  [{mark}]"))
        if a.approvals:
            lines.append(t(f"  needs: {', '.join(a.approvals)}"))
    g = change.graph
    if g:
        lines += ["", "Handoff graph:"]
        lines += [t(f"  + {s} -> {d}") for s, d in g.added]
        lines += [t(f"  - {s} -> {d}") for s, d in g.removed]
        lines += [t(f"  lost its way to a person: {a}") for a in g.lost_human]
        lines += [
            t(f"  new path carrying regulated data ({', '.join(c)}): {s} -> {d}")
            for s, d, c in g.regulated
        ]
        lines += [t(f"  new closed cycle: {' -> '.join(c)}") for c in g.new_cycles]
    for title, findings in (("introduced", change.introduced), ("resolved", change.resolved)):
        if findings:
            lines += ["", f"Findings {title}:"]
            lines += [t("  " + _finding_line(f)) for f in findings]
    return "\n".join(lines) + "\n"


# -- Markdown --------------------------------------------------------------------------------------
def _md_cell(value: str | None) -> str:
    return markdown_code(_short(value)) if value is not None else "*(absent)*"


def render_markdown(change: ChangeReport) -> str:
    """A compact pull-request comment: a summary table first, the details folded."""
    m = markdown_text
    material = [a for a in change.agents if a.material]
    out = [
        f"### agentroster: changes from {markdown_code(change.base)} to "
        f"{markdown_code(change.head)}",
        "",
        "| agent | change | tier | material | needs |",
        "|---|---|---|---|---|",
    ]
    for a in change.agents:
        needs = ", ".join(a.approvals) or "–"
        status: str = a.status
        if _moved(a):
            status += f" ({markdown_code(a.old_path or '')} → {markdown_code(a.path)})"
        out.append(
            f"| {markdown_code(a.agent)} | {status} | {a.tier} | "
            f"{'yes' if a.material else 'no'} | {m(needs)} |"
        )
    if not change.agents:
        out.append("| – | no agent changed | | | |")
    out += [
        "",
        m(_headline(change)) + (f"; **{len(material)} material**" if material else ""),
    ]
    if change.failing:
        out.append("")
        out.append("**This change fails the review:** see the findings introduced below.")
    for a in change.agents:
        if not a.fields:
            continue
        title = _agent_title(a) + (f": {a.old_path} → {a.path}" if _moved(a) else "")
        out += ["", f"<details><summary>{m(title)}</summary>", ""]
        out += ["| field | old | new | material |", "|---|---|---|---|"]
        for c in a.fields:
            mark = f"**yes** ({m(c.kind or '')}): {m(c.why)}" if c.material else f"no: {m(c.why)}"
            out.append(
                f"| {markdown_code(c.field)} | {_md_cell(c.old)} | {_md_cell(c.new)} | {mark} |"
            )
        out += ["", "</details>"]
    g = change.graph
    if g:
        out += ["", "<details><summary>Handoff graph</summary>", ""]
        out += [f"- added {markdown_code(s)} → {markdown_code(d)}" for s, d in g.added]
        out += [f"- removed {markdown_code(s)} → {markdown_code(d)}" for s, d in g.removed]
        out += [f"- {markdown_code(a)} lost its way to a person" for a in g.lost_human]
        out += [
            f"- new path carrying regulated data ({m(', '.join(c))}): "
            f"{markdown_code(s)} → {markdown_code(d)}"
            for s, d, c in g.regulated
        ]
        out += [f"- new closed cycle: {m(' → '.join(c))}" for c in g.new_cycles]
        out += ["", "</details>"]
    for title, findings in (("introduced", change.introduced), ("resolved", change.resolved)):
        if findings:
            out += ["", f"<details><summary>Findings {title} ({len(findings)})</summary>", ""]
            out += [
                f"- {markdown_code(f'{f.path}:{f.line}')} {f.severity.value} **{f.code}** "
                f"{m(f.message)}"
                for f in findings
            ]
            out += ["", "</details>"]
    return "\n".join(out) + "\n"


# -- JSON ------------------------------------------------------------------------------------------
def _finding(f: Finding) -> dict[str, Any]:
    return {
        "code": f.code,
        "name": f.name,
        "severity": f.severity.value,
        "message": f.message,
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "agent": f.agent,
    }


def _agent(a: AgentDiff) -> dict[str, Any]:
    return {
        "agent": a.agent,
        "status": a.status,
        "path": a.path,
        "tier": a.tier,
        "old_agent": a.old_agent,
        "old_path": a.old_path,
        "material": a.material,
        "approvals": list(a.approvals),
        "fields": [
            {
                "field": c.field,
                "old": c.old,
                "new": c.new,
                "material": c.material,
                "kind": c.kind,
                "why": c.why,
            }
            for c in a.fields
        ],
    }


def render_json(change: ChangeReport) -> str:
    """The documented JSON contract (docs/diff.md)."""
    g = change.graph
    document = {
        "format": FORMAT,
        "tool": "agentroster",
        "version": __version__,
        "base": change.base,
        "head": change.head,
        "summary": {
            "changed": change.count("changed"),
            "renamed": change.count("renamed"),
            "added": change.count("added"),
            "removed": change.count("removed"),
            "unchanged": change.unchanged,
            "material": sum(1 for a in change.agents if a.material),
            "introduced": len(change.introduced),
            "resolved": len(change.resolved),
            "failing": change.failing,
        },
        "agents": [_agent(a) for a in change.agents],
        "approvals": [
            {"agent": a.agent, "tier": a.tier, "needs": list(a.approvals)}
            for a in change.agents
            if a.approvals
        ],
        "graph": {
            "added_edges": [{"from": s, "to": d} for s, d in g.added],
            "removed_edges": [{"from": s, "to": d} for s, d in g.removed],
            "lost_way_to_human": list(g.lost_human),
            "regulated_paths": [
                {"from": s, "to": d, "classes": list(c)} for s, d, c in g.regulated
            ],
            "new_cycles": [list(c) for c in g.new_cycles],
        },
        "findings": {
            "introduced": [_finding(f) for f in change.introduced],
            "resolved": [_finding(f) for f in change.resolved],
        },
    }
    return json_text(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"


DIFF_RENDERERS: Mapping[str, Callable[[ChangeReport], str]] = {
    "text": render_text,
    "markdown": render_markdown,
    "json": render_json,
}
