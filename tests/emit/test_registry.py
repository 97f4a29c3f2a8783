"""The lifecycle in the registry and the docs: model, refresh, incidents, changes, cost, SLO,
rollback, retirement; agents needing attention first; nothing computed from today."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import jsonschema

from agentroster.build import render
from agentroster.config import load_config
from agentroster.emit.registry import (
    CSV_COLUMNS,
    Registry,
    registry_csv,
    registry_csv_pieces,
    registry_json,
)
from agentroster.pipeline import lint_loaded, load_roster
from tests.conftest import CLEAN_CARD, TODAY

LIFECYCLE = """\
tier: 2
sponsor: {name: Priya Raman, email: priya.raman@example.com, role: manager}
model: {provider: anthropic, name: claude-sonnet, version: "2026-05-14", since: 2026-06-01}
evals: {golden_set: golden.jsonl, cases: 2, threshold: 0.9, refreshed: 2026-11-02}
review: {last: 2026-11-02, metrics_last: 2026-11-10}
release_gate:
  requires: [eval-threshold, security-review, privacy-impact, cost-approval]
  rollout: canary
  rollback: flag notes-helper-release pinned to the previous version
slo: {availability: 99.5, latency_p95: 4000, success_rate: 0.9}
cost: {per_interaction: 0.07, alert_above: 0.1, monthly_budget: 3000, monthly_volume: 30000}
incidents:
  - {id: INC-1, date: 2026-08-01, severity: sev2, summary: wrong  notes, resolved: 2026-08-02,
     postmortem: https://wiki.example.com/pm/INC-1}
  - {id: INC-3, date: 2026-11-20, severity: sev1, summary: notes sent to the wrong team}
  - {id: INC-2, date: 2026-11-19, severity: sev3, summary: slow drafts}
changes:
  - {version: 1.0.0, date: 2026-10-01, kinds: [new-tool], summary: drafts in the docs system}
  - version: 0.9.0
    date: 2026-07-01
    kinds: [model-swap, other]
    cab:
      approved: 2026-06-28
      ticket: CAB-7
      approved_by: {name: Priya Raman, email: priya.raman@example.com}
"""


def _card() -> str:
    base = "".join(
        line
        for line in CLEAN_CARD.splitlines(keepends=True)
        if not line.startswith(("tier:", "release_gate:"))
    )
    return base + LIFECYCLE


def _render(root: Path, today: dt.date) -> dict[str, str]:
    config = load_config(root)
    roster = load_roster(root, config, today=today, cwd=root)
    report = lint_loaded(roster, config, today=today)
    return render(roster, report, today=today, out=root / "build")


def _agent(files: dict[str, str]) -> dict:
    return json.loads(files["registry.json"])["agents"][0]


def test_registry_carries_the_lifecycle(roster):
    root = roster({"notes-helper.agent.yaml": _card(), "golden.jsonl": "{}\n{}\n"})
    files = _render(root, TODAY)
    jsonschema.validate(json.loads(files["registry.json"]), Registry.model_json_schema())
    agent = _agent(files)
    assert agent["model"] == {
        "provider": "anthropic",
        "name": "claude-sonnet",
        "version": "2026-05-14",
        "since": "2026-06-01",
        "fallback": None,
    }
    assert agent["evals"]["refreshed"] == "2026-11-02"
    assert agent["review"]["metrics_last"] == "2026-11-10"
    assert agent["release_gate"]["rollback"].startswith("flag notes-helper-release")
    assert agent["slo"] == {"availability": 99.5, "latency_p95": 4000, "success_rate": 0.9}
    assert agent["cost"]["projected_monthly"] == 2100.0  # 0.07 x 30000, without float error
    incidents = agent["incidents"]
    assert incidents["total"] == 3
    assert [i["id"] for i in incidents["open"]] == ["INC-2", "INC-3"]  # oldest first
    assert incidents["last"]["id"] == "INC-3" and incidents["last"]["resolved"] is None
    assert [c["unapproved"] for c in agent["changes"]] == [True, False]
    assert agent["changes"][1]["material"] is True
    assert agent["changes"][1]["cab"]["approved_by"] == "Priya Raman <priya.raman@example.com>"
    assert agent["retirement"] is None

    row = next(csv.DictReader(io.StringIO(files["registry.csv"])))
    assert list(row) == list(CSV_COLUMNS)
    assert row["model_version"] == "2026-05-14" and row["evals_refreshed"] == "2026-11-02"
    assert row["open_incidents"] == "INC-2 (sev3);INC-3 (sev1)"
    assert row["last_incident"] == "INC-3 2026-11-20 sev1"
    assert row["unapproved_changes"] == "1.0.0" and row["cab_tickets"] == "CAB-7"
    assert row["rollback"].startswith("flag") and row["successor"] == ""


def test_index_shows_open_serious_incidents_and_unapproved_changes_first(roster):
    root = roster({"notes-helper.agent.yaml": _card(), "golden.jsonl": "{}\n{}\n"})
    index = _render(root, TODAY)["index.md"]
    attention = index.split("## Needs attention", 1)[1].split("## Portfolio", 1)[0]
    assert index.index("## Needs attention") < index.index("## Portfolio")
    assert "| INC-3 | sev1 | 2026-11-20 | notes sent to the wrong team |" in attention
    assert "INC-2" not in attention  # sev3
    assert "| 2 | 1.0.0 | 2026-10-01 | new-tool |" in attention
    assert "0.9.0" not in attention  # approved


def test_agent_page_shows_the_lifecycle(roster):
    root = roster({"notes-helper.agent.yaml": _card(), "golden.jsonl": "{}\n{}\n"})
    page = _render(root, TODAY)["agents/notes-helper.md"]
    assert "pinned to `2026-05-14` since 2026-06-01" in page
    assert "| Last metric review | 2026-11-10 |" in page
    assert "latency p95 4000 ms" in page
    assert "budget 3,000.00 USD a month for 30,000 interactions (projected 2,100.00 USD)" in page
    assert "3 recorded; 2 open. Last: INC-3 (sev1, 2026-11-20)." in page
    # card text is escaped for Markdown: no raw HTML, so the email is in entities
    assert "| CAB-7 | 2026-06-28 | Priya Raman &lt;priya.raman@example.com&gt; | approved |" in page
    assert "**not approved**" in page


def test_retirement_and_successor(roster):
    card = CLEAN_CARD.replace("status: proposed", "status: retired") + (
        "retirement: {date: 2026-09-30, reason: merged into notes-pro, successor: notes-pro}\n"
    )
    successor = CLEAN_CARD.replace("notes-helper", "notes-pro")
    root = roster({"notes-helper.agent.yaml": card, "notes-pro.agent.yaml": successor})
    files = _render(root, TODAY)
    agent = _agent(files)
    assert agent["retirement"] == {
        "date": "2026-09-30",
        "reason": "merged into notes-pro",
        "successor": "notes-pro",
    }
    assert "Successor: [notes-pro](notes-pro.md)." in files["agents/notes-helper.md"]


def _lifecycle_parts(files: dict[str, str]) -> tuple[object, ...]:
    agent = _agent(files)
    keys = ("model", "evals", "release_gate", "slo", "cost", "incidents", "changes", "retirement")
    page = files["agents/notes-helper.md"]
    return (
        {key: agent[key] for key in keys},
        agent["review"]["metrics_last"],
        page.split("## Lifecycle", 1)[1].split("## Waivers", 1)[0],
        files["index.md"].split("## Needs attention", 1)[1].split("## Portfolio", 1)[0],
    )


def test_nothing_in_the_lifecycle_is_computed_from_today(roster):
    root = roster({"notes-helper.agent.yaml": _card(), "golden.jsonl": "{}\n{}\n"})
    later = TODAY + dt.timedelta(days=400)
    assert _lifecycle_parts(_render(root, TODAY)) == _lifecycle_parts(_render(root, later))


# --- waivers in the registry and the docs (issue 15, point 9) ------------------------------

WAIVED = CLEAN_CARD.replace("status: proposed", "status: pilot") + (
    "waivers:\n"
    "  - {rule: pilot-without-golden-set, reason: golden set in progress,\n"
    "     approved_by: {name: Priya Raman, email: priya.raman@example.com}, expires: 2027-03-01}\n"
    "  - {rule: L012, reason: '=HYPERLINK(\"x\")\n\n    model pinned next sprint',\n"
    "     approved_by: oskar.berg@example.com, expires: 2026-12-15}\n"
)
OTHER = CLEAN_CARD.replace("notes-helper", "desk-helper").replace(
    "status: proposed", "status: pilot"
) + (
    "waivers:\n"
    "  - {rule: L012, reason: vendor picks the model, approved_by: oskar.berg@example.com,\n"
    "     expires: 2027-01-10}\n"
    "  - {rule: L010, reason: no expiry given, approved_by: oskar.berg@example.com}\n"
)


def _undated(root: Path) -> dict[str, str]:
    config = load_config(root)
    roster = load_roster(root, config, today=TODAY, cwd=root)
    report = lint_loaded(roster, config, today=TODAY)
    return render(roster, report, today=None, out=root / "build")


def test_registry_lists_each_agents_waivers_and_their_state_only_when_dated(roster):
    root = roster({"notes-helper.agent.yaml": WAIVED, "desk-helper.agent.yaml": OTHER})
    files = _undated(root)
    doc = json.loads(files["registry.json"])
    jsonschema.validate(doc, Registry.model_json_schema())
    notes = next(a for a in doc["agents"] if a["id"] == "notes-helper")
    assert notes["waivers"] == [
        {
            "rule": "pilot-without-golden-set",
            "code": "L010",
            "reason": "golden set in progress",
            "approved_by": "Priya Raman <priya.raman@example.com>",
            "expires": "2027-03-01",
            "state": None,
        },
        {
            "rule": "L012",
            "code": "L012",
            "reason": '=HYPERLINK("x") model pinned next sprint',
            "approved_by": "oskar.berg@example.com",
            "expires": "2026-12-15",
            "state": None,
        },
    ]
    later = _render(root, TODAY + dt.timedelta(days=30))  # 2026-12-21: L012's has expired
    by_id = {a["id"]: a for a in json.loads(later["registry.json"])["agents"]}
    assert [w["state"] for w in by_id["notes-helper"]["waivers"]] == ["active", "expired"]
    assert [w["state"] for w in by_id["desk-helper"]["waivers"]] == ["active", "invalid"]


def test_csv_has_a_waivers_column_of_one_line_cells(roster):
    root = roster({"notes-helper.agent.yaml": WAIVED})
    text = _undated(root)["registry.csv"]
    assert CSV_COLUMNS[-1] == "waivers"
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert row["waivers"] == (
        "pilot-without-golden-set until 2027-03-01, approved by Priya Raman "
        "<priya.raman@example.com>: golden set in progress; L012 until 2026-12-15, approved by "
        'oskar.berg@example.com: =HYPERLINK("x") model pinned next sprint'
    )
    evil = WAIVED.replace("rule: pilot-without-golden-set", "rule: '=cmd|x'")
    root = roster({"notes-helper.agent.yaml": evil})
    [row] = list(csv.DictReader(io.StringIO(_undated(root)["registry.csv"])))
    assert row["waivers"].startswith("'=cmd|x until")  # no formula (escape.csv_cell)


def test_waivers_page_lists_every_waiver_soonest_expiry_first(roster):
    root = roster({"notes-helper.agent.yaml": WAIVED, "desk-helper.agent.yaml": OTHER})
    files = _undated(root)
    assert "[waivers.md](waivers.md)" in files["index.md"]
    assert "4 waivers on 2 agents; the first expires on 2026-12-15" in files["index.md"]
    page = files["waivers.md"]
    rows = [line for line in page.splitlines() if line.startswith("| ")][1:]
    assert [row.split(" | ")[:3] for row in rows] == [
        ["| 2026-12-15", "[notes-helper](agents/notes-helper.md)", "L012"],
        ["| 2027-01-10", "[desk-helper](agents/desk-helper.md)", "L012"],
        ["| 2027-03-01", "[notes-helper](agents/notes-helper.md)", "pilot-without-golden-set"],
        ["| –", "[desk-helper](agents/desk-helper.md)", "L010"],  # no expiry: last
    ]
    agent = files["agents/notes-helper.md"]
    waivers = agent.split("## Waivers", 1)[1].split("## Findings", 1)[0]
    assert "| rule | reason | approved by | expires |" in waivers
    assert "| L012 |" in waivers and "| 2026-12-15 |" in waivers and "| on " not in waivers
    dated = _render(root, TODAY + dt.timedelta(days=30))
    assert (
        "| expires | agent | rule | reason | approved by | on 2026-12-21 |" in (dated["waivers.md"])
    )
    assert "| 2026-12-15 |" in dated["waivers.md"].split("| expired |")[0]


def test_registry_json_in_pieces_is_the_whole_documents_bytes():
    files = _example_documents()
    for doc in files:
        whole = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
        assert "".join(registry_json(doc)) == whole
        pieces = list(registry_json(doc, pieces=8))
        assert "".join(pieces) == whole
        assert len(pieces) > (3 if doc["agents"] else 0)


def _example_documents() -> list[dict]:
    agent = {"id": "a\nb é", "tools": [], "review": {"last": None, "x": [1, {"y": {}}]}}
    return [
        {"tool": "agentroster", "version": "1", "generated_for": None, "agents": []},
        {"tool": "agentroster", "version": "1", "generated_for": "2026-11-21",
         "agents": [agent, {**agent, "id": "c"}]},
        {"agents": [agent]},
        {"agents": [], "tool": "agents first"},
    ]  # fmt: skip


def test_registry_csv_in_pieces_is_the_whole_text(roster):
    root = roster({"notes-helper.agent.yaml": _card(), "golden.jsonl": "{}\n{}\n"})
    doc = json.loads(_render(root, TODAY)["registry.json"])
    doc["agents"] = [doc["agents"][0]] * 5
    pieces = list(registry_csv_pieces(doc, rows=2))
    assert len(pieces) == 3
    assert "".join(pieces) == registry_csv(doc)
    assert len(list(csv.reader(io.StringIO(registry_csv(doc))))) == 6
